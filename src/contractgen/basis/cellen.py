"""Cells for spreadsheets the tool writes: text stays text when Excel opens the file.

A value from the data (an aanbieder name, a message quoting what a user typed) that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel and
LibreOffice ("CSV injection", OWASP): `=HYPERLINK(...)` would become a live link in the
overview the inkoopteam opens. The OWASP rule: in CSV such a cell gets a leading `'`;
in xlsx every text is written as a string cell (never a formula), with Excel's
quote prefix so that editing the cell does not turn it into one either.
"""

from __future__ import annotations

from typing import Any

GEVAARLIJK = ("=", "+", "-", "@", "\t", "\r")


def csv_veilig(waarde: Any) -> Any:
    """A CSV cell that no spreadsheet will evaluate: text starting with = + - @ TAB CR gets a leading '."""
    if isinstance(waarde, str) and waarde.startswith(GEVAARLIJK):
        return "'" + waarde
    return waarde


def csv_voorloopnullen(waarde: Any) -> Any:
    """A code of digits with a leading zero (KvK 06789012, AGB) as `="06789012"`: Excel and LibreOffice Calc
    open a CSV by double-click and would read 06789012 as the number 6789012; this form they show as the
    text 06789012 (issue 29). Only for digits: nothing else can be in it, so it is no injection."""
    if isinstance(waarde, str) and len(waarde) > 1 and waarde.startswith("0") and waarde.isdigit() and waarde.isascii():
        return f'="{waarde}"'
    return waarde


def xlsx_tekst(cel: Any) -> None:
    """Make an openpyxl cell holding text a string cell (openpyxl guesses a formula from a leading =)."""
    if isinstance(cel.value, str):
        cel.data_type = "s"
        if cel.value.startswith(GEVAARLIJK):
            cel.quotePrefix = True
