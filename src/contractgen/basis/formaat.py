"""Dutch notation of amounts, dates and percentages, as the contracts print them (seed 001)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli",
           "augustus", "september", "oktober", "november", "december"]


def bedrag_tekst(bedrag: Decimal | None) -> str:
    """`€ 2.100` or `€ 16,50`: cents only when there are any; `€` alone for an open amount (None)."""
    if bedrag is None:
        return "€"
    geheel, _, centen = f"{bedrag:.2f}".partition(".")
    geheel = f"{int(geheel):,}".replace(",", ".")
    return f"€ {geheel}" if centen == "00" else f"€ {geheel},{centen}"


def datum_tekst(d: date, formaat: str = "") -> str:
    """`01-01-2018` (default), `1-1-2018` (kort) or `1 januari 2018` (lang)."""
    if formaat == "kort":
        return f"{d.day}-{d.month}-{d.year}"
    if formaat == "lang":
        return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def procent_tekst(p: Decimal) -> str:
    """A change in percent with its sign: `+3,6 %`, `-0,5 %`, `0,0 %`."""
    teken = "+" if p > 0 else "-" if p < 0 else ""
    return f"{teken}{abs(p):.1f} %".replace(".", ",")


BEDRAG_UITLEG = ("verwacht een bedrag in euro's zoals 80000, 80.000, 80.000,50 of € 80.000 (een punt tussen de "
                 "duizendtallen, een komma voor de centen; zonder 'ca.' of andere woorden)")


def lees_bedrag(getypt: str) -> str:
    """An amount as a person types it (intake cell, form field) → as the data writes it ('80000', '16.50').

    Accepts the Dutch notation (`80.000`, `80.000,50`, `16,50`, `€ 80.000`, `80.000,-`) and the data's own
    (`16.50`). Raises ValueError with a Dutch message quoting `getypt` and saying what is allowed. One reader
    for every face: the intake accepted `2.100.000` while the aanbieder form refused it (issue 25).
    """
    kaal = getypt.strip().replace("€", "").replace(" ", "").replace("\u00a0", "").removesuffix(",-")
    if "," in kaal and re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{1,2}|\d+,\d{1,2}", kaal):  # Dutch notation: 250.000,50
        return kaal.replace(".", "").replace(",", ".")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", kaal):  # 250.000: thousands separators
        return kaal.replace(".", "")
    if re.fullmatch(r"\d+(\.\d{1,2})?", kaal):
        return kaal
    raise ValueError(f"ongeldig bedrag '{getypt.strip()}'; {BEDRAG_UITLEG}")
