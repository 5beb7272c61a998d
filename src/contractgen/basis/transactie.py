"""Every write to the data folder and the signed store is a transaction: locked, staged, committed or undone.

    with Transactie(regio_map, "Jaarwissel 2019", auteur=Auteur("A. Jurist", "a@gemeente.nl"), git=True) as tx:
        tx.vereis_ongewijzigd(pad, sha256_toen_gelezen)   # GelijktijdigGewijzigd if someone else changed it
        tx.schrijf(pad, b"...")                            # staged: nobody sees it yet
        tx.verwijder(ander_pad)
    # leaving the block normally commits all of it; an exception (Ctrl-C, SIGTERM) discards all of it

State lives in the hidden folder `<map>/.contractgen/` (validate ignores it; a data .gitignore excludes it):
- `slot.lock`: `fcntl.flock`, held for the whole transaction by one writer (released by the kernel when the
  process dies, so a killed writer never leaves a stale lock). It names its holder (pid, user, host,
  handeling, since when); a second writer waits `geduld` s, then gets `BezetFout` naming that holder.
- `wissel.lock`: held exclusively only during the commit's renames; readers that find a commit under way
  (`herstel`) wait on it shared, so they never read half of it.
- `werk-<pid>-<n>/`: the staged files, fsync'ed when written.
- `journaal.json`: written (fsync'ed) before the first rename: every file, where its new version waits and
  where its old version is kept (a hard link in the werk folder). Then the renames, then stand `klaar` — the
  commit point — then the clean-up (werk folder, optional git commit, a line in `logboek.jsonl`) and the
  journal is removed.

Whatever stops the process, `herstel(map)` (at the start of every writing command and before every reader)
reads the journal: before the commit point it puts every old file back and removes new ones (rollback),
after it it finishes the clean-up (roll forward). SIGINT and SIGTERM wait for the renames of a commit that
has begun (milliseconds). So a reader sees all of the old files or all of the new ones, never a mix.

Fault injection (tests): steps `transactie-schrijf-<i>`, `transactie-journaal`, `transactie-oud-<i>`,
`transactie-nieuw-<i>`, `transactie-klaar`, `transactie-opruimen` (basis/foutinjectie.py).
"""

from __future__ import annotations

import errno
import fcntl
import getpass
import hashlib
import itertools
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractgen.basis.atomisch import fsync_map, schrijf_bytes
from contractgen.basis.foutinjectie import punt
from contractgen.basis.namen import display_path
from contractgen.basis.problemen import ContractgenFout, Probleem, Weigering
from contractgen.basis.signalen import uitgesteld
from contractgen.basis.tekst import toonbaar

VERBORGEN = ".contractgen"
SLOT = "slot.lock"
WISSELSLOT = "wissel.lock"
JOURNAAL = "journaal.json"
LOGBOEK = "logboek.jsonl"
WERK = "werk-"
# what stays in the hidden folder between transactions; anything else there is left by a killed one
BLIJVEND = frozenset({SLOT, WISSELSLOT, LOGBOEK})
GEDULD = 3.0
GIT_STANDAARD = ("contractgen", "contractgen@localhost")
LOG = logging.getLogger("contractgen.transactie")


@dataclass(frozen=True)
class Auteur:
    """Who makes a change (the workplace's user); the author of its git commit."""

    naam: str
    email: str


class BezetFout(Weigering):
    """Another process is writing in this folder (a build in an output folder, a command in a region)."""


class GelijktijdigGewijzigd(ContractgenFout):
    """A file was changed by someone else between reading it and writing it (optimistic check)."""

    def slot(self) -> str | None:
        return "er is niets geschreven; open het opnieuw en breng uw wijziging opnieuw aan."


class TransactieFout(ContractgenFout):
    """A path a transaction may not write (outside its folder, through a symbolic link, in the hidden folder)."""


# --- locks ---------------------------------------------------------------------------------------------

def _open_slot(pad: Path) -> int:
    return os.open(pad, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)


