"""Word in (issue 19): ids in generated .docx, and a jurist's edits back into YAML as a new version."""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from contractgen.cli import main
from contractgen.intake import yaml_rond as yr
from contractgen.intake.word_wijzigingen import WijzigingFout, importeer
from contractgen.regels import load_valid
from contractgen.render.ankers import bladwijzer_namen, ids_van
from contractgen.render.docx import Sjablonen, standaard_sjablonen_map
from contractgen.resolve.weergave import weergave
from conftest import DATA, docx_tekst

AANBIEDER = "voorbeeld-wmo-compleet"
AUTEUR = "mr. A. Jurist"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    doel = tmp_path / "data"
    shutil.copytree(DATA, doel)
    return doel


@pytest.fixture
def dvo(data: Path, runner, tmp_path: Path) -> Path:
    """The DVO as `build` makes it for one aanbieder."""
    uit = tmp_path / "uit"
    r = runner.invoke(main, ["build", str(data / "maastricht-heuvelland"), "--geen-pdf", "--uitvoer", str(uit),
                             "--aanbieder", AANBIEDER])
    assert r.exit_code == 0, r.output
    return uit / "maastricht-heuvelland" / "2018" / AANBIEDER / "01-dvo.docx"


def _alinea(d, begin: str):
    return next(p for p in d.paragraphs if p.text.startswith(begin))


def _vervang_tekst(p, oud: str, nieuw: str, bijhouden: bool) -> None:
    """Replace `oud` by `nieuw` in paragraph p: plainly, or as w:del + w:ins by AUTEUR."""
    run = next(r for r in p.runs if oud in r.text)
    voor, _, na = run.text.partition(oud)
    if not bijhouden:
        run.text = voor + nieuw + na
        return
    origineel = copy.deepcopy(run._r)
    run.text = voor
    el = run._r
    for soort, tekst in (("w:del", oud), ("w:ins", nieuw)):
        wijz = etree.SubElement(el.getparent(), qn(soort))
        wijz.set(qn("w:id"), "901" if soort == "w:del" else "902")
        wijz.set(qn("w:author"), AUTEUR)
        wijz.set(qn("w:date"), "2018-05-01T10:00:00Z")
        r = copy.deepcopy(origineel)
        for t in r.findall(qn("w:t")):
            r.remove(t)
        t = etree.SubElement(r, qn("w:delText" if soort == "w:del" else "w:t"))
        t.text = tekst
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        wijz.append(r)
        el.addnext(wijz)
        el = wijz
    rest = copy.deepcopy(origineel)
    for t in rest.findall(qn("w:t")):
        t.text = na
    el.addnext(rest)


def _nieuw_lid_na(p, tekst: str, bijhouden: bool) -> None:
    """A new paragraph after p, in p's style, without its bookmarks (as Word does on Enter at the end)."""
    nieuw = copy.deepcopy(p._p)
    for el in list(nieuw):
        if el.tag != qn("w:pPr"):
            nieuw.remove(el)
    run = etree.SubElement(nieuw, qn("w:r"))
    t = etree.SubElement(run, qn("w:t"))
    t.text = tekst.split("\t")[0]
    etree.SubElement(run, qn("w:tab"))
    t2 = etree.SubElement(run, qn("w:t"))
    t2.text = tekst.split("\t")[1]
    if bijhouden:
        ins = etree.SubElement(nieuw, qn("w:ins"), {qn("w:id"): "903", qn("w:author"): AUTEUR,
                                                    qn("w:date"): "2018-05-02T09:00:00Z"})
        ins.append(run)
    p._p.addnext(nieuw)


def _verwijder(p, bijhouden: bool) -> None:
    if not bijhouden:
        p._p.getparent().remove(p._p)
        return
    # the paragraph mark too, as Word marks a deleted paragraph
    rpr = etree.SubElement(p._p.get_or_add_pPr(), qn("w:rPr"))
    etree.SubElement(rpr, qn("w:del"), {qn("w:id"): "905", qn("w:author"): AUTEUR, qn("w:date"): "2018-05-03T09:00:00Z"})
    for run in list(p._p.findall(qn("w:r"))):
        for t in run.findall(qn("w:t")):
            t.tag = qn("w:delText")
        d = etree.Element(qn("w:del"), {qn("w:id"): "904", qn("w:author"): AUTEUR, qn("w:date"): "2018-05-03T09:00:00Z"})
        run.addprevious(d)
        d.append(run)


