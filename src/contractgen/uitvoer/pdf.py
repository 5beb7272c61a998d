"""PDF finishing of one document: signature fields, fixed metadata (byte-identical rebuilds), PDF/A.

LibreOffice writes the pages; this module makes them signable and reproducible:
- an empty AcroForm `/Sig` field over the signing row of every signature block, placed at
  the named destination LibreOffice exports for the bookmark the template puts in that row
  (never by searching text); the build fails if a block has no such place;
- a paraaf field over the paraaf box in the footer of every page of a prijsbijlage;
- Info and XMP metadata with a fixed date, and a `/ID` computed from the content;
- for PDF/A-2b the XMP `pdfaid` entries; LibreOffice's output intent with a fixed date.

Written with pikepdf (qpdf): about ten times faster than pypdf's clone-and-write for the same
result, so that LibreOffice, not the finishing, bounds the PDF stage (issue 20). The package of
one aanbieder is merged from these finished documents in `uitvoer/pakket.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from contractgen import __version__
from contractgen.resolve import blokken as rb
from contractgen.resolve.weergave import Weergave, heeft_paraaf

PRODUCER = f"contractgen {__version__} (LibreOffice)"
# The signature table spans the text width (templates/document.docx, render._schik_tabellen).
LINKER_MARGE = 62.4  # 2.2 cm in points
TEKSTBREEDTE = 480.0  # twips 9600 / 20
TEKENRIJ_HOOGTE = 43.0  # points (15.2 mm): the field; the template's signing row is 15.5 mm (44 pt) at least
# The paraaf box in the footer (templates/document.docx: 4 cm at the right margin, footer 1.0 cm from the
# page edge), below its label "Paraaf opdrachtnemer:"; tests/test_pagina.py checks it against the PDF.
PARAAF_RECT = (413.0, 32.0, 533.0, 53.0)
PARAAF = "paraaf"  # the party of a paraaf field: either party may initial


class VeldFout(Exception):
    """The signature places in a PDF do not match the document's signature blocks."""


@dataclass
class Handtekeningveld:
    naam: str  # unique in the document, e.g. gemeenten_1
    partij: str  # gemeenten | opdrachtnemer
    anker: str = ""  # bookmark in the signing row (resolve: cgteken1, cgteken2, ...)


@dataclass
class PdfInfo:
    """What the PDF stage needs to know about one rendered document."""

    id: str
    titel: str
    korte_titel: str
    versie: str
    looptijd: str
    datum: date
    handtekeningen: list[Handtekeningveld] = field(default_factory=list)
    paraaf: bool = False


def _pdf_datum(d: date) -> str:
    return f"D:{d.year:04d}{d.month:02d}{d.day:02d}000000Z"


def _xmp(titel: str, d: date, pdfa: bool) -> bytes:
    iso = f"{d.isoformat()}T00:00:00Z"
    pdfaid = ('  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">\n'
              "   <pdfaid:part>2</pdfaid:part>\n   <pdfaid:conformance>B</pdfaid:conformance>\n"
              "  </rdf:Description>\n") if pdfa else ""
    xml = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f"{pdfaid}"
        '  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{xml_escape(titel)}</rdf:li></rdf:Alt></dc:title>\n'
        "   <dc:creator><rdf:Seq><rdf:li>contractgen</rdf:li></rdf:Seq></dc:creator>\n"
        "  </rdf:Description>\n"
        '  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">\n'
        f"   <pdf:Producer>{xml_escape(PRODUCER)}</pdf:Producer>\n  </rdf:Description>\n"
        '  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        "   <xmp:CreatorTool>contractgen</xmp:CreatorTool>\n"
        f"   <xmp:CreateDate>{iso}</xmp:CreateDate>\n   <xmp:ModifyDate>{iso}</xmp:ModifyDate>\n"
        "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return xml.encode("utf-8")


