"""No heading ends a page: what LibreOffice's DOCX import does not keep, the PDF stage repairs.

The template's heading styles keep with the next paragraph (w:keepNext), and Word honours that;
LibreOffice 7.4 does not always when it reads a .docx (issue 29: bijlage 2.2 'Intensiteit' at the
foot of page 1, its text on page 2; the same document saved as .odt does keep them together). So
after conversion each page of the PDF is read: a page whose last line of body text is a heading
(not the last page) gets that heading a page break before it (w:pageBreakBefore, which LibreOffice
always honours) in the copy LibreOffice converts, and that document is converted again. The .docx
the user gets is not changed: Word keeps the heading with its text by itself.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
KOPSTIJLEN = {"Heading1", "Heading2", "Heading3", "Heading4", "Title", "Subtitle"}
_WOORD = re.compile(r"\w+")


def _gewoon(tekst: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", tekst).split())


def _koppen(root) -> list:
    """The heading paragraphs of a document body, in order."""
    uit = []
    for p in root.iter(f"{W}p"):
        stijl = p.find(f"{W}pPr/{W}pStyle")
        if stijl is not None and stijl.get(f"{W}val") in KOPSTIJLEN and _gewoon("".join(p.itertext())):
            uit.append(p)
    return uit


def _rand_woorden(z: zipfile.ZipFile) -> set[str]:
    """Words of the headers and footers (repeated on each page, not body text)."""
    woorden: set[str] = set()
    for naam in z.namelist():
        if re.fullmatch(r"word/(header|footer)\d*\.xml", naam):
            woorden |= set(_WOORD.findall("".join(etree.fromstring(z.read(naam)).itertext()).lower()))
    return woorden


def paginas(tekst: str) -> list[list[str]]:
    """The lines of each page of a PDF's text as laid out (`libreoffice.pdf_tekst`: pages ended by
    form feeds), whitespace normalised, empty lines left out."""
    return [[_gewoon(r) for r in pagina.splitlines() if r.strip()] for pagina in tekst.split("\f")[:-1]]


def koppen_onderaan(docx: Path, tekst: str) -> list[tuple[int, int, str]]:
    """(page, heading index, heading text) for every page but the last whose last line of body text is a
    heading of `docx` (index: among its heading paragraphs, in order); `tekst`: the PDF's text."""
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
        rand = _rand_woorden(z)
    teksten = [_gewoon("".join(p.itertext())) for p in _koppen(root)]
    if not teksten:
        return []
    bekend = set(teksten)
    gezien: dict[str, int] = {}
    uit = []
    alle = paginas(tekst)
    for nummer, regels in enumerate(alle, start=1):
        # the running header and footer (their words and page numbers) are not body text
        romp = [r for r in regels if not set(_WOORD.findall(r.lower())) <= rand | {w for w in _WOORD.findall(r) if
                                                                                   w.isdigit()}]
        for r in romp:
            if r in bekend:
                gezien[r] = gezien.get(r, 0) + 1
        if nummer == len(alle) or not romp:
            continue
        for n in (1, 2, 3):  # a heading may wrap over two or three lines
            kandidaat = " ".join(romp[-n:])
            if kandidaat in bekend:
                # which of the headings with this text: the how-manieth seen so far (a one-line heading
                # was counted above; a wrapped one was not)
                keer = gezien.get(kandidaat, 0) + (0 if n == 1 else 1)
                posities = [i for i, t in enumerate(teksten) if t == kandidaat]
                uit.append((nummer, posities[max(1, min(keer, len(posities))) - 1], kandidaat))
                break
    return uit


def breek_voor_koppen(docx: Path, indices: list[int]) -> None:
    """Give the heading paragraphs at `indices` a page break before them, in the file itself."""
    with zipfile.ZipFile(docx) as z:
        delen = [(i, z.read(i.filename)) for i in z.infolist()]
    for k, (info, data) in enumerate(delen):
        if info.filename != "word/document.xml":
            continue
        root = etree.fromstring(data)
        koppen = _koppen(root)
        for i in indices:
            ppr = koppen[i].find(f"{W}pPr")
            if ppr.find(f"{W}pageBreakBefore") is None:
                stijl = ppr.find(f"{W}pStyle")
                stijl.addnext(etree.Element(f"{W}pageBreakBefore"))
        delen[k] = (info, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    tijdelijk = docx.with_name(docx.name + ".tmp")
    with zipfile.ZipFile(tijdelijk, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in delen:
            z.writestr(info, data)
    tijdelijk.replace(docx)
