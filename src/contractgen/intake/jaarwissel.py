"""`contractgen jaarwissel`: open the next year of a region in one step (issue 13).

For every document version and tariff set that ends on 31-12 of the current year, a new
file holds the next version: versie label JAAR, geldig_van/geldig_tot and looptijd one
year on, the year in the title moved, a `wijzigingen` entry; tariff sets indexed by a
percentage (per domein if given) as status concept. Texts are not touched: a year in a
sentence ("In 2018 wordt ...") stays and `check` lists it (rule jaar-vorige-looptijd).
Aanbieders are not year-bound and carry over as they are.

Files are written from the source files (round-trip: comments and layout kept). The
result is validated in a scratch copy of the region first; only a valid result is
written, all files or none, as one transaction (basis/transactie.py): locked per region,
and a stop at any moment leaves the region as it was or with every file of the year.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from contractgen.basis.formaat import datum_tekst
from contractgen.basis.problemen import ContractgenFout, DataFout, Probleem
from contractgen.basis.transactie import Auteur, Transactie, sha256_van
from contractgen.domein import domeinen
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.zoeken import tarieffamilies
from contractgen.intake.tarieven import (
    AFRONDING,
    IndexatieFout,
    bronbestand,
    controleer_percentage,
    lees_percentage,
    volgend_jaar,
)
from contractgen.intake.yamlbestand import (
    flow,
    jaar_later,
    lees,
    tekst,
    zelfde_stijl,
)
from contractgen.regels import load_valid
from contractgen.regels.varianten import einde_bezwaren

JAARTAL = re.compile(r"-(19|20)\d\d$")


@dataclass
class Stap:
    """One file the jaarwissel writes, and the line a user reads about it."""

    pad: Path
    inhoud: str
    regel: str
    bron: Path | None = None  # the file it was made from, and its sha256 when read (checked before writing)
    bron_sha256: str | None = None


@dataclass
class Plan:
    regio: RegioData
    van_jaar: int
    jaar: int
    stappen: list[Stap] = field(default_factory=list)
    bestaand: list[str] = field(default_factory=list)  # sets of JAAR that were there already
    doorlopend: list[str] = field(default_factory=list)  # documents without an end date


def lees_per_domein(waarden: tuple[str, ...] | list[str], data: RegioData) -> dict[str, Decimal]:
    """['Jeugd=3,6', 'wmo=2.1', 'Beschermd Wonen=2'] → {'jeugd': 3.6, 'wmo': 2.1, 'bw': 2}: a domein by
    any name of the registry (`domein.domeinen`); unknown names are refused with the list of domeinen, a
    percentage outside the range of `tarieven.MIN_PERCENTAGE`..`MAX_PERCENTAGE` by `lees_percentage`."""
    result: dict[str, Decimal] = {}
    for waarde in waarden:
        naam, is_, pct = waarde.rpartition("=")
        if not is_:
            raise ContractgenFout.een("--indexatie-per-domein", f"'{waarde}' heeft niet de vorm DOMEIN=PERCENTAGE, "
                                                                "bijv. Jeugd=3,6")
        domein = domeinen.zoek(data.regio, naam.strip())
        if domein is None:
            raise ContractgenFout.een("--indexatie-per-domein", domeinen.onbekend(data.regio, naam.strip()))
        result[domein.id] = lees_percentage(pct, f"--indexatie-per-domein {domein.naam}", domein.id)
    return result


def _binnen_varianten(data: RegioData, jaar: int, regio_bestand: str) -> None:
    """Refuse a year that runs past the maximum end date of a contract variant an aanbieder still has."""
    bezwaren = einde_bezwaren(data, date(jaar, 12, 31))
    if bezwaren:
        raise DataFout([Probleem(data.waar(b.aanbieder).naam, 0, 0, ".".join(map(str, b.pad)),
                                 f"jaarwissel naar {jaar}: {b.bericht}") for b in bezwaren])


def huidig_jaar(data: RegioData) -> int:
    """The last year the region's package is valid for: the latest end year of a pakket document
    (one that ends), else the year of the standaard_peildatum."""
    eindes = [d.geldig_tot.year for d in data.documenten if d.id in data.regio.pakket and d.geldig_tot]
    return max(eindes, default=data.regio.standaard_peildatum.year)


def maak_plan(data: RegioData, jaar: int, indexatie: Decimal | None,
              per_domein: dict[str, Decimal] | None = None, afronding: str = "euro") -> Plan:
    """What `jaarwissel` writes for `jaar`; raises ContractgenFout for a year that is not the next one,
    for a tariff set that would be indexed by a percentage nobody gave (`indexatie` None and no
    `per_domein` entry for its domein: 0 % must be typed, never assumed; issue 29), and for a roll
    past the maximum end date of a contract variant (`regio.yaml` varianten, seed 004).

    Raises IndexatieFout (with the domein whose own percentage it was, None for `indexatie`) for a percentage
    outside `tarieven.MIN_PERCENTAGE`..`MAX_PERCENTAGE` (-100 % would make every tariff € 0; the range and its
    reason are at those constants) and for one that makes a tariff € 0 or less (`tarieven.indexeer_boom`).
    """
    per_domein = per_domein or {}
    if indexatie is not None:
        controleer_percentage(indexatie, "--indexatie")
    for domein_id, pct in per_domein.items():
        controleer_percentage(pct, f"--indexatie-per-domein {domeinen.weergave(data.regio, domein_id)}", None,
                              domein_id)
    if afronding not in AFRONDING:
        raise ContractgenFout.een("--afronding", f"onbekende afronding '{afronding}'; kies euro of cent")
    huidig = huidig_jaar(data)
    regio_bestand = data.waar(data.regio).naam
    if jaar <= huidig:
        al = sorted({f"{d.id} versie {d.versie} ({data.waar(d).naam})" for d in data.documenten
                     if d.geldig_van == date(jaar, 1, 1) and len(data.versies(d.id)) > 1})
        if al:
            raise ContractgenFout.een(regio_bestand, f"{data.regio.naam} is al naar {jaar} gezet: "
                                                     f"{'; '.join(al[:3])}{' ...' if len(al) > 3 else ''}; "
                                                     f"het volgende jaar is {huidig + 1}")
        raise ContractgenFout.een(regio_bestand, f"JAAR {jaar} ligt niet na het huidige jaar {huidig} van "
                                                 f"{data.regio.naam} (het pakket loopt tot 31-12-{huidig}); "
                                                 f"geef {huidig + 1}")
    if jaar > huidig + 1:
        raise ContractgenFout.een(regio_bestand, f"een jaarwissel gaat één jaar vooruit: het huidige jaar van "
                                                 f"{data.regio.naam} is {huidig}, dus {huidig + 1} (niet {jaar})")
    _binnen_varianten(data, jaar, regio_bestand)
    plan = Plan(data, huidig, jaar)
    einde = date(huidig, 12, 31)
    zonder_pct: list[str] = []
    families = tarieffamilies(data)
    for doc in sorted(data.documenten, key=lambda d: (data.waar(d).naam, d.geldig_van)):
        if doc.geldig_tot is None:
            if doc.geldig_op(einde):
                plan.doorlopend.append(doc.id)
            continue
        if doc.geldig_tot == einde:
            plan.stappen.append(_document(data, doc, jaar, families))
    for ts in sorted(data.tariefsets, key=lambda t: t.id):
        if ts.looptijd.tot != einde:
            continue
        er_al = [t for t in families[ts.familie_id] if t.looptijd.van <= date(jaar, 1, 1) <= t.looptijd.tot]
        if er_al:
            plan.bestaand.append(f"{er_al[0].id} ({data.waar(er_al[0]).naam}, status {er_al[0].status})")
            continue
        gekozen = per_domein.get(ts.domein or "", indexatie)
        if gekozen is None:
            zonder_pct.append(ts.id)
            continue
        pct = gekozen
        pct_tekst = str(pct).replace(".", ",")
        kop = (f"# Jaarwissel {jaar} (contractgen jaarwissel): afgeleid van {ts.id} met indexatie {pct_tekst} % "
               f"(afronding op hele {'euro' if afronding == 'euro' else 'cent'}).\n"
               "# CONCEPT tot `contractgen tarieven vaststellen`; de opmerkingen hieronder gaan over de bronset.\n")
        bron = bronbestand(data, ts)
        sha = sha256_van(bron)
        eigen = (ts.domein or "") in per_domein
        try:
            pad, inhoud, nieuw_id = volgend_jaar(data, ts, pct, afronding, kop=kop)
        except IndexatieFout as fout:  # a tariff at € 0 or less: named at the percentage that did it
            optie = (f"--indexatie-per-domein {domeinen.weergave(data.regio, ts.domein or '')}" if eigen
                     else "--indexatie")
            raise IndexatieFout([Probleem(optie, 0, 0, "", f"tariefset {ts.id}: {p.bericht}")
                                 for p in fout.problemen], ts.domein if eigen else None) from fout
        plan.stappen.append(Stap(pad, inhoud, f"{nieuw_id}: tarieven {ts.familie_id} {jaar}, "
                                              f"{pct_tekst} % geïndexeerd uit {ts.id}, status concept", bron, sha))
    if zonder_pct:
        raise ContractgenFout.een("--indexatie", f"geen indexatiepercentage voor {', '.join(zonder_pct)}; geef het "
                                                 "percentage voor alle sets met --indexatie (bijv. --indexatie 3,6), "
                                                 "of per domein met --indexatie-per-domein Jeugd=2,5. Geen indexatie "
                                                 "is ook een keuze: typ dan --indexatie 0")
    bestaat = [s.pad for s in plan.stappen if s.pad.exists()]
    if bestaat:
        raise DataFout([Probleem(str(p), 0, 0, "", "bestaat al; de jaarwissel overschrijft geen bestanden")
                        for p in bestaat])
    return plan


def _document(data: RegioData, doc: m.Document, jaar: int, families: dict) -> Stap:
    """The next version of one document (one that ends: geldig_tot is set), from its file."""
    bron = bronbestand(data, doc)
    sha = sha256_van(bron)
    boom = lees(bron)
    assert doc.geldig_tot is not None, "only documents that end are rolled (maak_plan)"
    oud_jaar = doc.geldig_tot.year
    boom["versie"] = zelfde_stijl(boom["versie"], str(jaar))
    # fresh date objects each time: one shared object would be written as a YAML anchor (&id001)
    boom["geldig_van"] = doc.geldig_tot + timedelta(days=1)
    boom["geldig_tot"] = jaar_later(doc.geldig_tot, jaar - oud_jaar)
    if doc.looptijd is not None:
        boom["looptijd"]["van"] = jaar_later(doc.looptijd.van, jaar - oud_jaar)
        boom["looptijd"]["tot"] = jaar_later(doc.looptijd.tot, jaar - oud_jaar)
    for veld in ("titel", "korte_titel"):
        if isinstance(boom.get(veld), str):
            boom[veld] = zelfde_stijl(boom[veld], re.sub(rf"\b{oud_jaar}\b", str(jaar), boom[veld]))
    periode = f"{datum_tekst(boom['geldig_van'])} t/m {datum_tekst(boom['geldig_tot'])}"
    wijziging = flow(versie=DoubleQuotedScalarString(str(jaar)), datum=date.fromordinal(boom["geldig_van"].toordinal()),
                     omschrijving=DoubleQuotedScalarString(f"Jaarwissel {jaar}: nieuwe versie voor {periode}"))
    if "wijzigingen" in boom:
        boom["wijzigingen"].append(wijziging)
    else:
        plek = list(boom).index("looptijd" if "looptijd" in boom else "geldig_tot") + 1
        boom.insert(plek, "wijzigingen", [wijziging])
    _zonder_vervallen(boom.get("inhoud"), boom["geldig_van"])
    _familie_in_plaats_van_set(boom, data, families)
    stam = JAARTAL.sub("", bron.stem)
    doel = bron.with_name(f"{stam}-{jaar}.yaml")
    kop = (f"# Jaarwissel {jaar} (contractgen jaarwissel): versie {jaar} van {bron.name}; versie, geldigheid en "
           "looptijd verschoven, tekst ongewijzigd.\n")
    return Stap(doel, tekst(boom, kop), f"{doc.id}: versie {jaar} ({periode}) uit {bron.name}", bron, sha)


def _zonder_vervallen(knoop: Any, vanaf: date) -> None:
    """Drop article and lid versions that ended before the new version starts."""
    if isinstance(knoop, list):
        for item in list(knoop):
            eigen = item.get("artikel", item) if isinstance(item, dict) else None
            tot = eigen.get("geldig_tot") if isinstance(eigen, dict) else None
            if isinstance(tot, date) and tot < vanaf:
                knoop.remove(item)
            else:
                _zonder_vervallen(item, vanaf)
    elif isinstance(knoop, dict):
        for waarde in knoop.values():
            _zonder_vervallen(waarde, vanaf)


def _familie_in_plaats_van_set(knoop: Any, data: RegioData, families: dict) -> None:
    """A reference pinned to last year's set ('jeugd-2018') becomes its familie ('jeugd')."""
    if isinstance(knoop, list):
        for item in knoop:
            _familie_in_plaats_van_set(item, data, families)
    elif isinstance(knoop, dict):
        for sleutel, waarde in knoop.items():
            if sleutel in ("arrangementen", "uurtarieven") and isinstance(waarde, dict) and "tarieven" in waarde:
                ts = data.tariefset(str(waarde["tarieven"]))
                if ts is not None and str(waarde["tarieven"]) not in families:
                    waarde["tarieven"] = zelfde_stijl(waarde["tarieven"], ts.familie_id)
            else:
                _familie_in_plaats_van_set(waarde, data, families)


