"""Voorrang as data: which text governs when documents say different things, and why.

The rangorde and its exceptions are declared per contract family in regio.yaml,
each with the article that establishes it; explanations quote that article. The
subjects one can ask about are the parameters, the begrippen and `voorrang.onderwerpen`
(synonyms such as verzekering → aansprakelijkheid, each with its ground in the source).
A subject is found by its id, name or a synonym, never by a near word; values that
mean the same ('zes maanden', '6 maanden') agree and need no voorrang.
"""

from __future__ import annotations

import fnmatch
import re
import textwrap
from dataclasses import dataclass, field
from datetime import date

from contractgen.basis.suggesties import bedoelde_u
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.zoeken import begrippen, kies_versie
from contractgen.resolve.plaatsen import Tekstplaats, document_naam, vind


def rang(data: RegioData, doc_id: str) -> int:
    """Position in the rangorde (0 = highest); documents not named rank last."""
    for i, stap in enumerate(data.regio.voorrang.rangorde):
        if any(fnmatch.fnmatch(doc_id, patroon) for patroon in stap.documenten):
            return i
    return len(data.regio.voorrang.rangorde)


def geldend(data: RegioData, plaatsen: list[Tekstplaats]) -> Tekstplaats | None:
    """The place whose document ranks highest; None when two of the highest rank tie."""
    if not plaatsen:
        return None
    gesorteerd = sorted(plaatsen, key=lambda p: rang(data, p.document.id))
    if len(gesorteerd) > 1 and rang(data, gesorteerd[0].document.id) == rang(data, gesorteerd[1].document.id):
        return None
    return gesorteerd[0]


def _citaat(data: RegioData, grond: str | None, peildatum: date) -> str:
    if not grond:
        return ""
    plaats = vind(data, grond, peildatum)
    if plaats is None:
        return f"  (grond {grond} niet gevonden)"
    tekst = re.sub(r"\s+", " ", plaats.tekst).strip()
    return f"  {plaats.label}: “{tekst}”"


# number words as the sources write them: "zes maanden" and "6 maanden" are one value
GETALWOORDEN = {"een": "1", "één": "1", "twee": "2", "drie": "3", "vier": "4", "vijf": "5", "zes": "6", "zeven": "7",
                "acht": "8", "negen": "9", "tien": "10", "elf": "11", "twaalf": "12", "twintig": "20", "dertig": "30",
                "veertig": "40", "vijftig": "50", "zestig": "60", "negentig": "90", "honderd": "100"}


def normaal_waarde(waarde: str) -> str:
    """A value as compared: lower case, number words as digits, no currency sign, thousands dots or ',00'/',-'.

    '€ 2.000.000,00' → '2000000', 'zes maanden' → '6 maanden', 'Zes  Maanden' → '6 maanden'.
    """
    w = re.sub(r"\s+", " ", waarde.strip().lower()).replace("€", "").strip()
    w = re.sub(r"(?<=\d)\.(?=\d{3}\b)", "", w)
    w = re.sub(r"(?<=\d),(?:00|-)(?!\d)", "", w)
    return " ".join(GETALWOORDEN.get(t, t) for t in w.split(" "))


@dataclass
class Definitie:
    plaats: Tekstplaats
    waarde: str  # the words as they stand there
    norm: str | None = None  # the value to compare (parameters); None: the text governs, no value
    regel: str | None = None  # the rule it states (Vindplaats.regel): compared only with the same rule


@dataclass
class Kennis:
    """One subject: its name, where it stands, the words it is also known by and why."""

    sleutel: str
    naam: str
    definities: list[Definitie]
    synoniemen: list[str] = field(default_factory=list)
    grond: str | None = None  # DOC:ID tying the synonyms to the subject
    toelichting: str | None = None
    soort: str = "begrip"  # parameter | onderwerp | begrip
    niet_gevonden: list[str] = field(default_factory=list)  # DOC:ID places of regio.yaml not in the text


class OnbekendOnderwerp(Exception):
    """The subject asked is not known; the message suggests the closest and lists what is known."""


