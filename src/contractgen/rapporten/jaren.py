"""`check` rules for what a year change leaves behind (issue 13).

- `jaar-vorige-looptijd`: a year of the previous version's looptijd in a text of the version
  in force ("In 2018 wordt met dezelfde tarieven gewerkt" in the 2019 Bijlage 2.2), in
  documents, fragments and the texts of tariff sets. Bare years too; full dates are the
  rule `datum-buiten-looptijd`. Only the previous version's years: a historical "in 2016"
  that every version carries is not a leftover.
- `tarieven-concept`: a document in force shows a tariff set that is still a concept.
- `looptijd-tariefset`: no set of the named familie holds for the looptijd a document shows
  (error: `build` refuses; never last year's set), or the set's looptijd differs from it.
- `tarief-vast-jaar`: a document names one year's set ("jeugd-2018") instead of its familie.
- `tarieven-gewijzigd`: a set sealed with `tarieven vaststellen` was changed afterwards
  (`regels.jaren.verzegeling_verbroken`), and documents in force show it or it is in force on the
  peildatum (error: `build` refuses that peildatum, and only that one; issue 29).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from contractgen.basis.gezicht import zeg
from contractgen.basis.formaat import MAANDEN, datum_tekst
from contractgen.domein import model as m
from contractgen.domein.zoeken import (
    tarieffamilies,
    tariefperiode,
    teksten,
    walk_blokken,
    zoek_tariefset,
)
from contractgen.regels.jaren import verzegeling_verbroken

# a year on its own: not inside a number or code, not the year of a written date (that is datum-buiten-looptijd)
JAAR = re.compile(r"(?<![\d.,/-])(19\d\d|20\d\d)(?![\d,]|\.\d)")
DATUM_VOOR = re.compile(r"(\d{1,2}[-/]\d{1,2}[-/]|\d{1,2}\s+(" + "|".join(MAANDEN) + r")\s+)$", re.IGNORECASE)


def _periode(doc: m.Document) -> tuple[date, date | None]:
    if doc.looptijd is not None:
        return doc.looptijd.van, doc.looptijd.tot
    return doc.geldig_van, doc.geldig_tot


def _jaren(tekst: str) -> Iterator[tuple[int, str]]:
    """(year, the five words either side of it) for every bare year in a text."""
    for match in JAAR.finditer(tekst):
        if not DATUM_VOOR.search(tekst[max(0, match.start() - 20):match.start()]):
            voor, na = tekst[:match.start()].split(), tekst[match.end():].split()
            rond = " ".join(voor[-5:] + [match.group(1) + (na[0] if na and not tekst[match.end()].isspace() else "")]
                            + na[1 if na and not tekst[match.end()].isspace() else 0:][:5])
            yield int(match.group(1)), ("…" if len(voor) > 5 else "") + rond + ("…" if len(na) > 6 else "")


def jaarregels(r) -> None:
    """All rules of this module on one `rapporten.check._Rapport`."""
    _vorige_jaren(r)
    _tariefsets(r)


def _vorige_jaren(r) -> None:
    for doc in r.documenten:
        versies = r.data.versies(doc.id)
        i = next((k for k, v in enumerate(versies) if v is doc), 0)
        if i == 0:
            continue
        vorige = versies[i - 1]
        van, tot = _periode(vorige)
        # the previous version's own year(s): from its looptijd, else its last year
        oud = set(range(van.year, (tot or van).year + 1)) if vorige.looptijd is not None else {(tot or van).year}
        nu_van, nu_tot = _periode(doc)
        oud -= set(range(nu_van.year, (nu_tot or nu_van).year + 1))
        if not oud:
            continue
        omschrijving = (f"versie {doc.versie} ({'looptijd' if doc.looptijd else 'geldig'} {datum_tekst(nu_van)} t/m "
                        f"{datum_tekst(nu_tot) if nu_tot else '...'})")
        herkomst = f"{'de looptijd van ' if vorige.looptijd else ''}versie {vorige.versie}"
        for obj, pad in walk_blokken(doc.inhoud, ("inhoud",)):
            for tekst, tpad in teksten(obj, pad):
                for jaar, rond in _jaren(tekst):
                    if jaar in oud:
                        r.meld("jaar-vorige-looptijd", doc, tpad,
                               f"jaartal '{jaar}' uit {herkomst} staat in de tekst van "
                               f"{omschrijving}: “{rond}”; klopt het nog, of is het blijven staan bij de jaarwissel?",
                               document=doc.id)
        for veld in ("titel", "korte_titel"):
            for jaar, _ in _jaren(getattr(doc, veld) or ""):
                if jaar in oud:
                    r.meld("jaar-vorige-looptijd", doc, (veld,),
                           f"jaartal '{jaar}' uit versie {vorige.versie} in de {veld.replace('_', ' ')} van "
                           f"{omschrijving}", document=doc.id)
    families = tarieffamilies(r.data)
    for sets in families.values():
        for vorige, ts in zip(sets, sets[1:]):
            if not ts.looptijd.van <= r.peildatum <= ts.looptijd.tot:
                continue
            oud = set(range(vorige.looptijd.van.year, vorige.looptijd.tot.year + 1)) - set(
                range(ts.looptijd.van.year, ts.looptijd.tot.year + 1))
            for tekst, pad in _set_teksten(ts):
                for jaar, rond in _jaren(tekst):
                    if jaar in oud:
                        r.meld("jaar-vorige-looptijd", ts, pad,
                               f"jaartal '{jaar}' uit de looptijd van {vorige.id} staat in tariefset {ts.id} "
                               f"(looptijd {datum_tekst(ts.looptijd.van)} t/m {datum_tekst(ts.looptijd.tot)}): “{rond}”",
                               document=ts.id)


def _set_teksten(ts: m.TariefSet) -> Iterator[tuple[str, tuple]]:
    for i, arr in enumerate(ts.arrangementen):
        yield arr.titel, ("arrangementen", i, "titel")
        for j, tekst in enumerate(arr.voorwaarden):
            yield tekst, ("arrangementen", i, "voorwaarden", j)
        for j, voetnoot in enumerate(arr.voetnoten):
            yield voetnoot.tekst, ("arrangementen", i, "voetnoten", j, "tekst")
        for soort in ("producten", "toeslagen"):
            for j, p in enumerate(getattr(arr, soort)):
                if p.naam:
                    yield p.naam, ("arrangementen", i, soort, j, "naam")
    for i, groep in enumerate(ts.groepen):
        yield groep.titel, ("groepen", i, "titel")


def _refs(r, doc: m.Document, gezien: set[str]):
    for obj, pad in walk_blokken(doc.inhoud, ("inhoud",)):
        for soort in ("arrangementen", "uurtarieven"):
            ref = getattr(obj, soort, None)
            if ref is not None and not isinstance(ref, list):
                yield ref.tarieven, doc, pad + (soort, "tarieven")
        if isinstance(obj, m.InvoegenBlok) and obj.invoegen.document not in gezien:
            ident = obj.invoegen.document
            versies = r.data.versies(ident)
            fragment = next((v for v in reversed(versies) if v.geldig_op(r.peildatum)), versies[-1] if versies else None)
            if fragment is not None:
                yield from _refs(r, fragment, gezien | {ident})


def _tariefsets(r) -> None:
    families = tarieffamilies(r.data)
    concept_gemeld: set[tuple[str, str]] = set()
    gemeld: set[tuple[str, str]] = set()
    getoond: dict[str, list[m.Document]] = {}  # set id → the documents in force that show it
    for doc in r.documenten:
        if doc.soort == "fragment":
            continue  # a fragment shows the set of the document it is inserted in
        for ref, waar_doc, pad in _refs(r, doc, {doc.id}):
            if ref not in families and r.data.tariefset(ref) is None:
                continue  # unknown: validate reports it
            if ref not in families:
                r.meld("tarief-vast-jaar", waar_doc, pad,
                       f"verwijst naar tariefset '{ref}' met een vast jaar; verwijs naar de familie "
                       f"'{r.data.tariefset(ref).familie_id}', dan kiest contractgen de set van het jaar",
                       document=waar_doc.id)
            van, tot = tariefperiode(doc, r.peildatum)
            ts, waarom = zoek_tariefset(r.data, ref, van, tot)
            if ts is None and waar_doc is doc:
                r.meld("looptijd-tariefset", doc, pad, f"{doc.id} versie {doc.versie}, verwijzing naar '{ref}': {waarom}",
                       "fout", document=doc.id)
            elif ts is None and (doc.id, ref) not in gemeld:  # in a fragment: once per familie, at the document
                gemeld.add((doc.id, ref))
                r.meld("looptijd-tariefset", doc, ("looptijd",) if doc.looptijd else ("geldig_van",),
                       f"{doc.id} versie {doc.versie} (ingevoegd uit '{waar_doc.id}'): {waarom}", "fout",
                       document=doc.id)
            if ts is None:
                continue
            if doc not in getoond.setdefault(ts.id, []):
                getoond[ts.id].append(doc)
            if doc.looptijd is not None and (ts.looptijd.van, ts.looptijd.tot) != (van, tot):
                r.meld("looptijd-tariefset", doc, ("looptijd",),
                       f"het document toont looptijd {datum_tekst(van)} t/m {datum_tekst(tot)}, tariefset {ts.id} "
                       f"geldt van {datum_tekst(ts.looptijd.van)} t/m {datum_tekst(ts.looptijd.tot)}",
                       document=doc.id)
            if ts.status == "concept" and (doc.id, ts.id) not in concept_gemeld:
                concept_gemeld.add((doc.id, ts.id))
                begin = (f"{doc.id} versie {doc.versie} toont tariefset {ts.id}, die nog een concept is (de "
                         "documenten drukken 'CONCEPT'); ")
                cli = begin + "stel vast met: contractgen tarieven vaststellen " + ts.id
                r.meld("tarieven-concept", ts, ("status",),
                       zeg(cli=cli, werkplaats=begin + f"stel de set vast op de pagina van tariefset {ts.id}"),
                       document=doc.id, afdruk_bericht=cli)
    _verzegelingen(r, getoond)


def _verzegelingen(r, getoond: dict[str, list[m.Document]]) -> None:
    """`tarieven-gewijzigd`: a sealed set changed afterwards, reported once at its controlesom, for the
    peildatum whose documents show it (`getoond`) or on which it is in force; a set of another year is
    not this peildatum's business (issue 29: an edited 2019 set does not stop the 2018 build)."""
    for ts in r.data.tariefsets:
        documenten = getoond.get(ts.id, [])
        if not documenten and not ts.looptijd.van <= r.peildatum <= ts.looptijd.tot:
            continue
        bericht = verzegeling_verbroken(ts)
        if bericht is None:
            continue
        waar = (f"Deze set staat in {', '.join(f'{d.id} versie {d.versie}' for d in documenten)}" if documenten
                else f"De set geldt op {datum_tekst(r.peildatum)}")
        r.meld("tarieven-gewijzigd", ts, ("controlesom",), f"{bericht}. {waar}", "fout",
               documenten=tuple(d.id for d in documenten) or (ts.id,))
