"""Derive next year's tariff set by indexation: a draft (status: concept) until it is adopted.

The draft is a new YAML file beside the source set; the source set stays as it is, so
both years remain in the data and `--peildatum` picks the one in force.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

from contractgen.basis.problemen import DataFout, Probleem
from contractgen.domein.dataset import RegioData
from contractgen.laden.bestand import KernDumper

AFRONDING = {"euro": Decimal("1"), "cent": Decimal("0.01")}


def geindexeerd(tarief: Decimal, percentage: Decimal, afronding: str) -> Decimal:
    return (tarief * (100 + percentage) / 100).quantize(AFRONDING[afronding], rounding=ROUND_HALF_UP)


def _jaar_later(d: date) -> date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 februari
        return d.replace(year=d.year + 1, day=28)


def _tekst(bedrag: Decimal) -> str:
    return f"{bedrag:f}"


def indexeer(data: RegioData, bron_id: str, percentage: Decimal, afronding: str, naar_id: str | None) -> Path:
    """Write tarieven/<naar_id>.yaml; returns its path. Refuses to overwrite an existing set."""
    bron = data.tariefset(bron_id)
    if bron is None:
        bekend = ", ".join(sorted(t.id for t in data.tariefsets))
        raise DataFout([Probleem(str(data.map / "tarieven"), 0, 0, "BRON",
                                 f"onbekende tariefset '{bron_id}'; bekend zijn: {bekend}")])
    van, tot = _jaar_later(bron.looptijd.van), _jaar_later(bron.looptijd.tot)
    naar_id = naar_id or bron_id.replace(str(bron.looptijd.van.year), str(van.year))
    if naar_id == bron_id or data.tariefset(naar_id) is not None:
        raise DataFout([Probleem(str(data.map / "tarieven"), 0, 0, "--naar",
                                 f"tariefset '{naar_id}' bestaat al; kies een andere naam met --naar")])
    ruw = bron.model_dump(mode="python", by_alias=True, exclude_defaults=True)
    ruw.update(id=naar_id, status="concept", looptijd={"van": van, "tot": tot})
    for arr in ruw.get("arrangementen", []):
        for soort in ("producten", "toeslagen"):
            for product in arr.get(soort, []):
                product["tarief"] = _tekst(geindexeerd(product["tarief"], percentage, afronding))
                if "afgeleid" in product and product["afgeleid"].get("percentage") is not None:
                    product["afgeleid"]["percentage"] = _tekst(product["afgeleid"]["percentage"])
        if arr.get("degressief"):
            arr["degressief"] = {k: v for k, v in arr["degressief"].items()}
    for groep in ruw.get("groepen", []):
        for post in groep.get("posten", []):
            if post.get("tarief") is not None:
                post["tarief"] = _tekst(geindexeerd(post["tarief"], percentage, afronding))
    kop = (f"# CONCEPT: afgeleid van {bron_id} met indexatie {percentage} % (afronding op hele "
           f"{'euro' if afronding == 'euro' else 'cent'}).\n"
           "# Zet status op 'vastgesteld' zodra de tarieven zijn vastgesteld.\n")
    doel = data.map / "tarieven" / f"{naar_id}.yaml"
    tijdelijk = doel.with_suffix(".yaml.tmp")
    tijdelijk.write_text(kop + yaml.dump(ruw, Dumper=KernDumper, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    tijdelijk.replace(doel)
    return doel
