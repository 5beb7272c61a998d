"""The Word redline is exact: accept all changes → the new text, reject all → the old text.

Accepting and rejecting is done on the XML the way Word does it: accept keeps `w:ins`
content and drops `w:del`; a deleted paragraph mark joins its paragraph to the next;
a deleted table row goes. Reject is the mirror image. The result is compared,
paragraph by paragraph and character by character, with the redline of each version
against itself (which holds no tracked change at all), and the leden with the text of
the model.
"""

from __future__ import annotations

import copy
import shutil
import zipfile
from datetime import date
from pathlib import Path

from conftest import DATA, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from contractgen.cli import main
from contractgen.diff.blokregels import lees, nieuwste_datum
from contractgen.diff.bron import laad_kant
from contractgen.diff.redline import OMSLAG, schrijf_redline
from contractgen.diff.vergelijk import vergelijk, vergelijk_document
from contractgen.domein import model as m
from contractgen.regels import load_valid
from contractgen.resolve import blokken as rb
from contractgen.resolve.weergave import weergave

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MH = DATA / "maastricht-heuvelland"


# --- accept / reject as Word does -------------------------------------------------------


def _lees(pad: Path):
    with zipfile.ZipFile(pad) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _pas_toe(root, aanvaard: bool):
    """A copy of the document XML with every tracked change accepted (or rejected)."""
    root = copy.deepcopy(root)
    # a move is a deletion at its old place (w:moveFrom) and an insertion at its new one (w:moveTo)
    for van, naar in ((W + "moveFrom", W + "del"), (W + "moveTo", W + "ins")):
        for el in list(root.iter(van)):
            el.tag = naar
    weg, blijft = (W + "del", W + "ins") if aanvaard else (W + "ins", W + "del")
    for tr in list(root.iter(W + "tr")):
        if tr.find(f"{W}trPr/{weg}") is not None:
            tr.getparent().remove(tr)
    for p in list(root.iter(W + "p")):
        mark = p.find(f"{W}pPr/{W}rPr/{weg}")
        if mark is not None:  # the paragraph mark goes: what is left joins the next paragraph
            volgende = p.getnext()
            rest = [el for el in p if el.tag != W + "pPr"]
            if volgende is not None and volgende.tag == W + "p":
                ppr = volgende.find(W + "pPr")
                plek = list(volgende).index(ppr) + 1 if ppr is not None else 0
                for k, el in enumerate(rest):
                    volgende.insert(plek + k, el)
            p.getparent().remove(p)
    for el in list(root.iter(weg)):
        if el.getparent() is not None and el.getparent().tag != W + "rPr" and el.getparent().tag != W + "trPr":
            el.getparent().remove(el)
    for el in list(root.iter(blijft)):
        ouder = el.getparent()
        if ouder.tag in (W + "rPr", W + "trPr"):
            ouder.remove(el)
            continue
        plek = list(ouder).index(el)
        for k, kind in enumerate(list(el)):
            ouder.insert(plek + k, kind)
        ouder.remove(el)
    return root


def _alineas(root) -> list[str]:
    """Paragraph texts in body order (table cells included), the cover left out."""
    result = []
    for p in root.iter(W + "p"):
        stijl = p.find(f"{W}pPr/{W}pStyle")
        if stijl is not None and stijl.get(W + "val") == OMSLAG:
            continue
        tekst = []
        for el in p.iter(W + "t", W + "delText", W + "tab", W + "br"):
            tekst.append({W + "tab": "\t", W + "br": "\n"}.get(el.tag, el.text or ""))
        result.append("".join(tekst))
    return result


def _wijzigingen(root) -> int:
    return len(list(root.iter(W + "ins"))) + len(list(root.iter(W + "del")))


def _blokken(doc: m.Document) -> list:
    """The typed blocks of a (possibly edited) DVO, region-wide, as the diff reads them."""
    return weergave(_MH, doc, None, nieuwste_datum(doc), velden_tonen=True).blokken


