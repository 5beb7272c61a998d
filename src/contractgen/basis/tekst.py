"""Untrusted text stays text: bidi controls closed, characters XML cannot hold known."""

from __future__ import annotations

import re

ONGELDIGE_XML_TEKENS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# bidi embeddings/overrides (closed by U+202C) and isolates (closed by U+2069)
BIDI_OPEN = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
             "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}

_BIDI = re.compile("[" + "".join(BIDI_OPEN) + "]")


def sluit_bidi(tekst: str) -> str:
    """Close every bidi embedding, override or isolate a value opens (e.g. U+202E in a provider name).

    The value shows as written, but it cannot reverse the contract text after it in the
    same paragraph (the "Trojan Source" trick: a name that turns "(KvK-nummer 1234)" around).
    """
    if not _BIDI.search(tekst):
        return tekst
    open_: list[str] = []
    for c in tekst:
        if c in BIDI_OPEN:
            open_.append(BIDI_OPEN[c])
        elif c == "\u202c" and open_ and open_[-1] == "\u202c":
            open_.pop()
        elif c == "\u2069" and "\u2069" in open_:
            while open_.pop() != "\u2069":
                pass
    return tekst + "".join(reversed(open_))
