"""One cell of an aanbieders import → the value of the record, or a Dutch reason quoting the cell as typed.

Numbers in text columns are never silently changed: a KvK-nummer, AGB-code or telephone
number stored as a number has lost its leading zero (Excel drops it), so such a cell is
refused unless Excel shows the zeros (a number format like 00000000, see intake.tabel).
A KvK-nummer or AGB-code typed with spaces or dots ("0123 4567") is read without them.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from contractgen.basis.formaat import lees_bedrag
from contractgen.basis.formaat import MAANDEN
from contractgen.basis.suggesties import bedoelde_u
from contractgen.domein import domeinen
from contractgen.domein.dataset import RegioData
from contractgen.intake.kolommen import Kolom
from contractgen.laden.bestand import STUURTEKEN, stuurteken_bericht

JA = {"ja", "j", "true", "waar", "1", "x"}
NEE = {"nee", "n", "false", "onwaar", "0"}


class Celfout(ValueError):
    """The cell cannot be read; the message is Dutch and quotes the cell as typed. `deels`: what could be
    read of it (the known domeinen of 'Jeugd; Jeugdzorg'), so the row's other rules still run."""

    def __init__(self, bericht: str, deels: Any = None):
        super().__init__(bericht)
        self.deels = deels


def tekst(waarde: Any) -> str:
    """A cell as text, as the user sees it (a whole float without .0, a date as JJJJ-MM-DD)."""
    if waarde is None:
        return ""
    if isinstance(waarde, float) and waarde.is_integer():
        return str(int(waarde))
    if isinstance(waarde, datetime):
        return waarde.date().isoformat()
    return str(waarde).strip()


def _getal(waarde: Any) -> bool:
    return isinstance(waarde, (int, float)) and not isinstance(waarde, bool)


def _lijst(waarde: Any) -> list[str]:
    return [d.strip() for d in re.split(r"[;,\n]+", tekst(waarde)) if d.strip()]




def _bedrag(waarde: Any) -> str:
    """An amount as the model wants it ('80000', '16.50'); Celfout quoting the cell as typed."""
    if isinstance(waarde, float) and not waarde.is_integer():
        return f"{Decimal(str(waarde)):.2f}"
    try:
        return lees_bedrag(tekst(waarde))
    except ValueError as fout:
        raise Celfout(str(fout)) from None


DATUMVORM = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2})")


def _datum(waarde: str) -> date | None:
    """A date typed as 01-11-2017, 1/11/2017 or 2017-11-01; None when it is not written as a date;
    Celfout for a date that does not exist (31-02-2019), saying why."""
    vorm = DATUMVORM.fullmatch(waarde.strip())
    if vorm is None:
        return None
    d, m, j = (vorm.group(1), vorm.group(2), vorm.group(3)) if vorm.group(1) else (vorm.group(6), vorm.group(5),
                                                                                   vorm.group(4))
    dag, maand, jaar = int(d), int(m), int(j)
    if not 1 <= maand <= 12:
        raise Celfout(f"datum '{waarde}' bestaat niet: er is geen maand {maand}; schrijf de datum als dag-maand-jaar, "
                      "bijv. 01-11-2017")
    laatste = calendar.monthrange(jaar, maand)[1]
    if not 1 <= dag <= laatste:
        raise Celfout(f"datum '{waarde}' bestaat niet: {MAANDEN[maand - 1]} {jaar} heeft {laatste} dagen; "
                      "verbeter de dag, bijv. 01-11-2017")
    return date(jaar, maand, dag)


def _nummer(kolom: Kolom, cel: Any) -> str:
    """KvK-nummer or AGB-code: 8 digits as text."""
    if _getal(cel):
        cijfers = tekst(cel)
        if len(cijfers) not in (6, 7):
            return cijfers  # 8 digits; or so far off that the model's message fits better
        raise Celfout(f"'{cijfers}' staat als getal in de cel ({len(cijfers)} cijfers): Excel laat een voorloopnul "
                      "dan weg; maak de kolom in Excel 'Tekst' en typ het nummer opnieuw (of typ er een ' voor)")
    kaal = re.sub(r"[\s.]", "", tekst(cel))
    return kaal if re.fullmatch(r"\d{8}", kaal) else tekst(cel)  # the model quotes what was typed


