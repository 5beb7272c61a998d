"""Render every document whose key changed, or whose file on disk no longer matches its manifest.

Large builds render in forked worker processes (`uitvoer/werkers.py`; tasks are folder indexes,
the data set is inherited, never pickled).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

from contractgen.basis.foutinjectie import punt
from contractgen.basis.hashing import sha256_bestand
from contractgen.render.docx import Sjablonen
from contractgen.resolve.weergave import weergave
from contractgen.uitvoer import manifest
from contractgen.uitvoer.pdf import pdf_info
from contractgen.uitvoer.plan import MapPlan
from contractgen.uitvoer.werkers import in_werkers

# progress: (done, total, stage label as users read it: "Word-documenten", "PDF (LibreOffice)", ...)
Voortgang = Callable[[int, int, str], None]
PARALLEL_VANAF = 40  # documents; below this, forking costs more than it saves

_WERK: dict = {}  # shared with forked render workers (set before the pool starts)


def render(mappen: list[MapPlan], uitvoer: Path, tijdelijk: Path, sjablonen: Sjablonen, pdf: bool,
           voortgang: Voortgang | None, staat: manifest.Bestandsstaat | None = None) -> list[dict]:
    """Render every document of `mappen` into `tijdelijk`; copy intact unchanged ones from `uitvoer`.

    Returns per document {map, rel, nieuw, beschadigd, sha, info, omslag}.
    """
    _WERK.update(uitvoer=uitvoer, tijdelijk=tijdelijk, sjablonen=sjablonen, pdf=pdf, mappen=mappen, staat=staat)
    totaal = sum(len(m.items) for m in mappen)
    gemaakt: list[dict] = []
    for uitkomst in in_werkers(_render_index, list(range(len(mappen))), totaal > PARALLEL_VANAF, chunksize=4):
        gemaakt += uitkomst
        if voortgang:
            voortgang(len(gemaakt), totaal, "Word-documenten")
    return gemaakt


def _render_index(index: int) -> list[dict]:
    return render_map(_WERK["mappen"][index])


def render_map(m: MapPlan) -> list[dict]:
    uitvoer, tijdelijk, sjablonen, pdf = _WERK["uitvoer"], _WERK["tijdelijk"], _WERK["sjablonen"], _WERK["pdf"]
    vorig = manifest.lees(uitvoer / m.rel)
    vorige_sleutels = manifest.sleutels(vorig)
    (tijdelijk / m.rel).mkdir(parents=True, exist_ok=True)
    uitkomst = []
    for item in m.items:
        punt(f"render-{item.rel.as_posix()}")
        doel = tijdelijk / item.rel
        oud = uitvoer / item.rel
        namen = [item.rel.name] + ([item.rel.with_suffix(".pdf").name] if pdf else [])
        ongewijzigd = vorige_sleutels.get(item.rel.name) == item.sleutel
        # trust a file on disk only when it is still what the manifest says it is
        hergebruik = ongewijzigd and all(manifest.klopt(uitvoer / m.rel, n, vorig, _WERK["staat"]) for n in namen)
        # resolve only what is rendered now, or what the PDF stage needs (signature fields, cover)
        w = weergave(m.regio, item.doc, item.aanbieder, m.peildatum) if pdf or not hergebruik else None
        if w is not None and item.concept:
            w.context["document"]["concept"] = item.concept  # the package is a concept: every document says so
        if hergebruik:
            shutil.copy2(oud, doel)
            if pdf:
                shutil.copy2(oud.with_suffix(".pdf"), doel.with_suffix(".pdf"))
        elif w is not None:
            doel.write_bytes(sjablonen.get(item.doc.sjabloon, m.regio.regio.id).render(w.context, item.rel))
        uitkomst.append({
            "map": m.rel, "rel": item.rel, "nieuw": not hergebruik, "beschadigd": ongewijzigd and not hergebruik,
            "sha": sha256_bestand(doel),
            "info": pdf_info(w, item.doc.geldig_van) if pdf and w is not None else None,
            "omslag": w.context["document"] if w is not None and item.aanbieder is not None else None,
        })
    return uitkomst
