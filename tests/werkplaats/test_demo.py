"""`make werkplaats` as a new user starts it: the demo inside a clone of contractgen, an account per role
(an aanbieder too), and a change made in the browser is saved *and* committed to the demo data's own git
repository (the clone's .gitignore leaves `.contractgen/` out; `git add` there would refuse)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.werkplaats.conftest import DATA, stop_werkplaats, toegankelijk, vrije_poort, Werkplaats

MH = "maastricht-heuvelland"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    kloon = tmp_path_factory.mktemp("kloon")
    subprocess.run(["git", "init", "-q"], cwd=kloon, check=True)
    (kloon / ".gitignore").write_text(".venv/\n.contractgen/\noutput/\n")
    shutil.copytree(DATA, kloon / "contracts_data")
    subprocess.run(["git", "add", "-A"], cwd=kloon, check=True)
    subprocess.run(["git", "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "kloon"], cwd=kloon, check=True)
    poort = vrije_poort()
    log = kloon / "server.log"
    with open(log, "wb") as uit:  # the command of `make werkplaats`, in the clone, with its defaults
        proces = subprocess.Popen([sys.executable, "-m", "contractgen", "werkplaats", "--demo", "--adres",
                                   f"127.0.0.1:{poort}"], cwd=kloon, stdout=uit, stderr=subprocess.STDOUT,
                                  env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
    w = Werkplaats(f"http://127.0.0.1:{poort}", kloon / ".contractgen" / "demo-data", kloon / "output",
                   kloon / ".contractgen", proces, log)
    einde = time.monotonic() + 60
    while time.monotonic() < einde:
        assert proces.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(w.url + "/gezond", timeout=2) as a:
                if a.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    # the accounts as printed: e-mail, password, role
    for email, wachtwoord in re.findall(r"^\s+(\S+@demo\.example)\s+(demo-\S+)", log.read_text(), re.M):
        w.accounts[email] = wachtwoord
    yield w
    stop_werkplaats(w)


def _log(map_) -> list[str]:
    uit = subprocess.run(["git", "log", "--format=%ae|%s"], cwd=map_, capture_output=True, text=True, check=True)
    return uit.stdout.splitlines()


def test_de_readme_toont_wat_make_werkplaats_afdrukt(demo):
    """The README's block under `make werkplaats` is this output (passwords and the port as '...')."""
    from tests.test_readme import _patroon

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    blok = readme.split("\nDEMO — ", 1)[1].split("```", 1)[0]
    verwacht = ("DEMO — " + blok).splitlines()
    uit = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:8000", demo.log.read_text())
    assert _patroon(verwacht).search(uit), (verwacht, uit)


def test_demo_een_wijziging_wordt_opgeslagen_en_vastgelegd(demo, pagina):
    tekst = demo.log.read_text()
    assert "DEMO — voorbeelddata, niet voor echte contracten" in tekst
    assert set(demo.accounts) == {"inkoopteam@demo.example", "jurist@demo.example", "beheerder@demo.example",
                                  "aanbieder@demo.example"}, tekst
    # the demo data is a repository of its own from the start; the clone is not touched
    assert _log(demo.data) == ["contractgen@localhost|Voorbeeldgegevens van contractgen gekopieerd voor de demo"]
    pagina.goto(demo.url + "/inloggen/")
    pagina.get_by_label("E-mailadres").fill("inkoopteam@demo.example")
    pagina.get_by_label("Wachtwoord").fill(demo.accounts["inkoopteam@demo.example"])
    pagina.get_by_role("button", name="Inloggen").click()
    pagina.wait_for_load_state()
    pagina.goto(f"{demo.url}/regio/{MH}/aanbieders/voorbeeld-wmo-compleet/bewerken/")
    pagina.get_by_label("Contactpersoon: telefoon").fill("043-5550000")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Opslaan").click()
    assert "is opgeslagen (Contactpersoon: telefoon)" in pagina.locator(".wp-meldingen").inner_text()
    assert "git" not in pagina.locator("main").inner_text().lower()
    toegankelijk(pagina)
    bestand = next((demo.data / MH / "aanbieders").glob("*wmo-compleet*.yaml"))
    assert "043-5550000" in bestand.read_text(encoding="utf-8")
    assert _log(demo.data)[0].startswith("inkoopteam@demo.example|")
    assert subprocess.run(["git", "status", "--porcelain"], cwd=demo.data, capture_output=True,
                          text=True).stdout.strip() == ""  # everything the change wrote is committed
    assert subprocess.run(["git", "status", "--porcelain"], cwd=demo.log.parent, capture_output=True,
                          text=True).stdout.strip() == "?? server.log"


def test_demo_heeft_een_aanbieder_voor_het_portaal(demo, pagina):
    pagina.goto(demo.url + "/inloggen/")
    pagina.get_by_label("E-mailadres").fill("aanbieder@demo.example")
    pagina.get_by_label("Wachtwoord").fill(demo.accounts["aanbieder@demo.example"])
    pagina.get_by_role("button", name="Inloggen").click()
    pagina.wait_for_load_state()
    assert f"/aanbieder/{MH}/voorbeeld-bw-compleet/" in pagina.url  # its own page: the first sample aanbieder
    assert "Stichting Voorbeeld Beschermd Wonen" in pagina.locator("main").inner_text()
    toegankelijk(pagina)