def _controleer(tmp: Path, oud: m.Document, nieuw: m.Document, b_oud=None, b_nieuw=None) -> tuple[list, list]:
    """Write the redline oud → nieuw and check accept-all/reject-all against each side alone."""
    tmp.mkdir(parents=True, exist_ok=True)
    b_oud = _blokken(oud) if b_oud is None else b_oud
    b_nieuw = _blokken(nieuw) if b_nieuw is None else b_nieuw
    d = vergelijk_document(nieuw.id, oud, nieuw, b_oud, b_nieuw)
    redline = _lees(schrijf_redline(d, date(2026, 1, 1), tmp / "redline.docx", "Jurist").pad)
    alleen_oud = _lees(schrijf_redline(vergelijk_document(oud.id, oud, oud, b_oud, b_oud), date(2026, 1, 1),
                                       tmp / "oud.docx").pad)
    alleen_nieuw = _lees(schrijf_redline(vergelijk_document(nieuw.id, nieuw, nieuw, b_nieuw, b_nieuw),
                                         date(2026, 1, 1), tmp / "nieuw.docx").pad)
    assert _wijzigingen(alleen_oud) == _wijzigingen(alleen_nieuw) == 0
    aanvaard, geweigerd = _alineas(_pas_toe(redline, True)), _alineas(_pas_toe(redline, False))
    assert aanvaard == _alineas(alleen_nieuw)
    assert geweigerd == _alineas(alleen_oud)
    for blokken, tekst in ((b_nieuw, aanvaard), (b_oud, geweigerd)):
        for blok in blokken:  # every lid as the resolved document prints it
            if isinstance(blok, rb.Lid):
                assert f"{blok.nummer}\t{blok.tekst}" in tekst
    return aanvaard, geweigerd


# --- property: word-level edits of real articles ----------------------------------------

_MH = next(r for r in load_valid(MH) if r.regio.id == "maastricht-heuvelland")
_DVO = _MH.versies("dvo")[-1]
_LEDEN = [(i, j) for i, b in enumerate(_DVO.inhoud) if isinstance(b, m.ArtikelBlok)
          for j in range(len(b.artikel.leden))]
_INVOEGSELS = [",", ".", ";", " ", "\n", "niet", "de", "(OT)", "DVO's", "1.4", "en/of", "–", "€ 2.000,00", "-"]


@st.composite
def _bewerking(draw):
    i, j = draw(st.sampled_from(_LEDEN))
    tekst = _DVO.inhoud[i].artikel.leden[j].tekst
    for _ in range(draw(st.integers(1, 4))):
        plek = draw(st.integers(0, len(tekst)))
        soort = draw(st.sampled_from(["in", "weg", "wit"]))
        if soort == "in":
            tekst = tekst[:plek] + draw(st.sampled_from(_INVOEGSELS)) + tekst[plek:]
        elif soort == "weg":
            tekst = tekst[:plek] + tekst[plek + draw(st.integers(1, 12)):]
        else:  # a space becomes a line break, or the reverse
            k = next((x for x in range(plek, len(tekst)) if tekst[x] in " \n"), None)
            if k is not None:
                tekst = tekst[:k] + ("\n" if tekst[k] == " " else " ") + tekst[k + 1:]
    return i, j, tekst


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_bewerking())
def test_accept_all_gives_new_text_and_reject_all_old_text(tmp_path, bewerking):
    i, j, tekst = bewerking
    # the edited article on its own: the same redline code, a fraction of the time per example
    oud = _DVO.model_copy(update={"inhoud": [_DVO.inhoud[i]]})
    nieuw = _DVO.model_copy(update={"inhoud": [_DVO.inhoud[i].model_copy(deep=True)]})
    nieuw.inhoud[0].artikel.leden[j].tekst = tekst
    _controleer(tmp_path / f"{i}-{j}-{abs(hash(tekst))}", oud, nieuw)


@st.composite
def _verhuizing(draw):
    """Some leden of two or three DVO articles moved (within or between them), one maybe changed too."""
    artikelen = draw(st.lists(st.sampled_from(sorted({i for i, _ in _LEDEN})), min_size=2, max_size=3, unique=True))
    zetten = draw(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 30), st.integers(0, 2), st.integers(0, 30)),
                           min_size=1, max_size=3))
    return artikelen, zetten, draw(st.booleans())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_verhuizing())
