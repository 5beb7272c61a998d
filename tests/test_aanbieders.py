"""Aanbieders: the rules of bijlage 3 and the DVO, bulk import, the overview, and filled documents."""

from __future__ import annotations

import csv
import io
import os
import shutil
from datetime import datetime
from pathlib import Path

import docx
import pytest
from conftest import DATA, ROOT, alle_tabellen, docx_tekst

from contractgen.cli import main
from contractgen.laden.regio import load_dataset
from contractgen.regels.integriteit import check_integrity

FIXTURE = ROOT / "tests" / "fixtures" / "aanbieders_mini"
VOORBEELD = Path("aanbieders") / "voorbeeld.yaml"


@pytest.fixture
def am(tmp_path: Path) -> Path:
    """A private copy of the aanbieders fixture that a test may change."""
    doel = tmp_path / "am"
    shutil.copytree(FIXTURE, doel)
    return doel


def _vervang(pad: Path, *paren: str) -> None:
    tekst = pad.read_text(encoding="utf-8")
    for oud, nieuw in zip(paren[::2], paren[1::2]):
        assert oud in tekst, oud
        tekst = tekst.replace(oud, nieuw, 1)
    pad.write_text(tekst, encoding="utf-8")


def _meldingen(runner, data: Path) -> list[str]:
    """'veld: bericht' of every line `validate` prints, for data that has errors."""
    result = runner.invoke(main, ["validate", str(data)])
    assert result.exit_code == 1, result.output
    regels = result.output.strip().splitlines()
    assert regels[-1].endswith("fout(en) gevonden; er is niets geschreven.")
    return [r.split(": ", 1)[1] for r in regels[:-1]]


def _problemen(data: Path):
    regios, problemen = load_dataset(data)
    return problemen + check_integrity(regios[0])


# --- rules -----------------------------------------------------------------------------


def test_complete_aanbieder_is_silent(am):
    assert _problemen(am) == []


NVT_A1 = ('A1: {antwoord: Ja}', 'A1: {antwoord: NVT, motivatie: "Klein team."}')


