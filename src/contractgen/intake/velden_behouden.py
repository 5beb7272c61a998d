"""Apply an edited rendered text to its source text without losing inline fields.

The source "verlengd tot [[looptijd.tot|lang]]." renders as "verlengd tot 31 december 2018.";
a jurist who edits the words around it gets them changed in the source and the field kept.
An edit *inside* the rendered text of a field ("31 december 2019") would freeze a value
into literal text: it is reported (`VeldBewerking`), not applied. A field deleted together
with its surroundings is simply gone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Callable

from contractgen.domein.velden import VELD

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class VeldBewerking:
    """An edit inside a field's rendered text: the field as written, what it showed, what it became."""

    veld: str
    was: str
    wordt: str


def pas_toe(bron: str, nieuw: str, vul_in: Callable[[str], str]) -> tuple[str, list[VeldBewerking]]:
    """The source text that renders as `nieuw`, keeping every field whose rendered text is untouched.

    `vul_in` renders one field ("[[looptijd.van|lang]]" → "1 januari 2015"). Returns the new
    source and the edits made inside fields (the source is then returned unchanged).
    """
    # per character of the old rendered text: what the source has there (a field's markup on its
    # first character, "" on the rest); fields that render empty (`leeg`) ride on the next character
    kern: list[str] = []
    leeg: list[str] = []
    velden: list[tuple[int, int, str, str]] = []  # start, end in rendered text, markup, rendered
    wachtend = ""
    for m in re.finditer(VELD.pattern + r"|[^\[]+|\[", bron):
        stuk = m.group(0)
        if VELD.fullmatch(stuk):
            weergave = vul_in(stuk)
            if not weergave:
                wachtend += stuk
                continue
            velden.append((len(kern), len(kern) + len(weergave), stuk, weergave))
            kern += [stuk] + [""] * (len(weergave) - 1)
        else:
            kern += list(stuk)
        leeg += [wachtend] + [""] * (len(kern) - len(leeg) - 1)
        wachtend = ""
    staart = wachtend
    oud = _weergave(bron, vul_in)
    if oud == nieuw:
        return bron, []
    # a field's rendered text is one token on both sides: it matches whole or not at all
    atomen = sorted({w for _, _, _, w in velden}, key=len, reverse=True)
    a, b = _tokens(oud, atomen), _tokens(nieuw, atomen)
    matcher = difflib.SequenceMatcher(None, [t for _, t in a], [t for _, t in b], autojunk=False)
    bewerkingen: list[VeldBewerking] = []
    uit: list[str] = []

    def pos(tokens: list[tuple[int, str]], i: int, totaal: int) -> int:
        return tokens[i][0] if i < len(tokens) else totaal

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        o1, o2 = pos(a, i1, len(oud)), pos(a, i2, len(oud))
        n1, n2 = pos(b, j1, len(nieuw)), pos(b, j2, len(nieuw))
        if op == "equal":
            uit.append("".join(x + y for x, y in zip(leeg[o1:o2], kern[o1:o2])))
            continue
        for start, eind, markup, weergave in velden:
            geraakt = (o1 < eind and o2 > start) if o2 > o1 else start < o1 < eind
            heel = o1 <= start and eind <= o2
            if geraakt and not (heel and op == "delete"):
                if heel and nieuw[n1:n2].find(weergave) >= 0:
                    continue  # the field's text is still there, with words around it changed
                bewerkingen.append(VeldBewerking(markup, weergave, nieuw[n1:n2]))
        uit.append("".join(leeg[o1:o2]))  # fields that render empty stay where they were
        uit.append(_met_velden(nieuw[n1:n2], [(s, e, mk, w) for s, e, mk, w in velden
                                               if o1 <= s and e <= o2 and op != "delete"]))
    if bewerkingen:
        return bron, bewerkingen
    return "".join(uit) + staart, []


def _weergave(bron: str, vul_in: Callable[[str], str]) -> str:
    return VELD.sub(lambda m: vul_in(m.group(0)), bron)


def _met_velden(tekst: str, velden: list[tuple[int, int, str, str]]) -> str:
    """Inside a replaced stretch, put back the markup of fields whose rendered text is still there."""
    for _, _, markup, weergave in velden:
        if weergave in tekst:
            tekst = tekst.replace(weergave, "\x00", 1).replace("\x00", markup, 1)
    return tekst


def _tokens(tekst: str, atomen: list[str]) -> list[tuple[int, str]]:
    patroon = re.compile("|".join([re.escape(x) for x in atomen] + [_TOKEN.pattern])) if atomen else _TOKEN
    return [(m.start(), m.group(0)) for m in patroon.finditer(tekst)]
