"""The examples in the README and the manual (docs/) are real output: each `$ contractgen ...` example
that reads the sample data is run again, in one copy of contracts_data/, and must print what the page
shows. Pages are run in the order of `_pagina_volgorde` (the README, the jurist's pages, then the
manual in the order of its nav), like a person working through them: the jurist accepts a finding
before the inkoopteam opens 2019, whose `check` then counts it as beoordeeld.

In an example, a line `...` stands for any number of lines, and `...` inside a line for any text;
the day the example was made stands for today. Examples that need files the pages only describe
(a signed PDF, an export from another system, a certificate, a build with PDFs) are covered by the
tests of their feature instead: `VOORBEELDEN` lists which commands are run here, `ELDERS` names the
tests that cover the others (tests/test_handleiding.py checks that every example is one or the other).
"""

from __future__ import annotations

import re
import shlex
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

from contractgen.cli import main

VOORBEELDEN = {"check", "voorrang", "beoordeel", "diff",  # read the sample data only (beoordeel: a copy)
               "jaarwissel",  # writes 2019 into the copy: the yearly-cycle check and diff examples read it
               "tarieven"}  # tarieven vaststellen: seals the 2019 sets in the copy
# the commands of examples not run here, and the tests that run them instead
ELDERS = {
    "validate": ["tests/test_validate_errors.py"],
    "build": ["tests/test_pdf.py", "tests/test_jaarwissel.py", "tests/test_omzetdienst.py",
              "tests/test_bouw_onderbreking.py", "tests/test_ondertekening.py"],
    "aanbieders": ["tests/test_aanbieders.py", "tests/test_spreadsheetgrens.py"],
    "overzicht": ["tests/test_aanbieders.py", "tests/test_ondertekening.py"],
    "ontvangen": ["tests/test_ondertekening.py", "tests/test_handtekeningen.py"],
    "onderteken": ["tests/test_ondertekening.py", "tests/test_handtekeningen.py"],
    "wijzigingen": ["tests/test_word_wijzigingen.py"],
    "importeer-document": ["tests/test_word_document.py"],
    "diff": ["tests/test_diff.py", "tests/test_redline.py"],  # the examples whose side is a file or an output
    "cat": ["tests/test_spreadsheetgrens.py"],  # cat kolommen.yaml: written by `aanbieders kolommen`
    "python": ["tests/test_benchmark_smoke.py", "tests/test_word_document.py"],  # benchmarks/*.py
    "make": [],  # make build, make test, make werkplaats: these are the suite itself and the workplace
}
# pages whose examples show interruptions and concurrent users (a kill, a colleague at work): they cannot run
# in sequence on one copy; the tests named here run each of them as a scenario of its own
SCENARIOS = {"docs/ontwerp/transacties.md": ["tests/test_transactie_opdrachten.py", "tests/test_transactie.py"]}
# examples after a change by hand ("$ … # na het wijzigen van …"): the test named here makes that change and
# checks the example's output
NA_EEN_WIJZIGING = {"docs/inkoopteam/jaarwissel.md": "tests/test_jaarwissel.py::test_a_sealed_set_cannot_change_silently"}
README_DAG = date(2026, 11, 30)  # the day the README examples were last made


def _pagina_volgorde() -> list[Path]:
    """README.md, the jurist's pages, then every page of the manual: in the nav of mkdocs.yml, then the rest."""
    import yaml

    def paginas(nav) -> list[str]:
        uit: list[str] = []
        for item in nav:
            waarde = next(iter(item.values())) if isinstance(item, dict) else item
            uit.extend(paginas(waarde) if isinstance(waarde, list) else [waarde])
        return uit

    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    namen = ["jurist/bevindingen.md", "jurist/voorrang.md", "jurist/verschillen.md"] + paginas(nav)
    namen += sorted(str(p.relative_to(ROOT / "docs")) for p in (ROOT / "docs").rglob("*.md"))
    volgorde = [ROOT / "README.md"]
    for naam in namen:
        if ROOT / "docs" / naam not in volgorde:
            volgorde.append(ROOT / "docs" / naam)
    return volgorde


def _voorbeelden() -> list[tuple[str, str, list[str]]]:
    """(page:line, command, expected output lines) for every `$ ` line in a fenced block, in page order."""
    return [(f"{pagina.relative_to(ROOT)}:{nr}", o, v)
            for pagina in _pagina_volgorde() for nr, o, v in _voorbeelden_van(pagina)]


