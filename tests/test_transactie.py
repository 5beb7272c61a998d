"""Issue 24: one transaction mechanism for every write to the data folder and the signed store.

`basis/transactie.py` on its own: a real process writes three files (one replaced, one new in a new
folder, one removed) and is stopped at every step with SIGINT, SIGTERM and SIGKILL; afterwards
`herstel` (what every command calls first) must leave the folder byte for byte as before or as after,
and nothing hidden but the lock files and the log. Then the lock (a second writer is told who holds it),
the optimistic check (who changed it meanwhile, from git or from the log), git commits, and paths
that are refused.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from contractgen.basis.transactie import (
    Auteur,
    BezetFout,
    GelijktijdigGewijzigd,
    Transactie,
    TransactieFout,
    herstel,
    sha256_van,
    verborgen_resten,
)

ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"))

SCHRIJVER = """
import sys
from pathlib import Path
from contractgen.basis.transactie import Transactie
map_ = Path(sys.argv[1])
with Transactie(map_, "proef: drie bestanden") as tx:
    tx.schrijf("a.yaml", b"a nieuw\\n")
    tx.schrijf("sub/b.yaml", b"b nieuw\\n")
    tx.verwijder("c.yaml")
"""

# in path order: a.yaml replaced (its old version kept, the new one placed), c.yaml removed, sub/b.yaml new
STAPPEN = ["transactie-schrijf-0", "transactie-schrijf-1", "transactie-journaal", "transactie-oud-0",
           "transactie-nieuw-0", "transactie-oud-1", "transactie-nieuw-1", "transactie-nieuw-2",
           "transactie-klaar", "transactie-opruimen"]
VOOR = {"a.yaml": b"a oud\n", "c.yaml": b"c oud\n", "d.yaml": b"blijft\n"}
NA = {"a.yaml": b"a nieuw\n", "d.yaml": b"blijft\n", "sub/b.yaml": b"b nieuw\n"}


def zichtbaar(map_: Path) -> dict[str, bytes]:
    """Every file a user sees (hidden state left out), with its bytes."""
    return {p.relative_to(map_).as_posix(): p.read_bytes() for p in sorted(map_.rglob("*"))
            if p.is_file() and not any(d.startswith(".") for d in p.relative_to(map_).parts)}


def mappen(map_: Path) -> list[str]:
    return sorted(p.relative_to(map_).as_posix() for p in map_.rglob("*") if p.is_dir() and ".contractgen" not in
                  p.relative_to(map_).parts)


def _maak(map_: Path) -> Path:
    map_.mkdir()
    for naam, data in VOOR.items():
        (map_ / naam).write_bytes(data)
    return map_


def verwacht(stap: str, sein: str) -> dict[str, bytes]:
    """SIGINT/SIGTERM wait for a commit that has begun (the journal is being written): it completes. SIGKILL
    cannot wait: before the commit point the journal undoes it, after it the clean-up is finished."""
    if stap.startswith("transactie-schrijf"):
        return VOOR
    if sein == "SIGKILL":
        return NA if stap == "transactie-opruimen" else VOOR
    return NA


@pytest.mark.parametrize("sein", ["SIGKILL", "SIGTERM", "SIGINT"])
def test_a_stop_at_every_step_leaves_all_old_or_all_new(tmp_path, sein):
    # one process per step; the three signals in parallel tests, the steps in a row (0.1 s each)
    for stap in STAPPEN:
        map_ = _maak(tmp_path / f"{stap}")
        proces = subprocess.run([sys.executable, "-c", SCHRIJVER, str(map_)], capture_output=True, text=True,
                                env=dict(ENV, CONTRACTGEN_FOUTINJECTIE=f"{stap}:{sein}"), timeout=30)
        if sein == "SIGKILL":
            assert proces.returncode == -signal.SIGKILL, (stap, proces.stderr)
        else:
            assert "KeyboardInterrupt" in proces.stderr, (stap, proces.stderr)  # SIGTERM too: the same clean path
        herstel(map_)
        assert zichtbaar(map_) == verwacht(stap, sein), stap
        assert verborgen_resten(map_) == [], stap
        assert mappen(map_) == (["sub"] if verwacht(stap, sein) is NA else []), stap  # a new folder goes too
        assert {p.name for p in (map_ / ".contractgen").iterdir()} <= {"logboek.jsonl", "slot.lock", "wissel.lock"}


def test_the_steps_are_the_steps_of_a_commit(tmp_path):
    """The list above is what the mechanism really passes (else a step would go untested)."""
    map_ = _maak(tmp_path / "m")
    log = tmp_path / "stappen.log"
    subprocess.run([sys.executable, "-c", SCHRIJVER, str(map_)], check=True, env=dict(
        ENV, CONTRACTGEN_FOUTINJECTIE_LOG=str(log)))
    assert log.read_text().split() == STAPPEN
    assert zichtbaar(map_) == NA


def test_an_exception_discards_everything_staged(tmp_path):
    map_ = _maak(tmp_path / "m")
    with pytest.raises(ValueError):
        with Transactie(map_, "mislukt") as tx:
            tx.schrijf("a.yaml", b"nieuw")
            tx.schrijf("x/y.yaml", b"nieuw")
            assert tx.lees("a.yaml") == b"nieuw" and (map_ / "a.yaml").read_bytes() == b"a oud\n"
            raise ValueError("stop")
    assert zichtbaar(map_) == VOOR and mappen(map_) == [] and verborgen_resten(map_) == []


def test_a_full_disk_during_the_renames_puts_everything_back(tmp_path, monkeypatch):
    map_ = _maak(tmp_path / "m")
    echt = os.replace
    teller = {"n": 0}

    def vol(bron, doel):
        teller["n"] += 1
        if teller["n"] == 3:  # the journal, the first file, then this one
            raise OSError(28, "No space left on device", str(doel))
        return echt(bron, doel)

    monkeypatch.setattr(os, "replace", vol)
    with pytest.raises(OSError):
        with Transactie(map_, "vol") as tx:
            tx.schrijf("a.yaml", b"a nieuw\n")
            tx.schrijf("sub/b.yaml", b"b nieuw\n")
    monkeypatch.undo()
    assert zichtbaar(map_) == VOOR and mappen(map_) == [] and verborgen_resten(map_) == []


def test_lees_bestaat_and_a_nested_transaction_join_the_outer_one(tmp_path):
    map_ = _maak(tmp_path / "m")
    with Transactie(map_, "buiten") as buiten:
        with Transactie(map_ / ".", "binnen") as binnen:  # the same folder: joins, no second lock
            binnen.schrijf("a.yaml", b"1")
            binnen.verwijder("d.yaml")
        assert zichtbaar(map_) == VOOR  # not yet: the outer one commits
        assert buiten.lees("a.yaml") == b"1" and not buiten.bestaat("d.yaml") and buiten.bestaat("c.yaml")
        with pytest.raises(FileNotFoundError):
            buiten.lees("d.yaml")
    assert zichtbaar(map_) == {"a.yaml": b"1", "c.yaml": b"c oud\n"}
    assert buiten.geschreven == [map_ / "a.yaml", map_ / "d.yaml"]


@pytest.mark.parametrize("pad,bericht", [
    ("../buiten.yaml", "ligt buiten"),
    ("/etc/passwd", "ligt buiten"),
    (".contractgen/slot.lock", "is geen bestand dat een gebruiker schrijft"),
    ("link/x.yaml", "een symbolische koppeling in het pad wijst buiten"),
    ("koppeling.yaml", "is een symbolische koppeling"),
])
def test_paths_outside_the_folder_are_refused_naming_them(tmp_path, pad, bericht):
    map_ = _maak(tmp_path / "m")
    (map_ / "link").symlink_to(tmp_path)
    (map_ / "koppeling.yaml").symlink_to(map_ / "a.yaml")
    with pytest.raises(TransactieFout) as fout:
        with Transactie(map_, "proef") as tx:
            tx.schrijf(pad, b"x")
    assert bericht in str(fout.value)
    assert str(fout.value).startswith(os.path.abspath(pad if pad.startswith("/") else map_ / pad))
    assert not (tmp_path / "buiten.yaml").exists() and not (tmp_path / "x.yaml").exists()


# --- the lock ----------------------------------------------------------------------------------------

def _wacht_tot_gestopt(proces) -> None:
    for _ in range(1000):
        try:
            if Path(f"/proc/{proces.pid}/stat").read_text().split(") ", 1)[1].startswith("T"):
                return
        except OSError:
            pass
        assert proces.poll() is None, proces.communicate()
        time.sleep(0.01)
    pytest.fail("the writer never reached the step")


def test_a_second_writer_waits_then_is_told_who_holds_the_folder(tmp_path):
    map_ = _maak(tmp_path / "m")
    eerste = subprocess.Popen([sys.executable, "-c", SCHRIJVER, str(map_)], env=dict(
        ENV, CONTRACTGEN_FOUTINJECTIE="transactie-schrijf-1:SIGSTOP"), stderr=subprocess.PIPE, text=True)
    try:
        _wacht_tot_gestopt(eerste)
        begin = time.monotonic()
        with pytest.raises(BezetFout) as fout:
            with Transactie(map_, "tweede", geduld=0.5):
                pass
        assert 0.5 <= time.monotonic() - begin < 3
        melding = fout.value.meldingen()[0]
        assert melding.startswith(f"fout: '{map_}' wordt al gewijzigd door proces {eerste.pid} van ")
        assert "(proef: drie bestanden, sinds " in melding
        assert melding.endswith("; wacht tot dat klaar is en probeer het dan opnieuw (één wijziging tegelijk per map)")
        herstel(map_)  # a reader while a writer is busy: leaves its werk folder alone
        assert zichtbaar(map_) == VOOR
    finally:
        os.kill(eerste.pid, signal.SIGCONT)
    assert eerste.wait(timeout=30) == 0
    assert zichtbaar(map_) == NA and verborgen_resten(map_) == []
    with Transactie(map_, "daarna", geduld=0):  # released: at once
        pass


def test_the_lock_of_a_killed_writer_is_free_at_once(tmp_path):
    map_ = _maak(tmp_path / "m")
    proces = subprocess.run([sys.executable, "-c", SCHRIJVER, str(map_)], env=dict(
        ENV, CONTRACTGEN_FOUTINJECTIE="transactie-nieuw-1:SIGKILL"))
    assert proces.returncode == -signal.SIGKILL
    assert (map_ / ".contractgen/journaal.json").exists()
    with Transactie(map_, "volgende", geduld=0) as tx:  # repairs first
        assert zichtbaar(map_) == VOOR
        tx.schrijf("e.yaml", b"e")
    assert zichtbaar(map_) == dict(VOOR, **{"e.yaml": b"e"}) and verborgen_resten(map_) == []


# --- who changed it meanwhile ---------------------------------------------------------------------------

def test_a_file_changed_meanwhile_is_refused_naming_who_from_the_log(tmp_path):
    map_ = _maak(tmp_path / "m")
    gelezen = sha256_van(map_ / "a.yaml")
    with Transactie(map_, "Aanbieder a bijgewerkt", auteur=Auteur("Piet Jurist", "piet@gemeente.nl")) as tx:
        tx.schrijf("a.yaml", b"door piet\n")
    with pytest.raises(GelijktijdigGewijzigd) as fout:
        with Transactie(map_, "Aanbieder a bijgewerkt", auteur=Auteur("Klaas", "k@gemeente.nl")) as tx:
            tx.vereis_ongewijzigd("a.yaml", gelezen)
            tx.schrijf("a.yaml", b"door klaas\n")
    melding = fout.value.meldingen()[0]
    assert melding.startswith(f"{map_ / 'a.yaml'}: is intussen gewijzigd door Piet Jurist op ")
    assert melding.endswith(" (Aanbieder a bijgewerkt)")
    assert fout.value.slot() == "er is niets geschreven; open het opnieuw en breng uw wijziging opnieuw aan."
    assert (map_ / "a.yaml").read_bytes() == b"door piet\n"
    with pytest.raises(GelijktijdigGewijzigd, match="is intussen aangemaakt door Piet Jurist"):
        with Transactie(map_, "nieuw") as tx:
            tx.vereis_ongewijzigd("a.yaml", None)


def _git(map_: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=map_, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def gitloos(monkeypatch, tmp_path):
    """No global git identity: the commits must say who made them themselves."""
    monkeypatch.setenv("HOME", str(tmp_path / "thuis"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for naam in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(naam, raising=False)


def test_git_commits_exactly_the_touched_paths_with_the_author(tmp_path, gitloos):
    data = tmp_path / "contracts_data"
    regio = data / "regio"
    regio.parent.mkdir()
    _maak(regio)
    (regio / "regio.yaml").write_text("id: regio\n")
    (data / "los.txt").write_text("niet van ons")
    with Transactie(regio, "Jaarwissel 2019 van Regio: 1 nieuwe versie",
                    auteur=Auteur("Anna de Jurist", "anna@gemeente.nl"), git=True) as tx:
        tx.schrijf("a.yaml", b"a nieuw\n")
        tx.verwijder("c.yaml")
    assert tx.commit and len(tx.commit) == 40
    assert (data / ".git").is_dir()  # a new repository in the data folder (above the region)
    assert _git(data, "log", "--format=%an <%ae>|%cn|%s").splitlines() == [
        "Anna de Jurist <anna@gemeente.nl>|Anna de Jurist|Jaarwissel 2019 van Regio: 1 nieuwe versie"]
    assert sorted(_git(data, "show", "--name-status", "--format=", "HEAD").splitlines()) == [
        "A\t.gitignore", "A\tregio/a.yaml"]  # c.yaml was never committed: its removal is not a change to git
    assert "?? los.txt" in _git(data, "status", "--porcelain", "--untracked-files=all")
    assert ".contractgen" not in _git(data, "status", "--porcelain", "--untracked-files=all")
    # a second change: the deletion of a committed file, without an author: contractgen
    _git(data, "add", "regio/d.yaml")
    _git(data, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "d")
    with Transactie(regio, "d weg", git=True) as tx:
        tx.verwijder("d.yaml")
    assert _git(data, "log", "-1", "--format=%an <%ae>|%s").strip() == "contractgen <contractgen@localhost>|d weg"
    assert _git(data, "show", "--name-status", "--format=", "HEAD").split() == ["D", "regio/d.yaml"]
    # nothing changed: no commit
    with Transactie(regio, "niets", git=True) as tx:
        tx.schrijf("a.yaml", b"a nieuw\n")
    assert tx.commit is None
    # who changed a file meanwhile comes from git log
    with pytest.raises(GelijktijdigGewijzigd) as fout:
        with Transactie(regio, "ander") as tx:
            tx.vereis_ongewijzigd("a.yaml", hashlib.sha256(b"a oud\n").hexdigest())
    assert "is intussen gewijzigd door Anna de Jurist <anna@gemeente.nl> op " in str(fout.value)
    assert str(fout.value).endswith("(Jaarwissel 2019 van Regio: 1 nieuwe versie)")


def test_relative_paths_are_to_the_working_directory_else_to_the_folder(tmp_path, monkeypatch):
    map_ = _maak(tmp_path / "m")
    monkeypatch.chdir(tmp_path)
    with Transactie(Path("m"), "relatief") as tx:
        tx.schrijf("m/a.yaml", b"vanuit de werkmap")  # the working directory leads into the folder
        tx.schrijf("c.yaml", b"vanuit de map")  # it does not: relative to the folder
    assert zichtbaar(map_) == {"a.yaml": b"vanuit de werkmap", "c.yaml": b"vanuit de map", "d.yaml": b"blijft\n"}


def test_git_repository_made_where_asked(tmp_path, gitloos):
    """The signed store commits in the output folder (a rebuild replaces an aanbieder folder, not that one)."""
    uitvoer = tmp_path / "output"
    aanbieder = uitvoer / "regio" / "2018" / "aanbieder"
    aanbieder.mkdir(parents=True)
    with Transactie(aanbieder, "ontvangen: pakket.pdf", auteur=Auteur("A. Aanbieder", "a@zorg.nl"), git=True,
                    repo=uitvoer) as tx:
        tx.schrijf("ondertekend/contractpakket-1.pdf", b"%PDF-")
        tx.schrijf("ondertekend/contractpakket-1.json", b"{}")
    assert (uitvoer / ".git").is_dir() and not (aanbieder / ".git").exists()
    assert sorted(_git(uitvoer, "show", "--name-only", "--format=", tx.commit).split()) == [
        ".gitignore", "regio/2018/aanbieder/ondertekend/contractpakket-1.json",
        "regio/2018/aanbieder/ondertekend/contractpakket-1.pdf"]


def test_git_refusing_undoes_the_write_and_says_so_in_dutch(tmp_path, gitloos, caplog):
    """The git commit is part of the transaction: when git refuses, the files are the old ones again."""
    data = tmp_path / "data"
    data.mkdir()
    regio = _maak(data / "regio")
    (regio / "regio.yaml").write_text("id: regio\n")
    with Transactie(regio, "eerste", git=True) as tx:
        tx.schrijf("a.yaml", b"a eerst\n")
    voor = zichtbaar(regio)
    (data / ".git" / "index.lock").write_text("")  # another git process seems busy: git add refuses
    with pytest.raises(TransactieFout) as fout:
        with Transactie(regio, "tweede", git=True) as tx:
            tx.schrijf("a.yaml", b"a tweede\n")
            tx.schrijf("nieuw.yaml", b"nieuw\n")
    tekst = str(fout.value)
    assert "kon niet in de geschiedenis (git) worden vastgelegd" in tekst and "er is niets opgeslagen" in tekst
    assert "index.lock" not in tekst and "fatal" not in tekst  # git's own words only in the log
    assert "index.lock" in caplog.text
    assert zichtbaar(regio) == voor and verborgen_resten(regio) == []
    (data / ".git" / "index.lock").unlink()
    assert _git(data, "log", "--format=%s").split() == ["eerste"]
    status = _git(data, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert all(regel.startswith("??") for regel in status), status  # nothing left staged or changed


@pytest.mark.parametrize("stap, nieuw", [("transactie-git", False), ("transactie-klaar", True),
                                         ("transactie-opruimen", True)])
def test_a_kill_around_the_git_commit_leaves_files_and_history_agreeing(tmp_path, gitloos, stap, nieuw):
    data = tmp_path / "data"
    data.mkdir()
    regio = _maak(data / "regio")
    (regio / "regio.yaml").write_text("id: regio\n")
    script = SCHRIJVER.replace('"proef: drie bestanden")', '"proef: drie bestanden", git=True)')
    proces = subprocess.run([sys.executable, "-c", script, str(regio)], env=dict(
        ENV, HOME=str(tmp_path / "thuis"), CONTRACTGEN_FOUTINJECTIE=f"{stap}:SIGKILL"))
    assert proces.returncode == -signal.SIGKILL
    herstel(regio)
    assert verborgen_resten(regio) == []
    onderwerpen = subprocess.run(["git", "log", "--format=%s"], cwd=data, capture_output=True,
                                 text=True).stdout.split("\n")  # no commit yet: git log fails, nothing printed
    if nieuw:  # git had committed: the transaction is finished, not undone, and not committed twice
        assert zichtbaar(regio) == dict(NA, **{"regio.yaml": b"id: regio\n"})
        assert [o for o in onderwerpen if o] == ["proef: drie bestanden"]
        assert sorted(_git(data, "show", "--name-only", "--format=", "HEAD").split()) == [
            ".gitignore", "regio/a.yaml", "regio/sub/b.yaml"]
    else:
        assert zichtbaar(regio) == dict(VOOR, **{"regio.yaml": b"id: regio\n"})
        assert "proef: drie bestanden" not in onderwerpen
    status = _git(data, "status", "--porcelain", "--untracked-files=all", "--", "regio").splitlines()
    assert all(regel.startswith("??") for regel in status), status  # nothing left staged or changed


def test_a_data_folder_its_surrounding_repository_ignores_gets_its_own(tmp_path, gitloos):
    """Demo data copied inside a clone of contractgen (whose .gitignore leaves out .contractgen/): git add
    would refuse there, so the data folder becomes a repository of its own."""
    kloon = tmp_path / "kloon"
    kloon.mkdir()
    _git(kloon, "init", "-q")
    (kloon / ".gitignore").write_text(".contractgen/\n")
    data = kloon / ".contractgen" / "demo-data"
    data.mkdir(parents=True)
    regio = _maak(data / "regio")
    (regio / "regio.yaml").write_text("id: regio\n")
    with Transactie(regio, "Aanbieder bewerkt", auteur=Auteur("I. Inkoop", "i@gemeente.nl"), git=True) as tx:
        tx.schrijf("a.yaml", b"a nieuw\n")
    assert (data / ".git").is_dir() and tx.commit
    assert _git(data, "log", "--format=%an|%s").strip() == "I. Inkoop|Aanbieder bewerkt"
    assert _git(kloon, "status", "--porcelain").strip() == "?? .gitignore"  # the clone itself untouched


def test_a_name_with_angle_brackets_reaches_git_as_typed(tmp_path, gitloos):
    data = tmp_path / "data"
    data.mkdir()
    regio = _maak(data / "regio")
    with Transactie(regio, "naam", auteur=Auteur("A. <b>Jurist</b>\nTwee", "a@x.nl"), git=True) as tx:
        tx.schrijf("a.yaml", b"x\n")
    assert _git(regio, "log", "-1", "--format=%an|%ae").strip() == "A. ‹b›Jurist‹/b› Twee|a@x.nl"
