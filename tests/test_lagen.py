"""The layered pipeline (issue 12): output unchanged by restructuring, an installable package,
imports that point one way, and one heading format shared by render and diff."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import DATA, ROOT

from contractgen.cli import main

WORD_INHOUD = ROOT / "tests" / "fixtures" / "word-inhoud.json"
PEILDATA = ["standaard", "2015-01-01", "2023-01-01"]


def _inhoud_hash(pad: Path) -> str:
    """SHA-256 over every part of a .docx in zip order (name + uncompressed bytes).

    The parts are what Word reads; hashing them rather than the zip keeps the check
    independent of the zlib build that compressed them.
    """
    h = hashlib.sha256()
    with zipfile.ZipFile(pad) as z:
        for info in z.infolist():
            h.update(info.filename.encode() + b"\0" + z.read(info) + b"\0")
    return h.hexdigest()


def _bouw_word(runner, uitvoer: Path, peildatum: str) -> dict[str, str]:
    args = ["build", str(DATA), "--uitvoer", str(uitvoer), "--geen-pdf"]
    if peildatum != "standaard":
        args += ["--peildatum", peildatum]
    result = runner.invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {p.relative_to(uitvoer).as_posix(): _inhoud_hash(p) for p in sorted(uitvoer.rglob("*.docx"))}


def test_word_output_is_the_recorded_one_at_every_peildatum(runner, tmp_path):
    """Every Word document of every region, part for part, equals the recorded output.

    A change of content is deliberate: regenerate with CONTRACTGEN_WORD_INHOUD_BIJWERKEN=1 and
    review the diff of tests/fixtures/word-inhoud.json in the same commit.
    """
    gebouwd = {pd: _bouw_word(runner, tmp_path / pd, pd) for pd in PEILDATA}
    if os.environ.get("CONTRACTGEN_WORD_INHOUD_BIJWERKEN"):
        WORD_INHOUD.write_text(json.dumps(gebouwd, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    verwacht = json.loads(WORD_INHOUD.read_text(encoding="utf-8"))
    for pd in PEILDATA:
        assert sorted(gebouwd[pd]) == sorted(verwacht[pd]), f"other documents at {pd}"
        anders = [naam for naam in verwacht[pd] if gebouwd[pd][naam] != verwacht[pd][naam]]
        assert not anders, f"changed Word content at {pd}: {anders}"


def test_installed_package_builds_outside_the_checkout(tmp_path):
    """`pip install .` into a fresh venv, then build from another directory: templates come with the package."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], capture_output=True, text=True)
    if pip.returncode != 0 and "No matching distribution" in pip.stderr:
        pytest.skip("package registry unreachable: " + pip.stderr.strip()[-200:])
    assert pip.returncode == 0, pip.stderr
    elders = tmp_path / "elders"
    elders.mkdir()
    data = shutil.copytree(DATA / "noord-limburg", elders / "noord-limburg")
    proces = subprocess.run([str(venv / "bin" / "contractgen"), "build", str(data), "--uitvoer", "uit", "--geen-pdf"],
                            cwd=elders, capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
    assert proces.returncode == 0, proces.stderr
    gebouwd = sorted((elders / "uit").rglob("*.docx"))
    assert len(gebouwd) == 10
    tekst = "\n".join(p.text for p in docx.Document(str(gebouwd[0])).paragraphs)
    assert "Noord-Limburg" in tekst


def test_no_imports_inside_functions_outside_cli():
    """Imports at the top of a module make its dependencies visible (and checkable by the layer contract)."""
    binnen = []
    # lazy on purpose: the cli for start-up speed; the workplace's commands, its start-up and manage.py
    # because Django must be configured before its models import, and AppConfig.ready (Django's place for signals)
    werkplaats = ROOT / "src" / "contractgen" / "werkplaats"
    laat = {werkplaats / "commandos.py", werkplaats / "starten.py", werkplaats / "beheer.py"}
    for pad in sorted((ROOT / "src" / "contractgen").rglob("*.py")):
        if pad.parent.name == "cli" or pad in laat or (pad.name == "apps.py" and werkplaats in pad.parents):
            continue
        for node in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for sub in ast.walk(node):
                    if isinstance(sub, (ast.Import, ast.ImportFrom)):
                        binnen.append(f"{pad.relative_to(ROOT)}:{sub.lineno}")
    assert binnen == []


def test_layer_contract_holds():
    proces = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True)
    assert proces.returncode == 0, proces.stdout[-2000:]
    assert "1 kept, 0 broken" in proces.stdout


def test_diff_prints_headings_as_the_document_does(runner, tmp_path):
    """Noord-Limburg prints '1. Toelichting' (kop_hoofdstuk); diff says so too, not 'HOOFDSTUK 1'."""
    regio = shutil.copytree(DATA / "noord-limburg", tmp_path / "noord-limburg")
    bestand = regio / "documenten" / "basisdocument-werkafspraken.yaml"
    tekst = bestand.read_text(encoding="utf-8")
    assert '  - alinea: "De 7 gemeenten van de regio Noord-Limburg' in tekst
    bestand.write_text(tekst.replace('  - alinea: "De 7 gemeenten van de regio Noord-Limburg',
                                     '  - alinea: "De zeven gemeenten van de regio Noord-Limburg', 1), encoding="utf-8")
    result = runner.invoke(main, ["diff", str(DATA / "noord-limburg"), str(regio)], catch_exceptions=False)
    assert "onder '1. Toelichting'" in result.output, result.output
    assert "HOOFDSTUK" not in result.output
    # and it is the heading the Word document shows
    runner.invoke(main, ["build", str(regio), "--uitvoer", str(tmp_path / "uit"), "--geen-pdf"], catch_exceptions=False)
    gebouwd = next((tmp_path / "uit").rglob("basisdocument-werkafspraken.docx"))
    assert "1. Toelichting" in [p.text for p in docx.Document(str(gebouwd)).paragraphs]


def test_files_written_whole_are_ordinary_files(tmp_path):
    """The temporary file behind an atomic write is private (mkstemp: 0600); what lands is not."""
    from contractgen.basis.atomisch import schrijf_atomisch, schrijf_bytes

    schrijf_bytes(tmp_path / "a.json", b"{}")
    schrijf_atomisch(tmp_path / "b.csv", lambda p: p.write_text("x", encoding="utf-8"))
    masker = os.umask(0)
    os.umask(masker)
    for naam in ("a.json", "b.csv"):
        assert (tmp_path / naam).stat().st_mode & 0o777 == 0o666 & ~masker
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.csv"]  # no temporary files left
