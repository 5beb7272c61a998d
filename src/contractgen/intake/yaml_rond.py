"""Round-trip YAML (ruamel.yaml): edit a data file and keep its comments, quotes and layout.

Loading and dumping an unchanged file of contracts_data/ gives the same bytes (tested), so
a new version differs from the old one only where something was changed.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString


def _yaml() -> YAML:
    y = YAML()  # round-trip mode
    y.preserve_quotes = True
    y.width = 100_000  # never fold a long contract sentence
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def laad(pad: Path) -> Any:
    return _yaml().load(pad.read_text(encoding="utf-8"))


def laad_tekst(tekst: str) -> Any:
    return _yaml().load(tekst)


def dump(data: Any) -> str:
    uit = io.StringIO()
    _yaml().dump(data, uit)
    return uit.getvalue()


def tekst(waarde: str) -> DoubleQuotedScalarString:
    """A text value written as the data writes texts: between double quotes."""
    return DoubleQuotedScalarString(waarde)


def kaart(**velden: Any) -> CommentedMap:
    """A new mapping in the given key order; strings become quoted texts."""
    m = CommentedMap()
    for k, v in velden.items():
        m[k] = tekst(v) if isinstance(v, str) else v
    return m


def lijst(items: list | None = None) -> CommentedSeq:
    return CommentedSeq(items or [])


def pad_in(data: Any, pad: tuple) -> Any:
    """The node at `pad` (keys and list indexes)."""
    for stap in pad:
        data = data[stap]
    return data


def index_van(lijst_: list, node: Any) -> int:
    """The position of `node` in `lijst_` by identity (equal mappings are different nodes)."""
    return next(i for i, x in enumerate(lijst_) if x is node)
