"""`contractgen check`: a consistency report for juristen.

Finds what the source itself gets wrong, without correcting the data: duplicate
numbers, references that lead nowhere, bijlagen listed but absent, dates outside a
text's own looptijd, derived amounts that do not follow their rule, one parameter
with different values, terms defined but unused, abbreviations used but undefined.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from contractgen.basis.gezicht import zeg
from contractgen.basis.formaat import MAANDEN, bedrag_tekst
from contractgen.basis.posities import position_of
from contractgen.basis.problemen import Probleem
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.rekenen import afgeleid_tarief, rekentabel_totalen
from contractgen.domein.zoeken import begrippen, ids_in, kies_versie, walk_blokken
from contractgen.rapporten.gemaskeerd import meld_gemaskeerd
from contractgen.rapporten.jaren import jaarregels
from contractgen.rapporten.plaatsnamen import knoop, plaats_naam, vingerafdruk
from contractgen.rapporten.voorrang import geldend, normaal_waarde
from contractgen.regels.varianten import einde_bezwaren, gemeente_bezwaren, vindplaats_bezwaren
from contractgen.resolve.plaatsen import document_naam, teksten_van_document, vind

JSON_VERSIE = 1


@dataclass(frozen=True)
class Bevinding:
    regel: str  # rule id, stable (see docs/referentie/foutmeldingen.md)
    probleem: Probleem
    document: str  # document id
    plaats: str  # as a jurist names it: "DVO art. 11.5", "Bijlage 3, eis D2", "parameter 'Looptijd' (regio)"
    vingerafdruk: str = ""  # 12 hex over rule, message and the source text at the place (see beoordeling)
    # every document the finding is about (a parameter that differs between DVO and Bijlage 3: both);
    # `document` is the first of them, '' for a finding about the region alone
    documenten: tuple[str, ...] = ()

    def betreft(self, document: str) -> bool:
        """Is this finding about `document` (`check --document`)?"""
        return document == self.document or document in self.documenten

    def als_json(self) -> dict:
        p = self.probleem
        return {"regel": self.regel, "ernst": p.ernst, "bestand": p.bestand, "regelnummer": p.regel,
                "kolom": p.kolom, "pad": p.pad, "document": self.document,
                "documenten": list(self.documenten or ((self.document,) if self.document else ())), "plaats": self.plaats,
                "bericht": p.bericht, "vingerafdruk": self.vingerafdruk}


class _Rapport:
    def __init__(self, data: RegioData, peildatum: date):
        self.data, self.peildatum = data, peildatum
        self.bevindingen: list[Bevinding] = []
        self.documenten = [d for d in (kies_versie(data, i, peildatum) for i in sorted({d.id for d in data.documenten}))
                           if d is not None]
        # the tariff sets in force on the peildatum: a finding about next year's concept set belongs to that
        # year's report (and the workplace's page of that year), not to this one
        self.tariefsets = [t for t in data.tariefsets if t.looptijd.van <= peildatum <= t.looptijd.tot]

    def meld(self, regel: str, doc_or_obj, pad: tuple, bericht: str, ernst: str = "waarschuwing",
             document: str = "", plaats: str = "", documenten: tuple[str, ...] = (),
             afdruk_bericht: str | None = None) -> None:
        """`afdruk_bericht`: the words the fingerprint is made of when `bericht` differs per face
        (basis.gezicht): an acceptance made in the workplace must hold for `check` on the command line."""
        herkomst = self.data.waar(doc_or_obj)
        p = herkomst.probleem(pad, bericht, ernst)
        assert p is not None, "probleem() is None only without a bericht"
        plaats = plaats or plaats_naam(doc_or_obj, pad)
        afdruk = vingerafdruk(regel, afdruk_bericht or bericht, knoop(herkomst.data, pad))
        document = document or (documenten[0] if documenten else "")
        self.bevindingen.append(Bevinding(regel, p, document, plaats, afdruk, documenten))


def plaats_van(doc: m.Document, pad: tuple) -> str:
    """How a jurist names the place of a path: 'DVO art. 11.5', 'Bijlage 3, eis D2', or the document."""
    return plaats_naam(doc, pad)


def check(data: RegioData, peildatum: date) -> list[Bevinding]:
    r = _Rapport(data, peildatum)
    for regel in (_dubbele_nummers, _verwijzingen, _ontbrekende_bijlagen, _datums, _afgeleide_bedragen,
                  _rekentabellen, _parameters, _begrippen, _afkortingen, meld_gemaskeerd, jaarregels, _varianten):
        regel(r)
    return sorted(r.bevindingen, key=lambda b: (b.probleem.bestand, b.probleem.regel, b.regel, b.probleem.bericht))


# --- rules -------------------------------------------------------------------------


def _varianten(r: _Rapport) -> None:
    """Contract variants (regels.varianten): transcribed as the source has them, bought by the gemeenten an
    aanbieder names, and not run past their maximum end date by the version in force."""
    for v, i, bericht in vindplaats_bezwaren(r.data):
        r.meld("variant-vindplaats", r.data.regio, ("varianten", i), bericht, ernst="fout",
               plaats=f"contractvariant '{v.naam}' (regio)")
    for b in gemeente_bezwaren(r.data):
        r.meld("variant-gemeente", b.aanbieder, b.pad, b.bericht, ernst="fout", plaats=f"aanbieder {b.aanbieder.id}")
    eindes = [d.geldig_tot for d in r.documenten if d.id in r.data.regio.pakket and d.geldig_tot]
    if eindes:
        for b in einde_bezwaren(r.data, max(eindes)):
            r.meld("variant-einddatum", b.aanbieder, b.pad, b.bericht, ernst="fout",
                   plaats=f"aanbieder {b.aanbieder.id}")


def _dubbele_nummers(r: _Rapport) -> None:
    for doc in r.documenten:
        artikelen: dict[str, tuple] = {}
        eisen: dict[str, tuple] = {}
        for obj, pad in walk_blokken(doc.inhoud, ("inhoud",)):
            if isinstance(obj, m.Artikel):
                _dubbel(r, doc, artikelen, obj.nummer, pad, f"artikelnummer {obj.nummer}", f"{document_naam(doc)} art. {obj.nummer}")
                leden: dict[str, tuple] = {}
                for j, lid in enumerate(obj.leden):
                    _dubbel(r, doc, leden, lid.nummer, pad + ("leden", j), f"lid {lid.nummer} in artikel {obj.nummer}",
                            f"{document_naam(doc)} art. {lid.nummer}")
            elif isinstance(obj, m.EisenBlok):
                for j, eis in enumerate(obj.eisen.eisen):
                    _dubbel(r, doc, eisen, eis.nr, pad + ("eisen", "eisen", j), f"eisnummer {eis.nr}",
                            f"{document_naam(doc)}, eis {eis.nr}")


def _dubbel(r, doc, gezien: dict, nummer: str, pad: tuple, wat: str, plaats: str) -> None:
    if nummer in gezien:
        eerste = position_of(r.data.waar(doc).data, gezien[nummer])
        cli = (f"{wat} komt twee keer voor (eerder op regel {eerste.regel if eerste else '?'}); verwijzingen naar "
               "dit nummer zijn dubbelzinnig")
        werkplaats = f"{wat} komt twee keer voor; verwijzingen naar dit nummer zijn dubbelzinnig"
        r.meld("dubbel-nummer", doc, pad, zeg(cli=cli, werkplaats=werkplaats), document=doc.id, plaats=plaats,
               afdruk_bericht=cli)
    else:
        gezien[nummer] = pad


VERWIJZING = re.compile(r"\b[Aa]rtikel(?:en)?\s+(\d+)(?:\.(\d+)|\s+lid\s+(\d+))?(?P<na>[^.;]{0,60})")
EXTERN = re.compile(r"Algemene inkoopvoorwaarden|Aanbestedingswet|Gemeentewet|Kaderbesluit|Richtlijn|richtlijn|"
                    r"Overeenkomst ter|overeenkomst aangaande|Besluit|[Ww]et\b|Sr\b|Wetboek")
BIJLAGE_VERWIJZING = re.compile(r"\b[Bb]ijlage\s+(\d+(?:\.\d+[a-c]?)?)\b")


def _doel_document(documenten: list[m.Document], doc: m.Document, na: str) -> str | None:
    """Which document 'artikel N' refers to: one named right after it, else the text's own."""
    if EXTERN.search(na):
        return None
    for ander in documenten:
        naam = (ander.korte_titel or "").lower()
        if ander.soort == "overeenkomst" and naam and re.search(rf"\b{re.escape(naam)}", na.lower()):
            return ander.id
    if doc.soort in ("bijlage", "fragment"):
        return None  # in bijlagen an unqualified article is mostly one of a law or regulation
    if doc.soort == "toelichting":  # a toelichting explains the agreement whose id it extends
        return next((d.id for d in documenten if d.soort == "overeenkomst" and doc.id.startswith(d.id + "-")), None)
    return doc.id


