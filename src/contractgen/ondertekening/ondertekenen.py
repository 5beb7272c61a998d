"""The gemeente's signature: PAdES baseline B-B (B-T with a timestamp service, B-LTA with `lt`) with pyHanko.

Every signature is an incremental update in an existing signature place, so the bytes that
were sent stay the first part of the file; the visible appearance shows name, function and date.
"""

from __future__ import annotations

import functools
import io
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from contractgen.basis.namen import display_path
from contractgen.ondertekening import OndertekeningFout
from contractgen.ondertekening import velden as v
from contractgen.ondertekening.ontvangst import Beoordeling

STEMPELTEKST = "Digitaal ondertekend door %(signer)s\n%(functie)s\nDatum: %(ts)s"
# The appearance's font is embedded (a subset), so that a PDF/A package stays PDF/A after signing:
# pyHanko's default is Courier, not embedded (Apache PDFBox Preflight: "3.1.3 FontFile entry is missing").
LETTERTYPEN = ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
               "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@functools.cache
def _lettertype() -> str | None:
    """An installed sans font scaled to 1000 units per em, as a file; None when none is installed.

    pyHanko 0.38 writes glyph widths (/W) and TJ adjustments in font units as if every font had 1000
    units per em; Liberation Sans and DejaVu Sans have 2048, which spaces the letters twice as wide.
    fontTools rescales the font once per process (in a private temporary folder).
    """
    bron = next((f for f in LETTERTYPEN if Path(f).is_file()), None)
    if bron is None:
        return None

    font = TTFont(bron)
    if font["head"].unitsPerEm == 1000:
        return bron
    scale_upem(font, 1000)
    doel = Path(tempfile.mkdtemp(prefix="contractgen-lettertype-")) / Path(bron).name
    font.save(str(doel))
    return str(doel)


def _stempelstijl() -> TextStampStyle:
    """The visible signature: name, function, date, in an embedded font when one is installed."""
    lettertype = _lettertype()
    if lettertype is None:
        return TextStampStyle(stamp_text=STEMPELTEKST, timestamp_format="%d-%m-%Y %H:%M %Z")
    return TextStampStyle(stamp_text=STEMPELTEKST, timestamp_format="%d-%m-%Y %H:%M %Z",
                          text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(lettertype)))


def laad_certificaat(pad: Path, wachtwoord: str | None):
    """A pyHanko SimpleSigner from a PKCS#12 file (.p12/.pfx).

    Raises OndertekeningFout (Dutch, names the file) for: unreadable file, not PKCS#12,
    missing or wrong password, no private key, an expired or not yet valid certificate.
    """
    naam = display_path(pad)
    try:
        data = Path(pad).read_bytes()
    except OSError as fout:
        raise OndertekeningFout(f"{naam}: kan het certificaat niet lezen ({fout.strerror or fout})") from fout
    try:
        asn1_pkcs12.Pfx.load(data).native  # noqa: B018 - parse fully: is this PKCS#12 at all?
    except Exception as fout:  # noqa: BLE001
        raise OndertekeningFout(f"{naam}: geen PKCS#12-certificaatbestand (.p12 of .pfx)") from fout
    wacht = wachtwoord.encode("utf-8") if wachtwoord is not None else None
    try:
        sleutel, cert, _ = pkcs12.load_key_and_certificates(data, wacht)
    except Exception as fout:  # noqa: BLE001
        if wachtwoord is None:
            raise OndertekeningFout(f"{naam}: het certificaat is met een wachtwoord beveiligd; geef --wachtwoord "
                                    f"of zet CONTRACTGEN_WACHTWOORD") from fout
        raise OndertekeningFout(f"{naam}: verkeerd wachtwoord voor dit certificaat") from fout
    if sleutel is None or cert is None:
        raise OndertekeningFout(f"{naam}: bevat geen persoonlijke sleutel met certificaat om mee te ondertekenen")
    nu = datetime.now(timezone.utc)
    if cert.not_valid_after_utc < nu:
        raise OndertekeningFout(f"{naam}: het certificaat is verlopen op {cert.not_valid_after_utc:%d-%m-%Y}")
    if cert.not_valid_before_utc > nu:
        raise OndertekeningFout(f"{naam}: het certificaat is pas geldig vanaf {cert.not_valid_before_utc:%d-%m-%Y}")
    return signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=wacht)


