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


def toonbaar(waarde: object) -> str:
    """A value as a message may quote it: control, format and bidi characters escaped, the rest as typed.

    `"a\\rb"` → `a\\rb`, U+202E → `\\u202e`, U+0007 → `\\x07`, U+2028 → `\\u2028`: a value from
    the data cannot move the cursor, rewrite a line or reverse the text of a message on a terminal.
    Printable text (accents, €, emoji, right-to-left letters) stays as it is.
    """
    tekst = str(waarde)
    if tekst.isprintable():
        return tekst
    return "".join(c if c.isprintable() else _ontsnapt(c) for c in tekst)


_NAMEN = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _ontsnapt(c: str) -> str:
    if c in _NAMEN:
        return _NAMEN[c]
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
