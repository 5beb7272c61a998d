"""Scale benchmark: a synthetic region of N aanbieders, every figure measured the way a user meets it.

    python benchmarks/run.py --aanbieders 1000 --pdf [--json] [--pdf-documenten 12] [--naief-documenten 150]

The region is the transcribed Maastricht-Heuvelland data with N aanbieders derived deterministically
from the sample ones. Builds use every core (`os.cpu_count()`, render workers and one LibreOffice per
core); the one-core figures say so. Printed in Dutch; with --json the last line of stdout is one JSON
object with exactly these keys (seconds, documents per second, percentages 0-100; null: not measured):

- aanbieders, documents (Word documents of a full build), cores (os.cpu_count), cores_usable
  (os.sched_getaffinity), load_start, load_end, load_max (1-minute load average at the start, the
  end and the highest at a stage boundary), disturbed (load_max above the cores: other work shared
  the machine, so absolute times are too high; ratios within the run still hold roughly), python,
  libreoffice (version line), command (argv);
- validate_seconds: load + schema + integrity of the whole region, in this process;
- docx_build_seconds, docx_per_second: a full Word-only build (`bouw(..., pdf=False)`, all cores,
  with the checks `contractgen build` runs first: `controle`, in its `valideren` stage);
  docx_stages / docx_stage_shares: `Bouwresultaat.tijden` of that build and each stage's share of
  its wall-clock time; `overig` is the rest (build stamp, lock, clean-up, listing the files);
- one_core_documents, one_core_per_second, naive_per_second, docx_speedup_per_core: the same
  documents (an even sample of the build, contexts resolved beforehand) rendered on one core by
  contractgen's compiled templates (`Sjablonen.get(...).render`, first compile included) and by the
  naive path, a fresh docxtpl DocxTemplate per document with the same Jinja settings;
- pdf_build_seconds, pdf_files (document PDFs + contractpakket.pdf), pdf_per_second_end_to_end
  (pdf_files / pdf_build_seconds: conversion, post-processing, packages, everything), pdf_stages /
  pdf_stage_shares (as for Word), libreoffice_conversions (PDFs LibreOffice made, covers included),
  libreoffice_per_second (those / the pdf-omzetten stage), pdf_postprocessing_share
  ((pdf-afwerken + pakketten) / (pdf-omzetten + pdf-afwerken + pakketten), target <= 15 %);
  all null without --pdf;
- libreoffice_alone_warm, libreoffice_alone_cold, libreoffice_alone_speedup: LibreOffice alone on
  --pdf-documenten Word files per second, batched (one soffice per core) against one cold `soffice`
  start per file, and their ratio; 0 with --pdf-documenten 0;
- noop_seconds: a second build of the Word-only output with nothing changed, in this process;
  noop_cli_seconds: the same through the command line, end to end (`contractgen build ... --geen-pdf`:
  Python start-up, imports, checking the files and the printed summary; target <= 2 s at 1,000
  aanbieders); noop_cli_command (argv, paths shortened to <data> and <uitvoer>) and noop_cli_summary
  (the `klaar:` line it printed); noop_pdf_seconds, noop_cli_pdf_seconds, noop_cli_pdf_command,
  noop_cli_pdf_summary: the same for the output with PDFs (null without --pdf);
- one_tariff_seconds, one_tariff_documents: a rebuild after changing one Jeugd tariff and the
  documents it made again (with PDFs when --pdf is given; target <= 5 minutes at 1,000);
  one_tariff_stages: its `tijden`;
- peak_rss_mb: peak resident memory of this process; peak_rss_children_mb: of the largest child
  (a render worker, soffice or the CLI).
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import platform
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import click
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from contractgen.basis.problemen import Probleem  # noqa: E402
from contractgen.cli.voortgang import Voortgangsweergave  # noqa: E402
from contractgen.rapporten.beoordeling import lees, oordelen  # noqa: E402
from contractgen.rapporten.check import check  # noqa: E402
from contractgen.regels import load_valid  # noqa: E402
from contractgen.render.docx import Sjablonen, docx_tekst, standaard_sjablonen_map  # noqa: E402
from contractgen.resolve.weergave import weergave  # noqa: E402
from contractgen.uitvoer.bouw import Bouwopdracht, Bouwresultaat, bouw  # noqa: E402
from contractgen.uitvoer.libreoffice import converteer, soffice_pad  # noqa: E402
from contractgen.uitvoer.plan import plan  # noqa: E402
from run_tonen import toon  # noqa: E402 - benchmarks/ is on sys.path when run as a script

BRON = ROOT / "contracts_data" / "maastricht-heuvelland"
PDF_STAPPEN = ("pdf-omzetten", "pdf-afwerken", "pakketten")
VOLGORDE = ("valideren", "plannen", "renderen", *PDF_STAPPEN, "manifest", "wissel")


def maak_regio(doel: Path, n: int) -> Path:
    """Copy the region and derive N aanbieders from the samples (same input, same output)."""
    regio = doel / "maastricht-heuvelland"
    shutil.copytree(BRON, regio, ignore=shutil.ignore_patterns("aanbieders"))
    (regio / "aanbieders").mkdir()
    voorbeelden = sorted((BRON / "aanbieders").glob("*.yaml"))
    for i in range(n):
        bron = voorbeelden[i % len(voorbeelden)]
        tekst = bron.read_text(encoding="utf-8")
        ident = f"{bron.stem}-{i:05d}"
        tekst = tekst.replace(f"id: {bron.stem}", f"id: {ident}", 1)
        tekst = _vervang_regel(tekst, "kvk:", f'kvk: "{80000000 + i:08d}"')
        tekst = _vervang_regel(tekst, "naam:", f'naam: "Synthetische aanbieder {i:05d}"')
        (regio / "aanbieders" / f"{ident}.yaml").write_text(tekst, encoding="utf-8")
    return regio


def _vervang_regel(tekst: str, begin: str, nieuw: str) -> str:
    regels = tekst.splitlines()
    for k, regel in enumerate(regels):
        if regel.startswith(begin):
            regels[k] = nieuw
            break
    return "\n".join(regels) + "\n"


class Voortgang:
    """On stderr a line per benchmark stage with its seconds, and the build's own progress through the
    CLI's display (cli/voortgang.py): on a terminal a click bar with time left per build stage,
    otherwise one line per finished build stage."""

    def __init__(self) -> None:
        self.weergave = Voortgangsweergave()
        self.belasting = [os.getloadavg()[0]]  # 1-minute load average at every stage boundary

    @contextmanager
    def stap(self, naam: str):
        click.echo(f"... {naam}", err=True)
        self.belasting.append(os.getloadavg()[0])
        start = time.perf_counter()
        try:
            yield
        finally:
            self.weergave.sluit()
            click.echo(f"    {time.perf_counter() - start:.1f} s", err=True)

    def __call__(self, n: int, totaal: int, naam: str) -> None:
        """The `Voortgang` callback of `bouw`: n of totaal done in build stage naam."""
        self.weergave(n, totaal, naam)


def machine(argv: list[str]) -> dict:
    try:
        versie = subprocess.run([soffice_pad(), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception as fout:  # noqa: BLE001 - the figure says what went wrong instead
        versie = f"onbekend ({fout})"
    return {"cores": os.cpu_count(), "cores_usable": len(os.sched_getaffinity(0)),
            "python": platform.python_version(), "libreoffice": versie,
            "command": shlex.join([Path(sys.executable).name, *argv])}


def controle(regio, datum) -> list[Probleem]:
    """What `contractgen build` passes as Bouwopdracht.controle (cli/bouwen.py): check's open findings.

    Builds here run it too, so that their `valideren` stage costs what a user's build costs.
    """
    open_ = [o.bevinding for o in oordelen(check(regio, datum), lees(regio.map))[0] if o.telt]
    return [Probleem(b.probleem.bestand, b.probleem.regel, b.probleem.kolom, b.probleem.pad,
                     f"[{b.regel}] {b.probleem.bericht}", b.probleem.ernst) for b in open_]


def gemeten_bouw(opdracht: Bouwopdracht, voortgang: Voortgang) -> tuple[Bouwresultaat, float]:
    start = time.perf_counter()
    resultaat = bouw(opdracht, voortgang)
    return resultaat, time.perf_counter() - start


def aandelen(tijden: dict[str, float], totaal: float) -> tuple[dict[str, float], dict[str, float]]:
    """Stage seconds in build order (unknown stages after) plus `overig`, and each one's % of `totaal`."""
    namen = [n for n in VOLGORDE if n in tijden] + [n for n in tijden if n not in VOLGORDE]
    stappen = {n: tijden[n] for n in namen}
    stappen["overig"] = max(0.0, totaal - sum(stappen.values()))
    return ({n: round(s, 3) for n, s in stappen.items()},
            {n: round(100 * s / totaal, 1) if totaal else 0.0 for n, s in stappen.items()})