def _voorbeelden_van(pagina: Path) -> list[tuple[int, str, list[str]]]:
    """(line number, command, expected output lines) for every `$ ` line in a fenced block of one page."""
    regels = pagina.read_text(encoding="utf-8").splitlines()
    uit: list[tuple[int, str, list[str]]] = []
    in_blok = False
    inspringing = 0
    for nr, regel in enumerate(regels, start=1):
        if regel.lstrip().startswith("```"):
            inspringing = len(regel) - len(regel.lstrip())
            in_blok = not in_blok
            if uit:
                uit.append((0, "", []))  # a fence ends the example before it
            continue
        if not in_blok:
            continue
        regel = regel[inspringing:] if regel[:inspringing].isspace() else regel
        if regel.startswith("$ "):
            opdracht = regel[2:]
            while opdracht.endswith("\\"):  # continued on the next line
                opdracht = opdracht[:-1].rstrip() + " " + regels[nr].strip()
                regels[nr] = ""
                nr += 1
            uit.append((nr, opdracht, []))
        elif uit and uit[-1][1]:
            uit[-1][2].append(regel)
    return [(nr, o, v) for nr, o, v in uit if o]


def _zonder_lege_staart(regels: list[str]) -> list[str]:
    while regels and not regels[-1].strip():
        regels = regels[:-1]
    return regels


def _patroon(verwacht: list[str]) -> re.Pattern[str]:
    delen = []
    verwacht = _zonder_lege_staart(verwacht)
    for regel in verwacht:
        if regel.strip() in ("...", "…"):
            delen.append(r"(?:[^\n]*\n)*?")
            continue
        stukken = [re.escape(s) for s in regel.rstrip().split("...")]
        tekst = r"[^\n]*".join(stukken)
        for vorm in ("%Y-%m-%d", "%d-%m-%Y"):
            tekst = tekst.replace(re.escape(README_DAG.strftime(vorm)), re.escape(date.today().strftime(vorm)))
        delen.append(tekst + r"[ \t]*\n")
    return re.compile("".join(delen))


def _te_controleren() -> list[tuple[str, str, list[str]]]:
    gekozen = []
    for nr, opdracht, verwacht in _voorbeelden():
        if nr.split(":")[0] in SCENARIOS:
            continue
        if "# na het wijzigen" in opdracht:
            assert nr.split(":")[0] in NA_EEN_WIJZIGING, f"{nr}: welke test maakt de wijziging van '{opdracht}'?"
            continue
        woorden = shlex.split(opdracht, comments=True)
        if woorden[:1] == ["contractgen"] and woorden[1:2] and woorden[1] in VOORBEELDEN \
                and "--uitvoer" not in woorden and all(not w.startswith("oud") for w in woorden[2:3]):
            gekozen.append((nr, opdracht, verwacht))
        elif woorden[:1] == ["cat"] and woorden[1].startswith("contracts_data/"):
            gekozen.append((nr, opdracht, verwacht))
    return gekozen


def test_there_are_examples_to_check():
    opdrachten = {shlex.split(o)[1] for _, o, _ in _te_controleren() if o.startswith("contractgen")}
    assert {"check", "voorrang", "diff", "beoordeel"} <= opdrachten


def test_examples_print_what_the_pages_show(runner, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "contracts_data", tmp_path / "contracts_data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    afwijkend = []
    for nr, opdracht, verwacht in _te_controleren():
        woorden = shlex.split(opdracht, comments=True)
        if woorden[0] == "cat":
            uitvoer = Path(woorden[1]).read_text(encoding="utf-8")
        else:
            uitvoer = runner.invoke(main, woorden[1:], prog_name="contractgen").output
        uitvoer = "\n".join(_zonder_lege_staart(uitvoer.splitlines())) + "\n"
        if not _patroon(verwacht).fullmatch(uitvoer):
            afwijkend.append(f"{nr}: $ {opdracht}\n--- verwacht\n" + "\n".join(verwacht)
                             + "\n--- werkelijk\n" + uitvoer)
    assert not afwijkend, "\n\n".join(afwijkend)


if __name__ == "__main__":  # pragma: no cover - `python tests/test_readme.py` lists what is checked
    for nr, opdracht, _ in _te_controleren():
        print(f"{nr}: {opdracht}")
    pytest.main([__file__, "-q"])
