"""The signing loop through the CLI: a real contractpakket, a test PKI made here, pyHanko to read back.

The tests stand in for the aanbieder's PDF reader (they sign the opdrachtnemer places with
pyHanko); `contractgen ontvangen` checks what comes back and `contractgen onderteken` signs as
the gemeente. Every bad input of issue 17 must be refused with its Dutch reason and nothing stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA
from contractgen.cli import main

REGIO = "maastricht-heuvelland"
AANBIEDER = "voorbeeld-wmo-compleet"  # kvk 90000002
WACHTWOORD = "geheim-123"
OPDRACHTNEMER_VELDEN = ["dvo_opdrachtnemer_2", "bijlage-1-2_opdrachtnemer_1", "bijlage-1-2_opdrachtnemer_3"]


# --- test PKI ------------------------------------------------------------------------------


@dataclass
class Pki:
    map: Path
    root_pem: Path
    gemeente: Path  # .p12, chain to root
    aanbieder: Path  # .p12, chain to root, KvK in the subject
    verlopen: Path  # .p12 of the aanbieder, chain to root, expired
    zelf: Path  # .p12 of the aanbieder, self-signed
    persoon: Path  # .p12 of a person, chain to root, no organisation or KvK


def _maak_pki(map_: Path) -> Pki:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    nu = dt.datetime.now(dt.timezone.utc)

    def naam(cn: str, o: str | None = None, kvk: str | None = None) -> x509.Name:
        attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
        if o:
            attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, o))
        if kvk:
            attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, f"NTRNL-{kvk}"))
        return x509.Name(attrs)

    def cert(subject, sleutel, uitgever, uitgever_sleutel, ca=False, van=None, tot=None):
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(uitgever)
             .public_key(sleutel.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(van or nu - dt.timedelta(days=1)).not_valid_after(tot or nu + dt.timedelta(days=365))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
             .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not ca, key_encipherment=False,
                                          data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                          crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(sleutel.public_key()), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(uitgever_sleutel.public_key()),
                            critical=False))
        return b.sign(uitgever_sleutel, hashes.SHA256())

    def sleutel():
        return ec.generate_private_key(ec.SECP256R1())

    def p12(bestand: str, k, c, keten) -> Path:
        pad = map_ / bestand
        pad.write_bytes(pkcs12.serialize_key_and_certificates(
            b"test", k, c, keten, serialization.BestAvailableEncryption(WACHTWOORD.encode())))
        return pad

    rk = sleutel()
    rn = naam("Test Root CA Sociaal Domein", "Test PKI")
    root = cert(rn, rk, rn, rk, ca=True)
    (map_ / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    gk, ak, vk, zk, pk = sleutel(), sleutel(), sleutel(), sleutel(), sleutel()
    zn = naam("A. Proef", "Voorbeeld Thuisbegeleiding Heuvelland", "90000002")
    return Pki(
        map_, map_ / "root.pem",
        p12("gemeente.p12", gk, cert(naam("X. Xxxxxx", "Gemeente Maastricht"), gk, rn, rk), [root]),
        p12("aanbieder.p12", ak, cert(naam("A. Proef", "Voorbeeld Thuisbegeleiding Heuvelland", "90000002"),
                                      ak, rn, rk), [root]),
        p12("verlopen.p12", vk, cert(naam("A. Proef", None, "90000002"), vk, rn, rk,
                                     van=nu - dt.timedelta(days=400), tot=nu - dt.timedelta(days=35)), [root]),
        p12("zelf.p12", zk, cert(zn, zk, zn, zk), []),
        p12("persoon.p12", pk, cert(naam("J. de Vries"), pk, rn, rk), [root]),
    )


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> Pki:
    return _maak_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def gebouwd(tmp_path_factory, pki) -> Path:
    """One real build of one aanbieder with PDF, with the test root trusted by the region."""
    basis = tmp_path_factory.mktemp("gebouwd")
    shutil.copytree(DATA / REGIO, basis / "data" / REGIO)
    (basis / "data" / REGIO / "vertrouwd").mkdir()
    shutil.copy(pki.root_pem, basis / "data" / REGIO / "vertrouwd" / "test-root.pem")
    result = CliRunner().invoke(main, ["build", str(basis / "data" / REGIO), "--aanbieder", AANBIEDER,
                                       "--uitvoer", str(basis / "output")])
    assert result.exit_code == 0, result.output
    return basis


@dataclass
class Omgeving:
    data: Path
    uitvoer: Path

    @property
    def map(self) -> Path:
        return self.uitvoer / REGIO / "2018" / AANBIEDER

    @property
    def pakket(self) -> Path:
        return self.map / "contractpakket.pdf"

    @property
    def ondertekend(self) -> Path:
        return self.map / "ondertekend"

    def opgeslagen(self) -> list[str]:
        return sorted(p.name for p in self.ondertekend.iterdir()) if self.ondertekend.exists() else []


@pytest.fixture
def omg(gebouwd, tmp_path) -> Omgeving:
    """A private copy of the built package and its data that a test may change."""
    shutil.copytree(gebouwd / "data", tmp_path / "data")
    shutil.copytree(gebouwd / "output", tmp_path / "output")
    return Omgeving(tmp_path / "data", tmp_path / "output")


# --- helpers -------------------------------------------------------------------------------


def teken(data: bytes, p12: Path, velden: list[str]) -> bytes:
    """What a PAdES-capable reader of the aanbieder does: one signature per field, incrementally."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=WACHTWOORD.encode())
    for veld in velden:
        meta = signers.PdfSignatureMetadata(field_name=veld, md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES)
        uit = io.BytesIO()
        signers.PdfSigner(meta, signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)),
                                                        existing_fields_only=True, output=uit)
        data = uit.getvalue()
    return data