def onderteken_velden(data: bytes, veldnamen: list[str], signer, functie: str = "", reden: str = "Voor akkoord",
                      locatie: str | None = None, tijdstempel_url: str | None = None,
                      validatie: ValidationContext | None = None) -> bytes:
    """`data` with one PAdES signature per field in `veldnamen`, each an incremental update.

    With `validatie` (needs `tijdstempel_url`): PAdES B-LTA: after each signature the certificates
    and revocation data (CRLs) of `validatie` go into the document security store (DSS, B-LT), and a
    document timestamp covers them. `validatie` must not fetch: the CRLs come from vertrouwd/.
    Raises OndertekeningFout when the timestamp service cannot be reached or the revocation data
    of the signer's certificate is not at hand.
    """
    if validatie is not None and not tijdstempel_url:
        raise OndertekeningFout("PAdES B-LT/B-LTA vraagt een tijdstempeldienst: geef --tijdstempel URL bij --lt")
    tijdstempel = None
    if tijdstempel_url:
        tijdstempel = HTTPTimeStamper(tijdstempel_url, timeout=30)
    stijl = _stempelstijl()
    for veld in veldnamen:
        meta = signers.PdfSignatureMetadata(field_name=veld, md_algorithm="sha256", reason=reden, location=locatie,
                                            subfilter=fields.SigSeedSubFilter.PADES,
                                            embed_validation_info=validatie is not None,
                                            use_pades_lta=validatie is not None, validation_context=validatie)
        ondertekenaar = signers.PdfSigner(meta, signer=signer, timestamper=tijdstempel, stamp_style=stijl)
        uit = io.BytesIO()
        try:
            ondertekenaar.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False), existing_fields_only=True,
                                   output=uit, appearance_text_params={"functie": functie or ""})
        except Exception as fout:  # noqa: BLE001
            if tijdstempel_url and "imestamp" in f"{type(fout).__name__} {fout}":
                raise OndertekeningFout(f"tijdstempeldienst {tijdstempel_url} gaf geen tijdstempel ({fout})") from fout
            if validatie is not None and isinstance(fout, (PathValidationError, PathBuildingError)):
                raise OndertekeningFout(f"geen PAdES B-LT mogelijk: de keten of de intrekkingsstatus van het "
                                        f"certificaat is niet vast te stellen met vertrouwd/ ({fout}); zet het "
                                        f"wortelcertificaat en de actuele intrekkingslijst (.crl) daar") from fout
            raise
        data = uit.getvalue()
    return data


def bezwaren_tegen_velden(b: Beoordeling, velden: tuple[str, ...] | list[str]) -> list[str]:
    """Reasons why the requested (or, with none requested, any) gemeente places of `b` cannot be
    signed: not a place of this package, a place of the opdrachtnemer, already signed; [] when they can."""
    plaatsen = {p.naam: p for p in b.plaatsen}
    leeg = {p.naam for p in b.open}
    if not velden:
        if not any(p.partij == v.GEMEENTE for p in b.open):
            return ["geen lege handtekeningplaats van de gemeente in dit pakket"]
        return []
    bezwaren = []
    for naam in velden:
        plaats = plaatsen.get(naam)
        if plaats is None:
            bezwaren.append(f"veld {naam} is geen handtekeningplaats van dit pakket; plaatsen van de gemeente: "
                            f"{', '.join(p.naam for p in b.plaatsen if p.partij == v.GEMEENTE)}")
        elif plaats.partij not in (v.GEMEENTE, v.PARAAF):
            bezwaren.append(f"veld {naam} is een handtekeningplaats van de "
                            f"{v.PARTIJ_NAAM.get(plaats.partij or '', 'onbekende partij')}, niet van de gemeente")
        elif naam not in leeg:
            bezwaren.append(f"veld {naam} is al ondertekend")
    return bezwaren
