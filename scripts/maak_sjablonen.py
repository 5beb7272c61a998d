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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
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


def _kop_en_voet(doc) -> None:
    sectie = doc.sections[0]
    sectie.page_height, sectie.page_width = Cm(29.7), Cm(21.0)
    sectie.left_margin = sectie.right_margin = Cm(2.2)
    sectie.top_margin, sectie.bottom_margin = Cm(2.2), Cm(2.0)
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
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
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
    _p(doc, "{%p elif b.soort == 'handtekening' %}")
    _p(doc, "{{ b.titel }}", "Handtekeningkop")
    hand = doc.add_table(rows=3, cols=2)
    hand.style = "Table Grid"
    _cel(hand.cell(0, 0), "{%tr for r in b.rijen %}")
    _cel(hand.cell(1, 0), "{{ r.label }}", vet=True)
    _cel(hand.cell(1, 1), "{{ r.waarde }}")
    _cel(hand.cell(2, 0), "{%tr endfor %}")
    hand.rows[1].height = Cm(0.9)  # room to write a date or sign
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
