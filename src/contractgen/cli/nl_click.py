"""Dutch for click's own words (Usage, Options, Error, ...): users read help and errors in Dutch.

click translates through gettext; with no Dutch catalogue installed we hand it ours.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

NL = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "default: {default}": "standaard: {default}",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor hulp.",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende parameter",
    "Missing command.": "Geef een opdracht.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "Aborted!": "Afgebroken.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "{value!r} is not {choice}.": "{value!r} is niet {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} is geen van {choices}.",
    "Option {name!r} requires an argument.": "Optie {name!r} heeft een waarde nodig.",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
}


def _vertaal(tekst: str) -> str:
    return NL.get(tekst, tekst)


def _vertaal_meervoud(enkel: str, meer: str, n: int) -> str:
    return _vertaal(enkel if n == 1 else meer)


for _module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
    if hasattr(_module, "_"):
        _module._ = _vertaal  # type: ignore[attr-defined]  # click's gettext hook (click < 9, see pyproject)
    if hasattr(_module, "ngettext"):
        _module.ngettext = _vertaal_meervoud  # type: ignore[attr-defined]