def een_kern(regio_pad: Path, aantal: int) -> tuple[int, float, float]:
    """(documents, contractgen per second, naive per second), both on one core over the same documents."""
    regio = load_valid(regio_pad)[0]
    kaart = standaard_sjablonen_map()
    opdracht = Bouwopdracht(regio_pad, Path("-"))  # plan() reads no output folder
    items = [(m, i) for m in plan(regio, opdracht, Sjablonen(kaart)) for i in m.items]
    stap = max(1, len(items) // aantal)  # an even sample: the build's own mix of documents
    gekozen = [(i.doc.sjabloon, weergave(m.regio, i.doc, i.aanbieder, m.peildatum).context, i.rel)
               for m, i in items[::stap][:aantal]]
    regio_id = regio.regio.id

    start = time.perf_counter()
    sjablonen = Sjablonen(kaart)  # compiling is part of the cost
    for sjabloon, context, rel in gekozen:
        sjablonen.get(sjabloon, regio_id).render(context, rel)
    eigen = len(gekozen) / (time.perf_counter() - start)

    vinden = Sjablonen(kaart)
    paden = {s: str(vinden.pad(s, regio_id)) for s, _, _ in gekozen}
    start = time.perf_counter()
    for sjabloon, context, _ in gekozen:
        tpl = DocxTemplate(paden[sjabloon])
        omgeving = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, finalize=docx_tekst,
                                        keep_trailing_newline=True)
        tpl.render(context, jinja_env=omgeving)
        tpl.save(io.BytesIO())
    naief = len(gekozen) / (time.perf_counter() - start)
    return len(gekozen), eigen, naief


