"""Issue 24: every command that writes the data folder or the signed store, stopped at every file step.

Each command runs once cleanly with `CONTRACTGEN_FOUTINJECTIE_LOG` to learn its steps (and the result of
a clean run); then, for SIGINT, SIGTERM and SIGKILL, a real process is stopped at each step in a fresh
copy. The next command (`validate`, or `overzicht` for the signed store) must find the folder byte for
byte as before or as after a clean run, and nothing hidden may stay but the lock files and the log.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from conftest import MINI, ROOT
from test_aanbieders import FIXTURE as AANBIEDERS_MINI
from test_aanbieders import GOED, KOP, _csv
from test_ondertekening import pki  # noqa: F401  (session fixture: a test PKI)
from test_transactie import zichtbaar

from contractgen.basis.transactie import verborgen_resten
from contractgen.cli import main

ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"))


@dataclass
class Opdracht:
    """A writing command: `maak(tmp)` prepares its folder in `tmp` (returns data folder, the folder it writes,
    argv); prepared once, then copied for every run (`kopie`). `lezer`: the next command (it repairs first);
    `staat`: what must be old or new (default: every visible file, byte for byte)."""

    maak: Callable[[Path], tuple[Path, Path, list[str]]]
    lezer: Callable[[Path, list[str]], list[str]] = lambda data, argv: ["validate", str(data)]
    staat: Callable[[Path], object] = zichtbaar
    env: dict | None = None


_SJABLONEN: dict[str, tuple[Path, tuple[Path, Path, list[str]]]] = {}


def kopie(naam: str, doel: Path, tmp_factory) -> tuple[Path, Path, list[str]]:
    """A fresh copy of command `naam`'s prepared folder at `doel`: (data folder, folder written, argv)."""
    if naam not in _SJABLONEN:
        bron = tmp_factory.mktemp(f"sjabloon-{naam}")
        _SJABLONEN[naam] = (bron, OPDRACHTEN[naam].maak(bron))
    bron, (data, map_, argv) = _SJABLONEN[naam]
    shutil.copytree(bron, doel, symlinks=True)
    vervang = lambda p: Path(str(p).replace(str(bron), str(doel)))  # noqa: E731
    return vervang(data), vervang(map_), [str(vervang(a)) if a.startswith(str(bron)) else a for a in argv]


def _jaarwissel(tmp: Path):
    data = tmp / "mini"
    shutil.copytree(MINI, data)
    return data, data, ["jaarwissel", str(data), "2019", "--indexatie", "2"]


def _aanbieders_nieuw(tmp: Path):
    data = tmp / "am"
    shutil.copytree(AANBIEDERS_MINI, data)
    tweede = ["Tweede Zorg B.V.", "87654312", "98000003", *GOED[3:]]
    bestand = _csv(tmp / "export.csv", KOP, GOED, tweede)
    return data, data, ["aanbieders", "importeer", str(bestand), "--data", str(data)]


def _aanbieders_bijwerken(tmp: Path):
    data = tmp / "am"
    shutil.copytree(AANBIEDERS_MINI, data)
    # a second aanbieder first, so that two existing files are replaced and one is new
    subprocess.run([sys.executable, "-m", "contractgen", "aanbieders", "importeer", str(_csv(tmp / "eerst.csv", KOP, GOED)),
                    "--data", str(data)], check=True, env=ENV, capture_output=True)
    shutil.rmtree(data / ".contractgen")
    derde = ["Derde Zorg B.V.", "87654339", "98000004", *GOED[3:]]
    bestand = _csv(tmp / "export.csv", KOP, ["Zorg & Co", "12345678", *[""] * (len(KOP) - 2)],
                   ["Nieuwe Zorg B.V.", "87654320", "98000002", "N. Nieuwer"], derde)
    return data, data, ["aanbieders", "importeer", str(bestand), "--data", str(data), "--bijwerken"]


def _mini(tmp: Path) -> Path:
    data = tmp / "mini"
    shutil.copytree(MINI, data)
    return data


