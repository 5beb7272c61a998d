"""A real workplace server (`contractgen werkplaats` as a process) and Debian's Chromium through Playwright.

Each test module gets its own server on a free port with a private copy of the sample data, its own
output and state folders, and accounts made by `contractgen gebruiker toevoegen` (the command users run).
The browser is /usr/bin/chromium (Debian); Playwright never downloads one here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "contracts_data"
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
WACHTWOORD = "Werkplaats-test-2026!"
SCHERMAFDRUKKEN = ROOT / "docs" / "afbeeldingen"


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Werkplaats:
    url: str
    data: Path
    uitvoer: Path
    staat: Path
    proces: subprocess.Popen
    log: Path
    accounts: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)  # extra environment (database, Redis, …)

    def omgeving(self) -> dict:
        return {**os.environ, **self.env, "CONTRACTGEN_WACHTWOORD": WACHTWOORD}

    def gebruiker(self, email: str, rol: str, *regios: str, aanbieder: str | None = None) -> str:
        opdracht = [sys.executable, "-m", "contractgen", "gebruiker", "toevoegen", email, "--rol", rol,
                    "--data", str(self.data), "--staat", str(self.staat)]
        for r in regios:
            opdracht += ["--regio", r]
        if aanbieder:
            opdracht += ["--aanbieder", aanbieder]
        subprocess.run(opdracht, check=True, capture_output=True, text=True, env=self.omgeving())
        self.accounts[email] = WACHTWOORD
        return email


def start_werkplaats(tmp: Path, extra_env: dict | None = None, data: Path | None = None,
                     opties: tuple[str, ...] = ()) -> Werkplaats:
    kopie = tmp / "data"
    if not kopie.exists():
        shutil.copytree(data or DATA, kopie)
    uitvoer, staat = tmp / "uitvoer", tmp / "staat"
    poort = vrije_poort()
    log = tmp / "server.log"
    url = f"http://127.0.0.1:{poort}"
    extra = {"CONTRACTGEN_ADRES": url, **(extra_env or {})}  # links in letters point at this server
    env = {**os.environ, **extra}
    w = Werkplaats(url, kopie, uitvoer, staat, None, log, env=extra)  # type: ignore[arg-type]
    # accounts before the server starts: the same state folder, the command users run
    w.gebruiker("inkoop@mh.example", "inkoopteam", "maastricht-heuvelland")
    w.gebruiker("jurist@mh.example", "jurist", "maastricht-heuvelland")
    w.gebruiker("inkoop@nl.example", "inkoopteam", "noord-limburg")
    w.gebruiker("beheer@example.example", "beheerder")
    with open(log, "wb") as uit:
        w.proces = subprocess.Popen([sys.executable, "-m", "contractgen", "werkplaats", "--data", str(kopie),
                                     "--uitvoer", str(uitvoer), "--staat", str(staat), "--adres", f"127.0.0.1:{poort}",
                                     *opties],
                                    stdout=uit, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    einde = time.monotonic() + 60
    while time.monotonic() < einde:
        if w.proces.poll() is not None:
            raise RuntimeError(f"werkplaats stopte: {log.read_text()}")
        try:
            with urllib.request.urlopen(w.url + "/gezond", timeout=2) as a:
                if a.status == 200:
                    return w
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"werkplaats niet gezond binnen 60 s: {log.read_text()}")


def stop_werkplaats(w: Werkplaats) -> None:
    import signal

    try:
        os.killpg(w.proces.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        w.proces.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(w.proces.pid, signal.SIGKILL)
        w.proces.wait(5)


@pytest.fixture(scope="module")
def werkplaats(tmp_path_factory):
    w = start_werkplaats(tmp_path_factory.mktemp("werkplaats"))
    yield w
    stop_werkplaats(w)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium ontbreekt; scripts/installeer.sh installeert het")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture
def pagina(browser):
    context = browser.new_context(accept_downloads=True, locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def inloggen(page, w: Werkplaats, email: str, wachtwoord: str | None = None) -> None:
    page.goto(w.url + "/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(wachtwoord or w.accounts[email])
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def axe_overtredingen(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now (injected through DevTools, not a script tag:
    the page's CSP forbids inline scripts, which is the point)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    resultaat = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""")
    return resultaat


# what the library says to a terminal user and must never reach a screen: file paths, command-line options,
# commands, the data's file names (the people the workplace is for know documents and aanbieders, not files)
INTERN = re.compile(r"(?:^|[\s('\"])/(?:tmp|work|home|var|srv|opt|root)/\S*"
                    r"|(?:^|[\s('\"])--[a-z][a-z-]{2,}"
                    r"|\bcontractgen (?:build|check|validate|jaarwissel|intake|tarieven|werkplaats|gebruiker)\b"
                    r"|\b[\w.-]+\.ya?ml\b"
                    r"|\bop regel \d+|\bregel \d+, kolom", re.M)


def zonder_interne_namen(page) -> None:
    """No path, option, command or YAML file name in what the page shows (the admin's model pages excepted)."""
    if "/beheer/" in page.url:
        return
    gevonden = sorted({m.group(0).strip() for m in INTERN.finditer(page.locator("body").inner_text())})
    assert gevonden == [], f"interne namen op {page.url}: {gevonden}"


def toegankelijk(page) -> None:
    """axe-core finds nothing (WCAG 2.1 AA), and the page speaks the user's words (`zonder_interne_namen`)."""
    overtredingen = axe_overtredingen(page)
    assert overtredingen == [], json.dumps(overtredingen, indent=1, ensure_ascii=False)
    zonder_interne_namen(page)


def schermafdruk(page, naam: str) -> Path:
    """A screenshot for the documentation: written into docs/afbeeldingen/ by the test that shows the page."""
    SCHERMAFDRUKKEN.mkdir(parents=True, exist_ok=True)
    pad = SCHERMAFDRUKKEN / naam
    page.screenshot(path=str(pad), full_page=False)
    return pad