def metadata(pdf: pikepdf.Pdf, titel: str, d: date, pdfa: bool) -> None:
    """Fixed Info and XMP (they must agree for PDF/A) so that rebuilds are byte-identical."""
    pdf.trailer.Info = pdf.make_indirect(Dictionary(
        Title=String(titel), Author=String("contractgen"), Creator=String("contractgen"),
        Producer=String(PRODUCER), CreationDate=String(_pdf_datum(d)), ModDate=String(_pdf_datum(d)),
    ))
    # a new stream object: the one LibreOffice wrote is no longer referenced and qpdf leaves it out
    pdf.Root.Metadata = pdf.make_stream(_xmp(titel, d, pdfa), Type=Name.Metadata, Subtype=Name.XML)
    _vaste_icc_datum(pdf)


def _vaste_icc_datum(pdf: pikepdf.Pdf) -> None:
    """LibreOffice writes today's date into the ICC profile of the output intent; fix it."""
    for intent in pdf.Root.get("/OutputIntents", Array()):
        profiel = intent.get("/DestOutputProfile")
        if profiel is None:
            continue
        data = bytearray(profiel.read_bytes())
        if len(data) < 128:
            continue
        data[24:36] = bytes(12)  # creation date/time in the ICC header
        data[84:100] = bytes(16)  # profile ID (an MD5 that covered the date): 0 = not computed
        profiel.write(bytes(data))


def nederlands(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Lang = String("nl-NL")


_HARDE_SPATIE = re.compile(rb"<00[aA]0>")


def spaties_in_tekstlaag(pdf: pikepdf.Pdf) -> None:
    """Copy and search see plain spaces again.

    The no-break spaces of "€ 25.000,00" (render.vaste_spaties) share the space glyph in LibreOffice's
    font subsets, so its /ToUnicode maps *every* space of that font to U+00A0. The layout is done;
    in the text layer U+0020 is what a reader expects.
    """
    gezien: set[tuple[int, int]] = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
        for _, font in fonts.items():
            stream = font.get("/ToUnicode")
            if stream is None or stream.objgen in gezien:
                continue
            gezien.add(stream.objgen)
            data = stream.read_bytes()
            if _HARDE_SPATIE.search(data):
                stream.write(_HARDE_SPATIE.sub(b"<0020>", data))


def ankers(pdf: pikepdf.Pdf) -> dict[str, tuple[int, float, float]]:
    """Named destinations of a LibreOffice PDF: name → (page index, left, top).

    LibreOffice writes a Word bookmark as a named destination (ExportBookmarksToPDFDestination,
    in the catalog's /Dests) at the top-left of the line that holds it.
    """
    index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    bestemmingen: list[tuple[str, pikepdf.Object]] = [(str(k), v) for k, v in pdf.Root.get("/Dests", Dictionary()).items()]
    if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
        bestemmingen += [(k, v) for k, v in pikepdf.NameTree(pdf.Root.Names.Dests).items()]
    uit = {}
    for naam, waarde in bestemmingen:
        dest = waarde.get("/D") if isinstance(waarde, Dictionary) else waarde
        if not isinstance(dest, Array) or len(dest) < 4 or dest[1] != Name.XYZ:
            continue  # a destination without a place on a page: no field can go there
        pagina = index.get(dest[0].objgen) if isinstance(dest[0], Dictionary) else None
        if pagina is None or dest[2] is None or dest[3] is None:
            continue
        uit[naam.lstrip("/")] = (pagina, float(dest[2]), float(dest[3]))
    return uit


def _sig_veld(pdf: pikepdf.Pdf, page: pikepdf.Page, naam: str, rect: tuple[float, float, float, float],
              velden: Array) -> None:
    x0, y0, x1, y1 = rect
    # PDF/A wants an appearance for every visible widget: an empty form XObject
    uiterlijk = pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, x1 - x0, y1 - y0]))
    veld = pdf.make_indirect(Dictionary(
        FT=Name.Sig, T=String(naam), Type=Name.Annot, Subtype=Name.Widget,
        F=4,  # print
        Rect=Array([round(v, 2) for v in rect]), P=page.obj, AP=Dictionary(N=uiterlijk),
    ))
    if "/Annots" not in page.obj:
        page.obj.Annots = Array()
    page.obj.Annots.append(veld)
    velden.append(veld)


