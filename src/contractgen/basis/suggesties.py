"""The one "bedoelde u ...?" helper, so every message suggests the same way."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

STANDAARD_DREMPEL = 0.6  # difflib's own default: close enough for typos, not for other words


def bedoelde_u(waarde: str, opties: Iterable[str], drempel: float = STANDAARD_DREMPEL) -> str | None:
    """The option closest to `waarde` (difflib ratio ≥ drempel), or None."""
    gevonden = difflib.get_close_matches(str(waarde), list(opties), n=1, cutoff=drempel)
    return gevonden[0] if gevonden else None


def hint(waarde: str, opties: Iterable[str], drempel: float = STANDAARD_DREMPEL, vorm: str = "'{}'") -> str:
    """`; bedoelde u 'X'?` to append to a message, or '' when nothing is close."""
    gevonden = bedoelde_u(waarde, opties, drempel)
    return f"; bedoelde u {vorm.format(gevonden)}?" if gevonden else ""
