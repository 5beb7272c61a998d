"""The signing loop: `contractgen ontvangen` (take in returned packages) and `contractgen onderteken`
(sign as the gemeente). The work is in `contractgen.ondertekening`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from contractgen.basis.namen import display_path, veilige_naam
from contractgen.cli.basis import STANDAARD_DATA, main
from contractgen.ondertekening import OndertekeningFout


def _controleer_uitvoer(uitvoer: Path) -> None:
    if not Path(uitvoer).is_dir():
        raise OndertekeningFout(f"{display_path(uitvoer)}: map met gebouwde pakketten bestaat niet; geef --uitvoer "
                                f"met de map van 'contractgen build'")


def _regios(data: Path) -> dict:
    """Output folder name of each region → its RegioData (loaded even when other files have errors)."""
    from contractgen.laden.regio import (
        load_dataset,  # start-up speed: only for commands that need data
    )

    if not Path(data).exists():
        raise OndertekeningFout(f"{display_path(data)}: map met contractdata bestaat niet; geef --data")
    regios, _ = load_dataset(Path(data))
    return {veilige_naam(r.regio.id): r for r in regios}


def _meld_weigering(b) -> None:
    click.echo(f"{display_path(b.bestand)}: geweigerd, niets opgeslagen:", err=True)
    for reden in b.weigeringen:
        click.echo(f"  - {reden}", err=True)


def _grenzen_opties(f):
    f = click.option("--max-seconden", type=click.FloatRange(min=0), default=60, show_default=True,
                     help="Tijd voor de controle van één bestand.")(f)
    f = click.option("--max-revisies", type=click.IntRange(min=1), default=None,
                     help="Revisies na het verstuurde pakket (standaard: 2 per handtekeningplaats + 10).")(f)
    f = click.option("--max-mb", type=click.FloatRange(min=0), default=100, show_default=True,
                     help="Grootte van één bestand in MB.")(f)
    return f


_DATA = click.option("--data", "data", default=STANDAARD_DATA, show_default=True, type=click.Path(path_type=Path),
                     help="Map met de contractdata (regio's met hun vertrouwd/-map).")
_UITVOER = click.option("--uitvoer", default="output", show_default=True, type=click.Path(path_type=Path),
                        help="De map van 'contractgen build' met de verstuurde pakketten.")


@main.command("ontvangen")
@click.argument("bestanden", nargs=-1, required=True, type=click.Path(path_type=Path))
@_DATA
@_UITVOER
@_grenzen_opties
def ontvangen(bestanden: tuple[Path, ...], data: Path, uitvoer: Path, max_mb: float, max_revisies: int | None,
              max_seconden: float):
    """Controleer ondertekend teruggekomen contractpakketten en bewaar de geldige.

    Per BESTAND: welk pakket het is, of de eerste revisie byte voor byte het gebouwde
    contractpakket.pdf is, elke handtekening (veld, ondertekenaar, tijdstip, geldigheid,
    vertrouwen, wijzigingen daarna) en welke plaatsen nog leeg zijn. Een geldig bestand
    komt in UITVOER/<regio>/<jaar>/<aanbieder>/ondertekend/ met een registratie (.json);
    een ongeldig bestand wordt geweigerd en nergens opgeslagen (exitcode 1). Bewaard wordt het
    bestand tot en met de laatste handtekening; wat daarna kwam wordt gemeld.
    """
    # start-up speed: pyHanko takes more than a second to import
    from contractgen.ondertekening.grenzen import Grenzen
    from contractgen.ondertekening.ontvangst import beoordeel, rapport
    from contractgen.ondertekening.opslag import bewaar

    _controleer_uitvoer(uitvoer)
    regios = _regios(data)
    grenzen = Grenzen(max_mb, max_revisies, max_seconden)
    geweigerd = 0
    for bestand in bestanden:
        b = beoordeel(bestand, uitvoer, regios, grenzen=grenzen)
        click.echo(f"{display_path(bestand)}:")
        for regel in rapport(b):
            click.echo(regel)
        if b.geaccepteerd:
            pad, nieuw = bewaar(b, "ontvangen", Path(bestand).name)
            click.echo(f"  {'opgeslagen' if nieuw else 'al eerder ontvangen'}: {display_path(pad)}")
        else:
            geweigerd += 1
            _meld_weigering(b)
    click.echo(f"{len(bestanden) - geweigerd} bestand(en) aangenomen, {geweigerd} geweigerd")
    if geweigerd:
        sys.exit(1)


@main.command("onderteken")
@click.argument("paden", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--certificaat", required=True, type=click.Path(path_type=Path, dir_okay=False), metavar="CERT.p12",
              help="PKCS#12-bestand (.p12/.pfx) met sleutel en certificaat van de ondertekenaar namens de gemeente.")
@click.option("--wachtwoord", envvar="CONTRACTGEN_WACHTWOORD", help="Wachtwoord van het certificaat "
              "(of zet CONTRACTGEN_WACHTWOORD; zonder beide wordt erom gevraagd).")
@click.option("--veld", "velden", multiple=True, metavar="NAAM",
              help="Onderteken alleen dit handtekeningveld (mag vaker; standaard: alle lege plaatsen van de gemeente).")
@click.option("--functie", default="", help="Functie van de ondertekenaar, zichtbaar in de handtekening.")
@click.option("--tijdstempel", metavar="URL", help="Tijdstempeldienst (RFC 3161): maakt PAdES B-T in plaats van B-B.")
@click.option("--lt", is_flag=True, help="PAdES B-LTA: certificaten en intrekkingslijsten uit vertrouwd/ in het "
              "document, met een documenttijdstempel (vraagt --tijdstempel).")
@_DATA
@_UITVOER
@click.option("--kopie", type=click.Path(path_type=Path, dir_okay=False), metavar="BESTAND",
              help="Schrijf het ondertekende pakket ook naar BESTAND (alleen bij één PAD).")
def onderteken(paden: tuple[Path, ...], certificaat: Path, wachtwoord: str | None, velden: tuple[str, ...],
               functie: str, tijdstempel: str | None, lt: bool, data: Path, uitvoer: Path, kopie: Path | None):
    """Onderteken contractpakketten namens de gemeente (PAdES, zichtbaar: naam, functie, datum).

    PAD is een contractpakket.pdf uit UITVOER of een door de opdrachtnemer ondertekende
    kopie daarvan. De handtekening komt als incrementele update in de handtekeningplaatsen
    van de gemeente, zodat de verstuurde bytes intact blijven; het resultaat wordt
    gecontroleerd zoals bij 'contractgen ontvangen' en in .../ondertekend/ bewaard.
    """
    # start-up speed: pyHanko takes more than a second to import
    from contractgen.basis.atomisch import schrijf_bytes
    from contractgen.ondertekening.ondertekenen import (
        bezwaren_tegen_velden,
        laad_certificaat,
        onderteken_velden,
    )
    from contractgen.ondertekening.ontvangst import (
        GEEN_HANDTEKENINGEN,
        beoordeel,
        rapport,
    )
    from contractgen.ondertekening.opslag import bewaar
    from contractgen.ondertekening.velden import GEMEENTE
    from contractgen.ondertekening.vertrouwen import (
        intrekkingslijsten,
        validatiecontext,
        vertrouwde_certificaten,
    )

    if kopie is not None and len(paden) > 1:
        raise click.UsageError("--kopie kan alleen bij één PAD")
    if lt and not tijdstempel:
        raise click.UsageError("--lt vraagt een tijdstempeldienst: geef ook --tijdstempel URL")
    _controleer_uitvoer(uitvoer)
    if wachtwoord is None and sys.stdin.isatty():
        wachtwoord = click.prompt(f"Wachtwoord voor {display_path(certificaat)}", hide_input=True,
                                  default="", show_default=False) or None
    signer = laad_certificaat(certificaat, wachtwoord)
    regios = _regios(data)
    geweigerd = 0
    for pad in paden:
        b = beoordeel(pad, uitvoer, regios)
        bezwaren = [w for w in b.weigeringen if w != GEEN_HANDTEKENINGEN] or bezwaren_tegen_velden(b, velden)
        if bezwaren:
            b.weigeringen = bezwaren
            geweigerd += 1
            _meld_weigering(b)
            continue
        te_tekenen = list(velden) or [p.naam for p in b.open if p.partij == GEMEENTE]
        validatie = None
        if lt and b.herkenning is not None and b.herkenning.pakket.regio in regios:
            regio_map = regios[b.herkenning.pakket.regio].map
            validatie = validatiecontext(vertrouwde_certificaten(regio_map), crls=intrekkingslijsten(regio_map),
                                         streng=True)
        getekend = onderteken_velden(b.data, te_tekenen, signer, functie=functie, tijdstempel_url=tijdstempel,
                                     validatie=validatie)
        na = beoordeel(pad, uitvoer, regios, data=getekend)
        click.echo(f"{display_path(pad)}: {len(te_tekenen)} handtekening(en) gezet: {', '.join(te_tekenen)}")
        for regel in rapport(na):
            click.echo(regel)
        if not na.geaccepteerd:
            geweigerd += 1
            _meld_weigering(na)
            continue
        opgeslagen, _ = bewaar(na, "ondertekend door gemeente", Path(pad).name)
        click.echo(f"  opgeslagen: {display_path(opgeslagen)}")
        if kopie is not None:
            schrijf_bytes(kopie, getekend)
            click.echo(f"  kopie: {display_path(kopie)}")
    if geweigerd:
        click.echo(f"{geweigerd} van {len(paden)} pakket(ten) niet ondertekend", err=True)
        sys.exit(1)