def _neem(fd: int, geduld: float, soort: int = fcntl.LOCK_EX) -> bool:
    einde = time.monotonic() + geduld
    while True:
        try:
            fcntl.flock(fd, soort | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= einde:
                return False
            time.sleep(0.05)


def gebruiker() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def houder_tekst(fd: int) -> str:
    """'proces 123 van piet op host (jaarwissel 2019, sinds 06-12-2026 04:10:00)' from a lock file's contents."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        info = json.loads(os.read(fd, 8192) or b"{}")
    except (OSError, ValueError):
        return "een ander proces"
    if not isinstance(info, dict) or "pid" not in info:
        return "een ander proces"
    sinds = time.strftime("%d-%m-%Y %H:%M:%S", time.localtime(info.get("start", 0)))
    wat = f"{info['handeling']}, " if info.get("handeling") else ""
    wie = f" namens {info['auteur']}" if info.get("auteur") else ""
    return toonbaar(f"proces {info['pid']} van {info.get('gebruiker', '?')} op {info.get('host', '?')}{wie} "
                    f"({wat}sinds {sinds})")


def schrijf_houder(fd: int, handeling: str = "", auteur: Auteur | None = None) -> None:
    info = {"pid": os.getpid(), "gebruiker": gebruiker(), "host": socket.gethostname(), "start": time.time(),
            "handeling": handeling, "auteur": auteur.naam if auteur else None}
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info, ensure_ascii=False).encode("utf-8"), 0)
    except OSError:
        pass  # a full disk: the lock holds all the same; the write that needs the room names the file


@contextmanager
def _wisselslot(verborgen: Path, gedeeld: bool = False) -> Iterator[None]:
    fd = _open_slot(verborgen / WISSELSLOT)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if gedeeld else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextmanager
def slot(pad: Path, handeling: str, bezet: str, geduld: float = GEDULD) -> Iterator[None]:
    """Hold the flock at `pad` (e.g. an output folder's build lock) while inside, naming this process as its
    holder; after `geduld` s raises BezetFout '<bezet> door <houder>; wacht ...'."""
    Path(pad).parent.mkdir(parents=True, exist_ok=True)
    fd = _open_slot(Path(pad))
    try:
        if not _neem(fd, geduld):
            raise BezetFout(f"{bezet} door {houder_tekst(fd)}; wacht tot dat klaar is en probeer het dan opnieuw",
                            str(pad))
        schrijf_houder(fd, handeling)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)


# --- the transaction -----------------------------------------------------------------------------------

_ACTIEF: dict[tuple[int, str], "Transactie"] = {}  # (thread, folder) → the transaction holding its lock
_TELLER = itertools.count()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_van(pad: Path) -> str | None:
    """The sha256 of the file at `pad`, None when there is none (the value `vereis_ongewijzigd` expects)."""
    try:
        return sha256(Path(pad).read_bytes())
    except FileNotFoundError:
        return None


class Transactie:
    """All writes of one command to `map_` (a region folder, or an aanbieder's output folder), all or nothing.

    Paths may be absolute, relative to the working directory, or (when that does not lead into `map_`)
    relative to `map_`; each must lie inside `map_` without passing a symbolic link
    out of it (TransactieFout otherwise). Raises BezetFout when another writer holds the folder for longer
    than `geduld` seconds. A Transactie on a folder this thread already holds joins the outer one (committed
    with it). After the block, `commit` is the git commit's hash (git=True and something changed) and
    `geschreven` the paths written or removed. `repo`: where a git repository is made when git=True finds
    none (default: the data folder above a region, else `map_`).
    """

    def __init__(self, map_: Path, handeling: str, *, auteur: Auteur | None = None, git: bool = False,
                 geduld: float = GEDULD, repo: Path | None = None):
        self.map = Path(os.path.abspath(map_))
        self.repo = Path(os.path.abspath(repo)) if repo is not None else None
        self.handeling = handeling
        self.auteur = auteur
        self.git = git
        self.geduld = geduld
        self.commit: str | None = None
        self.geschreven: list[Path] = []
        self._staged: dict[Path, Path | None] = {}  # target → staged file (None: remove)
        self._fd: int | None = None
        self._werk: Path | None = None
        self._ouder: Transactie | None = None
        self._sleutel = (threading.get_ident(), os.path.realpath(self.map))
        self._sigterm: Any = None
        self._maakte_map = False

    # -- entering and leaving

    @property
    def verborgen(self) -> Path:
        return self.map / VERBORGEN

    def __enter__(self) -> "Transactie":
        ouder = _ACTIEF.get(self._sleutel)
        if ouder is not None:
            self._ouder = ouder
            if self.git:
                ouder.git = True
            ouder.auteur = ouder.auteur or self.auteur
            return self
        if not self.map.exists():
            self._maakte_map = True  # e.g. the first document of a new region: removed again on rollback
        self.verborgen.mkdir(parents=True, exist_ok=True)
        fd = _open_slot(self.verborgen / SLOT)
        try:
            if not _neem(fd, self.geduld):
                raise BezetFout(f"'{toonbaar(display_path(self.map))}' wordt al gewijzigd door {houder_tekst(fd)}; "
                                "wacht tot dat klaar is en probeer het dan opnieuw (één wijziging tegelijk per map)",
                                str(self.map))
            schrijf_houder(fd, self.handeling, self.auteur)
            _herstel_onder_slot(self.map)
            self._werk = self.verborgen / f"{WERK}{os.getpid()}-{next(_TELLER)}"
            self._werk.mkdir()
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        _ACTIEF[self._sleutel] = self
        if threading.current_thread() is threading.main_thread() \
                and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            self._sigterm = signal.signal(signal.SIGTERM, _sigterm_als_ctrl_c)
        return self

    def __exit__(self, soort, fout, tb) -> None:
        if self._ouder is not None:
            return
        try:
            if soort is None:
                self._commit()
        finally:
            self._sluit()

    def _sluit(self) -> None:
        _ACTIEF.pop(self._sleutel, None)
        if self._sigterm is not None:
            signal.signal(signal.SIGTERM, self._sigterm)
            self._sigterm = None
        try:
            if self._werk is not None:
                shutil.rmtree(self._werk, ignore_errors=True)
            if self._maakte_map and not self.geschreven:
                _verwijder_verborgen(self.map)
        finally:
            if self._fd is not None:
                os.ftruncate(self._fd, 0)
                os.close(self._fd)  # closing releases the lock
                self._fd = None

    # -- staging

    def _eigen(self) -> "Transactie":
        doel = self._ouder or self
        if doel._fd is None:
            raise RuntimeError("Transactie buiten het with-blok gebruikt")
        return doel

    def pad(self, pad: Path | str) -> Path:
        """`pad` as an absolute path inside the folder; TransactieFout when it is not (the path named)."""
        p = Path(os.path.abspath(pad))  # relative: to the working directory, as everywhere ...
        if not Path(pad).is_absolute() and not _in(p, self.map):
            p = Path(os.path.abspath(self.map / pad))  # ... or else to the folder ("documenten/x.yaml")
        try:
            rel = p.relative_to(self.map)
        except ValueError:
            raise TransactieFout.een(toonbaar(p), f"ligt buiten {toonbaar(self.map)}; hier wordt niets geschreven")
        if not rel.parts or rel.parts[0] == VERBORGEN:
            raise TransactieFout.een(toonbaar(p), "is geen bestand dat een gebruiker schrijft")
        echt_map = os.path.realpath(self.map)
        if os.path.commonpath([echt_map, os.path.realpath(p.parent)]) != echt_map:
            raise TransactieFout.een(toonbaar(p), f"een symbolische koppeling in het pad wijst buiten "
                                                  f"{toonbaar(self.map)}; hier wordt niets geschreven")
        if p.is_symlink():
            raise TransactieFout.een(toonbaar(p), "is een symbolische koppeling; vervang die eerst door een "
                                                  "gewoon bestand")
        if p.is_dir():
            raise TransactieFout.een(toonbaar(p), "is een map, geen bestand")
        return p

    def schrijf(self, pad: Path | str, data: bytes) -> None:
        """Stage `data` for `pad` (fsync'ed into the werk folder); nobody sees it before the commit."""
        tx = self._eigen()
        doel = self.pad(pad)
        assert tx._werk is not None
        i = len(tx._staged)
        punt(f"transactie-schrijf-{i}")
        klaar = tx._werk / f"{i:04d}-{next(_TELLER)}"
        try:
            fd = os.open(klaar, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)  # umask applies
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except OSError as fout:  # a full disk: named by the file the user would have got
            klaar.unlink(missing_ok=True)
            raise OSError(fout.errno, fout.strerror, str(doel)) from fout
        vorige = tx._staged.get(doel)
        if vorige is not None:
            vorige.unlink(missing_ok=True)
        tx._staged[doel] = klaar

    def schrijf_tekst(self, pad: Path | str, tekst: str) -> None:
        self.schrijf(pad, tekst.encode("utf-8"))

    def verwijder(self, pad: Path | str) -> None:
        """Stage the removal of `pad` (nothing happens for a file that does not exist)."""
        tx = self._eigen()
        doel = self.pad(pad)
        vorige = tx._staged.get(doel)
        if vorige is not None:
            vorige.unlink(missing_ok=True)
        tx._staged[doel] = None

    def lees(self, pad: Path | str) -> bytes:
        """The staged version of `pad` if staged, else the file; FileNotFoundError when neither exists."""
        tx = self._eigen()
        doel = self.pad(pad)
        if doel in tx._staged:
            klaar = tx._staged[doel]
            if klaar is None:
                raise FileNotFoundError(errno.ENOENT, "verwijderd in deze transactie", str(doel))
            return klaar.read_bytes()
        return doel.read_bytes()

    def bestaat(self, pad: Path | str) -> bool:
        """Whether `pad` exists as this transaction would leave it."""
        tx = self._eigen()
        doel = self.pad(pad)
        if doel in tx._staged:
            return tx._staged[doel] is not None
        return doel.is_file()

    def vereis_ongewijzigd(self, pad: Path | str, sha256_: str | None) -> None:
        """Refuse (GelijktijdigGewijzigd) when the file on disk is not the one read: `sha256_` of its bytes
        then, or None when it did not exist then. Checked under the lock, so it stays true until the commit."""
        self._eigen()
        doel = self.pad(pad)
        nu = sha256_van(doel)
        if nu == sha256_:
            return
        wat = ("is intussen aangemaakt" if sha256_ is None else
               "is intussen verwijderd" if nu is None else "is intussen gewijzigd")
        raise GelijktijdigGewijzigd([Probleem(display_path(doel), bericht=f"{wat} {wie_wijzigde(self.map, doel)}")])

    # -- the commit

    def _commit(self) -> None:
        assert self._werk is not None
        stappen: list[dict[str, Any]] = []
        for i, (doel, klaar) in enumerate(sorted(self._staged.items())):
            had_oud = doel.is_file() or doel.is_symlink()
            if klaar is None and not had_oud:
                continue
            stappen.append({"doel": doel.relative_to(self.map).as_posix(),
                            "nieuw": klaar.relative_to(self.map).as_posix() if klaar else None,
                            "oud": (self._werk / f"oud-{i:04d}").relative_to(self.map).as_posix(),
                            "had_oud": had_oud})
        if not stappen:
            return
        mappen: list[str] = []
        for s in stappen:
            for ouder in reversed((self.map / s["doel"]).parents):
                if ouder != self.map and self.map in ouder.parents and not ouder.exists():
                    rel = ouder.relative_to(self.map).as_posix()
                    if rel not in mappen:
                        mappen.append(rel)
        git_wortel, git_voor = _git_voorbereid(self.map, self.repo) if self.git else (None, None)
        journaal = {"versie": 1, "stand": "bezig", "handeling": self.handeling, "pid": os.getpid(),
                    "gebruiker": gebruiker(), "auteur": [self.auteur.naam, self.auteur.email] if self.auteur else None,
                    "git": self.git, "repo": str(self.repo) if self.repo else None, "werk": self._werk.relative_to(self.map).as_posix(), "mappen": mappen,
                    "stappen": stappen, "git_wortel": str(git_wortel) if git_wortel else None, "git_voor": git_voor}
        pad = self.verborgen / JOURNAAL
        with _wisselslot(self.verborgen):
            try:
                with uitgesteld():
                    try:
                        punt("transactie-journaal")
                        schrijf_bytes(pad, json.dumps(journaal, indent=1, ensure_ascii=False).encode("utf-8"))
                        for rel in mappen:
                            (self.map / rel).mkdir()
                        for i, s in enumerate(stappen):
                            doel, oud = self.map / s["doel"], self.map / s["oud"]
                            if s["had_oud"]:
                                punt(f"transactie-oud-{i}")
                                _bewaar_oud(doel, oud)
                            punt(f"transactie-nieuw-{i}")
                            if s["nieuw"]:
                                os.replace(self.map / s["nieuw"], doel)
                            else:
                                doel.unlink()
                        for map_ in {(self.map / s["doel"]).parent for s in stappen}:
                            fsync_map(map_)
                        if git_wortel is not None:
                            # the git commit is part of the transaction: refused, and the files go back too
                            punt("transactie-git")
                            journaal["commit"] = git_commit(self.map, [self.map / s["doel"] for s in stappen],
                                                            self.handeling, self.auteur, wortel=git_wortel)
                            journaal["git_klaar"] = True
                        punt("transactie-klaar")
                        journaal["stand"] = "klaar"
                        schrijf_bytes(pad, json.dumps(journaal, indent=1, ensure_ascii=False).encode("utf-8"))
                    except BaseException:
                        _herstel_journaal(self.map)
                        raise
            finally:
                if _stand(pad) == "klaar":  # committed: also when a deferred Ctrl-C is raised now
                    self.geschreven = [self.map / s["doel"] for s in stappen]
                    punt("transactie-opruimen")
                    self.commit = _rond_af(self.map, journaal)


def _in(pad: Path, map_: Path) -> bool:
    return pad == map_ or map_ in pad.parents


def _sigterm_als_ctrl_c(signum, frame) -> None:
    raise KeyboardInterrupt


def _bewaar_oud(doel: Path, oud: Path) -> None:
    """Keep the old version of `doel` at `oud` without moving it away: a hard link (doel stays in place), or
    on file systems without hard links a copy put there whole."""
    try:
        os.link(doel, oud, follow_symlinks=False)
        return
    except OSError as fout:
        if fout.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
    tijdelijk = oud.with_name(oud.name + ".kopie")
    shutil.copy2(doel, tijdelijk, follow_symlinks=False)
    os.replace(tijdelijk, oud)


def _stand(pad: Path) -> str | None:
    try:
        return json.loads(pad.read_text(encoding="utf-8")).get("stand")
    except (OSError, ValueError, AttributeError):
        return None


# --- repair --------------------------------------------------------------------------------------------

def _resten(map_: Path) -> bool:
    verborgen = map_ / VERBORGEN
    try:
        return any(p.name not in BLIJVEND for p in verborgen.iterdir())
    except OSError:
        return False


def herstel(map_: Path) -> None:
    """Finish or undo what a killed transaction left in `map_` (a region folder or an aanbieder output folder).

    Cheap when there is nothing to repair (one directory listing). When a writer is busy in `map_`, waits
    only for a commit under way (milliseconds) and leaves the rest to that writer. A read-only folder is left
    as it is (nobody can have been writing in it).
    """
    map_ = Path(map_)
    if not _resten(map_):
        return
    try:
        fd = _open_slot(map_ / VERBORGEN / SLOT)
    except OSError:
        return
    try:
        if _neem(fd, 0):
            try:
                _herstel_onder_slot(map_)
            finally:
                os.close(fd)
                fd = -1
        else:
            with _wisselslot(map_ / VERBORGEN, gedeeld=True):
                pass
    except OSError:
        pass
    finally:
        if fd >= 0:
            os.close(fd)


def _herstel_onder_slot(map_: Path) -> None:
    """With the folder's lock held: the journal, then werk folders and journal temp files of dead writers."""
    verborgen = map_ / VERBORGEN
    if not _resten(map_):
        return
    with _wisselslot(verborgen):
        _herstel_journaal(map_)
        for pad in verborgen.iterdir():
            if pad.name in BLIJVEND:
                continue
            if pad.is_dir() and not pad.is_symlink():
                shutil.rmtree(pad, ignore_errors=True)
            else:
                pad.unlink(missing_ok=True)  # a journal written half (.journaal.json.*.tmp)
        fsync_map(verborgen)


def _herstel_journaal(map_: Path) -> bool:
    """Undo (stand bezig) or finish (stand klaar) the commit in the journal; False when there is none."""
    pad = map_ / VERBORGEN / JOURNAAL
    try:
        journaal = json.loads(pad.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        journaal = {}  # cannot be: it is written whole (temp file, rename); nothing was renamed then
    if journaal.get("stand") != "klaar" and _git_gemaakt(journaal, map_):
        journaal.update(stand="klaar", git_klaar=True)  # killed after git committed: finish, do not undo
    if journaal.get("stand") == "klaar":
        try:
            _rond_af(map_, journaal)
        except ContractgenFout:
            (map_ / VERBORGEN / JOURNAAL).unlink(missing_ok=True)  # git refused: the data itself is committed
        return True
    stappen = journaal.get("stappen", [])
    for s in reversed(stappen):
        doel, oud = map_ / s["doel"], map_ / s["oud"]
        if s["had_oud"]:
            if oud.exists() or oud.is_symlink():  # kept: whatever stands at doel now may be new
                os.replace(oud, doel)
        elif s["nieuw"] and not (map_ / s["nieuw"]).exists() and (doel.exists() or doel.is_symlink()):
            doel.unlink()  # a new file that was placed
    for rel in reversed(journaal.get("mappen", [])):
        try:
            (map_ / rel).rmdir()
        except OSError:
            pass
    for ouder in {(map_ / s["doel"]).parent for s in stappen}:
        fsync_map(ouder)
    if journaal.get("werk"):
        shutil.rmtree(map_ / journaal["werk"], ignore_errors=True)
    if journaal.get("git_wortel"):  # what `git add` staged before a refusal or a kill goes out of the index
        wortel = Path(journaal["git_wortel"])
        namen = [os.path.relpath(map_ / s["doel"], wortel) for s in stappen]
        if namen and (wortel / ".git").exists():
            _git(["reset", "-q", "--", *namen], wortel)
    pad.unlink()
    fsync_map(pad.parent)
    return True


def _rond_af(map_: Path, journaal: dict) -> str | None:
    """After the commit point: remove the old versions, commit to git if asked, log it, drop the journal.
    Returns the git commit's hash (None without git or without a change)."""
    if journaal.get("werk"):
        shutil.rmtree(map_ / journaal["werk"], ignore_errors=True)
    paden = [map_ / s["doel"] for s in journaal.get("stappen", [])]
    commit = journaal.get("commit")
    if journaal.get("git") and not journaal.get("git_klaar"):
        auteur = Auteur(*journaal["auteur"]) if journaal.get("auteur") else None
        commit = git_commit(map_, paden, journaal.get("handeling") or "contractgen", auteur,
                            Path(journaal["repo"]) if journaal.get("repo") else None)
    try:
        regel = {"tijd": time.time(), "handeling": journaal.get("handeling"), "gebruiker": journaal.get("gebruiker"),
                 "auteur": journaal.get("auteur"), "paden": [s["doel"] for s in journaal.get("stappen", [])],
                 "commit": commit}
        with open(map_ / VERBORGEN / LOGBOEK, "a", encoding="utf-8") as f:
            f.write(json.dumps(regel, ensure_ascii=False) + "\n")
    except OSError:
        pass  # the log only serves messages about who changed what
    (map_ / VERBORGEN / JOURNAAL).unlink(missing_ok=True)
    fsync_map(map_ / VERBORGEN)
    return commit


def _verwijder_verborgen(map_: Path) -> None:
    """A folder this transaction created and did not write into goes again (e.g. a region that was not made)."""
    shutil.rmtree(map_ / VERBORGEN, ignore_errors=True)
    try:
        map_.rmdir()
    except OSError:
        pass


def verborgen_resten(map_: Path) -> list[Path]:
    """What a killed transaction left in `map_` (empty after `herstel`)."""
    verborgen = Path(map_) / VERBORGEN
    if not verborgen.is_dir():
        return []
    return sorted(p for p in verborgen.iterdir() if p.name not in BLIJVEND)


# --- who changed a file --------------------------------------------------------------------------------

def wie_wijzigde(map_: Path, pad: Path) -> str:
    """'door A. Jurist <a@x.nl> op 06-12-2026 04:10 (Jaarwissel 2019)': from git log when the folder is in a
    git repository, else from the folder's log of transactions, else the file's time."""
    wortel = _git_wortel(map_)
    if wortel is not None:
        uit = _git(["log", "-1", "--format=%an%x00%ae%x00%at%x00%s", "--", str(pad)], wortel)
        if uit.returncode == 0 and uit.stdout.strip():
            naam, email, tijd, onderwerp = (uit.stdout.strip("\n").split("\0") + ["", "", "0", ""])[:4]
            return toonbaar(f"door {naam} <{email}> op {_tijd(float(tijd or 0))} ({onderwerp})")
    try:
        rel = Path(os.path.abspath(pad)).relative_to(Path(os.path.abspath(map_))).as_posix()
        regels = (Path(map_) / VERBORGEN / LOGBOEK).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        regels, rel = [], ""
    for regel in reversed(regels[-2000:]):
        try:
            item = json.loads(regel)
        except ValueError:
            continue
        if rel in item.get("paden", []):
            wie = item["auteur"][0] if item.get("auteur") else item.get("gebruiker") or "onbekend"
            return toonbaar(f"door {wie} op {_tijd(item.get('tijd', 0))} ({item.get('handeling') or 'contractgen'})")
    try:
        return f"op {_tijd(Path(pad).stat().st_mtime)} (door wie is niet bekend: buiten contractgen om)"
    except OSError:
        return "(door wie en wanneer is niet bekend: buiten contractgen om)"


def _tijd(t: float) -> str:
    return time.strftime("%d-%m-%Y %H:%M:%S", time.localtime(t))


# --- git -----------------------------------------------------------------------------------------------

def _git(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as fout:
        return subprocess.CompletedProcess(["git", *args], 127, "", str(fout))


def _git_wortel(map_: Path) -> Path | None:
    if shutil.which("git") is None or not Path(map_).is_dir():
        return None
    uit = _git(["rev-parse", "--show-toplevel"], Path(map_))
    return Path(uit.stdout.strip()) if uit.returncode == 0 and uit.stdout.strip() else None


def repository_map(map_: Path) -> Path:
    """Where a data repository is made when there is none: the data folder above a region, else the folder."""
    map_ = Path(map_)
    return map_.parent if (map_ / "regio.yaml").is_file() else map_


def _git_fout(wortel: Path, wat: str, uit: subprocess.CompletedProcess) -> ContractgenFout:
    """git's own (English) words go to the log; the user reads what happened and what to do."""
    LOG.warning("git %s mislukt in %s: %s", wat, wortel, (uit.stderr or uit.stdout).strip())
    return TransactieFout.een(toonbaar(display_path(wortel)),
                              f"de wijziging kon niet in de geschiedenis (git) worden vastgelegd ({wat} weigerde); "
                              "er is niets opgeslagen. De beheerder vindt de oorzaak in het logboek van de server "
                              "of van de opdrachtregel")


def git_repository(map_: Path, repo: Path | None = None) -> Path:
    """The repository the data of `map_` is committed to; made (`git init`) when there is none, or when the
    repository around it ignores the folder (e.g. demo data inside a clone of contractgen: its .gitignore
    leaves `.contractgen/` out, so `git add` would refuse). Where it is made: `repo`, else `repository_map`.
    Raises TransactieFout (Dutch) when git is missing or refuses."""
    map_ = Path(os.path.abspath(map_))
    if shutil.which("git") is None:
        raise TransactieFout.een(toonbaar(display_path(map_)), "git is niet geïnstalleerd, zodat de wijziging niet "
                                                               "in de geschiedenis kan worden vastgelegd; er is niets "
                                                               "opgeslagen. Installeer git (apt-get install git)")
    wortel = _git_wortel(map_)
    if wortel is not None and map_ != wortel and \
            _git(["check-ignore", "-q", "--", os.path.relpath(map_, wortel)], wortel).returncode == 0:
        wortel = None  # not really in that repository
    if wortel is None:
        wortel = Path(os.path.abspath(repo)) if repo is not None else repository_map(map_)
        wortel.mkdir(parents=True, exist_ok=True)
        uit = _git(["init", "-q"], wortel)
        if uit.returncode != 0:
            raise _git_fout(wortel, "git init", uit)
    return wortel


def _git_voorbereid(map_: Path, repo: Path | None) -> tuple[Path, str | None]:
    """Before anything is written: the repository (made if needed) and its HEAD then (None: no commit yet)."""
    wortel = git_repository(map_, repo)
    uit = _git(["rev-parse", "-q", "--verify", "HEAD"], wortel)
    return wortel, (uit.stdout.strip() or None) if uit.returncode == 0 else None


def _git_gemaakt(journaal: dict, map_: Path) -> bool:
    """Did this transaction's git commit happen before the process was stopped? A commit after the HEAD of
    then with the transaction's message that touches its files (other regions may have committed since)."""
    if not journaal.get("git_wortel") or journaal.get("git_klaar"):
        return bool(journaal.get("git_klaar"))
    wortel = Path(journaal["git_wortel"])
    if not (wortel / ".git").exists():
        return False
    bereik = f"{journaal['git_voor']}..HEAD" if journaal.get("git_voor") else "HEAD"
    namen = [os.path.relpath(map_ / s["doel"], wortel) for s in journaal.get("stappen", [])]
    uit = _git(["log", "--format=%s", bereik, "--", *namen], wortel)
    onderwerp = (journaal.get("handeling") or "contractgen").splitlines()[0]
    return uit.returncode == 0 and onderwerp in uit.stdout.splitlines()


def _git_naam(tekst: str) -> str:
    """A name as git keeps it unchanged: git silently drops '<', '>' and line breaks from an author (a name typed
    as 'A. <b>Jurist</b>' became 'A. bJurist/b'); they become look-alikes, the rest stays as typed."""
    return " ".join(tekst.replace("<", "‹").replace(">", "›").split())


def git_commit(map_: Path, paden: list[Path], bericht: str, auteur: Auteur | None,
               repo: Path | None = None, wortel: Path | None = None) -> str | None:
    """`git add` + `git commit` of exactly `paden` in the repository of `map_` (`wortel`, else found or made by
    `git_repository`, with a .gitignore that leaves out the hidden .contractgen/ folders). Author: `auteur`,
    else git's configured user, else contractgen. Returns the commit's hash, None when nothing changed.
    Raises TransactieFout (Dutch; git's words in the log) when git refuses; what it staged is unstaged."""
    wortel = wortel or git_repository(map_, repo)
    paden = list(paden)
    negeer = wortel / ".gitignore"
    if _git(["check-ignore", "-q", f"{VERBORGEN}/x"], wortel).returncode != 0:
        bestaand = negeer.read_text(encoding="utf-8") if negeer.is_file() else ""
        scheiding = "" if not bestaand or bestaand.endswith("\n") else "\n"
        schrijf_bytes(negeer, (bestaand + scheiding + f"# status van contractgen (slot, journaal)\n{VERBORGEN}/\n")
                      .encode("utf-8"))
        paden.append(negeer)
    env = dict(os.environ)
    ingesteld = _git(["config", "user.name"], wortel).stdout.strip(), _git(["config", "user.email"], wortel).stdout.strip()
    naam, email = (auteur.naam, auteur.email) if auteur else (ingesteld if all(ingesteld) else GIT_STANDAARD)
    naam, email = _git_naam(naam), _git_naam(email)
    env.update(GIT_AUTHOR_NAME=naam, GIT_AUTHOR_EMAIL=email)
    if not all(ingesteld):
        env.update(GIT_COMMITTER_NAME=naam, GIT_COMMITTER_EMAIL=email)
    namen = [os.path.relpath(os.path.abspath(p), wortel) for p in paden]
    bekend = set(_git(["ls-files", "-z", "--", *namen], wortel).stdout.split("\0"))
    namen = [n for n in namen if n in bekend or os.path.lexists(wortel / n)]  # a removed file git never had: no change
    if not namen:
        return None
    git_map = _git(["rev-parse", "--absolute-git-dir"], wortel).stdout.strip()
    fd = _open_slot(Path(git_map) / "contractgen.lock") if git_map else None
    try:
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # one commit at a time per repository (regions share one)
        uit = _git(["add", "-A", "--", *namen], wortel, env)
        if uit.returncode != 0:
            _git(["reset", "-q", "--", *namen], wortel)
            raise _git_fout(wortel, "git add", uit)
        if _git(["diff", "--cached", "--quiet", "--", *namen], wortel).returncode == 0:
            return None  # nothing changed in git's eyes
        uit = _git(["commit", "-q", "--no-verify", "-m", bericht, "--", *namen], wortel, env)
        if uit.returncode != 0:
            _git(["reset", "-q", "--", *namen], wortel)
            raise _git_fout(wortel, "git commit", uit)
        return _git(["rev-parse", "HEAD"], wortel).stdout.strip() or None
    finally:
        if fd is not None:
            os.close(fd)
