"""Explicit trust: the root (or intermediate) certificates a region accepts for signatures.

Put PEM or DER files in `contracts_data/<regio>/vertrouwd/` (`*.pem`, `*.crt`, `*.cer`; a PEM
file may hold several certificates). Without that folder nothing is trusted, so every signature
reads "geldige handtekening, certificaat niet vertrouwd" and `ontvangen` stores nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from asn1crypto import x509
from pyhanko.keys import load_certs_from_pemder
from pyhanko_certvalidator import ValidationContext

from contractgen.basis.namen import display_path
from contractgen.ondertekening import OndertekeningFout

MAP = "vertrouwd"
SOORTEN = (".pem", ".crt", ".cer")


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


def validatiecontext(vertrouwd: list[x509.Certificate], moment: datetime | None = None) -> ValidationContext:
    """A context that trusts exactly `vertrouwd` and fetches nothing from the network."""
    return ValidationContext(trust_roots=list(vertrouwd), allow_fetching=False, moment=moment,
                             revocation_mode="soft-fail")
