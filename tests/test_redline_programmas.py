"""Redlines read by independent programs: LibreOffice (UNO: Accept All / Reject All) and pandoc
(--track-changes=accept|reject). Accepting every change must give the built new document and
rejecting every change the built old one, paragraph by paragraph and character by character
(no-break spaces, tabs, headings, moved leden), on the real Toelichting pair and on edits of the DVO.

The built documents are rendered here the way `build` renders them (resolve.weergave + the Word
template), region-wide. LibreOffice runs once per test for all files (tests/lo_wijzigingen.py, with
the system Python that has LibreOffice's `uno`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from contractgen.cli import main
from contractgen.diff.blokregels import gedrukt, nieuwste_datum
from contractgen.diff.redline import schrijf_redline
from contractgen.diff.vergelijk import vergelijk_document
from contractgen.domein import model as m
from contractgen.domein.zoeken import in_kracht, kies_versie
from contractgen.regels import load_valid
from contractgen.render.docx import Sjablonen, standaard_sjablonen_map
from contractgen.resolve.weergave import weergave

LO_SCRIPT = Path(__file__).parent / "lo_wijzigingen.py"
SYSTEEM_PYTHON = "/usr/bin/python3"
OMSLAGREGELS = 4  # the redline's cover under its title (redline.omslag): not part of either version

pytestmark = pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pandoc"),
                                reason="LibreOffice en pandoc nodig (scripts/installeer.sh)")

_MH = next(r for r in load_valid(DATA / "maastricht-heuvelland") if r.regio.id == "maastricht-heuvelland")
_SJABLONEN = Sjablonen(standaard_sjablonen_map())


def _bouw(doc: m.Document, peildatum: date, pad: Path) -> Path:
    """The region-wide document as `build` renders it."""
    w = weergave(_MH, doc, None, peildatum)
    pad.write_bytes(_SJABLONEN.get(doc.sjabloon, _MH.regio.id).render(w.context))
    return pad


def _libreoffice(taken: list[tuple[str, Path]], map_: Path) -> list[list[str]]:
    """(accept|reject|tekst, file) → the paragraphs LibreOffice holds afterwards, empty ones left out."""
    args = [f"{soort}:{pad}:{map_ / f'lo-{i}.txt'}" for i, (soort, pad) in enumerate(taken)]
    subprocess.run([SYSTEEM_PYTHON, str(LO_SCRIPT), *args], check=True, timeout=240)
    return [[r for r in (map_ / f"lo-{i}.txt").read_text(encoding="utf-8").split("\n") if r]
            for i in range(len(taken))]


def _pandoc(soort: str, pad: Path) -> list[str]:
    """The paragraphs (table cells included) pandoc reads with every change accepted or rejected.

    pandoc joins two paragraphs whose break was inserted and is rejected with a space (its own rule,
    not Word's), so whitespace at the end of a paragraph is left out here; a tab reads as a space.
    """
    uit = subprocess.run(["pandoc", f"--track-changes={soort}", "-t", "json", str(pad)], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    alineas: list[str] = []

    def inline(xs) -> str:
        tekst = []
        for x in xs:
            t, c = x["t"], x.get("c")
            if t == "Str":
                tekst.append(c)
            elif t in ("Space", "SoftBreak"):
                tekst.append(" ")
            elif t == "LineBreak":
                tekst.append("\n")
            elif t in ("Emph", "Strong", "Strikeout", "Underline", "Superscript", "Subscript", "SmallCaps"):
                tekst.append(inline(c))
            elif t in ("Span", "Link"):
                tekst.append(inline(c[1]))
            elif t == "Quoted":
                q = '"' if c[0]["t"] == "DoubleQuote" else "'"
                tekst.append(q + inline(c[1]) + q)
            else:
                raise AssertionError(f"onverwacht pandoc-element {t}")
        return "".join(tekst)

    def blokken(bs) -> None:
        for b in bs:
            t, c = b["t"], b.get("c")
            if t in ("Para", "Plain"):
                alineas.append(inline(c))
            elif t == "Header":
                alineas.append(inline(c[2]))
            elif t == "Div":
                blokken(c[1])
            elif t == "BlockQuote":  # an indented paragraph
                blokken(c)
            elif t == "Table":
                for rij in [*c[3][1], *(r for body in c[4] for r in body[2] + body[3]), *c[5][1]]:
                    for cel in rij[1]:
                        blokken(cel[4])
            elif t in ("BulletList", "OrderedList"):
                for item in c if t == "BulletList" else c[1]:
                    blokken(item)
            else:
                raise AssertionError(f"onverwacht pandoc-blok {t}")

    blokken(json.loads(uit)["blocks"])
    return [a.rstrip() for a in alineas if a.strip()]


def _vergelijk_met_gebouwd(tmp: Path, redline: Path, oud: Path, nieuw: Path) -> None:
    lo = _libreoffice([("accept", redline), ("reject", redline), ("tekst", nieuw), ("tekst", oud)], tmp)
    aanvaard, geweigerd, gebouwd_nieuw, gebouwd_oud = lo
    # the title, then the cover; then every paragraph exactly as built
    assert aanvaard[0] == gebouwd_nieuw[0] and geweigerd[0] == gebouwd_oud[0]
    assert aanvaard[1 + OMSLAGREGELS:] == gebouwd_nieuw[1:]
    assert geweigerd[1 + OMSLAGREGELS:] == gebouwd_oud[1:]
    # pandoc reads Title and Subtitle as metadata: the body only
    assert _pandoc("accept", redline) == _pandoc("accept", nieuw)
    assert _pandoc("reject", redline) == _pandoc("accept", oud)


def test_toelichting_2014_2017_accepted_and_rejected_in_libreoffice_and_pandoc(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    redline = tmp_path / "toelichting.docx"
    result = runner.invoke(main, ["diff", "contracts_data@2015-01-01", "contracts_data@2018-01-01",
                                  "--document", "swo-toelichting", "--formaat", "docx", "--uitvoer", str(redline)])
    assert result.exit_code == 0, result.output
    oud = in_kracht(kies_versie(_MH, "swo-toelichting", date(2015, 1, 1)), date(2015, 1, 1))
    nieuw = in_kracht(kies_versie(_MH, "swo-toelichting", date(2018, 1, 1)), date(2018, 1, 1))
    gebouwd_oud = _bouw(oud, date(2015, 1, 1), tmp_path / "2014.docx")
    gebouwd_nieuw = _bouw(nieuw, date(2018, 1, 1), tmp_path / "2017.docx")
    _vergelijk_met_gebouwd(tmp_path, redline, gebouwd_oud, gebouwd_nieuw)
    # the no-break space of "artikel 5.1" as the built document prints it, on both sides
    assert "artikel\u00a05.1" in "\n".join(_pandoc("accept", redline))
    assert "artikel\u00a05.1" in "\n".join(_pandoc("reject", redline))


# --- edits of the DVO: moves, insertions after a changed lid, amounts, normal forms ----------


def _artikel(doc: m.Document, nummer: str) -> m.Artikel:
    return next(b.artikel for b in doc.inhoud if isinstance(b, m.ArtikelBlok) and b.artikel.nummer == nummer)


def _bewerkt_dvo() -> tuple[m.Document, m.Document]:
    """The DVO (articles 3, 13 and 26) and a jurist's edit of it, as a Word user makes them."""
    dvo = _MH.versies("dvo")[-1]
    nummers = ("3", "13", "26")
    oud = dvo.model_copy(update={"inhoud": [b for b in dvo.inhoud if isinstance(b, m.ArtikelBlok)
                                            and b.artikel.nummer in nummers]})
    nieuw = oud.model_copy(deep=True)
    a3, a13, a26 = (_artikel(nieuw, n) for n in nummers)
    # a lid moved within its article, and one moved to another article
    a26.leden.insert(0, a26.leden.pop())
    a13.leden.append(a3.leden.pop(0))
    # text changed at the end of a lid, then a new lid right after it (the "…tot stand.Artikel 2" case)
    a13.leden[0].tekst = a13.leden[0].tekst.rstrip(".") + " en wordt jaarlijks herzien."
    a13.leden.insert(1, a13.leden[0].model_copy(update={"id": "lid-nieuw", "nummer": "13.9",
                                                         "tekst": "Een nieuw lid vanaf € 12.500 per jaar."}))
    # an amount changed
    a26.leden[1].tekst = a26.leden[1].tekst.replace("25.000", "30.000")
    return oud, nieuw


def test_dvo_edits_accepted_and_rejected_in_libreoffice_and_pandoc(tmp_path):
    oud, nieuw = _bewerkt_dvo()
    peildatum = nieuwste_datum(nieuw)
    b_oud = [gedrukt(b) for b in weergave(_MH, oud, None, peildatum).blokken]
    b_nieuw = [gedrukt(b) for b in weergave(_MH, nieuw, None, peildatum).blokken]
    d = vergelijk_document("dvo", oud, nieuw, b_oud, b_nieuw)
    r = schrijf_redline(d, date(2026, 1, 1), tmp_path / "redline.docx", "Jurist")
    assert r.verplaatsingen == 2
    _vergelijk_met_gebouwd(tmp_path, r.pad, _bouw(oud, peildatum, tmp_path / "oud.docx"),
                           _bouw(nieuw, peildatum, tmp_path / "nieuw.docx"))


def test_text_in_another_unicode_normal_form_is_no_change(runner, tmp_path):
    """'é' decomposed (pasted from a PDF or a Mac) is the same word: the loader stores NFC, diff compares NFC."""
    oud, nieuw = tmp_path / "oud" / "maastricht-heuvelland", tmp_path / "nieuw" / "maastricht-heuvelland"
    shutil.copytree(DATA / "maastricht-heuvelland", oud)
    shutil.copytree(DATA / "maastricht-heuvelland", nieuw)
    dvo = nieuw / "documenten" / "dvo.yaml"
    tekst = dvo.read_text(encoding="utf-8")
    assert tekst.count("ë") > 5
    dvo.write_text(unicodedata.normalize("NFD", tekst), encoding="utf-8")
    assert dvo.read_text(encoding="utf-8") != tekst
    result = runner.invoke(main, ["diff", str(oud.parent), str(nieuw.parent), "--document", "dvo"])
    assert result.exit_code == 0, result.output
    assert "geen verschillen" in result.output
    # and a text that never went through the loader: diff reads it in NFC too
    doc = _MH.versies("dvo")[-1]
    blok = next(b for b in weergave(_MH, doc, None, nieuwste_datum(doc)).blokken if "ë" in getattr(b, "tekst", ""))
    zacht = blok.__class__(**{**blok.__dict__, "tekst": unicodedata.normalize("NFD", blok.tekst)})
    assert gedrukt(zacht).tekst == gedrukt(blok).tekst
