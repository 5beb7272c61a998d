"""An uploaded Word document: checked by its content (never its name), bounded, stored privately.

A .docx is a zip holding `word/document.xml` and a `[Content_Types].xml` that declares a Word document.
The zip is read within bounds before the library sees it: at most `MAX_DELEN` entries, `MAX_UITGEPAKT` bytes
unpacked in all and a compression ratio of at most `MAX_VERHOUDING` per entry (a zip bomb is refused
without unpacking it). The file is stored in the state folder, which the web server never serves, under a
name the server makes (the upload's id); the name the browser sent is not used for anything.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

MAX_GROOTTE = 10 * 1024 * 1024  # bytes of the upload itself
MAX_DELEN = 2000
MAX_UITGEPAKT = 200 * 1024 * 1024
MAX_VERHOUDING = 200
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .docx (or an old .doc) is an OLE file
WORD_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


class Begrensd(FileUploadHandler):
    """A request body larger than the limit: the file's bytes are dropped as they arrive (the later handlers,
    which would write them to memory or a temporary file, never get them) and the view says the file is too
    large (`request.te_groot`). The other fields, the CSRF token among them, are still read."""

    te_groot = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > MAX_GROOTTE + 64 * 1024:  # the file plus the form's other fields
            self.te_groot = self.request.te_groot = True

    def receive_data_chunk(self, raw_data, start):
        return None if self.te_groot else raw_data

    def file_complete(self, file_size):
        return None


TE_GROOT = (f"Het bestand is te groot (meer dan {MAX_GROOTTE // (1024 * 1024)} MB). Een contract in Word is veel "
            "kleiner; kies het .docx-bestand dat contractgen maakte.")


class UploadFout(ValueError):
    """The upload is not a Word document this page can take; the message says why, in Dutch."""


def controleer(bestand: UploadedFile) -> bytes:
    """The upload's bytes if it is a .docx within the bounds; else UploadFout."""
    if bestand.size == 0:
        raise UploadFout("Het bestand is leeg (0 bytes). Kies het Word-document (.docx) met uw wijzigingen.")
    if bestand.size is None or bestand.size > MAX_GROOTTE:
        raise UploadFout(TE_GROOT)
    inhoud = b"".join(bestand.chunks())
    if inhoud.startswith(_OLE):
        raise UploadFout("Dit bestand is beveiligd met een wachtwoord of is een oud Word-bestand (.doc). Sla het in "
                         "Word op als .docx zonder wachtwoord en probeer het opnieuw.")
    if not zipfile.is_zipfile(io.BytesIO(inhoud)):
        raise UploadFout("Dit is geen Word-document (.docx), wat de naam ook zegt. Kies het .docx-bestand dat "
                         "contractgen maakte, met uw wijzigingen.")
    try:
        with zipfile.ZipFile(io.BytesIO(inhoud)) as z:
            delen = z.infolist()
            if len(delen) > MAX_DELEN:
                raise UploadFout(f"Dit bestand bevat meer dan {MAX_DELEN} onderdelen; dat is geen gewoon Word-document.")
            if sum(d.file_size for d in delen) > MAX_UITGEPAKT or any(
                    d.file_size > MAX_VERHOUDING * max(d.compress_size, 1) for d in delen):
                raise UploadFout("Dit bestand wordt uitgepakt veel te groot (een zogenaamde zipbom) en wordt niet "
                                 "gelezen. Kies het .docx-bestand dat contractgen maakte.")
            namen = {d.filename for d in delen}
            if "word/document.xml" not in namen or "[Content_Types].xml" not in namen:
                raise UploadFout("Dit is geen Word-document (.docx): de tekst van het document ontbreekt erin.")
            if WORD_TYPE not in z.read("[Content_Types].xml"):
                raise UploadFout("Dit is geen Word-document (.docx) maar een ander Office-bestand.")
    except zipfile.BadZipFile:
        raise UploadFout("Dit Word-document is beschadigd en kan niet worden gelezen.")
    return inhoud


def map_() -> Path:
    """The private folder of uploaded Word documents (created 0700)."""
    pad = Path(settings.STAAT) / "jurist" / "word"
    pad.mkdir(parents=True, exist_ok=True, mode=0o700)
    return pad


def pad_van(ident) -> Path:
    """Where the upload with this id is kept: a folder of its own, the server's own file name."""
    return map_() / str(ident) / "word-bewerking.docx"


def bewaar(ident, inhoud: bytes) -> Path:
    pad = pad_van(ident)
    pad.parent.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(pad, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(inhoud)
    return pad


def verwijder(ident) -> None:
    shutil.rmtree(pad_van(ident).parent, ignore_errors=True)