def ontvangen(omg: Omgeving, *bestanden: Path):
    return CliRunner().invoke(main, ["ontvangen", *map(str, bestanden), "--data", str(omg.data),
                                     "--uitvoer", str(omg.uitvoer)])


def onderteken(omg: Omgeving, pad: Path, p12: Path, *extra: str, wachtwoord: str = WACHTWOORD):
    return CliRunner().invoke(main, ["onderteken", str(pad), "--certificaat", str(p12), "--data", str(omg.data),
                                     "--uitvoer", str(omg.uitvoer), *extra], env={"CONTRACTGEN_WACHTWOORD": wachtwoord})


def ondertekening_in_overzicht(omg: Omgeving) -> str:
    import csv

    result = CliRunner().invoke(main, ["overzicht", str(omg.data / REGIO), "--uitvoer", str(omg.uitvoer),
                                       "--formaat", "csv"])
    assert result.exit_code == 0, result.output
    rij = next(r for r in csv.DictReader(io.StringIO(result.output), delimiter=";") if r["aanbieder"] == AANBIEDER)
    return rij["ondertekening"]


def handtekeningen(pdf: bytes, root_pem: Path) -> dict[str, tuple]:
    """field → (subject, intact, valid, trusted, signing time) as pyHanko reads them back."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(root_pem))])
    result = {}
    for sig in PdfFileReader(io.BytesIO(pdf)).embedded_signatures:
        status = validate_pdf_signature(sig, context)
        result[sig.field_name] = (sig.signer_cert.subject.native["common_name"], status.intact, status.valid,
                                  status.trusted, status.signer_reported_dt)
    return result


def _vandaag() -> str:
    from contractgen.ondertekening.tijd import tijd_tekst

    return tijd_tekst(dt.datetime.now(dt.timezone.utc))[:10]


# --- the round trip ------------------------------------------------------------------------


def test_round_trip_aanbieder_then_gemeente(omg, pki, tmp_path):
    verstuurd = omg.pakket.read_bytes()
    assert ondertekening_in_overzicht(omg) == "gebouwd"

    # the aanbieder signs his places and sends the file back
    terug = tmp_path / "terug van aanbieder.pdf"
    terug.write_bytes(teken(verstuurd, pki.aanbieder, OPDRACHTNEMER_VELDEN))
    result = ontvangen(omg, terug)
    assert result.exit_code == 0, result.output
    uit = result.output
    assert f"pakket: {AANBIEDER} (Voorbeeld Thuisbegeleiding Heuvelland), Regio Maastricht-Heuvelland 2018" in uit
    assert "eerste revisie: byte voor byte gelijk aan het gebouwde contractpakket.pdf" in uit
    assert "wijzigingen sinds het verstuurde pakket: alleen handtekeningvelden ingevuld" in uit
    for veld in OPDRACHTNEMER_VELDEN:
        assert re.search(rf"handtekening {veld} \(opdrachtnemer\): A\. Proef, Voorbeeld Thuisbegeleiding "
                         rf"Heuvelland, {_vandaag()} \d\d:\d\d: geldig, vertrouwd", uit), uit
    assert "nog leeg: gemeente: dvo_gemeenten_1, bijlage-1-2_gemeenten_2, bijlage-1-2_gemeenten_4; 4 paraaf" in uit
    assert "1 bestand(en) aangenomen, 0 geweigerd" in uit

    pdf = [omg.ondertekend / n for n in omg.opgeslagen() if n.endswith(".pdf")]
    assert len(pdf) == 1 and pdf[0].read_bytes() == terug.read_bytes()
    record = json.loads(pdf[0].with_suffix(".json").read_text(encoding="utf-8"))
    assert record["aanbieder"] == AANBIEDER and record["soort"] == "ontvangen"
    assert record["pakket"]["sha256"] == hashlib.sha256(verstuurd).hexdigest()
    assert [(h["veld"], h["partij"], h["vertrouwd"]) for h in record["handtekeningen"]] == [
        (v, "opdrachtnemer", True) for v in OPDRACHTNEMER_VELDEN]
    assert set(record["open"]) >= {"dvo_gemeenten_1", "bijlage-1-2_gemeenten_2", "bijlage-1-2_gemeenten_4"}
    assert ondertekening_in_overzicht(omg) == f"ondertekend door opdrachtnemer ({_vandaag()})"

    # the same file again: nothing new
    assert "al eerder ontvangen" in ontvangen(omg, terug).output

    # the gemeente signs the stored copy
    result = onderteken(omg, pdf[0], pki.gemeente, "--functie", "Manager Sociaal", "--kopie",
                        str(tmp_path / "retour.pdf"))
    assert result.exit_code == 0, result.output
    assert "3 handtekening(en) gezet: dvo_gemeenten_1, bijlage-1-2_gemeenten_2, bijlage-1-2_gemeenten_4" in result.output
    assert "nog leeg: 4 paraaf/parafen" in result.output
    nieuw = [omg.ondertekend / n for n in omg.opgeslagen() if n.endswith(".pdf") and n != pdf[0].name]
    assert len(nieuw) == 1
    getekend = nieuw[0].read_bytes()
    assert getekend == (tmp_path / "retour.pdf").read_bytes()
    # incremental: the bytes that were sent, then the aanbieder's revision, stay intact
    assert getekend.startswith(terug.read_bytes()) and getekend.startswith(verstuurd)
    gelezen = handtekeningen(getekend, pki.root_pem)
    assert set(gelezen) == set(OPDRACHTNEMER_VELDEN) | {"dvo_gemeenten_1", "bijlage-1-2_gemeenten_2",
                                                         "bijlage-1-2_gemeenten_4"}
    assert all(intact and geldig and vertrouwd for _, intact, geldig, vertrouwd, _ in gelezen.values())
    assert gelezen["dvo_gemeenten_1"][0] == "X. Xxxxxx"
    # PAdES, with a visible appearance that names signer and function
    from pypdf import PdfReader

    veld = PdfReader(io.BytesIO(getekend)).get_fields()["dvo_gemeenten_1"]
    assert veld["/V"]["/SubFilter"] == "/ETSI.CAdES.detached"
    widget = next(a.get_object() for p in PdfReader(io.BytesIO(getekend)).pages for a in p.get("/Annots", [])
                  if a.get_object().get("/T") == "dvo_gemeenten_1")
    uiterlijk = _stream_tekst(widget["/AP"]["/N"].get_object())
    assert "X. Xxxxxx" in uiterlijk and "Manager Sociaal" in uiterlijk

    record = json.loads(nieuw[0].with_suffix(".json").read_text(encoding="utf-8"))
    assert record["soort"] == "ondertekend door gemeente"
    assert ondertekening_in_overzicht(omg) == f"ondertekend door beide (opdrachtnemer {_vandaag()}, gemeente {_vandaag()})"

    # a rebuild keeps ondertekend/ and flags that the signed package is no longer the current one
    aanbieder_yaml = omg.data / REGIO / "aanbieders" / f"{AANBIEDER}.yaml"
    aanbieder_yaml.write_text(aanbieder_yaml.read_text(encoding="utf-8").replace("A. Proef", "A. Proef-Nieuw"),
                              encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(omg.data / REGIO), "--aanbieder", AANBIEDER,
                                       "--uitvoer", str(omg.uitvoer)])
    assert result.exit_code == 0, result.output
    assert omg.pakket.read_bytes() != verstuurd
    assert nieuw[0].read_bytes() == getekend
    assert ondertekening_in_overzicht(omg).startswith("opnieuw gebouwd na ondertekening: eerdere bouw "
                                                      "ondertekend door beide (")
    # and what the aanbieder signed earlier is refused as an older build
    result = ontvangen(omg, terug)
    assert result.exit_code == 1
    assert "eerste revisie: gelijk aan een eerdere bouw (bouw 1 van 2" in result.output
    assert "dit is een eerdere bouw van het pakket (bouw 1 van 2, peildatum 2018-01-01); het contractpakket is " \
           "daarna opnieuw gebouwd" in result.output


def _stream_tekst(xobject) -> str:
    """Text in an appearance stream and the form XObjects it draws."""
    delen = [xobject.get_data().decode("latin-1")]
    for sub in (xobject.get("/Resources", {}).get("/XObject", {}) or {}).values():
        delen.append(_stream_tekst(sub.get_object()))
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), "\n".join(delen))  # PDF octal escapes


def test_gemeente_may_sign_first(omg, pki):
    result = onderteken(omg, omg.pakket, pki.gemeente, "--veld", "dvo_gemeenten_1")
    assert result.exit_code == 0, result.output
    assert "1 handtekening(en) gezet: dvo_gemeenten_1" in result.output
    assert "nog leeg: opdrachtnemer: dvo_opdrachtnemer_2, bijlage-1-2_opdrachtnemer_1, bijlage-1-2_opdrachtnemer_3; " \
           "gemeente: bijlage-1-2_gemeenten_2, bijlage-1-2_gemeenten_4" in result.output
    assert ondertekening_in_overzicht(omg) == "deels ondertekend (opdrachtnemer 0/3, gemeente 1/3)"
    result = onderteken(omg, omg.pakket, pki.gemeente)
    assert result.exit_code == 0, result.output
    assert ondertekening_in_overzicht(omg) == f"ondertekend door gemeente ({_vandaag()})"


# --- bad input: a Dutch reason, exit 1, nothing stored ------------------------------------


def _geweigerd(omg: Omgeving, bestand: Path, *redenen: str) -> str:
    result = ontvangen(omg, bestand)
    assert result.exit_code == 1, result.output
    assert f"{bestand.name}: geweigerd, niets opgeslagen:" in result.output
    for reden in redenen:
        assert reden in result.output, result.output
    assert omg.opgeslagen() == []
    assert "0 bestand(en) aangenomen, 1 geweigerd" in result.output
    return result.output


def test_not_a_pdf(omg, tmp_path):
    bestand = tmp_path / "contract.pdf"
    bestand.write_text("Dit is een Word-export, geen PDF", encoding="utf-8")
    _geweigerd(omg, bestand, "geen PDF-bestand (het begint niet met %PDF-)")


def test_a_pdf_that_is_not_ours(omg, pki, tmp_path):
    bestand = tmp_path / "ander.pdf"
    bestand.write_bytes(teken((omg.map / "01-dvo.pdf").read_bytes(), pki.aanbieder, ["opdrachtnemer_2"]))
    _geweigerd(omg, bestand, "geen contractpakket uit", "met geen enkel gebouwd contractpakket.pdf byte voor byte gelijk")


def test_unsigned_package_is_not_taken_in(omg, tmp_path):
    bestand = tmp_path / "leeg.pdf"
    shutil.copy(omg.pakket, bestand)
    _geweigerd(omg, bestand, "het pakket bevat geen handtekeningen")


def test_text_changed_after_signing(omg, pki, tmp_path):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    getekend = teken(omg.pakket.read_bytes(), pki.aanbieder, OPDRACHTNEMER_VELDEN)
    w = IncrementalPdfFileWriter(io.BytesIO(getekend))
    stream = w.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 72 Td (Tarief: 1 euro) Tj ET"))
    w.add_stream_to_page(3, stream)
    uit = io.BytesIO()
    w.write(uit)
    bestand = tmp_path / "gewijzigd.pdf"
    bestand.write_bytes(uit.getvalue())
    uitvoer = _geweigerd(omg, bestand, "na ondertekening is meer gewijzigd dan handtekeningvelden (na de handtekening in "
                                       "dvo_opdrachtnemer_2, bijlage-1-2_opdrachtnemer_1, bijlage-1-2_opdrachtnemer_3): "
                                       "het document is inhoudelijk gewijzigd (")
    assert "wijzigingen sinds het verstuurde pakket: het document is inhoudelijk gewijzigd" in uitvoer
    assert max(len(regel) for regel in uitvoer.splitlines()) < 400  # the library's long report is cut short


def test_text_changed_before_signing(omg, pki, tmp_path):
    """Edited, then signed: every signature is valid, but the package is not the one that was sent."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(omg.pakket.read_bytes()))
    w.add_stream_to_page(0, w.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 72 Td (x) Tj ET")))
    uit = io.BytesIO()
    w.write(uit)
    bestand = tmp_path / "bewerkt.pdf"
    bestand.write_bytes(teken(uit.getvalue(), pki.aanbieder, OPDRACHTNEMER_VELDEN))
    uitvoer = _geweigerd(omg, bestand, "het pakket is gewijzigd voordat het werd ondertekend; meer dan "
                                       "handtekeningvelden invullen: het document is inhoudelijk gewijzigd")
    assert "geldig, vertrouwd" in uitvoer  # the signatures themselves are fine


def test_broken_signature(omg, pki, tmp_path):
    getekend = teken(omg.pakket.read_bytes(), pki.aanbieder, OPDRACHTNEMER_VELDEN[:1])
    # change one digit of the signing time (/M) inside the signed bytes of the last revision
    merk = b"/M (D\\072"  # pyHanko writes the ':' of D: as an octal escape
    plek = getekend.rindex(merk) + len(merk) + 3
    kapot = getekend[:plek] + (b"1" if getekend[plek:plek + 1] != b"1" else b"2") + getekend[plek + 1:]
    bestand = tmp_path / "kapot.pdf"
    bestand.write_bytes(kapot)
    _geweigerd(omg, bestand, "handtekening in veld dvo_opdrachtnemer_2 (A. Proef, Voorbeeld Thuisbegeleiding "
                             "Heuvelland) is ongeldig: de ondertekende inhoud is gewijzigd")


def test_damaged_signature_blob(omg, pki, tmp_path):
    getekend = teken(omg.pakket.read_bytes(), pki.aanbieder, OPDRACHTNEMER_VELDEN[:1])
    begin = getekend.rindex(b"/Contents <") + len(b"/Contents <")
    kapot = getekend[:begin] + b"0" * 40 + getekend[begin + 40:]
    bestand = tmp_path / "blob.pdf"
    bestand.write_bytes(kapot)
    _geweigerd(omg, bestand, "handtekening in veld dvo_opdrachtnemer_2 is ")


def test_expired_certificate(omg, pki, tmp_path):
    bestand = tmp_path / "verlopen.pdf"
    bestand.write_bytes(teken(omg.pakket.read_bytes(), pki.verlopen, OPDRACHTNEMER_VELDEN[:1]))
    _geweigerd(omg, bestand, "geldige handtekening, certificaat niet vertrouwd (certificaat verlopen op")


def test_self_signed_certificate(omg, pki, tmp_path):
    bestand = tmp_path / "zelf.pdf"
    bestand.write_bytes(teken(omg.pakket.read_bytes(), pki.zelf, OPDRACHTNEMER_VELDEN[:1]))
    _geweigerd(omg, bestand, "geldige handtekening, certificaat niet vertrouwd (zelfondertekend certificaat, "
                             f"niet in {omg.data / REGIO / 'vertrouwd'}/)")


def test_no_trust_configured_means_not_trusted(omg, pki, tmp_path):
    shutil.rmtree(omg.data / REGIO / "vertrouwd")
    bestand = tmp_path / "getekend.pdf"
    bestand.write_bytes(teken(omg.pakket.read_bytes(), pki.aanbieder, OPDRACHTNEMER_VELDEN))
    uitvoer = _geweigerd(omg, bestand, "geldige handtekening, certificaat niet vertrouwd (geen keten naar een "
                                       "vertrouwd certificaat in")
    assert ": geldig, vertrouwd" not in uitvoer


def test_signature_in_a_place_of_the_other_party(omg, pki, tmp_path):
    bestand = tmp_path / "verkeerd veld.pdf"
    bestand.write_bytes(teken(omg.pakket.read_bytes(), pki.aanbieder, ["dvo_gemeenten_1"]))
    _geweigerd(omg, bestand, "handtekening van A. Proef, Voorbeeld Thuisbegeleiding Heuvelland staat in veld "
                             "dvo_gemeenten_1, een handtekeningplaats van de gemeente: het certificaat is van de "
                             "opdrachtnemer")


def test_good_and_bad_file_together(omg, pki, tmp_path):
    goed, fout = tmp_path / "goed.pdf", tmp_path / "fout.txt"
    goed.write_bytes(teken(omg.pakket.read_bytes(), pki.aanbieder, OPDRACHTNEMER_VELDEN))
    fout.write_text("geen pdf", encoding="utf-8")
    result = ontvangen(omg, goed, fout)
    assert result.exit_code == 1
    assert "1 bestand(en) aangenomen, 1 geweigerd" in result.output
    assert len([n for n in omg.opgeslagen() if n.endswith(".pdf")]) == 1


# --- onderteken: bad certificate or field, nothing stored ------------------------------------


def test_wrong_certificate_password(omg, pki):
    result = onderteken(omg, omg.pakket, pki.gemeente, wachtwoord="fout")
    assert result.exit_code == 1
    assert f"fout: {pki.gemeente}: verkeerd wachtwoord voor dit certificaat" in result.output
    assert omg.opgeslagen() == []


def test_certificate_file_that_is_no_pkcs12(omg, pki, tmp_path):
    result = onderteken(omg, omg.pakket, pki.root_pem)
    assert result.exit_code == 1
    assert "geen PKCS#12-certificaatbestand (.p12 of .pfx)" in result.output
    assert omg.opgeslagen() == []


def test_gemeente_signing_with_an_expired_certificate(omg, pki):
    result = onderteken(omg, omg.pakket, pki.verlopen)
    assert result.exit_code == 1
    assert "het certificaat is verlopen op" in result.output
    assert omg.opgeslagen() == []


def test_gemeente_cannot_sign_the_place_of_the_opdrachtnemer(omg, pki):
    result = onderteken(omg, omg.pakket, pki.gemeente, "--veld", "dvo_opdrachtnemer_2", "--veld", "bestaat-niet")
    assert result.exit_code == 1
    assert "veld dvo_opdrachtnemer_2 is een handtekeningplaats van de opdrachtnemer, niet van de gemeente" in result.output
    assert "veld bestaat-niet is geen handtekeningplaats van dit pakket" in result.output
    assert omg.opgeslagen() == []


def test_gemeente_signature_with_an_untrusted_certificate_is_not_stored(omg, pki):
    result = onderteken(omg, omg.pakket, pki.zelf)  # a self-signed certificate: signed, checked, refused
    assert result.exit_code == 1
    assert "geldige handtekening, certificaat niet vertrouwd (zelfondertekend certificaat" in result.output
    assert omg.opgeslagen() == []


def test_signing_a_foreign_pdf_is_refused(omg, pki):
    result = onderteken(omg, omg.map / "01-dvo.pdf", pki.gemeente)
    assert result.exit_code == 1
    assert "01-dvo.pdf: geweigerd, niets opgeslagen:" in result.output and "geen contractpakket uit" in result.output
    assert omg.opgeslagen() == []


def test_signature_in_a_new_field_is_no_place_of_ours(omg, pki, tmp_path):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(pki.aanbieder), passphrase=WACHTWOORD.encode())
    uit = io.BytesIO()
    signers.PdfSigner(signers.PdfSignatureMetadata(field_name="eigen_handtekening"), signer=signer,
                      new_field_spec=fields.SigFieldSpec("eigen_handtekening", on_page=0, box=(50, 50, 250, 100)),
                      ).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(omg.pakket.read_bytes())), output=uit)
    bestand = tmp_path / "eigen veld.pdf"
    bestand.write_bytes(uit.getvalue())
    _geweigerd(omg, bestand, "handtekening van A. Proef, Voorbeeld Thuisbegeleiding Heuvelland in veld "
                             "eigen_handtekening, dat geen handtekeningplaats van dit pakket is")


