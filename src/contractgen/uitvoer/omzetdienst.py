"""DOCX → PDF through a pool of running LibreOffice converter services (unoserver), possibly on other machines.

`contractgen build --converter unoserver://host:poort[,host:poort…]` (or `host:poort`; the option may
be repeated) names the services; `lees_diensten` parses what the user typed. `Dienstpool.converteer`
has the signature of `libreoffice.converteer`, so the PDF stage does not know which one it uses.

Spread: one thread per service takes documents from one shared list, so a slow service takes fewer
and a dead one holds none back (an unoserver instance converts one document at a time: more threads
per instance would only queue there). A request sends the .docx bytes and gets the PDF back through
unoserver's own XML-RPC client, with a deadline that grows with the document (`libreoffice.tijdslimiet`):
one for the whole request, not per read (`_Verbinding`).

Failures (docs/beheerder/omzetdiensten.md):
- no connection, a dropped connection or a time-out: the service is not used any more (said through
  `melden`) and the document goes back to the list for another service;
- the service reports an error, or its PDF fails `controleer_pdf` (pages, the document's text): the
  document is tried once more, on another service when there is one; a service that fails
  `FOUTEN_OP_RIJ` documents in a row while another one's last document succeeded is not used any more;
- a document that failed twice, or no service left: ConversieFout names the services with their
  reason and the documents not converted (by file name, as `libreoffice.converteer` does).

Same export options as local (`libreoffice.pdf_filterdata`) and no index update (soffice's
--convert-to does none): the PDFs differ from local ones only in creation date and ID, which
`pdf.voltooi` sets, so the finished documents are byte-identical (tests/test_omzetdienst.py).
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable
from xml.parsers.expat import ExpatError

from unoserver.client import UnoClient

from contractgen.basis.tekst import toonbaar
from contractgen.uitvoer.libreoffice import PDF_FILTER, ConversieFout, controleer_pdf, pdf_filterdata, tijdslimiet

SCHEMA = "unoserver"
VOORBEELD = "unoserver://10.0.0.5:2003,10.0.0.6:2003"
TIMEOUT_BEREIKBAAR = 5  # seconds for the check before a build: a running service answers at once
MAX_POGINGEN = 2  # per document, as local conversion: once, then once more
FOUTEN_OP_RIJ = 3  # a service failing this many documents in a row is broken, not the documents

_HOST = re.compile(r"\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")


@dataclass(frozen=True)
class Dienst:
    """One converter service: `host` as typed (an IPv6 address in brackets), `poort` its XML-RPC port."""

    host: str
    poort: int

    def __str__(self) -> str:
        return f"{self.host}:{self.poort}"


def lees_diensten(teksten: Iterable[str]) -> list[Dienst]:
    """The services named by --converter values: `[unoserver://]host:poort[,host:poort…]` each.

    Raises ValueError with a Dutch message that quotes the value as typed (a missing or
    non-numeric port, a port outside 1-65535, an odd host name, another scheme, a service twice).
    """
    diensten: list[Dienst] = []
    for tekst in teksten:
        rest = tekst.strip()
        schema, scheiding, na = rest.partition("://")
        if scheiding:
            if schema.lower() != SCHEMA:
                raise ValueError(f"'{toonbaar(tekst)}': onbekend soort omzetdienst '{toonbaar(schema)}://'; "
                                 f"alleen {SCHEMA}:// kan, bijvoorbeeld {VOORBEELD}")
            rest = na
        for deel in rest.split(","):
            dienst = _lees_adres(deel.strip(), tekst)
            if dienst in diensten:
                raise ValueError(f"'{toonbaar(tekst)}': {dienst} staat er twee keer in")
            diensten.append(dienst)
    return diensten


def _lees_adres(adres: str, tekst: str) -> Dienst:
    waar = f"'{toonbaar(tekst)}'" if adres == tekst.strip() else f"'{toonbaar(adres)}' in '{toonbaar(tekst)}'"
    host, scheiding, poort = adres.rpartition(":")
    if not adres:
        raise ValueError(f"'{toonbaar(tekst)}': een adres ontbreekt; verwacht host:poort, bijvoorbeeld {VOORBEELD}")
    if not scheiding or not host:
        raise ValueError(f"{waar}: de poort ontbreekt; verwacht host:poort, bijvoorbeeld {VOORBEELD}")
    if not poort.isascii() or not poort.isdigit() or not 1 <= int(poort) <= 65535:
        raise ValueError(f"{waar}: poort '{toonbaar(poort)}' is geen getal van 1 tot en met 65535")
    if not _HOST.fullmatch(host):
        raise ValueError(f"{waar}: '{toonbaar(host)}' is geen hostnaam of IP-adres "
                         "(een IPv6-adres tussen blokhaken: [::1]:2003)")
    return Dienst(host, int(poort))


class _Verbinding(xmlrpc.client.Transport):
    """An XML-RPC transport with one deadline, `limiet` seconds after it is made, for all its requests.

    A socket time-out alone is per read: a service that sends valid headers and then a byte a second
    never trips it. So a timer shuts the connection's socket down at the deadline (the blocked read
    returns at once) and what that breaks is raised as TimeoutError.
    """

    def __init__(self, limiet: float):
        super().__init__()
        self.limiet = limiet
        self.einde = time.monotonic() + limiet
        self.verlopen = False

    def _over(self) -> float:
        over = self.einde - time.monotonic()
        if over <= 0 or self.verlopen:
            self.verlopen = True
            raise TimeoutError(f"geen antwoord binnen {self.limiet:.0f} s")
        return over

    def make_connection(self, host):
        verbinding = super().make_connection(host)
        verbinding.timeout = self._over()  # connect and each read, within what is left
        return verbinding

    def request(self, host, handler, request_body, verbose=False):
        wekker = threading.Timer(self._over(), self._verloop)
        wekker.daemon = True
        wekker.start()
        try:
            return super().request(host, handler, request_body, verbose)
        except Exception as fout:
            if self.verlopen:
                raise TimeoutError(f"geen antwoord binnen {self.limiet:.0f} s") from fout
            raise
        finally:
            wekker.cancel()

    def _verloop(self) -> None:
        self.verlopen = True
        verbinding = self._connection[1] if self._connection else None
        sock = getattr(verbinding, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Klant(UnoClient):
    """unoserver's client with a time-out and without its own waiting.

    UnoClient builds a ServerProxy without a time-out inside `convert` and hands it to `_connect`,
    which retries a refused connection 5 times, 10 s apart; here `_connect` gives that proxy a
    transport with a time-out and tries once: the pool itself moves the document to another service.
    (Both are unoserver internals: pyproject.toml pins unoserver below 4.)
    """

    def __init__(self, dienst: Dienst, limiet: float):
        super().__init__(dienst.host, str(dienst.poort), host_location="remote")
        self.limiet = limiet

    def _connect(self, proxy, retries=1, sleep=0):
        proxy._ServerProxy__transport = _Verbinding(self.limiet)
        return super()._connect(proxy, retries=1, sleep=0)

    def info(self) -> dict:
        """The service's info (version, API, filters); raises as `convert` does."""
        with xmlrpc.client.ServerProxy(f"{self.protocol}://{self.server}:{self.port}", allow_none=True) as proxy:
            return self._connect(proxy)


