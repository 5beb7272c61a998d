"""The one domain registry: a region's domeinen (regio.yaml) with code, display name and synonyms.

Every place that reads or shows a domein goes through here: the intake (a cell "Jeugd; Wmo"),
`jaarwissel --indexatie-per-domein Beschermd Wonen=2,5`, `check`, the documents and the
messages. A domein is found by its code (`bw`), its name (`Beschermd Wonen`), the name the
aanbieder has in the documents (`aanbieder_van`: "WMO Beschermd Wonen") or a synonym listed in
regio.yaml (`synoniemen`: "BW", "Jeugdwet"); case, spaces and '-'/'_' do not matter (issue 29).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from contractgen.basis.suggesties import bedoelde_u
from contractgen.domein.model.regio import Domein, Regio


def _vorm(naam: str) -> str:
    return " ".join(re.sub(r"[-_]", " ", naam).lower().split())


def namen(domein: Domein) -> list[str]:
    """Every name a user may give for `domein`: code, name, aanbieder_van, synonyms (in that order)."""
    return [n for n in (domein.id, domein.naam, domein.aanbieder_van, *domein.synoniemen) if n]


def zoek(regio: Regio, naam: str) -> Domein | None:
    """The domein of `regio` that `naam` names (code, name or synonym), or None."""
    gezocht = _vorm(naam)
    return next((d for d in regio.domeinen if gezocht in {_vorm(n) for n in namen(d)}), None)


def weergave(regio: Regio, code: str) -> str:
    """The display name of a domein code ('bw' → 'Beschermd Wonen'); the code itself when unknown."""
    return next((d.naam for d in regio.domeinen if d.id == code), code)


def weergaven(regio: Regio, codes: Iterable[str]) -> str:
    """'Jeugd, Wmo' for ['jeugd', 'wmo']."""
    return ", ".join(weergave(regio, c) for c in codes)


def keuze(regio: Regio) -> str:
    """What a message says is allowed: 'Jeugd (jeugd), Wmo (wmo), Beschermd Wonen (bw)'."""
    return ", ".join(f"{d.naam} ({d.id})" if _vorm(d.naam) != _vorm(d.id) else d.naam for d in regio.domeinen)


def onbekend(regio: Regio, naam: str) -> str:
    """The Dutch sentence for a name that is no domein of `regio`: the value as typed, a suggestion
    when one is close, and the list of domeinen."""
    alle = {n: d.naam for d in regio.domeinen for n in namen(d)}
    gok = bedoelde_u(naam, list(alle), 0.5) or bedoelde_u(naam.lower(), [n.lower() for n in alle], 0.5)
    bedoeld = next((alle[n] for n in alle if gok is not None and n.lower() == gok.lower()), None)
    suggestie = f" (bedoelde u '{bedoeld}'?)" if bedoeld else ""
    return f"onbekend domein '{naam}'{suggestie}; de domeinen van {regio.naam} zijn: {keuze(regio)}"
