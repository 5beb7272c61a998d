"""Stable ids in the .docx: a bookmark around every block (artikel heading, lid, alinea, item,
table row, eis) and the document's origin as custom document properties.

Both survive editing in Word and LibreOffice (a bookmark is kept with the text it wraps; a
deleted paragraph takes its bookmarks with it) and neither shows on paper or in the PDF's
text. `contractgen wijzigingen importeer` (intake/word_lezen.py) reads them back.

Bookmarks are named `cg_<id>` with every character other than a letter or digit written as
`_` (Word allows letters, digits and `_`, at most 40 characters); a longer name becomes
`cg_h<hash>`. Two ids that give the same name: the first keeps the bookmark (`bladwijzer_namen`
is the one place that decides, for writer and reader alike).

Placement is by text, not by position in the template: each block is looked up, in order,
as the next paragraph or table whose text is the block's text, so template changes (frames,
extra paragraphs) do not shift the ids.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Iterable
from xml.sax.saxutils import escape

from lxml import etree

from contractgen.basis.tekst import BIDI_OPEN, ONGELDIGE_XML_TEKENS
from contractgen.resolve import blokken as rb

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PREFIX = "cg_"
MAX_NAAM = 40  # Word's limit for a bookmark name

# custom document properties (docProps/custom.xml): where the document came from
EIGENSCHAPPEN = ("document", "versie", "regio", "aanbieder", "peildatum")
CUSTOM_DEEL = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

# characters left out when comparing: bidi controls and what XML cannot hold (whitespace goes by split)
_WEG = str.maketrans({c: None for c in [*BIDI_OPEN, "\u202c", "\u2069", *map(chr, range(0, 32)), "\ufffe", "\uffff"]})
_TEKST = etree.XPath("string()")


def bladwijzer_naam(ident: str) -> str:
    naam = PREFIX + re.sub(r"[^A-Za-z0-9]", "_", ident)
    if len(naam) > MAX_NAAM:
        naam = PREFIX + "h" + hashlib.sha1(ident.encode("utf-8")).hexdigest()[:20]
    return naam


def bladwijzer_namen(ids: Iterable[str]) -> dict[str, str]:
    """id → bookmark name for the ids of one document, in order; a name already taken is left out."""
    namen: dict[str, str] = {}
    genomen: set[str] = set()
    for ident in ids:
        naam = bladwijzer_naam(ident)
        if ident in namen or naam in genomen:
            continue
        namen[ident] = naam
        genomen.add(naam)
    return namen


def ids_van(blokken: list[rb.Blok]) -> list[str]:
    """Every id the blocks carry, in document order (a table, then its rows)."""
    uit: list[str] = []
    for blok in blokken:
        ident = getattr(blok, "id", None)
        if ident:
            uit.append(ident)
        if isinstance(blok, rb.Tabel):
            uit += [r for r in blok.rij_ids if r]
    return uit


def vergelijkbaar(tekst: str) -> str:
    """Text as compared when placing and reading ids: without whitespace, tabs, breaks, bidi controls."""
    return "".join(tekst.translate(_WEG).split())


def blok_tekst(blok: rb.Blok) -> str:
    """The text of a block's paragraph as the template prints it (label/number before the text)."""
    if isinstance(blok, rb.Lid):
        return blok.nummer + blok.tekst
    if isinstance(blok, rb.Item):
        return blok.label + blok.tekst
    if isinstance(blok, rb.Voetnoot):
        return blok.nummer + blok.tekst
    return getattr(blok, "tekst", "")


