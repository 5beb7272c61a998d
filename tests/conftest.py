from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
DATA = ROOT / "contracts_data"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the mini region that a test may break."""
    doel = tmp_path / "mini"
    shutil.copytree(MINI, doel)
    return doel


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def alle_tabellen(d) -> list:
    """Every table of a python-docx document, also those inside a cell (the signature blocks)."""
    uit = []

    def bezoek(tabellen):
        for t in tabellen:
            uit.append(t)
            for rij in t.rows:
                for cel in rij.cells:
                    bezoek(cel.tables)

    bezoek(d.tables)
    return uit


def docx_tekst(pad: Path) -> str:
    """All text a reader sees in a .docx: paragraphs, tables (also nested), header and footer.

    No-break spaces ("€ 25.000", "art. 3") read as spaces here; tests/test_pagina.py checks them.
    """
    import docx

    d = docx.Document(str(pad))
    delen = [p.text for p in d.paragraphs]
    for tabel in alle_tabellen(d):
        for rij in tabel.rows:
            gezien = []
            for cel in rij.cells:
                if cel._tc in gezien:
                    continue
                gezien.append(cel._tc)
                delen.append(cel.text)
    for sectie in d.sections:
        delen += [p.text for p in sectie.header.paragraphs] + [p.text for p in sectie.footer.paragraphs]
    return "\n".join(delen).replace("\u00a0", " ")