def formuliervelden(pdf: pikepdf.Pdf) -> Array:
    """The catalog's /AcroForm /Fields (created when absent)."""
    if "/AcroForm" not in pdf.Root:
        pdf.Root.AcroForm = pdf.make_indirect(Dictionary(Fields=Array()))
    velden = pdf.Root.AcroForm.Fields
    assert isinstance(velden, Array), "/AcroForm /Fields is geen array"
    return velden


def voeg_velden_toe(pdf: pikepdf.Pdf, info: PdfInfo, plaatsen: dict[str, tuple[int, float, float]]) -> list[str]:
    """A signature field in the signing row of every signature block, and paraaf fields; returns the names.

    `plaatsen` are the named destinations of this PDF (`ankers`). Raises VeldFout when a block has
    no place, so that a document is never missing a field.
    """
    velden = formuliervelden(pdf)
    namen: list[str] = []
    ontbreekt = [v.naam for v in info.handtekeningen if v.anker not in plaatsen]
    if ontbreekt:
        raise VeldFout(f"{info.titel}: {len(info.handtekeningen)} handtekeningblok(ken), maar "
                       f"{len(info.handtekeningen) - len(ontbreekt)} plaats(en) voor een handtekeningveld in de PDF; "
                       f"zonder plaats: {', '.join(ontbreekt)} (staat de bladwijzer van de tekenrij in het sjabloon?)")
    for veld in info.handtekeningen:
        pagina, links, boven = plaatsen[veld.anker]
        # inside the row: from its top down 15 mm, from the value cell to the table's right edge
        _sig_veld(pdf, pdf.pages[pagina], veld.naam,
                  (links - 2, boven - TEKENRIJ_HOOGTE, LINKER_MARGE + TEKSTBREEDTE - 8, boven), velden)
        namen.append(veld.naam)
    if info.paraaf:
        for index, page in enumerate(pdf.pages):
            naam = f"{PARAAF}_p{index + 1}"
            _sig_veld(pdf, page, naam, PARAAF_RECT, velden)
            namen.append(naam)
    return namen


def bewaar(pdf: pikepdf.Pdf, uit: Path, versie: str = "") -> None:
    """Write reproducibly (the /ID is a hash of the content, nothing depends on the clock), at least PDF `versie`."""
    # LibreOffice's random /ID (qpdf would keep its first half) and its PDF/A /DocChecksum of the raw file
    for sleutel in ("/ID", "/DocChecksum"):
        if sleutel in pdf.trailer:
            del pdf.trailer[sleutel]
    pdf.save(uit, deterministic_id=True, fix_metadata_version=False, min_version=versie)


def voltooi(pdf_in: Path, pdf_uit: Path, info: PdfInfo, pdfa: bool) -> list[str]:
    """Make one LibreOffice PDF signable and reproducible; returns the field names.

    Raises VeldFout (a signature block without its place), pikepdf.PdfError (an unreadable PDF), OSError.
    """
    with pikepdf.open(pdf_in) as pdf:
        namen = voeg_velden_toe(pdf, info, ankers(pdf))
        nederlands(pdf)
        spaties_in_tekstlaag(pdf)
        metadata(pdf, info.titel, info.datum, pdfa)
        bewaar(pdf, pdf_uit)
    return namen


def pdf_info(w: Weergave, datum: date) -> PdfInfo:
    """What the PDF stage needs of a resolved document: titles, signature blocks in order, paraaf pages."""
    doc = w.context["document"]
    return PdfInfo(
        id=doc["id"], titel=doc["titel"], versie=doc["versie"],
        korte_titel=f"Bijlage {doc['nummer']}" if doc["soort"] == "bijlage" and doc["nummer"] else doc["korte_titel"],
        looptijd=doc["looptijd"] or f"vanaf {doc['geldig_van']}", datum=datum,
        handtekeningen=[Handtekeningveld(b.veld, b.partij, b.anker) for b in w.blokken
                        if isinstance(b, rb.Handtekening)],
        paraaf=heeft_paraaf(w.blokken),
    )
