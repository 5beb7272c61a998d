"""Ids in generated .docx (issue 19): bookmarks are the only change to the body, and the PDF reads the same."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

from contractgen.regels import load_valid
from contractgen.render.ankers import bladwijzer_naam, bladwijzer_namen
from contractgen.render.docx import Sjablonen, standaard_sjablonen_map
from contractgen.resolve.weergave import weergave
from conftest import DATA

_START = re.compile(rb'<w:bookmarkStart w:id="(\d+)" w:name="cg_[^"]*"/>')


def _zonder_ids(xml: bytes) -> bytes:
    """The XML without the cg_ bookmarks (other bookmarks, such as signature anchors, stay)."""
    nummers = set(_START.findall(xml))
    xml = _START.sub(b"", xml)
    return re.sub(rb'<w:bookmarkEnd w:id="(\d+)"/>', lambda m: b"" if m.group(1) in nummers else m.group(0), xml)


def _dvo() -> tuple[bytes, bytes]:
    """The DVO rendered with ids, and the same with every block's id removed (nothing to mark)."""
    data = next(r for r in load_valid(DATA) if r.regio.id == "maastricht-heuvelland")
    doc = data.versies("dvo")[-1]
    sjabloon = Sjablonen(standaard_sjablonen_map()).get(doc.sjabloon, data.regio.id)
    w = weergave(data, doc, data.aanbieders[0], doc.geldig_van)
    met = sjabloon.render(w.context)
    zonder_ids = [b.__class__(**{**b.__dict__, "id": None}) if "id" in b.__dict__ else b for b in w.blokken]
    zonder_ids = [b.__class__(**{**b.__dict__, "rij_ids": ()}) if "rij_ids" in b.__dict__ else b for b in zonder_ids]
    zonder = sjabloon.render({**w.context, "blokken": zonder_ids})
    return met, zonder


def test_bookmarks_are_the_only_change_to_the_body():
    met, zonder = _dvo()
    xml_met = zipfile.ZipFile(io.BytesIO(met)).read("word/document.xml")
    xml_zonder = zipfile.ZipFile(io.BytesIO(zonder)).read("word/document.xml")
    assert len(_START.findall(xml_met)) > 200
    assert _zonder_ids(xml_met) == xml_zonder


def test_pdf_text_is_unchanged_by_the_ids(tmp_path: Path):
    met, zonder = _dvo()
    (tmp_path / "met.docx").write_bytes(met)
    (tmp_path / "zonder.docx").write_bytes(zonder)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "met.docx"),
                    str(tmp_path / "zonder.docx")], check=True, capture_output=True, timeout=300)
    tekst = [subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{n}.pdf"), "-"], capture_output=True,
                            check=True).stdout for n in ("met", "zonder")]
    assert b"Artikel 4" in tekst[0] and b"4.1" in tekst[0]
    assert tekst[0] == tekst[1]


def test_bookmark_names_are_word_safe_and_unique():
    assert bladwijzer_naam("art-4.1") == "cg_art_4_1"
    assert bladwijzer_naam("art-12.3/i0/r12") == "cg_art_12_3_i0_r12"
    lang = bladwijzer_naam("basisdocument-werkafspraken-artikel-12.3/i0/r12")
    assert len(lang) <= 40 and re.fullmatch(r"cg_h[0-9a-f]{20}", lang)
    # two ids with the same name: the first keeps it
    assert bladwijzer_namen(["art-1.1", "art-1-1", "i0"]) == {"art-1.1": "cg_art_1_1", "i0": "cg_i0"}
