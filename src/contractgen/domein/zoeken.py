"""Pure queries on the model that every stage shares.

Which version of a document holds on a peildatum, the package of one aanbieder, the
tariff set in force, and walks over blocks, articles, leden and their texts (with the
path of each in its file, so messages can point at a line).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from pydantic import BaseModel

from contractgen.basis.formaat import datum_tekst
from contractgen.basis.problemen import DataFout, Probleem
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.model import Artikel, ArtikelBlok, Document, Hoofdstuk, Lid


def walk_blokken(blokken: list, pad: tuple) -> Iterator[tuple[object, tuple]]:
    """Every block, article and lid below `blokken`, with its path in the file."""
    for i, blok in enumerate(blokken):
        bpad = pad + (i,)
        yield blok, bpad
        if isinstance(blok, ArtikelBlok):
            art = blok.artikel
            yield art, bpad + ("artikel",)
            yield from walk_blokken(art.inhoud, bpad + ("artikel", "inhoud"))
            for j, lid in enumerate(art.leden):
                lpad = bpad + ("artikel", "leden", j)
                yield lid, lpad
                yield from walk_blokken(lid.inhoud, lpad + ("inhoud",))


def teksten(obj: object, pad: tuple) -> Iterator[tuple[str, tuple]]:
    """Every text value inside a block/article/lid (not descending into nested blocks)."""
    if isinstance(obj, str):
        yield obj, pad
        return
    if isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from teksten(item, pad + (i,))
        return
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from teksten(v, pad + (k,))
        return
    if isinstance(obj, (Artikel, Lid)):
        for naam in ("nummer", "titel", "tekst"):
            if hasattr(obj, naam):
                yield getattr(obj, naam), pad + (naam,)
        return
    if isinstance(obj, BaseModel):
        for naam in type(obj).model_fields:
            if naam in ("inhoud", "leden", "alleen_voor"):
                continue
            waarde = getattr(obj, naam)
            if isinstance(waarde, (Artikel,)):
                continue
            yield from teksten(waarde, pad + (naam,))


def ids_in(doc: Document, peildatum: date | None = None) -> dict[str, object]:
    """Articles, leden and chapters of a document by id (the version in force, else the first)."""
    result: dict[str, object] = {}
    artikel = None
    for obj, _ in walk_blokken(doc.inhoud, ("inhoud",)):
        if isinstance(obj, Artikel):
            artikel = obj
        if isinstance(obj, (Artikel, Lid)):
            geldig = peildatum is not None and obj.geldig_op(peildatum) and artikel is not None \
                and artikel.geldig_op(peildatum)
            if geldig and obj.id in result:
                result[obj.id] = obj
            result.setdefault(obj.id, obj)
        elif hasattr(obj, "hoofdstuk") and isinstance(getattr(obj, "hoofdstuk"), Hoofdstuk):
            result.setdefault(obj.hoofdstuk.id, obj.hoofdstuk)
    return result


def in_kracht(doc: m.Document, peildatum: date) -> m.Document:
    """The document with only the article and lid versions that hold on the peildatum (for comparing)."""
    inhoud: list = []
    for blok in doc.inhoud:
        if isinstance(blok, m.ArtikelBlok):
            if not blok.artikel.geldig_op(peildatum):
                continue
            leden = [lid for lid in blok.artikel.leden if lid.geldig_op(peildatum)]
            blok = blok.model_copy(update={"artikel": blok.artikel.model_copy(update={"leden": leden})})
        inhoud.append(blok)
    return doc.model_copy(update={"inhoud": inhoud})


def kies_versie(data: RegioData, ident: str, peildatum: date) -> m.Document | None:
    """The version of document `ident` in force on the peildatum."""
    for doc in reversed(data.versies(ident)):
        if doc.geldig_op(peildatum):
            return doc
    return None


def pakket(data: RegioData, aanbieder: m.Aanbieder, peildatum: date) -> list[m.Document]:
    """The documents of one aanbieder's package, in the order of the regio's pakket."""
    result = []
    for ident in data.regio.pakket:
        doc = kies_versie(data, ident, peildatum)
        if doc is None:
            continue
        if doc.domeinen and not set(doc.domeinen) & (set(aanbieder.domeinen) | set(aanbieder.kenmerken)):
            continue
        result.append(doc)
    return result


def algemene_documenten(data: RegioData, peildatum: date) -> list[m.Document]:
    """The region-wide documents (samenwerkingsovereenkomst, toelichting) in force on the peildatum."""
    return [d for d in (kies_versie(data, i, peildatum) for i in data.regio.algemeen) if d is not None]


def tariefperiode(doc: m.Document, peildatum: date) -> tuple[date, date]:
    """The period a document's tariffs must cover: its looptijd, else the peildatum alone."""
    if doc.looptijd is not None:
        return doc.looptijd.van, doc.looptijd.tot
    return peildatum, peildatum


