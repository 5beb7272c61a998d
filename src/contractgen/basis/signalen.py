"""Signals during a build: SIGTERM stops it like Ctrl-C (clean-up runs), and a swap is never cut in half.

SIGKILL and power cuts cannot be caught; for those the swap journal (`wissel.py`) and the
orphan check of LibreOffice (`libreoffice.py`) repair what is left at the next start.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

AFBREEKSEINEN = (signal.SIGINT, signal.SIGTERM)


def _hoofdthread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _onderbreek(signum, frame) -> None:
    raise KeyboardInterrupt  # the same path as Ctrl-C: finally blocks remove temp folders, stop LibreOffice


@contextmanager
def sigterm_als_ctrl_c() -> Iterator[None]:
    """SIGTERM (kill, systemd, a cron time-out) raises KeyboardInterrupt in the main thread while inside."""
    if not _hoofdthread():
        yield
        return
    vorige = signal.signal(signal.SIGTERM, _onderbreek)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, vorige)


@contextmanager
def uitgesteld() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (a swap of renames takes milliseconds)."""
    if not _hoofdthread():
        yield
        return
    ontvangen: list[signal.Signals] = []
    vorige = {s: signal.signal(s, lambda signum, frame: ontvangen.append(signal.Signals(signum)))
              for s in AFBREEKSEINEN}
    try:
        yield
    finally:
        for s, handler in vorige.items():
            signal.signal(s, handler)
    if ontvangen:
        handler = vorige[ontvangen[0]]
        if callable(handler):
            handler(ontvangen[0], None)
        elif handler == signal.SIG_DFL:
            raise KeyboardInterrupt


def sterf_met_ouder(ouder: int) -> None:
    """Linux: let the kernel SIGKILL this (child) process when its parent dies, even by SIGKILL.

    Only for direct children; `ouder` is the parent's pid, to catch a parent that died before this call.
    """
    if sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != ouder:
        os._exit(1)
