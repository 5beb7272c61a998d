"""Tariff sets from one year to the next: index into a draft, and seal a set once adopted.

`indexeer` writes next year's set (status: concept) beside the source set, from the
source file itself (ruamel round-trip: its comments and layout stay); both years remain
in the data and documents get the set of their own looptijd (`domein.zoeken`).
`vaststellen` seals a set: status vastgesteld, a controlesom over its tariffs and the
tariffs as sealed; `validate` then refuses any later change (`regels.jaren`).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable

from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from contractgen.basis.formaat import bedrag_tekst, datum_tekst
from contractgen.basis.gezicht import zeg
from contractgen.basis.problemen import ContractgenFout, DataFout, Probleem
from contractgen.basis.tekst import toonbaar
from contractgen.basis.transactie import Auteur, sha256_van
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.model.basis import GERESERVEERDE_NAMEN, ID_PATROON
from contractgen.domein.rekenen import afgeleid_tarief
from contractgen.intake.yamlbestand import (
    bedrag,
    flow,
    jaar_later,
    lees,
    schrijf_alles,
    tekst,
    zelfde_stijl,
)
from contractgen.regels.jaren import controlesom, tarieven_van

AFRONDING = {"euro": Decimal("1"), "cent": Decimal("0.01")}
# The range of an indexation, for every way one is given (`tarieven indexeer --percentage`, `jaarwissel
# --indexatie`/`--indexatie-per-domein`, the workplace's wizard): a yearly indexation is a few per cent up or
# down; outside -50..100 it is a typo or a new tariff calculation (then correct the tariffs one by one), never
# an indexation: -100 % makes every tariff € 0 and below that negative, -150 is -1,50 with a lost comma.
# Inside the range a tariff can still round to € 0 (€ 0,40 at -50 %, on whole euros): `indexeer_boom` refuses.
MIN_PERCENTAGE, MAX_PERCENTAGE = Decimal("-50"), Decimal("100")
BEREIK = f"een indexatie ligt tussen {MIN_PERCENTAGE} en {MAX_PERCENTAGE} procent (bijv. 3,6 of -1,5)"


class IndexatieFout(ContractgenFout):
    """An indexation percentage that is refused; `domein` is the domein whose own percentage it was (None: the
    percentage for all sets), so a form can show the message at the field the value was typed in."""

    def __init__(self, problemen: list[Probleem], domein: str | None = None):
        super().__init__(problemen)
        self.domein = domein


def _weiger(data: RegioData, optie: str, bericht: str) -> DataFout:
    return DataFout([Probleem(str(data.map / "tarieven"), 0, 0, optie, bericht)])


def _controleer(data: RegioData, percentage: Decimal, naar_id: str) -> Path:
    """The file to write for `naar_id`; refuses a percentage that is not a finite number in range, and
    an id that is not a plain name (a path like ../../X would write outside the data folder)."""
    if not percentage.is_finite() or not MIN_PERCENTAGE <= percentage <= MAX_PERCENTAGE:
        raise _weiger(data, "--percentage", f"percentage '{toonbaar(percentage)}' ligt niet tussen "
                                            f"{MIN_PERCENTAGE} en {MAX_PERCENTAGE}; verwacht bijv. 3,6")
    if not re.fullmatch(ID_PATROON, naar_id) or GERESERVEERDE_NAMEN.match(naar_id) or naar_id.endswith("."):
        raise _weiger(data, "--naar", f"ongeldig id '{toonbaar(naar_id)}'; verwacht kleine letters, cijfers, '-', '.' "
                                      "of '_' (geen '/', '..' of gereserveerde namen als 'con')")
    map_ = (data.map / "tarieven").resolve()
    doel = map_ / f"{naar_id}.yaml"
    if doel.resolve().parent != map_:  # e.g. a symlink: stay inside the region's tarieven/
        raise _weiger(data, "--naar", f"'{toonbaar(naar_id)}' wijst buiten {data.map / 'tarieven'}")
    return doel


def geindexeerd(tarief: Decimal, percentage: Decimal, afronding: str) -> Decimal:
    """tarief × (100 + percentage) / 100, rounded half up to whole euros or cents."""
    return (tarief * (100 + percentage) / 100).quantize(AFRONDING[afronding], rounding=ROUND_HALF_UP)


def lees_percentage(waarde: str, optie: str, domein: str | None = None) -> Decimal:
    """'3,6' or '3.6' → Decimal('3.6'); anything else ('3.6.1', '3,6%', '') is refused, and so is a number
    outside MIN_PERCENTAGE..MAX_PERCENTAGE ('-150'): IndexatieFout naming `optie`, quoting the value as typed."""
    schoon = waarde.strip().replace(",", ".")
    if not re.fullmatch(r"-?\d{1,3}(\.\d+)?", schoon):
        raise IndexatieFout([Probleem(optie, 0, 0, "", f"'{toonbaar(waarde)}' is geen percentage; verwacht een getal "
                                                      "zoals 3,6 of 3.6 (zonder %-teken)")], domein)
    try:
        pct = Decimal(schoon)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid numbers
        raise IndexatieFout([Probleem(optie, 0, 0, "", f"'{toonbaar(waarde)}' is geen percentage")], domein)
    controleer_percentage(pct, optie, waarde, domein)
    return pct


def controleer_percentage(pct: Decimal, optie: str, als_getypt: str | None = None, domein: str | None = None) -> None:
    """Refuse an indexation outside MIN_PERCENTAGE..MAX_PERCENTAGE (IndexatieFout naming `optie`, quoting the
    value `als_getypt`, else the number): also for a library caller that passes a Decimal, not text."""
    if not pct.is_finite() or not MIN_PERCENTAGE <= pct <= MAX_PERCENTAGE:
        getoond = toonbaar(als_getypt if als_getypt is not None else str(pct).replace(".", ","))
        raise IndexatieFout([Probleem(optie, 0, 0, "", f"indexatie '{getoond}' is niet toegestaan: {BEREIK}")],
                            domein)


def indexeer_boom(boom: Any, percentage: Decimal, afronding: str) -> int:
    """Index every tariff in a round-trip tree of a tariff set in place; returns how many.

    A tariff with an `afgeleid` rule (a toeslag that is the difference of two tariffs, bijlage
    1.3a) is not indexed on its own but computed from the indexed tariffs by its rule, so the
    rule `check` verifies (afgeleid-bedrag) still holds after rounding. Raises IndexatieFout when a
    tariff above € 0 would become € 0 or less (rounding, or a derived difference): a contract never
    prints such a tariff, and it would only show up when the set is built.
    """
    aantal = 0
    nul: list[str] = []
    for product in _producten(boom):
        if not product.get("afgeleid"):
            oud = Decimal(str(product["tarief"]))
            nieuw = geindexeerd(oud, percentage, afronding)
            product["tarief"] = zelfde_stijl(product["tarief"], bedrag(nieuw))
            if oud > 0 >= nieuw:
                nul.append(f"{product['productcode']}: {bedrag_tekst(oud)} → {bedrag_tekst(nieuw)}")
        aantal += 1
    oud_afgeleid = {str(p["productcode"]): Decimal(str(p["tarief"])) for p in _producten(boom) if p.get("afgeleid")}
    for code, _, nieuw in herbereken_afgeleid(boom):
        if oud_afgeleid[code] > 0 >= nieuw:
            nul.append(f"{code}: {bedrag_tekst(oud_afgeleid[code])} → {bedrag_tekst(nieuw)} (afgeleid)")
    for groep in boom.get("groepen") or []:
        for post in groep.get("posten") or []:
            if post.get("tarief") is not None:
                oud = Decimal(str(post["tarief"]))
                nieuw = geindexeerd(oud, percentage, afronding)
                post["tarief"] = zelfde_stijl(post["tarief"], bedrag(nieuw))
                if oud > 0 >= nieuw:
                    nul.append(f"{post.get('productcode') or post.get('id')}: {bedrag_tekst(oud)} → {bedrag_tekst(nieuw)}")
                aantal += 1
    if nul:
        raise IndexatieFout([Probleem(str(boom.get("id")), 0, 0, "", (
            f"indexatie {str(percentage).replace('.', ',')} % maakt {len(nul)} tarief/tarieven € 0 of minder: "
            f"{'; '.join(nul[:5])}{' ...' if len(nul) > 5 else ''}; kies een ander percentage"
            + (" of rond af op centen" if afronding == "euro" else "")))])
    return aantal


def _producten(boom: Any) -> list[Any]:
    """The products and toeslagen of a set's round-trip tree, in file order."""
    return [p for arr in boom.get("arrangementen") or [] for soort in ("producten", "toeslagen")
            for p in arr.get(soort) or []]


