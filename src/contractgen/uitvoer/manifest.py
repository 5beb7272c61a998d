"""manifest.json of an output folder: what is in it, what it was made from, and the keys for a rebuild.

A rebuild trusts a file on disk only when its SHA-256 still matches the manifest: a deleted,
truncated or overwritten file is made again (and reported), never copied into the next generation.
"""

from __future__ import annotations

import json
from pathlib import Path

from contractgen import __version__
from contractgen.basis.hashing import sha256_bestand
from contractgen.uitvoer.bronnen import bestand_hash
from contractgen.uitvoer.plan import Bouwopdracht, MapPlan

MANIFEST = "manifest.json"


def lees(map_: Path) -> dict:
    """The manifest of an output folder, {} when it is missing or unreadable."""
    try:
        manifest = json.loads((Path(map_) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def sleutels(manifest: dict) -> dict[str, str]:
    """Keys recorded by the previous build of a folder ('' = the folder's own key)."""
    waarde = manifest.get("sleutels", {})
    return waarde if isinstance(waarde, dict) else {}


def klopt(map_: Path, naam: str, manifest: dict) -> bool:
    """Is file `naam` in `map_` still byte for byte what the manifest recorded?"""
    verwacht = (manifest.get("bestanden") or {}).get(naam)
    if not isinstance(verwacht, str):
        return False
    try:
        return sha256_bestand(Path(map_) / naam) == verwacht
    except OSError:
        return False


def beschadigd(map_: Path, manifest: dict | None = None) -> list[str]:
    """Files the manifest lists that are missing or changed on disk (all of them if there is no manifest)."""
    manifest = lees(map_) if manifest is None else manifest
    bestanden = manifest.get("bestanden")
    if not isinstance(bestanden, dict) or not bestanden:
        return [MANIFEST]
    return sorted(naam for naam in bestanden if not klopt(map_, naam, manifest))


def schrijf(map_: Path, m: MapPlan, opdracht: Bouwopdracht, handtekeningvelden: dict[str, str] | None = None) -> None:
    """What is in this folder, exactly what it was made from, and the keys for the next rebuild.

    `handtekeningvelden`: contractpakket.pdf's signature fields, name → party (gemeenten,
    opdrachtnemer, paraaf); signing and `ontvangen` take the party from here, not from the name.
    """
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
    if handtekeningvelden:
        manifest["handtekeningvelden"] = handtekeningvelden
    (map_ / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                 encoding="utf-8")
