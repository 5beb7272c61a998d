"""Build the comparison (diff.py) of two sides: align by stable id, compare word by word.

Each side's document is resolved into typed blocks first (`blokregels`): the diff compares
what the documents print. Articles and leden are matched by `id`, so a renumbered or moved
article shows as renumbered or moved, not as deleted-and-added. Other blocks become lines
(table rows one by one) matched as a sequence; similar lines pair
up as one changed line. Tariffs are matched by productcode over all arrangementen
of the sets of one domain.
"""

from __future__ import annotations

import difflib

from contractgen.basis.problemen import DataFout, Probleem
from contractgen.diff.blokregels import Artikel, Inhoud, Lid, Regel, drukvorm, lees, opbouw, regels
from contractgen.diff.bron import Kant
from contractgen.diff.model import (
    ArtikelVerschil,
    DocumentVerschil,
    LidVerschil,
    Onderdeel,
    RegelVerschil,
    Tariefpost,
    TariefsetVerschil,
    TariefVerschil,
    Vergelijking,
    VoorwaardenVerschil,
)
from contractgen.diff.woorden import tokens, woorden
from contractgen.diff.zijden import kies_zijden
from contractgen.domein import model as m
from contractgen.resolve.blokken import Blok

# --- uitlijnen ----------------------------------------------------------------------


def _sleutel(x) -> str:
    return f"#{x.id}" if isinstance(x, (Artikel, Lid)) else x.sleutel


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
    """Pair what differs, in order: similar lines become one changed line, the rest is removed/added.

    An old item whose id stands elsewhere in the new version comes out as (oud, None, True): the
    place it moved away from (a redline marks it w:moveFrom).
    """
    def weg(o) -> tuple:
        return (o, None, isinstance(o, (Artikel, Lid)) and o.id in nieuw_ids)

    out, wachtend, i = [], [], 0
    for n in nieuw:
        if isinstance(n, (Artikel, Lid)):
            if n.id in oud_elders:
                out.append((oud_elders[n.id], n, True))
            else:
                wachtend.append((None, n, False))
            continue
        k = next((k for k in range(i, len(oud)) if _lijkt(oud[k], n)), None)
        if k is None:
            wachtend.append((None, n, False))
            continue
        out += [weg(o) for o in oud[i:k]] + wachtend + [(oud[k], n, False)]
        wachtend, i = [], k + 1
    return out + [weg(o) for o in oud[i:]] + wachtend


def _lijkt(o, n) -> bool:
    if not isinstance(o, Regel) or o.soort != n.soort:
        return False
    a, b = [w for w, _ in tokens(o.tekst)], [w for w, _ in tokens(n.tekst)]
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


def _eenheden(top: list[Inhoud]) -> list:
    """Top level of a document: articles as they are, other blocks as lines."""
    out: list = []
    for x in top:
        out += [x] if isinstance(x, Artikel) else regels([x])
    return out


