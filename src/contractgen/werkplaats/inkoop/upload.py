"""An uploaded intake file, checked by its content (never by its name) and kept in a private folder.

The file is refused before it is stored when it is empty, larger than the import's own limit
(`intake.tabel.MAX_XLSX_BYTES`), or not what an intake file is: an xlsx is a zip archive with
`[Content_Types].xml` and `xl/workbook.xml` whose unpacked size stays under the import's limit
(`intake.grenzen`: a zip bomb is refused from its directory, before anything is unpacked); a CSV
is text (UTF-8, UTF-16 with its byte-order mark, or Windows-1252) without control characters.
The stored file gets a fixed name (`intake.xlsx` / `intake.csv`) in a new folder named by a random
token below the state folder (0700); the name the browser sent is only shown, as text.
"""

from __future__ import annotations

import codecs
import os
import re
import secrets
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from contractgen.intake import grenzen
from contractgen.intake.tabel import MAX_XLSX_BYTES

MAX_BYTES = MAX_XLSX_BYTES  # 10 MB: the import's limit for a workbook (a CSV of a region is far smaller)
BEWAARTIJD = 24 * 3600  # an upload is kept a working day and a night
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class UploadFout(Exception):
    """The upload is refused; str() is the Dutch message for the page."""


@dataclass
class Upload:
    token: str
    pad: Path  # the stored file (fixed name)
    soort: str  # "xlsx" | "csv"


def upload_map() -> Path:
    map_ = Path(settings.STAAT) / "uploads"
    map_.mkdir(parents=True, exist_ok=True, mode=0o700)
    return map_


def soort_van(pad: Path) -> str:
    """'xlsx' or 'csv' from the content of `pad`; UploadFout otherwise."""
    with open(pad, "rb") as f:
        begin = f.read(8)
    if begin.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(pad) as z:
                namen = set(z.namelist())
        except (zipfile.BadZipFile, OSError):
            raise UploadFout("Het bestand lijkt een zip-bestand maar is beschadigd. Sla het in Excel opnieuw op als "
                             "Excel-werkmap (.xlsx) en probeer het opnieuw.") from None
        if "[Content_Types].xml" not in namen or "xl/workbook.xml" not in namen:
            raise UploadFout("Het bestand is een zip-bestand, maar geen Excel-werkmap (er ontbreekt een werkmap in). "
                             "Sla het in Excel op als Excel-werkmap (.xlsx) of als CSV.")
        try:
            grenzen.controleer_xlsx(pad)
        except grenzen.GrensOverschreden as fout:
            raise UploadFout(f"Het bestand is geweigerd: {fout}.") from None
        return "xlsx"
    raw = pad.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    elif b"\x00" in raw:
        raise UploadFout("Het bestand is geen Excel-werkmap (.xlsx) en geen CSV-tekstbestand (het bevat binaire "
                         "gegevens). Is het een ander soort bestand met een andere naam? Sla de intake in Excel op "
                         "als Excel-werkmap (.xlsx) of als CSV.")
    else:
        codec = "utf-8-sig"
    try:
        tekst = raw.decode(codec)
    except UnicodeDecodeError:
        try:
            tekst = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise UploadFout("Het bestand is geen leesbare tekst (geen UTF-8, UTF-16 of Windows-1252). Sla het in "
                             "Excel op als 'CSV UTF-8' of als Excel-werkmap (.xlsx).") from None
    if _CONTROLE.search(tekst):
        raise UploadFout("Het bestand is geen Excel-werkmap (.xlsx) en geen CSV-tekstbestand (het bevat "
                         "stuurtekens). Is het een ander soort bestand met een andere naam? Sla de intake in Excel "
                         "op als Excel-werkmap (.xlsx) of als CSV.")
    return "csv"


def bewaar(bestand) -> Upload:
    """Check an UploadedFile and store it; UploadFout (nothing stored) when it is refused."""
    if bestand is None:
        raise UploadFout("Kies een bestand: de intake-werkmap (.xlsx) of een CSV-bestand.")
    if bestand.size == 0:
        raise UploadFout("Het bestand is leeg (0 bytes). Kies de ingevulde intake-werkmap.")
    if bestand.size > MAX_BYTES:
        raise UploadFout(f"Het bestand is te groot ({bestand.size / 1024 / 1024:.1f} MB); een intake-bestand is "
                         f"hoogstens {MAX_BYTES // 1024 // 1024} MB. Is dit het goede bestand?")
    ruim_op()
    token = secrets.token_urlsafe(24)
    map_ = upload_map() / token
    map_.mkdir(mode=0o700)
    tijdelijk = map_ / "ontvangen"
    try:
        fd = os.open(tijdelijk, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as uit:
            for stuk in bestand.chunks():
                uit.write(stuk)
        soort = soort_van(tijdelijk)
        pad = map_ / f"intake.{soort}"
        os.replace(tijdelijk, pad)
    except BaseException:
        shutil.rmtree(map_, ignore_errors=True)
        raise
    return Upload(token, pad, soort)


def ruim_op(ouder_dan: float = BEWAARTIJD) -> None:
    """Remove uploads nobody applied or looked at for `ouder_dan` seconds (a session ended, a tab closed)."""
    grens = time.time() - ouder_dan
    for map_ in upload_map().iterdir():
        try:
            if TOKEN.match(map_.name) and map_.stat().st_mtime < grens:
                shutil.rmtree(map_, ignore_errors=True)
        except OSError:
            continue


def vind(token: str, soort: str) -> Path | None:
    """The stored file of `token` (checked against the pattern, never joined as typed), or None."""
    if not TOKEN.match(token) or soort not in ("xlsx", "csv"):
        return None
    kandidaat = upload_map() / token / f"intake.{soort}"
    return kandidaat if kandidaat.is_file() else None


def verwijder(token: str) -> None:
    if TOKEN.match(token):
        shutil.rmtree(upload_map() / token, ignore_errors=True)
