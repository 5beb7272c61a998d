"""The README's examples are real output: each `$ contractgen ...` example that reads the sample
data is run again (in a copy of contracts_data/, in README order) and must print what the README shows.

In an example, a line `...` stands for any number of lines, and `...` inside a line for any text;
the day the example was made stands for today. Examples that need files the README only describes
(a signed PDF, an export from another system, a certificate) are covered by the tests of their
feature instead; `VOORBEELDEN` lists which commands are checked here.
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
               "jaarwissel"}  # writes 2019 into the copy: the yearly-cycle check and diff examples read it
README_DAG = date(2026, 11, 30)  # the day the README examples were last made


def _voorbeelden() -> list[tuple[int, str, list[str]]]:
    """(line number, command, expected output lines) for every `$ ` line in a fenced block."""
    regels = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    uit: list[tuple[int, str, list[str]]] = []
    in_blok = False
    for nr, regel in enumerate(regels, start=1):
        if regel.startswith("```"):
            in_blok = not in_blok
            if uit:
                uit.append((0, "", []))  # a fence ends the example before it
            continue
        if not in_blok:
            continue
        if regel.startswith("$ "):
            opdracht = regel[2:]
            while opdracht.endswith("\\"):  # continued on the next line
                opdracht = opdracht[:-1] + regels[nr].strip()
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


def _te_controleren() -> list[tuple[int, str, list[str]]]:
    gekozen = []
    for nr, opdracht, verwacht in _voorbeelden():
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


def test_readme_examples_print_what_the_readme_shows(runner, tmp_path, monkeypatch):
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
            afwijkend.append(f"README.md:{nr}: $ {opdracht}\n--- README\n" + "\n".join(verwacht)
                             + "\n--- werkelijk\n" + uitvoer)
    assert not afwijkend, "\n\n".join(afwijkend)


if __name__ == "__main__":  # pragma: no cover - `python tests/test_readme.py` lists what is checked
    for nr, opdracht, _ in _te_controleren():
        print(f"README.md:{nr}: {opdracht}")
    pytest.main([__file__, "-q"])
