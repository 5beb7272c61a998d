"""Bulk intake: aanbieders from a contract-management export (CSV or XLSX).

Each row becomes an aanbieder record, checked by the same model and rules as a file in
aanbieders/ (validate.py, integrity.py, aanbieder_regels.py). Only when every row is
valid is anything written, all files as one transaction of the region (basis/transactie.py),
so an import is never half done, whatever stops it.

Reading the file is intake.tabel, its columns intake.kolommen (with a mapping for other
systems' exports), one cell intake.cellen. Every problem of a file comes in one run, each
naming file, sheet, row, column and the value as typed. Columns (first row; case, spaces,
'-' and '_' do not matter):

  id, naam, kvk, agb, straat, postcode, plaats,
  vertegenwoordiger, vertegenwoordiger functie,
  contactpersoon, contactpersoon functie/e-mail/telefoon, vervanger, vervanger functie/e-mail/telefoon,
  domeinen (ids or names: "Jeugd; Wmo"), arrangementen (ids, titles or productcodes), verblijf (ja/nee),
  personen, zzp (ja/nee), omzet, uitsluitingsgronden (ja/nee or the date of the declaration),
  onderaannemers ("Naam 12345678 (zzp); Naam 2"),
  <eis> (Ja/Nee/NVT, e.g. "A1", "D2-2"), motivatie <eis>, maximum <post>, tarief <post>.

Only naam and kvk are required as columns. Without an id column, a row is matched to an
existing aanbieder by KvK-nummer, else it gets an id made from its name. An existing
aanbieder is only changed with `bijwerken`: the filled cells replace its values, the rest
of its record stays.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from contractgen.basis.gezicht import plaats, zeg
from contractgen.basis.namen import display_path
from contractgen.basis.problemen import DataFout, Probleem
from contractgen.basis.transactie import Auteur, Transactie, sha256_van
from contractgen.domein.dataset import Herkomst, RegioData
from contractgen.domein.model import Aanbieder
from contractgen.intake.cellen import Celfout, tekst, waarde
from contractgen.intake.kolommen import (
    VASTE_KOLOMMEN,
    Kolom,
    kolommen,
    koppel,
    lees_mapping,
)
from contractgen.intake.tabel import ImportFout, Tabel, lees_tabel
from contractgen.laden.bestand import Geladen, KernDumper, load_file, load_text
from contractgen.laden.regio import load_dataset
from contractgen.laden.validatie import validate_model
from contractgen.regels.integriteit import check_integrity

__all__ = ["ImportFout", "Importresultaat", "importeer", "maak_id", "regio_van"]


@dataclass
class Rij:
    regel: int
    koppen: dict[tuple, tuple[int, str]] = field(default_factory=dict)  # record path -> (column, header)
    onleesbaar: set[str] = field(default_factory=set)  # fields whose cell was refused: said once, not again
    deels: set[str] = field(default_factory=set)  # fields read in part (a list cell with an unknown entry)


@dataclass
class Geimporteerd:
    id: str
    regel: int
    pad: Path
    nieuw: bool
    aanbieder: Aanbieder
    sha256: str | None = None  # of the existing file as it was read (None: new), checked before writing
    ongewijzigd: bool = False  # an existing aanbieder the row leaves as it is: not written again

    @property
    def status(self) -> str:
        """nieuw | bijgewerkt | ongewijzigd: what the import does with this row."""
        return "nieuw" if self.nieuw else "ongewijzigd" if self.ongewijzigd else "bijgewerkt"


@dataclass
class Importresultaat:
    aanbieders: list[Geimporteerd]
    waarschuwingen: list[Probleem]
    geschreven: bool
    gelezen_als: str = ""


def maak_id(naam: str) -> str:
    tekst_ = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", tekst_).strip("-")[:80]


def _zet(record: dict, pad: tuple, waarde: Any) -> None:
    for stap in pad[:-1]:
        record = record.setdefault(stap, {})
    record[pad[-1]] = waarde


def _voeg_samen(basis: Any, nieuw: Any) -> Any:
    """The import's values over an existing record: mappings merge, everything else is replaced."""
    if isinstance(basis, dict) and isinstance(nieuw, dict):
        result = {k: _gewoon(v) for k, v in basis.items()}
        for k, v in nieuw.items():
            result[k] = _voeg_samen(result.get(k), v)
        return result
    return nieuw


