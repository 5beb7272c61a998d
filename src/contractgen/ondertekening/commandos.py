"""Click commands of the signing loop: `contractgen ontvangen` and `contractgen onderteken`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from contractgen.ondertekening import OndertekeningFout
from contractgen.ondertekening import velden as v
from contractgen.basis.namen import display_path


def _controleer_uitvoer(uitvoer: Path) -> None:
    if not Path(uitvoer).is_dir():
        raise OndertekeningFout(f"{display_path(uitvoer)}: map met gebouwde pakketten bestaat niet; geef --uitvoer "
                                f"met de map van 'contractgen build'")


def _regios(data: Path) -> dict:
    """Output folder name of each region → its RegioData (loaded even when other files have errors)."""
    from contractgen.laden.regio import load_dataset
    from contractgen.basis.namen import veilige_naam

    if not Path(data).exists():
        raise OndertekeningFout(f"{display_path(data)}: map met contractdata bestaat niet; geef --data")
    regios, _ = load_dataset(Path(data))
    return {veilige_naam(r.regio.id): r for r in regios}


def rapport(c) -> list[str]:
    """The Dutch report lines of one check (without the verdict)."""
    from contractgen.ondertekening.ontvangst import tijd_tekst

    regels = []
    h = c.herkenning
    if h is not None:
        p = h.pakket
        wie = f"{p.aanbieder}" + (f" ({c.aanbieder_naam})" if c.aanbieder_naam else "")
        regels.append(f"  pakket: {wie}, {c.regio_naam or p.regio} {p.jaar}, peildatum {h.gebouwd.peildatum}")
        if h.actueel:
            regels.append(f"  eerste revisie: byte voor byte gelijk aan het gebouwde contractpakket.pdf "
                          f"(sha256 {h.gebouwd.sha256[:12]}…)")
        else:
            regels.append(f"  eerste revisie: gelijk aan een eerdere bouw (bouw {h.nummer} van "
                          f"{len(p.historie)}, sha256 {h.gebouwd.sha256[:12]}…), niet aan het huidige pakket")
    if c.wijzigingen:
        regels.append(f"  wijzigingen sinds het verstuurde pakket: {c.wijzigingen}")
    for hd in c.handtekeningen:
        plaats = v.PARTIJ_NAAM.get(hd.plaats, "geen handtekeningplaats") if hd.plaats else "geen handtekeningplaats"
        tijd = tijd_tekst(hd.tijdstip) + (" (tijdstempel)" if hd.tijdstempel else "")
        na = f"; daarna: {hd.wijzigingen}" if hd.wijzigingen else ""
        regels.append(f"  handtekening {hd.veld} ({plaats}): {hd.ondertekenaar}, {tijd}: {hd.oordeel}{na}")
    if c.plaatsen:
        leeg = c.open
        handtekening = [p.naam for p in leeg if not p.is_paraaf]
        parafen = [p.naam for p in leeg if p.is_paraaf]
        if handtekening or parafen:
            delen = []
            for partij in (v.OPDRACHTNEMER, v.GEMEENTE, None):
                namen = [p.naam for p in leeg if p.partij == partij]
                if namen:
                    delen.append(f"{v.PARTIJ_NAAM.get(partij or '', 'onbekende partij')}: {', '.join(namen)}")
            if parafen:
                delen.append(f"{len(parafen)} paraaf/parafen")
            regels.append(f"  nog leeg: {'; '.join(delen)}")
        else:
            regels.append("  nog leeg: geen; alle plaatsen zijn ondertekend")
    return regels


def _meld_weigering(c) -> None:
    click.echo(f"{display_path(c.bestand)}: geweigerd, niets opgeslagen:", err=True)
    for reden in c.weigeringen:
        click.echo(f"  - {reden}", err=True)


@click.command("ontvangen")
@click.argument("bestanden", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--data", "data", default="contracts_data", show_default=True, type=click.Path(path_type=Path),
              help="Map met de contractdata (regio's met hun vertrouwd/-map).")
@click.option("--uitvoer", default="output", show_default=True, type=click.Path(path_type=Path),
              help="De map van 'contractgen build' met de verstuurde pakketten.")
def ontvangen(bestanden: tuple[Path, ...], data: Path, uitvoer: Path):
    """Controleer ondertekend teruggekomen contractpakketten en bewaar de geldige.

    Per BESTAND: welk pakket het is, of de eerste revisie byte voor byte het gebouwde
    contractpakket.pdf is, elke handtekening (veld, ondertekenaar, tijdstip, geldigheid,
    vertrouwen, wijzigingen daarna) en welke plaatsen nog leeg zijn. Een geldig bestand
    komt in UITVOER/<regio>/<jaar>/<aanbieder>/ondertekend/ met een registratie (.json);
    een ongeldig bestand wordt geweigerd en nergens opgeslagen (exitcode 1).
    """
    from contractgen.ondertekening.ontvangst import beoordeel
    from contractgen.ondertekening.opslag import bewaar

    _controleer_uitvoer(uitvoer)
    regios = _regios(data)
    geweigerd = 0
    for bestand in bestanden:
        c = beoordeel(bestand, uitvoer, regios)
        click.echo(f"{display_path(bestand)}:")
        for regel in rapport(c):
            click.echo(regel)
        if c.geaccepteerd:
            pad, nieuw = bewaar(c, "ontvangen", Path(bestand).name)
            click.echo(f"  {'opgeslagen' if nieuw else 'al eerder ontvangen'}: {display_path(pad)}")
        else:
            geweigerd += 1
            _meld_weigering(c)
    click.echo(f"{len(bestanden) - geweigerd} bestand(en) aangenomen, {geweigerd} geweigerd")
    if geweigerd:
        sys.exit(1)


@click.command("onderteken")
@click.argument("paden", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--certificaat", required=True, type=click.Path(path_type=Path, dir_okay=False), metavar="CERT.p12",
              help="PKCS#12-bestand (.p12/.pfx) met sleutel en certificaat van de ondertekenaar namens de gemeente.")
@click.option("--wachtwoord", envvar="CONTRACTGEN_WACHTWOORD", help="Wachtwoord van het certificaat "
              "(of zet CONTRACTGEN_WACHTWOORD; zonder beide wordt erom gevraagd).")
@click.option("--veld", "velden", multiple=True, metavar="NAAM",
              help="Onderteken alleen dit handtekeningveld (mag vaker; standaard: alle lege plaatsen van de gemeente).")
@click.option("--functie", default="", help="Functie van de ondertekenaar, zichtbaar in de handtekening.")
@click.option("--tijdstempel", metavar="URL", help="Tijdstempeldienst (RFC 3161): maakt PAdES B-T in plaats van B-B.")
@click.option("--data", "data", default="contracts_data", show_default=True, type=click.Path(path_type=Path),
              help="Map met de contractdata (regio's met hun vertrouwd/-map).")
@click.option("--uitvoer", default="output", show_default=True, type=click.Path(path_type=Path),
              help="De map van 'contractgen build' met de pakketten.")
@click.option("--kopie", type=click.Path(path_type=Path, dir_okay=False), metavar="BESTAND",
              help="Schrijf het ondertekende pakket ook naar BESTAND (alleen bij één PAD).")
def onderteken(paden: tuple[Path, ...], certificaat: Path, wachtwoord: str | None, velden: tuple[str, ...],
               functie: str, tijdstempel: str | None, data: Path, uitvoer: Path, kopie: Path | None):
    """Onderteken contractpakketten namens de gemeente (PAdES, zichtbaar: naam, functie, datum).

    PAD is een contractpakket.pdf uit UITVOER of een door de opdrachtnemer ondertekende
    kopie daarvan. De handtekening komt als incrementele update in de handtekeningplaatsen
    van de gemeente, zodat de verstuurde bytes intact blijven; het resultaat wordt
    gecontroleerd zoals bij 'contractgen ontvangen' en in .../ondertekend/ bewaard.
    """
    from contractgen.ondertekening.ontvangst import GEEN_HANDTEKENINGEN, beoordeel
    from contractgen.ondertekening.ondertekenen import laad_certificaat, onderteken_velden
    from contractgen.ondertekening.opslag import bewaar
    from contractgen.ondertekening.pakketten import schrijf_atomisch

    if kopie is not None and len(paden) > 1:
        raise click.UsageError("--kopie kan alleen bij één PAD")
    if wachtwoord is None and sys.stdin.isatty():
        wachtwoord = click.prompt(f"Wachtwoord voor {display_path(certificaat)}", hide_input=True,
                                  default="", show_default=False) or None
    _controleer_uitvoer(uitvoer)
    signer = laad_certificaat(certificaat, wachtwoord)
    regios = _regios(data)
    geweigerd = 0
    for pad in paden:
        c = beoordeel(pad, uitvoer, regios)
        bezwaren = [w for w in c.weigeringen if w != GEEN_HANDTEKENINGEN]
        if not bezwaren:
            bezwaren = _kies_velden(c, velden)
        if bezwaren:
            c.weigeringen = bezwaren
            geweigerd += 1
            _meld_weigering(c)
            continue
        te_tekenen = list(velden) or [p.naam for p in c.open if p.partij == v.GEMEENTE]
        getekend = onderteken_velden(c.data, te_tekenen, signer, functie=functie, tijdstempel_url=tijdstempel)
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
            schrijf_atomisch(kopie, getekend)
            click.echo(f"  kopie: {display_path(kopie)}")
    if geweigerd:
        click.echo(f"{geweigerd} van {len(paden)} pakket(ten) niet ondertekend", err=True)
        sys.exit(1)


def _kies_velden(c, velden: tuple[str, ...]) -> list[str]:
    """Reasons why the requested (or default) gemeente fields cannot be signed; [] when they can."""
    plaatsen = {p.naam: p for p in c.plaatsen}
    leeg = {p.naam for p in c.open}
    if not velden:
        if not any(p.partij == v.GEMEENTE for p in c.open):
            return ["geen lege handtekeningplaats van de gemeente in dit pakket"]
        return []
    bezwaren = []
    for naam in velden:
        plaats = plaatsen.get(naam)
        if plaats is None:
            bezwaren.append(f"veld {naam} is geen handtekeningplaats van dit pakket; plaatsen van de gemeente: "
                            f"{', '.join(p.naam for p in c.plaatsen if p.partij == v.GEMEENTE)}")
        elif plaats.partij not in (v.GEMEENTE, v.PARAAF):
            bezwaren.append(f"veld {naam} is een handtekeningplaats van de "
                            f"{v.PARTIJ_NAAM.get(plaats.partij, 'onbekende partij')}, niet van de gemeente")
        elif naam not in leeg:
            bezwaren.append(f"veld {naam} is al ondertekend")
    return bezwaren


def registreer(groep: click.Group) -> None:
    """Add `ontvangen` and `onderteken` to the main command group."""
    groep.add_command(ontvangen)
    groep.add_command(onderteken)
