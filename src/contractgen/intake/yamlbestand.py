"""Writing contract data from existing files (jaarwissel, tarieven indexeer/vaststellen).

Reading and dumping are `intake.yaml_rond` (ruamel.yaml round-trip: comments, key order, quoting
and flow style kept, so a file written from an existing one differs only where a value changed).
This module adds what the yearly cycle needs on top: quoting a new value like the old one, small
flow mappings, a date one year on, and writing several files all or none.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from contractgen.intake.yaml_rond import dump, laad


def lees(pad: Path) -> Any:
    return laad(pad)


def tekst(data: Any, kop: str = "") -> str:
    """The YAML text of `data`, after `kop` (comment lines about where the file came from)."""
    return kop + dump(data)


def zelfde_stijl(oud: Any, nieuw: str) -> str:
    """`nieuw` quoted the way `oud` was ("2018" stays double-quoted, '7591' single-quoted)."""
    if isinstance(oud, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(nieuw)
    if isinstance(oud, SingleQuotedScalarString):
        return SingleQuotedScalarString(nieuw)
    return nieuw


def bedrag(waarde: Decimal) -> str:
    """An amount as the data writes it: '2175', '16.50'."""
    return f"{waarde:f}"


def flow(**velden: Any) -> CommentedMap:
    """A small mapping written on one line, like `{van: 2019-01-01, tot: 2019-12-31}`."""
    kaart = CommentedMap(velden)
    kaart.fa.set_flow_style()
    return kaart


def jaar_later(d: date, jaren: int = 1) -> date:
    try:
        return d.replace(year=d.year + jaren)
    except ValueError:  # 29 februari
        return d.replace(year=d.year + jaren, day=28)


def schrijf_alles(bestanden: list[tuple[Path, str]]) -> None:
    """Write every (path, text) via a temporary file each, moved into place only when all are written.

    If moving one fails, the new files already moved are removed again (a file that existed is
    replaced atomically by os.replace and is either old or new, never half).
    """
    tijdelijk: list[tuple[Path, Path, bool]] = []
    geplaatst: list[Path] = []
    try:
        for pad, inhoud in bestanden:
            tmp = pad.with_name(f".{pad.name}.{os.getpid()}.tmp")
            tmp.write_text(inhoud, encoding="utf-8")
            tijdelijk.append((tmp, pad, pad.exists()))
        for tmp, pad, bestond in tijdelijk:
            os.replace(tmp, pad)
            if not bestond:
                geplaatst.append(pad)
    except BaseException:
        for tmp, _, _ in tijdelijk:
            tmp.unlink(missing_ok=True)
        for pad in geplaatst:
            pad.unlink(missing_ok=True)
        raise
