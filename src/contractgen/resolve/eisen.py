"""Handlers for kwaliteitseisen (bijlage 3): the eisen table with the aanbieder's Ja/Nee/NVT,
and the motivatie table for every Nee or NVT."""

from __future__ import annotations

from contractgen.domein import model as m
from contractgen.domein.zoeken import walk_blokken
from contractgen.resolve import blokken as rb
from contractgen.resolve.context import Bouwer


def eisen(b: Bouwer, blok: m.EisenBlok, niveau: int) -> None:
    groep = blok.eisen
    if groep.titel:
        b.add(rb.Kop(3, b.t(groep.titel)))
    rijen, ids = [], []
    for j, eis in enumerate(groep.eisen):
        ids.append(b.anker("", "eisen", "eisen", j, eigen=eis.id))
        tekst = b.t(eis.tekst)
        for item in eis.opsomming:
            tekst += "\n• " + b.t(item if isinstance(item, str) else item.tekst)
        antwoord = b.eisen_antwoorden.get(eis.id)
        rijen.append([eis.nr, tekst, antwoord.antwoord if antwoord else ""])
    b.add(rb.Tabel([b.t(k) for k in groep.kolommen], rijen, eisen=True, rij_ids=tuple(ids)))


def motivatie(b: Bouwer, blok: m.MotivatieBlok, niveau: int) -> None:
    # in the order of bijlage 3, labelled with the number the source prints (D2, not D2-2)
    alle = [e for o, _ in walk_blokken(b.doc.inhoud, ()) if isinstance(o, m.EisenBlok) for e in o.eisen.eisen]
    volgorde = {e.id: (i, e.nr) for i, e in enumerate(alle)}
    antwoorden = sorted(b.eisen_antwoorden.items(), key=lambda x: volgorde.get(x[0], (len(volgorde), x[0])))
    rijen = [[volgorde.get(eis, (0, eis))[1], b.t(a.motivatie or "")] for eis, a in antwoorden
             if a.antwoord in ("Nee", "NVT")]
    if not rijen:
        rijen = [["", ""] for _ in range(3)]
    b.add(rb.Tabel([b.t(k) for k in blok.motivatie.kolommen], rijen))
