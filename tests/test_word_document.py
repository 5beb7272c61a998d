"""`importeer-document` (issue 19): an existing Word contract (no ids) becomes a YAML document.

The measurement writes seed 001's DVO and seed 000's Basisdocument into plain Word documents
(benchmarks/word_uit_bron.py: python-docx, ordinary heading and list styles) and compares what the
importer makes of them with contracts_data/, lid by lid.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import pytest
from conftest import ROOT

from contractgen.cli import main
from contractgen.domein import model as m
from contractgen.intake import yaml_rond as yr

sys.path.insert(0, str(ROOT / "benchmarks"))
import word_uit_bron  # noqa: E402


@pytest.fixture(scope="module")
def metingen(tmp_path_factory) -> dict:
    map_ = tmp_path_factory.mktemp("bron")
    return {b.document: word_uit_bron.meet(b, map_) for b in word_uit_bron.BRONNEN}


def test_seed_documents_come_back_as_the_transcribed_data(metingen):
    for meting in metingen.values():
        print(meting.regel())
    dvo, basis = metingen["dvo"], metingen["basisdocument-werkafspraken"]
    assert (dvo.leden, dvo.artikelen, basis.leden, basis.artikelen) == (102, 29, 18, 25)
    assert dvo.artikelen_exact == 29 and basis.artikelen_exact == 25
    assert dvo.leden_exact == 102  # every lid of the DVO, text and references ([[ref:dvo:art-22]]) alike
    assert basis.leden_exact >= 17  # 3.2.1 ... 10.1.2; 8.2.1 takes the unnumbered 'Terugvordering' section
    totaal = (dvo.leden_exact + basis.leden_exact) / (dvo.leden + basis.leden)
    assert totaal >= 0.95
    # the DVO's title line holds the document title and "tussen De gemeenten ..." in one paragraph
    assert dvo.alineas_exact >= dvo.alineas - 1 and basis.alineas_exact >= basis.alineas - 3


def _word(pad: Path, regels: list[tuple[str, str | None]]) -> Path:
    d = docx.Document()
    for tekst, stijl in regels:
        d.add_paragraph(tekst, stijl)
    d.save(str(pad))
    return pad


def test_cli_writes_the_document_and_lists_what_it_could_not_place(runner, tmp_path: Path):
    bron = _word(tmp_path / "contract.docx", [
        ("Overeenkomst Proefregio", "Title"),
        ("HOOFDSTUK 1 ALGEMEEN", "Heading 1"),
        ("Artikel 1: Duur", "Heading 2"),
        ("1.1 Deze overeenkomst duurt een jaar, zie ook artikel 2.", None),
        ("• met verlenging", "List Bullet"),
        ("7.3 Een lid dat hier niet hoort.", None),
        ("Artikel 2: Opzegging", "Heading 2"),
        ("2.1 Opzeggen kan schriftelijk.", None),
        ("Bijlage 1 Tarieven", "Heading 1"),
    ])
    regio = tmp_path / "proefregio"
    r = runner.invoke(main, ["importeer-document", str(bron), "--regio", str(regio), "--id", "overeenkomst",
                             "--geldig-van", "2024-01-01"])
    assert r.exit_code == 0, r.output
    assert "niet geplaatst: alinea 6: lidnummer 7.3 past niet bij artikel 1: '7.3 Een lid dat hier niet hoort.'" \
        in r.output
    assert "niet geplaatst: alinea 9: 'Bijlage 1 Tarieven' begint een bijlage" in r.output
    assert "2 artikel(en), 2 lid/leden" in r.output
    pad = regio / "documenten" / "overeenkomst.yaml"
    doc = m.Document.model_validate(yr.laad(pad))
    art1 = doc.inhoud[2].artikel
    assert (art1.id, art1.nummer, art1.titel, art1.scheiding) == ("art-1", "1", "Duur", ":")
    assert art1.leden[0].tekst == "Deze overeenkomst duurt een jaar, zie ook artikel [[ref:overeenkomst:art-2]]."
    assert art1.leden[0].inhoud[0].opsomming.items == ["met verlenging"]
    assert "7.3 Een lid" not in pad.read_text(encoding="utf-8")
    # nothing is overwritten
    again = runner.invoke(main, ["importeer-document", str(bron), "--regio", str(regio), "--id", "overeenkomst"])
    assert again.exit_code == 1 and "bestaat al" in again.output


def test_refuses_an_empty_document_and_a_bad_id(runner, tmp_path: Path):
    leeg = _word(tmp_path / "leeg.docx", [])
    r = runner.invoke(main, ["importeer-document", str(leeg), "--regio", str(tmp_path / "r"), "--id", "x"])
    assert r.exit_code == 1 and "het document bevat geen tekst" in r.output
    bron = _word(tmp_path / "c.docx", [("Artikel 1: Iets", "Heading 2")])
    r = runner.invoke(main, ["importeer-document", str(bron), "--regio", str(tmp_path / "r"), "--id", "Met Spatie"])
    assert r.exit_code == 1 and "id: het resultaat is geen geldig document" in r.output
    assert not (tmp_path / "r" / "documenten").exists() or not any((tmp_path / "r" / "documenten").iterdir())


def test_numbered_plain_paragraphs_without_heading_styles(runner, tmp_path: Path):
    """The Noord-Limburg Basisdocument typed without heading styles (issue 28): its 25 sections and 18
    numbered subsections are found from the numbering, as with styles, and the CLI says what it inferred."""
    bron = next(b for b in word_uit_bron.BRONNEN if b.document == "basisdocument-werkafspraken")
    met = word_uit_bron.meet(bron, tmp_path)
    zonder = word_uit_bron.meet(bron, tmp_path, kopstijlen=False)
    assert (zonder.artikelen_exact, zonder.leden_exact) == (met.artikelen_exact, met.leden_exact) == (25, 17)
    assert not zonder.niet_geplaatst
    pad = tmp_path / "basisdocument-werkafspraken-zonder-kopstijlen.docx"
    assert not any(p.style.name.startswith("Heading") for p in docx.Document(str(pad)).paragraphs)
    r = runner.invoke(main, ["importeer-document", str(pad), "--regio", str(tmp_path / "r"), "--id", "basis",
                             "--proef"])
    assert r.exit_code == 0, r.output
    assert "geen kopstijlen gevonden: " in r.output and "kop(pen) afgeleid uit de nummering" in r.output
    assert "  alinea 1: 'Basisdocument" in r.output
    assert "25 artikel(en), 18 lid/leden" in r.output
