"""Commands that check and build: `validate`, `build`."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import click

from contractgen.cli.basis import STANDAARD_DATA, main, peildatum_optie


@main.command()
@click.argument("pad", default=STANDAARD_DATA, type=click.Path(path_type=Path))
def validate(pad: Path):
    """Controleer de contractdata in PAD tegen het schema; meldt alle problemen in één keer."""
    # imported here for start-up speed: `contractgen --help` should not load the pipeline
    from contractgen.regels import load_valid

    regios = load_valid(pad)
    docs = sum(len(r.documenten) for r in regios)
    aanbieders = sum(len(r.aanbieders) for r in regios)
    tarieven = sum(len(r.tariefsets) for r in regios)
    click.echo(f"geldig: {len(regios)} regio('s), {docs} documenten, {tarieven} tariefsets, {aanbieders} aanbieders")


def converter_optie(ctx, param, waarden: tuple[str, ...]) -> list:
    """The --converter values as omzetdienst.Dienst list (empty: convert here); a bad address stops at once."""
    if not waarden:
        return []
    # imported here for start-up speed: only a build with --converter needs it
    from contractgen.uitvoer.omzetdienst import lees_diensten

    try:
        return lees_diensten(waarden)
    except ValueError as fout:
        raise click.BadParameter(str(fout)) from None


@main.command()
@click.argument("pad", default=STANDAARD_DATA, type=click.Path(path_type=Path))
@click.option("--uitvoer", default="output", type=click.Path(path_type=Path), show_default=True,
              help="Map voor de gegenereerde documenten.")
@click.option("--peildatum", callback=peildatum_optie, metavar="JJJJ-MM-DD",
              help="Bouw de versies die op deze datum gelden (standaard: de peildatum van de regio).")
@click.option("--aanbieder", "aanbieders", multiple=True, metavar="ID",
              help="Bouw alleen deze aanbieder (mag vaker).")
@click.option("--sjablonen", type=click.Path(path_type=Path, file_okay=False), help="Map met Word-sjablonen.")
@click.option("--geen-pdf", is_flag=True, help="Alleen Word-documenten, geen PDF.")
@click.option("--pdfa", is_flag=True, help="Maak PDF/A-2b (archiefformaat) in plaats van gewone PDF.")
@click.option("--converter", "converters", multiple=True, callback=converter_optie,
              metavar="unoserver://HOST:POORT[,HOST:POORT]",
              help="Laat de PDF's maken door draaiende LibreOffice-omzetdiensten (unoserver), ook op andere "
                   "machines, in plaats van door LibreOffice hier; mag vaker. Zie de handleiding, Omzetdiensten.")
def build(pad: Path, uitvoer: Path, peildatum: date | None, aanbieders: tuple[str, ...],
          sjablonen: Path | None, geen_pdf: bool, pdfa: bool, converters: list):
    """Maak per aanbieder het contractpakket (DVO en bijlagen) in UITVOER/<regio>/<jaar>/<aanbieder>/."""
    # imported here for start-up speed: `contractgen --help` should not load the pipeline
    from contractgen.rapporten.bouwcontrole import bouwcontrole
    from contractgen.uitvoer.bouw import Bouwopdracht, bouw

    from contractgen.cli.voortgang import Voortgangsweergave

    voortgang = Voortgangsweergave()
    # build refuses what check calls an error (a derived tariff off its rule, a set missing for a looptijd),
    # unless a jurist accepted that finding (check-beoordeeld.yaml), as `check` itself counts them
    controle = bouwcontrole

    omzetten = None
    if converters:
        if geen_pdf:
            raise click.UsageError("--converter maakt PDF's; dat gaat niet samen met --geen-pdf")
        # imported here for start-up speed, like the pipeline above
        from contractgen.uitvoer.omzetdienst import Dienstpool

        nl = "\n" if voortgang.terminal else ""  # off the progress bar
        dienstpool = Dienstpool(converters, melden=lambda tekst: click.echo(f"{nl}let op: {tekst}", err=True))
        dienstpool.controleer()  # an unreachable service is named before anything is built
        omzetten = dienstpool.converteer
    opdracht = Bouwopdracht(pad, uitvoer, peildatum, list(aanbieders), sjablonen, pdf=not geen_pdf, pdfa=pdfa,
                            controle=controle, omzetten=omzetten)
    try:
        resultaat = bouw(opdracht, voortgang)
    except BaseException:
        voortgang.sluit(afgebroken=True)  # the error says what happened; no count of a stage cut off
        raise
    voortgang.sluit()
    for melding in resultaat.waarschuwingen:
        click.echo(f"let op: {melding}", err=True)
    docx = [p for p in resultaat.bestanden if p.suffix == ".docx"]
    pdf = [p for p in resultaat.bestanden if p.suffix == ".pdf"]
    for pad in resultaat.beschadigd:
        click.echo(f"{pad}: beschadigd (anders dan in manifest.json of ontbreekt), opnieuw gemaakt")
    per_map = Counter(p.parent for p in docx)  # one pass: a folder-by-document loop is quadratic
    pakketten = {p.parent for p in pdf if p.name == "contractpakket.pdf"}
    for map_ in resultaat.mappen:
        pakket = " + contractpakket.pdf" if map_ in pakketten else ""
        click.echo(f"{map_}: {per_map[map_]} documenten{pakket}")
    click.echo(f"klaar: {len(docx)} Word-documenten en {len(pdf)} PDF's in {len(resultaat.mappen)} mappen "
               f"({resultaat.gerenderd} documenten opnieuw gemaakt, {resultaat.overgeslagen} mappen ongewijzigd)")
