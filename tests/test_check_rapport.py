"""`contractgen check` for people, on the real data: filters, groups, reviewed findings.

A reviewed finding is recorded in check-beoordeeld.yaml (by `contractgen beoordeel`),
hidden by `check` and listed with --alles; when the text at its place changes it
comes back; an entry that fits nothing any more is reported as outdated.
"""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from conftest import DATA

from contractgen.cli import main

MH = DATA / "maastricht-heuvelland"
D2 = "Bijlage 3, eis D2"


def _check(runner, *args):
    return runner.invoke(main, ["check", *map(str, args)])


@pytest.fixture
def regio(tmp_path):
    doel = tmp_path / "maastricht-heuvelland"
    shutil.copytree(MH, doel)
    return doel


def test_grouped_per_rule_with_counts_and_no_yaml_paths(runner):
    result = _check(runner, MH)
    assert result.exit_code == 0, result.output
    regels = result.output.splitlines()
    assert "dubbel-nummer: 1 waarschuwing" in regels
    assert "afkorting-ontbreekt: 20 waarschuwingen" in regels
    # the rules that matter come before the 20 abbreviations
    assert regels.index("dubbel-nummer: 1 waarschuwing") < regels.index("afkorting-ontbreekt: 20 waarschuwingen")
    assert regels.index("parameter-verschil: 1 waarschuwing") < regels.index("afkorting-ontbreekt: 20 waarschuwingen")
    assert (f"  waarschuwing: {D2} (contracts_data/maastricht-heuvelland/documenten/bijlage-3.yaml:122): eisnummer D2 "
            "komt twee keer voor (eerder op regel 119); verwijzingen naar dit nummer zijn dubbelzinnig") in regels
    assert any(r.startswith("  waarschuwing: DVO art. 11.5 (contracts_data/maastricht-heuvelland/documenten/dvo.yaml:341): "
                            "verwijst naar bijlage 4") for r in regels)
    assert "inhoud." not in result.output and "parameters.0" not in result.output
    assert regels[-1] == "0 fout(en), 51 waarschuwing(en)"
    # the JSON keeps the paths
    bevindingen = json.loads(_check(runner, MH, "--formaat", "json").output)["regio's"][0]["bevindingen"]
    assert {"inhoud.10.eisen.eisen.2", "inhoud.29.artikel.leden.4.tekst"} <= {b["pad"] for b in bevindingen}


def test_filters(runner):
    result = _check(runner, MH, "--controle", "dubbel-nummer", "--regel", "parameter-verschil")
    assert result.exit_code == 0
    assert [r for r in result.output.splitlines() if not r.startswith(("  ", "#"))] == [
        "dubbel-nummer: 1 waarschuwing", "parameter-verschil: 1 waarschuwing", "0 fout(en), 2 waarschuwing(en)"]
    result = _check(runner, MH, "--zonder-controle", "afkorting-ontbreekt")
    assert result.output.splitlines()[-1] == "0 fout(en), 31 waarschuwing(en)" and "afkorting" not in result.output
    result = _check(runner, MH, "--document", "dvo")
    plaatsen = [r for r in result.output.splitlines() if r.startswith("  ")]
    assert plaatsen and all(r.startswith(("  waarschuwing: DVO art. ", "  waarschuwing: DVO (", "  waarschuwing: parameter '"))
                            for r in plaatsen)
    # a parameter finding is shown because one of its places is in the DVO
    assert all("DVO" in r.split("): ", 1)[1] for r in plaatsen if r.startswith("  waarschuwing: parameter '"))
    assert _check(runner, MH, "--ernst", "fout").output.splitlines()[-1] == "0 fout(en), 0 waarschuwing(en)"
    result = _check(runner, MH, "--controle", "afkortingen")
    assert result.exit_code == 2 and "onbekende controle 'afkortingen'; bedoelde u 'afkorting-ontbreekt'?" in result.output
    result = _check(runner, MH, "--document", "bijlage-33")
    assert result.exit_code == 2 and "onbekend document 'bijlage-33'; bedoelde u 'bijlage-3'?" in result.output


