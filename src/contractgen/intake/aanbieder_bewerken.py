"""One aanbieder changed field by field (the workplace's form), as one transaction of its region.

    pad, sha, boom = lees_aanbieder(data, "voorbeeld-wmo-compleet")
    bewerk_aanbieder(data, "voorbeeld-wmo-compleet", {("naam",): "Nieuwe naam",
                     ("kwaliteitseisen", "E7", "antwoord"): "NVT"}, sha, auteur=..., git=True)

The file is edited in place with ruamel.yaml round-trip (`intake.yaml_rond`): its comments, key
order, quoting and flow style stay, so the diff of a change is the changed lines only. The result
is checked exactly like a file in aanbieders/ and a row of an import: the model (`Aanbieder`),
then the region's integrity checks and rules with the other aanbieders (`regels.integriteit`,
`regels.aanbieders`: the NVT rules of bijlage 3, motivation of Nee/NVT). Only a valid result is
written, through the import's own writer (`intake.aanbieders._schrijf`: read back, optimistic
check, transaction, optional git commit with the person as author).

Errors: `AanbiederFout` (a DataFout) with every problem, each `pad` the field as the YAML names it
("kwaliteitseisen.E7.antwoord") so a form can show it at its field; `GelijktijdigGewijzigd` when
the file changed since it was read (naming who changed it).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from contractgen.basis.formaat import lees_bedrag
from contractgen.basis.problemen import DataFout, Probleem
from contractgen.basis.transactie import Auteur, Transactie, sha256_van
from contractgen.domein.dataset import Herkomst, RegioData
from contractgen.domein.model import Aanbieder
from contractgen.intake.aanbieders import Geimporteerd, _schrijf
from contractgen.intake.yaml_rond import dump, laad_tekst
from contractgen.laden.bestand import load_text
from contractgen.laden.validatie import validate_model
from contractgen.regels.integriteit import check_integrity

Pad = tuple[str, ...]
# fields the model keeps as an amount: typed by a person in Dutch notation (2.100.000 / 16,50), read by the
# intake's own reader (`basis.formaat.lees_bedrag`), so the form accepts what the workbook accepts
BEDRAGEN: frozenset[Pad] = frozenset({("omzet_verwacht",)})


class AanbiederFout(DataFout):
    """The edited aanbieder does not validate; nothing was written."""


def lees_aanbieder(data: RegioData, ident: str) -> tuple[Path, str | None, Any]:
    """(file, sha256 of its bytes now, round-trip tree) of aanbieder `ident`; KeyError when unknown."""
    a = data.aanbieder(ident)
    if a is None or data.waar(a).pad is None:
        raise KeyError(ident)
    pad = data.waar(a).pad
    assert pad is not None
    ruw = pad.read_bytes()
    return pad, sha256_van(pad), laad_tekst(ruw.decode("utf-8"))


def _nieuwe_waarde(oud: Any, nieuw: Any) -> Any:
    """Text as the data writes text (between double quotes, or as the old value was); the rest as given."""
    if isinstance(nieuw, str):
        if isinstance(oud, str) and type(oud) is str and oud == nieuw:
            return oud
        if isinstance(oud, str) and type(oud) is not str:
            return type(oud)(nieuw)  # the old quoting
        if nieuw in ("Ja", "Nee", "NVT") or (isinstance(oud, str) and type(oud) is str):
            return nieuw  # a plain scalar stays plain
        return DoubleQuotedScalarString(nieuw)
    return nieuw


def pas_toe(boom: Any, wijzigingen: dict[Pad, Any]) -> list[Pad]:
    """Apply `wijzigingen` (field path → new value; None removes the field) to a round-trip tree in place.

    A mapping that becomes empty is removed with it (an answer without antwoord, a contactpersoon
    without fields). A new small mapping is written on one line, like the hand-written files.
    Returns the paths whose value really changed.
    """
    gewijzigd: list[Pad] = []
    for pad, waarde in wijzigingen.items():
        knoop = boom
        keten: list[tuple[Any, str]] = []
        for stap in pad[:-1]:
            if not isinstance(knoop.get(stap), dict):
                if waarde is None:
                    knoop = None
                    break
                nieuw = CommentedMap()
                nieuw.fa.set_flow_style()
                knoop[stap] = nieuw
            keten.append((knoop, stap))
            knoop = knoop[stap]
        if knoop is None:
            continue
        sleutel = pad[-1]
        oud = knoop.get(sleutel)
        if waarde is None:
            if sleutel in knoop:
                del knoop[sleutel]
                gewijzigd.append(pad)
            for ouder, stap in reversed(keten):
                if isinstance(ouder.get(stap), dict) and not ouder[stap]:
                    del ouder[stap]
            continue
        if oud == waarde and type(oud) is not bool and type(waarde) is not bool or (
                isinstance(oud, bool) and isinstance(waarde, bool) and oud == waarde):
            continue
        knoop[sleutel] = _nieuwe_waarde(oud, waarde)
        gewijzigd.append(pad)
    return gewijzigd


def controleer(data: RegioData, pad: Path, tekst: str, naam: str) -> tuple[Aanbieder, list[Probleem]]:
    """The aanbieder `tekst` describes (file `pad`, `naam` as messages name it), checked as its file and with
    the region's rules; AanbiederFout with every error, else (aanbieder, warnings)."""
    geladen = load_text(tekst, naam, pad)
    obj, problemen = validate_model(geladen, Aanbieder)
    problemen = geladen.problemen + problemen
    if obj is None or problemen:
        raise AanbiederFout(problemen)
    ander = [a for a in data.aanbieders if data.waar(a).pad != pad]
    kopie = replace(data, aanbieders=[*ander, obj], herkomst=dict(data.herkomst))
    kopie.herkomst[id(obj)] = Herkomst(geladen.naam, geladen.data, pad)
    eigen = [p for p in check_integrity(kopie) if p.bestand == geladen.naam]
    fouten = [p for p in eigen if p.ernst == "fout"]
    if fouten:
        raise AanbiederFout(fouten)
    return obj, [p for p in eigen if p.ernst != "fout"]


