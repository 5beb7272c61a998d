"""Derived tariffs (`afgeleid`: a toeslag that is the difference of two tariffs, bijlage 1.3a) after a tariff
correction, sealing a set while `check` reports an error about it, and check's findings per peildatum
(a tester saw a stale derived tariff after a correction, the set sealed anyway, and the finding of 2019 listed
on the page of 2018)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA

from contractgen.basis.problemen import DataFout
from contractgen.basis.transactie import Auteur, sha256_van
from contractgen.cli import main
from contractgen.intake.tariefcorrectie import TariefFout, corrigeer_tarief
from contractgen.intake.tarieven import vaststellen
from contractgen.laden.regio import load_dataset
from contractgen.rapporten.bouwcontrole import vaststelcontrole
from contractgen.rapporten.check import check

# bw-2018: 17550 = 16550 - 18550 (3729 - 1908 = 1821), 15550 = 14550 - 16550 (4187 - 3729 = 458)
TOESLAG = '{productcode: "17550", naam: "Toeslag (tijdelijke) opschaling BW zonder verblijf naar verblijf licht", ' \
          'tarief: "1821"'


@pytest.fixture
def mh(tmp_path: Path) -> Path:
    doel = tmp_path / "maastricht-heuvelland"
    shutil.copytree(DATA / "maastricht-heuvelland", doel)
    for opdracht in (["init", "-q"], ["add", "-A"], ["-c", "user.name=Begin", "-c", "user.email=begin@example.example",
                                                     "commit", "-q", "-m", "Beginstand"]):
        subprocess.run(["git", *opdracht], cwd=doel, check=True, capture_output=True)
    return doel


def _data(regio: Path):
    return load_dataset(regio)[0][0]


def _tarieven(pad: Path) -> dict[str, str]:
    import yaml

    ruw = yaml.safe_load(pad.read_text(encoding="utf-8"))
    return {p["productcode"]: p["tarief"] for a in ruw["arrangementen"] for p in a.get("producten", []) + a.get("toeslagen", [])}


def _afgeleid_fouten(regio: Path, peildatum: date) -> list[str]:
    return [b.probleem.bericht for b in check(_data(regio), peildatum) if b.regel == "afgeleid-bedrag"]


def test_a_corrected_base_tariff_recomputes_the_tariffs_derived_from_it(mh):
    pad = mh / "tarieven" / "bw-2018.yaml"
    uitkomst = corrigeer_tarief(_data(mh), "bw-2018", "16550", "3800", sha256_van(pad),
                                auteur=Auteur("Ineke Inkoop", "inkoop@mh.example"), git=True)
    assert (uitkomst.oud, uitkomst.nieuw) == (Decimal("3729"), Decimal("3800"))
    # both toeslagen named by the rule follow, old → new, in the same file and commit
    assert uitkomst.afgeleid == [("17550", Decimal("1821"), Decimal("1892")), ("15550", Decimal("458"), Decimal("387"))]
    tarieven = _tarieven(pad)
    assert (tarieven["16550"], tarieven["17550"], tarieven["15550"]) == ("3800", "1892", "387")
    assert "# Controle: 3729 - 1908 = 1821" in pad.read_text(encoding="utf-8")  # comments stay
    onderwerp = subprocess.run(["git", "log", "-1", "--format=%s"], cwd=mh, capture_output=True, text=True).stdout
    assert "afgeleid 17550: € 1.821 → € 1.892; afgeleid 15550: € 458 → € 387" in onderwerp
    assert _afgeleid_fouten(mh, date(2018, 1, 1)) == []  # check agrees: nothing stale


def test_a_correction_that_makes_a_derived_tariff_negative_is_refused(mh):
    pad = mh / "tarieven" / "bw-2018.yaml"
    voor = pad.read_bytes()
    with pytest.raises(TariefFout) as fout:
        corrigeer_tarief(_data(mh), "bw-2018", "16550", "1000", sha256_van(pad))
    assert ("met 1000 voor productcode 16550 wordt een tarief dat ervan is afgeleid negatief (17550: € 1.821 → "
            "€ -908); controleer het bedrag") in str(fout.value)
    assert pad.read_bytes() == voor


def _maak_oud(pad: Path) -> None:
    """A derived tariff that no longer follows its rule (a hand edit, or a correction before this fix)."""
    tekst = pad.read_text(encoding="utf-8")
    assert TOESLAG in tekst
    pad.write_text(tekst.replace(TOESLAG, TOESLAG.replace('"1821"', '"1800"')), encoding="utf-8")


def test_sealing_is_refused_while_check_reports_an_error_about_the_set(mh, runner):
    pad = mh / "tarieven" / "bw-2018.yaml"
    _maak_oud(pad)
    voor = pad.read_bytes()
    melding = ("tariefset 'bw-2018' wordt niet vastgesteld zolang de controle hierover een fout meldt: [afgeleid-bedrag] "
               "tariefset bw-2018, productcode 17550: tarief 17550 is € 1.800, maar volgens de regel (16550 min 18550) "
               "€ 1.821; corrigeer een tarief waarvan het is afgeleid")
    with pytest.raises(DataFout) as fout:
        vaststellen(_data(mh), "bw-2018", date(2026, 12, 6), controle=vaststelcontrole)
    assert melding in str(fout.value)
    assert pad.read_bytes() == voor
    result = runner.invoke(main, ["tarieven", "vaststellen", "bw-2018", "--regio", str(mh)])
    assert result.exit_code == 1 and melding in result.output, result.output
    assert pad.read_bytes() == voor
    # once the base tariff is corrected the derived one follows, and the set can be sealed
    corrigeer_tarief(_data(mh), "bw-2018", "16550", "3729", sha256_van(pad))
    assert _tarieven(pad)["17550"] == "1821"
    result = runner.invoke(main, ["tarieven", "vaststellen", "bw-2018", "--regio", str(mh)])
    assert result.exit_code == 0, result.output
    assert "controlesom" in pad.read_text(encoding="utf-8")


def test_check_reports_a_tariff_set_under_its_own_peildatum(mh, runner):
    """A stale derived tariff in next year's concept set is a finding of that year's check, not of this year's:
    the workplace's region page of 2018 lists check(2018), and must not show bw-2019's finding."""
    assert runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", "0"]).exit_code == 0
    _maak_oud(mh / "tarieven" / "bw-2019.yaml")
    assert _afgeleid_fouten(mh, date(2018, 1, 1)) == []
    assert _afgeleid_fouten(mh, date(2019, 1, 1)) == [
        "tarief 17550 is € 1.800, maar volgens de regel (16550 min 18550) € 1.821"]
    result = runner.invoke(main, ["check", str(mh), "--peildatum", "2019-01-01"])
    assert "afgeleid-bedrag: 1 fout" in result.output.splitlines()
    assert "afgeleid-bedrag" not in runner.invoke(main, ["check", str(mh), "--peildatum", "2018-01-01"]).output
