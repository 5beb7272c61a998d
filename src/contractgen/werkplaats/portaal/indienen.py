"""Submitting an aanbieder's answers: written through the Excel import (`intake.aanbieders.importeer`).

The form's values become one row of a CSV in a private temporary folder, read by the same
function as `contractgen aanbieders importeer --bijwerken` (so the same model, integrity checks
and NVT rules of bijlage 3 judge it, all-or-nothing). Each problem names a column of that row;
`VELD_VAN_KOLOM` turns it back into the form field, so the page shows the library's words at
the field the person typed in.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from contractgen.basis.problemen import ContractgenFout
from contractgen.basis.transactie import Auteur, sha256_van, wie_wijzigde
from contractgen.domein import model as m
from contractgen.intake.aanbieders import importeer

# form field -> import column (intake.kolommen)
VASTE_VELDEN = {
    "kvk": "kvk",
    "contact_naam": "contactpersoon",
    "contact_functie": "contactpersoon functie",
    "contact_email": "contactpersoon e-mail",
    "contact_telefoon": "contactpersoon telefoon",
}


@dataclass
class Uitkomst:
    geschreven: bool
    fouten: dict[str, list[str]] = field(default_factory=dict)  # form field ('' = the whole form) -> messages
    waarschuwingen: list[str] = field(default_factory=list)
    veranderd: bool = False  # refused because the file changed since the form was shown


def rij(aanbieder: m.Aanbieder, waarden: dict, eis_ids: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(header, cells, form field per column) of the one import row for these form values."""
    kop, cellen, velden = ["id", "naam"], [aanbieder.id, aanbieder.naam], ["", ""]
    for veld, kolom in VASTE_VELDEN.items():
        kop.append(kolom)
        cellen.append(str(waarden.get(veld) or ""))
        velden.append(veld)
    for eis in eis_ids:
        kop += [eis, f"motivatie {eis}"]
        cellen += [str(waarden.get(f"antwoord_{eis}") or ""), str(waarden.get(f"motivatie_{eis}") or "")]
        velden += [f"antwoord_{eis}", f"motivatie_{eis}"]
    return kop, cellen, velden


def dien_in(regio_map: Path, aanbieder: m.Aanbieder, waarden: dict, eis_ids: list[str], proef: bool = False,
            *, auteur: Auteur | None = None, git: bool = False, versie: str | None = None,
            bestand: Path | None = None) -> Uitkomst:
    """Check (and unless `proef`, write) the answers; never raises for what the person typed.

    `auteur`, `git`: the transaction's (the person as author of the git commit). `versie`: sha256 of
    the aanbieder's `bestand` when the form was shown; when the file changed since, nothing is
    written and the message says who changed it (the import then guards its own read-to-write span).
    """
    if versie is not None and bestand is not None and sha256_van(bestand) != versie:
        return Uitkomst(False, {"": [f"Uw gegevens zijn intussen gewijzigd {wie_wijzigde(regio_map, bestand)}; er is "
                                     "niets ingediend. Uw antwoorden staan hieronder nog: controleer ze en kies "
                                     "opnieuw Indienen."]}, veranderd=True)
    kop, cellen, velden = rij(aanbieder, waarden, eis_ids)
    with tempfile.TemporaryDirectory(prefix="contractgen-portaal-") as tijdelijk:
        csv_bestand = Path(tijdelijk) / f"portaal-{aanbieder.id}.csv"
        with open(csv_bestand, "w", encoding="utf-8", newline="") as f:
            schrijver = csv.writer(f, delimiter=";")
            schrijver.writerow(kop)
            schrijver.writerow(cellen)
        try:
            resultaat = importeer(csv_bestand, regio_map, bijwerken=True, proef=proef, auteur=auteur, git=git)
        except ContractgenFout as fout:
            uitkomst = Uitkomst(False)
            for p in fout.problemen:
                if p.ernst != "fout":
                    continue
                veld = velden[p.kolom - 1] if 0 < p.kolom <= len(velden) else ""
                if veld.startswith("antwoord_") and "gemotiveerd" in p.bericht:
                    veld = "motivatie_" + veld.removeprefix("antwoord_")  # the field that is missing
                uitkomst.fouten.setdefault(veld, []).append(_zin(p.bericht))
            if not uitkomst.fouten:  # the file changed meanwhile, or another writer holds the region
                uitkomst.fouten[""] = [_zin(r) for r in fout.meldingen()] + ([_zin(fout.slot() or "")]
                                                                            if fout.slot() else [])
            return uitkomst
    return Uitkomst(resultaat.geschreven, {}, [_zin(w.bericht) for w in resultaat.waarschuwingen])


def _zin(tekst: str) -> str:
    """The library's message as a sentence on a page (capital, full stop)."""
    tekst = tekst.strip()
    if not tekst:
        return tekst
    tekst = tekst[0].upper() + tekst[1:]
    return tekst if tekst.endswith((".", "?", "!")) else tekst + "."
