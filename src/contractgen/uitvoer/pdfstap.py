"""The PDF stage: a PDF of every new document, and per aanbieder a contractpakket.pdf with a cover page.

LibreOffice's raw PDFs are cached by the .docx hash in `<uitvoer>/.cache/pdf-2/` (or `pdfa-2/`)
so that a package can be merged again without converting documents that did not change. A PDF
enters the cache only after `controleer_pdf` found pages and the document's text in it, and is
used from it only while pypdf can still read it. (The `-2` leaves caches of versions that did
not check behind.)
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import time
from pathlib import Path

from contractgen.basis.foutinjectie import punt
from contractgen.render.docx import Sjablonen
from contractgen.resolve.weergave import omslag
from contractgen.uitvoer.libreoffice import ConversieFout, Omzetten, controleer_pdf, converteer
from contractgen.uitvoer.pdf import voeg_samen, voltooi
from contractgen.uitvoer.plan import MapPlan
from contractgen.uitvoer.renderen import Voortgang

CACHE_VERSIE = "2"
# A failed conversion or PDF step is reported as a full disk when less is free than it needs:
# LibreOffice's PDFs are at most a few times the .docx (measured: 1-3x), plus working room.
RUIMTE_FACTOR = 4
RUIMTE_MARGE = 1024 * 1024  # bytes


def _vol_als_vol(map_: Path, fout: BaseException, nodig: int = 0) -> None:
    """Raise ENOSPC instead of `fout` when the disk has less room than the step needs: that is the cause.

    LibreOffice says nothing useful when it cannot write, and pypdf then fails on a truncated file.
    """
    try:
        vrij = shutil.disk_usage(map_).free
    except OSError:
        return
    if vrij < RUIMTE_FACTOR * nodig + RUIMTE_MARGE:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(map_)) from fout


def _in_cache(pad: Path) -> bool:
    return pad.is_file() and controleer_pdf(pad) is None


def maak_pdfs(mappen: list[MapPlan], gemaakt: list[dict], uitvoer: Path, tijdelijk: Path, sjablonen: Sjablonen,
              pdfa: bool, voortgang: Voortgang | None, omzetten: Omzetten = converteer) -> dict[str, float]:
    """Write `<doc>.pdf` for every new document and `contractpakket.pdf` per aanbieder into `tijdelijk`.

    Returns wall-clock seconds per step: pdf-omzetten (covers rendered, LibreOffice), pdf-afwerken
    (fields, metadata per document), pakketten (merging). Raises ConversieFout naming the documents, or OSError(ENOSPC) when the disk is full.
    """
    klok = time.perf_counter()
    tijden: dict[str, float] = {}
    cache = uitvoer / ".cache" / (("pdfa-" if pdfa else "pdf-") + CACHE_VERSIE)
    cache.mkdir(parents=True, exist_ok=True)
    lo = tijdelijk / "_libreoffice"
    lo.mkdir()
    omslagen: dict[Path, str] = {}
    te_converteren: dict[str, Path] = {}
    per_map: dict[Path, list[dict]] = {}
    for g in gemaakt:
        per_map.setdefault(g["map"], []).append(g)
    for m in mappen:
        if m.items[0].aanbieder is None:
            continue
        docs = [g["omslag"] for g in per_map[m.rel]]
        context = omslag(m.regio, m.items[0].aanbieder, docs, m.peildatum)
        inhoud = sjablonen.get("document", m.regio.regio.id).render(context, m.rel / "contractpakket.pdf (voorblad)")
        sha = hashlib.sha256(inhoud).hexdigest()
        omslagen[m.rel] = sha
        if not _in_cache(cache / f"{sha}.pdf"):
            (lo / f"{sha}.docx").write_bytes(inhoud)
            te_converteren[sha] = lo / f"{sha}.docx"
    for g in gemaakt:
        if g["sha"] not in te_converteren and not _in_cache(cache / f"{g['sha']}.pdf"):
            pad = lo / f"{g['sha']}.docx"
            shutil.copyfile(tijdelijk / g["rel"], pad)
            te_converteren[g["sha"]] = pad

    def lo_voortgang(klaar: int, totaal: int) -> None:
        if voortgang:
            voortgang(klaar, totaal, "PDF (LibreOffice)")

    if te_converteren:
        punt("pdf-conversie")
        try:
            omgezet = omzetten(list(te_converteren.values()), lo, pdfa=pdfa, voortgang=lo_voortgang)
        except ConversieFout as fout:  # name the documents as the user knows them, not the cache files
            _vol_als_vol(lo, fout, sum(p.stat().st_size for p in te_converteren.values()))
            bericht = str(fout)
            for g in gemaakt:
                bericht = bericht.replace(f"{g['sha']}.docx", g["rel"].as_posix())
            for map_, sha in omslagen.items():
                bericht = bericht.replace(f"{sha}.docx", f"{map_.as_posix()}/contractpakket.pdf (voorblad)")
            raise ConversieFout(bericht) from fout
        for docx, pdf in omgezet.items():
            os.replace(pdf, cache / f"{docx.stem}.pdf")  # checked by converteer: pages and text
    tijden["pdf-omzetten"], klok = time.perf_counter() - klok, time.perf_counter()
    for g in gemaakt:
        if g["nieuw"]:
            punt(f"pdf-{g['rel'].as_posix()}")
            _afwerken(lambda: voltooi(cache / f"{g['sha']}.pdf", tijdelijk / g["rel"].with_suffix(".pdf"), g["info"],
                                      pdfa, (tijdelijk / g["rel"]).read_bytes()), g["rel"].with_suffix(".pdf"), lo)
    tijden["pdf-afwerken"], klok = time.perf_counter() - klok, time.perf_counter()
    for m in mappen:
        aanbieder = m.items[0].aanbieder
        if m.rel not in omslagen or aanbieder is None:
            continue
        delen = [(cache / f"{g['sha']}.pdf", g["info"]) for g in per_map[m.rel]]
        titel = f"Contractpakket {m.regio.regio.naam} — {aanbieder.naam}"
        _afwerken(lambda: voeg_samen(cache / f"{omslagen[m.rel]}.pdf", delen, tijdelijk / m.rel / "contractpakket.pdf",
                                     titel, m.peildatum, pdfa), m.rel / "contractpakket.pdf", lo)
    shutil.rmtree(lo)
    tijden["pakketten"] = time.perf_counter() - klok
    return tijden


def _afwerken(stap, rel: Path, map_: Path) -> None:
    """Run one pypdf step; a full disk is named as such, any other failure with the document."""
    try:
        stap()
    except OSError as fout:
        _vol_als_vol(map_, fout)
        raise
    except Exception as fout:  # noqa: BLE001 - pypdf raises many kinds on a truncated or odd PDF
        _vol_als_vol(map_, fout, RUIMTE_MARGE)
        raise ConversieFout(f"kan de PDF {rel.as_posix()} niet afmaken (handtekeningvelden, metadata): "
                            f"{type(fout).__name__}: {fout}") from fout