def bewerk(bron: Path, doel: Path, bijhouden: bool) -> Path:
    d = docx.Document(str(bron))
    _vervang_tekst(_alinea(d, "5.1\t"), "zes maanden", "drie maanden", bijhouden)
    _vervang_tekst(_alinea(d, "4.2\t"), "Op basis van", "Op grond van", bijhouden)  # next to [[ref:dvo:art-22]]
    _nieuw_lid_na(_alinea(d, "5.3\t"), "5.4\tDe opzegging wordt door de gemeente schriftelijk bevestigd.", bijhouden)
    _verwijder(_alinea(d, "4.4\t"), bijhouden)
    d.save(str(doel))
    return doel


def test_generated_docx_carries_ids_invisibly(dvo: Path):
    d = docx.Document(str(dvo))
    namen = {b.get(qn("w:name")) for b in d.element.body.iter(qn("w:bookmarkStart"))}
    assert {"cg_art_4", "cg_art_4_1", "cg_art_5_2", "cg_i0"} <= namen
    lid = _alinea(d, "4.1\t")
    assert [b.get(qn("w:name")) for b in lid._p.iter(qn("w:bookmarkStart"))] == ["cg_art_4_1"]
    eigenschappen = zipfile.ZipFile(dvo).read("docProps/custom.xml").decode()
    for waarde in ("contractgen.document", ">dvo<", ">2018<", f">{AANBIEDER}<", ">maastricht-heuvelland<"):
        assert waarde in eigenschappen


