"""DOCX → PDF through a real LibreOffice (headless), in batches, that never outlives contractgen.

One `soffice` start converts a batch of up to BATCH_MAX documents (starting it costs far more
than a page); each worker has a private user profile so parallel workers and a user's own LibreOffice never
share state. A batch that crashes, hangs or writes an empty PDF is retried file by file
once; what still fails is reported with the document's name.

Lifetime: every `soffice` runs in its own process group, marked in its environment with the
pid of the contractgen that started it (`CONTRACTGEN_EIGENAAR`). The group is killed on every
exit path Python sees (exception, Ctrl-C, SIGTERM, `atexit`). For SIGKILL the kernel kills it:
contractgen starts `soffice.bin` itself (not the `soffice` script, whose `oosplash` would be the
only process the death signal reaches) through `setpriv --pdeathsig SIGKILL`, and restarts it
when it asks to (exit 81, after it made a fresh profile). For power cuts and systems without
that, `ruim_wezen_op` at the next start kills every marked process whose owner is gone and
removes its temp profile (`<tmp>/contractgen-lo-<pid>-*`).
"""

from __future__ import annotations

import atexit
import bisect
import html
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Callable, Protocol

import pikepdf
from lxml import etree
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from contractgen.basis.problemen import Weigering
from contractgen.uitvoer.paginas import koppen_onderaan
from contractgen.uitvoer.werkers import aantal_kernen

PDF_FILTER = "writer_pdf_Export"
# A time-out that scales with the work: start-up, plus per document, plus per 100 KB of .docx
# (measured: LibreOffice converts a 30-page DVO of 60 KB in about 2 s on one core).
TIMEOUT_START = 20  # seconds
TIMEOUT_PER_DOCUMENT = 5
TIMEOUT_PER_100KB = 5
VOORTGANG_INTERVAL = 1.0  # seconds between progress reports during a conversion
# Documents per soffice start: bounds what one crash costs (the rest of its batch is retried one by one)
# and LibreOffice's memory over thousands of documents; a start costs about 2 s, a batch minutes.
BATCH_MAX = 200
EIGENAAR = "CONTRACTGEN_EIGENAAR"
PROFIEL_PREFIX = "contractgen-lo-"


class ConversieFout(Weigering):
    """LibreOffice could not convert a document; names the documents."""

    slotzin = "(gebruik --debug voor de technische details)"


class Omzetten(Protocol):
    """A DOCX → PDF converter as the PDF stage calls it: this module's `converteer`, or a pool of
    converter services (`omzetdienst.Dienstpool.converteer`). Returns .docx → its checked PDF in
    `doelmap`; raises ConversieFout naming the documents (file names)."""

    def __call__(self, docx: list[Path], doelmap: Path, *, pdfa: bool = False,
                 voortgang: Callable[[int, int], None] | None = None) -> dict[Path, Path]: ...


def soffice_pad() -> str:
    for naam in ("soffice", "libreoffice"):
        pad = shutil.which(naam)
        if pad:
            return pad
    raise ConversieFout("LibreOffice (soffice) is niet gevonden; installeer het met 'make installeer' "
                        "(Debian: apt-get install libreoffice-writer-nogui)")


HERSTART = 81  # soffice.bin's exit code asking to be started again (first start with a new profile)


def _opdracht(soffice: str) -> list[str]:
    """How to start LibreOffice so that it dies with contractgen, even by SIGKILL: soffice.bin itself (found
    beside the `soffice` script) under `setpriv --pdeathsig SIGKILL`, which sets the death signal and execs
    it (the signal survives exec; a preexec_fn is not safe with the conversion threads). Without setpriv
    or soffice.bin (another system, a test's stand-in) what there is; `ruim_wezen_op` covers the rest."""
    programma = soffice
    bin_ = Path(os.path.realpath(soffice)).with_name("soffice.bin")
    if bin_.is_file() and os.access(bin_, os.X_OK):
        programma = str(bin_)
    setpriv = shutil.which("setpriv") if sys.platform == "linux" else None
    return [setpriv, "--pdeathsig", "SIGKILL", "--", programma] if setpriv else [programma]


