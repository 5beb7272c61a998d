"""Limits of one intake (`contractgen ontvangen`, also the check in `onderteken`).

Checked before the expensive work: the size before the file is read, the number of revisions
by counting `startxref` in the bytes after the sent package (a byte scan, no PDF parsing);
the time budget between the steps of the analysis (`beleid.Tijdsbudget`). The table in
docs/ontwerp/handtekeningen.md lists them; `tests/test_handtekeningen.py` tests each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MB = 2**20


@dataclass(frozen=True)
class Grenzen:
    """`max_mb`: file size; `max_revisies`: revisions after the sent package (None: 2 per
    signature place + 10, room for a signature, validation data and a document timestamp per
    place); `max_seconden`: time for the analysis of one file."""

    max_mb: float = 100
    max_revisies: int | None = None
    max_seconden: float = 60

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * MB)

    def revisies(self, plaatsen: int) -> int:
        return self.max_revisies if self.max_revisies is not None else 2 * plaatsen + 10


STANDAARD = Grenzen()


def tel_revisies(data: bytes, begin: int) -> int:
    """The number of cross-reference sections (`startxref`) in `data[begin:]`: the revisions
    appended to the sent package, counted without parsing."""
    return len(re.findall(rb"startxref\s", data[begin:]))
