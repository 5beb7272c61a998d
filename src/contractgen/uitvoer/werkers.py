"""Forked worker processes for the build's CPU-bound steps (rendering, finishing PDFs).

Tasks are plain indexes into data the parent set before the pool started; workers inherit it
through fork, so nothing large is pickled. Workers ignore Ctrl-C (the parent stops the pool),
take SIGTERM's default action and die with the parent, also when the parent is killed with
SIGKILL. A fault-injection step reached in a worker signals the build (the parent), as a
test means it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from typing import TypeVar

from contractgen.basis import foutinjectie
from contractgen.uitvoer.signalen import sterf_met_ouder

T = TypeVar("T")
MAX_WERKERS = 8


def aantal_kernen() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _werker_start(ouder: int) -> None:
    # Ctrl-C is for the parent: it stops the pool; workers that also caught it could deadlock
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # pool.terminate() must end a worker, not raise in it
    sterf_met_ouder(ouder)
    foutinjectie.richt_op(ouder)


def in_werkers(functie: Callable[[int], T], taken: list[int], parallel: bool = True,
               chunksize: int = 1) -> Iterator[T]:
    """`functie(taak)` for every task, in task order; in forked workers when `parallel` and it pays.

    `functie` must be a module-level function reading what it needs from module state set before
    this call. Exceptions in a worker are raised here; leaving the loop early stops the workers.
    """
    werkers = min(aantal_kernen(), MAX_WERKERS, len(taken))
    if not parallel or werkers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for taak in taken:
            yield functie(taak)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(werkers, initializer=_werker_start, initargs=(os.getpid(),)) as pool:
        yield from pool.imap(functie, taken, chunksize=chunksize)