def _wijzigingen(tmp: Path):
    import docx
    from click.testing import CliRunner

    data = _mini(tmp)
    uit = tmp / "uit"
    result = CliRunner().invoke(main, ["build", str(data), "--geen-pdf", "--uitvoer", str(uit)])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(uit / "mini/2018/voorbeeld/01-overeenkomst.docx"))
    run = next(r for p in d.paragraphs for r in p.runs if "Partijen komen" in r.text)
    run.text = run.text.replace("Partijen komen", "Partijen kwamen")  # a jurist's edit
    d.save(str(tmp / "bewerkt.docx"))
    shutil.rmtree(uit)
    # two files: the new version, and the old one ending the day before
    return data, data, ["wijzigingen", "importeer", str(tmp / "bewerkt.docx"), "--data", str(data), "--versie",
                        "2018-b", "--geldig-van", "2018-07-01"]


def _importeer_document(tmp: Path):
    import docx

    data = _mini(tmp)
    d = docx.Document()
    for tekst, stijl in [("Overeenkomst Proef", "Title"), ("Artikel 1: Duur", "Heading 2"),
                         ("1.1 Deze overeenkomst duurt een jaar.", None)]:
        d.add_paragraph(tekst, stijl)
    d.save(str(tmp / "contract.docx"))
    return data, data, ["importeer-document", str(tmp / "contract.docx"), "--regio", str(data), "--id", "proef",
                        "--geldig-van", "2018-01-01"]


def _vaststellen(tmp: Path):
    data = _mini(tmp)
    return data, data, ["tarieven", "vaststellen", "jeugd-2018", "--regio", str(data)]


def _indexeer(tmp: Path):
    data = _mini(tmp)
    return data, data, ["tarieven", "indexeer", "jeugd-2018", "--regio", str(data), "--percentage", "3"]


def _beoordeel(tmp: Path):
    data = tmp / "am"
    shutil.copytree(AANBIEDERS_MINI, data)
    return data, data, ["beoordeel", str(data), "dubbel-nummer", "Bijlage 3, eis D2", "--door", "M. de Jurist",
                        "--reden", "Staat zo in de getekende bron"]


_PKI: dict[str, object] = {}  # the session's test PKI and a signed-store build of the mini region, set by `gevallen`
PAKKET = Path("mini/2018/voorbeeld")  # the aanbieder folder in the output


def _uitvoer(tmp: Path) -> tuple[Path, Path, Path]:
    gebouwd = _PKI["gebouwd"]
    shutil.copytree(gebouwd / "data", tmp / "data")
    shutil.copytree(gebouwd / "output", tmp / "output")
    return tmp / "data", tmp / "output", tmp / "output" / PAKKET


def _ontvangen(tmp: Path):
    from test_ondertekening import teken

    data, uitvoer, map_ = _uitvoer(tmp)
    terug = tmp / "terug van aanbieder.pdf"
    terug.write_bytes(teken((map_ / "contractpakket.pdf").read_bytes(), _PKI["pki"].aanbieder,
                            ["prijsbijlage_opdrachtnemer_1"]))
    return data, map_, ["ontvangen", str(terug), "--data", str(data), "--uitvoer", str(uitvoer)]


def _onderteken(tmp: Path):
    data, uitvoer, map_ = _uitvoer(tmp)
    # the paraaf is the opdrachtnemer's place: signed with the aanbieder's certificate (issue 27: right signer, right place)
    return data, map_, ["onderteken", str(map_ / "contractpakket.pdf"), "--certificaat", str(_PKI["pki"].aanbieder),
                        "--veld", "prijsbijlage_paraaf_p1", "--data", str(data), "--uitvoer", str(uitvoer)]


