"""What changed between two sides (diff_bron.Kant), aligned by stable id.

Articles and leden are matched by `id`, so a renumbered or moved article shows
as renumbered or moved, not as deleted-and-added. Other blocks become lines that
are matched as a sequence. Texts are compared word by word. Tariffs are matched
by productcode over all arrangementen of the sets of one domain. The result is a
tree of dataclasses, in the merged order of the new document, that every
renderer (tekst, html, docx) reads; the Dutch labels are made here once.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Union

from contractgen import model as m
from contractgen.diff_bron import Kant
from contractgen.problems import DataFout, Probleem
from contractgen.resolve import EENHEID_TEKST, bedrag_tekst
from contractgen.textfields import datum_tekst

Deel = tuple[str, str]  # ("=" | "-" | "+", tekst)
Tekst = Callable[[str], str]

# --- woorden ----------------------------------------------------------------------

# a word keeps its inner punctuation (1.4, DVO's, collega-dienstverleners); whitespace rides along
_WOORD = re.compile(r"(\w+(?:[.,'’/-]\w+)*|[^\w\s])(\s*)")


def _tokens(tekst: str) -> list[tuple[str, str]]:
    voor = tekst[: len(tekst) - len(tekst.lstrip())]
    tokens = [(t.group(1), t.group(2)) for t in _WOORD.finditer(tekst)]
    return ([("", voor)] if voor else []) + tokens


def woorden(oud: str, nieuw: str) -> list[Deel]:
    """Word-level changes; joining '=' and '-' gives the old text, '=' and '+' the new."""
    if oud == nieuw:
        return [("=", nieuw)] if nieuw else []
    a, b = _tokens(oud), _tokens(nieuw)
    sm = difflib.SequenceMatcher(None, [w for w, _ in a], [w for w, _ in b], autojunk=False)
    if sm.ratio() < 0.25:  # rewritten: one deletion and one insertion reads better than confetti
        return [d for d in (("-", oud), ("+", nieuw)) if d[1]]
    delen: list[Deel] = []
    for tag, i1, i2, j1, j2 in _opruimen(sm.get_opcodes()):
        if tag == "equal":
            stuk = [w + s for w, s in b[j1:j2]]
            # the longer whitespace of the last word keeps a following deletion apart
            stuk[-1] = b[j2 - 1][0] + max(a[i2 - 1][1], b[j2 - 1][1], key=len)
            delen.append(("=", "".join(stuk)))
            continue
        if i2 > i1:
            delen.append(("-", "".join(w + s for w, s in a[i1:i2])))
        if j2 > j1:
            delen.append(("+", "".join(w + s for w, s in b[j1:j2])))
    return delen


def _opruimen(ops: list) -> list:
    """Fold a short common run between two larger changes into them (no 'de'-confetti)."""
    result: list[list] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal" and 0 < k < len(ops) - 1:
            buren = min(max(o[2] - o[1], o[4] - o[3]) for o in (ops[k - 1], ops[k + 1]))
            if i2 - i1 <= 2 and i2 - i1 < buren:
                tag = "replace"
        if result and tag != "equal" and result[-1][0] != "equal":
            result[-1] = ["replace", result[-1][1], i2, result[-1][3], j2]
        else:
            result.append([tag, i1, i2, j1, j2])
    return result


def gewijzigd(delen: list[Deel]) -> bool:
    return any(s != "=" for s, _ in delen)


# --- regels: blokken als vergelijkbare regels ----------------------------------------


@dataclass(frozen=True)
class Regel:
    """One line of a document outside the article structure (or a tariff condition)."""

    soort: str  # kop, subkop, hoofdstuk, alinea, item, tabelkop, rij, voetnoot, verwijzing, voorwaarde
    tekst: str
    cellen: tuple[str, ...] = ()
    niveau: int = 0

    @property
    def sleutel(self) -> str:
        return f"{self.soort}\x00{self.tekst}"


def regels(blokken: list, t: Tekst, niveau: int = 0) -> list[Regel]:
    """Blocks as lines: what a reader sees, with inline fields filled in by `t`."""
    out: list[Regel] = []
    for blok in blokken:
        soort = m.blok_soort(blok)
        b = getattr(blok, soort)
        extra = f" [alleen voor: {', '.join(blok.alleen_voor)}]" if blok.alleen_voor else ""
        if soort in ("kop", "subkop", "alinea"):
            out.append(Regel(soort, t(b) + extra))
        elif soort == "opsomming":
            out += _items(b.items, {"bullet": "•", "streep": "-", "label": ""}[b.stijl], t, niveau)
        elif soort == "tabel":
            if b.kolommen:
                out.append(_rij("tabelkop", [t(c) for c in b.kolommen]))
            out += [_rij("rij", [t(c) for c in r]) for r in b.rijen]
        elif soort == "begrippen":
            out += [_rij("rij", [t(x.begrip), t(x.definitie)]) for x in b]
        elif soort == "bijlagenlijst":
            out += [_rij("rij", [f"Bijlage {x.nummer}", t(x.titel)]) for x in b]
        elif soort == "eisen":
            if b.titel:
                out.append(Regel("subkop", t(b.titel)))
            out += [_rij("rij", [e.nr, t(e.tekst) + "".join(f"\n• {t(i if isinstance(i, str) else i.tekst)}"
                                                          for i in e.opsomming)]) for e in b.eisen]
        elif soort == "voetnoot":
            out.append(Regel("voetnoot", f"{b.nummer} {t(b.tekst)}"))
        elif soort == "hoofdstuk":
            out.append(Regel("hoofdstuk", f"HOOFDSTUK {b.nummer} {t(b.titel)}".strip()))
        elif soort == "artikel":  # an article inside an article: its text, without alignment
            out.append(Regel("subkop", artikel_kop(b, t)))
            for lid in b.leden:
                out.append(Regel("alinea", f"{lid.nummer} {t(lid.tekst)}"))
                out += regels(lid.inhoud, t, niveau + 1)
        elif soort != "pagina_einde":
            out.append(Regel("verwijzing", _verwijzing(soort, b) + extra))
    return out


def _items(items: list, teken: str, t: Tekst, niveau: int) -> list[Regel]:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(Regel("item", f"{teken} {t(item)}".strip(), niveau=niveau))
            continue
        label = t(item.label) if item.label is not None else teken
        out.append(Regel("item", f"{label} {t(item.tekst)}".strip(), niveau=niveau))
        out += _items(item.items, teken, t, niveau + 1)
    return out


def _rij(soort: str, cellen: list[str]) -> Regel:
    return Regel(soort, " | ".join(cellen), tuple(cellen))


def _verwijzing(soort: str, b) -> str:
    if soort == "handtekening":
        return f"Handtekeningenblok {b.blok}" + (f": {b.titel}" if b.titel else "")
    if soort == "arrangementen":
        return f"Tarieftabellen uit tariefset {b.tarieven}"
    if soort == "uurtarieven":
        return f"Uurtarieven uit tariefset {b.tarieven}" + (f", groep {b.groep}" if b.groep else "")
    if soort == "transformatie":
        return f"Transformatietabel {b.tabel}"
    if soort == "motivatie":
        return f"Motivatietabel ({', '.join(b.kolommen)})"
    if soort == "invoegen":
        return f"Ingevoegd fragment {b.document}"
    return soort


def artikel_kop(art: m.Artikel, t: Tekst = str) -> str:
    """'Artikel 3: Bijlagen' or 'Artikel 9 Periodieke evaluatie', as render shows it."""
    titel = t(art.titel)
    if not titel:
        return f"Artikel {art.nummer}"
    return f"Artikel {art.nummer}{art.scheiding} {titel}".replace(":  ", ": ")


# --- het vergelijkingsmodel ---------------------------------------------------------


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
    plaats: str = ""  # the heading it stands under, for reports

    @property
    def status(self) -> str:
        return _status(self.oud, self.nieuw, gewijzigd(self.woorden))

    @property
    def soort(self) -> str:
        return (self.nieuw or self.oud).soort


@dataclass
class LidVerschil:
    oud: m.Lid | None
    nieuw: m.Lid | None
    tekst: list[Deel]
    inhoud: list[RegelVerschil]
    verplaatst: bool = False
    uit_artikel: str | None = None  # the old article's number when the lid moved between articles

    @property
    def id(self) -> str:
        return (self.nieuw or self.oud).id

    @property
    def nummer(self) -> str:
        return (self.nieuw or self.oud).nummer

    @property
    def hernummerd(self) -> bool:
        return bool(self.oud and self.nieuw and self.oud.nummer != self.nieuw.nummer)

    @property
    def tekst_gewijzigd(self) -> bool:
        return gewijzigd(self.tekst) or any(r.status != "gelijk" for r in self.inhoud)

    @property
    def status(self) -> str:
        return _status(self.oud, self.nieuw, self.hernummerd or self.verplaatst or self.tekst_gewijzigd)

    def kenmerken(self) -> list[str]:
        return _kenmerken(self)


@dataclass
class ArtikelVerschil:
    oud: m.Artikel | None
    nieuw: m.Artikel | None
    titel: list[Deel]
    inhoud: list[RegelVerschil]
    leden: list[LidVerschil]
    verplaatst: bool = False
    uit_artikel: str | None = None

    @property
    def id(self) -> str:
        return (self.nieuw or self.oud).id

    @property
    def nummer(self) -> str:
        return (self.nieuw or self.oud).nummer

    @property
    def hernummerd(self) -> bool:
        return bool(self.oud and self.nieuw and self.oud.nummer != self.nieuw.nummer)

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
        result.append("gewijzigd")
    return result


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
        return self.nieuw or self.oud

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
        d = n or o
        return f"versie {d.versie}"


# --- tarieven -------------------------------------------------------------------------


@dataclass(frozen=True)
class Tariefpost:
    productcode: str
    omschrijving: str
    tarief: Decimal | None
    eenheid: str
    arrangement: str  # id of arrangement or uurtarieven group


@dataclass
class TariefVerschil:
    productcode: str
    oud: Tariefpost | None
    nieuw: Tariefpost | None

    @property
    def status(self) -> str:
        if self.oud is None:
            return "toegevoegd"
        if self.nieuw is None:
            return "vervallen"
        o, n = self.oud, self.nieuw
        return "gewijzigd" if (o.tarief, o.eenheid, o.omschrijving) != (n.tarief, n.eenheid, n.omschrijving) else "gelijk"

    @property
    def percentage(self) -> Decimal | None:
        if not (self.oud and self.nieuw and self.oud.tarief and self.nieuw.tarief is not None):
            return None
        return ((self.nieuw.tarief - self.oud.tarief) * 100 / self.oud.tarief).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def kenmerken(self) -> list[str]:
        """'€ 2.100 → € 2.175 (+3,6 %)', 'eenheid: per traject → per maand', ..."""
        o, n = self.oud, self.nieuw
        if o is None or n is None:
            p = n or o
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


# --- uitlijnen ----------------------------------------------------------------------


def _sleutel(x) -> str:
    return f"#{x.id}" if isinstance(x, (m.Artikel, m.Lid)) else x.sleutel


def _uitlijnen(oud: list, nieuw: list, oud_elders: dict, nieuw_ids: set) -> list[tuple]:
    """Merged order of two sequences of lines and id'd items: (oud, nieuw, verplaatst).

    An item whose id is in `nieuw_ids` is left out on the old side: it shows where it
    stands in the new version, paired with its old self from `oud_elders`.
    """
    sm = difflib.SequenceMatcher(None, [_sleutel(x) for x in oud], [_sleutel(x) for x in nieuw], autojunk=False)
    out: list[tuple] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out += [(o, n, False) for o, n in zip(oud[i1:i2], nieuw[j1:j2])]
        else:
            out += _koppel(oud[i1:i2], nieuw[j1:j2], oud_elders, nieuw_ids)
    return out


def _koppel(oud: list, nieuw: list, oud_elders: dict, nieuw_ids: set) -> list[tuple]:
    """Pair what differs, in order: similar lines become one changed line, the rest is removed/added."""
    oud = [o for o in oud if not (isinstance(o, (m.Artikel, m.Lid)) and o.id in nieuw_ids)]
    out, wachtend, i = [], [], 0
    for n in nieuw:
        if isinstance(n, (m.Artikel, m.Lid)):
            if n.id in oud_elders:
                out.append((oud_elders[n.id], n, True))
            else:
                wachtend.append((None, n, False))
            continue
        k = next((k for k in range(i, len(oud)) if _lijkt(oud[k], n)), None)
        if k is None:
            wachtend.append((None, n, False))
            continue
        out += [(o, None, False) for o in oud[i:k]] + wachtend + [(oud[k], n, False)]
        wachtend, i = [], k + 1
    return out + [(o, None, False) for o in oud[i:]] + wachtend


def _lijkt(o, n) -> bool:
    if not isinstance(o, Regel) or o.soort != n.soort:
        return False
    a, b = [w for w, _ in _tokens(o.tekst)], [w for w, _ in _tokens(n.tekst)]
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sm.real_quick_ratio() >= 0.5 and sm.quick_ratio() >= 0.5 and sm.ratio() >= 0.5


def _regel(o: Regel | None, n: Regel | None) -> RegelVerschil:
    if o is None or n is None:
        return RegelVerschil(o, n)
    cellen = [woorden(a, b) for a, b in zip(o.cellen, n.cellen)] if len(o.cellen) == len(n.cellen) else []
    return RegelVerschil(o, n, woorden(o.tekst, n.tekst), cellen)


def regels_vergelijken(oud: list[Regel], nieuw: list[Regel]) -> list[RegelVerschil]:
    return [_regel(o, n) for o, n, _ in _uitlijnen(oud, nieuw, {}, set())]


# --- documenten ---------------------------------------------------------------------


def _eenheden(doc: m.Document | None, t: Tekst) -> list:
    """Top level of a document: articles as they are, other blocks as lines."""
    out: list = []
    for blok in doc.inhoud if doc else []:
        if isinstance(blok, m.ArtikelBlok):
            out.append(blok.artikel)
        else:
            out += regels([blok], t)
    return out


def _artikelen(doc: m.Document | None) -> list[m.Artikel]:
    return [b.artikel for b in (doc.inhoud if doc else []) if isinstance(b, m.ArtikelBlok)]


class _Documentvergelijker:
    def __init__(self, oud: m.Document | None, nieuw: m.Document | None, t_oud: Tekst, t_nieuw: Tekst):
        self.t_oud, self.t_nieuw = t_oud, t_nieuw
        self.oud_art = {a.id: a for a in _artikelen(oud)}
        self.nieuw_art = {a.id: a for a in _artikelen(nieuw)}
        self.oud_leden = {lid.id: (lid, a) for a in self.oud_art.values() for lid in a.leden}
        self.nieuw_lid_ouder = {lid.id: a for a in self.nieuw_art.values() for lid in a.leden}

    def onderdelen(self, oud_top: list, nieuw_top: list) -> list[Onderdeel]:
        result: list[Onderdeel] = []
        for o, n, verplaatst in _uitlijnen(oud_top, nieuw_top, self.oud_art, set(self.nieuw_art)):
            if isinstance(o or n, m.Artikel):
                result.append(self.artikel(o, n, verplaatst))
            else:
                result.append(_regel(o, n))
        return result

    def _regels(self, o_blokken: list | None, n_blokken: list | None) -> list[RegelVerschil]:
        return regels_vergelijken(regels(o_blokken or [], self.t_oud), regels(n_blokken or [], self.t_nieuw))

    def artikel(self, o: m.Artikel | None, n: m.Artikel | None, verplaatst: bool) -> ArtikelVerschil:
        titel = woorden(self.t_oud(o.titel), self.t_nieuw(n.titel)) if o and n else []
        leden = []
        oud_elders = {k: v[0] for k, v in self.oud_leden.items()}
        for lo, ln, lid_verplaatst in _uitlijnen(o.leden if o else [], n.leden if n else [],
                                                  oud_elders, set(self.nieuw_lid_ouder)):
            leden.append(self.lid(lo, ln, lid_verplaatst))
        return ArtikelVerschil(o, n, titel, self._regels(o and o.inhoud, n and n.inhoud), leden, verplaatst)

    def lid(self, o: m.Lid | None, n: m.Lid | None, verplaatst: bool) -> LidVerschil:
        tekst = woorden(self.t_oud(o.tekst), self.t_nieuw(n.tekst)) if o and n else []
        uit = None
        if o and n:
            oud_ouder, nieuw_ouder = self.oud_leden[o.id][1], self.nieuw_lid_ouder[n.id]
            uit = oud_ouder.nummer if oud_ouder.id != nieuw_ouder.id else None
        return LidVerschil(o, n, tekst, self._regels(o and o.inhoud, n and n.inhoud), verplaatst, uit)


def vergelijk_document(sleutel: str, oud: m.Document | None, nieuw: m.Document | None,
                       t_oud: Tekst = str, t_nieuw: Tekst = str) -> DocumentVerschil:
    v = _Documentvergelijker(oud, nieuw, t_oud, t_nieuw)
    titel = woorden(oud.titel, nieuw.titel) if oud and nieuw else []
    onderdelen = v.onderdelen(_eenheden(oud, t_oud), _eenheden(nieuw, t_nieuw))
    _plaatsen(onderdelen)
    return DocumentVerschil(sleutel, oud, nieuw, titel, onderdelen)


def _plaatsen(onderdelen: list[Onderdeel]) -> None:
    """Tell every line outside the articles which heading it stands under."""
    plaats = ""
    for o in onderdelen:
        if isinstance(o, ArtikelVerschil):
            plaats = artikel_kop(o.nieuw or o.oud)
            continue
        o.plaats = plaats
        if o.soort in ("kop", "subkop", "hoofdstuk"):
            plaats = (o.nieuw or o.oud).tekst


# --- tarieven vergelijken -------------------------------------------------------------


def _posten(sets: list[m.TariefSet]) -> dict[str, Tariefpost]:
    result: dict[str, Tariefpost] = {}

    def voeg_toe(code: str, post: Tariefpost) -> None:
        sleutel, n = code, 1
        while sleutel in result:  # a code twice on one side stays twice, numbered
            n += 1
            sleutel = f"{code} ({n})"
        result[sleutel] = post

    for ts in sets:
        for arr in ts.arrangementen:
            for p in arr.producten + arr.toeslagen:
                cel = ", ".join(x for x in (p.naam, p.rij, p.kolom) if x)
                voeg_toe(p.productcode, Tariefpost(p.productcode, arr.titel + (f" — {cel}" if cel else ""),
                                                   p.tarief, p.eenheid, arr.id))
        for groep in ts.groepen:
            for p in groep.posten:
                voeg_toe(p.productcode or p.id, Tariefpost(p.productcode or "", f"{groep.titel} — {p.naam}",
                                                           p.tarief, p.eenheid, groep.id))
    return result


def _arrangement_regels(arr: m.Arrangement) -> list[Regel]:
    out = [Regel("voorwaarde", v) for v in arr.voorwaarden]
    if arr.degressief:
        d = arr.degressief
        delen = [f"{d.percentage}%" if d.percentage else "", f"drempel {d.drempel}" if d.drempel else "",
                 ", ".join(d.producten), d.tekst or ""]
        out.append(Regel("voorwaarde", "Degressief: " + "; ".join(x for x in delen if x)))
    return out


def _arrangementparen(oud: list[m.TariefSet], nieuw: list[m.TariefSet]) -> list[tuple]:
    """Arrangements by id, else by title (ids are unique per region, so a new year has new ids)."""
    vrij = [a for t in oud for a in t.arrangementen]
    paren = []
    for n in (a for t in nieuw for a in t.arrangementen):
        o = next((a for a in vrij if a.id == n.id), None) or next((a for a in vrij if a.titel == n.titel), None)
        if o is not None:
            vrij.remove(o)
        paren.append((o, n))
    return paren + [(o, None) for o in vrij]


def vergelijk_tarieven(domein: str, oud: list[m.TariefSet], nieuw: list[m.TariefSet]) -> TariefsetVerschil:
    po, pn = _posten(oud), _posten(nieuw)
    posten = [TariefVerschil(k, po.get(k), pn.get(k)) for k in list(pn) + [k for k in po if k not in pn]]
    voorwaarden = []
    for o, n in _arrangementparen(oud, nieuw):
        verschil = regels_vergelijken(_arrangement_regels(o) if o else [], _arrangement_regels(n) if n else [])
        if any(r.status != "gelijk" for r in verschil):
            voorwaarden.append(VoorwaardenVerschil((n or o).titel, verschil))
    return TariefsetVerschil(domein, oud, nieuw, posten, voorwaarden)


# --- het geheel -----------------------------------------------------------------------


def _sleutels(oud: dict, nieuw: dict) -> tuple[dict, dict]:
    """(regio, id) → shown name → (regio, value); the region is named only where there are several."""
    regios = {r for r, _ in list(oud) + list(nieuw) if r}

    def naam(r: str | None, i: str) -> str:
        return f"{r}/{i}" if r and len(regios) > 1 else i

    return ({naam(*k): (k[0], v) for k, v in oud.items()}, {naam(*k): (k[0], v) for k, v in nieuw.items()})


def vergelijk(oud: Kant, nieuw: Kant, document: str | None = None) -> Vergelijking:
    """Compare every document and tariff series of two sides (or only `document`)."""
    do, dn = _sleutels(oud.documenten, nieuw.documenten)
    to, tn = _sleutels(oud.tariefsets, nieuw.tariefsets)
    doc_keys = list(dict.fromkeys(sorted(dn) + sorted(do)))
    tarief_keys = list(dict.fromkeys(sorted(tn) + sorted(to)))
    if document is not None:
        set_ids = {k: {t.id for kant in (to, tn) for t in kant.get(k, (None, []))[1]} for k in tarief_keys}
        doc_keys = [k for k in doc_keys if document in (k, k.rsplit("/", 1)[-1])]
        tarief_keys = [k for k in tarief_keys if document in set_ids[k]]
        if not doc_keys and not tarief_keys:
            bekend = sorted(set(do) | set(dn) | set().union(*set_ids.values()))
            raise DataFout([Probleem("--document", bericht=f"onbekend document '{document}'; bekend zijn: "
                                                          f"{', '.join(bekend) or 'geen'}")])
    documenten = []
    for k in doc_keys:
        (ro, o), (rn, n) = do.get(k, (None, None)), dn.get(k, (None, None))
        t_oud = oud.invulling(ro, o).vul_in if o else str
        t_nieuw = nieuw.invulling(rn, n).vul_in if n else str
        documenten.append(vergelijk_document(k, o, n, t_oud, t_nieuw))
    tarieven = [vergelijk_tarieven(k, to.get(k, (None, []))[1], tn.get(k, (None, []))[1]) for k in tarief_keys]
    return Vergelijking(oud, nieuw, documenten, tarieven)


def datum_kort(d: date | None) -> str:
    return datum_tekst(d) if d else ""
