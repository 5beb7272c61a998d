"""The scale benchmark on a tiny region, as a smoke test: it runs, reports every figure it documents,
the stage shares add up, and the no-op case really ran the `contractgen build` command. No timings
are asserted (the machine is shared)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest
from conftest import ROOT

RUN = ROOT / "benchmarks" / "run.py"
SLEUTELS = {
    "aanbieders", "documents", "cores", "cores_usable", "load_start", "load_end", "load_max", "disturbed", "python",
    "libreoffice", "command", "validate_seconds",
    "docx_build_seconds", "docx_per_second", "docx_stages", "docx_stage_shares",
    "one_core_documents", "one_core_per_second", "naive_per_second", "docx_speedup_per_core",
    "pdf_build_seconds", "pdf_files", "pdf_per_second_end_to_end", "pdf_stages", "pdf_stage_shares",
    "libreoffice_conversions", "libreoffice_per_second", "pdf_postprocessing_share",
    "libreoffice_alone_warm", "libreoffice_alone_cold", "libreoffice_alone_speedup",
    "noop_seconds", "noop_cli_seconds", "noop_cli_command", "noop_cli_summary",
    "noop_pdf_seconds", "noop_cli_pdf_seconds", "noop_cli_pdf_command", "noop_cli_pdf_summary",
    "one_tariff_seconds", "one_tariff_documents", "one_tariff_stages",
    "peak_rss_mb", "peak_rss_children_mb",
}


def _draai(*opties: str) -> tuple[dict, str, str]:
    proces = subprocess.run([sys.executable, str(RUN), "--json", *opties], capture_output=True, text=True,
                            timeout=600, check=True)
    return json.loads(proces.stdout.strip().splitlines()[-1]), proces.stdout, proces.stderr


def _stappen_kloppen(stappen: dict, aandelen: dict, totaal: float) -> None:
    assert list(stappen) == list(aandelen) and stappen["overig"] >= 0
    assert sum(aandelen.values()) == pytest.approx(100, abs=0.6)  # each share rounded to 0.1
    assert sum(stappen.values()) == pytest.approx(totaal, abs=0.01)


def test_every_json_key_is_documented_in_the_module_docstring():
    doc = ast.get_docstring(ast.parse(RUN.read_text(encoding="utf-8")))
    assert doc is not None
    assert [k for k in sorted(SLEUTELS) if k not in doc] == []


def test_word_only_run_reports_every_figure():
    f, uit, fout = _draai("--aanbieders", "6", "--pdf-documenten", "0", "--naief-documenten", "5")
    assert set(f) == SLEUTELS
    assert f["aanbieders"] == 6 and f["documents"] > 6
    _stappen_kloppen(f["docx_stages"], f["docx_stage_shares"], f["docx_build_seconds"])
    assert {"valideren", "renderen", "manifest", "wissel"} <= set(f["docx_stages"])
    assert not {"pdf-omzetten", "pdf-afwerken", "pakketten"} & set(f["docx_stages"])
    # the one-core comparison renders the same documents both ways
    assert f["one_core_documents"] == 5
    assert f["docx_speedup_per_core"] == pytest.approx(f["one_core_per_second"] / f["naive_per_second"], rel=0.02)
    assert all(f[k] is None for k in ("pdf_build_seconds", "pdf_files", "pdf_stages", "pdf_postprocessing_share",
                                      "noop_cli_pdf_seconds", "noop_cli_pdf_summary"))
    # the no-op is the command a user types, and it found nothing to do
    assert f["noop_cli_command"][0].endswith("contractgen") or f["noop_cli_command"][1:3] == ["-m", "contractgen"]
    assert f["noop_cli_command"][-5:] == ["build", "<data>", "--uitvoer", "<uitvoer>", "--geen-pdf"]
    assert f["noop_cli_summary"].startswith(f"klaar: {f['documents']} Word-documenten en 0 PDF's")
    assert "(0 documenten opnieuw gemaakt" in f["noop_cli_summary"]
    # a Jeugd tariff touches only the prijsbijlage of the aanbieders with Jeugd
    assert f["one_tariff_documents"] == 3
    assert f["cores"] >= 1 and f["libreoffice"] and "--aanbieders 6" in f["command"]
    assert f["load_max"] >= max(f["load_start"], f["load_end"]) and f["disturbed"] == (f["load_max"] > f["cores"])
    assert "DOCX per kern:" in uit and "no-op, opdrachtregel:" in uit and "PDF, eind tot eind" not in uit
    assert "... bouw zonder PDF" in fout  # not a terminal: one line per stage


def test_pdf_run_reports_the_end_to_end_rate_and_the_pdf_stages():
    f, uit, fout = _draai("--aanbieders", "2", "--pdf", "--pdf-documenten", "2", "--naief-documenten", "4")
    assert set(f) == SLEUTELS
    # one PDF per document and one contractpakket.pdf per aanbieder
    assert f["pdf_files"] == f["documents"] + 2
    _stappen_kloppen(f["pdf_stages"], f["pdf_stage_shares"], f["pdf_build_seconds"])
    pdf = f["pdf_stages"]
    assert {"renderen", "pdf-omzetten", "pdf-afwerken", "pakketten"} <= set(pdf)
    na = pdf["pdf-afwerken"] + pdf["pakketten"]
    assert f["pdf_postprocessing_share"] == pytest.approx(100 * na / (na + pdf["pdf-omzetten"]), abs=0.2)
    assert f["pdf_per_second_end_to_end"] == pytest.approx(f["pdf_files"] / f["pdf_build_seconds"], rel=0.02)
    assert 0 < f["libreoffice_conversions"] <= f["pdf_files"] and f["libreoffice_per_second"] > 0
    assert f["libreoffice_alone_warm"] > 0 and f["libreoffice_alone_cold"] > 0
    # the no-op on both outputs; the tariff change on the output with PDFs
    assert f["noop_cli_command"][-1] == "--geen-pdf" and "(0 documenten opnieuw gemaakt" in f["noop_cli_summary"]
    assert f["noop_cli_pdf_command"][-4:] == ["build", "<data>", "--uitvoer", "<uitvoer>"]
    assert f"{f['pdf_files']} PDF's" in f["noop_cli_pdf_summary"]
    assert "(0 documenten opnieuw gemaakt" in f["noop_cli_pdf_summary"]
    assert "pdf-omzetten" in f["one_tariff_stages"]
    assert "PDF, eind tot eind:" in uit and "LibreOffice in de bouw:" in uit and "LibreOffice alleen:" in uit
    assert "... bouw met PDF" in fout
