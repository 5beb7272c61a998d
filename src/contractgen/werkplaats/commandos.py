"""`contractgen werkplaats`, `contractgen werker` and `contractgen gebruiker toevoegen`.

Registered on the CLI through the entry point group `contractgen.commandos` (pyproject.toml), so
`cli` does not import the workplace and the two faces stay independent. Django is imported only
when a command runs (start-up speed of every other command).
"""

from __future__ import annotations

import os
import sys
import time
import urllib.request
from pathlib import Path

import click

STANDAARD_STAAT = ".contractgen"


def _adres(waarde: str) -> tuple[str, int]:
    host, _, poort = waarde.rpartition(":")
    try:
        return (host or "127.0.0.1").strip("[]"), int(poort)
    except ValueError:
        raise click.BadParameter(f"'{waarde}' is geen adres; verwacht HOST:POORT, bijv. 127.0.0.1:8000") from None


@click.command()
@click.option("--data", default="contracts_data", type=click.Path(path_type=Path), show_default=True,
              help="De map met de contractdata (regio's); een git-repository, of er wordt er een gemaakt.")
@click.option("--uitvoer", default="output", type=click.Path(path_type=Path), show_default=True,
              help="Map voor de gebouwde documenten.")
@click.option("--staat", default=STANDAARD_STAAT, type=click.Path(path_type=Path), show_default=True,
              help="Map voor accounts, sessies, taken en het auditlog (SQLite), de geheime sleutel en het log.")
@click.option("--adres", default="127.0.0.1:8000", show_default=True, metavar="HOST:POORT",
              help="Waar de werkplaats luistert.")
@click.option("--demo", is_flag=True,
              help="Voorbeelddata met demo-accounts per rol (wachtwoorden worden getoond); alleen op de voorbeelddata.")
@click.option("--geen-werker", is_flag=True, help="Start geen achtergrondwerker (die draait elders: contractgen werker).")
def werkplaats(data: Path, uitvoer: Path, staat: Path, adres: str, demo: bool, geen_werker: bool):
    """Start de werkplaats in de browser voor het inkoopteam, de juristen en de aanbieders."""
    from contractgen.werkplaats import starten

    host, poort = _adres(adres)
    if demo:
        ok, waarom = starten.is_voorbeelddata(data)
        if not ok:
            raise click.UsageError(f"--demo alleen op de voorbeelddata: {waarom}. Start zonder --demo en maak "
                                   "accounts met: contractgen gebruiker toevoegen E-MAIL --rol ROL --regio ID")
        data = starten.demo_data(data, staat)
    if not data.is_dir():
        raise click.UsageError(f"de datamap '{data}' bestaat niet; geef de map met regio's op met --data")
    plaatsen = starten.Plaatsen(data, uitvoer, staat)
    starten.bereid_voor(plaatsen, demo=demo)
    from contractgen.werkplaats.omgeving import regio_mappen
    from contractgen.werkplaats.regio.taken import markeer_onderbroken

    onderbroken = markeer_onderbroken()
    if onderbroken:
        click.echo(f"let op: {onderbroken} bouwtaak/-taken onderbroken doordat de server stopte; opnieuw te starten")
    if demo:
        click.echo("DEMO — voorbeelddata, niet voor echte contracten. Demo-accounts (wachtwoord nieuw bij elke start):")
        for email, rol, wachtwoord in starten.maak_demo_accounts(sorted(regio_mappen()), data):
            click.echo(f"  {email:<26} {wachtwoord:<20} {rol}")
    werker = None if geen_werker else starten.start_werker()
    import threading

    from contractgen.werkplaats.regio.views import verwarm

    threading.Thread(target=verwarm, name="verwarm", daemon=True).start()  # the region pages, in the background
    try:
        starten.dien(host, poort, klaar=f"werkplaats klaar: http://{adres}/ (data: {data}, uitvoer: {uitvoer}, "
                                         f"staat: {staat}); stoppen met Ctrl-C")
    finally:
        if werker is not None:
            werker.terminate()
            try:
                werker.wait(10)
            except Exception:  # noqa: BLE001 - stopping: kill what does not stop
                werker.kill()


