"""Columns of an aanbieders import: the known headers, and a mapping for exports of other systems.

Headers are compared without case, spaces, '-' and '_'. An export from a
contract-management system has its own headers ("Naam organisatie", "KvK-nummer",
"Relatienummer"); a column mapping (`--kolommen mapping.yaml`) says per header which
column of contractgen it is, or `negeren`:

    Naam organisatie: naam
    KvK-nummer: kvk
    Relatienummer: negeren

Every header problem is reported together with the problems of the rows (one round).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from contractgen.basis.posities import LocDict
from contractgen.basis.problemen import Probleem
from contractgen.basis.suggesties import bedoelde_u, hint
from contractgen.domein.dataset import RegioData
from contractgen.intake.tabel import Tabel
from contractgen.laden.bestand import load_file
from contractgen.basis.formaat import bedrag_tekst
from contractgen.regels.aanbieders import alle_eisen, tariefsets

NEGEREN = "negeren"


@dataclass(frozen=True)
class Kolom:
    naam: str  # as documented and named in messages
    pad: tuple[str, ...]  # where the value goes in the record
    soort: str = "tekst"  # tekst | nummer (KvK, AGB) | telefoon | janee | bedrag | domeinen | ...
    aliassen: tuple[str, ...] = ()
    uitleg: str = ""  # the notes row of the intake workbook
    # why the column must stay empty (a tarief the tariff set fixes): the template marks it, a value is refused
    leeg: str = ""


VASTE_KOLOMMEN = [
    Kolom("id", ("id",), uitleg="leeg: gemaakt uit de naam"),
    Kolom("naam", ("naam",), aliassen=("naam aanbieder", "aanbieder", "organisatie", "naam organisatie"),
          uitleg="verplicht"),
    Kolom("kvk", ("kvk",), "nummer", ("kvk nummer", "kvknummer"), "verplicht; 8 cijfers, als tekst"),
    Kolom("agb", ("agb",), "nummer", ("agb code",), "8 cijfers, als tekst"),
    Kolom("straat", ("vestigingsadres", "straat"), aliassen=("adres",), uitleg="straat en huisnummer"),
    Kolom("postcode", ("vestigingsadres", "postcode"), uitleg="1234 AB"),
    Kolom("plaats", ("vestigingsadres", "plaats"), aliassen=("vestigingsplaats",)),
    Kolom("vertegenwoordiger", ("vertegenwoordiger", "naam"), uitleg="tekenbevoegd"),
    Kolom("vertegenwoordiger functie", ("vertegenwoordiger", "functie"), aliassen=("functie",)),
    *(Kolom(f"{rol} {deel}" if deel != "naam" else rol, (rol, veld), "telefoon" if veld == "telefoon" else "tekst",
            uitleg="als tekst, met de 0" if veld == "telefoon" else "")
      for rol in ("contactpersoon", "vervanger")
      for deel, veld in (("naam", "naam"), ("functie", "functie"), ("e-mail", "email"), ("telefoon", "telefoon"))),
    Kolom("domeinen", ("domeinen",), "domeinen", ("domein",), "bijv. Jeugd; Wmo"),
    Kolom("arrangementen", ("arrangementen",), "arrangementen", ("arrangement",),
          "id, titel of productcode; gescheiden door ;"),
    Kolom("verblijf", ("verblijf",), "janee", uitleg="Ja/Nee"),
    Kolom("personen", ("personen",), aliassen=("aantal personen",), uitleg="aantal dat zorg verleent"),
    Kolom("zzp", ("zzp",), "janee", uitleg="Ja/Nee"),
    Kolom("omzet", ("omzet_verwacht",), "bedrag", ("omzet verwacht", "verwachte omzet"), "bijv. 250000"),
    Kolom("uitsluitingsgronden", ("uitsluitingsgronden",), "uitsluiting", ("verklaring uitsluitingsgronden",),
          "Ja/Nee of de datum van de verklaring"),
    Kolom("onderaannemers", ("onderaannemers",), "onderaannemers", ("onderaannemer",),
          "Naam 12345678 (zzp); Naam 2"),
]


def sleutel(tekst: object) -> str:
    """A header as compared: lower case, runs of spaces, '-' and '_' as one space."""
    return re.sub(r"[\s_-]+", " ", str(tekst).strip().lower()).strip()


def kolommen(data: RegioData) -> dict[str, Kolom]:
    """Every column this region knows, by normalised header."""
    bekend: dict[str, Kolom] = {}
    for k in VASTE_KOLOMMEN:
        for naam in (k.naam, *k.aliassen):
            bekend[sleutel(naam)] = k
    for eis_id in alle_eisen(data):
        bekend[sleutel(eis_id)] = Kolom(eis_id, ("kwaliteitseisen", eis_id, "antwoord"), "antwoord",
                                        uitleg="Ja/Nee/NVT")
        bekend[sleutel(f"motivatie {eis_id}")] = Kolom(f"motivatie {eis_id}", ("kwaliteitseisen", eis_id, "motivatie"),
                                                       uitleg="bij Nee of NVT")
    for ts in tariefsets(data):  # the sets in force on the peildatum last: they decide, as the rule does
        for groep in ts.groepen:
            for post in groep.posten:
                bekend[sleutel(f"maximum {post.id}")] = Kolom(f"maximum {post.id}", ("uurtarieven", post.id, "maximum"))
                vast = (f"het tarief staat vast in tariefset '{ts.id}' ({bedrag_tekst(post.tarief)})"
                        if post.tarief is not None else "")
                bekend[sleutel(f"tarief {post.id}")] = Kolom(f"tarief {post.id}", ("uurtarieven", post.id, "tarief"),
                                                             "bedrag", uitleg=f"LEEG LATEN: {vast}" if vast else "",
                                                             leeg=vast)
    return bekend


def lees_mapping(pad: Path, bekend: dict[str, Kolom]) -> tuple[dict[str, Kolom | None], list[Probleem]]:
    """A column mapping file: normalised export header → Kolom (None for `negeren`), and its problems."""
    geladen = load_file(Path(pad))
    problemen = list(geladen.problemen)
    mapping: dict[str, Kolom | None] = {}
    if geladen.data is not None and not isinstance(geladen.data, LocDict):
        problemen.append(Probleem(geladen.naam, 1, 1, "", "verwacht per regel 'kop in de export: kolom', "
                                                          "bijv. 'KvK-nummer: kvk'"))
    elif geladen.data is not None:
        namen = sorted({k.naam for k in bekend.values()} | {NEGEREN})
        for kop, doel in geladen.data.items():
            plaats = geladen.data.sleutels[kop]
            tekst = "" if doel is None else str(getattr(doel, "ruw", doel))
            if sleutel(tekst) == NEGEREN:
                mapping[sleutel(kop)] = None
            elif sleutel(tekst) in bekend:
                mapping[sleutel(kop)] = bekend[sleutel(tekst)]
            else:
                problemen.append(Probleem(geladen.naam, plaats.regel, plaats.kolom, str(kop),
                                          f"onbekende kolom '{tekst}'{hint(tekst, namen)}; verwacht een kolom van "
                                          f"'contractgen aanbieders importeer --help' of '{NEGEREN}'"))
    return mapping, problemen


def koppel(tabel: Tabel, bekend: dict[str, Kolom],
           mapping: dict[str, Kolom | None] | None = None) -> tuple[list[Kolom | None], list[Probleem], str | None]:
    """The column of every header cell (None: empty or ignored), the problems of the header row, and a
    tip when columns are unknown."""
    mapping = mapping or {}
    problemen: list[Probleem] = []
    result: list[Kolom | None] = []
    gezien: dict[Kolom, int] = {}
    onbekend = 0
    for i, cel in enumerate(tabel.kop, start=1):
        tekst = "" if cel is None else str(cel).strip()
        if not tekst:
            result.append(None)
            continue
        if sleutel(tekst) in mapping:
            kolom = mapping[sleutel(tekst)]
            if kolom is None:  # negeren
                result.append(None)
                continue
        else:  # "Telefoon contactpersoon" is 'contactpersoon telefoon': the same words the other way round
            kolom = bekend.get(sleutel(tekst)) or bekend.get(" ".join(reversed(sleutel(tekst).split())))
        if kolom is None:
            onbekend += 1
            gok = bedoelde_u(sleutel(tekst), list(bekend), 0.7)
            problemen.append(tabel.probleem(1, i, "onbekende kolom" + (f"; bedoelde u '{bekend[gok].naam}'?" if gok
                                                                        else ""), tekst))
        elif kolom in gezien:
            problemen.append(tabel.probleem(1, i, f"kolom '{kolom.naam}' staat er twee keer (ook kolom "
                                                  f"{get_column_letter(gezien[kolom])})", tekst))
            kolom = None
        else:
            gezien[kolom] = i
        result.append(kolom)
    for verplicht in ("naam", "kvk"):
        if not any(k is not None and k.naam == verplicht for k in result):
            problemen.append(tabel.probleem(1, 0, f"kolom '{verplicht}' ontbreekt; die is nodig om een aanbieder "
                                                  "te herkennen"))
    tip = None
    if onbekend:
        tip = (f"tip: {onbekend} kolom(men) onbekend (gelezen als {tabel.gelezen_als}); maak met 'contractgen "
               f"aanbieders kolommen {tabel.naam}' een kolommenbestand dat elke kop koppelt aan een kolom of "
               f"'{NEGEREN}', en geef het mee met --kolommen")
    return result, problemen, tip
