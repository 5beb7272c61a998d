"""Correct one tariff of a tariff set (the workplace's form), as one transaction of its region.

The set's file is edited in place (ruamel round-trip: comments and layout stay), then checked as
`validate` checks it: the model (`TariefSet`: an amount as '2100' or '16.50') and the region's
rules, and the seal (`regels.jaren.verzegeling_verbroken`: a vastgestelde set with a controlesom does
not change; its message says what to do instead. For a build it is the `check` rule tarieven-gewijzigd,
scoped by peildatum; a correction is refused whatever the year). Only a valid result is written (`yamlbestand.schrijf_alles`,
the writer of `tarieven indexeer`/`vaststellen`), refused when the file changed since the form
was shown (GelijktijdigGewijzigd naming who changed it).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any, NamedTuple

from contractgen.basis.formaat import bedrag_tekst
from contractgen.basis.problemen import ContractgenFout, DataFout, Probleem
from contractgen.basis.transactie import Auteur, Transactie
from contractgen.domein import model as m
from contractgen.domein.dataset import Herkomst, RegioData
from contractgen.intake.tarieven import bronbestand, herbereken_afgeleid
from contractgen.intake.yamlbestand import lees, schrijf_alles, tekst, zelfde_stijl
from contractgen.laden.bestand import load_text
from contractgen.laden.validatie import validate_model
from contractgen.regels.integriteit import check_integrity
from contractgen.regels.jaren import tarieven_van, verzegeling_verbroken


class TariefFout(DataFout):
    """The correction is refused; nothing was written."""


def _posten(boom: Any) -> list[Any]:
    """Every node in a set's tree that carries a tariff: products, toeslagen, uurposten."""
    uit = [p for arr in boom.get("arrangementen") or [] for soort in ("producten", "toeslagen")
           for p in arr.get(soort) or []]
    uit += [post for groep in boom.get("groepen") or [] for post in groep.get("posten") or []]
    return uit


def _code(knoop: Any) -> str:
    return str(knoop.get("productcode") or knoop.get("id") or "")


def normaal_bedrag(waarde: str) -> str:
    """'16,50' → '16.50' (a comma as people type it); anything else unchanged, for the model to judge."""
    schoon = waarde.strip().removeprefix("€").strip()
    return schoon.replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", schoon) else schoon


class Correctie(NamedTuple):
    oud: Decimal | None  # None: an open uurpost
    nieuw: Decimal
    tx: Transactie
    afgeleid: list[tuple[str, Decimal, Decimal]]  # (productcode, old, new) of each derived tariff that followed


def corrigeer_tarief(data: RegioData, set_id: str, code: str, bedrag: str, gelezen_sha256: str | None, *,
                     auteur: Auteur | None = None, git: bool = False) -> Correctie:
    """Set the tariff of productcode (or uurpost id) `code` in set `set_id` to `bedrag` (text as typed).

    A tariff derived from it (`afgeleid`, e.g. a toeslag that is the difference of two tariffs) is recomputed
    by its rule in the same file and transaction (`tarieven.herbereken_afgeleid`): derived tariffs are stored
    values, and a stale one is an error of `check` that blocks sealing the set.

    Returns Correctie(old amount, new amount, transaction, derived tariffs changed). Raises TariefFout for an unknown set or code, an amount
    the model refuses, or a change the rules refuse (a sealed set); GelijktijdigGewijzigd when the file is
    not the one read (`gelezen_sha256`).
    """
    ts = data.tariefset(set_id)
    if ts is None:
        raise TariefFout([Probleem(str(data.map / "tarieven"), 0, 0, "", f"onbekende tariefset '{set_id}'")])
    waar = data.waar(ts)
    pad = bronbestand(data, ts)
    boom = lees(pad)
    knopen = [k for k in _posten(boom) if _code(k) == code]
    if not knopen:
        raise TariefFout([Probleem(waar.naam, 0, 0, "", f"tariefset '{set_id}' heeft geen productcode '{code}'")])
    knoop = knopen[0]
    if knoop.get("afgeleid"):
        raise TariefFout([Probleem(waar.naam, 0, 0, "tarief", f"het tarief van productcode {code} is afgeleid van "
                                                              "andere tarieven (regel 'afgeleid'); corrigeer die")])
    oud_bedrag = tarieven_van(ts).get(code)
    knoop["tarief"] = zelfde_stijl(knoop.get("tarief"), normaal_bedrag(bedrag))
    try:
        # derived tariffs are stored values: they follow in the same file, so `check` (afgeleid-bedrag) holds
        afgeleid = herbereken_afgeleid(boom)
    except (ArithmeticError, ValueError):
        afgeleid = []  # an amount the model refuses: validate_model below says so, in its words
    except ContractgenFout as fout:
        raise TariefFout(fout.problemen) from fout
    negatief = [f"{c}: {bedrag_tekst(o)} → {bedrag_tekst(n)}" for c, o, n in afgeleid if n < 0]
    if negatief:
        raise TariefFout([Probleem(waar.naam, 0, 0, "tarief", (
            f"met {bedrag.strip()} voor productcode {code} wordt een tarief dat ervan is afgeleid negatief "
            f"({'; '.join(negatief)}); controleer het bedrag"))])
    inhoud = tekst(boom)
    geladen = load_text(inhoud, waar.naam, pad)
    nieuw, problemen = validate_model(geladen, m.TariefSet)
    problemen = geladen.problemen + problemen
    if nieuw is None or problemen:
        raise TariefFout(problemen)
    kopie = replace(data, tariefsets=[nieuw if t is ts else t for t in data.tariefsets], herkomst=dict(data.herkomst))
    kopie.herkomst[id(nieuw)] = Herkomst(waar.naam, geladen.data, pad)
    fouten = [p for p in check_integrity(kopie) if p.bestand == waar.naam and p.ernst == "fout"]
    verbroken = verzegeling_verbroken(nieuw)
    if verbroken is not None and (zegel := kopie.waar(nieuw).probleem(("controlesom",), verbroken)) is not None:
        fouten.append(zegel)
    if fouten:
        raise TariefFout(fouten)
    nieuw_bedrag = tarieven_van(nieuw)[code]
    assert nieuw_bedrag is not None
    handeling = (f"Tarief {code} van tariefset {set_id} gecorrigeerd in de werkplaats: "
                 f"{bedrag_tekst(oud_bedrag) if oud_bedrag is not None else 'open'} → {bedrag_tekst(nieuw_bedrag)}"
                 + "".join(f"; afgeleid {c}: {bedrag_tekst(o)} → {bedrag_tekst(n)}" for c, o, n in afgeleid))
    tx = schrijf_alles(data.map, [(pad, inhoud)], handeling, vereist={pad: gelezen_sha256}, auteur=auteur, git=git)
    return Correctie(oud_bedrag, nieuw_bedrag, tx, afgeleid)
