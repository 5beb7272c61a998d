"""`contractgen voorrang` answers the question asked, on the real contract.

Subjects are found by id, name or a synonym from regio.yaml (never by a near word),
unknown ones are refused with a suggestion, values that mean the same agree, and the
rangorde is printed only when no subject is asked.
"""

from __future__ import annotations

import pytest
from conftest import DATA

from contractgen.cli import main
from contractgen.rapporten.voorrang import normaal_waarde

MH = DATA / "maastricht-heuvelland"


def _voorrang(runner, *args):
    return runner.invoke(main, ["voorrang", str(MH), *args])


def test_without_subject_lists_the_rangorde_and_the_subjects(runner):
    result = _voorrang(runner)
    assert result.exit_code == 0, result.output
    regels = result.output.splitlines()
    assert regels[0] == "Rangorde Regio Maastricht-Heuvelland (hoogste eerst), peildatum 01-01-2018:"
    assert ("- aansprakelijkheid: Aansprakelijkheid en verzekerd bedrag per gebeurtenis (ook: verzekering, "
            "verzekerd bedrag, bedrijfsaansprakelijkheid, aansprakelijkheidsverzekering)") in regels
    assert any(r.startswith("- privacy: Privacy en persoonsgegevens (ook: AVG, persoonsgegevens") for r in regels)
    assert any(r.startswith("- social-return: Social return (ook: SROI") for r in regels)
    assert "burger" in result.output and "verwijzer" in result.output  # the begrippen


def test_a_synonym_answers_its_subject_and_says_so(runner):
    result = _voorrang(runner, "verzekering")
    assert result.exit_code == 0, result.output
    regels = result.output.splitlines()
    assert regels[0] == "Onderwerp: Aansprakelijkheid en verzekerd bedrag per gebeurtenis"
    assert regels[1] == "('verzekering' is een ander woord voor dit onderwerp; zie Bijlage 3, eis B9)"
    assert "Verwijzer" not in result.output and "Rangorde" not in result.output  # no reprint of the ranking


def test_a_liability_cap_is_not_an_insured_amount(runner):
    """DVO 26.2 caps liability (ten hoogste € 2M), bijlage 3 B9 requires insurance (minimaal € 2,5M): two rules,
    no conflict, so no 'B9 prevails' (issue 28); the explicit deviation of DVO 26.2 is still named."""
    out = _voorrang(runner, "aansprakelijkheid").output
    assert "Dit onderwerp omvat 2 verschillende regels; elke regel geldt op zijn eigen plaats" in out
    assert "* maximale aansprakelijkheid per gebeurtenis:\n  Geen strijdigheid: deze regel staat alleen in " \
           "DVO art. 26.2." in out
    assert "* minimaal verzekerd bedrag per gebeurtenis:\n  Geen strijdigheid: deze regel staat alleen in " \
           "Bijlage 3, eis B9." in out
    assert "Geldend" not in out and "geldt: Bijlage 3" not in out
    assert "Let op: Aansprakelijkheid wijkt uitdrukkelijk af van artikel 9 lid 1" in out


def test_notice_periods_of_two_agreements_are_two_rules_and_swo_3_6_is_found(runner):
    out = _voorrang(runner, "opzegtermijn").output
    assert "- Samenwerkingsovereenkomst art. 3.6: geen invloed op de eventueel aangegane, bindende " \
           "dienstverleningsovereenkomsten (gevolg van opzegging van de samenwerkingsovereenkomst voor de DVO's)" in out
    for regel, plaats in (("opzegging van de samenwerkingsovereenkomst", "Samenwerkingsovereenkomst art. 3.5"),
                          ("opzegging van de DVO", "DVO art. 5.1")):
        assert f"* {regel}:\n  Geen strijdigheid: deze regel staat alleen in {plaats}." in out


@pytest.mark.parametrize("vraag,onderwerp,plaats", [
    ("tarieven", "Tarieven en betaling", "- DVO art. 20: "), ("prijs", "Tarieven en betaling", "- Bijlage 1.2: "),
    ("klachten", "Klachten", "- DVO art. 19.2: 19.2 Klachten"), ("klachtenregeling", "Klachten", "- Bijlage 3, eis D9"),
    ("geheimhouding", "Geheimhouding", "- DVO art. 26.3: 26.3 In uitzondering op artikel 10 lid 4 (Geheimhouding)"),
    ("vertrouwelijkheid", "Geheimhouding", "- DVO art. 16.7: ")])
