"""A redline: the new version as a Word document with real tracked changes.

Every change is a `w:ins` or `w:del` (deleted text in `w:delText`) by the given
author (`--auteur`), dated the day the redline is made, so Word and LibreOffice
offer each change to accept or reject. Exact by construction: accepting every
change gives the new text, rejecting every change the old text, character for
character, as the built documents print it (diff/blokregels.py reads the text through
render's `gedrukte_tekst`: no-break spaces, the tab after a list marker). An inserted or
deleted lid or article also marks its paragraph mark, so rejecting or accepting it leaves
no empty paragraph; after a paragraph that ends in an insertion, the new paragraphs' break
is marked on that paragraph instead (`_breuk_voor_invoeging`), as Word itself writes it
when Enter is pressed at the end of a paragraph (LibreOffice would otherwise join the
paragraph to the heading after the insertion on Reject All). A lid that moved is a move
(`w:moveFrom` at its old place, `w:moveTo` at its new place, both in a named move range),
so rejecting it puts it back. A renumbered lid or article is a change of its number only;
the hanging indent fits the widest number shown, so a renumbering does not shift the
text. Articles are Heading 2, leden normal paragraphs with the number in bold, tables
real tables with tracked rows. A cover under the title (style Subtitle, not tracked)
names both sides, the author and the date.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from lxml import etree
from docx.oxml.ns import qn
from docx.shared import Cm

from contractgen.basis.atomisch import schrijf_atomisch
from contractgen.basis.problemen import DataFout, Probleem
from contractgen.basis.tekst import ONGELDIGE_XML_TEKENS
from contractgen.diff.blokregels import drukvorm
from contractgen.diff.model import (
    ArtikelVerschil,
    Deel,
    DocumentVerschil,
    LidVerschil,
    RegelVerschil,
    Vergelijking,
)
from contractgen.diff.woorden import woorden
from contractgen.render.docx import VASTE_TIJD

AUTEUR = "contractgen"
OMSLAG = "Subtitle"  # the style of the cover paragraphs: not part of either version
STIJL = {"hoofdstuk": "Heading 1", "kop": "Heading 2", "subkop": "Heading 3"}
TABELRIJ = ("rij", "tabelkop")


@dataclass
class Redline:
    """What was written: the file and how many changes it tracks."""

    pad: Path
    invoegingen: int = 0
    verwijderingen: int = 0
    verplaatsingen: int = 0  # leden marked as moved (w:moveFrom/w:moveTo pairs)


class _Schrijver:
    def __init__(self, datum: date, auteur: str, hangend: float = 1.25):
        self.doc = docx.Document()
        self.datum = f"{datum.isoformat()}T00:00:00Z"
        self.auteur = auteur
        self.hangend = hangend
        self.volgnummer = 0
        self.telling = {"+": 0, "-": 0}
        self.verhuizingen: dict[str, str] = {}  # lid id → the name of its move range

    # --- tracked-change XML -------------------------------------------------------

    def _markering(self, soort: str, tag: str | None = None):
        self.volgnummer += 1
        el = OxmlElement(tag or _TAG[soort])
        el.set(qn("w:id"), str(self.volgnummer))
        el.set(qn("w:author"), self.auteur)
        el.set(qn("w:date"), self.datum)
        return el

    def _verhuisbereik(self, alinea, soort: str, lid_id: str) -> None:
        """Put the paragraph's content in a named move range (moveFrom '<' or moveTo '>')."""
        naam = self.verhuizingen.setdefault(lid_id, f"cg_verplaatst_{len(self.verhuizingen) + 1}")
        wat = "moveFrom" if soort == "<" else "moveTo"
        begin = self._markering(soort, f"w:{wat}RangeStart")
        begin.set(qn("w:name"), naam)
        einde = OxmlElement(f"w:{wat}RangeEnd")
        einde.set(qn("w:id"), begin.get(qn("w:id")))
        ppr = alinea._p.find(qn("w:pPr"))
        (ppr.addnext if ppr is not None else lambda el: alinea._p.insert(0, el))(begin)
        alinea._p.append(einde)

    def _run(self, ouder, soort: str, tekst: str, vet: bool = False) -> None:
        r = OxmlElement("w:r")
        if vet:
            rpr = OxmlElement("w:rPr")
            rpr.append(OxmlElement("w:b"))
            r.append(rpr)
        tekst = ONGELDIGE_XML_TEKENS.sub("", tekst)
        for i, regel in enumerate(tekst.split("\n")):
            if i:
                r.append(OxmlElement("w:br"))
            for j, stuk in enumerate(regel.split("\t")):
                if j:
                    r.append(OxmlElement("w:tab"))
                if stuk:
                    t = OxmlElement("w:delText" if soort == "-" else "w:t")  # moved-away text stays w:t
                    t.set(qn("xml:space"), "preserve")
                    t.text = stuk
                    r.append(t)
        if soort == "=":
            ouder.append(r)
            return
        if soort in "+-":  # moves are counted per lid (verhuizingen)
            self.telling[soort] += 1
        omhulsel = self._markering(soort)
        omhulsel.append(r)
        ouder.append(omhulsel)

    def _alinea_teken(self, alinea, soort: str) -> None:
        """Mark the paragraph mark itself as inserted/deleted (last child of w:pPr: schema order)."""
        rpr = OxmlElement("w:rPr")
        rpr.append(self._markering(soort))
        alinea._p.get_or_add_pPr().append(rpr)

    def alinea(self, stijl: str, stukken: list[tuple[list[Deel], dict]], heel: str | None = None,
               inspringing: float = 0, hangend: float = 0):
        """A paragraph of runs; `heel` '+'/'-' when the whole paragraph is new/gone."""
        p = self.doc.add_paragraph(style=stijl)
        if inspringing:
            p.paragraph_format.left_indent = Cm(inspringing)
        if hangend:
            p.paragraph_format.first_line_indent = Cm(-hangend)
        for delen, opmaak in stukken:
            for soort, tekst in _samengevoegd(delen, heel):
                self._run(p._p, soort, tekst, **opmaak)
        if heel:
            self._alinea_teken(p, heel)
        return p

    # --- inhoud ---------------------------------------------------------------------

    def regels(self, regels: list[RegelVerschil], inspringing: float = 0) -> None:
        i = 0
        while i < len(regels):
            if regels[i].soort in TABELRIJ:
                j = i
                while j < len(regels) and regels[j].soort in TABELRIJ:
                    j += 1
                self.tabel(regels[i:j], inspringing)
                i = j
                continue
            self.regel(regels[i], inspringing)
            i += 1

    def regel(self, r: RegelVerschil, inspringing: float) -> None:
        heel, delen = _delen(r)
        stijl = STIJL.get(r.soort, "Normal")
        extra = inspringing + (0.6 * (r.huidig.niveau + 1) if r.soort == "item" else 0)
        self.alinea(stijl, [(delen, {})], heel, inspringing=0 if stijl != "Normal" else extra)

    def tabel(self, rijen: list[RegelVerschil], inspringing: float) -> None:
        breedte = max(len(r.huidig.cellen) for r in rijen)
        tabel = self.doc.add_table(rows=0, cols=breedte)
        tabel.style = "Table Grid"
        for r in rijen:
            vet = r.soort == "tabelkop"
            if r.status == "gewijzigd" and r.cellen:
                self._tabelrij(tabel, breedte, [(c, None) for c in r.cellen], None, vet)
            elif r.status == "gewijzigd" and r.oud and r.nieuw:  # another number of cells: old row out, new row in
                self._tabelrij(tabel, breedte, [([("-", c)], "-") for c in r.oud.cellen], "-", vet)
                self._tabelrij(tabel, breedte, [([("+", c)], "+") for c in r.nieuw.cellen], "+", vet)
            else:
                heel = {"toegevoegd": "+", "verwijderd": "-"}.get(r.status)
                self._tabelrij(tabel, breedte, [([(heel or "=", c)], heel) for c in r.huidig.cellen], heel, vet)
        na = self.doc.add_paragraph()  # Word needs a paragraph between two tables
        kanten = {r.status for r in rijen}
        if kanten in ({"toegevoegd"}, {"verwijderd"}):  # it comes and goes with its table
            self._alinea_teken(na, "+" if kanten == {"toegevoegd"} else "-")

    def _tabelrij(self, tabel, breedte: int, cellen: list, heel: str | None, vet: bool) -> None:
        rij = tabel.add_row()
        if heel:
            rij._tr.get_or_add_trPr().append(self._markering(heel))
        for cel, (delen, _) in zip(rij.cells, cellen):
            for soort, tekst in delen:
                if tekst:
                    self._run(cel.paragraphs[0]._p, soort, tekst, vet=vet)

    def artikel(self, a: ArtikelVerschil) -> None:
        o, n = a.oud, a.nieuw
        heel = None if o and n else ("+" if n else "-")
        # the heading as each version prints it (resolve.koppen): the text around the title word by word
        voor, titel, na = a.huidig.delen()
        delen: list[Deel] = [("=", voor)] + ([("=", titel)] if titel else []) + [("=", na)]
        if o and n:
            (vo, _, no), (vn, _, nn) = o.delen(), n.delen()
            delen = woorden(vo, vn) + a.titel + woorden(no, nn)
        self.alinea("Heading 2", [(delen, {})], heel)
        self.regels(a.inhoud)
        weg = sorted(a.vertrokken, key=lambda x: x[0])
        for i, lid in enumerate(a.leden):
            for _, oud in (x for x in weg if x[0] == i):
                self.lid(oud)
            self.lid(lid)
        for _, oud in (x for x in weg if x[0] >= len(a.leden)):
            self.lid(oud)

    def lid(self, lid: LidVerschil) -> None:
        o, n = lid.oud, lid.nieuw
        if lid.verplaatst and o is not None:  # a move: the old place (no nieuw) or the new one
            self.verhuisd(lid)
            return
        heel = None if o and n else ("+" if n else "-")
        if o and n and lid.hernummerd:
            nummer: list[Deel] = [("-", o.nummer), ("+", n.nummer)]
        else:
            nummer = [("=", lid.huidig.nummer)]
        tekst = lid.tekst if o and n else [("=", lid.huidig.tekst)]
        self.alinea("Normal", [(nummer, {"vet": True}), ([("=", "\t")] + tekst, {})], heel,
                    inspringing=self.hangend, hangend=self.hangend)
        self.regels(lid.inhoud, inspringing=self.hangend)

    def verhuisd(self, lid: LidVerschil) -> None:
        """A moved lid: moveFrom with its old text where it stood, moveTo with its new text where it stands.

        What stands in it (lists, tables) goes and comes as deletions and insertions.
        """
        kant = lid.nieuw or lid.oud
        assert kant is not None
        soort = ">" if lid.nieuw is not None else "<"
        p = self.alinea("Normal", [([("=", kant.nummer)], {"vet": True}), ([("=", "\t" + kant.tekst)], {})], soort,
                        inspringing=self.hangend, hangend=self.hangend)
        self._verhuisbereik(p, soort, kant.id)
        heel = "+" if soort == ">" else "-"
        self.regels([_heel_regel(r, heel) for r in lid.inhoud if (r.nieuw if heel == "+" else r.oud)],
                    inspringing=self.hangend)


