"""The PDF stage: a PDF of every new document, and per aanbieder a contractpakket.pdf with a cover page.

LibreOffice's raw PDFs are cached by the .docx hash in `<uitvoer>/.cache/pdf-2/` (or `pdfa-2/`)
so that a package can be merged again without converting documents that did not change. A PDF
enters the cache only after `controleer_pdf` found pages and the document's text in it, and is
used from it only while qpdf can still read it. (The `-2` leaves caches of versions that did
not check behind.)
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from contractgen.basis.foutinjectie import punt
from contractgen.render.docx import Sjablonen
from contractgen.resolve.weergave import omslag
from contractgen.uitvoer.libreoffice import (
    ConversieFout,
    Omzetten,
    controleer_pdf,
    converteer,
    koppen_onderaan_gevonden,
)
from contractgen.uitvoer.pakket import voeg_samen
from contractgen.uitvoer.paginas import breek_voor_koppen
from contractgen.uitvoer.pdf import voltooi
from contractgen.uitvoer.plan import MapPlan
from contractgen.uitvoer.renderen import Voortgang
from contractgen.uitvoer.werkers import in_werkers

CACHE_VERSIE = "2"
# A failed conversion or PDF step is reported as a full disk when less is free than it needs:
# LibreOffice's PDFs are at most a few times the .docx (measured: 1-3x), plus working room.
RUIMTE_FACTOR = 4
RUIMTE_MARGE = 1024 * 1024  # bytes
T = TypeVar("T")


def _vol_als_vol(map_: Path, fout: BaseException, nodig: int = 0) -> None:
    """Raise ENOSPC instead of `fout` when the disk has less room than the step needs: that is the cause.

    LibreOffice says nothing useful when it cannot write, and qpdf then fails on a truncated file.
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
              pdfa: bool, voortgang: Voortgang | None,
              omzetten: Omzetten = converteer) -> tuple[dict[str, float], dict[Path, dict[str, str]]]:
    """Write `<doc>.pdf` for every new document and `contractpakket.pdf` per aanbieder into `tijdelijk`.

    Returns wall-clock seconds per step (pdf-omzetten: covers rendered, LibreOffice; pdf-afwerken:
    fields, metadata per document; pakketten: merging) and per folder the package's signature
    fields, name → party. Raises ConversieFout naming the documents, or OSError(ENOSPC) when the disk is full.
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
        except ConversieFout as fout:
            _vol_als_vol(lo, fout, sum(p.stat().st_size for p in te_converteren.values()))
            raise _met_namen(fout, gemaakt, omslagen) from fout
        omgezet = _geen_kop_onderaan(omgezet, lo, pdfa, omzetten, lo_voortgang, gemaakt, omslagen)
        for docx, pdf in omgezet.items():
            os.replace(pdf, cache / f"{docx.stem}.pdf")  # checked by converteer: pages and text
    tijden["pdf-omzetten"] = time.perf_counter() - klok
    af_tijden, velden = _werk_af(mappen, per_map, omslagen, cache, tijdelijk, pdfa, voortgang)
    tijden.update(af_tijden)
    shutil.rmtree(lo)
    return tijden, velden


def _met_namen(fout: ConversieFout, gemaakt: list[dict], omslagen: dict[Path, str]) -> ConversieFout:
    """The error naming the documents as the user knows them, not the cache files."""
    bericht = str(fout)
    for g in gemaakt:
        bericht = bericht.replace(f"{g['sha']}.docx", g["rel"].as_posix())
    for map_, sha in omslagen.items():
        bericht = bericht.replace(f"{sha}.docx", f"{map_.as_posix()}/contractpakket.pdf (voorblad)")
    return ConversieFout(bericht)


MAX_KOP_RONDES = 3  # a page break moves what follows: a heading may land at a page foot once more


def _geen_kop_onderaan(omgezet: dict[Path, Path], lo: Path, pdfa: bool, omzetten: Omzetten, voortgang,
                       gemaakt: list[dict], omslagen: dict[Path, str]) -> dict[Path, Path]:
    """Convert again, with a page break before it, each document a heading of which ends a page
    (`uitvoer.paginas`); the copy in `lo` is changed, never the user's .docx."""
    te_doen = dict(omgezet)
    for _ in range(MAX_KOP_RONDES):
        opnieuw = []
        for docx, pdf in te_doen.items():
            koppen = koppen_onderaan_gevonden(pdf)  # read by controleer_pdf, with the whole-text check
            if koppen:
                breek_voor_koppen(docx, [i for _, i, _ in koppen])
                opnieuw.append(docx)
        if not opnieuw:
            break
        try:
            te_doen = omzetten(opnieuw, lo, pdfa=pdfa, voortgang=voortgang)
        except ConversieFout as fout:
            raise _met_namen(fout, gemaakt, omslagen) from fout
        omgezet.update(te_doen)
    return omgezet


