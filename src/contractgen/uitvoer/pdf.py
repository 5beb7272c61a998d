"""PDF finishing: signature fields, fixed metadata (byte-identical rebuilds), PDF/A, packages.

LibreOffice writes the pages; this module makes them signable and reproducible:
- an empty AcroForm `/Sig` field over the "Handtekening" cell of every signature
  block, and a paraaf field on every page of a prijsbijlage;
- Info and XMP metadata with a fixed date, and a `/ID` derived from the content;
- for PDF/A-2b the XMP `pdfaid` entries and the output intent, also after merging.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from contractgen import __version__
from contractgen.resolve import blokken as rb
from contractgen.resolve.weergave import Weergave

PRODUCER = f"contractgen {__version__} (LibreOffice)"
HANDTEKENING_LABEL = "Handtekening"
# The signature table spans the text width; the value column starts after the label column.
LINKER_MARGE = 62.4  # 2.2 cm in points
TEKSTBREEDTE = 480.0  # twips 9600 / 20


@dataclass
class Handtekeningveld:
    naam: str  # unique in the document, e.g. gemeenten_1
    partij: str  # gemeenten | opdrachtnemer


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


def _metadata(writer: PdfWriter, titel: str, d: date, pdfa: bool) -> None:
    """Fixed Info and XMP (they must agree for PDF/A) so that rebuilds are byte-identical."""
    info = DictionaryObject({
        NameObject("/Title"): TextStringObject(titel),
        NameObject("/Author"): TextStringObject("contractgen"),
        NameObject("/Creator"): TextStringObject("contractgen"),
        NameObject("/Producer"): TextStringObject(PRODUCER),
        NameObject("/CreationDate"): TextStringObject(_pdf_datum(d)),
        NameObject("/ModDate"): TextStringObject(_pdf_datum(d)),
    })
    writer._info = writer._add_object(info)
    stream = StreamObject()
    stream.set_data(_xmp(titel, d, pdfa))
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    bestaand = writer.root_object.get("/Metadata")
    if bestaand is not None and hasattr(bestaand, "idnum"):
        writer._replace_object(bestaand, stream)  # replace in place: no stale copy left in the file
    else:
        writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)
    _vaste_icc_datum(writer)


def _vaste_icc_datum(writer: PdfWriter) -> None:
    """LibreOffice writes today's date into the ICC profile of the output intent; fix it."""
    for intent in writer.root_object.get("/OutputIntents", []) or []:
        intent = intent.get_object()
        ref = intent.get("/DestOutputProfile")
        if ref is None:
            continue
        profiel = ref.get_object()
        data = bytearray(profiel.get_data())
        if len(data) < 128:
            continue
        data[24:36] = bytes(12)  # creation date/time in the ICC header
        data[84:100] = bytes(16)  # profile ID (an MD5 that covered the date): 0 = not computed
        nieuw = StreamObject()
        nieuw.set_data(bytes(data))
        for sleutel, waarde in profiel.items():
            if sleutel not in ("/Filter", "/Length", "/DecodeParms"):
                nieuw[NameObject(sleutel)] = waarde
        if hasattr(ref, "idnum"):
            writer._replace_object(ref, nieuw)
        else:
            intent[NameObject("/DestOutputProfile")] = writer._add_object(nieuw)


def _vaste_id(writer: PdfWriter, bron: bytes) -> None:
    digest = hashlib.md5(bron, usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])


def _posities(page, doel: str) -> list[tuple[float, float]]:
    """Where text `doel` is shown on a page, as (x, y) of its baseline start."""
    gevonden: list[tuple[float, float]] = []

    def bezoek(tekst, cm, tm, font, grootte):
        if tekst.strip() == doel:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            gevonden.append((x, y))

    page.extract_text(visitor_text=bezoek)
    return gevonden


def _leeg_uiterlijk(writer: PdfWriter, breedte: float, hoogte: float):
    # PDF/A wants an appearance for every visible widget: an empty form XObject.
    ap = StreamObject()
    ap.set_data(b"")
    ap.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(breedte), FloatObject(hoogte)]),
    })
    return writer._add_object(ap)


def _sig_veld(writer: PdfWriter, page, naam: str, rect: tuple[float, float, float, float], velden: ArrayObject) -> None:
    x0, y0, x1, y1 = rect
    veld = DictionaryObject({
        NameObject("/FT"): NameObject("/Sig"),
        NameObject("/T"): TextStringObject(naam),
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/F"): NumberObject(4),  # print
        NameObject("/Rect"): ArrayObject([FloatObject(round(v, 2)) for v in rect]),
        NameObject("/P"): page.indirect_reference,
        NameObject("/AP"): DictionaryObject({NameObject("/N"): _leeg_uiterlijk(writer, x1 - x0, y1 - y0)}),
    })
    ref = writer._add_object(veld)
    if "/Annots" not in page:
        page[NameObject("/Annots")] = ArrayObject()
    page["/Annots"].get_object().append(ref)
    velden.append(ref)


