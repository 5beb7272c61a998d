"""Check findings as a jurist reads them: the document, artikel and lid, and the text there as printed.

`check` (rapporten/check.py) names each place in words already (`Bevinding.plaats`: "DVO art. 11.5"); the
path into the YAML file stays out of sight and is only used here to find the object at that place, whose
text is then filled in (`vul_in`) the way the document prints it.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import date

from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.zoeken import kies_versie, teksten
from contractgen.rapporten.beoordeling import Beoordeling, Oordeel, lees, oordelen
from contractgen.rapporten.check import Bevinding, check
from contractgen.rapporten.checkrapport import REGELS, groepen
from contractgen.resolve.plaatsen import document_naam, vind
from contractgen.resolve.weergave import vul_in

TEKST_MAX = 700  # characters of the text at a place shown with a finding


def sleutel(b: Bevinding) -> str:
    """A stable key for one finding in a URL (16 hex): rule, place, fingerprint and message."""
    inhoud = json.dumps([b.regel, b.plaats, b.vingerafdruk, b.probleem.bericht], ensure_ascii=False)
    return hashlib.sha256(inhoud.encode("utf-8")).hexdigest()[:16]


def controle_naam(regel: str) -> str:
    """'verwijzing-ontbrekende-bijlage' → 'Verwijzing ontbrekende bijlage' (the name `check` uses, readable)."""
    return regel.replace("-", " ").capitalize()


@dataclass
class Tekstplek:
    label: str  # "DVO art. 26.2"
    tekst: str  # as printed: inline fields filled in


@dataclass
class Getoond:
    """One finding as the jurist's pages show it."""

    sleutel: str
    oordeel: Oordeel
    document: str  # the document's title ("Dienstverleningsovereenkomst"), "Regio-instellingen", a tariff set
    document_kort: str  # as the place names it ("DVO", "Bijlage 3")
    artikel: str  # "11 Declaratie" or ""
    lid: str  # "11.5" or ""
    teksten: list[Tekstplek] = field(default_factory=list)

    @property
    def bevinding(self) -> Bevinding:
        return self.oordeel.bevinding

    @property
    def status(self) -> str:
        return self.oordeel.status

    @property
    def beoordeling(self) -> Beoordeling | None:
        return self.oordeel.beoordeling

    @property
    def controle(self) -> str:
        return controle_naam(self.bevinding.regel)

    @property
    def status_tekst(self) -> str:
        return {"open": "open", "beoordeeld": "beoordeeld", "gewijzigd": "gewijzigd sinds beoordeling"}[self.status]


_gecontroleerd: dict[tuple[int, date], tuple[RegioData, list[Bevinding]]] = {}
_slot = threading.Lock()


def _check(data: RegioData, peildatum: date) -> list[Bevinding]:
    """`check` once per loaded region and peildatum: `laad_regio` gives a new RegioData when a file changed."""
    with _slot:
        bewaard = _gecontroleerd.get((id(data), peildatum))
    if bewaard is not None and bewaard[0] is data:
        return bewaard[1]
    bevindingen = check(data, peildatum)
    with _slot:
        if len(_gecontroleerd) >= 16:
            _gecontroleerd.clear()
        _gecontroleerd[(id(data), peildatum)] = (data, bevindingen)
    return bevindingen


def alle(data: RegioData, peildatum: date) -> tuple[list[Oordeel], list[Beoordeling]]:
    """Every finding of `check` on the peildatum with its review, as `contractgen check --alles` has them
    (the reviews read anew each time: check-beoordeeld.yaml is the truth)."""
    return oordelen(_check(data, peildatum), lees(data.map))


def geordend(lijst: list[Oordeel]) -> list[Oordeel]:
    """In the order of `check`'s report: per rule (errors' rules first), in file order within a rule."""
    return [o for _, groep in groepen(lijst) for o in groep]


def controles(lijst: list[Oordeel]) -> list[tuple[str, str]]:
    """(rule, readable name) of the rules that have findings, in REGELS order."""
    namen = {o.bevinding.regel for o in lijst}
    return [(r, controle_naam(r)) for r in [*REGELS, *sorted(namen - set(REGELS))] if r in namen]


def documenten(data: RegioData, peildatum: date) -> list[tuple[str, str]]:
    """(id, name) of the documents in force and the tariff sets: the choices of the document filter."""
    uit = []
    for ident in dict.fromkeys(d.id for d in data.documenten):
        doc = kies_versie(data, ident, peildatum)
        if doc is not None:
            uit.append((doc.id, _titel(doc)))
    uit.sort(key=lambda x: x[1].lower())
    return uit + [(t.id, f"Tarieven {t.id}") for t in data.tariefsets]


