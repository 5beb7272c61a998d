"""Build the comparison (diff.py) of two sides: align by stable id, compare word by word.

Articles and leden are matched by `id`, so a renumbered or moved article shows as
renumbered or moved, not as deleted-and-added. Other blocks become lines (as a
reader sees them, inline fields filled in) matched as a sequence; similar lines pair
up as one changed line. Tariffs are matched by productcode over all arrangementen
of the sets of one domain.
"""

from __future__ import annotations

import difflib

from contractgen.basis.problemen import DataFout, Probleem
from contractgen.diff.bron import Kant
from contractgen.diff.model import (
    ArtikelVerschil,
    DocumentVerschil,
    LidVerschil,
    Onderdeel,
    Regel,
    RegelVerschil,
    Tariefpost,
    TariefsetVerschil,
    TariefVerschil,
    Tekst,
    Vergelijking,
    VoorwaardenVerschil,
)
from contractgen.diff.woorden import tokens, woorden
from contractgen.diff.zijden import kies_zijden
from contractgen.domein import model as m
from contractgen.resolve.koppen import artikel_kop, artikel_kop_delen, hoofdstuk_kop

# --- blokken als regels -------------------------------------------------------------


def regels(blokken: list, t: Tekst, doc: m.Document | None = None, niveau: int = 0) -> list[Regel]:
    """Blocks as lines: what a reader sees, with inline fields filled in by `t`."""
    out: list[Regel] = []
    for blok in blokken:
        soort = m.blok_soort(blok)
        assert soort is not None, "a validated block always has a kind"
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
            out.append(Regel("hoofdstuk", hoofdstuk_kop(doc, b, t)))
        elif soort == "artikel":  # an article inside an article: its text, without alignment
            out.append(Regel("subkop", artikel_kop(doc, b, t)))
            for lid in b.leden:
                out.append(Regel("alinea", f"{lid.nummer} {t(lid.tekst)}"))
                out += regels(lid.inhoud, t, doc, niveau + 1)
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


def _eenheden(doc: m.Document | None, t: Tekst) -> list:
    """Top level of a document: articles as they are, other blocks as lines."""
    out: list = []
    for blok in doc.inhoud if doc else []:
        if isinstance(blok, m.ArtikelBlok):
            out.append(blok.artikel)
        else:
            out += regels([blok], t, doc)
    return out


def _artikelen(doc: m.Document | None) -> list[m.Artikel]:
    return [b.artikel for b in (doc.inhoud if doc else []) if isinstance(b, m.ArtikelBlok)]


class _Documentvergelijker:
    def __init__(self, oud: m.Document | None, nieuw: m.Document | None, t_oud: Tekst, t_nieuw: Tekst):
        self.t_oud, self.t_nieuw = t_oud, t_nieuw
        self.doc_oud, self.doc_nieuw = oud, nieuw
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

    def _heel(self, o, n, veld: str):
        """Something on one side only is shown whole: with its inline fields filled in, as a reader sees it."""
        if o and not n:
            o = o.model_copy(update={veld: self.t_oud(getattr(o, veld))})
        if n and not o:
            n = n.model_copy(update={veld: self.t_nieuw(getattr(n, veld))})
        return o, n

    def _regels(self, o_blokken: list | None, n_blokken: list | None) -> list[RegelVerschil]:
        return regels_vergelijken(regels(o_blokken or [], self.t_oud, self.doc_oud),
                                  regels(n_blokken or [], self.t_nieuw, self.doc_nieuw))

    def artikel(self, o: m.Artikel | None, n: m.Artikel | None, verplaatst: bool) -> ArtikelVerschil:
        o, n = self._heel(o, n, "titel")
        titel = woorden(self.t_oud(o.titel), self.t_nieuw(n.titel)) if o and n else []
        leden = []
        oud_elders = {k: v[0] for k, v in self.oud_leden.items()}
        for lo, ln, lid_verplaatst in _uitlijnen(o.leden if o else [], n.leden if n else [],
                                                  oud_elders, set(self.nieuw_lid_ouder)):
            leden.append(self.lid(lo, ln, lid_verplaatst))
        inhoud = self._regels(o.inhoud if o else None, n.inhoud if n else None)
        v = ArtikelVerschil(o, n, titel, inhoud, leden, verplaatst)
        if o:
            v.kop_oud, v.voor_oud = artikel_kop(self.doc_oud, o), artikel_kop_delen(self.doc_oud, o)[0]
        if n:
            v.kop_nieuw, v.voor_nieuw = artikel_kop(self.doc_nieuw, n), artikel_kop_delen(self.doc_nieuw, n)[0]
        return v

    def lid(self, o: m.Lid | None, n: m.Lid | None, verplaatst: bool) -> LidVerschil:
        o, n = self._heel(o, n, "tekst")
        tekst = woorden(self.t_oud(o.tekst), self.t_nieuw(n.tekst)) if o and n else []
        uit = None
        if o and n:
            oud_ouder, nieuw_ouder = self.oud_leden[o.id][1], self.nieuw_lid_ouder[n.id]
            uit = oud_ouder.nummer if oud_ouder.id != nieuw_ouder.id else None
        inhoud = self._regels(o.inhoud if o else None, n.inhoud if n else None)
        return LidVerschil(o, n, tekst, inhoud, verplaatst, uit)


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


def vergelijk(oud: Kant, nieuw: Kant, document: str | None = None) -> Vergelijking:
    """Compare every document and tariff series of two sides (or only `document`)."""
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
        # a single file has no region of its own: it is read in the region of the other side
        t_oud = oud.invulling(ro or rn, o).vul_in if o else str
        t_nieuw = nieuw.invulling(rn or ro, n).vul_in if n else str
        documenten.append(vergelijk_document(k, o, n, t_oud, t_nieuw))
    tarieven = [vergelijk_tarieven(k, to.get(k, (None, []))[1], tn.get(k, (None, []))[1]) for k in tarief_keys]
    return Vergelijking(oud, nieuw, documenten, tarieven)