def test_moved_leden_are_moves_and_reject_all_puts_them_back(tmp_path, verhuizing):
    artikelen, zetten, wijzig = verhuizing
    oud = _DVO.model_copy(update={"inhoud": [_DVO.inhoud[i] for i in artikelen]})
    nieuw = _DVO.model_copy(update={"inhoud": [_DVO.inhoud[i].model_copy(deep=True) for i in artikelen]})
    for van, k, naar, plek in zetten:
        bron, doel = nieuw.inhoud[van % len(artikelen)].artikel, nieuw.inhoud[naar % len(artikelen)].artikel
        if len(bron.leden) > 1:
            lid = bron.leden.pop(k % len(bron.leden))
            doel.leden.insert(plek % (len(doel.leden) + 1), lid)
            if wijzig:
                lid.tekst = lid.tekst + " Gewijzigd."
    map_ = tmp_path / f"{abs(hash(repr(verhuizing)))}"
    _controleer(map_, oud, nieuw)
    body = _lees(map_ / "redline.docx")
    van = {el.get(W + "name") for el in body.iter(W + "moveFromRangeStart")}
    naar = {el.get(W + "name") for el in body.iter(W + "moveToRangeStart")}
    assert van == naar  # every move has its two places, paired by name


def test_renumbered_lid_is_a_change_of_its_number_only(tmp_path):
    nieuw = _DVO.model_copy(deep=True)
    art = next(b.artikel for b in nieuw.inhoud if isinstance(b, m.ArtikelBlok) and b.artikel.nummer == "13")
    art.leden[1].nummer = "13.3"
    aanvaard, geweigerd = _controleer(tmp_path, _DVO, nieuw)
    body = _lees(tmp_path / "redline.docx")
    assert [("".join(x.itertext())) for x in body.iter(W + "del")] == ["13.2"]
    assert [("".join(x.itertext())) for x in body.iter(W + "ins")] == ["13.3"]
    # the hanging indent fits '13.213.3', the same for every lid: the text does not shift
    inspringingen = {p.get(W + "hanging") for p in body.iter(W + "ind") if p.get(W + "hanging")}
    assert len(inspringingen) == 1 and int(inspringingen.pop()) > 1000  # twips: more than 1,76 cm


# --- the real data ----------------------------------------------------------------------


def _peildata(data) -> list[date]:
    """Every date on which some text of the region changes."""
    datums = {d.geldig_van for d in data.documenten}
    for d in data.documenten:
        for blok in d.inhoud:
            if isinstance(blok, m.ArtikelBlok):
                datums |= {x.geldig_van for x in [blok.artikel, *blok.artikel.leden] if x.geldig_van}
    return sorted(datums)


def test_every_real_document_pair(tmp_path):
    """Every pair of consecutive peildata of the real data, every document that differs between them."""
    datums = sorted({d for data in load_valid(DATA) for d in _peildata(data)})
    beide, eenzijdig = 0, 0
    for van, tot in zip(datums, datums[1:]):
        oud, nieuw = laad_kant(f"{DATA}@{van.isoformat()}"), laad_kant(f"{DATA}@{tot.isoformat()}")
        for d in vergelijk(oud, nieuw).documenten:
            if d.status == "gelijk":
                continue
            kant = nieuw if d.nieuw else oud
            regio = next(r for (r, i), doc in kant.documenten.items() if doc is d.doc)
            b_oud = lees(oud, regio, d.oud) if d.oud else []
            b_nieuw = lees(nieuw, regio, d.nieuw) if d.nieuw else []
            doel = tmp_path / f"{van}-{d.sleutel.replace('/', '_')}"
            if d.oud and d.nieuw:
                _controleer(doel, d.oud, d.nieuw, b_oud, b_nieuw)
                beide += 1
                continue
            # a document on one side only: accepting gives it whole, rejecting leaves nothing (or the reverse)
            doel.mkdir(parents=True)
            body = _lees(schrijf_redline(d, date(2026, 1, 1), doel / "redline.docx").pad)
            alleen = vergelijk_document(d.sleutel, d.doc, d.doc, b_oud or b_nieuw, b_oud or b_nieuw)
            heel = _alineas(_lees(schrijf_redline(alleen, date(2026, 1, 1), doel / "alleen.docx").pad))
            assert _alineas(_pas_toe(body, bool(d.nieuw))) == heel
            assert _alineas(_pas_toe(body, not d.nieuw)) == []
            eenzijdig += 1
    assert beide >= 1 and eenzijdig >= 10  # the Toelichting 2014 → 2017; DVO, bijlagen, uitvoeringsplan


