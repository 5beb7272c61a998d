"""Stage: cli — thin click commands over the pipeline, one module per command group.

`basis` holds the group, shared options and error handling; `bouwen` (validate, build),
`rapporten` (check, voorrang, overzicht), `verschil` (diff) and `intake` (aanbieders,
tarieven) register their commands on it when imported here; the signing loop's commands
(ontvangen, onderteken) live in `contractgen.ondertekening.commandos`.
"""

from __future__ import annotations

from contractgen.cli import bouwen, intake, rapporten, verschil  # noqa: F401  (register the commands)
from contractgen.cli.basis import main
from contractgen.ondertekening.commandos import registreer

registreer(main)  # ontvangen, onderteken (issue 17)

__all__ = ["main"]
