"""Read a .docx as a sequence of paragraphs and table rows, with tracked changes applied.

Text is what the document says once every tracked change is accepted: `w:ins`/`w:moveTo`
count, `w:del`/`w:moveFrom` do not; each tracked change is kept (author, date, text) so it can
be listed as proposed. Tabs become "\\t", line breaks "\\n". `cg_` bookmarks (render/ankers.py)
and the custom properties `contractgen.*` are read as they are.

Refusals (`WordFout`): not a Word file, a corrupt one, one protected with a password.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from contractgen.basis.problemen import Weigering
from contractgen.basis.veilig import MB, Onveilig, TeGroot, controleer_zip, lees_begrensd, lees_xml
from contractgen.render.ankers import PREFIX

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CP = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .docx is an OLE compound file
_KOP_STIJLEN = ("heading", "kop")


MAX_DOCX = 100 * MB  # the .docx file (contracts with images are a few MB)
MAX_UITGEPAKT = 200 * MB  # all its parts unpacked (images do not shrink when packed)
MAX_DOCUMENT_XML = 25 * MB  # the text: a 300-page contract is about 5 MB; lxml needs ~10 times that in memory


class WordFout(Weigering):
    """A .docx that cannot be read; names the file."""


@dataclass(frozen=True)
class Wijziging:
    """One tracked change: `soort` is invoeging or verwijdering."""

    soort: str
    auteur: str
    datum: str
    tekst: str


@dataclass
class Alinea:
    """A paragraph: `ankers` are the cg_ bookmark names that start in it; `open` the cg_ bookmark
    that began in an earlier paragraph and still runs (Enter pressed inside a lid); `kop` the
    heading level of its style (0: none); `positie` its 1-based number among the paragraphs."""

    tekst: str
    stijl: str = ""
    kop: int = 0
    ankers: list[str] = field(default_factory=list)
    open: str | None = None
    wijzigingen: list[Wijziging] = field(default_factory=list)
    positie: int = 0
    lijst: bool = False  # a numbered or bulleted paragraph (w:numPr)
    verwijderd: bool = False  # deleted as a tracked change: no text left, and its mark or its text deleted


@dataclass
class Rij:
    cellen: list[str]
    ankers: list[str] = field(default_factory=list)
    wijzigingen: list[Wijziging] = field(default_factory=list)


@dataclass
class Tabel:
    rijen: list[Rij]
    positie: int = 0  # the number of the paragraph before it (for messages)

    @property
    def ankers(self) -> list[str]:
        return [a for r in self.rijen for a in r.ankers]


Deel = Alinea | Tabel


@dataclass
class WordDocument:
    pad: Path
    eigenschappen: dict[str, str]  # contractgen.<naam> → value, without the prefix
    delen: list[Deel]

    @property
    def ankers(self) -> set[str]:
        return {a for d in self.delen for a in d.ankers}


def lees(pad: Path, inhoud: bytes | None = None) -> WordDocument:
    """Read `pad` (or `inhoud`, the bytes of a .docx, named `pad` in messages); raises WordFout for
    anything that is not a readable, unprotected .docx."""
    try:
        if inhoud is None:
            inhoud = lees_begrensd(pad, MAX_DOCX)  # a regular file, its size checked before it is read
    except TeGroot as exc:
        raise WordFout(f"{pad}: het Word-bestand is te groot ({exc.grootte / MB:.0f} MB); verwacht hoogstens "
                       f"{MAX_DOCX // MB} MB", str(pad)) from None
    except Onveilig as exc:
        raise WordFout(f"{pad}: {exc}", str(pad)) from None
    except OSError as exc:
        raise WordFout(f"{pad}: kan het bestand niet lezen: {exc.strerror or exc}", str(pad)) from exc
    kop = inhoud[:8]
    if kop == _OLE:
        raise WordFout(f"{pad}: het document is beveiligd met een wachtwoord (of is een oud .doc-bestand); "
                       "sla het op als .docx zonder wachtwoord en probeer het opnieuw", str(pad))
    try:
        # declared sizes, ratios and DTDs before anything is unpacked (a 1 MB bomb of 1 GB is refused here)
        controleer_zip(io.BytesIO(inhoud), MAX_UITGEPAKT, "Word-bestand", {"word/document.xml": MAX_DOCUMENT_XML})
        with zipfile.ZipFile(io.BytesIO(inhoud)) as z:
            document = z.read("word/document.xml")
            stijlen = z.read("word/styles.xml") if "word/styles.xml" in z.namelist() else b""
            custom = z.read("docProps/custom.xml") if "docProps/custom.xml" in z.namelist() else b""
        root = lees_xml(document, "word/document.xml")
        stijl_namen = _stijlen(stijlen)
        eigenschappen = _eigenschappen(custom)
    except Onveilig as exc:
        raise WordFout(f"{pad}: {exc}", str(pad)) from None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, zipfile.LargeZipFile) as exc:
        raise WordFout(f"{pad}: geen geldig of een beschadigd Word-bestand (.docx): {exc}", str(pad)) from exc
    body = root.find(f"{W}body")
    if body is None:
        raise WordFout(f"{pad}: geen geldig Word-bestand (.docx): het document heeft geen inhoud", str(pad))
    return WordDocument(pad, eigenschappen, list(_delen(body, stijl_namen)))


def _stijlen(xml: bytes) -> dict[str, str]:
    if not xml:
        return {}
    root = lees_xml(xml, "word/styles.xml")
    uit = {}
    for s in root.iter(f"{W}style"):
        naam = s.find(f"{W}name")
        uit[s.get(f"{W}styleId", "")] = naam.get(f"{W}val", "") if naam is not None else ""
    return uit


def _eigenschappen(xml: bytes) -> dict[str, str]:
    if not xml:
        return {}
    uit = {}
    for prop in lees_xml(xml, "docProps/custom.xml").iter(f"{_CP}property"):
        naam = prop.get("name", "")
        if naam.startswith("contractgen."):
            uit[naam[len("contractgen."):]] = "".join(prop.itertext()).strip()
    return uit


def _kop_niveau(stijl: str) -> int:
    laag = stijl.lower()
    for woord in _KOP_STIJLEN:
        if laag.startswith(woord):
            rest = laag[len(woord):].strip()
            if rest.isdigit():
                return int(rest)
    return 1 if laag == "title" else 0


def _delen(body: etree._Element, stijlen: dict[str, str], open_: dict[str, str] | None = None,
           tussen: list[str] | None = None, positie: list[int] | None = None):
    open_ = {} if open_ is None else open_  # bookmark w:id → name, for cg_ bookmarks not yet ended
    tussen = [] if tussen is None else tussen  # cg_ bookmarks that start between paragraphs (Word does that)
    positie = [0] if positie is None else positie
    for el in body:
        if el.tag == f"{W}p":
            positie[0] += 1
            alinea = _alinea(el, stijlen, open_, positie[0], tussen)
            tussen.clear()
            yield alinea
        elif el.tag == f"{W}tbl":
            rijen = [_rij(tr, open_) for tr in el.findall(f"{W}tr")]
            if rijen:
                rijen[0].ankers[:0] = tussen
            tussen.clear()
            yield Tabel(rijen, positie[0])
        elif el.tag == f"{W}sdt":  # a content control around paragraphs: read what it holds
            inhoud = el.find(f"{W}sdtContent")
            if inhoud is not None:
                yield from _delen(inhoud, stijlen, open_, tussen, positie)
        elif el.tag in (f"{W}bookmarkStart", f"{W}bookmarkEnd"):
            _bladwijzer(el, open_, tussen)


def _bladwijzer(el: etree._Element, open_: dict[str, str], ankers: list[str]) -> None:
    if el.tag == f"{W}bookmarkStart":
        naam = el.get(f"{W}name", "")
        if naam.startswith(PREFIX):
            open_[el.get(f"{W}id", "")] = naam
            if naam not in ankers:
                ankers.append(naam)
    else:
        open_.pop(el.get(f"{W}id", ""), None)


def _alinea(p: etree._Element, stijlen: dict[str, str], open_: dict[str, str], positie: int,
            tussen: list[str]) -> Alinea:
    stijl_el = p.find(f"{W}pPr/{W}pStyle")
    stijl = stijlen.get(stijl_el.get(f"{W}val", ""), stijl_el.get(f"{W}val", "")) if stijl_el is not None else ""
    lopend = next((n for n in open_.values() if n not in tussen), None)
    ankers: list[str] = list(tussen)
    wijzigingen: list[Wijziging] = []
    tekst = _tekst(p, open_, ankers, wijzigingen)
    weg = not tekst.strip() and (p.find(f"{W}pPr/{W}rPr/{W}del") is not None
                                 or any(w.soort == "verwijdering" for w in wijzigingen))
    return Alinea(tekst, stijl, _kop_niveau(stijl), ankers, None if ankers else lopend, wijzigingen, positie,
                  p.find(f"{W}pPr/{W}numPr") is not None, weg)


def _rij(tr: etree._Element, open_: dict[str, str]) -> Rij:
    ankers: list[str] = []
    wijzigingen: list[Wijziging] = []
    cellen = []
    for tc in tr.findall(f"{W}tc"):
        cellen.append("\n".join(_tekst(p, open_, ankers, wijzigingen) for p in tc.iter(f"{W}p")))
    return Rij(cellen, ankers, wijzigingen)


def _tekst(p: etree._Element, open_: dict[str, str], ankers: list[str], wijzigingen: list[Wijziging]) -> str:
    """The accepted text of one paragraph; collects its cg_ bookmarks and tracked changes."""
    delen: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag in (f"{W}bookmarkStart", f"{W}bookmarkEnd"):
            _bladwijzer(el, open_, ankers)
        elif tag in (f"{W}ins", f"{W}del", f"{W}moveTo", f"{W}moveFrom"):
            soort = "invoeging" if tag in (f"{W}ins", f"{W}moveTo") else "verwijdering"
            inhoud = "".join(" " if t.tag == f"{W}tab" else t.text or ""
                             for t in el.iter(f"{W}t", f"{W}delText", f"{W}tab"))
            if inhoud.strip():
                wijzigingen.append(Wijziging(soort, el.get(f"{W}author", ""), el.get(f"{W}date", ""), inhoud))
        elif tag == f"{W}t":
            if not _verwijderd(el, p):
                delen.append(el.text or "")
        elif tag == f"{W}tab" and el.getparent() is not None and el.getparent().tag == f"{W}r":
            if not _verwijderd(el, p):
                delen.append("\t")
        elif tag in (f"{W}br", f"{W}cr") and el.get(f"{W}type") in (None, "textWrapping"):
            if not _verwijderd(el, p):
                delen.append("\n")
    return "".join(delen)


def _verwijderd(el: etree._Element, p: etree._Element) -> bool:
    ouder = el.getparent()
    while ouder is not None and ouder is not p:
        if ouder.tag in (f"{W}del", f"{W}moveFrom"):
            return True
        ouder = ouder.getparent()
    return False
