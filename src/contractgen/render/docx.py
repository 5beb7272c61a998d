"""Stage 4, render: resolved blocks → .docx bytes through a Word template (docxtpl syntax).

A template is compiled once (docxtpl's XML clean-up + a sandboxed Jinja compile) and
rendered many times. Data is escaped and kept literal: `<`, `&`, `{{` in a provider
name stay text. Output is deterministic: fixed zip timestamps and entry order.
"""

from __future__ import annotations

import io
import re
import signal
import struct
import threading
import time
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup, escape

from contractgen.basis.problemen import Weigering
from contractgen.basis.tekst import BIDI_OPEN, ONGELDIGE_XML_TEKENS, sluit_bidi  # noqa: F401
from contractgen.basis.veilig import veilige_parser
from contractgen.render import ankers

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VASTE_TIJD = (1980, 1, 1, 0, 0, 0)
TEMPLATE_DELEN = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
# Budget of one template part for one document: a template (or data) that runs away, e.g. nested
# loops over range(100000), is stopped with its place instead of rendering for hours. The largest
# real part (the DVO of Maastricht-Heuvelland) renders in well under a second and is about 1 MB.
RENDER_SECONDEN = 60.0
RENDER_TEKENS = 100_000_000


class SjabloonFout(Weigering):
    """A template that cannot be compiled or rendered; the message names file and place."""

    label = "sjabloonfout"


class _BudgetOp(Exception):
    """Raised inside a render that exceeds RENDER_SECONDEN or RENDER_TEKENS."""

    regel: int | None = None  # the template line, when known at the raise


def _alarm(signum, frame) -> None:
    raise _BudgetOp(f"duurt langer dan {RENDER_SECONDEN:g} s")


@contextmanager
def _wekker(seconden: float):
    """SIGALRM after `seconden` in the main thread (catches loops that print nothing); elsewhere nothing."""
    if threading.current_thread() is not threading.main_thread() or signal.getitimer(signal.ITIMER_REAL)[0]:
        yield
        return
    vorige = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconden)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, vorige)


_BIJZONDER = re.compile("[&<>\"'\x00-\x1f\ufffe\uffff" + "".join(BIDI_OPEN) + "\u202c\u2069]")


# "€ 25.000,00", "art. 3", "lid 2", "bijlage 3": the sign or word and its number on one line. Lower case
# only: headings ("Artikel 2: Voorrang") become PDF bookmarks, which should keep plain spaces.
NBSP = "\u00a0"
_SAMEN = re.compile(r"(€|\b(?:art\.|artikel|lid|leden|bijlage|hoofdstuk|nr\.|eis)) (?=\d)")


def vaste_spaties(tekst: str) -> str:
    """A no-break space (U+00A0) between "€"/"art."/"lid"/... and the number after it."""
    return _SAMEN.sub("\\1" + NBSP, tekst) if " " in tekst else tekst


def gedrukte_tekst(waarde: Any) -> str:
    """The text `docx_tekst` puts in the document, as characters: what a reader of the .docx sees.

    No-break spaces after "€"/"art."/"lid"/... (vaste_spaties), characters XML cannot hold left
    out, "\r\n" and "\r" as "\n" (a <w:br/>), "\t" a tab, bidi controls closed. diff reads every
    text through this, so a redline prints exactly what the built document prints.
    """
    if waarde is None:
        return ""
    tekst = vaste_spaties(str(waarde))
    if not _BIJZONDER.search(tekst):
        return tekst
    tekst = ONGELDIGE_XML_TEKENS.sub("", tekst)
    return sluit_bidi(tekst.replace("\r\n", "\n").replace("\r", "\n"))