# --- PAdES B-T: a timestamp service on loopback ------------------------------------------------


@pytest.fixture
def tijdstempeldienst(pki):
    """An RFC 3161 service on 127.0.0.1 (pyHanko's DummyTimeStamper behind http.server); yields its URL."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from asn1crypto import tsp, x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.sign.timestamps import DummyTimeStamper

    # the TSA gets its own root, trusted beside the test root; pyHanko's DummyTimeStamper signs with RSA only
    tsa_root_key, tsa_key = ec.generate_private_key(ec.SECP256R1()), rsa.generate_private_key(65537, 2048)
    nu = dt.datetime.now(dt.timezone.utc)
    root_naam = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA Root")])
    tsa_root = (x509.CertificateBuilder().subject_name(root_naam).issuer_name(root_naam)
                .public_key(tsa_root_key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(nu - dt.timedelta(days=1)).not_valid_after(nu + dt.timedelta(days=30))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(tsa_root_key, hashes.SHA256()))
    tsa = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")]))
           .issuer_name(root_naam).public_key(tsa_key.public_key()).serial_number(x509.random_serial_number())
           .not_valid_before(nu - dt.timedelta(days=1)).not_valid_after(nu + dt.timedelta(days=30))
           .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
           .sign(tsa_root_key, hashes.SHA256()))
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa.public_bytes(serialization.Encoding.DER)),
        tsa_key=load_private_key_from_pemder_data(tsa_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()), None))

    class Dienst(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            verzoek = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            antwoord = stamper.request_tsa_response(verzoek).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(antwoord)))
            self.end_headers()
            self.wfile.write(antwoord)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Dienst)
    draad = threading.Thread(target=server.serve_forever, daemon=True)
    draad.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", tsa_root.public_bytes(serialization.Encoding.PEM)
    finally:
        server.shutdown()
        server.server_close()


def test_gemeente_signs_pades_b_t_with_a_timestamp(omg, pki, tijdstempeldienst):
    url, tsa_root = tijdstempeldienst
    (omg.data / REGIO / "vertrouwd" / "tsa-root.pem").write_bytes(tsa_root)
    result = onderteken(omg, omg.pakket, pki.gemeente, "--veld", "dvo_gemeenten_1", "--tijdstempel", url)
    assert result.exit_code == 0, result.output
    assert re.search(r"handtekening dvo_gemeenten_1 \(gemeente\): X\. Xxxxxx, Gemeente Maastricht, "
                     r"\d\d-\d\d-\d{4} \d\d:\d\d \(tijdstempel\): geldig, vertrouwd", result.output), result.output
    [pdf] = [omg.ondertekend / n for n in omg.opgeslagen() if n.endswith(".pdf")]
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = list(load_certs_from_pemder_data(pki.root_pem.read_bytes())) + list(load_certs_from_pemder_data(tsa_root))
    [sig] = PdfFileReader(io.BytesIO(pdf.read_bytes())).embedded_signatures
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=roots))
    assert status.trusted and status.timestamp_validity is not None and status.timestamp_validity.trusted


def test_timestamp_service_that_does_not_answer(omg, pki):
    result = onderteken(omg, omg.pakket, pki.gemeente, "--tijdstempel", "http://127.0.0.1:9/")
    assert result.exit_code == 1
    assert "tijdstempeldienst http://127.0.0.1:9/ gaf geen tijdstempel" in result.output
    assert omg.opgeslagen() == []


def test_overzicht_flags_a_stored_copy_changed_by_hand(omg, pki, tmp_path):
    terug = tmp_path / "terug.pdf"
    terug.write_bytes(teken(omg.pakket.read_bytes(), pki.aanbieder, OPDRACHTNEMER_VELDEN))
    assert ontvangen(omg, terug).exit_code == 0
    assert ondertekening_in_overzicht(omg) == f"ondertekend door opdrachtnemer ({_vandaag()})"
    [pdf] = [omg.ondertekend / n for n in omg.opgeslagen() if n.endswith(".pdf")]
    pdf.write_bytes(pdf.read_bytes() + b"\n% bijgewerkt\n")
    assert ondertekening_in_overzicht(omg) == f"afwijkend document ({pdf.name} komt niet overeen met zijn registratie)"


def test_signer_without_organisation_is_refused_in_an_organisation_place(omg, pki, tmp_path):
    """A trusted personal certificate names no party: refused in the opdrachtnemer's place (issue 27)."""
    bestand = tmp_path / "persoonlijk.pdf"
    bestand.write_bytes(teken(omg.pakket.read_bytes(), pki.persoon, OPDRACHTNEMER_VELDEN[:1]))
    _geweigerd(omg, bestand, "handtekening van J. de Vries staat in veld dvo_opdrachtnemer_2, een handtekeningplaats "
                             "van de opdrachtnemer: het certificaat is persoonlijk: het noemt geen organisatie en geen "
                             "KvK-nummer")


