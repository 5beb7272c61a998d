"""The folders the workplace works on, and the one place where a name from a request becomes a path.

A region, aanbieder or file named in a URL is never joined into a path as typed: it is looked
up among what exists (the region folders below the data folder, the aanbieders the region
loaded, the files a build's manifest lists) and only that found path is used. Anything else is
"not found" (404), whoever asks.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.http import Http404

from contractgen.basis.problemen import Probleem
from contractgen.domein.dataset import RegioData
from contractgen.laden.regio import find_regio_mappen, load_dataset
from contractgen.rapporten.beoordeling import BESTAND as BEOORDEELD


def data_map() -> Path:
    return Path(settings.DATA)


def uitvoer_map() -> Path:
    return Path(settings.UITVOER)


@dataclass(frozen=True)
class RegioMap:
    id: str
    naam: str
    map: Path


_mappen_cache: dict[tuple, dict[str, "RegioMap"]] = {}


def regio_mappen() -> dict[str, RegioMap]:
    """Every region below the data folder by its id (regio.yaml's `id`), also one that does not validate.

    Read again only when a regio.yaml changes (this runs on every request)."""
    mappen = find_regio_mappen(data_map())
    sleutel = tuple((str(m), _stat(m / "regio.yaml")) for m in mappen)
    bewaard = _mappen_cache.get(sleutel)
    if bewaard is not None:
        return bewaard
    uit: dict[str, RegioMap] = {}
    for map_ in mappen:
        try:
            ruw = yaml.safe_load((map_ / "regio.yaml").read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            ruw = {}
        ident = str(ruw.get("id") or map_.name) if isinstance(ruw, dict) else map_.name
        naam = str(ruw.get("naam") or ident) if isinstance(ruw, dict) else ident
        uit[ident] = RegioMap(ident, naam, map_)
    _mappen_cache.clear()
    _mappen_cache[sleutel] = uit
    return uit


def _stat(pad: Path) -> tuple:
    try:
        st = os.stat(pad)
    except OSError:
        return ()
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def regio_map(regio_id: str) -> RegioMap:
    """The region with this id, or 404."""
    gevonden = regio_mappen().get(regio_id)
    if gevonden is None:
        raise Http404("onbekende regio")
    return gevonden


def vingerafdruk_uitvoer(regio_id: str, jaar: int) -> tuple:
    """Changes when a build or a signature changes an aanbieder folder of this region and year: the
    folders, their manifest.json and their ondertekend/ folder (a build swaps whole folders)."""
    jaarmap = uitvoer_map() / regio_id / str(jaar)
    delen: list[tuple] = [("", _stat(uitvoer_map() / ".cache" / "staat.json")), ("", _stat(jaarmap))]
    try:
        namen = sorted(os.listdir(jaarmap))
    except OSError:
        return tuple(delen)
    for naam in namen:
        map_ = jaarmap / naam
        delen.append((naam, _stat(map_), _stat(map_ / "manifest.json"), _stat(map_ / "ondertekend")))
    return tuple(delen)


def vingerafdruk_data(regio_id: str) -> tuple:
    return _vingerafdruk(regio_map(regio_id).map)


def _vingerafdruk(map_: Path) -> tuple:
    """Changes when any file of the region changes (names, sizes, times): cheap enough per request."""
    delen = []
    for wortel, mappen, bestanden in os.walk(map_):
        mappen[:] = sorted(m for m in mappen if not m.startswith("."))
        for naam in sorted(bestanden):
            try:
                st = os.stat(os.path.join(wortel, naam))
            except OSError:
                continue
            delen.append((wortel, naam, st.st_size, st.st_mtime_ns))
    return tuple(delen)


_cache: dict[Path, tuple[tuple, RegioData | None, list[Probleem]]] = {}
_cache_slot = threading.Lock()


def laad_regio(regio_id: str) -> tuple[RegioData | None, list[Probleem]]:
    """The region loaded and schema-validated (as `validate` does), cached until one of its files changes.

    Returns (data, problems); data is None when regio.yaml itself does not load.
    """
    rm = regio_map(regio_id)
    # check-beoordeeld.yaml is no part of the loaded region (rapporten/beoordeling reads it itself each time):
    # a jurist accepting a finding does not make a large region load again
    sleutel = tuple(d for d in _vingerafdruk(rm.map) if (d[0], d[1]) != (str(rm.map), BEOORDEELD))
    with _cache_slot:
        bewaard = _cache.get(rm.map)
        if bewaard and bewaard[0] == sleutel:
            return bewaard[1], bewaard[2]
    regios, problemen = load_dataset(rm.map)
    data = regios[0] if regios else None
    with _cache_slot:
        _cache[rm.map] = (sleutel, data, problemen)
    return data, problemen


def aanbieder_id(data: RegioData, gevraagd: str) -> str:
    """An aanbieder id from a request, checked against the region's aanbieders; else 404."""
    for a in data.aanbieders:
        if a.id == gevraagd:
            return a.id
    raise Http404("onbekende aanbieder")


def gebouwde_bestanden(map_: Path) -> dict[str, Path]:
    """The files a build wrote into one aanbieder folder, by name, as its manifest.json lists them."""
    try:
        manifest = json.loads((map_ / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    namen = manifest.get("bestanden", {})
    if isinstance(namen, dict):
        namen = list(namen)
    uit = {}
    for naam in namen if isinstance(namen, list) else []:
        naam = naam if isinstance(naam, str) else str(naam.get("naam", "")) if isinstance(naam, dict) else ""
        if naam and "/" not in naam and "\\" not in naam and not naam.startswith(".") and (map_ / naam).is_file():
            uit[naam] = map_ / naam
    return uit