def _gewoon(waarde: Any) -> Any:
    """Loaded YAML (with positions) as plain data."""
    if isinstance(waarde, dict):
        return {str(k): _gewoon(v) for k, v in waarde.items()}
    if isinstance(waarde, list):
        return [_gewoon(v) for v in waarde]
    return waarde


# --- the import ------------------------------------------------------------------------


def regio_van(pad: Path) -> RegioData:
    """The one region in `pad`; DataFout when it does not load, ImportFout when there are several."""
    regios, problemen = load_dataset(pad)
    if not regios:
        raise DataFout(problemen)
    if len(regios) > 1:
        namen = ", ".join(r.regio.id for r in regios)
        raise ImportFout.een(str(pad), f"bevat {len(regios)} regio's ({namen}); geef met --data de map van één regio op")
    return regios[0]


def _bestaande(map_: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """Aanbieder files by id, and ids by KvK-nummer (also from files that do not validate)."""
    per_id: dict[str, Path] = {}
    per_kvk: dict[str, str] = {}
    for bestand in sorted(map_.glob("*.y*ml")) if map_.is_dir() else []:
        data = load_file(bestand).data
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            per_id[data["id"]] = bestand
            if data.get("kvk") is not None:
                per_kvk.setdefault(str(getattr(data["kvk"], "ruw", data["kvk"])), data["id"])
    return per_id, per_kvk


def importeer(bestand: Path, data_pad: Path, bijwerken: bool = False, proef: bool = False,
              mapping: Path | None = None, *, auteur: Auteur | None = None, git: bool = False,
              naam: str | None = None) -> Importresultaat:
    """Import every row of `bestand` (.csv/.xlsx) as an aanbieder of the region in `data_pad`.

    All or nothing: ImportFout with every problem of the file (header, cells, model, rules of
    bijlage 3 and the DVO), or every file written as one transaction (basis/transactie.py);
    GelijktijdigGewijzigd when an aanbieder file changed or appeared while this ran.
    `mapping`: a column mapping (intake.kolommen). `naam`: the file as its owner calls it, for messages and
    the git message (an upload is stored under a fixed name; the person knows the name they chose).
    """
    bestand = Path(bestand)
    data = regio_van(Path(data_pad))
    bekend = kolommen(data)
    try:
        tabel = lees_tabel(bestand)
    except ImportFout as fout:
        if naam:
            fout.problemen = _hernoemd(fout.problemen, bestand.name, naam)
        raise
    if naam:
        oud = tabel.naam
        tabel.naam = naam
        tabel.problemen = _hernoemd(tabel.problemen, oud, naam)
    if not tabel.kop and not tabel.rijen:
        raise ImportFout.een(tabel.bron, "het bestand is leeg; verwacht een koprij met kolomnamen en daaronder "
                                         "de aanbieders")
    gekoppeld, fouten = lees_mapping(mapping, bekend) if mapping else ({}, [])
    koppen, kopfouten, tip = koppel(tabel, bekend, gekoppeld)
    fouten += tabel.problemen + kopfouten
    kandidaten, waarschuwingen = _lees_rijen(tabel, koppen, data, bijwerken, fouten)
    if fouten:
        # warnings wait until the errors are gone
        raise ImportFout(fouten, tip, f"{tabel.naam} ({tabel.gelezen_als})")
    if not kandidaten:
        raise ImportFout.een(tabel.bron, "geen aanbieders gevonden onder de koprij")
    resultaat = Importresultaat([g for g, _, _ in kandidaten], waarschuwingen, False, tabel.gelezen_als)
    if not proef:
        te_schrijven = [(g, _als_yaml(g, tabel.bron)) for g, _, _ in kandidaten if not g.ongewijzigd]
        if te_schrijven:  # every row unchanged: nothing to write, no transaction
            _schrijf(data.map, te_schrijven, tabel.naam, auteur, git)
        resultaat.geschreven = True
    return resultaat


def _lees_rijen(tabel: Tabel, koppen: list[Kolom | None], data: RegioData, bijwerken: bool,
                fouten: list[Probleem]) -> tuple[list[tuple[Geimporteerd, dict, Rij]], list[Probleem]]:
    """Rows → checked aanbieders; every problem is appended to `fouten` (all rows, one round)."""
    map_ = data.map / "aanbieders"
    kopteksten = [tekst(c) for c in tabel.kop]
    per_id, per_kvk = _bestaande(map_)
    records: list[tuple[int, dict, Rij, Path, bool, str | None]] = []
    ids_in_bestand: dict[str, int] = {}
    for regel, cellen in tabel.rijen:
        if tekst(cellen[0] if cellen else "").startswith("#"):
            continue  # a notes row (the intake workbook has one under the header)
        rij = Rij(regel)
        record: dict[str, Any] = {}
        # arrangement names are read last: a name two domeinen use is the one of this row's domeinen
        soorten = [k.soort if k is not None else "" for k in koppen]
        volgorde = sorted(range(len(cellen)), key=lambda i: i < len(soorten) and soorten[i] == "arrangementen")
        for i in volgorde:
            cel = cellen[i]
            kolom = koppen[i] if i < len(koppen) else None
            leeg = tekst(cel) == ""
            kop = kopteksten[i] if i < len(kopteksten) else ""
            if kolom is None:
                if not leeg and not kop:
                    fouten.append(tabel.probleem(regel, i + 1, f"waarde '{tekst(cel)}' in een kolom zonder kop"))
                continue
            rij.koppen[kolom.pad] = (i + 1, kop)
            if (regel, i + 1) in tabel.onleesbaar:
                rij.onleesbaar.add(".".join(kolom.pad))  # already reported by the reader (a formula)
            if leeg:
                continue
            try:
                _zet(record, kolom.pad, waarde(kolom, cel, data, record.get("domeinen")))
            except Celfout as fout:
                fouten.append(tabel.probleem(regel, i + 1, str(fout), kop))
                if fout.deels:  # what could be read (the known domeinen) still counts for the row's rules
                    _zet(record, kolom.pad, fout.deels)
                    rij.deels.add(".".join(kolom.pad))
                else:
                    rij.onleesbaar.add(".".join(kolom.pad))
        if "naam" not in record and "kvk" not in record and "id" not in record:
            continue  # only answers or notes: not an aanbieder (the header problems say why)

        ident, bron = record.get("id"), "id"
        if not ident and record.get("kvk") in per_kvk:
            ident, bron = per_kvk[record["kvk"]], "kvk"
        if not ident:
            ident, bron = maak_id(record.get("naam", "")), "naam"
            if not ident:
                if "naam" not in rij.onleesbaar:
                    fouten.append(_op_cel(tabel, rij, "naam", "kan geen id maken van een lege naam; vul de kolom "
                                                              "'naam' of 'id' in"))
                continue
        record["id"] = ident
        bestaat = ident in per_id
        if bestaat and not bijwerken:
            fouten.append(_op_cel(tabel, rij, bron, f"aanbieder '{ident}' bestaat al{plaats(per_id[ident])}; " + zeg(
                cli="gebruik --bijwerken om die bij te werken",
                werkplaats="vink ‘Bestaande aanbieders bijwerken’ aan om die bij te werken")))
            continue
        if ident in ids_in_bestand:
            fouten.append(_op_cel(tabel, rij, bron, f"aanbieder '{ident}' staat ook op rij "
                                                    f"{ids_in_bestand[ident]}; één rij per aanbieder"))
            continue
        ids_in_bestand[ident] = regel
        sha = None
        if bestaat:
            sha = sha256_van(per_id[ident])
            record = _voeg_samen(load_file(per_id[ident]).data, record)
        records.append((regel, record, rij, per_id.get(ident, map_ / f"{ident}.yaml"), not bestaat, sha))

    # the same model as aanbieders/*.yaml ...
    kandidaten: list[tuple[Geimporteerd, dict, Rij]] = []
    alleen_regels: list[tuple[Geimporteerd, dict, Rij]] = []  # rows with errors: their rules still run
    bestaande = {a.id: a for a in data.aanbieders}
    for regel, record, rij, doel, nieuw, sha in records:
        obj, problemen = validate_model(Geladen(doel, f"regel {regel}", record, []), Aanbieder)
        fouten += [_op_cel(tabel, rij, p.pad, p.bericht) for p in problemen if p.pad not in rij.onleesbaar]
        if obj is not None:
            g = Geimporteerd(obj.id, regel, doel, nieuw, obj, sha, ongewijzigd=bestaande.get(obj.id) == obj)
            kandidaten.append((g, record, rij))
        elif problemen or rij.onleesbaar:
            # every error of a row in one run (issue 29): the fields already refused are left out (required
            # ones get a stand-in) so the rules of bijlage 3 and the DVO still judge the rest of the row
            rij.onleesbaar |= {p.pad for p in problemen}
            for _ in range(3):  # an answer without its refused 'antwoord' goes whole, then its parent
                ruw = _zonder(record, rij.onleesbaar)
                hersteld, rest = validate_model(Geladen(doel, f"regel {regel}", ruw, []), Aanbieder)
                if hersteld is not None or not rest:
                    break
                rij.onleesbaar |= {q for p in rest for q in (p.pad, p.pad.rpartition(".")[0]) if q}
            if hersteld is not None:
                alleen_regels.append((Geimporteerd(hersteld.id, regel, doel, nieuw, hersteld), ruw, rij))

    # ... and the same integrity checks and rules, with the other aanbieders of the region
    waarschuwingen: list[Probleem] = []
    if kandidaten or alleen_regels:
        vervangen = {g.id for g, _, _ in kandidaten + alleen_regels}
        kopie = replace(data, aanbieders=[a for a in data.aanbieders if a.id not in vervangen],
                        herkomst=dict(data.herkomst))
        per_label = {}
        for g, record, rij in kandidaten + alleen_regels:
            kopie.aanbieders.append(g.aanbieder)
            kopie.herkomst[id(g.aanbieder)] = Herkomst(f"regel {g.regel}", record)
            per_label[f"regel {g.regel}"] = rij
        for p in check_integrity(kopie):
            if p.bestand not in per_label:
                continue  # a problem of the existing data: `contractgen validate` reports it
            if _al_gemeld(p.pad, per_label[p.bestand].onleesbaar):
                continue  # about a field whose cell was refused (or stood in for): said once, at that cell
            if "domeinen" in per_label[p.bestand].deels and p.pad.startswith(("arrangementen", "uurtarieven")) \
                    and "domein" in p.bericht:
                continue  # judged on domeinen the user is still correcting (the unknown one is reported)
            melding = _op_cel(tabel, per_label[p.bestand], p.pad, p.bericht, p.ernst)
            (fouten if p.ernst == "fout" else waarschuwingen).append(melding)
    return kandidaten, waarschuwingen


# stand-ins for required fields whose cell was refused: the rules of the row's other fields still run
VERVANGERS: dict[str, Any] = {"naam": "?", "kvk": "00000000", "vertegenwoordiger": {"naam": "?"}, "domeinen": []}


def _zonder(record: dict, paden: set[str]) -> dict:
    """A copy of `record` without the fields at `paden` (dotted), required ones replaced by a stand-in."""
    kopie = _gewoon(record)
    for pad in paden:
        delen = pad.split(".") if pad else []
        knoop = kopie
        for stap in delen[:-1]:
            knoop = knoop.get(stap) if isinstance(knoop, dict) else None
        if isinstance(knoop, dict) and delen:
            knoop.pop(delen[-1], None)
    for veld, vervanger in VERVANGERS.items():
        if veld not in kopie or veld in paden:
            kopie[veld] = _gewoon(vervanger)
            paden.add(veld)
    return kopie


def _hernoemd(problemen: list[Probleem], oud: str, nieuw: str) -> list[Probleem]:
    return [replace(p, bestand=nieuw + p.bestand[len(oud):]) if p.bestand.startswith(oud) else p for p in problemen]


def _al_gemeld(pad: str, onleesbaar: set[str]) -> bool:
    return any(pad == p or pad.startswith(p + ".") for p in onleesbaar if p)


def _op_cel(tabel: Tabel, rij: Rij, pad: str, bericht: str, ernst: str = "fout") -> Probleem:
    """A problem of a record field, at the cell it came from (the header as the file has it)."""
    delen = tuple(pad.split(".")) if pad else ()
    for n in range(len(delen), 0, -1):
        if delen[:n] in rij.koppen:
            kolom, kop = rij.koppen[delen[:n]]
            return tabel.probleem(rij.regel, kolom, bericht, kop, ernst)
    # a problem about a whole answer (kwaliteitseisen.A1) is named by its column (A1); a missing person
    # (vertegenwoordiger) by its first column, the cell to fill in; not a remark on all kwaliteitseisen
    ontbreekt = bericht == "verplicht veld ontbreekt"
    for kolom_pad, (kolom, kop) in rij.koppen.items():
        if delen and (len(delen) > 1 or ontbreekt) and kolom_pad[: len(delen)] == delen:
            return tabel.probleem(rij.regel, kolom, bericht, kop, ernst)
    naam = next((k.naam for k in VASTE_KOLOMMEN if k.pad == delen), pad)
    return tabel.probleem(rij.regel, 0, f"{naam}: {bericht}" if naam else bericht, ernst=ernst)


# --- writing ---------------------------------------------------------------------------


class _Dumper(KernDumper):
    """Short mappings and lists on one line, as the hand-written files do."""


def _dict_representer(dumper: yaml.SafeDumper, data: dict):
    plat = all(not isinstance(v, (dict, list)) for v in data.values())
    kort = sum(len(str(k)) + len(str(v)) + 4 for k, v in data.items()) < 110
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=plat and kort)


