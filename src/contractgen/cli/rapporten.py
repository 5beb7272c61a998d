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
def check(pad: Path, formaat: str, peildatum: date | None):
    """Consistentierapport voor juristen: fouten en waarschuwingen met vindplaats."""
    from contractgen.rapporten.check import JSON_VERSIE
    from contractgen.rapporten.check import check as controleer
    from contractgen.regels import load_valid

    regios = load_valid(pad)
    rapport = []
    for regio in regios:
        pd = peildatum or regio.regio.standaard_peildatum
        rapport.append((regio, pd, controleer(regio, pd)))
    fouten = sum(1 for _, _, bev in rapport for b in bev if b.probleem.ernst == "fout")
    waarschuwingen = sum(1 for _, _, bev in rapport for b in bev if b.probleem.ernst != "fout")
    if formaat == "json":
        click.echo(json.dumps({
            "versie": JSON_VERSIE,
            "regio's": [{"regio": r.regio.id, "peildatum": pd.isoformat(), "bevindingen": [b.als_json() for b in bev]}
                        for r, pd, bev in rapport],
            "samenvatting": {"fouten": fouten, "waarschuwingen": waarschuwingen},
        }, indent=2, ensure_ascii=False))
    else:
        for regio, pd, bev in rapport:
            click.echo(f"# {regio.regio.naam} (peildatum {pd:%d-%m-%Y})")
            for b in bev:
                waar = f" ({b.plaats})" if b.plaats else ""
                click.echo(f"{b.probleem.ernst}: [{b.regel}]{waar} {b.probleem}")
        click.echo(f"{fouten} fout(en), {waarschuwingen} waarschuwing(en)")
    if fouten:
        sys.exit(1)


@main.command()
@click.argument("pad", default=STANDAARD_DATA + "/maastricht-heuvelland", type=click.Path(path_type=Path))
@click.argument("onderwerp", required=False)
@click.option("--peildatum", callback=peildatum_optie, metavar="JJJJ-MM-DD")
def voorrang(pad: Path, onderwerp: str | None, peildatum: date | None):
    """Leg uit welke tekst geldt voor ONDERWERP (begrip, bedrag of termijn) en waarom."""
    # imported here for start-up speed: `contractgen --help` should not load the pipeline
    from contractgen.rapporten.voorrang import leg_uit

    regio = een_regio(pad)
    try:
        regels = leg_uit(regio, onderwerp, peildatum or regio.regio.standaard_peildatum)
    except KeyError:
        raise click.UsageError(f"onbekend onderwerp '{onderwerp}'; probeer een begrip (bijv. Burger) of een "
                               f"parameter: {', '.join(p.id for p in regio.regio.parameters)}")
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
