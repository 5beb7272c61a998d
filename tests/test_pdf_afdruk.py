"""Every PDF of the default set, as a reader and a signer see it, equals the recorded one (issue 20).

The PDF writer changed for speed (pypdf → pikepdf); what users get must not: the same pages with
the same text, every signature and paraaf field with the same name on the same page at the same
place, the same page labels, bookmarks, title and language, tags kept. The fixture was recorded
from the pypdf writer before the change; a deliberate change of layout re-records it with
CONTRACTGEN_PDF_AFDRUK_BIJWERKEN=1 (review the diff of tests/fixtures/pdf-afdruk.json).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import DATA, ROOT
from contractgen.cli import main

AFDRUK = ROOT / "tests" / "fixtures" / "pdf-afdruk.json"


def _bladwijzers(reader: PdfReader, items=None, diepte: int = 0) -> list[str]:
    uit: list[str] = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            uit += _bladwijzers(reader, item, diepte + 1)
        else:
            uit.append("  " * diepte + str(item.title))
    return uit


def afdruk(pdf: Path) -> dict:
    """What a reader and a signer see of one PDF: text per page, fields with place, labels, bookmarks.

    Text lines with their spacing collapsed; for a contractpakket.pdf (the documents' pages again)
    only a hash of each page's text, which keeps the fixture small.
    """
    reader = PdfReader(str(pdf))
    paginas = []
    for i, page in enumerate(reader.pages):
        tekst = subprocess.run(["pdftotext", "-f", str(i + 1), "-l", str(i + 1), "-layout", str(pdf), "-"],
                               capture_output=True, text=True, check=True).stdout
        velden = []
        for a in page.get("/Annots", []) or []:
            a = a.get_object()
            if a.get("/FT") == "/Sig":
                velden.append([str(a["/T"]), [round(float(v), 1) for v in a["/Rect"]]])
        regels = [re.sub(r"\s+", " ", r).strip() for r in tekst.splitlines() if r.strip()]
        inhoud: list[str] | str = regels
        if pdf.name == "contractpakket.pdf":
            inhoud = hashlib.sha256("\n".join(regels).encode()).hexdigest()
        paginas.append({"tekst": inhoud, "velden": sorted(velden), "label": reader.page_labels[i]})
    root = reader.trailer["/Root"]
    formulier = root.get("/AcroForm")
    return {
        "paginas": paginas,
        "bladwijzers": _bladwijzers(reader),
        "titel": str(reader.metadata.title if reader.metadata else ""),
        "taal": str(root.get("/Lang", "")),
        "getagd": "/StructTreeRoot" in root,
        "velden": len(formulier.get_object()["/Fields"]) if formulier is not None else 0,
    }


@pytest.fixture(scope="module")
def gebouwd(tmp_path_factory) -> Path:
    uit = tmp_path_factory.mktemp("afdruk")
    result = CliRunner().invoke(main, ["build", str(DATA), "--uitvoer", str(uit)])
    assert result.exit_code == 0, result.output
    return uit


def test_every_pdf_reads_and_signs_as_recorded(gebouwd):
    pdfs = sorted(gebouwd.rglob("*.pdf"))
    gezien = {p.relative_to(gebouwd).as_posix(): afdruk(p) for p in pdfs if ".cache" not in p.parts}
    if os.environ.get("CONTRACTGEN_PDF_AFDRUK_BIJWERKEN"):
        AFDRUK.write_text(json.dumps(gezien, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    verwacht = json.loads(AFDRUK.read_text(encoding="utf-8"))
    assert sorted(gezien) == sorted(verwacht)
    for naam in verwacht:
        for sleutel in ("titel", "taal", "getagd", "velden", "bladwijzers"):
            assert gezien[naam][sleutel] == verwacht[naam][sleutel], f"{naam}: {sleutel}"
        assert len(gezien[naam]["paginas"]) == len(verwacht[naam]["paginas"]), naam
        for nr, (nu, toen) in enumerate(zip(gezien[naam]["paginas"], verwacht[naam]["paginas"]), 1):
            assert nu == toen, f"{naam}, pagina {nr}"
