"""The `contractgen` command group: options shared by commands and the one place errors become messages.

A `ContractgenFout` (bad data, template, conversion, import) is printed as its Dutch
messages with exit 1; an OSError (full disk, no permission) as one Dutch line; anything
else is an internal error: one line, and the traceback in a file whose path is printed.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
import time
import traceback
from datetime import date
from pathlib import Path

import click

from contractgen import __version__
from contractgen.basis.problemen import ContractgenFout
from contractgen.basis.tekst import toonbaar
from contractgen.cli import nl_click  # noqa: F401  (Dutch for click's own words)

STANDAARD_DATA = "contracts_data"


def peildatum_optie(ctx, param, waarde: str | None) -> date | None:
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
    }.get(fout.errno or 0, fout.strerror or str(fout))
    waar = f" '{toonbaar(fout.filename)}'" if fout.filename else ""
    if fout.errno in vol:
        return f"kan niet schrijven{waar}: schijf vol (geen ruimte meer); maak ruimte vrij en probeer het opnieuw"
    return f"kan{waar} niet lezen of schrijven: {wat}"


def _interne_fout(fout: BaseException) -> str:
    """Write the traceback to a file; the path, for a bug report."""
    pad = Path(tempfile.gettempdir()) / f"contractgen-fout-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    pad.write_text("".join(traceback.format_exception(fout)), encoding="utf-8")
    return str(pad)


class Groep(click.Group):
    """Turns user errors into Dutch messages and exit 1; tracebacks only with --debug."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ContractgenFout as fout:
            debug = bool(ctx.obj and ctx.obj.get("debug"))  # set by `main` inside super().invoke
            for regel in fout.meldingen():
                click.echo(regel, err=True)
            if fout.slot():
                click.echo(fout.slot(), err=True)
            if debug:
                raise
            ctx.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # output piped into `head`: the reader has all it wants
            sys.stderr.close()
            ctx.exit(0)
        except OSError as fout:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"fout: {_os_bericht(fout)}", err=True)
            ctx.exit(1)
        except Exception as fout:  # noqa: BLE001 - the one place that turns errors into messages
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"interne fout: {type(fout).__name__}: {toonbaar(fout)}", err=True)
            click.echo("Dit is een fout in contractgen, niet in uw gegevens; meld het met dit bestand: "
                       f"{_interne_fout(fout)} (gebruik --debug voor de technische details)", err=True)
            ctx.exit(1)


@click.group(cls=Groep, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--versie", message="contractgen %(version)s")
@click.option("--debug", is_flag=True, help="Toon technische details (traceback) bij fouten.")
@click.pass_context
def main(ctx, debug: bool):
    """contractgen: contracten sociaal domein uit één bron van waarheid (contracts_data/)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def een_regio(pad: Path):
    """The one region in PAD (a region folder, or a folder with exactly one region)."""
    from contractgen.regels import (
        load_valid,  # start-up speed: loaded only by commands that need data
    )

    regios = load_valid(pad)
    if len(regios) != 1:
        namen = ", ".join(r.regio.id for r in regios)
        raise click.UsageError(f"PAD bevat {len(regios)} regio's ({namen}); geef de map van één regio op, "
                               f"bijv. {pad}/{regios[0].regio.id if regios else '<regio>'}")
    return regios[0]


def voeg_commandos_toe() -> None:
    """Add the commands other faces register in the entry point group `contractgen.commandos`."""
    from importlib.metadata import entry_points

    for ingang in entry_points(group="contractgen.commandos"):
        if ingang.name not in main.commands:
            main.add_command(ingang.load(), ingang.name)
