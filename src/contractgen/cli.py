"""Command line: thin commands that call the pipeline stages."""

from __future__ import annotations

import errno
import sys
from datetime import date
from pathlib import Path

import click

from contractgen import __version__, nl_click  # noqa: F401  (Dutch for click's own words)
from contractgen.problems import DataFout

STANDAARD_DATA = "contracts_data"


def _peildatum(ctx, param, waarde: str | None) -> date | None:
    if waarde is None:
        return None
    try:
        return date.fromisoformat(waarde)
    except ValueError:
        raise click.BadParameter(f"'{waarde}' is geen bestaande datum; verwacht JJJJ-MM-DD, bijv. 2018-01-01")


def _os_bericht(fout: OSError) -> str:
    """An OSError in Dutch: what went wrong with which file (full disk, no permission, ...)."""
    vol = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
    wat = {
        errno.EACCES: "geen toestemming", errno.EPERM: "geen toestemming",
        errno.EROFS: "het bestandssysteem is alleen-lezen", errno.ENOENT: "het bestand of de map bestaat niet",
        errno.EISDIR: "dit is een map", errno.ENOTDIR: "dit is geen map", errno.EMFILE: "te veel open bestanden",
        errno.EEXIST: "er staat al een bestand met deze naam", errno.ENAMETOOLONG: "de naam is te lang",
    }.get(fout.errno, fout.strerror or str(fout))
    waar = f" '{fout.filename}'" if fout.filename else ""
    if fout.errno in vol:
        return f"kan niet schrijven{waar}: schijf vol (geen ruimte meer); maak ruimte vrij en probeer het opnieuw"
    return f"kan{waar} niet lezen of schrijven: {wat}"


class Groep(click.Group):
    """Turns user errors into Dutch messages and exit 1; tracebacks only with --debug."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DataFout as fout:
            for p in fout.problemen:
                click.echo(str(p), err=True)
            fouten = sum(1 for p in fout.problemen if p.ernst == "fout")
            click.echo(f"{fouten} fout(en) gevonden; er is niets geschreven.", err=True)
            if ctx.obj and ctx.obj.get("debug"):
                raise
            ctx.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # output piped into `head`: the reader has all it wants
            sys.stderr.close()
            ctx.exit(0)
        except Exception as fout:  # noqa: BLE001 - the one place that turns errors into messages
            from contractgen.render import SjabloonFout

            if ctx.obj and ctx.obj.get("debug"):
                raise
            soort = "sjabloonfout" if isinstance(fout, SjabloonFout) else "fout"
            click.echo(f"{soort}: {_os_bericht(fout) if isinstance(fout, OSError) else fout}", err=True)
            if not isinstance(fout, (SjabloonFout, OSError)):
                click.echo("(gebruik --debug voor de technische details)", err=True)
            ctx.exit(1)


@click.group(cls=Groep, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--versie", message="contractgen %(version)s")
@click.option("--debug", is_flag=True, help="Toon technische details (traceback) bij fouten.")
@click.pass_context
def main(ctx, debug: bool):
    """contractgen: contracten sociaal domein uit één bron van waarheid (contracts_data/)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.argument("pad", default=STANDAARD_DATA, type=click.Path(path_type=Path))
def validate(pad: Path):
    """Controleer de contractdata in PAD tegen het schema; meldt alle problemen in één keer."""
    from contractgen.dataset import load_valid

    regios = load_valid(pad)
    docs = sum(len(r.documenten) for r in regios)
    aanbieders = sum(len(r.aanbieders) for r in regios)
    tarieven = sum(len(r.tariefsets) for r in regios)
    click.echo(f"geldig: {len(regios)} regio('s), {docs} documenten, {tarieven} tariefsets, {aanbieders} aanbieders")


@main.command()
@click.argument("pad", default=STANDAARD_DATA, type=click.Path(path_type=Path))
@click.option("--uitvoer", default="output", type=click.Path(path_type=Path), show_default=True,
              help="Map voor de gegenereerde documenten.")
@click.option("--peildatum", callback=_peildatum, metavar="JJJJ-MM-DD",
              help="Bouw de versies die op deze datum gelden (standaard: de peildatum van de regio).")
