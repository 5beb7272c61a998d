"""A document (overeenkomst, toelichting, bijlage, fragment) with its versie, geldigheid and blocks."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import (
    model_validator,
)

from contractgen.domein.model.basis import (
    Bestandsnaam,
    Bron,
    Id,
    Looptijd,
    Strikt,
    Tekst,
    Wijziging,
)
from contractgen.domein.model.blokken import Blok

DocumentSoort = Literal["overeenkomst", "toelichting", "bijlage", "fragment"]


class Document(Strikt):
    id: Bestandsnaam
    titel: Tekst
    korte_titel: Tekst | None = None
    soort: DocumentSoort
    nummer: Tekst | None = None
    domeinen: list[Id] = []
    versie: Tekst
    geldig_van: date
    geldig_tot: date | None = None
    looptijd: Looptijd | None = None
    wijzigingen: list[Wijziging] = []
    bron: Bron | None = None
    variabelen: dict[str, Tekst] = {}
    kop_in_bron: bool = True
    # how headings read: the DVO prints "HOOFDSTUK 1 ALGEMEEN" and "Artikel 3: Titel", another source "1. Titel"
    kop_hoofdstuk: Tekst = "HOOFDSTUK {nummer} {titel}"
    kop_artikel: Tekst = "Artikel {nummer}{scheiding} {titel}"
    sjabloon: Id = "document"
    inhoud: list[Blok] = []

    @model_validator(mode="after")
    def _geldigheid(self):
        if self.geldig_tot is not None and self.geldig_tot < self.geldig_van:
            raise ValueError("geldigheid_volgorde")
        return self

    def geldig_op(self, peildatum: date) -> bool:
        return self.geldig_van <= peildatum and (self.geldig_tot is None or peildatum <= self.geldig_tot)

    @property
    def volledige_titel(self) -> str:
        if self.soort == "bijlage" and self.nummer and not self.titel.lower().startswith("bijlage"):
            return f"Bijlage {self.nummer} {self.titel}"
        return self.titel
