"""DOCX → PDF through a real LibreOffice (headless), in batches.

One `soffice` start converts a whole batch (starting it costs far more than a
page); each worker has a private user profile so parallel workers and a user's own
LibreOffice never share state. A batch that crashes or hangs is retried file by
file once; what still fails is reported with the document's name.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

PDF_FILTER = "writer_pdf_Export"
TIMEOUT_PER_DOCUMENT = 60  # seconds; a hang is killed after this (per document in the batch)


from contractgen.basis.problemen import Weigering


class ConversieFout(Weigering):
    """LibreOffice could not convert a document; names the documents."""

    slotzin = "(gebruik --debug voor de technische details)"


def soffice_pad() -> str:
    for naam in ("soffice", "libreoffice"):
        pad = shutil.which(naam)
        if pad:
            return pad
    raise ConversieFout("LibreOffice (soffice) is niet gevonden; installeer het met 'make installeer' "
                        "(Debian: apt-get install libreoffice-writer-nogui)")


def filter_opties(pdfa: bool) -> str:
    opties = {
        "EmbedStandardFonts": {"type": "boolean", "value": "true"},
        "ExportBookmarks": {"type": "boolean", "value": "true"},
        # Word bookmarks as named destinations: the signing rows' places for the signature fields
        "ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"},
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
    }
    if pdfa:
        opties["SelectPdfVersion"] = {"type": "long", "value": "2"}  # PDF/A-2b
    return f"pdf:{PDF_FILTER}:{json.dumps(opties, separators=(',', ':'))}"


def _is_pdf(pad: Path) -> bool:
    try:
        return pad.is_file() and len(PdfReader(str(pad)).pages) > 0
    except (PdfReadError, OSError, ValueError):
        return False


def _batch(docx: list[Path], doelmap: Path, pdfa: bool, profiel: Path) -> list[Path]:
    """Convert one batch in one soffice process; returns the documents that failed."""
    cmd = [soffice_pad(), "--headless", "--norestore", "--nolockcheck", "--nodefault",
           f"-env:UserInstallation={profiel.resolve().as_uri()}",
           "--convert-to", filter_opties(pdfa), "--outdir", str(doelmap), *map(str, docx)]
    omgeving = dict(os.environ, SAL_USE_VCLPLUGIN="svp", HOME=str(profiel))
    # its own process group: a hung soffice.bin (a child of the soffice script) is killed with it
    proces = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=omgeving, start_new_session=True)
    try:
        proces.wait(timeout=TIMEOUT_PER_DOCUMENT * max(1, len(docx)))
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proces.pid, signal.SIGKILL)
        except OSError:
            pass
        proces.wait()  # whatever was not written is retried below
    return [d for d in docx if not _is_pdf(doelmap / f"{d.stem}.pdf")]


def converteer(docx: list[Path], doelmap: Path, pdfa: bool = False, workers: int | None = None,
               voortgang=None) -> dict[Path, Path]:
    """Convert every .docx into `doelmap` (same stem, .pdf). Raises ConversieFout if any fails twice.

    Documents with the same stem are not allowed in one call (they would overwrite each other).
    """
    stems = [d.stem for d in docx]
    if len(set(stems)) != len(stems):
        raise ValueError("dubbele bestandsnamen in één conversie")
    doelmap.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(workers or os.cpu_count() or 1, len(docx) or 1))
    batches = [docx[i::workers] for i in range(workers)]
    mislukt: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="contractgen-lo-") as tmp:
        profielen = [Path(tmp) / f"profiel-{i}" for i in range(workers)]
        with ThreadPoolExecutor(workers) as pool:
            for fout in pool.map(lambda b: _batch(b[0], doelmap, pdfa, b[1]), zip(batches, profielen)):
                mislukt += fout
        if voortgang:
            voortgang(len(docx) - len(mislukt), len(docx))
        # retry once, one file per process, so one bad document cannot take others down
        nog_steeds = [d for d in mislukt if _batch([d], doelmap, pdfa, profielen[0])]
    if nog_steeds:
        namen = ", ".join(d.name for d in nog_steeds)
        raise ConversieFout(f"LibreOffice kon deze documenten niet omzetten naar PDF (ook niet na een tweede poging): {namen}")
    return {d: doelmap / f"{d.stem}.pdf" for d in docx}
