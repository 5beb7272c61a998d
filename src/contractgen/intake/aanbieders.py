"""Bulk intake: aanbieders from a contract-management export (CSV or XLSX).

Each row becomes an aanbieder record, checked by the same model and rules as a file in
aanbieders/ (validate.py, integrity.py, aanbieder_regels.py). Only when every row is
valid is anything written: all files go to a temporary folder first and are then moved
into aanbieders/ together, so an import is never half done.

Columns (first row; case, spaces, '-' and '_' do not matter):

  id, naam, kvk, agb, straat, postcode, plaats,
  vertegenwoordiger, vertegenwoordiger functie,
  contactpersoon, contactpersoon functie/e-mail/telefoon, vervanger, vervanger functie/e-mail/telefoon,
  domeinen (ids or names: "Jeugd; Wmo"), arrangementen (ids or productcodes), verblijf (ja/nee),
  personen, zzp (ja/nee), omzet, uitsluitingsgronden (ja/nee or the date of the declaration),
  onderaannemers ("Naam 12345678 (zzp); Naam 2"),
  <eis> (Ja/Nee/NVT, e.g. "A1", "D2-2"), motivatie <eis>, maximum <post>, tarief <post>.

Only naam and kvk are required as columns. Without an id column, a row is matched to an
existing aanbieder by KvK-nummer, else it gets an id made from its name. An existing
aanbieder is only changed with `bijwerken`: the filled cells replace its values, the rest
of its record stays.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook

from contractgen.basis.namen import display_path
from contractgen.basis.problemen import ContractgenFout, DataFout, Probleem
from contractgen.domein.dataset import Herkomst, RegioData
from contractgen.domein.model import Aanbieder
from contractgen.laden.bestand import Geladen, load_file, load_text
from contractgen.laden.regio import load_dataset
from contractgen.laden.validatie import validate_model
from contractgen.regels.aanbieders import alle_eisen
from contractgen.regels.integriteit import check_integrity


@dataclass(frozen=True)
class Kolom:
    naam: str  # as documented and named in messages
    pad: tuple[str, ...]  # where the value goes in the record
    soort: str = "tekst"
    aliassen: tuple[str, ...] = ()


VASTE_KOLOMMEN = [
    Kolom("id", ("id",)),
    Kolom("naam", ("naam",), aliassen=("naam aanbieder", "aanbieder", "organisatie")),
    Kolom("kvk", ("kvk",), "nummer", ("kvk nummer", "kvknummer")),
    Kolom("agb", ("agb",), "nummer", ("agb code",)),
    Kolom("straat", ("vestigingsadres", "straat"), aliassen=("adres",)),
    Kolom("postcode", ("vestigingsadres", "postcode")),
    Kolom("plaats", ("vestigingsadres", "plaats"), aliassen=("vestigingsplaats",)),
    Kolom("vertegenwoordiger", ("vertegenwoordiger", "naam")),
    Kolom("vertegenwoordiger functie", ("vertegenwoordiger", "functie"), aliassen=("functie",)),
    *(Kolom(f"{rol} {deel}" if deel != "naam" else rol, (rol, veld))
      for rol in ("contactpersoon", "vervanger")
      for deel, veld in (("naam", "naam"), ("functie", "functie"), ("e-mail", "email"), ("telefoon", "telefoon"))),
    Kolom("domeinen", ("domeinen",), "domeinen", ("domein",)),
    Kolom("arrangementen", ("arrangementen",), "arrangementen", ("arrangement",)),
    Kolom("verblijf", ("verblijf",), "janee"),
    Kolom("personen", ("personen",), aliassen=("aantal personen",)),
    Kolom("zzp", ("zzp",), "janee"),
    Kolom("omzet", ("omzet_verwacht",), "bedrag", ("omzet verwacht", "verwachte omzet")),
    Kolom("uitsluitingsgronden", ("uitsluitingsgronden",), "uitsluiting", ("verklaring uitsluitingsgronden",)),
    Kolom("onderaannemers", ("onderaannemers",), "onderaannemers", ("onderaannemer",)),
]
JA = {"ja", "j", "true", "waar", "1", "x"}
NEE = {"nee", "n", "false", "onwaar", "0"}


class ImportFout(ContractgenFout):
    """Nothing was imported; `regels` says why, row by row ("export.csv, regel 3: kvk: ...")."""

    def __init__(self, regels: list[str]):
        self.regels = regels
        super().__init__([Probleem("", bericht=r) for r in regels])

    def meldingen(self) -> list[str]:
        return list(self.regels)

    def slot(self) -> str | None:
        return f"{len(self.regels)} fout(en) gevonden; er is niets geïmporteerd."


@dataclass
class Rij:
    regel: int
    koppen: dict[tuple, str] = field(default_factory=dict)  # record path -> header as in the file


@dataclass
class Geimporteerd:
    id: str
    regel: int
    pad: Path
    nieuw: bool
    aanbieder: Aanbieder


@dataclass
class Importresultaat:
    aanbieders: list[Geimporteerd]
    waarschuwingen: list[str]
    geschreven: bool


def _sleutel(tekst: str) -> str:
    return re.sub(r"[\s_-]+", " ", str(tekst).strip().lower()).strip()


def maak_id(naam: str) -> str:
    tekst = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", tekst).strip("-")[:80]


# --- reading ---------------------------------------------------------------------------


def lees_tabel(pad: Path) -> list[tuple[int, list[Any]]]:
    """(row number, cells) for every row of the first sheet / the CSV, header included."""
    if pad.suffix.lower() in (".xlsx", ".xlsm"):
        return _lees_xlsx(pad)
    if pad.suffix.lower() in (".csv", ".txt"):
        return _lees_csv(pad)
    raise ImportFout([f"{pad.name}: onbekend bestandstype '{pad.suffix}'; verwacht .csv of .xlsx"])


def _lees_csv(pad: Path) -> list[tuple[int, list[Any]]]:
    raw = pad.read_bytes()
    try:
        tekst = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        tekst = raw.decode("cp1252")  # what Dutch Excel writes for "CSV (gescheiden door lijstscheidingsteken)"
    eerste = tekst.splitlines()[0] if tekst.strip() else ""
    scheiding = max([";", ",", "\t"], key=eerste.count)
    reader = csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding)
    return [(i, rij) for i, rij in enumerate(reader, start=1)]


def _lees_xlsx(pad: Path) -> list[tuple[int, list[Any]]]:


    try:
        boek = load_workbook(pad, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFout([f"{pad.name}: kan het Excel-bestand niet lezen ({exc})"]) from exc
    try:
        blad = next((b for b in boek.worksheets if b.title.strip().lower() == "aanbieders"), boek.worksheets[0])
        return [(i, list(rij)) for i, rij in enumerate(blad.iter_rows(values_only=True), start=1)]
    finally:
        boek.close()


# --- columns ---------------------------------------------------------------------------


def _kolommen(data: RegioData) -> dict[str, Kolom]:
    """Every column this region knows, by normalised header."""
    kolommen: dict[str, Kolom] = {}
    for k in VASTE_KOLOMMEN:
        for naam in (k.naam, *k.aliassen):
            kolommen[_sleutel(naam)] = k
    for eis_id in alle_eisen(data):
        kolommen[_sleutel(eis_id)] = Kolom(eis_id, ("kwaliteitseisen", eis_id, "antwoord"))
        kolommen[_sleutel(f"motivatie {eis_id}")] = Kolom(f"motivatie {eis_id}", ("kwaliteitseisen", eis_id, "motivatie"))
    for ts in data.tariefsets:
        for groep in ts.groepen:
            for post in groep.posten:
                kolommen[_sleutel(f"maximum {post.id}")] = Kolom(f"maximum {post.id}", ("uurtarieven", post.id, "maximum"))
                kolommen[_sleutel(f"tarief {post.id}")] = Kolom(f"tarief {post.id}", ("uurtarieven", post.id, "tarief"),
                                                                "bedrag")
    return kolommen


def _koppen(bestand: str, kop: list[Any], bekend: dict[str, Kolom]) -> list[Kolom | None]:
    fouten, result, gezien = [], [], {}
    for i, cel in enumerate(kop, start=1):
        tekst = "" if cel is None else str(cel).strip()
        if not tekst:
            result.append(None)
            continue
        kolom = bekend.get(_sleutel(tekst))
        if kolom is None:
            suggestie = difflib.get_close_matches(_sleutel(tekst), list(bekend), n=1, cutoff=0.7)
            hint = f"; bedoelde u '{bekend[suggestie[0]].naam}'?" if suggestie else \
                "; zie 'contractgen aanbieders importeer --help' voor de kolommen"
            fouten.append(f"{bestand}, regel 1: onbekende kolom '{tekst}'{hint}")
        elif kolom in gezien:
            fouten.append(f"{bestand}, regel 1: kolom '{tekst}' staat er twee keer (ook kolom {gezien[kolom]})")
        else:
            gezien[kolom] = i
        result.append(kolom)
    for verplicht in ("naam", "kvk"):
        if not any(k is not None and k.naam == verplicht for k in result):
            fouten.append(f"{bestand}, regel 1: kolom '{verplicht}' ontbreekt; die is nodig om een aanbieder te herkennen")
    if fouten:
        raise ImportFout(fouten)
    return result


# --- cells → record --------------------------------------------------------------------


def _tekst(waarde: Any) -> str:
    if isinstance(waarde, float) and waarde.is_integer():
        return str(int(waarde))
    if isinstance(waarde, datetime):
        return waarde.date().isoformat()
    return str(waarde).strip()


def _lijst(waarde: Any) -> list[str]:
    return [d.strip() for d in re.split(r"[;,\n]+", _tekst(waarde)) if d.strip()]


def _bedrag(waarde: Any) -> str:
    if isinstance(waarde, float) and not waarde.is_integer():
        return f"{Decimal(str(waarde)):.2f}"
    tekst = _tekst(waarde).replace("€", "").replace(" ", "").removesuffix(",-")
    if "," in tekst:  # Dutch notation: 250.000,50
        return tekst.replace(".", "").replace(",", ".")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", tekst):  # 250.000: thousands separators
        return tekst.replace(".", "")
    return tekst


def _datum(tekst: str) -> date | None:
    for vorm in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(tekst, vorm).date()
        except ValueError:
            continue
    return None


class _Celfout(ValueError):
    pass


def _waarde(kolom: Kolom, cel: Any, data: RegioData) -> Any:
    """A cell as the record wants it; _Celfout with a Dutch message when it cannot be read."""
    if kolom.soort == "nummer" and isinstance(cel, (int, float)) and len(_tekst(cel)) == 7:
        # a number cell has lost the leading zero of an 8-digit KvK-nummer or AGB-code
        return _tekst(cel).zfill(8)
    if kolom.soort == "janee":
        tekst = _tekst(cel).lower()
        if tekst in JA or tekst in NEE:
            return tekst in JA
        raise _Celfout(f"ongeldige waarde '{_tekst(cel)}'; verwacht ja of nee")
    if kolom.soort == "bedrag":
        return _bedrag(cel)
    if kolom.soort == "domeinen":
        return [_domein(d, data) for d in _lijst(cel)]
    if kolom.soort == "arrangementen":
        return _arrangementen(_lijst(cel), data)
    if kolom.soort == "uitsluiting":
        if isinstance(cel, datetime):
            return {"verklaard": True, "datum": cel.date()}
        tekst = _tekst(cel)
        if tekst.lower() in JA or tekst.lower() in NEE:
            return {"verklaard": tekst.lower() in JA}
        datum = _datum(tekst)
        if datum is None:
            raise _Celfout(f"ongeldige waarde '{tekst}'; verwacht ja, nee of de datum van de verklaring "
                           "(bijv. 01-11-2017)")
        return {"verklaard": True, "datum": datum}
    if kolom.soort == "onderaannemers":
        return [_onderaannemer(d) for d in re.split(r"[;\n]+", _tekst(cel)) if d.strip()]
    return _tekst(cel)


def _domein(waarde: str, data: RegioData) -> str:
    for d in data.regio.domeinen:
        if waarde.lower() in (d.id, d.naam.lower(), (d.aanbieder_van or "").lower()):
            return d.id
    return waarde  # integrity names it, with a suggestion


def _arrangementen(waarden: list[str], data: RegioData) -> list[str]:
    """Ids, or productcodes: a productcode contracts its whole arrangement (bijlage 2.1)."""
    per_code = {p.productcode: a.id for t in data.tariefsets for a in t.arrangementen
                for p in [*a.producten, *a.toeslagen]}
    ids = {a.id.lower(): a.id for t in data.tariefsets for a in t.arrangementen}
    result: list[str] = []
    for w in waarden:
        ident = per_code.get(w) or ids.get(w.lower()) or w
        if ident not in result:
            result.append(ident)
    return result


def _onderaannemer(tekst: str) -> dict[str, Any]:
    zzp = bool(re.search(r"\(zzp\)", tekst, re.I))
    tekst = re.sub(r"\(zzp\)", "", tekst, flags=re.I).strip()
    kvk = re.search(r"\b\d{8}\b\s*$", tekst)
    result: dict[str, Any] = {"naam": tekst[: kvk.start()].strip(" ,-") if kvk else tekst}
    if kvk:
        result["kvk"] = kvk.group().strip()
    if zzp:
        result["zzp"] = True
    return result


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


def _regio(pad: Path) -> RegioData:
    regios, problemen = load_dataset(pad)
    if not regios:
        raise DataFout(problemen)
    if len(regios) > 1:
        namen = ", ".join(r.regio.id for r in regios)
        raise ImportFout([f"{pad} bevat {len(regios)} regio's ({namen}); geef met --data de map van één regio op"])
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
                per_kvk.setdefault(str(data["kvk"]), data["id"])
    return per_id, per_kvk


def importeer(bestand: Path, data_pad: Path, bijwerken: bool = False, proef: bool = False) -> Importresultaat:
    bestand = Path(bestand)
    naam = bestand.name
    data = _regio(Path(data_pad))
    map_ = data.map / "aanbieders"
    rijen = lees_tabel(bestand)
    if not rijen:
        raise ImportFout([f"{naam}: het bestand is leeg; verwacht een kopregel met kolomnamen en daaronder de aanbieders"])
    kolommen = _koppen(naam, rijen[0][1], _kolommen(data))
    kopteksten = [str(c).strip() if c is not None else "" for c in rijen[0][1]]
    per_id, per_kvk = _bestaande(map_)

    fouten: list[tuple[int, str]] = []
    records: list[tuple[int, dict, Rij, Path, bool]] = []
    ids_in_bestand: dict[str, int] = {}
    for regel, cellen in rijen[1:]:
        if all(c is None or _tekst(c) == "" for c in cellen):
            continue
        rij = Rij(regel)
        record: dict[str, Any] = {}
        for i, cel in enumerate(cellen):
            kolom = kolommen[i] if i < len(kolommen) else None
            leeg = cel is None or _tekst(cel) == ""
            if kolom is None:
                if not leeg:
                    fouten.append((regel, f"kolom {i + 1}: waarde '{_tekst(cel)}' in een kolom zonder kop"))
                continue
            rij.koppen[kolom.pad] = kopteksten[i]
            if leeg:
                continue
            try:
                _zet(record, kolom.pad, _waarde(kolom, cel, data))
            except _Celfout as fout:
                fouten.append((regel, f"{kopteksten[i]}: {fout}"))

        ident, bron = record.get("id"), "id"
        if not ident and record.get("kvk") in per_kvk:
            ident, bron = per_kvk[record["kvk"]], "kvk"
        if not ident:
            ident, bron = maak_id(record.get("naam", "")), "naam"
            if not ident:
                fouten.append((regel, "naam: kan geen id maken van een lege naam; vul de kolom 'naam' of 'id' in"))
                continue
        record["id"] = ident
        bestaat = ident in per_id
        if bestaat and not bijwerken:
            fouten.append((regel, f"{rij.koppen.get((bron,), bron)}: aanbieder '{ident}' bestaat al "
                                  f"({display_path(per_id[ident])}); gebruik --bijwerken om die bij te werken"))
            continue
        if ident in ids_in_bestand:
            fouten.append((regel, f"{rij.koppen.get((bron,), bron)}: aanbieder '{ident}' staat ook op regel "
                                  f"{ids_in_bestand[ident]}; één regel per aanbieder"))
            continue
        ids_in_bestand[ident] = regel
        if bestaat:
            record = _voeg_samen(load_file(per_id[ident]).data, record)
        records.append((regel, record, rij, per_id.get(ident, map_ / f"{ident}.yaml"), not bestaat))

    # the same model as aanbieders/*.yaml ...
    kandidaten: list[tuple[Geimporteerd, dict, Rij]] = []
    for regel, record, rij, doel, nieuw in records:
        obj, problemen = validate_model(Geladen(doel, f"regel {regel}", record, []), Aanbieder)
        fouten += [(regel, _melding(p.pad, p.bericht, rij)) for p in problemen]
        if obj is not None:
            kandidaten.append((Geimporteerd(obj.id, regel, doel, nieuw, obj), record, rij))

    # ... and the same integrity checks and rules, with the other aanbieders of the region
    waarschuwingen: list[str] = []
    if kandidaten:
        vervangen = {g.id for g, _, _ in kandidaten}
        kopie = replace(data, aanbieders=[a for a in data.aanbieders if a.id not in vervangen],
                        herkomst=dict(data.herkomst))
        per_label = {}
        for g, record, rij in kandidaten:
            kopie.aanbieders.append(g.aanbieder)
            kopie.herkomst[id(g.aanbieder)] = Herkomst(f"regel {g.regel}", record)
            per_label[f"regel {g.regel}"] = (g.regel, rij)
        for p in check_integrity(kopie):
            if p.bestand not in per_label:
                continue  # a problem of the existing data: `contractgen validate` reports it
            regel, rij = per_label[p.bestand]
            melding = _melding(p.pad, p.bericht, rij)
            if p.ernst == "fout":
                fouten.append((regel, melding))
            else:
                waarschuwingen.append(f"{naam}, regel {regel}: {melding}")
    if fouten:
        raise ImportFout([f"{naam}, regel {r}: {m}" for r, m in sorted(fouten, key=lambda f: f[0])])
    if not kandidaten:
        raise ImportFout([f"{naam}: geen aanbieders gevonden onder de kopregel"])

    resultaat = Importresultaat([g for g, _, _ in kandidaten], waarschuwingen, geschreven=False)
    if not proef:
        _schrijf(data.map, [(g, _als_yaml(g, naam)) for g, _, _ in kandidaten])
        resultaat.geschreven = True
    return resultaat


def _melding(pad: str, bericht: str, rij: Rij) -> str:
    """A problem named by the column it came from (the header as the file has it)."""
    delen = tuple(pad.split(".")) if pad else ()
    for n in range(len(delen), 0, -1):
        if delen[:n] in rij.koppen:
            return f"{rij.koppen[delen[:n]]}: {bericht}"
    # a problem about a whole answer (kwaliteitseisen.A1) is named by its column (A1)
    for kolom_pad, kop in rij.koppen.items():
        if len(delen) > 1 and kolom_pad[: len(delen)] == delen:
            return f"{kop}: {bericht}"
    for kolom in VASTE_KOLOMMEN:
        if kolom.pad == delen:
            return f"{kolom.naam}: {bericht}"
    return f"{pad}: {bericht}" if pad else bericht


# --- writing ---------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
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
    kop = [f"# Geïmporteerd uit {bron} (regel {g.regel}) met 'contractgen aanbieders importeer'."]
    if g.pad.exists():
        oud = g.pad.read_text(encoding="utf-8").splitlines()
        eigen = [r for r in oud[: next((i for i, r in enumerate(oud) if not r.startswith("#")), len(oud))]
                 if not r.startswith("# Geïmporteerd uit")]
        kop = eigen + kop
    data = g.aanbieder.model_dump(mode="python", exclude_defaults=True)
    tekst = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
    return "\n".join(kop) + "\n" + tekst


def _schrijf(regio_map: Path, bestanden: list[tuple[Geimporteerd, str]]) -> None:
    """Write every file or none: prepare all in a temporary folder, then move them in together."""
    map_ = regio_map / "aanbieders"
    map_.mkdir(exist_ok=True)
    # beside the region folder, not inside it: the loader reads every folder of a region
    tijdelijk = Path(tempfile.mkdtemp(prefix=".aanbieders-import-", dir=regio_map.parent))
    verplaatst: list[tuple[Path, Path | None]] = []
    try:
        for i, (g, tekst) in enumerate(bestanden):
            klaar = tijdelijk / f"{i:04d}.yaml"
            klaar.write_text(tekst, encoding="utf-8")
            # what we write must read back as the record we checked
            terug, problemen = validate_model(load_text(tekst, g.pad.name), Aanbieder)
            if problemen or terug != g.aanbieder:
                raise RuntimeError(f"interne fout: {g.pad.name} leest niet terug zoals gecontroleerd")
        for i, (g, _) in enumerate(bestanden):
            reserve = None
            if g.pad.exists():
                reserve = tijdelijk / f"{i:04d}.oud"
                os.replace(g.pad, reserve)
            verplaatst.append((g.pad, reserve))
            os.replace(tijdelijk / f"{i:04d}.yaml", g.pad)
    except BaseException:
        for doel, reserve in reversed(verplaatst):
            if reserve is not None:
                os.replace(reserve, doel)
            elif doel.exists():
                doel.unlink()
        raise
    finally:
        shutil.rmtree(tijdelijk, ignore_errors=True)
