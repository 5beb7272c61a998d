"""SHA-256 of files and bytes, as manifests and content keys record them (hex digests)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_bestand(pad: Path) -> str:
    """Hex SHA-256 of a file's bytes; raises OSError when it cannot be read."""
    return hashlib.sha256(Path(pad).read_bytes()).hexdigest()
