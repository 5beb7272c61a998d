"""One build per output folder at a time; readers see whole generations.

Two lock files in the output folder's `.cache/` (the tool's own state, next to the PDF cache),
both `fcntl.flock` (released by the kernel when the holder dies, so a killed build never leaves
a stale lock):
- `bouw.lock`, held exclusively for a whole build. It names its holder (pid, user, host,
  start) so that a second build can say who is building; that build waits GEDULD s, then stops.
- `wissel.lock`, held exclusively only while finished folders are swapped into place or an
  interrupted swap is repaired; readers (`overzicht`) hold it shared, so they never see a
  folder between its old and its new version.
"""

from __future__ import annotations

import fcntl
import getpass
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from contractgen.basis.tekst import toonbaar
from contractgen.basis.transactie import BezetFout

__all__ = ["BezetFout", "bouwslot", "probeer_bouwslot", "wisselslot"]

BOUWSLOT = ".cache/bouw.lock"  # also taken by ondertekening/opslag.py while a signed PDF is stored
WISSELSLOT = ".cache/wissel.lock"


def _open(pad: Path) -> int:
    pad.parent.mkdir(parents=True, exist_ok=True)
    return os.open(pad, os.O_RDWR | os.O_CREAT, 0o644)


def _houder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        info = json.loads(os.read(fd, 4096) or b"{}")
    except (OSError, ValueError):
        return "een ander proces"
    if not isinstance(info, dict) or "pid" not in info:
        return "een ander proces"
    sinds = time.strftime("%d-%m-%Y %H:%M:%S", time.localtime(info.get("start", 0)))
    return toonbaar(f"proces {info['pid']} van {info.get('gebruiker', '?')} op {info.get('host', '?')} (sinds {sinds})")


# Seconds a build waits for the lock. A build killed while forking LibreOffice leaves a child that
# holds a copy of the lock until it execs (seen under load); the wait also lets the orphan check see it.
GEDULD = 3.0


def _neem(fd: int, geduld: float) -> bool:
    einde = time.monotonic() + geduld
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= einde:
                return False
            time.sleep(0.05)


@contextmanager
def bouwslot(uitvoer: Path) -> Iterator[None]:
    """Hold `<uitvoer>/.cache/bouw.lock` for a build; raises BezetFout naming the holder if it is taken."""
    pad = Path(uitvoer) / BOUWSLOT
    fd = _open(pad)
    try:
        if not _neem(fd, GEDULD):
            raise BezetFout(f"de uitvoermap '{toonbaar(uitvoer)}' wordt al gebouwd door {_houder(fd)}; wacht "
                            "tot die bouw klaar is en probeer het dan opnieuw (één bouw per uitvoermap tegelijk)"
                            ) from None
        try:
            gebruiker = getpass.getuser()
        except (KeyError, OSError):
            gebruiker = str(os.getuid())
        info = json.dumps({"pid": os.getpid(), "gebruiker": gebruiker, "host": socket.gethostname(),
                           "start": time.time()}).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, info, 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # nobody holds it now (and a rebuild leaves the same bytes)
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def wisselslot(uitvoer: Path, gedeeld: bool = False) -> Iterator[None]:
    """Hold `<uitvoer>/.cache/wissel.lock`: exclusive to swap or repair, shared to read a consistent state."""
    fd = _open(Path(uitvoer) / WISSELSLOT)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if gedeeld else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def probeer_bouwslot(uitvoer: Path) -> int | None:
    """The build lock if nobody holds it (an open fd: close it to release), else None."""
    fd = _open(Path(uitvoer) / BOUWSLOT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd
