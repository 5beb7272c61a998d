"""The figures of benchmarks/run.py as lines in Dutch, in the order of its docstring."""

from __future__ import annotations


def _stappen(titel: str, stappen: dict[str, float], aandeel: dict[str, float]) -> None:
    print(titel)
    for naam, s in stappen.items():
        uitleg = "  (stempel, slot, opruimen, bestanden opsommen)" if naam == "overig" else ""
        print(f"  {naam:<14}{s:>9.2f} s {aandeel[naam]:>6.1f} %{uitleg}")


def _noop(f: dict, achter: str, soort: str) -> None:
    print(f"no-op, opdrachtregel:       {f[f'noop_cli{achter}_seconds']:.2f} s {soort} (doel ≤ 2 s bij 1.000 "
          f"aanbieders; in dit proces {f[f'noop{achter}_seconds']:.2f} s): {' '.join(f[f'noop_cli{achter}_command'])}")
    print(f"                            laatste regel: {f[f'noop_cli{achter}_summary']}")


def toon(f: dict) -> None:
    kernen = f["cores"]
    print(f"machine:                    {kernen} kernen (bruikbaar: {f['cores_usable']}), belasting "
          f"{f['load_start']} bij de start, {f['load_end']} aan het eind, hoogste {f['load_max']}"
          + (" — VERSTOORD: belasting hoger dan het aantal kernen" if f["disturbed"] else ""))
    print(f"                            Python {f['python']}, {f['libreoffice']}")
    print(f"opdracht:                   {f['command']}")
    print(f"aanbieders:                 {f['aanbieders']} ({f['documents']} Word-documenten)")
    print(f"valideren:                  {f['validate_seconds']:.2f} s")
    print(f"DOCX, hele bouw:            {f['docx_per_second']:.1f} documenten/s ({kernen} kernen; "
          f"{f['docx_build_seconds']:.2f} s zonder PDF)")
    print(f"DOCX per kern:              {f['one_core_per_second']:.1f} documenten/s tegen naïef docxtpl "
          f"{f['naive_per_second']:.1f}/s, dezelfde {f['one_core_documents']} documenten op één kern: "
          f"versnelling {f['docx_speedup_per_core']}x")
    _stappen(f"stappen, bouw zonder PDF ({f['docx_build_seconds']:.2f} s):", f["docx_stages"], f["docx_stage_shares"])
    pdf = f["pdf_build_seconds"] is not None
    if pdf:
        print(f"PDF, eind tot eind:         {f['pdf_per_second_end_to_end']:.2f} PDF's/s ({f['pdf_files']} PDF's, "
              f"pakketten meegeteld, in {f['pdf_build_seconds']:.1f} s voor de hele bouw, {kernen} kernen)")
        lo = f["libreoffice_per_second"]
        print(f"  LibreOffice in de bouw:   {lo if lo is not None else '-'} omzettingen/s "
              f"({f['libreoffice_conversions']} omzettingen, voorbladen meegeteld; stap pdf-omzetten)")
        na = f["pdf_postprocessing_share"]
        print(f"  nabewerking:              {na if na is not None else '-'} % van de PDF-stap "
              "(pdf-afwerken + pakketten; doel ≤ 15 %)")
        _stappen(f"stappen, bouw met PDF ({f['pdf_build_seconds']:.1f} s):", f["pdf_stages"], f["pdf_stage_shares"])
    if f["libreoffice_alone_warm"]:
        print(f"LibreOffice alleen:         {f['libreoffice_alone_warm']:.2f}/s warm (batches, {kernen} processen) "
              f"tegen {f['libreoffice_alone_cold']:.2f}/s met één soffice per bestand; "
              f"versnelling {f['libreoffice_alone_speedup']}x")
    _noop(f, "", "zonder PDF")
    if pdf:
        _noop(f, "_pdf", "met PDF")
    print(f"één tarief gewijzigd:       {f['one_tariff_seconds']:.2f} s {'met' if pdf else 'zonder'} PDF, "
          f"{f['one_tariff_documents']} documenten opnieuw gemaakt (doel ≤ 5 min bij 1.000 aanbieders); "
          + ", ".join(f"{n} {s:.1f} s" for n, s in f["one_tariff_stages"].items()))
    print(f"piekgeheugen:               {f['peak_rss_mb']:.0f} MB (grootste kindproces: "
          f"{f['peak_rss_children_mb']:.0f} MB)")
