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
        b.add(rb.Alinea(CONCEPT, 1))
    for arr in ts.arrangementen:
        vink = AANGEVINKT if arr.id in gecontracteerd else OPEN
        b.add(rb.Kop(3, f"{vink} {b.t(arr.titel)}", arrangement=arr.id, gecontracteerd=arr.id in gecontracteerd))
        b.add(_tariefraster(b, arr))
        for toeslag in arr.toeslagen:
            b.add(rb.Alinea(f"{b.t(toeslag.naam or 'Toeslag')} — {tarief_tekst(b, toeslag)} — "
                            f"Productcode: {toeslag.productcode}", 1))
        for tekst in arr.voorwaarden:
            b.add(rb.Alinea(b.t(tekst), 1))


def _tariefraster(b: Bouwer, arr: m.Arrangement) -> rb.Tabel:
    def cel(p: m.Product) -> str:
        naam = f"{b.t(p.naam)}\n" if p.naam and arr.rijen else ""
        return f"{naam}{tarief_tekst(b, p)}\nProductcode: {p.productcode}"

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
    """'Tarief: € 159 per etmaal' — the unit only where the source's label does not say it."""
    label = b.t(p.label_tarief) if p.label_tarief else "Tarief:"
    eenheid = "" if "per" in label or p.eenheid.startswith("traject") else f" {EENHEID_TEKST[p.eenheid]}"
    return f"{label} {bedrag_tekst(p.tarief)}{eenheid}"


def uurtarieven(b: Bouwer, blok: m.UurtarievenBlok, niveau: int) -> None:
    ref = blok.uurtarieven
    ts = kies_tariefset(b.data, ref.tarieven, b.doc, b.peildatum)
    afspraken = b.aanbieder.uurtarieven if b.aanbieder else {}
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
        totaal = [b.t(tabel.totaal.label)] + [
            _cel(str(sommen[k]), tabel.soorten[k]) if k in sommen else "" for k in range(1, len(tabel.kolommen))]
        if tabel.indexatie:
            ix = tabel.indexatie
            totaal.append(" / ".join(bedrag_tekst(sum((geindexeerd(Decimal(r[k]), ix) for r in tabel.rijen), Decimal(0)))
                                     for k in ix.kolommen))
        rijen.append(totaal)
    b.add(rb.Tabel(kop, rijen))
