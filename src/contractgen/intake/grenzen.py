"""Limits of an import (csv/xlsx), checked before memory is spent; each message states its limit.

A spreadsheet from outside may be hostile or broken: an xlsx of 6 KB can declare the sheet
A1:XFD1048576 (openpyxl would pad every row to 16384 cells), a 2 MB xlsx can unpack to 2 GB of
whitespace, a cell can hold megabytes that `validate` would then refuse in the YAML it became.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

MAX_BESTAND = 10 * 1024 * 1024  # bytes of the file as given
MAX_UITGEPAKT = 100 * 1024 * 1024  # xlsx: bytes of all its parts unpacked
MAX_RIJEN = 10_000  # rows, header included (a region has tens of aanbieders)
MAX_KOLOMMEN = 500  # columns (an answer per kwaliteitseis is about 60)
MAX_CEL = 32_767  # characters in one cell: Excel's own limit
MAX_RIJ = 1_000_000  # characters in one row: one aanbieder file stays well under validate's 5 MB


class GrensOverschreden(Exception):
    """The file exceeds a limit; str() is the Dutch message with the place and the limit."""


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def controleer_grootte(pad: Path) -> None:
    grootte = pad.stat().st_size
    if grootte > MAX_BESTAND:
        raise GrensOverschreden(f"het bestand is te groot ({_mb(grootte)}); verwacht hoogstens {_mb(MAX_BESTAND)}")


def controleer_xlsx(pad: Path) -> None:
    """The unpacked size an xlsx declares, before openpyxl unpacks anything."""
    try:
        with zipfile.ZipFile(pad) as z:
            uitgepakt = sum(i.file_size for i in z.infolist())
    except (OSError, zipfile.BadZipFile):
        return  # not a zip: openpyxl's own error names it
    if uitgepakt > MAX_UITGEPAKT:
        raise GrensOverschreden(f"het Excel-bestand is uitgepakt te groot ({_mb(uitgepakt)}); verwacht hoogstens "
                                f"{_mb(MAX_UITGEPAKT)} (bevat het lege rijen of kolommen met opmaak?)")


def _kolomnaam(index: int) -> str:
    naam = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        naam = chr(65 + rest) + naam
    return naam


def begrensd(rijen: Iterable[Iterable[Any]]) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of every row with a value, trailing empty cells dropped.

    Raises GrensOverschreden at the first excess. Empty rows are neither kept nor counted: a sheet
    whose only far cell is XFD1048576 costs a million empty tuples, not a million padded rows.
    """
    gevuld = 0
    for nummer, rij in enumerate(rijen, start=1):
        cellen = list(rij)
        while cellen and cellen[-1] in (None, ""):
            cellen.pop()
        if not cellen:
            continue
        gevuld += 1
        if gevuld > MAX_RIJEN:
            raise GrensOverschreden(f"regel {nummer}: meer dan {MAX_RIJEN} rijen; verwacht hoogstens {MAX_RIJEN}")
        if len(cellen) > MAX_KOLOMMEN:
            raise GrensOverschreden(f"regel {nummer}: meer dan {MAX_KOLOMMEN} kolommen ({len(cellen)}); verwacht "
                                    f"hoogstens {MAX_KOLOMMEN}")
        totaal = 0
        for i, cel in enumerate(cellen):
            lengte = len(cel) if isinstance(cel, str) else 0
            totaal += lengte
            if lengte > MAX_CEL:
                raise GrensOverschreden(f"regel {nummer}, kolom {_kolomnaam(i)}: de cel bevat {lengte} tekens; "
                                        f"verwacht hoogstens {MAX_CEL} (de grens van Excel)")
        if totaal > MAX_RIJ:
            raise GrensOverschreden(f"regel {nummer}: de rij bevat {totaal} tekens; verwacht hoogstens {MAX_RIJ}")
        yield nummer, cellen
