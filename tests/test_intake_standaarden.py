"""Issue 29, intake: every error of every row in one run, messages that quote the value as typed and say
what is allowed, columns that must stay empty, phone numbers alike in CSV and xlsx, unchanged rows,
leading zeros in the CSV overview, control characters; and the marked workbook (intake.gemarkeerd)."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from openpyxl import Workbook, load_workbook

from contractgen.cli import main
from contractgen.intake.aanbieders import importeer
from contractgen.intake.gemarkeerd import markeer
from contractgen.intake.tabel import ImportFout

FIXTURE = ROOT / "tests" / "fixtures" / "aanbieders_mini"

KOP = ["naam", "kvk", "vertegenwoordiger", "contactpersoon", "contactpersoon e-mail", "contactpersoon telefoon",
       "domeinen", "arrangementen", "personen", "omzet", "uitsluitingsgronden", "tarief consultatie-hbo",
       "maximum consultatie-hbo", "A1", "motivatie A1", "A2"]
# one row with ten mistakes, as a new inkoopteam member typed them
VEEL = ["Veel Fouten B.V.", "1234567", "V. Veel", "C. Contact", "contact@zorg", "431234567", "Jeugdzorg; Wmo",
        "jeugd-regie", "12", "ca. 80.000", "31-02-2019", "80", "200", "NVT", "klein", "NVT"]
GOED = ["Goede Zorg B.V.", "06789012", "G. Goed", "C. Contact", "c@goed.example", "0431234567", "Jeugd",
        "jeugd-regie", "3", "80.000", "01-11-2017", "", "200", "Ja", "", "Ja"]

# column → the words the CLI says (after 'kolom X 'kop': '), each quoting the value as typed
VERWACHT = {
    "B": "ongeldig KvK-nummer '1234567'; verwacht precies 8 cijfers",
    "E": "ongeldig e-mailadres 'contact@zorg'; verwacht één adres zoals naam@organisatie.nl",
    "F": "telefoonnummer '431234567' heeft 9 cijfers en begint niet met 0 of +: de 0 aan het begin is weggevallen",
    "G": "onbekend domein 'Jeugdzorg' (bedoelde u 'Jeugd'?); de domeinen van Regio Mini zijn: Jeugd, Wmo",
    "J": "ongeldig bedrag 'ca. 80.000'; verwacht een bedrag in euro's zoals 80000, 80.000, 80.000,50 of € 80.000",
    "K": "datum '31-02-2019' bestaat niet: februari 2019 heeft 28 dagen",
    "L": "deze kolom blijft leeg: het tarief staat vast in tariefset 'uurtarieven-2018' (€ 70); maak de cel leeg "
         "(er staat '80')",
    "N": "NVT bij eis A1 mag alleen als niet meer dan 5 personen zorg verlenen; deze aanbieder heeft er 12",
    "P": "NVT bij eis A2 mag alleen voor een aanbieder die niet inschrijft voor Wmo; deze aanbieder heeft domein Wmo",
}


@pytest.fixture
def am(tmp_path: Path) -> Path:
    doel = tmp_path / "am"
    shutil.copytree(FIXTURE, doel)
    return doel


def _csv(pad: Path, *rijen: list) -> Path:
    with pad.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rijen)
    return pad


def _xlsx(pad: Path, *rijen: list) -> Path:
    boek = Workbook()
    boek.active.title = "Aanbieders"
    for rij in rijen:
        boek.active.append(rij)
    for cel in boek.active["B"] + boek.active["F"]:
        cel.data_type = "s"
    boek.save(pad)
    return pad


def _importeer(runner, bestand: Path, data: Path, *extra: str):
    return runner.invoke(main, ["aanbieders", "importeer", str(bestand), "--data", str(data), *extra])


@pytest.mark.parametrize("soort", ["csv", "xlsx"])
def test_every_error_of_a_row_comes_in_one_run(runner, am, tmp_path, soort):
    bestand = (_csv if soort == "csv" else _xlsx)(tmp_path / f"veel.{soort}", KOP, GOED, VEEL)
    result = _importeer(runner, bestand, am)
    assert result.exit_code == 1
    regels = [r for r in result.output.splitlines() if ":3:" in r]
    per_kolom: dict[str, list[str]] = {}
    for regel in regels:
        kolom = regel.split(": kolom ", 1)[1][0]
        per_kolom.setdefault(kolom, []).append(regel)
    for kolom, woorden in VERWACHT.items():
        assert any(woorden in r for r in per_kolom.get(kolom, [])), (kolom, woorden, result.output)
    assert ": kolom H " not in result.output  # no rule judged on the domeinen being corrected
    assert not re.search(r"^veel\.\w+( \(blad \w+\))?:2:", result.output, re.M)  # the good row is silent
    assert "er is niets geïmporteerd" in result.output
    assert sorted(p.name for p in (am / "aanbieders").iterdir()) == ["voorbeeld.yaml"]


@pytest.mark.parametrize("soort", ["csv", "xlsx"])
def test_a_missing_person_is_marked_at_its_column_not_at_the_first(am, tmp_path, soort):
    """An empty 'vertegenwoordiger' cell: the model misses the whole person; the error is at that column (C),
    so the marked workbook comments the cell to fill, not the name in column A."""
    zonder = list(GOED)
    zonder[0], zonder[1], zonder[2] = "Zonder Vertegenwoordiger B.V.", "06789013", ""
    bestand = (_csv if soort == "csv" else _xlsx)(tmp_path / f"zonder.{soort}", KOP, zonder)
    with pytest.raises(ImportFout) as fout:
        importeer(bestand, am, proef=True)
    assert [(p.regel, p.kolom, p.pad, p.bericht) for p in fout.value.problemen] == [
        (2, 3, "kolom C 'vertegenwoordiger'", "verplicht veld ontbreekt")]


def test_phone_numbers_that_lost_their_zero_are_refused_in_csv_as_in_xlsx(am, tmp_path):
    kop = ["naam", "kvk", "vertegenwoordiger", "domeinen", "contactpersoon", "contactpersoon telefoon"]
    rij = ["Tel Zorg", "87654320", "T. Tel", "Jeugd", "C. C", "431234567"]
    boek = Workbook()
    boek.active.append(kop)
    boek.active.append(rij[:5] + [431234567])  # the number Excel made of it
    boek.save(tmp_path / "tel.xlsx")
    meldingen = []
    for bestand in (_csv(tmp_path / "tel.csv", kop, rij), tmp_path / "tel.xlsx"):
        with pytest.raises(ImportFout) as fout:
            importeer(bestand, am, proef=True)
        [p] = fout.value.problemen
        assert (p.regel, p.kolom) == (2, 6)
        meldingen.append(p.bericht)
    assert all("'431234567'" in m and "de 0 aan het begin is" in m for m in meldingen)
    # with the 0, or international, it is read
    for nummer in ("0431234567", "043-1234567", "+31431234567"):
        importeer(_csv(tmp_path / "ok.csv", kop, rij[:5] + [nummer]), am, proef=True)


def test_reimporting_unchanged_rows_says_ongewijzigd_and_writes_nothing(runner, am, tmp_path):
    kop = ["naam", "kvk", "vertegenwoordiger", "domeinen", "arrangementen"]
    bestand = _csv(tmp_path / "een.csv", kop, ["Een Zorg", "87654320", "E. Een", "Jeugd", "jeugd-regie"])
    assert _importeer(runner, bestand, am).exit_code == 0
    pad = am / "aanbieders" / "een-zorg.yaml"
    voor = (pad.read_bytes(), pad.stat().st_mtime_ns)
    result = _importeer(runner, bestand, am, "--bijwerken")
    assert result.exit_code == 0, result.output
    assert f"ongewijzigd: {pad}" in result.output
    assert "1 aanbieder(s) geïmporteerd: 0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in result.output
    assert (pad.read_bytes(), pad.stat().st_mtime_ns) == voor
    bestand = _csv(tmp_path / "een.csv", kop, ["Een Zorg", "87654320", "E. Anders", "Jeugd", "jeugd-regie"])
    result = _importeer(runner, bestand, am, "--bijwerken")
    assert "1 aanbieder(s) geïmporteerd: 0 nieuw, 1 bijgewerkt" in result.output


def test_the_template_marks_the_columns_that_must_stay_empty(runner, am, tmp_path):
    doel = tmp_path / "intake.xlsx"
    assert runner.invoke(main, ["aanbieders", "sjabloon", "--data", str(am), "--uitvoer", str(doel)]).exit_code == 0
    blad = load_workbook(doel)["Aanbieders"]
    kop = [c.value for c in blad[1]]
    vast, open_ = kop.index("tarief consultatie-hbo") + 1, kop.index("tarief detachering-hbo") + 1
    assert blad.cell(2, vast).value == "LEEG LATEN: het tarief staat vast in tariefset 'uurtarieven-2018' (€ 70)"
    assert "Laat deze kolom leeg: het tarief staat vast" in blad.cell(1, vast).comment.text
    assert blad.cell(3, vast).fill.fgColor.rgb == "00D9D9D9" and blad.cell(3, open_).fill.fgColor.rgb != "00D9D9D9"
    regels = [v for v in blad.data_validations.dataValidation if v.type == "textLength"]
    assert [str(v.sqref) for v in regels] == [f"{blad.cell(3, vast).column_letter}3:{blad.cell(3, vast).column_letter}502"]


def test_csv_overview_keeps_leading_zeros_in_a_dutch_spreadsheet(runner, am, tmp_path):
    kop = ["naam", "kvk", "vertegenwoordiger", "domeinen"]
    assert _importeer(runner, _csv(tmp_path / "n.csv", kop, ["Nul Zorg", "06789012", "N. Nul", "Jeugd"]),
                      am).exit_code == 0
    result = runner.invoke(main, ["overzicht", str(am), "--formaat", "csv", "--uitvoer", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert ';"=""06789012"""' in result.output  # a cell ="06789012": Excel and Calc show the text 06789012
    rijen = {r["naam"]: r for r in csv.DictReader(io.StringIO(result.output), delimiter=";")}
    assert rijen["Nul Zorg"]["kvk"] == '="06789012"' and rijen["Zorg & Co <test> {{ x }}"]["kvk"] == "12345678"