def waarde(kolom: Kolom, cel: Any, data: RegioData, domeinen: list[str] | None = None) -> Any:
    """A cell as the record wants it (`domeinen`: of this row, for arrangement names); Celfout with a
    Dutch message when it cannot be read."""
    stuur = STUURTEKEN.search(tekst(cel))
    if stuur:  # Alt+Enter is a newline and fine; a pasted \v (Word's Shift+Enter) or \f is not
        raise Celfout(stuurteken_bericht(stuur.group(), tekst(cel)[:stuur.start()]))
    if kolom.soort == "nummer":
        return _nummer(kolom, cel)
    if kolom.leeg:
        raise Celfout(f"deze kolom blijft leeg: {kolom.leeg}; maak de cel leeg (er staat '{tekst(cel)}')")
    if kolom.soort == "telefoon" and _getal(cel):
        raise Celfout(f"telefoonnummer '{tekst(cel)}' staat als getal in de cel: de 0 aan het begin is dan "
                      "weggevallen; maak de kolom in Excel 'Tekst' en typ het nummer opnieuw (of typ er een ' voor)")
    if kolom.soort == "telefoon" and re.fullmatch(r"[1-9]\d{8}", re.sub(r"[\s-]", "", tekst(cel))):
        # the same loss in a CSV: a spreadsheet that saved the column as a number wrote 431234567
        raise Celfout(f"telefoonnummer '{tekst(cel)}' heeft 9 cijfers en begint niet met 0 of +: de 0 aan het begin "
                      "is weggevallen (de kolom stond in het rekenblad als getal); typ het nummer met de 0, bijv. "
                      "0431234567, en sla de kolom op als 'Tekst'")
    if kolom.soort == "janee":
        woord = tekst(cel).lower()
        if woord in JA or woord in NEE:
            return woord in JA
        raise Celfout(f"ongeldige waarde '{tekst(cel)}'; verwacht ja of nee")
    if kolom.soort == "bedrag":
        return _bedrag(cel)
    if kolom.soort == "domeinen":
        return _domeinen(_lijst(cel), data)
    if kolom.soort == "arrangementen":
        return arrangementen(_lijst(cel), data, domeinen)
    if kolom.soort == "uitsluiting":
        if isinstance(cel, datetime):
            return {"verklaard": True, "datum": cel.date()}
        woord = tekst(cel)
        if woord.lower() in JA or woord.lower() in NEE:
            return {"verklaard": woord.lower() in JA}
        datum = _datum(woord)
        if datum is None:
            raise Celfout(f"ongeldige waarde '{woord}'; verwacht ja, nee of de datum van de verklaring "
                          "(bijv. 01-11-2017)")
        return {"verklaard": True, "datum": datum}
    if kolom.soort == "onderaannemers":
        return [_onderaannemer(d) for d in re.split(r"[;\n]+", tekst(cel)) if d.strip()]
    return tekst(cel)


def _domeinen(waarden: list[str], data: RegioData) -> list[str]:
    """Codes of the domeinen named (any name of the registry, `domein.domeinen`); Celfout naming each
    unknown one as typed with the list of domeinen."""
    result, onbekend = [], []
    for naam in waarden:
        d = domeinen.zoek(data.regio, naam)
        if d is None:
            onbekend.append(naam)
        elif d.id not in result:
            result.append(d.id)
    if onbekend:
        raise Celfout("; ".join(domeinen.onbekend(data.regio, n) for n in onbekend)
                      + "; meerdere domeinen scheidt u met ';'", deels=result)
    return result


def _gewoon(naam: str) -> str:
    return " ".join(naam.lower().split())


def arrangementen(waarden: list[str], data: RegioData, domeinen: list[str] | None = None) -> list[str]:
    """Ids, printed names ("Begeleiding individueel") or productcodes (bijlage 2.1: a code contracts its
    whole arrangement); a name that two domeinen use is the one of the aanbieder's `domeinen`.
    Celfout naming every value that is none of these (with a suggestion) or stays ambiguous."""
    per_code = {p.productcode: a.id for t in data.tariefsets for a in t.arrangementen
                for p in [*a.producten, *a.toeslagen]}
    per_naam: dict[str, dict[str, str | None]] = {}  # name -> {arrangement id: domein}
    for t in data.tariefsets:
        for a in t.arrangementen:
            kort = re.sub(r"^arrangement\s+", "", a.titel, flags=re.I)
            # "Begeleiding individueel" names "Arrangement Begeleiding individueel (maandtarief)" too
            for naam in (a.id, a.titel, kort, re.sub(r"\s*\([^)]*\)$", "", kort)):
                per_naam.setdefault(_gewoon(naam), {})[a.id] = t.domein
    # suggestions: printed names (short form) of this row's domeinen, and ids
    namen = {n: a.id for t in data.tariefsets if not domeinen or t.domein in domeinen for a in t.arrangementen
             for n in (re.sub(r"\s*\([^)]*\)$", "", re.sub(r"^arrangement\s+", "", a.titel, flags=re.I)), a.id)}
    result: list[str] = []
    onbekend: list[str] = []
    for w in waarden:
        kandidaten: dict[str, str | None] = {per_code[w]: None} if w in per_code else per_naam.get(_gewoon(w), {})
        if len(kandidaten) > 1 and domeinen:
            kandidaten = {i: d for i, d in kandidaten.items() if d in domeinen} or kandidaten
        if len(kandidaten) == 1:
            ident = next(iter(kandidaten))
            if ident not in result:
                result.append(ident)
        elif kandidaten:
            onbekend.append(f"'{w}' (dat is {' of '.join(sorted(kandidaten))}; vul het domein in of gebruik het id)")
        else:
            gok = bedoelde_u(re.sub(r"^arrangement\s+", "", w, flags=re.I), list(namen), 0.5)
            uitleg = "" if gok is None else f" (bedoelde u '{gok}'?)" if gok == namen[gok] else \
                f" (bedoelde u '{gok}', {namen[gok]}?)"
            onbekend.append(f"'{w}'{uitleg}")
    if onbekend:
        raise Celfout(f"onbekend arrangement {', '.join(onbekend)}; verwacht een id, titel of productcode "
                      "uit de tarieven van de regio")
    return result


def _onderaannemer(regel: str) -> dict[str, Any]:
    zzp = bool(re.search(r"\(zzp\)", regel, re.I))
    regel = re.sub(r"\(zzp\)", "", regel, flags=re.I).strip()
    kvk = re.search(r"\b\d{8}\b\s*$", regel)
    result: dict[str, Any] = {"naam": regel[: kvk.start()].strip(" ,-") if kvk else regel}
    if kvk:
        result["kvk"] = kvk.group().strip()
    if zzp:
        result["zzp"] = True
    return result
