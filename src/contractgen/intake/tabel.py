"""Reading what Excel writes: CSV in any of its encodings and separators, and xlsx streamed.

A table is its header row and its data rows, each cell as the file holds it: text for
CSV; for xlsx the cell's value (text, int, float, datetime, bool), except that a number
whose format pads it with zeros ("00000000") is the text Excel shows. Everything that
would silently change a value is a `Probleem` naming file, sheet, row and column:

- CSV: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode-tekst", tab-separated) with
  BOM or detected from its zero bytes, else cp1252 (Excel's "CSV (gescheiden door
  lijstscheidingsteken)"); `;`, `,` or tab, whichever the header row uses most.
- xlsx: read streaming (openpyxl read_only), so memory does not grow with the file; a
  formula without a stored result (files written by scripts, never opened in Excel) is an
  error, not an empty cell.
- At most MAX_RIJEN data rows: a region has hundreds of aanbieders, a file with more is
  the wrong file; it is refused as soon as row MAX_RIJEN + 1 is read. A CSV over 20 MB or
  an xlsx over 10 MB is refused before reading (see MAX_XLSX_BYTES).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException
from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from contractgen.basis.problemen import ContractgenFout, Probleem
from contractgen.basis.veilig import Onveilig, TeGroot, lees_begrensd, open_gewoon
from contractgen.intake import grenzen

MAX_RIJEN = 5_000  # data rows; see the module docstring
MAX_CSV_BYTES = 20 * 1024 * 1024  # a 5,000-row CSV with every column filled is ~8 MB
# compressed; a 5,000-row intake workbook with every column filled is ~4 MB. openpyxl reads the
# shared strings whole, and a sheet without <dimension> (written by a script) once through before
# row 1 (~2 s per MB here): this bounds that.
MAX_XLSX_BYTES = 10 * 1024 * 1024
BLADNAAM = "aanbieders"  # the sheet read when present; else the first


def openpyxl_beschermd() -> bool:
    """Whether openpyxl parses with defusedxml (installed: a dependency; not switched off with
    OPENPYXL_DEFUSEDXML=False): entities in an xlsx are then refused, not expanded."""
    return bool(getattr(openpyxl, "DEFUSEDXML", False))


class ImportFout(ContractgenFout):
    """Nothing was imported; every problem of the file, each naming file, sheet, row and column.

    `gelezen`: how the file was read ("export.csv (UTF-16, gescheiden door tab)"), said after the
    summary as on success; `tip`: a last line on what to do about many problems of one kind."""

    def __init__(self, problemen: list[Probleem], tip: str | None = None, gelezen: str | None = None):
        super().__init__(problemen)
        self.tip, self.gelezen = tip, gelezen

    def meldingen(self) -> list[str]:
        return [str(p) if p.ernst == "fout" else f"let op: {p}" for p in self.problemen]

    def slot(self) -> str | None:
        fouten = sum(1 for p in self.problemen if p.ernst == "fout")
        regels = [f"{fouten} fout(en) gevonden; er is niets geïmporteerd."]
        regels += [f"gelezen: {self.gelezen}"] if self.gelezen else []
        regels += [self.tip] if self.tip else []
        return "\n".join(regels)


@dataclass
class Tabel:
    """A header row and data rows (row number as the spreadsheet shows it, cells)."""

    naam: str  # the file as messages name it
    blad: str | None  # the sheet (xlsx) or None (csv)
    gelezen_als: str  # "UTF-16, gescheiden door tab" or "Excel-blad 'Aanbieders'"
    kop: list[Any]
    rijen: list[tuple[int, list[Any]]]
    problemen: list[Probleem] = field(default_factory=list)
    onleesbaar: set[tuple[int, int]] = field(default_factory=set)  # (row, column) already in `problemen`

    @property
    def bron(self) -> str:
        """The file (and sheet) as the first part of a message."""
        return f"{self.naam} (blad {self.blad})" if self.blad else self.naam

    def probleem(self, regel: int, kolom: int, bericht: str, kop: str | None = None,
                 ernst: str = "fout") -> Probleem:
        """A problem at a cell: `kolom` is 1-based (0: the whole row); `kop` the header as the file has it."""
        pad = ""
        if kolom:
            pad = f"kolom {get_column_letter(kolom)}" + (f" '{kop}'" if kop else "")
        return Probleem(self.bron, regel, kolom, pad, bericht, ernst)


def lees_tabel(pad: Path) -> Tabel:
    """The table of a .csv/.txt or .xlsx/.xlsm file; ImportFout when it cannot be read at all."""
    pad = Path(pad)
    soort = pad.suffix.lower()
    if soort in (".xlsx", ".xlsm"):
        return _lees_xlsx(pad)
    if soort in (".csv", ".txt"):
        return _lees_csv(pad)
    raise ImportFout.een(pad.name, f"onbekend bestandstype '{pad.suffix}'; verwacht .csv of .xlsx "
                                   "(sla een .xls-bestand in Excel op als Excel-werkmap, .xlsx)")


# --- CSV -------------------------------------------------------------------------------


def _codering(raw: bytes) -> tuple[str, str]:
    """(Python codec, name for messages) of a CSV file as Excel writes them."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "UTF-16"
    begin = raw[:4096]
    if len(begin) >= 4 and begin.count(0) * 3 >= len(begin):  # text of Latin letters: every other byte is 0
        return ("utf-16-le", "UTF-16") if begin[1] == 0 else ("utf-16-be", "UTF-16")
    try:
        raw.decode("utf-8")
        return "utf-8", "UTF-8"
    except UnicodeDecodeError:
        return "cp1252", "Windows-1252"


