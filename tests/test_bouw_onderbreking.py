"""Issue 15: builds that survive signals, crashes and concurrency with nothing lost or stale.

Fault injection: `CONTRACTGEN_FOUTINJECTIE=<stap>:<SIGNAAL>` makes a real build process send
itself the signal at that step (basis/foutinjectie.py). After every kill the next command must
see the complete previous or the complete new output (each folder byte-complete against its
manifest), no temp folders, and the next build must be correct. Concurrency: two builds at once,
and a build plus `overzicht`. SIGSTOP (also through the hook) freezes a build at a chosen step.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINI, ROOT

from contractgen.cli import main
from contractgen.uitvoer import manifest

ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
STAPPEN_WISSEL = ["wissel-begin", "wissel-oud-0", "wissel-oud-1", "wissel-nieuw-0", "wissel-nieuw-1",
                  "wissel-commit", "wissel-opruimen"]
RENDER = "render-mini/2018/voorbeeld/02-prijsbijlage.docx"


def zichtbaar(map_: Path) -> dict[str, str]:
    """Every file a user sees in an output folder (hidden state like .cache left out), with its hash."""
    return {p.relative_to(map_).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(map_.rglob("*"))
            if p.is_file() and not any(d.startswith(".") for d in p.relative_to(map_).parts)}


def resten(map_: Path) -> list[str]:
    """Temp folders, moved-aside folders and a swap journal: what a finished state must not have."""
    verborgen = [p.relative_to(map_).as_posix() for p in map_.rglob(".*")
                 if p.name != ".cache" and ".cache" not in p.relative_to(map_).parts]
    return sorted(verborgen + [p.name for p in (map_ / ".cache").glob("wissel-journaal*")])


def heel(uit: Path) -> None:
    """Every output folder is byte-complete against its own manifest."""
    for m in uit.rglob("manifest.json"):
        assert manifest.beschadigd(m.parent) == [], m.parent


def _documentstatus(overzicht: str) -> str:
    """The 'Documenten' column of aanbieder 1 in the text of `overzicht`."""
    kop = next(r for r in overzicht.splitlines() if r.startswith("#  Aanbieder"))
    regel = next(r for r in overzicht.splitlines() if r.startswith("1  voorbeeld"))
    begin = kop.index("Documenten")
    return regel[begin:].split("  ")[0].strip()


def _bouw(runner, data: Path, uit: Path, *extra: str):
    return runner.invoke(main, ["build", str(data), "--uitvoer", str(uit), "--geen-pdf", *extra])


@pytest.fixture(scope="module")
def generaties(tmp_path_factory):
    """Old data with its output, the changed data, and the output a clean build of the changed data gives."""
    from click.testing import CliRunner

    tmp = tmp_path_factory.mktemp("generaties")
    oud, nieuw = tmp / "oud" / "mini", tmp / "nieuw" / "mini"
    shutil.copytree(MINI, oud)
    shutil.copytree(MINI, nieuw)
    pad = nieuw / "documenten" / "overeenkomst.yaml"
    tekst = pad.read_text(encoding="utf-8")
    assert "Partijen komen" in tekst
    pad.write_text(tekst.replace("Partijen komen", "Partijen kwamen"), encoding="utf-8")  # both folders change
    runner = CliRunner()
    assert _bouw(runner, oud, tmp / "uit-oud").exit_code == 0
    assert _bouw(runner, nieuw, tmp / "uit-nieuw").exit_code == 0
    voor, na = zichtbaar(tmp / "uit-oud"), zichtbaar(tmp / "uit-nieuw")
    assert voor != na and set(voor) == set(na)
    return tmp / "uit-oud", nieuw, voor, na


def _start(data: Path, uit: Path, injectie: str | None = None, *extra: str, env: dict | None = None):
    omgeving = dict(env or ENV)
    if injectie:
        omgeving["CONTRACTGEN_FOUTINJECTIE"] = injectie
    return subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "contractgen", "build", str(data),
                             "--uitvoer", str(uit), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=omgeving)


def _gestopt(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("T")
    except OSError:
        return False


def _wacht_tot_gestopt(proces) -> None:
    for _ in range(3000):
        if _gestopt(proces.pid):
            return
        assert proces.poll() is None, proces.communicate()
        time.sleep(0.01)
    pytest.fail("the build never reached the step")


# --- 1. a signal at every step of the swap and in rendering -----------------------------------------

# (step, signal) → which generation the next command sees. SIGINT/SIGTERM wait for the few renames of a
# swap that has begun, so the swap completes; SIGKILL cannot wait: the journal undoes the swap
# (before its commit point) or finishes it (after).
GEVALLEN = [(stap, sein) for stap in STAPPEN_WISSEL + [RENDER] for sein in ("SIGKILL", "SIGTERM", "SIGINT")]


def _verwacht(stap: str, sein: str) -> str:
    if stap in (RENDER, "wissel-begin"):
        return "voor"
    if sein == "SIGKILL":
        return "na" if stap == "wissel-opruimen" else "voor"
    return "na"


@pytest.mark.parametrize("stap,sein", GEVALLEN, ids=[f"{s}-{g}" for s, g in GEVALLEN])
def test_signal_at_every_step_leaves_one_whole_generation(runner, generaties, tmp_path, stap, sein):
    bron, nieuw, voor, na = generaties
    uit = tmp_path / "uit"
    shutil.copytree(bron, uit)
    proces = _start(nieuw, uit, f"{stap}:{sein}", "--geen-pdf")
    stdout, stderr = proces.communicate(timeout=60)
    if sein == "SIGKILL":
        assert proces.returncode == -signal.SIGKILL
    else:
        assert proces.returncode == 1, stdout + stderr
        assert stderr.strip().splitlines()[-1] == "Afgebroken."
        assert "Traceback" not in stderr
    # the next command, here a reader, repairs what a killed build left and sees one generation
    lezer = runner.invoke(main, ["overzicht", str(nieuw), "--uitvoer", str(uit)])
    assert lezer.exit_code == 0, lezer.output
    assert zichtbaar(uit) == {"voor": voor, "na": na}[_verwacht(stap, sein)]
    heel(uit)
    assert resten(uit) == []
    # and the next build is correct
    assert _bouw(runner, nieuw, uit).exit_code == 0
    assert zichtbaar(uit) == na
    heel(uit)
    assert resten(uit) == []


def test_a_killed_swap_is_repaired_by_the_next_build_too(runner, generaties, tmp_path):
    bron, nieuw, voor, na = generaties
    uit = tmp_path / "uit"
    shutil.copytree(bron, uit)
    proces = _start(nieuw, uit, "wissel-nieuw-1:SIGKILL", "--geen-pdf")
    proces.communicate(timeout=60)
    # what the kill left: the first folder new, the second moved aside, a journal
    assert not (uit / "mini/2018/voorbeeld").exists()
    assert (uit / ".cache/wissel-journaal.json").exists()
    # a build of the *old* data (e.g. a colleague reverting) must start from the previous generation
    result = _bouw(runner, bron.parent / "oud" / "mini", uit)
    assert result.exit_code == 0, result.output
    assert zichtbaar(uit) == voor
    assert "0 documenten opnieuw gemaakt" in result.output
    assert resten(uit) == []


# --- 2. concurrency -----------------------------------------------------------------------------

def test_second_build_into_the_same_folder_is_refused_naming_the_first(runner, generaties, tmp_path):
    bron, nieuw, voor, na = generaties
    uit = tmp_path / "uit"
    shutil.copytree(bron, uit)
    eerste = _start(nieuw, uit, f"{RENDER}:SIGSTOP", "--geen-pdf")
    try:
        _wacht_tot_gestopt(eerste)
        tweede = _bouw(runner, nieuw, uit)
        assert tweede.exit_code == 1
        melding = tweede.output.strip().splitlines()
        assert melding[0].startswith(f"fout: de uitvoermap '{uit}' wordt al gebouwd door proces {eerste.pid} van ")
        assert melding[0].endswith("; wacht tot die bouw klaar is en probeer het dan opnieuw (één bouw per "
                                   "uitvoermap tegelijk)")
        assert zichtbaar(uit) == voor  # the refused build touched nothing
    finally:
        os.kill(eerste.pid, signal.SIGCONT)
    assert eerste.wait(timeout=60) == 0
    assert zichtbaar(uit) == na
    assert resten(uit) == []


def test_two_builds_started_together_end_in_one_whole_generation(generaties, tmp_path):
    bron, nieuw, voor, na = generaties
    uit = tmp_path / "uit"
    shutil.copytree(bron, uit)
    processen = [_start(nieuw, uit, None, "--geen-pdf") for _ in range(2)]
    uitkomsten = [(p.wait(timeout=120), p.stderr.read()) for p in processen]
    for p in processen:
        p.stdout.close()
        p.stderr.close()
    codes = sorted(code for code, _ in uitkomsten)
    assert codes in ([0, 0], [0, 1])  # one after the other, or the second refused while the first ran
    for code, stderr in uitkomsten:
        if code == 1:
            assert "wordt al gebouwd door proces" in stderr
    assert zichtbaar(uit) == na
    heel(uit)
    assert resten(uit) == []


def test_overzicht_during_a_swap_waits_and_sees_the_new_generation(generaties, tmp_path):
    bron, nieuw, voor, na = generaties
    uit = tmp_path / "uit"
    shutil.copytree(bron, uit)
    bouw = _start(nieuw, uit, "wissel-nieuw-1:SIGSTOP", "--geen-pdf")
    try:
        _wacht_tot_gestopt(bouw)
        assert not (uit / "mini/2018/voorbeeld").exists()  # frozen halfway: this folder is moved aside
        lezer = subprocess.Popen([sys.executable, "-m", "contractgen", "overzicht", str(nieuw), "--uitvoer", str(uit)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
        time.sleep(3)
        assert lezer.poll() is None  # waits for the swap instead of reading half of it
    finally:
        os.kill(bouw.pid, signal.SIGCONT)
    assert bouw.wait(timeout=60) == 0
    stdout, stderr = lezer.communicate(timeout=60)
    assert lezer.returncode == 0, stderr
    assert _documentstatus(stdout) == "actueel"  # not "niet gebouwd" (the folder between its two versions)
    bouw.stdout.close()
    bouw.stderr.close()


# --- 3. a rebuild verifies what is on disk -----------------------------------------------------------

def test_damaged_or_deleted_files_are_made_again_and_reported(runner, generaties, tmp_path):
    bron, nieuw, voor, na = generaties
    uit = tmp_path / "uit"
    shutil.copytree(bron, uit)
    (uit / "mini/2018/voorbeeld/02-prijsbijlage.docx").write_bytes(b"overschreven")
    (uit / "mini/2018/algemeen/overeenkomst.docx").unlink()
    result = _bouw(runner, bron.parent / "oud" / "mini", uit)  # the same data: only the damage differs
    assert result.exit_code == 0, result.output
    regels = result.output.splitlines()
    assert f"{uit}/mini/2018/algemeen/overeenkomst.docx: beschadigd (anders dan in manifest.json of ontbreekt), " \
           "opnieuw gemaakt" in regels
    assert f"{uit}/mini/2018/voorbeeld/02-prijsbijlage.docx: beschadigd (anders dan in manifest.json of ontbreekt), " \
           "opnieuw gemaakt" in regels
    assert "(2 documenten opnieuw gemaakt, 0 mappen ongewijzigd)" in regels[-1]
    assert zichtbaar(uit) == voor
    # and now nothing is left to repair
    assert "(0 documenten opnieuw gemaakt, 2 mappen ongewijzigd)" in _bouw(runner, bron.parent / "oud" / "mini",
                                                                           uit).output


def test_a_noop_build_reads_no_file_yet_sees_one_changed_behind_its_back(runner, generaties, tmp_path, monkeypatch):
    """A no-op trusts a file whose inode, size, mtime and ctime are as recorded (1,000 aanbieders: 2.6 GB
    not read); a same-size change with its mtime set back still changes ctime, so it is found."""
    bron, nieuw, voor, na = generaties
    data = bron.parent / "oud" / "mini"
    uit = tmp_path / "uit"
    assert _bouw(runner, data, uit).exit_code == 0
    gelezen: list[Path] = []
    origineel = manifest.sha256_bestand
    monkeypatch.setattr(manifest, "sha256_bestand", lambda pad: (gelezen.append(pad), origineel(pad))[1])
    result = _bouw(runner, data, uit)
    assert "(0 documenten opnieuw gemaakt, 2 mappen ongewijzigd)" in result.output and gelezen == []
    doel = uit / "mini/2018/voorbeeld/02-prijsbijlage.docx"
    st = doel.stat()
    inhoud = bytearray(doel.read_bytes())
    inhoud[-30] ^= 0xFF  # same size
    doel.write_bytes(bytes(inhoud))
    os.utime(doel, ns=(st.st_atime_ns, st.st_mtime_ns))  # mtime as it was
    assert doel.stat().st_size == st.st_size and doel.stat().st_mtime_ns == st.st_mtime_ns
    result = _bouw(runner, data, uit)
    assert f"{doel}: beschadigd (anders dan in manifest.json of ontbreekt), opnieuw gemaakt" in result.output
    assert gelezen == [doel] or doel in gelezen


def test_a_damaged_file_is_not_carried_into_the_next_generation(runner, generaties, tmp_path):
    """An unrelated change rebuilds the folder; the damaged file with an unchanged key used to be copied
    into it with its hash in manifest.json, so `overzicht` called it 'actueel'."""
    bron, nieuw, voor, na = generaties
    uit = tmp_path / "uit"
    shutil.copytree(bron, uit)
    (uit / "mini/2018/voorbeeld/02-prijsbijlage.docx").write_bytes(b"overschreven")
    result = _bouw(runner, nieuw, uit)
    assert result.exit_code == 0, result.output
    assert "02-prijsbijlage.docx: beschadigd" in result.output
    assert zichtbaar(uit) == na
    overzicht = runner.invoke(main, ["overzicht", str(nieuw), "--uitvoer", str(uit)])
    assert _documentstatus(overzicht.output) == "actueel"


# --- 4. LibreOffice never outlives contractgen ---------------------------------------------------------

def _nep_soffice(tmp_path: Path, gedrag: str) -> tuple[dict, Path]:
    """An environment whose PATH starts with a fake `soffice` that logs its pid, then behaves as told."""
    map_ = tmp_path / "nep-bin"
    map_.mkdir()
    log = tmp_path / "soffice.log"
    script = map_ / "soffice"
    script.write_text(f'#!/bin/sh\necho $$ >> "{log}"\n{gedrag}\n', encoding="utf-8")
    script.chmod(0o755)
    tmp = tmp_path / "tmp"  # a private TMPDIR: the temp profiles of this build only
    tmp.mkdir()
    return dict(ENV, PATH=f"{map_}{os.pathsep}{os.environ['PATH']}", TMPDIR=str(tmp)), log


def _processen_van(eigenaar: int) -> list[int]:
    """Live (not zombie) processes marked as LibreOffice of contractgen process `eigenaar`."""
    gevonden = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            if f"CONTRACTGEN_EIGENAAR={eigenaar}".encode() in (p / "environ").read_bytes().split(b"\0") \
                    and not (p / "stat").read_text().split(") ", 1)[1].startswith("Z"):
                gevonden.append(int(p.name))
        except OSError:
            continue
    return gevonden


def _wacht_op_soffice(proces, log: Path) -> None:
    for _ in range(3000):
        if log.exists() and _processen_van(proces.pid):
            return
        assert proces.poll() is None, proces.communicate()
        time.sleep(0.01)
    pytest.fail("LibreOffice never started")


def _leeg_binnen(eigenaar: int, seconden: float) -> bool:
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        if not _processen_van(eigenaar):
            return True
        time.sleep(0.05)
    return False


pytestmark_linux = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")


@pytestmark_linux
@pytest.mark.parametrize("sein", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "ctrl-c"])
def test_signal_while_libreoffice_hangs_stops_within_seconds_and_kills_it(generaties, tmp_path, sein):
    bron, nieuw, voor, na = generaties
    uit = tmp_path / "uit"
    shutil.copytree(bron, uit)
    env, log = _nep_soffice(tmp_path, "exec sleep 600")
    proces = _start(nieuw, uit, None, env=env)
    _wacht_op_soffice(proces, log)
    begin = time.monotonic()
    proces.send_signal(sein)
    try:
        stdout, stderr = proces.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proces.send_signal(signal.SIGABRT)  # faulthandler prints where every thread hangs
        pytest.fail("the build hangs after the signal:\n" + proces.communicate()[1])
    assert time.monotonic() - begin < 5  # not the conversion time-out
    assert proces.returncode == 1 and stderr.strip().splitlines()[-1] == "Afgebroken.", stderr
    assert _leeg_binnen(proces.pid, 2), "LibreOffice outlived contractgen"
    assert list((tmp_path / "tmp").iterdir()) == []  # temp profiles removed
    assert zichtbaar(uit) == voor
    assert resten(uit) == []


@pytestmark_linux
def test_libreoffice_of_a_killed_build_dies_with_it_and_the_next_build_cleans_up(runner, generaties, tmp_path,
                                                                              monkeypatch):
    bron, nieuw, voor, na = generaties
    uit = tmp_path / "uit"
    shutil.copytree(bron, uit)
    env, log = _nep_soffice(tmp_path, "exec sleep 600")
    proces = _start(nieuw, uit, None, env=env)
    _wacht_op_soffice(proces, log)
    proces.kill()  # SIGKILL: no handler runs
    proces.communicate(timeout=30)
    # the kernel's death signal (setpriv --pdeathsig) stops it; it used to run on until the next build
    assert _leeg_binnen(proces.pid, 2), "LibreOffice outlived contractgen"
    assert list((tmp_path / "tmp").glob(f"contractgen-lo-{proces.pid}-*"))  # its temp profile is left ...
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    result = _bouw(runner, nieuw, uit)
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "tmp").iterdir()) == []  # ... and removed by the next build
    assert zichtbaar(uit) == na
    assert resten(uit) == []


def _soffice_bin_van(eigenaar: int) -> list[int]:
    """Running soffice.bin processes (the real LibreOffice, not its start script) of contractgen `eigenaar`."""
    return [pid for pid in _processen_van(eigenaar) if os.path.realpath(f"/proc/{pid}/exe").endswith("soffice.bin")]


@pytestmark_linux
def test_sigkill_during_a_real_conversion_leaves_no_soffice_bin(generaties_pdf, tmp_path):
    """Issue 24: the death signal reached the `soffice` script, not soffice.bin, which ran on (two of them)."""
    bron, nieuw, voor, na = generaties_pdf
    uit = tmp_path / "uit"
    shutil.copytree(bron, uit)
    shutil.rmtree(uit / ".cache")  # so that LibreOffice really runs
    proces = _start(nieuw, uit, None)
    for _ in range(6000):
        if _soffice_bin_van(proces.pid):
            break
        assert proces.poll() is None, proces.communicate()
        time.sleep(0.01)
    else:
        pytest.fail("soffice.bin never started")
    proces.kill()
    proces.communicate(timeout=30)
    assert _leeg_binnen(proces.pid, 2), f"LibreOffice outlived contractgen: {_processen_van(proces.pid)}"


# --- 5. a bad conversion is never cached ---------------------------------------------------------------

LEGE_PDF = '''#!{python}
import sys
from pathlib import Path
from pypdf import PdfWriter
args = sys.argv[1:]
uit = Path(args[args.index("--outdir") + 1])
for docx in (a for a in args if a.endswith(".docx")):
    w = PdfWriter()
    w.add_blank_page(595, 842)  # one blank A4 page: a valid PDF without the document's text
    with open(uit / (Path(docx).stem + ".pdf"), "wb") as f:
        w.write(f)
'''


def test_a_blank_conversion_is_refused_and_never_cached(runner, tmp_path, monkeypatch):
    map_ = tmp_path / "nep-bin"
    map_.mkdir()
    (map_ / "soffice").write_text(LEGE_PDF.format(python=sys.executable), encoding="utf-8")
    (map_ / "soffice").chmod(0o755)
    uit = tmp_path / "uit"
    monkeypatch.setenv("PATH", f"{map_}{os.pathsep}{os.environ['PATH']}")
    result = runner.invoke(main, ["build", str(MINI), "--uitvoer", str(uit)])
    assert result.exit_code == 1
    melding = next(r for r in result.output.splitlines() if r.startswith("fout:"))
    assert melding.startswith("fout: LibreOffice kon deze documenten niet omzetten naar PDF (ook niet opnieuw in "
                              "een batch en daarna apart): ")
    assert ("mini/2018/voorbeeld/02-prijsbijlage.docx (de PDF bevat de tekst van het document niet (lege of "
            "verkeerde pagina's))") in melding
    assert not list(uit.glob(".cache/**/*.pdf"))  # nothing cached
    assert zichtbaar(uit) == {}
    monkeypatch.undo()  # the real LibreOffice
    result = runner.invoke(main, ["build", str(MINI), "--uitvoer", str(uit)])
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    tekst = PdfReader(str(uit / "mini/2018/voorbeeld/02-prijsbijlage.pdf")).pages[0].extract_text()
    assert "Naam opdrachtnemer" in tekst
    # a damaged PDF, and a damaged package, are made again from the (checked) cache
    goed = zichtbaar(uit)
    (uit / "mini/2018/voorbeeld/02-prijsbijlage.pdf").write_bytes(b"%PDF-1.7 kapot")
    (uit / "mini/2018/voorbeeld/contractpakket.pdf").unlink()
    result = runner.invoke(main, ["build", str(MINI), "--uitvoer", str(uit)])
    assert result.exit_code == 0, result.output
    assert f"{uit}/mini/2018/voorbeeld/02-prijsbijlage.docx: beschadigd" in result.output
    assert f"{uit}/mini/2018/voorbeeld/contractpakket.pdf: beschadigd" in result.output
    assert zichtbaar(uit) == goed


def test_converter_time_out_scales_with_the_documents(tmp_path):
    from contractgen.uitvoer.libreoffice import tijdslimiet

    klein, groot = tmp_path / "klein.docx", tmp_path / "groot.docx"
    klein.write_bytes(b"x" * 20_000)
    groot.write_bytes(b"x" * 2_000_000)
    assert tijdslimiet([klein]) < 30  # was a fixed 60 s per document
    assert tijdslimiet([groot]) > tijdslimiet([klein]) + 60
    assert tijdslimiet([klein] * 5) < 5 * tijdslimiet([klein])  # one start-up per batch, not per document


# --- 6. bounded rendering ------------------------------------------------------------------------------

@pytest.mark.parametrize("lus,budget,verwacht", [
    ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
     ("RENDER_SECONDEN", 1.0), "duurt langer dan 1 s en is gestopt"),
    ("{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}",
     ("RENDER_TEKENS", 2_000_000), "wordt groter dan 2 miljoen tekens en is gestopt"),
], ids=["tijd", "omvang"])
def test_template_with_nested_loops_is_stopped_naming_template_and_place(runner, tmp_path, monkeypatch, lus, budget,
                                                                          verwacht):
    from test_robuustheid import _sjabloon

    import contractgen.render.docx as render_docx

    monkeypatch.setattr(render_docx, *budget)
    sjablonen = _sjabloon(tmp_path / "sjablonen", lus)
    begin = time.monotonic()
    result = runner.invoke(main, ["build", str(MINI), "--uitvoer", str(tmp_path / "uit"), "--geen-pdf",
                                  "--sjablonen", str(sjablonen)])
    assert time.monotonic() - begin < 20
    assert result.exit_code == 1
    melding = result.output.strip().splitlines()[-1]
    assert melding.startswith(f"sjabloonfout: {sjablonen / 'document.docx'} (word/document.xml): bij '")
    assert "{% for b in range(100000) %}" in melding  # the place: the template text around it
    assert f"het invullen voor mini/2018/algemeen/overeenkomst.docx {verwacht}" in melding
    assert "Traceback" not in result.output
    assert not (tmp_path / "uit").exists() or zichtbaar(tmp_path / "uit") == {}


# --- 7. messages are safe to print; ids cannot collide with the layout -----------------------------------

def _aanbieder(mini: Path, bestand: str, **velden) -> None:
    tekst = (mini / "aanbieders" / "voorbeeld.yaml").read_text(encoding="utf-8")
    for sleutel, waarde in velden.items():
        regel = next(r for r in tekst.splitlines() if r.startswith(f"{sleutel}:"))
        tekst = tekst.replace(regel, f"{sleutel}: {waarde}")
    (mini / "aanbieders" / bestand).write_text(tekst, encoding="utf-8")


def test_control_and_bidi_characters_in_values_are_escaped_in_messages(runner, mini):
    _aanbieder(mini, "voorbeeld.yaml", arrangementen='["jeugd\\u202e\\r\\x1b[2Kweg"]')
    result = runner.invoke(main, ["validate", str(mini)])
    assert result.exit_code == 1
    regels = result.output.splitlines()
    assert any(r.endswith("arrangementen.0: ongeldig id 'jeugd\\u202e\\r\\x1b[2Kweg'; verwacht kleine letters, "
                          "cijfers, '-', '.' of '_' (geen spaties, '/' of '..')") for r in regels), regels
    # and the control character is refused at load by name (issue 29), itself escaped in the message
    assert any("teken \\r (U+000D, een losse regelterugloop (CR)) in de tekst na “jeugd\\u202e”" in r
               for r in regels), regels
    assert not any(c in result.output for c in "\u202e\r\x1b")


@pytest.mark.parametrize("id_,reden", [
    ("con", "gereserveerde naam"), ("nul", "gereserveerde naam"), ("aux", "gereserveerde naam"),
    ("lpt1.docx", "gereserveerde naam"), ("com9", "gereserveerde naam"), ("zorg.", "gereserveerde naam"),
    ("algemeen", "'algemeen' is de map met de documenten voor de hele regio"),
])
def test_ids_that_collide_with_file_systems_or_the_layout_are_refused(runner, mini, tmp_path, id_, reden):
    _aanbieder(mini, "voorbeeld.yaml", id=id_)
    result = runner.invoke(main, ["build", str(mini), "--uitvoer", str(tmp_path / "uit"), "--geen-pdf"])
    assert result.exit_code == 1
    assert f"aanbieders/voorbeeld.yaml:1:1: id: ongeldig id '{id_}': {reden}" in result.output
    assert not (tmp_path / "uit").exists() or zichtbaar(tmp_path / "uit") == {}


@pytest.mark.parametrize("tarief", ["-5", "0x10", "1:30"])
def test_unquoted_tariff_that_yaml_would_turn_into_another_number_is_refused(runner, mini, tarief):
    """Unquoted -5, 0x10 and 1:30 were € -5, € 16 and € 90; the quoted "-5" was already refused."""
    pad = mini / "tarieven" / "jeugd-2018.yaml"
    pad.write_text(pad.read_text(encoding="utf-8").replace('tarief: "2100"', f"tarief: {tarief}"), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(mini)])
    assert result.exit_code == 1
    assert (f"arrangementen.0.producten.0.tarief: ongeldig bedrag '{tarief}'; verwacht bijv. '2100' of '16.50' "
            "(punt als decimaalteken, zonder € en zonder duizendtalpunt)") in result.output


@pytest.mark.parametrize("naar", ["../../../buiten", "/tmp/buiten", "sub/set", "con", "Hoofdletters"])
def test_indexeer_naar_cannot_write_outside_the_data_folder(runner, mini, tmp_path, naar):
    voor = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    result = runner.invoke(main, ["tarieven", "indexeer", "jeugd-2018", "--regio", str(mini), "--percentage", "3",
                                  "--naar", naar])
    assert result.exit_code == 1
    assert f"--naar: ongeldig id '{naar}'" in result.output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == voor
    assert not Path("/tmp/buiten.yaml").exists()


@pytest.mark.parametrize("percentage", ["NaN", "Infinity", "-inf", "-200", "1e6", "sNaN"])
def test_indexeer_percentage_must_be_finite_and_in_range(runner, mini, percentage):
    result = runner.invoke(main, ["tarieven", "indexeer", "jeugd-2018", "--regio", str(mini), "--percentage",
                                  percentage])
    assert result.exit_code == 2  # a usage error, like any other bad option value
    assert "Traceback" not in result.output and "Decimal(" not in result.output
    assert f"Fout: Ongeldige waarde voor --percentage: '{percentage}' ligt niet tussen -50 en 100; verwacht bijv. 3,6" \
           in result.output
    assert sorted(p.name for p in (mini / "tarieven").iterdir()) == ["jeugd-2018.yaml"]


# --- 8. hostile spreadsheets: limits checked before memory is spent ------------------------------------

def _xlsx(pad: Path, rijen: list[list], dimensie: str | None = None, opvulling: int = 0, extra: str = "") -> Path:
    """A real xlsx (openpyxl); optionally a declared dimension, `opvulling` MB of whitespace in the sheet and
    `extra` sheet XML after the rows (openpyxl itself would cut a long cell to 32767 characters)."""
    import zipfile

    from openpyxl import Workbook

    boek = Workbook()
    for rij in rijen:
        boek.active.append(rij)
    boek.save(pad)
    if dimensie or opvulling or extra:
        kopie = pad.with_suffix(".tmp")
        with zipfile.ZipFile(pad) as zin, zipfile.ZipFile(kopie, "w", zipfile.ZIP_DEFLATED) as zuit:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    xml = data.decode()
                    if dimensie:
                        xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimensie}"/>', xml)
                    kop, _, rest = xml.partition("<sheetData>")
                    with zuit.open(info.filename, "w", force_zip64=True) as f:
                        f.write((kop + "<sheetData>").encode())
                        for _ in range(opvulling):
                            f.write(b" " * 1024 * 1024)
                        f.write(rest.replace("</sheetData>", extra + "</sheetData>").encode())
                else:
                    zuit.writestr(info, data)
        kopie.replace(pad)
    return pad


def _importeer_begrensd(bestand: Path, data: Path) -> subprocess.CompletedProcess:
    """`aanbieders importeer --proef` in a process that may use at most 1 GB of memory."""
    import resource

    def grens():
        resource.setrlimit(resource.RLIMIT_AS, (1024 ** 3, 1024 ** 3))

    return subprocess.run([sys.executable, "-m", "contractgen", "aanbieders", "importeer", str(bestand), "--data",
                           str(data), "--proef"], capture_output=True, text=True, env=ENV, timeout=60,
                          preexec_fn=grens)


def test_xlsx_declaring_a_whole_sheet_is_read_as_what_it_holds(mini, tmp_path):
    verste = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    bestand = _xlsx(tmp_path / "export.xlsx", [["naam", "kvk"], ["Zorg B.V.", "87654321"]],
                    dimensie="A1:XFD1048576", extra=verste)
    assert bestand.stat().st_size < 10_000
    proces = _importeer_begrensd(bestand, mini)
    assert "MemoryError" not in proces.stderr and "Traceback" not in proces.stderr
    assert proces.returncode == 1, proces.stderr
    assert proces.stderr.splitlines()[:2] == ["export.xlsx (blad Sheet):1048576:1: meer dan 500 kolommen (16384); "
                                              "verwacht hoogstens 500", "1 fout(en) gevonden; er is niets geïmporteerd."]
    # the declared size alone does not matter: the rows there are, checked as usual
    bestand = _xlsx(tmp_path / "export.xlsx", [["naam", "kvk"], ["Zorg B.V.", "87654321"]], dimensie="A1:XFD1048576")
    proces = _importeer_begrensd(bestand, mini)
    regels = proces.stderr.splitlines()
    assert regels[:2] == ["export.xlsx (blad Sheet):2:1: domeinen: verplicht veld ontbreekt",
                          "export.xlsx (blad Sheet):2:1: vertegenwoordiger: verplicht veld ontbreekt"], regels
    assert "2 fout(en) gevonden; er is niets geïmporteerd." in regels


def test_xlsx_unpacking_to_gigabytes_of_whitespace_is_refused_before_reading(mini, tmp_path):
    bestand = _xlsx(tmp_path / "export.xlsx", [["naam", "kvk"], ["Zorg B.V.", "87654321"]], opvulling=150)
    assert bestand.stat().st_size < 2_000_000
    proces = _importeer_begrensd(bestand, mini)
    assert proces.returncode == 1
    assert proces.stderr.splitlines()[0] == ("export.xlsx: het Excel-bestand is uitgepakt te groot (150.0 MB); "
                                             "verwacht hoogstens 100 MB (bevat het lege rijen of kolommen met "
                                             "opmaak?)")
    assert list((mini / "aanbieders").iterdir()) == [mini / "aanbieders" / "voorbeeld.yaml"]


def test_a_cell_over_excels_limit_is_refused_with_its_place(runner, mini, tmp_path):
    groot = '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "x" * 6_000_000 + "</t></is></c></row>"
    bestand = _xlsx(tmp_path / "export.xlsx", [["naam", "kvk"]], extra=groot)
    result = runner.invoke(main, ["aanbieders", "importeer", str(bestand), "--data", str(mini)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == ("export.xlsx (blad Sheet):2:1: kolom A: de cel bevat 6000000 tekens; "
                                             "verwacht hoogstens 32767 (de grens van Excel)")
    assert list((mini / "aanbieders").iterdir()) == [mini / "aanbieders" / "voorbeeld.yaml"]


def test_a_csv_cell_over_128_kb_gets_a_dutch_message_with_its_place(runner, mini, tmp_path):
    bestand = tmp_path / "export.csv"
    bestand.write_text("naam;kvk\nZorg;87654321\n\"" + "y" * 200_000 + "\";12345670\n", encoding="utf-8")
    result = runner.invoke(main, ["aanbieders", "importeer", str(bestand), "--data", str(mini)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == ("export.csv:3:1: kolom A: de cel bevat 200000 tekens; verwacht "
                                             "hoogstens 32767 (de grens van Excel)")
    assert "field larger" not in result.output


# --- 9. a full disk in the PDF stage is named as such ---------------------------------------------------

def _tmpfs(map_: Path, grootte: str):
    """A real file system of `grootte` mounted at `map_` (tmpfs; needs root, else the test is skipped)."""
    map_.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={grootte}", "tmpfs", str(map_)],
                                           capture_output=True).returncode != 0:
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield map_
    finally:
        subprocess.run(["umount", str(map_)], check=True)


@pytest.fixture
def kleine_schijf(tmp_path):
    """340 KB: room for the Word files, not for the PDFs."""
    yield from _tmpfs(tmp_path / "schijf", "340k")


def test_full_disk_during_the_pdf_stage_is_reported_as_a_full_disk(runner, kleine_schijf):
    uit = kleine_schijf / "uit"
    result = runner.invoke(main, ["build", str(MINI), "--uitvoer", str(uit)])
    assert result.exit_code == 1
    # what the build says besides the stages it finished (cli/voortgang.py: "Word-documenten: 3 van 3 in 1,0 s")
    melding = [r for r in result.output.strip().splitlines() if not re.match(r"[^:]+: \d+ van \d+ in [\d,]+ s$", r)]
    assert len(melding) == 1, result.output
    assert melding[0].startswith(f"fout: kan niet schrijven '{uit}/.bouw-")
    assert melding[0].endswith("': schijf vol (geen ruimte meer); maak ruimte vrij en probeer het opnieuw")
    assert "LibreOffice" not in result.output and "PdfReadError" not in result.output
    assert zichtbaar(uit) == {}
    assert resten(uit) == []


@pytest.fixture
def alleen_lezen(tmp_path):
    """A file system the test remounts read-only, holding a finished build."""
    yield from _tmpfs(tmp_path / "ro", "4m")


def test_read_only_output_is_named_and_can_still_be_read(runner, alleen_lezen):
    uit = alleen_lezen / "uit"
    assert _bouw(runner, MINI, uit).exit_code == 0
    voor = zichtbaar(uit)
    subprocess.run(["mount", "-o", "remount,ro", str(alleen_lezen)], check=True)
    result = _bouw(runner, MINI, uit, "--aanbieder", "voorbeeld", "--peildatum", "2018-06-01")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (f"fout: kan '{uit}/.cache/bouw.lock' niet lezen of schrijven: "
                                                      "het bestandssysteem is alleen-lezen")
    overzicht = runner.invoke(main, ["overzicht", str(MINI), "--uitvoer", str(uit)])  # a reader needs no write access
    assert overzicht.exit_code == 0, overzicht.output
    assert _documentstatus(overzicht.output) == "actueel"
    assert zichtbaar(uit) == voor


def test_output_path_that_is_a_file_is_named(runner, tmp_path):
    (tmp_path / "uit").write_text("een bestand")
    result = _bouw(runner, MINI, tmp_path / "uit")
    assert result.exit_code == 1
    assert result.output.strip() == (f"fout: kan '{tmp_path / 'uit'}' niet lezen of schrijven: er staat al een "
                                     "bestand met deze naam")


# --- 10. a signal in the PDF stage (real LibreOffice) ---------------------------------------------------

@pytest.fixture(scope="module")
def generaties_pdf(generaties, tmp_path_factory):
    """As `generaties`, with PDFs: the previous output, and what a clean build of the changed data gives."""
    from click.testing import CliRunner

    bron, nieuw, _, _ = generaties
    tmp = tmp_path_factory.mktemp("pdf")
    runner = CliRunner()
    for data, uit in ((bron.parent / "oud" / "mini", tmp / "uit-oud"), (nieuw, tmp / "uit-nieuw")):
        result = runner.invoke(main, ["build", str(data), "--uitvoer", str(uit)])
        assert result.exit_code == 0, result.output
    return tmp / "uit-oud", nieuw, zichtbaar(tmp / "uit-oud"), zichtbaar(tmp / "uit-nieuw")


PDF_GEVALLEN = [("pdf-conversie", "SIGKILL"), ("pdf-conversie", "SIGTERM"),
                ("pdf-mini/2018/voorbeeld/01-overeenkomst.docx", "SIGKILL"),
                ("pdf-mini/2018/voorbeeld/01-overeenkomst.docx", "SIGINT")]


@pytest.mark.parametrize("stap,sein", PDF_GEVALLEN, ids=[f"{s.split('/')[-1]}-{g}" for s, g in PDF_GEVALLEN])
def test_signal_in_the_pdf_stage_leaves_the_previous_output(runner, generaties_pdf, tmp_path, stap, sein):
    bron, nieuw, voor, na = generaties_pdf
    uit = tmp_path / "uit"
    shutil.copytree(bron, uit)
    shutil.rmtree(uit / ".cache")  # so that LibreOffice really runs for the new documents
    proces = _start(nieuw, uit, f"{stap}:{sein}")
    proces.communicate(timeout=120)
    assert proces.returncode == (-signal.SIGKILL if sein == "SIGKILL" else 1)
    assert _leeg_binnen(proces.pid, 2), "LibreOffice outlived contractgen"
    assert runner.invoke(main, ["overzicht", str(nieuw), "--uitvoer", str(uit)]).exit_code == 0
    assert zichtbaar(uit) == voor
    heel(uit)
    assert resten(uit) == []
    result = runner.invoke(main, ["build", str(nieuw), "--uitvoer", str(uit)])
    assert result.exit_code == 0, result.output
    # bouwhistorie.json lists every package the folder had (the old one too), unlike a clean build
    zonder_historie = {k: v for k, v in zichtbaar(uit).items() if not k.endswith("bouwhistorie.json")}
    assert zonder_historie == {k: v for k, v in na.items() if not k.endswith("bouwhistorie.json")}