def controleer(plan: Plan) -> None:
    """Validate the region with the plan's files added, in a scratch copy; raises DataFout if invalid."""
    with tempfile.TemporaryDirectory(prefix="contractgen-jaarwissel-") as tmp:
        kopie = Path(tmp) / plan.regio.map.name
        shutil.copytree(plan.regio.map, kopie, ignore=shutil.ignore_patterns(".*"))
        for stap in plan.stappen:
            (kopie / stap.pad.relative_to(plan.regio.map)).write_text(stap.inhoud, encoding="utf-8")
        try:
            load_valid(kopie)
        except DataFout as fout:
            # name the files as they will be, not the scratch copy
            basis = str(Path(plan.regio.waar(plan.regio.regio).naam).parent)
            raise DataFout([Probleem(p.bestand.replace(str(kopie), basis), p.regel, p.kolom, p.pad,
                                     p.bericht, p.ernst) for p in fout.problemen]) from fout


def handeling(plan: Plan) -> str:
    """What the jaarwissel does, in a sentence (the git commit's message, the lock's holder)."""
    namen = [s.regel.split(":", 1)[0] for s in plan.stappen]  # document and tariff set, not file names
    return (f"Jaarwissel {plan.jaar} van {plan.regio.regio.naam}: {len(namen)} nieuwe versie(s) "
            f"({', '.join(namen[:3])}{', ...' if len(namen) > 3 else ''})")


def voer_uit(plan: Plan, *, auteur: Auteur | None = None, git: bool = False) -> Transactie:
    """Write every file of the plan as one transaction (all or none, whatever stops it).

    Under the region's lock: no new file may exist yet and no source file may have changed since the plan
    was made (GelijktijdigGewijzigd naming who did, e.g. a second jaarwissel), then the region with the new
    files must validate (DataFout). Returns the finished transaction (`commit`: git commit with git=True).
    """
    with Transactie(plan.regio.map, handeling(plan), auteur=auteur, git=git) as tx:
        for stap in plan.stappen:
            tx.vereis_ongewijzigd(stap.pad, None)
            if stap.bron is not None:
                tx.vereis_ongewijzigd(stap.bron, stap.bron_sha256)
        controleer(plan)
        for stap in plan.stappen:
            tx.schrijf(stap.pad, stap.inhoud.encode("utf-8"))
    return tx
