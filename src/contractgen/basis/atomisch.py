"""Write a file whole or not at all: into a temporary file beside it, then os.replace."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Callable


def schrijf_atomisch(doel: Path, schrijf: Callable[[Path], Any]) -> None:
    """Call `schrijf(tijdelijk_pad)`, then move the result onto `doel`; on any error `doel` is untouched."""
    doel = Path(doel)
    fd, naam = tempfile.mkstemp(prefix=f".{doel.name}.", suffix=".tmp", dir=doel.parent if str(doel.parent) else ".")
    os.close(fd)
    tijdelijk = Path(naam)
    try:
        schrijf(tijdelijk)
        os.replace(tijdelijk, doel)
    finally:
        tijdelijk.unlink(missing_ok=True)
