"""`build --converter`: PDFs made by running unoserver services, the same bytes as a local build.

Two real unoserver instances on loopback ports stand in for two machines (each its own LibreOffice,
user profile and process group, from `.venv-unoserver`, which scripts/installeer.sh makes). One is
killed with SIGKILL in the middle of a build; then both. Every instance is killed after its test.
"""

from __future__ import annotations

import contextlib
import errno
import http.server
import os
import re
import signal
import socket
import subprocess
import threading
import time
import xmlrpc.client
from pathlib import Path

import docx
import pytest
from conftest import DATA, ROOT

from contractgen.cli import main
from contractgen.uitvoer import omzetdienst
from contractgen.uitvoer.libreoffice import ConversieFout
from contractgen.uitvoer.omzetdienst import Dienst, Dienstpool, _Klant

UNOSERVER = ROOT / ".venv-unoserver" / "bin" / "unoserver"
AANBIEDER = "voorbeeld-jeugd-wmo-ambulant"
REGIO = DATA / "maastricht-heuvelland"


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _uno_beschikbaar() -> bool:
    return subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True).returncode == 0


class Instantie:
    """One unoserver (its LibreOffice too) in its own process group."""

    def __init__(self, map_: Path):
        self.poort = _vrije_poort()
        uno_poort = _vrije_poort()
        self.log = map_ / f"unoserver-{self.poort}.log"
        with self.log.open("wb") as log:
            self.proces = subprocess.Popen(
                [str(UNOSERVER), "--interface", "127.0.0.1", "--port", str(self.poort), "--uno-port", str(uno_poort),
                 "--user-installation", str(map_ / f"profiel-{self.poort}")],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def dienst(self) -> Dienst:
        return Dienst("127.0.0.1", self.poort)

    def wacht(self, tot: float) -> None:
        while time.monotonic() < tot:
            try:
                _Klant(self.dienst, 2).info()
                return
            except Exception:  # noqa: BLE001 - not up yet
                if self.proces.poll() is not None:
                    break
                time.sleep(0.3)
        raise RuntimeError(f"unoserver op {self.poort} start niet:\n{self.log.read_text(errors='replace')}")

    def dood(self) -> None:
        try:
            os.killpg(self.proces.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proces.wait()


@contextlib.contextmanager
def _twee_instanties(map_: Path):
    """Two running unoserver instances; killed (whole process group) afterwards, whatever happened."""
    if not UNOSERVER.exists():
        if not _uno_beschikbaar():
            pytest.skip("python3-uno ontbreekt (LibreOffice's Python-brug); scripts/installeer.sh installeert het")
        pytest.fail(f"{UNOSERVER} ontbreekt: voer scripts/installeer.sh uit")
    instanties: list[Instantie] = []
    try:
        for _ in range(2):
            instanties.append(Instantie(map_))
        tot = time.monotonic() + 90
        for i in instanties:
            i.wacht(tot)
        yield instanties
    finally:
        for i in instanties:
            i.dood()
        for i in instanties:  # the group is gone: no LibreOffice of this test survives it
            assert _groep_weg(i.proces.pid), f"processen van unoserver {i.poort} leven nog"


@pytest.fixture
def twee(tmp_path):
    """Two instances of this test's own: for tests that kill them."""
    with _twee_instanties(tmp_path) as instanties:
        yield instanties


@pytest.fixture(scope="module")
def gedeeld(tmp_path_factory):
    """Two instances shared by the tests that leave them running (starting one takes ~8 s)."""
    with _twee_instanties(tmp_path_factory.mktemp("unoserver")) as instanties:
        yield instanties


def _groep_weg(pgid: int, binnen: float = 10) -> bool:
    """True once no process of group `pgid` exists (killed children take a moment to be reaped)."""
    tot = time.monotonic() + binnen
    while time.monotonic() < tot:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _bestanden(uitvoer: Path) -> dict[str, bytes]:
    """Every file a user gets (not the cache), by path."""
    return {p.relative_to(uitvoer).as_posix(): p.read_bytes() for p in sorted(uitvoer.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(uitvoer).parts}


def _bouw(runner, uitvoer: Path, *extra: str):
    return runner.invoke(main, ["build", str(REGIO), "--uitvoer", str(uitvoer), "--aanbieder", AANBIEDER, *extra])


@pytest.fixture(scope="module")
def lokaal(tmp_path_factory):
    """The files of a local build (LibreOffice here), and its seconds."""
    from click.testing import CliRunner

    uitvoer = tmp_path_factory.mktemp("lokaal")
    begin = time.perf_counter()
    uitslag = _bouw(CliRunner(), uitvoer)
    assert uitslag.exit_code == 0, uitslag.output
    return _bestanden(uitvoer), time.perf_counter() - begin


def _adres(instanties) -> str:
    return "unoserver://" + ",".join(f"127.0.0.1:{i.poort}" for i in instanties)


def _tel_en_grijp_in(monkeypatch, ingreep):
    """Count conversions per port; `ingreep(poort, n)` runs before the n-th request (1-based) to that port."""
    echt = _Klant.convert
    gedaan: dict[int, int] = {}
    aanvragen: dict[int, int] = {}
    slot = threading.Lock()

    def convert(self, *args, **kwargs):
        poort = int(self.port)
        with slot:
            aanvragen[poort] = aanvragen.get(poort, 0) + 1
            n = aanvragen[poort]
        ingreep(poort, n)
        uit = echt(self, *args, **kwargs)
        with slot:
            gedaan[poort] = gedaan.get(poort, 0) + 1
        return uit

    monkeypatch.setattr(_Klant, "convert", convert)
    return gedaan


def test_two_services_give_the_same_files_as_a_local_build(gedeeld, lokaal, runner, tmp_path, monkeypatch):
    gedaan = _tel_en_grijp_in(monkeypatch, lambda poort, n: None)
    uitvoer = tmp_path / "uit"
    begin = time.perf_counter()
    uitslag = _bouw(runner, uitvoer, "--converter", _adres(gedeeld))
    duur = time.perf_counter() - begin
    assert uitslag.exit_code == 0, uitslag.output
    bestanden, lokale_duur = lokaal
    assert sorted(_bestanden(uitvoer)) == sorted(bestanden)
    verschil = [n for n, inhoud in _bestanden(uitvoer).items() if inhoud != bestanden[n]]
    assert verschil == []  # every document PDF, contractpakket.pdf, .docx and manifest, byte for byte
    assert any(n.endswith(f"{AANBIEDER}/contractpakket.pdf") for n in bestanden)
    assert all(gedaan.get(i.poort, 0) >= 1 for i in gedeeld), gedaan  # both services did work
    assert "let op" not in uitslag.output
    print(f"\nlokaal {lokale_duur:.1f} s, twee omzetdiensten {duur:.1f} s, per dienst {gedaan}")


def test_a_service_killed_mid_build_is_dropped_and_the_result_is_the_same(twee, lokaal, runner, tmp_path,
                                                                           monkeypatch):
    weg, blijft = twee

    def ingreep(poort: int, n: int) -> None:
        if poort == weg.poort and n == 2:  # after its first conversion, while its second is under way
            threading.Timer(0.05, weg.dood).start()

    gedaan = _tel_en_grijp_in(monkeypatch, ingreep)
    uitvoer = tmp_path / "uit"
    uitslag = _bouw(runner, uitvoer, "--converter", _adres(twee))
    assert uitslag.exit_code == 0, uitslag.output
    assert weg.proces.poll() is not None  # really killed
    assert (f"let op: omzetdienst 127.0.0.1:{weg.poort} " in uitslag.output
            and f"deze wordt niet meer gebruikt, de overige documenten gaan naar 127.0.0.1:{blijft.poort}"
            in uitslag.output), uitslag.output
    assert 1 <= gedaan.get(weg.poort, 0) <= 2 and gedaan[blijft.poort] >= 10, gedaan
    bestanden, _ = lokaal
    assert _bestanden(uitvoer) == bestanden


def test_a_hanging_service_times_out_and_is_dropped(twee, lokaal, runner, tmp_path, monkeypatch):
    # a machine that stops answering (SIGSTOP: the connection stays open, nothing comes back)
    hangt, blijft = twee

    def ingreep(poort: int, n: int) -> None:
        if poort == hangt.poort and n == 2:
            os.killpg(hangt.proces.pid, signal.SIGSTOP)

    monkeypatch.setattr(omzetdienst, "tijdslimiet", lambda docx: 3.0)  # the real one allows 25 s and more
    gedaan = _tel_en_grijp_in(monkeypatch, ingreep)
    uitvoer = tmp_path / "uit"
    uitslag = _bouw(runner, uitvoer, "--converter", _adres(twee))
    assert uitslag.exit_code == 0, uitslag.output
    assert (f"let op: omzetdienst 127.0.0.1:{hangt.poort} gaf binnen 3 s geen antwoord; deze wordt niet meer "
            f"gebruikt, de overige documenten gaan naar 127.0.0.1:{blijft.poort}") in uitslag.output, uitslag.output
    assert gedaan.get(hangt.poort) == 1, gedaan
    assert _bestanden(uitvoer) == lokaal[0]


def test_all_services_dying_is_a_dutch_error_and_the_previous_output_stays(twee, runner, tmp_path, monkeypatch):
    uitvoer = tmp_path / "uit"
    assert _bouw(runner, uitvoer, "--geen-pdf").exit_code == 0
    vorige = _bestanden(uitvoer)

    def ingreep(poort: int, n: int) -> None:
        if n == 2:  # each service converts one document, then they all go
            for i in twee:
                i.dood()

    _tel_en_grijp_in(monkeypatch, ingreep)
    uitslag = _bouw(runner, uitvoer, "--converter", _adres(twee))
    assert uitslag.exit_code == 1
    fout = uitslag.output
    assert "fout: geen omzetdienst meer bruikbaar (" in fout, fout
    for i in twee:
        assert f"127.0.0.1:{i.poort} weigert de verbinding" in fout or f"127.0.0.1:{i.poort} verbrak de verbinding" in fout
    # the documents as the user knows them, not the cache's hash names
    assert re.search(rf"; niet omgezet naar PDF: .*maastricht-heuvelland/2018/{AANBIEDER}/01-dvo\.docx", fout), fout
    assert not re.search(r"[0-9a-f]{64}", fout)
    assert _bestanden(uitvoer) == vorige
    assert not list(uitvoer.glob(".bouw-*"))  # no temp folder left


def test_a_document_no_service_can_convert_is_named_after_two_tries(gedeeld, tmp_path, monkeypatch):
    aanvragen: list[int] = []
    gedaan = _tel_en_grijp_in(monkeypatch, lambda poort, n: aanvragen.append(poort))
    kapot = tmp_path / "kapot.docx"
    kapot.write_bytes(b"PK\x03\x04 dit is geen echt Word-bestand")
    goed = tmp_path / "goed.docx"
    document = docx.Document()
    document.add_paragraph("Overeenkomst tussen gemeente en zorgaanbieder")
    document.save(str(goed))
    pool = Dienstpool([i.dienst for i in gedeeld])
    with pytest.raises(ConversieFout, match=r"ook niet na een tweede poging\): kapot\.docx \(") as fout:
        pool.converteer([kapot, goed], tmp_path / "pdf")
    assert goed.name not in str(fout.value)
    assert (tmp_path / "pdf" / f"{goed.stem}.pdf").read_bytes()[:5] == b"%PDF-"
    assert pool.uitgevallen == {}  # a bad document does not take a service down
    assert sum(gedaan.values()) == 1 and len(aanvragen) == 3  # the good one once; kapot twice, both failed


def test_a_service_that_spoils_every_document_is_dropped_and_the_others_take_over(gedeeld, tmp_path, monkeypatch):
    # a service whose XML-RPC answers but whose conversions all fail (as a broken LibreOffice behind it would)
    kwaad, goed = gedeeld

    def ingreep(poort: int, n: int) -> None:
        if poort == kwaad.poort:
            time.sleep(0.2)  # let the good one finish a document first, as a real failing service would
            raise xmlrpc.client.Fault(1, "<class 'RuntimeError'>:Could not load document <remote file>")

    gedaan = _tel_en_grijp_in(monkeypatch, ingreep)
    meldingen: list[str] = []
    docs = []
    for i in range(8):
        pad = tmp_path / f"doc-{i}.docx"
        document = docx.Document()
        document.add_paragraph(f"Overeenkomst nummer {i} tussen gemeente en zorgaanbieder")
        document.save(str(pad))
        docs.append(pad)
    pool = Dienstpool([kwaad.dienst, goed.dienst], melden=meldingen.append)
    pdfs = pool.converteer(docs, tmp_path / "pdf")
    assert all(pdfs[d].read_bytes()[:5] == b"%PDF-" for d in docs)
    assert gedaan == {goed.poort: 8}
    assert list(pool.uitgevallen) == [kwaad.dienst]
    assert meldingen == [f"omzetdienst {kwaad.dienst} gaf 3 documenten na elkaar geen bruikbare PDF (laatste: de "
                         "omzetdienst meldt: <class 'RuntimeError'>:Could not load document <remote file>); deze wordt "
                         f"niet meer gebruikt, de overige documenten gaan naar {goed.dienst}"]


def test_pdfa_reaches_the_service(gedeeld, tmp_path):
    # SelectPdfVersion travels as text "2" and must arrive as a number, or LibreOffice writes plain PDF
    goed = tmp_path / "goed.docx"
    document = docx.Document()
    document.add_paragraph("Overeenkomst tussen gemeente en zorgaanbieder")
    document.save(str(goed))
    pool = Dienstpool([gedeeld[0].dienst])
    assert b"pdfaid:part" in pool.converteer([goed], tmp_path / "a", pdfa=True)[goed].read_bytes()
    assert b"pdfaid:part" not in pool.converteer([goed], tmp_path / "b", pdfa=False)[goed].read_bytes()


def test_a_full_disk_here_is_not_blamed_on_the_services(gedeeld, tmp_path, monkeypatch):
    goed = tmp_path / "goed.docx"
    document = docx.Document()
    document.add_paragraph("Overeenkomst tussen gemeente en zorgaanbieder")
    document.save(str(goed))

    def vol(pdf, docx=None):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(pdf))

    monkeypatch.setattr(omzetdienst, "controleer_pdf", vol)  # reading back the PDF just written fails
    meldingen: list[str] = []
    pool = Dienstpool([i.dienst for i in gedeeld], melden=meldingen.append)
    with pytest.raises(OSError) as fout:
        pool.converteer([goed], tmp_path / "pdf")
    assert fout.value.errno == errno.ENOSPC
    assert pool.uitgevallen == {} and meldingen == []


def test_broken_documents_do_not_take_the_only_service_down(gedeeld, tmp_path):
    kapot = []
    for i in range(4):
        pad = tmp_path / f"kapot-{i}.docx"
        pad.write_bytes(b"PK\x03\x04 dit is geen echt Word-bestand")
        kapot.append(pad)
    pool = Dienstpool([gedeeld[0].dienst])
    with pytest.raises(ConversieFout) as fout:
        pool.converteer(kapot, tmp_path / "pdf")
    assert "ook niet na een tweede poging): kapot-0.docx (" in str(fout.value)
    assert all(p.name in str(fout.value) for p in kapot)
    assert pool.uitgevallen == {}


def test_an_unreachable_service_is_named_before_anything_is_built(runner, tmp_path):
    # a port where nothing listens, and an HTTP server that is not unoserver
    stil = _vrije_poort()
    web = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    try:
        uitvoer = tmp_path / "uit"
        uitslag = _bouw(runner, uitvoer, "--converter", f"127.0.0.1:{stil}", "--converter",
                        f"localhost:{web.server_port}")
    finally:
        web.shutdown()
        web.server_close()
    assert uitslag.exit_code == 1
    assert (f"fout: omzetdienst niet bruikbaar: 127.0.0.1:{stil} weigert de verbinding (draait unoserver daar op die "
            f"poort?); localhost:{web.server_port} antwoordt niet als unoserver (HTTP 501)") in uitslag.output
    assert "er is niets gebouwd" in uitslag.output
    assert not uitvoer.exists()


@pytest.mark.parametrize("waarde, melding", [
    ("127.0.0.1", "'127.0.0.1': de poort ontbreekt; verwacht host:poort"),
    ("server-a:2003,server-b", "'server-b' in 'server-a:2003,server-b': de poort ontbreekt"),
    ("server-a:twee", "'server-a:twee': poort 'twee' is geen getal van 1 tot en met 65535"),
    ("server-a:70000", "'server-a:70000': poort '70000' is geen getal van 1 tot en met 65535"),
    ("http://server-a:2003", "'http://server-a:2003': onbekend soort omzetdienst 'http://'; alleen unoserver:// kan"),
    ("unoserver://", "'unoserver://': een adres ontbreekt"),
    ("server a:2003", "'server a:2003': 'server a' is geen hostnaam of IP-adres"),
    ("::1:2003", "'::1:2003': '::1' is geen hostnaam of IP-adres (een IPv6-adres tussen blokhaken: [::1]:2003)"),
    ("a:2003,a:2003", "'a:2003,a:2003': a:2003 staat er twee keer in"),
])
def test_a_bad_address_is_refused_as_typed_before_anything_is_written(runner, tmp_path, waarde, melding):
    uitvoer = tmp_path / "uit"
    uitslag = _bouw(runner, uitvoer, "--converter", waarde)
    assert uitslag.exit_code == 2
    assert "--converter" in uitslag.output and melding in " ".join(uitslag.output.split()), uitslag.output
    assert not uitvoer.exists()


def test_converter_with_geen_pdf_is_refused(runner, tmp_path):
    uitslag = _bouw(runner, tmp_path / "uit", "--geen-pdf", "--converter", "127.0.0.1:2003")
    assert uitslag.exit_code == 2
    assert "--converter maakt PDF's; dat gaat niet samen met --geen-pdf" in uitslag.output
    assert not (tmp_path / "uit").exists()


def test_ipv6_and_repeated_options_are_read():
    from contractgen.uitvoer.omzetdienst import lees_diensten

    assert lees_diensten(["unoserver://[::1]:2003,a.example:2004", "UNOSERVER://b:1"]) == [
        Dienst("[::1]", 2003), Dienst("a.example", 2004), Dienst("b", 1)]


def test_a_service_that_answers_a_byte_a_second_is_stopped_at_the_deadline():
    """Issue 24: valid headers, then one byte per second: a per-read time-out never trips, the build hung."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def druppel() -> None:
        while not stop.is_set():
            try:
                verbinding, _ = server.accept()
            except OSError:
                return
            with verbinding:
                verbinding.recv(65536)
                verbinding.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n")
                try:
                    while not stop.is_set():
                        verbinding.sendall(b" ")
                        time.sleep(1)
                except OSError:
                    pass

    threading.Thread(target=druppel, daemon=True).start()
    begin = time.monotonic()
    try:
        with pytest.raises(TimeoutError):
            _Klant(Dienst("127.0.0.1", server.getsockname()[1]), 3.0).convert(
                indata=b"PK", convert_to="pdf", filtername="writer_pdf_Export", update_index=False)
    finally:
        stop.set()
        server.close()
    assert time.monotonic() - begin < 6  # the deadline (3 s), not 3 s per byte
    assert omzetdienst._reden(TimeoutError(), 3.0) == "gaf binnen 3 s geen antwoord"
