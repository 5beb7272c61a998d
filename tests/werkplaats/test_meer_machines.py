"""The workplace on more than one machine: PostgreSQL for accounts, sessions, jobs and the audit log, Redis (RQ)
for the jobs, a worker started apart from the server (its own state folder, as on another machine) and the PDFs
made by a converter service (unoserver). Real servers, started by the test itself (tests/diensten.py)."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys

import psycopg
import pytest
from pypdf import PdfReader

from tests import diensten
from tests.test_omzetdienst import UNOSERVER, Instantie
from tests.werkplaats.conftest import inloggen, start_werkplaats, stop_werkplaats, toegankelijk


@pytest.fixture(scope="module")
def verdeeld(tmp_path_factory):
    map_ = tmp_path_factory.mktemp("meer-machines")
    if not UNOSERVER.exists():
        pytest.fail(f"{UNOSERVER} ontbreekt: voer scripts/installeer.sh uit")
    with diensten.postgresql(map_ / "postgres") as database, diensten.redis(map_ / "redis") as redis:
        omzetter = Instantie(map_)
        try:
            omzetter.wacht(__import__("time").monotonic() + 90)
            env = {"CONTRACTGEN_DATABASE": database, "CONTRACTGEN_REDIS": redis,
                   "CONTRACTGEN_OMZETDIENSTEN": f"unoserver://127.0.0.1:{omzetter.poort}"}
            w = start_werkplaats(map_ / "server", extra_env=env, opties=("--geen-werker",))
            # the worker: another process with its own state folder, sharing only database, Redis, data and output
            werker_log = map_ / "werker.log"
            with open(werker_log, "wb") as uit:
                werker = subprocess.Popen([sys.executable, "-m", "contractgen", "werker", "--data", str(w.data),
                                           "--uitvoer", str(w.uitvoer), "--staat", str(map_ / "werker-staat")],
                                          env={**os.environ, **env}, stdout=uit, stderr=subprocess.STDOUT,
                                          start_new_session=True)
            try:
                yield w, database, werker
            finally:
                os.killpg(werker.pid, signal.SIGTERM)
                werker.wait(20)
                stop_werkplaats(w)
        finally:
            omzetter.dood()


def test_bouw_via_redis_werker_en_omzetdienst(verdeeld, pagina):
    w, database, werker = verdeeld
    inloggen(pagina, w, "inkoop@mh.example")
    pagina.goto(f"{w.url}/regio/maastricht-heuvelland/")
    toegankelijk(pagina)
    rij = pagina.locator("#aanbieders tbody tr", has_text="90000004")
    rij.get_by_role("button", name=re.compile("^Bouw")).click()
    pagina.locator("#uitkomst").wait_for(timeout=240_000)
    with pagina.expect_download() as d:
        pagina.get_by_role("link", name="Download contractpakket.pdf").click()
    pdf = PdfReader(io.BytesIO(open(d.value.path(), "rb").read()))
    assert "90000004" in pdf.pages[0].extract_text()
    # everything the server knows is in PostgreSQL: the job, who started it, and which process ran it
    with psycopg.connect(database) as c:
        status, werker_pid, door = c.execute(
            "SELECT t.status, t.werker, u.username FROM regio_bouwtaak t JOIN auth_user u ON u.id = t.gestart_door_id"
        ).fetchone()
        assert status == "klaar" and door == "inkoop@mh.example"
        assert werker_pid and int(werker_pid.rsplit(":", 1)[1]) != w.proces.pid
        handelingen = [r[0] for r in c.execute("SELECT wat FROM audit_handeling ORDER BY wanneer")]
    assert "ingelogd" in handelingen and "bouw gestart" in handelingen and "bestand gedownload" in handelingen
    # the server itself converted nothing: no LibreOffice of the server's or worker's own ran
    assert werker.poll() is None
