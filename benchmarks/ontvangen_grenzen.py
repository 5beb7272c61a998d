"""The limits of `contractgen ontvangen` (issue 27), measured on a real built package.

Builds the package of one aanbieder in a temporary folder, signs its opdrachtnemer places with a
throw-away certificate (trust does not matter for the timing), and times `beoordeel` on:

- the signed file (the normal case);
- the same with 2,000 empty revisions appended (issue 27: 146 s, accepted), default limits;
- that file with the revision limit raised to 5,000 and a time budget of 10 s;
- a sparse 300 MB file.

    python benchmarks/ontvangen_grenzen.py

Prints seconds per case, the verdict's first reason, and the ratio to the normal case.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
REGIO, AANBIEDER = "maastricht-heuvelland", "voorbeeld-wmo-compleet"
VELDEN = ["dvo_opdrachtnemer_2", "bijlage-1-2_opdrachtnemer_1", "bijlage-1-2_opdrachtnemer_3"]


def _signer():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID
    from pyhanko.sign import signers

    sleutel = ec.generate_private_key(ec.SECP256R1())
    naam = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Benchmark"),
                      x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, "NTRNL-90000002")])
    nu = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(naam).issuer_name(naam).public_key(sleutel.public_key())
            .serial_number(1).not_valid_before(nu - dt.timedelta(days=1)).not_valid_after(nu + dt.timedelta(days=2))
            .sign(sleutel, hashes.SHA256()))
    p12 = pkcs12.serialize_key_and_certificates(b"b", sleutel, cert, None, serialization.NoEncryption())
    return signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=None)


def _teken(data: bytes, signer) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    for veld in VELDEN:
        uit = io.BytesIO()
        signers.PdfSigner(signers.PdfSignatureMetadata(field_name=veld, subfilter=fields.SigSeedSubFilter.PADES),
                          signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), output=uit,
                                                  existing_fields_only=True)
        data = uit.getvalue()
    return data


def _revisies(data: bytes, aantal: int) -> bytes:
    vorige = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    root = re.findall(rb"/Root (\d+ \d+ R)", data)[-1]
    grootte = int(re.findall(rb"/Size (\d+)", data)[-1])
    delen, positie = [data], len(data)
    for _ in range(aantal):
        stuk = b"\nxref\n0 0\ntrailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
            grootte, root, vorige, positie + 1)
        vorige = positie + 1
        delen.append(stuk)
        positie += len(stuk)
    return b"".join(delen)


def main() -> int:
    from contractgen.cli import main as cli
    from contractgen.cli.ondertekenen import _regios
    from contractgen.ondertekening.grenzen import Grenzen
    from contractgen.ondertekening.ontvangst import beoordeel

    with tempfile.TemporaryDirectory() as tmp:
        basis = Path(tmp)
        shutil.copytree(ROOT / "contracts_data" / REGIO, basis / "data" / REGIO)
        result = CliRunner().invoke(cli, ["build", str(basis / "data" / REGIO), "--aanbieder", AANBIEDER,
                                          "--uitvoer", str(basis / "output")])
        if result.exit_code:
            print(result.output)
            return 1
        pakket = (basis / "output" / REGIO / "2018" / AANBIEDER / "contractpakket.pdf").read_bytes()
        getekend = _teken(pakket, _signer())
        groot = basis / "groot.pdf"
        with groot.open("wb") as f:
            f.write(pakket)
            f.truncate(300 * 2**20)
        regios = _regios(basis / "data")
        gevallen = [
            ("getekend door de aanbieder", getekend, Grenzen(), None),
            ("2.000 lege revisies, standaardgrenzen", _revisies(getekend, 2000), Grenzen(), None),
            ("2.000 lege revisies, --max-revisies 5000 --max-seconden 10", _revisies(getekend, 2000),
             Grenzen(max_revisies=5000, max_seconden=10), None),
            ("300 MB (ijl bestand)", None, Grenzen(), groot),
        ]
        basis_tijd = None
        print(f"{'geval':<62} {'seconden':>9} {'ratio':>7}  oordeel")
        for naam, data, grenzen, pad in gevallen:
            begin = time.perf_counter()
            b = beoordeel(pad or basis / "bestand.pdf", basis / "output", regios, data=data, grenzen=grenzen)
            duur = time.perf_counter() - begin
            basis_tijd = basis_tijd or duur
            oordeel = b.weigeringen[0][:90] if b.weigeringen else "aangenomen (vertrouwen buiten beschouwing)"
            print(f"{naam:<62} {duur:>9.2f} {duur / basis_tijd:>7.2f}  {oordeel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