@pytest.mark.parametrize("wijziging, verwacht", [
    (NVT_A1,
     "kwaliteitseisen.A1.antwoord: NVT bij eis A1 mag alleen als niet meer dan 5 personen zorg verlenen; "
     "deze aanbieder heeft er 12 (personen)"),
    (NVT_A1 + ("personen: 12\n", ""),
     "kwaliteitseisen.A1.antwoord: NVT bij eis A1 mag alleen als niet meer dan 5 personen zorg verlenen; "
     "vul 'personen' in (het aantal personen dat zorg verleent, ingehuurde krachten meegeteld)"),
    (("domeinen: [jeugd]", "domeinen: [jeugd, wmo]"),
     "kwaliteitseisen.A2.antwoord: NVT bij eis A2 mag alleen voor een aanbieder die niet inschrijft voor Wmo; "
     "deze aanbieder heeft domein Wmo"),
    (('C1: {antwoord: Ja}', 'C1: {antwoord: NVT, motivatie: "Klein."}'),
     "kwaliteitseisen.C1.antwoord: NVT bij eis C1 mag alleen voor een ZZP'er; deze aanbieder is geen ZZP'er (zzp: false)"),
    (("arrangementen: [jeugd-begeleiding, jeugd-regie]", "arrangementen: [jeugd-begeleiding, jeugd-regie, jeugd-verblijf]"),
     "kwaliteitseisen.E4.antwoord: NVT bij eis E4 mag alleen voor een aanbieder die geen verblijf of crisis verblijf "
     "biedt; deze aanbieder contracteert 'jeugd-verblijf'"),
    (("personen: 12", "personen: 12\nverblijf: true"),
     "kwaliteitseisen.E4.antwoord: NVT bij eis E4 mag alleen voor een aanbieder die geen verblijf of crisis verblijf "
     "biedt; deze aanbieder biedt verblijf (verblijf: true)"),
    (("arrangementen: [jeugd-begeleiding, jeugd-regie]", "arrangementen: [jeugd-begeleiding, jeugd-regie, jeugd-dyslexie]"),
     "kwaliteitseisen.E7.antwoord: NVT bij eis E7 mag alleen voor een aanbieder die geen dyslexiezorg verleent; "
     "deze aanbieder contracteert 'jeugd-dyslexie'"),
    (('E8: {antwoord: Ja}', 'E8: {antwoord: NVT, motivatie: "Geen regie."}'),
     "kwaliteitseisen.E8.antwoord: NVT bij eis E8 mag alleen voor een aanbieder die het arrangement regie niet "
     "contracteert; deze aanbieder contracteert 'jeugd-regie'"),
    (("arrangementen: [jeugd-begeleiding, jeugd-regie]", "arrangementen: [jeugd-begeleiding, jeugd-regie, jeugd-pleegzorg]"),
     "kwaliteitseisen.E9.antwoord: NVT bij eis E9 mag alleen voor een aanbieder die het arrangement pleegzorg niet "
     "contracteert; deze aanbieder contracteert 'jeugd-pleegzorg'"),
    (('F1: {antwoord: Ja}', 'F1: {antwoord: NVT, motivatie: "Alleen Wmo."}'),
     "kwaliteitseisen.F1.antwoord: NVT bij eis F1 mag alleen voor een aanbieder die uitsluitend Wmo-zorg verleent; "
     "deze aanbieder heeft ook domein 'jeugd'"),
    (('B1: {antwoord: Ja}', 'B1: {antwoord: NVT, motivatie: "Geldt niet."}'),
     "kwaliteitseisen.B1.antwoord: NVT is bij eis B1 niet toegestaan; alleen bij A1, A2, C1, E4, E7, E8, E9, F1 "
     "mag NVT (vul anders Ja in, of Nee met motivatie)"),
    (('"D2-2": {antwoord: Nee, motivatie: "Alleen op werkdagen bereikbaar."}', '"D2-2": {antwoord: Nee}'),
     "kwaliteitseisen.D2-2: antwoord Nee bij eis D2 (D2-2) moet worden gemotiveerd; vul 'motivatie' in "
     "(die komt in de motivatietabel van de bijlage)"),
    (('E9: {antwoord: NVT, motivatie: "Contracteert geen pleegzorg."}', 'E9: {antwoord: NVT, motivatie: " "}'),
     "kwaliteitseisen.E9: antwoord NVT bij eis E9 moet worden gemotiveerd; vul 'motivatie' in "
     "(die komt in de motivatietabel van de bijlage)"),
    (("arrangementen: [jeugd-begeleiding, jeugd-regie]",
      "arrangementen: [jeugd-begeleiding, jeugd-regie, jeugd-verblijf]\nverblijf: false",
      'E4: {antwoord: NVT, motivatie: "Biedt geen verblijf."}', 'E4: {antwoord: Ja}'),
     "arrangementen.2: arrangement 'jeugd-verblijf' is een verblijfsarrangement, maar deze aanbieder biedt geen "
     "verblijf (verblijf: false)"),
    (("verklaard: true", "verklaard: false"),
     "uitsluitingsgronden.verklaard: de verklaring uitsluitingsgronden (bijlage 6) is niet afgegeven; op opdrachtnemer "
     "en onderaannemers mag geen uitsluitingsgrond van toepassing zijn"),
    (('consultatie-hbo: {maximum: "200"}', 'consultatie-hbo: {maximum: "200", tarief: "80"}'),
     "uurtarieven.consultatie-hbo.tarief: het tarief van 'consultatie-hbo' staat vast in tariefset "
     "'uurtarieven-2018' (€ 70); laat 'tarief' weg"),
    (('agb: "98000001"', 'agb: "9800"'), "agb: ongeldige AGB-code '9800'; verwacht precies 8 cijfers"),
    (('postcode: "6211 AA"', 'postcode: "62111"'),
     "vestigingsadres.postcode: ongeldige postcode '62111'; verwacht vier cijfers en twee letters, bijv. '6211 AA'"),
    (('maximum: "1.5"', 'maximum: "1,5"'),
     "uurtarieven.detachering-hbo.maximum: ongeldig maximum '1,5'; verwacht een aantal, bijv. '400' (uren) of "
     "'1.5' (fte), met een punt als decimaalteken"),
])
def test_rule_fires_with_its_dutch_message(runner, am, wijziging, verwacht):
    _vervang(am / VOORBEELD, *wijziging)
    assert _meldingen(runner, am) == [verwacht]