@click.option("--aanbieder", "aanbieders", multiple=True, metavar="ID",
              help="Bouw alleen deze aanbieder (mag vaker).")
@click.option("--sjablonen", type=click.Path(path_type=Path, file_okay=False), help="Map met Word-sjablonen.")
@click.option("--geen-pdf", is_flag=True, help="Alleen Word-documenten, geen PDF.")
@click.option("--pdfa", is_flag=True, help="Maak PDF/A-2b (archiefformaat) in plaats van gewone PDF.")
def build(pad: Path, uitvoer: Path, peildatum: date | None, aanbieders: tuple[str, ...],
          sjablonen: Path | None, geen_pdf: bool, pdfa: bool):
    """Maak per aanbieder het contractpakket (DVO en bijlagen) in UITVOER/<regio>/<jaar>/<aanbieder>/."""
    from contractgen.build import Bouwopdracht, bouw

    toon = sys.stderr.isatty()

    def voortgang(n: int, totaal: int, naam: str) -> None:
        if toon:
            click.echo(f"\r[{n}/{totaal}] {naam[:70]:<70}", nl=False, err=True)

    opdracht = Bouwopdracht(pad, uitvoer, peildatum, list(aanbieders), sjablonen, pdf=not geen_pdf, pdfa=pdfa)
    resultaat = bouw(opdracht, voortgang)
    if toon:
        click.echo("", err=True)
    docx = [p for p in resultaat.bestanden if p.suffix == ".docx"]
    pdf = [p for p in resultaat.bestanden if p.suffix == ".pdf"]
    for map_ in resultaat.mappen:
        aantal = sum(1 for p in docx if p.parent == map_)
        pakket = " + contractpakket.pdf" if (map_ / "contractpakket.pdf").exists() else ""
        click.echo(f"{map_}: {aantal} documenten{pakket}")
    click.echo(f"klaar: {len(docx)} Word-documenten en {len(pdf)} PDF's in {len(resultaat.mappen)} mappen "
               f"({resultaat.gerenderd} documenten opnieuw gemaakt, {resultaat.overgeslagen} mappen ongewijzigd)")


def _een_regio(pad: Path):
    from contractgen.dataset import load_valid

    regios = load_valid(pad)
    if len(regios) != 1:
        namen = ", ".join(r.regio.id for r in regios)
        raise click.UsageError(f"PAD bevat {len(regios)} regio's ({namen}); geef de map van één regio op, "
                               f"bijv. {pad}/{regios[0].regio.id if regios else '<regio>'}")
    return regios[0]


@main.command()
@click.argument("pad", default=STANDAARD_DATA, type=click.Path(path_type=Path))
@click.option("--formaat", type=click.Choice(["tekst", "json"]), default="tekst", show_default=True)
@click.option("--peildatum", callback=_peildatum, metavar="JJJJ-MM-DD",
              help="Controleer de versies die op deze datum gelden (standaard: de peildatum van de regio).")
def check(pad: Path, formaat: str, peildatum: date | None):
    """Consistentierapport voor juristen: fouten en waarschuwingen met vindplaats."""
    import json

    from contractgen.check import JSON_VERSIE, check as controleer
    from contractgen.dataset import load_valid

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
@click.option("--peildatum", callback=_peildatum, metavar="JJJJ-MM-DD")
def voorrang(pad: Path, onderwerp: str | None, peildatum: date | None):
    """Leg uit welke tekst geldt voor ONDERWERP (begrip, bedrag of termijn) en waarom."""
    from contractgen.voorrang import leg_uit

    regio = _een_regio(pad)
    try:
        regels = leg_uit(regio, onderwerp, peildatum or regio.regio.standaard_peildatum)
    except KeyError:
        raise click.UsageError(f"onbekend onderwerp '{onderwerp}'; probeer een begrip (bijv. Burger) of een "
                               f"parameter: {', '.join(p.id for p in regio.regio.parameters)}")
    for regel in regels:
        click.echo(regel)


@main.command()
@click.argument("oud")
@click.argument("nieuw")
@click.option("--document", metavar="ID", help="Vergelijk alleen dit document (of de tariefset met dit id).")
@click.option("--formaat", type=click.Choice(["tekst", "html", "docx"]), default="tekst", show_default=True,
              help="tekst: voor de terminal; html: één bestand, naast elkaar; docx: Word met bijgehouden wijzigingen.")