def test_toelichting_2014_2017_via_the_cli(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    doel = tmp_path / "toelichting.docx"
    result = runner.invoke(main, ["diff", "contracts_data@2015-01-01", "contracts_data@2018-01-01",
                                  "--document", "swo-toelichting", "--formaat", "docx", "--uitvoer", str(doel),
                                  "--auteur", "M. de Jurist"])
    assert result.exit_code == 0, result.output
    body = _lees(doel)
    aanvaard = "\n".join(_alineas(_pas_toe(body, True)))
    geweigerd = "\n".join(_alineas(_pas_toe(body, False)))
    assert "lokale- en rijksbeleid" in aanvaard and "lokale - en rijksbeleid" not in aanvaard
    assert "vastgestelde, lokale beleid" in geweigerd
    assert "De enige bijlage is de lijst met de partijen" in aanvaard
    assert "De enige bijlage wordt de lijst met de partijen" in geweigerd
    for el in list(body.iter(W + "ins")) + list(body.iter(W + "del")):
        assert el.get(W + "author") == "M. de Jurist"
        assert el.get(W + "date") == f"{date.today().isoformat()}T00:00:00Z"
    omslag = [("".join(p.itertext())) for p in body.iter(W + "p")
              if p.find(f"{W}pPr/{W}pStyle[@{W}val='{OMSLAG}']") is not None]
    assert omslag[1] == "Oud: map contracts_data, peildatum 01-01-2015 — versie 2014, geldig vanaf 01-07-2014"
    assert omslag[2] == "Nieuw: map contracts_data, peildatum 01-01-2018 — versie 2017, geldig vanaf 10-10-2017"
    assert omslag[3].startswith(f"Gemaakt op {date.today():%d-%m-%Y} door M. de Jurist")


ART_26_1 = "gemeente Maastricht voor de inkoop van goederen en/of diensten vanaf € 25.000 van toepassing"


def _art_26_1_gewijzigd(tmp_path, nieuw: str):
    """Two copies of the region's data, the second with DVO 26.1 changed; returns (old, new) data folders."""
    data = tmp_path / "data"
    shutil.copytree(MH, data / "maastricht-heuvelland")
    oud = tmp_path / "oud"
    shutil.copytree(data, oud)
    dvo = data / "maastricht-heuvelland" / "documenten" / "dvo.yaml"
    tekst = dvo.read_text(encoding="utf-8")
    assert tekst.count(ART_26_1) == 1
    dvo.write_text(tekst.replace(ART_26_1, nieuw), encoding="utf-8")
    return oud, data


def test_a_comma_in_dvo_26_1(runner, tmp_path):
    oud, data = _art_26_1_gewijzigd(tmp_path, ART_26_1.replace("Maastricht voor", "Maastricht, voor"))
    doel = tmp_path / "dvo.docx"
    result = runner.invoke(main, ["diff", str(oud), str(data), "--document", "dvo", "--formaat", "docx",
                                  "--uitvoer", str(doel), "--auteur", "Jurist"])
    assert result.exit_code == 0, result.output
    assert "1 invoeging(en) en 0 verwijdering(en)" in result.output
    body = _lees(doel)
    assert ["".join(x.itertext()) for x in body.iter(W + "ins")] == [","]
    aanvaard, geweigerd = _alineas(_pas_toe(body, True)), _alineas(_pas_toe(body, False))
    lid = next(p for p in aanvaard if p.startswith("26.1\t"))
    assert "gemeente Maastricht, voor" in lid and "Maastricht , voor" not in lid
    assert next(p for p in geweigerd if p.startswith("26.1\t")) == lid.replace("Maastricht, voor", "Maastricht voor")


def test_a_line_break_only_is_reported_as_such(runner, tmp_path):
    oud, data = _art_26_1_gewijzigd(tmp_path, ART_26_1.replace("Maastricht voor", "Maastricht\\nvoor"))
    result = runner.invoke(main, ["diff", str(oud), str(data), "--document", "dvo"])
    assert result.exit_code == 0, result.output
    assert "geen verschillen" not in result.output
    assert "26.1  alleen witruimte gewijzigd" in result.output
    assert "Maastricht[-·-]{+↵+}voor" in result.output
