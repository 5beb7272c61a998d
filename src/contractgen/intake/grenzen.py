"""Limits of an import (csv/xlsx) that `tabel.py` checks besides its size and row limits, before
memory is spent; each message states its limit.

A spreadsheet from outside may be hostile or broken: an xlsx of 6 KB can declare the sheet
A1:XFD1048576 and hold one cell at XFD1048576 (openpyxl pads every row to the declared width),
a 2 MB xlsx can unpack to 2 GB of whitespace, a cell can hold megabytes that `validate` would
then refuse in the YAML it became, and Python's csv module stops at 128 KB with an English error.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from contractgen.basis.veilig import controleer_zip

MAX_UITGEPAKT = 100 * 1024 * 1024  # xlsx: bytes of all its parts unpacked
MAX_KOLOMMEN = 500  # columns (an answer per kwaliteitseis is about 60)
MAX_CEL = 32_767  # characters in one cell: Excel's own limit
MAX_RIJ = 1_000_000  # characters in one row: one aanbieder file stays well under validate's 5 MB


class GrensOverschreden(Exception):
    """The file exceeds a limit; str() is the Dutch message with the limit, `regel`/`kolom` the place (1-based)."""

    def __init__(self, bericht: str, regel: int = 0, kolom: int = 0):
        super().__init__(bericht)
        self.regel, self.kolom = regel, kolom


def controleer_xlsx(pad: Path) -> None:
    """The unpacked size an xlsx declares, its members' ratios and DTDs (basis/veilig.py), before openpyxl
    unpacks anything. Raises GrensOverschreden or veilig.Onveilig."""
    try:
        with zipfile.ZipFile(pad) as z:
            uitgepakt = sum(i.file_size for i in z.infolist())
    except (OSError, zipfile.BadZipFile):
        return  # not a zip: openpyxl's own error names it
    if uitgepakt > MAX_UITGEPAKT:
        raise GrensOverschreden(f"het Excel-bestand is uitgepakt te groot ({uitgepakt / 1024 / 1024:.1f} MB); "
                                f"verwacht hoogstens {MAX_UITGEPAKT // 1024 // 1024} MB (bevat het lege rijen of "
                                "kolommen met opmaak?)")
    controleer_zip(pad, MAX_UITGEPAKT, "Excel-bestand")


def controleer_rij(nummer: int, cellen: Sequence[Any]) -> None:
    """Columns (trailing empty cells not counted), characters per cell and per row."""
    breedte = len(cellen)
    while breedte and cellen[breedte - 1] in (None, ""):
        breedte -= 1
    if breedte > MAX_KOLOMMEN:
        raise GrensOverschreden(f"meer dan {MAX_KOLOMMEN} kolommen ({breedte}); verwacht hoogstens {MAX_KOLOMMEN}",
                                nummer, 0)
    totaal = 0
    for i, cel in enumerate(cellen[:breedte], start=1):
        lengte = len(cel) if isinstance(cel, str) else 0
        totaal += lengte
        if lengte > MAX_CEL:
            raise GrensOverschreden(f"de cel bevat {lengte} tekens; verwacht hoogstens {MAX_CEL} (de grens van Excel)",
                                    nummer, i)
    if totaal > MAX_RIJ:
        raise GrensOverschreden(f"de rij bevat {totaal} tekens; verwacht hoogstens {MAX_RIJ}", nummer, 0)