@pytest.mark.parametrize("teken,naam", [("\x0b", "\\v"), ("\x0c", "\\f")])
def test_a_control_character_in_a_cell_is_refused_naming_it(am, tmp_path, teken, naam):
    kop = ["naam", "kvk", "vertegenwoordiger", "domeinen"]
    with pytest.raises(ImportFout) as fout:
        importeer(_csv(tmp_path / "s.csv", kop, [f"Schrijf{teken}voorbeeld", "87654320", "S. S", "Jeugd"]), am)
    [p] = fout.value.problemen
    assert (p.regel, p.kolom) == (2, 1) and f"teken {naam} (U+{ord(teken):04X}" in p.bericht
    assert "na “Schrijf”" in p.bericht


def test_control_characters_stop_every_exporter_at_load(runner, am, tmp_path):
    """validate, overzicht (tekst, csv, xlsx) and build all refuse the data; none drops or crashes on it."""
    voorbeeld = am / "aanbieders" / "voorbeeld.yaml"
    voorbeeld.write_text(voorbeeld.read_text(encoding="utf-8").replace('naam: "C. Contact"', 'naam: "C.\\vContact"'),
                         encoding="utf-8")
    melding = "teken \\v (U+000B, een regeleinde uit Word (Shift+Enter))"
    for opdracht in (["validate", str(am)], ["build", str(am), "--uitvoer", str(tmp_path / "b"), "--geen-pdf"]):
        result = runner.invoke(main, opdracht)
        assert result.exit_code == 1, (opdracht, result.output)
        assert "voorbeeld.yaml:9:24:" in result.output and melding in result.output, (opdracht, result.output)
    # the overview lists the problem (it exists to show them) and writes every format, never crashing
    for formaat in ("tekst", "csv", "xlsx"):
        uit = tmp_path / f"overzicht.{formaat}"
        result = runner.invoke(main, ["overzicht", str(am), "--formaat", formaat, "--uitvoer", str(tmp_path / "o")]
                               + (["--bestand", str(uit)] if formaat == "xlsx" else []))
        assert "interne fout" not in result.output and "\x0b" not in result.output, (formaat, result.output)
        if formaat == "tekst":
            assert melding in result.output, (formaat, result.output)
        elif formaat == "csv":
            [rij] = csv.DictReader(io.StringIO(result.output), delimiter=";")
            assert rij["fouten"] == "1"
        else:
            assert result.exit_code == 0, result.output
            berichten = [r[6] for r in load_workbook(uit)["Problemen"].iter_rows(min_row=2, values_only=True)]
            assert any(melding in b for b in berichten)
    assert not (tmp_path / "b").exists()


