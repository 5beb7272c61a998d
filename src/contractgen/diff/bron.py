"""The two sides of a diff: `PAD[@JJJJ-MM-DD]` or `git:REV[:PAD][@JJJJ-MM-DD]`.

A side is a data folder or one YAML file (a document or a tariff set). With a
peildatum it holds the versions in force on that date; without, the newest
version of every document and the newest tariff sets per domain. `git:REV` reads
the data as it was at that revision, without touching the working tree.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable

from contractgen.basis.problemen import DataFout, Probleem
from contractgen.domein.dataset import RegioData
from contractgen.domein.model import Document, TariefSet, Transformatietabel
from contractgen.domein.zoeken import in_kracht, kies_versie
from contractgen.laden.bestand import load_file
from contractgen.laden.validatie import validate_model
from contractgen.regels import load_valid

STANDAARD_DATA = "contracts_data"
_PEILDATUM = re.compile(r"@(\d{4}-\d{2}-\d{2})$")


@dataclass
class Kant:
    """One side of the comparison: one version per document, the tariff sets in force."""

    label: str
    peildatum: date | None
    documenten: dict[tuple[str | None, str], Document] = field(default_factory=dict)  # (regio, id) → versie
    tariefsets: dict[tuple[str | None, str], list[TariefSet]] = field(default_factory=dict)  # (regio, domein)
    regios: list[RegioData] = field(default_factory=list)
    enkel: bool = False  # one YAML file: only that document (or tariff set) is compared
    commit: str | None = None  # for git:REV, the commit REV named when the data was read
    enkel_id: str | None = None  # for one YAML file: the id of what it holds, also when not in force

    def beschrijving(self) -> str:
        """How a cover page names this side: 'git-revisie HEAD (commit 1a2b3c4d), peildatum 01-01-2018'."""
        pad, _ = splits(self.label)
        if pad.startswith("git:"):
            rev, _, sub = pad[4:].partition(":")
            bron = f"git-revisie {rev} (commit {self.commit[:10]})" if self.commit else f"git-revisie {rev}"
            bron += f", {sub}" if sub else ""
        else:
            bron = f"{'bestand' if self.enkel else 'map'} {pad}"
        return bron + (f", peildatum {self.peildatum:%d-%m-%Y}" if self.peildatum else ", nieuwste versies")

    def alle_tariefsets(self) -> dict[tuple[str | None, str], list[TariefSet]]:
        """Every tariff set this side holds, whatever its looptijd: (regio, domein) → sets."""
        if self.enkel:
            return self.tariefsets
        result: dict[tuple[str | None, str], list[TariefSet]] = {}
        for data in self.regios:
            for ts in data.tariefsets:
                result.setdefault((data.regio.id, _domein(ts)), []).append(ts)
        return result


def splits(spec: str) -> tuple[str, date | None]:
    """'contracts_data@2018-01-01' → ('contracts_data', 2018-01-01)."""
    m = _PEILDATUM.search(spec)
    if not m:
        return spec, None
    try:
        return spec[: m.start()], date.fromisoformat(m.group(1))
    except ValueError:
        raise DataFout([Probleem(spec, bericht=f"'{m.group(1)}' is geen bestaande datum; verwacht JJJJ-MM-DD")])


def laad_kant(spec: str) -> Kant:
    pad, peildatum = splits(spec)
    if pad.startswith("git:"):
        rev, _, sub = pad[4:].partition(":")
        with tempfile.TemporaryDirectory(prefix="contractgen-diff-") as tmp:
            doel, commit = _uit_git(spec, rev, sub or STANDAARD_DATA, Path(tmp))
            try:
                kant = _kies(spec, peildatum, doel)
                kant.commit = commit
                return kant
            except DataFout as fout:  # name the files as git:REV:pad, not by the temporary folder
                raise DataFout([replace(p, bestand=p.bestand.replace(str(Path(tmp).resolve()), f"git:{rev}:")
                                        .replace(f"git:{rev}:/", f"git:{rev}:")) for p in fout.problemen])
    return _kies(spec, peildatum, Path(pad))


def _uit_git(spec: str, rev: str, sub: str, tmp: Path) -> tuple[Path, str]:
    """Write `sub` as it was at `rev` into `tmp` (git archive, so nothing in the repo changes).

    Returns the path of `sub` in `tmp` and the full commit hash `rev` named.
    """
    def fout(bericht: str) -> DataFout:
        return DataFout([Probleem(spec, bericht=bericht)])

    if not rev:
        raise fout("geef een git-revisie op, bijv. git:HEAD~1 of git:v1.0:contracts_data")
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise fout("git is niet gevonden; installeer git om git:REV te gebruiken")
    if top.returncode != 0:
        raise fout("de huidige map is geen git-repository; git:REV leest de data van de repository waarin u werkt")
    repo = top.stdout.strip()
    commit = subprocess.run(["git", "-C", repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                            capture_output=True, text=True, check=False)
    if commit.returncode != 0:
        raise fout(f"onbekende git-revisie '{rev}'")
    sub = sub.strip("/")
    archief = subprocess.run(["git", "-C", repo, "archive", "--format=tar", rev, "--", sub],
                             capture_output=True, check=False)
    if archief.returncode != 0:
        raise fout(f"'{sub}' bestaat niet in revisie {rev} (pad ten opzichte van de hoofdmap van de repository)")
    with tarfile.open(fileobj=io.BytesIO(archief.stdout)) as tar:
        tar.extractall(tmp, filter="data")
    return tmp.resolve() / sub, commit.stdout.strip()


def _kies(spec: str, peildatum: date | None, pad: Path) -> Kant:
    if pad.is_file():
        # the region the file stands in: what diff resolves the document with (its name, tariffs, references)
        regio = next((p for p in pad.resolve().parents if (p / "regio.yaml").is_file()), None)
        return kant_van_bestand(spec, peildatum, pad, lambda: load_valid(regio) if regio else [])
    return kant_van(spec, peildatum, load_valid(pad))


def kant_van_bestand(label: str, peildatum: date | None, pad: Path,
                     regios: list[RegioData] | Callable[[], list[RegioData]]) -> Kant:
    """A side of one YAML file (a document or a tariff set), resolved with `regios` (its region, loaded
    already by the workplace, or a function that loads it once the file itself has been read)."""
    kant = Kant(label, peildatum)
    kant.enkel = True
    _enkel_bestand(kant, pad)
    kant.regios = regios() if callable(regios) else regios
    return kant


def kant_van(label: str, peildatum: date | None, regios: list[RegioData]) -> Kant:
    """A side made of regions already loaded (the workplace's cached region): the versions in force on
    `peildatum` (None: the newest), as `laad_kant` chooses them for a data folder."""
    kant = Kant(label, peildatum)
    kant.regios = regios
    for data in kant.regios:
        rid = data.regio.id
        for ident in dict.fromkeys(d.id for d in data.documenten):
            doc = kies_versie(data, ident, peildatum) if peildatum else data.versies(ident)[-1]
            if doc is not None:
                # amended articles inside one document: compare the versions that hold on the peildatum
                kant.documenten[(rid, ident)] = in_kracht(doc, peildatum) if peildatum else doc
        for domein, sets in _per_domein(data.tariefsets).items():
            gekozen = _sets_in_kracht(sets, peildatum)
            if gekozen:
                kant.tariefsets[(rid, domein)] = gekozen
    return kant


def _enkel_bestand(kant: Kant, pad: Path) -> None:
    geladen = load_file(pad)
    if geladen.problemen:
        raise DataFout(geladen.problemen)
    data = geladen.data if isinstance(geladen.data, dict) else {}
    model: type[Document | Transformatietabel | TariefSet] = (
        Document if "soort" in data else Transformatietabel if "regels" in data else TariefSet)
    obj, problemen = validate_model(geladen, model)
    if obj is None:
        raise DataFout(problemen or [Probleem(geladen.naam, bericht="leeg bestand")])
    if isinstance(obj, Transformatietabel):
        raise DataFout([Probleem(geladen.naam, bericht="alleen documenten en tariefsets kunnen worden vergeleken")])
    kant.enkel_id = obj.id
    if isinstance(obj, Document):
        if kant.peildatum is None or obj.geldig_op(kant.peildatum):
            kant.documenten[(None, obj.id)] = obj
    else:
        gekozen = _sets_in_kracht([obj], kant.peildatum)
        if gekozen:
            kant.tariefsets[(None, _domein(obj))] = gekozen


def _domein(ts: TariefSet) -> str:
    # uurtarieven have no domain: they form their own series
    return ts.domein or ("uurtarieven" if ts.groepen else ts.id)


def _per_domein(sets: list[TariefSet]) -> dict[str, list[TariefSet]]:
    result: dict[str, list[TariefSet]] = {}
    for ts in sets:
        result.setdefault(_domein(ts), []).append(ts)
    return result


def _sets_in_kracht(sets: list[TariefSet], peildatum: date | None) -> list[TariefSet]:
    if peildatum:
        return [t for t in sets if t.looptijd.van <= peildatum <= t.looptijd.tot]
    # without a date: the newest looptijd (two years side by side would pair a code with itself)
    nieuwste = max(t.looptijd.van for t in sets)
    return [t for t in sets if t.looptijd.van == nieuwste]
