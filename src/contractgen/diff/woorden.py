"""Word-level differences: which words of a text were deleted and which inserted.

A word keeps its inner punctuation (1.4, DVO's, collega-dienstverleners) and carries
its trailing whitespace, so joining the parts gives the texts back. Short common
words between two larger changes are folded into them: a rewritten sentence reads
as one change, not as confetti around every 'de' and 'van'.
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
    """Word-level changes; joining '=' and '-' gives the old text, '=' and '+' the new."""
    if oud == nieuw:
        return [("=", nieuw)] if nieuw else []
    a, b = tokens(oud), tokens(nieuw)
    sm = difflib.SequenceMatcher(None, [w for w, _ in a], [w for w, _ in b], autojunk=False)
    if sm.ratio() < 0.25:  # rewritten: one deletion and one insertion reads better than confetti
        return [d for d in (("-", oud), ("+", nieuw)) if d[1]]
    delen: list[Deel] = []
    for tag, i1, i2, j1, j2 in _opruimen(sm.get_opcodes()):
        if tag == "equal":
            stuk = [w + s for w, s in b[j1:j2]]
            # the longer whitespace of the last word keeps a following deletion apart
            stuk[-1] = b[j2 - 1][0] + max(a[i2 - 1][1], b[j2 - 1][1], key=len)
            delen.append(("=", "".join(stuk)))
            continue
        if i2 > i1:
            delen.append(("-", "".join(w + s for w, s in a[i1:i2])))
        if j2 > j1:
            delen.append(("+", "".join(w + s for w, s in b[j1:j2])))
    return delen


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


def gewijzigd(delen: list[Deel]) -> bool:
    return any(s != "=" for s, _ in delen)
