"""Stage 5, export: write every package into the output folder, atomically.

Everything is written to a temporary folder beside the output first and moved into
place per finished folder, so an interrupted or failed build leaves the previous
output as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
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


def bouw(opdracht: Bouwopdracht, voortgang: Voortgang | None = None) -> Bouwresultaat:
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
    tijdelijk = Path(tempfile.mkdtemp(prefix=".bouw-", dir=uitvoer))
    resultaat = Bouwresultaat()
    try:
        for n, (regio, rel, doc, aanbieder) in enumerate(alle, start=1):
            peildatum = opdracht.peildatum or regio.regio.standaard_peildatum
            w = weergave(regio, doc, aanbieder, peildatum)
            sjabloon = sjablonen.get(doc.sjabloon, regio.regio.id)
            doel = tijdelijk / rel
            doel.parent.mkdir(parents=True, exist_ok=True)
            doel.write_bytes(sjabloon.render(w.context))
            if voortgang:
                voortgang(n, len(alle), str(rel))
        mappen = sorted({rel.parent for _, rel, _, _ in alle})
        for map_ in mappen:
            _schrijf_manifest(tijdelijk / map_, map_, opdracht, regios)
        for map_ in mappen:
            _vervang(tijdelijk / map_, uitvoer / map_)
            resultaat.mappen.append(uitvoer / map_)
            resultaat.bestanden += sorted((uitvoer / map_).iterdir())
    finally:
        shutil.rmtree(tijdelijk, ignore_errors=True)
    return resultaat


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


def _schrijf_manifest(map_: Path, rel: Path, opdracht: Bouwopdracht, regios: list[RegioData]) -> None:
    bestanden = {p.name: sha256(p) for p in sorted(map_.iterdir()) if p.is_file()}
    manifest = {
        "map": rel.as_posix(),
        "contractgen": __version__,
        "peildatum": (opdracht.peildatum.isoformat() if opdracht.peildatum else None),
        "bestanden": bestanden,
    }
    (map_ / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                        encoding="utf-8")
