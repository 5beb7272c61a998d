"""Referential integrity across files: every id a text, block or aanbieder names must exist.

Schema validation (contractgen.laden.validatie) checks each file alone; this checks how they fit.
"""

from __future__ import annotations

import re
from collections import defaultdict

from contractgen.basis.namen import veilige_naam
from contractgen.basis.problemen import Probleem
from contractgen.basis.suggesties import hint
from contractgen.domein.dataset import RegioData
from contractgen.domein.formule import FormuleFout, namen_in
from contractgen.domein.model import Artikel, Document, EisenBlok, Lid, Versie
from contractgen.domein.velden import controleer_veld, velden_in
from contractgen.domein.zoeken import ids_in, tarieffamilies, teksten, walk_blokken
from contractgen.regels.aanbieders import controleer_aanbieders
from contractgen.regels.jaren import controleer_jaren


def check_integrity(data: RegioData) -> list[Probleem]:
    problemen: list[Probleem | None] = []  # None: suppressed, the cause is reported elsewhere
    regio = data.regio
    herkomst_regio = data.waar(regio)
    domeinen = {d.id for d in regio.domeinen}
    kenmerken = {k.id for k in regio.kenmerken}
    doc_ids = {d.id for d in data.documenten}
    tarief_ids = {t.id for t in data.tariefsets}
    arrangementen = {a.id: (t, a) for t in data.tariefsets for a in t.arrangementen}
    posten = {p.id for t in data.tariefsets for g in t.groepen for p in g.posten}
    eis_ids: set[str] = set()
    doc_refs = {d.id: ids_in(d) for d in data.documenten}

    berekeningen = frozenset(b.id for b in regio.berekeningen)
    problemen += _berekeningen(data)

    def bestaat_ref(doc: str, ident: str) -> bool:
        return ident in doc_refs.get(doc, {})

    def onbekend(waarde: str, bekend: set[str], wat: str) -> str | None:
        if waarde in data.onvolledig:
            return None
        return f"onbekend {wat} '{waarde}'{hint(waarde, sorted(bekend))}"

    # regio: inline fields in the signature blocks
    alle_variabelen = {v for d in data.documenten for v in d.variabelen}
    for naam, definitie in regio.handtekeningen.items():
        for tekst, pad in teksten(definitie, ("handtekeningen", naam)):
            for veld in velden_in(tekst):
                fout = controleer_veld(veld, alle_variabelen, lambda d, i: i in doc_refs.get(d, {}),
                                       frozenset(b.id for b in regio.berekeningen))
                if fout:
                    problemen.append(herkomst_regio.probleem(pad, fout))
    for sleutel in ("pakket", "algemeen"):
        for i, ident in enumerate(getattr(regio, sleutel)):
            if ident not in doc_ids:
                problemen.append(herkomst_regio.probleem((sleutel, i), onbekend(ident, doc_ids, "document")))

    # documents: overlapping versions, ids, references
    per_id: dict[str, list[Document]] = defaultdict(list)
    for doc in data.documenten:
        per_id[doc.id].append(doc)
    for ident, versies in per_id.items():
        versies.sort(key=lambda d: d.geldig_van)
        for oud, nieuw in zip(versies, versies[1:]):
            if oud.geldig_tot is None or oud.geldig_tot >= nieuw.geldig_van:
                problemen.append(data.waar(nieuw).probleem(
                    ("geldig_van",),
                    f"versie {nieuw.versie} van '{ident}' overlapt met versie {oud.versie} "
                    f"({data.waar(oud).naam}); geldigheidsperiodes van versies mogen niet overlappen"))

    for doc in data.documenten:
        waar = data.waar(doc)
        for i, dom in enumerate(doc.domeinen):
            if dom not in domeinen | kenmerken:
                problemen.append(waar.probleem(("domeinen", i), onbekend(dom, domeinen | kenmerken, "domein of kenmerk")))
        variabelen = set(doc.variabelen)
        # a fragment sees the variables of the documents that include it
        if doc.soort == "fragment":
            variabelen |= {v for d in data.documenten for v in d.variabelen}
        gezien: dict[str, list] = {}
        artikel = None
        for obj, pad in walk_blokken(doc.inhoud, ("inhoud",)):
            if isinstance(obj, Artikel):
                artikel = obj
            if isinstance(obj, (Artikel, Lid)):
                # the same id twice is fine for two versions of one article that never hold at once
                geldigheid = _binnen(obj, artikel)
                if any(geldigheid.overlapt(eerder) for eerder in gezien.get(obj.id, [])):
                    problemen.append(waar.probleem(pad + ("id",), f"id '{obj.id}' komt twee keer voor in dit document "
                                                   "met overlappende geldigheid; ids moeten uniek zijn, of geef elke "
                                                   "versie geldig_van/geldig_tot"))
                gezien.setdefault(obj.id, []).append(geldigheid)
            for tekst, tpad in teksten(obj, pad):
                for veld in velden_in(tekst):
                    fout = controleer_veld(veld, variabelen, bestaat_ref, berekeningen)
                    if fout:
                        problemen.append(waar.probleem(tpad, fout))
            problemen += _blok_refs(obj, pad, data, waar, doc_ids, tarief_ids, domeinen, onbekend)
            if isinstance(obj, EisenBlok):
                eis_ids |= {e.id for e in obj.eisen.eisen}
            if hasattr(obj, "alleen_voor") and getattr(obj, "alleen_voor"):
                for k, dom in enumerate(obj.alleen_voor):
                    if dom not in domeinen | kenmerken:
                        problemen.append(waar.probleem(pad + ("alleen_voor", k),
                                                       onbekend(dom, domeinen | kenmerken, "domein of kenmerk")))

    # tariff sets: unique ids and productcodes
    gezien_arr: dict[str, list] = {}
    for ts in data.tariefsets:
        waar = data.waar(ts)
        if ts.domein and ts.domein not in domeinen:
            problemen.append(waar.probleem(("domein",), onbekend(ts.domein, domeinen, "domein")))
        codes: dict[str, int] = {}
        for i, arr in enumerate(ts.arrangementen):
            # the same arrangement may return in next year's set, not in two sets for the same period
            for ander in gezien_arr.get(arr.id, []):
                if ander.looptijd.van <= ts.looptijd.tot and ts.looptijd.van <= ander.looptijd.tot:
                    problemen.append(waar.probleem(("arrangementen", i, "id"),
                                                   f"arrangement-id '{arr.id}' bestaat al in {data.waar(ander).naam} "
                                                   "voor een overlappende looptijd"))
            gezien_arr.setdefault(arr.id, []).append(ts)
            for soort in ("producten", "toeslagen"):
                for j, prod in enumerate(getattr(arr, soort)):
                    if prod.productcode in codes:
                        problemen.append(waar.probleem(
                            ("arrangementen", i, soort, j, "productcode"),
                            f"productcode {prod.productcode} komt twee keer voor in tariefset '{ts.id}'"))
                    codes[prod.productcode] = i
                    for as_naam, waarde in (("rijen", prod.rij), ("kolommen", prod.kolom)):
                        as_ = getattr(arr, as_naam)
                        if waarde is not None and (as_ is None or waarde not in as_.waarden):
                            bekend = set(as_.waarden) if as_ else set()
                            problemen.append(waar.probleem(
                                ("arrangementen", i, soort, j, "rij" if as_naam == "rijen" else "kolom"),
                                _plus(onbekend(waarde, bekend, "rij/kolom"), f" in arrangement '{arr.id}'")))
            eigen = {p.productcode for p in [*arr.producten, *arr.toeslagen]}
            for r, rij in enumerate(arr.rooster):
                for k, cel in enumerate(rij):
                    soort, _, code = cel.partition(":")
                    if soort in ("product", "toeslag") and code not in eigen:
                        problemen.append(waar.probleem(
                            ("arrangementen", i, "rooster", r, k),
                            _plus(onbekend(code, eigen, "productcode"), f" in arrangement '{arr.id}'")))

    # aanbieders
    gezien_aanb: dict[str, str] = {}
    mapnamen: dict[str, str] = {}
    for aanb in data.aanbieders:
        waar = data.waar(aanb)
        if aanb.id in gezien_aanb:
            problemen.append(waar.probleem(("id",), f"aanbieder-id '{aanb.id}' bestaat al in {gezien_aanb[aanb.id]}"))
        elif veilige_naam(aanb.id) in mapnamen:  # 'a.' and 'a' would share one output folder
            problemen.append(waar.probleem(("id",), f"aanbieder-id '{aanb.id}' krijgt dezelfde uitvoermap als "
                                                    f"'{mapnamen[veilige_naam(aanb.id)]}'; kies een ander id"))
        gezien_aanb[aanb.id] = waar.naam
        mapnamen.setdefault(veilige_naam(aanb.id), aanb.id)
        for i, dom in enumerate(aanb.domeinen):
            if dom not in domeinen:
                problemen.append(waar.probleem(("domeinen", i), onbekend(dom, domeinen, "domein")))
        for i, kenmerk in enumerate(aanb.kenmerken):
            if kenmerk not in kenmerken:
                problemen.append(waar.probleem(("kenmerken", i),
                                               _plus(onbekend(kenmerk, kenmerken, "kenmerk"), " (zie kenmerken in regio.yaml)")))
        for i, arr_id in enumerate(aanb.arrangementen):
            if arr_id not in arrangementen:
                problemen.append(waar.probleem(("arrangementen", i), onbekend(arr_id, set(arrangementen), "arrangement")))
                continue
            ts, _ = arrangementen[arr_id]
            if ts.domein and ts.domein not in aanb.domeinen:
                problemen.append(waar.probleem(
                    ("arrangementen", i),
                    f"arrangement '{arr_id}' hoort bij domein '{ts.domein}', maar de aanbieder heeft dat domein niet "
                    f"(domeinen: {', '.join(aanb.domeinen)})"))
        for post in aanb.uurtarieven:
            if post not in posten:
                problemen.append(waar.probleem(("uurtarieven", post), onbekend(post, posten, "uurtarief")))
        for eis in aanb.kwaliteitseisen:
            if eis_ids and eis not in eis_ids:
                problemen.append(waar.probleem(("kwaliteitseisen", eis), onbekend(eis, eis_ids, "kwaliteitseis")))
    problemen += controleer_aanbieders(data)
    problemen += controleer_jaren(data)
    return [p for p in problemen if p is not None]


