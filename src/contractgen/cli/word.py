"""Word in: `wijzigingen importeer` (a jurist's edited .docx → new document version) and
`importeer-document` (an existing Word contract → a YAML document)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from contractgen.cli.basis import STANDAARD_DATA, main


def _datum(ctx, param, waarde: str) -> date:
    try:
        return date.fromisoformat(waarde)
    except ValueError:
        raise click.BadParameter(f"'{waarde}' is geen bestaande datum; verwacht JJJJ-MM-DD, bijv. 2019-01-01")


@main.group()
def wijzigingen():
    """Wijzigingen van een jurist in Word terug naar de YAML."""


@wijzigingen.command("importeer")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", "pad", default=STANDAARD_DATA, show_default=True, type=click.Path(path_type=Path),
              help="Map met de contractdata waaruit het document is gemaakt.")
@click.option("--versie", required=True, metavar="LABEL", help="Label van de nieuwe versie, bijv. 2019.")
@click.option("--geldig-van", "geldig_van", required=True, metavar="JJJJ-MM-DD", callback=_datum,
              help="Vanaf wanneer de nieuwe versie geldt; de oude eindigt de dag ervoor.")
@click.option("--sjablonen", type=click.Path(path_type=Path, file_okay=False),
              help="Map met de Word-sjablonen waarmee het document is gemaakt (als bij build).")
@click.option("--proef", is_flag=True, help="Toon alleen het verschil (zoals 'contractgen diff'); schrijf niets.")
def importeer_wijzigingen(bestand: Path, pad: Path, versie: str, geldig_van: date, sjablonen: Path | None,
                          proef: bool):
    """Maak van BESTAND (een .docx die contractgen maakte en een jurist bewerkte) een nieuwe versie van
    zijn YAML-document.

    Gewone bewerkingen en bijgehouden wijzigingen (w:ins/w:del, verplaatsingen) worden toegepast;
    bijgehouden wijzigingen worden als aangenomen genoemd, met auteur en datum, en opmerkingen bij
    de plaats waar ze staan. Wat niet te plaatsen is (een voetnoot, een afbeelding, tekst zonder
    lidnummer) weigert het hele document: er wordt niets geschreven.
    Velden ([[looptijd.van]], [[ref:...]], [[aanbieder.naam]]) blijven velden; een bewerking in
    de tekst van een veld wordt gemeld, niet overgenomen. Tarieftabellen veranderen via tariefsets.
    """
    # imported here for start-up speed: `contractgen --help` should not load the pipeline
    from contractgen.diff.bron import laad_kant
    from contractgen.diff.tekst import tekst
    from contractgen.diff.vergelijk import vergelijk
    from contractgen.intake.word_wijzigingen import importeer, proefmap, schrijf

    r = importeer(bestand, pad, versie, geldig_van, sjablonen)
    t = r.toepassing
    with proefmap(r) as kopie:
        if proef:
            nieuw = kopie / r.nieuw_pad.relative_to(r.regio_map)
            v = vergelijk(laad_kant(str(r.oud_pad)), laad_kant(str(nieuw)), r.document.id)
            uit = tekst(v, kleur=False, breedte=100).replace(str(kopie), str(r.regio_map))
            click.echo(uit, nl=False)
    for wat, lijst_ in (("gewijzigd", t.gewijzigd), ("toegevoegd", t.toegevoegd), ("verwijderd", t.verwijderd),
                        ("verplaatst", t.verplaatst)):
        if lijst_:
            click.echo(f"{wat}: {', '.join(lijst_)}")
    opmerkingen = list(t.opmerkingen)
    for k, (plaats, w) in enumerate(t.aangenomen):
        click.echo(f"aangenomen ({plaats}): {w.soort} door {w.auteur or 'onbekend'} op {w.datum or 'onbekende datum'}: "
                   f"“{w.tekst}”")
        if k + 1 < len(t.aangenomen) and t.aangenomen[k + 1][0] == plaats:
            continue
        # a comment shows with the changes of the place it stands in
        for o in [o for p_, o in opmerkingen if p_ == plaats]:
            click.echo(f"  opmerking van {o.auteur or 'onbekend'} op {o.datum or 'onbekende datum'}: “{o.tekst}”")
        opmerkingen = [(p_, o) for p_, o in opmerkingen if p_ != plaats]
    for plaats, o in opmerkingen:
        click.echo(f"opmerking ({plaats}) van {o.auteur or 'onbekend'} op {o.datum or 'onbekende datum'}: “{o.tekst}”")
    if not t.iets:  # nothing placed: nothing written, and the caller sees it failed
        click.echo("Fout: geen wijzigingen in de tekst gevonden; er is niets geschreven. Controleer of u het "
                   "bewerkte bestand (opgeslagen als .docx) hebt opgegeven.", err=True)
        sys.exit(1)
    if proef:
        click.echo("proef: er is niets geschreven")
        return
    schrijf(r)
    click.echo(f"geschreven: {r.nieuw_pad} (versie {versie}, geldig vanaf {geldig_van.isoformat()})")
    for p in r.bestanden:
        if p != r.nieuw_pad:
            click.echo(f"bijgewerkt: {p} (geldig_tot de dag voor {geldig_van.isoformat()})")


@main.command("importeer-document")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--regio", "regio_pad", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Map van de regio; het document komt in <regio>/documenten/<id>.yaml.")
@click.option("--id", "ident", required=True, help="Id van het nieuwe document, bijv. dvo.")
@click.option("--versie", default=None, help="Versielabel (standaard: het jaar van --geldig-van).")
@click.option("--geldig-van", "geldig_van", default=None, metavar="JJJJ-MM-DD",
              help="Vanaf wanneer het document geldt (standaard: 1 januari van dit jaar).")
@click.option("--soort", type=click.Choice(["overeenkomst", "toelichting", "bijlage", "fragment"]),
              default="overeenkomst", show_default=True)
@click.option("--proef", is_flag=True, help="Toon alleen wat er zou worden geschreven.")
def importeer_document(bestand: Path, regio_pad: Path, ident: str, versie: str | None, geldig_van: str | None,
                       soort: str, proef: bool):
    """Maak van een bestaand Word-contract BESTAND een YAML-document in het datamodel.

    Koppen ("Artikel 4: Duur", "HOOFDSTUK 1"), genummerde leden ("4.1"), opsommingen, tabellen en
    "Bijlage"-delen worden herkend; wat niet te plaatsen is wordt genoemd (tekst en plaats), niet geraden.
    """
    from contractgen.intake.word_document import (
        documenten_van,
        importeer,
        schrijf_document,
    )

    van = _datum(None, None, geldig_van) if geldig_van else date(date.today().year, 1, 1)
    andere = [d for d in documenten_van(regio_pad) if d.id != ident]
    r = importeer(bestand, ident, soort, versie or str(van.year), van, andere)
    if r.afgeleid:  # no heading styles: say what the numbering was taken to mean
        click.echo(f"geen kopstijlen gevonden: {len(r.afgeleid)} kop(pen) afgeleid uit de nummering "
                   f"(controleer ze):")
        for regel in r.afgeleid:
            click.echo(f"  {regel}")
    for regel in r.niet_geplaatst:
        click.echo(f"niet geplaatst: {regel}", err=True)
    doel = regio_pad / "documenten" / f"{ident}.yaml"
    click.echo(f"{r.artikelen} artikel(en), {r.leden} lid/leden, {r.overig} andere blok(ken); "
               f"{len(r.niet_geplaatst)} alinea('s) niet geplaatst")
    if proef:
        click.echo(r.yaml, nl=False)
        click.echo("proef: er is niets geschreven")
        return
    schrijf_document(doel, r.yaml)
    click.echo(f"geschreven: {doel}")
