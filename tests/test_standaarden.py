"""Issue 29, the yearly cycle: no silent defaults. jaarwissel needs a percentage, end-of-month dates
roll to the end of the month, every rule `check` prints is accepted by --controle, one domain registry,
and the contract variants of the Uitvoeringsplan 2023 (seed 004) as data that check and jaarwissel enforce."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT

from contractgen.cli import main
from contractgen.intake.yamlbestand import jaar_later
from contractgen.rapporten.checkrapport import REGELS


@pytest.fixture
def mh(tmp_path: Path) -> Path:
    doel = tmp_path / "data" / "maastricht-heuvelland"
    shutil.copytree(DATA / "maastricht-heuvelland", doel)
    return doel


@pytest.mark.parametrize("oud,nieuw", [
    (date(2019, 2, 28), date(2020, 2, 29)), (date(2020, 2, 29), date(2021, 2, 28)),
    (date(2018, 4, 30), date(2019, 4, 30)), (date(2018, 12, 31), date(2019, 12, 31)),
    (date(2018, 2, 27), date(2019, 2, 27)), (date(2019, 3, 1), date(2020, 3, 1)),
])
def test_end_of_month_rolls_to_end_of_month(oud, nieuw):
    assert jaar_later(oud) == nieuw


def test_a_set_ending_in_february_leaves_no_day_uncovered(runner, mini):
    ts = mini / "tarieven" / "jeugd-2018.yaml"
    ts.write_text(ts.read_text(encoding="utf-8").replace("looptijd: {van: 2018-01-01, tot: 2018-12-31}",
                                                         "looptijd: {van: 2018-03-01, tot: 2019-02-28}"),
                  encoding="utf-8")
    result = runner.invoke(main, ["tarieven", "indexeer", "jeugd-2018", "--regio", str(mini), "--percentage", "0"])
    assert result.exit_code == 0, result.output
    nieuw = yaml.safe_load((mini / "tarieven" / "jeugd-2019.yaml").read_text(encoding="utf-8"))
    assert nieuw["looptijd"] == {"van": date(2019, 3, 1), "tot": date(2020, 2, 29)}  # 29-02-2020 covered


def test_jaarwissel_without_a_percentage_is_refused(runner, mh):
    result = runner.invoke(main, ["jaarwissel", str(mh), "2019"])
    assert result.exit_code == 1
    assert "typ dan --indexatie 0" in result.output
    assert not list(mh.rglob("*-2019.yaml"))
    result = runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", "0", "--proef"])
    assert result.exit_code == 0 and "0 % geïndexeerd" in result.output


def test_indexatie_per_domein_takes_every_name_of_the_registry(runner, mh):
    """The names of the intake dropdown (Jeugd, Beschermd Wonen), the codes and the synonyms."""
    result = runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", "1", "--proef",
                                  "--indexatie-per-domein", "Jeugd=2", "--indexatie-per-domein", "Beschermd Wonen=3",
                                  "--indexatie-per-domein", "wmo=4"])
    assert result.exit_code == 0, result.output
    for regel in ("jeugd-2019: tarieven jeugd 2019, 2 % geïndexeerd", "bw-2019: tarieven bw 2019, 3 % geïndexeerd",
                  "wmo-2019: tarieven wmo 2019, 4 % geïndexeerd", "uurtarieven-2019: tarieven uurtarieven 2019, 1 %"):
        assert regel in result.output
    result = runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", "1", "--proef",
                                  "--indexatie-per-domein", "BW=3", "--indexatie-per-domein", "jeugdwet=2"])
    assert "bw-2019: tarieven bw 2019, 3 %" in result.output and "jeugd-2019: tarieven jeugd 2019, 2 %" in result.output


def test_every_rule_check_can_print_is_accepted_by_controle(runner):
    """The kind: a rule name in the sources that REGELS does not list would be refused by --controle."""
    in_bron = set()
    for pad in (ROOT / "src/contractgen/rapporten").glob("*.py"):
        in_bron |= set(re.findall(r'meld\(\s*"([a-z-]+)"', pad.read_text(encoding="utf-8")))
    assert len(in_bron) >= 20 and in_bron <= set(REGELS), in_bron - set(REGELS)
    for naam in ("tarieven-concept", "tarieven-gewijzigd", "looptijd-tariefset", "variant-einddatum", "jaar-vorige-looptijd"):
        result = runner.invoke(main, ["check", str(DATA / "maastricht-heuvelland"), "--controle", naam])
        assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["check", str(DATA / "maastricht-heuvelland"), "--controle", "tarieven-concep"])
    assert result.exit_code == 2 and "bedoelde u 'tarieven-concept'?" in result.output


def _variant(aanbieder: Path, varianten: str) -> None:
    aanbieder.write_text(aanbieder.read_text(encoding="utf-8") + f"varianten: {varianten}\n", encoding="utf-8")


def test_the_variants_of_seed_004_are_data_as_the_source_has_them():
    regio = yaml.safe_load((DATA / "maastricht-heuvelland/regio.yaml").read_text(encoding="utf-8"))
    varianten = {v["id"]: (v["max_einddatum"], v["gemeenten"]) for v in regio["varianten"]}
    assert varianten == {
        "taakgericht-bgg-zin-ouderen": (date(2028, 4, 1), ["maastricht", "eijsden-margraten", "valkenburg-aan-de-geul"]),
        "outputgericht-bgg-bgi-zin": (date(2030, 1, 1), ["eijsden-margraten", "gulpen-wittem", "maastricht", "meerssen",
                                                         "valkenburg-aan-de-geul", "vaals"]),
        "taakgericht-bgg-bgi-zin": (date(2030, 1, 1), ["maastricht", "meerssen", "valkenburg-aan-de-geul"]),
    }
    seed = next((ROOT.parent.parent / "shared" / "seeds").glob("004_*.txt"), None) if (
        ROOT.parent.parent / "shared" / "seeds").is_dir() else None
    bron = seed.read_text(encoding="utf-8") if seed else (DATA / "maastricht-heuvelland/documenten/"
                                                                 "uitvoeringsplan-2023.yaml").read_text(encoding="utf-8")
    for v in regio["varianten"]:
        assert v["tekst"] in bron


def test_check_refuses_a_gemeente_that_did_not_buy_the_variant(runner, mh):
    _variant(mh / "aanbieders" / "voorbeeld-wmo-compleet.yaml", "{taakgericht-bgg-zin-ouderen: [maastricht, vaals]}")
    result = runner.invoke(main, ["check", str(mh), "--controle", "variant-gemeente"])
    assert result.exit_code == 1
    assert ("gemeente 'Vaals' heeft de Taakgerichte uitvoeringsvariant BGG-ZIN-ouderen niet ingekocht; die variant "
            "geldt alleen voor Maastricht, Eijsden-Margraten, Valkenburg aan de Geul") in result.output
    assert "'Maastricht' heeft" not in result.output


def test_a_jaarwissel_past_a_variants_end_date_is_refused(runner, mh):
    _variant(mh / "aanbieders" / "voorbeeld-wmo-compleet.yaml", "{taakgericht-bgg-zin-ouderen: [maastricht]}")
    # make 2027 the current year: the next year (2028) runs past 01-04-2028
    for pad in mh.rglob("*.yaml"):
        tekst = pad.read_text(encoding="utf-8")
        pad.write_text(tekst.replace("2018-12-31", "2027-12-31"), encoding="utf-8")
    bron = {p: p.read_bytes() for p in mh.rglob("*") if p.is_file()}
    result = runner.invoke(main, ["jaarwissel", str(mh), "2028", "--indexatie", "0"])
    assert result.exit_code == 1, result.output
    assert ("varianten.taakgericht-bgg-zin-ouderen: jaarwissel naar 2028: de Taakgerichte uitvoeringsvariant "
            "BGG-ZIN-ouderen loopt tot uiterlijk 01-04-2028 (uitvoeringsplan-2023); een versie t/m 31-12-2028 loopt "
            "daar voorbij") in result.output
    assert {p: p.read_bytes() for p in mh.rglob("*") if p.is_file()} == bron
    # the other variants run until 01-01-2030
    aanbieder = mh / "aanbieders" / "voorbeeld-wmo-compleet.yaml"
    aanbieder.write_text(aanbieder.read_text(encoding="utf-8").replace("taakgericht-bgg-zin-ouderen", "taakgericht-bgg-bgi-zin"),
                         encoding="utf-8")
    result = runner.invoke(main, ["jaarwissel", str(mh), "2028", "--indexatie", "0", "--proef"])
    assert result.exit_code == 0, result.output
