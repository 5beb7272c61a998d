"""Write a file whole or not at all: into a temporary file beside it, then os.replace."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Callable


def _lees_umask() -> int:
    masker = os.umask(0)
    os.umask(masker)
    return masker


_UMASK = _lees_umask()  # once, at start-up: os.umask can only be read by setting it


def _gewone_rechten(pad: str | Path) -> None:
    """mkstemp makes a file only its owner may read (0600); the result is an ordinary file (0666 minus umask)."""
    os.chmod(pad, 0o666 & ~_UMASK)


def schrijf_atomisch(doel: Path, schrijf: Callable[[Path], Any]) -> None:
    """Call `schrijf(tijdelijk_pad)`, then move the result onto `doel`; on any error `doel` is untouched."""
    doel = Path(doel)
    fd, naam = tempfile.mkstemp(prefix=f".{doel.name}.", suffix=".tmp", dir=doel.parent if str(doel.parent) else ".")
    os.close(fd)
    tijdelijk = Path(naam)
    try:
        schrijf(tijdelijk)
        _gewone_rechten(tijdelijk)
        os.replace(tijdelijk, doel)
    finally:
        tijdelijk.unlink(missing_ok=True)


def fsync_map(map_: Path) -> None:
    """Make a rename in `map_` durable; file systems that cannot sync a folder are left as they are."""
    try:
        fd = os.open(map_, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # the rename itself is still atomic
    finally:
        os.close(fd)


def schrijf_bytes(doel: Path, data: bytes) -> None:
    """Write `data` to `doel` so that after a crash it holds the old or the new bytes (temp, fsync, rename).

    Creates the folder if needed. Raises OSError (disk full, no permission); `doel` is then untouched.
    """
    doel = Path(doel)
    doel.parent.mkdir(parents=True, exist_ok=True)
    fd, naam = tempfile.mkstemp(prefix=f".{doel.name}.", suffix=".tmp", dir=doel.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        _gewone_rechten(naam)
        os.replace(naam, doel)
    except BaseException:
        Path(naam).unlink(missing_ok=True)
        raise
    fsync_map(doel.parent)