@click.command()
@click.option("--data", default="contracts_data", type=click.Path(path_type=Path), show_default=True)
@click.option("--uitvoer", default="output", type=click.Path(path_type=Path), show_default=True)
@click.option("--staat", default=STANDAARD_STAAT, type=click.Path(path_type=Path), show_default=True)
def werker(data: Path, uitvoer: Path, staat: Path):
    """Draai een achtergrondwerker voor de bouwtaken van de werkplaats (ook op een andere machine)."""
    from contractgen.werkplaats import starten

    starten.bereid_voor(starten.Plaatsen(data, uitvoer, staat), migreer=False)
    os.execv(sys.executable, starten.werker_opdracht())


@click.group()
def gebruiker():
    """Accounts van de werkplaats."""


@gebruiker.command("toevoegen")
@click.argument("email")
@click.option("--rol", required=True, type=click.Choice(["inkoopteam", "jurist", "beheerder", "aanbieder"]))
@click.option("--regio", "regios", multiple=True, metavar="ID", help="De regio (mag vaker); niet voor een beheerder.")
@click.option("--aanbieder", metavar="ID", help="Voor de rol aanbieder: de aanbieder die deze persoon vertegenwoordigt.")
@click.option("--naam", default="", help="De naam zoals de werkplaats hem toont.")
@click.option("--uitnodigen", is_flag=True,
              help="Alleen voor de rol aanbieder: stuur een uitnodiging per e-mail met een eenmalige link om zelf een "
                   "wachtwoord in te stellen (in plaats van een wachtwoord te vragen).")
@click.option("--data", default="contracts_data", type=click.Path(path_type=Path), show_default=True)
@click.option("--staat", default=STANDAARD_STAAT, type=click.Path(path_type=Path), show_default=True)
def toevoegen(email: str, rol: str, regios: tuple[str, ...], aanbieder: str | None, naam: str, uitnodigen: bool,
              data: Path, staat: Path):
    """Voeg een account toe (of geef een bestaand account een rol erbij). Wachtwoord uit
    CONTRACTGEN_WACHTWOORD, anders gevraagd; met --uitnodigen stelt de aanbieder het zelf in."""
    from contractgen.werkplaats import starten

    if uitnodigen:
        if rol != "aanbieder" or not aanbieder or len(regios) != 1:
            raise click.UsageError("--uitnodigen is voor de rol aanbieder: geef --rol aanbieder --aanbieder ID "
                                   "--regio ID (één regio)")
        starten.bereid_voor(starten.Plaatsen(data, Path("output"), staat))
        import smtplib

        from contractgen.werkplaats.portaal.uitnodigen import UitnodigingFout, nodig_uit

        try:
            nodig_uit(email, regios[0], aanbieder, naam)
        except UitnodigingFout as fout:
            raise click.UsageError(str(fout)) from None
        except (smtplib.SMTPException, OSError) as fout:
            raise click.ClickException(f"de uitnodiging kon niet worden verstuurd ({fout}); er is geen account aangemaakt; "
                                       "probeer het opnieuw als de mailserver (CONTRACTGEN_SMTP_HOST/_POORT) "
                                       "bereikbaar is") from None
        click.echo(f"uitnodiging verstuurd naar {email.strip().lower()}: rol aanbieder in {regios[0]}, "
                   f"aanbieder {aanbieder}")
        return
    wachtwoord = os.environ.get("CONTRACTGEN_WACHTWOORD") or click.prompt(
        "Wachtwoord (minstens 12 tekens)", hide_input=True, confirmation_prompt="Nog een keer")
    starten.bereid_voor(starten.Plaatsen(data, Path("output"), staat))
    try:
        starten.voeg_gebruiker_toe(email, rol, list(regios), wachtwoord, aanbieder, naam=naam)
    except starten.GebruikerFout as fout:
        raise click.UsageError(str(fout)) from None
    waar = ", ".join(regios) if regios else "alle regio's"
    click.echo(f"account {email.strip().lower()}: rol {rol} in {waar}" + (f", aanbieder {aanbieder}" if aanbieder else ""))


def wacht_tot_gezond(url: str, tijd: float = 60.0) -> bool:
    """For scripts and tests: poll GET /gezond until it answers 200."""
    einde = time.monotonic() + tijd
    while time.monotonic() < einde:
        try:
            with urllib.request.urlopen(url.rstrip("/") + "/gezond", timeout=2) as antwoord:
                if antwoord.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False
