"""A short, bounded fuzz run (issue 9): ~200 mutated mini files through load → validate → integrity →
resolve → render must end in valid data or Dutch messages; no exception, no English fallback.

The full run is `python3 benchmarks/fuzz_loader.py` (2000 cases, prints the figures per kind of message).
"""

from __future__ import annotations

import sys
import time

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import fuzz_loader  # noqa: E402


def test_short_fuzz_run_finds_only_clear_errors():
    start = time.perf_counter()
    uitslag = fuzz_loader.fuzz(aantal=200, zaad=20260)
    verslag = fuzz_loader.verslag(uitslag, 20260)
    assert not uitslag.onverwacht, verslag
    assert not uitslag.onvertaald, verslag
    assert uitslag.gevallen >= 190, verslag  # hypothesis ran (nearly) every case
    assert uitslag.geldig > 0 and uitslag.met_fouten > 0, verslag  # both paths were exercised
    assert time.perf_counter() - start < 20, verslag


def test_message_classification():
    assert fuzz_loader.onvertaald("Input should be a valid string")
    assert fuzz_loader.onvertaald("YAML-syntaxfout: while scanning a simple key")
    assert not fuzz_loader.onvertaald("het bestand is leeg; verwacht een YAML-mapping")
    assert not fuzz_loader.onvertaald("onbekend veld 'found the value'; bedoelde u 'naam'?")  # quoted data
    assert not fuzz_loader.onvertaald("YAML-syntaxfout: onverwachte opbouw (PyYAML: expected a sequence)")
    assert fuzz_loader.soort("onbekend veld 'nam'; bedoelde u 'naam'?") == "onbekend veld …"
    assert fuzz_loader.soort("dubbele sleutel 'a' (eerder op regel 3); x") == "dubbele sleutel … (eerder op regel …)"