def test_missing_output_folder_or_data(omg, pki, tmp_path):
    result = CliRunner().invoke(main, ["ontvangen", str(omg.pakket), "--data", str(omg.data),
                                       "--uitvoer", str(tmp_path / "nergens")])
    assert result.exit_code == 1
    assert f"fout: {tmp_path / 'nergens'}: map met gebouwde pakketten bestaat niet; geef --uitvoer" in result.output
    result = CliRunner().invoke(main, ["ontvangen", str(omg.pakket), "--data", str(tmp_path / "geen-data"),
                                       "--uitvoer", str(omg.uitvoer)])
    assert result.exit_code == 1
    assert f"fout: {tmp_path / 'geen-data'}: map met contractdata bestaat niet; geef --data" in result.output


def test_certificate_password_missing(omg, pki):
    result = CliRunner().invoke(main, ["onderteken", str(omg.pakket), "--certificaat", str(pki.gemeente),
                                       "--data", str(omg.data), "--uitvoer", str(omg.uitvoer)],
                                env={"CONTRACTGEN_WACHTWOORD": None})
    assert result.exit_code == 1
    assert "het certificaat is met een wachtwoord beveiligd; geef --wachtwoord of zet CONTRACTGEN_WACHTWOORD" \
        in result.output
    assert omg.opgeslagen() == []