def _ondertekend(map_: Path) -> tuple:
    """The aanbieder folder as far as it must be old or new: every file outside ondertekend/ byte for byte,
    and in ondertekend/ the number of signed PDFs, each with its record (a signature's time makes the bytes
    of two runs differ)."""
    import hashlib
    import json

    zicht = zichtbaar(map_)
    pdfs = [k for k in zicht if k.startswith("ondertekend/") and k.endswith(".pdf")]
    records = [k for k in zicht if k.startswith("ondertekend/") and k.endswith(".json")]
    for pdf in pdfs:
        record = pdf[:-4] + ".json"
        assert record in zicht, f"{pdf} has no record"
        assert json.loads(zicht[record])["sha256"] == hashlib.sha256(zicht[pdf]).hexdigest()
    assert len(records) == len(pdfs), "a record without its PDF"
    return {k: v for k, v in zicht.items() if not k.startswith("ondertekend/")}, len(pdfs)


def _overzicht(data: Path, argv: list[str]) -> list[str]:
    return ["overzicht", str(data), "--uitvoer", argv[argv.index("--uitvoer") + 1]]


OPDRACHTEN: dict[str, Opdracht] = {
    "jaarwissel": Opdracht(_jaarwissel),
    "aanbieders-importeer": Opdracht(_aanbieders_nieuw),
    "aanbieders-bijwerken": Opdracht(_aanbieders_bijwerken),
    "wijzigingen-importeer": Opdracht(_wijzigingen),
    "importeer-document": Opdracht(_importeer_document),
    "tarieven-vaststellen": Opdracht(_vaststellen),
    "tarieven-indexeer": Opdracht(_indexeer),
    "beoordeel": Opdracht(_beoordeel, lezer=lambda data, argv: ["check", str(data)]),
    "ontvangen": Opdracht(_ontvangen, lezer=_overzicht, staat=_ondertekend),
    "onderteken": Opdracht(_onderteken, lezer=_overzicht, staat=_ondertekend,
                           env={"CONTRACTGEN_WACHTWOORD": "geheim-123"}),
}