@pytest.mark.parametrize("wijziging", [
    # at most 5 persons: NVT at A1 allowed
    NVT_A1 + ("personen: 12", "personen: 5"),
    # a ZZP'er may answer NVT at C1
    ('C1: {antwoord: Ja}', 'C1: {antwoord: NVT, motivatie: "ZZP."}', "personen: 12", "personen: 1\nzzp: true"),
    # Gezinshuizen is no verblijf arrangement (bijlage 2.1: losgekoppeld van het arrangement verblijf)
    ("arrangementen: [jeugd-begeleiding, jeugd-regie]", "arrangementen: [jeugd-begeleiding, jeugd-regie, jeugd-gezinshuizen]"),
    # a Wmo-only aanbieder may answer NVT at F1, and must answer A2
    ("domeinen: [jeugd]", "domeinen: [wmo]", "arrangementen: [jeugd-begeleiding, jeugd-regie]",
     "arrangementen: [wmo-begeleiding]", 'A2: {antwoord: NVT, motivatie: "Schrijft niet in voor Wmo."}',
     'A2: {antwoord: Ja}', 'E8: {antwoord: Ja}', 'E8: {antwoord: NVT, motivatie: "Geen regie."}',
     'F1: {antwoord: Ja}', 'F1: {antwoord: nvt, motivatie: "Alleen Wmo."}'),
    # a tarief where the tariff set leaves it open (detachering)
    ('tarief: "65000"', 'tarief: "70000"'),
])
def test_rule_stays_silent_when_the_answer_fits(am, wijziging):
    _vervang(am / VOORBEELD, *wijziging)
    assert _problemen(am) == []


def test_rule_names_file_line_and_column(runner, am):
    _vervang(am / VOORBEELD, *NVT_A1)
    result = runner.invoke(main, ["validate", str(am)])
    regel = next(r for r in result.output.splitlines() if "A1" in r)
    assert regel.split("/am/", 1)[1].startswith("aanbieders/voorbeeld.yaml:22:8: kwaliteitseisen.A1.antwoord: ")


def test_a_wmo_kortdurend_verblijf_counts_as_verblijf(runner, am):
    _vervang(am / VOORBEELD, "domeinen: [jeugd]", "domeinen: [jeugd, wmo]",
             "arrangementen: [jeugd-begeleiding, jeugd-regie]", "arrangementen: [jeugd-begeleiding, wmo-kortdurend-verblijf]",
             'A2: {antwoord: NVT, motivatie: "Schrijft niet in voor Wmo."}', "A2: {antwoord: Ja}",
             "E8: {antwoord: Ja}", 'E8: {antwoord: NVT, motivatie: "Geen regie."}')
    assert _meldingen(runner, am) == [
        "kwaliteitseisen.E4.antwoord: NVT bij eis E4 mag alleen voor een aanbieder die geen verblijf of crisis "
        "verblijf biedt; deze aanbieder contracteert 'wmo-kortdurend-verblijf'"]


def test_same_kvk_twice(runner, am):
    (am / "aanbieders" / "tweede.yaml").write_text(
        'id: tweede\nnaam: "Tweede"\nkvk: "12345678"\nvertegenwoordiger: {naam: "B. B"}\ndomeinen: [wmo]\n',
        encoding="utf-8")
    [melding] = [m for m in _meldingen(runner, am) if m.startswith("kvk:")]
    assert melding.startswith("kvk: KvK-nummer 12345678 staat ook bij aanbieder '")
    assert melding.endswith("; één aanbieder per KvK-nummer")


