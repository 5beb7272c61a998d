"""The state of resolving one document for one aanbieder (or the region) on a peildatum.

`Bouwer` fills inline fields (`t`), filters blocks by domein (`alleen_voor`) and hands
each block to its handler from an explicit table (`verwerkers`, built in `weergave`).
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from typing import Any, Callable

from contractgen.basis.formaat import bedrag_tekst
from contractgen.domein import domeinen
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.rekenen import bereken
from contractgen.domein.velden import Invulling
from contractgen.domein.zoeken import ids_in, kies_versie
from contractgen.resolve.blokken import Blok

Verwerker = Callable[["Bouwer", Any, int], None]


def _met_id(blok: Blok, ident: str) -> Blok:
    """The block with its `id` set (only for kinds that have one: see resolve/blokken.py)."""
    zet: Callable[..., Blok] = replace
    return zet(blok, id=ident)


class Bouwer:
    """Collects the typed blocks of one document; handlers append to `blokken`."""

    def __init__(self, data: RegioData, doc: m.Document, aanbieder: m.Aanbieder | None, peildatum: date,
                 verwerkers: dict[type, Verwerker] | None = None, velden_tonen: bool = False):
        self.data, self.doc, self.aanbieder, self.peildatum = data, doc, aanbieder, peildatum
        self.verwerkers = verwerkers or {}
        self.blokken: list[Blok] = []
        # what `alleen_voor` matches: the document's own domains (a Wmo bijlage shows no Jeugd
        # clauses of a shared fragment), else the aanbieder's; plus its segments/percelen
        eigen = set(aanbieder.kenmerken) if aanbieder else set()
        self.domeinen = (set(doc.domeinen) or (set(aanbieder.domeinen) if aanbieder else set())) | eigen
        self.invulling = Invulling(self._waarden(doc), ref=self._ref, velden_tonen=velden_tonen)
        self.handtekeningen = 0
        self.concept: set[str] = set()  # concept tariff sets this document shows: CONCEPT in its header
        self.eisen_antwoorden = aanbieder.kwaliteitseisen if aanbieder else {}
        # stable ids (resolve/blokken.py): the id of the model block being resolved and its YAML path;
        # None inside an included fragment (its text lives in another document)
        self.blok_id: str | None = None
        self.pad: tuple | None = None
        self.herkomst: dict[str, tuple] = {}  # id → YAML path of the node that holds its text
        self.binnen: str | None = None  # the artikel or lid whose content is being resolved (blokken.py)

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
        return domeinen.weergave(self.data.regio, ident)

    def _ref(self, doc_id: str, ident: str) -> str:
        doel = kies_versie(self.data, doc_id, self.peildatum) or next(iter(self.data.versies(doc_id)), None)
        obj = ids_in(doel, self.peildatum).get(ident) if doel else None
        return getattr(obj, "nummer", "?")

    def t(self, tekst: str | None) -> str:
        """A text with its inline fields filled in."""
        return self.invulling.vul_in(tekst or "")

    def add(self, blok: Blok) -> None:
        if self.binnen is not None and getattr(blok, "binnen", False) is None:
            zet: Callable[..., Blok] = replace
            blok = zet(blok, binnen=self.binnen)
        self.blokken.append(blok)

    def anker(self, sub: str, *pad: Any, eigen: str | None = None) -> str | None:
        """The id of a part of the current block (`sub`, e.g. "r2"; `eigen`: an id of the model
        such as an eis id) whose text sits at the current YAML path + `pad`; None in a fragment."""
        if self.pad is None or self.blok_id is None:
            return None
        ident = eigen or f"{self.blok_id}/{sub}"
        self.herkomst.setdefault(ident, self.pad + pad)
        return ident

    def blokken_van(self, blokken: list, niveau: int = 1, pad: tuple | None = ("inhoud",), basis: str = "") -> None:
        """Resolve model blocks in order; a block kind without a handler is a programming error.

        `pad` is the YAML path of the list `blokken` (None: an included fragment, no ids) and
        `basis` the id prefix ("art-3/" inside an artikel). Typed blocks a handler leaves without
        id get "<basis>i<index>" (the first) or "<basis>i<index>/<n>".
        """
        vorige = (self.blok_id, self.pad)
        for i, blok in enumerate(blokken):
            if blok.alleen_voor and not set(blok.alleen_voor) & self.domeinen:
                continue
            self.blok_id, self.pad = (f"{basis}i{i}", pad + (i,)) if pad is not None else (None, None)
            begin = len(self.blokken)
            self.verwerkers[type(blok)](self, blok, niveau)
            self._geef_ids(begin)
        self.blok_id, self.pad = vorige

    def _geef_ids(self, begin: int) -> None:
        n = 0
        for k in range(begin, len(self.blokken)):
            blok = self.blokken[k]
            if "id" in {f.name for f in fields(blok)} and getattr(blok, "id") is None:
                if self.pad is None or self.blok_id is None:  # fragment text: "" marks "no id"
                    self.blokken[k] = _met_id(blok, "")
                    continue
                ident = self.blok_id if n == 0 else f"{self.blok_id}/{n}"
                n += 1
                if ident in self.herkomst and self.herkomst[ident] != self.pad:
                    continue  # taken by a part of this block (a row, an item)
                self.herkomst.setdefault(ident, self.pad)
                self.blokken[k] = _met_id(blok, ident)