def onderwerpen(data: RegioData, peildatum: date) -> dict[str, Kennis]:
    """Every subject: parameters, the subjects of regio.yaml (voorrang.onderwerpen) and begrippen."""
    result: dict[str, Kennis] = {}
    for param in data.regio.parameters:
        defs = []
        for v in param.vindplaatsen:
            plaats = vind(data, v.plaats, peildatum)
            if plaats is not None:
                defs.append(Definitie(plaats, v.tekst, normaal_waarde(v.waarde), v.regel))
        result[param.id] = Kennis(param.id, param.naam, defs, soort="parameter")
    documenten = [d for d in (kies_versie(data, i, peildatum) for i in sorted({d.id for d in data.documenten})) if d]
    per_begrip: dict[str, list[Definitie]] = {}
    for begrip, doc, pad, definitie in begrippen(documenten):
        sleutel = re.sub(r"\s*\(.*?\)", "", begrip).strip().lower()
        plaats = Tekstplaats(doc, None, pad, definitie, f"{document_naam(doc)} (begrip '{begrip}')")
        per_begrip.setdefault(sleutel, []).append(Definitie(plaats, definitie, normaal_waarde(definitie)))
    for o in data.regio.voorrang.onderwerpen:
        kennis = result.get(o.id) or (Kennis(o.id, f"begrip '{o.id}'", per_begrip[o.id]) if o.id in per_begrip else None)
        if kennis is None:
            plaatsen = [(x, None) if isinstance(x, str) else (x.plaats, x.regel) for x in o.vindplaatsen]
            gevonden = {x: (vind(data, x, peildatum), regel) for x, regel in plaatsen}
            defs = [Definitie(p, _kort(p.tekst), regel=regel) for p, regel in gevonden.values() if p]
            kennis = Kennis(o.id, o.naam or o.id, defs, soort="onderwerp",
                            niet_gevonden=[x for x, (p, _) in gevonden.items() if p is None])
        kennis.synoniemen, kennis.grond, kennis.toelichting = list(o.synoniemen), o.grond, o.toelichting
        if o.naam:
            kennis.naam = o.naam
        result[o.id] = kennis
    for sleutel, defs in per_begrip.items():
        result.setdefault(sleutel, Kennis(sleutel, f"begrip '{sleutel}'", defs))
    return result


def _woord(tekst: str) -> str:
    return re.sub(r"\s+", " ", tekst.strip().lower())


def zoek(kennis: dict[str, Kennis], gevraagd: str) -> tuple[Kennis, str | None]:
    """The subject asked by id, name or synonym (exactly, any case); and the synonym used, if any.

    Raises OnbekendOnderwerp with a suggestion: a near word is never silently taken as the answer.
    """
    w = _woord(gevraagd)
    for k in kennis.values():
        if w in (_woord(k.sleutel), _woord(k.naam), _woord(k.naam.removeprefix("begrip '").rstrip("'"))):
            return k, None
        for syn in k.synoniemen:
            if w == _woord(syn):
                return k, syn
    woorden = {_woord(x): k.sleutel for k in kennis.values() for x in [k.sleutel, *k.synoniemen]}
    bevat = sorted({k.sleutel for k in kennis.values() if w in _woord(k.naam) or w in _woord(k.sleutel)
                    or any(w in _woord(s) for s in k.synoniemen)})
    dichtbij = bedoelde_u(w, woorden)
    voorstel = bevat[:3] or ([woorden[dichtbij]] if dichtbij else [])
    bericht = f"onbekend onderwerp '{gevraagd}'"
    if voorstel:
        bericht += "; bedoelde u " + " of ".join(f"'{v}'" for v in voorstel) + "?"
    bericht += " (zonder onderwerp toont `contractgen voorrang REGIOMAP` alle onderwerpen)"
    raise OnbekendOnderwerp(bericht)


def rangorde_regels(data: RegioData, peildatum: date) -> list[str]:
    """The rangorde and the explicit exceptions, each with the article that establishes it."""
    vr = data.regio.voorrang
    regels = [f"Rangorde {data.regio.naam} (hoogste eerst), peildatum {peildatum:%d-%m-%Y}:"]
    for i, stap in enumerate(vr.rangorde, start=1):
        regels.append(f"{i}. {stap.naam} ({', '.join(stap.documenten)})")
        if stap.grond:
            regels.append(_citaat(data, stap.grond, peildatum))
    if vr.uitzonderingen:
        regels.append("Uitdrukkelijke afwijkingen:")
        for u in vr.uitzonderingen:
            regels.append(f"- {u.onderwerp}: wijkt af van {u.wijkt_af_van}")
            regels.append(_citaat(data, u.grond, peildatum))
    return regels


def lijst_regels(kennis: dict[str, Kennis]) -> list[str]:
    """The known subjects: parameters and subjects with their synonyms, then the begrippen."""
    if not kennis:
        return ["", "Onderwerpen: geen (regio.yaml noemt geen parameters of onderwerpen, de documenten geen begrippen)"]
    voorbeeld = next(iter(kennis))
    regels = ["", f"Onderwerpen (vraag bijv. `contractgen voorrang REGIOMAP {voorbeeld}`):"]
    for k in kennis.values():
        if k.soort == "begrip" and not k.synoniemen:
            continue
        ook = f" (ook: {', '.join(k.synoniemen)})" if k.synoniemen else ""
        regels.append(f"- {k.sleutel}: {k.naam}{ook}")
    losse = sorted(k.sleutel for k in kennis.values() if k.soort == "begrip" and not k.synoniemen)
    if losse:
        regels += textwrap.wrap(f"Begrippen: {', '.join(losse)}", 100, subsequent_indent="  ")
    return regels


