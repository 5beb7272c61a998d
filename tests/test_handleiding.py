"""The manual (docs/, mkdocs.yml) builds strictly and offline, documents every command the CLI has,
and every example in it and in the README is either run (tests/test_readme.py) or names the tests
that run it; the README stays a front page.

`mkdocs build --strict` fails on a broken link or anchor, a page that is not in the nav, a nav entry
without a page and a warning of mkdocs-click; the build goes into a temporary folder.
"""

from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import ROOT
from test_readme import ELDERS, NA_EEN_WIJZIGING, SCENARIOS, VOORBEELDEN, _te_controleren, _voorbeelden

from contractgen.cli import main

README_REGELS = 250  # issue 30: a front page, the manual holds the rest
# pages the README links to that are written alongside this manual (added to docs/ when merged)
NOG_TE_SCHRIJVEN: set[str] = set()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    doel = tmp_path_factory.mktemp("site")
    omgeving = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    uit = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                          str(ROOT / "mkdocs.yml"), "--site-dir", str(doel)],
                         cwd=ROOT, env=omgeving, capture_output=True, text=True, timeout=300)
    assert uit.returncode == 0, uit.stdout + uit.stderr
    return doel


def _tekst(pagina: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", pagina.read_text(encoding="utf-8")))


def test_the_manual_builds_strictly_with_a_page_per_role(site):
    for rol in ("inkoopteam", "jurist", "aanbieder", "beheerder", "data", "referentie", "ontwerp"):
        assert (site / rol / "index.html").is_file(), rol
    assert "Inkoopteam: een contractjaar van begin tot eind" in _tekst(site / "inkoopteam" / "index.html")
    # moved pages keep their content: the glossary and the data model
    assert "Eén betekenis per woord" in _tekst(site / "data" / "woordenlijst.html")
    assert "Datamodel van" in _tekst(site / "data" / "datamodel.html")


def test_the_manual_asks_nothing_from_elsewhere_when_read(site):
    """theme.font: false — Material otherwise loads Google Fonts when a page is viewed."""
    for pagina in site.rglob("*.html"):
        inhoud = pagina.read_text(encoding="utf-8")
        for extern in re.findall(r"<(?:link|script|img)\b[^>]*(?:href|src)=\"(https?://[^\"]+)\"", inhoud):
            pytest.fail(f"{pagina.relative_to(site)} laadt {extern}")


def _commandos(groep: click.Group, ctx: click.Context, pad: str) -> list[tuple[str, click.Command]]:
    uit = []
    for naam in groep.list_commands(ctx):
        cmd = groep.get_command(ctx, naam)
        assert cmd is not None
        uit.append((f"{pad} {naam}", cmd))
        if isinstance(cmd, click.Group):
            uit.extend(_commandos(cmd, click.Context(cmd, parent=ctx, info_name=naam), f"{pad} {naam}"))
    return uit


def test_the_reference_has_every_command_and_option_of_the_cli(site):
    """Generated from the click CLI by mkdocs-click: a new command or option is on the page by itself."""
    pagina = (site / "referentie" / "commandos.html").read_text(encoding="utf-8")
    tekst = _tekst(site / "referentie" / "commandos.html")
    commandos = _commandos(main, click.Context(main, info_name="contractgen"), "contractgen")
    assert len(commandos) >= 15
    for pad, cmd in commandos:
        anker = "-".join(pad.split())
        assert f'id="{anker}"' in pagina, pad
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.hidden:
                for optie in param.opts:
                    assert optie in tekst, f"{pad}: {optie}"
    assert "Gebruik:" in tekst and "Usage:" not in tekst  # scripts/mkdocs_hooks.py


def test_every_example_is_run_or_covered_by_the_tests_it_names():
    gedraaid = {(plaats, opdracht) for plaats, opdracht, _ in _te_controleren()}
    assert len(gedraaid) >= 20
    onbekend = []
    for plaats, opdracht, _ in _voorbeelden():
        if (plaats, opdracht) in gedraaid or plaats.split(":")[0] in SCENARIOS:
            continue
        if "# na het wijzigen" in opdracht and plaats.split(":")[0] in NA_EEN_WIJZIGING:
            continue  # after a change by hand: the test named there makes it and checks the output
        woorden = shlex.split(opdracht, comments=True)
        sleutel = woorden[1] if woorden[0] == "contractgen" and len(woorden) > 1 else woorden[0]
        if sleutel not in ELDERS:
            onbekend.append(f"{plaats}: $ {opdracht}")
    assert not onbekend, ("voorbeelden die niet gedraaid worden en geen test noemen (VOORBEELDEN of ELDERS in "
                          "tests/test_readme.py):\n" + "\n".join(onbekend))
    for bestanden in SCENARIOS.values():
        for bestand in bestanden:
            assert (ROOT / bestand).is_file(), bestand
    for sleutel, bestanden in ELDERS.items():
        assert sleutel not in VOORBEELDEN or sleutel == "diff", sleutel
        for bestand in bestanden:
            inhoud = (ROOT / bestand).read_text(encoding="utf-8")
            woord = {"python": "benchmarks", "cat": "kolommen"}.get(sleutel, sleutel)
            assert woord in inhoud, f"{bestand} gaat niet over {sleutel}"


def test_the_readme_is_a_front_page_whose_links_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= README_REGELS
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    lokaal = [link for link in links if not re.match(r"[a-z]+:", link)]
    assert any(link.startswith("docs/") for link in lokaal)
    ontbreekt = [link for link in lokaal if not (ROOT / link).exists() and link not in NOG_TE_SCHRIJVEN]
    assert not ontbreekt, ontbreekt
    for commando in ("make build", "make test", "make werkplaats"):
        assert commando in readme


def test_the_year_of_the_inkoopteam_chapter_runs_on_the_sample_data(runner, tmp_path, monkeypatch):
    """The command block of docs/inkoopteam/index.md ("Het jaar in opdrachten"), line by line, on a copy of
    the sample data: every command succeeds and the year ends built. `build` runs with --geen-pdf here
    (the PDFs of a build are tests/test_pdf.py's; this keeps the suite quick)."""
    pagina = (ROOT / "docs" / "inkoopteam" / "index.md").read_text(encoding="utf-8")
    blok = pagina.split("<!-- het jaar:", 1)[1].split("```", 2)[1]
    opdrachten = [regel for regel in blok.splitlines() if regel.strip()]
    assert opdrachten[0].startswith("contractgen aanbieders sjabloon") and len(opdrachten) >= 10
    shutil.copytree(ROOT / "contracts_data", tmp_path / "contracts_data")
    monkeypatch.chdir(tmp_path)
    uitvoer = ""
    for opdracht in opdrachten:
        woorden = shlex.split(opdracht)
        assert woorden[0] == "contractgen", opdracht
        if woorden[1] == "build":
            woorden.append("--geen-pdf")
        resultaat = runner.invoke(main, woorden[1:], prog_name="contractgen")
        assert resultaat.exit_code == 0, f"$ {opdracht}\n{resultaat.output}"
        uitvoer = resultaat.output
    assert (tmp_path / "intake.xlsx").is_file() and (tmp_path / "jaar.html").is_file()
    assert len(list((tmp_path / "output" / "maastricht-heuvelland" / "2019").glob("*/*.docx"))) == 44
    # the overview of the year: every aanbieder of the region built for 2019, its documents current
    assert "peildatum 01-01-2019 — 5 aanbieder(s)" in uitvoer
    assert uitvoer.count("actueel") == 5
    for set_ in ("bw-2019", "jeugd-2019", "uurtarieven-2019", "wmo-2019"):
        assert "status: \"vastgesteld\"" in (tmp_path / "contracts_data" / "maastricht-heuvelland" / "tarieven"
                                         / f"{set_}.yaml").read_text(encoding="utf-8")
