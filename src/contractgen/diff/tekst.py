"""A diff for the terminal: what changed, article by article, with word-level marks.

Deleted words are red (struck through) and added words green when the output is a
terminal; otherwise they are marked [-zo-] and {+zo+}, like `git diff --word-diff`.
Long unchanged stretches inside a changed text are shortened to a few words of context.
"""

from __future__ import annotations

import re

import click

from contractgen.diff.model import (
    ArtikelVerschil,
    Deel,
    DocumentVerschil,
    LidVerschil,
    RegelVerschil,
    TariefsetVerschil,
    Vergelijking,
)
from contractgen.diff.woorden import zichtbaar_wit

BREEDTE = 100
CONTEXT = 8  # words of unchanged text shown around a change
# click.style options of deleted and inserted words (when the output is a terminal)
_OPMAAK: dict[str, dict[str, str | bool]] = {"-": {"fg": "red", "strikethrough": True}, "+": {"fg": "green"}}


class _Schrijver:
    def __init__(self, kleur: bool, breedte: int = BREEDTE):
        self.kleur, self.breedte = kleur, breedte
        self.regels: list[str] = []

    def stijl(self, tekst: str, **opmaak) -> str:
        return click.style(tekst, **opmaak) if self.kleur and any(opmaak.values()) else tekst

    def schrijf(self, tekst: str = "", **opmaak) -> None:
        self.regels.append(self.stijl(tekst, **opmaak) if tekst else "")

    def delen(self, delen: list[Deel], inspringing: int, inkorten: bool = True) -> None:
        """Word-diffed text, wrapped; marks survive wrapping and copy-paste."""
        if inkorten:
            delen = _inkorten(delen)
        woorden: list[tuple[int, str]] = []  # (visible length, rendered)
        nieuw_woord = True
        for i, (soort, tekst) in enumerate(delen):
            if soort != "=" and tekst.isspace():
                tekst = zichtbaar_wit(tekst)  # a line break added or removed must show
            if soort != "=" and not self.kleur:
                kern = tekst.strip()
                voor = tekst[: len(tekst) - len(tekst.lstrip())]  # 'gemeente {+of de huisarts+}.'
                # [-oud-]{+nieuw+}: a replacement reads as one unit
                rest = "" if soort == "-" and i + 1 < len(delen) and delen[i + 1][0] == "+" else tekst[len(voor) + len(kern):]
                tekst = voor + ("[-" if soort == "-" else "{+") + kern + ("-]" if soort == "-" else "+}") + rest
            for stuk in re.split(r"(\s+)", tekst):
                if not stuk:
                    continue
                if stuk.isspace():
                    nieuw_woord = True
                    continue
                opmaak = _OPMAAK.get(soort, {})
                weergave = self.stijl(stuk, **opmaak) if opmaak else stuk
                if nieuw_woord or not woorden:
                    woorden.append((len(stuk), weergave))
                else:
                    lengte, eerder = woorden[-1]
                    woorden[-1] = (lengte + len(stuk), eerder + weergave)
                nieuw_woord = False
        regel: list[str] = []
        lengte = inspringing
        for n, w in woorden:
            if regel and lengte + 1 + n > self.breedte:
                self.regels.append(" " * inspringing + " ".join(regel))
                regel, lengte = [], inspringing
            regel.append(w)
            lengte += n + (1 if len(regel) > 1 else 0)
        if regel:
            self.regels.append(" " * inspringing + " ".join(regel))


def _inkorten(delen: list[Deel]) -> list[Deel]:
    """Keep CONTEXT words of unchanged text on each side of a change."""
    if not any(s != "=" for s, _ in delen):
        return delen
    result = []
    for i, (soort, tekst) in enumerate(delen):
        woorden = tekst.split(" ")
        if soort != "=" or len(woorden) <= 2 * CONTEXT + 2:
            result.append((soort, tekst))
            continue
        eerste, laatste = i == 0, i == len(delen) - 1
        kop = "" if eerste else " ".join(woorden[:CONTEXT]) + " "
        staart = "" if laatste else " ".join(woorden[-CONTEXT - 1:])
        result.append(("=", kop + "…" if laatste else kop + "… " + staart))
    return result


def _heel(tekst: str, soort: str) -> list[Deel]:
    return [(soort, tekst)] if tekst else []


