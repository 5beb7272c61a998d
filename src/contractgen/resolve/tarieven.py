"""Handlers for the tariff blocks: arrangement tables with productcodes (bijlagen 1.xa),
uurtarieven (1.xb), transformatietabellen (1.xc) and computed tables (rekentabel).

Which tariff set is shown: the set of the named familie whose looptijd holds the document's
looptijd (`domein.zoeken.kies_tariefset`); none is an error, never last year's set.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from contractgen.basis.formaat import bedrag_tekst
from contractgen.domein import model as m
from contractgen.domein.rekenen import geindexeerd, rekentabel_totalen
from contractgen.domein.zoeken import kies_tariefset
from contractgen.resolve import blokken as rb
from contractgen.resolve.context import Bouwer

AANGEVINKT, OPEN = "☒", "☐"
CONCEPT = "CONCEPT — deze tarieven zijn nog niet vastgesteld."

EENHEID_TEKST = {
    "traject": "per traject", "traject_per_gezin": "per traject per gezin", "maand": "per maand",
    "etmaal": "per etmaal", "uur": "per uur", "jaar": "per jaar", "dagdeel": "per dagdeel",
}


def arrangementen(b: Bouwer, blok: m.ArrangementenBlok, niveau: int) -> None:
    ts = kies_tariefset(b.data, blok.arrangementen.tarieven, b.doc, b.peildatum)
    gecontracteerd = set(b.aanbieder.arrangementen) if b.aanbieder else set()
    if ts.status == "concept":
        b.concept.add(ts.id)
        b.add(rb.Alinea(CONCEPT, 1))
    for arr in ts.arrangementen:
        vink = AANGEVINKT if arr.id in gecontracteerd else OPEN
        b.add(rb.Kop(3, f"{vink} {b.t(arr.titel)}", arrangement=arr.id, gecontracteerd=arr.id in gecontracteerd))
        b.add(_rooster(b, arr) if arr.rooster else _tariefraster(b, arr))
        in_rooster = {c.partition(":")[2] for rij in arr.rooster for c in rij}
        for toeslag in arr.toeslagen:
            if toeslag.productcode not in in_rooster:
                b.add(rb.Alinea(_toeslagregel(b, toeslag), 1))
        for voetnoot in arr.voetnoten:
            b.add(rb.Voetnoot(b.t(voetnoot.nummer), b.t(voetnoot.tekst)))
        for tekst in arr.voorwaarden:
            b.add(rb.Alinea(b.t(tekst), 1))


def _in_label(p: m.Product) -> bool:
    """The product's name is already in its tariff label ("Toeslag rolstoelvervoer:")."""
    return bool(p.naam and p.label_tarief and p.naam.strip() in p.label_tarief)


def _productcel(b: Bouwer, p: m.Product, met_naam: bool) -> str:
    """'Beschermd Wonen licht / Tarief: € 3.729 / Productcode: 16550': only what the source's cell says."""
    naam = f"{b.t(p.naam)}\n" if p.naam and met_naam and not _in_label(p) else ""
    return f"{naam}{tarief_tekst(b, p)}\n{b.t(p.label_code)} {p.productcode}"


def _toeslagregel(b: Bouwer, p: m.Product) -> str:
    """'Toeslag rolstoelvervoer: € 16 Productcode: 75510' (seed 001 r. 676): the name once, no unit."""
    naam = f"{b.t(p.naam)} " if p.naam and not _in_label(p) else ""
    return f"{naam}{tarief_tekst(b, p)} {b.t(p.label_code)} {p.productcode}"


def _rooster(b: Bouwer, arr: m.Arrangement) -> rb.Tabel:
    """The arrangement's table in the source's own layout (e.g. BW met verblijf, seed 001 r. 791-794)."""
    codes = {p.productcode: p for p in [*arr.producten, *arr.toeslagen]}
    breedte = max(len(r) for r in arr.rooster)
    rijen = []
    for rij in arr.rooster:
        cellen = []
        for c in rij:
            soort, _, code = c.partition(":")
            if soort in ("product", "toeslag") and code in codes:
                cellen.append(_productcel(b, codes[code], met_naam=True))
            else:
                cellen.append(b.t(c))
        rijen.append(cellen + [""] * (breedte - len(cellen)))
    return rb.Tabel([], rijen)


def _tariefraster(b: Bouwer, arr: m.Arrangement) -> rb.Tabel:
    def cel(p: m.Product) -> str:
        return _productcel(b, p, met_naam=bool(arr.rijen))

    if arr.rijen and arr.kolommen:
        kolommen = arr.kolommen.waarden
        rijen = []
        for rij in arr.rijen.waarden:
            cellen = [""] * len(kolommen)
            for p in (p for p in arr.producten if p.rij == rij):
                i = kolommen.index(p.kolom) if p.kolom in kolommen else 0
                cellen[i] = cel(p)
            rijen.append([b.t(rij)] + cellen)
        kop = [f"{b.t(arr.rijen.as_)} \\ {b.t(arr.kolommen.as_)}"] + [b.t(k) for k in kolommen]
        return rb.Tabel(kop, rijen)
    if not any(p.naam or p.rij or p.kolom for p in arr.producten):
        return rb.Tabel([], [[cel(p)] for p in arr.producten])
    return rb.Tabel([], [[b.t(p.naam or p.rij or p.kolom or ""), cel(p)] for p in arr.producten])


