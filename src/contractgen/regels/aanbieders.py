"""Rules for an aanbieder record, as the source states them.

Schema validation checks each field alone and integrity checks that ids exist; these
rules check that an aanbieder's answers fit the aanbieder:

- NVT only at an eis whose `nvt:` rule allows it, and only for the stated reason
  (bijlage 3: A1 at most 5 persons, A2 no Wmo, C1 ZZP'er, E4/E5 no verblijf,
  E7 no dyslexiezorg, E8 no regie, E9 no pleegzorg, F1/F2 only Wmo);
- a Nee or NVT needs a motivation (it fills the motivatietabel);
- an aanbieder that offers no verblijf (`verblijf: false`) contracts no verblijf arrangement;
- the declaration on uitsluitingsgronden (bijlage 6), when given, must be positive;
- a tarief in an uurtarief agreement only where the tariff set leaves it open.

Which arrangement is "verblijf", "dyslexie", "regie" or "pleegzorg" follows from its title
as the source prints it (E4: "het arrangement ‘Verblijf’ dan wel ‘Crisis verblijf’"), so
no arrangement ids are written into code. Gezinshuizen, Logeren and Pleegzorg are not
verblijf: bijlage 2.1 calls them separate arrangements "losgekoppeld van het arrangement
verblijf". Which domain is Wmo follows from its name (Beschermd Wonen is "WMO Beschermd Wonen").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from contractgen.basis.formaat import bedrag_tekst
from contractgen.basis.problemen import Probleem
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.zoeken import kies_versie, pakket
from contractgen.resolve.plaatsen import vind

SOORT_PATRONEN = {
    "verblijf": re.compile(r"(?<!zonder )\bverblijf\b", re.I),
    "dyslexie": re.compile(r"dyslexie", re.I),
    "regie": re.compile(r"\bregie\b", re.I),
    "pleegzorg": re.compile(r"pleegzorg", re.I),
}
WMO = re.compile(r"\bwmo\b", re.I)

VOORWAARDE = {
    "max-5-personen": "als niet meer dan 5 personen zorg verlenen",
    "geen-wmo": "voor een aanbieder die niet inschrijft voor Wmo",
    "zzp": "voor een ZZP'er",
    "geen-verblijf": "voor een aanbieder die geen verblijf of crisis verblijf biedt",
    "geen-dyslexie": "voor een aanbieder die geen dyslexiezorg verleent",
    "geen-regie": "voor een aanbieder die het arrangement regie niet contracteert",
    "geen-pleegzorg": "voor een aanbieder die het arrangement pleegzorg niet contracteert",
    "alleen-wmo": "voor een aanbieder die uitsluitend Wmo-zorg verleent",
}
MAX_PERSONEN = 5


def arrangement_soorten(arr: m.Arrangement) -> set[str]:
    return {soort for soort, patroon in SOORT_PATRONEN.items() if patroon.search(arr.titel)}


def is_wmo(domein: m.Domein) -> bool:
    return bool(WMO.search(domein.naam) or WMO.search(domein.aanbieder_van or ""))


@dataclass
class Kenmerken:
    """What the NVT rules ask about one aanbieder."""

    wmo_domeinen: list[str]
    andere_domeinen: list[str]
    soorten: dict[str, list[str]] = field(default_factory=dict)  # soort -> contracted arrangement ids

    def arrangementen(self, soort: str) -> list[str]:
        return self.soorten.get(soort, [])


def tariefsets(data: RegioData) -> list[m.TariefSet]:
    """Tariff sets with those in force on the regio's peildatum last: in a dict by id, they win."""
    peildatum = data.regio.standaard_peildatum
    return sorted(data.tariefsets, key=lambda t: t.looptijd.van <= peildatum <= t.looptijd.tot)