def leg_uit(data: RegioData, onderwerp: str | None, peildatum: date, kort: bool = False) -> list[str]:
    """Dutch explanation lines for `contractgen voorrang`.

    Without a subject: the rangorde and the list of subjects. With one: where it stands
    and which text governs, with the article that says so (`kort`: only that answer and
    its ground). Raises OnbekendOnderwerp for a subject not known.
    """
    kennis = onderwerpen(data, peildatum)
    if onderwerp is None:
        return rangorde_regels(data, peildatum) + lijst_regels(kennis)
    k, synoniem = zoek(kennis, onderwerp)
    antwoord = _antwoord(data, k, peildatum)
    if kort:
        return antwoord
    regels = [f"Onderwerp: {k.naam}"]
    if synoniem:
        grond = vind(data, k.grond, peildatum) if k.grond else None
        regels.append(f"('{synoniem}' is een ander woord voor dit onderwerp; zie {grond.label if grond else k.grond}"
                      + (f": {k.toelichting}" if k.toelichting else "") + ")")
    for d in sorted(k.definities, key=lambda d: rang(data, d.plaats.document.id)):
        regels.append(f"- {d.plaats.label}: {_kort(d.waarde)}" + (f" ({d.regel})" if d.regel else ""))
    for x in k.niet_gevonden:
        regels.append(f"- {x}: niet gevonden op peildatum {peildatum:%d-%m-%Y} (vindplaats in regio.yaml, "
                      "voorrang.onderwerpen)")
    return regels + antwoord


def _antwoord(data: RegioData, k: Kennis, peildatum: date) -> list[str]:
    """The answer and its ground, per rule: places that state different rules (a cap and an insured
    amount) are not compared with each other; within one rule: no conflict, or the text that governs."""
    if not k.definities:
        return ["Dit onderwerp staat op geen van de genoemde plaatsen (meer); werk regio.yaml bij."]
    groepen: dict[str | None, list[Definitie]] = {}
    for d in k.definities:
        groepen.setdefault(d.regel, []).append(d)
    if len(groepen) == 1:
        regels = _antwoord_regel(data, k.soort, k.definities, peildatum)
    else:
        regels = [f"Dit onderwerp omvat {len(groepen)} verschillende regels; elke regel geldt op zijn eigen plaats "
                  "en wordt niet met de andere vergeleken:"]
        for regel, defs in groepen.items():
            regels.append(f"* {regel or k.naam}:")
            regels += ["  " + r for r in _antwoord_regel(data, k.soort, defs, peildatum, "deze regel")]
    # an exception the agreement itself makes (DVO 26.2, 26.3) is named whatever the answer
    naam = k.naam.lower()
    uitzondering = next((u for u in data.regio.voorrang.uitzonderingen
                         if u.onderwerp.lower() in naam or naam in u.onderwerp.lower()), None)
    if uitzondering:
        regels.append(f"Let op: {uitzondering.onderwerp} wijkt uitdrukkelijk af van {uitzondering.wijkt_af_van}:")
        regels.append(_citaat(data, uitzondering.grond, peildatum))
    return regels


def _antwoord_regel(data: RegioData, soort: str, defs: list[Definitie], peildatum: date,
                    wat: str = "dit onderwerp") -> list[str]:
    """The answer for the places of one rule."""
    vr = data.regio.voorrang
    if len(defs) < 2:
        return [f"Geen strijdigheid: {wat} staat alleen in {defs[0].plaats.label}."]
    waarden = {d.norm for d in defs}
    if None not in waarden and len(waarden) == 1:
        norm = defs[0].norm or ""
        zelfde = _kort(defs[0].waarde if soort == "begrip" else norm, 80)
        return [f"Geen strijdigheid: alle {len(defs)} vindplaatsen zeggen hetzelfde ({zelfde}); voorrang is niet nodig."]
    winnaar = geldend(data, [d.plaats for d in defs])
    if winnaar is None:
        hoogste = min(rang(data, d.plaats.document.id) for d in defs)
        gelijk = [d.plaats.label for d in defs if rang(data, d.plaats.document.id) == hoogste]
        trede = vr.rangorde[hoogste].naam if hoogste < len(vr.rangorde) else "geen plaats in de rangorde"
        return [f"Geldend: niet te bepalen uit de rangorde: {' en '.join(gelijk)} hebben dezelfde rang ({trede}); "
                "overleg met de jurist."]
    stap_index = rang(data, winnaar.document.id)
    stap: m.Rang | None = vr.rangorde[stap_index] if stap_index < len(vr.rangorde) else None
    kop = "Geldend" if None not in waarden else "Bij strijdigheid geldt"
    regels = [f"{kop}: {winnaar.label}, want {stap.naam if stap else winnaar.document.id} gaat voor "
              f"op de andere vindplaatsen:"]
    if stap and stap.grond:
        regels.append(_citaat(data, stap.grond, peildatum))
    else:
        hoger = [s for s in vr.rangorde[: stap_index + 1] if s.grond]
        for s in hoger[-1:]:
            regels.append(_citaat(data, s.grond, peildatum))
    return regels


def _kort(tekst: str, n: int = 160) -> str:
    tekst = re.sub(r"\s+", " ", tekst).strip()
    return tekst if len(tekst) <= n else tekst[: n - 1] + "…"
