"""The kwaliteitseisen an aanbieder answers, with the texts of bijlage 3 as its package prints them.

Which eisen: `regels.aanbieders.eisen_voor` (the same list `check` and validation use). Their texts:
the eisen tables of the aanbieder's package documents resolved by `resolve.weergave` (the same
blocks the Word and PDF show), so nothing is retyped here. Shape: a list of `Groep(titel, eisen)`,
each eis a `Vraag(id, nr, tekst, nvt)` where `nvt` is the condition under which NVT is allowed
(None: NVT is not allowed at this eis).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.zoeken import pakket, walk_blokken
from contractgen.regels.aanbieders import VOORWAARDE, eisen_voor
from contractgen.resolve import blokken as rb
from contractgen.resolve.weergave import weergave


@dataclass
class Vraag:
    id: str
    nr: str
    tekst: str
    nvt: str | None  # "voor een ZZP'er" ...: when NVT is allowed; None: never


@dataclass
class Groep:
    titel: str
    vragen: list[Vraag] = field(default_factory=list)


def vragen(data: RegioData, aanbieder: m.Aanbieder, peildatum: date) -> list[Groep]:
    """The eisen of this aanbieder's package on the peildatum, grouped as bijlage 3 groups them."""
    eisen = eisen_voor(data, aanbieder, peildatum)
    per_id = {e.id: e for e in eisen}
    vrij = list(eisen)  # for rows without an id (an eisen table inside an included fragment)
    groepen: list[Groep] = []
    gezien: set[str] = set()
    for doc in pakket(data, aanbieder, peildatum):
        if not any(isinstance(b, m.EisenBlok) for b, _ in walk_blokken(doc.inhoud, ())):
            continue  # resolving every document of the package would be wasted work
        titel = ""
        for blok in weergave(data, doc, aanbieder, peildatum).blokken:
            if isinstance(blok, rb.Kop):
                titel = blok.tekst
            if not (isinstance(blok, rb.Tabel) and blok.eisen):
                continue
            groep = Groep(titel)
            titel = ""  # a group without its own heading (the source prints none for B and C)
            for i, rij in enumerate(blok.rijen):
                ident = blok.rij_ids[i] if i < len(blok.rij_ids) else None
                eis = per_id.get(ident or "") or next((e for e in vrij if e.nr == rij[0] and e.id not in gezien), None)
                if eis is None or eis.id in gezien:
                    continue
                gezien.add(eis.id)
                groep.vragen.append(Vraag(eis.id, rij[0], rij[1], VOORWAARDE.get(eis.nvt) if eis.nvt else None))
            if groep.vragen:
                if not groep.titel:
                    groep.titel = f"Eisen {groep.vragen[0].nr} tot en met {groep.vragen[-1].nr}"
                groepen.append(groep)
    # an eis the tables did not show (should not happen): still asked, with its own text
    rest = [e for e in eisen if e.id not in gezien]
    if rest:
        groepen.append(Groep("Overige eisen", [Vraag(e.id, e.nr, e.tekst, VOORWAARDE.get(e.nvt) if e.nvt else None)
                                               for e in rest]))
    return groepen

