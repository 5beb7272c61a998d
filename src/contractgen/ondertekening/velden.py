"""The signature places of a contractpakket and the party each belongs to.

A place is an AcroForm `/Sig` field of the package as it was built. Its party comes from
the manifest when the build recorded one (`"handtekeningvelden": {naam: partij}`), otherwise
from the field name that `pdf.py` gives it (`<document>_<partij>_<n>`, `<document>_paraaf_p<n>`).
Positions are never used.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader

GEMEENTE = "gemeenten"
OPDRACHTNEMER = "opdrachtnemer"
PARAAF = "paraaf"  # a paraaf place: either party may initial it
PARTIJ_NAAM = {GEMEENTE: "gemeente", OPDRACHTNEMER: "opdrachtnemer", PARAAF: "paraaf"}

_TOKENS = [
    (PARAAF, re.compile(r"(^|[_\-.])paraaf", re.I)),
    (GEMEENTE, re.compile(r"(^|[_\-.])gemeente(n)?($|[_\-.])", re.I)),
    (OPDRACHTNEMER, re.compile(r"(^|[_\-.])(opdrachtnemer|aanbieder)($|[_\-.])", re.I)),
]


@dataclass(frozen=True)
class Plaats:
    """One signature place: the full field name and its party (gemeenten | opdrachtnemer | paraaf | None)."""

    naam: str
    partij: str | None

    @property
    def is_paraaf(self) -> bool:
        return self.partij == PARAAF

    def past_bij(self, partij: str | None) -> bool:
        """Whether a signer of `partij` may sign here (a paraaf place takes either party)."""
        return self.partij == PARAAF or partij is None or self.partij == partij


def partij_uit_naam(naam: str) -> str | None:
    """gemeenten | opdrachtnemer | paraaf from a field name such as `dvo_gemeenten_1`; None if unknown."""
    laatste = naam.rsplit(".", 1)[-1]
    for partij, patroon in _TOKENS:
        if patroon.search(laatste):
            return partij
    return None


def plaatsen(pdf: bytes, manifest: dict | None = None) -> list[Plaats]:
    """Every `/Sig` field of `pdf` (the package as built) in document order, with its party.

    Raises ValueError when `pdf` cannot be read.
    """
    reader = PdfReader(io.BytesIO(pdf))
    vastgelegd = (manifest or {}).get("handtekeningvelden") or {}
    result = []
    for naam, veld in (reader.get_fields() or {}).items():
        if veld.get("/FT") != "/Sig":
            continue
        partij = vastgelegd.get(naam) if isinstance(vastgelegd, dict) else None
        result.append(Plaats(naam, partij or partij_uit_naam(naam)))
    return result
