"""Untrusted zip and XML (xlsx from contract management, docx from a jurist): bounded before they are parsed.

An Office file is a zip of XML parts. Three attacks reach a parser that trusts it:
- a zip bomb: 1 MB that unpacks to gigabytes. Python's zipfile never returns more than a member's
  declared size (a member that inflates further fails its CRC), so the declared sizes are checked
  before anything is unpacked: all members together (`max_totaal`), and the ratio of every member
  larger than 10 MB (`max_verhouding`; Office XML compresses 5 to 40 times).
- a DTD with entities: "billion laughs" (entities that expand to gigabytes) and external entities
  (XXE: the contents of /etc/passwd or a URL in a cell). No Office part has a DTD, so any part whose
  prolog declares one is refused before a parser sees it (`controleer_zip`), and lxml parses with
  `veilige_parser()` (no entity expansion, no network, no DTD loading) anyway.
- openpyxl parses with defusedxml when it is installed (it is a dependency); intake/tabel.py checks it does.

Every refusal is `Onveilig`, whose text is a Dutch sentence; callers prefix the file's name.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
import zipfile
from pathlib import Path
from typing import IO

from lxml import etree

MB = 1024 * 1024
MAX_VERHOUDING = 100  # unpacked : packed of one member over VERHOUDING_VANAF
VERHOUDING_VANAF = 10 * 1024 * 1024  # smaller members cost little memory, whatever their ratio
PROLOOG = 64 * 1024  # bytes read of each XML part to find a DTD before its root element


class Onveilig(Exception):
    """A file refused as hostile or beyond a limit; str() is the Dutch reason (without the file's name)."""


class TeGroot(Onveilig):
    """A file larger than its limit (`grootte` in bytes); the caller says what the limit is for."""

    def __init__(self, grootte: int, grens: int):
        super().__init__(f"het bestand is te groot ({grootte / MB:.0f} MB); verwacht hoogstens {grens // MB} MB")
        self.grootte, self.grens = grootte, grens


def open_gewoon(pad: Path, max_bytes: int) -> int:
    """An fd of `pad` opened for reading, checked before anything is read: a regular file (a FIFO, device
    or socket could block or never end: opened without waiting, then refused) of at most `max_bytes`.
    Raises Onveilig/TeGroot, IsADirectoryError, OSError (missing, no permission)."""
    fd = os.open(pad, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is een map", str(pad))
        if not stat.S_ISREG(st.st_mode):
            raise Onveilig("is geen gewoon bestand (maar een pipe, apparaat of socket); geef een bestand")
        if st.st_size > max_bytes:
            raise TeGroot(st.st_size, max_bytes)
        os.set_blocking(fd, True)
        return fd
    except BaseException:
        os.close(fd)
        raise


def lees_begrensd(pad: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes` (see `open_gewoon`), never more than that."""
    fd = open_gewoon(pad, max_bytes)
    with os.fdopen(fd, "rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew while being read
        raise TeGroot(len(data), max_bytes)
    return data


def veilige_parser(**extra) -> etree.XMLParser:
    """lxml's parser for untrusted XML: entities are not expanded, nothing is fetched, no DTD is loaded."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, **extra)


def lees_xml(data: bytes, deel: str = "") -> etree._Element:
    """Parse untrusted XML; Onveilig when it has a DTD, etree.XMLSyntaxError when it is not XML."""
    if heeft_dtd(data[:PROLOOG]):
        raise Onveilig(_dtd_bericht(deel))
    root = etree.fromstring(data, veilige_parser())
    if root.getroottree().docinfo.doctype:  # an encoding the prolog scan did not read
        raise Onveilig(_dtd_bericht(deel))
    return root


def _dtd_bericht(deel: str) -> str:
    waar = f" ({deel})" if deel else ""
    return (f"bevat een DTD (<!DOCTYPE ...>){waar}; dat staat nooit in een bestand van Word of Excel en kan "
            "entiteiten bevatten die het lezen laten ontsporen; sla het bestand opnieuw op in Word of Excel")


def heeft_dtd(begin: bytes) -> bool:
    """Whether the XML whose first bytes are `begin` declares a DTD before its root element (or has a prolog
    longer than `begin`: comments of 64 KB before the root are not an Office file either)."""
    tekst = _decodeer(begin)
    i = 0
    while True:
        while i < len(tekst) and tekst[i] in " \t\r\n\ufeff":
            i += 1
        if i >= len(tekst):
            return len(begin) >= PROLOOG  # no root element within the limit
        if tekst.startswith("<?", i):
            einde = tekst.find("?>", i)
        elif tekst.startswith("<!--", i):
            einde = tekst.find("-->", i)
        elif tekst.startswith("<!", i):
            return True  # <!DOCTYPE (or another declaration, never in the prolog of an Office part)
        else:
            return False  # the root element (or not XML at all: the parser says so)
        if einde < 0:
            return len(begin) >= PROLOOG
        i = einde + 2


def _decodeer(begin: bytes) -> str:
    if begin.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return begin.decode("utf-16", "ignore")
    if begin.startswith(b"<\x00"):
        return begin.decode("utf-16-le", "ignore")
    if begin.startswith(b"\x00<"):
        return begin.decode("utf-16-be", "ignore")
    return begin.decode("utf-8", "ignore")


def controleer_zip(bron: Path | IO[bytes], max_totaal: int, soort: str = "bestand",
                   max_deel: dict[str, int] | None = None, max_verhouding: int = MAX_VERHOUDING) -> None:
    """Check an Office zip before it is unpacked: the declared sizes (all members, each named XML part in
    `max_deel`, the ratio of every member over 10 MB) and the prolog of every XML part (no DTD).

    Raises Onveilig with the Dutch reason; zipfile.BadZipFile when it is no zip at all.
    """
    with zipfile.ZipFile(bron) as z:
        leden = z.infolist()
        totaal = sum(i.file_size for i in leden)
        if totaal > max_totaal:
            raise Onveilig(f"het {soort} is uitgepakt te groot ({totaal / MB:.1f} MB); verwacht hoogstens "
                           f"{max_totaal // MB} MB")
        for i in leden:
            grens = (max_deel or {}).get(i.filename)
            if grens is not None and i.file_size > grens:
                raise Onveilig(f"het deel {i.filename} is uitgepakt te groot ({i.file_size / MB:.1f} MB); verwacht "
                               f"hoogstens {grens // MB} MB")
            if i.file_size > VERHOUDING_VANAF and i.file_size > max_verhouding * max(i.compress_size, 1):
                raise Onveilig(f"het deel {i.filename} pakt uit tot {i.file_size / MB:.1f} MB, "
                               f"{i.file_size // max(i.compress_size, 1)} keer zijn ingepakte grootte (een "
                               f"'zip-bom'); verwacht hoogstens {max_verhouding} keer")
        for i in leden:
            if i.filename.lower().endswith((".xml", ".rels", ".vml")) and not i.is_dir():
                with z.open(i) as f:
                    if heeft_dtd(f.read(PROLOOG)):
                        raise Onveilig(_dtd_bericht(i.filename))
