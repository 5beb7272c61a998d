"""`contractgen importeer-document`: an existing Word contract (no ids) → a YAML document in the data model.

Recognised, in this order, per paragraph (style names in English or Dutch, "Heading 2" / "Kop 2"):

- "HOOFDSTUK 3 Titel", or a level-1 heading "3. Titel" → hoofdstuk;
- "Artikel 4: Duur" / "Artikel 4 Duur" (any heading level or plain), or a level-2 heading
  "2.1 Titel" → artikel (the document's `kop_artikel` follows what was found);
- a level-3 heading "3.2.1 Titel" under artikel 3.2 → a lid whose text is that title and whose
  `inhoud` is what follows (the Noord-Limburg layout of seed 000);
- "4.1 Tekst" under artikel 4 → lid 4.1; "• tekst" or a bullet list style → bullet item; "a) tekst" /
  "1. tekst" → labelled item; a numbered list style → numbered item;
- "Bijlage 2 Titel" as a heading → a kop (a bijlage is its own document: reported); another heading
  without number: level 1-2 → a kop that ends the artikel, level 3+ → a subkop inside it;
- "Aldus overeengekomen" (or opgemaakt, getekend) ends the artikelen: what follows is document text;
- a table → `begrippen` (header Begrip | Definitie), `bijlagenlijst` (rows "Bijlage N | titel") or `tabel`;
- any other paragraph → alinea, inside the current lid, else the current artikel, else the document.

What does not fit (a lid number that does not belong to the current artikel, a lid before any
artikel) is not guessed: it is listed in `niet_geplaatst` with its paragraph number and text.

Many real documents have no heading styles: numbered paragraphs typed as plain text. When no
paragraph has a heading style (`_kopniveaus`), the levels are read from the numbering instead:
the first paragraph is the title; a short line "3.2 Titel" (a capital, no closing punctuation) is
a level-2 heading, "3.2.1 Titel" level 3, "1. Titel" level 1, as an author would have styled them;
"Artikel 3", "HOOFDSTUK 1" and "3.2 Tekst." as before. What was inferred is reported (`afgeleid`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from contractgen.basis.problemen import ContractgenFout, Probleem
from contractgen.basis.transactie import Auteur, Transactie
from contractgen.domein import model as m
from contractgen.intake import yaml_rond as yr
from contractgen.intake.word_lezen import Alinea, Tabel, lees
from contractgen.laden.regio import load_dataset

_HOOFDSTUK = re.compile(r"^HOOFDSTUK\s*(\d+[a-z]?)\.?\s+(.*)$", re.I | re.S)
_HOOFDSTUK_NR = re.compile(r"^(\d+)\.\s+(.*)$", re.S)
_ARTIKEL = re.compile(r"^Artikel\s+(\d+[a-z]?)(:?)\s*(.*)$", re.S)
_PARAGRAAF = re.compile(r"^(\d+(?:\.\d+)+\.?)\s+(.*)$", re.S)  # a trailing dot is kept as typed ("4.4.2.")
_LID = re.compile(r"^(\d+\.\d+[a-z]?\.?)\s+(.*)$", re.S)
_BULLET = re.compile(r"^([•\-–])\s+(.*)$", re.S)
_TEKEN = re.compile(r"^([●▪◦·⮚➢►✓□])\s+(.*)$", re.S)  # other markers: kept as the item's label
# "artikel 22", "artikelen 10.4", "artikel 3.2 van de samenwerkingsovereenkomst"; not "artikel 9 lid 1"
_VERWIJZING = re.compile(r"\b([Aa]rtikel(?:en)?\s+)(\d+(?:\.\d+)*)(?![\d]|\s*\.\d|\s+lid\b)"
                         r"(\s+van\s+(?:de|het)\s+([\w-]+))?")
_LABEL = re.compile(r"^(\(?[a-z]\)|[a-z]\.|\d+\.|\d+\)|[ivx]+\.)\s+(.*)$", re.S)
_SLOT = re.compile(r"^aldus\b", re.I)
_BIJLAGE = re.compile(r"^Bijlage\s+(\d+(?:\.\d+)*[a-z]?)\b", re.I)


class DocumentImportFout(ContractgenFout):
    """The Word file cannot become a document (no text, an invalid id, an existing file)."""


@dataclass
class Importresultaat:
    yaml: str
    artikelen: int = 0
    leden: int = 0
    overig: int = 0
    niet_geplaatst: list[str] = field(default_factory=list)
    afgeleid: list[str] = field(default_factory=list)  # heading levels read from the numbering (no styles)


class _Lezer:
    def __init__(self) -> None:
        self.inhoud = yr.lijst()
        self.art: Any = None
        self.lid: Any = None
        self.ids: set[str] = set()
        self.uit = Importresultaat("")
        self.titel: str | None = None
        self.kop_artikel: str | None = None
        self.kop_hoofdstuk: str | None = None

    def doel(self) -> Any:
        if self.lid is not None:
            return self.lid.setdefault("inhoud", yr.lijst())
        if self.art is not None:
            return self.art.setdefault("inhoud", yr.lijst())
        return self.inhoud

    def vrij(self, basis: str) -> str:
        ident, n = re.sub(r"[^a-z0-9._-]", "-", basis.lower()), 2
        kandidaat = ident
        while kandidaat in self.ids:
            kandidaat, n = f"{ident}-{n}", n + 1
        self.ids.add(kandidaat)
        return kandidaat

    def niet(self, deel: Alinea, waarom: str) -> None:
        tekst = deel.tekst.strip()
        kort = tekst if len(tekst) <= 80 else tekst[:77] + "…"
        self.uit.niet_geplaatst.append(f"alinea {deel.positie}: {waarom}: '{kort}'")

    # --- blocks ----------------------------------------------------------------------

    def hoofdstuk(self, nummer: str, titel: str) -> None:
        self.inhoud.append(yr.kaart(hoofdstuk=yr.kaart(id=self.vrij(f"h-{nummer}"), nummer=nummer, titel=titel)))
        self.art = self.lid = None
        self.uit.overig += 1

    def artikel(self, nummer: str, titel: str, scheiding: str) -> None:
        art = yr.kaart(id=self.vrij(f"art-{nummer}"), nummer=nummer, titel=titel)
        if scheiding != ":":
            art["scheiding"] = yr.tekst(" ")
        self.inhoud.append(yr.kaart(artikel=art))
        self.art, self.lid = art, None
        self.uit.artikelen += 1

    def nieuw_lid(self, nummer: str, tekst: str) -> None:
        lid = yr.kaart(id=self.vrij(f"art-{nummer}"), nummer=nummer, tekst=tekst)
        self.art.setdefault("leden", yr.lijst()).append(lid)
        self.lid = lid
        self.uit.leden += 1

    def item(self, stijl: str, tekst: str, label: str | None = None) -> None:
        doel = self.doel()
        laatste = doel[-1] if doel else None
        if not (laatste is not None and "opsomming" in laatste and laatste["opsomming"]["stijl"] == stijl):
            laatste = yr.kaart(opsomming=yr.kaart(stijl=stijl, items=yr.lijst()))
            doel.append(laatste)
            self.uit.overig += 1
        items = laatste["opsomming"]["items"]
        items.append(yr.kaart(label=label, tekst=tekst) if label is not None else yr.tekst(tekst))

    def tabel(self, t: Tabel) -> None:
        rijen = [[c.strip() for c in r.cellen] for r in t.rijen if any(c.strip() for c in r.cellen)]
        if not rijen:
            return
        breedte = max(len(r) for r in rijen)
        if breedte == 2 and [c.lower() for c in rijen[0]] == ["begrip", "definitie"]:
            blok = yr.kaart(begrippen=yr.lijst([yr.kaart(begrip=a, definitie=b) for a, b in rijen[1:]]))
        elif breedte == 2 and all(_BIJLAGE.match(r[0]) for r in rijen):
            blok = yr.kaart(bijlagenlijst=yr.lijst([
                yr.kaart(nummer=_BIJLAGE.match(a).group(1), titel=b) for a, b in rijen]))  # type: ignore[union-attr]
        else:
            tabel = yr.kaart()
            tabel["rijen"] = yr.lijst([yr.lijst([yr.tekst(c) for c in r]) for r in rijen])
            blok = yr.kaart(tabel=tabel)
        self.doel().append(blok)
        self.uit.overig += 1

    def alinea(self, tekst: str) -> None:
        self.doel().append(yr.kaart(alinea=tekst))
        self.uit.overig += 1

    # --- one paragraph ---------------------------------------------------------------

    def lees(self, deel: Alinea) -> None:
        tekst = " ".join(deel.tekst.replace("\t", " ").split(" ")).strip()
        tekst = re.sub(r"[ \u00a0]+", " ", tekst).strip()
        if not tekst:
            return
        stijl = deel.stijl.lower()
        kop = deel.kop
        if self.titel is None and (stijl in ("title", "titel") or (kop and not self.inhoud)) \
                and not _ARTIKEL.match(tekst) and not _HOOFDSTUK.match(tekst):
            self.titel = tekst
            self.inhoud.append(yr.kaart(kop=tekst))
            return
        if (h := _HOOFDSTUK.match(tekst)) and (kop or tekst.isupper() or len(tekst) < 80):
            self.kop_hoofdstuk = self.kop_hoofdstuk or "HOOFDSTUK {nummer} {titel}"
            return self.hoofdstuk(h.group(1), h.group(2).strip())
        if kop == 1 and (h := _HOOFDSTUK_NR.match(tekst)):
            self.kop_hoofdstuk = self.kop_hoofdstuk or "{nummer}. {titel}"
            return self.hoofdstuk(h.group(1), h.group(2).strip())
        if (a := _ARTIKEL.match(tekst)) and (kop or len(tekst) < 120):
            self.kop_artikel = self.kop_artikel or "Artikel {nummer}{scheiding} {titel}"
            return self.artikel(a.group(1), a.group(3).strip(), a.group(2) or " ")
        if kop == 2 and (p := _PARAGRAAF.match(tekst)):
            self.kop_artikel = self.kop_artikel or "{nummer} {titel}"
            return self.artikel(p.group(1), p.group(2).strip(), " ")
        if kop >= 3 and (p := _PARAGRAAF.match(tekst)):
            if self.art is not None and p.group(1).startswith(self.art["nummer"].rstrip(".") + "."):
                return self.nieuw_lid(p.group(1), p.group(2).strip())
            return self.niet(deel, f"kop {p.group(1)} hoort bij geen artikel"
                             + (f" (huidig artikel: {self.art['nummer']})" if self.art is not None else ""))
        if kop:
            if _BIJLAGE.match(tekst):
                self.art = self.lid = None
                self.uit.niet_geplaatst.append(f"alinea {deel.positie}: '{tekst}' begint een bijlage; in het "
                                               "datamodel is een bijlage een eigen document (soort: bijlage): "
                                               "hier alleen als kop opgenomen")
                self.inhoud.append(yr.kaart(kop=tekst))
                return
            if kop <= 2:  # a heading without number at artikel level or above ends the artikel
                self.art = self.lid = None
                self.inhoud.append(yr.kaart(kop=tekst))
            else:
                self.doel().append(yr.kaart(subkop=tekst))
            self.uit.overig += 1
            return
        if _SLOT.match(tekst):  # "Aldus overeengekomen": the articles end, the signatures begin
            self.art = self.lid = None
        if (lid := _LID.match(tekst)) and not _LABEL.match(tekst):
            if self.art is not None and lid.group(1).split(".")[0] == self.art["nummer"].split(".")[0] \
                    and not self.art["nummer"].count(".") >= lid.group(1).count("."):
                return self.nieuw_lid(lid.group(1), lid.group(2).strip())
            waar = f"artikel {self.art['nummer']}" if self.art is not None else "geen artikel"
            return self.niet(deel, f"lidnummer {lid.group(1)} past niet bij {waar}")
        if (t := _TEKEN.match(tekst)):
            return self.item("label", t.group(2).strip(), t.group(1))
        if (b := _BULLET.match(tekst)) or "bullet" in stijl or "opsommingsteken" in stijl:
            teken = b.group(1) if b else "•"
            return self.item("streep" if teken in "-–" else "bullet", b.group(2).strip() if b else tekst)
        if (lab := _LABEL.match(tekst)):
            return self.item("label", lab.group(2).strip(), lab.group(1))
        if "list number" in stijl or "lijstnummering" in stijl:
            return self.item("label", tekst, f"{self._volgnummer()}.")
        self.alinea(tekst)

    def _volgnummer(self) -> int:
        doel = self.doel()
        if doel and "opsomming" in doel[-1] and doel[-1]["opsomming"]["stijl"] == "label":
            return len(doel[-1]["opsomming"]["items"]) + 1
        return 1


def importeer(pad: Path, ident: str, soort: str, versie: str, geldig_van: date,
              andere: list[m.Document] | None = None) -> Importresultaat:
    """Read `pad` (a .docx without ids) into a document `ident`; raises DocumentImportFout or WordFout.

    "artikel 22" becomes the inline field `[[ref:<ident>:art-22]]` when this document has an artikel or lid
    22, and "artikel 3.2 van de samenwerkingsovereenkomst" `[[ref:swo:art-3.2]]` when one of `andere` (the
    region's documents) is called that and has a 3.2: the reference then follows a renumbering. Other
    mentions ("artikel 9 lid 1", "artikel 171 van de Gemeentewet") stay text.
    """
    wd = lees(pad)
    lezer = _Lezer()
    lezer.uit.afgeleid = _kopniveaus(wd.delen)
    for deel in wd.delen:
        if isinstance(deel, Tabel):
            lezer.tabel(deel)
        else:
            lezer.lees(deel)
    _verwijzingen(lezer.inhoud, ident, andere or [])
    if not lezer.inhoud:
        raise DocumentImportFout([Probleem(str(pad), bericht="het document bevat geen tekst")])
    doc = yr.kaart(id=ident, titel=lezer.titel or pad.stem, soort=soort, versie=versie)
    doc["geldig_van"] = geldig_van
    doc["bron"] = yr.kaart(bestand=pad.name)
    if lezer.kop_hoofdstuk and lezer.kop_hoofdstuk != m.Document.model_fields["kop_hoofdstuk"].default:
        doc["kop_hoofdstuk"] = yr.tekst(lezer.kop_hoofdstuk)
    if lezer.kop_artikel and lezer.kop_artikel != m.Document.model_fields["kop_artikel"].default:
        doc["kop_artikel"] = yr.tekst(lezer.kop_artikel)
    doc["inhoud"] = lezer.inhoud
    try:
        m.Document.model_validate(yr.laad_tekst(yr.dump(doc)))
    except ValidationError as exc:
        fout = exc.errors()[0]
        raise DocumentImportFout([Probleem(str(pad), pad=".".join(map(str, fout["loc"])),
                                           bericht=f"het resultaat is geen geldig document: {fout['msg']}")])
    lezer.uit.yaml = (f"# Geïmporteerd uit {pad.name} met 'contractgen importeer-document'; controleer de tekst\n"
                      f"# en de structuur tegen het origineel.\n" + yr.dump(doc))
    return lezer.uit


_GENUMMERDE_KOP = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+([A-ZÀ-Ý][^\n]*)$")


def _kopniveaus(delen: list) -> list[str]:
    """Without any heading style: give numbered title lines the heading level their number says.

    Returns what was inferred, one line per paragraph ("alinea 5: '2.1 Uitgangspunt' als kop 2").
    A title line is short (under 90 characters), starts with a capital after its number and does not
    end in punctuation; "Artikel 3" lines already mark the artikelen, so then a "3.2" line stays a lid.
    """
    alineas = [d for d in delen if isinstance(d, Alinea) and d.tekst.strip()]
    if not alineas or any(a.kop for a in alineas):
        return []
    afgeleid: list[str] = []
    eerste = alineas[0]
    if len(eerste.tekst.strip()) < 150 and not _ARTIKEL.match(eerste.tekst.strip()):
        eerste.kop = 1
        afgeleid.append(f"alinea {eerste.positie}: '{eerste.tekst.strip()[:60]}' als titel")
    met_artikelen = any(_ARTIKEL.match(a.tekst.strip()) for a in alineas)
    for a in alineas[1:]:
        tekst = " ".join(a.tekst.replace("\t", " ").split())
        m_ = _GENUMMERDE_KOP.match(tekst)
        if not m_ or len(tekst) >= 90 or tekst[-1] in ".,;:" or a.lijst:
            continue
        niveau = m_.group(1).count(".") + 1
        if met_artikelen and niveau >= 2:
            continue  # "Artikel 3" is the heading; "3.2 ..." is a lid
        a.kop = min(niveau, 3)
        afgeleid.append(f"alinea {a.positie}: '{tekst[:60]}' als kop {a.kop}")
    return afgeleid


def _nummers(inhoud: Any) -> dict[str, str]:
    """nummer → id of every artikel and lid in a round-trip document body."""
    uit: dict[str, str] = {}
    for blok in inhoud:
        art = blok.get("artikel") if isinstance(blok, dict) else None
        if art is not None:
            uit.setdefault(str(art["nummer"]).rstrip("."), art["id"])
            for lid in art.get("leden") or []:
                uit.setdefault(str(lid["nummer"]).rstrip("."), lid["id"])
    return uit


def _verwijzingen(inhoud: Any, ident: str, andere: list[m.Document]) -> None:
    eigen = _nummers(inhoud)
    namen: dict[str, tuple[str, dict[str, str]]] = {}
    for doc in andere:
        nummers = {}
        for obj_id, obj in _model_nummers(doc).items():
            nummers[obj_id] = obj
        for naam in (doc.titel, doc.korte_titel or "", doc.id):
            if naam:
                namen.setdefault(naam.split()[0].lower(), (doc.id, nummers))

    def vervang(mt: re.Match) -> str:
        nummer = mt.group(2)
        if mt.group(3):
            doel = namen.get(mt.group(4).lower())
            if doel is None or nummer not in doel[1]:
                return mt.group(0)
            return f"{mt.group(1)}[[ref:{doel[0]}:{doel[1][nummer]}]]{mt.group(3)}"
        if nummer not in eigen:
            return mt.group(0)
        return f"{mt.group(1)}[[ref:{ident}:{eigen[nummer]}]]"

    def loop(x: Any) -> None:
        if isinstance(x, dict):
            for k in list(x):
                if k in ("tekst", "alinea", "definitie") and isinstance(x[k], str) and "rtikel" in x[k]:
                    x[k] = yr.tekst(_VERWIJZING.sub(vervang, x[k]))
                else:
                    loop(x[k])
        elif isinstance(x, list):
            for i, v in enumerate(x):
                if isinstance(v, str) and "rtikel" in v:
                    x[i] = yr.tekst(_VERWIJZING.sub(vervang, v))
                else:
                    loop(v)

    loop(inhoud)


def _model_nummers(doc: m.Document) -> dict[str, str]:
    uit: dict[str, str] = {}
    for blok in doc.inhoud:
        if isinstance(blok, m.ArtikelBlok):
            uit.setdefault(blok.artikel.nummer.rstrip("."), blok.artikel.id)
            for lid in blok.artikel.leden:
                uit.setdefault(lid.nummer.rstrip("."), lid.id)
    return uit


def documenten_van(regio_map: Path) -> list[m.Document]:
    """The documents of a region folder that load, for references across documents; a new or
    incomplete region simply has none (its problems are for `contractgen validate`)."""
    if not regio_map.is_dir():
        return []
    regios, _ = load_dataset(regio_map)
    return [d for r in regios for d in r.documenten]


def schrijf_document(doel: Path, yaml: str, *, auteur: Auteur | None = None, git: bool = False) -> Transactie:
    """Write a new document file `<regio>/documenten/<id>.yaml` as one transaction of the region; refuses to
    overwrite one (DocumentImportFout), also one made while this ran (GelijktijdigGewijzigd)."""
    if doel.exists():
        raise DocumentImportFout([Probleem(str(doel), bericht="bestaat al; kies een ander --id of verwijder het bestand")])
    regio_map = doel.parent.parent
    with Transactie(regio_map, f"Document {doel.stem} geïmporteerd uit Word", auteur=auteur, git=git) as tx:
        tx.vereis_ongewijzigd(doel, None)
        tx.schrijf(doel, yaml.encode("utf-8"))
    return tx
