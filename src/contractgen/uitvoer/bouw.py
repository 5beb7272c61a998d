"""Stage 5, export: write every package into the output folder, atomically.

Everything is written to a temporary folder beside the output first and moved into
place per finished folder, so an interrupted or failed build leaves the previous
output as it was.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from contractgen import __version__
from contractgen.basis.hashing import sha256_bestand
from contractgen.basis.namen import veilige_naam
from contractgen.basis.problemen import DataFout, Probleem
from contractgen.domein.dataset import RegioData
from contractgen.domein.model import Aanbieder
from contractgen.domein.zoeken import algemene_documenten, pakket
from contractgen.regels import load_valid
from contractgen.ondertekening.pakketten import neem_over
from contractgen.render.docx import Sjablonen, standaard_sjablonen_map
from contractgen.resolve.weergave import omslag, weergave
from contractgen.uitvoer.bronnen import Bronnen, GitStaat, bestand_hash
from contractgen.uitvoer.controles import versielabels, weiger_zonder_inhoud_of_met_fouten
from contractgen.uitvoer.libreoffice import ConversieFout, converteer
from contractgen.uitvoer.pdf import pdf_info, voeg_samen, voltooi

Voortgang = Callable[[int, int, str], None]


@dataclass
class Bouwopdracht:
    data_pad: Path
    uitvoer: Path
    peildatum: date | None = None
    aanbieders: list[str] = field(default_factory=list)
    sjablonen: Path | None = None
    pdf: bool = False
    pdfa: bool = False
    # problems a report finds in a region on the peildatum (the CLI passes `check`); an error refuses the build
    controle: Callable[[RegioData, date], list[Probleem]] | None = None


@dataclass
class Bouwresultaat:
    bestanden: list[Path] = field(default_factory=list)
    mappen: list[Path] = field(default_factory=list)
    overgeslagen: int = 0  # folders whose inputs did not change
    gerenderd: int = 0  # documents rendered anew (the rest were reused)
    waarschuwingen: list[str] = field(default_factory=list)  # e.g. a versie label with a changed text


def _taken(regio: RegioData, opdracht: Bouwopdracht) -> list[tuple[Path, object, Aanbieder | None]]:
    """(relative output path, document, aanbieder) for everything this build writes."""
    peildatum = opdracht.peildatum or regio.regio.standaard_peildatum
    basis = Path(veilige_naam(regio.regio.id)) / str(peildatum.year)
    taken = []
    for doc in algemene_documenten(regio, peildatum):
        taken.append((basis / "algemeen" / f"{veilige_naam(doc.id)}.docx", doc, None))
    for aanbieder in _gekozen_aanbieders(regio, opdracht.aanbieders):
        map_ = basis / veilige_naam(aanbieder.id)
        for i, doc in enumerate(pakket(regio, aanbieder, peildatum), start=1):
            taken.append((map_ / f"{i:02d}-{veilige_naam(doc.id)}.docx", doc, aanbieder))
    return taken


def _gekozen_aanbieders(regio: RegioData, ids: list[str]) -> list[Aanbieder]:
    if not ids:
        return list(regio.aanbieders)
    return [a for a in regio.aanbieders if a.id in ids]


@dataclass
class _Item:
    """One document of one output folder, and the key of its inputs."""

    rel: Path
    doc: object
    aanbieder: Aanbieder | None
    sleutel: str
    bronnen: tuple[Path, ...]
    tekst: str = ""  # hash of the document's own text (Bronnen.tekst)


@dataclass
class _Map:
    regio: RegioData
    rel: Path
    peildatum: date
    items: list[_Item]
    sleutel: str
    commit: str | None


def _verlaten(pad: Path, pid: int | None, start: float) -> bool:
    """Is this temp folder left by a build that no longer runs? (pid from its name, else its age)"""
    if pid == os.getpid():
        return True  # this build has not made its own folders yet: a leftover under a reused pid
    if pid is not None and os.name == "posix":
        try:
            os.kill(pid, 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return True
        except OSError:
            return False  # exists, but belongs to someone else
        return False
    try:
        return pad.stat().st_mtime < start
    except OSError:
        return False


def _ruim_resten_op(uitvoer: Path, start: float) -> None:
    """Remove what an interrupted build (SIGKILL, power cut) left: `.bouw-<pid>-*` and `.oud-<map>-<pid>`.

    A `.oud-` folder whose <map> is missing holds the previous output of a build killed
    mid-swap: it is put back instead of removed. Folders of a build still running are left alone.
    """
    if not uitvoer.is_dir():
        return
    for pad in sorted(uitvoer.glob(".bouw-*")):
        m = re.match(r"\.bouw-(\d+)-", pad.name)
        if pad.is_dir() and _verlaten(pad, int(m.group(1)) if m else None, start):
            shutil.rmtree(pad, ignore_errors=True)
    oud = [p for diepte in range(4) for p in uitvoer.glob("*/" * diepte + ".oud-*")]  # <regio>/<jaar>/.oud-*
    for pad in sorted(oud):
        m = re.fullmatch(r"\.oud-(.+)-(\d+)", pad.name)
        if not pad.is_dir() or not m or not _verlaten(pad, int(m.group(2)), start):
            continue
        doel = pad.with_name(m.group(1))
        if doel.exists():
            shutil.rmtree(pad, ignore_errors=True)
        else:
            os.replace(pad, doel)


def bouw(opdracht: Bouwopdracht, voortgang: Voortgang | None = None) -> Bouwresultaat:
    _ruim_resten_op(Path(opdracht.uitvoer), time.time())
    bestand_hash.cache_clear()  # files may have changed since an earlier build in this process
    stempel = _stempel(opdracht)
    vorige = _vorige_bouw(opdracht, stempel)
    if vorige is not None:
        return vorige  # same inputs as the last successful build: nothing to validate or render
    regios = load_valid(opdracht.data_pad)
    bekend = {a.id for r in regios for a in r.aanbieders}
    onbekend = [a for a in opdracht.aanbieders if a not in bekend]
    if onbekend:
        raise DataFout([Probleem(str(opdracht.data_pad), 0, 0, "--aanbieder",
                                 f"onbekende aanbieder '{a}'; bekend zijn: {', '.join(sorted(bekend))}") for a in onbekend])
    leeg = weiger_zonder_inhoud_of_met_fouten(regios, opdracht, lambda regio: bool(_taken(regio, opdracht)))
    sjablonen = Sjablonen(opdracht.sjablonen or standaard_sjablonen_map())
    uitvoer = Path(opdracht.uitvoer)
    plan = [m for regio in regios for m in _plan(regio, opdracht, sjablonen)]
    resultaat = Bouwresultaat(mappen=[uitvoer / m.rel for m in plan], waarschuwingen=leeg + versielabels(uitvoer, plan))
    te_doen = [m for m in plan if _vorige_sleutels(uitvoer / m.rel).get("") != m.sleutel]
    resultaat.overgeslagen = len(plan) - len(te_doen)
    if te_doen:
        uitvoer.mkdir(parents=True, exist_ok=True)
        tijdelijk = Path(tempfile.mkdtemp(prefix=f".bouw-{os.getpid()}-", dir=uitvoer))  # pid: see _ruim_resten_op
        try:
            gemaakt = _render(te_doen, uitvoer, tijdelijk, sjablonen, opdracht, voortgang)
            resultaat.gerenderd = sum(1 for g in gemaakt if g["nieuw"])
            if opdracht.pdf:
                _maak_pdfs(te_doen, gemaakt, uitvoer, tijdelijk, sjablonen, opdracht.pdfa, voortgang)
            per_map: dict[Path, list[dict]] = {}
            for g in gemaakt:
                per_map.setdefault(g["map"], []).append(g)
            for m in te_doen:
                _schrijf_manifest(tijdelijk / m.rel, m, opdracht, per_map.get(m.rel, []))
                neem_over(uitvoer / m.rel, tijdelijk / m.rel)  # ondertekend/ and the build history stay
            _vervang_alle([(tijdelijk / m.rel, uitvoer / m.rel) for m in te_doen])
        finally:
            shutil.rmtree(tijdelijk, ignore_errors=True)
    for map_ in resultaat.mappen:
        resultaat.bestanden += sorted(p for p in map_.iterdir() if p.is_file())
    _bewaar_stempel(opdracht, stempel, resultaat)
    return resultaat


def _stempel(opdracht: Bouwopdracht) -> str:
    """A hash over every input of a build: data and template files, options and tool version."""
    h = hashlib.sha256()
    sjablonen = Path(opdracht.sjablonen or standaard_sjablonen_map())
    for deel in (__version__, str(opdracht.peildatum), ",".join(sorted(opdracht.aanbieders)),
                 f"{opdracht.pdf}{opdracht.pdfa}", str(Path(opdracht.data_pad).resolve()), str(sjablonen.resolve())):
        h.update(deel.encode() + b"\0")
    for basis in (Path(opdracht.data_pad), sjablonen):
        for pad in sorted(basis.rglob("*")) if basis.is_dir() else [basis]:
            if pad.is_file():
                h.update(str(pad.relative_to(basis) if basis.is_dir() else pad.name).encode() + b"\0")
                h.update(hashlib.sha256(pad.read_bytes()).digest())
    return h.hexdigest()


def _stempel_pad(opdracht: Bouwopdracht) -> Path:
    return Path(opdracht.uitvoer) / ".cache" / "laatste-bouw.json"


def _vorige_bouw(opdracht: Bouwopdracht, stempel: str) -> Bouwresultaat | None:
    """The result of the last build if it had exactly these inputs and its folders are still intact."""
    try:
        vorige = json.loads(_stempel_pad(opdracht).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if vorige.get("stempel") != stempel:
        return None
    uitvoer = Path(opdracht.uitvoer)
    resultaat = Bouwresultaat(mappen=[uitvoer / m for m in vorige.get("mappen", [])])
    for map_, sleutel in zip(resultaat.mappen, vorige.get("sleutels", [])):
        if _vorige_sleutels(map_).get("") != sleutel:
            return None  # a folder was removed or changed by hand: build again
        resultaat.bestanden += sorted(p for p in map_.iterdir() if p.is_file())
    resultaat.overgeslagen = len(resultaat.mappen)
    return resultaat


def _bewaar_stempel(opdracht: Bouwopdracht, stempel: str, resultaat: Bouwresultaat) -> None:
    pad = _stempel_pad(opdracht)
    pad.parent.mkdir(parents=True, exist_ok=True)
    uitvoer = Path(opdracht.uitvoer)
    inhoud = {"stempel": stempel, "mappen": [m.relative_to(uitvoer).as_posix() for m in resultaat.mappen],
              "sleutels": [_vorige_sleutels(m).get("") for m in resultaat.mappen]}
    tijdelijk = pad.with_suffix(".tmp")
    tijdelijk.write_text(json.dumps(inhoud), encoding="utf-8")
    os.replace(tijdelijk, pad)


def _plan(regio: RegioData, opdracht: Bouwopdracht, sjablonen: Sjablonen) -> list[_Map]:
    peildatum = opdracht.peildatum or regio.regio.standaard_peildatum
    bronnen = Bronnen(regio, peildatum, sjablonen.pad("document", regio.regio.id))
    git = GitStaat(regio.map)
    extra = f"pdf={opdracht.pdf};pdfa={opdracht.pdfa}"
    per_map: dict[Path, list[_Item]] = {}
    for rel, doc, aanbieder in _taken(regio, opdracht):
        if doc.sjabloon != "document":
            bronnen_doc = Bronnen(regio, peildatum, sjablonen.pad(doc.sjabloon, regio.regio.id))
        else:
            bronnen_doc = bronnen
        item = _Item(rel, doc, aanbieder, bronnen_doc.sleutel(doc, aanbieder, extra), bronnen_doc.voor(doc, aanbieder),
                     bronnen_doc.tekst(doc))
        per_map.setdefault(rel.parent, []).append(item)
    mappen = []
    for rel, items in sorted(per_map.items()):
        sleutel = hashlib.sha256("".join(i.rel.name + i.sleutel for i in items).encode()).hexdigest()
        alle_bronnen = tuple(sorted({b for i in items for b in i.bronnen}))
        mappen.append(_Map(regio, rel, peildatum, items, sleutel, git.commit(alle_bronnen)))
    return mappen


def _vorige_sleutels(map_: Path) -> dict[str, str]:
    """Keys recorded by the previous build of this folder ('' = the folder's own key)."""
    try:
        manifest = json.loads((map_ / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    sleutels = manifest.get("sleutels", {})
    return sleutels if isinstance(sleutels, dict) else {}


_WERK: dict = {}  # shared with forked render workers (set before the pool starts)


def _render(mappen: list[_Map], uitvoer: Path, tijdelijk: Path, sjablonen: Sjablonen, opdracht: Bouwopdracht,
            voortgang: Voortgang | None) -> list[dict]:
    """Render every document whose key changed; copy the others from the previous output."""
    # forked workers inherit this; tasks are only indexes, so the data set is never pickled
    _WERK.update(uitvoer=uitvoer, tijdelijk=tijdelijk, sjablonen=sjablonen, pdf=opdracht.pdf, mappen=mappen)
    totaal = sum(len(m.items) for m in mappen)
    gemaakt: list[dict] = []
    werkers = min(os.cpu_count() or 1, 8)
    if werkers > 1 and totaal > 40 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        # Ctrl-C is for the parent: it stops the pool; workers that also caught it could deadlock
        with context.Pool(werkers, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN)) as pool:
            for uitkomst in pool.imap(_render_index, range(len(mappen)), chunksize=4):
                gemaakt += uitkomst
                if voortgang:
                    voortgang(len(gemaakt), totaal, str(uitkomst[-1]["rel"]) if uitkomst else "")
    else:
        for m in mappen:
            gemaakt += _render_map(m)
            if voortgang:
                voortgang(len(gemaakt), totaal, str(m.rel))
    return gemaakt


def _render_index(index: int) -> list[dict]:
    return _render_map(_WERK["mappen"][index])


def _render_map(m: _Map) -> list[dict]:
    uitvoer, tijdelijk, sjablonen = _WERK["uitvoer"], _WERK["tijdelijk"], _WERK["sjablonen"]
    vorige = _vorige_sleutels(uitvoer / m.rel)
    (tijdelijk / m.rel).mkdir(parents=True, exist_ok=True)
    uitkomst = []
    for item in m.items:
        doel = tijdelijk / item.rel
        oud = uitvoer / item.rel
        hergebruik = vorige.get(item.rel.name) == item.sleutel and oud.is_file() and (
            not _WERK["pdf"] or oud.with_suffix(".pdf").is_file())
        # resolve only what is rendered now, or what the PDF stage needs (signature fields, cover)
        w = weergave(m.regio, item.doc, item.aanbieder, m.peildatum) if _WERK["pdf"] or not hergebruik else None
        if hergebruik:
            shutil.copy2(oud, doel)
            if _WERK["pdf"]:
                shutil.copy2(oud.with_suffix(".pdf"), doel.with_suffix(".pdf"))
        else:
            doel.write_bytes(sjablonen.get(item.doc.sjabloon, m.regio.regio.id).render(w.context))
        uitkomst.append({
            "map": m.rel, "rel": item.rel, "nieuw": not hergebruik, "sha": sha256_bestand(doel),
            "info": pdf_info(w, item.doc.geldig_van) if _WERK["pdf"] else None,
            "omslag": w.context["document"] if w is not None and item.aanbieder is not None else None,
        })
    return uitkomst


def _maak_pdfs(mappen: list[_Map], gemaakt: list[dict], uitvoer: Path, tijdelijk: Path, sjablonen: Sjablonen,
               pdfa: bool, voortgang: Voortgang | None) -> None:
    """PDF of every new document, and per aanbieder a contractpakket.pdf with a cover page.

    LibreOffice's raw PDFs are cached by the .docx hash in <uitvoer>/.cache/ so that a package can be
    merged again without converting documents that did not change.
    """

    cache = uitvoer / ".cache" / ("pdfa" if pdfa else "pdf")
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
        inhoud = sjablonen.get("document", m.regio.regio.id).render(context)
        sha = hashlib.sha256(inhoud).hexdigest()
        omslagen[m.rel] = sha
        if not (cache / f"{sha}.pdf").is_file():
            (lo / f"{sha}.docx").write_bytes(inhoud)
            te_converteren[sha] = lo / f"{sha}.docx"
    for g in gemaakt:
        if not (cache / f"{g['sha']}.pdf").is_file() and g["sha"] not in te_converteren:
            pad = lo / f"{g['sha']}.docx"
            shutil.copyfile(tijdelijk / g["rel"], pad)
            te_converteren[g["sha"]] = pad

    def lo_voortgang(klaar: int, totaal: int) -> None:
        if voortgang:
            voortgang(klaar, totaal, "PDF (LibreOffice)")

    if te_converteren:
        try:
            omgezet = converteer(list(te_converteren.values()), lo, pdfa=pdfa, voortgang=lo_voortgang)
        except ConversieFout as fout:  # name the documents as the user knows them, not the cache files
            bericht = str(fout)
            for g in gemaakt:
                bericht = bericht.replace(f"{g['sha']}.docx", g["rel"].as_posix())
            for map_, sha in omslagen.items():
                bericht = bericht.replace(f"{sha}.docx", f"{map_.as_posix()}/contractpakket.pdf (voorblad)")
            raise ConversieFout(bericht) from fout
        for docx, pdf in omgezet.items():
            os.replace(pdf, cache / f"{docx.stem}.pdf")
    for g in gemaakt:
        if g["nieuw"]:
            voltooi(cache / f"{g['sha']}.pdf", tijdelijk / g["rel"].with_suffix(".pdf"), g["info"], pdfa,
                    (tijdelijk / g["rel"]).read_bytes())
    for m in mappen:
        if m.rel not in omslagen:
            continue
        delen = [(cache / f"{g['sha']}.pdf", g["info"]) for g in per_map[m.rel]]
        titel = f"Contractpakket {m.regio.regio.naam} — {m.items[0].aanbieder.naam}"
        voeg_samen(cache / f"{omslagen[m.rel]}.pdf", delen, tijdelijk / m.rel / "contractpakket.pdf", titel,
                   m.peildatum, pdfa)
    shutil.rmtree(lo)


def _vervang_alle(paren: list[tuple[Path, Path]]) -> None:
    """Swap every finished folder into place, all or nothing: on any failure the old ones come back."""
    weg: list[tuple[Path, Path]] = []  # (doel, where its old version waits)
    geplaatst: list[Path] = []
    try:
        for _, doel in paren:
            if doel.exists():
                oud = doel.with_name(f".oud-{doel.name}-{os.getpid()}")
                os.replace(doel, oud)
                weg.append((doel, oud))
        for nieuw, doel in paren:
            doel.parent.mkdir(parents=True, exist_ok=True)
            os.replace(nieuw, doel)
            geplaatst.append(doel)
    except BaseException:
        for doel in geplaatst:
            shutil.rmtree(doel, ignore_errors=True)
        for doel, oud in weg:
            try:
                os.replace(oud, doel)
            except OSError:
                pass  # left as .oud-: the next build puts it back (_ruim_resten_op)
        raise
    for _, oud in weg:
        shutil.rmtree(oud, ignore_errors=True)


def _schrijf_manifest(map_: Path, m: _Map, opdracht: Bouwopdracht, gemaakt: list[dict]) -> None:
    """What is in this folder, exactly what it was made from, and the keys for the next rebuild."""
    bestanden = {p.name: sha256_bestand(p) for p in sorted(map_.iterdir()) if p.is_file()}
    basis = m.regio.map.parent
    bronnen = {}
    for item in m.items:
        for pad in item.bronnen:
            try:
                naam = pad.resolve().relative_to(basis.resolve()).as_posix()
            except ValueError:
                naam = pad.name
            bronnen[naam] = bestand_hash(pad)
    manifest = {
        "map": m.rel.as_posix(),
        "contractgen": __version__,
        "peildatum": m.peildatum.isoformat(),
        "pdf": opdracht.pdf,
        "pdfa": opdracht.pdfa,
        "data_commit": m.commit,
        "documenten": [
            {"bestand": i.rel.name, "document": i.doc.id, "versie": i.doc.versie, "tekst": i.tekst,
             "geldig_van": i.doc.geldig_van.isoformat(),
             "geldig_tot": i.doc.geldig_tot.isoformat() if i.doc.geldig_tot else None}
            for i in m.items
        ],
        "bestanden": bestanden,
        "bronnen": bronnen,
        "sleutels": {"": m.sleutel, **{i.rel.name: i.sleutel for i in m.items}},
    }
    (map_ / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                        encoding="utf-8")
