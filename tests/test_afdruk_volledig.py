"""Issue 29, nothing lost on the page: every word of the .docx in its PDF in order (a build that loses
text stops, naming the document and the first missing words), rows too tall for a page split with the
header row repeated, and no heading ends a page (checked per page on the real data)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, MINI
from lxml import etree

from contractgen.cli import main
from contractgen.render import docx as render_docx
from contractgen.uitvoer.libreoffice import docx_woorden, eerste_verlies

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_the_text_check_finds_the_first_missing_word():
    doc = "de aanbieder levert zorg regel 1 regel 2 regel 3 einde".split()
    assert eerste_verlies(doc, ["kop", *doc, "pagina", "1"]) is None
    assert eerste_verlies(doc, doc[:7]) == 7  # clipped after 'regel 2'
    assert eerste_verlies(doc, doc[:4] + doc[6:]) == 5  # 'regel 1' lost in the middle: '1' is not there
    # a row split over two pages is drawn cell part by cell part: still all there
    cel_a, cel_b = "a1 a2 a3 a4".split(), "b1 b2 b3 b4".split()
    assert eerste_verlies(cel_a + cel_b, cel_a[:2] + cel_b[:2] + ["kop"] + cel_a[2:] + cel_b[2:]) is None
    assert eerste_verlies(doc, []) == 0


def _lange_rijen(mini: Path, *aantallen: int) -> None:
    """Tables whose one row has a cell of `n` lines ('regel 1' ... 'regel n'), in the prijsbijlage."""
    bijlage = mini / "documenten" / "prijsbijlage.yaml"
    tekst = bijlage.read_text(encoding="utf-8")
    for n in aantallen:
        regels = "\\n".join(f"r{n} regel {k} van de lange cel" for k in range(1, n + 1))
        tekst += (f'  - tabel:\n      kolommen: ["Onderdeel {n}", "Omschrijving {n}"]\n'
                  f'      rijen:\n        - ["Lang {n}", "{regels}"]\n')
    bijlage.write_text(tekst, encoding="utf-8")


def _pagina_teksten(pdf: Path) -> list[str]:
    uit = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return uit.split("\f")[:-1]


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    doel = tmp_path / "mini"
    shutil.copytree(MINI, doel)
    return doel


def test_tall_rows_split_with_the_header_repeated_and_every_line_is_printed(runner, mini, tmp_path):
    _lange_rijen(mini, 55, 90)
    uit = tmp_path / "uit"
    result = runner.invoke(main, ["build", str(mini), "--uitvoer", str(uit), "--aanbieder", "voorbeeld"])
    assert result.exit_code == 0, result.output
    pdf = uit / "mini" / "2018" / "voorbeeld" / "02-prijsbijlage.pdf"
    paginas = _pagina_teksten(pdf)
    alles = "\n".join(paginas)
    for n in (55, 90):
        for k in range(1, n + 1):
            assert f"r{n} regel {k} van de lange cel" in alles, (n, k)
        # the row runs over pages; on each page it is on, its table's header row is on top of it
        op = [i for i, p in enumerate(paginas) if f"r{n} regel " in p]
        assert len(op) >= 2, (n, op)
        assert all(f"Omschrijving {n}" in paginas[i] for i in op), (n, op)
    # in the .docx only these two rows may split; every other row still may not
    with zipfile.ZipFile(pdf.with_suffix(".docx")) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    splitsbaar = ["".join(tr.itertext())[:7] for tr in root.iter(f"{W}tr")
                  if tr.find(f"{W}trPr/{W}cantSplit") is None and tr.find(f"{W}trPr/{W}tblHeader") is None]
    assert sorted(splitsbaar) == ["Lang 55", "Lang 90"]


def test_a_build_that_loses_text_stops_naming_the_document_and_the_first_missing_words(runner, mini, tmp_path,
                                                                                      monkeypatch):
    """The defect as reported: a row that may not split, 72 lines tall, clipped by LibreOffice at line 69."""
    monkeypatch.setattr(render_docx, "SPLITSEN_VANAF", 10**9)  # keep w:cantSplit on every row
    _lange_rijen(mini, 72)
    uit = tmp_path / "uit"
    result = runner.invoke(main, ["build", str(mini), "--uitvoer", str(uit), "--aanbieder", "voorbeeld"])
    assert result.exit_code == 1, result.output
    melding = re.search(r"mini/2018/voorbeeld/02-prijsbijlage\.docx: de PDF mist tekst van het document: vanaf woord "
                        r"\d+ van \d+ staat er niet meer in, “r72 regel (\d+) van de lange cel", result.output)
    assert melding, result.output
    assert 60 <= int(melding.group(1)) <= 72  # the first line that is not (whole) on a page
    assert "er is niets gebouwd" in result.output
    assert not (uit / "mini" / "2018" / "voorbeeld" / "02-prijsbijlage.pdf").exists()


def _koppen(docx: Path) -> list[str]:
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    uit = []
    for p in root.iter(f"{W}p"):
        stijl = p.find(f"{W}pPr/{W}pStyle")
        if stijl is not None and stijl.get(f"{W}val", "").startswith(("Heading", "Title")):
            uit.append(" ".join("".join(p.itertext()).split()))
    return [k for k in uit if k]


def test_no_heading_ends_a_page_on_the_real_data(runner, tmp_path):
    """Bijlage 2.2 for this aanbieder put 'Intensiteit' at the foot of page 1 and its text on page 2."""
    uit = tmp_path / "uit"
    result = runner.invoke(main, ["build", str(DATA / "maastricht-heuvelland"), "--uitvoer", str(uit),
                                  "--aanbieder", "voorbeeld-wmo-compleet"])
    assert result.exit_code == 0, result.output
    map_ = uit / "maastricht-heuvelland" / "2018" / "voorbeeld-wmo-compleet"
    gecontroleerd = 0
    for docx in sorted(map_.glob("*.docx")):
        koppen = set(_koppen(docx))
        paginas = _pagina_teksten(docx.with_suffix(".pdf"))
        for nummer, pagina in enumerate(paginas[:-1], start=1):
            regels = [" ".join(r.split()) for r in pagina.splitlines() if r.strip()]
            romp = [r for r in regels if not re.search(r"— pagina \d+ van \d+$|^Paraaf opdrachtnemer", r)]
            assert romp and romp[-1] not in koppen, f"{docx.name} pagina {nummer} eindigt met kop '{romp[-1]}'"
            gecontroleerd += 1
        assert docx_woorden(docx)  # and the whole-text check ran on it during the build
    assert gecontroleerd >= 20
    bijlage = _pagina_teksten(map_ / "03-bijlage-2.2.pdf")
    assert [" ".join(r.split()) for r in bijlage[1].splitlines() if r.strip()][1] == "Intensiteit"
    # the user's .docx is as rendered: the page break is only in LibreOffice's copy (Word keeps it by itself)
    assert b"pageBreakBefore" not in zipfile.ZipFile(map_ / "03-bijlage-2.2.docx").read("word/document.xml")
