"""`contractgen check` and `contractgen voorrang`: each rule fires on a small bad example, silent on a good one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractgen.cli import main


def _check(runner, data: Path, *extra: str):
    return runner.invoke(main, ["check", str(data), *extra])


def _voeg_toe(pad: Path, oud: str, nieuw: str) -> None:
    tekst = pad.read_text(encoding="utf-8")
    assert oud in tekst, oud
    pad.write_text(tekst.replace(oud, nieuw, 1), encoding="utf-8")


def test_good_data_is_silent(runner, mini):
    result = _check(runner, mini)
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[-1] == "0 fout(en), 0 waarschuwing(en)"


OVEREENKOMST = "documenten/overeenkomst.yaml"
PRIJSBIJLAGE = "documenten/prijsbijlage.yaml"
LID_22 = '          tekst: "Zie lid [[ref:overeenkomst:art-2.1]]."\n'

CASES = [
    ("dubbel-nummer", OVEREENKOMST, LID_22, LID_22 + '        - id: art-2.3\n          nummer: "2.1"\n          tekst: "Nog een lid."\n',
     "Mini-overeenkomst art. 2.1 (MAP/documenten/overeenkomst.yaml:29): lid 2.1 in artikel 2 komt twee keer voor "
     "(eerder op regel 21); verwijzingen naar dit nummer zijn dubbelzinnig"),
    ("verwijzing-leeg", OVEREENKOMST, "Een bijlage gaat boven deze overeenkomst.", "Zie artikel 7.",
     "Mini-overeenkomst art. 2.1 (MAP/documenten/overeenkomst.yaml:23): 'artikel 7' verwijst naar artikel 7 van "
     "Mini-overeenkomst, dat niet bestaat"),
    ("bijlage-ontbreekt", OVEREENKOMST, '  - alinea: "Partijen', '  - bijlagenlijst: [{nummer: "1", titel: "Prijsbijlage"}, '
     '{nummer: "4", titel: "Declaratieprotocol"}]\n  - alinea: "Partijen',
     "Mini-overeenkomst (MAP/documenten/overeenkomst.yaml:7): bijlage 4 (Declaratieprotocol) wordt genoemd maar de "
     "tekst ontbreekt in de bron"),
    ("datum-buiten-looptijd", PRIJSBIJLAGE, '  - alinea: "Naam', '  - alinea: "Uiterlijk 01-01-2020 geregeld."\n  - alinea: "Naam',
     "Bijlage 1 (MAP/documenten/prijsbijlage.yaml:12): datum '01-01-2020' valt buiten de looptijd van dit document "
     "(01-01-2018 t/m 31-12-2018)"),
    ("begrip-ongebruikt", OVEREENKOMST, '            - {begrip: "Burger"',
     '            - {begrip: "Regisseur", definitie: "Functionaris van de gemeente."}\n            - {begrip: "Burger"',
     "Mini-overeenkomst art. 1 (MAP/documenten/overeenkomst.yaml:15): begrip 'Regisseur' wordt gedefinieerd maar "
     "nergens gebruikt"),
]


@pytest.mark.parametrize("regel,bestand,oud,nieuw,verwacht", CASES, ids=[c[0] for c in CASES])
def test_rule_fires_with_place(runner, mini, regel, bestand, oud, nieuw, verwacht):
    _voeg_toe(mini / bestand, oud, nieuw)
    result = _check(runner, mini)
    assert result.exit_code == 0, result.output  # warnings only
    regels = result.output.splitlines()
    # grouped per rule with a count; the place as a jurist names it, file:line, no YAML path
    kop = regels.index(f"{regel}: 1 waarschuwing")
    assert regels[kop + 1] == "  waarschuwing: " + verwacht.replace("MAP", str(mini)), result.output
    assert "inhoud." not in result.output


def test_derived_tariff_that_breaks_its_rule_is_an_error(runner, mini):
    _voeg_toe(mini / "tarieven/jeugd-2018.yaml", '      - {productcode: "84120", rij: Laag, kolom: Lang, tarief: "4041", eenheid: traject}',
              '      - {productcode: "84120", rij: Laag, kolom: Lang, tarief: "4041", eenheid: traject}\n'
              '    toeslagen:\n'
              '      - {productcode: "84999", naam: "Toeslag lang", tarief: "3000", eenheid: traject,'
              ' afgeleid: {verschil: ["84120", "84110"]}}\n')
    result = _check(runner, mini)
    assert result.exit_code == 1
    assert "afgeleid-bedrag: 1 fout" in result.output.splitlines()
    assert (f"  fout: tariefset jeugd-2018, productcode 84999 ({mini}/tarieven/jeugd-2018.yaml:20): tarief 84999 is "
            "€ 3.000, maar volgens de regel (84120 min 84110) € 3.124,50") in result.output.splitlines()


PARAMETERS = """
voorrang:
  rangorde:
    - {naam: "Bijlagen", documenten: ["prijsbijlage"], grond: "overeenkomst:art-2.1"}
    - {naam: "Overeenkomst", documenten: [overeenkomst]}
parameters:
  - id: looptijd
    naam: "Looptijd"
    vindplaatsen:
      - {plaats: "overeenkomst:art-2.2", tekst: "Zie lid", waarde: "2018"}
      - {plaats: "prijsbijlage", tekst: "Looptijd 01-01-2018", waarde: "2019"}