def tarieffamilies(data: RegioData) -> dict[str, list[m.TariefSet]]:
    """Tariff sets per familie, oldest looptijd first."""
    families: dict[str, list[m.TariefSet]] = {}
    for ts in sorted(data.tariefsets, key=lambda t: t.looptijd.van):
        families.setdefault(ts.familie_id, []).append(ts)
    return families


def zoek_tariefset(data: RegioData, ref: str, van: date, tot: date) -> tuple[m.TariefSet | None, str]:
    """(the set `ref` means for the period van..tot, why not if None).

    `ref` is a familie ("jeugd", "uurtarieven": the set whose looptijd holds the whole period)
    or, pinned, the id of one set, which must then hold for the period itself. Never falls back
    to another year: a signed looptijd with last year's prices is the defect this prevents (issue 13).
    """
    families = tarieffamilies(data)
    periode = f"{datum_tekst(van)} t/m {datum_tekst(tot)}" if van != tot else datum_tekst(van)
    if ref in families:
        for ts in families[ref]:
            if ts.looptijd.van <= van and tot <= ts.looptijd.tot:
                return ts, ""
        bekend = ", ".join(f"{t.id} ({datum_tekst(t.looptijd.van)} t/m {datum_tekst(t.looptijd.tot)})"
                           for t in families[ref])
        return None, (f"geen tariefset van familie '{ref}' geldt voor {periode}; er zijn: {bekend}. "
                      "Maak de set voor dit jaar (contractgen jaarwissel of tarieven indexeer)")
    genoemd = data.tariefset(ref)
    if genoemd is None:
        return None, f"onbekende tariefset of familie '{ref}'; bekend zijn: {', '.join(sorted(families))}"
    if genoemd.looptijd.van <= van and tot <= genoemd.looptijd.tot:
        return genoemd, ""
    return None, (f"tariefset '{ref}' geldt van {datum_tekst(genoemd.looptijd.van)} t/m "
                  f"{datum_tekst(genoemd.looptijd.tot)}, niet voor {periode}; verwijs naar de familie "
                  f"'{genoemd.familie_id}' zodat de set van het jaar wordt gekozen")


def kies_tariefset(data: RegioData, ref: str, doc: m.Document, peildatum: date) -> m.TariefSet:
    """The set `ref` (familie or pinned id) means in document `doc` on the peildatum.

    Raises DataFout naming the document, the familie and the peildatum when no set holds.
    """
    ts, waarom = zoek_tariefset(data, ref, *tariefperiode(doc, peildatum))
    if ts is None:
        # a document read outside its region's files (diff: a single file, a git revision) has no herkomst
        waar = data.herkomst.get(id(doc))
        raise DataFout([Probleem(waar.naam if waar else doc.id, 0, 0, "tarieven",
                                 f"document '{doc.id}' (versie {doc.versie}), peildatum {datum_tekst(peildatum)}: "
                                 f"{waarom}")])
    return ts


def begrippen(documenten: list[m.Document]) -> list[tuple[str, m.Document, tuple, str]]:
    """(begrip, document, pad, definitie) from begrippen tables and definition articles."""
    result = []
    for doc in documenten:
        for obj, pad in walk_blokken(doc.inhoud, ("inhoud",)):
            if isinstance(obj, m.BegrippenBlok):
                result += [(b.begrip, doc, pad + ("begrippen", k), b.definitie) for k, b in enumerate(obj.begrippen)]
            elif isinstance(obj, m.Artikel) and re.search(r"[Dd]efinitie|[Bb]egrip", obj.titel) and doc.soort != "toelichting":
                for k, lid in enumerate(obj.leden):
                    match = re.match(r"([^:]{2,60}):\s", lid.tekst)
                    if match:
                        result.append((match.group(1).strip(), doc, pad + ("leden", k), lid.tekst[match.end():]))
    return result