def kenmerken(data: RegioData, aanbieder: m.Aanbieder) -> Kenmerken:
    domeinen = {d.id: d for d in data.regio.domeinen}
    wmo = [d for d in aanbieder.domeinen if d in domeinen and is_wmo(domeinen[d])]
    k = Kenmerken(wmo, [d for d in aanbieder.domeinen if d not in wmo])
    arrangementen = {a.id: a for t in tariefsets(data) for a in t.arrangementen}
    for arr_id in aanbieder.arrangementen:
        if arr_id in arrangementen:
            for soort in arrangement_soorten(arrangementen[arr_id]):
                k.soorten.setdefault(soort, []).append(arr_id)
    return k


def biedt_verblijf(aanbieder: m.Aanbieder, k: Kenmerken) -> bool:
    return aanbieder.verblijf if aanbieder.verblijf is not None else bool(k.arrangementen("verblijf"))


def eis_label(eis: m.Eis) -> str:
    """How a jurist names an eis: its number, with the id where the source repeats a number (D2-2)."""
    return eis.nr if eis.id == eis.nr else f"{eis.nr} ({eis.id})"


# --- which eisen ------------------------------------------------------------------------


def _eisen_in(data: RegioData, blokken: list, domeinen: set[str], peildatum: date) -> list[m.Eis]:
    eisen: list[m.Eis] = []
    for blok in blokken:
        if getattr(blok, "alleen_voor", None) and not set(blok.alleen_voor) & domeinen:
            continue
        if isinstance(blok, m.EisenBlok):
            eisen += blok.eisen.eisen
        elif isinstance(blok, m.ArtikelBlok):
            eisen += _eisen_in(data, blok.artikel.inhoud, domeinen, peildatum)
            for lid in blok.artikel.leden:
                eisen += _eisen_in(data, lid.inhoud, domeinen, peildatum)
        elif isinstance(blok, m.InvoegenBlok):
            fragment = kies_versie(data, blok.invoegen.document, peildatum)
            if fragment is not None:
                eisen += _eisen_in(data, fragment.inhoud, domeinen, peildatum)
    return eisen


def eisen_voor(data: RegioData, aanbieder: m.Aanbieder, peildatum: date | None = None) -> list[m.Eis]:
    """The kwaliteitseisen in this aanbieder's package on the peildatum, in document order."""

    peildatum = peildatum or data.regio.standaard_peildatum
    eisen: dict[str, m.Eis] = {}
    for doc in pakket(data, aanbieder, peildatum):
        # as resolve does: a document's own domains (or else the aanbieder's) and the aanbieder's
        # kenmerken decide its alleen_voor blocks
        domeinen = (set(doc.domeinen) or set(aanbieder.domeinen)) | set(aanbieder.kenmerken)
        for eis in _eisen_in(data, doc.inhoud, domeinen, peildatum):
            eisen.setdefault(eis.id, eis)
    return list(eisen.values())


def alle_eisen(data: RegioData) -> dict[str, m.Eis]:
    """Every eis of every document version (first one wins), to judge an answer outside the package."""
    eisen: dict[str, m.Eis] = {}
    for doc in data.documenten:
        alles = {d.id for d in data.regio.domeinen} | {k.id for k in data.regio.kenmerken}
        for eis in _eisen_in(data, doc.inhoud, alles, data.regio.standaard_peildatum):
            eisen.setdefault(eis.id, eis)
    return eisen


def ontbrekende_antwoorden(data: RegioData, aanbieder: m.Aanbieder, peildatum: date | None = None) -> list[m.Eis]:
    return [e for e in eisen_voor(data, aanbieder, peildatum) if e.id not in aanbieder.kwaliteitseisen]


# --- social return ---------------------------------------------------------------------


def social_return_plicht(data: RegioData, aanbieder: m.Aanbieder) -> bool | None:
    """True above the DVO art. 24.2 threshold; None when the region or the omzet does not say."""
    sr = data.regio.social_return
    if sr is None or aanbieder.omzet_verwacht is None:
        return None
    return aanbieder.omzet_verwacht > sr.drempel  # "meer bedraagt dan"