def test_subjects_the_documents_regulate(runner, vraag, onderwerp, plaats):
    result = _voorrang(runner, vraag)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Onderwerp: {onderwerp}"
    assert any(r.startswith(plaats) for r in result.output.splitlines()), result.output
    lijst = _voorrang(runner).output
    for sleutel in ("tarieven", "klachten", "geheimhouding"):
        assert f"- {sleutel}: " in lijst
    if vraag == "geheimhouding":  # the deviation in the overview is the answer's too
        assert "Let op: Geheimhouding wijkt uitdrukkelijk af van artikel 10 lid 4" in result.output


@pytest.mark.parametrize("vraag,onderwerp", [("privacy", "Privacy en persoonsgegevens"),
                                             ("AVG", "Privacy en persoonsgegevens"),
                                             ("social return", "Social return"),
                                             ("Opzegging", "Opzegtermijn")])
def test_subjects_users_ask_for(runner, vraag, onderwerp):
    result = _voorrang(runner, vraag)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Onderwerp: {onderwerp}"


def test_privacy_names_its_places_and_what_holds_if_they_conflict(runner):
    out = _voorrang(runner, "AVG").output
    assert "- Bijlage 3, eis D5: Aanbieder behandelt burgers respectvol" in out
    assert "- DVO art. 16: 16 Persoonsgegevens, Wet Bescherming Persoonsgegevens" in out
    assert "de AVG is de opvolger van de Wbp" in out  # the ground of the synonym, from regio.yaml
    assert "Bij strijdigheid geldt: Bijlage 3, eis D5, want Bijlagen bij de DVO gaat voor" in out


def test_unknown_subject_is_refused_with_a_suggestion_not_answered(runner):
    result = _voorrang(runner, "verzekeringen")
    assert result.exit_code == 2
    assert "onbekend onderwerp 'verzekeringen'; bedoelde u 'aansprakelijkheid'?" in result.output
    assert "Onderwerp:" not in result.output and "Geldend" not in result.output


def test_same_value_in_other_words_is_no_conflict(runner):
    result = _voorrang(runner, "looptijd")
    assert result.output.splitlines()[-1].startswith("Geen strijdigheid: alle 3 vindplaatsen")
    assert "Geldend" not in result.output


def test_kort_prints_only_the_answer_and_its_ground(runner):
    regels = _voorrang(runner, "AVG", "--kort").output.splitlines()
    assert regels[0] == "Bij strijdigheid geldt: Bijlage 3, eis D5, want Bijlagen bij de DVO gaat voor op de andere " \
                        "vindplaatsen:"
    assert regels[1].startswith("  DVO art. 3.1: “3.1 Aan deze DVO zijn de volgende bijlagen gevoegd")
    assert not any(r.startswith(("Onderwerp", "Rangorde", "- ")) for r in regels)
    assert _voorrang(runner, "looptijd", "--kort").output.startswith("Geen strijdigheid")


def test_values_that_mean_the_same():
    assert normaal_waarde("zes maanden") == normaal_waarde("6 maanden") == "6 maanden"
    assert normaal_waarde("€ 2.000.000,00") == normaal_waarde("2000000") == normaal_waarde("2.000.000,-")
    assert normaal_waarde("2.500.000") != normaal_waarde("2.000.000")


def test_check_does_not_report_zes_and_6_maanden_as_different(runner, mini):
    (mini / "regio.yaml").write_text((mini / "regio.yaml").read_text(encoding="utf-8") + """
parameters:
  - id: looptijd
    naam: "Looptijd"
    vindplaatsen:
      - {plaats: "overeenkomst:art-2.2", tekst: "Zie lid", waarde: "zes maanden"}
      - {plaats: "prijsbijlage", tekst: "Looptijd 01-01-2018", waarde: "6 maanden"}
""", encoding="utf-8")
    result = runner.invoke(main, ["check", str(mini)])
    assert result.exit_code == 0 and "parameter-verschil" not in result.output, result.output


def test_a_place_of_a_subject_that_is_not_in_the_text_is_named(runner, tmp_path):
    import shutil

    regio = tmp_path / "mh"
    shutil.copytree(MH, regio)
    tekst = (regio / "regio.yaml").read_text(encoding="utf-8")
    (regio / "regio.yaml").write_text(tekst.replace('"bijlage-3:D5"]', '"bijlage-3:D55"]'), encoding="utf-8")
    result = runner.invoke(main, ["voorrang", str(regio), "privacy"])
    assert result.exit_code == 0, result.output
    assert ("- bijlage-3:D55: niet gevonden op peildatum 01-01-2018 (vindplaats in regio.yaml, voorrang.onderwerpen)"
            in result.output.splitlines())
