"""Files that guide an import: the intake workbook and a column mapping to fill in.

`schrijf_sjabloon`: an .xlsx with the headers of the region (fixed columns, one per
kwaliteitseis with its motivatie), a notes row (starts with '#', skipped by the import),
every column formatted as text (so Excel keeps leading zeros), and dropdowns (data
validation) for domeinen, arrangement ids (their printed names beside them on the lists
sheet) and Ja/Nee/NVT. A column that must stay empty (a tarief the tariff set fixes) is grey,
says why in its notes cell and a comment, and refuses a value.

`schrijf_mapping`: for an export of another system, a YAML file that maps each of its
headers to a column (a guess where one is close) or `negeren`, for `--kolommen`.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from contractgen.basis.atomisch import schrijf_atomisch
from contractgen.basis.cellen import xlsx_tekst
from contractgen.basis.suggesties import bedoelde_u
from contractgen.domein.dataset import RegioData
from contractgen.intake.cellen import tekst
from contractgen.intake.kolommen import NEGEREN, Kolom, kolommen, sleutel
from contractgen.intake.tabel import BLADNAAM, lees_tabel

RIJEN = 500  # rows that get dropdowns and the text format
LEEG = PatternFill("solid", fgColor="D9D9D9")  # a column that must stay empty (kolommen.Kolom.leeg)


def _kolommen_op_volgorde(data: RegioData) -> list[Kolom]:
    return list(dict.fromkeys(kolommen(data).values()))


def schrijf_sjabloon(data: RegioData, doel: Path) -> int:
    """Write the intake workbook; returns the number of columns."""
    boek = Workbook()
    blad = boek.active
    blad.title = BLADNAAM.capitalize()
    lijsten = boek.create_sheet("Keuzelijsten")
    domeinen = [d.naam for d in data.regio.domeinen]
    # ids in the dropdown (a printed name can belong to two domeinen); the name beside it to look up
    per_id = {a.id: a.titel for t in data.tariefsets for a in t.arrangementen}
    arrangementen = list(per_id)
    for k, (kop, waarden) in enumerate([("domeinen", domeinen), ("arrangementen", arrangementen),
                                        ("antwoorden", ["Ja", "Nee", "NVT"]), ("ja/nee", ["Ja", "Nee"]),
                                        ("arrangement (titel)", list(per_id.values()))], start=1):
        lijsten.cell(1, k, kop).font = Font(bold=True)
        for r, w in enumerate(waarden, start=2):
            xlsx_tekst(lijsten.cell(r, k, w))
    bereik = {soort: f"{quote_sheetname(lijsten.title)}!${get_column_letter(k)}$2:${get_column_letter(k)}${n + 1}"
              for k, (soort, n) in enumerate([("domeinen", len(domeinen)), ("arrangementen", len(arrangementen)),
                                              ("antwoord", 3), ("janee", 2)], start=1)}

    alle = _kolommen_op_volgorde(data)
    for k, kolom in enumerate(alle, start=1):
        kop = blad.cell(1, k, kolom.naam)
        kop.font = Font(bold=True)
        xlsx_tekst(kop)
        notitie = blad.cell(2, k, ("# " if k == 1 else "") + (kolom.uitleg or ""))
        notitie.font = Font(italic=True, color="666666")
        xlsx_tekst(notitie)
        letter = get_column_letter(k)
        blad.column_dimensions[letter].width = max(12, min(len(kolom.naam) + 4, 40))
        if kolom.leeg:
            # a column that must stay empty says so and why (grey, a comment, and any value is refused)
            for cel in (kop, notitie):
                cel.fill = LEEG
            kop.comment = Comment(f"Laat deze kolom leeg: {kolom.leeg}.", "contractgen")
            for r in range(3, RIJEN + 3):
                blad.cell(r, k).fill = LEEG
            leeg = DataValidation(type="textLength", operator="equal", formula1="0", allow_blank=True,
                                  showErrorMessage=True, errorTitle="Kolom blijft leeg",
                                  error=f"Laat deze kolom leeg: {kolom.leeg}."[:255])
            leeg.add(f"{letter}3:{letter}{RIJEN + 2}")
            blad.add_data_validation(leeg)
            continue
        if kolom.soort not in ("bedrag", "janee") and kolom.naam != "personen":
            for r in range(3, RIJEN + 3):
                blad.cell(r, k).number_format = "@"  # text: Excel keeps 0612345678 and 01234567 as typed
        soort = {"domeinen": "domeinen", "arrangementen": "arrangementen", "antwoord": "antwoord",
                 "janee": "janee"}.get(kolom.soort)
        if soort:
            # a list cell (domeinen, arrangementen) may hold several values: the dropdown only helps
            controle = DataValidation(type="list", formula1=bereik[soort], allow_blank=True,
                                      showErrorMessage=soort in ("antwoord", "janee"))
            controle.add(f"{letter}3:{letter}{RIJEN + 2}")
            blad.add_data_validation(controle)
    blad.freeze_panes = "B3"
    schrijf_atomisch(doel, boek.save)
    return len(alle)


def schrijf_mapping(data: RegioData, export: Path, doel: Path) -> tuple[int, int]:
    """A mapping for the headers of `export`; returns (headers, headers with a guess)."""
    tabel = lees_tabel(export)
    bekend = kolommen(data)
    namen = sorted({k.naam for k in bekend.values()})
    regels = [f"# Kolommen van {tabel.naam} ({tabel.gelezen_als}) → kolommen van contractgen.",
              f"# Controleer elke regel; '{NEGEREN}' slaat een kolom over. Gebruik: contractgen aanbieders "
              f"importeer {tabel.naam} --kolommen {doel.name}"]
    geraden = 0
    gebruikt: set[str] = set()
    for cel in tabel.kop:
        kop = tekst(cel)
        if not kop:
            continue
        woorden = sleutel(kop).split()
        # "Telefoon contactpersoon" is 'contactpersoon telefoon': try the words the other way round too
        kolom = bekend.get(sleutel(kop)) or bekend.get(" ".join(reversed(woorden)))
        gok = kolom.naam if kolom else bedoelde_u(sleutel(kop), namen, 0.6)
        if gok in gebruikt:
            regels.append(f"{_yaml_sleutel(kop)}: {NEGEREN}  # lijkt op '{gok}', maar die kolom is al gekoppeld")
            continue
        if gok:
            gebruikt.add(gok)
            geraden += 1
        regels.append(f"{_yaml_sleutel(kop)}: {gok or NEGEREN}" + ("" if gok else "  # geen kolom gevonden"))
    schrijf_atomisch(doel, lambda p: p.write_text("\n".join(regels) + "\n", encoding="utf-8"))
    return len(regels) - 2, geraden


def _yaml_sleutel(tekst_: str) -> str:
    return "'" + tekst_.replace("'", "''") + "'"
