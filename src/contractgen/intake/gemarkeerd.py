"""The intake workbook with its problems on the cells: what the inkoopteam opens to fix an import.

`markeer(bestand, problemen)` takes the file an import read (xlsx, or csv) and the problems the
import found (`ImportFout.problemen`) and returns an openpyxl Workbook: the same workbook (a CSV
becomes a workbook with the same rows and columns, every cell text) where each cell with a
problem has a fill (red: error, yellow: warning) and a comment with the same words the CLI prints,
and a first sheet 'Fouten' listing every problem, each with a link to its cell. The CLI writes it
with `contractgen aanbieders importeer BESTAND --gemarkeerd UIT.xlsx`; the workplace calls the same
function.

Untrusted text stays text: every value this module writes (a CSV cell, a message quoting what was
typed) is a string cell, never a formula (`basis.cellen.xlsx_tekst`). The xlsx is read under the
limits of the import (`intake.tabel`, `intake.grenzen`) before openpyxl unpacks it.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname

from contractgen.basis.cellen import xlsx_tekst
from contractgen.basis.problemen import Probleem
from contractgen.basis.tekst import toonbaar
from contractgen.intake import grenzen
from contractgen.intake.tabel import BLADNAAM, MAX_XLSX_BYTES, ImportFout, lees_tabel

FOUT = PatternFill("solid", fgColor="F4B6B6")  # light red: readable text on it (contrast > 4.5:1 for black)
LET_OP = PatternFill("solid", fgColor="FFE699")  # light yellow: a warning
OVERZICHT = "Fouten"
MAX_OPMERKING = 32_000  # characters in one comment (Excel's limit is 32,767)


def _melding(p: Probleem) -> str:
    """The words the CLI prints for `p` (without the file), as one comment line."""
    woorden = f"{p.pad}: {p.bericht}" if p.pad else p.bericht
    return toonbaar(("Let op: " if p.ernst != "fout" else "Fout: ") + woorden)


def _blad_van_bestand(boek: Workbook):
    """The sheet the import reads (intake.tabel): 'Aanbieders' when there is one, else the first."""
    return next((b for b in boek.worksheets if b.title.strip().lower() == BLADNAAM), boek.worksheets[0])


def _open_xlsx(pad: Path) -> Workbook:
    if pad.stat().st_size > MAX_XLSX_BYTES:
        raise ImportFout.een(pad.name, f"het bestand is te groot; verwacht hoogstens {MAX_XLSX_BYTES // 1024 // 1024} MB")
    try:
        grenzen.controleer_xlsx(pad)
    except grenzen.GrensOverschreden as fout:
        raise ImportFout.een(pad.name, str(fout)) from None
    return load_workbook(pad)


def _uit_csv(pad: Path) -> Workbook:
    """A workbook with the CSV's rows at their own row numbers, every cell a text cell."""
    tabel = lees_tabel(pad)
    boek = Workbook()
    blad = boek.active
    blad.title = BLADNAAM.capitalize()
    for nummer, cellen in [(1, tabel.kop), *tabel.rijen]:
        for k, waarde in enumerate(cellen, start=1):
            if waarde is None or waarde == "":
                continue
            cel = blad.cell(nummer, k, str(waarde))
            xlsx_tekst(cel)  # '=HYPERLINK(...)' typed in the CSV stays text
            if nummer == 1:
                cel.font = Font(bold=True)
    return boek


def markeer(bestand: Path, problemen: list[Probleem], naam: str | None = None) -> Workbook:
    """The workbook of `bestand` (.xlsx/.xlsm, or .csv/.txt) with `problemen` marked on their cells and
    listed on a first sheet 'Fouten'. A problem without a cell (regel 0: the whole file) or of another
    file (a column mapping) is only listed. `naam`: the file as the problems name it when not its own name
    (`importeer(naam=...)`: an upload). Raises ImportFout for a file the import could not read either."""
    bestand = Path(bestand)
    xlsx = bestand.suffix.lower() in (".xlsx", ".xlsm")
    boek = _open_xlsx(bestand) if xlsx else _uit_csv(bestand)
    blad = _blad_van_bestand(boek)
    naam = naam or bestand.name
    bron = f"{naam} (blad {blad.title})" if xlsx else naam

    per_cel: dict[tuple[int, int], list[Probleem]] = {}
    for p in problemen:
        if p.bestand == bron and p.regel:
            per_cel.setdefault((p.regel, p.kolom or 1), []).append(p)
    for (regel, kolom), lijst in per_cel.items():
        cel = blad.cell(regel, kolom)
        tekst = "\n".join(_melding(p) for p in lijst)
        if cel.comment is not None and cel.comment.text:
            tekst = cel.comment.text.rstrip() + "\n" + tekst  # a comment the user wrote stays, ours below it
        cel.comment = Comment(tekst[:MAX_OPMERKING], "contractgen")
        cel.comment.width, cel.comment.height = 420, min(60 + 40 * len(lijst), 400)
        cel.fill = FOUT if any(p.ernst == "fout" for p in lijst) else LET_OP

    overzicht = boek.create_sheet(OVERZICHT, 0)
    fouten = sum(1 for p in problemen if p.ernst == "fout")
    kop = [f"{fouten} fout(en) en {len(problemen) - fouten} waarschuwing(en) in {naam}; er is niets "
           "geïmporteerd. De cellen zijn gekleurd (rood: fout, geel: let op) en hebben een opmerking; klik op "
           "een cel hieronder om ernaar te gaan. Verbeter het bestand zelf en importeer opnieuw."]
    overzicht.append(kop)
    overzicht.append(["Blad", "Cel", "Rij", "Kolom", "Ernst", "Melding"])
    for cel in overzicht[2]:
        cel.font = Font(bold=True)
    for p in sorted(problemen, key=lambda p: (p.bestand != bron, p.regel, p.kolom)):
        op_cel = p.bestand == bron and p.regel
        adres = f"{get_column_letter(p.kolom or 1)}{p.regel}" if op_cel else ""
        kolomkop = re.sub(r"^kolom [A-Z]+ ?", "", p.pad).strip("'") if p.pad.startswith("kolom ") else p.pad
        overzicht.append([blad.title if op_cel else p.bestand, adres, p.regel or None, kolomkop,
                          "fout" if p.ernst == "fout" else "let op", toonbaar(str(p))])
        rij = overzicht.max_row
        for cel in overzicht[rij]:
            xlsx_tekst(cel)
        if op_cel:
            overzicht.cell(rij, 2).hyperlink = f"#{quote_sheetname(blad.title)}!{adres}"
            overzicht.cell(rij, 2).font = Font(color="0563C1", underline="single")
    xlsx_tekst(overzicht["A1"])
    overzicht["A1"].font = Font(bold=True)
    for letter, breedte in zip("ABCDEF", (14, 8, 6, 28, 8, 120)):
        overzicht.column_dimensions[letter].width = breedte
    overzicht.freeze_panes = "A3"
    boek.active = 0
    for b in boek.worksheets:
        b.sheet_view.tabSelected = b is overzicht
    return boek