@pytest.mark.parametrize("bijhouden", [False, True], ids=["gewoon", "bijgehouden"])
def test_edited_dvo_becomes_new_version(dvo: Path, data: Path, runner, tmp_path: Path, bijhouden: bool):
    bewerkt = bewerk(dvo, tmp_path / "dvo-bewerkt.docx", bijhouden)
    r = runner.invoke(main, ["wijzigingen", "importeer", str(bewerkt), "--data", str(data),
                             "--versie", "2018-b", "--geldig-van", "2018-07-01"])
    assert r.exit_code == 0, r.output
    assert "gewijzigd: lid 4.2, lid 5.1" in r.output
    assert "toegevoegd: lid 5.4" in r.output and "verwijderd: lid 4.4" in r.output
    assert ("aangenomen (lid 5.1): invoeging door mr. A. Jurist op 2018-05-01T10:00:00Z: “drie maanden”"
            in r.output) == bijhouden
    assert ("aangenomen (lid 5.4): invoeging door mr. A. Jurist op 2018-05-02T09:00:00Z: “5.4 De opzegging"
            in r.output) == bijhouden
    assert ("aangenomen (lid 4.4): verwijdering door mr. A. Jurist op 2018-05-03T09:00:00Z" in r.output) == bijhouden
    docs = data / "maastricht-heuvelland" / "documenten"
    nieuw = yr.laad(docs / "dvo-2018-b.yaml")
    assert nieuw["versie"] == "2018-b" and str(nieuw["geldig_van"]) == "2018-07-01"
    art4 = next(b["artikel"] for b in nieuw["inhoud"] if "artikel" in b and b["artikel"]["id"] == "art-4")
    assert [lid["id"] for lid in art4["leden"]] == ["art-4.1", "art-4.2", "art-4.3"]
    assert art4["leden"][1]["tekst"].startswith("Op grond van de evaluaties zoals bedoeld in artikel [[ref:dvo:art-22]]")
    art5 = next(b["artikel"] for b in nieuw["inhoud"] if "artikel" in b and b["artikel"]["id"] == "art-5")
    assert art5["leden"][-1] == {"id": "art-5.4", "nummer": "5.4",
                                 "tekst": "De opzegging wordt door de gemeente schriftelijk bevestigd."}
    assert "drie maanden" in art5["leden"][0]["tekst"]
    assert nieuw["wijzigingen"][-1]["omschrijving"].startswith("Uit Word: dvo-bewerkt.docx (gemaakt van versie 2018")
    # comments and layout kept: the new file is the old one plus exactly these changes
    oud_tekst = (DATA / "maastricht-heuvelland" / "documenten" / "dvo.yaml").read_text(encoding="utf-8")
    nieuw_tekst = (docs / "dvo-2018-b.yaml").read_text(encoding="utf-8")
    assert "# r. 222: 'invul ling' (extractie) -> 'invulling'" in nieuw_tekst
    assert len(nieuw_tekst.splitlines()) == len(oud_tekst.splitlines()) + 1 + 3 - 3  # wijziging, lid 5.4, lid 4.4
    assert "geldig_tot: 2018-06-30" in (docs / "dvo.yaml").read_text(encoding="utf-8")

    # the new version builds and reads as edited
    uit = tmp_path / "uit2"
    b = runner.invoke(main, ["build", str(data / "maastricht-heuvelland"), "--geen-pdf", "--uitvoer", str(uit),
                             "--aanbieder", AANBIEDER, "--peildatum", "2018-07-01"])
    assert b.exit_code == 0, b.output
    tekst = docx_tekst(uit / "maastricht-heuvelland" / "2018" / AANBIEDER / "01-dvo.docx")
    assert "5.4\tDe opzegging wordt door de gemeente schriftelijk bevestigd." in tekst
    assert "termijn van drie maanden" in tekst and "termijn van zes maanden" not in tekst
    assert "4.4\t" not in tekst and "Op grond van de evaluaties zoals bedoeld in artikel 22 " in tekst

    d = runner.invoke(main, ["diff", f"{data}@2018-01-01", f"{data}@2018-07-01", "--document", "dvo"])
    assert "leden: 1 toegevoegd, 1 verwijderd, 2 gewijzigd" in d.output, d.output
    assert "5.4   toegevoegd" in d.output and "4.4   verwijderd" in d.output
    assert "[-zes-]{+drie+}" in d.output


def test_proef_prints_the_diff_and_writes_nothing(dvo: Path, data: Path, runner, tmp_path: Path):
    bewerkt = bewerk(dvo, tmp_path / "dvo-bewerkt.docx", False)
    voor = sorted(p.name for p in (data / "maastricht-heuvelland" / "documenten").iterdir())
    r = runner.invoke(main, ["wijzigingen", "importeer", str(bewerkt), "--data", str(data),
                             "--versie", "2018-b", "--geldig-van", "2018-07-01", "--proef"])
    assert r.exit_code == 0, r.output
    assert "leden: 1 toegevoegd, 1 verwijderd, 2 gewijzigd" in r.output
    assert "[-zes-]{+drie+}" in r.output and "proef: er is niets geschreven" in r.output
    assert sorted(p.name for p in (data / "maastricht-heuvelland" / "documenten").iterdir()) == voor


def test_save_by_libreoffice_keeps_the_ids(dvo: Path, data: Path, runner, tmp_path: Path):
    bewerkt = bewerk(dvo, tmp_path / "dvo-bewerkt.docx", False)
    lo = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'profiel').as_uri()}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(lo), str(bewerkt)],
                   check=True, capture_output=True, timeout=240)
    r = runner.invoke(main, ["wijzigingen", "importeer", str(lo / "dvo-bewerkt.docx"), "--data", str(data),
                             "--versie", "2018-b", "--geldig-van", "2018-07-01", "--proef"])
    assert r.exit_code == 0, r.output
    assert "gewijzigd: lid 4.2, lid 5.1" in r.output
    assert "toegevoegd: lid 5.4" in r.output and "verwijderd: lid 4.4" in r.output
    assert "niet verwerkt" not in r.output