"""


def test_parameter_with_different_values_and_voorrang(runner, mini):
    (mini / "regio.yaml").write_text((mini / "regio.yaml").read_text(encoding="utf-8") + PARAMETERS, encoding="utf-8")
    result = _check(runner, mini, "--formaat", "json")
    assert result.exit_code == 0
    rapport = json.loads(result.output)
    assert rapport["versie"] == 1 and rapport["samenvatting"] == {"fouten": 0, "waarschuwingen": 1, "beoordeeld": 0}
    bevinding = rapport["regio's"][0]["bevindingen"][0]
    assert bevinding["regel"] == "parameter-verschil" and bevinding["ernst"] == "waarschuwing"
    assert set(bevinding) == {"regel", "ernst", "bestand", "regelnummer", "kolom", "pad", "document", "documenten", "plaats",
                              "bericht", "vingerafdruk", "status", "beoordeling"}
    assert bevinding["pad"] == "parameters.0" and bevinding["plaats"] == "parameter 'Looptijd'"
    assert bevinding["bericht"].endswith("volgens de rangorde geldt Bijlage 1")

    result = runner.invoke(main, ["voorrang", str(mini), "looptijd"])
    assert result.exit_code == 0, result.output
    assert "Geldend: Bijlage 1, want Bijlagen gaat voor op de andere vindplaatsen:" in result.output
    assert "Mini-overeenkomst art. 2.1: “2.1 Een bijlage gaat boven deze overeenkomst." in result.output


def test_parameter_text_that_is_no_longer_there_is_an_error(runner, mini):
    (mini / "regio.yaml").write_text((mini / "regio.yaml").read_text(encoding="utf-8")
                                     + PARAMETERS.replace('tekst: "Zie lid"', 'tekst: "Zie artikel"'), encoding="utf-8")
    result = _check(runner, mini)
    assert result.exit_code == 1
    assert "Mini-overeenkomst art. 2.2 bevat de tekst 'Zie artikel' niet (meer); werk de vindplaats bij" in result.output


def test_voorrang_unknown_subject(runner, mini):
    result = runner.invoke(main, ["voorrang", str(mini), "kwantumkorting"])
    assert result.exit_code == 2
    assert "onbekend onderwerp 'kwantumkorting'" in result.output


def test_real_source_inconsistencies_are_reported(runner):
    from conftest import DATA

    result = _check(runner, DATA / "maastricht-heuvelland", "--formaat", "json")
    assert result.exit_code == 0, result.output
    berichten = [b["bericht"] for b in json.loads(result.output)["regio's"][0]["bevindingen"]]
    verwacht = [
        "eisnummer D2 komt twee keer voor",
        "bijlage 4 (Declaratieprotocol) wordt genoemd maar de tekst ontbreekt in de bron",
        "datum '01-01-2020' valt buiten de looptijd",
        "datum '1 april 2017' valt buiten de looptijd",
        "'Datum van de Samenwerkingsovereenkomst' heeft verschillende waarden",
        "afkorting 'CAK' wordt",
    ]
    for stuk in verwacht:
        assert any(stuk in b for b in berichten), stuk
    # a liability cap (DVO 26.2) and a minimum insured amount (bijlage 3 B9) are two rules, not one value
    assert not any("Aansprakelijkheid" in b and "verschillende waarden" in b for b in berichten)


@pytest.mark.parametrize("onderwerp,geldend", [
    ("Burger", "Geldend: DVO (begrip 'Burger'), want Dienstverleningsovereenkomst (DVO) gaat voor"),
    ("privacy", "Bij strijdigheid geldt: Bijlage 3, eis D5, want Bijlagen bij de DVO gaat voor"),
])
def test_voorrang_on_the_real_contract(runner, onderwerp, geldend):
    from conftest import DATA

    result = runner.invoke(main, ["voorrang", str(DATA / "maastricht-heuvelland"), onderwerp])
    assert result.exit_code == 0, result.output
    assert geldend in result.output
    assert "DVO art. 3." in result.output  # the voorrang article is quoted


def test_three_false_or_noisy_findings_are_gone_by_rule(runner):
    """Issue 28: a begrip used with 'van de' between its words is used (DVO 26.1-26.3); dates in the recitals of
    the SWO are history; an abbreviation spelled out in its own sentence ("Inspectie voor de Gezondheidszorg
    (IGZ)") needs no entry in the list. What still deserves a look stays."""
    from conftest import DATA

    out = runner.invoke(main, ["check", str(DATA / "maastricht-heuvelland")]).output
    assert "begrip 'Algemene inkoopvoorwaarden gemeente Maastricht' wordt gedefinieerd maar nergens gebruikt" not in out
    assert "datum '10 januari 2013'" not in out and "datum '1 januari 2015'" not in out
    assert "afkorting 'IGZ'" not in out and "afkorting 'EED'" not in out
    # still reported: a date in an eis (not a recital), an abbreviation that is nowhere explained
    assert "Bijlage 3, eis A2" in out and "datum '01-01-2020' valt buiten de looptijd" in out
    assert "afkorting 'CAK' wordt 9 keer gebruikt" in out


def test_an_unexplained_abbreviation_and_an_unused_begrip_are_still_found():
    from contractgen.rapporten.check import _uitgeschreven

    tekst = "rapport van de Inspectie voor de Gezondheidszorg (IGZ) en van het CAK (Centraal Administratie Kantoor)."
    assert _uitgeschreven("IGZ", tekst, tekst.index("IGZ"), tekst.index("IGZ") + 3)
    assert _uitgeschreven("CAK", tekst, tekst.index("CAK"), tekst.index("CAK") + 3)
    los = "het rapport gaat naar de IGZ."
    assert not _uitgeschreven("IGZ", los, los.index("IGZ"), los.index("IGZ") + 3)
    anders = "een brief van de gemeente (IGZ)."
    assert not _uitgeschreven("IGZ", anders, anders.index("IGZ"), anders.index("IGZ") + 3)
