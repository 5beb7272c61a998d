"""The result of applying Word edits (`Toepassing`) and the small text and id helpers it needs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from contractgen.basis.problemen import Probleem
from contractgen.basis.tekst import ONGELDIGE_XML_TEKENS, sluit_bidi
from contractgen.intake.word_lezen import Opmerking, Wijziging
from contractgen.render.docx import NBSP, vaste_spaties

LID = re.compile(r"^(\d+(?:\.\d+)+[a-z]?)\.?(?:\t|\s+)(.*)$", re.S)


@dataclass
class Toepassing:
    """What was applied, by place ("lid 4.1", "artikel 12", "alinea i5"), and what was not."""

    gewijzigd: list[str] = field(default_factory=list)
    toegevoegd: list[str] = field(default_factory=list)
    verwijderd: list[str] = field(default_factory=list)
    verplaatst: list[str] = field(default_factory=list)
    # tracked changes in the document: applied (accepted) like every other edit, listed with author and date
    aangenomen: list[tuple[str, Wijziging]] = field(default_factory=list)
    opmerkingen: list[tuple[str, Opmerking]] = field(default_factory=list)  # Word comments, by place
    niet_verwerkt: list[str] = field(default_factory=list)  # what could not be placed, why, what to do (refused)
    problemen: list[Probleem] = field(default_factory=list)

    @property
    def iets(self) -> bool:
        return bool(self.gewijzigd or self.toegevoegd or self.verwijderd or self.verplaatst)


def schoon(tekst: str) -> str:
    """Text as Word holds it: without characters XML cannot hold, bidi closed, no trailing space."""
    return sluit_bidi(ONGELDIGE_XML_TEKENS.sub("", tekst)).rstrip()


def gewone_spaties(tekst: str) -> str:
    """Undo what render adds (`vaste_spaties`: "artikel\u00a022"): a no-break space where render would
    put one becomes a plain space again; one the jurist typed elsewhere stays."""
    if NBSP not in tekst:
        return tekst
    terug = vaste_spaties(tekst.replace(NBSP, " "))
    return "".join(" " if c == NBSP and terug[i] == NBSP else c for i, c in enumerate(tekst))


def lid_delen(tekst: str, nummer: str) -> tuple[str, str]:
    if "\t" in tekst:
        voor, _, na = tekst.partition("\t")
        return voor.strip() or nummer, na
    m_ = LID.match(tekst)
    if m_:
        return m_.group(1), m_.group(2)
    return nummer, tekst[len(nummer):].lstrip() if tekst.startswith(nummer) else tekst


def alle_ids(boom: Any) -> set[str]:
    ids: set[str] = set()

    def loop(x: Any) -> None:
        if isinstance(x, dict):
            if isinstance(x.get("id"), str):
                ids.add(x["id"])
            for v in x.values():
                loop(v)
        elif isinstance(x, list):
            for v in x:
                loop(v)

    loop(boom)
    return ids


def vrij_id(basis: str, ids: set[str]) -> str:
    basis = re.sub(r"[^a-z0-9._-]", "-", basis.lower())
    ident, n = basis, 2
    while ident in ids:
        ident, n = f"{basis}-nieuw{'' if n == 2 else n - 1}", n + 1
    ids.add(ident)
    return ident


def kort(tekst: str) -> str:
    return tekst if len(tekst) <= 60 else tekst[:57] + "…"
