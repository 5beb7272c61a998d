"""Read a .docx as a sequence of paragraphs and table rows, with tracked changes applied.

Text is what the document says once every tracked change is accepted: `w:ins`/`w:moveTo`
count, `w:del`/`w:moveFrom` do not; each tracked change is kept (author, date, text) so it can
be listed as adopted ("aangenomen"). Every character a jurist can type is read as the character
it is: a tab "\\t", a line break "\\n", a non-breaking hyphen (Ctrl+Shift+-, `w:noBreakHyphen`)
U+2011, a soft hyphen (`w:softHyphen`) U+00AD, a symbol (`w:sym`) its Unicode character. Content
controls (`w:sdt`) around paragraphs, rows, cells and runs are read for what they hold. A tracked
move (`w:moveFrom`/`w:moveTo`, paired by the name of their move range) takes the `cg_` bookmarks
of its old place to its new one, so a moved lid keeps its id. Word comments are kept with the
paragraph they stand in (`Opmerking`).

An allow-list (`_BEGREPEN`, `_OVERSLAAN`): what the reader does not know is never dropped. An
element outside it, a footnote or endnote, a drawing, a symbol from a symbol font, lands in the
paragraph's `onbekend` with what to do; the caller (word_toepassen) refuses the document naming
the place as the document prints it. `cg_` bookmarks (render/ankers.py) and the custom
properties `contractgen.*` are read as they are.

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


@dataclass(frozen=True)
class Opmerking:
    """A Word comment: who, when, what (it is kept with the paragraph or row it stands in)."""

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
    onbekend: list[str] = field(default_factory=list)  # what it holds that cannot be imported, and what to do
    opmerkingen: list[Opmerking] = field(default_factory=list)
    verhuizing: tuple[str, str] | None = None  # ("van" | "naar", move range name) of a tracked move


@dataclass
class Rij:
    cellen: list[str]
    ankers: list[str] = field(default_factory=list)
    wijzigingen: list[Wijziging] = field(default_factory=list)
    onbekend: list[str] = field(default_factory=list)
    opmerkingen: list[Opmerking] = field(default_factory=list)


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
            namen = set(z.namelist())

            def deel(naam: str) -> bytes:
                return z.read(naam) if naam in namen else b""

            document = z.read("word/document.xml")
            stijlen, custom = deel("word/styles.xml"), deel("docProps/custom.xml")
            notities = {"voetnoot": _notities(deel("word/footnotes.xml"), "footnote"),
                        "eindnoot": _notities(deel("word/endnotes.xml"), "endnote")}
            opmerkingen = _opmerkingen(deel("word/comments.xml"))
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
    lezer = _Lezer(stijl_namen, notities, opmerkingen)
    delen = list(lezer.delen(body))
    _verhuis_ankers(delen)
    return WordDocument(pad, eigenschappen, delen)


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


def _platte_tekst(el: etree._Element) -> str:
    return " ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in el.iter(f"{W}p")).strip()


def _notities(xml: bytes, soort: str) -> dict[str, str]:
    """Footnotes or endnotes: id → text (the separators Word always writes left out)."""
    if not xml:
        return {}
    return {n.get(f"{W}id", ""): _platte_tekst(n) for n in etree.fromstring(xml).iter(f"{W}{soort}")
            if n.get(f"{W}type") in (None, "normal")}


def _opmerkingen(xml: bytes) -> dict[str, Opmerking]:
    if not xml:
        return {}
    return {c.get(f"{W}id", ""): Opmerking(c.get(f"{W}author", ""), c.get(f"{W}date", ""), _platte_tekst(c))
            for c in etree.fromstring(xml).iter(f"{W}comment")}


def _kop_niveau(stijl: str) -> int:
    laag = stijl.lower()
    for woord in _KOP_STIJLEN:
        if laag.startswith(woord):
            rest = laag[len(woord):].strip()
            if rest.isdigit():
                return int(rest)
    return 1 if laag == "title" else 0


# --- the allow-list --------------------------------------------------------------------

_TEKENS = {"tab": "\t", "ptab": "\t", "cr": "\n", "noBreakHyphen": "\u2011", "softHyphen": "\u00ad"}
# read for what they hold (runs, text, changes)
_BEGREPEN = {"r", "t", "delText", "ins", "del", "moveFrom", "moveTo", "hyperlink", "smartTag", "customXml", "sdt",
             "sdtContent", "fldSimple", "dir", "bdo", "br", "sym", *_TEKENS}
# formatting, markers and field codes: nothing of the text is in them
_OVERSLAAN = {"pPr", "rPr", "sdtPr", "sdtEndPr", "customXmlPr", "smartTagPr", "proofErr", "lastRenderedPageBreak",
              "fldChar", "instrText", "delInstrText", "permStart", "permEnd", "commentRangeStart", "commentRangeEnd",
              "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd", "bookmarkStart",
              "bookmarkEnd", "annotationRef", "noProof", "customXmlInsRangeStart", "customXmlInsRangeEnd",
              "customXmlDelRangeStart", "customXmlDelRangeEnd", "customXmlMoveFromRangeStart",
              "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart", "customXmlMoveToRangeEnd"}
_UITLEG = {
    "drawing": "een afbeelding, tekstvak of vorm", "pict": "een afbeelding of tekstvak", "object": "een ingesloten object",
    "AlternateContent": "een afbeelding, tekstvak of vorm", "oMath": "een formule", "oMathPara": "een formule",
    "ruby": "Aziatische uitlijning (ruby)", "contentPart": "handschrift (inkt)", "pgNum": "een paginanummer",
    "footnoteReference": "een voetnoot", "endnoteReference": "een eindnoot", "subDoc": "een subdocument",
}


class _Lezer:
    """One pass over the body; state that spans paragraphs (open bookmarks, move ranges)."""

    def __init__(self, stijlen: dict[str, str], notities: dict[str, dict[str, str]],
                 opmerkingen: dict[str, Opmerking]):
        self.stijlen, self.notities, self.opmerkingen = stijlen, notities, opmerkingen
        self.open: dict[str, str] = {}  # bookmark w:id → name, for cg_ bookmarks not yet ended
        self.tussen: list[str] = []  # cg_ bookmarks that start between paragraphs (Word does that)
        self.positie = 0
        self.verhuizing: dict[str, tuple[str, str]] = {}  # open move ranges: w:id → ("van"|"naar", name)

    def delen(self, ouder: etree._Element):
        for el in ouder:
            tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
            if el.tag == f"{W}p":
                self.positie += 1
                alinea = self.alinea(el)
                self.tussen.clear()
                yield alinea
            elif el.tag == f"{W}tbl":
                rijen = [self.rij(tr) for tr in _rijen(el)]
                if rijen:
                    rijen[0].ankers[:0] = self.tussen
                self.tussen.clear()
                yield Tabel(rijen, self.positie)
            elif el.tag in (f"{W}sdt", f"{W}customXml"):  # a content control around paragraphs: what it holds
                inhoud = el.find(f"{W}sdtContent") if el.tag == f"{W}sdt" else el
                if inhoud is not None:
                    yield from self.delen(inhoud)
            elif el.tag in (f"{W}bookmarkStart", f"{W}bookmarkEnd"):
                self.bladwijzer(el, self.tussen)
            elif tag in ("moveFromRangeStart", "moveToRangeStart", "moveFromRangeEnd", "moveToRangeEnd"):
                self.bereik_verhuizing(el)

    def bladwijzer(self, el: etree._Element, ankers: list[str]) -> None:
        if el.tag == f"{W}bookmarkStart":
            naam = el.get(f"{W}name", "")
            if naam.startswith(PREFIX):
                self.open[el.get(f"{W}id", "")] = naam
                if naam not in ankers:
                    ankers.append(naam)
        else:
            self.open.pop(el.get(f"{W}id", ""), None)

    def bereik_verhuizing(self, el: etree._Element) -> None:
        tag = etree.QName(el).localname
        if tag.endswith("RangeStart"):
            self.verhuizing[el.get(f"{W}id", "")] = ("van" if tag.startswith("moveFrom") else "naar",
                                                     el.get(f"{W}name", ""))
        else:
            self.verhuizing.pop(el.get(f"{W}id", ""), None)

    def alinea(self, p: etree._Element) -> Alinea:
        stijl_el = p.find(f"{W}pPr/{W}pStyle")
        stijl = self.stijlen.get(stijl_el.get(f"{W}val", ""), stijl_el.get(f"{W}val", "")) \
            if stijl_el is not None else ""
        lopend = next((n for n in self.open.values() if n not in self.tussen), None)
        ankers: list[str] = list(self.tussen)
        a = Alinea("", stijl, _kop_niveau(stijl), ankers, positie=self.positie,
                   lijst=p.find(f"{W}pPr/{W}numPr") is not None)
        verhuizing = next(iter(self.verhuizing.values()), None)
        a.tekst = self.tekst(p, a)
        a.verhuizing = verhuizing or a.verhuizing
        a.verwijderd = not a.tekst.strip() and (p.find(f"{W}pPr/{W}rPr/{W}del") is not None
                                                or p.find(f"{W}pPr/{W}rPr/{W}moveFrom") is not None
                                                or any(w.soort == "verwijdering" for w in a.wijzigingen))
        a.open = None if ankers else lopend
        return a

    def rij(self, tr: etree._Element) -> Rij:
        r = Rij([])
        for tc in _cellen(tr):
            a = Alinea("")
            teksten = [self.tekst(p, a) for p in tc.iter(f"{W}p")]
            r.cellen.append("\n".join(teksten))
            r.ankers += [x for x in a.ankers if x not in r.ankers]
            r.wijzigingen += a.wijzigingen
            r.onbekend += a.onbekend
            r.opmerkingen += a.opmerkingen
        return r

    def tekst(self, p: etree._Element, a: Alinea) -> str:
        """The accepted text of one paragraph; collects into `a` its cg_ bookmarks, tracked changes,
        comments, a tracked move and what it cannot import."""
        delen: list[str] = []
        self._loop(p, a, delen, weg=False)
        return "".join(delen)

    def _loop(self, el: etree._Element, a: Alinea, delen: list[str], weg: bool) -> None:
        for kind in el:
            if not isinstance(kind.tag, str):
                continue  # an XML comment or processing instruction
            ns, tag = etree.QName(kind).namespace, etree.QName(kind).localname
            if ns != W[1:-1]:
                if ns in _OPMAAK_NS:
                    continue  # newer Word's formatting and ids (w14:, w15:): no text
                a.onbekend.append(f"{_UITLEG.get(tag, f'een onderdeel dat contractgen niet kent ({tag})')}; "
                                  "verwijder het of zet de inhoud als gewone tekst in de alinea")
                continue
            if tag in ("bookmarkStart", "bookmarkEnd"):
                self.bladwijzer(kind, a.ankers)
            elif tag in ("moveFromRangeStart", "moveToRangeStart", "moveFromRangeEnd", "moveToRangeEnd"):
                if tag.endswith("RangeStart"):
                    a.verhuizing = ("van" if tag.startswith("moveFrom") else "naar", kind.get(f"{W}name", ""))
                self.bereik_verhuizing(kind)
            elif tag == "commentReference":
                o = self.opmerkingen.get(kind.get(f"{W}id", ""))
                if o is not None:
                    a.opmerkingen.append(o)
            elif tag in ("footnoteReference", "endnoteReference"):
                soort = "voetnoot" if tag == "footnoteReference" else "eindnoot"
                tekst = self.notities[soort].get(kind.get(f"{W}id", ""), "")
                meervoud = {"voetnoot": "voetnoten", "eindnoot": "eindnoten"}[soort]
                a.onbekend.append(f"een {soort} ('{tekst[:60]}'); contractgen neemt geen Word-{meervoud} over: zet de "
                                  f"tekst in de alinea zelf (of als voetnoot-blok in de YAML) en verwijder de {soort}")
            elif tag in _OVERSLAAN:
                continue
            elif tag in ("ins", "del", "moveTo", "moveFrom"):
                soort = "invoeging" if tag in ("ins", "moveTo") else "verwijdering"
                binnen: list[str] = []
                self._loop(kind, a, binnen, weg=weg or soort == "verwijdering")
                inhoud = "".join(binnen) if soort == "invoeging" else _verwijderde_tekst(kind)
                if inhoud.strip():
                    a.wijzigingen.append(Wijziging(soort, kind.get(f"{W}author", ""), kind.get(f"{W}date", ""),
                                                   inhoud.replace("\t", " ")))
                if soort == "invoeging" and not weg:
                    delen += binnen
            elif tag == "t":
                if not weg:
                    delen.append(kind.text or "")
            elif tag in _TEKENS:
                if not weg:
                    delen.append(_TEKENS[tag])
            elif tag == "br":
                # a line break (Shift+Enter) is text; a page or column break is layout, not contract text
                if not weg and kind.get(f"{W}type") in (None, "textWrapping"):
                    delen.append("\n")
            elif tag == "sym":
                teken = _symbool(kind)
                if teken is None:
                    a.onbekend.append(f"een symbool uit het lettertype '{kind.get(f'{W}font', '')}' (teken "
                                      f"{kind.get(f'{W}char', '')}) dat geen gewoon teken is; kies het teken uit een "
                                      "gewoon lettertype (Invoegen > Symbool > normale tekst)")
                elif not weg:
                    delen.append(teken)
            elif tag == "delText":
                continue  # deleted text: listed with its change, not part of the text
            elif tag in _BEGREPEN:
                self._loop(kind, a, delen, weg)
            else:
                a.onbekend.append(f"{_UITLEG.get(tag, f'een Word-onderdeel dat contractgen niet kent (w:{tag})')}; "
                                  "verwijder het of zet de inhoud als gewone tekst in de alinea")


_OPMAAK_NS = {"http://schemas.microsoft.com/office/word/2010/wordml",
              "http://schemas.microsoft.com/office/word/2012/wordml",
              "http://schemas.microsoft.com/office/word/2015/wordml/symex",
              "http://schemas.microsoft.com/office/word/2016/wordml/cid",
              "http://schemas.microsoft.com/office/word/2018/wordml",
              "http://schemas.microsoft.com/office/word/2018/wordml/cex"}


def _verwijderde_tekst(el: etree._Element) -> str:
    return "".join(_TEKENS.get(etree.QName(t).localname, t.text or "")
                   for t in el.iter(f"{W}t", f"{W}delText", f"{W}tab", f"{W}noBreakHyphen", f"{W}softHyphen"))


def _symbool(el: etree._Element) -> str | None:
    """A w:sym as its character: a Unicode code point; None for a symbol font's private code (F000-F0FF)."""
    try:
        code = int(el.get(f"{W}char", ""), 16)
    except ValueError:
        return None
    if 0xF000 <= code <= 0xF0FF or code == 0 or not (0 < code < 0x110000) or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _rijen(tbl: etree._Element):
    """The rows of a table, also inside content controls (Word's repeating section: w:sdt around w:tr)."""
    for el in tbl:
        if el.tag == f"{W}tr":
            yield el
        elif el.tag in (f"{W}sdt", f"{W}customXml"):
            yield from _rijen(el.find(f"{W}sdtContent") if el.tag == f"{W}sdt" else el)


def _cellen(tr: etree._Element):
    for el in tr:
        if el.tag == f"{W}tc":
            yield el
        elif el.tag in (f"{W}sdt", f"{W}customXml"):
            inhoud = el.find(f"{W}sdtContent") if el.tag == f"{W}sdt" else el
            if inhoud is not None:
                yield from _cellen(inhoud)


def _verhuis_ankers(delen: list[Deel]) -> None:
    """A tracked move: the cg_ bookmarks of the old place (moveFrom) go to the new place (moveTo) of
    the same move range, paragraph by paragraph, so the moved lid keeps its id."""
    van: dict[str, list[Alinea]] = {}
    naar: dict[str, list[Alinea]] = {}
    for d in delen:
        if isinstance(d, Alinea) and d.verhuizing:
            (van if d.verhuizing[0] == "van" else naar).setdefault(d.verhuizing[1], []).append(d)
    for naam, oud in van.items():
        for a, b in zip([x for x in oud if x.ankers], naar.get(naam, [])):
            if not b.ankers:
                b.ankers, a.ankers = a.ankers, []
                b.open = None
