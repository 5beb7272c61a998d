"""Find the text behind a place name `DOC:ID` (artikel, lid or kwaliteitseis) in the versions in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.zoeken import kies_versie, teksten, walk_blokken
from contractgen.resolve.weergave import vul_in


@dataclass
class Tekstplaats:
    document: m.Document
    obj: object
    pad: tuple
    tekst: str  # with inline fields filled in
    label: str  # how a jurist names it: "DVO art. 26.2", "Bijlage 3, eis B9"


def document_naam(doc: m.Document) -> str:
    if doc.soort == "bijlage" and doc.nummer:
        return f"Bijlage {doc.nummer}"
    return doc.korte_titel or doc.titel


def vind(data: RegioData, plaats: str, peildatum: date) -> Tekstplaats | None:
    doc_id, _, ident = plaats.partition(":")
    doc = kies_versie(data, doc_id, peildatum)
    if doc is None:
        return None
    if not ident:
        delen = [t for t, _ in teksten_van_document(doc)]
        return Tekstplaats(doc, doc, (), vul_in(data, doc, " ".join(delen), peildatum), document_naam(doc))
    for obj, pad in walk_blokken(doc.inhoud, ("inhoud",)):
        if isinstance(obj, (m.Artikel, m.Lid)) and obj.id == ident:
            delen = [t for t, _ in teksten(obj, pad)] + _inhoud_teksten(obj.inhoud)
            if isinstance(obj, m.Artikel):
                for lid in obj.leden:
                    delen += [lid.nummer, lid.tekst] + _inhoud_teksten(lid.inhoud)
            soort = "art."
            tekst = vul_in(data, doc, " ".join(delen), peildatum)
            return Tekstplaats(doc, obj, pad, tekst, f"{document_naam(doc)} {soort} {obj.nummer}")
        if isinstance(obj, m.EisenBlok):
            for i, eis in enumerate(obj.eisen.eisen):
                if eis.id == ident:
                    tekst = " ".join([eis.tekst] + [x if isinstance(x, str) else x.tekst for x in eis.opsomming])
                    return Tekstplaats(doc, eis, pad + ("eisen", "eisen", i), vul_in(data, doc, tekst, peildatum),
                                  f"{document_naam(doc)}, eis {eis.nr}")
    return None


def _inhoud_teksten(blokken: list) -> list[str]:
    # running text only: a table (the bijlagenlijst of art. 3.1) is not what a quote needs
    return [t for b in blokken if not isinstance(b, (m.TabelBlok, m.BijlagenlijstBlok, m.BegrippenBlok))
            for t, _ in teksten(b, ())]


def teksten_van_document(doc: m.Document):
    """Every text in a document with its path (for scans over whole documents)."""
    for obj, pad in walk_blokken(doc.inhoud, ("inhoud",)):
        if isinstance(obj, (m.Artikel, m.Lid)):
            yield from ((t, p) for t, p in teksten(obj, pad))
        elif not isinstance(obj, m.ArtikelBlok):
            yield from teksten(obj, pad)
