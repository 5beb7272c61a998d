"""Versions over time: a next year's tariff draft by indexation, picked by the peildatum."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import docx_tekst

from contractgen.cli import main


def test_indexation_writes_a_draft_that_the_next_year_uses(runner, mini, tmp_path):
    result = runner.invoke(main, ["tarieven", "indexeer", "jeugd-2018", "--regio", str(mini), "--percentage", "3,6"])
    assert result.exit_code == 0, result.output
    concept = (mini / "tarieven" / "jeugd-2019.yaml").read_text(encoding="utf-8")
    assert "status: concept" in concept and "van: 2019-01-01" in concept
    assert 'tarief: "7864"' in concept  # 7591 * 1,036 = 7864,28 → hele euro; quoting as in the source

    bijlage = (mini / "documenten" / "prijsbijlage.yaml").read_text(encoding="utf-8")
    (mini / "documenten" / "prijsbijlage-2019.yaml").write_text(
        bijlage.replace('versie: "2018"', 'versie: "2019"').replace("2018-", "2019-"), encoding="utf-8")
    assert runner.invoke(main, ["validate", str(mini)]).exit_code == 0

    uit = tmp_path / "out"
    # a concept set is never built without a word: refused, then built on request with CONCEPT on every page
    result = runner.invoke(main, ["build", str(mini), "--uitvoer", str(uit), "--geen-pdf", "--peildatum", "2019-06-01"])
    assert result.exit_code == 1 and not (uit / "mini" / "2019").exists()
    assert ("[tarieven-concept] prijsbijlage versie 2019 toont tariefset jeugd-2019, die nog een concept is" in result.output
            and "of bouw bewust een concept met --concept" in result.output), result.output
    for peildatum in ("2018-06-01", "2019-06-01"):
        result = runner.invoke(main, ["build", str(mini), "--uitvoer", str(uit), "--geen-pdf", "--peildatum", peildatum,
                                      "--concept"])
        assert result.exit_code == 0, result.output
    koppen_2019 = _kopteksten(uit / "mini/2019/voorbeeld/02-prijsbijlage.docx")
    assert koppen_2019 and all(k.startswith("CONCEPT — tarieven niet vastgesteld — ") for k in koppen_2019)
    # the package is a concept as a whole: its other documents (the signature page too) say so as well
    pakket = sorted((uit / "mini/2019/voorbeeld").glob("*.docx"))
    assert len(pakket) >= 2, pakket
    for docx in pakket:
        koppen = _kopteksten(docx)
        assert koppen and all(k.startswith("CONCEPT — tarieven niet vastgesteld — ") for k in koppen), docx.name
    assert not any("CONCEPT" in k for k in _kopteksten(uit / "mini/2018/voorbeeld/02-prijsbijlage.docx"))
    tekst_2018 = docx_tekst(uit / "mini/2018/voorbeeld/02-prijsbijlage.docx")
    tekst_2019 = docx_tekst(uit / "mini/2019/voorbeeld/02-prijsbijlage.docx")
    assert "€ 7.591" in tekst_2018 and "CONCEPT" not in tekst_2018
    assert "€ 7.864" in tekst_2019 and "Looptijd 01-01-2019 t/m 31-12-2019" in tekst_2019
    assert "CONCEPT — deze tarieven zijn nog niet vastgesteld." in tekst_2019


def test_indexation_refuses_to_overwrite(runner, mini):
    assert runner.invoke(main, ["tarieven", "indexeer", "jeugd-2018", "--regio", str(mini), "--percentage", "2"]).exit_code == 0
    result = runner.invoke(main, ["tarieven", "indexeer", "jeugd-2018", "--regio", str(mini), "--percentage", "2"])
    assert result.exit_code == 1
    assert "tariefset 'jeugd-2019' bestaat al; kies een andere naam met --naar" in result.output


def test_overlapping_document_versions_are_an_error(runner, mini):
    bijlage = (mini / "documenten" / "prijsbijlage.yaml").read_text(encoding="utf-8")
    (mini / "documenten" / "prijsbijlage-b.yaml").write_text(bijlage.replace('versie: "2018"', 'versie: "2018b"')
                                                              .replace("geldig_van: 2018-01-01", "geldig_van: 2018-06-01"),
                                                              encoding="utf-8")
    result = runner.invoke(main, ["validate", str(mini)])
    assert result.exit_code == 1
    assert "versie 2018b van 'prijsbijlage' overlapt met versie 2018" in result.output


def test_an_amended_article_shows_the_version_in_force(runner, mini, tmp_path):
    overeenkomst = mini / "documenten" / "overeenkomst.yaml"
    tekst = overeenkomst.read_text(encoding="utf-8")
    oud = """  - artikel:
      id: art-2
      nummer: "2"
      titel: "Voorrang"
