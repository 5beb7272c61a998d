"""Resolve one document for one aanbieder (or the region) into typed blocks plus the template context.

The dispatch table `VERWERKERS` names, for every block kind of the model, the one handler
that resolves it; the templates only lay out what comes out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from contractgen.basis.formaat import datum_tekst
from contractgen.basis.namen import veilige_naam
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.resolve import blokken as rb
from contractgen.resolve import eisen, tarieven, tekstblokken
from contractgen.resolve.context import Bouwer, Verwerker

VERWERKERS: dict[type, Verwerker] = {
    m.KopBlok: tekstblokken.kop,
    m.SubkopBlok: tekstblokken.subkop,
    m.AlineaBlok: tekstblokken.alinea,
    m.OpsommingBlok: tekstblokken.opsomming,
    m.TabelBlok: tekstblokken.tabel,
    m.BegrippenBlok: tekstblokken.begrippen,
    m.VoetnootBlok: tekstblokken.voetnoot,
    m.HoofdstukBlok: tekstblokken.hoofdstuk,
    m.ArtikelBlok: tekstblokken.artikel,
    m.HandtekeningBlok: tekstblokken.handtekening,
    m.BijlagenlijstBlok: tekstblokken.bijlagenlijst,
    m.InvoegenBlok: tekstblokken.invoegen,
    m.PaginaEindeBlok: tekstblokken.pagina_einde,
    m.ArrangementenBlok: tarieven.arrangementen,
    m.UurtarievenBlok: tarieven.uurtarieven,
    m.TransformatieBlok: tarieven.transformatie,
    m.RekentabelBlok: tarieven.rekentabel,
    m.EisenBlok: eisen.eisen,
    m.MotivatieBlok: eisen.motivatie,
}
assert set(VERWERKERS) == set(m.BLOKSOORTEN.values()), "every block kind of the model needs a handler"


@dataclass
class Weergave:
    """One document resolved for one aanbieder (or for the region): ready to render.

    `context` is what the Word template sees: `document` (titel, versie, looptijd, ...),
    `regio`, `aanbieder` (naam, kvk or None) and `blokken` (typed blocks, `resolve.blokken`).
    """

    document: m.Document
    aanbieder: m.Aanbieder | None
    context: dict[str, Any]
    herkomst: dict[str, tuple] = field(default_factory=dict)  # block id → YAML path (Bouwer.herkomst)

    @property
    def bestandsnaam(self) -> str:
        return veilige_naam(self.document.id)

    @property
    def blokken(self) -> list[rb.Blok]:
        return self.context["blokken"]


def bouwer(data: RegioData, doc: m.Document, aanbieder: m.Aanbieder | None, peildatum: date,
           velden_tonen: bool = False) -> Bouwer:
    return Bouwer(data, doc, aanbieder, peildatum, VERWERKERS, velden_tonen)


def vul_in(data: RegioData, doc: m.Document, tekst: str, peildatum: date) -> str:
    """A text of `doc` with its inline fields filled in as the region-wide document shows them."""
    return bouwer(data, doc, None, peildatum).t(tekst)


def looptijd_tekst(doc: m.Document) -> str:
    """'01-01-2018 t/m 31-12-2018', or '' for a document without looptijd."""
    return f"{datum_tekst(doc.looptijd.van)} t/m {datum_tekst(doc.looptijd.tot)}" if doc.looptijd else ""


def heeft_paraaf(blokken: list[rb.Blok]) -> bool:
    """A document with arrangementen to tick gets a paraaf place on every page (seed 001, bijlage 1.xa)."""
    return any(isinstance(b, rb.Kop) and b.arrangement for b in blokken)


def weergave(data: RegioData, doc: m.Document, aanbieder: m.Aanbieder | None, peildatum: date,
             velden_tonen: bool = False) -> Weergave:
    """Resolve one document for one aanbieder (None: the region-wide version).

    `velden_tonen`: aanbieder fields without a value read "[[aanbieder.naam]]" instead of the blank
    the region-wide document prints (for diff: a jurist sees which field an aanbieder's copy fills).
    """
    b = bouwer(data, doc, aanbieder, peildatum, velden_tonen)
    b.blokken_van(doc.inhoud)
    context = {
        "document": {
            "id": doc.id,
            "titel": b.t(doc.volledige_titel),
            "korte_titel": b.t(doc.korte_titel or doc.volledige_titel),
            "soort": doc.soort,
            "nummer": doc.nummer or "",
            "versie": doc.versie,
            "geldig_van": datum_tekst(doc.geldig_van),
            "looptijd": looptijd_tekst(doc),
            "paraaf": heeft_paraaf(b.blokken),
            # tariff sets not yet adopted: every page's header says CONCEPT (a build needs --concept)
            "concept": ", ".join(sorted(b.concept)),
        },
        "regio": {"naam": data.regio.naam},
        "aanbieder": {"naam": aanbieder.naam, "kvk": aanbieder.kvk} if aanbieder else None,
        "blokken": b.blokken,
        # where this document came from, written into the .docx (render/ankers.py) for importing edits
        "herkomst": {"regio": data.regio.id, "aanbieder": aanbieder.id if aanbieder else "",
                     "peildatum": peildatum.isoformat()},
    }
    return Weergave(doc, aanbieder, context, b.herkomst)


def omslag(data: RegioData, aanbieder: m.Aanbieder, documenten: list[dict], peildatum: date) -> dict[str, Any]:
    """Context for the cover page of a contractpakket: every document (its context's `document`)."""
    rijen = []
    for i, doc in enumerate(documenten, start=1):
        rijen.append([str(i), doc["titel"], doc["versie"], doc["looptijd"] or f"vanaf {doc['geldig_van']}"])
    blokken: list[rb.Blok] = [
        rb.Alinea(f"Peildatum: {datum_tekst(peildatum)}", 1),
        rb.Alinea("Dit pakket bevat de volgende documenten, in de volgorde van de overeenkomst:", 1),
        rb.Tabel(["Nr.", "Document", "Versie", "Looptijd"], rijen),
    ]
    return {
        "document": {"id": "contractpakket", "titel": f"Contractpakket {data.regio.naam}",
                     "korte_titel": "Contractpakket", "soort": "pakket", "nummer": "",
                     "versie": datum_tekst(peildatum), "geldig_van": datum_tekst(peildatum), "looptijd": "",
                     "paraaf": False, "concept": ", ".join(sorted({s for d in documenten
                                                                   for s in (d.get("concept") or "").split(", ") if s}))},
        "regio": {"naam": data.regio.naam},
        "aanbieder": {"naam": aanbieder.naam, "kvk": aanbieder.kvk},
        "blokken": blokken,
    }