@click.option("--uitvoer", type=click.Path(path_type=Path, dir_okay=False), metavar="BESTAND",
              help="Schrijf naar BESTAND (standaard: het scherm; bij docx: <document>-redline.docx).")
@click.option("--exit-code", is_flag=True, help="Eindig met code 1 als er verschillen zijn (zoals git diff --exit-code).")
def diff(oud: str, nieuw: str, document: str | None, formaat: str, uitvoer: Path | None, exit_code: bool):
    """Vergelijk OUD met NIEUW: artikelen en leden op id, tekst woord voor woord, tarieven per productcode.

    OUD en NIEUW zijn elk een datamap of YAML-bestand, met @JJJJ-MM-DD voor de versies die op die
    peildatum gelden, of git:REV[:PAD] voor de data in een git-revisie (standaard PAD: contracts_data).

    \b
    Voorbeelden:
      contractgen diff contracts_data@2015-01-01 contracts_data@2018-01-01
      contractgen diff git:HEAD~1 contracts_data --document dvo --formaat docx
    """
    import os
    import shutil

    from contractgen.diff_vergelijk import vergelijk
    from contractgen.diff_bron import laad_kant

    v = vergelijk(laad_kant(oud), laad_kant(nieuw), document)
    if formaat == "docx":
        from contractgen.redline import kies_document, schrijf_redline
        from contractgen.resolve import veilige_naam

        d = kies_document(v)
        r = schrijf_redline(d, v.datum(d), uitvoer or Path(f"{veilige_naam(d.sleutel)}-redline.docx"))
        click.echo(f"{r.pad}: {r.invoegingen} invoeging(en) en {r.verwijderingen} verwijdering(en) "
                   f"als bijgehouden wijzigingen")
    else:
        if formaat == "html":
            from contractgen.diff_html import html

            uit = html(v)
        else:
            from contractgen.diff_tekst import tekst

            kleur = uitvoer is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
            uit = tekst(v, kleur=kleur, breedte=min(shutil.get_terminal_size((100, 24)).columns, 120) if kleur else 100)
        if uitvoer:
            uitvoer.write_text(uit, encoding="utf-8")
            click.echo(f"geschreven: {uitvoer}")
        else:
            click.echo(uit, nl=False)
    if exit_code and v.heeft_verschillen:
        sys.exit(1)


@main.group()
def aanbieders():
    """Aanbieders beheren: bulkimport uit een export van het contractbeheer."""


@aanbieders.command()
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", "pad", default=STANDAARD_DATA, show_default=True, type=click.Path(path_type=Path),
              help="Map met de contractdata (de map van één regio, of een map met één regio).")
@click.option("--bijwerken", is_flag=True,
              help="Werk bestaande aanbieders bij: gevulde cellen vervangen hun waarden, de rest blijft.")
@click.option("--proef", is_flag=True, help="Controleer alleen; schrijf niets.")
def importeer(bestand: Path, pad: Path, bijwerken: bool, proef: bool):
    """Importeer aanbieders uit BESTAND (.csv of .xlsx), één aanbieder per regel.

    Elke regel wordt gecontroleerd zoals aanbieders/*.yaml; is er één fout, dan wordt
    niets geïmporteerd. Kolommen (eerste regel; hoofdletters, spaties, '-' en '_' maken
    niet uit), alleen naam en kvk zijn verplicht:

    \b
      id, naam, kvk, agb, straat, postcode, plaats,
      vertegenwoordiger, vertegenwoordiger functie,
      contactpersoon [functie|e-mail|telefoon], vervanger [functie|e-mail|telefoon],
      domeinen ("Jeugd; Wmo"), arrangementen (ids of productcodes), verblijf (ja/nee),
      personen, zzp (ja/nee), omzet, uitsluitingsgronden (ja/nee of datum),
      onderaannemers ("Naam 12345678 (zzp); Naam 2"),
      A1, D2-2, ... (Ja/Nee/NVT), motivatie A1, maximum consultatie-hbo, tarief detachering-mbo
    """
    from contractgen.importeer import ImportFout, importeer as importeer_bestand

    try:
        resultaat = importeer_bestand(bestand, pad, bijwerken=bijwerken, proef=proef)
    except ImportFout as fout:
        for regel in fout.regels:
            click.echo(regel, err=True)
        click.echo(f"{len(fout.regels)} fout(en) gevonden; er is niets geïmporteerd.", err=True)
        sys.exit(1)
    for regel in resultaat.waarschuwingen:
        click.echo(f"let op: {regel}", err=True)
    for g in resultaat.aanbieders:
        click.echo(f"{'nieuw' if g.nieuw else 'bijgewerkt'}: {g.pad} ({g.aanbieder.naam}, "
                   f"{len(g.aanbieder.arrangementen)} arrangement(en))")
    nieuw = sum(1 for g in resultaat.aanbieders if g.nieuw)
    wat = "geïmporteerd" if resultaat.geschreven else "gecontroleerd, niets geschreven (--proef)"
    click.echo(f"{len(resultaat.aanbieders)} aanbieder(s) {wat}: {nieuw} nieuw, "
               f"{len(resultaat.aanbieders) - nieuw} bijgewerkt")


