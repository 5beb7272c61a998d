"""Word in loses nothing (issue 28): each case edits the built DVO the way Word writes it (its XML) and
checks what the jurist gets: the written YAML, the message, the exit code, and that nothing is written
when the document is refused."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from test_word_wijzigingen import AANBIEDER, _alinea, _vervang_tekst, data  # noqa: F401 - fixtures

from conftest import DATA

from contractgen.cli import main
from contractgen.intake import yaml_rond as yr

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
JURIST = "mr. B. Jurist"
DATUM = "2018-05-04T09:00:00Z"
NIEUW = ("maastricht-heuvelland", "documenten", "dvo-2018-b.yaml")


@pytest.fixture(scope="module")
def _gebouwd(tmp_path_factory) -> Path:
    """The DVO as `build` makes it for one aanbieder, built once for this module."""
    from click.testing import CliRunner

    uit = tmp_path_factory.mktemp("gebouwd")
    r = CliRunner().invoke(main, ["build", str(DATA / "maastricht-heuvelland"), "--geen-pdf", "--uitvoer", str(uit),
                                  "--aanbieder", AANBIEDER])
    assert r.exit_code == 0, r.output
    return uit / "maastricht-heuvelland" / "2018" / AANBIEDER / "01-dvo.docx"


@pytest.fixture
def dvo(_gebouwd: Path, tmp_path: Path) -> Path:
    kopie = tmp_path / "01-dvo.docx"
    kopie.write_bytes(_gebouwd.read_bytes())
    return kopie


def _w(tag: str, **attrs: str):
    el = etree.Element(qn(f"w:{tag}"))
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _run(*kinderen) -> etree._Element:
    r = _w("r")
    for k in kinderen:
        if isinstance(k, str):
            t = _w("t")
            t.text = k
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
        else:
            r.append(k)
    return r


def _zet_tekst_om(p, oud: str, *nieuw) -> None:
    """Replace `oud` in paragraph p by runs built from `nieuw` (strings and Word elements), as Word writes them."""
    run = next(r for r in p.runs if oud in r.text)
    voor, _, na = run.text.partition(oud)
    run.text = voor
    el = run._r
    for stuk in [_run(x) if isinstance(x, str) else _run(x) for x in nieuw] + [_run(na)]:
        el.addnext(stuk)
        el = stuk


def _importeer(runner, bestand: Path, data: Path, *extra: str):  # noqa: F811
    return runner.invoke(main, ["wijzigingen", "importeer", str(bestand), "--data", str(data), "--versie", "2018-b",
                                "--geldig-van", "2018-07-01", *extra])


def _met_deel(docx_pad: Path, naam: str, xml: bytes, relatie: str, inhoudstype: str) -> None:
    """Add a part (footnotes.xml, comments.xml) to a .docx as Word has it: file, relationship, content type."""
    with zipfile.ZipFile(docx_pad) as z:
        delen = {i.filename: z.read(i.filename) for i in z.infolist()}
    delen[f"word/{naam}"] = xml
    rels = delen["word/_rels/document.xml.rels"].decode()
    rels = rels.replace("</Relationships>", f'<Relationship Id="rIdCg{len(delen)}" Type="http://schemas.'
                                            f'openxmlformats.org/officeDocument/2006/relationships/{relatie}" '
                                            f'Target="{naam}"/></Relationships>')
    delen["word/_rels/document.xml.rels"] = rels.encode()
    typen = delen["[Content_Types].xml"].decode()
    typen = typen.replace("</Types>", f'<Override PartName="/word/{naam}" ContentType="application/vnd.'
                                      f'openxmlformats-officedocument.wordprocessingml.{inhoudstype}+xml"/></Types>')
    delen["[Content_Types].xml"] = typen.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for n, inhoud in delen.items():
            z.writestr(n, inhoud)
    docx_pad.write_bytes(buffer.getvalue())


def _geweigerd(r, data: Path) -> str:  # noqa: F811
    assert r.exit_code == 1, r.output
    assert not data.joinpath(*NIEUW).exists()
    dvo_yaml = Path("maastricht-heuvelland", "documenten", "dvo.yaml")
    assert (data / dvo_yaml).read_bytes() == (DATA / dvo_yaml).read_bytes()  # the old version not ended either
    return r.output


def _lid(data: Path, ident: str) -> dict:  # noqa: F811
    nieuw = yr.laad(data.joinpath(*NIEUW))
    return next(lid for b in nieuw["inhoud"] if "artikel" in b for lid in b["artikel"].get("leden") or []
                if lid["id"] == ident)


def test_every_character_a_jurist_types_is_kept(dvo: Path, data: Path, runner, tmp_path: Path):  # noqa: F811
    """Ctrl+Shift+- (w:noBreakHyphen), a soft hyphen, a symbol and a line break: read as the characters they are."""
    d = docx.Document(str(dvo))
    _zet_tekst_om(_alinea(d, "5.1\t"), "zes maanden", "1", _w("noBreakHyphen"), "3 maanden")
    _zet_tekst_om(_alinea(d, "5.2\t"), "verplichtingen", "verplich", _w("softHyphen"), "tingen")
    _zet_tekst_om(_alinea(d, "4.1\t"), "2015", "2015 ", _w("sym", font="Arial", char="2192"), " 2016", _w("br"), "x")
    d.save(str(tmp_path / "tekens.docx"))
    r = _importeer(runner, tmp_path / "tekens.docx", data)
    assert r.exit_code == 0, r.output
    assert "termijn van 1\u20113 maanden" in _lid(data, "art-5.1")["tekst"]  # not "13 maanden"
    assert "verplich\u00adtingen" in _lid(data, "art-5.2")["tekst"]
    assert "2015 \u2192 2016\nx" in _lid(data, "art-4.1")["tekst"]


def test_a_symbol_from_a_symbol_font_is_refused_by_place(dvo: Path, data: Path, runner, tmp_path: Path):  # noqa: F811
    d = docx.Document(str(dvo))
    _zet_tekst_om(_alinea(d, "5.1\t"), "zes maanden", "zes ", _w("sym", font="Wingdings", char="F0E0"), " maanden")
    d.save(str(tmp_path / "symbool.docx"))
    uit = _geweigerd(_importeer(runner, tmp_path / "symbool.docx", data), data)
    assert "lid 5.1: een symbool uit het lettertype 'Wingdings' (teken F0E0)" in uit


def test_a_footnote_the_jurist_adds_refuses_the_document_naming_it(dvo: Path, data: Path, runner,  # noqa: F811
                                                                    tmp_path: Path):
    d = docx.Document(str(dvo))
    _zet_tekst_om(_alinea(d, "5.1\t"), "maanden", "maanden", _w("footnoteReference", id="1"))
    bestand = tmp_path / "voetnoot.docx"
    d.save(str(bestand))
    _met_deel(bestand, "footnotes.xml", f'<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1">'
              f'<w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Zie het '
              f'beleidsplan 2018.</w:t></w:r></w:p></w:footnote></w:footnotes>'.encode(), "footnotes", "footnotes")
    uit = _geweigerd(_importeer(runner, bestand, data), data)
    assert "lid 5.1: een voetnoot ('Zie het beleidsplan 2018.'); contractgen neemt geen Word-voetnoten over" in uit
    assert "er is niets geschreven" in uit


def test_an_unknown_element_or_a_drawing_refuses_the_document(dvo: Path, data: Path, runner,  # noqa: F811
                                                             tmp_path: Path):
    d = docx.Document(str(dvo))
    _alinea(d, "4.1\t")._p.append(_run(_w("drawing")))
    _alinea(d, "5.2\t")._p.append(_w("onbekendding"))
    d.save(str(tmp_path / "onbekend.docx"))
    uit = _geweigerd(_importeer(runner, tmp_path / "onbekend.docx", data), data)
    assert "lid 4.1: een afbeelding, tekstvak of vorm; verwijder het" in uit
    assert "lid 5.2: een Word-onderdeel dat contractgen niet kent (w:onbekendding)" in uit


def test_a_comment_on_a_tracked_change_is_shown_with_it_and_kept(dvo: Path, data: Path, runner,  # noqa: F811
                                                                 tmp_path: Path):
    d = docx.Document(str(dvo))
    p = _alinea(d, "5.1\t")
    _vervang_tekst(p, "zes maanden", "drie maanden", True)
    ins = p._p.find(qn("w:ins"))
    ins.addprevious(_w("commentRangeStart", id="7"))
    ins.addnext(_w("commentRangeEnd", id="7"))
    p._p.find(qn("w:commentRangeEnd")).addnext(_run(_w("commentReference", id="7")))
    bestand = tmp_path / "opmerking.docx"
    d.save(str(bestand))
    _met_deel(bestand, "comments.xml", f'<w:comments xmlns:w="{W}"><w:comment w:id="7" w:author="{JURIST}" '
              f'w:date="{DATUM}"><w:p><w:r><w:t>alleen akkoord als de gemeente dit schriftelijk bevestigt'
              f'</w:t></w:r></w:p></w:comment></w:comments>'.encode(), "comments", "comments")
    r = _importeer(runner, bestand, data)
    assert r.exit_code == 0, r.output
    regels = r.output.splitlines()
    i = regels.index("aangenomen (lid 5.1): invoeging door mr. A. Jurist op 2018-05-01T10:00:00Z: “drie maanden”")
    assert regels[i + 1] == (f"  opmerking van {JURIST} op {DATUM}: “alleen akkoord als de gemeente dit schriftelijk "
                             "bevestigt”")
    omschrijving = yr.laad(data.joinpath(*NIEUW))["wijzigingen"][-1]["omschrijving"]
    assert "bijgehouden wijzigingen aangenomen van mr. A. Jurist (2018-05-01)" in omschrijving
    assert f"opmerkingen: lid 5.1, {JURIST} (2018-05-04): “alleen akkoord als" in omschrijving


def test_a_table_row_in_a_content_control_is_read_not_deleted(dvo: Path, data: Path, runner,  # noqa: F811
                                                              tmp_path: Path):
    """Word's repeating section: w:sdt around w:tr. Without --proef the begrip would have been removed."""
    d = docx.Document(str(dvo))
    tr = next(r._tr for t in d.tables for r in t.rows if r.cells[0].text.strip() == "Burger")
    sdt, inhoud = _w("sdt"), _w("sdtContent")
    sdt.append(_w("sdtPr"))
    sdt.append(inhoud)
    tr.addprevious(sdt)
    inhoud.append(tr)
    _vervang_tekst(_alinea(d, "5.1\t"), "zes maanden", "drie maanden", False)
    d.save(str(tmp_path / "sdt.docx"))
    r = _importeer(runner, tmp_path / "sdt.docx", data)
    assert r.exit_code == 0, r.output
    assert "verwijderd" not in r.output and "gewijzigd: lid 5.1" in r.output
    assert '- begrip: "Burger"' in data.joinpath(*NIEUW).read_text(encoding="utf-8")