class _Documentvergelijker:
    def __init__(self, oud: list[Inhoud], nieuw: list[Inhoud]):
        self.oud_art = {a.id: a for a in oud if isinstance(a, Artikel)}
        self.nieuw_art = {a.id: a for a in nieuw if isinstance(a, Artikel)}
        self.oud_leden = {lid.id: (lid, a) for a in self.oud_art.values() for lid in a.leden}
        self.nieuw_lid_ouder = {lid.id: a for a in self.nieuw_art.values() for lid in a.leden}

    def onderdelen(self, oud_top: list, nieuw_top: list) -> list[Onderdeel]:
        result: list[Onderdeel] = []
        for o, n, verplaatst in _uitlijnen(oud_top, nieuw_top, self.oud_art, set(self.nieuw_art)):
            if n is None and verplaatst:  # an article moved away: it shows where it now stands
                continue
            if isinstance(o or n, Artikel):
                result.append(self.artikel(o, n, verplaatst))
            else:
                result.append(_regel(o, n))
        return result

    def artikel(self, o: Artikel | None, n: Artikel | None, verplaatst: bool) -> ArtikelVerschil:
        titel = woorden(o.titel, n.titel) if o and n else []
        leden: list[LidVerschil] = []
        vertrokken: list[tuple[int, LidVerschil]] = []
        oud_elders = {k: v[0] for k, v in self.oud_leden.items()}
        for lo, ln, lid_verplaatst in _uitlijnen(o.leden if o else [], n.leden if n else [],
                                                  oud_elders, set(self.nieuw_lid_ouder)):
            if ln is None and lid_verplaatst:  # moved away from here: the old place, before leden[len]
                vertrokken.append((len(leden), self.vertrokken(lo)))
            else:
                leden.append(self.lid(lo, ln, lid_verplaatst))
        inhoud = regels_vergelijken(regels(o.inhoud if o else []), regels(n.inhoud if n else []))
        return ArtikelVerschil(o, n, titel, inhoud, leden, verplaatst, vertrokken=vertrokken)

    def vertrokken(self, o: Lid) -> LidVerschil:
        """The old place of a lid that moved: its old text, the number it has now."""
        n = next(lid for a in self.nieuw_art.values() for lid in a.leden if lid.id == o.id)
        inhoud = regels_vergelijken(regels(o.inhoud), [])
        return LidVerschil(o, None, [], inhoud, True, naar=n.nummer)

    def lid(self, o: Lid | None, n: Lid | None, verplaatst: bool) -> LidVerschil:
        tekst = woorden(o.tekst, n.tekst) if o and n else []
        uit = None
        if o and n:
            oud_ouder, nieuw_ouder = self.oud_leden[o.id][1], self.nieuw_lid_ouder[n.id]
            uit = oud_ouder.nummer if oud_ouder.id != nieuw_ouder.id else None
        inhoud = regels_vergelijken(regels(o.inhoud if o else []), regels(n.inhoud if n else []))
        return LidVerschil(o, n, tekst, inhoud, verplaatst, uit)


def vergelijk_document(sleutel: str, oud: m.Document | None, nieuw: m.Document | None,
                       blokken_oud: list[Blok] | None = None, blokken_nieuw: list[Blok] | None = None
                       ) -> DocumentVerschil:
    """Compare two versions of a document by what each prints: their typed blocks (`blokregels.lees`)."""
    top_oud, top_nieuw = opbouw(blokken_oud or []), opbouw(blokken_nieuw or [])
    v = _Documentvergelijker(top_oud, top_nieuw)
    # the title as the built document prints it (render: document.titel)
    titel = woorden(drukvorm(oud.volledige_titel), drukvorm(nieuw.volledige_titel)) if oud and nieuw else []
    onderdelen = v.onderdelen(_eenheden(top_oud), _eenheden(top_nieuw))
    _plaatsen(onderdelen)
    return DocumentVerschil(sleutel, oud, nieuw, titel, onderdelen)


def _plaatsen(onderdelen: list[Onderdeel]) -> None:
    """Tell every line outside the articles which heading it stands under."""
    plaats = ""
    for o in onderdelen:
        if isinstance(o, ArtikelVerschil):
            plaats = f"na '{o.kop}'"
            continue
        o.plaats = plaats
        if o.soort in ("kop", "subkop", "hoofdstuk"):
            plaats = f"onder '{o.huidig.tekst}'"


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
                                                   p.tarief, p.eenheid))
        for groep in ts.groepen:
            for up in groep.posten:
                voeg_toe(up.productcode or up.id, Tariefpost(up.productcode or "", f"{groep.titel} — {up.naam}",
                                                             up.tarief, up.eenheid))
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


def vergelijk(oud: Kant, nieuw: Kant, document: str | None = None, velden: str = "woorden") -> Vergelijking:
    """Compare every document and tariff series of two sides (or only `document`).

    `velden`: how an aanbieder field reads (`blokregels.lees`): "woorden" for the text and HTML
    diffs, "leeg" for a redline (as the built region-wide document prints it).
    """
    docs_oud, docs_nieuw, sets_oud, sets_nieuw = kies_zijden(oud, nieuw, document)
    do, dn = _sleutels(docs_oud, docs_nieuw)
    to, tn = _sleutels(sets_oud, sets_nieuw)
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
        # a single file has no region key: it is read in the region of the other side (or its own folder's)
        documenten.append(vergelijk_document(k, o, n, lees(oud, ro or rn, o, velden) if o else [],
                                             lees(nieuw, rn or ro, n, velden) if n else []))
    tarieven = [vergelijk_tarieven(k, to.get(k, (None, []))[1], tn.get(k, (None, []))[1]) for k in tarief_keys]
    return Vergelijking(oud, nieuw, documenten, tarieven)
