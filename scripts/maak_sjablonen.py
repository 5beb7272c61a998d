"""Create the starting templates (`src/contractgen/render/sjablonen/*.docx`) once (python-docx).

The committed .docx files are the source of truth: juristen edit them in Word
(styles, kop- en voettekst, vaste teksten). Run this only to start over:

    python scripts/maak_sjablonen.py --overschrijf
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT  # noqa: F401  (kept for juristen who switch orientation)
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Arial"  # LibreOffice maps Arial to the metric-compatible Liberation Sans


def _veld(paragraph, instructie: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instructie)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    run.append(t)
    fld.append(run)
    paragraph._p.append(fld)


def _stijlen(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    _nederlands(doc)
    for naam, grootte in (("Title", 18), ("Heading 1", 13), ("Heading 2", 11), ("Heading 3", 10), ("Subtitle", 11)):
        stijl = doc.styles[naam]
        stijl.font.name = FONT
        _zonder_themafont(stijl)
        stijl.font.size = Pt(grootte)
        stijl.font.italic = False
        stijl.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
        stijl.paragraph_format.space_before = Pt(10 if naam != "Title" else 0)
        stijl.paragraph_format.keep_with_next = True
    for naam, inspringing in (("Lid", 1.0), ("Opsomming 1", 1.0), ("Opsomming 2", 1.8), ("Opsomming 3", 2.6)):
        stijl = doc.styles.add_style(naam, WD_STYLE_TYPE.PARAGRAPH)
        stijl.base_style = normal
        fmt = stijl.paragraph_format
        fmt.left_indent = Cm(inspringing)
        fmt.first_line_indent = Cm(-0.8 if naam != "Lid" else -1.0)
        fmt.tab_stops.add_tab_stop(Cm(inspringing))
    voetnoot = doc.styles.add_style("Voetnoot bij tekst", WD_STYLE_TYPE.PARAGRAPH)
    voetnoot.base_style = normal
    voetnoot.font.size = Pt(8)
    voetnoot.font.italic = True
    tabel = doc.styles.add_style("Tabeltekst", WD_STYLE_TYPE.PARAGRAPH)
    tabel.base_style = normal
    tabel.font.size = Pt(9)
    tabel.paragraph_format.space_after = Pt(0)
    hand = doc.styles.add_style("Handtekeningkop", WD_STYLE_TYPE.PARAGRAPH)
    hand.base_style = normal
    hand.font.bold = True
    hand.paragraph_format.space_before = Pt(12)
    hand.paragraph_format.keep_with_next = True
    hand.paragraph_format.space_before = Pt(0)


def _nederlands(doc) -> None:
    """Dutch as the document language (docDefaults and Normal): LibreOffice writes it as the PDF's /Lang nl-NL."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for drager in (rpr, doc.styles["Normal"].element.get_or_add_rPr()):
        for oud in drager.findall(qn("w:lang")):
            drager.remove(oud)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "nl-NL")
        lang.set(qn("w:eastAsia"), "nl-NL")
        lang.set(qn("w:bidi"), "ar-SA")
        drager.append(lang)


def _zonder_themafont(stijl) -> None:
    # Heading styles point at theme fonts (Calibri Light); a fixed font keeps PDF and Word alike.
    fonts = stijl.element.get_or_add_rPr().find(qn("w:rFonts"))
    if fonts is None:
        return
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _p(doc, tekst: str = "", stijl: str | None = None, *runs: str):
    p = doc.add_paragraph(style=stijl)
    if tekst:
        p.add_run(tekst)
    for r in runs:
        if r == "\t":
            p.add_run().add_tab()
        else:
            p.add_run(r)
    return p


def _cel(cel, tekst: str, vet: bool = False) -> None:
    p = cel.paragraphs[0]
    p.style = "Tabeltekst"
    run = p.add_run(tekst)
    run.bold = vet


def _p_in(deel, tekst: str):
    p = deel.add_paragraph()
    p.add_run(tekst)
    return p


