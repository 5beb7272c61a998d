"""The one error model: every stage reports a `Probleem`; every refusal is a `ContractgenFout`.

The CLI catches `ContractgenFout` only and prints its problems; any other exception is
an internal error (see `contractgen.cli`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from contractgen.basis.gezicht import WERKPLAATS, gezicht
from contractgen.basis.tekst import toonbaar

_SOORTEN = {"documenten": "document", "tarieven": "tariefset", "aanbieders": "aanbieder"}


def werkplaats_naam(bestand: str) -> str:
    """A data file as the workplace names it: 'tarieven/jeugd-2019.yaml' → 'tariefset jeugd-2019',
    'aanbieders/x.yaml' → 'aanbieder x'; another file by its name without folders
    ('intake-zuid.xlsx (blad Aanbieders)' stays as it is)."""
    pad = bestand.replace("\\", "/")
    if "/" not in pad:
        return bestand
    delen = pad.split("/")
    naam = delen[-1]
    soort = _SOORTEN.get(delen[-2]) if len(delen) > 1 else None
    if soort and naam.endswith((".yaml", ".yml")):
        return f"{soort} {naam.rsplit('.', 1)[0]}"
    if naam in ("regio.yaml",):
        return "de regio"
    return naam

Ernst = Literal["fout", "waarschuwing"]


@dataclass(frozen=True, order=True)
class Probleem:
    """`bestand:regel:kolom: veld.pad: bericht` — what is wrong and what is expected.

    `bestand` is the file as messages name it; `regel`/`kolom` are 1-based (0: unknown);
    `pad` is the dotted path of the field in the file (or a column name for spreadsheets).
    """

    bestand: str
    regel: int = 0
    kolom: int = 0
    pad: str = ""
    bericht: str = ""
    ernst: str = field(default="fout", compare=False)  # fout | waarschuwing

    def __str__(self) -> str:
        if gezicht() == WERKPLAATS:  # a page names what the person knows, not the server's files and lines
            return toonbaar(f"{werkplaats_naam(self.bestand)}: {self.bericht}")
        plaats = self.bestand
        if self.regel:
            plaats += f":{self.regel}:{self.kolom or 1}"
        pad = f" {self.pad}:" if self.pad else ""
        # values from the data are quoted in messages: never let them steer the terminal
        return toonbaar(f"{plaats}:{pad} {self.bericht}")


class ContractgenFout(Exception):
    """Base of every refusal the user can act on; carries the problems found (sorted).

    The CLI prints `meldingen()` (one line each) and then `slot()` (a summary, or None).
    """

    def __init__(self, problemen: list[Probleem]):
        self.problemen = sorted(problemen)
        super().__init__("\n".join(str(p) for p in self.problemen))

    def meldingen(self) -> list[str]:
        return [str(p) for p in self.problemen]

    def slot(self) -> str | None:
        fouten = sum(1 for p in self.problemen if p.ernst == "fout")
        return f"{fouten} fout(en) gevonden; er is niets geschreven."

    @classmethod
    def een(cls, bestand: str, bericht: str, regel: int = 0, kolom: int = 0, pad: str = "") -> "ContractgenFout":
        """A refusal with a single problem."""
        return cls([Probleem(bestand, regel, kolom, pad, bericht)])


class DataFout(ContractgenFout):
    """The data (YAML files of a region) cannot be used as it is."""


class Weigering(ContractgenFout):
    """A refusal described in one sentence with its own label (sjabloonfout, fout), e.g. a template
    that does not compile or a document LibreOffice cannot convert. `bestand` names the file."""

    label = "fout"
    slotzin: str | None = None

    def __init__(self, bericht: str, bestand: str = ""):
        self.bericht = bericht
        super().__init__([Probleem(bestand, bericht=bericht)])

    def __str__(self) -> str:
        return self.bericht

    def meldingen(self) -> list[str]:
        return [toonbaar(f"{self.label}: {self.bericht}")]

    def slot(self) -> str | None:
        return self.slotzin
