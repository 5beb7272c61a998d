"""Bounded fuzz run over the loader, the validator and the integrity check (issue 9).

Every case is one file of tests/fixtures/mini, mutated (characters, bytes, lines,
YAML tokens, odd scalars) or replaced by random YAML-like text, and run through the
real stages: `load.load_file`/`load.load_text` → `validate.validate_model` →
`integrity.check_integrity` on the region with that file swapped in → and, when the
data is still valid, `resolve.weergave` and the Word rendering of the package. Each case
must end in valid data or in Dutch `Probleem`s; an exception (or a case slower than
a few seconds) is a bug. Hypothesis shrinks a failing case to a small example.

    python3 benchmarks/fuzz_loader.py                    # 2000 cases, seed 0
    python3 benchmarks/fuzz_loader.py --aantal 10000 --seed 7

Prints the number of cases per outcome and per kind of message; exits 1 on an
unexpected exception or on a message that is not Dutch (an English fallback).
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from contractgen.domein.dataset import Herkomst, RegioData
from contractgen.domein.model import (
    BLOKSOORTEN,
    Aanbieder,
    Document,
    Regio,
    TariefSet,
    Transformatietabel,
)
from contractgen.domein.zoeken import pakket
from contractgen.laden.bestand import load_file, load_text
from contractgen.laden.regio import _ids_in
from contractgen.laden.validatie import validate_model
from contractgen.regels.integriteit import check_integrity
from contractgen.render.docx import Sjablonen, standaard_sjablonen_map
from contractgen.resolve.weergave import weergave

MINI = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "mini"
MAX_SECONDEN = 5  # per case: slower is a hang (an alias bomb, a quadratic loop) and counts as a failure

# Fragments that mean something to YAML, to the templates or to the data model.
TOKENS = [
    ":", ": ", "- ", "-", "? ", "#", "\n", "\n  ", "\t", "  ", "'", '"', "\\", "[", "]", "{", "}", ",",
    "&a ", "*a", "<<: *a", "!!str ", "!!binary ", "!!python/object/apply:os.system ['true']", "!foo ",
    "|", "|-", ">", "%YAML 1.1\n", "---\n", "...\n", "~", "null", "yes", "no", "on", "true", "1e3",
    "0x1F", "0o17", ".inf", "-.nan", "12:30:00", "2018-02-30", "2019-13-01", "2018-01-01", "1.5",
    "00012345678", "[[", "]]", "[[aanbieder.naam]]", "[[looptijd.van|lang]]", "[[ref:overeenkomst:art-2.1]]",
    "[[ref:x]]", "[[var.x]]", "{{ x }}", "{% if %}", "]]>", "<w:t>", "&amp;", "../", "/etc/passwd",
    "\u202e", "\u200f", "\ufeff", "\x85", "\u2028", "😀", "é", "\x00", "\x07", "\x7f", "\ud800",
    "id", "naam", "inhoud", "alinea", "artikel", "leden", "opsomming", "items", "tabel", "rijen",
    "arrangementen", "producten", "tarief", "domeinen", "jeugd", "wmo", "handtekening", "invoegen",
    "pakket", "algemeen", "geldig_van", "geldig_tot", "looptijd", "van", "tot", "kvk",
]

SCALARS = ["", "''", '""', "~", "null", "[]", "{}", "-1", "0", "99999999999999999999", "1.0e400", "16.1",
           "true", "2018-02-30", "2019-13-01", "'2018-01-01'", "2018-12-31", "..", "../../x", "a b",
           "Ja", "NVT", "jeugd", "wmo", "traject", "x" * 300, "*a", "&a x", "!!int x", "!!timestamp x",
           "{a: *a}", "[*a, *a]", "'''", '"\\x"', '"\\u12"', "|\n  regel\n", ">\n  x\n", "? a\n: b"]


@dataclass
class Uitslag:
    gevallen: int = 0
    geldig: int = 0
    met_fouten: int = 0
    soorten: Counter = field(default_factory=Counter)
    onvertaald: dict[str, str] = field(default_factory=dict)  # message -> the case that produced it
    onverwacht: list[str] = field(default_factory=list)  # tracebacks
    seconden: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.onverwacht and not self.onvertaald


def _model(rel: str, tekst: str):
    if rel == "regio.yaml":
        return Regio
    map_ = rel.split("/", 1)[0]
    if map_ == "tarieven":  # as dataset._model_voor decides
        return Transformatietabel if "\nregels:" in "\n" + tekst else TariefSet
    return {"documenten": Document, "aanbieders": Aanbieder}[map_]


BASIS: dict[str, str] = {p.relative_to(MINI).as_posix(): p.read_text(encoding="utf-8")
                         for p in sorted(MINI.rglob("*.yaml"))}


def _laad(rel: str, tekst: str):
    geladen = load_text(tekst, rel)
    obj, problemen = validate_model(geladen, _model(rel, tekst))
    return obj, geladen, geladen.problemen + problemen


_GELADEN_BASIS = {rel: _laad(rel, tekst) for rel, tekst in BASIS.items()}
assert all(obj is not None for obj, _, _ in _GELADEN_BASIS.values()), "the mini fixture itself must be valid"


def _regio(bestanden: dict) -> RegioData | None:
    """RegioData as dataset._load_regio builds it, from already loaded files."""
    regio, geladen, _ = bestanden["regio.yaml"]
    if regio is None:
        return None
    data = RegioData(MINI, regio, bestanden=[MINI / rel for rel in sorted(bestanden)])
    data.herkomst[id(regio)] = Herkomst(geladen.naam, geladen.data)
    for rel, (obj, geladen, _) in sorted(bestanden.items()):
        if rel == "regio.yaml":
            continue
        if obj is None:
            data.onvolledig |= _ids_in(geladen.data)
            continue
        data.herkomst[id(obj)] = Herkomst(geladen.naam, geladen.data)
        lijst = {Document: data.documenten, TariefSet: data.tariefsets,
                 Transformatietabel: data.transformaties, Aanbieder: data.aanbieders}[type(obj)]
        lijst.append(obj)
    return data


_SJABLONEN = Sjablonen(standaard_sjablonen_map())


def controleer(rel: str, inhoud: str | bytes, tmp: Path) -> list:
    """One case through every stage; returns its problems (empty: valid). Raises only on a bug."""
    if isinstance(inhoud, bytes):  # the byte path: reading, size and encoding checks
        pad = tmp / Path(rel).name
        pad.write_bytes(inhoud)
        geladen = load_file(pad, tmp)
        geladen.naam = rel
        tekst = inhoud.decode("utf-8", errors="replace")
        obj, problemen = validate_model(geladen, _model(rel, tekst))
        problemen = geladen.problemen + problemen
    else:
        obj, geladen, problemen = _laad(rel, inhoud)
    bestanden = dict(_GELADEN_BASIS)
    bestanden[rel] = (obj, geladen, problemen)
    data = _regio(bestanden)
    if data is not None:
        problemen = problemen + check_integrity(data)
    if data is not None and not [p for p in problemen if p.ernst == "fout"]:
        peildatum = data.regio.standaard_peildatum
        for aanbieder in data.aanbieders:
            for doc in pakket(data, aanbieder, peildatum):
                w = weergave(data, doc, aanbieder, peildatum)
                if rel.startswith(("aanbieders/", "documenten/")):  # where the text of the case shows
                    _SJABLONEN.get(doc.sjabloon, data.regio.id).render(w.context)
    return problemen


# --- mutations ---------------------------------------------------------------------------

def _pas_toe(tekst: str, operaties: list) -> str:
    for op in operaties:
        soort = op[0]
        regels = tekst.split("\n")
        if soort == "weg":
            _, pos, n = op
            pos %= len(tekst) + 1
            tekst = tekst[:pos] + tekst[pos + n:]
        elif soort == "erbij":
            _, pos, stuk = op
            pos %= len(tekst) + 1
            tekst = tekst[:pos] + stuk + tekst[pos:]
        elif soort == "waarde":  # replace the value after the n-th ': ' by an odd scalar
            _, n, waarde = op
            plekken = [m.end() for m in re.finditer(r": ", tekst)]
            if plekken:
                begin = plekken[n % len(plekken)]
                eind = tekst.find("\n", begin)
                eind = len(tekst) if eind < 0 else eind
                tekst = tekst[:begin] + waarde + tekst[eind:]
        elif soort == "regel":  # duplicate, drop, swap or re-indent a line
            _, actie, i, j = op
            i %= len(regels)
            j %= len(regels)
            if actie == "dubbel":
                regels.insert(i, regels[i])
            elif actie == "weg":
                del regels[i]
            elif actie == "wissel":
                regels[i], regels[j] = regels[j], regels[i]
            else:
                regels[i] = " " * (j % 7) + regels[i].lstrip(" ")
            tekst = "\n".join(regels)
    return tekst


def _paden(data, pad=()):
    """Every path into a loaded YAML tree."""
    yield pad
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paden(v, pad + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paden(v, pad + (i,))


def _bij(data, pad):
    for stap in pad:
        data = data[stap]
    return data


def _boom_mutaties(rel: str, operaties: list) -> str:
    """Structure-aware: change the parsed tree (types, keys, ids), dump it again as valid YAML."""
    data = yaml.safe_load(BASIS[rel])
    for actie, n, waarde in operaties:
        paden = [p for p in _paden(data) if p]
        if actie == "tekst":  # only text leaves: the data stays valid more often and reaches resolve
            paden = [p for p in paden if isinstance(_bij(data, p), str)]
            waarde = str(waarde)
            actie = "zet"
        if not paden:
            break
        pad = paden[n % len(paden)]
        ouder = data
        for stap in pad[:-1]:
            ouder = ouder[stap]
        laatste = pad[-1]
        if actie == "zet":
            ouder[laatste] = waarde
        elif actie == "weg":
            del ouder[laatste]
        elif actie == "hernoem" and isinstance(ouder, dict):
            ouder[str(waarde)[:12] or laatste + "x"] = ouder.pop(laatste)
        elif actie == "kopie":  # the value of another path: duplicate ids, references to real ids
            bron = paden[(n * 7 + 3) % len(paden)]
            v = data
            for stap in bron:
                v = v[stap]
            if bron[:len(pad)] != pad:  # not into itself
                ouder[laatste] = yaml.safe_load(yaml.safe_dump(v))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


def _sleutels(data) -> set[str]:
    if isinstance(data, dict):
        return set(map(str, data)).union(*(_sleutels(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(_sleutels(v) for v in data))
    return set()


def _waarden(data) -> set:
    if isinstance(data, dict):
        return set().union(*(_waarden(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(_waarden(v) for v in data))
    return {data}


_BOMEN = [yaml.safe_load(t) for t in BASIS.values()]
SLEUTELS = sorted(set().union(*map(_sleutels, _BOMEN)) | set(BLOKSOORTEN))
BEKENDE_WAARDEN = sorted(set().union(*map(_waarden, _BOMEN)), key=repr)


def _byte_mutaties(data: bytes, operaties: list) -> bytes:
    b = bytearray(data)
    for pos, waarde in operaties:
        if b:
            b[pos % len(b)] = waarde
        else:
            b.append(waarde)
    return bytes(b)


def gevallen():
    """Hypothesis strategy: (file, str or bytes content)."""
    rel = st.sampled_from(sorted(BASIS))
    stuk = st.one_of(st.sampled_from(TOKENS), st.text(max_size=6), st.characters())
    operatie = st.one_of(
        st.tuples(st.just("weg"), st.integers(0, 10**5), st.integers(1, 40)),
        st.tuples(st.just("erbij"), st.integers(0, 10**5), stuk),
        st.tuples(st.just("waarde"), st.integers(0, 200), st.sampled_from(SCALARS) | st.text(max_size=12)),
        st.tuples(st.just("regel"), st.sampled_from(["dubbel", "weg", "wissel", "inspring"]),
                  st.integers(0, 200), st.integers(0, 200)),
    )
    gemuteerd = st.builds(lambda r, ops: (r, _pas_toe(BASIS[r], ops)), rel, st.lists(operatie, min_size=1, max_size=6))
    bytes_ = st.builds(lambda r, ops: (r, _byte_mutaties(BASIS[r].encode("utf-8"), ops)), rel,
                       st.lists(st.tuples(st.integers(0, 10**5), st.integers(0, 255)), min_size=1, max_size=4))
    yamlachtig = st.text(alphabet=st.sampled_from(list("abc:-[]{},'\"#&*!|>?%@` \n\t0123456789.~")) | st.characters(),
                         max_size=300)
    willekeurig = st.builds(lambda r, t: (r, t), rel, yamlachtig)
    blad = (st.none() | st.booleans() | st.integers(-10, 10**12) | st.floats() | st.text(max_size=15)
            | st.dates(date(1, 1, 1), date(9999, 12, 31)) | st.sampled_from(BEKENDE_WAARDEN)
            | st.sampled_from(SCALARS + TOKENS))
    waarde = st.recursive(blad, lambda kind: st.lists(kind, max_size=3)
                          | st.dictionaries(st.sampled_from(SLEUTELS) | st.text(max_size=8), kind, max_size=3),
                          max_leaves=8)
    boom_op = st.tuples(st.sampled_from(["zet", "zet", "weg", "hernoem", "kopie", "tekst", "tekst"]),
                        st.integers(0, 10**4), waarde)
    boom = st.builds(lambda r, ops: (r, _boom_mutaties(r, ops)), rel, st.lists(boom_op, min_size=1, max_size=4))
    vreemde_tekst = st.lists(stuk, max_size=8).map("".join)
    tekst_op = st.tuples(st.just("tekst"), st.integers(0, 10**4), vreemde_tekst)
    mild = st.builds(lambda r, ops: (r, _boom_mutaties(r, ops)), rel, st.lists(tekst_op, min_size=1, max_size=3))
    return st.one_of(mild, boom, gemuteerd, bytes_, willekeurig)


# --- messages ----------------------------------------------------------------------------

# English words that never occur in the Dutch messages; PyYAML's own words in "(PyYAML: ...)" after a
# Dutch lead are allowed (rare YAML constructs: directives, !!omap)
ENGELS = re.compile(r"\b(the|not|found|expected|while|could|should|input|value|valid|cannot|"
                    r"unexpected|allowed|special|character|must|unable|error)\b", re.I)


def soort(bericht: str) -> str:
    """The kind of a message: quoted data, numbers and the part after '; ' left out."""
    kern = re.sub(r"'[^'\n]*'(?=[\s;,.:)?]|$)", "…", bericht)
    kern = re.sub(r"U\+[0-9A-F]+|0x[0-9a-f]+|\d+(\.\d+)?", "…", kern)
    kern = kern.split("; ", 1)[0]
    kern, knip, _ = kern.partition("'")
    return kern.strip() + (" …" if knip else "")


def onvertaald(bericht: str) -> bool:
    """A message that fell back to English (pydantic's or PyYAML's own text)."""
    zonder_data = re.sub(r"'[^']*'|\"[^\"]*\"|\(PyYAML: .*\)$", "", bericht)
    return bool(ENGELS.search(zonder_data))


def _wekker(signum, frame):
    raise TimeoutError(f"geval duurde langer dan {MAX_SECONDEN} s")


def fuzz(aantal: int = 2000, zaad: int = 0) -> Uitslag:
    uitslag = Uitslag()
    fout_gezien = False
    start = time.perf_counter()
    wekker = hasattr(signal, "SIGALRM")
    with tempfile.TemporaryDirectory(prefix="contractgen-fuzz-") as tmp:

        @seed(zaad)
        @settings(max_examples=aantal, deadline=None, database=None, print_blob=True,
                  phases=[Phase.explicit, Phase.generate, Phase.shrink],
                  suppress_health_check=list(HealthCheck))
        @given(geval=gevallen())
        def een(geval):
            nonlocal fout_gezien
            rel, inhoud = geval
            if wekker:
                signal.alarm(MAX_SECONDEN)
            try:
                problemen = controleer(rel, inhoud, Path(tmp))
            except BaseException:
                fout_gezien = True
                raise
            finally:
                if wekker:
                    signal.alarm(0)
            if fout_gezien:
                return  # shrinking a failure: do not count
            uitslag.gevallen += 1
            fouten = [p for p in problemen if p.ernst == "fout"]
            if fouten:
                uitslag.met_fouten += 1
            else:
                uitslag.geldig += 1
            for s in {soort(p.bericht) for p in problemen}:
                uitslag.soorten[s] += 1
            for p in problemen:
                if onvertaald(p.bericht):
                    uitslag.onvertaald.setdefault(p.bericht, f"{rel}: {inhoud[:300]!r}")

        oude = signal.signal(signal.SIGALRM, _wekker) if wekker else None
        try:
            een()
        except Exception as exc:  # noqa: BLE001 - the finding of the run, shrunk by hypothesis
            uitslag.onverwacht.append("".join(traceback.format_exception(exc)))
        finally:
            if wekker:
                signal.signal(signal.SIGALRM, oude)
    uitslag.seconden = time.perf_counter() - start
    return uitslag


def verslag(uitslag: Uitslag, zaad: int) -> str:
    regels = [
        f"fuzz: {uitslag.gevallen} gevallen in {uitslag.seconden:.1f} s (seed {zaad})",
        f"  geldig:                     {uitslag.geldig}",
        f"  met fouten (nette melding): {uitslag.met_fouten}",
        f"  onverwachte uitzondering:   {len(uitslag.onverwacht)}",
        f"  Engelse meldingen:          {len(uitslag.onvertaald)}",
        "soorten meldingen (aantal gevallen):",
    ]
    regels += [f"  {n:6d}  {s}" for s, n in uitslag.soorten.most_common()]
    for bericht, geval in uitslag.onvertaald.items():
        regels.append(f"ENGELS: {bericht}\n   bij {geval}")
    regels += uitslag.onverwacht
    return "\n".join(regels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--aantal", type=int, default=2000, help="aantal gevallen (standaard 2000)")
    parser.add_argument("--seed", type=int, default=0, help="startwaarde van de toevalsgenerator")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(errors="backslashreplace")  # cases may hold lone surrogates ("\ud800" escapes)
    uitslag = fuzz(args.aantal, args.seed)
    print(verslag(uitslag, args.seed))
    return 0 if uitslag.ok else 1


if __name__ == "__main__":
    sys.exit(main())