def _berekeningen(data: RegioData) -> list[Probleem | None]:
    """Formulas must parse, and name only values that every aanbieder has."""
    waar = data.waar(data.regio)
    problemen: list[Probleem | None] = []
    for i, b in enumerate(data.regio.berekeningen):
        for veld in ("formule", "als"):
            tekst = getattr(b, veld)
            if not tekst:
                continue
            try:
                namen = namen_in(tekst)
            except FormuleFout as fout:
                problemen.append(waar.probleem(("berekeningen", i, veld), str(fout)))
                continue
            for aanbieder in data.aanbieders:
                ontbreekt = sorted(namen - set(aanbieder.waarden))
                if ontbreekt:
                    problemen.append(data.waar(aanbieder).probleem(
                        ("waarden",), f"waarde '{ontbreekt[0]}' ontbreekt; berekening '{b.id}' in regio.yaml gebruikt die"))
    return problemen


def _binnen(obj, artikel):
    """The validity of a lid within its article (or of the article itself)."""
    if obj is artikel or artikel is None:
        return obj
    van = max((d for d in (obj.geldig_van, artikel.geldig_van) if d), default=None)
    tot = min((d for d in (obj.geldig_tot, artikel.geldig_tot) if d), default=None)
    return Versie(geldig_van=van, geldig_tot=tot)