def onvolledig(aanbieder: m.Aanbieder) -> list[str]:
    """Fields of a complete record (issue 6) that this aanbieder still lacks."""
    ontbreekt = [naam for naam in ("agb", "vestigingsadres", "contactpersoon", "vervanger", "uitsluitingsgronden",
                                   "omzet_verwacht") if getattr(aanbieder, naam) is None]
    if not aanbieder.vertegenwoordiger.functie:
        ontbreekt.insert(0, "vertegenwoordiger.functie")
    if not aanbieder.arrangementen and not aanbieder.uurtarieven:
        ontbreekt.append("arrangementen")
    return ontbreekt


# --- the rules -------------------------------------------------------------------------


def controleer_aanbieders(data: RegioData) -> list[Probleem]:
    """Every rule for every aanbieder of the region, plus the region's social return threshold."""
    problemen: list[Probleem | None] = _controleer_social_return(data)
    eisen = alle_eisen(data)
    met_nvt = [eis_label(e) for e in eisen.values() if e.nvt]
    kvk: dict[str, m.Aanbieder] = {}
    for a in data.aanbieders:
        waar = data.waar(a)
        if a.kvk in kvk:
            ander = kvk[a.kvk]
            problemen.append(waar.probleem(("kvk",), f"KvK-nummer {a.kvk} staat ook bij aanbieder '{ander.id}' "
                                                     f"({data.waar(ander).naam}); één aanbieder per KvK-nummer"))
        kvk.setdefault(a.kvk, a)
        problemen += _controleer(data, a, eisen, met_nvt)
    return [p for p in problemen if p is not None]


def _controleer(data: RegioData, a: m.Aanbieder, eisen: dict[str, m.Eis], met_nvt: list[str]) -> list:
    waar = data.waar(a)
    k = kenmerken(data, a)
    p: list[Probleem | None] = []

    for eis_id, antwoord in a.kwaliteitseisen.items():
        eis = eisen.get(eis_id)
        if eis is None:
            continue  # integrity reports the unknown id
        label = eis_label(eis)
        if antwoord.antwoord == "NVT":
            if eis.nvt is None:
                p.append(waar.probleem(("kwaliteitseisen", eis_id, "antwoord"),
                                       f"NVT is bij eis {label} niet toegestaan; alleen bij {', '.join(met_nvt)} "
                                       "mag NVT (vul anders Ja in, of Nee met motivatie)"))
            else:
                waarom = _nvt_bezwaar(eis.nvt, a, k, data.regio.domeinen)
                if waarom:
                    p.append(waar.probleem(("kwaliteitseisen", eis_id, "antwoord"),
                                           f"NVT bij eis {label} mag alleen {VOORWAARDE[eis.nvt]}; {waarom}"))
        if antwoord.antwoord in ("Nee", "NVT") and not (antwoord.motivatie or "").strip():
            p.append(waar.probleem(("kwaliteitseisen", eis_id),
                                   f"antwoord {antwoord.antwoord} bij eis {label} moet worden gemotiveerd; "
                                   "vul 'motivatie' in (die komt in de motivatietabel van de bijlage)"))

    ontbreekt = ontbrekende_antwoorden(data, a)
    if ontbreekt:
        labels = [eis_label(e) for e in ontbreekt]
        lijst = ", ".join(labels[:12]) + (f" en {len(labels) - 12} andere" if len(labels) > 12 else "")
        p.append(waar.probleem(("kwaliteitseisen",), f"geen antwoord op {len(labels)} kwaliteitseis(en): {lijst}; "
                                                     "verwacht Ja, Nee of NVT", ernst="waarschuwing"))

    if a.verblijf is False:
        for i, arr_id in enumerate(a.arrangementen):
            if arr_id in k.arrangementen("verblijf"):
                p.append(waar.probleem(("arrangementen", i),
                                       f"arrangement '{arr_id}' is een verblijfsarrangement, maar deze aanbieder "
                                       "biedt geen verblijf (verblijf: false)"))

    if a.uitsluitingsgronden is not None and not a.uitsluitingsgronden.verklaard:
        p.append(waar.probleem(("uitsluitingsgronden", "verklaard"),
                               "de verklaring uitsluitingsgronden (bijlage 6) is niet afgegeven; op opdrachtnemer en "
                               "onderaannemers mag geen uitsluitingsgrond van toepassing zijn"))

    posten = {post.id: (t, post) for t in tariefsets(data) for g in t.groepen for post in g.posten}
    for post_id, afspraak in a.uurtarieven.items():
        if post_id not in posten:
            continue  # integrity reports the unknown id
        ts, post = posten[post_id]
        if afspraak.tarief is not None and post.tarief is not None:
            p.append(waar.probleem(("uurtarieven", post_id, "tarief"),
                                   f"het tarief van '{post_id}' staat vast in tariefset '{ts.id}' "
                                   f"({bedrag_tekst(post.tarief)}); laat 'tarief' weg"))
        if post.domeinen and not set(post.domeinen) & set(a.domeinen):
            p.append(waar.probleem(("uurtarieven", post_id),
                                   f"uurtarief '{post_id}' geldt alleen voor domein {', '.join(post.domeinen)}; "
                                   "deze aanbieder heeft dat domein niet"))
    return p


