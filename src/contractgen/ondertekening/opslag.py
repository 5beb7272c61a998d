"""Signed copies and their records in `<uitvoer>/<regio>/<jaar>/<aanbieder>/ondertekend/`.

Per accepted PDF two files, written together as one transaction of the aanbieder's output folder
(basis/transactie.py: never a PDF without its record), with the output folder's build lock held so that a
build, which carries `ondertekend/` into the new folder, cannot run meanwhile:
`contractpakket-<sha256[:12]>.pdf` (the bytes as received or signed) and
`contractpakket-<sha256[:12]>.json`, the record:

    {"versie": 1, "bestand", "sha256", "ontvangen" (ISO time), "bron" (the name it came in as),
     "soort" ("ontvangen" | "ondertekend door gemeente"), "regio", "jaar", "aanbieder",
     "pakket": {"sha256", "grootte", "peildatum"},
     "handtekeningen": [{"veld", "plaats", "ondertekenaar", "partij", "tijdstip", "intact", "geldig",
                         "vertrouwd", "tijdstempel", "oordeel", "wijzigingen"}],
     "open": [veldnaam, ...], "plaatsen": {veldnaam: partij}}

A refused PDF is never stored.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from contractgen.basis.namen import display_path
from contractgen.basis.transactie import Auteur, Transactie, herstel, slot
from contractgen.ondertekening.pakketten import ONDERTEKEND

BOUWSLOT = ".cache/bouw.lock"  # the build's lock of the output folder (uitvoer/slot.py)

if TYPE_CHECKING:  # only the type: reading records for the overview must not load pyHanko
    from contractgen.ondertekening.ontvangst import Beoordeling

RECORD_VERSIE = 1


def bewaar(c: Beoordeling, soort: str, bron: str, *, auteur: Auteur | None = None,
           git: bool = False) -> tuple[Path, bool]:
    """Store an accepted check's PDF and record; returns (pdf path, newly stored).

    Raises ValueError when `c` was refused (a refused PDF is stored nowhere); BezetFout when a build or
    another store holds the output folder for longer than a few seconds. With git=True the PDF and its
    record are committed in the output folder's repository (made there when there is none: a rebuild
    replaces the aanbieder folder, the output folder stays).
    """
    if not c.geaccepteerd or c.herkenning is None:
        raise ValueError("een geweigerd bestand wordt niet opgeslagen")
    pakket = c.herkenning.pakket
    sha = hashlib.sha256(c.data).hexdigest()
    map_ = pakket.map / ONDERTEKEND
    pdf = map_ / f"contractpakket-{sha[:12]}.pdf"
    record = pdf.with_suffix(".json")
    handeling = f"{soort}: {bron} ({pakket.regio} {pakket.jaar}, {pakket.aanbieder})"
    uitvoer = pakket.map.parents[2]
    with slot(uitvoer / BOUWSLOT, handeling, f"de uitvoermap '{display_path(uitvoer)}' wordt gebruikt"), \
            Transactie(pakket.map, handeling, auteur=auteur, git=git, repo=uitvoer) as tx:
        if pdf.is_file() and record.is_file() and hashlib.sha256(pdf.read_bytes()).hexdigest() == sha:
            return pdf, False
        inhoud = {
            "versie": RECORD_VERSIE, "bestand": pdf.name, "sha256": sha,
            "ontvangen": datetime.now(timezone.utc).isoformat(timespec="seconds"), "bron": bron, "soort": soort,
            "regio": pakket.regio, "jaar": pakket.jaar, "aanbieder": pakket.aanbieder,
            "pakket": {"sha256": c.herkenning.gebouwd.sha256, "grootte": c.herkenning.gebouwd.grootte,
                       "peildatum": c.herkenning.gebouwd.peildatum},
            "handtekeningen": [h.als_json() for h in c.handtekeningen],
            "open": [p.naam for p in c.open],
            "plaatsen": {p.naam: p.partij for p in c.plaatsen},
        }
        tx.schrijf(pdf, c.data)
        tx.schrijf(record, (json.dumps(inhoud, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return pdf, True


def records(aanbieder_map: Path) -> list[dict]:
    """The records in `<aanbieder_map>/ondertekend/`, oldest first; unreadable ones are skipped.

    A store that was killed halfway is finished or undone first (basis/transactie.py)."""
    herstel(Path(aanbieder_map))
    result = []
    for pad in sorted((Path(aanbieder_map) / ONDERTEKEND).glob("contractpakket-*.json")):
        try:
            record = json.loads(pad.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict):
            record["_pad"] = pad
            result.append(record)
    return sorted(result, key=lambda r: (str(r.get("ontvangen", "")), len(r.get("handtekeningen", []))))