def _ook_de_regels(data: RegioData, ident: str, wijzigingen: dict[Pad, Any], fouten: list[Probleem],
                   naam: str) -> list[Probleem]:
    """Every error in one round: a field the model refuses (a wrong e-mail address) stops the check before the
    region's rules (the NVT rules of bijlage 3) see the form. So check again with the refused fields at the
    file's values; what the rules say then about the other changes is reported too (each once)."""
    fout_paden = {f.pad for f in fouten}
    rest = {v: w for v, w in wijzigingen.items()
            if not any(".".join(v) == p or ".".join(v).startswith(p + ".") or p.startswith(".".join(v) + ".")
                       for p in fout_paden if p)}
    if rest == wijzigingen:
        return []  # nothing left out: the rules have spoken already
    pad, _, boom = lees_aanbieder(data, ident)
    pas_toe(boom, rest)
    try:
        controleer(data, pad, dump(boom), naam)
    except AanbiederFout as fout:
        gezien = {(f.pad, f.bericht) for f in fouten}
        return [f for f in fout.problemen if (f.pad, f.bericht) not in gezien]
    return []


def bewerk_aanbieder(data: RegioData, ident: str, wijzigingen: dict[Pad, Any], gelezen_sha256: str | None, *,
                     omschrijving: str = "", auteur: Auteur | None = None, git: bool = False,
                     proef: bool = False) -> tuple[list[Pad], list[Probleem], Transactie | None]:
    """Change aanbieder `ident` as `wijzigingen` says, checked, as one transaction (see the module).

    `gelezen_sha256`: the file's sha256 when the form was shown; the write is refused
    (GelijktijdigGewijzigd) when the file is another one now. `omschrijving`: what was changed, in
    words, for the git message. Returns (changed paths, warnings, transaction or None when nothing
    changed or `proef`).
    """
    pad, _, boom = lees_aanbieder(data, ident)
    bestaand = data.aanbieder(ident)
    assert bestaand is not None  # lees_aanbieder raised KeyError otherwise
    if boom.get("id") != ident:
        raise AanbiederFout([Probleem(str(pad), 0, 0, "id", f"het bestand hoort bij aanbieder '{boom.get('id')}'")])
    naam_in_berichten = data.waar(bestaand).naam
    fouten: list[Probleem] = []
    wijzigingen = dict(wijzigingen)
    for veld in BEDRAGEN & set(wijzigingen):
        if isinstance(wijzigingen[veld], str):
            try:
                wijzigingen[veld] = lees_bedrag(wijzigingen[veld])
            except ValueError as fout:
                fouten.append(Probleem(naam_in_berichten, 0, 0, ".".join(veld), str(fout)))
    goed = {v: w for v, w in wijzigingen.items() if not any(".".join(v) == f.pad for f in fouten)}
    gewijzigd = pas_toe(boom, goed)
    tekst = dump(boom)
    try:
        obj, waarschuwingen = controleer(data, pad, tekst, naam_in_berichten)
    except AanbiederFout as fout:
        fouten += fout.problemen
    if fouten:
        raise AanbiederFout(fouten + _ook_de_regels(data, ident, goed, fouten, naam_in_berichten))
    if not gewijzigd or proef:
        return gewijzigd, waarschuwingen, None
    naam = obj.naam
    handeling = f"Aanbieder {naam} bijgewerkt in de werkplaats" + (f": {omschrijving}" if omschrijving else "")
    g = Geimporteerd(obj.id, 0, pad, False, obj, gelezen_sha256)
    tx = _schrijf(data.map, [(g, tekst)], auteur=auteur, git=git, handeling=handeling)
    return gewijzigd, waarschuwingen, tx
