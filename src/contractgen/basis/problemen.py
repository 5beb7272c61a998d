"""Problems found in the data: one type, one Dutch message format for every stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Probleem:
    """`bestand:regel:kolom: veld.pad: bericht` — what is wrong and what is expected."""

    bestand: str
    regel: int = 0
    kolom: int = 0
    pad: str = ""
    bericht: str = ""
    ernst: str = field(default="fout", compare=False)  # fout | waarschuwing

    def __str__(self) -> str:
        plaats = self.bestand
        if self.regel:
            plaats += f":{self.regel}:{self.kolom or 1}"
        pad = f" {self.pad}:" if self.pad else ""
        return f"{plaats}:{pad} {self.bericht}"


class DataFout(Exception):
    """Raised when data cannot be used; carries every problem found."""

    def __init__(self, problemen: list[Probleem]):
        self.problemen = sorted(problemen)
        super().__init__("\n".join(str(p) for p in self.problemen))


def display_path(path: Path, root: Path | None = None) -> str:
    """Paths in messages are relative to the working directory where possible."""
    path = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return str(path.resolve().relative_to(Path(base).resolve()))
        except ValueError:
            continue
    return str(path)
