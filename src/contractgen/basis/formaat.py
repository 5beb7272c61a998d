"""Dutch notation of amounts, dates and percentages, as the contracts print them (seed 001)."""

from __future__ import annotations

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
