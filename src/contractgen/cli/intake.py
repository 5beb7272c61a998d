"""Intake: `aanbieders importeer` (csv/xlsx) and `tarieven indexeer` (next year's concept set)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from contractgen.basis.tekst import toonbaar
from contractgen.cli.basis import STANDAARD_DATA, een_regio, main


@main.group()
def aanbieders():
    """Aanbieders beheren: bulkimport uit een export van het contractbeheer."""


@aanbieders.command()
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", "pad", default=STANDAARD_DATA, show_default=True, type=click.Path(path_type=Path),
              help="Map met de contractdata (de map van één regio, of een map met één regio).")
@click.option("--kolommen", "mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML-bestand dat elke kop van een export koppelt aan een kolom, of 'negeren' "
                   "(zie 'aanbieders kolommen').")
@click.option("--bijwerken", is_flag=True,
              help="Werk bestaande aanbieders bij: gevulde cellen vervangen hun waarden, de rest blijft.")
@click.option("--proef", is_flag=True, help="Controleer alleen; schrijf niets.")
@click.option("--gemarkeerd", "gemarkeerd", type=click.Path(dir_okay=False, path_type=Path), metavar="UIT.xlsx",
              help="Bij fouten: schrijf de werkmap met elke foute cel gekleurd en toegelicht, en een blad Fouten.")
def importeer(bestand: Path, pad: Path, mapping: Path | None, bijwerken: bool, proef: bool,
              gemarkeerd: Path | None):
    """Importeer aanbieders uit BESTAND (.csv of .xlsx), één aanbieder per rij.

    Elke rij wordt gecontroleerd zoals aanbieders/*.yaml; is er één fout, dan wordt
    niets geïmporteerd en staan alle fouten van het bestand in de melding (bestand,
    blad, regel, kolom en de waarde zoals getypt). Kolommen (eerste regel; hoofdletters,
    spaties, '-' en '_' maken niet uit), alleen naam en kvk zijn verplicht:

    \b
      id, naam, kvk, agb, straat, postcode, plaats,
      vertegenwoordiger, vertegenwoordiger functie,
      contactpersoon [functie|e-mail|telefoon], vervanger [functie|e-mail|telefoon],
      domeinen ("Jeugd; Wmo"), arrangementen (ids, titels of productcodes), verblijf (ja/nee),
      personen, zzp (ja/nee), omzet, uitsluitingsgronden (ja/nee of datum),
      onderaannemers ("Naam 12345678 (zzp); Naam 2"),
      A1, D2-2, ... (Ja/Nee/NVT), motivatie A1, maximum consultatie-hbo, tarief detachering-mbo

    Een rij die met '#' begint is een toelichting en wordt overgeslagen.
    """
    # imported here for start-up speed: `contractgen --help` should not load the pipeline
    from contractgen.intake.aanbieders import importeer as importeer_bestand

    from contractgen.intake.tabel import ImportFout

    if gemarkeerd is not None and gemarkeerd.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"'{toonbaar(gemarkeerd)}' is geen .xlsx; geef een naam als gemarkeerd.xlsx",
                                 param_hint="--gemarkeerd")
    if gemarkeerd is not None and gemarkeerd.resolve() == bestand.resolve():
        raise click.BadParameter("dat is het bestand dat u importeert; geef een andere naam, bijv. "
                                 f"{bestand.stem}-gemarkeerd.xlsx (uw eigen bestand blijft zoals het is)",
                                 param_hint="--gemarkeerd")
    try:
        resultaat = importeer_bestand(bestand, pad, bijwerken=bijwerken, proef=proef, mapping=mapping)
    except ImportFout as fout:
        if gemarkeerd is not None and any(p.regel for p in fout.problemen):
            from contractgen.basis.atomisch import schrijf_atomisch
            from contractgen.intake.gemarkeerd import markeer

            boek = markeer(bestand, fout.problemen)
            schrijf_atomisch(gemarkeerd, boek.save)
            cellen = len({(p.regel, p.kolom) for p in fout.problemen if p.regel})
            fout.tip = "\n".join(filter(None, [fout.tip, f"gemarkeerd: {gemarkeerd} ({cellen} cel(len) gekleurd en "
                                                          "toegelicht; het blad Fouten noemt ze allemaal)"]))
        raise
    click.echo(f"gelezen: {bestand.name} ({resultaat.gelezen_als})")
    for p in resultaat.waarschuwingen:
        click.echo(f"let op: {p}", err=True)
    for g in resultaat.aanbieders:
        click.echo(f"{g.status}: {g.pad} ({g.aanbieder.naam}, {len(g.aanbieder.arrangementen)} arrangement(en))")
    telling = {s: sum(1 for g in resultaat.aanbieders if g.status == s) for s in ("nieuw", "bijgewerkt", "ongewijzigd")}
    wat = "geïmporteerd" if resultaat.geschreven else "gecontroleerd, niets geschreven (--proef)"
    click.echo(f"{len(resultaat.aanbieders)} aanbieder(s) {wat}: {telling['nieuw']} nieuw, "
               f"{telling['bijgewerkt']} bijgewerkt" + (f", {telling['ongewijzigd']} ongewijzigd"
                                                       if telling["ongewijzigd"] else ""))


@aanbieders.command()
@click.option("--data", "pad", default=STANDAARD_DATA, show_default=True, type=click.Path(path_type=Path),
              help="Map met de contractdata van één regio.")
@click.option("--uitvoer", "doel", default="intake.xlsx", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path))
def sjabloon(pad: Path, doel: Path):
    """Schrijf een intake-werkmap: de goede koppen, een toelichtingsrij en keuzelijsten."""
    from contractgen.intake.aanbieders import regio_van
    from contractgen.intake.sjabloon import schrijf_sjabloon

    aantal = schrijf_sjabloon(regio_van(pad), doel)
    click.echo(f"geschreven: {doel} ({aantal} kolommen)")


@aanbieders.command("kolommen")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", "pad", default=STANDAARD_DATA, show_default=True, type=click.Path(path_type=Path),
              help="Map met de contractdata van één regio.")
@click.option("--uitvoer", "doel", default="kolommen.yaml", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path))
def kolommen_cmd(export: Path, pad: Path, doel: Path):
    """Schrijf een kolommenbestand voor EXPORT (elke kop → kolom of 'negeren') om na te lopen."""
    from contractgen.intake.aanbieders import regio_van
    from contractgen.intake.sjabloon import schrijf_mapping

    koppen, geraden = schrijf_mapping(regio_van(pad), export, doel)
    click.echo(f"geschreven: {doel} ({koppen} koppen, {geraden} gekoppeld, {koppen - geraden} op 'negeren'); "
               f"controleer het en gebruik --kolommen {doel}")


@main.group()
def tarieven():
    """Tariefsets: een concept voor het volgende jaar afleiden, en een set vaststellen."""


@tarieven.command("indexeer")
@click.argument("bron")
@click.option("--regio", "regio_pad", default=STANDAARD_DATA + "/maastricht-heuvelland", show_default=True,
              type=click.Path(path_type=Path), help="Map van de regio.")
@click.option("--percentage", required=True, help="Indexatie in procenten, bijv. 3,6.")
@click.option("--afronding", type=click.Choice(["euro", "cent"]), default="euro", show_default=True)
@click.option("--naar", "naar_id", help="Id van de nieuwe tariefset (standaard: het jaar in BRON opgehoogd).")
def indexeer_cmd(bron: str, regio_pad: Path, percentage: str, afronding: str, naar_id: str | None):
    """Maak uit tariefset BRON een concept voor het volgende jaar (status: concept)."""
    from contractgen.intake.tarieven import MAX_PERCENTAGE, MIN_PERCENTAGE, indexeer

    try:
        pct = Decimal(percentage.replace(",", "."))
    except InvalidOperation:
        raise click.BadParameter(f"'{toonbaar(percentage)}' is geen percentage; verwacht bijv. 3,6",
                                 param_hint="--percentage")
    if not pct.is_finite() or not MIN_PERCENTAGE <= pct <= MAX_PERCENTAGE:  # NaN, Infinity, -200: quoted as typed
        raise click.BadParameter(f"'{toonbaar(percentage)}' ligt niet tussen {MIN_PERCENTAGE} en {MAX_PERCENTAGE}; "
                                 "verwacht bijv. 3,6", param_hint="--percentage")
    doel = indexeer(een_regio(regio_pad), bron, pct, afronding, naar_id)
    click.echo(f"geschreven: {doel} (status: concept)")