@main.command()
@click.argument("pad", default=STANDAARD_DATA, type=click.Path(path_type=Path))
@click.option("--formaat", type=click.Choice(["tekst", "csv", "xlsx"]), default="tekst", show_default=True)
@click.option("--bestand", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Schrijf naar dit bestand (standaard: het scherm; bij xlsx: overzicht.xlsx).")
@click.option("--uitvoer", default="output", show_default=True, type=click.Path(path_type=Path),
              help="De map van 'contractgen build', om te zien welke documenten gebouwd of verouderd zijn.")
@click.option("--peildatum", callback=_peildatum, metavar="JJJJ-MM-DD",
              help="Peildatum (standaard: de peildatum van de regio).")
def overzicht(pad: Path, formaat: str, bestand: Path | None, uitvoer: Path, peildatum: date | None):
    """Overzicht van alle aanbieders: arrangementen, antwoorden op de kwaliteitseisen,
    social return en of hun documenten gebouwd en actueel zijn."""
    from contractgen.overzicht import als_csv, als_tekst, als_xlsx, maak_overzicht

    overzichten = maak_overzicht(pad, uitvoer, peildatum)
    if formaat == "xlsx":
        bestand = bestand or Path("overzicht.xlsx")
        als_xlsx(overzichten, bestand)
        click.echo(f"geschreven: {bestand}")
        return
    tekst = als_csv(overzichten) if formaat == "csv" else als_tekst(overzichten)
    if bestand:
        # a BOM, so that Excel reads the csv as UTF-8
        bestand.write_text(tekst, encoding="utf-8-sig" if formaat == "csv" else "utf-8")
        click.echo(f"geschreven: {bestand}")
    else:
        click.echo(tekst, nl=False)


@main.group()
def tarieven():
    """Tariefsets: een concept voor het volgende jaar afleiden."""


@tarieven.command("indexeer")
@click.argument("bron")
@click.option("--regio", "regio_pad", default=STANDAARD_DATA + "/maastricht-heuvelland", show_default=True,
              type=click.Path(path_type=Path), help="Map van de regio.")
@click.option("--percentage", required=True, help="Indexatie in procenten, bijv. 3,6.")
@click.option("--afronding", type=click.Choice(["euro", "cent"]), default="euro", show_default=True)
@click.option("--naar", "naar_id", help="Id van de nieuwe tariefset (standaard: het jaar in BRON opgehoogd).")
def indexeer_cmd(bron: str, regio_pad: Path, percentage: str, afronding: str, naar_id: str | None):
    """Maak uit tariefset BRON een concept voor het volgende jaar (status: concept)."""
    from decimal import Decimal, InvalidOperation

    from contractgen.indexeer import indexeer

    try:
        pct = Decimal(percentage.replace(",", "."))
    except InvalidOperation:
        raise click.BadParameter(f"'{percentage}' is geen percentage; verwacht bijv. 3,6", param_hint="--percentage")
    doel = indexeer(_een_regio(regio_pad), bron, pct, afronding, naar_id)
    click.echo(f"geschreven: {doel} (status: concept)")


from contractgen.ondertekening.commandos import registreer  # noqa: E402  (signing loop: ontvangen, onderteken)

registreer(main)
