"""An aanbieder: identity (KvK, AGB), people, domeinen, arrangementen, kwaliteitseisen answers, social return."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
)

from contractgen.domein.model.basis import (
    Bedrag,
    Bestandsnaam,
    Id,
    Strikt,
    Tekst,
    _tekst,
)


def _gecontroleerd(patroon: str, fout: str, vorm=lambda w: w):
    """Text that must match `patroon`, else a Dutch message; `vorm` normalises a match."""

    def controleer(waarde: Any) -> Any:
        waarde = _tekst(waarde)
        if not isinstance(waarde, str):
            return waarde  # the type check reports it
        if re.fullmatch(patroon, waarde.strip()):
            return vorm(waarde.strip())
        raise ValueError(fout.format(_kort(waarde)))

    return BeforeValidator(controleer)


def _kort(tekst: str) -> str:
    return tekst if len(tekst) <= 40 else tekst[:37] + "..."


AgbCode = Annotated[str, _gecontroleerd(r"\d{8}", "ongeldige AGB-code '{}'; verwacht precies 8 cijfers")]
Postcode = Annotated[str, _gecontroleerd(
    r"\d{4} ?[A-Za-z]{2}", "ongeldige postcode '{}'; verwacht vier cijfers en twee letters, bijv. '6211 AA'",
    lambda w: f"{w[:4]} {w[-2:].upper()}")]
Email = Annotated[str, _gecontroleerd(
    r"[^@\s]+@[^@\s]+\.[^@\s]+", "ongeldig e-mailadres '{}'; verwacht één adres zoals naam@organisatie.nl: "
    "één @, een punt in de domeinnaam na de @, geen spaties")]
Aantal = Annotated[str, _gecontroleerd(
    r"\d+(\.\d+)?", "ongeldig maximum '{}'; verwacht een aantal, bijv. '400' (uren) of '1.5' (fte), "
    "met een punt als decimaalteken")]


def _antwoord(waarde: Any) -> Any:
    # Spreadsheets and people write ja, NEE, n.v.t.: one spelling in the documents.
    if isinstance(waarde, str):
        return {"ja": "Ja", "nee": "Nee", "nvt": "NVT"}.get(waarde.strip().lower().replace(".", ""), waarde)
    return waarde


class Persoon(Strikt):
    naam: Tekst
    functie: Tekst | None = None
    email: Email | None = None
    telefoon: Tekst | None = None


class Adres(Strikt):
    straat: Tekst
    postcode: Postcode
    plaats: Tekst


class Antwoord(Strikt):
    """An answer to one kwaliteitseis of bijlage 3; Nee and NVT need a motivatie (aanbieder_regels)."""

    antwoord: Annotated[Literal["Ja", "Nee", "NVT"], BeforeValidator(_antwoord)]
    motivatie: Tekst | None = None


class UurAfspraak(Strikt):
    """Bijlage 1.xb: the agreed maximum, and a tarief only where the tariff set leaves it open."""

    maximum: Aantal
    tarief: Bedrag | None = None


class Onderaannemer(Strikt):
    """DVO art. 21: a subcontractor or ZZP'er; described in bijlage 1 (art. 21.1)."""

    naam: Tekst
    kvk: Annotated[str, BeforeValidator(_tekst), Field(pattern=r"^\d{8}$")] | None = None
    zzp: bool = False
    omschrijving: Tekst | None = None


class Uitsluiting(Strikt):
    """Bijlage 6: the declaration that no uitsluitingsgrond applies (DVO art. 21.2)."""

    verklaard: bool
    datum: date | None = None


class SocialReturn(Strikt):
    """DVO art. 24.2: above this expected omzet the aanbieder must make social return agreements."""

    drempel: Bedrag
    artikel: Tekst  # DOC:ID where the source states the amount (checked)


def _niet_algemeen(waarde: str) -> str:
    # output/<regio>/<jaar>/algemeen/ holds the region's own documents; a package there would mix with them
    if waarde == "algemeen":
        raise ValueError("algemeen_gereserveerd")
    return waarde


class Aanbieder(Strikt):
    id: Annotated[Bestandsnaam, AfterValidator(_niet_algemeen)]
    voorbeeld: bool = False
    naam: Tekst
    kvk: Annotated[str, BeforeValidator(_tekst), Field(pattern=r"^\d{8}$")]
    agb: AgbCode | None = None
    vestigingsadres: Adres | None = None
    vertegenwoordiger: Persoon  # signs; name and functie are prefilled in signature blocks
    contactpersoon: Persoon | None = None  # eis H6
    vervanger: Persoon | None = None  # eis H6
    domeinen: list[Id]
    arrangementen: list[Id] = []  # whole arrangementen: a sextant is contracted with all its levels
    # offers verblijf or crisis verblijf (eisen E4/E5); unset: derived from the arrangementen
    verblijf: bool | None = None
    uurtarieven: dict[str, UurAfspraak] = {}
    kwaliteitseisen: dict[str, Antwoord] = {}
    personen: int | None = None  # persons giving care, hired staff included (eis A1)
    zzp: bool = False
    onderaannemers: list[Onderaannemer] = []
    uitsluitingsgronden: Uitsluiting | None = None
    omzet_verwacht: Bedrag | None = None
    # contract variants (regio.yaml `varianten`) and the gemeenten the aanbieder works for under each
    varianten: dict[Id, list[Id]] = {}
    # generic, for any contract family: segments/percelen, named amounts, named contacts
    kenmerken: list[Id] = []
    waarden: dict[Id, Bedrag] = {}
    rollen: dict[Id, Persoon] = {}
