"""What the whole-text check of the PDF stage costs (issue 29): its share of the PDF stage.

    python benchmarks/tekstcontrole.py [--data contracts_data/maastricht-heuvelland] [--herhaal 3] [--json]

Builds the region with PDFs (every aanbieder, all cores; `bouw` as `contractgen build` runs it), then
times, for every document PDF of that build, the checks the PDF stage runs on it after LibreOffice:
the whole-text check (`libreoffice.tekstverlies`: the words of the .docx, pdftotext, matching in order)
and the page check (`paginas.koppen_onderaan`: no heading ends a page, on the same pdftotext output,
as `controleer_pdf` runs it). Both ran inside the build
already; here they run again, alone, `--herhaal` times (the median counts), so their cost is measured
apart from LibreOffice's, with as many threads as the build has LibreOffice workers (one per core:
each worker checks the PDFs of its own batch, so the checks share the cores as in the build). The PDF stage is pdf-omzetten + pdf-afwerken + pakketten of the build's
`Bouwresultaat.tijden`. Target: the whole-text check under 10 % of the PDF stage. For comparison the
check it replaces (the first words of the .docx on the first two pages) is timed the same way. Printed in Dutch;
with --json the last line is one JSON object (seconds; percentages 0-100).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from contractgen.uitvoer.bouw import bouw  # noqa: E402
from contractgen.uitvoer.libreoffice import docx_woorden, pdf_tekst, tekstverlies  # noqa: E402
from contractgen.uitvoer.paginas import koppen_onderaan  # noqa: E402
from contractgen.uitvoer.plan import Bouwopdracht  # noqa: E402
from contractgen.uitvoer.werkers import aantal_kernen  # noqa: E402

PDF_STAPPEN = ("pdf-omzetten", "pdf-afwerken", "pakketten")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "contracts_data" / "maastricht-heuvelland")
    parser.add_argument("--herhaal", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="contractgen-tekstcontrole-") as tmp:
        uit = Path(tmp) / "uit"
        begin = time.perf_counter()
        resultaat = bouw(Bouwopdracht(args.data, uit, pdf=True))
        bouwtijd = time.perf_counter() - begin
        pdf_stap = sum(resultaat.tijden.get(n, 0.0) for n in PDF_STAPPEN)
        paren = [(d, d.with_suffix(".pdf")) for d in sorted(uit.rglob("*.docx")) if d.with_suffix(".pdf").is_file()]
        woorden = sum(len(docx_woorden(d)) for d, _ in paren)

        def keer(functie) -> float:
            tijden = []
            for _ in range(max(1, args.herhaal)):
                t = time.perf_counter()
                with ThreadPoolExecutor(aantal_kernen()) as pool:
                    for (docx, _), uitkomst in zip(paren, pool.map(lambda paar: functie(*paar), paren)):
                        assert not uitkomst, (docx, uitkomst)  # a sound build: nothing lost, no heading at a foot
                tijden.append(time.perf_counter() - t)
            return statistics.median(tijden)

        tekst = keer(tekstverlies)  # pdftotext, the words of the .docx, matching
        # what it replaces: the first 12 words of the .docx among the text of the first two pages
        eerder = keer(lambda docx, pdf: not any(w in subprocess.run(
            ["pdftotext", "-q", "-l", "2", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
            check=False).stdout.decode("utf-8", "replace").lower() for w in docx_woorden(docx)[:12]))
        teksten = {pdf: pdf_tekst(pdf) for _, pdf in paren}
        koppen = keer(lambda docx, pdf: koppen_onderaan(docx, teksten[pdf]))  # on the same pdftotext output
    cijfers = {
        "documents": len(paren), "words": woorden, "cores": os.cpu_count(), "load_end": round(os.getloadavg()[0], 1),
        "build_seconds": round(bouwtijd, 2), "pdf_stage_seconds": round(pdf_stap, 2),
        "pdf_stages": {n: round(resultaat.tijden.get(n, 0.0), 2) for n in PDF_STAPPEN},
        "text_check_seconds": round(tekst, 3), "text_check_share": round(100 * tekst / pdf_stap, 1),
        "text_check_ms_per_document": round(1000 * tekst / len(paren), 1),
        "first_words_check_seconds": round(eerder, 3),
        "text_check_added_share": round(100 * (tekst - eerder) / pdf_stap, 1),
        "page_check_seconds": round(koppen, 3), "page_check_share": round(100 * koppen / pdf_stap, 1),
        "target_share": 10.0,
    }
    print(f"{len(paren)} document-PDF's ({woorden} woorden) van {args.data.name}, {os.cpu_count()} kern(en), "
          f"belasting {os.getloadavg()[0]:.1f}")
    print(f"bouw met PDF: {bouwtijd:.1f} s; PDF-stap (omzetten + afwerken + pakketten): {pdf_stap:.1f} s")
    print(f"controle hele tekst: {tekst:.2f} s ({cijfers['text_check_ms_per_document']} ms per document) = "
          f"{cijfers['text_check_share']} % van de PDF-stap (doel: onder 10 %)")
    print(f"de controle die hij vervangt (eerste woorden op de eerste twee pagina's): {eerder:.2f} s; erbij gekomen: "
          f"{tekst - eerder:.2f} s = {cijfers['text_check_added_share']} % van de PDF-stap")
    print(f"controle kop onderaan de pagina: {koppen:.2f} s = {cijfers['page_check_share']} % van de PDF-stap")
    if args.json:
        print(json.dumps(cijfers))


if __name__ == "__main__":
    main()
