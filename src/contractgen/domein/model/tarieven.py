"""Tariff sets per domein and looptijd: arrangementen with productcodes, uurtarieven, transformatietabellen."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import (
    Field,
)

from contractgen.domein.model.basis import Bedrag, Id, Looptijd, Strikt, Tekst
from contractgen.domein.model.blokken import Voetnoot

Eenheid = Literal["traject", "traject_per_gezin", "maand", "etmaal", "uur", "jaar", "dagdeel"]


class As(Strikt):
    as_: Tekst = Field(alias="as")
    waarden: list[Tekst]


class Afgeleid(Strikt):
    """How a derived tariff follows from others (checked by `contractgen check`)."""

    verschil: list[Tekst] | None = None  # [a, b]: tarief = a - b
    percentage: Bedrag | None = None  # with `van`: tarief = percentage % of van
    van: Tekst | None = None
    grond: Tekst | None = None  # where the source states the rule


class Product(Strikt):
    productcode: Tekst
    naam: Tekst | None = None
    rij: Tekst | None = None
    kolom: Tekst | None = None
    tarief: Bedrag
    eenheid: Eenheid  # for diff, indexation and checks; printed only where label_tarief says it
    label_tarief: Tekst | None = None
    label_code: Tekst = "Productcode:"  # as the source prints it ("productcode:", "productiecode:")
    afgeleid: Afgeleid | None = None


class Degressief(Strikt):
    percentage: Tekst | None = None
    drempel: Tekst | None = None
    producten: list[Tekst] = []
    tekst: Tekst | None = None


class Arrangement(Strikt):
    id: Id
    titel: Tekst
    sextant: bool = False
    rijen: As | None = None
    kolommen: As | None = None
    producten: list[Product] = []
    toeslagen: list[Product] = []
    degressief: Degressief | None = None
    voorwaarden: list[Tekst] = []
    # the source's own layout where it is not a plain grid: rows of cells, each a text or
    # "product:CODE" / "toeslag:CODE" (that product's name, tarief and code, as the source prints them)
    rooster: list[list[Tekst]] = []
    voetnoten: list[Voetnoot] = []  # printed right after this arrangement, where the source has them


class UurPost(Strikt):
    id: Id
    naam: Tekst
    productcode: Tekst | None = None
    tarief: Bedrag | None = None
    eenheid: Eenheid
    label_tarief: Tekst | None = None
    maximum: Literal["uren", "fte"] | None = None
    domeinen: list[Id] = []


class UurGroep(Strikt):
    id: Id
    titel: Tekst
    posten: list[UurPost]


class TariefSet(Strikt):
    """One year's tariffs of a familie (`jeugd`, `uurtarieven`): documents name the familie and
    get the set whose looptijd holds for theirs (`domein.zoeken.kies_tariefset`)."""

    id: Id
    familie: Id | None = None  # default: the id without its year ("jeugd-2018" -> "jeugd")
    domein: Id | None = None
    looptijd: Looptijd
    status: Literal["vastgesteld", "concept"] = "vastgesteld"
    # written by `tarieven vaststellen`: sha256 over the tariffs; a later change is a validation error
    controlesom: Tekst | None = None
    vastgestelde_tarieven: dict[Tekst, Bedrag | None] = {}  # the tariffs as sealed, to name what changed
    arrangementen: list[Arrangement] = []
    groepen: list[UurGroep] = []

    @property
    def familie_id(self) -> str:
        return self.familie or re.sub(r"-(19|20)\d\d$", "", self.id)


class TransformatieProduct(Strikt):
    omschrijving: Tekst = ""
    extra: Tekst = ""
    productcode: Tekst = ""


class TransformatieRegel(Strikt):
    oud: TransformatieProduct | None = None
    nieuw: TransformatieProduct | None = None
    status: Literal["behouden", "hernoemd", "nieuw", "vervalt", "onbekend"]


class Transformatietabel(Strikt):
    id: Id
    domein: Id
    van_jaar: int
    naar_jaar: int
    regels: list[TransformatieRegel]
