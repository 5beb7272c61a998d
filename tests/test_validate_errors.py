"""Bad input gets a clear Dutch error naming file, line, column and field; exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.cli import main


def _fouten(runner, data: Path) -> list[str]:
    result = runner.invoke(main, ["validate", str(data)])
    assert result.exit_code == 1, result.output
    regels = result.output.strip().splitlines()
    assert regels[-1].endswith("fout(en) gevonden; er is niets geschreven.")
    return [r.split("/mini/", 1)[-1] for r in regels[:-1]]


def _vervang(pad: Path, oud: str, nieuw: str) -> None:
    tekst = pad.read_text(encoding="utf-8")
    assert oud in tekst
    pad.write_text(tekst.replace(oud, nieuw, 1), encoding="utf-8")


CASES = [
    ("aanbieders/voorbeeld.yaml", 'naam: "Zorg', 'nam: "Zorg',
     ["aanbieders/voorbeeld.yaml:3:1: nam: onbekend veld 'nam'; bedoelde u 'naam'?",
      "aanbieders/voorbeeld.yaml:1:1: naam: verplicht veld ontbreekt"]),
    ("aanbieders/voorbeeld.yaml", 'kvk: "12345678"', 'kvk: "1234"',
     ["aanbieders/voorbeeld.yaml:4:1: kvk: ongeldig KvK-nummer '1234'; verwacht precies 8 cijfers"]),
    ("aanbieders/voorbeeld.yaml", "arrangementen: [jeugd-begeleiding]", "arrangementen: [jeugd-begeleidng]",
     ["aanbieders/voorbeeld.yaml:7:17: arrangementen.0: onbekend arrangement 'jeugd-begeleidng'; "
      "bedoelde u 'jeugd-begeleiding'?"]),
    ("aanbieders/voorbeeld.yaml", "domeinen: [jeugd]", "domeinen: [jeugd, ggz]",
     ["aanbieders/voorbeeld.yaml:6:19: domeinen.1: onbekend domein 'ggz'"]),
    # an unquoted amount is read from the text as typed; the message quotes it (not 916.505 as a float)
    ("tarieven/jeugd-2018.yaml", 'tarief: "916.50"', "tarief: 916.505",
     ["tarieven/jeugd-2018.yaml:17:56: arrangementen.1.producten.2.tarief: ongeldig bedrag '916.505'; "
      "verwacht bijv. '2100' of '16.50' (punt als decimaalteken, zonder € en zonder duizendtalpunt)"]),
    ("tarieven/jeugd-2018.yaml", 'tarief: "2100"', 'tarief: "2.100,00"',
     ["tarieven/jeugd-2018.yaml:8:57: arrangementen.0.producten.0.tarief: ongeldig bedrag '2.100,00'; "
      "verwacht bijv. '2100' of '16.50' (punt als decimaalteken, zonder € en zonder duizendtalpunt)"]),
    ("documenten/prijsbijlage.yaml", "geldig_tot: 2018-12-31", "geldig_tot: 2018-02-30",
     ["documenten/prijsbijlage.yaml:8:1: geldig_tot: ongeldige datum '2018-02-30'; "
      "verwacht een bestaande datum als JJJJ-MM-DD"]),
    ("documenten/prijsbijlage.yaml", "  - alinea: \"Naam", "  - alinae: \"Naam",
     ["documenten/prijsbijlage.yaml:12:5: inhoud.1: onbekend bloksoort 'alinae'; bedoelde u 'alinea'?"]),
    ("documenten/prijsbijlage.yaml", "[[looptijd.tot]]", "[[looptijd.eind]]",
     ["documenten/prijsbijlage.yaml:11:5: inhoud.0.alinea: onbekend veld '[[looptijd.eind]]'; "
      "bedoelde u '[[looptijd.van]]'?"]),
    ("documenten/overeenkomst.yaml", "[[ref:overeenkomst:art-2.1]]", "[[ref:overeenkomst:art-9.1]]",
     ["documenten/overeenkomst.yaml:28:11: inhoud.3.artikel.leden.1.tekst: verwijzing "
      "'[[ref:overeenkomst:art-9.1]]' wijst naar niets: document 'overeenkomst' heeft geen artikel of lid 'art-9.1'"]),
    ("documenten/prijsbijlage.yaml", "{blok: opdrachtnemer}", "{blok: opdrachtgever}",
     ["documenten/prijsbijlage.yaml:14:20: inhoud.3.handtekening.blok: onbekend handtekeningenblok "
      "'opdrachtgever'; bedoelde u 'opdrachtnemer'? (zie regio.yaml)"]),
    ("tarieven/jeugd-2018.yaml", "    titel: \"Arrangement Regie\"\n",
     "    titel: \"Arrangement Regie\"\n    rooster: [[\"Regie\", \"product:92101\"]]\n",
     ["tarieven/jeugd-2018.yaml:7:25: arrangementen.0.rooster.0.1: onbekend productcode '92101'; "
      "bedoelde u '92100'? in arrangement 'jeugd-regie'"]),
    ("aanbieders/voorbeeld.yaml", "id: voorbeeld", "id: ../../etc",
     ["aanbieders/voorbeeld.yaml:1:1: id: ongeldig id '../../etc'; verwacht kleine letters, cijfers, '-', '.' "
      "of '_' (geen spaties, '/' of '..')"]),
]


@pytest.mark.parametrize("bestand,oud,nieuw,verwacht", CASES, ids=[c[2][:30] for c in CASES])
def test_bad_value_is_reported_with_place(runner, mini, bestand, oud, nieuw, verwacht):
    _vervang(mini / bestand, oud, nieuw)
    assert _fouten(runner, mini) == sorted(verwacht)


def test_duplicate_key_is_an_error(runner, mini):
    pad = mini / "aanbieders" / "voorbeeld.yaml"
    pad.write_text(pad.read_text(encoding="utf-8") + 'naam: "Tweede naam"\n', encoding="utf-8")
    assert _fouten(runner, mini) == [
        "aanbieders/voorbeeld.yaml:8:1: naam: dubbele sleutel 'naam' (eerder op regel 3); "
        "een sleutel mag maar één keer voorkomen"]


def test_yaml_syntax_error_names_line(runner, mini):
    pad = mini / "aanbieders" / "voorbeeld.yaml"
    pad.write_text(pad.read_text(encoding="utf-8").replace("voorbeeld: true", "voorbeeld: true: nee"), encoding="utf-8")
    assert _fouten(runner, mini) == [
        "aanbieders/voorbeeld.yaml:2:16: YAML-syntaxfout: een ':' op een onverwachte plaats; "
        "zet tekst met ': ' tussen aanhalingstekens"]


def test_non_utf8_file(runner, mini):
    pad = mini / "aanbieders" / "voorbeeld.yaml"
    pad.write_bytes(pad.read_bytes().replace("Jansen".encode(), "J\xe9nsen".encode("latin-1")))
    assert _fouten(runner, mini) == [
        "aanbieders/voorbeeld.yaml:5:32: ongeldige tekencodering (byte 0xe9); sla het bestand op als UTF-8"]


def test_empty_file(runner, mini):
    (mini / "aanbieders" / "leeg.yaml").write_text("\n", encoding="utf-8")
    assert _fouten(runner, mini) == ["aanbieders/leeg.yaml:1:1: het bestand is leeg; verwacht een YAML-mapping"]


def test_all_problems_in_one_run(runner, mini):
    _vervang(mini / "aanbieders" / "voorbeeld.yaml", 'kvk: "12345678"', 'kvk: "1"')
    _vervang(mini / "tarieven" / "jeugd-2018.yaml", "eenheid: traject}", "eenheid: trajekt}")
    fouten = _fouten(runner, mini)
    assert len(fouten) == 2
    assert "ongeldige waarde 'trajekt'; verwacht een van: traject, traject_per_gezin, maand, etmaal, uur, jaar, " \
           "dagdeel; bedoelde u 'traject'?" in fouten[1]


def test_build_with_bad_data_writes_nothing(runner, mini, tmp_path):
    _vervang(mini / "aanbieders" / "voorbeeld.yaml", 'kvk: "12345678"', 'kvk: "1"')
    result = runner.invoke(main, ["build", str(mini), "--uitvoer", str(tmp_path / "out"), "--geen-pdf"])
    assert result.exit_code == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_missing_data_folder(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path / "bestaat-niet")])
    assert result.exit_code == 1
    assert "de map bestaat niet" in result.output
