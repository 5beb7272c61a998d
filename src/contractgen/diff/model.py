"""The comparison model: what changed between two sides, as dataclasses.

Every renderer (diff_tekst, diff_html, redline) reads this tree; the Dutch labels
('hernummerd: 10.3 → 10.2', '€ 2.100 → € 2.175 (+3,6 %)') are made here once.
Parts are in the merged order of the new document, unchanged parts included, so a
redline can show the whole new text. diff/vergelijk.py builds the tree from the typed
blocks of each resolved document (diff/blokregels.py): the text as the document prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, TypeVar, Union

from contractgen.basis.formaat import bedrag_tekst
from contractgen.diff.blokregels import Artikel, Lid, Regel
from contractgen.diff.bron import Kant
from contractgen.diff.woorden import Deel, alleen_witruimte, gewijzigd
from contractgen.domein import model as m
from contractgen.resolve.tarieven import EENHEID_TEKST


def _status(oud, nieuw, veranderd: bool) -> str:
    if oud is None:
        return "toegevoegd"
    if nieuw is None:
        return "verwijderd"
    return "gewijzigd" if veranderd else "gelijk"


@dataclass
class RegelVerschil:
    oud: Regel | None
    nieuw: Regel | None
    woorden: list[Deel] = field(default_factory=list)
    cellen: list[list[Deel]] = field(default_factory=list)  # per cell, for table rows with as many cells
    plaats: str = ""  # where it stands: "onder 'Aanleiding'", "na 'Artikel 5: Slotbepalingen'"

    @property
    def status(self) -> str:
        return _status(self.oud, self.nieuw, gewijzigd(self.woorden))

    @property
    def huidig(self) -> Regel:
        """The new line, or the old one when it was removed: every RegelVerschil has at least one side."""
        regel = self.nieuw or self.oud
        assert regel is not None, "RegelVerschil without oud and nieuw"
        return regel

    @property
    def soort(self) -> str:
        return self.huidig.soort


_Nr = TypeVar("_Nr", Lid, Artikel)


class _Genummerd(Generic[_Nr]):
    """What an article and a lid have in common in a comparison: an id and a number that may change."""

    # declared here for the type checker; the dataclass subclasses define them as fields
    oud: _Nr | None
    nieuw: _Nr | None

    @property
    def huidig(self) -> _Nr:
        """The new version, or the old one when it was removed: a comparison has at least one side."""
        x = self.nieuw or self.oud
        assert x is not None, f"{type(self).__name__} without oud and nieuw"
        return x

    @property
    def id(self) -> str:
        return self.huidig.id

    @property
    def nummer(self) -> str:
        return self.huidig.nummer

    @property
    def hernummerd(self) -> bool:
        return bool(self.oud and self.nieuw and self.oud.nummer != self.nieuw.nummer)


@dataclass
class LidVerschil(_Genummerd[Lid]):
    oud: Lid | None
    nieuw: Lid | None
    tekst: list[Deel]
    inhoud: list[RegelVerschil]
    verplaatst: bool = False
    uit_artikel: str | None = None  # the old article's number when the lid moved between articles
    naar: str | None = None  # the old place of a moved lid (oud only): the number it has now

    @property
    def tekst_gewijzigd(self) -> bool:
        return gewijzigd(self.tekst) or any(r.status != "gelijk" for r in self.inhoud)

    @property
    def status(self) -> str:
        return _status(self.oud, self.nieuw, self.hernummerd or self.verplaatst or self.tekst_gewijzigd)

    def kenmerken(self) -> list[str]:
        return _kenmerken(self)


@dataclass
class ArtikelVerschil(_Genummerd[Artikel]):
    oud: Artikel | None
    nieuw: Artikel | None
    titel: list[Deel]
    inhoud: list[RegelVerschil]
    leden: list[LidVerschil]
    verplaatst: bool = False
    uit_artikel: str | None = None
    # the old places of leden that moved (away from here): (index in `leden` it stood before, its old side);
    # only a redline shows them (w:moveFrom), the other renderers name the move where the lid now stands
    vertrokken: list[tuple[int, LidVerschil]] = field(default_factory=list)

    # headings as each version's document prints them (resolve.koppen), and the text before the title
    @property
    def kop_oud(self) -> str:
        return self.oud.kop if self.oud else ""

    @property
    def kop_nieuw(self) -> str:
        return self.nieuw.kop if self.nieuw else ""

    @property
    def voor_oud(self) -> str:
        return self.oud.delen()[0] if self.oud else ""

    @property
    def voor_nieuw(self) -> str:
        return self.nieuw.delen()[0] if self.nieuw else ""

    @property
    def kop(self) -> str:
        return self.kop_nieuw or self.kop_oud

    @property
    def tekst_gewijzigd(self) -> bool:
        return gewijzigd(self.titel) or any(r.status != "gelijk" for r in self.inhoud)

    @property
    def status(self) -> str:
        veranderd = self.hernummerd or self.verplaatst or self.tekst_gewijzigd
        return _status(self.oud, self.nieuw, veranderd or any(lid.status != "gelijk" for lid in self.leden))

    def kenmerken(self) -> list[str]:
        return _kenmerken(self)


def _kenmerken(x: LidVerschil | ArtikelVerschil) -> list[str]:
    """The Dutch labels of one article or lid: 'hernummerd: 10.3 → 10.2', 'gewijzigd', ..."""
    if x.oud is None or x.nieuw is None:
        return [x.status]
    result = []
    if x.hernummerd:
        result.append(f"hernummerd: {x.oud.nummer} → {x.nieuw.nummer}")
    if x.uit_artikel:
        result.append(f"verplaatst uit artikel {x.uit_artikel}")
    elif x.verplaatst:
        result.append("verplaatst")
    if x.tekst_gewijzigd:
        result.append("alleen witruimte gewijzigd" if _alleen_wit(x) else "gewijzigd")
    return result


def _alleen_wit(x: LidVerschil | ArtikelVerschil) -> bool:
    """Only spaces or line breaks changed: a jurist sees it is no change of content."""
    delen = x.tekst if isinstance(x, LidVerschil) else x.titel
    inhoud = [r for r in x.inhoud if r.status != "gelijk"]
    if any(r.status != "gewijzigd" or not alleen_witruimte(r.woorden) for r in inhoud):
        return False
    return (alleen_witruimte(delen) or not gewijzigd(delen)) and (bool(inhoud) or gewijzigd(delen))


Onderdeel = Union[RegelVerschil, ArtikelVerschil]


@dataclass
class Telling:
    toegevoegd: int = 0
    verwijderd: int = 0
    hernummerd: int = 0
    verplaatst: int = 0
    gewijzigd: int = 0

    def tel(self, x) -> None:
        if x.oud is None:
            self.toegevoegd += 1
        elif x.nieuw is None:
            self.verwijderd += 1
        else:
            self.hernummerd += bool(getattr(x, "hernummerd", False))
            self.verplaatst += bool(getattr(x, "verplaatst", False))
            self.gewijzigd += bool(getattr(x, "tekst_gewijzigd", x.status == "gewijzigd"))

    def tekst(self) -> str:
        delen = [(self.toegevoegd, "toegevoegd"), (self.verwijderd, "verwijderd"), (self.hernummerd, "hernummerd"),
                 (self.verplaatst, "verplaatst"), (self.gewijzigd, "gewijzigd")]
        return ", ".join(f"{n} {w}" for n, w in delen if n)


@dataclass
class DocumentVerschil:
    sleutel: str
    oud: m.Document | None
    nieuw: m.Document | None
    titel: list[Deel] = field(default_factory=list)
    onderdelen: list[Onderdeel] = field(default_factory=list)  # merged order, unchanged parts included

    @property
    def status(self) -> str:
        veranderd = gewijzigd(self.titel) or any(o.status != "gelijk" for o in self.onderdelen)
        return _status(self.oud, self.nieuw, veranderd)

    @property
    def doc(self) -> m.Document:
        """The new version, or the old one when the document was removed: at least one side is present."""
        doc = self.nieuw or self.oud
        assert doc is not None, f"DocumentVerschil {self.sleutel} without oud and nieuw"
        return doc

    def artikelen(self) -> list[ArtikelVerschil]:
        return [o for o in self.onderdelen if isinstance(o, ArtikelVerschil)]

    def tellingen(self) -> dict[str, Telling]:
        t = {"artikelen": Telling(), "leden": Telling(), "overige tekst": Telling()}
        for o in self.onderdelen:
            if isinstance(o, RegelVerschil):
                t["overige tekst"].tel(o)
                continue
            t["artikelen"].tel(o)
            for r in o.inhoud:
                t["overige tekst"].tel(r)
            for lid in o.leden:
                t["leden"].tel(lid)
                for r in lid.inhoud:
                    t["overige tekst"].tel(r)
        return t

    def samenvatting(self) -> str:
        if self.status in ("toegevoegd", "verwijderd"):
            return self.status
        delen = [f"{naam}: {t.tekst()}" for naam, t in self.tellingen().items() if t.tekst()]
        if gewijzigd(self.titel):
            delen.insert(0, "titel gewijzigd")
        return "; ".join(delen) or "geen verschillen"

    def versie_tekst(self) -> str:
        o, n = self.oud, self.nieuw
        if o and n:
            return f"versie {o.versie} → {n.versie}" if o.versie != n.versie else f"versie {n.versie}"
        return f"versie {self.doc.versie}"


# --- tarieven -------------------------------------------------------------------------


@dataclass(frozen=True)
class Tariefpost:
    productcode: str
    omschrijving: str
    tarief: Decimal | None
    eenheid: str


@dataclass
class TariefVerschil:
    productcode: str
    oud: Tariefpost | None
    nieuw: Tariefpost | None

    @property
    def huidig(self) -> Tariefpost:
        """The new post, or the old one when it lapsed: every TariefVerschil has at least one side."""
        post = self.nieuw or self.oud
        assert post is not None, f"TariefVerschil {self.productcode} without oud and nieuw"
        return post

    @property
    def status(self) -> str:
        if self.oud is None:
            return "toegevoegd"
        if self.nieuw is None:
            return "vervallen"
        o, n = self.oud, self.nieuw
        veranderd = (o.tarief, o.eenheid, o.omschrijving) != (n.tarief, n.eenheid, n.omschrijving)
        return "gewijzigd" if veranderd else "gelijk"

    @property
    def percentage(self) -> Decimal | None:
        if not (self.oud and self.nieuw and self.oud.tarief and self.nieuw.tarief is not None):
            return None
        return ((self.nieuw.tarief - self.oud.tarief) * 100 / self.oud.tarief).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def kenmerken(self) -> list[str]:
        """'€ 2.100 → € 2.175 (+3,6 %)', 'eenheid: per traject → per maand', ..."""
        o, n = self.oud, self.nieuw
        if o is None or n is None:
            p = self.huidig
            return [f"{self.status}: {bedrag_tekst(p.tarief)} {EENHEID_TEKST[p.eenheid]}"]
        result = []
        if o.tarief != n.tarief:
            pct = f" ({procent_tekst(self.percentage)})" if self.percentage is not None else ""
            result.append(f"{bedrag_tekst(o.tarief)} → {bedrag_tekst(n.tarief)}{pct}")
        if o.eenheid != n.eenheid:
            result.append(f"eenheid: {EENHEID_TEKST[o.eenheid]} → {EENHEID_TEKST[n.eenheid]}")
        if o.omschrijving != n.omschrijving:
            result.append(f"omschrijving: {o.omschrijving} → {n.omschrijving}")
        return result


def procent_tekst(p: Decimal) -> str:
    """+3,6 % / -0,5 % / 0,0 %"""
    teken = "+" if p > 0 else "-" if p < 0 else ""
    return f"{teken}{abs(p):.1f} %".replace(".", ",")


@dataclass
class VoorwaardenVerschil:
    arrangement: str  # titel
    regels: list[RegelVerschil]


@dataclass
class TariefsetVerschil:
    domein: str
    oud: list[m.TariefSet]
    nieuw: list[m.TariefSet]
    posten: list[TariefVerschil] = field(default_factory=list)
    voorwaarden: list[VoorwaardenVerschil] = field(default_factory=list)

    @property
    def status(self) -> str:
        veranderd = any(p.status != "gelijk" for p in self.posten) or bool(self.voorwaarden)
        return _status(self.oud or None, self.nieuw or None, veranderd)

    def sets_tekst(self) -> str:
        o, n = ", ".join(t.id for t in self.oud), ", ".join(t.id for t in self.nieuw)
        return f"{o} → {n}" if o and n and o != n else (n or o)

    def samenvatting(self) -> str:
        tel = {s: sum(1 for p in self.posten if p.status == s) for s in ("gewijzigd", "toegevoegd", "vervallen")}
        if not self.oud or not self.nieuw:
            return f"{'toegevoegd' if self.nieuw else 'vervallen'} ({len(self.posten)} productcodes)"
        delen = [f"{tel['gewijzigd']} productcode(s) gewijzigd" if tel["gewijzigd"] else "",
                 f"{tel['toegevoegd']} toegevoegd" if tel["toegevoegd"] else "",
                 f"{tel['vervallen']} vervallen" if tel["vervallen"] else "",
                 f"voorwaarden gewijzigd bij {len(self.voorwaarden)} arrangement(en)" if self.voorwaarden else ""]
        return ", ".join(d for d in delen if d) or "geen verschillen"


@dataclass
class Vergelijking:
    oud: Kant
    nieuw: Kant
    documenten: list[DocumentVerschil]
    tarieven: list[TariefsetVerschil]

    @property
    def heeft_verschillen(self) -> bool:
        return any(d.status != "gelijk" for d in self.documenten) or any(t.status != "gelijk" for t in self.tarieven)

    def datum(self, d: DocumentVerschil | None = None) -> date:
        """The date of the changes: NIEUW's peildatum, else when the new version took effect."""
        if self.nieuw.peildatum:
            return self.nieuw.peildatum
        doc = d.doc if d else next((x.doc for x in self.documenten), None)
        return doc.geldig_van if doc else date.today()
