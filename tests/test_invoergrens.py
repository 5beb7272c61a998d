"""Trust at the YAML boundary (issue 14): what a user typed is what gets printed, or an error quoting it.

The loader resolves plain scalars by the YAML 1.2 core schema and keeps the text of every
number as typed; each case below is one of the reported YAML 1.1 surprises.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from conftest import docx_tekst
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from contractgen.cli import main
from contractgen.laden import bestand
from contractgen.laden.bestand import load_text
from contractgen.regels import load_valid
from contractgen.render.docx import Sjablonen, standaard_sjablonen_map
from contractgen.resolve.weergave import weergave


def _vervang(pad: Path, oud: str, nieuw: str) -> None:
    tekst = pad.read_text(encoding="utf-8")
    assert oud in tekst, oud
    pad.write_text(tekst.replace(oud, nieuw, 1), encoding="utf-8")


def _bouw(runner, data: Path, uitvoer: Path):
    result = runner.invoke(main, ["build", str(data), "--uitvoer", str(uitvoer), "--geen-pdf"])
    assert result.exit_code == 0, result.output
    return uitvoer / "mini" / "2018" / "voorbeeld"


def _validate_fouten(runner, data: Path) -> list[str]:
    result = runner.invoke(main, ["validate", str(data)])
    assert result.exit_code == 1, result.output
    return result.output.strip().splitlines()[:-1]


def test_lid_number_10_10_is_not_10_1(runner, mini, tmp_path):
    # the DVO printed "lid 10.1" twice: 10.10 was read as the float 10.1
    overeenkomst = mini / "documenten" / "overeenkomst.yaml"
    _vervang(overeenkomst, 'nummer: "2.1"', "nummer: 2.1")
    _vervang(overeenkomst, 'nummer: "2.2"', "nummer: 2.10")
    d = docx.Document(str(_bouw(runner, mini, tmp_path / "out") / "01-overeenkomst.docx"))
    leden = [p.text.split("\t")[0] for p in d.paragraphs if p.style.name == "Lid"]
    assert leden == ["2.1", "2.10"]


def test_telephone_number_keeps_its_leading_zero(runner, mini, tmp_path):
    # 0773456712 was read as an octal number and printed as 133062090
    _vervang(mini / "aanbieders" / "voorbeeld.yaml", 'vertegenwoordiger: {naam: "A. Jansen", functie: "Directeur"}',
             'vertegenwoordiger: {naam: "A. Jansen", functie: "Directeur"}\n'
             "rollen:\n  contactpersoon:\n    naam: C. Contact\n    telefoon: 0773456712")
    _vervang(mini / "documenten" / "prijsbijlage.yaml", '  - alinea: "Naam opdrachtnemer: [[aanbieder.naam]]"',
             '  - alinea: "Naam opdrachtnemer: [[aanbieder.naam]]"\n'
             '  - alinea: "Telefoon: [[aanbieder.rol.contactpersoon.telefoon]]"')
    tekst = docx_tekst(_bouw(runner, mini, tmp_path / "out") / "02-prijsbijlage.docx")
    assert "Telefoon: 0773456712" in tekst
    assert "133062090" not in tekst


def test_table_cells_are_printed_as_typed(runner, mini, tmp_path):
    # 1.250, 8:30 and 010 came out as 1.25, 510 (base 60) and 8 (octal)
    _vervang(mini / "documenten" / "prijsbijlage.yaml", "  - arrangementen: {tarieven: jeugd}",
             "  - tabel:\n      kolommen: [Aantal, Tijd, Code, Hex]\n"
             "      rijen:\n        - [1.250, 8:30, 010, 0x1F]\n        - - 1e3\n          - 12:00:00\n"
             "          - +31\n          - .5\n"
             "  - arrangementen: {tarieven: jeugd}")
    d = docx.Document(str(_bouw(runner, mini, tmp_path / "out") / "02-prijsbijlage.docx"))
    tabel = next(t for t in d.tables if t.rows[0].cells[0].text == "Aantal")
    assert [[c.text for c in r.cells] for r in tabel.rows[1:]] == [["1.250", "8:30", "010", "0x1F"],
                                                                   ["1e3", "12:00:00", "+31", ".5"]]


def test_answer_no_is_refused_quoting_what_was_typed(runner, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "aanbieders_mini", data)
    _vervang(data / "aanbieders" / "voorbeeld.yaml", "B1: {antwoord: Ja}", "B1: {antwoord: NO}")
    fouten = _validate_fouten(runner, data)
    assert len(fouten) == 1
    assert fouten[0].endswith("kwaliteitseisen.B1.antwoord: ongeldige waarde 'NO'; verwacht een van: Ja, Nee, NVT")
    assert "False" not in fouten[0]


@pytest.mark.parametrize("regel,verwacht", [
    ("kvk: 0123456", "kvk: ongeldig KvK-nummer '0123456'; verwacht precies 8 cijfers"),  # not '42798' (octal)
    ("kvk: 1234567.0", "kvk: ongeldig KvK-nummer '1234567.0'; verwacht precies 8 cijfers"),
    ("kvk: ~", "kvk: verwacht tekst, niet '~'"),
    ("kvk: true", "kvk: verwacht tekst, niet 'true'"),
    ("kvk:", "kvk: verwacht tekst; de waarde is leeg"),
    ("kvk: 0x1234567", "kvk: ongeldig KvK-nummer '0x1234567'; verwacht precies 8 cijfers"),
])
def test_messages_quote_the_value_as_typed(runner, mini, regel, verwacht):
    _vervang(mini / "aanbieders" / "voorbeeld.yaml", 'kvk: "12345678"', regel)
    fouten = _validate_fouten(runner, mini)
    assert [f.split("/mini/", 1)[1] for f in fouten] == [f"aanbieders/voorbeeld.yaml:4:1: {verwacht}"]


def test_kvk_with_leading_zero_unquoted_is_valid(runner, mini):
    # YAML 1.1 read 01234567 as the octal number 342391
    _vervang(mini / "aanbieders" / "voorbeeld.yaml", 'kvk: "12345678"', "kvk: 01234567")
    regio = load_valid(mini)[0]
    assert regio.aanbieder("voorbeeld").kvk == "01234567"


@pytest.mark.parametrize("tekst,verwacht", [
    ("NO", "NO"), ("yes", "yes"), ("on", "on"), ("8:30", "8:30"), ("2018-01-01", "2018-01-01"),
    ("010", 10), ("0o17", 15), ("0x1F", 31), ("1.250", 1.25), ("true", True), ("False", False), ("~", None),
])
def test_plain_scalars_follow_the_yaml_1_2_core_schema(tekst, verwacht):
    waarde = load_text(f"a: {tekst}\n", "x.yaml").data["a"]
    assert waarde == verwacht and type(waarde) in {type(verwacht), *type(verwacht).__subclasses__()}
    if isinstance(verwacht, (int, float)) and not isinstance(verwacht, bool):
        assert waarde.ruw == tekst  # the text as typed travels with the number


def test_a_number_as_key_keeps_its_text():
    assert list(load_text("10.10: a\n10.1: b\n", "x.yaml").data) == ["10.10", "10.1"]


def test_fast_and_careful_parser_give_the_same_data():
    tekst = "a: [1.250, 8:30, 010, NO, ~, true]\nb: {c: 0773456712, d: 2018-02-30}\n"
    snel = bestand._snel(tekst, "x.yaml", Path("x.yaml"))
    assert snel is not None  # libyaml takes this file
    zorgvuldig = bestand._Loader(tekst, "x.yaml").get_single_data()
    assert snel.data == zorgvuldig
    assert [getattr(v, "ruw", v) for v in snel.data["a"]] == [getattr(v, "ruw", v) for v in zorgvuldig["a"]]
    assert snel.data["a"].ruw == zorgvuldig["a"].ruw == {4: "~", 5: "true"}


# --- property: any unquoted scalar in a text field is printed as typed, or refused quoting it ----------


@pytest.fixture(scope="module")
def omgeving(tmp_path_factory):
    mini = tmp_path_factory.mktemp("hyp") / "mini"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", mini)
    pad = mini / "aanbieders" / "voorbeeld.yaml"
    return pad, pad.read_text(encoding="utf-8"), Sjablonen(standaard_sjablonen_map())


SCALAIRS = st.one_of(
    st.from_regex(r"[-+]?[0-9]{1,12}([.:][0-9]{0,6})*([eE][-+]?[0-9]{1,3})?", fullmatch=True),
    st.sampled_from(["NO", "No", "no", "yes", "Y", "on", "OFF", "true", "False", "TRUE", "null", "Null", "~",
                     ".inf", "-.Inf", ".NaN", "0o17", "0x1F", "0b101", "1_000", "12:30:00", "2018-02-30"]),
    st.text(st.sampled_from("0123456789.:-+eEoxabNOYST ,/&'()"), min_size=1, max_size=16),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tekst=SCALAIRS)
def test_any_unquoted_scalar_in_a_text_field_is_printed_as_typed_or_refused_quoting_it(omgeving, tekst):
    try:
        node = yaml.compose(f"naam: {tekst}\n")
    except yaml.YAMLError:
        assume(False)
    waarde = node.value[0][1]
    assume(isinstance(waarde, yaml.ScalarNode) and waarde.style is None and waarde.value == tekst)
    pad, basis, sjablonen = omgeving
    pad.write_text(re.sub(r'(?m)^naam: .*$', lambda _: f"naam: {tekst}", basis), encoding="utf-8")
    try:
        regio = load_valid(pad.parent.parent)[0]
    except Exception as fout:  # noqa: BLE001 - the refusal must quote the text
        assert f"'{tekst}'" in str(fout), str(fout)
        return
    aanbieder = regio.aanbieder("voorbeeld")
    doc = next(d for d in regio.documenten if d.id == "prijsbijlage")
    d = docx.Document(io.BytesIO(sjablonen.get("document").render(
        weergave(regio, doc, aanbieder, regio.regio.standaard_peildatum).context)))
    alinea = next(p.text for p in d.paragraphs if p.text.startswith("Naam opdrachtnemer: "))
    assert alinea == f"Naam opdrachtnemer: {tekst}"