def pdf_filterdata(pdfa: bool) -> dict[str, bool | int]:
    """The PDF export options (LibreOffice's FilterData), the same for local and service conversion."""
    opties: dict[str, bool | int] = {
        "EmbedStandardFonts": True,
        "ExportBookmarks": True,
        # Word bookmarks as named destinations: the signing rows' places for the signature fields
        "ExportBookmarksToPDFDestination": True,
        "UseTaggedPDF": True,
    }
    if pdfa:
        opties["SelectPdfVersion"] = 2  # PDF/A-2b
    return opties


def filter_opties(pdfa: bool) -> str:
    """`pdf_filterdata` as soffice's --convert-to argument (typed JSON)."""
    opties = {naam: {"type": "boolean", "value": str(w).lower()} if isinstance(w, bool) else {"type": "long", "value": str(w)}
              for naam, w in pdf_filterdata(pdfa).items()}
    return f"pdf:{PDF_FILTER}:{json.dumps(opties, separators=(',', ':'))}"


def tijdslimiet(docx: list[Path]) -> float:
    """Seconds a batch may take before it counts as hung."""
    grootte = sum(d.stat().st_size for d in docx if d.is_file())
    return TIMEOUT_START + TIMEOUT_PER_DOCUMENT * len(docx) + TIMEOUT_PER_100KB * grootte / 100_000


# --- process lifetime -------------------------------------------------------------------------

_LEVEND: set[int] = set()  # process groups of running soffice batches
_SLOT = threading.Lock()  # guards _LEVEND and starting a process, so that stop_alle misses none
_GESTOPT = threading.Event()  # set by stop_alle: batches that had not started yet do not start


