"""Rules for year-bound data, applied by `validate` (issue 13).

- Every tariff reference of a document version resolves, for that version's looptijd, to
  exactly one set of the named familie (or to the pinned set, which must hold itself):
  "no set in force" is an error naming the document, the familie and the period.
- Sets of one familie do not overlap (the choice would be ambiguous).
- A set sealed with `tarieven vaststellen` (status vastgesteld + controlesom) is not changed
  afterwards: any change is an error naming the productcodes changed.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from contractgen.basis.formaat import bedrag_tekst, datum_tekst
from contractgen.basis.problemen import Probleem
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.zoeken import kies_versie, tariefperiode, tarieffamilies, walk_blokken, zoek_tariefset


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
    problemen: list[Probleem] = []
    problemen += _verwijzingen(data)
    problemen += _overlap(data)
    problemen += _verzegeld(data)
    return [p for p in problemen if p is not None]


def _refs(data: RegioData, doc: m.Document, gezien: set[str]):
    """(ref block, path, document holding it) in doc and in the fragments it inserts."""
    for obj, pad in walk_blokken(doc.inhoud, ("inhoud",)):
        for soort in ("arrangementen", "uurtarieven"):
            ref = getattr(obj, soort, None)
            if ref is not None and not isinstance(ref, list):
                yield ref, pad + (soort, "tarieven"), doc
        if isinstance(obj, m.InvoegenBlok) and obj.invoegen.document not in gezien:
            ident = obj.invoegen.document
            versies = data.versies(ident)
            fragment = kies_versie(data, ident, doc.geldig_van) or (versies[-1] if versies else None)
            if fragment is not None:
                yield from _refs(data, fragment, gezien | {ident})


def _verwijzingen(data: RegioData) -> list[Probleem]:
    """Each document version's tariff references hold for its own looptijd."""
    problemen = []
    families = tarieffamilies(data)
    for doc in data.documenten:
        if doc.soort == "fragment" or doc.looptijd is None:
            continue  # fragments are checked where they are inserted; no looptijd: chosen by peildatum at build
        gemeld: set[str] = set()
        for ref, pad, waar_doc in _refs(data, doc, {doc.id}):
            if ref.tarieven not in families and data.tariefset(ref.tarieven) is None:
                continue  # unknown name: reported by the integrity check
            ts, waarom = zoek_tariefset(data, ref.tarieven, *tariefperiode(doc, doc.geldig_van))
            if ts is None and waar_doc is doc:
                problemen.append(data.waar(doc).probleem(pad, f"verwijzing naar '{ref.tarieven}': {waarom}"))
            elif ts is None and ref.tarieven not in gemeld:  # in a fragment: once per familie, at the document
                gemeld.add(ref.tarieven)
                problemen.append(data.waar(doc).probleem(
                    ("looptijd",), f"document '{doc.id}' versie {doc.versie} (ingevoegd uit '{waar_doc.id}'): {waarom}"))
    return problemen


def _overlap(data: RegioData) -> list[Probleem]:
    problemen = []
    for familie, sets in tarieffamilies(data).items():
        for oud, nieuw in zip(sets, sets[1:]):
            if nieuw.looptijd.van <= oud.looptijd.tot:
                problemen.append(data.waar(nieuw).probleem(
                    ("looptijd",), f"tariefset '{nieuw.id}' overlapt met '{oud.id}' ({datum_tekst(oud.looptijd.van)} "
                                   f"t/m {datum_tekst(oud.looptijd.tot)}) in familie '{familie}'; welke set geldt is "
                                   "dan niet te bepalen"))
    return problemen


def _verzegeld(data: RegioData) -> list[Probleem]:
    problemen = []
    for ts in data.tariefsets:
        if ts.controlesom is None:
            continue
        waar = data.waar(ts)
        nu = tarieven_van(ts)
        if ts.status != "vastgesteld":
            problemen.append(waar.probleem(("status",), f"tariefset '{ts.id}' heeft een controlesom maar status "
                                                        f"'{ts.status}'; een verzegelde set is vastgesteld"))
        if controlesom(nu) == ts.controlesom:
            continue
        vast = ts.vastgestelde_tarieven
        gewijzigd = sorted(c for c in set(nu) | set(vast) if c not in vast or c not in nu or nu[c] != vast[c])
        details = "; ".join(_wijziging(c, vast.get(c), nu.get(c), c in vast, c in nu) for c in gewijzigd[:12])
        meer = f" (en {len(gewijzigd) - 12} meer)" if len(gewijzigd) > 12 else ""
        problemen.append(waar.probleem(
            ("controlesom",),
            f"tariefset '{ts.id}' is vastgesteld en daarna gewijzigd: "
            f"{details or 'de tarieven kloppen niet met de controlesom'}{meer}. Een vastgestelde set wijzigt "
            "niet; maak een nieuwe set (tarieven indexeer) of stel opnieuw vast met tarieven vaststellen --opnieuw"))
    return problemen


def _wijziging(code: str, oud: Decimal | None, nieuw: Decimal | None, was: bool, is_: bool) -> str:
    if not was:
        return f"productcode {code} toegevoegd"
    if not is_:
        return f"productcode {code} verwijderd"
    return f"productcode {code}: {bedrag_tekst(oud)} → {bedrag_tekst(nieuw)}"
