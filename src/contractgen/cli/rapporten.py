"""Reports: `check` (consistency), `voorrang` (which text holds), `overzicht` (all aanbieders)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from contractgen.basis.atomisch import schrijf_atomisch
from contractgen.cli.basis import STANDAARD_DATA, een_regio, main, peildatum_optie


@main.command()
@click.argument("pad", default=STANDAARD_DATA, type=click.Path(path_type=Path))
@click.option("--formaat", type=click.Choice(["tekst", "json"]), default="tekst", show_default=True)
@click.option("--peildatum", callback=peildatum_optie, metavar="JJJJ-MM-DD",
              help="Controleer de versies die op deze datum gelden (standaard: de peildatum van de regio).")
@click.option("--controle", "--regel", "regels", multiple=True, metavar="CONTROLE",
              help="Alleen bevindingen van deze controle, bijv. dubbel-nummer (herhaalbaar).")
@click.option("--zonder-controle", "--zonder-regel", "zonder", multiple=True, metavar="CONTROLE",
              help="Laat deze controle weg (herhaalbaar).")
@click.option("--ernst", type=click.Choice(["fout", "waarschuwing"]), help="Alleen fouten of alleen waarschuwingen.")
@click.option("--document", "documenten", multiple=True, metavar="ID", help="Alleen bevindingen in dit document (herhaalbaar).")
@click.option("--alles", is_flag=True, help="Toon ook de beoordeelde bevindingen (check-beoordeeld.yaml).")
def check(pad: Path, formaat: str, peildatum: date | None, regels: tuple, zonder: tuple, ernst: str | None,
          documenten: tuple, alles: bool):
    """Consistentierapport voor juristen: bevindingen per controle, met vindplaats; beoordeelde verborgen."""
    # imported here for start-up speed: `contractgen --help` should not load the pipeline
    from contractgen.rapporten.checkrapport import als_json, als_tekst, tellingen

    rapporten = _check_rapporten(pad, peildatum, regels, zonder, ernst, documenten)
    if formaat == "json":
        from contractgen.rapporten.check import JSON_VERSIE

        click.echo(json.dumps(als_json(rapporten, alles, JSON_VERSIE), indent=2, ensure_ascii=False))
    else:
        for regel in als_tekst(rapporten, alles):
            click.echo(regel)
    if tellingen(rapporten)["fouten"]:
        sys.exit(1)


def _check_rapporten(pad: Path, peildatum: date | None, regels=(), zonder=(), ernst=None, documenten=()):
    """Run check on every region under `pad`, join the reviews, apply the filter (names checked)."""
    # imported here for start-up speed: `contractgen --help` should not load the pipeline
    from contractgen.basis.suggesties import hint
    from contractgen.rapporten.beoordeling import lees, oordelen
    from contractgen.rapporten.check import check as controleer
    from contractgen.rapporten.checkrapport import REGELS, Filter, RegioRapport
    from contractgen.regels import load_valid

    rapporten = []
    for regio in load_valid(pad):
        pd = peildatum or regio.regio.standaard_peildatum
        alle, verouderd = oordelen(controleer(regio, pd), lees(regio.map))
        rapporten.append((regio, pd, alle, verouderd))
    bekende_regels = set(REGELS) | {o.bevinding.regel for r in rapporten for o in r[2]}
    for naam in (*regels, *zonder):
        if naam not in bekende_regels:
            raise click.UsageError(f"onbekende controle '{naam}'{hint(naam, bekende_regels)}; "
                                   f"controles: {', '.join(sorted(bekende_regels))}")
    bekende_docs = {d.id for r in rapporten for d in r[0].documenten} | {t.id for r in rapporten for t in r[0].tariefsets}
    for ident in documenten:
        if ident not in bekende_docs:
            raise click.UsageError(f"onbekend document '{ident}'{hint(ident, bekende_docs)}")
    f = Filter(set(regels), set(zonder), ernst, set(documenten))
    return [RegioRapport(r, pd, [o for o in alle if f.laat_door(o)], verouderd) for r, pd, alle, verouderd in rapporten]


@main.command()
@click.argument("regiomap", type=click.Path(path_type=Path, file_okay=False))
@click.argument("controle")
@click.argument("plaats")
@click.option("--reden", required=True, help="Waarom de bevinding is geaccepteerd.")
@click.option("--door", metavar="NAAM", required=True,
              help="Wie beoordeelde: uw naam zoals die in het juridische spoor hoort (verplicht; de naam van de "
                   "computer of van git is geen beoordelaar).")
@click.option("--bevat", metavar="TEKST", help="Kies de bevinding waarvan het bericht TEKST bevat (bij meer op één plaats).")
@click.option("--peildatum", callback=peildatum_optie, metavar="JJJJ-MM-DD")
def beoordeel(regiomap: Path, controle: str, plaats: str, reden: str, door: str, bevat: str | None,
              peildatum: date | None):
    """Leg vast dat de bevinding van CONTROLE op PLAATS (zoals check ze toont) is beoordeeld en geaccepteerd.

    \b
    Voorbeeld:
      contractgen beoordeel contracts_data/maastricht-heuvelland dubbel-nummer "Bijlage 3, eis D2" \\
        --door "M. de Jurist" --reden "Staat zo in de getekende bron; aanbieders verwijzen naar de eerste D2"
    """
    # imported here for start-up speed: `contractgen --help` should not load the pipeline
    from contractgen.basis.suggesties import hint
    from contractgen.rapporten.beoordeling import voeg_toe

    rapporten = _check_rapporten(regiomap, peildatum, regels=(controle,))
    if len(rapporten) != 1:
        raise click.UsageError(f"'{regiomap}' is geen regiomap (verwacht een map met regio.yaml)")
    kandidaten = [o for o in rapporten[0].oordelen if o.status != "beoordeeld"]
    gevonden = [o for o in kandidaten if o.bevinding.plaats == plaats and (not bevat or bevat in o.bevinding.probleem.bericht)]
    if not gevonden:
        plaatsen = sorted({o.bevinding.plaats for o in kandidaten})
        raise click.UsageError(f"geen open bevinding [{controle}] op '{plaats}'{hint(plaats, plaatsen)}; "
                               f"plaatsen: {'; '.join(plaatsen) or 'geen'}")
    if len(gevonden) > 1:
        berichten = "\n".join(f"  {o.bevinding.probleem.bericht}" for o in gevonden)
        raise click.UsageError(f"{len(gevonden)} bevindingen [{controle}] op '{plaats}'; kies er één met --bevat:\n{berichten}")
    oordeel = gevonden[0]
    if not door.strip():
        raise click.BadParameter("geef de naam van wie beoordeelde, bijv. --door \"M. de Jurist\"", param_hint="--door")
    bestand = voeg_toe(regiomap, oordeel.bevinding, reden, door.strip(), date.today(),
                       vervangt=oordeel.beoordeling if oordeel.status == "gewijzigd" else None)
    click.echo(f"vastgelegd in {bestand}: [{controle}] {plaats} — {gevonden[0].bevinding.probleem.bericht}")


@main.command()
@click.argument("pad", default=STANDAARD_DATA + "/maastricht-heuvelland", type=click.Path(path_type=Path))
@click.argument("onderwerp", required=False)
@click.option("--peildatum", callback=peildatum_optie, metavar="JJJJ-MM-DD")
@click.option("--kort", is_flag=True, help="Alleen het antwoord en zijn grond.")
def voorrang(pad: Path, onderwerp: str | None, peildatum: date | None, kort: bool):
    """Leg uit welke tekst geldt voor ONDERWERP (begrip, bedrag, termijn of ander woord) en waarom.

    Zonder ONDERWERP: de rangorde en alle onderwerpen met hun andere woorden.
    """
    # imported here for start-up speed: `contractgen --help` should not load the pipeline
    from contractgen.rapporten.voorrang import OnbekendOnderwerp, leg_uit

    regio = een_regio(pad)
    try:
        regels = leg_uit(regio, onderwerp, peildatum or regio.regio.standaard_peildatum, kort=kort)
    except OnbekendOnderwerp as fout:
        raise click.UsageError(str(fout))
    for regel in regels:
        click.echo(regel)


@main.command()
@click.argument("pad", default=STANDAARD_DATA, type=click.Path(path_type=Path))
@click.option("--formaat", type=click.Choice(["tekst", "csv", "xlsx"]), default="tekst", show_default=True)
@click.option("--bestand", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Schrijf naar dit bestand (standaard: het scherm; bij xlsx: overzicht.xlsx).")
@click.option("--uitvoer", default="output", show_default=True, type=click.Path(path_type=Path),
              help="De map van 'contractgen build', om te zien welke documenten gebouwd of verouderd zijn.")
@click.option("--peildatum", callback=peildatum_optie, metavar="JJJJ-MM-DD",
              help="Peildatum (standaard: de peildatum van de regio).")
def overzicht(pad: Path, formaat: str, bestand: Path | None, uitvoer: Path, peildatum: date | None):
    """Overzicht van alle aanbieders: arrangementen, antwoorden op de kwaliteitseisen,
    social return en of hun documenten gebouwd en actueel zijn."""
    # imported here for start-up speed: `contractgen --help` should not load the pipeline
    from contractgen.rapporten.overzicht import (
        als_csv,
        als_tekst,
        als_xlsx,
        maak_overzicht,
    )

    overzichten = maak_overzicht(pad, uitvoer, peildatum)
    if formaat == "xlsx":
        bestand = bestand or Path("overzicht.xlsx")
        als_xlsx(overzichten, bestand)
        click.echo(f"geschreven: {bestand}")
        return
    tekst = als_csv(overzichten) if formaat == "csv" else als_tekst(overzichten)
    if bestand:
        # a BOM, so that Excel reads the csv as UTF-8
        schrijf_atomisch(bestand, lambda p: p.write_text(tekst, encoding="utf-8-sig" if formaat == "csv" else "utf-8"))
        click.echo(f"geschreven: {bestand}")
    else:
        click.echo(tekst, nl=False)
