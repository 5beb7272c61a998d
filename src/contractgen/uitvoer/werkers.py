"""Forked worker processes for the build's CPU-bound steps (rendering, finishing PDFs).

Tasks are plain indexes into data the parent set before the pool started; workers inherit it
through fork, so nothing large is pickled. Workers ignore Ctrl-C (the parent stops the pool),
take SIGTERM's default action and die with the parent, also when the parent is killed with
SIGKILL. A fault-injection step reached in a worker signals the build (the parent), as a
test means it. A worker that dies (the kernel's OOM killer, a crash in a C library) stops the
build with `WerkerFout` instead of leaving it waiting forever for that worker's task (what
multiprocessing.Pool would do).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from contractgen.basis import foutinjectie
from contractgen.basis.problemen import Weigering
from contractgen.basis.signalen import sterf_met_ouder

T = TypeVar("T")
MAX_WERKERS = 8


class WerkerFout(Weigering):
    """A worker process of the build died before it finished its task."""


def aantal_kernen() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _werker_start(ouder: int, aanmelding=None) -> None:
    if aanmelding is not None:
        aanmelding.put(os.getpid())  # the parent watches this pid
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
    aanmelding = context.SimpleQueue()  # workers send their pid: the parent can stop them at once
    pool = ProcessPoolExecutor(werkers, mp_context=context, initializer=_werker_start,
                               initargs=(os.getpid(), aanmelding))
    try:
        # unlike multiprocessing.Pool, which waits forever for the task of a worker that died
        # (and can hang in terminate()), the executor reports a dead worker as BrokenProcessPool
        yield from pool.map(functie, taken, chunksize=chunksize)
    except BrokenProcessPool as fout:
        raise WerkerFout("een werkproces van de bouw is onverwacht gestopt (bijvoorbeeld door geheugengebrek "
                         "of een signaal); er is niets veranderd in de uitvoer") from fout
    finally:
        # Ctrl-C, an error or a consumer that stops early: workers ignore SIGINT, so end them here
        # rather than let them finish tasks nobody waits for
        while not aanmelding.empty():
            _stop(aanmelding.get())
        pool.shutdown(wait=True, cancel_futures=True)


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass  # already gone
