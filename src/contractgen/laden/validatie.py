"""Schema validation: loaded data → typed model, every error as a Dutch `Probleem`.

Pydantic finds the errors; this module says them in Dutch, with the file, line and
column from the loader, the field path, and the nearest valid key for a typo.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from contractgen.basis.posities import Geheel, Kommagetal, position_of, ruw_op
from contractgen.basis.problemen import Probleem
from contractgen.basis.suggesties import bedoelde_u, hint
from contractgen.domein.model import BLOKSOORTEN
from contractgen.laden.bestand import Geladen

T = typing.TypeVar("T", bound=BaseModel)


def validate_model(geladen: Geladen, model: type[T]) -> tuple[T | None, list[Probleem]]:
    """Validate one loaded file against `model`; returns the instance or the problems."""
    if geladen.data is None:
        return None, []
    if not isinstance(geladen.data, dict):
        return None, [Probleem(geladen.naam, 1, 1, "", "verwacht een YAML-mapping (sleutel: waarde) bovenaan het bestand")]
    try:
        return model.model_validate(geladen.data), []
    except ValidationError as exc:
        return None, [_probleem(geladen, model, dict(err)) for err in exc.errors(include_url=False)]


def _probleem(geladen: Geladen, model: type[BaseModel], err: dict) -> Probleem:
    loc = tuple(err["loc"])
    data_loc = _data_pad(geladen.data, loc)
    plaats = position_of(geladen.data, data_loc)
    regel, kolom = (plaats.regel, plaats.kolom) if plaats else (0, 0)
    pad = ".".join(str(s) for s in data_loc)
    return Probleem(geladen.naam, regel, kolom, pad, _bericht(model, loc, _zoals_getypt(geladen.data, data_loc, err)))


def _zoals_getypt(data: Any, data_loc: tuple, err: dict) -> dict:
    """The error with its input as the user typed it: '0773456712', 'NO', '~', not the value YAML made of it."""
    invoer = err.get("input")
    if isinstance(invoer, (Geheel, Kommagetal)):
        return {**err, "input": invoer.ruw}
    if invoer is None or isinstance(invoer, bool):
        ruw = ruw_op(data, data_loc)
        if ruw is not None:
            return {**err, "input": ruw}
    return err


def _data_pad(data: Any, loc: tuple) -> tuple:
    """Drop the steps pydantic adds (union tags, function names) that are not in the data."""
    pad: list = []
    node = data
    for stap in loc:
        if isinstance(node, dict) and isinstance(stap, str) and stap in node:
            node = node[stap]
            pad.append(stap)
        elif isinstance(node, list) and isinstance(stap, int) and 0 <= stap < len(node):
            node = node[stap]
            pad.append(stap)
        elif isinstance(node, dict) and isinstance(stap, str) and stap not in BLOKSOORTEN and not _is_tag(stap):
            pad.append(stap)  # a missing or unknown key: still name it
            node = None
    return tuple(pad)


def _is_tag(stap: str) -> bool:
    return stap in BLOKSOORTEN or "[" in stap or stap.startswith("function-")


def _kort(waarde: Any) -> str:
    tekst = str(waarde)
    return tekst if len(tekst) <= 40 else tekst[:37] + "..."


def _bericht(model: type[BaseModel], loc: tuple, err: dict) -> str:
    soort = err["type"]
    ctx = err.get("ctx") or {}
    invoer = err.get("input")
    if soort == "missing":
        return "verplicht veld ontbreekt"
    if soort == "extra_forbidden":
        sleutel = str(loc[-1])
        toegestaan = sorted(_velden(model, loc[:-1]))
        suggestie = bedoelde_u(sleutel, toegestaan)
        if suggestie:
            return f"onbekend veld '{sleutel}'; bedoelde u '{suggestie}'?"
        return f"onbekend veld '{sleutel}'; toegestaan zijn: {', '.join(toegestaan)}"
    if soort in ("union_tag_not_found", "union_tag_invalid"):
        return _blok_bericht(invoer)
    if soort == "value_error":
        return _waarde_bericht(str(ctx.get("error", err.get("msg", ""))), invoer)
    if soort == "literal_error":
        verwacht = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        opties = [o.strip() for o in verwacht.split(",")]
        suggestie = hint(str(invoer), opties, drempel=0.5)  # short enum values: a looser match still helps
        return f"ongeldige waarde '{_kort(invoer)}'; verwacht een van: {', '.join(opties)}{suggestie}"
    if soort == "string_pattern_mismatch":
        patroon = str(ctx.get("pattern", ""))
        if patroon == r"^\d{8}$":
            return f"ongeldig KvK-nummer '{_kort(invoer)}'; verwacht precies 8 cijfers"
        return (f"ongeldig id '{_kort(invoer)}'; verwacht kleine letters, cijfers, '-', '.' of '_' "
                "(geen spaties, '/' of '..')")
    if soort == "string_unicode":  # a "\uD800" escape: half of a character pair, not text (nor printable)
        return "ongeldige tekst: bevat een losse \\uD800-\\uDFFF-escape (half teken); verwijder die"
    if soort.startswith("date"):
        return f"ongeldige datum '{_kort(invoer)}'; verwacht een bestaande datum als JJJJ-MM-DD"
    berichten = {
        "string_type": "verwacht tekst",
        "int_type": "verwacht een geheel getal",
        "int_parsing": "verwacht een geheel getal",
        "int_from_float": "verwacht een geheel getal",
        "bool_type": "verwacht true of false",
        "bool_parsing": "verwacht true of false",
        "list_type": "verwacht een lijst (regels die met '- ' beginnen)",
        "dict_type": "verwacht een mapping (sleutel: waarde)",
        "model_type": "verwacht een mapping (sleutel: waarde)",
        "model_attributes_type": "verwacht een mapping (sleutel: waarde)",
        "decimal_type": "verwacht een bedrag",
    }
    if soort in berichten and invoer == "":
        return f"{berichten[soort]}; de waarde is leeg"
    if soort in berichten:
        return f"{berichten[soort]}, niet '{_kort(invoer)}'" if invoer is not None and not isinstance(invoer, (dict, list)) else berichten[soort]
    return str(err.get("msg", soort))


def _waarde_bericht(fout: str, invoer: Any) -> str:
    if "bedrag_als_tekst" in fout:
        return (f"bedrag {invoer!r} is een kommagetal; schrijf het als tekst tussen aanhalingstekens, "
                "bijv. '16.50', zodat er niet wordt afgerond")
    if "bedrag_formaat" in fout:
        return (f"ongeldig bedrag '{_kort(invoer)}'; verwacht bijv. '2100' of '16.50' "
                "(punt als decimaalteken, zonder € en zonder duizendtalpunt)")
    if "gereserveerde_naam" in fout:
        return (f"ongeldig id '{_kort(invoer)}': gereserveerde naam (con, prn, aux, nul, com1-9, lpt1-9, ook met "
                "een extensie, of eindigend op '.'); Windows kan zo'n bestand of map niet openen; kies een andere naam")
    if "algemeen_gereserveerd" in fout:
        return (f"ongeldig id '{_kort(invoer)}': 'algemeen' is de map met de documenten voor de hele regio; "
                "kies een andere id voor deze aanbieder")
    if "looptijd_volgorde" in fout:
        return "de einddatum 'tot' ligt vóór de begindatum 'van'"
    if "geldigheid_volgorde" in fout:
        return "'geldig_tot' ligt vóór 'geldig_van'"
    return fout.removeprefix("Value error, ")


def _blok_bericht(invoer: Any) -> str:
    soorten = ", ".join(BLOKSOORTEN)
    if not isinstance(invoer, dict):
        return f"verwacht een blok als mapping met één sleutel, bijv. 'alinea: tekst'; mogelijke soorten: {soorten}"
    sleutels = [k for k in invoer if k != "alleen_voor"]
    if len(sleutels) != 1:
        return (f"een blok heeft precies één soort, hier {len(sleutels)} ({', '.join(map(str, sleutels))}); "
                f"mogelijke soorten: {soorten}")
    suggestie = bedoelde_u(str(sleutels[0]), list(BLOKSOORTEN))
    if suggestie:
        return f"onbekend bloksoort '{sleutels[0]}'; bedoelde u '{suggestie}'?"
    return f"onbekend bloksoort '{sleutels[0]}'; mogelijke soorten: {soorten}"


def _velden(model: type[BaseModel], loc: tuple) -> set[str]:
    """The keys allowed at `loc` inside `model` (for 'bedoelde u' suggestions)."""
    tp: Any = model
    for stap in loc:
        tp = _stap(tp, stap)
        if tp is None:
            return set()
    tp = _kaal(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return {f.alias or naam for naam, f in tp.model_fields.items()}
    return set()


def _kaal(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _stap(tp: Any, stap: Any) -> Any:
    tp = _kaal(tp)
    if isinstance(stap, str) and stap in BLOKSOORTEN and _is_union(tp):
        return BLOKSOORTEN[stap]
    if _is_union(tp):
        for optie in typing.get_args(tp):
            gevonden = _stap(optie, stap)
            if gevonden is not None:
                return gevonden
        return None
    origin = typing.get_origin(tp)
    if origin is list and isinstance(stap, int):
        return typing.get_args(tp)[0]
    if origin is dict:
        return typing.get_args(tp)[1]
    if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(stap, str):
        for naam, veld in tp.model_fields.items():
            if stap in (naam, veld.alias):
                return veld.annotation
    return None


def _is_union(tp: Any) -> bool:

    return typing.get_origin(tp) in (Union, types.UnionType)