def tarief_tekst(b: Bouwer, p: Any) -> str:
    """'Tarief: € 159', 'Tarief per etmaal: € 159': the label as the source prints it, no unit added.

    The unit (`eenheid`) is data for diff and indexation; the bijlagen 1.xa print it only where their
    label says it ("Tarief per etmaal:", "Trajectprijs per gezin:"), the titles say "(maandtarief)".
    """
    label = b.t(p.label_tarief) if p.label_tarief else "Tarief:"
    return f"{label} {bedrag_tekst(p.tarief)}"


def uurtarieven(b: Bouwer, blok: m.UurtarievenBlok, niveau: int) -> None:
    ref = blok.uurtarieven
    ts = kies_tariefset(b.data, ref.tarieven, b.doc, b.peildatum)
    afspraken = b.aanbieder.uurtarieven if b.aanbieder else {}
    if ts.status == "concept":
        b.concept.add(ts.id)
    if ts.status == "concept" and (not ref.groep or ts.groepen and ts.groepen[0].id == ref.groep):
        b.add(rb.Alinea(CONCEPT, 1))  # once per set: above its first group
    for groep in ts.groepen:
        if ref.groep and groep.id != ref.groep:
            continue
        posten = [p for p in groep.posten if not p.domeinen or set(p.domeinen) & b.domeinen]
        if not posten:
            continue
        if not ref.groep:
            b.add(rb.Kop(3, b.t(groep.titel)))
        rijen = []
        for p in posten:
            label = b.t(p.label_tarief) if p.label_tarief else f"Tarief {EENHEID_TEKST[p.eenheid]}:"
            eigen = afspraken[p.id].tarief if p.id in afspraken else None  # detachering: the aanbieder's rate
            bedrag = p.tarief if p.tarief is not None else eigen
            tarief = f"{label} {bedrag_tekst(bedrag)}" if bedrag is not None else f"{label} €"
            maximum = afspraken[p.id].maximum if p.id in afspraken else "___________"
            max_label = {"uren": "Maximum aantal uren:", "fte": "Maximum aantal fte:"}.get(p.maximum or "", "")
            rijen.append([b.t(p.naam), tarief, f"Productcode: {p.productcode}" if p.productcode else "",
                          f"{max_label} {maximum}" if max_label else ""])
        b.add(rb.Tabel([], rijen))


def transformatie(b: Bouwer, blok: m.TransformatieBlok, niveau: int) -> None:
    tabel = b.data.transformatie(blok.transformatie.tabel)
    assert tabel is not None, "regels.integriteit reports unknown transformatietabellen before resolve"
    kop = [str(tabel.van_jaar), "", "", str(tabel.naar_jaar), "", ""]
    sub = ["Omschrijving", "Extra omschrijving", "Productcode", "Aangepast omschrijving", "Extra omschrijving",
           "Productcode"]
    rijen = [sub]
    for r in tabel.regels:
        oud = r.oud or m.TransformatieProduct()
        nieuw = r.nieuw or m.TransformatieProduct()
        nieuw_code = "Vervalt" if r.status == "vervalt" and not nieuw.productcode else nieuw.productcode
        rijen.append([b.t(oud.omschrijving), b.t(oud.extra), oud.productcode,
                      b.t(nieuw.omschrijving), b.t(nieuw.extra), nieuw_code])
    b.add(rb.Tabel(kop, rijen))


def _cel(waarde: str, soort: str) -> str:
    if soort == "bedrag" and waarde.strip():
        return bedrag_tekst(Decimal(waarde))
    return waarde


def _totaal_cel(tabel: m.Rekentabel, k: int, sommen: dict[int, Decimal]) -> str:
    """The total the source prints (with its footnote mark); the computed sum only where the source gives none.

    Seed 004 prints "€ 250.694²" while the rows add up to € 250.788: the printed figure stays the
    source's, the difference is for `check` (rekentabel-totaal).
    """
    assert tabel.totaal is not None
    bron = tabel.totaal.bron
    if bron:
        waarde = _cel(bron[k], tabel.soorten[k]) if k < len(bron) else ""
    else:
        waarde = _cel(str(sommen[k]), tabel.soorten[k]) if k in sommen else ""
    voetnoten = tabel.totaal.voetnoten
    return waarde + (voetnoten[k] if k < len(voetnoten) and waarde else "")


def rekentabel(b: Bouwer, blok: m.RekentabelBlok, niveau: int) -> None:
    tabel = blok.rekentabel
    kop = [b.t(k) for k in tabel.kolommen]
    rijen = [[_cel(w, soort) for w, soort in zip(rij, tabel.soorten)] for rij in tabel.rijen]
    sommen = rekentabel_totalen(tabel)
    if tabel.indexatie:
        ix = tabel.indexatie
        kop.append(b.t(ix.label))
        for rij, bron in zip(rijen, tabel.rijen):
            rij.append(" / ".join(bedrag_tekst(geindexeerd(Decimal(bron[k]), ix)) for k in ix.kolommen))
    if tabel.totaal:
        totaal = [b.t(tabel.totaal.label)] + [_totaal_cel(tabel, k, sommen) for k in range(1, len(tabel.kolommen))]
        if tabel.indexatie:
            ix = tabel.indexatie
            totaal.append(" / ".join(bedrag_tekst(sum((geindexeerd(Decimal(r[k]), ix) for r in tabel.rijen), Decimal(0)))
                                     for k in ix.kolommen))
        rijen.append(totaal)
    b.add(rb.Tabel(kop, rijen))