def test_a_tracked_move_keeps_the_lid_and_its_id(dvo: Path, data: Path, runner, tmp_path: Path):  # noqa: F811
    """Word with change tracking on: lid 5.3 dragged before 5.1 is w:moveFrom (with the bookmark) + w:moveTo."""
    d = docx.Document(str(dvo))
    oud = _alinea(d, "5.3\t")._p
    nieuw = copy.deepcopy(oud)
    for b in list(nieuw.iter(qn("w:bookmarkStart"))) + list(nieuw.iter(qn("w:bookmarkEnd"))):
        b.getparent().remove(b)  # Word leaves the bookmark at the old place
    for p, soort in ((oud, "moveFrom"), (nieuw, "moveTo")):
        omhulsel = _w(soort, id="31" if soort == "moveFrom" else "33", author=JURIST, date=DATUM)
        for r in p.findall(qn("w:r")):
            r.addprevious(omhulsel) if omhulsel.getparent() is None else None
            omhulsel.append(r)
        ppr = p.find(qn("w:pPr"))
        ppr.addnext(_w(f"{soort}RangeStart", id="30" if soort == "moveFrom" else "32", name="move1", author=JURIST,
                       date=DATUM))
        p.append(_w(f"{soort}RangeEnd", id="30" if soort == "moveFrom" else "32"))
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, qn("w:rPr"))
        rpr.append(_w(soort, id="34" if soort == "moveFrom" else "35", author=JURIST, date=DATUM))
    _alinea(d, "5.1\t")._p.addprevious(nieuw)
    d.save(str(tmp_path / "verplaatst.docx"))
    r = _importeer(runner, tmp_path / "verplaatst.docx", data)
    assert r.exit_code == 0, r.output
    assert "verplaatst: lid 5.3" in r.output
    assert "toegevoegd" not in r.output and "verwijderd" not in r.output
    nieuw_yaml = yr.laad(data.joinpath(*NIEUW))
    art5 = next(b["artikel"] for b in nieuw_yaml["inhoud"] if "artikel" in b and b["artikel"]["id"] == "art-5")
    assert [lid["id"] for lid in art5["leden"]] == ["art-5.3", "art-5.1", "art-5.2"]