def _render(data_pad: Path, tmp_path: Path):
    """Every document version of the real data, rendered region-wide on its first day."""
    sjablonen = Sjablonen(standaard_sjablonen_map())
    for data in load_valid(data_pad):
        for doc in data.documenten:
            w = weergave(data, doc, None, doc.geldig_van)
            pad = tmp_path / f"{data.regio.id}-{doc.id}-{doc.versie}.docx"
            pad.write_bytes(sjablonen.get(doc.sjabloon, data.regio.id).render(w.context))
            yield data, doc, w, pad


def test_round_trip_without_edits_gives_the_same_yaml_for_every_document(tmp_path: Path):
    gezien = 0
    for data, doc, w, pad in _render(DATA, tmp_path):
        namen = bladwijzer_namen(ids_van(w.blokken))
        assert len(namen) > 0, doc.id
        assert zipfile.ZipFile(pad).read("word/document.xml").decode().count('w:name="cg_') == len(namen), doc.id
        bron = DATA
        nieuwer = [d for d in data.versies(doc.id) if d.geldig_van > doc.geldig_van]
        if nieuwer:  # an old version (Toelichting 2014) comes back only where it is the newest
            with pytest.raises(WijzigingFout, match="er is al een nieuwere versie"):
                importeer(pad, DATA, "rt", date(doc.geldig_van.year + 5, 1, 1))
            bron = tmp_path / f"zonder-{doc.id}-{doc.versie}"
            shutil.copytree(DATA, bron)
            for d in nieuwer:
                (bron / data.waar(d).pad.relative_to(DATA)).unlink()
        r = importeer(pad, bron, "rt", date(doc.geldig_van.year + 5, 1, 1))
        assert not r.toepassing.iets and not r.toepassing.niet_verwerkt, (doc.id, r.toepassing)
        oud, nieuw = yr.laad(data.waar(doc).pad), yr.laad_tekst(r.bestanden[r.nieuw_pad])
        for sleutel in ("versie", "geldig_van", "geldig_tot", "wijzigingen"):
            oud.pop(sleutel, None)
            nieuw.pop(sleutel, None)
        assert nieuw == oud, doc.id
        gezien += 1
    assert gezien == 21


def _met_tekst(bron: Path, doel: Path, begin: str, oud: str, nieuw: str) -> Path:
    d = docx.Document(str(bron))
    cel = next(p for t in d.tables for rij in t.rows for c in rij.cells for p in c.paragraphs if p.text.startswith(begin)) \
        if not any(p.text.startswith(begin) for p in d.paragraphs) else _alinea(d, begin)
    _vervang_tekst(cel, oud, nieuw, False)
    d.save(str(doel))
    return doel