def _heel_regel(r: RegelVerschil, heel: str) -> RegelVerschil:
    """One side of a line as wholly inserted ('+': its new text) or deleted ('-': its old text)."""
    return RegelVerschil(None, r.nieuw, []) if heel == "+" else RegelVerschil(r.oud, None, [])


_TAG = {"+": "w:ins", "-": "w:del", ">": "w:moveTo", "<": "w:moveFrom"}


def _samengevoegd(delen: list[Deel], heel: str | None) -> list[Deel]:
    """One run per stretch of the same kind: fewer, whole changes to accept or reject."""
    result: list[list[str]] = []
    for soort, tekst in delen:
        soort = heel or soort
        if not tekst:
            continue
        if result and result[-1][0] == soort:
            result[-1][1] += tekst
        else:
            result.append([soort, tekst])
    return [(s, t) for s, t in result]


def _delen(r: RegelVerschil) -> tuple[str | None, list[Deel]]:
    if r.status == "gewijzigd":
        return None, r.woorden
    if r.status == "gelijk":
        return None, [("=", r.huidig.tekst)]  # gelijk: both sides present, this is the new one
    return ("+" if r.nieuw else "-"), [("=", r.huidig.tekst)]


def _hangend(d: DocumentVerschil) -> float:
    """Hanging indent (cm) of the leden: wide enough for '13.2' and, when renumbered, '13.213.3'."""
    breedste = max((len(lid.oud.nummer if lid.oud and lid.hernummerd else "") + len(lid.nummer)
                    for a in d.artikelen() for lid in a.leden), default=0)
    return max(1.25, round(0.21 * breedste + 0.35, 2))


