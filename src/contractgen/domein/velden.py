"""Inline fields in contract text: `[[looptijd.van|lang]]`, `[[aanbieder.naam]]`, `[[ref:dvo:art-3.2]]`.

Deliberately not a template language: a closed set of names, no expressions, so
text from the data can never run code or reach other data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from contractgen.basis.formaat import datum_tekst
from contractgen.basis.suggesties import hint
from contractgen.basis.tekst import sluit_bidi

VELD = re.compile(r"\[\[([^\[\]]*)\]\]")

DATUM_FORMATEN = ("", "kort", "lang")

# Names a text may use; `var.*` and `ref:*` are checked against the data.
VASTE_NAMEN = {
    "looptijd.van", "looptijd.tot", "jaar", "regio.naam",
    "aanbieder.naam", "aanbieder.kvk", "aanbieder.agb", "aanbieder.domeinen",
    "aanbieder.vertegenwoordiger.naam", "aanbieder.vertegenwoordiger.functie",
    "aanbieder.adres",
}


@dataclass(frozen=True)
class Veld:
    naam: str
    formaat: str
    tekst: str  # as written, for messages


def velden_in(tekst: str) -> list[Veld]:
    result = []
    for m in VELD.finditer(tekst):
        naam, _, formaat = m.group(1).partition("|")
        result.append(Veld(naam.strip(), formaat.strip(), m.group(0)))
    return result


def controleer_veld(veld: Veld, variabelen: set[str], bestaat_ref: Callable[[str, str], bool],
                    berekeningen: frozenset[str] = frozenset()) -> str | None:
    """Why this field is not valid, or None when it is."""
    if veld.naam.startswith("ref:"):
        delen = veld.naam.split(":")
        if len(delen) != 3 or not all(delen[1:]):
            return f"ongeldige verwijzing '{veld.tekst}'; verwacht [[ref:DOCUMENT:ID]]"
        if not bestaat_ref(delen[1], delen[2]):
            return f"verwijzing '{veld.tekst}' wijst naar niets: document '{delen[1]}' heeft geen artikel of lid '{delen[2]}'"
        return None
    if veld.naam.startswith("var."):
        if veld.naam[4:] not in variabelen:
            bekend = ", ".join(sorted(variabelen)) or "geen"
            return f"onbekende variabele '{veld.tekst}'; dit document kent: {bekend}"
        return None
    if re.fullmatch(r"aanbieder\.rol\.[a-z0-9_-]+\.(naam|functie|email|telefoon)", veld.naam) or \
            re.fullmatch(r"aanbieder\.waarde\.[a-z0-9_-]+", veld.naam):
        return None
    if veld.naam.startswith("bereken."):
        if veld.naam[8:] not in berekeningen:
            return f"onbekende berekening '{veld.tekst}'; regio.yaml kent: {', '.join(sorted(berekeningen)) or 'geen'}"
        return None
    if veld.naam not in VASTE_NAMEN:
        suggestie = hint(veld.naam, sorted(VASTE_NAMEN), vorm="'[[{}]]'")
        return f"onbekend veld '{veld.tekst}'{suggestie}"
    if veld.naam.startswith("looptijd.") and veld.formaat not in DATUM_FORMATEN:
        return f"onbekend datumformaat '{veld.formaat}' in '{veld.tekst}'; verwacht kort of lang"
    return None


@dataclass
class Invulling:
    """What the fields of one document (for one aanbieder) resolve to."""

    waarden: dict[str, str | date] = field(default_factory=dict)
    ref: Callable[[str, str], str] | None = None
    velden_tonen: bool = False  # a field without value stays "[[aanbieder.naam]]" (diff), not blank

    def vul_in(self, tekst: str) -> str:
        if "[[" not in tekst:
            return tekst
        return VELD.sub(self._vervang, tekst)

    def _vervang(self, m: re.Match) -> str:
        naam, _, formaat = m.group(1).partition("|")
        naam, formaat = naam.strip(), formaat.strip()
        if naam.startswith("ref:") and self.ref:
            delen = naam.split(":", 2)
            return self.ref(delen[1], delen[2]) if len(delen) == 3 else m.group(0)  # validate reports it
        waarde = self.waarden.get(naam)
        if waarde is None:  # aanbieder-velden in een document zonder aanbieder: invulruimte
            return m.group(0) if self.velden_tonen else ""
        if isinstance(waarde, date):
            return datum_tekst(waarde, formaat)
        return sluit_bidi(str(waarde))  # a provider name must not reverse the rest of the sentence