def _lijst(ids: list[str]) -> str:
    return ", ".join(f"'{i}'" for i in ids)


def _wmo_uitleg(codes: list[str], domeinen: list[m.Domein]) -> str:
    """"Beschermd Wonen (aanbieder van WMO Beschermd Wonen: telt als Wmo)": why a domein counts as Wmo."""
    delen = []
    for code in codes:
        d = next((d for d in domeinen if d.id == code), None)
        if d is None or WMO.search(d.naam) and d.naam.strip().lower() == "wmo":
            delen.append(d.naam if d else f"'{code}'")
        else:
            bron = d.naam if WMO.search(d.naam) else f"aanbieder van {d.aanbieder_van}"
            delen.append(f"{d.naam} ({bron}: telt als Wmo)")
    return " en ".join(delen)


def _nvt_bezwaar(regel: str, a: m.Aanbieder, k: Kenmerken, domeinen: list[m.Domein]) -> str | None:
    """Why NVT under `regel` does not fit this aanbieder; None when it does."""
    if regel == "max-5-personen":
        if a.personen is None:
            return "vul 'personen' in (het aantal personen dat zorg verleent, ingehuurde krachten meegeteld)"
        return None if a.personen <= MAX_PERSONEN else f"deze aanbieder heeft er {a.personen} (personen)"
    if regel == "geen-wmo":
        return f"deze aanbieder heeft domein {_wmo_uitleg(k.wmo_domeinen, domeinen)}" if k.wmo_domeinen else None
    if regel == "zzp":
        return None if a.zzp else "deze aanbieder is geen ZZP'er (zzp: false)"
    if regel == "geen-verblijf":
        if k.arrangementen("verblijf"):
            return f"deze aanbieder contracteert {_lijst(k.arrangementen('verblijf'))}"
        return "deze aanbieder biedt verblijf (verblijf: true)" if a.verblijf else None
    if regel in ("geen-dyslexie", "geen-regie", "geen-pleegzorg"):
        soort = regel.removeprefix("geen-")
        return f"deze aanbieder contracteert {_lijst(k.arrangementen(soort))}" if k.arrangementen(soort) else None
    if regel == "alleen-wmo":
        return f"deze aanbieder heeft ook domein {_lijst(k.andere_domeinen)}" if k.andere_domeinen else None
    return None


def _controleer_social_return(data: RegioData) -> list[Probleem | None]:
    """The threshold must stand, as written, in the article it cites: it is never typed from memory."""

    sr = data.regio.social_return
    if sr is None:
        return []
    waar = data.waar(data.regio)
    plaats = vind(data, sr.artikel, data.regio.standaard_peildatum)
    if plaats is None:
        return [waar.probleem(("social_return", "artikel"),
                              f"onbekende vindplaats '{sr.artikel}'; verwacht DOC:ID van het artikel dat de drempel "
                              "noemt, bijv. dvo:art-24.2")]
    bedrag = bedrag_tekst(Decimal(sr.drempel))
    if bedrag not in plaats.tekst:
        return [waar.probleem(("social_return", "drempel"),
                              f"{plaats.label} noemt het bedrag {bedrag} niet; neem de drempel over zoals de bron "
                              "die noemt")]
    return []