def test_missing_answers_are_a_warning_not_an_error(runner, am):
    _vervang(am / VOORBEELD, "  B1: {antwoord: Ja}\n", "", "  E8: {antwoord: Ja}\n", "")
    assert runner.invoke(main, ["validate", str(am)]).exit_code == 0
    [p] = _problemen(am)
    assert (p.ernst, p.pad, p.bericht) == (
        "waarschuwing", "kwaliteitseisen", "geen antwoord op 2 kwaliteitseis(en): B1, E8; verwacht Ja, Nee of NVT")


def test_social_return_threshold_must_stand_in_its_article(runner, am):
    _vervang(am / "regio.yaml", 'drempel: "100000"', 'drempel: "150000"')
    assert _meldingen(runner, am) == [
        "social_return.drempel: Mini-overeenkomst art. 3.1 noemt het bedrag € 150.000 niet; neem de drempel over "
        "zoals de bron die noemt"]
    _vervang(am / "regio.yaml", 'drempel: "150000"', 'drempel: "100000"', "art-3.1", "art-9")
    assert _meldingen(runner, am) == [
        "social_return.artikel: onbekende vindplaats 'overeenkomst:art-9'; verwacht DOC:ID van het artikel dat de "
        "drempel noemt, bijv. dvo:art-24.2"]


def test_real_threshold_is_the_one_dvo_art_24_2_states():
    import yaml

    regio = yaml.safe_load((DATA / "maastricht-heuvelland" / "regio.yaml").read_text(encoding="utf-8"))
    assert regio["social_return"] == {"drempel": "100000", "artikel": "dvo:art-24.2"}


# --- import ----------------------------------------------------------------------------

KOP = ["naam", "kvk", "agb", "vertegenwoordiger", "vertegenwoordiger functie", "domeinen", "arrangementen",
       "personen", "omzet", "uitsluitingsgronden", "A1", "motivatie A1", "B1"]
GOED = ["Nieuwe Zorg B.V.", "87654320", "98000002", "N. Nieuw", "Directeur", "Jeugd", "84310; jeugd-regie", "3",
        "€ 250.000", "01-11-2017", "nvt", "Drie personen", "ja"]
FOUT = ["Foute Zorg", "123", "", "F. Fout", "Eigenaar", "jeugd", "jeugd-regie", "1", "", "", "Ja", "", "Ja"]


def _csv(pad: Path, *rijen: list, scheiding: str = ";") -> Path:
    with pad.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=scheiding).writerows(rijen)
    return pad


def _xlsx(pad: Path, *rijen: list) -> Path:
    from openpyxl import Workbook

    boek = Workbook()
    for rij in rijen:
        boek.active.append(rij)
    boek.save(pad)
    return pad


def _importeer(runner, bestand: Path, data: Path, *extra: str):
    return runner.invoke(main, ["aanbieders", "importeer", str(bestand), "--data", str(data), *extra])


def _aanbieder_bestanden(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((data / "aanbieders").iterdir())}


def test_import_csv_writes_valid_aanbieders(runner, am, tmp_path):
    result = _importeer(runner, _csv(tmp_path / "export.csv", KOP, GOED), am)
    assert result.exit_code == 0, result.output
    assert "nieuw: " in result.output and "1 aanbieder(s) geïmporteerd: 1 nieuw, 0 bijgewerkt" in result.output
    # unanswered eisen are reported, not refused
    assert "gelezen: export.csv (UTF-8, gescheiden door puntkomma)" in result.output
    assert "let op: export.csv:2:1: kwaliteitseisen: geen antwoord op 9 kwaliteitseis(en)" in result.output
    assert runner.invoke(main, ["validate", str(am)]).exit_code == 0
    regios, _ = load_dataset(am)
    nieuw = next(a for a in regios[0].aanbieders if a.id == "nieuwe-zorg-b-v")
    assert nieuw.kvk == "87654320" and nieuw.domeinen == ["jeugd"]
    # a productcode contracts its whole arrangement
    assert nieuw.arrangementen == ["jeugd-begeleiding", "jeugd-regie"]
    assert str(nieuw.omzet_verwacht) == "250000" and nieuw.uitsluitingsgronden.verklaard
    assert nieuw.kwaliteitseisen["A1"].antwoord == "NVT" and nieuw.kwaliteitseisen["B1"].antwoord == "Ja"