@pytest.mark.parametrize("waar", ["lid", "omslag"])
def test_an_edit_that_cannot_be_placed_refuses_the_document(dvo: Path, data: Path, runner, tmp_path: Path,  # noqa: F811
                                                            waar: str):
    d = docx.Document(str(dvo))
    _vervang_tekst(_alinea(d, "5.1\t"), "zes maanden", "drie maanden", False)
    if waar == "lid":  # a new paragraph without a lid number under artikel 5
        nieuw = copy.deepcopy(_alinea(d, "5.3\t")._p)
        for el in list(nieuw):
            if el.tag != qn("w:pPr"):
                nieuw.remove(el)
        nieuw.append(_run("Deze bepaling geldt ook voor onderaannemers."))
        _alinea(d, "5.3\t")._p.addnext(nieuw)
    else:  # the provider's name on the cover
        p = _alinea(d, "Opdrachtnemer:")
        _vervang_tekst(p, p.runs[0].text[:20], "Opdrachtnemer: Zorg BV", False)
    d.save(str(tmp_path / "plaats.docx"))
    uit = _geweigerd(_importeer(runner, tmp_path / "plaats.docx", data), data)
    if waar == "lid":
        assert "niet verwerkt: alinea" in uit and "in artikel 5: 'Deze bepaling geldt ook voor onderaannemers.' is " \
               "nieuwe tekst zonder lidnummer; begin de alinea met het nummer van het nieuwe lid" in uit
    else:
        assert "staat buiten de artikelen" in uit and "gegevens van de aanbieder" in uit


def test_nothing_placed_writes_nothing_and_fails(dvo: Path, data: Path, runner):  # noqa: F811
    uit = _geweigerd(_importeer(runner, dvo, data), data)
    assert "geen wijzigingen in de tekst gevonden; er is niets geschreven" in uit
