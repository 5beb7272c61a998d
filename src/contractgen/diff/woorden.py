"""Word-level differences: which words of a text were deleted and which inserted.

Exact by construction: joining the '=' and '-' parts gives the old text, joining the
'=' and '+' parts the new text, character for character (spaces, line breaks and
punctuation included). A word keeps its inner punctuation (1.4, DVO's,
collega-dienstverleners); the whitespace after a word is compared on its own, so a
comma inserted after a word is one inserted ',' and a space turned into a line break
is a change of whitespace only. Short common words between two larger changes are
folded into them: a rewritten sentence reads as one change, not as confetti around
every 'de' and 'van'.
"""

from __future__ import annotations

import difflib
import re

Deel = tuple[str, str]  # ("=" | "-" | "+", tekst)

_WOORD = re.compile(r"(\w+(?:[.,'’/-]\w+)*|[^\w\s])(\s*)")


def tokens(tekst: str) -> list[tuple[str, str]]:
    """(word, trailing whitespace) pairs; leading whitespace is a token of its own."""
    voor = tekst[: len(tekst) - len(tekst.lstrip())]
    woorden_ = [(t.group(1), t.group(2)) for t in _WOORD.finditer(tekst)]
    return ([("", voor)] if voor else []) + woorden_


def woorden(oud: str, nieuw: str) -> list[Deel]:
    """Word-level changes; joining '=' and '-' gives `oud`, '=' and '+' gives `nieuw` exactly."""
    if oud == nieuw:
        return [("=", nieuw)] if nieuw else []
    a, b = tokens(oud), tokens(nieuw)
    sm = difflib.SequenceMatcher(None, [w for w, _ in a], [w for w, _ in b], autojunk=False)
    if sm.ratio() < 0.25:  # rewritten: one deletion and one insertion reads better than confetti
        return [d for d in (("-", oud), ("+", nieuw)) if d[1]]
    ruw: list[Deel] = []
    for tag, i1, i2, j1, j2 in _opruimen(sm.get_opcodes()):
        if tag == "equal":
            for (w, s_oud), (_, s_nieuw) in zip(a[i1:i2], b[j1:j2]):
                ruw.append(("=", w))
                if s_oud == s_nieuw:
                    ruw.append(("=", s_oud))
                else:  # the same word, other whitespace after it: a change of its own
                    ruw += [("-", s_oud), ("+", s_nieuw)]
            continue
        ruw.append(("-", "".join(w + s for w, s in a[i1:i2])))
        ruw.append(("+", "".join(w + s for w, s in b[j1:j2])))
    return _normaal(ruw)


def _normaal(ruw: list[Deel]) -> list[Deel]:
    """One deletion and one insertion per changed stretch, whitespace both share moved out of it."""
    result: list[Deel] = []
    weg, erbij = "", ""

    def sluit() -> None:
        nonlocal weg, erbij
        voor = _gedeeld_wit(weg, erbij)
        na = _gedeeld_wit(weg[len(voor):][::-1], erbij[len(voor):][::-1])[::-1]
        kern_weg, kern_erbij = weg[len(voor): len(weg) - len(na)], erbij[len(voor): len(erbij) - len(na)]
        for soort, tekst in (("=", voor), ("-", kern_weg), ("+", kern_erbij), ("=", na)):
            _voeg_toe(result, soort, tekst)
        weg, erbij = "", ""

    for soort, tekst in ruw:
        if soort == "=":
            sluit()
            _voeg_toe(result, "=", tekst)
        elif soort == "-":
            weg += tekst
        else:
            erbij += tekst
    sluit()
    return result


def _gedeeld_wit(x: str, y: str) -> str:
    """The common leading whitespace of two texts (not letters: a word is replaced whole)."""
    n = 0
    while n < len(x) and n < len(y) and x[n] == y[n] and x[n].isspace():
        n += 1
    return x[:n]


def _voeg_toe(delen: list[Deel], soort: str, tekst: str) -> None:
    if not tekst:
        return
    if delen and delen[-1][0] == soort:
        delen[-1] = (soort, delen[-1][1] + tekst)
    else:
        delen.append((soort, tekst))


def _opruimen(ops: list) -> list:
    """Fold a short common run between two larger changes into them (no 'de'-confetti)."""
    result: list[list] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal" and 0 < k < len(ops) - 1:
            buren = min(max(o[2] - o[1], o[4] - o[3]) for o in (ops[k - 1], ops[k + 1]))
            if i2 - i1 <= 2 and i2 - i1 < buren:
                tag = "replace"
        if result and tag != "equal" and result[-1][0] != "equal":
            result[-1] = ["replace", result[-1][1], i2, result[-1][3], j2]
        else:
            result.append([tag, i1, i2, j1, j2])
    return result


def oud_tekst(delen: list[Deel]) -> str:
    return "".join(t for s, t in delen if s != "+")


def nieuw_tekst(delen: list[Deel]) -> str:
    return "".join(t for s, t in delen if s != "-")


def gewijzigd(delen: list[Deel]) -> bool:
    return any(s != "=" for s, _ in delen)


def alleen_witruimte(delen: list[Deel]) -> bool:
    """Changed, but only in spaces, tabs or line breaks (a line break added or removed)."""
    return gewijzigd(delen) and all(t.isspace() for s, t in delen if s != "=")


WIT = {"\n": "↵", "\t": "→"}


def zichtbaar_wit(tekst: str) -> str:
    """Whitespace as visible marks for a changed stretch: '↵' a line break, '→' a tab, '·' a space."""
    return "".join(WIT.get(c, "·") for c in tekst)