def markeer(tree: etree._Element, blokken: list[rb.Blok]) -> int:
    """Wrap the paragraphs and table rows of every block with an id in a `cg_` bookmark; returns how many."""
    body = tree.find(f"{W}body")
    if body is None:
        return 0
    namen = bladwijzer_namen(ids_van(blokken))
    if not namen:
        return 0
    kandidaten = [el for el in body.iter(f"{W}p", f"{W}tbl") if not _in_tabel(el)]
    teksten: dict[int, str] = {}

    def tekst(i: int) -> str:
        if i not in teksten:
            teksten[i] = vergelijkbaar(_TEKST(kandidaten[i]))
        return teksten[i]

    volgende = _volgnummers(tree)
    aantal, cursor = 0, 0
    for blok in blokken:
        if isinstance(blok, (rb.Handtekening, rb.PaginaEinde)):
            continue
        eigen = namen.get(getattr(blok, "id", None) or "")
        rijen = [namen.get(r or "") for r in blok.rij_ids] if isinstance(blok, rb.Tabel) else []
        if not eigen and not any(rijen):
            continue
        if isinstance(blok, rb.Tabel):
            gezocht = vergelijkbaar("".join(c for rij in ([blok.kop] if blok.kop else []) + blok.rijen for c in rij))
            tag = f"{W}tbl"
        else:
            gezocht, tag = vergelijkbaar(blok_tekst(blok)), f"{W}p"
        gevonden = next((i for i in range(cursor, len(kandidaten))
                         if kandidaten[i].tag == tag and tekst(i) == gezocht), None)
        if gevonden is None:
            continue
        cursor = gevonden + 1
        el = kandidaten[gevonden]
        if eigen:
            _omsluit(el, eigen, next(volgende))
            aantal += 1
        if isinstance(blok, rb.Tabel) and any(rijen):
            trs = el.findall(f"{W}tr")[1 if blok.kop else 0:]
            if len(trs) == len(blok.rijen):
                for tr, naam in zip(trs, rijen):
                    if naam:
                        _omsluit(tr, naam, next(volgende))
                        aantal += 1
    return aantal


def _in_tabel(el: etree._Element) -> bool:
    ouder = el.getparent()
    while ouder is not None:
        if ouder.tag == f"{W}tbl":
            return True
        ouder = ouder.getparent()
    return False


def _volgnummers(tree: etree._Element):
    bestaand = [int(x) for x in tree.xpath("//w:bookmarkStart/@w:id", namespaces={"w": W[1:-1]})
                if str(x).isdigit()]
    n = max(bestaand, default=0) + 1
    while True:
        yield n
        n += 1


def _omsluit(el: etree._Element, naam: str, nummer: int) -> None:
    """A bookmark around paragraph `el`, or around the first paragraph of table or row `el`: a
    bookmark across cells is split by LibreOffice, one inside a cell is kept as it is."""
    p = el if el.tag == f"{W}p" else next(el.iter(f"{W}p"), None)
    if p is None:
        return
    start = etree.Element(f"{W}bookmarkStart", {f"{W}id": str(nummer), f"{W}name": naam})
    ppr = p.find(f"{W}pPr")
    p.insert(0 if ppr is None else p.index(ppr) + 1, start)
    etree.SubElement(p, f"{W}bookmarkEnd", {f"{W}id": str(nummer)})


# --- custom document properties --------------------------------------------------------


def eigenschappen(context: dict[str, Any]) -> bytes:
    """docProps/custom.xml naming document, versie, regio, aanbieder and peildatum (`contractgen.<naam>`)."""
    doc = context.get("document") or {}
    herkomst = context.get("herkomst") or {}
    waarden = {"document": doc.get("id", ""), "versie": doc.get("versie", ""), **herkomst}
    props = "".join(
        f'<property fmtid="{_FMTID}" pid="{i}" name="contractgen.{naam}"><vt:lpwstr>'
        f'{escape(ONGELDIGE_XML_TEKENS.sub("", str(waarden.get(naam, ""))))}</vt:lpwstr></property>'
        for i, naam in enumerate(EIGENSCHAPPEN, start=2))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"{props}</Properties>").encode("utf-8")


def met_eigenschappen(naam: str, data: bytes) -> bytes:
    """A template's [Content_Types].xml or _rels/.rels, extended to declare docProps/custom.xml."""
    xml = data.decode("utf-8")
    if naam == "[Content_Types].xml" and f'PartName="/{CUSTOM_DEEL}"' not in xml:
        xml = xml.replace("</Types>", f'<Override PartName="/{CUSTOM_DEEL}" ContentType="{_CUSTOM_TYPE}"/></Types>')
    elif naam == "_rels/.rels" and _CUSTOM_REL not in xml:
        xml = xml.replace("</Relationships>",
                          f'<Relationship Id="rIdContractgen" Type="{_CUSTOM_REL}" Target="{CUSTOM_DEEL}"/>'
                          "</Relationships>")
    return xml.encode("utf-8")
