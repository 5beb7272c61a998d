"""What stops a build: the findings `check` calls errors (unless a jurist accepted them in
check-beoordeeld.yaml), and a document showing a tariff set that is still a concept unless the
build asks for a concept (`--concept`; every page's header then says CONCEPT). The CLI and the
workplace call this one function (issue 29: a concept is never built without a word).
"""

from __future__ import annotations

from datetime import date

from contractgen.basis.problemen import Probleem
from contractgen.domein.dataset import RegioData
from contractgen.rapporten.beoordeling import lees, oordelen
from contractgen.rapporten.check import check


def bouwbezwaren(data: RegioData, peildatum: date, concept: bool = False) -> list[Probleem]:
    """Problems (errors) that refuse a build of `data` on `peildatum`, '[rule] message' each."""
    uit: list[Probleem] = []
    for o in oordelen(check(data, peildatum), lees(data.map))[0]:
        b, p = o.bevinding, o.bevinding.probleem
        if not o.telt:
            continue
        if b.regel != "tarieven-concept" or concept:
            uit.append(Probleem(p.bestand, p.regel, p.kolom, p.pad, f"[{b.regel}] {p.bericht}", p.ernst))
        else:
            uit.append(Probleem(p.bestand, p.regel, p.kolom, p.pad,
                                f"[{b.regel}] {p.bericht}; of bouw bewust een concept met --concept (elke pagina "
                                "draagt dan CONCEPT in de koptekst)", "fout"))
    return uit


def bouwcontrole(regio: RegioData, datum: date) -> list[Probleem]:
    """The workplace's build check (no concept unless asked): `bouwbezwaren` without --concept."""
    return bouwbezwaren(regio, datum)
