"""What a build refuses: the findings `check` calls an error that no jurist accepted.

One function for every face (the CLI's `build`, the workplace's build job), so both refuse the same.
"""

from __future__ import annotations

from datetime import date

from contractgen.basis.problemen import Probleem
from contractgen.domein.dataset import RegioData
from contractgen.rapporten.beoordeling import lees, oordelen
from contractgen.rapporten.check import check


def bouwcontrole(regio: RegioData, datum: date) -> list[Probleem]:
    """The open findings of `check` on `datum` that count (errors not accepted in check-beoordeeld.yaml),
    as problems with the check's rule name in front: `[regel] bericht`."""
    open_ = [o.bevinding for o in oordelen(check(regio, datum), lees(regio.map))[0] if o.telt]
    return [Probleem(b.probleem.bestand, b.probleem.regel, b.probleem.kolom, b.probleem.pad,
                     f"[{b.regel}] {b.probleem.bericht}", b.probleem.ernst) for b in open_]