def test_an_older_copy_received_later_does_not_undo_the_state(omg, pki, tmp_path):
    alleen_aanbieder = tmp_path / "aanbieder.pdf"
    alleen_aanbieder.write_bytes(teken(omg.pakket.read_bytes(), pki.aanbieder, OPDRACHTNEMER_VELDEN))
    assert ontvangen(omg, alleen_aanbieder).exit_code == 0
    [kopie] = [omg.ondertekend / n for n in omg.opgeslagen() if n.endswith(".pdf")]
    assert onderteken(omg, kopie, pki.gemeente).exit_code == 0
    beide = f"ondertekend door beide (opdrachtnemer {_vandaag()}, gemeente {_vandaag()})"
    assert ondertekening_in_overzicht(omg) == beide
    # the aanbieder signs his copy once more (new bytes) and sends it again, after the gemeente signed
    import time

    time.sleep(1.1)  # records are ordered by their time of receipt (seconds)
    tweede = tmp_path / "nog eens.pdf"
    tweede.write_bytes(teken(omg.pakket.read_bytes(), pki.aanbieder, OPDRACHTNEMER_VELDEN))
    assert tweede.read_bytes() != alleen_aanbieder.read_bytes()
    result = ontvangen(omg, tweede)
    assert result.exit_code == 0 and "opgeslagen:" in result.output
    assert ondertekening_in_overzicht(omg) == beide