def test_refusals_name_the_place(dvo: Path, data: Path, runner, tmp_path: Path):
    def weigering(bestand: Path, *extra: str) -> str:
        r = runner.invoke(main, ["wijzigingen", "importeer", str(bestand), "--data", str(data),
                                 "--versie", "2018-b", "--geldig-van", "2018-07-01", *extra])
        assert r.exit_code == 1, r.output
        assert not (data / "maastricht-heuvelland" / "documenten" / "dvo-2018-b.yaml").exists()
        return r.output

    # an edit inside the rendered text of a field: reported, not frozen into text
    # render keeps "artikel" and its number together with a no-break space
    veld = _met_tekst(dvo, tmp_path / "veld.docx", "4.2\t", "artikel\u00a022", "artikel\u00a023")
    uit = weigering(veld)
    assert "art-4.2: alinea" in uit and "[[ref:dvo:art-22]] ('22') is in Word gewijzigd in '23'" in uit
    # a Word document not made by contractgen
    kaal = tmp_path / "kaal.docx"
    d = docx.Document()
    d.add_paragraph("Artikel 1: Iets")
    d.save(str(kaal))
    assert "niet door contractgen gemaakt (geen ids gevonden)" in weigering(kaal)
    # an existing version label
    r = runner.invoke(main, ["wijzigingen", "importeer", str(dvo), "--data", str(data), "--versie", "2018",
                             "--geldig-van", "2018-07-01"])
    assert r.exit_code == 1 and "versie '2018' van document 'dvo' bestaat al" in r.output
    # a document made from a version that has been superseded since
    eerst = runner.invoke(main, ["wijzigingen", "importeer", str(bewerk(dvo, tmp_path / "eerst.docx", False)),
                                 "--data", str(data), "--versie", "2018-x", "--geldig-van", "2018-10-01"])
    assert eerst.exit_code == 0, eerst.output
    r = runner.invoke(main, ["wijzigingen", "importeer", str(dvo), "--data", str(data), "--versie", "2018-b",
                             "--geldig-van", "2018-11-01"])
    assert r.exit_code == 1 and "er is al een nieuwere versie (2018-x, vanaf 2018-10-01)" in r.output
    # a document id that does not match the data
    andere = tmp_path / "andere.docx"
    with zipfile.ZipFile(dvo) as z, zipfile.ZipFile(andere, "w") as uitz:
        for item in z.infolist():
            inhoud = z.read(item.filename)
            if item.filename == "docProps/custom.xml":
                inhoud = inhoud.replace(b">dvo<", b">dvo-oud<")
            uitz.writestr(item, inhoud)
    assert "document 'dvo-oud' versie '2018' staat niet in" in weigering(andere)
    # corrupt and password-protected files
    kapot = tmp_path / "kapot.docx"
    kapot.write_bytes(dvo.read_bytes()[:2000])
    assert "beschadigd Word-bestand" in weigering(kapot)
    beveiligd = tmp_path / "beveiligd.docx"
    beveiligd.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "beveiligd met een wachtwoord" in weigering(beveiligd)


def test_an_edit_to_a_tariff_table_is_refused(data: Path, runner, tmp_path: Path):
    uit = tmp_path / "uit"
    runner.invoke(main, ["build", str(data / "maastricht-heuvelland"), "--geen-pdf", "--uitvoer", str(uit),
                         "--aanbieder", AANBIEDER])
    prijs = uit / "maastricht-heuvelland" / "2018" / AANBIEDER / "02-bijlage-1.2.docx"
    d = docx.Document(str(prijs))
    cel = next(p for t in d.tables for rij in t.rows for c in rij.cells for p in c.paragraphs if "€" in p.text)
    oud = cel.text
    run = next(r for r in cel.runs if "€" in r.text)
    run.text = run.text.replace("€\u00a0378", "€\u00a0399")
    assert "€\u00a0399" in cel.text, oud
    bewerkt = tmp_path / "prijs.docx"
    d.save(str(bewerkt))
    r = runner.invoke(main, ["wijzigingen", "importeer", str(bewerkt), "--data", str(data),
                             "--versie", "2018-b", "--geldig-van", "2018-07-01"])
    assert r.exit_code == 1, r.output
    assert "een tarieftabel is in Word gewijzigd; tarieven veranderen via de tariefsets" in r.output


