"""Rules for year-bound data, applied by `validate` (issue 13).

- Sets of one familie do not overlap (the choice of the set for a looptijd would be ambiguous).
- One `versie` label names one version of a document (a copied file that kept its label is refused).
- A set with a controlesom has status vastgesteld.

A set sealed with `tarieven vaststellen` (status vastgesteld + controlesom) is not changed afterwards
(`verzegeling_verbroken`: the message naming the productcodes changed). That is not a `validate` rule:
it is the `check` rule tarieven-gewijzigd (rapporten.jaren), on the peildatum whose documents show the
set or on which it is in force, so an edited 2019 set stops the 2019 build and not the 2018 one
(issue 29); the workplace's tariff correction refuses it too (intake.tariefcorrectie).

A document whose looptijd no set of its familie covers is a `check` error (rapporten.jaren,
rule looptijd-tariefset), so `build` refuses it while `tarieven indexeer` can still repair it.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from contractgen.basis.gezicht import zeg
from contractgen.basis.formaat import bedrag_tekst, datum_tekst
from contractgen.basis.problemen import Probleem
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.zoeken import tarieffamilies


def tarieven_van(ts: m.TariefSet) -> dict[str, Decimal | None]:
    """Every tariff of a set by productcode (uurposten without a code by their id)."""
    result: dict[str, Decimal | None] = {}
    for arr in ts.arrangementen:
        for p in arr.producten + arr.toeslagen:
            result[p.productcode] = p.tarief
    for groep in ts.groepen:
        for post in groep.posten:
            result[post.productcode or post.id] = post.tarief
    return result


def controlesom(tarieven: dict[str, Decimal | None]) -> str:
    """sha256 over 'code=bedrag' lines in code order (amounts normalised: 70 and 70.00 are equal)."""
    regels = [f"{code}={'' if t is None else f'{t:.2f}'}" for code, t in sorted(tarieven.items())]
    return hashlib.sha256("\n".join(regels).encode()).hexdigest()


def controleer_jaren(data: RegioData) -> list[Probleem]:
    problemen: list[Probleem | None] = []
    problemen += _overlap(data)
    problemen += _verzegeld_status(data)
    problemen += _versielabels(data)
    return [p for p in problemen if p is not None]


def _overlap(data: RegioData) -> list[Probleem | None]:
    problemen: list[Probleem | None] = []
    for familie, sets in tarieffamilies(data).items():
        for oud, nieuw in zip(sets, sets[1:]):
            if nieuw.looptijd.van <= oud.looptijd.tot:
                problemen.append(data.waar(nieuw).probleem(
                    ("looptijd",), f"tariefset '{nieuw.id}' overlapt met '{oud.id}' ({datum_tekst(oud.looptijd.van)} "
                                   f"t/m {datum_tekst(oud.looptijd.tot)}) in familie '{familie}'; welke set geldt is "
                                   "dan niet te bepalen"))
    return problemen


def _versielabels(data: RegioData) -> list[Probleem | None]:
    """Two versions of one document with one `versie` label: the label no longer names one text."""
    problemen: list[Probleem | None] = []
    gezien: dict[tuple[str, str], m.Document] = {}
    for doc in sorted(data.documenten, key=lambda d: d.geldig_van):
        eerder = gezien.setdefault((doc.id, doc.versie), doc)
        if eerder is not doc:
            problemen.append(data.waar(doc).probleem(
                ("versie",), f"versie '{doc.versie}' van '{doc.id}' staat ook in {data.waar(eerder).naam} (geldig vanaf "
                             f"{datum_tekst(eerder.geldig_van)}); een versielabel hoort bij één tekst: geef deze "
                             "versie een eigen label"))
    return problemen


def _verzegeld_status(data: RegioData) -> list[Probleem | None]:
    return [data.waar(ts).probleem(("status",), f"tariefset '{ts.id}' heeft een controlesom maar status "
                                                f"'{ts.status}'; een verzegelde set is vastgesteld")
            for ts in data.tariefsets if ts.controlesom is not None and ts.status != "vastgesteld"]


def verzegeling_verbroken(ts: m.TariefSet) -> str | None:
    """Why sealed set `ts` is not as sealed (Dutch: the productcodes changed, old → new, at most 12 named, and
    what to do instead), or None: not sealed (no controlesom), or its tariffs still match the controlesom."""
    if ts.controlesom is None:
        return None
    nu = tarieven_van(ts)
    if controlesom(nu) == ts.controlesom:
        return None
    vast = ts.vastgestelde_tarieven
    gewijzigd = sorted(c for c in set(nu) | set(vast) if c not in vast or c not in nu or nu[c] != vast[c])
    details = "; ".join(_wijziging(c, vast.get(c), nu.get(c), c in vast, c in nu) for c in gewijzigd[:12])
    meer = f" (en {len(gewijzigd) - 12} meer)" if len(gewijzigd) > 12 else ""
    return (f"tariefset '{ts.id}' is vastgesteld en daarna gewijzigd: "
            f"{details or 'de tarieven kloppen niet met de controlesom'}{meer}. Een vastgestelde set wijzigt "
            "niet; " + zeg(cli="maak een nieuwe set (tarieven indexeer) of stel opnieuw vast met tarieven "
                               "vaststellen --opnieuw",
                           werkplaats="zet de tarieven terug, open een nieuw jaar, of vraag de beheerder de set "
                                      "opnieuw vast te stellen"))


def _wijziging(code: str, oud: Decimal | None, nieuw: Decimal | None, was: bool, is_: bool) -> str:
    if not was:
        return f"productcode {code} toegevoegd"
    if not is_:
        return f"productcode {code} verwijderd"
    return f"productcode {code}: {bedrag_tekst(oud)} → {bedrag_tekst(nieuw)}"
