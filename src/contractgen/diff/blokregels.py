"""What diff compares: each side's document resolved into typed blocks, as render prints it.

`lees` resolves one document of one side region-wide (no aanbieder) at that side's peildatum
(`resolve.weergave`) and reads every text as the .docx prints it (`render.docx.gedrukte_tekst`:
no-break spaces in "artikel 3.3" and "€ 25.000", the tab after a list marker), in Unicode
normal form NFC: a list marker, an eis with its list, a footnote or a tariff amount in a printed
table reads in the diff exactly as in the .docx, and "é" typed composed or decomposed is the same
word. An aanbieder field is left blank as the region-wide document leaves it (`velden="leeg"`,
the redline: accepting it gives the built document), or named in words, "‹naam aanbieder›"
(`velden="woorden"`, the text and HTML diffs: a field that changes stays visible; never the
source's "[[aanbieder.naam]]"). `opbouw` groups the blocks into
artikelen and leden by their ids (`Blok.binnen`, resolve/blokken.py) for alignment; `regels`
turns the other blocks into lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any, Union

from contractgen.basis.problemen import DataFout, Probleem
from contractgen.diff.bron import Kant, splits
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.velden import VELD
from contractgen.render.docx import gedrukte_tekst
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


def lees(kant: Kant, regio: str | None, doc: m.Document, velden: str = "woorden") -> list[rb.Blok]:
    """The typed blocks of `doc` as the region-wide document prints them on the side's peildatum.

    `velden`: "leeg" leaves an aanbieder field blank, as the built region-wide document does;
    "woorden" names it ("‹naam aanbieder›"). Raises DataFout when the side has no region to
    resolve with, or resolve's own errors (a tariff set missing for the document's looptijd).
    """
    peildatum = kant.peildatum or nieuwste_datum(doc)
    try:
        blokken = weergave(_regio(kant, regio, doc), doc, None, peildatum, velden_tonen=velden != "leeg").blokken
        return [gedrukt(b) for b in blokken]
    except DataFout as fout:  # a single file is not among the region's files: name it as the user typed it
        if not kant.enkel:
            raise
        bestand = splits(kant.label)[0]
        raise DataFout([replace(p, bestand=bestand) if p.bestand == doc.id else p for p in fout.problemen])


_WOORDEN = {"naam": "naam", "kvk": "KvK-nummer", "agb": "AGB-code", "domeinen": "domeinen", "adres": "adres",
            "functie": "functie", "email": "e-mailadres", "telefoon": "telefoonnummer"}


def veld_in_woorden(m: re.Match) -> str:
    """'[[aanbieder.vertegenwoordiger.naam]]' → '‹naam vertegenwoordiger aanbieder›': the field in words."""
    naam = m.group(1).partition("|")[0].strip()
    delen = [d.replace("_", " ").replace("-", " ") for d in naam.split(".") if d not in ("rol", "waarde")]
    if len(delen) > 1 and delen[-1] in _WOORDEN:
        delen = [_WOORDEN[delen[-1]]] + delen[1:-1] + [delen[0]]
    else:
        delen = delen[1:] + delen[:1]
    return "‹" + " ".join(delen) + "›"


def drukvorm(tekst: str) -> str:
    """One text as the .docx prints it, NFC, with a remaining field named in words."""
    tekst = unicodedata.normalize("NFC", gedrukte_tekst(tekst))
    return VELD.sub(veld_in_woorden, tekst) if "[[" in tekst else tekst


def _gedrukt_waarde(x: Any) -> Any:
    if isinstance(x, str):
        return drukvorm(x)
    if isinstance(x, list):
        return [_gedrukt_waarde(y) for y in x]
    if isinstance(x, rb.HandtekeningRegel):
        return replace(x, label=drukvorm(x.label), waarde=drukvorm(x.waarde))
    return x


_TEKSTVELDEN = {"tekst", "label", "nummer", "titel", "kop", "rijen", "waarde"}


def gedrukt(blok: rb.Blok) -> rb.Blok:
    """A block with every text as printed (`drukvorm`); ids and kinds as they are."""
    if isinstance(blok, rb.PaginaEinde):
        return blok
    wijzig = {f.name: _gedrukt_waarde(getattr(blok, f.name)) for f in fields(blok)
              if f.name in _TEKSTVELDEN and getattr(blok, f.name) is not None}
    return replace(blok, **wijzig)


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
                out.append(Regel("alinea", f"{lid.nummer}\t{lid.tekst}"))  # as printed: number, tab, text
                out += regels(lid.inhoud)
        elif isinstance(blok, rb.Kop):
            out.append(Regel(_KOP.get(blok.niveau, "subkop"), blok.tekst))
        elif isinstance(blok, rb.Tabel):
            if blok.kop:
                out.append(_rij("tabelkop", blok.kop))
            out += [_rij("rij", r) for r in blok.rijen]
        elif isinstance(blok, rb.Item):  # as the template prints it: marker, tab, text
            out.append(Regel("item", f"{blok.label}\t{blok.tekst}", niveau=blok.niveau - 1))
        elif isinstance(blok, rb.Voetnoot):
            out.append(Regel("voetnoot", f"{blok.nummer} {blok.tekst}"))
        elif isinstance(blok, rb.Handtekening):  # its title, then a row per line (a table, as printed)
            out.append(Regel("handtekening", blok.titel))
            out += [_rij("rij", [r.label, r.waarde]) for r in blok.rijen]
        elif isinstance(blok, rb.Lid):
            out.append(Regel("alinea", f"{blok.nummer}\t{blok.tekst}"))
        elif isinstance(blok, rb.Alinea):
            out.append(Regel("alinea", blok.tekst))
    return out


def _rij(soort: str, cellen: list[str]) -> Regel:
    return Regel(soort, " | ".join(cellen), tuple(cellen))
