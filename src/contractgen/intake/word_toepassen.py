"""Apply what a jurist changed in a generated .docx to the round-trip YAML of its document.

Paragraphs and rows are matched to the blocks they came from by their `cg_` bookmark
(render/ankers.py); the blocks are resolved again exactly as they were generated (same
aanbieder, peildatum), so an unchanged paragraph compares equal. Then:

- a changed text replaces the source text, keeping inline fields (velden_behouden.py);
- a block whose paragraph is gone is deleted (lid, artikel, alinea, item, table row, eis);
- a paragraph without id that reads like a lid ("4.3<tab>...") under an artikel becomes a new
  lid there; a heading without id ("Artikel 12: Titel") a new artikel after the current one;
  other new paragraphs after an alinea become alinea's; anything else cannot be placed and
  refuses the document, saying why and what to do (`niet_verwerkt`), as does anything the reader
  could not import (word_lezen's allow-list: a footnote, a drawing, an unknown element);
- leden in another order or under another artikel are moved; artikelen in another order too.

Tariff tables are never changed here (they come from tariff sets); an edit to one is a
problem, as is an edit inside the rendered text of an inline field.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Callable

from contractgen.basis.problemen import Probleem
from contractgen.domein import model as m
from contractgen.intake import yaml_rond as yr
from contractgen.intake.velden_behouden import pas_toe
from contractgen.intake.word_lezen import Alinea, Tabel, Wijziging, WordDocument
from contractgen.intake.word_toepassing import (
    LID,
    Toepassing,
    alle_ids,
    gewone_spaties,
    kort,
    lid_delen,
    schoon,
    vrij_id,
)
from contractgen.render.ankers import bladwijzer_namen, ids_van, vergelijkbaar
from contractgen.resolve import blokken as rb
from contractgen.resolve.koppen import artikel_kop_delen

TARIEFBLOKKEN = {"arrangementen", "uurtarieven", "transformatie", "rekentabel"}
_ARTIKEL = re.compile(r"^(?:artikel\s+)?(\d+[a-z]?)\s*[:.]?\s+(.*)$", re.I | re.S)


class _Toepasser:
    def __init__(self, wd: WordDocument, doc: m.Document, blokken: list[rb.Blok], herkomst: dict[str, tuple],
                 boom: Any, vul_in: Callable[[str], str]):
        self.wd, self.doc, self.boom, self.vul_in = wd, doc, boom, vul_in
        self.herkomst = herkomst
        self.uit = Toepassing()
        self.verwacht: dict[str, tuple[rb.Blok, int | None]] = {}
        for blok in blokken:
            eigen = getattr(blok, "id", None)
            if eigen:
                self.verwacht[eigen] = (blok, None)
            if isinstance(blok, rb.Tabel):
                for j, rid in enumerate(blok.rij_ids):
                    if rid:
                        self.verwacht[rid] = (blok, j)
        self.per_naam = {naam: i for i, naam in bladwijzer_namen(ids_van(blokken)).items()}
        self.gelezen: dict[str, Any] = {}
        self.positie: dict[str, int] = {}
        self.volgorde: list[tuple[str | None, Alinea]] = []
        self.bestand = wd.pad.name
        self.vast: Counter[str] = Counter()
        self.vorige = "het begin van het document"  # the place of the last paragraph with an id

    # --- reading -------------------------------------------------------------------

    def lees(self) -> None:
        for deel in self.wd.delen:
            self._onbekend_en_opmerkingen(deel)
            if isinstance(deel, Alinea):
                deel.tekst = gewone_spaties(deel.tekst)
            if isinstance(deel, Tabel):
                for rij in deel.rijen:
                    for naam in rij.ankers:
                        ident = self.per_naam.get(naam)
                        if ident is None or ident in self.gelezen:
                            continue
                        self.gelezen[ident] = [gewone_spaties(c) for c in rij.cellen] \
                            if self.verwacht[ident][1] is not None else \
                            "\n".join(" | ".join(map(gewone_spaties, r.cellen)) for r in deel.rijen)  # as tekst_van
                        self.positie[ident] = deel.positie
                        self._voorstellen(ident, rij.wijzigingen)
                continue
            ids = [self.per_naam[a] for a in deel.ankers if a in self.per_naam and self.per_naam[a] not in self.gelezen]
            if deel.verwijderd:  # deleted with tracked changes: gone, and listed as proposed
                for ident in ids:
                    self._voorstellen(ident, deel.wijzigingen)
                continue
            if ids:
                self.gelezen[ids[0]] = deel.tekst
                self.positie[ids[0]] = deel.positie
                self.volgorde.append((ids[0], deel))
                self._voorstellen(ids[0], deel.wijzigingen)
                continue
            lopend = self.per_naam.get(deel.open or "")
            if lopend in self.gelezen and isinstance(self.gelezen[lopend], str) and deel.tekst.strip() \
                    and not LID.match(deel.tekst) and not deel.kop:
                self.gelezen[lopend] += "\n" + deel.tekst  # Enter pressed inside a paragraph
                self._voorstellen(lopend, deel.wijzigingen)
                continue
            self.volgorde.append((None, deel))

    def _plaats_van(self, ankers: list[str], positie: int) -> str:
        """Where a paragraph or row stands, as the document prints it: 'lid 5.1', or 'alinea 57 (na lid 5.3)'."""
        ident = next((self.per_naam[a] for a in ankers if a in self.per_naam), None)
        if ident is not None:
            self.vorige = self.plaats(ident)
            return self.vorige
        return f"alinea {positie} (na {self.vorige})"

    def _onbekend_en_opmerkingen(self, deel: Alinea | Tabel) -> None:
        """What the reader could not import refuses the document, named by its place; comments are kept."""
        stukken = [(r.ankers, r.onbekend, r.opmerkingen) for r in deel.rijen] if isinstance(deel, Tabel) \
            else [(deel.ankers, deel.onbekend, deel.opmerkingen)]
        for ankers, onbekend, opmerkingen in stukken:
            plaats = self._plaats_van(ankers, deel.positie)
            for wat in dict.fromkeys(onbekend):
                self.uit.problemen.append(Probleem(self.bestand, bericht=f"{plaats}: {wat}"))
            self.uit.opmerkingen += [(plaats, o) for o in opmerkingen]

    def _voorstellen(self, ident: str, wijzigingen: list[Wijziging]) -> None:
        self.uit.aangenomen += [(self.plaats(ident), w) for w in wijzigingen]

    def plaats(self, ident: str) -> str:
        blok, rij = self.verwacht.get(ident, (None, None))
        if isinstance(blok, rb.Lid):
            return f"lid {blok.nummer}"
        if isinstance(blok, rb.Kop) and blok.anker == ident:
            return blok.tekst
        if rij is not None and isinstance(blok, rb.Tabel) and blok.eisen:
            return f"eis {blok.rijen[rij][0]}"
        if rij is not None:
            return f"rij {ident}"
        return f"{getattr(blok, 'soort', 'blok')} {ident}"

    def probleem(self, ident: str, bericht: str) -> None:
        waar = f"alinea {self.positie[ident]}: " if ident in self.positie else ""
        self.uit.problemen.append(Probleem(self.bestand, pad=ident, bericht=f"{waar}{bericht}"))

    # --- texts ---------------------------------------------------------------------

    def zet(self, ident: str, node: Any, sleutel: Any, oud: str, nieuw: str) -> None:
        """Replace the source text node[sleutel] (rendered as `oud`) by what renders as `nieuw`."""
        if schoon(oud) == nieuw.rstrip():
            return
        bron = node[sleutel] if not isinstance(node[sleutel], dict) else node[sleutel]["tekst"]
        nieuwe_bron, bewerkingen = pas_toe(str(bron), nieuw.rstrip(), self.vul_in)
        for b in bewerkingen:
            self.probleem(ident, f"de tekst van het veld {b.veld} ('{b.was}') is in Word gewijzigd in "
                                 f"'{b.wordt}'; een veld wordt niet vervangen door vaste tekst: pas de waarde aan "
                                 "waar het veld vandaan komt, of verwijder het veld in de YAML")
        if bewerkingen:
            return
        if isinstance(node[sleutel], dict):
            node[sleutel]["tekst"] = yr.tekst(nieuwe_bron)
        else:
            node[sleutel] = yr.tekst(nieuwe_bron)
        if self.plaats(ident) not in self.uit.gewijzigd:
            self.uit.gewijzigd.append(self.plaats(ident))

    def teksten(self) -> None:
        for ident, (blok, rij) in self.verwacht.items():
            if ident not in self.gelezen:
                continue
            nieuw = self.gelezen[ident]
            pad = self.herkomst.get(ident)
            if pad is None:
                continue
            if rij is not None and isinstance(blok, rb.Tabel):
                self._rij(ident, blok, rij, pad, nieuw)
            elif isinstance(blok, rb.Lid):
                nummer, tekst = lid_delen(nieuw, blok.nummer)
                node = yr.pad_in(self.boom, pad)
                self.zet(ident, node, "tekst", blok.tekst, tekst)
                if nummer != blok.nummer:
                    node["nummer"] = yr.tekst(nummer)
                    self.uit.gewijzigd.append(f"lid {blok.nummer} → {nummer}")
            elif isinstance(blok, rb.Kop) and blok.anker == ident:
                self._artikel_titel(ident, blok, yr.pad_in(self.boom, pad), nieuw)
            else:
                self._blok(ident, blok, pad, nieuw)

    def _artikel_titel(self, ident: str, blok: rb.Kop, node: Any, nieuw: str) -> None:
        if schoon(blok.tekst) == nieuw.strip():
            return
        art = m.Artikel.model_validate({k: v for k, v in node.items() if k in ("id", "nummer", "titel", "scheiding")})
        voor, titel, na = artikel_kop_delen(self.doc, art, self.vul_in)
        tekst = nieuw.strip()
        if not tekst.startswith(voor.strip()) or not tekst.endswith(na):
            self.probleem(ident, f"de kop '{tekst}' past niet bij '{blok.tekst}'; wijzig het nummer van een "
                                 "artikel in de YAML, de titel in Word")
            return
        nieuwe_titel = tekst[len(voor.strip()):len(tekst) - len(na)].strip().lstrip(":").strip()
        self.zet(ident, node, "titel", titel, nieuwe_titel)

    def _blok(self, ident: str, blok: rb.Blok, pad: tuple, nieuw: Any) -> None:
        node = yr.pad_in(self.boom, pad)
        soort = m.blok_soort(dict(node)) if isinstance(node, dict) else None
        if soort in TARIEFBLOKKEN:
            if vergelijkbaar(rb.tekst_van(blok)) != vergelijkbaar(str(nieuw)):
                self.probleem(ident, "een tarieftabel is in Word gewijzigd; tarieven veranderen via de tariefsets "
                                     "(tarieven/*.yaml, bijv. met 'contractgen tarieven indexeer'), niet in de tekst")
            return
        if isinstance(blok, (rb.Tabel, rb.Handtekening, rb.PaginaEinde)):
            return
        if isinstance(blok, rb.Item):
            ouder, j = yr.pad_in(self.boom, pad[:-1]), pad[-1]
            label, _, tekst = nieuw.partition("\t") if "\t" in nieuw else ("", "", nieuw)
            if isinstance(ouder[j], str):
                self.zet(ident, ouder, j, blok.tekst, tekst)
            else:
                self.zet(ident, ouder[j], "tekst", blok.tekst, tekst)
        elif soort in ("alinea", "kop", "subkop"):
            self.zet(ident, node, soort, blok.tekst, nieuw)
        elif soort == "voetnoot" and isinstance(blok, rb.Voetnoot):
            self.zet(ident, node, "voetnoot", blok.tekst, nieuw[len(blok.nummer):].strip())
        elif soort == "eisen" and isinstance(blok, rb.Kop):
            self.zet(ident, node["eisen"], "titel", blok.tekst, nieuw)
        elif schoon(rb.tekst_van(blok)) != nieuw.rstrip():
            self.probleem(ident, f"'{nieuw[:60]}' is gewijzigd, maar een {soort or 'blok'} kan niet vanuit Word "
                                 "worden bijgewerkt; pas het aan in de YAML")

    def _rij(self, ident: str, blok: rb.Tabel, rij: int, pad: tuple, cellen: list[str]) -> None:
        oud = blok.rijen[rij]
        ouder, j = yr.pad_in(self.boom, pad[:-1]), pad[-1]
        soort = pad[-2]  # rijen (tabel), begrippen, bijlagenlijst, eisen
        if soort == "rijen":
            for k, (was, wordt) in enumerate(zip(oud, cellen)):
                if k < len(ouder[j]):
                    self.zet(ident, ouder[j], k, was, wordt)
        elif soort == "begrippen" and len(cellen) >= 2:
            self.zet(ident, ouder[j], "begrip", oud[0], cellen[0])
            self.zet(ident, ouder[j], "definitie", oud[1], cellen[1])
        elif soort == "bijlagenlijst" and len(cellen) >= 2:
            self.zet(ident, ouder[j], "titel", oud[1], cellen[1])
        elif soort == "eisen" and len(cellen) >= 2:
            eis = ouder[j]
            if eis.get("opsomming"):
                if schoon(oud[1]) != cellen[1].rstrip():
                    self.probleem(ident, "een eis met een opsomming kan niet vanuit Word worden bijgewerkt; "
                                         "pas haar aan in de YAML")
            else:
                self.zet(ident, eis, "tekst", oud[1], cellen[1])

    # --- structure -----------------------------------------------------------------

    def structuur(self) -> None:
        """New, deleted and moved leden and artikelen; new alinea's; deleted blocks, items and rows."""
        # every node is looked up before anything moves: paths are positions
        node_van = {i: yr.pad_in(self.boom, p) for i, p in self.herkomst.items() if i in self.verwacht}
        self.ref: dict[str, tuple[Any, Any]] = {}  # id → (its list, its block or list item)
        for ident, pad in self.herkomst.items():
            if ident not in self.verwacht:
                continue
            kop = isinstance(self.verwacht[ident][0], rb.Kop) and self.verwacht[ident][0].anker == ident  # type: ignore
            deelpad = pad[:-1] if kop else pad
            if len(deelpad) >= 1:
                self.ref[ident] = (yr.pad_in(self.boom, deelpad[:-1]), yr.pad_in(self.boom, deelpad))
        artikel_van_lid: dict[int, Any] = {}
        for ident, (blok, _) in self.verwacht.items():
            if isinstance(blok, rb.Lid) and ident in self.herkomst:
                artikel_van_lid[id(node_van[ident])] = yr.pad_in(self.boom, self.herkomst[ident][:-2])
        leden_per_artikel: dict[int, tuple[Any, list]] = {}
        artikelen_per_lijst: dict[int, tuple[list, list]] = {}
        nieuwe_ids = alle_ids(self.boom)
        huidig_art: Any = None
        laatste: tuple[list, Any] | None = None  # (list, block) after which a new alinea goes
        for anker, deel in self.volgorde:
            if anker is not None:
                blok, _ = self.verwacht[anker]
                herk = self.herkomst.get(anker)
                if herk is None:
                    continue
                if isinstance(blok, rb.Kop) and blok.anker == anker:
                    huidig_art = node_van[anker]
                    leden_per_artikel.setdefault(id(huidig_art), (huidig_art, []))
                    lijst_, blok_node = self.ref[anker]
                    artikelen_per_lijst.setdefault(id(lijst_), (lijst_, []))[1].append(blok_node)
                    laatste = None
                elif isinstance(blok, rb.Lid):
                    art = huidig_art if huidig_art is not None else artikel_van_lid[id(node_van[anker])]
                    leden_per_artikel.setdefault(id(art), (art, []))[1].append(node_van[anker])
                    laatste = None
                else:
                    if len(herk) == 2:
                        huidig_art = None  # a block between artikelen (hoofdstuk, alinea)
                    ouder, blok_node = self.ref[anker]
                    laatste = (ouder, blok_node) if isinstance(blok, (rb.Alinea, rb.Kop)) \
                        and isinstance(blok_node, dict) and m.blok_soort(dict(blok_node)) in ("alinea", "kop", "subkop") \
                        else None
                continue
            tekst = deel.tekst.strip()
            if not tekst:
                continue
            if self.vast.get(tekst, 0) > 0:
                self.vast[tekst] -= 1
                continue
            art_kop = _ARTIKEL.match(tekst) if deel.kop else None
            lid = LID.match(deel.tekst.strip())
            if art_kop and deel.kop >= 2 and tekst.lower().startswith("artikel"):
                huidig_art = self._nieuw_artikel(art_kop.group(1), art_kop.group(2).strip(), huidig_art, laatste,
                                                 nieuwe_ids, artikelen_per_lijst)
                self.uit.aangenomen += [(f"artikel {art_kop.group(1)}", w) for w in deel.wijzigingen]
                leden_per_artikel[id(huidig_art)] = (huidig_art, [])
                laatste = None
            elif lid and huidig_art is not None:
                nummer = lid.group(1)
                ident_nieuw = vrij_id(f"art-{nummer}", nieuwe_ids)
                node = yr.kaart(id=ident_nieuw, nummer=nummer, tekst=lid.group(2).strip())
                leden_per_artikel.setdefault(id(huidig_art), (huidig_art, []))[1].append(node)
                self.uit.toegevoegd.append(f"lid {nummer}")
                self.uit.aangenomen += [(f"lid {nummer}", w) for w in deel.wijzigingen]
            elif laatste is not None:
                lijst_, na = laatste
                nieuw_blok = yr.kaart(alinea=tekst)
                lijst_.insert(yr.index_van(lijst_, na) + 1, nieuw_blok)
                laatste = (lijst_, nieuw_blok)
                self.uit.toegevoegd.append(f"alinea '{kort(tekst)}'")
                self.uit.aangenomen += [(f"alinea '{kort(tekst)}'", w) for w in deel.wijzigingen]
            elif huidig_art is not None:
                self.uit.niet_verwerkt.append(
                    f"alinea {deel.positie} in artikel {huidig_art.get('nummer')}: '{kort(tekst)}' is nieuwe tekst "
                    "zonder lidnummer; begin de alinea met het nummer van het nieuwe lid en een tab (bijv. "
                    f"'{huidig_art.get('nummer')}.9<tab>…'), of zet de tekst met Shift+Enter in het lid erboven")
            else:
                self.uit.niet_verwerkt.append(
                    f"alinea {deel.positie}: '{kort(tekst)}' staat buiten de artikelen en niet na een alinea van "
                    "het document (bijv. op het titelblad, of de naam of het KvK-nummer van de aanbieder); die tekst "
                    "komt uit het sjabloon of uit de gegevens van de aanbieder: wijzig hem daar, niet in Word")
        self._leden(leden_per_artikel, artikel_van_lid)
        self._artikelen(artikelen_per_lijst)
        self._verwijder(node_van)

    def _nieuw_artikel(self, nummer: str, titel: str, huidig: Any, laatste: Any, ids: set[str],
                       per_lijst: dict[int, tuple[list, list]]) -> Any:
        art = yr.kaart(id=vrij_id(f"art-{nummer}", ids), nummer=nummer, titel=titel)
        art["leden"] = yr.lijst()
        blok = yr.kaart(artikel=art)
        if huidig is not None:
            lijst_, na = next(((lijst_, b) for lijst_, bs in per_lijst.values() for b in bs
                               if b.get("artikel") is huidig), (None, None))
        else:
            lijst_, na = laatste if laatste else (None, None)
        if lijst_ is None:
            lijst_ = self.boom.setdefault("inhoud", yr.lijst())
            lijst_.append(blok)
        else:
            lijst_.insert(yr.index_van(lijst_, na) + 1, blok)
        per_lijst.setdefault(id(lijst_), (lijst_, []))[1].append(blok)
        self.uit.toegevoegd.append(f"artikel {nummer}")
        return art

    def _leden(self, per_artikel: dict[int, tuple[Any, list]], artikel_van_lid: dict[int, Any]) -> None:
        getoond = {id(n) for _, leden in per_artikel.values() for n in leden}
        for art, leden in per_artikel.values():
            oud = list(art.get("leden") or [])
            gerenderd = {id(n) for n in oud if id(n) in artikel_van_lid}
            # versions of a lid not shown on this peildatum stay, next to the shown version with their id
            nieuw: list = []
            for lid in leden:
                nieuw.append(lid)
                nieuw += [x for x in oud if id(x) not in gerenderd and id(x) not in getoond
                          and x.get("id") == lid.get("id") and x is not lid]
            nieuw += [x for x in oud if id(x) not in gerenderd and all(x is not y for y in nieuw)]
            if [id(x) for x in nieuw] == [id(x) for x in oud]:
                continue
            blijvend = [x for x in oud if any(x is y for y in nieuw)]
            for lid in leden:
                herkomst = artikel_van_lid.get(id(lid))
                if herkomst is not None and herkomst is not art:
                    self.uit.verplaatst.append(f"lid {lid['nummer']} naar artikel {art['nummer']}")
            volgorde_oud = [id(x) for x in blijvend if id(x) in {id(y) for y in leden}]
            volgorde_nieuw = [id(x) for x in leden if id(x) in set(volgorde_oud)]
            if volgorde_oud != volgorde_nieuw:
                self.uit.verplaatst += [f"lid {x['nummer']}" for x, a, b in
                                        zip([y for y in leden if id(y) in set(volgorde_oud)], volgorde_oud,
                                            volgorde_nieuw) if a != b]
            if "leden" not in art:
                art["leden"] = yr.lijst()
            art["leden"].clear()
            art["leden"].extend(nieuw)

    def _artikelen(self, per_lijst: dict[int, tuple[list, list]]) -> None:
        for lijst_, volgorde in per_lijst.values():
            posities = sorted(yr.index_van(lijst_, b) for b in volgorde)
            huidig = [lijst_[p] for p in posities]
            if [id(x) for x in huidig] == [id(x) for x in volgorde]:
                continue
            for p, b in zip(posities, volgorde):
                if lijst_[p] is not b:
                    self.uit.verplaatst.append(f"artikel {b['artikel']['nummer']}")
                lijst_[p] = b

    def _verwijder(self, node_van: dict[str, Any]) -> None:
        weg: list[tuple[list, Any, str]] = []
        for ident, (blok, rij) in self.verwacht.items():
            if ident in self.gelezen or ident not in self.herkomst:
                continue
            if isinstance(blok, rb.Lid):
                continue  # leden are rebuilt from what the document shows (_leden)
            ouder, node = self.ref[ident]
            soort = m.blok_soort(dict(node)) if isinstance(node, dict) and rij is None and not isinstance(blok, rb.Item) \
                else None
            if soort in TARIEFBLOKKEN:
                self.probleem(ident, "een tarieftabel is in Word verwijderd; tarieven veranderen via de tariefsets")
                continue
            if rij is None and isinstance(blok, rb.Tabel):
                continue  # a table's rows say what happened
            if isinstance(blok, (rb.Handtekening, rb.PaginaEinde)) or (soort and soort not in (
                    "alinea", "kop", "subkop", "voetnoot", "artikel")):
                continue
            weg.append((ouder, node, self.plaats(ident)))
        for ouder, node, plaats in weg:
            if any(x is node for x in ouder):
                del ouder[yr.index_van(ouder, node)]
            self.uit.verwijderd.append(plaats)
        for ident, (blok, _) in self.verwacht.items():
            if isinstance(blok, rb.Lid) and ident not in self.gelezen:
                self.uit.verwijderd.append(f"lid {blok.nummer}")


def pas_toe_op(wd: WordDocument, doc: m.Document, blokken: list[rb.Blok], herkomst: dict[str, tuple], boom: Any,
               vul_in: Callable[[str], str], vast: list[str]) -> Toepassing:
    """Apply the edits of `wd` to `boom` (the round-trip YAML of `doc`), in place. `vast` are the
    texts of the template's own paragraphs (title, signature blocks): not new text when seen."""
    t = _Toepasser(wd, doc, blokken, herkomst, boom, vul_in)
    t.vast = Counter(gewone_spaties(v) for v in vast)
    t.lees()
    t.teksten()
    t.structuur()
    # an edit that cannot be placed is never ignored: the document is refused, nothing is written
    t.uit.problemen += [Probleem(t.bestand, bericht=f"niet verwerkt: {r}") for r in t.uit.niet_verwerkt]
    return t.uit
