"""The check report for people: filtered, grouped per rule with counts, reviewed findings apart.

Text lines name the place as a jurist does ('Bijlage 3, eis D2') with file:line, never
a YAML path; the JSON keeps every field (`pad` included) and adds `status` and the
review. Rules are shown in the order below (the noisy ones last), errors first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from contractgen.domein.dataset import RegioData
from contractgen.rapporten.beoordeling import Beoordeling, Oordeel

# stable rule names (docs/referentie/foutmeldingen.md), most telling first. Every rule `check` can print,
# in report order: `--controle` accepts exactly these (a test reads the rule names out of the sources, so a
# new rule that is not listed here fails it; issue 29).
REGELS = ("datum-ongeldig", "afgeleid-bedrag", "parameter-vindplaats", "dubbel-nummer", "parameter-verschil",
          "rekentabel-totaal", "verwijzing-leeg", "verwijzing-ontbrekende-bijlage", "bijlage-ontbreekt",
          "datum-buiten-looptijd", "gemaskeerd-woord", "begrip-ongebruikt", "afkorting-ontbreekt",
          "jaar-vorige-looptijd", "looptijd-tariefset", "tarief-vast-jaar", "tarieven-concept", "tarieven-gewijzigd",
          "variant-vindplaats", "variant-gemeente", "variant-einddatum")
ERNST = ("fout", "waarschuwing")


@dataclass
class Filter:
    regels: set[str] = field(default_factory=set)  # only these (empty: all)
    zonder: set[str] = field(default_factory=set)  # never these
    ernst: str | None = None
    documenten: set[str] = field(default_factory=set)

    def laat_door(self, o: Oordeel) -> bool:
        b = o.bevinding
        return ((not self.regels or b.regel in self.regels) and b.regel not in self.zonder
                and (self.ernst is None or b.probleem.ernst == self.ernst)
                and (not self.documenten or any(b.betreft(d) for d in self.documenten)))


@dataclass
class RegioRapport:
    data: RegioData
    peildatum: date
    oordelen: list[Oordeel]  # after the filter
    verouderd: list[Beoordeling]

    def zichtbaar(self, alles: bool) -> list[Oordeel]:
        return [o for o in self.oordelen if alles or o.status != "beoordeeld"]


def _meervoud(n: int, ernst: str) -> str:
    return f"{n} {ernst}" if n == 1 else f"{n} {'fouten' if ernst == 'fout' else 'waarschuwingen'}"


def _volgorde(regel: str) -> tuple:
    return (REGELS.index(regel), "") if regel in REGELS else (len(REGELS), regel)


def groepen(oordelen: list[Oordeel]) -> list[tuple[str, list[Oordeel]]]:
    """Per rule, errors' rules first, then in the order of REGELS."""
    per: dict[str, list[Oordeel]] = {}
    for o in oordelen:
        per.setdefault(o.bevinding.regel, []).append(o)
    return sorted(per.items(), key=lambda kv: (all(o.bevinding.probleem.ernst != "fout" for o in kv[1]),
                                               _volgorde(kv[0])))


def regel_tekst(o: Oordeel) -> str:
    """One finding: '  waarschuwing: Bijlage 3, eis D2 (…/bijlage-3.yaml:122): eisnummer D2 …'."""
    b, p = o.bevinding, o.bevinding.probleem
    waar = p.bestand + (f":{p.regel}" if p.regel else "")
    plaats = f"{b.plaats} ({waar})" if b.plaats else waar
    label = "beoordeeld" if o.status == "beoordeeld" else p.ernst
    tekst = f"  {label}: {plaats}: {p.bericht}"
    eerder = o.beoordeling
    if eerder is not None and o.status == "beoordeeld":
        tekst += f" — {eerder.tekst()}"
    elif eerder is not None and o.status == "gewijzigd":
        tekst += (f" — eerder {eerder.tekst()}; de tekst of de bevinding is sindsdien gewijzigd, "
                  f"beoordeel opnieuw ({eerder.bestand}:{eerder.regelnummer})")
    return tekst


def als_tekst(rapporten: list[RegioRapport], alles: bool) -> list[str]:
    regels: list[str] = []
    for r in rapporten:
        regels.append(f"# {r.data.regio.naam} (peildatum {r.peildatum:%d-%m-%Y})")
        for regel, oordelen in groepen(r.zichtbaar(alles)):
            open_ = [o for o in oordelen if o.telt]
            telling = [_meervoud(sum(1 for o in open_ if o.bevinding.probleem.ernst == e), e) for e in ERNST
                       if any(o.bevinding.probleem.ernst == e for o in open_)]
            beoordeeld = len(oordelen) - len(open_)
            if beoordeeld:
                telling.append(f"{beoordeeld} beoordeeld")
            regels.append(f"{regel}: {', '.join(telling)}")
            regels += [regel_tekst(o) for o in oordelen]
        for b in r.verouderd:
            regels.append(f"verouderd: {b.bestand}:{b.regelnummer}: de beoordeling van [{b.controle}] {b.plaats} past "
                          "bij geen bevinding meer; verwijder haar")
    return regels + [slotregel(rapporten, alles)]


def tellingen(rapporten: list[RegioRapport]) -> dict[str, int]:
    alle = [o for r in rapporten for o in r.oordelen]
    return {"fouten": sum(1 for o in alle if o.telt and o.bevinding.probleem.ernst == "fout"),
            "waarschuwingen": sum(1 for o in alle if o.telt and o.bevinding.probleem.ernst != "fout"),
            "beoordeeld": sum(1 for o in alle if not o.telt)}


def slotregel(rapporten: list[RegioRapport], alles: bool) -> str:
    t = tellingen(rapporten)
    slot = f"{t['fouten']} fout(en), {t['waarschuwingen']} waarschuwing(en)"
    if t["beoordeeld"]:
        slot += f"; {t['beoordeeld']} beoordeeld" + ("" if alles else " (verborgen; --alles toont ze)")
    return slot


def als_json(rapporten: list[RegioRapport], alles: bool, versie: int) -> dict:
    def bevinding(o: Oordeel) -> dict:
        uit = o.bevinding.als_json() | {"status": o.status, "beoordeling": None}
        if o.beoordeling:
            b = o.beoordeling
            uit["beoordeling"] = {"door": b.door, "datum": b.datum.isoformat(), "reden": b.reden,
                                  "vingerafdruk": b.vingerafdruk}
        return uit

    return {
        "versie": versie,
        "regio's": [{"regio": r.data.regio.id, "peildatum": r.peildatum.isoformat(),
                     "bevindingen": [bevinding(o) for o in r.zichtbaar(alles)],
                     "verouderde beoordelingen": [{"controle": b.controle, "plaats": b.plaats, "bestand": b.bestand,
                                                   "regelnummer": b.regelnummer} for b in r.verouderd]}
                    for r in rapporten],
        "samenvatting": tellingen(rapporten),
    }