def docx_tekst(waarde: Any) -> Markup:
    """Every value printed by a template: escaped, newlines and tabs as Word breaks.

    "\n", "\r\n" and "\r" become one <w:br/>, "\t" a <w:tab/>; characters XML cannot hold (C0
    controls other than tab/newline/CR, U+FFFE, U+FFFF) are left out; bidi controls the value opens
    are closed at its end (sluit_bidi). Everything else, `<`, `&`, `]]>`, `{{ }}`, shows literally.
    """
    if waarde is None:
        return Markup("")
    if isinstance(waarde, Markup):
        return waarde
    tekst = vaste_spaties(str(waarde))
    if not _BIJZONDER.search(tekst):
        return Markup(tekst)  # the usual case: nothing to escape, break, strip or close
    tekst = ONGELDIGE_XML_TEKENS.sub("", tekst)
    tekst = tekst.replace("\r\n", "\n").replace("\r", "\n")  # a bare CR would become a second break in Word
    tekst = sluit_bidi(tekst)
    veilig = str(escape(tekst))
    veilig = veilig.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    veilig = veilig.replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">')
    return Markup(veilig)


def _omgeving() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=docx_tekst,
        keep_trailing_newline=True,
    )


@dataclass
class _Deel:
    naam: str
    info: zipfile.ZipInfo
    data: bytes


