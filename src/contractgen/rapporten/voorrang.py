"""Voorrang as data: which text governs when documents say different things, and why.

The rangorde and its exceptions are declared per contract family in regio.yaml,
each with the article that establishes it; explanations quote that article.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from dataclasses import dataclass
from datetime import date

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


@dataclass
class Definitie:
    plaats: Tekstplaats
    waarde: str


def _onderwerpen(data: RegioData, peildatum: date) -> dict[str, tuple[str, list[Definitie]]]:
    """Every subject defined in more than one place: parameters, begrippen and looptijden."""

    onderwerpen: dict[str, tuple[str, list[Definitie]]] = {}
    for param in data.regio.parameters:
        defs = []
        for v in param.vindplaatsen:
            plaats = vind(data, v.plaats, peildatum)
            if plaats is not None:
                defs.append(Definitie(plaats, v.tekst))
        onderwerpen[param.id] = (param.naam, defs)
    documenten = [d for d in (kies_versie(data, i, peildatum) for i in sorted({d.id for d in data.documenten})) if d]
    per_begrip: dict[str, list[Definitie]] = {}
    for begrip, doc, pad, definitie in begrippen(documenten):
        sleutel = re.sub(r"\s*\(.*?\)", "", begrip).strip().lower()
        plaats = Tekstplaats(doc, None, pad, definitie, f"{document_naam(doc)} (begrip '{begrip}')")
        per_begrip.setdefault(sleutel, []).append(Definitie(plaats, definitie))
    for sleutel, defs in per_begrip.items():
        onderwerpen.setdefault(sleutel, (f"begrip '{sleutel}'", defs))
    return onderwerpen


def leg_uit(data: RegioData, onderwerp: str | None, peildatum: date) -> list[str]:
    """Dutch explanation lines for `contractgen voorrang`."""
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
    if onderwerp is None:
        return regels
    onderwerpen = _onderwerpen(data, peildatum)
    sleutel = onderwerp.strip().lower()
    if sleutel not in onderwerpen:
        namen = {k: v[0].lower() for k, v in onderwerpen.items()}
        treffers = [k for k, naam in namen.items() if sleutel in naam or sleutel in k]
        treffers = treffers or difflib.get_close_matches(sleutel, list(onderwerpen), n=1, cutoff=0.6)
        if not treffers:
            raise KeyError(onderwerp)
        sleutel = treffers[0]
    naam, defs = onderwerpen[sleutel]
    regels += ["", f"Onderwerp: {naam}"]
    for d in sorted(defs, key=lambda d: rang(data, d.plaats.document.id)):
        regels.append(f"- {d.plaats.label}: {_kort(d.waarde)}")
    if len(defs) < 2:
        regels.append("Dit onderwerp staat maar op één plaats; er is geen strijdigheid.")
        return regels
    uitzondering = next((u for u in vr.uitzonderingen if u.onderwerp.lower() in naam.lower()
                         or naam.lower() in u.onderwerp.lower()), None)
    winnaar = geldend(data, [d.plaats for d in defs])
    if winnaar is None:
        regels.append("Geldend: niet te bepalen uit de rangorde (gelijke rang); overleg met de jurist.")
        return regels
    stap_index = rang(data, winnaar.document.id)
    rangstap: m.Rang | None = vr.rangorde[stap_index] if stap_index < len(vr.rangorde) else None
    regels.append(f"Geldend: {winnaar.label}, want {rangstap.naam if rangstap else winnaar.document.id} gaat voor "
                  f"op de andere vindplaatsen:")
    if stap and stap.grond:
        regels.append(_citaat(data, stap.grond, peildatum))
    else:
        hoger = [s for s in vr.rangorde[: stap_index + 1] if s.grond]
        for s in hoger[-1:]:
            regels.append(_citaat(data, s.grond, peildatum))
    if uitzondering:
        regels.append(f"Let op: {uitzondering.onderwerp} wijkt uitdrukkelijk af van {uitzondering.wijkt_af_van}:")
        regels.append(_citaat(data, uitzondering.grond, peildatum))
    return regels


def _kort(tekst: str, n: int = 160) -> str:
    tekst = re.sub(r"\s+", " ", tekst).strip()
    return tekst if len(tekst) <= n else tekst[: n - 1] + "…"
