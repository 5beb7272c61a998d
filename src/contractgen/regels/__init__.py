"""Stage: regels — rules across files and for aanbieders, applied after schema validation.

Owns referential integrity (ids, references, inline fields, formulas: `integriteit`),
the aanbieder rules of the source (NVT only where bijlage 3 allows it, social return
threshold of DVO art. 24.2: `aanbieders`), year-bound tariff sets (one familie without
overlap, sealed sets unchanged: `jaren`) and `load_valid`, the entry every command
uses to get data it may act on.
"""

from __future__ import annotations

from pathlib import Path

from contractgen.basis.problemen import DataFout
from contractgen.domein.dataset import RegioData
from contractgen.laden.regio import load_dataset
from contractgen.regels.integriteit import check_integrity


def load_valid(pad: Path) -> list[RegioData]:
    """Load, validate and check integrity; raise DataFout with every problem."""
    regios, problemen = load_dataset(pad)
    for regio in regios:
        problemen += check_integrity(regio)
    fouten = [p for p in problemen if p.ernst == "fout"]
    if fouten:
        raise DataFout(problemen)
    return regios