def _verwijzingen(r: _Rapport) -> None:
    bijlage_nummers = {d.nummer for d in r.documenten if d.soort == "bijlage" and d.nummer}
    genoemd = {x.nummer: x for d in r.documenten for o, _ in walk_blokken(d.inhoud, ())
               if isinstance(o, m.BijlagenlijstBlok) for x in o.bijlagenlijst}
    for doc in r.documenten:
        for tekst, pad in teksten_van_document(doc):
            for match in VERWIJZING.finditer(tekst):
                if EXTERN.search(tekst[max(0, match.start() - 80): match.start()]):
                    continue  # "... Algemene inkoopvoorwaarden, ... Artikel 18": an article of another text
                doel_id = _doel_document(r.documenten, doc, match.group("na"))
                if doel_id is None:
                    continue
                doel = kies_versie(r.data, doel_id, r.peildatum)
                if doel is None:
                    continue
                nummers = {getattr(o, "nummer", None) for o in ids_in(doel).values()}
                art, lid = match.group(1), match.group(2) or match.group(3)
                gezocht = f"{art}.{lid}" if lid else art
                if gezocht not in nummers:
                    r.meld("verwijzing-leeg", doc, pad,
                           f"'{match.group(0).strip()[:60]}' verwijst naar artikel {gezocht} van {document_naam(doel)}, "
                           "dat niet bestaat", document=doc.id)
            for match in BIJLAGE_VERWIJZING.finditer(tekst):
                nummer = match.group(1)
                hoofd = nummer.split(".")[0]
                if any(n == nummer or n.startswith(nummer + ".") or nummer.startswith(n) for n in bijlage_nummers):
                    continue
                if hoofd in genoemd:
                    r.meld("verwijzing-ontbrekende-bijlage", doc, pad,
                           f"verwijst naar bijlage {nummer} ({genoemd[hoofd].titel}), waarvan de tekst ontbreekt",
                           document=doc.id)


