"""Stage 3, resolve: from the validated data to what one document shows one aanbieder.

Picks the versions in force on the peildatum, applies domain filters, includes
fragments, fills inline fields and expands data blocks (tariffs, eisen) into a flat
list of simple render blocks (kop1/kop2/kop3, alinea, lid, item, tabel, ...). The
templates only lay these out; every decision about content is made here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from contractgen import model as m
from contractgen.dataset import RegioData
from contractgen.integrity import ids_in, walk_blokken
from contractgen.textfields import Invulling, datum_tekst

AANGEVINKT, OPEN = "☒", "☐"

EENHEID_TEKST = {
    "traject": "per traject", "traject_per_gezin": "per traject per gezin", "maand": "per maand",
    "etmaal": "per etmaal", "uur": "per uur", "jaar": "per jaar", "dagdeel": "per dagdeel",
}


def bedrag_tekst(bedrag: Decimal | None) -> str:
    """Dutch money notation as the source prints it: € 2.100 or € 16,50."""
    if bedrag is None:
        return "€"
    geheel, _, centen = f"{bedrag:.2f}".partition(".")
    geheel = f"{int(geheel):,}".replace(",", ".")
    return f"€ {geheel}" if centen == "00" else f"€ {geheel},{centen}"


def kies_tariefset(data: RegioData, ident: str, peildatum: date) -> m.TariefSet:
    """The named set, or the set of the same domain whose looptijd contains the peildatum (next year's)."""
    genoemd = data.tariefset(ident)
    if genoemd is None or genoemd.domein is None or genoemd.looptijd.van <= peildatum <= genoemd.looptijd.tot:
        return genoemd
    for ts in data.tariefsets:
        if ts.domein == genoemd.domein and ts.looptijd.van <= peildatum <= ts.looptijd.tot and \
                bool(ts.groepen) == bool(genoemd.groepen):
            return ts
    return genoemd


def in_kracht(doc: m.Document, peildatum: date) -> m.Document:
    """The document with only the article and lid versions that hold on the peildatum (for comparing)."""
    inhoud = []
    for blok in doc.inhoud:
        if isinstance(blok, m.ArtikelBlok):
            if not blok.artikel.geldig_op(peildatum):
                continue
            leden = [lid for lid in blok.artikel.leden if lid.geldig_op(peildatum)]
            blok = blok.model_copy(update={"artikel": blok.artikel.model_copy(update={"leden": leden})})
        inhoud.append(blok)
    return doc.model_copy(update={"inhoud": inhoud})


def kies_versie(data: RegioData, ident: str, peildatum: date) -> m.Document | None:
    """The version of document `ident` in force on the peildatum."""
    for doc in reversed(data.versies(ident)):
        if doc.geldig_op(peildatum):
            return doc
    return None


def pakket(data: RegioData, aanbieder: m.Aanbieder, peildatum: date) -> list[m.Document]:
    """The documents of one aanbieder's package, in the order of the regio's pakket."""
    result = []
    for ident in data.regio.pakket:
        doc = kies_versie(data, ident, peildatum)
        if doc is None:
            continue
        if doc.domeinen and not set(doc.domeinen) & (set(aanbieder.domeinen) | set(aanbieder.kenmerken)):
            continue
        result.append(doc)
    return result


def algemene_documenten(data: RegioData, peildatum: date) -> list[m.Document]:
    return [d for d in (kies_versie(data, i, peildatum) for i in data.regio.algemeen) if d is not None]


def veilige_naam(tekst: str) -> str:
    """A file or folder name that cannot escape the output folder or upset a file system."""
    naam = re.sub(r"[^A-Za-z0-9._-]+", "-", tekst).strip("-.")
    return naam[:80] or "document"


@dataclass
class Weergave:
    """One document resolved for one aanbieder (or for the region): ready to render."""

    document: m.Document
    aanbieder: m.Aanbieder | None
    context: dict[str, Any]

    @property
    def bestandsnaam(self) -> str:
        return veilige_naam(self.document.id)


class _Bouwer:
    def __init__(self, data: RegioData, doc: m.Document, aanbieder: m.Aanbieder | None, peildatum: date):
        self.data, self.doc, self.aanbieder, self.peildatum = data, doc, aanbieder, peildatum
        self.blokken: list[dict[str, Any]] = []
        # what `alleen_voor` matches: the document's own domains (a Wmo bijlage shows no Jeugd
        # clauses of a shared fragment), else the aanbieder's; plus its segments/percelen
        eigen = set(aanbieder.kenmerken) if aanbieder else set()
        self.domeinen = (set(doc.domeinen) or (set(aanbieder.domeinen) if aanbieder else set())) | eigen
        self.invulling = Invulling(self._waarden(doc), ref=self._ref)
        self.handtekeningen = 0
        self.eisen_antwoorden = aanbieder.kwaliteitseisen if aanbieder else {}

    def _waarden(self, doc: m.Document) -> dict[str, Any]:
        w: dict[str, Any] = {"regio.naam": self.data.regio.naam}
        if doc.looptijd:
            w.update({"looptijd.van": doc.looptijd.van, "looptijd.tot": doc.looptijd.tot,
                      "jaar": str(doc.looptijd.van.year)})
        else:
            w["jaar"] = str(self.peildatum.year)
        for naam, waarde in doc.variabelen.items():
            w[f"var.{naam}"] = waarde
        a = self.aanbieder
        if a:
            w.update({
                "aanbieder.naam": a.naam, "aanbieder.kvk": a.kvk, "aanbieder.agb": a.agb or "",
                "aanbieder.domeinen": ", ".join(self._domein_naam(d) for d in a.domeinen),
                "aanbieder.vertegenwoordiger.naam": a.vertegenwoordiger.naam,
                "aanbieder.vertegenwoordiger.functie": a.vertegenwoordiger.functie or "",
                "aanbieder.adres": (f"{a.vestigingsadres.straat}, {a.vestigingsadres.postcode} "
                                    f"{a.vestigingsadres.plaats}") if a.vestigingsadres else "",
            })
            for rol, persoon in a.rollen.items():
                for veld in ("naam", "functie", "email", "telefoon"):
                    w[f"aanbieder.rol.{rol}.{veld}"] = getattr(persoon, veld) or ""
            for naam, bedrag in a.waarden.items():
                w[f"aanbieder.waarde.{naam}"] = bedrag_tekst(bedrag)
            for berekening in self.data.regio.berekeningen:
                w[f"bereken.{berekening.id}"] = bereken(berekening, a)
        return w

    def _domein_naam(self, ident: str) -> str:
        return next((d.naam for d in self.data.regio.domeinen if d.id == ident), ident)

    def _ref(self, doc_id: str, ident: str) -> str:
        doel = kies_versie(self.data, doc_id, self.peildatum) or next(iter(self.data.versies(doc_id)), None)
        obj = ids_in(doel, self.peildatum).get(ident) if doel else None
        return getattr(obj, "nummer", "?")

    def t(self, tekst: str | None) -> str:
        return self.invulling.vul_in(tekst or "")

    def add(self, soort: str, **velden: Any) -> None:
        self.blokken.append({"soort": soort, **velden})

    # --- blocks ---------------------------------------------------------------------

    def blokken_van(self, blokken: list, niveau: int = 1) -> None:
        for blok in blokken:
            if blok.alleen_voor and not set(blok.alleen_voor) & self.domeinen:
                continue
            getattr(self, f"_{m.blok_soort(blok)}")(blok, niveau)

    def _kop(self, b, niveau):
        self.add("kop2", tekst=self.t(b.kop))

    def _subkop(self, b, niveau):
        self.add("kop3", tekst=self.t(b.subkop))

    def _alinea(self, b, niveau):
        self.add("alinea", tekst=self.t(b.alinea), niveau=niveau)

    def _opsomming(self, b, niveau):
        self._items(b.opsomming.items, b.opsomming.stijl, niveau)

    def _items(self, items: list, stijl: str, niveau: int) -> None:
        teken = {"bullet": "•", "streep": "-", "label": ""}[stijl]
        for item in items:
            if isinstance(item, str):
                self.add("item", label=teken, tekst=self.t(item), niveau=min(niveau, 3))
            else:
                self.add("item", label=self.t(item.label) if item.label is not None else teken,
                         tekst=self.t(item.tekst), niveau=min(niveau, 3))
                if item.items:
                    self._items(item.items, stijl, niveau + 1)

    def _tabel(self, b, niveau):
        breedte = max([len(b.tabel.kolommen)] + [len(r) for r in b.tabel.rijen])
        vul = lambda rij: [self.t(c) for c in rij] + [""] * (breedte - len(rij))  # noqa: E731
        self.add("tabel", kop=vul(b.tabel.kolommen) if b.tabel.kolommen else [],
                 rijen=[vul(r) for r in b.tabel.rijen])

    def _begrippen(self, b, niveau):
        self.add("tabel", kop=["Begrip", "Definitie"],
                 rijen=[[self.t(x.begrip), self.t(x.definitie)] for x in b.begrippen])

    def _voetnoot(self, b, niveau):
        self.add("voetnoot", nummer=self.t(b.voetnoot.nummer), tekst=self.t(b.voetnoot.tekst))

    def _hoofdstuk(self, b, niveau):
        kop = self.doc.kop_hoofdstuk.format(nummer=b.hoofdstuk.nummer, titel=self.t(b.hoofdstuk.titel))
        self.add("kop1", tekst=kop.strip())

    def _artikel(self, b, niveau):
        art = b.artikel
        if not art.geldig_op(self.peildatum):
            return  # another version of this article holds on the peildatum
        titel = self.t(art.titel)
        scheiding = art.scheiding if art.scheiding == ":" and titel else ""
        kop = self.doc.kop_artikel.format(nummer=art.nummer, scheiding=scheiding, titel=titel)
        self.add("kop2", tekst=" ".join(kop.split()), anker=art.id)
        self.blokken_van(art.inhoud, niveau)
        for lid in art.leden:
            if not lid.geldig_op(self.peildatum):
                continue
            self.add("lid", nummer=lid.nummer, tekst=self.t(lid.tekst))
            self.blokken_van(lid.inhoud, niveau + 1)

    def _handtekening(self, b, niveau):
        definitie = self.data.regio.handtekeningen[b.handtekening.blok]
        self.handtekeningen += 1
        teken = tekenrij(definitie)
        self.add("handtekening", titel=self.t(b.handtekening.titel or definitie.titel), partij=definitie.partij,
                 veld=f"{definitie.partij}_{self.handtekeningen}",
                 # bookmark on the signing row; the PDF keeps it as a named destination (pdf.py)
                 anker=f"cgteken{self.handtekeningen}", anker_nr=9000 + self.handtekeningen,
                 rijen=[{"label": self.t(r.label), "waarde": self.t(r.waarde), "teken": i == teken}
                        for i, r in enumerate(definitie.rijen)])

    def _arrangementen(self, b, niveau):
        ts = kies_tariefset(self.data, b.arrangementen.tarieven, self.peildatum)
        gecontracteerd = set(self.aanbieder.arrangementen) if self.aanbieder else set()
        if ts.status == "concept":
            self.add("alinea", niveau=1, tekst="CONCEPT — deze tarieven zijn nog niet vastgesteld.")
        for arr in ts.arrangementen:
            vink = AANGEVINKT if arr.id in gecontracteerd else OPEN
            self.add("kop3", tekst=f"{vink} {self.t(arr.titel)}", arrangement=arr.id,
                     gecontracteerd=arr.id in gecontracteerd)
            self.add("tabel", **(self._rooster(arr) if arr.rooster else self._tariefraster(arr)))
            in_rooster = {c.partition(":")[2] for rij in arr.rooster for c in rij}
            for toeslag in arr.toeslagen:
                if toeslag.productcode not in in_rooster:
                    self.add("alinea", niveau=1, tekst=self._toeslagregel(toeslag))
            for voetnoot in arr.voetnoten:
                self.add("voetnoot", nummer=self.t(voetnoot.nummer), tekst=self.t(voetnoot.tekst))
            for tekst in arr.voorwaarden:
                self.add("alinea", niveau=1, tekst=self.t(tekst))

    def _productcel(self, p: m.Product, met_naam: bool) -> str:
        """'Beschermd Wonen licht / Tarief: € 3.729 / Productcode: 16550': only what the source's cell says."""
        naam = f"{self.t(p.naam)}\n" if p.naam and met_naam and not _in_label(p) else ""
        return f"{naam}{self._tarief(p)}\n{self.t(p.label_code)} {p.productcode}"

    def _toeslagregel(self, p: m.Product) -> str:
        """'Toeslag rolstoelvervoer: € 16 Productcode: 75510' (seed 001 r. 676): name once, no unit."""
        naam = f"{self.t(p.naam)} " if p.naam and not _in_label(p) else ""
        return f"{naam}{self._tarief(p)} {self.t(p.label_code)} {p.productcode}"

    def _rooster(self, arr: m.Arrangement) -> dict[str, Any]:
        """The arrangement's table in the source's own layout (e.g. BW met verblijf, seed 001 r. 791-794)."""
        codes = {p.productcode: p for p in [*arr.producten, *arr.toeslagen]}
        breedte = max(len(r) for r in arr.rooster)
        rijen = []
        for rij in arr.rooster:
            cellen = []
            for c in rij:
                soort, _, code = c.partition(":")
                if soort in ("product", "toeslag") and code in codes:
                    cellen.append(self._productcel(codes[code], met_naam=True))
                else:
                    cellen.append(self.t(c))
            rijen.append(cellen + [""] * (breedte - len(cellen)))
        return {"kop": [], "rijen": rijen}

    def _tariefraster(self, arr: m.Arrangement) -> dict[str, Any]:
        def cel(p: m.Product) -> str:
            return self._productcel(p, met_naam=bool(arr.rijen))

        if arr.rijen and arr.kolommen:
            kolommen = arr.kolommen.waarden
            rijen = []
            for rij in arr.rijen.waarden:
                cellen = [""] * len(kolommen)
                for p in (p for p in arr.producten if p.rij == rij):
                    i = kolommen.index(p.kolom) if p.kolom in kolommen else 0
                    cellen[i] = cel(p)
                rijen.append([self.t(rij)] + cellen)
            kop = [f"{self.t(arr.rijen.as_)} \\ {self.t(arr.kolommen.as_)}"] + [self.t(k) for k in kolommen]
            return {"kop": kop, "rijen": rijen}
        if not any(p.naam or p.rij or p.kolom for p in arr.producten):
            return {"kop": [], "rijen": [[cel(p)] for p in arr.producten]}
        rijen = [[self.t(p.naam or p.rij or p.kolom or ""), cel(p)] for p in arr.producten]
        return {"kop": [], "rijen": rijen}

    def _tarief(self, p) -> str:
        """'Tarief: € 159', 'Tarief per etmaal: € 159': the label as the source prints it, no unit added.

        The unit (`eenheid`) is data for diff and indexation; the bijlagen 1.xa print it only where their
        label says it ("Tarief per etmaal:", "Trajectprijs per gezin:"), the titles say "(maandtarief)".
        """
        label = self.t(p.label_tarief) if p.label_tarief else "Tarief:"
        return f"{label} {bedrag_tekst(p.tarief)}"

    def _uurtarieven(self, b, niveau):
        ts = self.data.tariefset(b.uurtarieven.tarieven)
        afspraken = self.aanbieder.uurtarieven if self.aanbieder else {}
        for groep in ts.groepen:
            if b.uurtarieven.groep and groep.id != b.uurtarieven.groep:
                continue
            posten = [p for p in groep.posten if not p.domeinen or set(p.domeinen) & self.domeinen]
            if not posten:
                continue
            if not b.uurtarieven.groep:
                self.add("kop3", tekst=self.t(groep.titel))
            rijen = []
            for p in posten:
                label = self.t(p.label_tarief) if p.label_tarief else f"Tarief {EENHEID_TEKST[p.eenheid]}:"
                eigen = afspraken[p.id].tarief if p.id in afspraken else None  # detachering: the aanbieder's rate
                bedrag = p.tarief if p.tarief is not None else eigen
                tarief = f"{label} {bedrag_tekst(bedrag)}" if bedrag is not None else f"{label} €"
                maximum = afspraken[p.id].maximum if p.id in afspraken else "___________"
                max_label = {"uren": "Maximum aantal uren:", "fte": "Maximum aantal fte:"}.get(p.maximum or "", "")
                rijen.append([self.t(p.naam), tarief, f"Productcode: {p.productcode}" if p.productcode else "",
                              f"{max_label} {maximum}" if max_label else ""])
            self.add("tabel", kop=[], rijen=rijen)

    def _transformatie(self, b, niveau):
        tabel = self.data.transformatie(b.transformatie.tabel)
        kop = [str(tabel.van_jaar), "", "", str(tabel.naar_jaar), "", ""]
        sub = ["Omschrijving", "Extra omschrijving", "Productcode", "Aangepast omschrijving", "Extra omschrijving", "Productcode"]
        rijen = [sub]
        for r in tabel.regels:
            oud = r.oud or m.TransformatieProduct()
            nieuw = r.nieuw or m.TransformatieProduct()
            nieuw_code = "Vervalt" if r.status == "vervalt" and not nieuw.productcode else nieuw.productcode
            rijen.append([self.t(oud.omschrijving), self.t(oud.extra), oud.productcode,
                          self.t(nieuw.omschrijving), self.t(nieuw.extra), nieuw_code])
        self.add("tabel", kop=kop, rijen=rijen)

    def _eisen(self, b, niveau):
        groep = b.eisen
        if groep.titel:
            self.add("kop3", tekst=self.t(groep.titel))
        rijen = []
        for eis in groep.eisen:
            tekst = self.t(eis.tekst)
            for item in eis.opsomming:
                tekst += "\n• " + self.t(item if isinstance(item, str) else item.tekst)
            antwoord = self.eisen_antwoorden.get(eis.id)
            rijen.append([eis.nr, tekst, antwoord.antwoord if antwoord else ""])
        self.add("tabel", kop=[self.t(k) for k in groep.kolommen], rijen=rijen, eisen=True)

    def _motivatie(self, b, niveau):
        # in the order of bijlage 3, labelled with the number the source prints (D2, not D2-2)
        eisen = [e for o, _ in walk_blokken(self.doc.inhoud, ()) if isinstance(o, m.EisenBlok) for e in o.eisen.eisen]
        volgorde = {e.id: (i, e.nr) for i, e in enumerate(eisen)}
        antwoorden = sorted(self.eisen_antwoorden.items(), key=lambda x: volgorde.get(x[0], (len(volgorde), x[0])))
        rijen = [[volgorde.get(eis, (0, eis))[1], self.t(a.motivatie or "")] for eis, a in antwoorden
                 if a.antwoord in ("Nee", "NVT")]
        if not rijen:
            rijen = [["", ""] for _ in range(3)]
        self.add("tabel", kop=[self.t(k) for k in b.motivatie.kolommen], rijen=rijen)

    def _bijlagenlijst(self, b, niveau):
        self.add("tabel", kop=[], rijen=[[f"Bijlage {x.nummer}", self.t(x.titel)] for x in b.bijlagenlijst])

    def _invoegen(self, b, niveau):
        fragment = kies_versie(self.data, b.invoegen.document, self.peildatum) or self.data.versies(b.invoegen.document)[-1]
        self.blokken_van(fragment.inhoud, niveau)

    def _rekentabel(self, b, niveau):
        tabel = b.rekentabel
        kop = [self.t(k) for k in tabel.kolommen]
        rijen = [[_cel(w, soort) for w, soort in zip(rij, tabel.soorten)] for rij in tabel.rijen]
        sommen = rekentabel_totalen(tabel)
        if tabel.indexatie:
            ix = tabel.indexatie
            kop.append(self.t(ix.label))
            for rij, bron in zip(rijen, tabel.rijen):
                rij.append(" / ".join(bedrag_tekst(geindexeerd(Decimal(bron[k]), ix)) for k in ix.kolommen))
        if tabel.totaal:
            totaal = [self.t(tabel.totaal.label)] + [
                _totaal_cel(tabel, k, sommen) for k in range(1, len(tabel.kolommen))]
            if tabel.indexatie:
                totaal.append(" / ".join(bedrag_tekst(sum(geindexeerd(Decimal(r[k]), tabel.indexatie) for r in tabel.rijen))
                                         for k in tabel.indexatie.kolommen))
            rijen.append(totaal)
        self.add("tabel", kop=kop, rijen=rijen)

    def _pagina_einde(self, b, niveau):
        if b.pagina_einde:
            self.add("pagina_einde")


def _in_label(p: m.Product) -> bool:
    """The product's name is already in its tariff label ("Toeslag rolstoelvervoer:")."""
    return bool(p.naam and p.label_tarief and p.naam.strip() in p.label_tarief)


def _totaal_cel(tabel: m.Rekentabel, k: int, sommen: dict[int, Decimal]) -> str:
    """The total the source prints (with its footnote mark); the computed sum only where the source gives none.

    Seed 004 prints "€ 250.694²" while the rows add up to € 250.788: the printed figure stays the
    source's, the difference is for `check` (rekentabel-totaal).
    """
    bron = tabel.totaal.bron
    if bron:
        waarde = _cel(bron[k], tabel.soorten[k]) if k < len(bron) else ""
    else:
        waarde = _cel(str(sommen[k]), tabel.soorten[k]) if k in sommen else ""
    voetnoten = tabel.totaal.voetnoten
    return waarde + (voetnoten[k] if k < len(voetnoten) and waarde else "")


def tekenrij(definitie: m.HandtekeningDef) -> int:
    """Index of the row where one signs: the row marked `teken`, else the "Handtekening" row, else the last."""
    for i, r in enumerate(definitie.rijen):
        if r.teken:
            return i
    for i, r in enumerate(definitie.rijen):
        if r.label.strip().rstrip(":").lower() == "handtekening":
            return i
    return len(definitie.rijen) - 1


def _cel(waarde: str, soort: str) -> str:
    if soort == "bedrag" and waarde.strip():
        return bedrag_tekst(Decimal(waarde))
    return waarde


def rekentabel_totalen(tabel: m.Rekentabel) -> dict[int, Decimal]:
    """Column sums of the numeric columns (bedrag/getal)."""
    return {k: sum((Decimal(r[k]) for r in tabel.rijen if r[k].strip()), Decimal(0))
            for k, soort in enumerate(tabel.soorten) if soort != "tekst"}


def geindexeerd(bedrag: Decimal, ix: m.Indexatie) -> Decimal:
    stap = Decimal("1") if ix.afronding == "euro" else Decimal("0.01")
    return (bedrag * (100 + ix.percentage) / 100).quantize(stap, rounding="ROUND_HALF_UP")


def bereken(berekening: m.Berekening, aanbieder: m.Aanbieder) -> str:
    """The text of a computed value for one aanbieder (or `anders` when the condition fails)."""
    from contractgen.formule import FormuleFout, reken

    try:
        if berekening.als and not reken(berekening.als, dict(aanbieder.waarden)):
            return berekening.anders
        uitkomst = reken(berekening.formule, dict(aanbieder.waarden))
    except FormuleFout:
        return berekening.anders  # a missing value: validate reports it
    if berekening.eenheid == "bedrag":
        return bedrag_tekst(Decimal(uitkomst).quantize(Decimal("0.01")))
    return f"{uitkomst:f}".rstrip("0").rstrip(".")


def vul_in(data: RegioData, doc: m.Document, tekst: str, peildatum: date) -> str:
    """A text of `doc` with its inline fields filled in as the region-wide document shows them."""
    return _Bouwer(data, doc, None, peildatum).t(tekst)


def weergave(data: RegioData, doc: m.Document, aanbieder: m.Aanbieder | None, peildatum: date) -> Weergave:
    """Resolve one document for one aanbieder (None: the region-wide version)."""
    bouwer = _Bouwer(data, doc, aanbieder, peildatum)
    bouwer.blokken_van(doc.inhoud)
    looptijd = (f"{datum_tekst(doc.looptijd.van)} t/m {datum_tekst(doc.looptijd.tot)}" if doc.looptijd else "")
    context = {
        "document": {
            "id": doc.id,
            "titel": bouwer.t(doc.volledige_titel),
            "korte_titel": bouwer.t(doc.korte_titel or doc.volledige_titel),
            "soort": doc.soort,
            "nummer": doc.nummer or "",
            "versie": doc.versie,
            "geldig_van": datum_tekst(doc.geldig_van),
            "looptijd": looptijd,
            "paraaf": heeft_paraaf(bouwer.blokken),
        },
        "regio": {"naam": data.regio.naam},
        "aanbieder": {"naam": aanbieder.naam, "kvk": aanbieder.kvk} if aanbieder else None,
        "blokken": bouwer.blokken,
    }
    return Weergave(doc, aanbieder, context)


def heeft_paraaf(blokken: list[dict]) -> bool:
    """A document with arrangementen to tick gets a paraaf place on every page (seed 001, bijlage 1.xa)."""
    return any("arrangement" in b for b in blokken)


def pdf_info(w: Weergave, datum: date):
    """What the PDF stage needs: titles, signature blocks in order, paraaf pages."""
    from contractgen.pdf import Handtekeningveld, PdfInfo

    doc = w.context["document"]
    blokken = w.context["blokken"]
    return PdfInfo(
        id=doc["id"], titel=doc["titel"], versie=doc["versie"],
        korte_titel=f"Bijlage {doc['nummer']}" if doc["soort"] == "bijlage" and doc["nummer"] else doc["korte_titel"],
        looptijd=doc["looptijd"] or f"vanaf {doc['geldig_van']}", datum=datum,
        handtekeningen=[Handtekeningveld(b["veld"], b["partij"], b["anker"]) for b in blokken
                        if b["soort"] == "handtekening"],
        paraaf=heeft_paraaf(blokken),
    )


def omslag(data: RegioData, aanbieder: m.Aanbieder, documenten: list[dict], peildatum: date) -> dict[str, Any]:
    """Context for the cover page of a contractpakket: every document (its context's `document`)."""
    rijen = []
    for i, doc in enumerate(documenten, start=1):
        rijen.append([str(i), doc["titel"], doc["versie"], doc["looptijd"] or f"vanaf {doc['geldig_van']}"])
    return {
        "document": {"id": "contractpakket", "titel": f"Contractpakket {data.regio.naam}",
                     "korte_titel": "Contractpakket", "soort": "pakket", "nummer": "",
                     "versie": datum_tekst(peildatum), "geldig_van": datum_tekst(peildatum), "looptijd": "",
                     "paraaf": False},
        "regio": {"naam": data.regio.naam},
        "aanbieder": {"naam": aanbieder.naam, "kvk": aanbieder.kvk},
        "blokken": [
            {"soort": "alinea", "niveau": 1, "tekst": f"Peildatum: {datum_tekst(peildatum)}"},
            {"soort": "alinea", "niveau": 1, "tekst": "Dit pakket bevat de volgende documenten, in de volgorde "
                                                      "van de overeenkomst:"},
            {"soort": "tabel", "kop": ["Nr.", "Document", "Versie", "Looptijd"], "rijen": rijen},
        ],
    }
