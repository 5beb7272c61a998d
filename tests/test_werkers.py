"""The build's worker processes (uitvoer/werkers.py): a dead worker stops the build, never hangs it.

multiprocessing.Pool waits forever for the task of a worker the kernel killed (out of memory);
the build must instead stop with a Dutch message, leave the previous output as it was and
leave no processes behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time

import pytest
from click.testing import CliRunner
from conftest import DATA

from contractgen.cli import main
from contractgen.uitvoer import renderen, werkers
from contractgen.uitvoer.werkers import WerkerFout, in_werkers


def _dubbel(i: int) -> int:
    time.sleep(0.02)
    return 2 * i


def _sterft_bij_3(i: int) -> int:
    if i == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.05)
    return i


def _traag(i: int) -> int:
    time.sleep(30)
    return i


def _kinderen() -> list[str]:
    uit = subprocess.run(["pgrep", "-P", str(os.getpid())], capture_output=True, text=True).stdout
    return [r for r in uit.split() if r]


@pytest.fixture(autouse=True)
def twee_kernen(monkeypatch):
    monkeypatch.setattr(werkers, "aantal_kernen", lambda: 2)


def test_results_come_in_task_order():
    assert list(in_werkers(_dubbel, list(range(30)))) == [2 * i for i in range(30)]


def test_a_killed_worker_stops_the_loop_with_a_dutch_error_at_once():
    begin = time.monotonic()
    with pytest.raises(WerkerFout, match="werkproces van de bouw is onverwacht gestopt"):
        list(in_werkers(_sterft_bij_3, list(range(12))))
    assert time.monotonic() - begin < 10
    time.sleep(0.2)
    assert _kinderen() == []


def test_leaving_early_or_ctrl_c_stops_the_workers_at_once():
    for x in in_werkers(_dubbel, list(range(40))):
        if x > 4:
            break
    time.sleep(0.2)
    assert _kinderen() == []
    threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    begin = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        list(in_werkers(_traag, list(range(4))))
    assert time.monotonic() - begin < 5  # not the 30 s the tasks would take
    time.sleep(0.2)
    assert _kinderen() == []


def test_a_render_worker_killed_mid_build_leaves_the_previous_output(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA / "maastricht-heuvelland", data / "maastricht-heuvelland")
    uit = tmp_path / "uit"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(data), "--uitvoer", str(uit), "--geen-pdf"]).exit_code == 0
    voor = {p.relative_to(uit): p.read_bytes() for p in uit.rglob("*") if p.is_file() and ".cache" not in p.parts}
    for naam in ("voorbeeld-bw-compleet", "voorbeeld-jeugd-wmo-ambulant"):  # two folders: two workers
        aanbieder = data / "maastricht-heuvelland" / "aanbieders" / f"{naam}.yaml"
        aanbieder.write_text(aanbieder.read_text(encoding="utf-8").replace('naam: "', 'naam: "Gewijzigd ', 1),
                             encoding="utf-8")

    origineel = renderen.render_map
    test = os.getpid()

    def render_en_sterf(m):
        if "voorbeeld-bw-compleet" in str(m.rel) and os.getpid() != test:
            os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
        return origineel(m)

    monkeypatch.setattr(renderen, "render_map", render_en_sterf)
    monkeypatch.setattr(renderen, "PARALLEL_VANAF", 0)
    begin = time.monotonic()
    result = runner.invoke(main, ["build", str(data), "--uitvoer", str(uit), "--geen-pdf"])
    assert result.exit_code != 0, result.output
    assert "werkproces van de bouw is onverwacht gestopt" in result.output
    assert time.monotonic() - begin < 60
    na = {p.relative_to(uit): p.read_bytes() for p in uit.rglob("*") if p.is_file() and ".cache" not in p.parts}
    assert na == voor
    assert not [p for p in uit.iterdir() if p.name.startswith(".bouw-")]
    time.sleep(0.2)
    assert _kinderen() == []


def test_stage_times_count_validation_also_for_a_first_build(tmp_path, monkeypatch):
    """A first build validates before it makes the output folder; that time belongs to `valideren`."""
    from conftest import MINI

    from contractgen.uitvoer import bouw as bouwmodule

    echt = bouwmodule._geldig
    monkeypatch.setattr(bouwmodule, "_geldig", lambda opdracht: (time.sleep(0.3), echt(opdracht))[1])
    resultaat = bouwmodule.bouw(bouwmodule.Bouwopdracht(MINI, tmp_path / "nieuw"))
    assert resultaat.tijden["valideren"] >= 0.3
    assert list(resultaat.tijden) == ["valideren", "plannen", "renderen", "manifest", "wissel"]
