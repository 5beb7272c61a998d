"""Fault injection for tests: kill or signal this process at a named step.

`CONTRACTGEN_FOUTINJECTIE=wissel-nieuw-1:SIGKILL` makes the build send itself SIGKILL when it
reaches step `wissel-nieuw-1` (the second folder moved into place); without a signal name it is
SIGKILL. Steps are named where they are called (`punt("...")`). Unset, `punt` costs two dict lookups.
`CONTRACTGEN_FOUTINJECTIE_LOG=<bestand>` appends the name of every step reached to that file, so a test
can first learn a command's steps and then stop it at each of them.
"""

from __future__ import annotations

import os
import signal

OMGEVING = "CONTRACTGEN_FOUTINJECTIE"
LOG = "CONTRACTGEN_FOUTINJECTIE_LOG"
_DOEL: int | None = None  # the process to signal; None: this one


def richt_op(pid: int) -> None:
    """Signal `pid` instead of this process (a build's worker signals the build)."""
    global _DOEL
    _DOEL = pid


def punt(naam: str) -> None:
    """Send the configured signal to this process (or the one set by `richt_op`) if `naam` is the configured step."""
    log = os.environ.get(LOG)
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(naam + "\n")
    waarde = os.environ.get(OMGEVING)
    if not waarde:
        return
    stap, _, sein = waarde.partition(":")
    if stap == naam:
        os.kill(_DOEL or os.getpid(), getattr(signal, sein or "SIGKILL"))
