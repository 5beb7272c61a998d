"""Scale benchmark: a synthetic region of N aanbieders, measured against the naive approach.

    python benchmarks/run.py --aanbieders 1000 [--json] [--pdf-documenten 12]

The region is the transcribed Maastricht-Heuvelland data with N aanbieders derived
deterministically from the sample ones. Figures printed:
- validate_seconds: load + schema + integrity of the whole region;
- docx_per_second: a full Word build (all aanbieders, both cores);
- docx_speedup: that rate against the naive path, a fresh docxtpl DocxTemplate per document;
- pdf_per_second_warm / _cold and pdf_speedup: batched LibreOffice (one process per core) against one
  `soffice` start per file, on the same documents;
- noop_rebuild_seconds: a second build with nothing changed;
- one_tariff_rebuild_seconds / _documents: after changing one Jeugd tariff;
- peak_rss_mb: peak resident memory of this process (render workers and soffice counted apart).
With --json the last line is one JSON object with exactly those keys.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from contractgen.domein.zoeken import pakket  # noqa: E402
from contractgen.regels import load_valid  # noqa: E402
from contractgen.render.docx import standaard_sjablonen_map  # noqa: E402
from contractgen.resolve.weergave import weergave  # noqa: E402
from contractgen.uitvoer.bouw import Bouwopdracht, bouw  # noqa: E402
from contractgen.uitvoer.libreoffice import converteer, soffice_pad  # noqa: E402

BRON = ROOT / "contracts_data" / "maastricht-heuvelland"


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


def naief_per_seconde(regio_pad: Path, aantal: int) -> float:
    """The baseline: a fresh DocxTemplate (parse + patch + compile) for every document."""
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    regio = load_valid(regio_pad)[0]
    contexts = []
    for aanbieder in regio.aanbieders:
        for doc in pakket(regio, aanbieder, regio.regio.standaard_peildatum):
            contexts.append(weergave(regio, doc, aanbieder, regio.regio.standaard_peildatum).context)
            if len(contexts) >= aantal:
                break
        if len(contexts) >= aantal:
            break
    start = time.perf_counter()
    for context in contexts:
        tpl = DocxTemplate(str(standaard_sjablonen_map() / "document.docx"))
        tpl.render(context, jinja_env=SandboxedEnvironment(autoescape=True))
        tpl.save(io.BytesIO())
    return len(contexts) / (time.perf_counter() - start)


def pdf_snelheden(docx: list[Path], koud_aantal: int) -> tuple[float, float]:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aanbieders", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pdf-documenten", type=int, default=12, help="documents for the PDF comparison (0: skip)")
    parser.add_argument("--naief-documenten", type=int, default=150)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="contractgen-bench-") as tmp:
        tmp = Path(tmp)
        regio = maak_regio(tmp / "data", args.aanbieders)
        uit = tmp / "output"

        start = time.perf_counter()
        load_valid(regio)
        validate_seconds = time.perf_counter() - start

        start = time.perf_counter()
        resultaat = bouw(Bouwopdracht(regio, uit), _voortgang(args.json))
        docx_seconds = time.perf_counter() - start
        documenten = sum(1 for p in resultaat.bestanden if p.suffix == ".docx")
        docx_per_second = documenten / docx_seconds

        naief = naief_per_seconde(regio, args.naief_documenten)

        start = time.perf_counter()
        noop = bouw(Bouwopdracht(regio, uit))
        noop_seconds = time.perf_counter() - start
        assert noop.gerenderd == 0, "a no-op rebuild rendered documents"

        tarieven = regio / "tarieven" / "jeugd-2018.yaml"
        tekst = tarieven.read_text(encoding="utf-8")
        tarieven.write_text(tekst.replace('tarief: "2100"', 'tarief: "2150"', 1), encoding="utf-8")
        start = time.perf_counter()
        een = bouw(Bouwopdracht(regio, uit))
        een_seconds = time.perf_counter() - start

        warm = koud = 0.0
        if args.pdf_documenten:
            voorbeeld = sorted(p for p in uit.rglob("*.docx") if "algemeen" not in p.parts)[: args.pdf_documenten]
            warm, koud = pdf_snelheden(voorbeeld, max(2, args.pdf_documenten // 3))

    zelf = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kinderen = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figuren = {
        "aanbieders": args.aanbieders,
        "validate_seconds": round(validate_seconds, 3),
        "docx_per_second": round(docx_per_second, 1),
        "docx_speedup": round(docx_per_second / naief, 2),
        "pdf_per_second_warm": round(warm, 2),
        "pdf_per_second_cold": round(koud, 2),
        "pdf_speedup": round(warm / koud, 2) if koud else 0.0,
        "noop_rebuild_seconds": round(noop_seconds, 3),
        "one_tariff_rebuild_seconds": round(een_seconds, 3),
        "one_tariff_rebuild_documents": een.gerenderd,
        "peak_rss_mb": round(zelf, 1),
    }
    print(f"aanbieders:                 {args.aanbieders} ({documenten} Word-documenten)")
    print(f"validate:                   {validate_seconds:.2f} s")
    print(f"DOCX:                       {docx_per_second:.1f} documenten/s (naïef, docxtpl per document: "
          f"{naief:.1f}/s; versnelling {figuren['docx_speedup']}x)")
    if args.pdf_documenten:
        print(f"PDF:                        {warm:.2f}/s warm (batches, {os.cpu_count()} processen) tegen "
              f"{koud:.2f}/s met één soffice per bestand; versnelling {figuren['pdf_speedup']}x")
    print(f"no-op rebuild:              {noop_seconds:.2f} s")
    print(f"één tarief gewijzigd:       {een_seconds:.2f} s, {een.gerenderd} documenten opnieuw gemaakt")
    print(f"piekgeheugen:               {zelf:.0f} MB (render-werkers en soffice: {kinderen:.0f} MB)")
    if args.json:
        print(json.dumps(figuren))
    return 0


def _voortgang(stil: bool):
    if stil or not sys.stderr.isatty():
        return None

    def toon(n: int, totaal: int, naam: str) -> None:
        print(f"\r[{n}/{totaal}] {naam[:60]:<60}", end="", file=sys.stderr)

    return toon


if __name__ == "__main__":
    sys.exit(main())
