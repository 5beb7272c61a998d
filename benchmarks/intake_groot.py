"""Import benchmark: a large export (xlsx or csv) against the row limit of intake.tabel.

    python benchmarks/intake_groot.py [--rijen 100000 5000] [--formaat xlsx csv] [--json]

For each size and format a file with that many valid aanbieder rows is written, and
`contractgen aanbieders importeer --proef` runs on it in a fresh process (the tests'
aanbieders_mini region). Printed per run: the outcome (refused at the limit, or checked),
wall time in seconds and the peak resident memory of that process in MB. Figures, not a
timed test: the machine decides the numbers, the row limit decides their order.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGIO = ROOT / "tests" / "fixtures" / "aanbieders_mini"
KOP = ["naam", "kvk", "vertegenwoordiger", "domeinen", "arrangementen", "contactpersoon", "contactpersoon telefoon",
       "A1", "B1"]


def _rij(i: int) -> list[str]:
    return [f"Aanbieder {i:06d}", f"{10000000 + i:08d}", "A. Jansen", "Jeugd", "jeugd-regie", "C. Contact", "0612345678",
            "Ja", "Ja"]


def schrijf(pad: Path, rijen: int) -> None:
    if pad.suffix == ".csv":
        with pad.open("w", encoding="utf-8", newline="") as f:
            schrijver = csv.writer(f, delimiter=";")
            schrijver.writerow(KOP)
            schrijver.writerows(_rij(i) for i in range(rijen))
        return
    from openpyxl import Workbook

    boek = Workbook(write_only=True)
    blad = boek.create_sheet("Aanbieders")
    blad.append(KOP)
    for i in range(rijen):
        blad.append(_rij(i))
    boek.save(pad)


# the CLI in a fresh process that reports its own peak memory when it ends
KIND = """
import atexit, resource, sys
atexit.register(lambda: print("PIEK", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr))
from contractgen.cli import main
main(sys.argv[1:])
"""


def meet(bestand: Path, regio: Path, src: Path = ROOT / "src") -> dict:
    start = time.perf_counter()
    proces = subprocess.run([sys.executable, "-c", KIND, "aanbieders", "importeer", str(bestand),
                             "--data", str(regio), "--proef"], capture_output=True, text=True,
                            cwd=ROOT, env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"})
    seconden = time.perf_counter() - start
    uitvoer = (proces.stdout + proces.stderr).strip().splitlines()
    piek = next(int(r.split()[1]) for r in uitvoer if r.startswith("PIEK "))
    uitvoer = [r for r in uitvoer if not r.startswith("PIEK ")]
    return {"exit": proces.returncode, "seconds": round(seconden, 2), "peak_rss_mb": round(piek / 1024, 1),
            "uitkomst": next((r for r in uitvoer if re.search(r"rijen met aanbieders|aanbieder\(s\) |fout\(en\) ", r)),
                             uitvoer[-1] if uitvoer else "")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rijen", type=int, nargs="+", default=[100_000, 5_000])
    parser.add_argument("--formaat", nargs="+", default=["xlsx", "csv"], choices=["xlsx", "csv"])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="contractgen sources to measure (a revision)")
    args = parser.parse_args()
    resultaten = []
    with tempfile.TemporaryDirectory(prefix="contractgen-intake-") as tmp:
        regio = Path(tmp) / "regio"
        shutil.copytree(REGIO, regio)
        for formaat in args.formaat:
            for rijen in args.rijen:
                bestand = Path(tmp) / f"export-{rijen}.{formaat}"
                schrijf(bestand, rijen)
                r = meet(bestand, regio, args.src)
                r.update(formaat=formaat, rijen=rijen, mb=round(bestand.stat().st_size / 1e6, 1))
                resultaten.append(r)
                print(f"{formaat} {rijen:>7} rijen ({r['mb']} MB): exit {r['exit']}, {r['seconds']} s, "
                      f"piek {r['peak_rss_mb']} MB: {r['uitkomst'][:120]}")
    if args.json:
        print(json.dumps(resultaten, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
