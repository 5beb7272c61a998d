"""A tiny, safe arithmetic language for `berekeningen` in regio.yaml.

Only numbers, names of the aanbieder's `waarden`, + - * / ( ) and comparisons:
data must never be able to run code, so this is an AST whitelist, not eval().
"""

from __future__ import annotations

import ast
import operator
from decimal import Decimal, InvalidOperation

_BINAIR = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_VERGELIJK = {ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Lt: operator.lt, ast.LtE: operator.le,
              ast.Eq: operator.eq, ast.NotEq: operator.ne}


class FormuleFout(ValueError):
    """A formula that is not allowed or cannot be computed; the message is Dutch."""


def namen_in(formule: str) -> set[str]:
    return {n.id for n in ast.walk(_parse(formule)) if isinstance(n, ast.Name)}


def _parse(formule: str) -> ast.AST:
    try:
        boom = ast.parse(formule.replace(",", "."), mode="eval")
    except SyntaxError as exc:
        raise FormuleFout(f"formule '{formule}' is geen geldige berekening") from exc
    for knoop in ast.walk(boom):
        toegestaan = (ast.Expression, ast.BinOp, ast.Compare, ast.Constant, ast.Name, ast.Load, ast.UnaryOp,
                      ast.USub, ast.BoolOp, ast.And, ast.Or, *_BINAIR, *_VERGELIJK)
        if not isinstance(knoop, toegestaan) or (isinstance(knoop, ast.Constant)
                                                 and not isinstance(knoop.value, (int, float))):
            raise FormuleFout(f"formule '{formule}' gebruikt iets anders dan getallen, namen en + - * / < >")
    return boom


def reken(formule: str, waarden: dict[str, Decimal]) -> Decimal | bool:
    return _waarde(_parse(formule).body, waarden, formule)  # type: ignore[attr-defined]  # mode='eval' gives ast.Expression


def _waarde(knoop: ast.AST, waarden: dict[str, Decimal], formule: str):
    if isinstance(knoop, ast.Constant):
        return Decimal(str(knoop.value))
    if isinstance(knoop, ast.Name):
        if knoop.id not in waarden:
            raise FormuleFout(f"'{knoop.id}' is niet bekend (formule '{formule}')")
        return waarden[knoop.id]
    if isinstance(knoop, ast.UnaryOp):
        return -_waarde(knoop.operand, waarden, formule)
    if isinstance(knoop, ast.BinOp):
        try:
            return _BINAIR[type(knoop.op)](_waarde(knoop.left, waarden, formule), _waarde(knoop.right, waarden, formule))
        except (ZeroDivisionError, InvalidOperation) as exc:
            raise FormuleFout(f"formule '{formule}' deelt door nul") from exc
    if isinstance(knoop, ast.BoolOp):
        uitkomsten = [_waarde(v, waarden, formule) for v in knoop.values]
        return all(uitkomsten) if isinstance(knoop.op, ast.And) else any(uitkomsten)
    if isinstance(knoop, ast.Compare):
        links = _waarde(knoop.left, waarden, formule)
        for op, rechts_knoop in zip(knoop.ops, knoop.comparators):
            rechts = _waarde(rechts_knoop, waarden, formule)
            if not _VERGELIJK[type(op)](links, rechts):
                return False
            links = rechts
        return True
    raise FormuleFout(f"formule '{formule}' kan niet worden berekend")
