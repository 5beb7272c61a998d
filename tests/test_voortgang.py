"""Progress of a build: a bar with time left per stage on a terminal, one line per stage in a log."""

from __future__ import annotations

import io
import re

from click.testing import CliRunner
from conftest import MINI

from contractgen.cli import main
from contractgen.cli.voortgang import Voortgangsweergave


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_a_bar_per_stage_with_position_and_time_left(monkeypatch):
    klok = iter(range(0, 1000, 2))
    monkeypatch.setattr("time.time", lambda: float(next(klok)))  # click's estimate reads time.time
    uit = _Terminal()
    v = Voortgangsweergave(uit=uit)
    for n in range(0, 11):
        v(n, 10, "Word-documenten")
    for n in (3, 6, 9):
        v(n, 9, "PDF (LibreOffice)")
    v.sluit()
    scherm = uit.getvalue()
    assert re.search(r"Word-documenten\s+\[#+\]\s+10/10", scherm)
    assert re.search(r"PDF \(LibreOffice\)\s+\[#+-*\]\s+3/9\s+\d\d:\d\d:\d\d", scherm), scherm  # time left
    assert "PDF (LibreOffice)" in scherm.split("10/10", 1)[1]  # the second stage after the first


def test_log_gets_one_line_per_stage_with_count_and_seconds():
    uit = io.StringIO()
    v = Voortgangsweergave(uit=uit)
    for n in range(1, 5):
        v(n, 4, "Word-documenten")
    v(2, 2, "PDF (LibreOffice)")
    v.sluit()
    regels = uit.getvalue().splitlines()
    assert [re.sub(r"\d+,\d", "X", r) for r in regels] == ["Word-documenten: 4 van 4 in X s",
                                                           "PDF (LibreOffice): 2 van 2 in X s"]


def test_build_in_a_log_names_each_stage_once(tmp_path):
    result = CliRunner().invoke(main, ["build", str(MINI), "--uitvoer", str(tmp_path)])
    assert result.exit_code == 0, result.output
    stappen = [r.split(":")[0] for r in result.stderr.splitlines() if " van " in r]
    assert stappen == ["Word-documenten", "PDF (LibreOffice)", "PDF-velden en pakketten"]
