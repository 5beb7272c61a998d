"""manifest.json of an output folder: what is in it, what it was made from, and the keys for a rebuild.

A rebuild trusts a file on disk only when its SHA-256 still matches the manifest: a deleted,
truncated or overwritten file is made again (and reported), never copied into the next generation.

Hashing every file made a no-op build of 1,000 aanbieders with PDFs read 2.6 GB, so the build
also records what it saw of each file it wrote (`Bestandsstaat`: inode, size, mtime, ctime and
the hash, in `<uitvoer>/.cache/staat.json`, outside the folders so that manifest.json stays
byte-identical between builds). A file whose four values are unchanged is not read again. No
user tool sets ctime back (touch, rsync and restores renew it), so a file changed by hand is
always hashed; at worst an unchanged file is hashed once more.
"""

from __future__ import annotations

import json
from pathlib import Path

from contractgen import __version__
from contractgen.basis.atomisch import schrijf_bytes
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


def _staat(pad: Path) -> list[int]:
    st = pad.stat()
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class Bestandsstaat:
    """What the last builds saw of the files they wrote: `<rel>/<naam>` → [inode, size, mtime_ns, ctime_ns, sha256]."""

    def __init__(self, uitvoer: Path):
        self.uitvoer = Path(uitvoer)
        self.pad = self.uitvoer / ".cache" / "staat.json"
        try:
            gelezen = json.loads(self.pad.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            gelezen = {}
        self.gezien: dict[str, list] = gelezen if isinstance(gelezen, dict) else {}

    def _sleutel(self, pad: Path) -> str:
        return pad.relative_to(self.uitvoer).as_posix()

    def ongewijzigd(self, pad: Path, sha: str) -> bool:
        """Is `pad` as it stood when a build wrote it with hash `sha` (not touched since)? Raises OSError."""
        try:
            sleutel = self._sleutel(pad)
        except ValueError:
            return False
        return self.gezien.get(sleutel) == [*_staat(pad), sha]

    def leg_vast(self, mappen: list[Path]) -> None:
        """Record the files of these folders (just swapped into place) as their manifests list them."""
        for map_ in mappen:
            voorvoegsel = self._sleutel(map_) + "/"
            for sleutel in [k for k in self.gezien if k.startswith(voorvoegsel) and "/" not in k[len(voorvoegsel):]]:
                del self.gezien[sleutel]
            for naam, sha in (lees(map_).get("bestanden") or {}).items():
                try:
                    self.gezien[voorvoegsel + naam] = [*_staat(map_ / naam), sha]
                except OSError:
                    continue
        # files of folders that are gone (an aanbieder removed, an output folder cleared by hand)
        self.gezien = {k: v for k, v in self.gezien.items() if (self.uitvoer / k).exists()}
        self.pad.parent.mkdir(parents=True, exist_ok=True)
        schrijf_bytes(self.pad, json.dumps(self.gezien, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def klopt(map_: Path, naam: str, manifest: dict, staat: Bestandsstaat | None = None) -> bool:
    """Is file `naam` in `map_` still byte for byte what the manifest recorded?

    Read only when `staat` does not show it untouched since a build wrote it.
    """
    verwacht = (manifest.get("bestanden") or {}).get(naam)
    if not isinstance(verwacht, str):
        return False
    pad = Path(map_) / naam
    try:
        if staat is not None and staat.ongewijzigd(pad, verwacht):
            return True
        return sha256_bestand(pad) == verwacht
    except OSError:
        return False


def beschadigd(map_: Path, manifest: dict | None = None, staat: Bestandsstaat | None = None) -> list[str]:
    """Files the manifest lists that are missing or changed on disk (all of them if there is no manifest)."""
    manifest = lees(map_) if manifest is None else manifest
    bestanden = manifest.get("bestanden")
    if not isinstance(bestanden, dict) or not bestanden:
        return [MANIFEST]
    return sorted(naam for naam in bestanden if not klopt(map_, naam, manifest, staat))


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