SCHEIDINGEN = {";": "puntkomma", ",": "komma", "\t": "tab"}


def _te_groot(pad: Path, grootte: int, grens: int) -> ContractgenFout:
    return ImportFout.een(pad.name, f"het bestand is te groot ({grootte / 1024 / 1024:.0f} MB); verwacht "
                                    f"hoogstens {grens // 1024 // 1024} MB en {MAX_RIJEN} rijen")


def _lees_csv(pad: Path) -> Tabel:
    try:
        raw = lees_begrensd(pad, MAX_CSV_BYTES)  # the size before the bytes
    except TeGroot as fout:
        raise _te_groot(pad, fout.grootte, MAX_CSV_BYTES) from None
    except Onveilig as fout:
        raise ImportFout.een(pad.name, str(fout)) from None
    codec, codering = _codering(raw)
    try:
        tekst = raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise ImportFout.een(pad.name, f"ongeldige tekencodering ({codering}, byte {exc.start}); sla het bestand "
                                       "in Excel op als 'CSV UTF-8'") from exc
    eerste = tekst.lstrip("\ufeff").split("\n", 1)[0] if tekst.strip() else ""
    scheiding = max(SCHEIDINGEN, key=eerste.count)
    gelezen_als = f"{codering}, gescheiden door {SCHEIDINGEN[scheiding]}"
    reader = csv.reader(io.StringIO(tekst.lstrip("\ufeff"), newline=""), delimiter=scheiding)
    tabel = Tabel(pad.name, None, gelezen_als, [], [])
    vorige = csv.field_size_limit(MAX_CSV_BYTES)  # the cell limit is grenzen.MAX_CEL, with a Dutch message
    try:
        for nummer, rij in enumerate(reader, start=1):
            _grenzen(tabel, nummer, rij)
            if nummer == 1:
                tabel.kop = list(rij)
                continue
            if not any(c.strip() for c in rij):
                continue
            tabel.rijen.append((nummer, rij))
            _grens(tabel)
    finally:
        csv.field_size_limit(vorige)
    return tabel


def _grenzen(tabel: Tabel, nummer: int, rij: list[Any]) -> None:
    try:
        grenzen.controleer_rij(nummer, rij)
    except grenzen.GrensOverschreden as fout:
        raise ImportFout([tabel.probleem(fout.regel, fout.kolom, str(fout))]) from None


def _grens(tabel: Tabel) -> None:
    if len(tabel.rijen) > MAX_RIJEN:
        raise ImportFout([tabel.probleem(tabel.rijen[-1][0], 0, f"meer dan {MAX_RIJEN} rijen met aanbieders; "
                                         "dat is meer dan een regio heeft: controleer of dit de goede export is, "
                                         "of splits het bestand")])


# --- xlsx ------------------------------------------------------------------------------

_NULLEN = re.compile(r"^0{2,}$")  # a number format like 00000000: Excel shows the leading zeros


def _als_getoond(cel: Any) -> Any:
    """The value of a cell; a zero-padded number as the text Excel shows ("01234567")."""
    waarde = cel.value
    if isinstance(waarde, int) and not isinstance(waarde, bool):
        formaat = getattr(cel, "number_format", "General") or "General"
        if _NULLEN.match(formaat):
            return str(waarde).zfill(len(formaat))
    return waarde