def libreoffice_alleen(docx: list[Path], koud_aantal: int) -> tuple[float, float]:
    """LibreOffice alone: batched (one soffice per core) and one cold soffice start per file, per second."""
    with tempfile.TemporaryDirectory() as tmp:
        kopie = []
        for i, pad in enumerate(docx):
            kopie.append(Path(tmp) / f"d{i:03d}.docx")
            shutil.copyfile(pad, kopie[-1])
        start = time.perf_counter()
        converteer(kopie, Path(tmp) / "warm")
        warm = len(kopie) / (time.perf_counter() - start)
        start = time.perf_counter()
        for i, pad in enumerate(kopie[:koud_aantal]):
            profiel = Path(tmp) / f"koud-profiel-{i}"
            subprocess.run([soffice_pad(), "--headless", f"-env:UserInstallation={profiel.as_uri()}",
                            "--convert-to", "pdf", "--outdir", str(Path(tmp) / "koud"), str(pad)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, timeout=120)
        koud = koud_aantal / (time.perf_counter() - start)
    return warm, koud


def cli_opdracht() -> list[str]:
    """How a user starts contractgen: the venv's console script ([project.scripts]), else `python -m`."""
    script = Path(sys.executable).parent / "contractgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "contractgen"]


def noop_cli(data: Path, uit: Path, pdf: bool) -> tuple[float, list[str], str]:
    """Wall-clock seconds of `contractgen build` with nothing changed, the argv shown, its `klaar:` line."""
    argv = [*cli_opdracht(), "build", str(data), "--uitvoer", str(uit), *([] if pdf else ["--geen-pdf"])]
    omgeving = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    start = time.perf_counter()
    proces = subprocess.run(argv, capture_output=True, text=True, env=omgeving, timeout=3600)
    seconden = time.perf_counter() - start
    regels = proces.stdout.strip().splitlines()
    if proces.returncode != 0 or not regels or not regels[-1].startswith("klaar:"):
        raise SystemExit(f"contractgen build gaf exit {proces.returncode}:\n{proces.stdout}\n{proces.stderr}")
    if "(0 documenten opnieuw gemaakt" not in regels[-1]:
        raise SystemExit(f"de no-op via de opdrachtregel maakte documenten opnieuw: {regels[-1]}")
    kort = {str(data): "<data>", str(uit): "<uitvoer>", sys.executable: "python"}
    getoond = [kort.get(a, os.path.relpath(a, ROOT) if a.startswith(str(ROOT)) else a) for a in argv]
    return seconden, getoond, regels[-1]


def noop(regio: Path, uit: Path, pdf: bool, achter: str) -> dict:
    """A second build of `uit` with nothing changed, in this process and through the command line.

    Keys noop_seconds, noop_cli_seconds, noop_cli_command, noop_cli_summary; with achter="_pdf"
    noop_pdf_seconds, noop_cli_pdf_seconds, ... (the output with PDFs).
    """
    start = time.perf_counter()
    tweede = bouw(Bouwopdracht(regio, uit, pdf=pdf, controle=controle))
    seconden = time.perf_counter() - start
    if tweede.gerenderd:
        raise SystemExit(f"een no-op bouw maakte {tweede.gerenderd} documenten opnieuw")
    cli_seconden, opdracht, samenvatting = noop_cli(regio, uit, pdf)
    return {f"noop{achter}_seconds": round(seconden, 3), f"noop_cli{achter}_seconds": round(cli_seconden, 3),
            f"noop_cli{achter}_command": opdracht, f"noop_cli{achter}_summary": samenvatting}


def libreoffice_conversies(uit: Path, resultaat: Bouwresultaat) -> int:
    """PDFs LibreOffice made in a first build: its cache (.cache/pdf*/<sha>.pdf), else the PDFs written."""
    cache = [p for p in uit.glob(".cache/pdf*/*.pdf")]
    return len(cache) or sum(1 for p in resultaat.bestanden if p.suffix == ".pdf")


def wijzig_tarief(regio: Path) -> None:
    tarieven = regio / "tarieven" / "jeugd-2018.yaml"
    tekst = tarieven.read_text(encoding="utf-8")
    nieuw = tekst.replace('tarief: "2100"', 'tarief: "2150"', 1)
    if nieuw == tekst:
        raise SystemExit(f"{tarieven}: het tarief 2100 om te wijzigen staat er niet meer in; pas de benchmark aan")
    tarieven.write_text(nieuw, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    # LibreOffice passes that had to retry documents (uitvoer/libreoffice.py logs them at INFO): a
    # figure with retries in it is not the converter's normal speed, so say it where it happens
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("    %(message)s"))
    logging.getLogger("contractgen.uitvoer.libreoffice").addHandler(handler)
    logging.getLogger("contractgen.uitvoer.libreoffice").setLevel(logging.INFO)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aanbieders", type=int, default=100)
    parser.add_argument("--pdf", action="store_true", help="also the full build with PDFs, end to end")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pdf-documenten", type=int, default=12, help="LibreOffice alone on this many files (0: skip)")
    parser.add_argument("--naief-documenten", type=int, default=150, help="documents for the one-core comparison")
    args = parser.parse_args(argv[1:])
    voortgang = Voortgang()
    f: dict = {"aanbieders": args.aanbieders, **machine(argv), "load_start": round(voortgang.belasting[0], 2)}

    with tempfile.TemporaryDirectory(prefix="contractgen-bench-") as tmp_naam:
        tmp = Path(tmp_naam)
        with voortgang.stap(f"regio maken ({args.aanbieders} aanbieders)"):
            regio = maak_regio(tmp / "data", args.aanbieders)
        with voortgang.stap("valideren"):
            start = time.perf_counter()
            load_valid(regio)
            f["validate_seconds"] = round(time.perf_counter() - start, 3)

        uit_docx, uit_pdf = tmp / "output-docx", tmp / "output-pdf"
        with voortgang.stap("bouw zonder PDF (alle kernen)"):
            docx_bouw, seconden = gemeten_bouw(Bouwopdracht(regio, uit_docx, controle=controle), voortgang)
        f["documents"] = sum(1 for p in docx_bouw.bestanden if p.suffix == ".docx")
        f["docx_build_seconds"] = round(seconden, 3)
        f["docx_per_second"] = round(f["documents"] / seconden, 1)
        f["docx_stages"], f["docx_stage_shares"] = aandelen(docx_bouw.tijden, seconden)

        with voortgang.stap(f"één kern: contractgen en naïef docxtpl ({args.naief_documenten} documenten)"):
            k, eigen, naief = een_kern(regio, args.naief_documenten)
        f.update(one_core_documents=k, one_core_per_second=round(eigen, 1), naive_per_second=round(naief, 1),
                 docx_speedup_per_core=round(eigen / naief, 2))

        for sleutel in ("pdf_build_seconds", "pdf_files", "pdf_per_second_end_to_end", "pdf_stages",
                        "pdf_stage_shares", "libreoffice_conversions", "libreoffice_per_second",
                        "pdf_postprocessing_share"):
            f[sleutel] = None
        if args.pdf:
            with voortgang.stap("bouw met PDF (alle kernen)"):
                pdf_bouw, seconden = gemeten_bouw(Bouwopdracht(regio, uit_pdf, pdf=True, controle=controle), voortgang)
            f["pdf_build_seconds"] = round(seconden, 3)
            f["pdf_files"] = sum(1 for p in pdf_bouw.bestanden if p.suffix == ".pdf")
            f["pdf_per_second_end_to_end"] = round(f["pdf_files"] / seconden, 2)
            f["pdf_stages"], f["pdf_stage_shares"] = aandelen(pdf_bouw.tijden, seconden)
            f["libreoffice_conversions"] = libreoffice_conversies(uit_pdf, pdf_bouw)
            omzetten = pdf_bouw.tijden.get("pdf-omzetten", 0.0)
            f["libreoffice_per_second"] = round(f["libreoffice_conversions"] / omzetten, 2) if omzetten else None
            pdf_stap = sum(pdf_bouw.tijden.get(n, 0.0) for n in PDF_STAPPEN)
            na = pdf_bouw.tijden.get("pdf-afwerken", 0.0) + pdf_bouw.tijden.get("pakketten", 0.0)
            f["pdf_postprocessing_share"] = round(100 * na / pdf_stap, 1) if pdf_stap else None

        with voortgang.stap("no-op: tweede bouw zonder wijzigingen (in dit proces en via de opdrachtregel)"):
            f.update(noop(regio, uit_docx, False, ""))
            f.update(dict.fromkeys(("noop_pdf_seconds", "noop_cli_pdf_seconds", "noop_cli_pdf_command",
                                    "noop_cli_pdf_summary")))
            if args.pdf:
                f.update(noop(regio, uit_pdf, True, "_pdf"))

        uit = uit_pdf if args.pdf else uit_docx
        wijzig_tarief(regio)
        with voortgang.stap("één Jeugd-tarief gewijzigd: opnieuw bouwen" + (" met PDF" if args.pdf else "")):
            een, seconden = gemeten_bouw(Bouwopdracht(regio, uit, pdf=args.pdf, controle=controle), voortgang)
        f.update(one_tariff_seconds=round(seconden, 3), one_tariff_documents=een.gerenderd,
                 one_tariff_stages=aandelen(een.tijden, seconden)[0])

        warm = koud = 0.0
        if args.pdf_documenten:
            with voortgang.stap(f"LibreOffice alleen ({args.pdf_documenten} bestanden, warm en koud)"):
                voorbeeld = sorted(p for p in uit_docx.rglob("*.docx") if "algemeen" not in p.parts)
                warm, koud = libreoffice_alleen(voorbeeld[: args.pdf_documenten], max(2, args.pdf_documenten // 3))
        f.update(libreoffice_alone_warm=round(warm, 2), libreoffice_alone_cold=round(koud, 2),
                 libreoffice_alone_speedup=round(warm / koud, 2) if koud else 0.0)

    f["load_end"] = round(os.getloadavg()[0], 2)
    f["load_max"] = round(max(voortgang.belasting + [f["load_end"]]), 2)
    f["disturbed"] = f["load_max"] > f["cores"]
    f["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    f["peak_rss_children_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    toon(f)
    if args.json:
        print(json.dumps(f, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
