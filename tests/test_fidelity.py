"""Fidelity to the source: what the seed says must be in the rendered documents.

The expectations are parsed from the seed text itself (../shared/seeds), not from
contracts_data/, so a transcription error or a rendering loss makes these fail.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import DATA, SEEDS, alle_tabellen, docx_tekst

from contractgen.cli import main

SEED = SEEDS / "001_d7c06e29da5babfb.txt"
pytestmark = pytest.mark.skipif(not SEED.exists(), reason="seeds not available")
COMPLEET = {"jeugd": "voorbeeld-jeugd-compleet", "wmo": "voorbeeld-wmo-compleet", "bw": "voorbeeld-bw-compleet"}


@pytest.fixture(scope="module")
def uitvoer(tmp_path_factory) -> Path:
    uit = tmp_path_factory.mktemp("echt")
    result = CliRunner().invoke(main, ["build", str(DATA / "maastricht-heuvelland"), "--uitvoer", str(uit), "--geen-pdf"])
    assert result.exit_code == 0, result.output
    return uit / "maastricht-heuvelland" / "2018"


def _regels(van: int, tot: int) -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()[van - 1: tot]


def _norm(tekst: str) -> str:
    return re.sub(r"\s+", " ", tekst).strip()


def _begin(tekst: str, n: int = 24) -> str:
    # the first words of a lid; extraction split words ("vo or") only occur later in the text
    return _norm(tekst)[:n]


def _leden(van: int, tot: int) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for r in _regels(van, tot) if (m := re.match(r"^(\d{1,2}\.\d{1,2}) (.+)", r))]


def _artikelen(van: int, tot: int) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for r in _regels(van, tot) if (m := re.match(r"^Artikel (\d{1,2}):? (.+)", r))]


def _doc_regels(pad: Path) -> set[str]:
    return {_norm(p.text) for p in docx.Document(str(pad)).paragraphs}


@pytest.mark.parametrize("map_,bestand,van,tot,aantal_leden", [
    ("voorbeeld-jeugd-compleet", "01-dvo.docx", 224, 434, 102),
    ("algemeen", "swo.docx", 52, 130, 47),
])
def test_every_article_and_lid_of_the_agreement(uitvoer, map_, bestand, van, tot, aantal_leden):
    regels = _doc_regels(uitvoer / map_ / bestand)
    tekst = "\n".join(regels)
    leden = _leden(van, tot)
    assert len(leden) == aantal_leden
    for nummer, inhoud in leden:
        assert any(r.startswith(f"{nummer} {_begin(inhoud)}") for r in regels), f"lid {nummer} ontbreekt"
    for nummer, titel in _artikelen(van, tot):
        assert f"Artikel {nummer}" in tekst and _begin(titel, 12) in tekst, f"artikel {nummer}"


def test_every_kwaliteitseis_in_bijlage_3(uitvoer):
    eisen = [(m.group(1), m.group(2)) for r in _regels(1104, 1204) if (m := re.match(r"^([A-H]\d{1,2}) \| (.*)", r))]
    assert len(eisen) == 59
    d = docx.Document(str(uitvoer / "voorbeeld-jeugd-compleet" / "04-bijlage-3.docx"))
    rijen = [(r.cells[0].text, _norm(r.cells[1].text)) for t in d.tables for r in t.rows if len(r.cells) >= 3]
    for nr, tekst in eisen:
        begin = _begin(tekst.lstrip("• "), 20)
        assert any(n == nr and t.lstrip("• ").startswith(begin) or n == nr and begin in t for n, t in rijen), nr


BEDRAG = re.compile(r"€\s*\|?\s*(\d[\d.]*)(?:,-|,00)?")
CODE = re.compile(r"[Pp]rodu\w*code:\s*\|?\s*(\d{5})")


def _bron_paren(van: int, tot: int) -> list[tuple[str, Decimal]]:
    """(productcode, tarief) pairs of a tariff bijlage, in source order."""
    paren, wachtend = [], []
    for regel in _regels(van, tot):
        if regel.startswith("Aanvullende voorwaarden") or regel.startswith("Op initiatief"):
            continue
        bedragen = [Decimal(b.replace(".", "")) for b in BEDRAG.findall(regel)]
        codes = CODE.findall(regel)
        if codes and bedragen:
            paren += list(zip(codes, bedragen))
        elif codes:
            paren += list(zip(codes, wachtend))
            wachtend = []
        elif bedragen:
            wachtend = bedragen
    return paren


def _gerenderde_paren(pad: Path) -> set[tuple[str, Decimal]]:
    d = docx.Document(str(pad))
    stukken = [c.text for t in d.tables for r in t.rows for c in r.cells] + [p.text for p in d.paragraphs]
    paren = set()
    for stuk in stukken:
        bedragen = re.findall(r"€\s(\d[\d.]*(?:,\d\d)?)", stuk)  # a no-break space after €
        codes = re.findall(r"[Pp]rodu\w*code: (\d{5})", stuk)  # "productiecode:" as the source prints it
        if len(bedragen) == 1 and len(codes) == 1:
            paren.add((codes[0], Decimal(bedragen[0].replace(".", "").replace(",", "."))))
    return paren


@pytest.mark.parametrize("domein,bestand,van,tot,aantal", [
    ("jeugd", "02-bijlage-1.1.docx", 441, 546, 44),
    ("wmo", "02-bijlage-1.2.docx", 658, 693, 24),
    ("bw", "02-bijlage-1.3.docx", 778, 810, 7),
])
def test_every_productcode_and_tarief_of_the_prijsbijlage(uitvoer, domein, bestand, van, tot, aantal):
    bron = _bron_paren(van, tot)
    assert len(bron) == aantal
    gerenderd = _gerenderde_paren(uitvoer / COMPLEET[domein] / bestand)
    assert sorted(set(bron) - gerenderd) == []


@pytest.mark.parametrize("domein", ["jeugd", "wmo", "bw"])
def test_hourly_rates_of_consultatie(uitvoer, domein):
    tekst = docx_tekst(uitvoer / COMPLEET[domein] / "02-bijlage-1.{}.docx".format({"jeugd": 1, "wmo": 2, "bw": 3}[domein]))
    for code, bedrag in (("90100", "70"), ("90200", "90"), ("90300", "120")):
        assert f"Tarief per uur: € {bedrag}" in tekst and f"Productcode: {code}" in tekst


def test_prijsbijlage_is_filled_for_the_aanbieder(uitvoer):
    pad = uitvoer / "voorbeeld-zzp-dyslexie" / "02-bijlage-1.1.docx"
    tekst = docx_tekst(pad)
    assert "Naam opdrachtnemer: Praktijk Lees & Schrijf (voorbeeld)" in tekst
    assert "Aanbieder van: Jeugdhulp" in tekst
    assert "☒ Arrangement Dyslexie diagnose" in tekst and "☐ Arrangement Regie" in tekst
    assert "Looptijd 01-01-2018 t/m 31-12-2018" in tekst
    assert "met terugwerkende kracht tot 1 januari 2018" in tekst
    handtekening = [t for t in alle_tabellen(docx.Document(str(pad))) if t.rows[0].cells[0].text == "Datum"]
    rijen = {r.cells[0].text: r.cells[1].text for r in handtekening[0].rows}
    assert rijen["Naam"] == "L. Lezer" and rijen["KvK-nummer"] == "90000004" and rijen["Datum"] == ""


def test_package_follows_art_3_1_and_domains(uitvoer):
    assert sorted(p.name for p in (uitvoer / "voorbeeld-jeugd-wmo-ambulant").glob("*.docx")) == [
        "01-dvo.docx", "02-bijlage-1.1.docx", "03-bijlage-1.2.docx", "04-bijlage-2.1.docx", "05-bijlage-2.2.docx",
        "06-bijlage-3.docx", "07-bijlage-5.docx", "08-bijlage-6.docx", "09-bijlage-7.docx", "10-bijlage-8.docx"]


def test_cross_references_are_symbolic_and_follow_renumbering(tmp_path):
    """DVO 6.1 refers to art. 3.2 of the Samenwerkingsovereenkomst by id: renumber it and the DVO follows."""
    import shutil

    regio = tmp_path / "maastricht-heuvelland"
    shutil.copytree(DATA / "maastricht-heuvelland", regio)
    swo = regio / "documenten" / "swo.yaml"
    tekst = swo.read_text(encoding="utf-8")
    assert 'nummer: "3.2"' in tekst
    swo.write_text(tekst.replace('nummer: "3.2"', 'nummer: "3.2a"', 1), encoding="utf-8")
    uit = tmp_path / "uit"
    result = CliRunner().invoke(main, ["build", str(regio), "--uitvoer", str(uit), "--geen-pdf",
                                       "--aanbieder", "voorbeeld-wmo-compleet"])
    assert result.exit_code == 0, result.output
    tekst = docx_tekst(uit / "maastricht-heuvelland/2018/voorbeeld-wmo-compleet/01-dvo.docx")
    assert "zoals opgenomen in artikel 3.2a van de samenwerkingsovereenkomst" in tekst
