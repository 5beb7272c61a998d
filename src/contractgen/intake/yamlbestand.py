"""Writing contract data from existing files (jaarwissel, tarieven indexeer/vaststellen).

Reading and dumping are `intake.yaml_rond` (ruamel.yaml round-trip: comments, key order, quoting
and flow style kept, so a file written from an existing one differs only where a value changed).
This module adds what the yearly cycle needs on top: quoting a new value like the old one, small
flow mappings, a date one year on, and writing several files all or none.
"""

from __future__ import annotations

import calendar
import os
from datetime import date, timedelta
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
    """`d` moved `jaren` years; the last day of a month stays the last day of that month
    (2019-02-28 → 2020-02-29, 2020-02-29 → 2021-02-28): a looptijd that ends with a month must
    leave no day of the next version uncovered (issue 29)."""
    doel = d.year + jaren
    if (d + timedelta(days=1)).month != d.month:  # the month's last day
        return date(doel, d.month, calendar.monthrange(doel, d.month)[1])
    return d.replace(year=doel)


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
