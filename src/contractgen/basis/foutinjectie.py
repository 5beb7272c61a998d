"""Fault injection for tests: kill or signal this process at a named step.

`CONTRACTGEN_FOUTINJECTIE=wissel-nieuw-1:SIGKILL` makes the build send itself SIGKILL when it
reaches step `wissel-nieuw-1` (the second folder moved into place); without a signal name it is
SIGKILL. Steps are named where they are called (`punt("...")`). Unset, `punt` costs one dict lookup.
"""

from __future__ import annotations

import os
import signal

OMGEVING = "CONTRACTGEN_FOUTINJECTIE"


def punt(naam: str) -> None:
    """Send the configured signal to this process if `naam` is the configured step."""
    waarde = os.environ.get(OMGEVING)
    if not waarde:
        return
    stap, _, sein = waarde.partition(":")
    if stap == naam:
        os.kill(os.getpid(), getattr(signal, sein or "SIGKILL"))