"""
    assert oud in tekst
    gewijzigd = """  - artikel:
      id: art-2
      nummer: "2"
      titel: "Voorrang (gewijzigd)"
      versie: "2019"
      geldig_van: 2019-01-01
      wijzigingen: [{versie: "2019", datum: 2018-11-01, omschrijving: "Art. 2 gewijzigd (DVO art. 22)"}]
      leden:
        - {id: art-2.1, nummer: "2.1", tekst: "Bij strijdigheid gaat de bijlage voor."}
"""
    tekst = tekst.replace(oud, gewijzigd + oud.replace('titel: "Voorrang"\n', 'titel: "Voorrang"\n      geldig_tot: 2018-12-31\n'))
    overeenkomst.write_text(tekst, encoding="utf-8")
    assert runner.invoke(main, ["validate", str(mini)]).exit_code == 0
    uit = tmp_path / "uit"
    for peildatum in ("2018-06-01", "2019-06-01"):
        assert runner.invoke(main, ["build", str(mini), "--uitvoer", str(uit), "--geen-pdf",
                                    "--peildatum", peildatum]).exit_code == 0
    t2018 = docx_tekst(uit / "mini/2018/algemeen/overeenkomst.docx")
    t2019 = docx_tekst(uit / "mini/2019/algemeen/overeenkomst.docx")
    assert "Artikel 2: Voorrang\n" in t2018 and "Een bijlage gaat boven deze overeenkomst." in t2018
    assert "Artikel 2: Voorrang (gewijzigd)" in t2019 and "Bij strijdigheid gaat de bijlage voor." in t2019
    assert "Een bijlage gaat boven deze overeenkomst." not in t2019


def test_two_versions_of_an_article_may_not_overlap(runner, mini):
    overeenkomst = mini / "documenten" / "overeenkomst.yaml"
    tekst = overeenkomst.read_text(encoding="utf-8")
    tekst = tekst.replace("      id: art-1\n", "      id: art-2\n", 1)
    overeenkomst.write_text(tekst, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(mini)])
    assert result.exit_code == 1
    assert "id 'art-2' komt twee keer voor in dit document met overlappende geldigheid" in result.output


def test_diff_between_peildata_shows_the_amended_article(runner, mini, tmp_path):
    test_an_amended_article_shows_the_version_in_force(runner, mini, tmp_path)
    result = runner.invoke(main, ["diff", f"{mini}@2018-06-01", f"{mini}@2019-06-01", "--document", "overeenkomst"])
    assert result.exit_code == 0, result.output
    assert "Voorrang {+(gewijzigd)+}" in result.output
    assert "[-Een bijlage gaat boven deze overeenkomst-]{+Bij strijdigheid gaat de bijlage voor+}" in result.output
    assert "[-Zie lid 2.1.-]" in result.output  # a removed lid shows its reference filled in


def _kopteksten(docx: Path) -> list[str]:
    """The text of every header part of a .docx (what each page shows at its top)."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(docx) as z:
        return ["".join(etree.fromstring(z.read(n)).itertext()) for n in z.namelist()
                if re.fullmatch(r"word/header\d*\.xml", n)]