def herbereken_afgeleid(boom: Any) -> list[tuple[str, Decimal, Decimal]]:
    """Set every derived tariff (`afgeleid`) of a set's round-trip tree to what its rule gives from the tariffs
    it names (`domein.rekenen.afgeleid_tarief`, the computation `check` verifies), in file order (a rule may
    name an earlier derived tariff). Returns (productcode, old, new) of each derived tariff that changed.
    Raises ContractgenFout for a rule that names a productcode the set does not have."""
    producten = _producten(boom)
    tarieven = {str(p["productcode"]): Decimal(str(p["tarief"])) for p in producten}
    gewijzigd = []
    for product in producten:
        if not product.get("afgeleid"):
            continue
        code = str(product.get("productcode"))
        regel = m.Afgeleid.model_validate({str(k): ([str(c) for c in v] if isinstance(v, list) else str(v))
                                           for k, v in product["afgeleid"].items()})
        nieuw, _ = afgeleid_tarief(regel, tarieven)
        if nieuw is None:
            raise ContractgenFout.een(code, "de regel 'afgeleid' noemt een productcode die niet in deze tariefset "
                                            "staat; het tarief is niet te berekenen")
        oud = tarieven[code]
        if nieuw != oud:
            product["tarief"] = zelfde_stijl(product["tarief"], bedrag(nieuw))
            tarieven[code] = nieuw
            gewijzigd.append((code, oud, nieuw))
    return gewijzigd


