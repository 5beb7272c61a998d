"""Stage 5, export: write every package into the output folder as one consistent generation.

The steps, each in its own module:
1. `slot`: one build per output folder (`.bouw.lock`, naming its holder);
2. `wissel.herstel` + `libreoffice.ruim_wezen_op`: repair what a killed build left (finish or
   undo its swap, remove its temp folders, kill its LibreOffice);
3. `plan`: the folders and documents with their content keys;
4. `renderen`: render what changed or is damaged on disk, into `<uitvoer>/.bouw-<pid>-*/`;
5. `pdfstap`: PDFs through LibreOffice (checked before they are cached) and the packages;
6. `manifest`: hashes of every file, sources and keys per folder;
7. `wissel.vervang_alle`: the journaled swap of all finished folders.

A failed or interrupted build leaves the previous output as it was (see docs/ontwerp/betrouwbaarheid.md).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from contractgen.basis.atomisch import schrijf_bytes
from contractgen.basis.foutinjectie import punt
from contractgen.basis.problemen import DataFout, Probleem
from contractgen.ondertekening.pakketten import neem_over
from contractgen.regels import load_valid
from contractgen.render.docx import Sjablonen, standaard_sjablonen_map
from contractgen.uitvoer import manifest
from contractgen.uitvoer.bronnen import bestand_hash
from contractgen.uitvoer.controles import (
    versielabels,
    weiger_zonder_inhoud_of_met_fouten,
)
from contractgen.uitvoer.libreoffice import converteer, ruim_wezen_op, stop_alle
from contractgen.uitvoer.pdfstap import maak_pdfs
from contractgen.uitvoer.plan import Bouwopdracht, plan, stempel, taken
from contractgen.uitvoer.renderen import Voortgang, render
from contractgen.basis.signalen import sigterm_als_ctrl_c
from contractgen.uitvoer.slot import bouwslot
from contractgen.uitvoer.wissel import (
    TIJDELIJK_PREFIX,
    herstel,
    vervang_alle,
)

__all__ = ["Bouwopdracht", "Bouwresultaat", "bouw"]


@dataclass
class Bouwresultaat:
    bestanden: list[Path] = field(default_factory=list)
    mappen: list[Path] = field(default_factory=list)
    overgeslagen: int = 0  # folders whose inputs did not change and whose files are intact
    gerenderd: int = 0  # documents rendered anew (the rest were reused)
    beschadigd: list[Path] = field(default_factory=list)  # files found changed or missing, made again
    waarschuwingen: list[str] = field(default_factory=list)  # e.g. a versie label with a changed text
    # wall-clock seconds per stage, in order: valideren, plannen, renderen, pdf-omzetten, pdf-afwerken,
    # pakketten, manifest, wissel (a stage that did not run is absent); benchmarks/run.py reports them
    tijden: dict[str, float] = field(default_factory=dict)


def bouw(opdracht: Bouwopdracht, voortgang: Voortgang | None = None) -> Bouwresultaat:
    """Build every package of `opdracht` into `opdracht.uitvoer`.

    Raises DataFout (bad data), SjabloonFout, ConversieFout, BezetFout (another build holds
    the folder), OSError (disk full, no permission) or KeyboardInterrupt (Ctrl-C, SIGTERM);
    in every case the previous output stays as it was and LibreOffice is stopped.
    """
    uitvoer = Path(opdracht.uitvoer)
    # a first build of bad data must not even create the output folder (nor its lock)
    klok = time.perf_counter()
    # (regions, warnings, seconds it took): its time is the build's valideren stage
    vooraf = None if uitvoer.exists() else (*_geldig(opdracht), time.perf_counter() - klok)
    uitvoer.mkdir(parents=True, exist_ok=True)
    with sigterm_als_ctrl_c(), bouwslot(uitvoer):
        ruim_wezen_op()  # first: an orphaned LibreOffice could still write into a leftover temp folder
        herstel(uitvoer)
        try:
            return _bouw(opdracht, uitvoer, voortgang, vooraf)
        finally:
            stop_alle()


def _geldig(opdracht: Bouwopdracht) -> tuple[list, list[str]]:
    """The valid regions and warnings; raises DataFout for bad data, an unknown --aanbieder or check errors."""
    regios = load_valid(opdracht.data_pad)
    bekend = {a.id for r in regios for a in r.aanbieders}
    onbekend = [a for a in opdracht.aanbieders if a not in bekend]
    if onbekend:
        raise DataFout([Probleem(str(opdracht.data_pad), 0, 0, "--aanbieder",
                                 f"onbekende aanbieder '{a}'; bekend zijn: {', '.join(sorted(bekend))}") for a in onbekend])
    leeg = weiger_zonder_inhoud_of_met_fouten(regios, opdracht, lambda regio: bool(taken(regio, opdracht)))
    return regios, leeg


def _bouw(opdracht: Bouwopdracht, uitvoer: Path, voortgang: Voortgang | None,
          vooraf: tuple[list, list[str], float] | None) -> Bouwresultaat:
    bestand_hash.cache_clear()  # files may have changed since an earlier build in this process
    zegel = stempel(opdracht)
    staat = manifest.Bestandsstaat(uitvoer)
    vorige = _vorige_bouw(opdracht, zegel, staat)
    if vorige is not None:
        return vorige  # same inputs as the last successful build, files intact: nothing to do
    tijden: dict[str, float] = {}
    klok = time.perf_counter()
    if vooraf is not None:
        regios, leeg, al = vooraf
    else:
        (regios, leeg), al = _geldig(opdracht), 0.0
    tijden["valideren"], klok = al + time.perf_counter() - klok, time.perf_counter()
    sjablonen = Sjablonen(opdracht.sjablonen or standaard_sjablonen_map())
    mappen = [m for regio in regios for m in plan(regio, opdracht, sjablonen)]
    resultaat = Bouwresultaat(mappen=[uitvoer / m.rel for m in mappen], waarschuwingen=leeg + versielabels(uitvoer, mappen),
                              tijden=tijden)
    te_doen = []
    for m in mappen:
        vorig = manifest.lees(uitvoer / m.rel)
        if manifest.sleutels(vorig).get("") != m.sleutel:
            te_doen.append(m)
        elif beschadigd := manifest.beschadigd(uitvoer / m.rel, vorig, staat):
            te_doen.append(m)  # unchanged inputs, but a file on disk is not what was built
            per_document = {n for i in m.items for n in (i.rel.name, i.rel.with_suffix(".pdf").name)}
            # documents are reported by the render step; here what belongs to the folder (contractpakket.pdf)
            resultaat.beschadigd += [uitvoer / m.rel / n for n in beschadigd if n not in per_document]
    resultaat.overgeslagen = len(mappen) - len(te_doen)
    tijden["plannen"], klok = time.perf_counter() - klok, time.perf_counter()
    velden: dict[Path, dict[str, str]] = {}
    if te_doen:
        tijdelijk = Path(tempfile.mkdtemp(prefix=f"{TIJDELIJK_PREFIX}{os.getpid()}-", dir=uitvoer))
        try:
            gemaakt = render(te_doen, uitvoer, tijdelijk, sjablonen, opdracht.pdf, voortgang, staat)
            tijden["renderen"], klok = time.perf_counter() - klok, time.perf_counter()
            resultaat.gerenderd = sum(1 for g in gemaakt if g["nieuw"])
            for g in gemaakt:
                if g["beschadigd"]:
                    resultaat.beschadigd.append(uitvoer / g["rel"])
            if opdracht.pdf:
                pdf_tijden, velden = maak_pdfs(te_doen, gemaakt, uitvoer, tijdelijk, sjablonen, opdracht.pdfa, voortgang,
                                               opdracht.omzetten or converteer)
                tijden.update(pdf_tijden)
                klok = time.perf_counter()
            for m in te_doen:
                manifest.schrijf(tijdelijk / m.rel, m, opdracht, velden.get(m.rel, {}))
                neem_over(uitvoer / m.rel, tijdelijk / m.rel)  # ondertekend/ and the build history stay
            tijden["manifest"], klok = time.perf_counter() - klok, time.perf_counter()
            punt("wissel-begin")
            vervang_alle(uitvoer, tijdelijk, [m.rel for m in te_doen])
            staat.leg_vast([uitvoer / m.rel for m in te_doen])
            tijden["wissel"] = time.perf_counter() - klok
        finally:
            shutil.rmtree(tijdelijk, ignore_errors=True)
    resultaat.beschadigd.sort()
    for map_ in resultaat.mappen:
        resultaat.bestanden += sorted(p for p in map_.iterdir() if p.is_file())
    _bewaar_stempel(opdracht, zegel, resultaat)
    return resultaat


def _stempel_pad(opdracht: Bouwopdracht) -> Path:
    return Path(opdracht.uitvoer) / ".cache" / "laatste-bouw.json"


def _vorige_bouw(opdracht: Bouwopdracht, zegel: str, staat: manifest.Bestandsstaat) -> Bouwresultaat | None:
    """The result of the last build if it had exactly these inputs and its files are all intact."""
    try:
        vorige = json.loads(_stempel_pad(opdracht).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(vorige, dict) or vorige.get("stempel") != zegel:
        return None
    uitvoer = Path(opdracht.uitvoer)
    resultaat = Bouwresultaat(mappen=[uitvoer / m for m in vorige.get("mappen", [])])
    for map_, sleutel in zip(resultaat.mappen, vorige.get("sleutels", [])):
        vorig = manifest.lees(map_)
        if manifest.sleutels(vorig).get("") != sleutel or manifest.beschadigd(map_, vorig, staat):
            return None  # a folder was removed or a file changed by hand: build again
        resultaat.bestanden += sorted(p for p in map_.iterdir() if p.is_file())
    resultaat.overgeslagen = len(resultaat.mappen)
    return resultaat


def _bewaar_stempel(opdracht: Bouwopdracht, zegel: str, resultaat: Bouwresultaat) -> None:
    pad = _stempel_pad(opdracht)
    pad.parent.mkdir(parents=True, exist_ok=True)
    uitvoer = Path(opdracht.uitvoer)
    inhoud = {"stempel": zegel, "mappen": [m.relative_to(uitvoer).as_posix() for m in resultaat.mappen],
              "sleutels": [manifest.sleutels(manifest.lees(m)).get("") for m in resultaat.mappen]}
    schrijf_bytes(pad, json.dumps(inhoud).encode("utf-8"))