def _ontbrekende_bijlagen(r: _Rapport) -> None:
    nummers = {d.nummer for d in r.documenten if d.soort == "bijlage" and d.nummer}
    for doc in r.documenten:
        for obj, pad in walk_blokken(doc.inhoud, ("inhoud",)):
            if not isinstance(obj, m.BijlagenlijstBlok):
                continue
            for i, item in enumerate(obj.bijlagenlijst):
                if not any(n == item.nummer or n.startswith(item.nummer + ".") for n in nummers):
                    r.meld("bijlage-ontbreekt", doc, pad + ("bijlagenlijst", i),
                           f"bijlage {item.nummer} ({item.titel}) wordt genoemd maar de tekst ontbreekt in de bron",
                           document=doc.id)


DATUM = re.compile(r"\b(\d{1,2})-(\d{1,2})-(\d{4})\b|\b(\d{1,2})\s+(" + "|".join(MAANDEN) + r")\s+(\d{4})\b")


CITAAT = re.compile(r"Richtlijn|richtlijn|Kaderbesluit|Raad|Parlement|Verordening|[Bb]rief|convenant|Staatsblad|Pb[EG]")


def _datums(r: _Rapport) -> None:
    for doc in r.documenten:
        if doc.looptijd:
            van, tot, wat = doc.looptijd.van, doc.looptijd.tot, "looptijd"
        elif doc.geldig_tot:
            van, tot, wat = doc.geldig_van, doc.geldig_tot, "geldigheid"
        else:
            continue
        eerste_artikel = _eerste_artikel(doc)
        for tekst, pad in teksten_van_document(doc):
            for match in DATUM.finditer(tekst):
                if CITAAT.search(tekst[max(0, match.start() - 60): match.start()]):
                    continue  # the date of a cited act, letter or agreement: history, not a term
                try:
                    if match.group(1):
                        d = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
                    else:
                        d = date(int(match.group(6)), MAANDEN.index(match.group(5)) + 1, int(match.group(4)))
                except ValueError:
                    r.meld("datum-ongeldig", doc, pad, f"'{match.group(0)}' is geen bestaande datum", "fout", doc.id)
                    continue
                if d < van and len(pad) > 1 and isinstance(pad[1], int) and pad[1] < eerste_artikel < len(doc.inhoud):
                    continue  # the recitals ("Overwegende dat op 10 januari 2013 ...") tell history, not a term
                if d < van or d > tot + timedelta(days=1):
                    r.meld("datum-buiten-looptijd", doc, pad,
                           f"datum '{match.group(0)}' valt buiten de {wat} van dit document "
                           f"({van:%d-%m-%Y} t/m {tot:%d-%m-%Y})", document=doc.id)