_AF: dict = {}  # shared with forked finishing workers (set before the pool starts)


def _werk_af(mappen: list[MapPlan], per_map: dict[Path, list[dict]], omslagen: dict[Path, str], cache: Path,
             tijdelijk: Path, pdfa: bool, voortgang: Voortgang | None) -> tuple[dict[str, float], dict[Path, dict[str, str]]]:
    """Finish every new document and merge every package, one folder per task, on every core.

    Returns wall-clock seconds, split over pdf-afwerken and pakketten in the ratio of the CPU
    time the workers measured for each (they run interleaved), and the packages' fields per folder.
    """
    klok = time.perf_counter()
    _AF.update(mappen=mappen, per_map=per_map, omslagen=omslagen, cache=cache, tijdelijk=tijdelijk, pdfa=pdfa)
    taken = [i for i, m in enumerate(mappen) if per_map.get(m.rel)]
    totaal = sum(len(per_map[mappen[i].rel]) for i in taken)
    klaar = 0
    cpu = [0.0, 0.0]
    velden: dict[Path, dict[str, str]] = {}
    for index, ((afwerken, pakket), aantal, pakketvelden) in zip(taken, in_werkers(_werk_map, taken)):
        velden[mappen[index].rel] = pakketvelden
        cpu[0] += afwerken
        cpu[1] += pakket
        klaar += aantal
        if voortgang:
            voortgang(klaar, totaal, "PDF-velden en pakketten")
    muur = time.perf_counter() - klok
    deel = cpu[0] / (cpu[0] + cpu[1]) if cpu[0] + cpu[1] else 1.0
    return {"pdf-afwerken": muur * deel, "pakketten": muur * (1 - deel)}, velden


def _werk_map(index: int) -> tuple[tuple[float, float], int, dict[str, str]]:
    """One folder: its new documents finished, then its contractpakket.pdf.

    Returns CPU seconds of both steps, the number of documents, the package's fields (name → party).
    """
    m: MapPlan = _AF["mappen"][index]
    cache, tijdelijk, pdfa = _AF["cache"], _AF["tijdelijk"], _AF["pdfa"]
    documenten = _AF["per_map"][m.rel]
    klok = time.process_time()
    for g in documenten:
        if g["nieuw"]:
            punt(f"pdf-{g['rel'].as_posix()}")
            _afwerken(lambda: voltooi(cache / f"{g['sha']}.pdf", tijdelijk / g["rel"].with_suffix(".pdf"), g["info"],
                                      pdfa), g["rel"].with_suffix(".pdf"), tijdelijk)
    afwerken, klok = time.process_time() - klok, time.process_time()
    aanbieder = m.items[0].aanbieder
    velden: dict[str, str] = {}
    if m.rel in _AF["omslagen"] and aanbieder is not None:
        delen = [(tijdelijk / g["rel"].with_suffix(".pdf"), g["info"]) for g in documenten]
        titel = f"Contractpakket {m.regio.regio.naam} — {aanbieder.naam}"
        velden = _afwerken(lambda: voeg_samen(cache / f"{_AF['omslagen'][m.rel]}.pdf", delen,
                                     tijdelijk / m.rel / "contractpakket.pdf", titel, m.peildatum, pdfa),
                  m.rel / "contractpakket.pdf", tijdelijk)
    return (afwerken, time.process_time() - klok), len(documenten), velden


def _afwerken(stap: Callable[[], T], rel: Path, map_: Path) -> T:
    """Run one finishing step; a full disk is named as such, any other failure with the document."""
    try:
        return stap()
    except OSError as fout:
        _vol_als_vol(map_, fout)
        raise
    except Exception as fout:  # noqa: BLE001 - qpdf and the PDF objects raise many kinds on a truncated or odd PDF
        _vol_als_vol(map_, fout, RUIMTE_MARGE)
        raise ConversieFout(f"kan de PDF {rel.as_posix()} niet afmaken (handtekeningvelden, metadata): "
                            f"{type(fout).__name__}: {fout}") from fout