class Sjabloon:
    """A compiled Word template."""

    def __init__(self, pad: Path):
        self.pad = Path(pad)
        self.naam = self.pad.name
        try:
            with zipfile.ZipFile(self.pad) as z:
                self.delen = [_Deel(i.filename, i, z.read(i.filename)) for i in z.infolist()]
        except (OSError, zipfile.BadZipFile) as exc:
            raise SjabloonFout(f"{self.pad}: geen geldig Word-bestand (.docx): {exc}") from exc
        self._vast: dict[str, tuple[bytes, int, bytes, int]] = {}
        # the origin of every document as custom properties (render/ankers.py)
        for deel in self.delen:
            if deel.naam in ("[Content_Types].xml", "_rels/.rels"):
                deel.data = ankers.met_eigenschappen(deel.naam, deel.data)
        if not any(d.naam == ankers.CUSTOM_DEEL for d in self.delen):
            self.delen.append(_Deel(ankers.CUSTOM_DEEL, zipfile.ZipInfo(ankers.CUSTOM_DEEL), b""))
        if not any(d.naam == "word/document.xml" for d in self.delen):
            raise SjabloonFout(f"{self.pad}: geen geldig Word-bestand (.docx): word/document.xml ontbreekt")
        try:
            if not any(d.naam == "word/document.xml" for d in self.delen):
                raise ValueError("word/document.xml ontbreekt")
            self._docx = DocxTemplate(str(self.pad))
            for deel in self.delen:
                if TEMPLATE_DELEN.match(deel.naam):
                    deel.data.decode("utf-8")
        except Exception as exc:  # a zip that is not a Word document: python-docx raises several kinds
            raise SjabloonFout(f"{self.pad}: geen geldig Word-bestand (.docx): {exc}") from exc
        self._env = _omgeving()
        self.compiled: dict[str, jinja2.Template] = {}
        self.bronnen: dict[str, str] = {}  # the Jinja source per part, to show where a render error is
        for deel in self.delen:
            if not TEMPLATE_DELEN.match(deel.naam):
                continue
            xml = deel.data.decode("utf-8")
            if "{{" not in xml and "{%" not in xml:
                continue
            bron = self._docx.patch_xml(xml)
            bron = re.sub(r"<w:t>", '<w:t xml:space="preserve">', bron)
            bron = re.sub(r"<w:p([ >])", r"\n<w:p\1", bron)
            self.bronnen[deel.naam] = bron
            try:
                self.compiled[deel.naam] = self._env.from_string(bron)
            except jinja2.TemplateSyntaxError as exc:
                raise SjabloonFout(f"{self.pad} ({deel.naam}): {_waar(bron, exc.lineno)}: {exc.message}") from exc

    def render(self, context: dict[str, Any], document: object = None) -> bytes:
        """The .docx bytes for `context`; `document` (e.g. the output path) names it in a budget message.

        Raises SjabloonFout naming the template, part and place.
        """
        delen = []
        for deel in self.delen:
            if deel.naam in self.compiled:
                delen.append(_ingepakt(deel.naam, self._render_deel(deel.naam, context, document)))
            elif deel.naam == "docProps/core.xml":
                delen.append(_ingepakt(deel.naam, _kenmerken(deel.data, context)))
            elif deel.naam == ankers.CUSTOM_DEEL:
                delen.append(_ingepakt(deel.naam, ankers.eigenschappen(context)))
            else:
                if deel.naam not in self._vast:  # static parts are compressed once per template
                    self._vast[deel.naam] = _ingepakt(deel.naam, deel.data)
                delen.append(self._vast[deel.naam])
        return _zip(delen)

    def _render_deel(self, naam: str, context: dict[str, Any], document: object = None) -> bytes:
        template = self.compiled[naam]
        try:
            xml = self._begrensd(template, context)
        except _BudgetOp as exc:
            voor = f" voor {document}" if document is not None else ""
            regel = getattr(exc, "regel", None)
            plaats = f"{self.pad} ({naam}): {_waar(self.bronnen[naam], regel)}" if regel else self._plaats(naam, exc)
            raise SjabloonFout(f"{plaats}: het invullen{voor} {exc} en is gestopt; controleer lussen "
                               "({% for %}) in het sjabloon en de omvang van de gegevens") from None
        except jinja2.UndefinedError as exc:
            raise SjabloonFout(f"{self._plaats(naam, exc)}: onbekende variabele in het sjabloon: "
                               f"{_vertaal_jinja(exc.message)}") from exc
        except SecurityError as exc:
            raise SjabloonFout(f"{self._plaats(naam, exc)}: niet toegestaan in een sjabloon (afgeschermde omgeving): "
                               f"{_vertaal_jinja(exc.message)}") from exc
        except jinja2.TemplateError as exc:
            raise SjabloonFout(f"{self._plaats(naam, exc)}: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - e.g. {{ 1/0 }} or a range the sandbox refuses
            raise SjabloonFout(f"{self._plaats(naam, exc)}: fout bij het invullen van het sjabloon: {exc}") from exc
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        try:
            if naam == "word/document.xml":
                return _schik_tabellen(xml, context.get("blokken") or [])
            etree.fromstring(xml.encode("utf-8"), veilige_parser())
        except etree.XMLSyntaxError as exc:
            raise SjabloonFout(f"{self.pad} ({naam}): het ingevulde sjabloon is geen geldig Word-XML; controleer "
                               f"of elke {{% %}}-tag een hele alinea, rij of cel omvat: {exc}") from exc
        return xml.encode("utf-8")

    def _begrensd(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """template.render within the budget: time (checked per piece and by SIGALRM) and size."""
        stukken: list[str] = []
        grootte = 0
        einde = time.monotonic() + RENDER_SECONDEN
        generator = template.generate(context)
        with _wekker(RENDER_SECONDEN):
            for stuk in generator:
                stukken.append(stuk)
                grootte += len(stuk)
                if grootte > RENDER_TEKENS or time.monotonic() > einde:
                    fout = _BudgetOp(f"wordt groter dan {RENDER_TEKENS // 1_000_000} miljoen tekens"
                                     if grootte > RENDER_TEKENS else f"duurt langer dan {RENDER_SECONDEN:g} s")
                    fout.regel = _regel_van(generator, template)
                    getattr(generator, "close")()  # a generator, typed as an Iterator by Jinja
                    raise fout
        return "".join(stukken)

    def _plaats(self, naam: str, exc: BaseException) -> str:
        """`template (part): bij '…'` — the template line of a render error, from Jinja's traceback."""
        regel = None
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "<template>":
                regel = tb.tb_lineno
            tb = tb.tb_next
        return f"{self.pad} ({naam}): {_waar(self.bronnen[naam], regel)}"


def _regel_van(generator, template: jinja2.Template) -> int | None:
    """The template line a suspended render generator stands on."""
    while generator is not None:
        frame = getattr(generator, "gi_frame", None)
        if frame is not None and frame.f_code.co_filename == "<template>":
            return template.get_corresponding_lineno(frame.f_lineno)
        generator = getattr(generator, "gi_yieldfrom", None)
    return None


def _vertaal_jinja(bericht: str | None) -> str:
    """Jinja's English for the two runtime errors a template author meets most, in Dutch."""
    bericht = bericht or ""
    for patroon, nl in ((r"'(.+)' is undefined", "'{0}' bestaat niet"),
                        (r"'(.+)' has no attribute '(.+)'", "'{0}' heeft geen '{1}'"),
                        (r"access to attribute '(.+)' of '(.+)' object is unsafe\.?",
                         "toegang tot '{0}' van een '{1}'-object is niet toegestaan")):
        m = re.fullmatch(patroon, bericht)
        if m:
            return nl.format(*m.groups())
    return bericht


def _ingepakt(naam: str, data: bytes) -> tuple[bytes, int, bytes, int]:
    """(name, crc, raw deflate data, size) of one zip entry."""
    pakker = zlib.compressobj(6, zlib.DEFLATED, -15)
    return naam.encode("utf-8"), zlib.crc32(data), pakker.compress(data) + pakker.flush(), len(data)


def _zip(delen: list[tuple[bytes, int, bytes, int]]) -> bytes:
    """A zip with fixed timestamps (1980-01-01) and the template's entry order: same input, same bytes.

    Written by hand so that the static parts of a template are compressed only once.
    """
    uit = io.BytesIO()
    centraal = []
    datum = (0 << 9) | (1 << 5) | 1  # DOS date 1980-01-01, time 00:00
    for naam, crc, data, grootte in delen:
        positie = uit.tell()
        uit.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, datum, crc, len(data), grootte, len(naam), 0))
        uit.write(naam)
        uit.write(data)
        centraal.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, 0, 8, 0, datum, crc, len(data),
                                    grootte, len(naam), 0, 0, 0, 0, 0o644 << 16, positie) + naam)
    begin = uit.tell()
    for regel in centraal:
        uit.write(regel)
    uit.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(delen), len(delen), uit.tell() - begin, begin, 0))
    return uit.getvalue()


