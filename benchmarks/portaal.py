"""Portal benchmark: the aanbieder's pages at N aanbieders in the region, against a real server.

    python benchmarks/portaal.py --aanbieders 1000 [--herhalingen 10] [--json]

Starts `contractgen werkplaats` on the synthetic region of benchmarks/run.py (as benchmarks/werkplaats.py
does), gives one aanbieder a contact person, logs in as that person over HTTP and measures the first
request and the 95th percentile of --herhalingen warm requests of: its own page, the answer form, saving
the form as draft, and submitting it (the Excel import's validation of the whole region and the write as a
git commit). Target p95 <= 300 ms for pages (issue 25); submitting is reported, with its ratio to 2 s.
"""

from __future__ import annotations

import argparse
import html
import json
import os
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
from werkplaats import Browser, p, vrije_poort  # noqa: E402  (the workplace benchmark's HTTP client)

WACHTWOORD = "Benchmark-portaal-2026!"
DOEL_PAGINA_MS = 300.0
DOEL_INDIENEN_MS = 2000.0


def formulier(pagina: str) -> dict[str, str]:
    """The values a browser would send for the answer form as shown (checked radios, text fields, textareas)."""
    velden: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", pagina):
        naam = re.search(r'name="([^"]+)"', tag)
        waarde = re.search(r'value="([^"]*)"', tag)
        if not naam or naam.group(1) == "csrfmiddlewaretoken":
            continue
        if 'type="radio"' in tag and " checked" not in tag:
            continue
        velden[naam.group(1)] = html.unescape(waarde.group(1)) if waarde else ""
    for naam, inhoud in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', pagina, re.S):
        velden[naam] = html.unescape(inhoud).lstrip("\n")
    return velden


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aanbieders", type=int, default=1000)
    parser.add_argument("--herhalingen", type=int, default=10)
    parser.add_argument("--indienen", type=int, default=3,
                        help="hoe vaak indienen gemeten wordt (elke keer de hele regio gevalideerd; 0: niet)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="contractgen-portaal-bench-"))
    proces = None
    belasting_begin = os.getloadavg()[0]
    try:
        data = tmp / "data"
        data.mkdir()
        regio = maak_regio(data, args.aanbieders)
        aanbieder = sorted((regio / "aanbieders").glob("*.yaml"))[0].stem
        staat, uitvoer = tmp / "staat", tmp / "uitvoer"
        env = {**os.environ, "CONTRACTGEN_WACHTWOORD": WACHTWOORD}
        cg = [sys.executable, "-m", "contractgen"]
        subprocess.run([*cg, "gebruiker", "toevoegen", "contact@bench.example", "--rol", "aanbieder", "--regio",
                        "maastricht-heuvelland", "--aanbieder", aanbieder, "--data", str(data), "--staat", str(staat)],
                       check=True, env=env, capture_output=True)
        poort = vrije_poort()
        log = open(tmp / "server.log", "wb")
        proces = subprocess.Popen([*cg, "werkplaats", "--data", str(data), "--uitvoer", str(uitvoer), "--staat",
                                   str(staat), "--adres", f"127.0.0.1:{poort}", "--geen-werker"], stdout=log,
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
        _, _, url = b.post("/inloggen/", {"username": "contact@bench.example", "password": WACHTWOORD})
        eigen = f"/aanbieder/{regio.name}/{aanbieder}/"
        if not url.endswith(eigen):
            raise SystemExit(f"inloggen mislukt: {url}")
        print(f"portaal met {args.aanbieders} aanbieders in de regio: {b.basis}{eigen}", file=sys.stderr)

        uitkomst: dict[str, dict] = {}

        def meet(naam: str, stap, keer: int | None = None) -> None:
            koud = stap()
            warm = [stap() for _ in range(args.herhalingen if keer is None else keer)]
            uitkomst[naam] = {"cold_ms": round(koud, 1), "p50_ms": round(p(warm, 50), 1), "p95_ms": round(p(warm, 95), 1)}
            print(f"{naam:<12} eerste {koud:7.0f} ms, mediaan {p(warm, 50):6.0f} ms, p95 {p(warm, 95):6.0f} ms",
                  file=sys.stderr)

        meet("aanbieder", lambda: b.get(eigen)[0])
        meet("antwoorden", lambda: b.get(eigen + "antwoorden/")[0])
        velden = formulier(b.get(eigen + "antwoorden/")[1].decode("utf-8"))
        meet("concept", lambda: b.post(eigen + "antwoorden/", {**velden, "actie": "concept"})[0])

        def indienen() -> float:
            nu = formulier(b.get(eigen + "antwoorden/")[1].decode("utf-8"))  # the file's version as shown now
            tijd, inhoud, url = b.post(eigen + "antwoorden/", {**nu, "actie": "indienen"})
            if not url.endswith(eigen):
                fout = re.search(r'id="samenvatting".*?</div>', inhoud.decode("utf-8"), re.S)
                raise SystemExit("indienen mislukt: " + (re.sub(r"<[^>]+>", " ", fout.group(0)) if fout else url))
            return tijd

        if args.indienen:
            meet("indienen", indienen, args.indienen)
        paginas = [uitkomst[n]["p95_ms"] for n in ("aanbieder", "antwoorden", "concept")]
        verhoudingen = {"pagina_p95": round(max(paginas) / DOEL_PAGINA_MS, 2)}
        print(f"p95 pagina's hoogstens {max(paginas):.0f} ms (doel {DOEL_PAGINA_MS:.0f} ms, verhouding "
              f"{verhoudingen['pagina_p95']})", file=sys.stderr)
        if "indienen" in uitkomst:
            verhoudingen["indienen_p95"] = round(uitkomst["indienen"]["p95_ms"] / DOEL_INDIENEN_MS, 2)
            print(f"indienen p95 {uitkomst['indienen']['p95_ms']:.0f} ms (verhouding {verhoudingen['indienen_p95']} "
                  f"tot {DOEL_INDIENEN_MS:.0f} ms)", file=sys.stderr)
        print(f"belasting van de machine: {belasting_begin:.1f} bij het begin, {os.getloadavg()[0]:.1f} aan het eind "
              f"({os.cpu_count()} kernen)", file=sys.stderr)
        if args.json:
            print(json.dumps({"aanbieders": args.aanbieders, "herhalingen": args.herhalingen, "stappen": uitkomst,
                              "ratios": verhoudingen, "load_start": belasting_begin, "load_end": os.getloadavg()[0],
                              "cores": os.cpu_count()}))
        return 0
    finally:
        if proces is not None:
            os.killpg(proces.pid, signal.SIGTERM)
            proces.wait(15)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