def tekst(v: Vergelijking, kleur: bool = False, breedte: int = BREEDTE) -> str:
    s = _Schrijver(kleur, breedte)
    s.schrijf("Vergelijking", bold=True)
    s.schrijf(f"  oud:   {v.oud.label}")
    s.schrijf(f"  nieuw: {v.nieuw.label}")
    s.schrijf()
    _samenvatting(s, v)
    for d in v.documenten:
        if d.status == "gewijzigd":
            _document(s, d)
    for t in v.tarieven:
        if t.status == "gewijzigd":
            _tarieven(s, t)
    return "\n".join(s.regels) + "\n"


def _samenvatting(s: _Schrijver, v: Vergelijking) -> None:
    s.schrijf("Samenvatting", bold=True)
    gelijk = [d.sleutel for d in v.documenten if d.status == "gelijk"]
    for d in v.documenten:
        if d.status == "gelijk":
            continue
        s.schrijf(f"  {d.status:<11}{d.sleutel} — {d.doc.volledige_titel} ({d.versie_tekst()})")
        if d.status == "gewijzigd":
            s.schrijf(f"  {'':<11}{d.samenvatting()}")
    for t in v.tarieven:
        if t.status != "gelijk":
            s.schrijf(f"  {t.status:<11}tarieven {t.domein} ({t.sets_tekst()}): {t.samenvatting()}")
    if gelijk:
        s.schrijf(f"  {'gelijk':<11}{', '.join(gelijk)}")
    if not v.heeft_verschillen:
        s.schrijf("  geen verschillen")


def _document(s: _Schrijver, d: DocumentVerschil) -> None:
    s.schrijf()
    s.schrijf(f"═══ {d.sleutel} — {d.doc.volledige_titel} ({d.versie_tekst()})", bold=True)
    if d.titel and any(x != "=" for x, _ in d.titel):
        s.schrijf("  titel gewijzigd:")
        s.delen(d.titel, 6, inkorten=False)
    for o in d.onderdelen:
        if o.status == "gelijk":
            continue
        if isinstance(o, ArtikelVerschil):
            _artikel(s, o)
        else:
            _regel(s, o, 2)


def _regel(s: _Schrijver, r: RegelVerschil, inspringing: int) -> None:
    waar = f" {r.plaats}" if r.plaats else ""
    s.schrijf(" " * inspringing + f"{r.soort} {r.status}{waar}")
    if r.status == "gewijzigd":
        s.delen(r.woorden, inspringing + 4)
    else:
        s.delen(_heel(r.huidig.tekst, "+" if r.nieuw else "-"), inspringing + 4, inkorten=False)


def _artikel(s: _Schrijver, a: ArtikelVerschil) -> None:
    kenmerken = a.kenmerken()
    kop = a.kop
    s.schrijf(f"{kop}" + (f": {'; '.join(kenmerken)}" if kenmerken else ""), bold=True)
    if a.oud is None or a.nieuw is None:
        teken = "+" if a.nieuw else "-"
        for lid in a.leden:
            if lid.status in ("toegevoegd", "verwijderd"):
                s.schrijf(f"  {lid.nummer}")
                s.delen(_heel(lid.huidig.tekst, teken), 8, inkorten=False)
            else:
                _lid(s, lid)
        return
    if a.titel and any(x != "=" for x, _ in a.titel):
        s.schrijf("  titel:")
        s.delen(a.titel, 8, inkorten=False)
    for r in a.inhoud:
        if r.status != "gelijk":
            _regel(s, r, 2)
    for lid in a.leden:
        if lid.status != "gelijk":
            _lid(s, lid)


def _lid(s: _Schrijver, lid: LidVerschil) -> None:
    s.schrijf(f"  {lid.nummer:<6}" + ", ".join(lid.kenmerken()))
    if lid.oud is None or lid.nieuw is None:
        s.delen(_heel(lid.huidig.tekst, "+" if lid.nieuw else "-"), 8, inkorten=False)
    elif any(x != "=" for x, _ in lid.tekst):
        s.delen(lid.tekst, 8)
    for r in lid.inhoud:
        if r.status != "gelijk":
            _regel(s, r, 8)


def _tarieven(s: _Schrijver, t: TariefsetVerschil) -> None:
    s.schrijf()
    s.schrijf(f"═══ tarieven {t.domein} ({t.sets_tekst()})", bold=True)
    for p in t.posten:
        if p.status == "gelijk":
            continue
        post = p.huidig
        kleur = {"toegevoegd": "green", "vervallen": "red"}.get(p.status)
        s.schrijf(f"  {p.productcode:<8} {post.omschrijving}: {'; '.join(p.kenmerken())}", fg=kleur)
    for vw in t.voorwaarden:
        s.schrijf(f"  voorwaarden bij {vw.arrangement}:")
        for r in vw.regels:
            if r.status != "gelijk":
                _regel(s, r, 4)
