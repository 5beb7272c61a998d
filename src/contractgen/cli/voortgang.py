"""Progress of a long command: a bar with an estimate per stage on a terminal, a line per stage otherwise.

The build reports (done, total, stage) through `uitvoer.renderen.Voortgang`; stages follow
each other (Word-documenten, PDF (LibreOffice), PDF-velden en pakketten). On a terminal each
stage gets click's progress bar (position, percentage, time left); in a log or a pipe each
stage ends with one line saying how many and how long.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

import click


class Voortgangsweergave:
    """Callable as the build's `voortgang`; call `sluit()` when the command is done."""

    def __init__(self, terminal: bool | None = None, uit: TextIO | None = None):
        self.uit = uit or sys.stderr
        self.terminal = self.uit.isatty() if terminal is None else terminal
        self.stap: str | None = None
        self.balk: Any = None  # click's ProgressBar of the current stage (terminal only)
        self.klaar = 0
        self.totaal = 0
        self.begin = 0.0

    def __call__(self, klaar: int, totaal: int, stap: str) -> None:
        if stap != self.stap:
            self.sluit()
            self.stap, self.totaal, self.klaar, self.begin = stap, totaal, 0, time.monotonic()
            if self.terminal:
                self.balk = click.progressbar(length=max(totaal, 1), label=f"{stap:<24}", file=self.uit,
                                              show_pos=True, show_eta=True, width=30)
                self.balk.__enter__()
        if self.balk is not None and klaar > self.klaar:
            self.balk.update(klaar - self.klaar)
        self.klaar = max(self.klaar, klaar)

    def sluit(self, afgebroken: bool = False) -> None:
        """End the current stage: finish its bar, or write its line (not for a stage cut off by an error)."""
        if self.stap is None:
            return
        if self.balk is not None:
            self.balk.__exit__(None, None, None)
            self.balk = None
        elif not afgebroken:
            duur = time.monotonic() - self.begin
            click.echo(f"{self.stap}: {self.klaar} van {self.totaal} in {duur:.1f} s".replace(".", ","), file=self.uit)
        self.stap = None
