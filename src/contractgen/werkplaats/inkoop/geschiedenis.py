"""The history of one data file from the data folder's git repository: who, when, what, and the change
as the fields the person knows (and the YAML diff as a second view).

Reads git (`git log`, `git show`) in the repository of the file; a data folder without one has no
history yet (the first change made in the workplace creates it, see basis/transactie.py).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

VELDEN = {
    "naam": "Naam", "kvk": "KvK-nummer", "agb": "AGB-code", "personen": "Aantal personen", "zzp": "ZZP'er",
    "verblijf": "Biedt verblijf", "omzet_verwacht": "Verwachte omzet", "domeinen": "Domeinen",
    "arrangementen": "Arrangementen", "vestigingsadres": "Vestigingsadres", "vertegenwoordiger": "Vertegenwoordiger",
    "contactpersoon": "Contactpersoon", "vervanger": "Vervanger", "uitsluitingsgronden": "Uitsluitingsgronden",
    "straat": "straat", "postcode": "postcode", "plaats": "plaats", "functie": "functie", "email": "e-mailadres",
    "telefoon": "telefoon", "antwoord": "antwoord", "motivatie": "motivatie", "verklaard": "verklaard",
    "datum": "datum", "onderaannemers": "Onderaannemers", "uurtarieven": "Uurtarieven", "maximum": "maximum",
    "tarief": "tarief",
}


def veldnaam(pad: tuple) -> str:
    """('kwaliteitseisen', 'E7', 'antwoord') → 'Kwaliteitseis E7: antwoord'; ('contactpersoon', 'email') →
    'Contactpersoon: e-mailadres'."""
    if pad and pad[0] == "kwaliteitseisen" and len(pad) > 1:
        return f"Kwaliteitseis {pad[1]}" + (f": {VELDEN.get(str(pad[2]), pad[2])}" if len(pad) > 2 else "")
    if not pad:
        return "Aanbieder"
    kop = VELDEN.get(str(pad[0]), str(pad[0]).replace("_", " ").capitalize())
    rest = [VELDEN.get(str(p), str(p)) if not isinstance(p, int) else str(p + 1) for p in pad[1:]]
    return kop + (": " + " ".join(rest) if rest else "")


@dataclass
class Wijziging:
    veld: str
    oud: str
    nieuw: str


@dataclass
class Versie:
    commit: str
    wie: str
    email: str
    wanneer: datetime
    wat: str
    wijzigingen: list[Wijziging] = field(default_factory=list)
    yaml_diff: str = ""


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        uit = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30,
                             env={**os.environ, "GIT_PAGER": "cat", "LC_ALL": "C.UTF-8"})
    except (OSError, subprocess.TimeoutExpired):
        return None
    return uit.stdout if uit.returncode == 0 else None


def _plat(waarde: Any, pad: tuple = ()) -> dict[tuple, Any]:
    if isinstance(waarde, dict):
        uit: dict[tuple, Any] = {}
        for k, v in waarde.items():
            uit.update(_plat(v, pad + (str(k),)))
        return uit or {pad: {}}
    return {pad: waarde}


def _tekst(waarde: Any) -> str:
    if waarde is None:
        return "(leeg)"
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, list):
        return ", ".join(_tekst(w) for w in waarde)
    return str(waarde)


def _lees(tekst: str | None) -> dict:
    if not tekst:
        return {}
    try:
        data = yaml.safe_load(tekst)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def veldverschil(oud: dict, nieuw: dict) -> list[Wijziging]:
    """The fields that differ between two versions of a record, in the field's words."""
    a, b = _plat(oud), _plat(nieuw)
    uit = []
    for pad in sorted(set(a) | set(b), key=lambda p: [str(x) for x in p]):
        if a.get(pad) != b.get(pad):
            uit.append(Wijziging(veldnaam(pad), _tekst(a.get(pad)), _tekst(b.get(pad))))
    return uit


def _tarieven(data: dict) -> dict[str, Any]:
    """A tariff set's tariffs by productcode (uurposten by id), its status and seal, as people name them."""
    uit: dict[str, Any] = {"Status": data.get("status"), "Vastgesteld (controlesom)": "ja" if data.get("controlesom")
                           else "nee"}
    for arr in data.get("arrangementen") or []:
        for soort in ("producten", "toeslagen"):
            for p in (arr.get(soort) or []) if isinstance(arr, dict) else []:
                if isinstance(p, dict):
                    uit[f"Tarief {p.get('productcode')}"] = p.get("tarief")
    for groep in data.get("groepen") or []:
        for post in (groep.get("posten") or []) if isinstance(groep, dict) else []:
            if isinstance(post, dict):
                uit[f"Tarief {post.get('productcode') or post.get('id')}"] = post.get("tarief")
    return uit


def tariefverschil(oud: dict, nieuw: dict) -> list[Wijziging]:
    """The tariffs (and status) that differ between two versions of a tariff set."""
    a, b = _tarieven(oud), _tarieven(nieuw)
    return [Wijziging(k, _tekst(a.get(k)), _tekst(b.get(k))) for k in {**a, **b} if a.get(k) != b.get(k)]


def _inhoud(wortel: Path, namen: list[str]) -> dict[str, str | None]:
    """The text of each `commit:path` in one git process (cat-file --batch); None where there is none."""
    try:
        uit = subprocess.run(["git", "cat-file", "--batch"], cwd=wortel, input="".join(f"{n}\n" for n in namen).encode(),
                             capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    data, pos = uit.stdout, 0
    result: dict[str, str | None] = {}
    for naam in namen:
        einde = data.find(b"\n", pos)
        if einde < 0:
            break
        kop = data[pos:einde].split()
        pos = einde + 1
        if len(kop) == 3 and kop[1] == b"blob":
            lengte = int(kop[2])
            result[naam] = data[pos:pos + lengte].decode("utf-8", "replace")
            pos += lengte + 1
        else:
            result[naam] = None  # "missing": the file did not exist there (or not a file)
    return result


def geschiedenis(pad: Path, aantal: int = 20, verschil=veldverschil) -> list[Versie]:
    """The last `aantal` commits that changed `pad`, newest first, each with its changes (`verschil`: the
    record's fields, or `tariefverschil`) and the diff of the file. Three git processes, however many commits."""
    wortel = _git(["rev-parse", "--show-toplevel"], pad.parent)
    if not wortel:
        return []
    wortel_pad = Path(wortel.strip())
    rel = Path(os.path.relpath(pad, wortel_pad)).as_posix()
    log = _git(["log", f"-n{aantal}", "-p", "--no-color", "--format=%x1e%H%x00%an%x00%ae%x00%at%x00%s", "--", rel],
               wortel_pad)
    items = []
    for blok in (log or "").split("\x1e")[1:]:
        kop, _, diff = blok.partition("\n")
        delen = kop.split("\0")
        if len(delen) >= 5:
            items.append((delen, diff.strip("\n")))
    inhoud = _inhoud(wortel_pad, [n for delen, _ in items for n in (f"{delen[0]}:{rel}", f"{delen[0]}^:{rel}")])
    versies = []
    for delen, diff in items:
        commit, wie, email, tijd, wat = delen[:5]
        nu, voor = inhoud.get(f"{commit}:{rel}"), inhoud.get(f"{commit}^:{rel}")
        versies.append(Versie(commit, wie, email, datetime.fromtimestamp(int(tijd), tz=timezone.utc), wat,
                              verschil(_lees(voor), _lees(nu)) if voor is not None else [], diff))
    return versies


__all__ = ["Versie", "Wijziging", "geschiedenis", "tariefverschil", "veldnaam", "veldverschil"]
