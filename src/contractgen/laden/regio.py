"""Load a whole data set (one region or a folder of regions) into typed models.

Every file is loaded and validated even when others fail, so one run reports all
problems. Each model keeps its origin (file name and raw located data) so that
later checks can point at a line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from contractgen.basis.namen import display_path
from contractgen.basis.problemen import Probleem
from contractgen.basis.transactie import herstel
from contractgen.domein.dataset import Herkomst, RegioData
from contractgen.domein.model import (
    Aanbieder,
    Document,
    Regio,
    TariefSet,
    Transformatietabel,
)
from contractgen.laden.bestand import Geladen, load_file
from contractgen.laden.validatie import validate_model

MAPPEN: dict[str, type[BaseModel]] = {"documenten": Document, "aanbieders": Aanbieder}


def find_regio_mappen(pad: Path) -> list[Path]:
    """A region folder itself, or every region folder directly below `pad`."""
    pad = Path(pad)
    if (pad / "regio.yaml").is_file():
        return [pad]
    if pad.is_dir():
        return sorted(p for p in pad.iterdir() if (p / "regio.yaml").is_file())
    return []


def load_dataset(pad: Path) -> tuple[list[RegioData], list[Probleem]]:
    """Load and schema-validate every region below `pad`."""
    pad = Path(pad)
    if not pad.exists():
        return [], [Probleem(str(pad), 0, 0, "", "de map bestaat niet; geef de map met contractdata op (bijv. contracts_data)")]
    mappen = find_regio_mappen(pad)
    if not mappen:
        return [], [Probleem(display_path(pad), 0, 0, "",
                             "geen regio gevonden; verwacht een map met regio.yaml of mappen met elk een regio.yaml")]
    regios, problemen = [], []
    for regio_map in mappen:
        herstel(regio_map)  # finish or undo what a killed command left, before reading
        data, p = _load_regio(regio_map)
        problemen += p
        if data is not None:
            regios.append(data)
    return regios, problemen


def _load_regio(regio_map: Path) -> tuple[RegioData | None, list[Probleem]]:
    problemen: list[Probleem] = []

    def laad(bestand: Path, model: type[BaseModel]) -> tuple[BaseModel | None, Geladen]:
        geladen = load_file(bestand)
        problemen.extend(geladen.problemen)
        obj, p = validate_model(geladen, model)
        problemen.extend(p)
        return obj, geladen

    regio, geladen_regio = laad(regio_map / "regio.yaml", Regio)
    if not isinstance(regio, Regio):
        return None, problemen
    data = RegioData(regio_map, regio, bestanden=[regio_map / "regio.yaml"])
    data.herkomst[id(regio)] = Herkomst(geladen_regio.naam, geladen_regio.data, Path(geladen_regio.pad))

    echt = os.path.realpath(regio_map)
    # hidden folders (.contractgen/ with the lock and journal of writing commands, .git) are not data
    for sub in sorted(p for p in regio_map.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if (probleem := _koppeling(sub, echt)) is not None:
            problemen.append(probleem)
            continue
        for bestand in sorted(sub.rglob("*")):
            if bestand.suffix not in (".yaml", ".yml"):
                continue
            if (probleem := _koppeling(bestand, echt)) is not None:
                problemen.append(probleem)
                continue
            if bestand.is_dir():
                continue
            data.bestanden.append(bestand)
            model = _model_voor(sub.name, bestand)
            if model is None:
                problemen.append(Probleem(display_path(bestand), 0, 0, "",
                                          f"onbekende map '{sub.name}'; verwacht documenten, tarieven of aanbieders"))
                continue
            obj, geladen = laad(bestand, model)
            if obj is None:
                data.onvolledig |= _ids_in(geladen.data)
                continue
            data.herkomst[id(obj)] = Herkomst(geladen.naam, geladen.data, Path(geladen.pad))
            if isinstance(obj, Document):
                data.documenten.append(obj)
            elif isinstance(obj, TariefSet):
                data.tariefsets.append(obj)
            elif isinstance(obj, Transformatietabel):
                data.transformaties.append(obj)
            elif isinstance(obj, Aanbieder):
                data.aanbieders.append(obj)
    return data, problemen


def _koppeling(pad: Path, regio_echt: str) -> Probleem | None:
    """A symbolic link that loops, or that leads out of the region folder: refused with its path (a link out
    would make `validate` read, and a writing command replace, a file elsewhere)."""
    if not pad.is_symlink():
        return None
    try:
        doel = os.path.realpath(pad, strict=True)
    except (OSError, RuntimeError) as fout:
        if isinstance(fout, FileNotFoundError):
            return Probleem(display_path(pad), 0, 0, "", f"symbolische koppeling naar '{os.readlink(pad)}', dat niet "
                                                         "bestaat; verwijder de koppeling of zet het bestand zelf hier")
        return Probleem(display_path(pad), 0, 0, "", "symbolische koppeling in een kring (verwijst uiteindelijk naar "
                                                     "zichzelf); verwijder de koppeling en zet het bestand zelf hier")
    if os.path.commonpath([regio_echt, doel]) != regio_echt:
        return Probleem(display_path(pad), 0, 0, "", f"symbolische koppeling naar '{doel}', buiten de map van de "
                                                     "regio; zet het bestand zelf in de regio (een koppeling naar "
                                                     "buiten wordt niet gelezen of geschreven)")
    return None


def _ids_in(raw: Any) -> set[str]:
    if isinstance(raw, dict):
        eigen = {raw["id"]} if isinstance(raw.get("id"), str) else set()
        return eigen.union(*(_ids_in(v) for v in raw.values()))
    if isinstance(raw, list):
        return set().union(*(_ids_in(v) for v in raw))
    return set()


def _model_voor(map_naam: str, bestand: Path) -> type[BaseModel] | None:
    if map_naam == "tarieven":
        # A transformatietabel has rules; a tariff set has arrangements or groups.
        try:
            head = bestand.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return TariefSet
        return Transformatietabel if "\nregels:" in "\n" + head else TariefSet
    return MAPPEN.get(map_naam)
