"""`contractgen overzicht`: every aanbieder at a glance, for the inkoopteam.

Per aanbieder: the contracted arrangementen, missing and invalid answers to the
kwaliteitseisen, other problems, what the record still lacks, the social return
obligation, and whether its documents are built and still match their sources (the
manifest.json that `contractgen build` writes). It works on data with errors too: an
overview is where one looks for them.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from contractgen.basis.atomisch import schrijf_atomisch
from contractgen.basis.cellen import csv_veilig, xlsx_tekst
from contractgen.basis.formaat import bedrag_tekst, datum_tekst
from contractgen.basis.hashing import sha256_bestand
from contractgen.basis.namen import display_path, veilige_naam
from contractgen.basis.problemen import DataFout, Probleem
from contractgen.domein.dataset import RegioData
from contractgen.domein.model import Aanbieder
from contractgen.domein.zoeken import pakket
from contractgen.laden.regio import load_dataset
from contractgen.ondertekening.status import aanbieder_map, ondertekenstatus
from contractgen.regels.aanbieders import (
    eis_label,
    eisen_voor,
    ontbrekende_antwoorden,
    onvolledig,
    social_return_plicht,
    tariefsets,
)
from contractgen.regels.integriteit import check_integrity
from contractgen.uitvoer.manifest import Bestandsstaat, klopt
from contractgen.uitvoer.wissel import leesbaar

AANGEVINKT, OPEN = "☒", "☐"


@dataclass
class Regel:
    """One aanbieder in the overview."""

    id: str
    naam: str
    kvk: str
    domeinen: list[str]
    arrangementen: list[str]
    eisen: int = 0
    beantwoord: int = 0
    ontbrekend: list[str] = field(default_factory=list)
    ongeldig: list[str] = field(default_factory=list)
    fouten: int = 0
    problemen: list[Probleem] = field(default_factory=list)
    onvolledig: list[str] = field(default_factory=list)
    omzet: Decimal | None = None
    social_return: str = ""
    documenten: str = ""
    ondertekening: str = ""

    @property
    def antwoorden(self) -> str:
        tekst = f"{self.beantwoord}/{self.eisen}"
        if self.ontbrekend:
            tekst += f", {len(self.ontbrekend)} ontbrekend"
        if self.ongeldig:
            tekst += f", ongeldig: {', '.join(self.ongeldig)}"
        return tekst


@dataclass
class RegioOverzicht:
    id: str
    naam: str
    peildatum: date
    arrangementen: list[tuple[str, str]]  # (id, titel) in tariff-set order
    regels: list[Regel]
    problemen: list[Probleem]  # every problem of the aanbieders, for the problem list


def maak_overzicht(pad: Path, uitvoer: Path, peildatum: date | None = None) -> list[RegioOverzicht]:
    regios, problemen = load_dataset(pad)
    if not regios:
        raise DataFout(problemen)
    with leesbaar(uitvoer):  # the output as one generation: not while a build swaps folders
        return [regio_overzicht(r, problemen + check_integrity(r), uitvoer, peildatum) for r in regios]


def regio_overzicht(data: RegioData, problemen: list[Probleem], uitvoer: Path,
                     peildatum: date | None) -> RegioOverzicht:
    peildatum = peildatum or data.regio.standaard_peildatum
    aanbieder_map = display_path(data.map / "aanbieders")
    eigen = [p for p in problemen if p.bestand.startswith(aanbieder_map + "/")]
    per_bestand: dict[str, list[Probleem]] = {}
    for p in eigen:
        per_bestand.setdefault(p.bestand, []).append(p)
    kennis = Bronkennis(data, uitvoer)
    regels = [_regel(data, a, per_bestand.get(data.waar(a).naam, []), uitvoer, peildatum, kennis)
              for a in sorted(data.aanbieders, key=lambda a: a.id)]
    # a file that does not validate is no aanbieder yet, but it belongs in the overview
    geladen = {data.waar(a).naam for a in data.aanbieders}
    for bestand in sorted({p.bestand for p in eigen} - geladen):
        fouten = [p for p in eigen if p.bestand == bestand]
        regels.append(Regel(Path(bestand).stem, "(bestand ongeldig)", "", [], [], fouten=len(fouten),
                            problemen=fouten, documenten="-"))
    # an arrangement that returns in next year's set is one row, with the title in force
    arrangementen = list({a.id: (a.id, a.titel) for t in tariefsets(data) for a in t.arrangementen}.values())
    return RegioOverzicht(data.regio.id, data.regio.naam, peildatum, arrangementen, regels,
                          sorted(p for r in regels for p in r.problemen))


def _regel(data: RegioData, a: Aanbieder, problemen: list[Probleem], uitvoer: Path, peildatum: date,
           kennis: Bronkennis) -> Regel:
    eisen = eisen_voor(data, a, peildatum)
    labels = {e.id: eis_label(e) for e in eisen}
    ongeldig = sorted({p.pad.split(".")[1] for p in problemen
                       if p.ernst == "fout" and p.pad.startswith("kwaliteitseisen.")},
                      key=lambda i: list(labels).index(i) if i in labels else len(labels))
    regel = Regel(a.id, a.naam, a.kvk, list(a.domeinen), list(a.arrangementen), eisen=len(eisen),
                  beantwoord=sum(1 for e in eisen if e.id in a.kwaliteitseisen),
                  ontbrekend=[eis_label(e) for e in ontbrekende_antwoorden(data, a, peildatum)],
                  ongeldig=[labels.get(i, i) for i in ongeldig],
                  fouten=sum(1 for p in problemen if p.ernst == "fout"), problemen=problemen,
                  onvolledig=onvolledig(a), omzet=a.omzet_verwacht)
    plicht = social_return_plicht(data, a)
    sr = data.regio.social_return
    if sr is not None:
        regel.social_return = {True: f"ja (omzet > {bedrag_tekst(sr.drempel)})", False: "nee",
                               None: "onbekend (omzet ontbreekt)"}[plicht]
    regel.documenten = documentstatus(data, a, uitvoer, peildatum, kennis)
    regel.ondertekening = _ondertekening(data, a, uitvoer, peildatum)
    return regel


def _ondertekening(data: RegioData, a: Aanbieder, uitvoer: Path, peildatum: date) -> str:
    """Signing state from the ondertekend/ records (see contractgen.ondertekening.status)."""
    return ondertekenstatus(aanbieder_map(uitvoer, data.regio.id, peildatum.year, a.id))


class Bronkennis:
    """What `documentstatus` needs once per region and run, not once per aanbieder: each aanbieder's
    own file by its display name, source hashes (each file read once) and what the build recorded of
    its output files (`uitvoer.manifest.Bestandsstaat`: an untouched file is not read).

    Without it an overview of 1,000 aanbieders resolved every data file for every aanbieder
    (a million path resolutions) and read every output file (2.6 GB with PDFs): 30 s and more.
    """

    def __init__(self, data: RegioData, uitvoer: Path):
        self.eigen = {display_path(p): p.resolve() for p in data.bestanden}
        self.staat = Bestandsstaat(Path(uitvoer))
        self._hashes: dict[Path, str | None] = {}

    def hash(self, pad: Path) -> str | None:
        """SHA-256 of a source file, None when it is gone; read once per run."""
        if pad not in self._hashes:
            self._hashes[pad] = sha256_bestand(pad) if pad.is_file() else None
        return self._hashes[pad]


def documentstatus(data: RegioData, a: Aanbieder, uitvoer: Path, peildatum: date,
                   kennis: Bronkennis | None = None) -> str:
    """Built and current, or what differs from the manifest.json of the last build."""
    kennis = kennis or Bronkennis(data, uitvoer)
    map_ = Path(uitvoer) / veilige_naam(data.regio.id) / str(peildatum.year) / veilige_naam(a.id)
    try:
        manifest = json.loads((map_ / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "niet gebouwd"
    except (OSError, ValueError):
        return "onbekend (manifest.json onleesbaar)"
    for naam in sorted(manifest.get("bestanden", {})):
        if not (map_ / naam).is_file():
            return f"onvolledig ({naam} ontbreekt)"
        if not klopt(map_, naam, manifest, kennis.staat):
            return f"gewijzigd na bouw ({naam})"
    if manifest.get("peildatum") != peildatum.isoformat():
        return f"verouderd (gebouwd met peildatum {manifest.get('peildatum')})"
    gebouwd = [(d.get("document"), d.get("versie")) for d in manifest.get("documenten", [])]
    if gebouwd != [(d.id, d.versie) for d in pakket(data, a, peildatum)]:
        return "verouderd (het pakket heeft nu andere documenten of versies)"
    basis = data.map.parent.resolve()
    eigen = kennis.eigen.get(data.waar(a).naam)
    gewijzigd = []
    for naam, hash_ in sorted(manifest.get("bronnen", {}).items()):
        pad = basis / naam
        if pad.parent.name == "aanbieders" and pad.parent.parent.name == data.map.name and pad.resolve() != eigen:
            continue  # another aanbieder's file: a source of that aanbieder's documents, not of these
        if kennis.hash(pad) != hash_:
            gewijzigd.append(pad.name)
    if gewijzigd:
        namen = ", ".join(gewijzigd[:3]) + (" …" if len(gewijzigd) > 3 else "")
        return f"verouderd ({len(gewijzigd)} bron(nen) gewijzigd: {namen})"
    return "actueel"


# --- formats ---------------------------------------------------------------------------

KOLOMMEN = ["regio", "aanbieder", "naam", "kvk", "domeinen", "arrangementen", "kwaliteitseisen beantwoord",
            "kwaliteitseisen totaal", "ontbrekende antwoorden", "ongeldige antwoorden", "fouten", "onvolledig",
            "omzet verwacht", "social return", "documenten", "ondertekening"]


def _rijen(overzichten: list[RegioOverzicht]) -> tuple[list[str], list[list]]:
    """One table: a row per aanbieder, a column per arrangement (x = contracted)."""
    arrangementen = list(dict.fromkeys(i for o in overzichten for i, _ in o.arrangementen))
    rijen = []
    for o in overzichten:
        for r in o.regels:
            rijen.append([o.id, r.id, r.naam, r.kvk, ", ".join(r.domeinen), len(r.arrangementen), r.beantwoord,
                          r.eisen, ", ".join(r.ontbrekend), ", ".join(r.ongeldig), r.fouten, ", ".join(r.onvolledig),
                          str(r.omzet) if r.omzet is not None else "", r.social_return, r.documenten, r.ondertekening]
                         + ["x" if i in r.arrangementen else "" for i in arrangementen])
    return KOLOMMEN + arrangementen, rijen


def als_csv(overzichten: list[RegioOverzicht]) -> str:
    kop, rijen = _rijen(overzichten)
    uit = io.StringIO()
    # ';': what Dutch Excel expects; every cell quoted (OWASP), so a CR inside a name cannot split a row
    schrijver = csv.writer(uit, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_ALL)
    schrijver.writerow([csv_veilig(c) for c in kop])
    schrijver.writerows([csv_veilig(c) for c in rij] for rij in rijen)  # names come from the data: no formulas
    return uit.getvalue()


def als_xlsx(overzichten: list[RegioOverzicht], pad: Path) -> None:
    boek = Workbook()
    blad = boek.active
    blad.title = "Aanbieders"
    kop, rijen = _rijen(overzichten)
    _tabel(blad, kop, rijen, Font, vast="C2")

    matrix = boek.create_sheet("Arrangementen")
    for n, o in enumerate(overzichten):
        aanbieders = [r for r in o.regels if r.kvk]
        _tabel(matrix, ["regio", "arrangement", "titel"] + [r.id for r in aanbieders],
               [[o.id, i, titel] + ["x" if i in r.arrangementen else "" for r in aanbieders]
                for i, titel in o.arrangementen], Font, eerste=n == 0)

    problemen = boek.create_sheet("Problemen")
    _tabel(problemen, ["regio", "bestand", "regel", "kolom", "veld", "ernst", "bericht"],
           [[o.id, p.bestand, p.regel or None, p.kolom or None, p.pad, p.ernst, p.bericht]
            for o in overzichten for p in o.problemen], Font)
    schrijf_atomisch(pad, boek.save)


def _tabel(blad, kop: list[str], rijen: list[list], Font, eerste: bool = True, vast: str = "A2") -> None:
    """Append a table with a bold header; the first table of a sheet gets frozen panes and a filter."""
    if not eerste:
        blad.append([])
    blad.append(kop)
    for cel in blad[blad.max_row]:
        cel.font = Font(bold=True)
        xlsx_tekst(cel)
    for rij in rijen:
        blad.append(rij)
        for cel in blad[blad.max_row]:
            xlsx_tekst(cel)  # names come from the data: text, never a formula
    if eerste:
        blad.freeze_panes = vast
        blad.auto_filter.ref = blad.dimensions
    for kolom in blad.iter_cols():
        breedte = max((len(str(c.value)) for c in kolom if c.value is not None), default=4)
        blad.column_dimensions[kolom[0].column_letter].width = min(max(breedte + 2, 6), 60)


def als_tekst(overzichten: list[RegioOverzicht]) -> str:
    delen = []
    for o in overzichten:
        delen.append(f"Overzicht {o.naam} — peildatum {datum_tekst(o.peildatum)} — {len(o.regels)} aanbieder(s)\n")
        kop = ["#", "Aanbieder", "KvK", "Domeinen", "Arr.", "Kwaliteitseisen", "Fouten", "Social return", "Documenten", "Ondertekening"]
        rijen = [[str(n), r.id, r.kvk, ", ".join(r.domeinen), str(len(r.arrangementen)), r.antwoorden,
                  str(r.fouten), r.social_return or "-", r.documenten, r.ondertekening or "-"] for n, r in enumerate(o.regels, start=1)]
        delen.append(_uitgelijnd(kop, rijen))

        nummers = [str(n) for n, r in enumerate(o.regels, start=1) if r.kvk]
        gebruikt = [r for r in o.regels if r.kvk]
        if o.arrangementen and gebruikt:
            delen.append(f"\nArrangementen ({AANGEVINKT} gecontracteerd, kolommen: # hierboven)\n")
            rijen = [[i] + [AANGEVINKT if i in r.arrangementen else OPEN for r in gebruikt] for i, _ in o.arrangementen]
            delen.append(_uitgelijnd(["Arrangement"] + nummers, rijen))

        onvolledig = [f"  {r.id}: {', '.join(r.onvolledig)}" for r in o.regels if r.onvolledig]
        if onvolledig:
            delen.append("\nNog niet ingevuld\n" + "\n".join(onvolledig) + "\n")
        if o.problemen:
            delen.append("\nProblemen\n" + "\n".join(f"  {p.ernst}: {p}" for p in o.problemen) + "\n")
        delen.append("\n")
    return "".join(delen).rstrip("\n") + "\n"


def _uitgelijnd(kop: list[str], rijen: list[list[str]]) -> str:
    breedtes = [max(len(str(r[i])) for r in [kop] + rijen) for i in range(len(kop))]
    regels = ["  ".join(str(c).ljust(b) for c, b in zip(r, breedtes)).rstrip() for r in [kop] + rijen]
    return "\n".join(regels) + "\n"
