"""`diff`: what changed between two versions of the data, for juristen."""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import click

from contractgen.cli.basis import main


@main.command()
@click.argument("oud")
@click.argument("nieuw")
@click.option("--document", metavar="ID", help="Vergelijk alleen dit document (of de tariefset met dit id).")
@click.option("--formaat", type=click.Choice(["tekst", "html", "docx"]), default="tekst", show_default=True,
              help="tekst: voor de terminal; html: één bestand, naast elkaar; docx: Word met bijgehouden wijzigingen.")
@click.option("--uitvoer", type=click.Path(path_type=Path, dir_okay=False), metavar="BESTAND",
              help="Schrijf naar BESTAND (standaard: het scherm; bij docx: <document>-redline.docx).")
@click.option("--exit-code", is_flag=True, help="Eindig met code 1 als er verschillen zijn (zoals git diff --exit-code).")
@click.option("--auteur", metavar="NAAM",
              help="Auteur van de bijgehouden wijzigingen in docx (standaard: git config user.name, anders uw gebruikersnaam).")
def diff(oud: str, nieuw: str, document: str | None, formaat: str, uitvoer: Path | None, exit_code: bool,
         auteur: str | None):
    """Vergelijk OUD met NIEUW: artikelen en leden op id, tekst woord voor woord, tarieven per productcode.

    OUD en NIEUW zijn elk een datamap of YAML-bestand, met @JJJJ-MM-DD voor de versies die op die
    peildatum gelden, of git:REV[:PAD] voor de data in een git-revisie (standaard PAD: contracts_data).

    \b
    Voorbeelden:
      contractgen diff contracts_data@2015-01-01 contracts_data@2018-01-01
      contractgen diff git:HEAD~1 contracts_data --document dvo --formaat docx
    """
    from contractgen.diff.bron import laad_kant
    from contractgen.diff.vergelijk import vergelijk

    # a redline leaves an aanbieder field blank as the built document does: accepting it gives that document
    v = vergelijk(laad_kant(oud), laad_kant(nieuw), document, velden="leeg" if formaat == "docx" else "woorden")
    if formaat == "docx":
        from contractgen.basis.namen import veilige_naam
        from contractgen.diff.redline import kies_document, schrijf_redline

        d = kies_document(v)
        r = schrijf_redline(d, date.today(), uitvoer or Path(f"{veilige_naam(d.sleutel)}-redline.docx"),
                            auteur or standaard_auteur(), v.oud.beschrijving(), v.nieuw.beschrijving())
        verplaatst = f", {r.verplaatsingen} verplaatst(e) lid/leden" if r.verplaatsingen else ""
        click.echo(f"{r.pad}: {r.invoegingen} invoeging(en) en {r.verwijderingen} verwijdering(en){verplaatst} "
                   f"als bijgehouden wijzigingen")
    else:
        if formaat == "html":
            from contractgen.diff.html import html

            uit = html(v)
        else:
            from contractgen.diff.tekst import tekst

            kleur = uitvoer is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
            uit = tekst(v, kleur=kleur, breedte=min(shutil.get_terminal_size((100, 24)).columns, 120) if kleur else 100)
        if uitvoer:
            uitvoer.write_text(uit, encoding="utf-8")
            click.echo(f"geschreven: {uitvoer}")
        else:
            click.echo(uit, nl=False)
    if exit_code and v.heeft_verschillen:
        sys.exit(1)


def standaard_auteur() -> str:
    """Who signs the tracked changes: git's user.name where set, else the login name."""
    try:
        naam = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, check=False).stdout.strip()
    except FileNotFoundError:
        naam = ""
    if naam:
        return naam
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without passwd entry)
        return "contractgen"
