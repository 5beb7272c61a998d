"""Stage: cli — thin click commands over the pipeline, one module per command group.

`basis` holds the group, shared options and error handling; `bouwen` (validate, build),
`rapporten` (check, voorrang, overzicht), `verschil` (diff), `intake` (aanbieders,
tarieven), `jaar` (jaarwissel, tarieven vaststellen), `ondertekenen` (ontvangen, onderteken) and
`word` (wijzigingen importeer, importeer-document) register their commands on it when imported here.
Commands of other faces (the workplace: `werkplaats`, `werker`, `gebruiker`) come in through the entry
point group `contractgen.commandos`, so this package never imports them.
"""

from __future__ import annotations

from contractgen.cli import (  # noqa: F401  (register the commands)
    bouwen,
    intake,
    jaar,
    ondertekenen,
    rapporten,
    verschil,
    word,
)
from contractgen.cli.basis import main, voeg_commandos_toe

voeg_commandos_toe()

__all__ = ["main"]
