"""The jurist's pages in the workplace: page times against a real server, at N aanbieders.

    python benchmarks/werkplaats_jurist.py [--aanbieders 1000] [--herhalingen 20] [--json]

Starts `contractgen werkplaats` on the synthetic region of benchmarks/run.py (as benchmarks/werkplaats.py does),
logs in as a jurist over HTTP and measures, per page, the first request after start (cold: the region is
loaded and `check` runs) and the median and 95th percentile of --herhalingen warm requests; target p95
<= 300 ms (issue 25). Pages: the findings (all, and filtered on one controle), one finding, voorrang without
and with a subject, a comparison of two dates for one document, and the Word upload form. Printed in Dutch;
with --json the last line is one JSON object: aanbieders, herhalingen, pages ({name: {cold_ms, p50_ms,
p95_ms}}), p95_max_ms, ratio_p95_max_vs_300ms, load_start, load_end, cores, python.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HIER = Path(__file__).resolve().parent
sys.path.insert(0, str(HIER))
from run import maak_regio  # noqa: E402
from werkplaats import DOEL_PAGINA_MS, WACHTWOORD, Browser, p, vrije_poort  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aanbieders", type=int, default=1000)
    parser.add_argument("--herhalingen", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="contractgen-wp-jurist-"))
    proces = None
    belasting_begin = os.getloadavg()[0]
    try:
        data = tmp / "data"
        data.mkdir()
        regio = maak_regio(data, args.aanbieders)
        staat = tmp / "staat"
        env = {**os.environ, "CONTRACTGEN_WACHTWOORD": WACHTWOORD}
        cg = [sys.executable, "-m", "contractgen"]
        subprocess.run([*cg, "gebruiker", "toevoegen", "jurist@bench.example", "--rol", "jurist", "--regio",
                        regio.name, "--data", str(data), "--staat", str(staat)], check=True, env=env, capture_output=True)
        poort = vrije_poort()
        log = open(tmp / "server.log", "wb")
        proces = subprocess.Popen([*cg, "werkplaats", "--data", str(data), "--uitvoer", str(tmp / "uitvoer"),
                                   "--staat", str(staat), "--adres", f"127.0.0.1:{poort}"], stdout=log,
                                  stderr=subprocess.STDOUT, env=env, start_new_session=True)
        b = Browser(f"http://127.0.0.1:{poort}")
        einde = time.monotonic() + 120
        while True:
            try:
                b.get("/gezond")
                break
            except OSError:
                if time.monotonic() > einde or proces.poll() is not None:
                    raise SystemExit("de werkplaats start niet: " + (tmp / "server.log").read_text())
                time.sleep(0.2)
        b.get("/inloggen/")
        _, _, url = b.post("/inloggen/", {"username": "jurist@bench.example", "password": WACHTWOORD})
        if url.rstrip("/") != b.basis:
            raise SystemExit("inloggen mislukt")
        print(f"werkplaats met {args.aanbieders} aanbieders: {b.basis}", file=sys.stderr)

        j = f"/regio/{regio.name}/jurist/"
        lijst = b.get(j + "bevindingen/")[1].decode()
        eerste = re.search(r'href="(/regio/[^"]+/jurist/bevindingen/[0-9a-f]{16}/\?jaar=\d+)"', lijst)
        paginas = {"bevindingen": j + "bevindingen/", "bevindingen-filter": j + "bevindingen/?controle=dubbel-nummer",
                   "bevinding": eerste.group(1).replace("&amp;", "&") if eerste else j + "bevindingen/",
                   "voorrang": j + "voorrang/", "voorrang-vraag": j + "voorrang/?onderwerp=verzekering",
                   "vergelijken": j + "vergelijken/?oud=2017-01-01&nieuw=2018-01-01&document=swo-toelichting",
                   "word": j + "word/"}
        uitkomst: dict[str, dict] = {}
        for naam, pad in paginas.items():
            koud = b.get(pad)[0]
            warm = [b.get(pad)[0] for _ in range(args.herhalingen)]
            uitkomst[naam] = {"cold_ms": round(koud, 1), "p50_ms": round(p(warm, 50), 1), "p95_ms": round(p(warm, 95), 1)}
            print(f"{naam:<19} eerste {koud:7.0f} ms, mediaan {p(warm, 50):6.0f} ms, p95 {p(warm, 95):6.0f} ms",
                  file=sys.stderr)
        hoogste = max(v["p95_ms"] for v in uitkomst.values())
        ratio = round(hoogste / DOEL_PAGINA_MS, 3)
        print(f"hoogste p95 {hoogste:.0f} ms = {ratio:.2f} x de grens van 300 ms", file=sys.stderr)
        if args.json:
            print(json.dumps({"aanbieders": args.aanbieders, "herhalingen": args.herhalingen, "pages": uitkomst,
                              "p95_max_ms": hoogste, "ratio_p95_max_vs_300ms": ratio,
                              "load_start": belasting_begin, "load_end": os.getloadavg()[0], "cores": os.cpu_count(),
                              "python": platform.python_version()}))
        return 0
    finally:
        if proces is not None:
            os.killpg(proces.pid, signal.SIGTERM)
            proces.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
