"""Shared field types of the model: amounts as Decimal from text, ids, text that YAML would turn into numbers, looptijd."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from contractgen.basis.posities import zoals_getypt

ID_PATROON = r"^[a-z0-9][a-z0-9._-]*$"


def _bedrag(waarde: Any) -> Decimal:
    # An amount is read from the text as typed (16.10 stays 16.10); a float without that
    # text is refused: a tariff typed as 16.1 must not become 16.099999...
    waarde = zoals_getypt(waarde)
    if isinstance(waarde, bool) or isinstance(waarde, float):
        raise ValueError("bedrag_als_tekst")
    if isinstance(waarde, int):
        return Decimal(waarde)
    if isinstance(waarde, str) and re.fullmatch(r"\d+(\.\d{1,2})?", waarde.strip()):
        try:
            return Decimal(waarde.strip())
        except InvalidOperation:
            pass
    raise ValueError("bedrag_formaat")


Bedrag = Annotated[Decimal, BeforeValidator(_bedrag)]
Id = Annotated[str, Field(pattern=ID_PATROON)]


def _tekst(waarde: Any) -> Any:
    # A number where the model wants text (a code, a lid number, a telephone number) is
    # the text as typed, which the loader keeps: 10.10 stays "10.10", 0773456712 keeps its 0.
    if isinstance(waarde, bool):
        return waarde
    if isinstance(waarde, (int, float)):
        return str(zoals_getypt(waarde))
    return waarde


Tekst = Annotated[str, BeforeValidator(_tekst)]


class Strikt(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Looptijd(Strikt):
    van: date
    tot: date

    @model_validator(mode="after")
    def _volgorde(self):
        if self.tot < self.van:
            raise ValueError("looptijd_volgorde")
        return self


class Wijziging(Strikt):
    versie: Tekst
    datum: date
    omschrijving: Tekst


class Bron(Strikt):
    bestand: Tekst
    regels: Tekst | None = None
