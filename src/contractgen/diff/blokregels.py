"""What diff compares: each side's document resolved into typed blocks, as render prints it.

`lees` resolves one document of one side region-wide (no aanbieder; its fields stay visible as
"[[aanbieder.naam]]") at that side's peildatum (`resolve.weergave`), so a list marker, an eis with its list, a footnote or a tariff amount in
a printed table reads in the diff exactly as in the .docx. `opbouw` groups the blocks into
artikelen and leden by their ids (`Blok.binnen`, resolve/blokken.py) for alignment; `regels`
turns the other blocks into lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Union

from contractgen.basis.problemen import DataFout, Probleem
from contractgen.diff.bron import Kant, splits
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.resolve import blokken as rb
from contractgen.resolve.weergave import weergave

_KOP = {1: "hoofdstuk", 2: "kop", 3: "subkop"}


@dataclass(frozen=True)
class Regel:
    """One line of a document outside the article structure (or a tariff condition)."""

    soort: str  # kop, subkop, hoofdstuk, alinea, item, tabelkop, rij, voetnoot, handtekening, voorwaarde
    tekst: str
    cellen: tuple[str, ...] = ()
    niveau: int = 0

    @property
    def sleutel(self) -> str:
        return f"{self.soort}\x00{self.tekst}"


@dataclass
class Lid:
    """A lid as the resolved document prints it (resolve.blokken.Lid), with what stands in it."""

    id: str
    nummer: str
    tekst: str
    artikel: str  # the id of its artikel
    inhoud: list = field(default_factory=list)  # typed blocks and nested Artikel, in order


@dataclass
class Artikel:
    """An artikel as the resolved document prints it: its heading (resolve.koppen), content and leden."""

    id: str
    nummer: str
    titel: str  # as printed, whitespace as in the heading
    kop: str  # the whole heading: 'Artikel 3: Bijlagen', '2.1 Uitgangspunt'
    inhoud: list = field(default_factory=list)  # typed blocks (resolve.blokken.Blok) and nested Artikel
    leden: list[Lid] = field(default_factory=list)

    def delen(self) -> tuple[str, str, str]:
        """The heading as (text before the title, title, text after): 'Artikel 3: ', 'Bijlagen', ''."""
        i = self.kop.find(self.titel) if self.titel else -1
        if i < 0:
            return self.kop, "", ""
        return self.kop[:i], self.titel, self.kop[i + len(self.titel):]


Inhoud = Union[rb.Blok, Artikel]


def nieuwste_datum(doc: m.Document) -> date:
    """The newest date in the document's validity: on it, its newest article and lid versions hold."""
    datums = [doc.geldig_van]
    for blok in doc.inhoud:
        if isinstance(blok, m.ArtikelBlok):
            datums += [x.geldig_van for x in [blok.artikel, *blok.artikel.leden] if x.geldig_van]
    return max(d for d in datums if doc.geldig_tot is None or d <= doc.geldig_tot)


def _regio(kant: Kant, regio: str | None, doc: m.Document) -> RegioData:
    data = next((r for r in kant.regios if r.regio.id == regio), None) or next(iter(kant.regios), None)
    if data is None:
        raise DataFout([Probleem(kant.label, bericht=f"geen regio (regio.yaml) gevonden om document '{doc.id}' "
                                                     f"te lezen zoals het wordt afgedrukt; geef de map van de regio "
                                                     f"of een bestand binnen die map op")])
    return data


def lees(kant: Kant, regio: str | None, doc: m.Document) -> list[rb.Blok]:
    """The typed blocks of `doc` as the region-wide document prints them on the side's peildatum;
    aanbieder fields show as fields ("[[aanbieder.naam]]"), where the printed copy leaves a blank.

    Raises DataFout when the side has no region to resolve with, or resolve's own errors (a
    tariff set missing for the document's looptijd).
    """
    peildatum = kant.peildatum or nieuwste_datum(doc)
    try:
        return weergave(_regio(kant, regio, doc), doc, None, peildatum, velden_tonen=True).blokken
    except DataFout as fout:  # a single file is not among the region's files: name it as the user typed it
        if not kant.enkel:
            raise
        bestand = splits(kant.label)[0]
        raise DataFout([replace(p, bestand=bestand) if p.bestand == doc.id else p for p in fout.problemen])


def opbouw(blokken: list[rb.Blok]) -> list[Inhoud]:
    """The top level of a document: artikelen (with their content and leden) and the other blocks, in order."""
    top: list[Inhoud] = []
    artikelen: dict[str, Artikel] = {}
    leden: dict[str, Lid] = {}
    for blok in blokken:
        if isinstance(blok, rb.PaginaEinde):
            continue
        eenheid: Inhoud = blok
        if isinstance(blok, rb.Kop) and blok.anker:
            titel = " ".join((blok.titel or "").split())  # the heading's whitespace (resolve.koppen)
            eenheid = artikelen[blok.anker] = Artikel(blok.anker, blok.nummer or "", titel, blok.tekst)
        elif isinstance(blok, rb.Lid) and blok.binnen in artikelen:
            lid = leden[blok.anker or blok.id or ""] = Lid(blok.anker or blok.id or "", blok.nummer, blok.tekst,
                                                          blok.binnen)
            artikelen[blok.binnen].leden.append(lid)
            continue
        ouder = getattr(blok, "binnen", None)
        if ouder in artikelen:
            artikelen[ouder].inhoud.append(eenheid)
        elif ouder in leden:
            leden[ouder].inhoud.append(eenheid)
        else:
            top.append(eenheid)
    return top


def regels(inhoud: list[Inhoud]) -> list[Regel]:
    """Blocks as lines, as a reader sees them; a table gives its header row and one line per row."""
    out: list[Regel] = []
    for blok in inhoud:
        if isinstance(blok, Artikel):  # an article inside an article: its text, without alignment
            out.append(Regel("subkop", blok.kop))
            out += regels(blok.inhoud)
            for lid in blok.leden:
                out.append(Regel("alinea", f"{lid.nummer} {lid.tekst}"))
                out += regels(lid.inhoud)
        elif isinstance(blok, rb.Kop):
            out.append(Regel(_KOP.get(blok.niveau, "subkop"), blok.tekst))
        elif isinstance(blok, rb.Tabel):
            if blok.kop:
                out.append(_rij("tabelkop", blok.kop))
            out += [_rij("rij", r) for r in blok.rijen]
        elif isinstance(blok, rb.Item):
            out.append(Regel("item", rb.tekst_van(blok), niveau=blok.niveau - 1))
        elif isinstance(blok, (rb.Alinea, rb.Voetnoot, rb.Handtekening, rb.Lid)):
            soort = {rb.Voetnoot: "voetnoot", rb.Handtekening: "handtekening"}.get(type(blok), "alinea")
            out.append(Regel(soort, rb.tekst_van(blok)))
    return out


def _rij(soort: str, cellen: list[str]) -> Regel:
    return Regel(soort, " | ".join(cellen), tuple(cellen))
