"""Check rule `gemaskeerd-woord`: every masked word (`Xxxx`) that a document would still print.

The seeds mask personal names as `Xxxxx` and, by accident, some ordinary words ("Xxxx (7-12
maanden)" is "Lang"). Where the true word is evident from the sources it is restored in the data,
with a YAML comment giving the evidence; what is left is reported here, so that nobody signs a
"Xxxx" unknowingly. Personal names stay masked: they are reported as such.
"""

from __future__ import annotations

import re
from collections import Counter

from contractgen.domein.zoeken import teksten
from contractgen.resolve.plaatsen import teksten_van_document

# "Xxxx", "XXX’x" (DVO’s), "Xxxxxxxxx", "xxxxxxxx", "xxx.xxxx-xxx.xx" (a website); not "x." or roman "XX"
GEMASKEERD = re.compile(r"(?<![A-Za-z0-9])(X[x]+|X{2,}[’']x+|X{3,}|x{2,}(?:[.:/-]+x+)*/?)(?![A-Za-z0-9])")
# "X. Xxxxxx", "de heer D.A.M. Xxxxxxxxx Xxxxxxx", "staatssecretaris Xxx Xxxx": a personal name
NAAM = re.compile(r"(\b[A-Z]\.|\b(?:heer|mevrouw|mevr\.|dhr\.|staatssecretaris|burgemeester|wethouder)|\bX[x]+)\s*$")


def gemaskeerde_woorden(tekst: str) -> list[tuple[str, bool]]:
    """(masked word, is a personal name) for every masked word in a text."""
    return [(m.group(1), bool(NAAM.search(tekst[:m.start()]))) for m in GEMASKEERD.finditer(tekst)]


def _bericht(gevonden: list[tuple[str, bool]], tekst: str) -> str:
    woorden = Counter(w for w, _ in gevonden)
    lijst = ", ".join(f"'{w}'" + (f" ({n}×)" if n > 1 else "") for w, n in woorden.items())
    fragment = " ".join(tekst.split())
    eerste = GEMASKEERD.search(fragment)
    if eerste and len(fragment) > 70:  # the words around the first masked word, where a reader finds it
        begin = max(0, eerste.start() - 30)
        fragment = ("…" if begin else "") + fragment[begin:begin + 67] + ("…" if begin + 67 < len(fragment) else "")
    if all(naam for _, naam in gevonden):
        return f"gemaskeerde persoonsnaam {lijst} in de bron; blijft gemaskeerd en wordt zo gedrukt: “{fragment}”"
    return (f"gemaskeerd woord {lijst} in de bron wordt zo gedrukt: “{fragment}”; herstel het alleen als de bron "
            "zelf het woord elders geeft (met een YAML-commentaar als bewijs)")


def meld_gemaskeerd(r) -> None:
    """For check: one finding per text that holds masked words (documents, tariffs, signature blocks)."""
    for doc in r.documenten:
        for veld in ("titel", "korte_titel"):
            gevonden = gemaskeerde_woorden(getattr(doc, veld) or "")
            if gevonden:
                r.meld("gemaskeerd-woord", doc, (veld,), _bericht(gevonden, getattr(doc, veld)), document=doc.id)
        for tekst, pad in teksten_van_document(doc):
            gevonden = gemaskeerde_woorden(tekst) if isinstance(tekst, str) else []
            if gevonden:
                r.meld("gemaskeerd-woord", doc, pad, _bericht(gevonden, tekst), document=doc.id)
    for obj in [*r.tariefsets, *r.data.transformaties]:  # the sets of the peildatum, as the documents
        for tekst, pad in teksten(obj, ()):
            gevonden = gemaskeerde_woorden(tekst) if isinstance(tekst, str) else []
            if gevonden:
                r.meld("gemaskeerd-woord", obj, pad, _bericht(gevonden, tekst), document=obj.id)
    for naam, blok in r.data.regio.handtekeningen.items():
        for i, rij in enumerate(blok.rijen):
            for veld in ("label", "waarde"):
                tekst = getattr(rij, veld)
                gevonden = gemaskeerde_woorden(tekst)
                if gevonden:
                    r.meld("gemaskeerd-woord", r.data.regio, ("handtekeningen", naam, "rijen", i, veld),
                           _bericht(gevonden, tekst), plaats=f"handtekeningblok {naam}")
