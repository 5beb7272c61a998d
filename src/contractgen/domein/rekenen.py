"""Derived figures: rekentabel totals, indexed amounts, `berekeningen` per aanbieder.

Indexation rounds half up to whole euros or cents (`afronding`), as the tariff tables of
seed 001 print them; formulas are evaluated by `formule` (no eval).
"""

from __future__ import annotations

from decimal import Decimal

from contractgen.basis.formaat import bedrag_tekst
from contractgen.domein import model as m
from contractgen.domein.formule import FormuleFout, reken


def rekentabel_totalen(tabel: m.Rekentabel) -> dict[int, Decimal]:
    """Column sums of the numeric columns (bedrag/getal), keyed by column index."""
    return {k: sum((Decimal(r[k]) for r in tabel.rijen if r[k].strip()), Decimal(0))
            for k, soort in enumerate(tabel.soorten) if soort != "tekst"}


def geindexeerd(bedrag: Decimal, ix: m.Indexatie) -> Decimal:
    """`bedrag` raised by `ix.percentage` %, rounded half up to euros or cents (`ix.afronding`)."""
    stap = Decimal("1") if ix.afronding == "euro" else Decimal("0.01")
    return (bedrag * (100 + ix.percentage) / 100).quantize(stap, rounding="ROUND_HALF_UP")


def afgeleid_tarief(regel: m.Afgeleid, tarieven: dict[str, Decimal]) -> tuple[Decimal | None, str]:
    """(tariff, the rule in words) of a derived tariff (`afgeleid`, bijlage 1.3a): `verschil` [a, b] is a - b,
    `percentage` of `van` is rounded to cents; (None, '') when the rule names a code not in `tarieven`.
    The one computation of the rule: `check` (afgeleid-bedrag), indexation and a tariff correction use it."""
    if regel.verschil:
        a, b = regel.verschil
        if a not in tarieven or b not in tarieven:
            return None, ""
        return tarieven[a] - tarieven[b], f"{a} min {b}"
    if regel.percentage is not None and regel.van:
        if regel.van not in tarieven:
            return None, ""
        return ((tarieven[regel.van] * regel.percentage / 100).quantize(Decimal("0.01")),
                f"{regel.percentage}% van {regel.van}")
    return None, ""


def bereken(berekening: m.Berekening, aanbieder: m.Aanbieder) -> str:
    """The text of a computed value for one aanbieder (or `anders` when the condition fails)."""
    try:
        if berekening.als and not reken(berekening.als, dict(aanbieder.waarden)):
            return berekening.anders
        uitkomst = reken(berekening.formule, dict(aanbieder.waarden))
    except FormuleFout:
        return berekening.anders  # a missing value: validate reports it
    if berekening.eenheid == "bedrag":
        return bedrag_tekst(Decimal(uitkomst).quantize(Decimal("0.01")))
    return f"{uitkomst:f}".rstrip("0").rstrip(".")