def _stop_groep(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass


def stop_alle() -> None:
    """Kill every LibreOffice this process started (all their children too)."""
    with _SLOT:
        _GESTOPT.set()
        groepen = list(_LEVEND)
    for pgid in groepen:
        _stop_groep(pgid)


atexit.register(stop_alle)


def _leeft(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def ruim_wezen_op() -> int:
    """Kill LibreOffice processes left by a contractgen that no longer runs; remove its temp profiles.

    Returns how many processes were killed. Linux only for the processes (/proc); profiles everywhere.
    """
    gedood = 0
    proc = Path("/proc")
    if proc.is_dir():
        for p in proc.iterdir():
            if not p.name.isdigit():
                continue
            try:
                omgeving = (p / "environ").read_bytes()
            except OSError:
                continue
            m = re.search(rb"(?:^|\0)" + EIGENAAR.encode() + rb"=(\d+)(?:\0|$)", omgeving)
            if m and not _leeft(int(m.group(1))):
                try:
                    os.kill(int(p.name), signal.SIGKILL)
                    gedood += 1
                except OSError:
                    pass
    for profiel in Path(tempfile.gettempdir()).glob(PROFIEL_PREFIX + "*"):
        eigenaar = re.match(re.escape(PROFIEL_PREFIX) + r"(\d+)-", profiel.name)
        if profiel.is_dir() and eigenaar and not _leeft(int(eigenaar.group(1))):
            shutil.rmtree(profiel, ignore_errors=True)
    return gedood


# --- checking what LibreOffice wrote ------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WOORD = re.compile(r"\w+")
# How far ahead in the PDF's words the next word of the document may be: page headers and footers,
# repeated table headers and the like come in between (about 20-60 words a page); a lost passage does not.
VENSTER = 400
TEKSTVERLIES = "de PDF mist tekst van het document"


_FALLBACK = re.compile(rb"<mc:Fallback\b.*?</mc:Fallback>", re.S)
# w:delText too: LibreOffice prints a tracked deletion (struck through) beside the insertion (a redline)
_TEKST_DELEN = re.compile(rb"<w:(?:t|delText)(?:\s[^>]*)?>([^<]*)</w:(?:t|delText)>|<w:(?:tab|br|cr)\b[^>]*/>|</w:p>")


def docx_woorden(docx: Path) -> list[str]:
    """Every word of a .docx body in reading order, lower case (NFKC): what must be in its PDF.

    Runs of one paragraph are joined (a word split over two runs is one word); a tab, line break or
    paragraph end separates words; the fallback copy of alternate content (text boxes) is skipped;
    tracked deletions count (LibreOffice shows them, struck through).
    Read with regular expressions over the XML (our own rendered file), ten times faster than a tree.
    """
    with zipfile.ZipFile(docx) as z:
        xml = _FALLBACK.sub(b"", z.read("word/document.xml"))
    delen = [m.group(1) if m.group(1) is not None else b" " for m in _TEKST_DELEN.finditer(xml)]
    tekst = html.unescape(b"".join(delen).decode("utf-8"))
    return _WOORD.findall(unicodedata.normalize("NFKC", tekst).lower())


def pdf_tekst(pdf: Path) -> str:
    """The text of a PDF as laid out (pdftotext -layout; pypdf without poppler), pages ended by \\f."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        uit = subprocess.run([pdftotext, "-q", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                             timeout=120, check=False)
        return uit.stdout.decode("utf-8", "replace")
    reader = PdfReader(str(pdf))
    return "".join((p.extract_text() or "") + "\f" for p in reader.pages)


def eerste_verlies(woorden: list[str], pdf_woorden: list[str], venster: int = VENSTER) -> int | None:
    """The index of the first word of `woorden` that is not in `pdf_woorden` near where the words before
    it were (within `venster` words either side of the furthest match so far), or None when every word
    is there. Each PDF word counts once. Either side: a table row split over two pages is drawn cell
    part by cell part (the first lines of each cell, then the rest), not cell after cell. A word the
    PDF cuts differently also counts: an e-mail address wrapped in a narrow cell ('ex' … 'ample'), or
    'P x Q' set as 'PXQ' (`_anders_gesneden`), and a word drawn mirrored (right-to-left override)."""
    posities: dict[str, list[int]] = {}
    for k, w in enumerate(pdf_woorden):
        posities.setdefault(w, []).append(k)
    bezet: set[int] = set()  # PDF positions already matched
    plek: dict[int, int] = {}  # word index → the PDF position it took (to give back when cut anew)
    j = 0
    i = 0
    while i < len(woorden):
        w = woorden[i]
        if j < len(pdf_woorden) and pdf_woorden[j] == w and j not in bezet:
            bezet.add(j)  # the common case: the next word is the next word
            plek[i] = j
            j += 1
            i += 1
            continue
        dichtbij = _anders_gesneden(woorden, i, pdf_woorden, j, 3, bezet, i)  # cut differently right here
        if dichtbij is not None:
            bezet |= dichtbij[2]
            i, j = dichtbij[0], dichtbij[1]
            continue
        # the word itself nearby, or mirrored: text under a right-to-left override (U+202E) is drawn in
        # visual order, 'RTL-override 123' as '321 edirrevo-LTR'
        gevonden = _vrije_plek(posities.get(w, []), j, venster, bezet)
        if gevonden is None and len(w) > 1:
            gevonden = _vrije_plek(posities.get(w[::-1], []), j, venster, bezet)
        if gevonden is not None:
            bezet.add(gevonden)
            plek[i] = gevonden
            j = max(j, gevonden + 1)
            i += 1
            continue
        # cut differently, perhaps from a word or two back ('10.1.1<tab>Sociale' is read as '1sociale',
        # 'P x Q' as 'PXQ'): the words back give their places up for it
        anders = None
        for terug in (0, 1, 2):
            if i - terug < 0:
                break
            vrij = {plek[n] for n in range(i - terug, i) if n in plek}
            anders = _anders_gesneden(woorden, i - terug, pdf_woorden, j, venster, bezet - vrij, i)
            if anders is not None:
                bezet -= vrij
                bezet |= anders[2]
                break
        if anders is None:
            return i
        i, j = anders[0], anders[1]
    return None


def _vrije_plek(lijst: list[int], j: int, venster: int, bezet: set[int]) -> int | None:
    """The first position in `lijst` within `venster` of `j` (either side) not yet matched, or None."""
    k = bisect.bisect_left(lijst, j - venster)
    while k < len(lijst) and lijst[k] in bezet and lijst[k] < j + venster:
        k += 1
    return lijst[k] if k < len(lijst) and lijst[k] < j + venster else None


def _anders_gesneden(woorden: list[str], i: int, pdf: list[str], j: int, venster: int,
                     bezet: set[int], voorbij: int) -> tuple[int, int, set[int]] | None:
    """(next word index, next PDF position, PDF positions taken) when word `i` (with a few after it, at
    least up to word `voorbij`) is in the PDF cut into other words: the same letters over 1-6 words on either side, or
    a word broken over two lines of a cell with other cells' words in between. None when not."""
    for k in range(max(0, j - venster), min(len(pdf), j + venster)):
        if k in bezet or not (woorden[i].startswith(pdf[k]) or pdf[k].startswith(woorden[i])):
            continue
        # the same letters, cut differently: 'p' 'x' 'q' ↔ 'pxq', 'ex' 'ample' ↔ 'example'
        links, rechts = woorden[i], pdf[k]
        a, b = 1, 1
        while links != rechts and a + b < 12:
            if len(links) < len(rechts) and i + a < len(woorden) and rechts.startswith(links + woorden[i + a]):
                links += woorden[i + a]
                a += 1
            elif len(rechts) < len(links) and k + b < len(pdf) and links.startswith(rechts + pdf[k + b]):
                rechts += pdf[k + b]
                b += 1
            else:
                break
        if links == rechts and i + a > voorbij:
            return i + a, max(j, k + b), set(range(k, k + b))
        # a word broken over two lines of a narrow cell: its rest is a little further on
        if woorden[i].startswith(pdf[k]) and len(pdf[k]) >= 2 and i >= voorbij:
            rest = woorden[i][len(pdf[k]):]
            for m in range(k + 1, min(len(pdf), k + 60)):
                if m not in bezet and pdf[m] == rest:
                    return i + 1, max(j, k + 1), {k, m}
    return None


def tekstverlies(docx: Path, pdf: Path, tekst: str | None = None) -> str | None:
    """Why the PDF does not hold all words of the .docx in order (Dutch, naming the first missing
    words), or None. A clipped table row or a lost page is found wherever it is (issue 29).
    `tekst`: the PDF's text when already read (`pdf_tekst`)."""
    woorden = docx_woorden(docx)
    if not woorden:
        return None
    pdf_woorden = _WOORD.findall(unicodedata.normalize("NFKC", pdf_tekst(pdf) if tekst is None else tekst).lower())
    i = eerste_verlies(woorden, pdf_woorden)
    if i is None:
        return None
    if i == 0 and not set(woorden[:20]) & set(pdf_woorden):
        return "de PDF bevat de tekst van het document niet (lege of verkeerde pagina's)"
    return (f"{TEKSTVERLIES}: vanaf woord {i + 1} van {len(woorden)} staat er niet meer in, "
            f"“{' '.join(woorden[i:i + 12])}”")


# headings at the foot of a page, per PDF checked with its .docx (uitvoer.paginas): filled by
# controleer_pdf, read by the PDF stage (pdfstap), which converts those documents again. Only PDFs
# with such a heading are in it, so it stays small.
_KOPPEN_ONDERAAN: dict[Path, list[tuple[int, int, str]]] = {}
_KOPPEN_SLOT = threading.Lock()


def koppen_onderaan_gevonden(pdf: Path) -> list[tuple[int, int, str]]:
    """(page, heading index, text) of the headings `controleer_pdf` found at the foot of a page of `pdf`."""
    with _KOPPEN_SLOT:
        return _KOPPEN_ONDERAAN.get(pdf.resolve(), [])


def controleer_pdf(pdf: Path, docx: Path | None = None) -> str | None:
    """Why this PDF cannot be used (Dutch), or None when it is sound.

    Sound: qpdf reads it, it has pages, and every word of the .docx is in it, in order
    (`tekstverlies`; a converter that writes a blank page, or a table row LibreOffice clips). With
    the same text the pages are read for a heading at a page foot (`koppen_onderaan_gevonden`).
    """
    try:
        if not pdf.is_file() or pdf.stat().st_size == 0:
            return "geen PDF geschreven"
        with pikepdf.open(pdf) as gelezen:
            if len(gelezen.pages) == 0:
                return "PDF zonder pagina's"
        if docx is None:
            return None
        tekst = pdf_tekst(pdf)
        reden = tekstverlies(docx, pdf, tekst)
        koppen = koppen_onderaan(docx, tekst) if reden is None else []
        with _KOPPEN_SLOT:
            if koppen:
                _KOPPEN_ONDERAAN[pdf.resolve()] = koppen
            else:
                _KOPPEN_ONDERAAN.pop(pdf.resolve(), None)
        return reden
    except (pikepdf.PdfError, PyPdfError, OSError, ValueError, KeyError, TypeError, subprocess.SubprocessError,
            zipfile.BadZipFile, etree.XMLSyntaxError) as fout:
        return f"onleesbare PDF ({type(fout).__name__})"


# --- conversion ---------------------------------------------------------------------------------

_log = logging.getLogger(__name__)  # per pass what failed and why (INFO; benchmarks/run.py shows it)


def _in_batches(docx: list[Path], workers: int) -> list[list[Path]]:
    """One share per worker, cut into batches of at most BATCH_MAX, interleaved so every worker starts at once."""
    delen = [docx[i::workers] for i in range(workers)]
    return [b for j in range(0, max(map(len, delen)), BATCH_MAX) for d in delen if (b := d[j:j + BATCH_MAX])]


def _ronde(batches: list[list[Path]], doelmap: Path, pdfa: bool, tmp: Path, naam: str, workers: int,
           alle: list[Path], voortgang) -> dict[Path, str]:
    """One pass: every batch in its own soffice with a fresh user profile, `workers` at a time.

    Returns the documents that failed, with the reason. A profile is never reused: a soffice
    killed at the end of its batch may leave it half-written.
    """
    mislukt: dict[Path, str] = {}

    def een(i: int, batch: list[Path]) -> dict[Path, str]:
        profiel = tmp / f"{naam}-{i}"
        try:
            return _batch(batch, doelmap, pdfa, profiel)
        finally:
            shutil.rmtree(profiel, ignore_errors=True)

    with ThreadPoolExecutor(workers) as pool:
        try:
            lopend = {pool.submit(een, i, b) for i, b in enumerate(batches)}
            while lopend:
                # soffice reports nothing per document; the PDFs it has written so far are the progress
                klaar, lopend = wait(lopend, timeout=VOORTGANG_INTERVAL)
                for f in klaar:
                    mislukt.update(f.result())
                if voortgang:
                    voortgang(sum(1 for d in alle if (doelmap / f"{d.stem}.pdf").exists()), len(alle))
        except BaseException:
            stop_alle()  # the threads wait on soffice: without this Ctrl-C waits out the time-out
            raise
    if mislukt:
        redenen = Counter(mislukt.values()).most_common(3)
        _log.info("LibreOffice %s: %d van %d documenten mislukt (%s)", naam, len(mislukt),
                  sum(map(len, batches)), "; ".join(f"{n}x {r}" for r, n in redenen))
    return mislukt


def _batch(docx: list[Path], doelmap: Path, pdfa: bool, profiel: Path) -> dict[Path, str]:
    """Convert one batch in one soffice process; returns the documents that failed, with the reason."""
    cmd = [*_opdracht(soffice_pad()), "--headless", "--norestore", "--nolockcheck", "--nodefault",
           f"-env:UserInstallation={profiel.resolve().as_uri()}",
           "--convert-to", filter_opties(pdfa), "--outdir", str(doelmap), *map(str, docx)]
    # SAL_ENABLE_FILE_LOCKING: what the soffice script sets before it starts soffice.bin
    omgeving = dict(os.environ, SAL_USE_VCLPLUGIN="svp", SAL_ENABLE_FILE_LOCKING="1", HOME=str(profiel),
                    **{EIGENAAR: str(os.getpid())})
    limiet = tijdslimiet(docx)
    einde = time.monotonic() + limiet  # one deadline for the batch, restarts included
    hangt = False
    for _ in range(3):
        # its own process group: helpers soffice.bin starts are killed with it
        with _SLOT:
            if _GESTOPT.is_set():
                return {d: "afgebroken" for d in docx}
            proces = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, env=omgeving, start_new_session=True)
            _LEVEND.add(proces.pid)
        try:
            proces.wait(timeout=max(0.0, einde - time.monotonic()))
        except subprocess.TimeoutExpired:
            hangt = True
        finally:
            _stop_groep(proces.pid)  # also the helpers a finished soffice may leave behind
            proces.wait()
            with _SLOT:
                _LEVEND.discard(proces.pid)
        if hangt or proces.returncode != HERSTART:
            break
    mislukt = {}
    for d in docx:
        reden = controleer_pdf(doelmap / f"{d.stem}.pdf", d)
        if reden is not None:
            mislukt[d] = f"hing langer dan {limiet:.0f} s" if hangt and "geen PDF" in reden else reden
            (doelmap / f"{d.stem}.pdf").unlink(missing_ok=True)
    return mislukt


def converteer(docx: list[Path], doelmap: Path, pdfa: bool = False, workers: int | None = None,
               voortgang=None) -> dict[Path, Path]:
    """Convert every .docx into `doelmap` (same stem, .pdf), each PDF checked (`controleer_pdf`).

    Raises ConversieFout for what fails three times (its batch, a batch of what failed, alone). Documents with the same stem are not allowed in
    one call (they would overwrite each other). Ctrl-C or SIGTERM kill LibreOffice at once.
    """
    stems = [d.stem for d in docx]
    if len(set(stems)) != len(stems):
        raise ValueError("dubbele bestandsnamen in één conversie")
    doelmap.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(workers or aantal_kernen(), len(docx) or 1))
    _GESTOPT.clear()
    with tempfile.TemporaryDirectory(prefix=f"{PROFIEL_PREFIX}{os.getpid()}-") as tmp:
        mislukt = _ronde(_in_batches(docx, workers), doelmap, pdfa, Path(tmp), "ronde-1", workers, docx, voortgang)
        # a PDF that lost text (a clipped table row) loses it again: the layout is the cause, not a crash
        verloren = {d: r for d, r in mislukt.items() if r.startswith(TEKSTVERLIES)}
        mislukt = {d: r for d, r in mislukt.items() if d not in verloren}
        # what failed (a crash takes the rest of its batch along) once more in batches: a crash
        # costs one batch again, not a cold start per document
        if mislukt:
            mislukt = _ronde(_in_batches(list(mislukt), workers), doelmap, pdfa, Path(tmp), "ronde-2", workers,
                             docx, voortgang)
        # then one file per process, so one bad document cannot take others down; all at once (up
        # to 8): a document that hangs costs one time-out, not one per document before it
        nog_steeds: dict[Path, str] = {}
        if mislukt:
            nog_steeds = _ronde([[d] for d in mislukt], doelmap, pdfa, Path(tmp), "ronde-3", min(len(mislukt), 8),
                                docx, voortgang)
    if verloren:
        namen = "; ".join(f"{d.name}: {reden}" for d, reden in verloren.items())
        raise ConversieFout(f"niet alles van het document staat in de PDF, er is niets gebouwd: {namen}. Meestal is "
                            "een tabelrij of tekstvak te groot voor een pagina; maak de tekst daar korter of "
                            "verdeel hem over meer rijen")
    if nog_steeds:
        namen = ", ".join(f"{d.name} ({reden})" for d, reden in nog_steeds.items())
        raise ConversieFout("LibreOffice kon deze documenten niet omzetten naar PDF (ook niet opnieuw in een batch en "
                            f"daarna apart): {namen}")
    return {d: doelmap / f"{d.stem}.pdf" for d in docx}
