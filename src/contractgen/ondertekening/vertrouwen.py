"""Explicit trust: the root (or intermediate) certificates a region accepts for signatures.

Put PEM or DER files in `contracts_data/<regio>/vertrouwd/` (`*.pem`, `*.crt`, `*.cer`; a PEM
file may hold several certificates). Without that folder nothing is trusted, so every signature
reads "geldige handtekening, certificaat niet vertrouwd" and `ontvangen` stores nothing.
Revocation lists (CRL, `*.crl`, PEM or DER) beside them are used to check revocation; so are the
CRLs and OCSP responses a signed PDF carries in its DSS (PAdES B-LT). Nothing is fetched from the
network: a certificate that names a CRL or OCSP service for which no answer is at hand reads
"intrekking niet te controleren".
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import pem, x509
from pyhanko.keys import load_certs_from_pemder
from pyhanko_certvalidator import ValidationContext

from contractgen.basis.namen import display_path
from contractgen.ondertekening import OndertekeningFout

MAP = "vertrouwd"
SOORTEN = (".pem", ".crt", ".cer")
CRL = ".crl"


def vertrouwde_certificaten(regio_map: Path) -> list[x509.Certificate]:
    """The certificates in `<regio_map>/vertrouwd/`; [] when the folder is absent.

    Raises OndertekeningFout naming the file when one cannot be read as a certificate.
    """
    map_ = Path(regio_map) / MAP
    if not map_.is_dir():
        return []
    result = []
    for pad in sorted(p for p in map_.iterdir() if p.suffix.lower() in SOORTEN and p.is_file()):
        try:
            gevonden = list(load_certs_from_pemder([str(pad)]))
        except Exception as fout:  # noqa: BLE001 - asn1crypto and pyHanko raise several kinds
            raise OndertekeningFout(f"{display_path(pad)}: geen leesbaar certificaat (PEM of DER): {fout}") from fout
        if not gevonden:
            raise OndertekeningFout(f"{display_path(pad)}: bevat geen certificaat (verwacht -----BEGIN CERTIFICATE-----)")
        result += gevonden
    return result


def intrekkingslijsten(regio_map: Path) -> list[asn1_crl.CertificateList]:
    """The CRLs in `<regio_map>/vertrouwd/*.crl` (PEM or DER); [] when there are none.

    Raises OndertekeningFout naming the file when one cannot be read as a CRL.
    """
    map_ = Path(regio_map) / MAP
    if not map_.is_dir():
        return []
    result = []
    for pad in sorted(p for p in map_.iterdir() if p.suffix.lower() == CRL and p.is_file()):
        try:
            data = pad.read_bytes()
            if pem.detect(data):
                data = pem.unarmor(data)[2]
            lijst = asn1_crl.CertificateList.load(data)
            lijst.native  # noqa: B018 - parse fully now, not halfway through a validation
        except Exception as fout:  # noqa: BLE001 - asn1crypto raises several kinds
            raise OndertekeningFout(f"{display_path(pad)}: geen leesbare intrekkingslijst (CRL, PEM of DER): "
                                    f"{fout}") from fout
        result.append(lijst)
    return result


def noemt_intrekking(cert: x509.Certificate) -> bool:
    """Whether a certificate names where its revocation status is published (CRL or OCSP)."""
    try:
        return bool(cert.crl_distribution_points or cert.ocsp_urls)
    except Exception:  # noqa: BLE001
        return False


def validatiecontext(vertrouwd: list[x509.Certificate], moment: datetime | None = None, crls=(), ocsps=(),
                     andere=(), streng: bool = False) -> ValidationContext:
    """A context that trusts exactly `vertrouwd` and fetches nothing from the network.

    `crls`, `ocsps`, `andere` (certificates): revocation data and intermediates at hand. `streng`:
    revocation must be checkable for every certificate that names a CRL or OCSP service
    ("hard-fail"); otherwise a missing answer is no failure ("soft-fail").
    """
    return ValidationContext(trust_roots=list(vertrouwd), allow_fetching=False, moment=moment,
                             crls=list(crls), ocsps=list(ocsps), other_certs=list(andere),
                             revocation_mode="hard-fail" if streng else "soft-fail")