def _kop_en_voet(doc) -> None:
    sectie = doc.sections[0]
    sectie.page_height, sectie.page_width = Cm(29.7), Cm(21.0)
    sectie.left_margin = sectie.right_margin = Cm(2.2)
    sectie.top_margin, sectie.bottom_margin = Cm(2.2), Cm(2.0)
    sectie.footer_distance = Cm(1.0)  # pdf.PARAAF_RECT depends on it
    kop = sectie.header.paragraphs[0]
    kop.text = "{{ document.korte_titel }} — versie {{ document.versie }}{% if aanbieder %} — {{ aanbieder.naam }}{% endif %}"
    kop.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    kop.runs[0].font.size = Pt(8)
    voet = sectie.footer.paragraphs[0]
    voet.alignment = WD_ALIGN_PARAGRAPH.CENTER
    voet.add_run("{{ regio.naam }} — pagina ")
    _veld(voet, "PAGE")
    voet.add_run(" van ")
    _veld(voet, "NUMPAGES")
    for run in voet.runs:
        run.font.size = Pt(8)
    # paraaf place on every page of a prijsbijlage (seed 001: "elk pagina waar een arrangement is
    # aangevinkt van een paraaf te voorzien"); the PDF field lies over the box at the right
    _p_in(sectie.footer, "{%p if document.paraaf %}")
    # a box 4 cm wide at the right margin: the label at its top, two empty lines to initial in
    paraaf = _p_in(sectie.footer, "Paraaf opdrachtnemer:")
    paraaf.paragraph_format.left_indent = Cm(12.4)
    paraaf.paragraph_format.space_before = Pt(4)
    paraaf.paragraph_format.space_after = Pt(0)
    paraaf.runs[0].font.size = Pt(7)
    paraaf.runs[0].add_break()
    paraaf.runs[0].add_break()
    rand = OxmlElement("w:pBdr")
    for kant in ("top", "left", "bottom", "right"):
        lijn = OxmlElement(f"w:{kant}")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "2"), ("w:color", "000000")):
            lijn.set(qn(k), v)
        rand.append(lijn)
    paraaf._p.get_or_add_pPr().append(rand)
    _p_in(sectie.footer, "{%p endif %}")


def _rij(rij, kop: bool = False, hoogte_twips: int | None = None) -> None:
    """A row that never splits over two pages; a header row repeats on every page of its table."""
    trpr = rij._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if hoogte_twips:
        h = OxmlElement("w:trHeight")
        h.set(qn("w:val"), str(hoogte_twips))
        h.set(qn("w:hRule"), "atLeast")
        trpr.append(h)
    if kop:
        trpr.append(OxmlElement("w:tblHeader"))


def _handtekeningblok(doc) -> None:
    """Title, rows and signing row in one unsplittable row of a borderless frame table.

    The signing row (r.teken) is 15.5 mm high and carries the bookmark `b.anker`; LibreOffice
    exports it as a named destination, where the PDF stage puts the signature field.
    """
    kader = doc.add_table(rows=1, cols=1)  # no style: no borders
    _rij(kader.rows[0])
    cel = kader.cell(0, 0)
    titel = cel.paragraphs[0]
    titel.style = "Handtekeningkop"
    titel.add_run("{{ b.titel }}")
    hand = cel.add_table(rows=7, cols=2)
    hand.style = "Table Grid"
    _cel(hand.cell(0, 0), "{%tr for r in b.rijen %}")
    _cel(hand.cell(1, 0), "{%tr if r.teken %}")
    _cel(hand.cell(2, 0), "{{ r.label }}", vet=True)
    _cel(hand.cell(2, 1), "{{ r.waarde }}")
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), "{{ b.anker_nr }}")
    start.set(qn("w:name"), "{{ b.anker }}")
    einde = OxmlElement("w:bookmarkEnd")
    einde.set(qn("w:id"), "{{ b.anker_nr }}")
    hand.cell(2, 1).paragraphs[0]._p.append(start)
    hand.cell(2, 1).paragraphs[0]._p.append(einde)
    _cel(hand.cell(3, 0), "{%tr else %}")
    _cel(hand.cell(4, 0), "{{ r.label }}", vet=True)
    _cel(hand.cell(4, 1), "{{ r.waarde }}")
    _cel(hand.cell(5, 0), "{%tr endif %}")
    _cel(hand.cell(6, 0), "{%tr endfor %}")
    _rij(hand.rows[2], hoogte_twips=880)  # 15.5 mm: room to sign (at least 15 mm)
    _rij(hand.rows[4], hoogte_twips=510)  # 9 mm: room to write a date
    # the cell's last paragraph (Word needs one after a nested table): small, no extra space
    slot = cel.paragraphs[-1]
    slot.paragraph_format.space_after = Pt(0)
    slot.paragraph_format.space_before = Pt(0)


