"""Real PostgreSQL and Redis servers for the tests, started by the tests themselves (no service of the machine).

PostgreSQL refuses to run as root: as root the data folder belongs to the `postgres` user the Debian package
made, and the server runs as that user (runuser). Each server listens on 127.0.0.1 on a free port, keeps
everything in a temporary folder and is stopped (its process group killed) afterwards.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_bin() -> Path | None:
    kandidaten = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    return Path(kandidaten[-1]).parent if kandidaten else None


def _wacht_op_poort(poort: int, proces: subprocess.Popen, log: Path, tijd: float = 30) -> None:
    einde = time.monotonic() + tijd
    while time.monotonic() < einde:
        if proces.poll() is not None:
            raise RuntimeError(f"server stopte: {log.read_text(errors='replace')[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", poort)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server luistert niet op {poort}: {log.read_text(errors='replace')[-2000:]}")


def _stop(proces: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proces.pid, signal.SIGTERM)
    try:
        proces.wait(10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proces.pid, signal.SIGKILL)
        proces.wait(5)


@contextlib.contextmanager
def postgresql(map_: Path):
    """A PostgreSQL server with database `contractgen`; yields its URL (postgresql://…)."""
    bin_ = _postgres_bin()
    if bin_ is None:
        raise RuntimeError("PostgreSQL ontbreekt; scripts/installeer.sh installeert het (pakket postgresql)")
    # pytest's own temporary folders are root-only (0700): the server gets a folder of its own in /tmp
    map_ = Path(tempfile.mkdtemp(prefix="contractgen-pg-"))
    data = map_ / "pg"
    data.mkdir()
    als: list[str] = []
    if os.geteuid() == 0:
        gebruiker = pwd.getpwnam("postgres")
        for p in (map_, data):
            os.chown(p, gebruiker.pw_uid, gebruiker.pw_gid)
        als = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*als, str(bin_ / "initdb"), "-D", str(data), "-U", "contractgen", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    poort = vrije_poort()
    log = map_ / "pg.log"
    with open(log, "wb") as uit:
        proces = subprocess.Popen([*als, str(bin_ / "postgres"), "-D", str(data), "-p", str(poort), "-k", str(map_),
                                   "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
                                  stdout=uit, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wacht_op_poort(poort, proces, log)
        einde = time.monotonic() + 20
        while True:
            r = subprocess.run([*als, str(bin_ / "createdb"), "-h", "127.0.0.1", "-p", str(poort), "-U", "contractgen",
                                "contractgen"], capture_output=True, text=True)
            if r.returncode == 0:
                break
            if time.monotonic() > einde:
                raise RuntimeError(f"createdb: {r.stderr}")
            time.sleep(0.3)
        yield f"postgresql://contractgen@127.0.0.1:{poort}/contractgen"
    finally:
        _stop(proces)
        shutil.rmtree(map_, ignore_errors=True)


@contextlib.contextmanager
def redis(map_: Path):
    """A Redis server without persistence; yields its URL (redis://…/0)."""
    server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError("Redis ontbreekt; scripts/installeer.sh installeert het (pakket redis-server)")
    map_.mkdir(parents=True, exist_ok=True)
    poort = vrije_poort()
    log = map_ / "redis.log"
    with open(log, "wb") as uit:
        proces = subprocess.Popen([server, "--port", str(poort), "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--dir", str(map_)],
                                  stdout=uit, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wacht_op_poort(poort, proces, log)
        yield f"redis://127.0.0.1:{poort}/0"
    finally:
        _stop(proces)