def omslag(d: DocumentVerschil, oud: str, nieuw: str, auteur: str, datum: date) -> list[str]:
    """The cover lines: which document, which two sides, by whom and when."""
    versie = lambda doc: f"versie {doc.versie}, geldig vanaf {doc.geldig_van:%d-%m-%Y}" if doc else "ontbreekt"  # noqa: E731
    return [f"Wijzigingen in {d.doc.volledige_titel} ({d.versie_tekst()})",
            f"Oud: {oud} — {versie(d.oud)}",
            f"Nieuw: {nieuw} — {versie(d.nieuw)}",
            f"Gemaakt op {datum:%d-%m-%Y} door {auteur} met contractgen. Alle wijzigingen accepteren geeft de "
            f"nieuwe tekst, alle wijzigingen weigeren de oude."]


def schrijf_redline(d: DocumentVerschil, datum: date, pad: Path, auteur: str = AUTEUR,
                    oud: str = "oud", nieuw: str = "nieuw") -> Redline:
    """Write the redline of one document to `pad` (deterministic bytes for the same input).

    `datum` dates every change, `auteur` signs it; `oud` and `nieuw` describe the two
    sides on the cover (`Kant.beschrijving()`). Written to a temporary file, then
    moved into place.
    """
    s = _Schrijver(datum, auteur, _hangend(d))
    titel_heel = None if d.oud and d.nieuw else ("+" if d.nieuw else "-")
    titel = d.titel if d.oud and d.nieuw else [("=", drukvorm(d.doc.volledige_titel))]
    s.alinea("Title", [(titel, {})], titel_heel)
    for regel in omslag(d, oud, nieuw, auteur, datum):
        s.doc.add_paragraph(regel, style=OMSLAG)
    for o in d.onderdelen:
        if isinstance(o, ArtikelVerschil):
            s.artikel(o)
        else:
            s.regels([o])
    _breuk_voor_invoeging(s.doc.element.body)
    _eigenschappen(s.doc, d, datum, auteur)
    buffer = io.BytesIO()
    s.doc.save(buffer)
    pad = Path(pad)
    pad.parent.mkdir(parents=True, exist_ok=True)
    inhoud = _vaste_zip(buffer.getvalue())
    schrijf_atomisch(pad, lambda tijdelijk: tijdelijk.write_bytes(inhoud))
    return Redline(pad, s.telling["+"], s.telling["-"], len(s.verhuizingen))