def _eerste_artikel(doc: m.Document) -> int:
    """The index in `inhoud` of the first artikel or hoofdstuk: what stands before it is the preamble
    (len(inhoud) for a document without artikelen, which has no preamble)."""
    return next((i for i, b in enumerate(doc.inhoud) if isinstance(b, (m.ArtikelBlok, m.HoofdstukBlok))),
                len(doc.inhoud))


def _afgeleide_bedragen(r: _Rapport) -> None:
    for ts in r.tariefsets:
        tarieven = {p.productcode: p.tarief for a in ts.arrangementen for p in a.producten + a.toeslagen}
        for i, arr in enumerate(ts.arrangementen):
            for soort in ("producten", "toeslagen"):
                for j, p in enumerate(getattr(arr, soort)):
                    if p.afgeleid is None:
                        continue
                    verwacht, uitleg = afgeleid_tarief(p.afgeleid, tarieven)
                    if verwacht is None:
                        r.meld("afgeleid-bedrag", ts, ("arrangementen", i, soort, j, "afgeleid"),
                               f"regel voor {p.productcode} noemt een onbekende productcode", "fout", ts.id)
                    elif verwacht != p.tarief:
                        r.meld("afgeleid-bedrag", ts, ("arrangementen", i, soort, j, "tarief"),
                               f"tarief {p.productcode} is {bedrag_tekst(p.tarief)}, maar volgens de regel "
                               f"({uitleg}) {bedrag_tekst(verwacht)}", "fout", ts.id)


def _rekentabellen(r: _Rapport) -> None:
    """A total typed in the source must equal the sum of its rows."""

    for doc in r.documenten:
        for obj, pad in walk_blokken(doc.inhoud, ("inhoud",)):
            if not isinstance(obj, m.RekentabelBlok) or not obj.rekentabel.totaal:
                continue
            tabel, totaal = obj.rekentabel, obj.rekentabel.totaal
            sommen = rekentabel_totalen(tabel)
            for k, bron in enumerate(totaal.bron):
                if k not in sommen or not bron.strip():
                    continue
                if Decimal(bron) != sommen[k]:
                    opmaak = bedrag_tekst if tabel.soorten[k] == "bedrag" else str
                    r.meld("rekentabel-totaal", doc, pad + ("rekentabel", "totaal", "bron", k),
                           f"totaal '{tabel.kolommen[k]}' is in de bron {opmaak(Decimal(bron))}, maar de som van de "
                           f"rijen is {opmaak(sommen[k])} (verschil {opmaak(sommen[k] - Decimal(bron))})",
                           document=doc.id)


