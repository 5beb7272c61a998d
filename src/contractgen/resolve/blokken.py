"""The typed blocks a resolved document consists of: what render lays out, and diff, check
and place names read.

Each block has a `soort` the Word template dispatches on (`{%p if b.soort == 'kop2' %}`)
and only the fields that kind needs; all text is final (inline fields filled in).

`id` is the block's stable id within its document (None for text from an included fragment):
the artikel or lid id, an eis id, or the place under the nearest artikel or lid ("art-3/i0" is
the first block inside art-3, "i5" the sixth block of the document, "i7/r2" row 3 of its table).
render/ankers.py writes it into the .docx as a bookmark; `Bouwer.herkomst` maps it to the YAML path.

`binnen` is the id of the artikel or lid a block stands in (None: at the top of the document),
also for text of an included fragment: diff aligns artikelen and leden on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Union


@dataclass(frozen=True)
class Kop:
    """A heading; niveau 1 = hoofdstuk, 2 = artikel or section, 3 = subheading (e.g. an arrangement)."""

    niveau: int
    tekst: str
    anker: str | None = None  # the artikel id, for bookmarks
    arrangement: str | None = None  # the arrangement id of a tariff table heading
    gecontracteerd: bool = False
    id: str | None = None
    # an artikel heading: its number and title as printed, for renumbering and word diffs of the title
    nummer: str | None = None
    titel: str | None = None
    binnen: str | None = None

    @property
    def soort(self) -> str:
        return f"kop{self.niveau}"


@dataclass(frozen=True)
class Alinea:
    tekst: str
    niveau: int = 1
    id: str | None = None
    binnen: str | None = None
    soort: ClassVar[str] = "alinea"


@dataclass(frozen=True)
class Lid:
    nummer: str
    tekst: str
    id: str | None = None
    anker: str | None = None  # the lid id, also inside an included fragment (where `id` is "")
    binnen: str | None = None  # the id of its artikel
    soort: ClassVar[str] = "lid"


@dataclass(frozen=True)
class Item:
    """A list item; `label` is the bullet, dash or the source's own label ("a.")."""

    label: str
    tekst: str
    niveau: int = 1
    id: str | None = None
    binnen: str | None = None
    soort: ClassVar[str] = "item"


@dataclass(frozen=True)
class Tabel:
    """Rows of cell texts, every row as wide as the widest; `kop` is the header row (or empty)."""

    kop: list[str]
    rijen: list[list[str]]
    eisen: bool = False  # a kwaliteitseisen table (Nr. / Minimumeis / Voldaan)
    id: str | None = None
    rij_ids: tuple[str | None, ...] = ()  # per row of `rijen` (empty: rows without ids)
    binnen: str | None = None
    soort: ClassVar[str] = "tabel"


@dataclass(frozen=True)
class Voetnoot:
    nummer: str
    tekst: str
    id: str | None = None
    binnen: str | None = None
    soort: ClassVar[str] = "voetnoot"


@dataclass(frozen=True)
class HandtekeningRegel:
    label: str
    waarde: str
    teken: bool = False  # the signing row: at least 15 mm high, holds the bookmark `anker`


@dataclass(frozen=True)
class Handtekening:
    """A signature block; `veld` names its PDF signature field (`<partij>_<n>` within the document)."""

    titel: str
    partij: str
    veld: str
    rijen: list[HandtekeningRegel] = field(default_factory=list)
    # the bookmark in the signing row; LibreOffice keeps it as a named destination where uitvoer.pdf
    # places the field (`anker_nr` is its Word bookmark id)
    anker: str = ""
    anker_nr: int = 0
    binnen: str | None = None
    soort: ClassVar[str] = "handtekening"


@dataclass(frozen=True)
class PaginaEinde:
    soort: ClassVar[str] = "pagina_einde"


Blok = Union[Kop, Alinea, Lid, Item, Tabel, Voetnoot, Handtekening, PaginaEinde]


def tekst_van(blok: Blok) -> str:
    """The text a reader sees in one block, one line per row (for diff, check and searches)."""
    if isinstance(blok, Tabel):
        return "\n".join(" | ".join(rij) for rij in ([blok.kop] if blok.kop else []) + blok.rijen)
    if isinstance(blok, Handtekening):
        return "\n".join([blok.titel] + [f"{r.label} {r.waarde}".strip() for r in blok.rijen])
    if isinstance(blok, (Lid, Voetnoot)):
        return f"{blok.nummer} {blok.tekst}".strip()
    if isinstance(blok, Item):
        return f"{blok.label} {blok.tekst}".strip()
    if isinstance(blok, PaginaEinde):
        return ""
    return blok.tekst