def maak_document_sjabloon(pad: Path) -> None:
    doc = Document()
    _stijlen(doc)
    _kop_en_voet(doc)
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p) if doc.paragraphs else None
    _p(doc, "{{ document.titel }}", "Title")
    _p(doc, "{%p if aanbieder %}")
    _p(doc, "Opdrachtnemer: {{ aanbieder.naam }} (KvK-nummer {{ aanbieder.kvk }})", "Subtitle")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for b in blokken %}")
    _p(doc, "{%p if b.soort == 'kop1' %}")
    _p(doc, "{{ b.tekst }}", "Heading 1")
    _p(doc, "{%p elif b.soort == 'kop2' %}")
    _p(doc, "{{ b.tekst }}", "Heading 2")
    _p(doc, "{%p elif b.soort == 'kop3' %}")
    _p(doc, "{{ b.tekst }}", "Heading 3")
    _p(doc, "{%p elif b.soort == 'lid' %}")
    _p(doc, "", "Lid", "{{ b.nummer }}", "\t", "{{ b.tekst }}")
    _p(doc, "{%p elif b.soort == 'alinea' and b.niveau > 1 %}")
    _p(doc, "{{ b.tekst }}", "Lid").paragraph_format.first_line_indent = Cm(0)
    _p(doc, "{%p elif b.soort == 'alinea' %}")
    _p(doc, "{{ b.tekst }}")
    for niveau in (1, 2, 3):
        _p(doc, f"{{%p elif b.soort == 'item' and b.niveau == {niveau} %}}")
        _p(doc, "", f"Opsomming {niveau}", "{{ b.label }}", "\t", "{{ b.tekst }}")
    _p(doc, "{%p elif b.soort == 'voetnoot' %}")
    _p(doc, "", "Voetnoot bij tekst", "{{ b.nummer }} ", "{{ b.tekst }}")
    _p(doc, "{%p elif b.soort == 'pagina_einde' %}")
    # an empty 2 pt paragraph that starts a new page; unlike a page-break character it adds no blank
    # page when the page before is exactly full
    einde = doc.add_paragraph()
    einde.paragraph_format.page_break_before = True
    einde.paragraph_format.space_before = einde.paragraph_format.space_after = Pt(0)
    einde.paragraph_format.line_spacing = Pt(2)
    _p(doc, "{%p elif b.soort == 'tabel' %}")
    tabel = doc.add_table(rows=6, cols=3)
    tabel.style = "Table Grid"
    _cel(tabel.cell(0, 0), "{%tr if b.kop %}")
    _cel(tabel.cell(1, 0), "{%tc for k in b.kop %}")
    _cel(tabel.cell(1, 1), "{{ k }}", vet=True)
    _cel(tabel.cell(1, 2), "{%tc endfor %}")
    _cel(tabel.cell(2, 0), "{%tr endif %}")
    _cel(tabel.cell(3, 0), "{%tr for rij in b.rijen %}")
    _cel(tabel.cell(4, 0), "{%tc for c in rij %}")
    _cel(tabel.cell(4, 1), "{{ c }}")
    _cel(tabel.cell(4, 2), "{%tc endfor %}")
    _cel(tabel.cell(5, 0), "{%tr endfor %}")
    _rij(tabel.rows[1], kop=True)
    _rij(tabel.rows[4])
    _p(doc, "{%p elif b.soort == 'handtekening' %}")
    _handtekeningblok(doc)
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")
    doc.core_properties.title = "contractgen document"
    doc.core_properties.author = "contractgen"
    doc.save(pad)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--map", default=str(Path(__file__).resolve().parents[1] / "src" / "contractgen" / "render" / "sjablonen"))
    parser.add_argument("--overschrijf", action="store_true")
    args = parser.parse_args(argv)
    doel = Path(args.map) / "document.docx"
    if doel.exists() and not args.overschrijf:
        print(f"{doel} bestaat al; gebruik --overschrijf om opnieuw te beginnen", file=sys.stderr)
        return 1
    doel.parent.mkdir(parents=True, exist_ok=True)
    maak_document_sjabloon(doel)
    print(f"geschreven: {doel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
