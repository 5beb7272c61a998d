"""What a build refuses: the findings `check` calls an error that no jurist accepted, and a document
showing a tariff set that is still a concept unless the build asks for a concept (`--concept`; every
page's header then says CONCEPT; issue 29: a concept is never built without a word).

One function for every face (the CLI's `build`, the workplace's build job), so both refuse the same.
"""

from __future__ import annotations

from datetime import date

from contractgen.basis.gezicht import zeg
from contractgen.basis.problemen import Probleem
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.rapporten.beoordeling import lees, oordelen
from contractgen.rapporten.check import check


def bouwcontrole(regio: RegioData, datum: date, concept: bool = False) -> list[Probleem]:
    """The open findings of `check` on `datum` that count (errors not accepted in check-beoordeeld.yaml),
    as problems with the check's rule name in front: `[regel] bericht`; without `concept`, a
    `tarieven-concept` finding is an error too, whose message says how to build a concept
    (the CLI's option, or the workplace's choice: `basis.gezicht`)."""
    uit: list[Probleem] = []
    for o in oordelen(check(regio, datum), lees(regio.map))[0]:
        b, p = o.bevinding, o.bevinding.probleem
        if not o.telt:
            continue
        if b.regel != "tarieven-concept" or concept:
            uit.append(Probleem(p.bestand, p.regel, p.kolom, p.pad, f"[{b.regel}] {p.bericht}", p.ernst))
        else:
            uit.append(Probleem(p.bestand, p.regel, p.kolom, p.pad,
                                f"[{b.regel}] {p.bericht}; of bouw bewust een concept "
                                + zeg(cli="met --concept", werkplaats="met ‘Als concept bouwen’ op de regiopagina")
                                + " (elke pagina "
                                "draagt dan CONCEPT in de koptekst)", "fout"))
    return uit


def vaststelcontrole(data: RegioData, ts: m.TariefSet) -> list[Probleem]:
    """What `check` reports as an error (fout) about set `ts`, on its first day (the report of its own year: a
    set is checked as the documents of that year show it), each as a refusal to seal naming the finding."""
    naam = data.waar(ts).naam
    return [Probleem(b.probleem.bestand, b.probleem.regel, b.probleem.kolom, b.probleem.pad,
                     f"tariefset '{ts.id}' wordt niet vastgesteld zolang de controle hierover een fout meldt: "
                     f"[{b.regel}] {b.plaats}: {b.probleem.bericht}; {_OPLOSSING.get(b.regel, 'los dit eerst op')}")
            for b in check(data, ts.looptijd.van)
            if b.probleem.ernst == "fout" and (b.probleem.bestand == naam or b.betreft(ts.id))
            and b.regel != "tarieven-gewijzigd"]  # what sealing again (--opnieuw) resolves, not a reason to refuse it


_OPLOSSING = {"afgeleid-bedrag": "corrigeer een tarief waarvan het is afgeleid (het afgeleide tarief wordt dan "
                                 "opnieuw berekend)"}