def test_reviewed_finding_is_hidden_listed_and_comes_back_when_its_text_changes(runner, regio):
    result = runner.invoke(main, ["beoordeel", str(regio), "dubbel-nummer", D2, "--door", "M. de Jurist",
                                  "--reden", "Staat zo in de getekende bron; beide eisen gelden"])
    assert result.exit_code == 0, result.output
    bestand = regio / "check-beoordeeld.yaml"
    tekst = bestand.read_text(encoding="utf-8")
    assert "controle: dubbel-nummer" in tekst and f"plaats: {D2}" in tekst and "door: M. de Jurist" in tekst
    assert f"datum: {date.today().isoformat()}" in tekst and "reden: Staat zo in de getekende bron" in tekst

    result = _check(runner, regio)
    assert "dubbel-nummer" not in result.output
    assert result.output.splitlines()[-1] == "0 fout(en), 50 waarschuwing(en); 1 beoordeeld (verborgen; --alles toont ze)"
    result = _check(runner, regio, "--alles", "--controle", "dubbel-nummer")
    assert "dubbel-nummer: 1 beoordeeld" in result.output
    assert (f"— beoordeeld door M. de Jurist op {date.today():%d-%m-%Y}: Staat zo in de getekende bron; beide eisen gelden"
            in result.output)
    bevinding = json.loads(_check(runner, regio, "--alles", "--formaat", "json", "--controle", "dubbel-nummer").output)
    bevinding = bevinding["regio's"][0]["bevindingen"][0]
    assert bevinding["status"] == "beoordeeld" and bevinding["beoordeling"]["door"] == "M. de Jurist"

    # lines that shift are no change: still reviewed
    bijlage = regio / "documenten" / "bijlage-3.yaml"
    bijlage.write_text("# een regel erbij\n" + bijlage.read_text(encoding="utf-8"), encoding="utf-8")
    assert "dubbel-nummer" not in _check(runner, regio).output
    # the text at the place changes: the finding is back, saying it was reviewed before
    bijlage.write_text(bijlage.read_text(encoding="utf-8").replace(
        "Opdrachtnemer organiseert de ondersteuning laagdrempelig", "Opdrachtnemer organiseert de hulp laagdrempelig"),
        encoding="utf-8")
    result = _check(runner, regio)
    assert "dubbel-nummer: 1 waarschuwing" in result.output
    assert ("eerder beoordeeld door M. de Jurist" in result.output
            and "de tekst of de bevinding is sindsdien gewijzigd, beoordeel opnieuw" in result.output)
    assert result.output.splitlines()[-1] == "0 fout(en), 51 waarschuwing(en)"
    # reviewed again: the new entry takes the place of the old one, nothing is outdated
    result = runner.invoke(main, ["beoordeel", str(regio), "dubbel-nummer", D2, "--door", "M. de Jurist",
                                  "--reden", "Opnieuw bekeken na de tekstwijziging"])
    assert result.exit_code == 0, result.output
    assert bestand.read_text(encoding="utf-8").count("controle: dubbel-nummer") == 1
    assert "Opnieuw bekeken" in bestand.read_text(encoding="utf-8")
    result = _check(runner, regio)
    assert "verouderd" not in result.output and "dubbel-nummer" not in result.output


def test_outdated_and_malformed_reviews(runner, regio):
    bestand = regio / "check-beoordeeld.yaml"
    bestand.write_text("beoordeeld:\n  - controle: dubbel-nummer\n    plaats: Bijlage 9, eis Z1\n    vingerafdruk: abc\n"
                       "    reden: oud\n    door: X\n    datum: 2025-01-01\n", encoding="utf-8")
    result = _check(runner, regio)
    assert (f"verouderd: {bestand}:2: de beoordeling van [dubbel-nummer] Bijlage 9, eis Z1 past bij geen bevinding "
            "meer; verwijder haar") in result.output
    bestand.write_text("beoordeeld:\n  - controle: dubbel-nummer\n    plaats: x\n    reden: y\n    door: z\n"
                       "    datum: 2025-02-30\n", encoding="utf-8")
    result = _check(runner, regio)
    assert result.exit_code == 1
    assert f"{bestand}:2:5: beoordeeld.0.vingerafdruk: verplicht veld ontbreekt" in result.output
    assert "2025-02-30" in result.output


def test_beoordeel_requires_the_name_of_who_reviewed(runner, regio):
    """The legal record names a person, never the machine's git or login name (issue 28)."""
    D2 = "Bijlage 3, eis D2"
    result = runner.invoke(main, ["beoordeel", str(regio), "dubbel-nummer", D2, "--reden", "x"])
    assert result.exit_code == 2 and "--door" in result.output
    result = runner.invoke(main, ["beoordeel", str(regio), "dubbel-nummer", D2, "--reden", "x", "--door", "  "])
    assert result.exit_code == 2 and "geef de naam van wie beoordeelde" in result.output
    assert not (regio / "check-beoordeeld.yaml").exists()


def test_beoordeel_says_which_findings_exist(runner, regio):
    result = runner.invoke(main, ["beoordeel", str(regio), "dubbel-nummer", "Bijlage 3, eis D3", "--reden", "x",
                                  "--door", "J"])
    assert result.exit_code == 2 and "bedoelde u 'Bijlage 3, eis D2'?" in result.output
    result = runner.invoke(main, ["beoordeel", str(regio), "afkorting-ontbreekt", "Bijlage 2.1, onder 'Tariefstelling 2017'",
                                  "--reden", "gangbaar", "--door", "J"])
    assert result.exit_code == 2 and "3 bevindingen" in result.output and "kies er één met --bevat" in result.output
    result = runner.invoke(main, ["beoordeel", str(regio), "afkorting-ontbreekt", "Bijlage 2.1, onder 'Tariefstelling 2017'",
                                  "--reden", "gangbaar", "--bevat", "'HBO'", "--door", "J"])
    assert result.exit_code == 0, result.output
    assert _check(runner, regio).output.splitlines()[-1].startswith("0 fout(en), 50 waarschuwing(en); 1 beoordeeld")
    assert not list(regio.glob(".*.tmp"))


def test_document_filter_keeps_findings_about_parameters_in_that_document(runner):
    """A parameter that differs between the SWO and the DVO is about both; `--document swo` shows it (it used
    to leave every parameter finding out: they named no document), `--document bijlage-3` does not. The
    liability cap of the DVO and the insured amount of Bijlage 3 are two rules: no finding (issue 28)."""
    result = _check(runner, MH, "--controle", "parameter-verschil", "--document", "bijlage-3")
    assert "Aansprakelijkheid en verzekerd bedrag" not in result.output
    assert "Datum van de Samenwerkingsovereenkomst" not in result.output  # about the SWO and the DVO
    result = _check(runner, MH, "--controle", "parameter-verschil", "--document", "swo", "--formaat", "json")
    bevindingen = json.loads(result.output)["regio's"][0]["bevindingen"]
    assert [(b["document"], b["documenten"]) for b in bevindingen] == [("swo", ["swo", "dvo"])]