_DIENSTFOUTEN = (OSError, http.client.HTTPException, xmlrpc.client.Error, ExpatError, RuntimeError)


def _reden(fout: BaseException, limiet: float) -> str:
    """Why a service could not be used, in Dutch."""
    if isinstance(fout, TimeoutError):
        return f"gaf binnen {limiet:.0f} s geen antwoord"
    if isinstance(fout, ConnectionRefusedError):
        return "weigert de verbinding (draait unoserver daar op die poort?)"
    if isinstance(fout, (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return "verbrak de verbinding"
    if isinstance(fout, OSError):
        return f"is niet bereikbaar ({toonbaar(fout.strerror or type(fout).__name__)})"
    if isinstance(fout, xmlrpc.client.ProtocolError):
        return f"antwoordt niet als unoserver (HTTP {fout.errcode})"
    if isinstance(fout, RuntimeError):
        return f"antwoordt niet als een passende unoserver ({toonbaar(fout)})"
    return "antwoordt niet als unoserver"


def _documentreden(fout: xmlrpc.client.Fault) -> str:
    """The last line of the service's error (its exception), shortened."""
    regels = [r for r in str(fout.faultString).splitlines() if r.strip()]
    return f"de omzetdienst meldt: {toonbaar((regels[-1] if regels else '?').strip()[:200])}"


@dataclass
class _Werk:
    """The shared state of one `converteer` call; every field is guarded by `slot`."""

    open_: list[Path]
    levend: list[Dienst]
    totaal: int
    slot: threading.Condition = field(default_factory=threading.Condition)
    bezig: int = 0
    klaar: int = 0
    pogingen: dict[Path, int] = field(default_factory=dict)
    gehad: dict[Path, set[Dienst]] = field(default_factory=dict)  # services that failed this document
    mislukt: dict[Path, str] = field(default_factory=dict)
    op_rij: dict[Dienst, int] = field(default_factory=dict)
    gestopt: bool = False
    fout: BaseException | None = None  # this machine failed (reading a .docx, writing a PDF): raised by converteer

    def neem(self, dienst: Dienst) -> Path | None:
        """The next document for `dienst` (preferably one no other service failed on), or None: stop."""
        with self.slot:
            while True:
                if self.gestopt or dienst not in self.levend or not self.open_ and self.bezig == 0:
                    return None
                # a document another service failed goes elsewhere; to the same one only if all live ones had it
                for d in self.open_:
                    if dienst not in self.gehad.get(d, set()) or set(self.levend) <= self.gehad[d]:
                        self.open_.remove(d)
                        self.bezig += 1
                        return d
                self.slot.wait()


class Dienstpool:
    """Converter services used together; `converteer` is a drop-in for `libreoffice.converteer`.

    `melden(tekst)` hears (Dutch) when a service is no longer used. A service that failed stays
    unused for the rest of the pool's life (`uitgevallen`: service → reason).
    """

    def __init__(self, diensten: list[Dienst], melden: Callable[[str], None] | None = None):
        if not diensten:
            raise ValueError("geen omzetdiensten")
        self.diensten = list(diensten)
        self.melden = melden or (lambda tekst: None)
        self.uitgevallen: dict[Dienst, str] = {}
        self.omgezet: dict[Dienst, int] = {d: 0 for d in diensten}  # documents converted per service

    def controleer(self) -> None:
        """Raise ConversieFout naming every service that does not answer as an unoserver (API 3)."""
        def reden(dienst: Dienst) -> str | None:
            try:
                _Klant(dienst, TIMEOUT_BEREIKBAAR).info()
            except _DIENSTFOUTEN as fout:
                return _reden(fout, TIMEOUT_BEREIKBAAR)
            return None

        with ThreadPoolExecutor(len(self.diensten)) as pool:
            redenen = list(pool.map(reden, self.diensten))
        weg = [f"{d} {r}" for d, r in zip(self.diensten, redenen) if r]
        if weg:
            raise ConversieFout(f"omzetdienst niet bruikbaar: {'; '.join(weg)}. Start unoserver daar (handleiding, "
                                "Omzetdiensten) of laat de dienst weg uit --converter; er is niets gebouwd")

    def converteer(self, docx: list[Path], doelmap: Path, pdfa: bool = False,
                   voortgang: Callable[[int, int], None] | None = None) -> dict[Path, Path]:
        """Convert every .docx into `doelmap` (same stem, .pdf) on the services, each PDF checked.

        Raises ConversieFout naming the documents (file names) that failed twice or were left when
        no service was left, and every service that fell out with its reason. Ctrl-C stops at once
        (requests under way finish on the service; their PDFs are not written).
        """
        stems = [d.stem for d in docx]
        if len(set(stems)) != len(stems):
            raise ValueError("dubbele bestandsnamen in één conversie")
        doelmap.mkdir(parents=True, exist_ok=True)
        opties = [f"{naam}={str(w).lower()}" for naam, w in pdf_filterdata(pdfa).items()]  # unoserver's form
        werk = _Werk(list(docx), [d for d in self.diensten if d not in self.uitgevallen], len(docx))
        draden = [threading.Thread(target=self._werker, args=(werk, d, doelmap, opties, voortgang), daemon=True,
                                   name=f"omzetdienst {d}") for d in werk.levend]
        for draad in draden:
            draad.start()
        try:
            for draad in draden:
                while draad.is_alive():
                    draad.join(0.2)  # short waits: Ctrl-C reaches this thread
        except BaseException:
            with werk.slot:
                werk.gestopt = True
                werk.slot.notify_all()
            raise
        if werk.fout is not None:
            raise werk.fout
        if werk.open_:
            diensten = "; ".join(f"{d} {r}" for d, r in self.uitgevallen.items()) or "geen opgegeven"
            namen = ", ".join(d.name for d in werk.open_ + list(werk.mislukt))
            raise ConversieFout(f"geen omzetdienst meer bruikbaar ({diensten}); niet omgezet naar PDF: {namen}")
        if werk.mislukt:
            namen = ", ".join(f"{d.name} ({reden})" for d, reden in werk.mislukt.items())
            raise ConversieFout(f"de omzetdiensten konden deze documenten niet omzetten naar PDF "
                                f"(ook niet na een tweede poging): {namen}")
        return {d: doelmap / f"{d.stem}.pdf" for d in docx}

    def _werker(self, werk: _Werk, dienst: Dienst, doelmap: Path, opties: list[str],
                voortgang: Callable[[int, int], None] | None) -> None:
        while (d := werk.neem(dienst)) is not None:
            limiet = tijdslimiet([d])
            pdf = doelmap / f"{d.stem}.pdf"
            try:
                inhoud = d.read_bytes()
            except BaseException as fout:  # noqa: BLE001 - this machine's failure: handed to the caller
                self._stop(werk, fout)
                return
            try:
                data = _Klant(dienst, limiet).convert(indata=inhoud, convert_to="pdf", filtername=PDF_FILTER,
                                                      filter_options=opties, update_index=False)
            except xmlrpc.client.Fault as fout:
                self._documentfout(werk, dienst, d, _documentreden(fout))
                continue
            except Exception as fout:  # noqa: BLE001 - any other failure of a request is the service's
                # a time-out may be the document's doing (it hangs LibreOffice): it counts as an attempt
                self._uitval(werk, dienst, d, _reden(fout, limiet), poging=isinstance(fout, TimeoutError))
                continue
            try:
                with werk.slot:
                    if werk.gestopt:
                        return  # the build is being stopped: write nothing into its temp folder
                    pdf.write_bytes(data)
                reden = controleer_pdf(pdf, d)
            except BaseException as fout:  # noqa: BLE001 - e.g. a full disk here: not the service's fault
                self._stop(werk, fout)
                return
            if reden is not None:
                pdf.unlink(missing_ok=True)
                self._documentfout(werk, dienst, d, reden)
            else:
                self._gelukt(werk, dienst, voortgang)

    def _stop(self, werk: _Werk, fout: BaseException) -> None:
        """Stop every worker; `converteer` raises `fout` (an error of this machine, e.g. a full disk)."""
        with werk.slot:
            werk.fout = werk.fout or fout
            werk.gestopt = True
            werk.slot.notify_all()

    def _gelukt(self, werk: _Werk, dienst: Dienst, voortgang: Callable[[int, int], None] | None) -> None:
        with werk.slot:
            werk.bezig -= 1
            werk.klaar += 1
            werk.op_rij[dienst] = 0
            self.omgezet[dienst] += 1
            if voortgang:
                voortgang(werk.klaar, werk.totaal)
            werk.slot.notify_all()

    def _terug(self, werk: _Werk, dienst: Dienst, d: Path, reden: str, poging: bool) -> None:
        """Put `d` back on the list (caller holds the lock), or record it as failed after its last attempt."""
        werk.bezig -= 1
        werk.gehad.setdefault(d, set()).add(dienst)
        if poging:
            werk.pogingen[d] = werk.pogingen.get(d, 0) + 1
        if werk.pogingen.get(d, 0) >= MAX_POGINGEN:
            werk.mislukt[d] = reden
        else:
            werk.open_.insert(0, d)

    def _documentfout(self, werk: _Werk, dienst: Dienst, d: Path, reden: str) -> None:
        with werk.slot:
            self._terug(werk, dienst, d, reden, poging=True)
            werk.op_rij[dienst] = werk.op_rij.get(dienst, 0) + 1
            # broken documents fail everywhere: only a service failing while another one succeeds is broken itself
            anderen_gaan_goed = any(werk.op_rij.get(ander, 0) == 0 and self.omgezet[ander] > 0
                                    for ander in werk.levend if ander != dienst)
            if werk.op_rij[dienst] >= FOUTEN_OP_RIJ and anderen_gaan_goed:
                self._laat_vallen(werk, dienst, f"gaf {FOUTEN_OP_RIJ} documenten na elkaar geen bruikbare PDF "
                                                f"(laatste: {reden})")
            werk.slot.notify_all()

    def _uitval(self, werk: _Werk, dienst: Dienst, d: Path, reden: str, poging: bool) -> None:
        with werk.slot:
            self._terug(werk, dienst, d, reden, poging)
            self._laat_vallen(werk, dienst, reden)
            werk.slot.notify_all()

    def _laat_vallen(self, werk: _Werk, dienst: Dienst, reden: str) -> None:
        """Stop using `dienst` (caller holds the lock) and say so."""
        if dienst not in werk.levend:
            return
        werk.levend.remove(dienst)
        self.uitgevallen[dienst] = reden
        vervolg = ("de overige documenten gaan naar " + ", ".join(map(str, werk.levend)) if werk.levend
                   else "er is geen andere omzetdienst meer")
        self.melden(f"omzetdienst {dienst} {reden}; deze wordt niet meer gebruikt, {vervolg}")