def _titel(doc: m.Document) -> str:
    kort = document_naam(doc)
    titel = doc.volledige_titel or doc.titel
    return titel if kort.lower() in titel.lower() else f"{kort} — {titel}"


_getoond: dict[tuple[int, date, str], tuple[RegioData, Getoond]] = {}


def toon(data: RegioData, peildatum: date, o: Oordeel) -> Getoond:
    """Where the finding is, in the document's words, with the text there (never a YAML path); the place
    and its text once per loaded region, the review (`o`) as it is now."""
    sleutel_ = (id(data), peildatum, sleutel(o.bevinding))
    with _slot:
        bewaard = _getoond.get(sleutel_)
    if bewaard is not None and bewaard[0] is data:
        g = bewaard[1]
        return Getoond(g.sleutel, o, g.document, g.document_kort, g.artikel, g.lid, g.teksten)
    g = _toon(data, peildatum, o)
    with _slot:
        if len(_getoond) >= 5000:
            _getoond.clear()
        _getoond[sleutel_] = (data, g)
    return g


def _toon(data: RegioData, peildatum: date, o: Oordeel) -> Getoond:
    b = o.bevinding
    doc = kies_versie(data, b.document, peildatum) if b.document else None
    stappen = [int(x) if x.isdigit() else x for x in b.probleem.pad.split(".")] if b.probleem.pad else []
    g = Getoond(sleutel(b), o, "Regio-instellingen", "", "", "")
    if doc is not None:
        g.document, g.document_kort = _titel(doc), document_naam(doc)
    ts = data.tariefset(b.document) if b.document and doc is None else None
    if ts is not None:
        g.document = g.document_kort = f"Tarieven {ts.id}"
    if doc is not None and data.waar(doc).naam == b.probleem.bestand:
        _in_document(data, doc, stappen, peildatum, g)
    elif stappen[:1] == ["parameters"] and len(stappen) > 1 and isinstance(stappen[1], int):
        _in_parameter(data, stappen, peildatum, g)
    return g


def _kort(tekst: str) -> str:
    tekst = re.sub(r"\s+", " ", tekst).strip()
    return tekst if len(tekst) <= TEKST_MAX else tekst[: TEKST_MAX - 1] + "…"


def _in_document(data: RegioData, doc: m.Document, stappen: list, peildatum: date, g: Getoond) -> None:
    node: object = doc
    artikel = lid = eis = None
    for stap in stappen:
        if isinstance(node, list) and isinstance(stap, int) and 0 <= stap < len(node):
            node = node[stap]
        elif isinstance(stap, str) and not isinstance(node, (list, str, dict)) and hasattr(node, stap):
            node = getattr(node, stap)
        else:
            break
        if isinstance(node, m.Artikel):
            artikel, lid = node, None
        elif isinstance(node, m.Lid):
            lid = node
        elif isinstance(node, m.Eis):
            eis = node
    if artikel is not None:
        g.artikel = f"{artikel.nummer} {artikel.titel or ''}".strip()
    if lid is not None:
        g.lid = lid.nummer
    if isinstance(node, str):
        tekst = node
    elif lid is not None:
        tekst = lid.tekst
    elif eis is not None:
        tekst = " ".join([eis.tekst] + [x if isinstance(x, str) else x.tekst for x in eis.opsomming])
    elif node is not doc and not isinstance(node, (m.Artikel, list)):
        tekst = " ".join(t for t, _ in teksten(node, ()) if isinstance(t, str))
    else:
        tekst = ""
    if tekst.strip():
        g.teksten.append(Tekstplek(g.bevinding.plaats, _kort(vul_in(data, doc, tekst, peildatum))))


def _in_parameter(data: RegioData, stappen: list, peildatum: date, g: Getoond) -> None:
    """A parameter's finding: the text at each of its places in the documents (or the one place named)."""
    params = data.regio.parameters
    if stappen[1] >= len(params):
        return
    vindplaatsen = params[stappen[1]].vindplaatsen
    if len(stappen) > 3 and stappen[2] == "vindplaatsen" and isinstance(stappen[3], int) and stappen[3] < len(vindplaatsen):
        vindplaatsen = [vindplaatsen[stappen[3]]]
    for v in vindplaatsen:
        plaats = vind(data, v.plaats, peildatum)
        if plaats is not None:
            g.teksten.append(Tekstplek(plaats.label, _kort(plaats.tekst)))
