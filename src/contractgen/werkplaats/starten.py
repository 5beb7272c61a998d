"""Starting the workplace on one machine, and adding accounts: the library behind the commands in `commandos`.

`bereid_voor` sets the environment and Django up and brings the database to the current
migrations; `start_werker` starts a background worker process that dies with its parent;
`dien` serves with waitress until stopped.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

DEMO_ACCOUNTS = (("inkoopteam@demo.example", "inkoopteam"), ("jurist@demo.example", "jurist"),
                 ("beheerder@demo.example", "beheerder"))
DEMO_AANBIEDER = "aanbieder@demo.example"


@dataclass
class Plaatsen:
    data: Path
    uitvoer: Path
    staat: Path


def zet_omgeving(plaatsen: Plaatsen, demo: bool = False) -> None:
    os.environ["CONTRACTGEN_DATA"] = str(plaatsen.data.resolve())
    os.environ["CONTRACTGEN_UITVOER"] = str(plaatsen.uitvoer.resolve())
    os.environ["CONTRACTGEN_STAAT"] = str(plaatsen.staat.resolve())
    if demo:
        os.environ["CONTRACTGEN_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contractgen.werkplaats.instellingen")


def bereid_voor(plaatsen: Plaatsen, demo: bool = False, migreer: bool = True) -> None:
    """Environment, Django, and the database at the current migrations (created on first start)."""
    plaatsen.staat.mkdir(parents=True, exist_ok=True)
    (plaatsen.staat / "static").mkdir(exist_ok=True)  # STATIC_ROOT; files come from the package (whitenoise finders)
    zet_omgeving(plaatsen, demo)
    import django
    from django.core.management import call_command
    from django.utils import translation

    django.setup()
    translation.activate("nl")
    if migreer:
        call_command("migrate", verbosity=0, interactive=False)


def _sterf_met_ouder() -> None:
    # PR_SET_PDEATHSIG: the worker gets SIGTERM when the server process dies, however it dies
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except OSError:
        pass


def werker_opdracht() -> list[str]:
    """The command line of a background worker for the configured job backend (database or Redis)."""
    if os.environ.get("CONTRACTGEN_REDIS"):
        return [sys.executable, "-m", "contractgen.werkplaats.beheer", "rqworker", "default",
                "--job-class", "django_tasks_rq.Job"]
    return [sys.executable, "-m", "contractgen.werkplaats.beheer", "db_worker", "--interval", "0.5",
            "--no-startup-delay"]


def start_werker() -> subprocess.Popen:
    return subprocess.Popen(werker_opdracht(), env=os.environ.copy(), preexec_fn=_sterf_met_ouder)


def dien(host: str, poort: int, klaar: str = "") -> None:
    """Serve the workplace with waitress (threads) until SIGINT/SIGTERM."""
    from waitress import serve

    from contractgen.werkplaats.wsgi import application

    if klaar:
        print(klaar, flush=True)
    serve(application, host=host, port=poort, threads=8, ident="contractgen", clear_untrusted_proxy_headers=True,
          max_request_body_size=25 * 1024 * 1024, _quiet=True)


def demo_data(bron: Path, staat: Path) -> Path:
    """The sample data, copied once into the state folder: the demo writes there, never into the repository."""
    from contractgen.basis.transactie import GIT_STANDAARD, Auteur, git_commit, git_repository

    doel = staat / "demo-data"
    if not doel.exists():
        tijdelijk = staat / ".demo-data-kopie"
        shutil.rmtree(tijdelijk, ignore_errors=True)
        shutil.copytree(bron, tijdelijk, ignore=shutil.ignore_patterns(".contractgen", ".git"))
        # its own repository from the start (the clone around it ignores .contractgen/): the history pages
        # show every change the demo makes, and a change is committed like on real data
        git_repository(tijdelijk, repo=tijdelijk)
        git_commit(tijdelijk, sorted(p for p in tijdelijk.rglob("*") if p.is_file() and ".git" not in p.parts),
                   "Voorbeeldgegevens van contractgen gekopieerd voor de demo", Auteur(*GIT_STANDAARD))
        os.replace(tijdelijk, doel)  # whole or not at all: a stopped start copies again
    return doel


def is_voorbeelddata(data: Path) -> tuple[bool, str]:
    """Only the sample data (every aanbieder `voorbeeld: true`) may get demo accounts."""
    from contractgen.laden.regio import load_dataset

    regios, _ = load_dataset(data)
    if not regios:
        return False, "de map bevat geen geldige regio"
    for r in regios:
        for a in r.aanbieders:
            if not a.voorbeeld:
                return False, f"aanbieder '{a.id}' in regio '{r.regio.id}' is geen voorbeeld (voorbeeld: true ontbreekt)"
    return True, ""


def maak_demo_accounts(regio_ids: list[str], data: Path | None = None) -> list[tuple[str, str, str]]:
    """Demo accounts per role with fresh random passwords (printed at each start); returns (e-mail, rol,
    wachtwoord). With `data`, also an aanbieder account for the portal: the first aanbieder of the first region."""
    uit = []
    for email, rol in DEMO_ACCOUNTS:
        wachtwoord = "demo-" + secrets.token_urlsafe(9)
        voeg_gebruiker_toe(email, rol, [] if rol == "beheerder" else regio_ids, wachtwoord, None, controleer=False)
        uit.append((email, rol, wachtwoord))
    if data is not None and regio_ids:
        from contractgen.laden.regio import load_dataset

        regios, _ = load_dataset(data)
        eerste = next((r for r in regios if r.regio.id == regio_ids[0] and r.aanbieders), None)
        if eerste is not None:
            aanbieder = sorted(eerste.aanbieders, key=lambda a: a.id)[0]
            wachtwoord = "demo-" + secrets.token_urlsafe(9)
            voeg_gebruiker_toe(DEMO_AANBIEDER, "aanbieder", [eerste.regio.id], wachtwoord, aanbieder.id,
                               controleer=False, naam=f"Demo {aanbieder.naam}")
            uit.append((DEMO_AANBIEDER, f"aanbieder ({aanbieder.naam})", wachtwoord))
    return uit


class GebruikerFout(ValueError):
    """A Dutch message for `gebruiker toevoegen`."""


def voeg_gebruiker_toe(email: str, rol: str, regios: list[str], wachtwoord: str, aanbieder: str | None,
                       controleer: bool = True, naam: str = ""):
    """Create or update the account `email` with `rol` in each of `regios` (a beheerder: all regions).

    Errors (GebruikerFout, Dutch): an invalid address, an unknown role or region, a password the
    password validators refuse (their messages), an aanbieder role without aanbieder.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    from django.db import transaction

    from contractgen.werkplaats.omgeving import regio_mappen
    from contractgen.werkplaats.toegang.models import Rol, Toegang

    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise GebruikerFout(f"'{email}' is geen geldig e-mailadres; verwacht bijv. naam@gemeente.nl") from None
    if rol not in Rol.values:
        raise GebruikerFout(f"onbekende rol '{rol}'; kies uit {', '.join(Rol.values)}")
    bekend = regio_mappen()
    for r in regios:
        if r not in bekend:
            raise GebruikerFout(f"onbekende regio '{r}'; bekend: {', '.join(sorted(bekend)) or '(geen)'}")
    if rol != Rol.BEHEERDER and not regios:
        raise GebruikerFout(f"de rol {rol} hoort bij een regio; geef --regio ID (bekend: {', '.join(sorted(bekend))})")
    if rol == Rol.AANBIEDER and not aanbieder:
        raise GebruikerFout("de rol aanbieder hoort bij een aanbieder; geef --aanbieder ID")
    Gebruiker = get_user_model()
    with transaction.atomic():
        gebruiker, nieuw = Gebruiker.objects.get_or_create(username=email, defaults={"email": email})
        if controleer:
            try:
                validate_password(wachtwoord, gebruiker)
            except ValidationError as fout:
                raise GebruikerFout("wachtwoord geweigerd: " + " ".join(fout.messages)) from None
        gebruiker.set_password(wachtwoord)
        gebruiker.email = email
        if naam:
            gebruiker.first_name = naam
        if rol == Rol.BEHEERDER:
            gebruiker.is_staff = gebruiker.is_superuser = True
        gebruiker.save()
        for r in regios or [""]:
            Toegang.objects.get_or_create(gebruiker=gebruiker, rol=rol, regio="" if rol == Rol.BEHEERDER else r,
                                          aanbieder=aanbieder or "")
    return gebruiker