def bronbestand(data: RegioData, obj: Any) -> Path:
    """The file a loaded model came from (every model of a loaded region has one)."""
    pad = data.waar(obj).pad
    if pad is None:  # pragma: no cover - models built in memory, not loaded from a region folder
        raise ContractgenFout.een(data.waar(obj).naam, "dit gegeven komt niet uit een bestand; er is niets te schrijven")
    return pad


def volgend_jaar(data: RegioData, bron: m.TariefSet, percentage: Decimal, afronding: str,
                 naar_id: str | None = None, kop: str = "") -> tuple[Path, str, str]:
    """(path, text, id) of the next year's concept of `bron`, from its own file (comments kept)."""
    pad = bronbestand(data, bron)
    boom = lees(pad)
    van, tot = jaar_later(bron.looptijd.van), jaar_later(bron.looptijd.tot)
    naar_id = naar_id or f"{bron.familie_id}-{van.year}"
    boom["id"] = zelfde_stijl(boom["id"], naar_id)
    boom["looptijd"]["van"], boom["looptijd"]["tot"] = van, tot
    boom["status"] = zelfde_stijl(boom.get("status"), "concept")
    for veld in ("controlesom", "vastgestelde_tarieven"):
        boom.pop(veld, None)  # a draft is not sealed
    indexeer_boom(boom, percentage, afronding)
    kop = kop or (f"# CONCEPT: afgeleid van {bron.id} met indexatie {str(percentage).replace('.', ',')} % "
                  f"(afronding op hele {'euro' if afronding == 'euro' else 'cent'}).\n"
                  "# Stel vast met `contractgen tarieven vaststellen` zodra de tarieven zijn vastgesteld.\n")
    return pad.with_name(f"{naar_id}.yaml"), tekst(boom, kop), naar_id