# --- the marked workbook ---------------------------------------------------------------


@pytest.mark.parametrize("soort", ["xlsx", "csv"])
def test_the_marked_workbook_has_each_error_on_its_cell(runner, am, tmp_path, soort):
    bestand = (_csv if soort == "csv" else _xlsx)(tmp_path / f"veel.{soort}", KOP, GOED, VEEL)
    uit = tmp_path / "gemarkeerd.xlsx"
    result = _importeer(runner, bestand, am, "--gemarkeerd", str(uit))
    assert result.exit_code == 1
    assert f"gemarkeerd: {uit} (9 cel(len) gekleurd en toegelicht; het blad Fouten noemt ze allemaal)" in result.output
    regels = result.output.splitlines()

    boek = load_workbook(uit)
    assert boek.sheetnames == ["Fouten", "Aanbieders"]
    blad = boek["Aanbieders"]
    assert [c.value for c in blad[1]] == KOP and [c.value for c in blad[3]][:2] == ["Veel Fouten B.V.", "1234567"]
    for kolom, woorden in VERWACHT.items():
        cel = blad[f"{kolom}3"]
        assert cel.comment is not None and woorden in cel.comment.text, (kolom, cel.comment)
        assert cel.fill.fgColor.rgb == "00F4B6B6"
        # the same words as the CLI line for this cell
        cli = [r.split(": ", 1)[1] for r in regels if r.startswith(f"veel.{soort}") and f":3:{blad[kolom + '3'].column}:" in r]
        assert cli and all(f"Fout: {w}" in cel.comment.text for w in cli)
    # two problems on one cell: both in its comment
    assert blad["P3"].comment.text.count("Fout: ") == 2
    # the good row and the cells without a problem are untouched
    assert all(c.comment is None and c.fill.fgColor.rgb != "00F4B6B6" for c in blad[2])
    assert blad["A3"].comment is None and blad["H3"].comment is None

    fouten = boek["Fouten"]
    assert fouten["A1"].value.startswith("10 fout(en) en 0 waarschuwing(en) in veel.")
    rijen = [[c.value for c in r] for r in fouten.iter_rows(min_row=3)]
    assert len(rijen) == 10 and [r[1] for r in rijen[:2]] == ["B3", "E3"]
    assert {r[5] for r in rijen} == {r for r in regels if r.startswith(f"veel.{soort}")}
    assert fouten["B3"].hyperlink.location == "'Aanbieders'!B3" or fouten["B3"].hyperlink.target.endswith("B3")