def test_import_with_a_bad_row_writes_nothing(runner, am, tmp_path):
    voor = _aanbieder_bestanden(am)
    result = _importeer(runner, _csv(tmp_path / "export.csv", KOP, GOED, FOUT), am)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "export.csv:3:2: kolom B 'kvk': ongeldig KvK-nummer '123'; verwacht precies 8 cijfers",
        "1 fout(en) gevonden; er is niets geïmporteerd.",
        "gelezen: export.csv (UTF-8, gescheiden door puntkomma)"]
    assert _aanbieder_bestanden(am) == voor
    assert not any(p.name.startswith(".aanbieders-import") for p in am.parent.iterdir())


def test_import_applies_the_rules_per_row(runner, am, tmp_path):
    rij = GOED[:7] + ["12"] + GOED[8:]
    result = _importeer(runner, _csv(tmp_path / "export.csv", KOP, rij), am)
    assert result.exit_code == 1
    assert "export.csv:2:11: kolom K 'A1': NVT bij eis A1 mag alleen als niet meer dan 5 personen zorg verlenen; " \
           "deze aanbieder heeft er 12 (personen)" in result.output


def test_import_xlsx(runner, am, tmp_path):
    kop = KOP[:9] + ["uitsluitingsgronden"]
    # number cells as Excel gives them: a KvK-nummer as text (a number would have lost its 0), a date as a date
    goed = ["Excel Zorg", "01234567", 98000002, "E. Excel", "Manager", "Jeugd", "jeugd-regie", 2, 250000.0,
            datetime(2017, 11, 1)]
    fout = ["Foute Zorg", 123, None, "F. Fout", "Eigenaar", "jeugd", "jeugd-regie", 1, None, "misschien"]
    voor = _aanbieder_bestanden(am)
    result = _importeer(runner, _xlsx(tmp_path / "export.xlsx", kop, goed, fout), am)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "export.xlsx (blad Sheet):3:2: kolom B 'kvk': ongeldig KvK-nummer '123'; verwacht precies 8 cijfers",
        "export.xlsx (blad Sheet):3:10: kolom J 'uitsluitingsgronden': ongeldige waarde 'misschien'; verwacht ja, "
        "nee of de datum van de verklaring (bijv. 01-11-2017)",
        "2 fout(en) gevonden; er is niets geïmporteerd.",
        "gelezen: export.xlsx (Excel-blad 'Sheet')"]
    assert _aanbieder_bestanden(am) == voor

    result = _importeer(runner, _xlsx(tmp_path / "goed.xlsx", kop, goed), am)
    assert result.exit_code == 0, result.output
    tekst = (am / "aanbieders" / "excel-zorg.yaml").read_text(encoding="utf-8")
    assert "kvk: '01234567'" in tekst and "omzet_verwacht: '250000'" in tekst
    assert "uitsluitingsgronden: {verklaard: true, datum: 2017-11-01}" in tekst
    assert runner.invoke(main, ["validate", str(am)]).exit_code == 0


def test_import_refuses_to_overwrite_unless_bijwerken(runner, am, tmp_path):
    bestand = _csv(tmp_path / "export.csv", ["kvk", "naam", "personen"], ["12345678", "Zorg & Co", "14"])
    result = _importeer(runner, bestand, am)
    assert result.exit_code == 1
    assert "export.csv:2:1: kolom A 'kvk': aanbieder 'voorbeeld' bestaat al" in result.output
    assert "gebruik --bijwerken om die bij te werken" in result.output

    result = _importeer(runner, bestand, am, "--bijwerken")
    assert result.exit_code == 0, result.output
    assert "bijgewerkt: " in result.output
    regios, _ = load_dataset(am)
    [a] = regios[0].aanbieders
    # the filled cells replace, the rest of the record stays
    assert (a.naam, a.personen, a.vertegenwoordiger.functie) == ("Zorg & Co", 14, "Directeur")
    assert len(a.kwaliteitseisen) == 11 and a.kwaliteitseisen["D2-2"].motivatie == "Alleen op werkdagen bereikbaar."
    assert _problemen(am) == []


