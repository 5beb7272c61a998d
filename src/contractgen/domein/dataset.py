"""One region's data after loading: typed models plus where each came from.

Every model keeps its origin (file name and the raw located data) so that any later
stage can point a message at a line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from contractgen.basis.posities import position_of
from contractgen.basis.problemen import Probleem
from contractgen.domein.model import (
    Aanbieder,
    Document,
    Regio,
    TariefSet,
    Transformatietabel,
)


@dataclass
class Herkomst:
    naam: str  # as messages show it
    data: Any
    pad: Path | None = None  # the file itself (for hashes and manifests)

    def probleem(self, pad: tuple, bericht: str | None, ernst: str = "fout") -> Probleem | None:
        if bericht is None:
            return None  # suppressed: the cause is reported elsewhere
        plaats = position_of(self.data, pad)
        regel, kolom = (plaats.regel, plaats.kolom) if plaats else (0, 0)
        return Probleem(self.naam, regel, kolom, ".".join(map(str, pad)), bericht, ernst)


@dataclass
class RegioData:
    """Everything under contracts_data/<regio>/, validated per file."""

    map: Path
    regio: Regio
    documenten: list[Document] = field(default_factory=list)
    tariefsets: list[TariefSet] = field(default_factory=list)
    transformaties: list[Transformatietabel] = field(default_factory=list)
    aanbieders: list[Aanbieder] = field(default_factory=list)
    herkomst: dict[int, Herkomst] = field(default_factory=dict)
    bestanden: list[Path] = field(default_factory=list)
    # ids found in files that failed validation: references to them are not reported
    # again (the file's own errors already say what is wrong)
    onvolledig: set[str] = field(default_factory=set)

    def waar(self, obj: BaseModel) -> Herkomst:
        return self.herkomst[id(obj)]

    def tariefset(self, ident: str) -> TariefSet | None:
        return next((t for t in self.tariefsets if t.id == ident), None)

    def transformatie(self, ident: str) -> Transformatietabel | None:
        return next((t for t in self.transformaties if t.id == ident), None)

    def aanbieder(self, ident: str) -> Aanbieder | None:
        return next((a for a in self.aanbieders if a.id == ident), None)

    def versies(self, ident: str) -> list[Document]:
        return sorted((d for d in self.documenten if d.id == ident), key=lambda d: d.geldig_van)
