"""PDF finishing: signature fields, fixed metadata (byte-identical rebuilds), PDF/A, packages.

LibreOffice writes the pages; this module makes them signable and reproducible:
- an empty AcroForm `/Sig` field over the signing row of every signature block, placed at
  the named destination LibreOffice exports for the bookmark the template puts in that row
  (never by searching text); the build fails if a block has no such place;
- a paraaf field over the paraaf box in the footer of every page of a prijsbijlage;
- Info and XMP metadata with a fixed date, and a `/ID` derived from the content;
- for PDF/A-2b the XMP `pdfaid` entries and the output intent, also after merging.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast
from xml.sax.saxutils import escape as xml_escape

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
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
from contractgen.resolve.weergave import Weergave, heeft_paraaf

PRODUCER = f"contractgen {__version__} (LibreOffice)"
# The signature table spans the text width (templates/document.docx, render._schik_tabellen).
LINKER_MARGE = 62.4  # 2.2 cm in points
TEKSTBREEDTE = 480.0  # twips 9600 / 20
TEKENRIJ_HOOGTE = 43.0  # points (15.2 mm): the field; the template's signing row is 15.5 mm (44 pt) at least
# The paraaf box in the footer (templates/document.docx: 4 cm at the right margin, footer 1.0 cm from the
# page edge), below its label "Paraaf opdrachtnemer:"; tests/test_pagina.py checks it against the PDF.
PARAAF_RECT = (413.0, 32.0, 533.0, 53.0)


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


def ankers(reader: PdfReader) -> dict[str, tuple[int, float, float]]:
    """Named destinations of a LibreOffice PDF: name → (page index, left, top).

    LibreOffice writes a Word bookmark as a named destination (ExportBookmarksToPDFDestination)
    at the top-left of the line that holds it.
    """
    uit = {}
    for naam, dest in reader.named_destinations.items():
        try:
            pagina = reader.get_destination_page_number(dest)
        except (TypeError, ValueError, KeyError):
            continue
        if pagina is None or pagina < 0 or dest.left is None or dest.top is None:
            continue  # a destination without a place on a page: no field can go there
        uit[str(naam).lstrip("/")] = (pagina, float(dest.left), float(dest.top))
    return uit


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
    return cast(ArrayObject, _woordenboek(root["/AcroForm"])["/Fields"])


def voeg_velden_toe(writer: PdfWriter, pagina_van: int, pagina_tot: int, info: PdfInfo,
                    plaatsen: dict[str, tuple[int, float, float]], prefix: str = "") -> list[str]:
    """A signature field in the signing row of every signature block, and paraaf fields; returns the names.

    `plaatsen` are the named destinations of this document's own PDF (page index within the document).
    Raises VeldFout when a block has no place, so that a package is never missing a field.
    """
    velden = _acroform(writer)
    namen: list[str] = []
    ontbreekt = [v.naam for v in info.handtekeningen if v.anker not in plaatsen]
    if ontbreekt:
        raise VeldFout(f"{info.titel}: {len(info.handtekeningen)} handtekeningblok(ken), maar "
                       f"{len(info.handtekeningen) - len(ontbreekt)} plaats(en) voor een handtekeningveld in de PDF; "
                       f"zonder plaats: {', '.join(ontbreekt)} (staat de bladwijzer van de tekenrij in het sjabloon?)")
    for veld in info.handtekeningen:
        pagina, links, boven = plaatsen[veld.anker]
        page = writer.pages[pagina_van + pagina]
        naam = f"{prefix}{veld.naam}"
        # inside the row: from its top down 15 mm, from the value cell to the table's right edge
        _sig_veld(writer, page, naam, (links - 2, boven - TEKENRIJ_HOOGTE, LINKER_MARGE + TEKSTBREEDTE - 8,
                                       boven), velden)
        namen.append(naam)
    if len(namen) != len(info.handtekeningen):
        raise VeldFout(f"{info.titel}: {len(namen)} handtekeningvelden voor {len(info.handtekeningen)} blokken")
    if info.paraaf:
        for index in range(pagina_van, pagina_tot):
            naam = f"{prefix}paraaf_p{index - pagina_van + 1}"
            _sig_veld(writer, writer.pages[index], naam, PARAAF_RECT, velden)
            namen.append(naam)
    return namen


def _woordenboek(obj: Any) -> DictionaryObject:
    """The dictionary behind a (possibly indirect) PDF object; pypdf types it as any PdfObject."""
    obj = obj.get_object()
    assert isinstance(obj, DictionaryObject), f"verwacht een PDF-dictionary, niet {type(obj).__name__}"
    return obj


def _getallen(boom: Any) -> list[Any]:
    """The [key, value, ...] pairs of a number tree (/Nums, or /Kids of number trees)."""
    boom = boom.get_object()
    uit = list(boom.get("/Nums", []))
    for kind in boom.get("/Kids", []):
        uit += _getallen(kind)
    return uit


class _Structuur:
    """The tag structure of a merged package: every part's structure elements under one /StructTreeRoot.

    Each part's pages and annotations number their entries in the part's /ParentTree from 0;
    in the package they are shifted by the keys of the parts before, so text stays tagged.
    """

    def __init__(self, writer: PdfWriter):
        self.writer = writer
        self.wortel = None  # the first part's cloned /StructTreeRoot becomes the package's
        self.kinderen = ArrayObject()
        self.getallen = ArrayObject()
        self.rollen = DictionaryObject()
        self.volgende = 0

    def voeg_toe(self, reader: PdfReader, start: int) -> None:
        bron = _woordenboek(reader.trailer["/Root"]).get("/StructTreeRoot")
        if bron is None:
            return
        kloon = bron.get_object().clone(self.writer)  # pages were cloned by append: /Pg points at them
        verschuiving = self.volgende
        paren = _getallen(kloon["/ParentTree"]) if "/ParentTree" in kloon else []
        hoogste = -1
        for i in range(0, len(paren) - 1, 2):
            sleutel = int(cast(NumberObject, paren[i]))
            hoogste = max(hoogste, sleutel)
            self.getallen += [NumberObject(sleutel + verschuiving), paren[i + 1]]
        for page, bronpagina in zip(self.writer.pages[start:start + len(reader.pages)], reader.pages):
            if "/StructParents" in bronpagina:  # append leaves it out
                page[NameObject("/StructParents")] = NumberObject(int(cast(NumberObject, bronpagina["/StructParents"])) + verschuiving)
            for annot in page.get("/Annots", []) or []:
                annot = annot.get_object()
                if "/StructParent" in annot:
                    annot[NameObject("/StructParent")] = NumberObject(int(annot["/StructParent"]) + verschuiving)
        self.volgende = max(self.volgende + hoogste + 1, int(kloon.get("/ParentTreeNextKey", 0)) + verschuiving)
        kinderen = kloon.get("/K", ArrayObject())
        kinderen = kinderen if isinstance(kinderen.get_object(), list) else ArrayObject([kinderen])
        self.kinderen += list(cast(ArrayObject, kinderen.get_object()))
        for naam, rol in (kloon.get("/RoleMap") or DictionaryObject()).items():
            self.rollen[NameObject(naam)] = rol
        if self.wortel is None and "/ParentTree" in kloon and kloon.indirect_reference is not None:
            self.wortel = kloon

    def schrijf(self) -> None:
        """Put the merged structure in the catalog (the other parts' cloned roots stay behind, unreferenced)."""
        if self.wortel is None or not self.kinderen:
            return
        boom = self.wortel
        boom[NameObject("/K")] = self.kinderen
        parent_tree = boom["/ParentTree"].get_object()
        parent_tree.pop(NameObject("/Kids"), None)
        parent_tree[NameObject("/Nums")] = self.getallen
        boom[NameObject("/ParentTreeNextKey")] = NumberObject(self.volgende)
        if self.rollen:
            boom[NameObject("/RoleMap")] = self.rollen
        for kind in self.kinderen:
            kind.get_object()[NameObject("/P")] = boom.indirect_reference
        root = self.writer.root_object
        root[NameObject("/StructTreeRoot")] = boom.indirect_reference
        root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})