def test_moved_leden_and_artikelen_and_a_new_artikel(dvo: Path, data: Path, runner, tmp_path: Path):
    d = docx.Document(str(dvo))
    # lid 5.3 before 5.1; artikel 7 (heading and lid) before artikel 6
    _alinea(d, "5.1\t")._p.addprevious(_alinea(d, "5.3\t")._p)
    art6 = _alinea(d, "Artikel 6:")._p
    art6.addprevious(_alinea(d, "Artikel 7:")._p)
    art6.addprevious(_alinea(d, "7.1\t")._p)
    # a new artikel after artikel 29, with one lid, in the styles of the others
    kop = copy.deepcopy(_alinea(d, "Artikel 29:")._p)
    for b in list(kop.iter(qn("w:bookmarkStart"))) + list(kop.iter(qn("w:bookmarkEnd"))):
        b.getparent().remove(b)
    for t in kop.iter(qn("w:t")):
        t.text = ""
    next(kop.iter(qn("w:t"))).text = "Artikel 30: Slotbepaling"
    _alinea(d, "29.2\t")._p.addnext(kop)
    d.save(str(tmp_path / "tmp.docx"))
    d = docx.Document(str(tmp_path / "tmp.docx"))
    _nieuw_lid_na(_alinea(d, "Artikel 30:"), "30.1\tDeze overeenkomst wordt aangehaald als DVO Sociaal Domein.", False)
    bewerkt = tmp_path / "verplaatst.docx"
    d.save(str(bewerkt))

    r = runner.invoke(main, ["wijzigingen", "importeer", str(bewerkt), "--data", str(data),
                             "--versie", "2018-c", "--geldig-van", "2018-09-01"])
    assert r.exit_code == 0, r.output
    assert "toegevoegd: artikel 30, lid 30.1" in r.output
    assert "verplaatst: lid 5.3" in r.output and "artikel 7" in r.output
    nieuw = yr.laad(data / "maastricht-heuvelland" / "documenten" / "dvo-2018-c.yaml")
    artikelen = [b["artikel"] for b in nieuw["inhoud"] if "artikel" in b]
    assert [a["nummer"] for a in artikelen][4:8] == ["5", "7", "6", "8"]
    assert [lid["nummer"] for lid in artikelen[4]["leden"]] == ["5.3", "5.1", "5.2"]
    assert artikelen[-1] == {"id": "art-30", "nummer": "30", "titel": "Slotbepaling", "leden": [
        {"id": "art-30.1", "nummer": "30.1", "tekst": "Deze overeenkomst wordt aangehaald als DVO Sociaal Domein."}]}
    d = runner.invoke(main, ["diff", f"{data}@2018-01-01", f"{data}@2018-09-01", "--document", "dvo"])
    assert "30.1" in d.output and "toegevoegd" in d.output


def test_a_bookmark_word_moved_between_paragraphs_still_names_its_paragraph(dvo: Path, data: Path, tmp_path: Path):
    d = docx.Document(str(dvo))
    lid = _alinea(d, "4.1\t")._p
    start = next(lid.iter(qn("w:bookmarkStart")))
    lid.addprevious(start)  # Word writes <w:bookmarkStart/> before <w:p> after some edits
    _vervang_tekst(_alinea(d, "4.1\t"), "1 januari 2015", "1 februari 2015", False)
    d.save(str(tmp_path / "verschoven.docx"))
    r = importeer(tmp_path / "verschoven.docx", data, "2018-b", date(2018, 7, 1))
    assert r.toepassing.gewijzigd == ["lid 4.1"] and not r.toepassing.toegevoegd and not r.toepassing.verwijderd
    assert "1 februari 2015" in r.bestanden[r.nieuw_pad]


def test_an_edited_eis(data: Path, runner, tmp_path: Path):
    uit = tmp_path / "uit"
    runner.invoke(main, ["build", str(data / "maastricht-heuvelland"), "--geen-pdf", "--uitvoer", str(uit),
                         "--aanbieder", AANBIEDER])
    bijlage3 = uit / "maastricht-heuvelland" / "2018" / AANBIEDER / "04-bijlage-3.docx"
    d = docx.Document(str(bijlage3))
    rij = next(r for t in d.tables for r in t.rows if r.cells[0].text == "B1")
    namen = {b.get(qn("w:name")) for b in rij._tr.iter(qn("w:bookmarkStart"))}
    assert namen == {"cg_B1"}
    _vervang_tekst(rij.cells[1].paragraphs[0], "alle vigerende", "alle geldende", False)
    d.save(str(tmp_path / "b3.docx"))
    r = importeer(tmp_path / "b3.docx", data, "2018-b", date(2018, 7, 1))
    assert r.toepassing.gewijzigd == ["eis B1"]
    nieuw = yr.laad_tekst(r.bestanden[r.nieuw_pad])
    eis = next(e for b in nieuw["inhoud"] if "eisen" in b for e in b["eisen"]["eisen"] if e["id"] == "B1")
    assert eis["tekst"] == ("Opdrachtnemer handelt, voor zover van toepassing op zijn dienstverlening, in "
                            "overeenstemming met alle geldende wettelijke bepalingen.")