def test_import_file_level_errors(runner, am, tmp_path):
    result = _importeer(runner, _csv(tmp_path / "e.csv", ["naam", "kvk nr"], ["X", "12345670"]), am)
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "e.csv:1:1: kolom 'kvk' ontbreekt; die is nodig om een aanbieder te herkennen",
        "e.csv:1:2: kolom B 'kvk nr': onbekende kolom; bedoelde u 'kvk'?"]
    dubbel = _csv(tmp_path / "d.csv", ["naam", "kvk", "vertegenwoordiger", "domeinen"],
                  ["A", "87654320", "A. A", "jeugd"], ["A", "87654321", "A. A", "jeugd"])
    result = _importeer(runner, dubbel, am)
    assert "d.csv:3:1: kolom A 'naam': aanbieder 'a' staat ook op rij 2; één rij per aanbieder" in result.output


def test_import_proef_writes_nothing(runner, am, tmp_path):
    voor = _aanbieder_bestanden(am)
    result = _importeer(runner, _csv(tmp_path / "export.csv", KOP, GOED, scheiding=","), am, "--proef")
    assert result.exit_code == 0, result.output
    assert "gecontroleerd, niets geschreven (--proef)" in result.output
    assert _aanbieder_bestanden(am) == voor


# --- overview --------------------------------------------------------------------------


def _overzicht(runner, data: Path, uitvoer: Path, *extra: str):
    return runner.invoke(main, ["overzicht", str(data), "--uitvoer", str(uitvoer), *extra])


def test_overzicht_tekst(runner, am, tmp_path):
    _vervang(am / VOORBEELD, *NVT_A1, "  B1: {antwoord: Ja}\n", "")
    result = _overzicht(runner, am, tmp_path / "out")
    assert result.exit_code == 0, result.output
    regels = result.output.splitlines()
    assert regels[0] == "Overzicht Regio Mini — peildatum 01-01-2018 — 1 aanbieder(s)"
    assert regels[2].split() == ["1", "voorbeeld", "12345678", "jeugd", "2", "10/11,", "1", "ontbrekend,",
                                 "ongeldig:", "A1", "1", "ja", "(omzet", ">", "€", "100.000)", "niet", "gebouwd",
                                 "niet", "gebouwd"]  # Documenten, Ondertekening
    assert any(r.split() == ["jeugd-begeleiding", "☒"] for r in regels)
    assert any(r.split() == ["wmo-kortdurend-verblijf", "☐"] for r in regels)
    assert any("fout:" in r and "NVT bij eis A1 mag alleen" in r for r in regels)


def test_overzicht_csv(runner, am, tmp_path):
    result = _overzicht(runner, am, tmp_path / "out", "--formaat", "csv")
    assert result.exit_code == 0, result.output
    [rij] = list(csv.DictReader(io.StringIO(result.output), delimiter=";"))
    assert rij["aanbieder"] == "voorbeeld" and rij["kwaliteitseisen beantwoord"] == "11"
    assert rij["ontbrekende antwoorden"] == "" and rij["fouten"] == "0"
    assert rij["social return"] == "ja (omzet > € 100.000)" and rij["documenten"] == "niet gebouwd"
    assert (rij["jeugd-begeleiding"], rij["jeugd-regie"], rij["jeugd-verblijf"]) == ("x", "x", "")


def test_overzicht_xlsx(runner, am, tmp_path):
    from openpyxl import load_workbook

    _vervang(am / VOORBEELD, *NVT_A1)
    doel = tmp_path / "overzicht.xlsx"
    result = _overzicht(runner, am, tmp_path / "out", "--formaat", "xlsx", "--bestand", str(doel))
    assert result.exit_code == 0, result.output
    boek = load_workbook(doel)
    assert boek.sheetnames == ["Aanbieders", "Arrangementen", "Problemen"]
    kop = [c.value for c in boek["Aanbieders"][1]]
    rij = dict(zip(kop, [c.value for c in boek["Aanbieders"][2]]))
    assert rij["aanbieder"] == "voorbeeld" and rij["ongeldige antwoorden"] == "A1" and rij["fouten"] == 1
    matrix = {r[1]: r[3] for r in boek["Arrangementen"].iter_rows(min_row=2, values_only=True)}
    assert matrix["jeugd-regie"] == "x" and matrix["jeugd-pleegzorg"] is None
    problemen = list(boek["Problemen"].iter_rows(min_row=2, values_only=True))
    assert [(p[4], p[5]) for p in problemen] == [("kwaliteitseisen.A1.antwoord", "fout")]


