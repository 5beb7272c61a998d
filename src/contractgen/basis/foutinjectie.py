"""Fault injection for tests: kill or signal this process at a named step.

`CONTRACTGEN_FOUTINJECTIE=wissel-nieuw-1:SIGKILL` makes the build send itself SIGKILL when it
reaches step `wissel-nieuw-1` (the second folder moved into place); without a signal name it is
SIGKILL. Steps are named where they are called (`punt("...")`). Unset, `punt` costs one dict lookup.
"""

from __future__ import annotations

import os
import signal

OMGEVING = "CONTRACTGEN_FOUTINJECTIE"
_DOEL: int | None = None  # the process to signal; None: this one


def richt_op(pid: int) -> None:
    """Signal `pid` instead of this process (a build's worker signals the build)."""
    global _DOEL
    _DOEL = pid


def punt(naam: str) -> None:
    """Send the configured signal to this process (or the one set by `richt_op`) if `naam` is the configured step."""
    waarde = os.environ.get(OMGEVING)
    if not waarde:
        return
    stap, _, sein = waarde.partition(":")
    if stap == naam:
        os.kill(_DOEL or os.getpid(), getattr(signal, sein or "SIGKILL"))
