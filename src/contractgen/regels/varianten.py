"""Contract variants (regio.yaml `varianten`, Uitvoeringsplan 2023, seed 004 r. 35-37) as rules.

A variant was bought for some gemeenten until a maximum end date. An aanbieder names, per
variant, the gemeenten it works for (`varianten` in aanbieders/*.yaml). Refused:
- a variant the region does not know, or a gemeente that did not buy that variant;
- a version of the package running past a variant's maximum end date while an aanbieder still
  has that variant (`check`, and `jaarwissel` before it writes the year).
Used by `rapporten.check` (rules variant-gemeente, variant-einddatum, variant-vindplaats) and
`intake.jaarwissel`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contractgen.basis.formaat import datum_tekst
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.zoeken import kies_versie
from contractgen.resolve.plaatsen import vind


@dataclass(frozen=True)
class Variantbezwaar:
    """One aanbieder's use of a variant that is not allowed; `pad` is the field in its file."""

    aanbieder: m.Aanbieder
    pad: tuple
    bericht: str


def _naam(data: RegioData, gemeente: str) -> str:
    return next((g.naam.removeprefix("Gemeente ") for g in data.regio.gemeenten if g.id == gemeente), gemeente)


def gemeente_bezwaren(data: RegioData) -> list[Variantbezwaar]:
    """Aanbieders naming an unknown variant, or a gemeente that did not buy the variant."""
    varianten = {v.id: v for v in data.regio.varianten}
    uit: list[Variantbezwaar] = []
    for a in data.aanbieders:
        for v_id, gemeenten in a.varianten.items():
            v = varianten.get(v_id)
            if v is None:
                bekend = ", ".join(varianten) or "geen (regio.yaml noemt geen varianten)"
                uit.append(Variantbezwaar(a, ("varianten", v_id), f"onbekende contractvariant '{v_id}'; de varianten "
                                                                   f"van {data.regio.naam} zijn: {bekend}"))
                continue
            for i, g in enumerate(gemeenten):
                if g not in v.gemeenten:
                    uit.append(Variantbezwaar(
                        a, ("varianten", v_id, i),
                        f"gemeente '{_naam(data, g)}' heeft de {v.naam} niet ingekocht; die variant geldt alleen "
                        f"voor {', '.join(_naam(data, x) for x in v.gemeenten)} ({v.grond})"))
    return uit


def einde_bezwaren(data: RegioData, tot: date) -> list[Variantbezwaar]:
    """Aanbieders that have a variant whose maximum end date lies before `tot` (the last day of a
    version of the package): that version would run past the variant."""
    varianten = {v.id: v for v in data.regio.varianten}
    uit: list[Variantbezwaar] = []
    for a in data.aanbieders:
        for v_id in a.varianten:
            v = varianten.get(v_id)
            if v is not None and tot > v.max_einddatum:
                uit.append(Variantbezwaar(
                    a, ("varianten", v_id),
                    f"de {v.naam} loopt tot uiterlijk {datum_tekst(v.max_einddatum)} ({v.grond}); een versie t/m "
                    f"{datum_tekst(tot)} loopt daar voorbij. Haal de variant weg bij deze aanbieder of maak een "
                    "nieuwe afspraak in regio.yaml (varianten)"))
    return uit


def vindplaats_bezwaren(data: RegioData) -> list[tuple[m.Variant, int, str]]:
    """(variant, index, message) for a variant whose `tekst` is not in its `grond` (any version of that
    document), or that names an unknown gemeente or domein."""
    uit: list[tuple[m.Variant, int, str]] = []
    gemeenten = {g.id for g in data.regio.gemeenten}
    domeinen = {d.id for d in data.regio.domeinen}
    for i, v in enumerate(data.regio.varianten):
        doc_id = v.grond.partition(":")[0]
        teksten = [p.tekst for d in data.versies(doc_id)
                   if (p := vind(data, v.grond, d.geldig_van)) is not None and kies_versie(data, doc_id, d.geldig_van)]
        if not teksten:
            uit.append((v, i, f"onbekende vindplaats '{v.grond}' van variant '{v.id}'; verwacht DOC of DOC:ID"))
        elif not any(" ".join(v.tekst.split()) in " ".join(t.split()) for t in teksten):
            uit.append((v, i, f"{v.grond} bevat de tekst '{v.tekst}' van variant '{v.id}' niet; neem naam en "
                              "einddatum over zoals de bron ze noemt"))
        for g in v.gemeenten:
            if g not in gemeenten:
                uit.append((v, i, f"variant '{v.id}' noemt onbekende gemeente '{g}'; de gemeenten zijn: "
                                  f"{', '.join(sorted(gemeenten))}"))
        if v.domein not in domeinen:
            uit.append((v, i, f"variant '{v.id}' noemt onbekend domein '{v.domein}'"))
    return uit
