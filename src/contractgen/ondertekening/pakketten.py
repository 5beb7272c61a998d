"""Which built contractpakket a PDF is: the current build, an older build, or none.

A returned PDF is ours when its first bytes are exactly a `contractpakket.pdf` that
`contractgen build` made (signing appends incremental updates, so the bytes that were sent
stay intact). The current package is known from each aanbieder folder's `manifest.json`;
older builds from `bouwhistorie.json` beside it, which the build keeps up to date
(`neem_over`) together with the `ondertekend/` folder.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from contractgen.basis.atomisch import schrijf_bytes
from contractgen.basis.transactie import herstel

PAKKET = "contractpakket.pdf"
HISTORIE = "bouwhistorie.json"
ONDERTEKEND = "ondertekend"


@dataclass
class GebouwdPakket:
    """One build of a package: `{"sha256", "grootte", "peildatum", "contractgen", "data_commit", "documenten"}`."""

    sha256: str
    grootte: int
    peildatum: str | None = None
    contractgen: str | None = None
    data_commit: str | None = None
    documenten: list | None = None

    def als_json(self) -> dict:
        return {"sha256": self.sha256, "grootte": self.grootte, "peildatum": self.peildatum,
                "contractgen": self.contractgen, "data_commit": self.data_commit, "documenten": self.documenten}


@dataclass
class Pakket:
    """A built aanbieder folder `<uitvoer>/<regio>/<jaar>/<aanbieder>/` with a contractpakket."""

    map: Path
    manifest: dict
    huidig: GebouwdPakket
    historie: list[GebouwdPakket]  # every build known, oldest first (includes the current one)

    @property
    def regio(self) -> str:
        return self.map.parent.parent.name

    @property
    def jaar(self) -> str:
        return self.map.parent.name

    @property
    def aanbieder(self) -> str:
        return self.map.name


@dataclass
class Herkenning:
    """What a PDF turned out to be: the package folder, the build it matches and whether that is current."""

    pakket: Pakket
    gebouwd: GebouwdPakket
    nummer: int  # 1-based place of `gebouwd` in the history
    actueel: bool


def _gebouwd_uit_manifest(manifest: dict, grootte: int) -> GebouwdPakket | None:
    sha = (manifest.get("bestanden") or {}).get(PAKKET)
    if not sha:
        return None
    return GebouwdPakket(sha, grootte, manifest.get("peildatum"), manifest.get("contractgen"), manifest.get("data_commit"),
                  [[d.get("document"), d.get("versie")] for d in manifest.get("documenten", [])])


def lees_historie(map_: Path) -> list[GebouwdPakket]:
    """The builds recorded in `<map_>/bouwhistorie.json` (`{"versie": 1, "pakketten": [...]}`), oldest
    first; [] when the file is absent or unreadable (never raises)."""
    try:
        items = json.loads((map_ / HISTORIE).read_text(encoding="utf-8")).get("pakketten", [])
        return [GebouwdPakket(**i) for i in items]
    except (OSError, ValueError, TypeError, AttributeError):
        return []


def lees_pakket(map_: Path) -> Pakket | None:
    """The package in one aanbieder folder, or None when it has no (readable) manifest or contractpakket."""
    try:
        manifest = json.loads((map_ / "manifest.json").read_text(encoding="utf-8"))
        grootte = (map_ / PAKKET).stat().st_size
    except (OSError, ValueError):
        return None
    huidig = _gebouwd_uit_manifest(manifest, grootte)
    if huidig is None:
        return None
    historie = lees_historie(map_)
    if not any(v.sha256 == huidig.sha256 for v in historie):
        historie.append(huidig)
    return Pakket(map_, manifest, huidig, historie)


def alle_pakketten(uitvoer: Path) -> list[Pakket]:
    """Every built package under `uitvoer` (`<regio>/<jaar>/<aanbieder>/manifest.json`)."""
    result = []
    for manifest in sorted(Path(uitvoer).glob("*/*/*/manifest.json")):
        pakket = lees_pakket(manifest.parent)
        if pakket is not None:
            result.append(pakket)
    return result


def herken(data: bytes, uitvoer: Path) -> Herkenning | None:
    """The build whose contractpakket.pdf is the first part of `data` byte for byte; None if there is none.

    A match with a folder's current build wins over a match with an older build.
    """
    prefix_hash: dict[int, str] = {}

    def hash_van(grootte: int) -> str:
        if grootte not in prefix_hash:
            prefix_hash[grootte] = hashlib.sha256(data[:grootte]).hexdigest()
        return prefix_hash[grootte]

    ouder = None
    for pakket in alle_pakketten(uitvoer):
        for nummer, gebouwd in enumerate(pakket.historie, start=1):
            if gebouwd.grootte > len(data) or hash_van(gebouwd.grootte) != gebouwd.sha256:
                continue
            if gebouwd.sha256 == pakket.huidig.sha256:
                return Herkenning(pakket, gebouwd, nummer, True)
            ouder = ouder or Herkenning(pakket, gebouwd, nummer, False)
    return ouder


def neem_over(oud: Path, nieuw: Path) -> None:
    """Before a rebuilt folder `nieuw` replaces `oud`: carry over `ondertekend/` and the build history.

    The history gets the old and the new package (deterministic entries, no timestamps), so a
    package signed before this rebuild is still recognised as an older version.
    """
    historie = lees_historie(oud)
    for map_ in (oud, nieuw):
        pakket = lees_pakket(map_)
        if pakket is not None and not any(v.sha256 == pakket.huidig.sha256 for v in historie):
            historie.append(pakket.huidig)
    if historie and (nieuw / PAKKET).exists() or (oud / HISTORIE).exists():
        inhoud = {"versie": 1, "pakketten": [v.als_json() for v in historie]}
        schrijf_bytes(nieuw / HISTORIE, (json.dumps(inhoud, indent=2, ensure_ascii=False) + "\n").encode())
    herstel(oud)  # a store of a signed PDF that was killed halfway: finished or undone before it is carried
    if (oud / ONDERTEKEND).is_dir() and not (nieuw / ONDERTEKEND).exists():
        shutil.copytree(oud / ONDERTEKEND, nieuw / ONDERTEKEND)