def _list_representer(dumper: yaml.SafeDumper, data: list):
    plat = all(not isinstance(v, (dict, list)) for v in data)
    kort = sum(len(str(v)) + 2 for v in data) < 100
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=plat and kort)


_Dumper.add_representer(dict, _dict_representer)
_Dumper.add_representer(list, _list_representer)
_Dumper.add_representer(Decimal, lambda d, v: d.represent_str(str(v)))


def _als_yaml(g: Geimporteerd, bron: str) -> str:
    """The validated record as YAML: one spelling (Ja/Nee/NVT, postcode), amounts as text."""
    kop = [f"# Geïmporteerd uit {bron} (rij {g.regel}) met 'contractgen aanbieders importeer'."]
    if g.pad.exists():
        oud = g.pad.read_text(encoding="utf-8").splitlines()
        eigen = [r for r in oud[: next((i for i, r in enumerate(oud) if not r.startswith("#")), len(oud))]
                 if not r.startswith("# Geïmporteerd uit")]
        kop = eigen + kop
    data = g.aanbieder.model_dump(mode="python", exclude_defaults=True)
    tekst = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
    return "\n".join(kop) + "\n" + tekst


def _schrijf(regio_map: Path, bestanden: list[tuple[Geimporteerd, str]], bron: str = "",
             auteur: Auteur | None = None, git: bool = False, handeling: str | None = None) -> Transactie:
    """Write every file or none, as one transaction of the region (basis/transactie.py); `handeling`: the
    git message (default: what an import did). Also the writer of one aanbieder edited in a form
    (intake.aanbieder_bewerken). Returns the finished transaction (`commit`)."""
    nieuw = sum(1 for g, _ in bestanden if g.nieuw)
    handeling = handeling or (f"Aanbieders geïmporteerd{f' uit {bron}' if bron else ''}: {nieuw} nieuw, "
                              f"{len(bestanden) - nieuw} bijgewerkt")
    with Transactie(regio_map, handeling, auteur=auteur, git=git) as tx:
        for g, tekst in bestanden:
            tx.vereis_ongewijzigd(g.pad, g.sha256)  # None for a new one: nobody made it meanwhile
            # what we write must read back as the record we checked
            terug, problemen = validate_model(load_text(tekst, g.pad.name), Aanbieder)
            if problemen or terug != g.aanbieder:
                raise RuntimeError(f"interne fout: {g.pad.name} leest niet terug zoals gecontroleerd")
            tx.schrijf(g.pad, tekst.encode("utf-8"))
    return tx