def _parameters(r: _Rapport) -> None:
    regio = r.data.regio
    for i, param in enumerate(regio.parameters):
        gevonden = []
        for j, v in enumerate(param.vindplaatsen):
            doc_id = v.plaats.partition(":")[0]
            if kies_versie(r.data, doc_id, r.peildatum) is None:
                continue  # that document is not in force on this peildatum
            plaats = vind(r.data, v.plaats, r.peildatum)
            if plaats is None:
                r.meld("parameter-vindplaats", regio, ("parameters", i, "vindplaatsen", j, "plaats"),
                       f"vindplaats '{v.plaats}' van parameter '{param.id}' bestaat niet", "fout", document=doc_id)
            elif _norm(v.tekst) not in _norm(plaats.tekst) and _in_vorige_versie(r, v):
                r.meld("jaar-vorige-looptijd", regio, ("parameters", i, "vindplaatsen", j, "tekst"),
                       f"{plaats.label} bevat de tekst '{v.tekst}' van de vorige versie niet meer; werk de vindplaats "
                       "in regio.yaml bij voor deze versie", document=doc_id)
            elif _norm(v.tekst) not in _norm(plaats.tekst):
                r.meld("parameter-vindplaats", regio, ("parameters", i, "vindplaatsen", j, "tekst"),
                       f"{plaats.label} bevat de tekst '{v.tekst}' niet (meer); werk de vindplaats bij", "fout",
                       document=doc_id)
            else:
                gevonden.append((v, plaats))
        per_regel: dict[str | None, list] = {}  # a cap and an insured amount are different rules: not compared
        for v, p in gevonden:
            per_regel.setdefault(v.regel, []).append((v, p))
        for regel, groep in per_regel.items():
            waarden = {normaal_waarde(v.waarde) for v, _ in groep}  # 'zes maanden' agrees with '6 maanden'
            if len(waarden) > 1:
                lijst = "; ".join(f"{p.label}: {v.tekst}" for v, p in groep)
                winnaar = geldend(r.data, [p for _, p in groep])
                uitleg = f"; volgens de rangorde geldt {winnaar.label}" if winnaar else ""
                naam = f"{param.naam} ({regel})" if regel else param.naam
                r.meld("parameter-verschil", regio, ("parameters", i), f"'{naam}' heeft verschillende waarden: {lijst}{uitleg}",
                       documenten=tuple(dict.fromkeys(v.plaats.partition(":")[0] for v, _ in groep)))


def _in_vorige_versie(r: _Rapport, v) -> bool:
    """Does the vindplaats text stand in the version before the one in force (a year change left it)?"""
    doc = kies_versie(r.data, v.plaats.partition(":")[0], r.peildatum)
    assert doc is not None, "_parameters skips vindplaatsen whose document is not in force"
    dag_ervoor = doc.geldig_van - timedelta(days=1)
    vorige = kies_versie(r.data, doc.id, dag_ervoor)
    plaats = vind(r.data, v.plaats, dag_ervoor) if vorige is not None else None
    return plaats is not None and _norm(v.tekst) in _norm(plaats.tekst)


def _norm(tekst: str) -> str:
    return re.sub(r"\s+", " ", tekst).strip().lower()


