"""Writing contract data from existing files (jaarwissel, tarieven indexeer/vaststellen).

Reading and dumping are `intake.yaml_rond` (ruamel.yaml round-trip: comments, key order, quoting
and flow style kept, so a file written from an existing one differs only where a value changed).
This module adds what the yearly cycle needs on top: quoting a new value like the old one, small
flow mappings, a date one year on, and writing several files as one transaction.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from contractgen.basis.transactie import Auteur, Transactie
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


def schrijf_alles(regio_map: Path, bestanden: list[tuple[Path, str]], handeling: str, *,
                 vereist: dict[Path, str | None] | None = None, auteur: Auteur | None = None,
                 git: bool = False) -> Transactie:
    """Write every (path, text) in `regio_map` as one transaction (basis/transactie.py): all or none, whatever
    stops it. `vereist`: path → sha256 of the file as it was read (None: it did not exist); when one differs
    now, nothing is written (GelijktijdigGewijzigd names who changed it). Returns the finished transaction
    (`commit`: the git commit with git=True)."""
    with Transactie(regio_map, handeling, auteur=auteur, git=git) as tx:
        for pad, sha in (vereist or {}).items():
            tx.vereis_ongewijzigd(pad, sha)
        for pad, inhoud in bestanden:
            tx.schrijf(pad, inhoud.encode("utf-8"))
    return tx