def _nederlands(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/Lang")] = TextStringObject("nl-NL")


_HARDE_SPATIE = re.compile(rb"<00[aA]0>")


def _spaties_in_tekstlaag(writer: PdfWriter) -> None:
    """Copy and search see plain spaces again.

    The no-break spaces of "€ 25.000,00" (render.vaste_spaties) share the space glyph in LibreOffice's
    font subsets, so its /ToUnicode maps *every* space of that font to U+00A0. The layout is done;
    in the text layer U+0020 is what a reader expects.
    """
    gezien: set[int] = set()
    for page in writer.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            ref = font.get_object().get("/ToUnicode") if hasattr(font, "get_object") else None
            if ref is None or getattr(ref, "idnum", None) in gezien:
                continue
            gezien.add(getattr(ref, "idnum", id(ref)))
            stream = ref.get_object()
            data = stream.get_data()
            if _HARDE_SPATIE.search(data):
                stream.set_data(_HARDE_SPATIE.sub(b"<0020>", data))


def voltooi(pdf_in: Path, pdf_uit: Path, info: PdfInfo, pdfa: bool, bron: bytes) -> list[str]:
    """Make one LibreOffice PDF signable and reproducible; `bron` (the .docx bytes) seeds the /ID."""
    reader = PdfReader(str(pdf_in))
    writer = PdfWriter(clone_from=reader)
    namen = voeg_velden_toe(writer, 0, len(writer.pages), info, ankers(reader))
    _nederlands(writer)
    _spaties_in_tekstlaag(writer)
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
    structuur = _Structuur(writer)
    output_intents = None
    if omslag is not None:
        reader = PdfReader(str(omslag))
        writer.append(reader, outline_item="Inhoud van dit pakket", import_outline=False)
        structuur.voeg_toe(reader, 0)
        writer.set_page_label(0, len(writer.pages) - 1, style=PageLabelStyle.LOWERCASE_ROMAN)
        output_intents = _woordenboek(reader.trailer["/Root"]).get("/OutputIntents")
    namen: list[str] = []
    bron = hashlib.sha256()
    for pad, info in delen:
        reader = PdfReader(str(pad))
        if output_intents is None:
            output_intents = _woordenboek(reader.trailer["/Root"]).get("/OutputIntents")
        start = len(writer.pages)
        writer.append(reader, outline_item=f"{info.titel} (versie {info.versie})", import_outline=True)
        eind = len(writer.pages)
        structuur.voeg_toe(reader, start)
        writer.set_page_label(start, eind - 1, style=PageLabelStyle.DECIMAL, prefix=f"{_label(info.korte_titel)} ", start=1)
        namen += voeg_velden_toe(writer, start, eind, info, ankers(reader), prefix=f"{_veldnaam(info.id)}_")
        bron.update(info.id.encode() + b"\0" + info.versie.encode())
        for page in reader.pages:
            inhoud = page.get_contents()
            bron.update(inhoud.get_data() if inhoud is not None else b"")
    structuur.schrijf()
    _nederlands(writer)
    _spaties_in_tekstlaag(writer)
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
        handtekeningen=[Handtekeningveld(b.veld, b.partij, b.anker) for b in w.blokken
                        if isinstance(b, rb.Handtekening)],
        paraaf=heeft_paraaf(w.blokken),
    )