def _waar(bron: str, regel: int | None) -> str:
    """The template text around a Jinja line number, without XML (what a jurist sees in Word)."""
    if not regel:
        return "onbekende plaats"
    regels = bron.splitlines()[max(regel - 2, 0): regel + 1]
    tekst = " ".join(re.sub(r"<[^>]+>", "", r) for r in regels).strip()
    return f"bij '{tekst[:80]}'"


def _kenmerken(data: bytes, context: dict[str, Any]) -> bytes:
    """Document properties: the title, and fixed dates so rebuilds are byte-identical."""
    xml = data.decode("utf-8")
    doc = context.get("document") or {}
    titel = str(escape(ONGELDIGE_XML_TEKENS.sub("", str(doc.get("titel", "")))))
    # a function, not a template string: a backslash in the title ("\\1", "\\u") must stay text
    xml = re.sub(r"<dc:title>.*?</dc:title>|<dc:title/>", lambda _: f"<dc:title>{titel}</dc:title>", xml, flags=re.S)
    xml = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)", r"\g<1>2000-01-01T00:00:00Z\3", xml)
    return xml.encode("utf-8")


_TEKST = etree.XPath("string()")  # all text of an element, in C


def _schik_tabellen(xml: str, blokken: list | None = None) -> bytes:
    """Give every rendered table a grid matching its cells, widths from its contents; mark block ids."""
    tree = etree.fromstring(xml.encode("utf-8"), veilige_parser())  # a template may come from anywhere
    ankers.markeer(tree, blokken or [])
    _tussen_tabellen(tree)
    for tbl in tree.iter(f"{W}tbl"):
        rijen = tbl.findall(f"{W}tr")
        cellen = [r.findall(f"{W}tc") for r in rijen]
        aantal = max((len(c) for c in cellen), default=0)
        if aantal == 0:
            continue
        lengtes = [1] * aantal
        for rij in cellen:
            for i, tc in enumerate(rij):
                lengtes[i] = max(lengtes[i], min(len(_TEKST(tc)), 120))
        gewicht = [max(4.0, n) ** 0.6 for n in lengtes]
        # twips: A4 minus margins; a table in a cell (signature block) minus the cell's margins
        totaal_breedte = 9600 if next(tbl.iterancestors(f"{W}tc"), None) is None else 9380
        breedtes = [int(totaal_breedte * g / sum(gewicht)) for g in gewicht]
        breedtes = _minimaal(breedtes, min(1300, totaal_breedte // aantal))
        grid = tbl.find(f"{W}tblGrid")
        if grid is None:
            grid = etree.SubElement(tbl, f"{W}tblGrid")
        for col in list(grid):
            grid.remove(col)
        for b in breedtes:
            etree.SubElement(grid, f"{W}gridCol", {f"{W}w": str(b)})
        for rij in cellen:
            for i, tc in enumerate(rij):
                tcpr = tc.find(f"{W}tcPr")
                if tcpr is None:
                    tcpr = etree.Element(f"{W}tcPr")
                    tc.insert(0, tcpr)
                tcw = tcpr.find(f"{W}tcW")
                if tcw is None:
                    tcw = etree.SubElement(tcpr, f"{W}tcW")
                tcw.set(f"{W}w", str(breedtes[i]))
                tcw.set(f"{W}type", "dxa")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def _tussen_tabellen(tree) -> None:
    """An empty 2 pt paragraph between two tables that meet: Word and LibreOffice would join them into one."""
    for tbl in list(tree.iter(f"{W}tbl")):
        volgende = tbl.getnext()
        if volgende is not None and volgende.tag == f"{W}tbl":
            p = etree.Element(f"{W}p")
            ppr = etree.SubElement(p, f"{W}pPr")
            etree.SubElement(ppr, f"{W}spacing", {f"{W}before": "0", f"{W}after": "0", f"{W}line": "40",
                                                  f"{W}lineRule": "exact"})
            tbl.addnext(p)


def _minimaal(breedtes: list[int], minimum: int) -> list[int]:
    """Give narrow columns (amounts, numbers) at least `minimum` twips, taken from the wide ones."""
    tekort = sum(max(0, minimum - b) for b in breedtes)
    ruim = sum(b - minimum for b in breedtes if b > minimum)
    if tekort == 0 or ruim <= tekort:
        return breedtes
    return [minimum if b <= minimum else b - int((b - minimum) * tekort / ruim) for b in breedtes]


class Sjablonen:
    """Finds and caches templates: `<map>/<regio>/<naam>.docx` overrides `<map>/<naam>.docx`."""

    def __init__(self, map_: Path):
        self.map = Path(map_)
        self._cache: dict[Path, Sjabloon] = {}

    def pad(self, naam: str, regio: str | None = None) -> Path:
        kandidaten = ([self.map / regio / f"{naam}.docx"] if regio else []) + [self.map / f"{naam}.docx"]
        for pad in kandidaten:
            if pad.is_file():
                return pad
        raise SjabloonFout(f"sjabloon '{naam}' niet gevonden; verwacht {kandidaten[-1]}")

    def get(self, naam: str, regio: str | None = None) -> Sjabloon:
        pad = self.pad(naam, regio)
        if pad not in self._cache:
            self._cache[pad] = Sjabloon(pad)
        return self._cache[pad]


def standaard_sjablonen_map() -> Path:
    """The templates shipped with the package (`contractgen/render/sjablonen/`); `--sjablonen` overrides."""
    return Path(str(resources.files("contractgen.render") / "sjablonen"))
