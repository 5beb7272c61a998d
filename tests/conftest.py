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


def docx_tekst(pad: Path) -> str:
    """All text a reader sees in a .docx: paragraphs, tables, header and footer."""
    import docx

    d = docx.Document(str(pad))
    delen = [p.text for p in d.paragraphs]
    for tabel in d.tables:
        for rij in tabel.rows:
            gezien = []
            for cel in rij.cells:
                if cel._tc in gezien:
                    continue
                gezien.append(cel._tc)
                delen.append(cel.text)
    for sectie in d.sections:
        delen += [p.text for p in sectie.header.paragraphs] + [p.text for p in sectie.footer.paragraphs]
    return "\n".join(delen)