def _acroform(writer: PdfWriter) -> ArrayObject:
    root = writer.root_object
    if "/AcroForm" not in root:
        root[NameObject("/AcroForm")] = writer._add_object(DictionaryObject({NameObject("/Fields"): ArrayObject()}))
    return root["/AcroForm"].get_object()["/Fields"]


def voeg_velden_toe(writer: PdfWriter, pagina_van: int, pagina_tot: int, info: PdfInfo, prefix: str = "") -> list[str]:
    """Signature fields over every 'Handtekening' cell and paraaf fields; returns the field names."""
    velden = _acroform(writer)
    namen: list[str] = []
    volgende = iter(info.handtekeningen)
    for index in range(pagina_van, pagina_tot):
        page = writer.pages[index]
        for x, y in sorted(_posities(page, HANDTEKENING_LABEL), key=lambda p: (-p[1], p[0])):
            veld = next(volgende, None)
            if veld is None:
                break
            waarde_x = max(x + 90, LINKER_MARGE + TEKSTBREEDTE * 0.35)
            naam = f"{prefix}{veld.naam}"
            _sig_veld(writer, page, naam, (waarde_x, y - 16, LINKER_MARGE + TEKSTBREEDTE - 4, y + 10), velden)
            namen.append(naam)
        if info.paraaf:
            breedte = float(page.mediabox.width)
            naam = f"{prefix}paraaf_p{index - pagina_van + 1}"
            _sig_veld(writer, page, naam, (breedte - 150, 20, breedte - 40, 52), velden)
            namen.append(naam)
    return namen


def voltooi(pdf_in: Path, pdf_uit: Path, info: PdfInfo, pdfa: bool, bron: bytes) -> list[str]:
    """Make one LibreOffice PDF signable and reproducible; `bron` (the .docx bytes) seeds the /ID."""
    reader = PdfReader(str(pdf_in))
    writer = PdfWriter(clone_from=reader)
    namen = voeg_velden_toe(writer, 0, len(writer.pages), info)
    _metadata(writer, info.titel, info.datum, pdfa)
    _vaste_id(writer, bron + (b"pdfa" if pdfa else b""))
    with open(pdf_uit, "wb") as f:
        writer.write(f)
    return namen


def voeg_samen(omslag: Path | None, delen: list[tuple[Path, PdfInfo]], uit: Path, titel: str,
               datum: date, pdfa: bool) -> list[str]:
    """One contractpakket.pdf: cover, then every document with bookmarks, page labels and fields.

    `delen` are LibreOffice's raw PDFs (without fields) so that field names stay unique.
    """
    writer = PdfWriter()
    output_intents = None
    if omslag is not None:
        reader = PdfReader(str(omslag))
        writer.append(reader, outline_item="Inhoud van dit pakket", import_outline=False)
        writer.set_page_label(0, len(writer.pages) - 1, style="/r")
        output_intents = reader.trailer["/Root"].get("/OutputIntents")
    namen: list[str] = []
    bron = hashlib.sha256()
    for pad, info in delen:
        reader = PdfReader(str(pad))
        if output_intents is None:
            output_intents = reader.trailer["/Root"].get("/OutputIntents")
        start = len(writer.pages)
        writer.append(reader, outline_item=f"{info.titel} (versie {info.versie})", import_outline=True)
        eind = len(writer.pages)
        writer.set_page_label(start, eind - 1, style="/D", prefix=f"{_label(info.korte_titel)} ", start=1)
        namen += voeg_velden_toe(writer, start, eind, info, prefix=f"{_veldnaam(info.id)}_")
        bron.update(info.id.encode() + b"\0" + info.versie.encode())
        for page in reader.pages:
            bron.update(page.get_contents().get_data() if page.get_contents() else b"")
    if pdfa and output_intents is not None:
        writer.root_object[NameObject("/OutputIntents")] = _kopieer(writer, output_intents)
    _metadata(writer, titel, datum, pdfa)
    _vaste_id(writer, bron.digest())
    with open(uit, "wb") as f:
        writer.write(f)
    return namen


def _kopieer(writer: PdfWriter, obj):
    return obj.get_object().clone(writer) if hasattr(obj, "get_object") else obj.clone(writer)


def _label(tekst: str) -> str:
    return re.sub(r"\s+", " ", tekst).strip()[:40]


def _veldnaam(tekst: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", tekst)


def pdf_info(w: Weergave, datum: date) -> PdfInfo:
    """What the PDF stage needs of a resolved document: titles, signature blocks in order, paraaf pages."""
    doc = w.context["document"]
    return PdfInfo(
        id=doc["id"], titel=doc["titel"], versie=doc["versie"],
        korte_titel=f"Bijlage {doc['nummer']}" if doc["soort"] == "bijlage" and doc["nummer"] else doc["korte_titel"],
        looptijd=doc["looptijd"] or f"vanaf {doc['geldig_van']}", datum=datum,
        handtekeningen=[Handtekeningveld(b.veld, b.partij) for b in w.blokken if isinstance(b, rb.Handtekening)],
        paraaf=any(isinstance(b, rb.Kop) and b.arrangement for b in w.blokken),
    )
