"""Reviewed findings: what a jurist looked at and accepted, kept as data next to the region.

`contracts_data/<regio>/check-beoordeeld.yaml` holds a list `beoordeeld:`; each entry
names the controle (the check's name) and the place (as `check` shows it), who accepted it, when and why, and
the finding's fingerprint (`Bevinding.vingerafdruk`: rule, message and the source text
at the place). `check` hides a finding whose entry matches it exactly; when the place
or the finding changed since, the fingerprint differs and the finding comes back with
a note. An entry that fits no finding any more is reported as outdated. A finding of a rule in
NIET_TE_ACCEPTEREN (`tarieven-gewijzigd`) is never accepted.

`contractgen beoordeel` writes entries (round-trip YAML, comments kept, as one transaction).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from contractgen.basis.posities import position_of
from contractgen.basis.problemen import DataFout, Probleem
from contractgen.basis.transactie import Auteur, Transactie
from contractgen.domein.model.basis import Strikt, Tekst
from contractgen.laden.bestand import load_file
from contractgen.laden.validatie import validate_model
from contractgen.rapporten.check import Bevinding

BESTAND = "check-beoordeeld.yaml"
# findings no review can accept: a sealed tariff set changed afterwards is repaired (reset, a new set, or sealed
# again), never accepted, as it was when the seal was a validate error (issue 29)
NIET_TE_ACCEPTEREN = {"tarieven-gewijzigd": "een vastgestelde tariefset die daarna is gewijzigd kan niet worden "
                                            "geaccepteerd; zet het tarief terug, maak een nieuwe set of stel de set "
                                            "opnieuw vast (tarieven vaststellen --opnieuw)"}
KOP = ("# Bevindingen van `contractgen check` die zijn beoordeeld en geaccepteerd.\n"
       "# Per bevinding: controle en plaats zoals check ze toont, de vingerafdruk (verandert als de tekst\n"
       "# of de bevinding verandert), wie, wanneer en waarom. Schrijf met `contractgen beoordeel`.\n")


class _Item(Strikt):
    controle: Tekst  # the name of the check (`dubbel-nummer`), "regel" in the JSON of check
    plaats: Tekst
    vingerafdruk: Tekst
    reden: Tekst
    door: Tekst
    datum: date
    bericht: Tekst = ""  # the finding as it read when accepted (for people)


class _Bestand(Strikt):
    beoordeeld: list[_Item] = []


@dataclass(frozen=True)
class Beoordeling:
    controle: str
    plaats: str
    vingerafdruk: str
    reden: str
    door: str
    datum: date
    bericht: str
    bestand: str  # as messages show it
    regelnummer: int

    def tekst(self) -> str:
        return f"beoordeeld door {self.door} op {self.datum:%d-%m-%Y}: {self.reden}"


@dataclass(frozen=True)
class Oordeel:
    """A finding with its review: status open, beoordeeld, or gewijzigd (reviewed, since changed)."""

    bevinding: Bevinding
    status: str
    beoordeling: Beoordeling | None = None

    @property
    def telt(self) -> bool:
        """Counts as an open finding (errors and exit code): not accepted as it stands."""
        return self.status != "beoordeeld"


def lees(regio_map: Path) -> list[Beoordeling]:
    """The entries of `regio_map/check-beoordeeld.yaml` ([] without the file); DataFout when malformed."""
    pad = Path(regio_map) / BESTAND
    if not pad.is_file():
        return []
    geladen = load_file(pad)
    if geladen.problemen:
        raise DataFout(geladen.problemen)
    if geladen.data is None:
        return []
    obj, problemen = validate_model(geladen, _Bestand)
    if obj is None:
        raise DataFout(problemen)
    result = []
    for i, item in enumerate(obj.beoordeeld):
        positie = position_of(geladen.data, ("beoordeeld", i))
        result.append(Beoordeling(item.controle, item.plaats, item.vingerafdruk, item.reden, item.door, item.datum,
                                  item.bericht, geladen.naam, positie.regel if positie else 0))
    return result


def oordelen(bevindingen: list[Bevinding], beoordelingen: list[Beoordeling]) -> tuple[list[Oordeel], list[Beoordeling]]:
    """Every finding with its status, and the entries that fit no finding any more (outdated)."""
    exact = {(b.controle, b.plaats, b.vingerafdruk): b for b in beoordelingen}
    afdrukken = {(b.regel, b.plaats, b.vingerafdruk) for b in bevindingen}
    # an entry whose fingerprint fits no finding: its place or finding changed since
    los: dict[tuple[str, str], list[Beoordeling]] = {}
    for b in beoordelingen:
        if (b.controle, b.plaats, b.vingerafdruk) not in afdrukken:
            los.setdefault((b.controle, b.plaats), []).append(b)
    result, gebruikt = [], set()
    for f in bevindingen:
        if f.regel in NIET_TE_ACCEPTEREN:
            result.append(Oordeel(f, "open"))  # an entry for it (written by hand) is outdated
            continue
        gelijk = exact.get((f.regel, f.plaats, f.vingerafdruk))
        if gelijk is not None:
            result.append(Oordeel(f, "beoordeeld", gelijk))
            gebruikt.add(id(gelijk))
        elif los.get((f.regel, f.plaats)):
            eerder = los[(f.regel, f.plaats)].pop(0)
            result.append(Oordeel(f, "gewijzigd", eerder))
            gebruikt.add(id(eerder))
        else:
            result.append(Oordeel(f, "open"))
    return result, [b for b in beoordelingen if id(b) not in gebruikt]


def voeg_toe(regio_map: Path, bevinding: Bevinding, reden: str, door: str, datum: date,
             vervangt: Beoordeling | None = None, *, auteur: Auteur | None = None, git: bool = False) -> Path:
    """Append one entry for `bevinding` to the region's file (created when absent); comments are kept.

    `vervangt`: the earlier entry of a finding that changed since; the new entry takes its place.
    Read and written under the region's lock, as one transaction (basis/transactie.py): an entry another
    jurist added meanwhile stays. DataFout for a finding of a rule in NIET_TE_ACCEPTEREN.
    """
    if bevinding.regel in NIET_TE_ACCEPTEREN:
        p = bevinding.probleem
        raise DataFout([Probleem(p.bestand, p.regel, p.kolom, p.pad, NIET_TE_ACCEPTEREN[bevinding.regel])])
    pad = Path(regio_map) / BESTAND
    yaml = YAML()  # round-trip: comments and layout of what the jurist wrote stay
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 120
    with Transactie(regio_map, f"Bevinding [{bevinding.regel}] {bevinding.plaats} beoordeeld door {door}: {reden}",
                    auteur=auteur, git=git) as tx:
        if tx.bestaat(pad):
            lees(regio_map)  # refuse to add to a file that is already broken
            data = yaml.load(tx.lees(pad).decode("utf-8")) or CommentedMap()
        else:
            data = CommentedMap()
        nieuw_bestand = not tx.bestaat(pad)
        if data.get("beoordeeld") is None:
            data["beoordeeld"] = CommentedSeq()
        lijst = data["beoordeeld"]
        oud = next((i for i, x in enumerate(lijst) if vervangt and isinstance(x, dict)
                    and (x.get("controle"), x.get("plaats"), x.get("vingerafdruk"))
                    == (vervangt.controle, vervangt.plaats, vervangt.vingerafdruk)), None)
        if oud is not None:
            del lijst[oud]
        lijst.insert(len(lijst) if oud is None else oud, CommentedMap([
            ("controle", bevinding.regel), ("plaats", bevinding.plaats), ("bericht", bevinding.probleem.bericht),
            ("vingerafdruk", bevinding.vingerafdruk), ("reden", reden), ("door", door), ("datum", datum)]))
        uit = io.StringIO()
        if nieuw_bestand:
            uit.write(KOP)
        yaml.dump(data, uit)
        tx.schrijf(pad, uit.getvalue().encode("utf-8"))
    return pad


def onbekend(bericht: str) -> DataFout:
    return DataFout([Probleem("contractgen beoordeel", bericht=bericht)])
