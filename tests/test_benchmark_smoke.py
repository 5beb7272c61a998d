"""CI runs the scale benchmark on a tiny region only as a smoke test: it runs and reports every figure."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

SLEUTELS = {"aanbieders", "validate_seconds", "docx_per_second", "docx_speedup", "pdf_per_second_warm",
            "pdf_per_second_cold", "pdf_speedup", "noop_rebuild_seconds", "one_tariff_rebuild_seconds",
            "one_tariff_rebuild_documents", "peak_rss_mb"}


def test_benchmark_runs_and_prints_all_figures():
    uit = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--aanbieders", "6", "--json",
                          "--pdf-documenten", "0", "--naief-documenten", "5"],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    figuren = json.loads(uit.strip().splitlines()[-1])
    assert set(figuren) == SLEUTELS
    assert figuren["aanbieders"] == 6
    # a Jeugd tariff touches only the prijsbijlage of the aanbieders with Jeugd
    assert figuren["one_tariff_rebuild_documents"] == 3  # samples 2, 3 and 5 of the six
    assert figuren["docx_per_second"] > 0 and figuren["docx_speedup"] > 0