def _lees_xlsx(pad: Path) -> Tabel:
    try:
        os.close(open_gewoon(pad, MAX_XLSX_BYTES))  # a regular file of at most 10 MB, before anything is read
    except TeGroot as fout:
        raise _te_groot(pad, fout.grootte, MAX_XLSX_BYTES) from None
    except Onveilig as fout:
        raise ImportFout.een(pad.name, str(fout)) from None
    if not openpyxl_beschermd():  # pragma: no cover - defusedxml is a dependency; OPENPYXL_DEFUSEDXML=False
        raise ImportFout.een(pad.name, "openpyxl leest Excel-bestanden hier zonder bescherming tegen schadelijke XML "
                                       "(defusedxml ontbreekt of OPENPYXL_DEFUSEDXML=False); er is niets gelezen")
    try:
        grenzen.controleer_xlsx(pad)
    except (grenzen.GrensOverschreden, Onveilig) as fout:
        raise ImportFout.een(pad.name, str(fout)) from None
    try:
        return _lees_werkboek(pad)
    except DefusedXmlException as exc:  # a DTD or entity the prolog scan did not see (defusedxml refused it)
        raise ImportFout.een(pad.name, f"bevat XML met een DTD of entiteiten ({type(exc).__name__}); dat staat "
                                       "nooit in een bestand van Excel; sla het opnieuw op in Excel") from None
    except (etree.XMLSyntaxError, ExpatError, ParseError) as exc:
        raise ImportFout.een(pad.name, f"kan het Excel-bestand niet lezen (beschadigde XML: {exc}); sla het op als "
                                       "Excel-werkmap (.xlsx)") from None


def _lees_werkboek(pad: Path) -> Tabel:
    try:
        boek = load_workbook(pad, read_only=True, data_only=False)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        if isinstance(exc.__cause__, DefusedXmlException):  # openpyxl wraps what defusedxml refused
            raise exc.__cause__ from None
        raise ImportFout.een(pad.name, f"kan het Excel-bestand niet lezen ({exc}); sla het op als Excel-werkmap "
                                       "(.xlsx)") from exc
    try:
        blad = next((b for b in boek.worksheets if b.title.strip().lower() == BLADNAAM), boek.worksheets[0])
        blad.reset_dimensions()  # ignore the declared size (A1:XFD1048576 pads every row): read what is there
        tabel = Tabel(pad.name, blad.title, f"Excel-blad '{blad.title}'", [], [])
        formules: dict[tuple[int, int], str] = {}  # (row, column) -> formula, for the second pass
        for nummer, rij in enumerate(blad.iter_rows(), start=1):
            waarden = []
            for k, cel in enumerate(rij, start=1):
                if getattr(cel, "data_type", None) == "f":
                    formules[(nummer, k)] = str(cel.value)
                waarden.append(_als_getoond(cel))
            _grenzen(tabel, nummer, waarden)
            if nummer == 1:
                tabel.kop = waarden
            elif any(w is not None and str(w).strip() for w in waarden):
                tabel.rijen.append((nummer, waarden))
                _grens(tabel)
    finally:
        boek.close()
    if formules:
        _uitkomsten(pad, tabel, formules)
    return tabel


def _uitkomsten(pad: Path, tabel: Tabel, formules: dict[tuple[int, int], str]) -> None:
    """Replace formulas by the results Excel stored; a formula without one is a problem."""
    boek = load_workbook(pad, read_only=True, data_only=True)
    try:
        blad = boek[tabel.blad]
        laatste = max(r for r, _ in formules)
        per_rij = {n: cellen for n, cellen in tabel.rijen}
        for nummer, rij in enumerate(blad.iter_rows(max_row=laatste), start=1):
            for k, cel in enumerate(rij, start=1):
                if (nummer, k) not in formules:
                    continue
                waarde = _als_getoond(cel)
                cellen = tabel.kop if nummer == 1 else per_rij.get(nummer)
                if cellen is None:
                    continue
                if waarde is None:
                    tabel.onleesbaar.add((nummer, k))
                    kop = tabel.kop[k - 1] if nummer > 1 and k - 1 < len(tabel.kop) else None
                    tabel.problemen.append(tabel.probleem(
                        nummer, k, f"formule '{formules[(nummer, k)]}' zonder opgeslagen uitkomst (het bestand is "
                                   "door een programma gemaakt en nooit in Excel geopend); open en bewaar het in "
                                   "Excel, of zet de waarde zelf in de cel", None if kop is None else str(kop)))
                cellen[k - 1] = waarde
    finally:
        boek.close()
