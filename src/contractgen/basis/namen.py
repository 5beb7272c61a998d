"""Names of files and folders: safe to create, and readable in messages."""

from __future__ import annotations

import re
from pathlib import Path


def veilige_naam(tekst: str) -> str:
    """A file or folder name (≤ 80 characters) that cannot escape the output folder or upset a file system."""
    naam = re.sub(r"[^A-Za-z0-9._-]+", "-", tekst).strip("-.")
    return naam[:80] or "document"


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as messages show it: relative to `root` or the working directory where possible."""
    path = Path(path)
    try:
        # the folder resolved, the name itself not: a symbolic link is named as itself (also one in a loop)
        echt = path.parent.resolve() / path.name if path.name else path.resolve()
    except (OSError, RuntimeError):
        return str(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return str(echt.relative_to(Path(base).resolve()))
        except ValueError:
            continue
    return str(path)
