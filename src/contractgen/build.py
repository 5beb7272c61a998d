"""Stage 5, export: write every package into the output folder, atomically.

Everything is written to a temporary folder beside the output first and moved into
place per finished folder, so an interrupted or failed build leaves the previous
output as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from contractgen import __version__
from contractgen.dataset import RegioData, load_valid
from contractgen.model import Aanbieder
from contractgen.problems import DataFout, Probleem
from contractgen.render import Sjablonen, standaard_sjablonen_map
from contractgen.resolve import algemene_documenten, pakket, veilige_naam, weergave

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


@dataclass
class Bouwresultaat:
    bestanden: list[Path] = field(default_factory=list)
    mappen: list[Path] = field(default_factory=list)


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
class _Gemaakt:
    regio: RegioData
    rel: Path
    weergave: object
    docx: bytes
    peildatum: date


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
    for pad in sorted(uitvoer.glob("**/.oud-*")):
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
    regios = load_valid(opdracht.data_pad)
    bekend = {a.id for r in regios for a in r.aanbieders}
    onbekend = [a for a in opdracht.aanbieders if a not in bekend]
    if onbekend:
        raise DataFout([Probleem(str(opdracht.data_pad), 0, 0, "--aanbieder",
                                 f"onbekende aanbieder '{a}'; bekend zijn: {', '.join(sorted(bekend))}") for a in onbekend])
    sjablonen = Sjablonen(opdracht.sjablonen or standaard_sjablonen_map())
    alle = [(regio, *taak) for regio in regios for taak in _taken(regio, opdracht)]

    uitvoer = Path(opdracht.uitvoer)
    uitvoer.mkdir(parents=True, exist_ok=True)
    tijdelijk = Path(tempfile.mkdtemp(prefix=f".bouw-{os.getpid()}-", dir=uitvoer))  # pid: see _ruim_resten_op
    resultaat = Bouwresultaat()
    try:
        gemaakt: list[_Gemaakt] = []
        for n, (regio, rel, doc, aanbieder) in enumerate(alle, start=1):
            peildatum = opdracht.peildatum or regio.regio.standaard_peildatum
            w = weergave(regio, doc, aanbieder, peildatum)
            inhoud = sjablonen.get(doc.sjabloon, regio.regio.id).render(w.context)
            doel = tijdelijk / rel
            doel.parent.mkdir(parents=True, exist_ok=True)
            doel.write_bytes(inhoud)
            gemaakt.append(_Gemaakt(regio, rel, w, inhoud, peildatum))
            if voortgang:
                voortgang(n, len(alle), str(rel))
        if opdracht.pdf:
            _maak_pdfs(tijdelijk, gemaakt, sjablonen, opdracht.pdfa, voortgang)
        mappen = sorted({rel.parent for _, rel, _, _ in alle})
        for map_ in mappen:
            _schrijf_manifest(tijdelijk / map_, map_, opdracht, [g for g in gemaakt if g.rel.parent == map_])
        for map_ in mappen:
            _vervang(tijdelijk / map_, uitvoer / map_)
            resultaat.mappen.append(uitvoer / map_)
            resultaat.bestanden += sorted((uitvoer / map_).iterdir())
    finally:
        shutil.rmtree(tijdelijk, ignore_errors=True)
    return resultaat


def _maak_pdfs(tijdelijk: Path, gemaakt: list[_Gemaakt], sjablonen: Sjablonen, pdfa: bool,
               voortgang: Voortgang | None) -> None:
    """Every document as PDF, and per aanbieder one contractpakket.pdf with a cover page."""
    from contractgen.libreoffice import converteer
    from contractgen.pdf import voeg_samen, voltooi
    from contractgen.resolve import omslag, pdf_info

    lo = tijdelijk / "_libreoffice"
    lo.mkdir()
    invoer: list[Path] = []
    for i, g in enumerate(gemaakt):
        invoer.append(lo / f"d{i:05d}.docx")
        invoer[-1].write_bytes(g.docx)
    pakketten: dict[Path, list[int]] = {}
    for i, g in enumerate(gemaakt):
        if g.weergave.aanbieder is not None:
            pakketten.setdefault(g.rel.parent, []).append(i)
    omslagen: dict[Path, Path] = {}
    for j, (map_, indexen) in enumerate(sorted(pakketten.items())):
        eerste = gemaakt[indexen[0]]
        context = omslag(eerste.regio, eerste.weergave.aanbieder, [gemaakt[i].weergave for i in indexen],
                         eerste.peildatum)
        pad = lo / f"o{j:05d}.docx"
        pad.write_bytes(sjablonen.get("document", eerste.regio.regio.id).render(context))
        invoer.append(pad)
        omslagen[map_] = pad.with_suffix(".pdf")

    def lo_voortgang(klaar: int, totaal: int) -> None:
        if voortgang:
            voortgang(klaar, totaal, "PDF (LibreOffice)")

    converteer(invoer, lo, pdfa=pdfa, voortgang=lo_voortgang)
    infos = []
    for i, g in enumerate(gemaakt):
        info = pdf_info(g.weergave, g.weergave.document.geldig_van)
        infos.append(info)
        voltooi(lo / f"d{i:05d}.pdf", tijdelijk / g.rel.with_suffix(".pdf"), info, pdfa, g.docx)
    for map_, indexen in sorted(pakketten.items()):
        eerste = gemaakt[indexen[0]]
        titel = f"Contractpakket {eerste.regio.regio.naam} — {eerste.weergave.aanbieder.naam}"
        voeg_samen(omslagen[map_], [(lo / f"d{i:05d}.pdf", infos[i]) for i in indexen],
                   tijdelijk / map_ / "contractpakket.pdf", titel, eerste.peildatum, pdfa)
    shutil.rmtree(lo)


def _vervang(nieuw: Path, doel: Path) -> None:
    """Swap a finished folder into place; the old one is removed only after the swap."""
    doel.parent.mkdir(parents=True, exist_ok=True)
    oud = None
    if doel.exists():
        oud = doel.with_name(f".oud-{doel.name}-{os.getpid()}")
        os.replace(doel, oud)
    os.replace(nieuw, doel)
    if oud is not None:
        shutil.rmtree(oud, ignore_errors=True)


def sha256(pad: Path) -> str:
    return hashlib.sha256(pad.read_bytes()).hexdigest()


def _schrijf_manifest(map_: Path, rel: Path, opdracht: Bouwopdracht, gemaakt: list[_Gemaakt]) -> None:
    """What is in this folder, and exactly what it was made from."""
    bestanden = {p.name: sha256(p) for p in sorted(map_.iterdir()) if p.is_file()}
    regio = gemaakt[0].regio if gemaakt else None
    bronnen = {}
    if regio is not None:
        for pad in sorted(regio.bestanden):
            bronnen[pad.relative_to(regio.map.parent).as_posix()] = sha256(pad)
    manifest = {
        "map": rel.as_posix(),
        "contractgen": __version__,
        "peildatum": gemaakt[0].peildatum.isoformat() if gemaakt else None,
        "pdfa": opdracht.pdfa,
        "data_commit": _git_commit(regio.map) if regio else None,
        "documenten": [
            {"bestand": g.rel.name, "document": g.weergave.document.id, "versie": g.weergave.document.versie,
             "geldig_van": g.weergave.document.geldig_van.isoformat(),
             "geldig_tot": g.weergave.document.geldig_tot.isoformat() if g.weergave.document.geldig_tot else None}
            for g in gemaakt
        ],
        "bestanden": bestanden,
        "bronnen": bronnen,
    }
    (map_ / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                        encoding="utf-8")


def _git_commit(map_: Path) -> str | None:
    """The commit of the data, or None outside git; '+gewijzigd' when the data has local changes."""
    import subprocess

    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=map_, capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=map_, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("+gewijzigd" if status else "")