def test_manifest_records_every_package_field_with_its_party(omg):
    """The build writes each signature place of contractpakket.pdf with its party into manifest.json;
    signing and taking in read the party from there, not from the field's name."""
    import json

    from pypdf import PdfReader

    from contractgen.ondertekening.velden import plaatsen

    manifest = json.loads((omg.map / "manifest.json").read_text(encoding="utf-8"))
    vastgelegd = manifest["handtekeningvelden"]
    in_pdf = [n for n, v in (PdfReader(str(omg.pakket)).get_fields() or {}).items() if v.get("/FT") == "/Sig"]
    assert sorted(vastgelegd) == sorted(in_pdf) and len(in_pdf) > 3
    assert set(vastgelegd.values()) == {"gemeenten", "opdrachtnemer", "paraaf"}
    # the party comes from the template's signature block, e.g. the DVO's first block is the gemeenten's
    assert all(partij == "paraaf" for naam, partij in vastgelegd.items() if "_paraaf_p" in naam)
    # a manifest that says otherwise than the name wins: the name is only the fallback for old builds
    naam = next(n for n, p in vastgelegd.items() if p == "gemeenten")
    anders = dict(manifest, handtekeningvelden=dict(vastgelegd, **{naam: "opdrachtnemer"}))
    partijen = {p.naam: p.partij for p in plaatsen(omg.pakket.read_bytes(), anders)}
    assert partijen[naam] == "opdrachtnemer"
    assert {p.naam: p.partij for p in plaatsen(omg.pakket.read_bytes(), manifest)} == vastgelegd
