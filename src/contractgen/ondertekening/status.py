"""The signing state of one aanbieder for `contractgen overzicht`.

`ondertekenstatus(aanbieder_map)` gives one of:
niet gebouwd | gebouwd | ondertekend door opdrachtnemer (dd-mm-jjjj) | ondertekend door gemeente
(dd-mm-jjjj) | ondertekend door beide (opdrachtnemer dd-mm-jjjj, gemeente dd-mm-jjjj) |
deels ondertekend (...) | afwijkend document (...) | opnieuw gebouwd na ondertekening: eerdere bouw ....
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from contractgen.basis.namen import veilige_naam
from contractgen.ondertekening.opslag import records
from contractgen.ondertekening.pakketten import PAKKET, lees_pakket
from contractgen.ondertekening.tijd import tijd_tekst
from contractgen.ondertekening.velden import GEMEENTE, OPDRACHTNEMER


def _datum(handtekeningen: list[dict], partij: str) -> str:
    tijden = [str(h["tijdstip"]) for h in handtekeningen if h.get("plaats") == partij and h.get("tijdstip")]
    if not tijden:
        return ""
    return tijd_tekst(datetime.fromisoformat(max(tijden)))[:10]


def _telt(h: dict, plaatsen: dict) -> bool:
    """Whether a recorded signature counts for its place: valid, intact, trusted, and by the party of the
    place as recognised from the certificate (issue 27: a personal certificate in a gemeente place made
    the overview say "ondertekend door beide"). Records are only written for accepted files; this
    also keeps records of older versions from counting what they would refuse now."""
    partij = plaatsen.get(h.get("veld"))
    return bool(h.get("geldig") and h.get("intact") and h.get("vertrouwd", True) and partij is not None
                and h.get("partij") == partij)


def _geldig(record: dict) -> int:
    return sum(1 for h in record.get("handtekeningen", []) if _telt(h, record.get("plaatsen", {})))


def ondertekenstatus(aanbieder_map: Path) -> str:
    """The signing state of the package in `aanbieder_map` (see the module doc)."""
    map_ = Path(aanbieder_map)
    if not (map_ / "manifest.json").is_file():
        return "niet gebouwd"
    pakket = lees_pakket(map_)
    if pakket is None:
        return "gebouwd (zonder contractpakket.pdf)"
    alle = records(map_)
    if not alle:
        return "gebouwd"
    # the most complete copy of the current package; an older copy received later does not undo it
    huidige = [r for r in alle if r.get("pakket", {}).get("sha256") == pakket.huidig.sha256]
    laatste = max(huidige, key=lambda r: (_geldig(r), str(r.get("ontvangen", "")))) if huidige else alle[-1]
    bestand = laatste["_pad"].with_suffix(".pdf")
    try:
        gelijk = hashlib.sha256(bestand.read_bytes()).hexdigest() == laatste.get("sha256")
    except OSError:
        gelijk = False
    if not gelijk:
        return f"afwijkend document ({bestand.name} komt niet overeen met zijn registratie)"
    try:
        pakket_ok = hashlib.sha256((map_ / PAKKET).read_bytes()).hexdigest() == pakket.huidig.sha256
    except OSError:
        pakket_ok = False
    if not pakket_ok:
        return "afwijkend document (contractpakket.pdf is gewijzigd na de bouw)"
    plaatsen = laatste.get("plaatsen", {})
    handtekeningen = [h for h in laatste.get("handtekeningen", []) if _telt(h, plaatsen)]
    getekend = {h.get("veld") for h in handtekeningen}

    def deel(partij: str) -> tuple[int, int]:
        eigen = [n for n, p in plaatsen.items() if p == partij]
        return sum(1 for n in eigen if n in getekend), len(eigen)

    (on, on_tot), (gem, gem_tot) = deel(OPDRACHTNEMER), deel(GEMEENTE)
    on_klaar, gem_klaar = on_tot > 0 and on == on_tot, gem_tot > 0 and gem == gem_tot
    if on_klaar and gem_klaar:
        tekst = (f"ondertekend door beide (opdrachtnemer {_datum(handtekeningen, OPDRACHTNEMER)}, "
                 f"gemeente {_datum(handtekeningen, GEMEENTE)})")
    elif on_klaar and not gem:
        tekst = f"ondertekend door opdrachtnemer ({_datum(handtekeningen, OPDRACHTNEMER)})"
    elif gem_klaar and not on:
        tekst = f"ondertekend door gemeente ({_datum(handtekeningen, GEMEENTE)})"
    else:
        tekst = f"deels ondertekend (opdrachtnemer {on}/{on_tot}, gemeente {gem}/{gem_tot})"
    if laatste.get("pakket", {}).get("sha256") != pakket.huidig.sha256:
        tekst = f"opnieuw gebouwd na ondertekening: eerdere bouw {tekst}"
    return tekst


def aanbieder_map(uitvoer: Path, regio_id: str, jaar: int, aanbieder_id: str) -> Path:
    """`<uitvoer>/<regio>/<jaar>/<aanbieder>`, named as `contractgen build` names it."""
    return Path(uitvoer) / veilige_naam(regio_id) / str(jaar) / veilige_naam(aanbieder_id)