def test_untrusted_text_in_the_marked_workbook_stays_text(am, tmp_path):
    kop = ["naam", "kvk", "vertegenwoordiger", "domeinen"]
    bestand = _csv(tmp_path / "x.csv", kop, ['=HYPERLINK("http://x","klik")', "123", "@SUM(A1)", "=1+1"])
    with pytest.raises(ImportFout) as fout:
        importeer(bestand, am)
    boek = markeer(bestand, fout.value.problemen)
    pad = tmp_path / "x.xlsx"
    boek.save(pad)
    blad = load_workbook(pad)["Aanbieders"]
    for adres in ("A2", "C2", "D2"):
        assert blad[adres].data_type == "s", adres  # a string cell, never a formula
    assert blad["A2"].value == '=HYPERLINK("http://x","klik")'
    assert "'=1+1'" in blad["D2"].comment.text  # the message quotes it as typed
    for rij in load_workbook(pad)["Fouten"].iter_rows(min_row=3):
        assert all(c.data_type in ("s", "n") for c in rij if c.value is not None)


def test_no_marked_workbook_without_errors(runner, am, tmp_path):
    uit = tmp_path / "g.xlsx"
    bestand = _csv(tmp_path / "ok.csv", ["naam", "kvk", "vertegenwoordiger", "domeinen"],
                   ["Ok Zorg", "87654320", "O. Ok", "Jeugd"])
    result = _importeer(runner, bestand, am, "--proef", "--gemarkeerd", str(uit))
    assert result.exit_code == 0, result.output
    assert not uit.exists()


def test_the_marked_workbook_never_overwrites_the_file_imported(runner, am, tmp_path):
    bestand = _xlsx(tmp_path / "veel.xlsx", KOP, VEEL)
    voor = bestand.read_bytes()
    result = _importeer(runner, bestand, am, "--gemarkeerd", str(bestand))
    assert result.exit_code == 2 and "dat is het bestand dat u importeert" in result.output
    assert bestand.read_bytes() == voor
