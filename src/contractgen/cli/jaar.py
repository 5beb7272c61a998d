"""The yearly cycle: `jaarwissel` (open the next year of a region) and `tarieven vaststellen` (seal a set)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import click

from contractgen.rapporten.bouwcontrole import vaststelcontrole
from contractgen.cli.basis import STANDAARD_DATA, een_regio, main
from contractgen.cli.intake import tarieven


@main.command()
@click.argument("argumenten", nargs=-1, required=True, metavar="[REGIOMAP] JAAR")
@click.option("--indexatie", metavar="PCT", help="Indexatie van alle tariefsets in procenten, bijv. 3,6; verplicht (ook 0 typt u).")
@click.option("--indexatie-per-domein", "per_domein", multiple=True, metavar="DOMEIN=PCT",
              help="Eigen indexatie voor de sets van één domein, bijv. jeugd=3,6 (mag vaker).")
@click.option("--afronding", type=click.Choice(["euro", "cent"]), default="euro", show_default=True,
              help="Geïndexeerde tarieven afronden op hele euro's of centen (half naar boven).")
@click.option("--proef", is_flag=True, help="Toon wat er geschreven zou worden; schrijf niets.")
def jaarwissel(argumenten: tuple[str, ...], indexatie: str | None, per_domein: tuple[str, ...], afronding: str,
               proef: bool):
    """Open JAAR voor de regio in REGIOMAP: een nieuwe versie van elk document en elke tariefset.

    Elk document en elke tariefset die op 31-12 van het huidige jaar eindigt, krijgt een
    versie voor JAAR (versie, geldigheid en looptijd een jaar verder, het jaar in de titel,
    een regel in `wijzigingen`); tariefsets worden geïndexeerd als concept. Teksten blijven
    zoals ze zijn: `contractgen check --peildatum JAAR-01-01` noemt elk oud jaartal erin.
    """
    # imported here for start-up speed: `contractgen --help` should not load the pipeline
    from contractgen.intake.jaarwissel import lees_per_domein, maak_plan, voer_uit
    from contractgen.intake.tarieven import lees_percentage

    if len(argumenten) > 2:
        raise click.UsageError(f"te veel argumenten: {' '.join(argumenten)}; verwacht [REGIOMAP] JAAR")
    regiomap = Path(argumenten[0] if len(argumenten) == 2 else STANDAARD_DATA + "/maastricht-heuvelland")
    if not re.fullmatch(r"(19|20)\d\d", argumenten[-1]):
        raise click.BadParameter(f"'{argumenten[-1]}' is geen jaartal; verwacht bijv. 2019", param_hint="JAAR")
    jaar = int(argumenten[-1])
    data = een_regio(regiomap)
    pct = lees_percentage(indexatie, "--indexatie") if indexatie is not None else None
    plan = maak_plan(data, jaar, pct, lees_per_domein(per_domein, data), afronding)
    if not proef:
        voer_uit(plan)
    werkwoord = "zou schrijven" if proef else "geschreven"
    for stap in plan.stappen:
        click.echo(f"{werkwoord}: {stap.pad} — {stap.regel}")
    for bestaand in plan.bestaand:
        click.echo(f"al aanwezig: {bestaand}")
    if plan.doorlopend:
        click.echo(f"doorlopend (geen einddatum, geen nieuwe versie): {', '.join(sorted(set(plan.doorlopend)))}")
    click.echo(f"aanbieders: {len(data.aanbieders)} overgenomen (niet jaargebonden)")
    if not plan.stappen:
        click.echo(f"niets jaargebonden dat op 31-12-{plan.van_jaar} eindigt; er is niets geschreven")
    elif proef:
        click.echo(f"{len(plan.stappen)} bestand(en) voor {jaar}; niets geschreven (--proef)")
    else:
        click.echo(f"{len(plan.stappen)} bestand(en) voor {jaar} geschreven. Verder: contractgen check {regiomap} "
                   f"--peildatum {jaar}-01-01, contractgen tarieven vaststellen SET, contractgen build {regiomap} "
                   f"--peildatum {jaar}-01-01")


@tarieven.command("vaststellen")
@click.argument("set_id", metavar="SET")
@click.option("--regio", "regio_pad", default=STANDAARD_DATA + "/maastricht-heuvelland", show_default=True,
              type=click.Path(path_type=Path), help="Map van de regio.")
@click.option("--opnieuw", is_flag=True, help="Stel een gewijzigde, al vastgestelde set opnieuw vast.")
def vaststellen_cmd(set_id: str, regio_pad: Path, opnieuw: bool):
    """Stel tariefset SET vast: status vastgesteld en een controlesom; elke latere wijziging is een fout."""
    from contractgen.intake.tarieven import vaststellen

    # a sealed set changed since is no validate error (it is the check rule tarieven-gewijzigd), so
    # --opnieuw can load the region to seal it again
    data = een_regio(regio_pad)
    pad, tarieven = vaststellen(data, set_id, date.today(), opnieuw, controle=vaststelcontrole)
    open_ = sum(1 for t in tarieven.values() if t is None)
    click.echo(f"vastgesteld: {set_id} ({len(tarieven) - open_} tarieven{f', {open_} open posten' if open_ else ''}) "
               f"in {pad}")
