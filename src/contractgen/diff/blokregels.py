"""What diff compares: each side's document resolved into typed blocks, as render prints it.

`lees` resolves one document of one side region-wide (no aanbieder) at that side's peildatum
(`resolve.weergave`), so a list marker, an eis with its list, a footnote or a tariff amount in
a printed table reads in the diff exactly as in the .docx. `opbouw` groups the blocks into
artikelen and leden by their ids (`Blok.binnen`, resolve/blokken.py) for alignment; `regels`
turns the other blocks into lines.
"""

from __future__ import annotations

from datetime import date

from contractgen.basis.problemen import DataFout, Probleem
from contractgen.diff.bron import Kant
from contractgen.diff.model import Artikel, Inhoud, Lid, Regel
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.resolve import blokken as rb
from contractgen.resolve.weergave import weergave

_KOP = {1: "hoofdstuk", 2: "kop", 3: "subkop"}


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
    """The typed blocks of `doc` as the region-wide document prints them on the side's peildatum.

    Raises DataFout when the side has no region to resolve with, or resolve's own errors (a
    tariff set missing for the document's looptijd).
    """
    return weergave(_regio(kant, regio, doc), doc, None, kant.peildatum or nieuwste_datum(doc)).blokken


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
