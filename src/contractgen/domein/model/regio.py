"""A region (regio.yaml): domeinen, gemeenten, pakket, handtekeningblokken, voorrang, parameters, berekeningen."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import (
    BaseModel,
)

from contractgen.domein.model.aanbieder import SocialReturn
from contractgen.domein.model.basis import Bestandsnaam, Id, Strikt, Tekst


class Domein(Strikt):
    id: Id
    naam: Tekst
    aanbieder_van: Tekst | None = None


class Gemeente(Strikt):
    id: Id
    naam: Tekst


class HandtekeningRij(Strikt):
    label: Tekst
    waarde: Tekst = ""
    teken: bool = False  # the row where one signs: tall, and the PDF signature field goes here


class HandtekeningDef(Strikt):
    titel: Tekst
    partij: Literal["gemeenten", "opdrachtnemer"]
    rijen: list[HandtekeningRij]


class Rang(Strikt):
    """One step of the rangorde: these documents, and the article that gives them this place."""

    naam: Tekst
    documenten: list[Tekst]  # document ids; a trailing * matches a prefix (bijlage-*)
    grond: Tekst | None = None  # DOC:ID of the voorrang article


class Uitzondering(Strikt):
    onderwerp: Tekst
    wijkt_af_van: Tekst
    grond: Tekst  # DOC:ID


class OnderwerpPlaats(Strikt):
    """A place that governs a subject, and the rule it states there (see Vindplaats.regel)."""

    plaats: Tekst  # DOC:ID
    regel: Tekst | None = None


class Onderwerp(Strikt):
    """A subject `contractgen voorrang` knows, and the words users ask it by.

    `id` is a parameter id, a begrip (lower case) or a subject of its own; the latter
    names the places that govern it (`vindplaatsen`: DOC:ID, or {plaats, regel} where
    the places state different rules). `grond` is where the source ties the words to
    the subject (DOC:ID), `toelichting` says why in words.
    """

    id: Tekst
    naam: Tekst | None = None
    synoniemen: list[Tekst] = []
    vindplaatsen: list[Tekst | OnderwerpPlaats] = []
    grond: Tekst
    toelichting: Tekst | None = None


class Voorrang(Strikt):
    rangorde: list[Rang] = []
    uitzonderingen: list[Uitzondering] = []
    onderwerpen: list[Onderwerp] = []


class Vindplaats(Strikt):
    """Where a parameter's value stands. `regel` names the rule the place states when one subject
    holds several (a liability cap is not a minimum insured amount; the notice period of the
    samenwerkingsovereenkomst is not the DVO's): values are compared, and voorrang applied, only
    between places of the same rule."""

    plaats: Tekst  # DOC:ID (artikel, lid or eis)
    tekst: Tekst  # the words as they stand there (checked)
    waarde: Tekst  # normalised, for comparison
    regel: Tekst | None = None


class Parameter(Strikt):
    id: Id
    naam: Tekst
    vindplaatsen: list[Vindplaats]


class Berekening(Strikt):
    """A computed value per aanbieder, e.g. social return = opdrachtwaarde * 5 / 100 above a threshold."""

    id: Id
    naam: Tekst
    formule: Tekst
    als: Tekst | None = None
    anders: Tekst = "niet van toepassing"
    eenheid: Literal["bedrag", "getal"] = "bedrag"
    grond: Tekst | None = None  # where the source states the rule


class Regio(Strikt):
    id: Bestandsnaam
    naam: Tekst
    standaard_peildatum: date
    domeinen: list[Domein]
    gemeenten: list[Gemeente] = []
    handtekeningen: dict[Id, HandtekeningDef] = {}
    algemeen: list[Id] = []
    pakket: list[Id] = []
    voorrang: Voorrang = Voorrang()
    parameters: list[Parameter] = []
    berekeningen: list[Berekening] = []
    # segments, percelen and other traits an aanbieder can have (matched by `alleen_voor`)
    kenmerken: list[Domein] = []
    social_return: SocialReturn | None = None


for _model in list(globals().values()):
    if isinstance(_model, type) and issubclass(_model, BaseModel) and _model.__module__ == __name__:
        _model.model_rebuild()