def _start(argv: list[str], injectie: str | None = None, log: Path | None = None) -> subprocess.Popen:
    env = dict(ENV)
    if injectie:
        env["CONTRACTGEN_FOUTINJECTIE"] = injectie
    if log:
        env["CONTRACTGEN_FOUTINJECTIE_LOG"] = str(log)
    return subprocess.Popen([sys.executable, "-m", "contractgen", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


# What the commands import when they run: imported once here, so that a forked command starts at once
# (a fresh interpreter spends 1-2 s importing on a busy machine; the many runs below would take minutes).
VOORAF = ["contractgen.cli", "contractgen.regels", "contractgen.intake.aanbieders", "contractgen.intake.jaarwissel",
          "contractgen.intake.tarieven", "contractgen.intake.word_wijzigingen", "contractgen.intake.word_document",
          "contractgen.rapporten.beoordeling", "contractgen.rapporten.check", "contractgen.rapporten.overzicht",
          "contractgen.ondertekening.ontvangst", "contractgen.ondertekening.ondertekenen",
          "contractgen.ondertekening.opslag", "contractgen.diff.vergelijk", "contractgen.diff.bron",
          "contractgen.diff.tekst"]


class Gevorkt:
    """`contractgen ARGV` in a forked child of this (pre-imported) process: a real process that a real signal
    stops, with its own stdout and stderr (files), exit code as subprocess gives it (-9 for SIGKILL)."""

    def __init__(self, argv: list[str], injectie: str | None = None, log: Path | None = None,
                 env: dict | None = None):
        import importlib
        import tempfile

        for module in VOORAF:
            importlib.import_module(module)
        self._uit = tempfile.TemporaryFile()
        self._fout = tempfile.TemporaryFile()
        env = dict(env or {})
        if injectie:
            env["CONTRACTGEN_FOUTINJECTIE"] = injectie
        if log:
            env["CONTRACTGEN_FOUTINJECTIE_LOG"] = str(log)
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns into pytest
            code = 1
            try:
                os.dup2(self._uit.fileno(), 1)
                os.dup2(self._fout.fileno(), 2)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.environ.update(env)
                main(argv, prog_name="contractgen")
                code = 0
            except SystemExit as einde:
                code = einde.code if isinstance(einde.code, int) else (0 if einde.code is None else 1)
            except BaseException:  # noqa: BLE001 - what python -m would print
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        self.returncode: int | None = None

    def communicate(self, timeout: float = 120) -> tuple[str, str]:
        einde = time.monotonic() + timeout
        while self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
            elif time.monotonic() > einde:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                pytest.fail("the command hangs")
            else:
                time.sleep(0.005)
        uit = []
        for f in (self._uit, self._fout):
            f.seek(0)
            uit.append(f.read().decode("utf-8", "replace"))
            f.close()
        return uit[0], uit[1]


@pytest.fixture(scope="module")
def mini_gebouwd(tmp_path_factory, pki) -> Path:
    """The mini region built with PDF, its data trusting the test PKI: a small signed store (its package has
    an opdrachtnemer place and a paraaf; a check of a signature costs a fraction of the big region's)."""
    from click.testing import CliRunner

    basis = tmp_path_factory.mktemp("mini-gebouwd")
    shutil.copytree(MINI, basis / "data")
    (basis / "data" / "vertrouwd").mkdir()
    shutil.copy(pki.root_pem, basis / "data" / "vertrouwd" / "test-root.pem")
    # the test PKI's aanbieder certificate names KvK 90000002: the package must be that aanbieder's (issue 27)
    aanbieder = basis / "data" / "aanbieders" / "voorbeeld.yaml"
    aanbieder.write_text(aanbieder.read_text(encoding="utf-8").replace('kvk: "12345678"', 'kvk: "90000002"'),
                         encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(basis / "data"), "--uitvoer", str(basis / "output")])
    assert result.exit_code == 0, result.output
    return basis


@pytest.fixture(scope="module")
def gevallen(tmp_path_factory, pki, mini_gebouwd):
    """Per command: its prepared folder (before), the folder after a clean run, and the steps it passes."""
    _PKI.update(pki=pki, gebouwd=mini_gebouwd)
    uitkomst = {}
    for naam, opdracht in OPDRACHTEN.items():
        tmp = tmp_path_factory.mktemp(naam)
        data, map_, argv = kopie(naam, tmp / "schoon", tmp_path_factory)
        voor = opdracht.staat(map_)
        log = tmp / "stappen.log"
        proces = Gevorkt(argv, log=log, env=opdracht.env)
        stdout, stderr = proces.communicate(timeout=120)
        assert proces.returncode == 0, stdout + stderr
        stappen = [s for s in log.read_text().split() if s.startswith("transactie-")]
        na = opdracht.staat(map_)
        assert na != voor
        uitkomst[naam] = (voor, na, stappen)
    return uitkomst


def _verwacht(stap: str, sein: str) -> str:
    if stap.startswith("transactie-schrijf"):
        return "voor"
    if sein == "SIGKILL":
        return "na" if stap == "transactie-opruimen" else "voor"
    return "na"  # SIGINT/SIGTERM wait for the renames of a commit that has begun


TWEE_BESTANDEN = {"jaarwissel", "aanbieders-importeer", "aanbieders-bijwerken", "wijzigingen-importeer", "ontvangen",
                  "onderteken"}
GEVALLEN = [(naam, sein) for naam in OPDRACHTEN for sein in ("SIGKILL", "SIGTERM", "SIGINT")]


@pytest.mark.parametrize("naam,sein", GEVALLEN, ids=[f"{n}-{s}" for n, s in GEVALLEN])
def test_a_stop_at_every_file_step_leaves_the_data_old_or_new(runner, gevallen, tmp_path, tmp_path_factory, naam,
                                                             sein):
    voor, na, stappen = gevallen[naam]
    assert "transactie-nieuw-0" in stappen and "transactie-klaar" in stappen
    if naam in TWEE_BESTANDEN:  # a half-done command is possible: the case of the issue
        assert "transactie-nieuw-1" in stappen
    opdracht = OPDRACHTEN[naam]
    for stap in stappen:
        data, map_, argv = kopie(naam, tmp_path / stap, tmp_path_factory)
        proces = Gevorkt(argv, f"{stap}:{sein}", env=opdracht.env)
        stdout, stderr = proces.communicate(timeout=120)
        if sein == "SIGKILL":
            assert proces.returncode == -signal.SIGKILL, (stap, stderr)
        else:
            assert proces.returncode == 1, (stap, stdout + stderr)
            assert stderr.strip().splitlines()[-1] == "Afgebroken.", (stap, stderr)
            assert "Traceback" not in stderr
        lezer = runner.invoke(main, opdracht.lezer(data, argv))  # the next command repairs first
        assert lezer.exit_code == 0, (stap, lezer.output)
        assert opdracht.staat(map_) == {"voor": voor, "na": na}[_verwacht(stap, sein)], (stap, sein)
        assert verborgen_resten(map_) == [], stap
        assert not [p for p in map_.rglob(".*") if ".contractgen" not in p.parts], stap  # no temp files of old


def test_after_a_kill_the_command_can_simply_be_run_again(runner, gevallen, tmp_path):
    """The issue's first case: a jaarwissel killed after its first file was placed used to leave the region
    half rolled over, and the next jaarwissel refused ('al naar 2019 gezet')."""
    voor, na, _ = gevallen["jaarwissel"]
    data, map_, argv = _jaarwissel(tmp_path)
    proces = _start(argv, "transactie-nieuw-1:SIGKILL")
    proces.communicate(timeout=60)
    assert (map_ / "documenten/prijsbijlage-2019.yaml").exists()  # what the kill left: one file placed
    result = runner.invoke(main, argv)
    assert result.exit_code == 0, result.output
    assert zichtbaar(map_) == na and verborgen_resten(map_) == []


def _wacht_tot_gestopt(proces) -> None:
    for _ in range(3000):
        try:
            if Path(f"/proc/{proces.pid}/stat").read_text().split(") ", 1)[1].startswith("T"):
                return
        except OSError:
            pass
        assert proces.poll() is None, proces.communicate()
        time.sleep(0.01)
    pytest.fail("the command never reached the step")


def test_a_second_jaarwissel_is_refused_naming_the_first(gevallen, tmp_path):
    voor, na, _ = gevallen["jaarwissel"]
    data, map_, argv = _jaarwissel(tmp_path)
    eerste = _start(argv, "transactie-schrijf-0:SIGSTOP")
    try:
        _wacht_tot_gestopt(eerste)
        tweede = _start(["jaarwissel", str(data), "2019", "--indexatie", "3"])
        stdout, stderr = tweede.communicate(timeout=60)
        assert tweede.returncode == 1
        melding = stderr.strip().splitlines()[0]
        assert melding.startswith(f"fout: '{data}' wordt al gewijzigd door proces {eerste.pid} van ")
        assert "(Jaarwissel 2019 van Regio Mini: 2 nieuwe versie(s) (prijsbijlage, jeugd-2019), " \
               "sinds " in melding
        assert melding.endswith("; wacht tot dat klaar is en probeer het dan opnieuw (één wijziging tegelijk per map)")
        assert zichtbaar(map_) == voor
    finally:
        os.kill(eerste.pid, signal.SIGCONT)
    eerste.communicate(timeout=60)
    assert eerste.returncode == 0
    assert zichtbaar(map_) == na and verborgen_resten(map_) == []


def test_two_jaarwissels_started_together_one_wins_the_other_is_refused(gevallen, tmp_path):
    """2 % and 3 % at once: both used to report success, the last one's files remaining."""
    data, map_, _ = _jaarwissel(tmp_path)
    processen = {pct: _start(["jaarwissel", str(data), "2019", "--indexatie", pct]) for pct in ("2", "3")}
    uit = {pct: (p.communicate(timeout=120), p.returncode) for pct, p in processen.items()}
    assert sorted(code for _, code in uit.values()) == [0, 1], uit
    winnaar = next(pct for pct, (_, code) in uit.items() if code == 0)
    (_, stderr), _ = next(v for v in uit.values() if v[1] == 1)
    # refused while the first held the region (its holder named), or after it, depending on when the second
    # read the region: before its plan (the year exists), between plan and files, or between plan and lock
    assert ("wordt al gewijzigd door proces" in stderr or "is al naar 2019 gezet" in stderr
            or "bestaat al; de jaarwissel overschrijft geen bestanden" in stderr
            or "is intussen aangemaakt door" in stderr), stderr
    tarieven = (map_ / "tarieven/jeugd-2019.yaml").read_text(encoding="utf-8")
    assert f"met indexatie {winnaar} %" in tarieven


def test_a_region_given_relative_to_the_working_directory(runner, tmp_path, monkeypatch):
    """Paths as a user types them (contracts_data/<regio>) are relative to where the command runs."""
    shutil.copytree(MINI, tmp_path / "data" / "mini")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["jaarwissel", "data/mini", "2019", "--indexatie", "0"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data/mini/documenten/prijsbijlage-2019.yaml").is_file()
    assert not (tmp_path / "data/mini/data").exists()


@pytest.fixture
def volle_schijf(tmp_path):
    """A real file system (tmpfs, root only) holding the mini region and then filled to the last byte."""
    from test_bouw_onderbreking import _tmpfs

    for schijf in _tmpfs(tmp_path / "schijf", "1m"):
        data = schijf / "mini"
        shutil.copytree(MINI, data)
        vul = schijf / "vulling"
        fd = os.open(vul, os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass  # full
        finally:
            os.close(fd)
        yield data, vul


@pytest.mark.parametrize("argv,bestand", [
    (["jaarwissel", "{data}", "2019", "--indexatie", "2"], "documenten/prijsbijlage-2019.yaml"),
    (["tarieven", "vaststellen", "jeugd-2018", "--regio", "{data}"], "tarieven/jeugd-2018.yaml"),
], ids=["jaarwissel", "vaststellen"])
def test_a_full_disk_leaves_the_region_as_it_was_and_nothing_hidden(runner, volle_schijf, argv, bestand):
    """The issue: a full disk during jaarwissel and tarieven vaststellen left temp files for good."""
    data, vul = volle_schijf
    voor = zichtbaar(data)
    result = runner.invoke(main, [a.format(data=data) for a in argv])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"fout: kan niet schrijven '{data / bestand}': schijf vol (geen ruimte meer); maak ruimte vrij en probeer het "
        "opnieuw")
    assert zichtbaar(data) == voor
    assert verborgen_resten(data) == [] and not [p for p in data.rglob(".*") if ".contractgen" not in p.parts]
    vul.unlink()  # room again: the same command now succeeds
    result = runner.invoke(main, [a.format(data=data) for a in argv])
    assert result.exit_code == 0, result.output
    assert zichtbaar(data) != voor and verborgen_resten(data) == []


def test_a_signed_pdf_is_not_stored_while_a_build_holds_the_output(runner, gevallen, tmp_path, tmp_path_factory):
    """A build carries ondertekend/ into the aanbieder folder it rebuilds: a PDF stored meanwhile would be
    lost with the old folder. So storing waits for the build's lock, then says who holds it."""
    from contractgen.uitvoer.slot import bouwslot

    data, map_, argv = kopie("ontvangen", tmp_path / "k", tmp_path_factory)
    uitvoer = Path(argv[argv.index("--uitvoer") + 1])
    with bouwslot(uitvoer):  # a build in progress (this process: flock conflicts per open file)
        result = runner.invoke(main, argv)
    assert result.exit_code == 1
    assert f"fout: de uitvoermap '{uitvoer}' wordt gebruikt door proces {os.getpid()} van " in result.output
    assert not (map_ / "ondertekend").exists()
    result = runner.invoke(main, argv)  # the build is done: now it is stored
    assert result.exit_code == 0, result.output
    assert len(list((map_ / "ondertekend").glob("*.pdf"))) == 1