def _breuk_voor_invoeging(body) -> None:
    """Inserted paragraphs after a paragraph that ends in an insertion: mark that paragraph's break.

    Word's own way for Enter at the end of a paragraph: the break of the paragraph before is the
    new one, the last new paragraph keeps the old break. Equivalent for Word; LibreOffice merges
    the insertion at the end of the paragraph before with the new paragraphs and, on Reject All,
    removes that paragraph's break too ("…tot stand.Artikel 2"). Tracked on the XML of `body`.
    """
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def nieuw(p) -> bool:
        return p.tag == W + "p" and p.find(f"{W}pPr/{W}rPr/{W}ins") is not None

    for ouder in [body, *body.iter(W + "tc")]:
        kinderen = list(ouder)
        for k, a in enumerate(kinderen[:-1]):
            if a.tag != W + "p" or nieuw(a) or not nieuw(kinderen[k + 1]):
                continue
            inhoud = [el for el in a if el.tag not in (W + "pPr", W + "bookmarkEnd", W + "moveToRangeEnd")]
            if not inhoud or inhoud[-1].tag != W + "ins":
                continue
            j = k + 1
            while j + 1 < len(kinderen) and nieuw(kinderen[j + 1]):
                j += 1
            laatste = kinderen[j].find(f"{W}pPr/{W}rPr")
            teken = laatste.find(W + "ins")
            laatste.remove(teken)
            if len(laatste) == 0:
                laatste.getparent().remove(laatste)
            ppr = a.find(W + "pPr")
            if ppr is None:
                ppr = etree.SubElement(a, W + "pPr")
                a.insert(0, ppr)
            rpr = ppr.find(W + "rPr")
            if rpr is None:
                rpr = etree.SubElement(ppr, W + "rPr")  # last child of w:pPr: schema order
            rpr.append(teken)


def _eigenschappen(doc, d: DocumentVerschil, datum: date, auteur: str) -> None:
    cp = doc.core_properties
    moment = datetime(datum.year, datum.month, datum.day, tzinfo=timezone.utc)
    cp.author = cp.last_modified_by = auteur
    cp.created = cp.modified = moment
    cp.revision = 1
    cp.title = d.doc.titel
    cp.subject = f"Wijzigingen {d.versie_tekst()}"


def _vaste_zip(data: bytes) -> bytes:
    """Same entries with a fixed timestamp: the same input gives the same file."""
    uit = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as bron, zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as doel:
        for info in bron.infolist():
            nieuw = zipfile.ZipInfo(info.filename, date_time=VASTE_TIJD)
            nieuw.compress_type = zipfile.ZIP_DEFLATED
            doel.writestr(nieuw, bron.read(info.filename))
    return uit.getvalue()


def kies_document(v: Vergelijking) -> DocumentVerschil:
    """The one document a redline is made of: the only one compared, or the only one changed."""
    if len(v.documenten) == 1:
        return v.documenten[0]
    veranderd = [d for d in v.documenten if d.status != "gelijk"]
    if len(veranderd) == 1:
        return veranderd[0]
    if not v.documenten:
        bericht = "er is geen document om te vergelijken; een redline is er alleen voor documenten " \
                  "(tarieven: gebruik --formaat tekst of html)"
    else:
        namen = ", ".join(d.sleutel for d in (veranderd or v.documenten))
        bericht = f"een redline is één Word-document; kies met --document een van: {namen}"
    raise DataFout([Probleem("--formaat docx", bericht=bericht)])