def _plus(bericht: str | None, meer: str) -> str | None:
    return None if bericht is None else bericht + meer


def _blok_refs(obj, pad, data: RegioData, waar, doc_ids, tarief_ids, domeinen, onbekend) -> list[Probleem | None]:
    regio = data.regio
    p: list[Probleem | None] = []
    if hasattr(obj, "handtekening"):
        blok = obj.handtekening.blok
        if blok not in regio.handtekeningen:
            p.append(waar.probleem(pad + ("handtekening", "blok"),
                                   _plus(onbekend(blok, set(regio.handtekeningen), "handtekeningenblok"), " (zie regio.yaml)")))
    for soort in ("arrangementen", "uurtarieven"):
        if hasattr(obj, soort) and not isinstance(getattr(obj, soort), list):
            ref = getattr(obj, soort)
            # a familie ("jeugd": the set of the document's year) or one set's id (pinned)
            families = tarieffamilies(data)
            sets = families.get(ref.tarieven) or [t for t in [data.tariefset(ref.tarieven)] if t is not None]
            groepen = {g.id for t in sets for g in t.groepen}
            # a set whose file failed validation: its familie is not reported again
            onvolledig = {re.sub(r"-(19|20)\d\d$", "", i) for i in data.onvolledig}
            if not sets and ref.tarieven not in onvolledig:
                p.append(waar.probleem(pad + (soort, "tarieven"),
                                       onbekend(ref.tarieven, tarief_ids | set(families), "tariefset of familie")))
            elif ref.groep and ref.groep not in groepen:
                p.append(waar.probleem(pad + (soort, "groep"), onbekend(ref.groep, groepen, "groep")))
    if hasattr(obj, "transformatie"):
        ident = obj.transformatie.tabel
        if data.transformatie(ident) is None:
            p.append(waar.probleem(pad + ("transformatie", "tabel"),
                                   onbekend(ident, {t.id for t in data.transformaties}, "transformatietabel")))
    if hasattr(obj, "invoegen"):
        ident = obj.invoegen.document
        doelen = [d for d in data.documenten if d.id == ident]
        if not doelen:
            p.append(waar.probleem(pad + ("invoegen", "document"), onbekend(ident, doc_ids, "document")))
        elif any(d.soort != "fragment" for d in doelen):
            p.append(waar.probleem(pad + ("invoegen", "document"),
                                   f"document '{ident}' is geen fragment; alleen documenten met soort: fragment kunnen worden ingevoegd"))
    return p