def _begrippen(r: _Rapport) -> None:
    alle_tekst = []
    for doc in r.documenten:
        for tekst, pad in teksten_van_document(doc):
            alle_tekst.append((doc, pad, tekst.lower()))
    for begrip, doc, pad, _ in begrippen(r.documenten):
        kern = re.sub(r"\s*\(.*?\)", "", begrip).strip().lower()
        if not kern:
            continue
        # "algemene inkoopvoorwaarden van de gemeente Maastricht" uses the begrip "Algemene inkoopvoorwaarden
        # gemeente Maastricht": its words in order, with articles and prepositions between them (DVO 26.1)
        patroon = re.compile(r"\b" + r"\s+(?:(?:van|de|het|der|den|des|voor|en|in)\s+)*".join(
            re.escape(w) for w in kern.split()) + r"\b")
        gebruikt = any(patroon.search(tekst) for d, p, tekst in alle_tekst if p[: len(pad)] != pad)
        if not gebruikt:
            r.meld("begrip-ongebruikt", doc, pad, f"begrip '{begrip}' wordt gedefinieerd maar nergens gebruikt",
                   document=doc.id)


AFKORTING = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,5})(?![\w-])")


def _afkortingen(r: _Rapport) -> None:
    lijst = None
    for doc in r.documenten:
        for obj, _ in walk_blokken(doc.inhoud, ()):
            if isinstance(obj, m.TabelBlok) and obj.tabel.kolommen[:1] == ["Afkorting"]:
                lijst = (doc, {rij[0].strip() for rij in obj.tabel.rijen if rij})
    if lijst is None:
        return
    lijst_doc, bekend = lijst
    bekend_lower = {b.lower() for b in bekend}
    eerste: dict[str, tuple] = {}
    tellen: Counter = Counter()
    uitgelegd: set[str] = set()
    woorden = {w for doc in r.documenten for t, _ in teksten_van_document(doc) for w in re.findall(r"\b[a-zë]+\b", t)}
    for doc in r.documenten:
        if doc is lijst_doc:
            continue
        for tekst, pad in teksten_van_document(doc):
            for match in AFKORTING.finditer(tekst):
                afk = match.group(1)
                if (set(afk) <= {"X"} or afk.lower() in bekend_lower or re.fullmatch(r"[IVX]+", afk)
                        or re.fullmatch(r"[A-Z]\d+", afk)  # a kwaliteitseis number or a code (H150)
                        or afk.lower() in woorden):  # a word in capitals (HOOFDSTUK, ZIJN), not an abbreviation
                    continue
                tellen[afk] += 1
                eerste.setdefault(afk, (doc, pad))
                if _uitgeschreven(afk, tekst, match.start(), match.end()):
                    uitgelegd.add(afk)
    for afk, (doc, pad) in sorted(eerste.items()):
        if afk in uitgelegd:
            continue  # spelled out where it is used: "Inspectie voor de Gezondheidszorg (IGZ)"
        r.meld("afkorting-ontbreekt", doc, pad,
               f"afkorting '{afk}' wordt {tellen[afk]} keer gebruikt maar staat niet in de lijst met afkortingen "
               f"({document_naam(lijst_doc)})", document=doc.id)



def _uitgeschreven(afk: str, tekst: str, begin: int, einde: int) -> bool:
    """Is the abbreviation spelled out in its own sentence: "woorden (AFK)" or "AFK (woorden)"?

    The words next to the brackets must hold the letters of the abbreviation in order, the first
    one starting a word ("Inspectie voor de Gezondheidszorg (IGZ)": I-nspectie … G-ezondheids-Z-org).
    """
    def past(woorden: str) -> bool:
        woorden = woorden.lower()
        start = next((m.start() for m in re.finditer(r"\b" + re.escape(afk[0].lower()), woorden)), None)
        if start is None:
            return False
        i = start
        for letter in afk.lower():
            i = woorden.find(letter, i)
            if i < 0:
                return False
            i += 1
        return True

    if tekst[begin - 1: begin] == "(" and tekst[einde: einde + 1] == ")":
        zin = re.split(r"[.;:!?]\s", tekst[:begin - 1])[-1]
        return past(" ".join(zin.split()[-8:]))
    na = re.match(r"\s*\(([^()]{3,80})\)", tekst[einde:])
    return bool(na and past(na.group(1)))