def test_overzicht_documents_built_and_stale(runner, am, tmp_path):
    uitvoer = tmp_path / "out"
    assert runner.invoke(main, ["build", str(am), "--uitvoer", str(uitvoer), "--geen-pdf"]).exit_code == 0

    def status() -> str:
        result = _overzicht(runner, am, uitvoer, "--formaat", "csv")
        return next(r for r in csv.DictReader(io.StringIO(result.output), delimiter=";")
                    if r["aanbieder"] == "voorbeeld")["documenten"]

    assert status() == "actueel"
    # another aanbieder is no source of these documents
    (am / "aanbieders" / "ander.yaml").write_text(
        'id: ander\nnaam: "Ander"\nkvk: "87654321"\nvertegenwoordiger: {naam: "B. B"}\ndomeinen: [wmo]\n',
        encoding="utf-8")
    assert status() == "actueel"
    _vervang(am / "documenten" / "kwaliteit.yaml", "Handelt volgens de wet.", "Handelt volgens alle wetten.")
    assert status() == "verouderd (1 bron(nen) gewijzigd: kwaliteit.yaml)"
    (uitvoer / "mini/2018/voorbeeld/03-kwaliteit.docx").unlink()
    assert status() == "onvolledig (03-kwaliteit.docx ontbreekt)"
    # a document changed by hand, same size and its mtime set back: still found (its ctime changed)
    doel = uitvoer / "mini/2018/voorbeeld/02-prijsbijlage.docx"
    st = doel.stat()
    inhoud = bytearray(doel.read_bytes())
    inhoud[-30] ^= 0xFF
    doel.write_bytes(bytes(inhoud))
    os.utime(doel, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert status() == "gewijzigd na bouw (02-prijsbijlage.docx)"


def test_overzicht_reads_each_source_once_and_no_untouched_output(runner, am, tmp_path, monkeypatch):
    """An overview of 1,000 aanbieders took 30 s: every data file resolved per aanbieder, every output
    file read. Now each source is hashed once per run and an untouched built file not at all."""
    from contractgen.rapporten import overzicht

    uitvoer = tmp_path / "out"
    for i in range(3):
        (am / "aanbieders" / f"extra-{i}.yaml").write_text(
            f'id: extra-{i}\nnaam: "Extra {i}"\nkvk: "8765432{i}"\nvertegenwoordiger: {{naam: "B. B"}}\n'
            'domeinen: [wmo]\n', encoding="utf-8")
    assert runner.invoke(main, ["build", str(am), "--uitvoer", str(uitvoer), "--geen-pdf"]).exit_code == 0
    gelezen: list[Path] = []
    echt = overzicht.sha256_bestand
    monkeypatch.setattr(overzicht, "sha256_bestand", lambda pad: (gelezen.append(pad), echt(pad))[1])
    result = _overzicht(runner, am, uitvoer, "--formaat", "csv")
    statussen = [r["documenten"] for r in csv.DictReader(io.StringIO(result.output), delimiter=";")]
    assert statussen == ["actueel"] * 4
    assert len(gelezen) == len(set(gelezen))  # each source once
    assert not [p for p in gelezen if uitvoer in p.parents]  # no built file


# --- filled documents ------------------------------------------------------------------


def _eisen_en_motivatie(pad: Path) -> tuple[dict[str, str], list[list[str]]]:
    """The Voldaan column of every eisen table (by Nr.; a repeated Nr. gets '-2') and the motivatie rows."""
    d = docx.Document(str(pad))
    voldaan: dict[str, str] = {}
    motivatie: list[list[str]] = []
    for tabel in d.tables:
        kop = [c.text for c in tabel.rows[0].cells]
        if kop[0] == "Nr." and kop[-1].startswith("Voldaan"):
            for rij in tabel.rows[1:]:
                nr = rij.cells[0].text
                voldaan[nr if nr not in voldaan else f"{nr}-2"] = rij.cells[-1].text
        elif kop[0] == "Nummer van de eis":
            motivatie = [[c.text for c in rij.cells] for rij in tabel.rows[1:]]
    return voldaan, motivatie


def test_built_kwaliteitsbijlage_has_answers_motivations_and_signature(runner, am, tmp_path):
    assert runner.invoke(main, ["build", str(am), "--uitvoer", str(tmp_path / "out"), "--geen-pdf"]).exit_code == 0
    pad = tmp_path / "out/mini/2018/voorbeeld/03-kwaliteit.docx"
    voldaan, motivatie = _eisen_en_motivatie(pad)
    assert voldaan == {"A1": "Ja", "A2": "NVT", "B1": "Ja", "C1": "Ja", "D2": "Ja", "D2-2": "Nee", "E4": "NVT",
                       "E7": "NVT", "E8": "Ja", "E9": "NVT", "F1": "Ja"}
    assert [r[0] for r in motivatie] == ["A2", "D2", "E4", "E7", "E9"]
    assert motivatie[1][1] == "Alleen op werkdagen bereikbaar."
    handtekening = {r.cells[0].text: r.cells[1].text for r in alle_tabellen(docx.Document(str(pad)))[-1].rows}
    assert handtekening == {"Datum": "", "Naam": "A. Jansen", "Functie": "Directeur", "KvK-nummer": "12345678",
                            "Handtekening": ""}


def test_real_sample_aanbieder_builds_with_its_answers(runner, tmp_path):
    regio = DATA / "maastricht-heuvelland"
    if runner.invoke(main, ["validate", str(regio)]).exit_code != 0:
        pytest.skip("contracts_data/maastricht-heuvelland valideert (nog) niet")
    result = runner.invoke(main, ["build", str(regio), "--uitvoer", str(tmp_path / "out"), "--geen-pdf",
                                  "--aanbieder", "voorbeeld-zzp-dyslexie"])
    assert result.exit_code == 0, result.output
    map_ = tmp_path / "out/maastricht-heuvelland/2018/voorbeeld-zzp-dyslexie"
    [bijlage3] = map_.glob("*-bijlage-3.docx")
    voldaan, motivatie = _eisen_en_motivatie(bijlage3)
    assert len(voldaan) == 59 and all(voldaan.values())
    assert {nr for nr, a in voldaan.items() if a == "NVT"} == {"A1", "A2", "C1", "E4", "E5", "E8", "E9"}
    assert voldaan["E7"] == "Ja"  # this ZZP'er does dyslexiezorg
    assert sorted(r[0] for r in motivatie) == ["A1", "A2", "C1", "E4", "E5", "E8", "E9"]
    assert all(r[1] for r in motivatie)

    [prijsbijlage] = map_.glob("*-bijlage-1.1.docx")
    tekst = docx_tekst(prijsbijlage)
    assert "☒ Arrangement Dyslexie diagnose" in tekst and "☒ Arrangement Dyslexie behandeling" in tekst
    assert "☐ Arrangement Regie" in tekst
    assert "Trajectprijs: € 1.003\nProductcode: 34100" in tekst  # its rates
    opdrachtnemer = [{r.cells[0].text: r.cells[1].text for r in tabel.rows}
                     for tabel in alle_tabellen(docx.Document(str(prijsbijlage))) if tabel.rows[-1].cells[0].text == "Handtekening"
                     and "KvK-nummer" in [r.cells[0].text for r in tabel.rows]]
    assert opdrachtnemer and all(h == {"Datum": "", "Naam": "L. Lezer", "Functie": "Eigenaar", "KvK-nummer": "90000004",
                                       "Handtekening": ""} for h in opdrachtnemer)