def indexeer(data: RegioData, bron_id: str, percentage: Decimal, afronding: str, naar_id: str | None, *,
             auteur: Auteur | None = None, git: bool = False) -> Path:
    """Write tarieven/<naar_id>.yaml (one transaction, basis/transactie.py); returns its path. Refuses to
    overwrite an existing set, also one made meanwhile (GelijktijdigGewijzigd)."""
    bron = data.tariefset(bron_id)
    if bron is None:
        bekend = ", ".join(sorted(t.id for t in data.tariefsets))
        raise DataFout([Probleem(str(data.map / "tarieven"), 0, 0, "BRON",
                                 f"onbekende tariefset '{bron_id}'; bekend zijn: {bekend}")])
    if naar_id is not None:
        _controleer(data, percentage, naar_id)  # before anything is made of it
    bron_pad = bronbestand(data, bron)
    bron_sha = sha256_van(bron_pad)
    doel, inhoud, nieuw_id = volgend_jaar(data, bron, percentage, afronding, naar_id)
    if _controleer(data, percentage, nieuw_id) != doel.resolve():
        raise _weiger(data, "--naar", f"'{toonbaar(nieuw_id)}' wijst buiten {data.map / 'tarieven'}")
    if nieuw_id == bron_id or data.tariefset(nieuw_id) is not None or doel.exists():
        raise DataFout([Probleem(str(data.map / "tarieven"), 0, 0, "--naar",
                                 f"tariefset '{nieuw_id}' bestaat al; kies een andere naam met --naar")])
    schrijf_alles(data.map, [(doel, inhoud)], f"Tariefset {nieuw_id} afgeleid van {bron_id} met indexatie "
                  f"{str(percentage).replace('.', ',')} % (concept)", vereist={doel: None, bron_pad: bron_sha},
                  auteur=auteur, git=git)
    return doel


def vaststellen(data: RegioData, ident: str, datum: date, opnieuw: bool = False, *,
                controle: Callable[[RegioData, m.TariefSet], list[Probleem]], auteur: Auteur | None = None,
                git: bool = False) -> tuple[Path, dict[str, Decimal | None]]:
    """Seal set `ident`: status vastgesteld, controlesom and the tariffs as sealed (an open uurpost, with no
    amount in the source, as empty). Returns (file, {productcode or post id: amount or None}).

    Raises DataFout for an unknown set, one sealed already (unless `opnieuw`), or one `controle` refuses: the
    errors (fout) `check` reports about it on its first day (`rapporten.bouwcontrole.vaststelcontrole`, passed
    in by the CLI and the workplace as a build gets its `controle`, since reports come after this stage;
    required, so no caller seals without it); GelijktijdigGewijzigd when its file changed while this ran. Written as one transaction
    (basis/transactie.py).
    """
    ts = data.tariefset(ident)
    if ts is None:
        bekend = ", ".join(sorted(t.id for t in data.tariefsets))
        raise DataFout([Probleem(str(data.map / "tarieven"), 0, 0, "SET",
                                 f"onbekende tariefset '{ident}'; bekend zijn: {bekend}")])
    waar = data.waar(ts)
    if ts.controlesom is not None and not opnieuw:
        al = waar.probleem(("controlesom",), f"tariefset '{ident}' is al vastgesteld; " + zeg(
            cli="gebruik --opnieuw om een gewijzigde set opnieuw vast te stellen",
            werkplaats="een vastgestelde set wijzigt niet meer"))
        raise DataFout([al] if al else [])
    fouten = controle(data, ts)
    if fouten:
        raise DataFout(fouten)
    pad = bronbestand(data, ts)
    sha = sha256_van(pad)
    boom = lees(pad)
    tarieven = tarieven_van(ts)
    boom["status"] = zelfde_stijl(boom.get("status"), "vastgesteld")
    for veld in ("controlesom", "vastgestelde_tarieven"):
        boom.pop(veld, None)
    # beside the status, so a reader sees at the top that the set is sealed
    plek = list(boom).index("status") + 1 if "status" in boom else len(boom)
    boom.insert(plek, "controlesom", controlesom(tarieven))
    boom.insert(plek + 1, "vastgestelde_tarieven", flow(**{
        DoubleQuotedScalarString(code): None if t is None else DoubleQuotedScalarString(bedrag(t))
        for code, t in sorted(tarieven.items())}))
    boom.yaml_add_eol_comment(f"vastgesteld op {datum_tekst(datum)} (contractgen tarieven vaststellen)", "controlesom")
    schrijf_alles(data.map, [(pad, tekst(boom))], f"Tariefset {ident} vastgesteld op {datum_tekst(datum)}",
                  vereist={pad: sha}, auteur=auteur, git=git)
    return pad, tarieven
