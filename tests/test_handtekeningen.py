"""Signatures that hold up (issue 27), each case against one real built package.

The attack files are made here, as an attacker would (pyHanko's writer, raw bytes, endesive as a
second signer); each verdict is asserted with its Dutch reason, and for an accepted file what is
stored. One package is built for the module; each test works on a copy.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA
from contractgen.cli import main
from test_ondertekening import (  # noqa: F401 - fixtures pki and tijdstempeldienst are used by name
    AANBIEDER,
    OPDRACHTNEMER_VELDEN,
    REGIO,
    WACHTWOORD,
    Omgeving,
    _geweigerd,
    _vandaag,
    onderteken,
    ondertekening_in_overzicht,
    ontvangen,
    pki,
    teken,
    tijdstempeldienst,
)

GEMEENTE_VELDEN = ["dvo_gemeenten_1", "bijlage-1-2_gemeenten_2", "bijlage-1-2_gemeenten_4"]
CRL_URL = "http://127.0.0.1:9/test-ca.crl"  # named in the certificates, never fetched: the CRL is in vertrouwd/


# --- a test PKI with the identities and revocation of issue 27 ---------------------------------------


@dataclass
class Pki27:
    root_pem: Path
    crl: Path
    aanbieder: Path  # O + NTRNL-90000002, CRL distribution point, not revoked
    ingetrokken: Path  # the same identity, revoked in the CRL
    ander: Path  # another aanbieder: NTRNL-90000003
    serienummer: Path  # serialNumber 190000002X, another organisation: no KvK 90000002
    persoon: Path  # no organisation
    gemeente: Path  # Gemeente Maastricht, CRL distribution point
    gemeente_rsa: Path  # Gemeente Maastricht with an RSA key (endesive signs RSA only)
    venlo: Path  # Gemeente Venlo (not in this region)


def _maak_pki27(map_: Path) -> Pki27:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    nu = dt.datetime.now(dt.timezone.utc)
    root_sleutel = ec.generate_private_key(ec.SECP256R1())
    root_naam = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA issue 27"),
                           x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test PKI")])
    root = (x509.CertificateBuilder().subject_name(root_naam).issuer_name(root_naam)
            .public_key(root_sleutel.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(nu - dt.timedelta(days=2)).not_valid_after(nu + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_sleutel.public_key()), critical=False)
            .sign(root_sleutel, hashes.SHA256()))
    (map_ / "root27.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    ingetrokken_serienummers = []

    def p12(bestand: str, attrs, rsa_sleutel=False, crl=True, intrekken=False) -> Path:
        sleutel = rsa.generate_private_key(65537, 2048) if rsa_sleutel else ec.generate_private_key(ec.SECP256R1())
        serie = x509.random_serial_number()
        b = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(o, w) for o, w in attrs]))
             .issuer_name(root_naam).public_key(sleutel.public_key()).serial_number(serie)
             .not_valid_before(nu - dt.timedelta(days=1)).not_valid_after(nu + dt.timedelta(days=300))
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                          data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                          crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_sleutel.public_key()),
                            critical=False))
        if crl:
            b = b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]), critical=False)
        if intrekken:
            ingetrokken_serienummers.append(serie)
        pad = map_ / bestand
        pad.write_bytes(pkcs12.serialize_key_and_certificates(
            b"test", sleutel, b.sign(root_sleutel, hashes.SHA256()), [root],
            serialization.BestAvailableEncryption(WACHTWOORD.encode())))
        return pad

    cn, o, oid, sn = NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME, NameOID.ORGANIZATION_IDENTIFIER, \
        NameOID.SERIAL_NUMBER
    aanbieder = [(cn, "A. Proef"), (o, "Voorbeeld Thuisbegeleiding Heuvelland"), (oid, "NTRNL-90000002")]
    pki = Pki27(
        map_ / "root27.pem", map_ / "test-ca.crl",
        p12("aanbieder.p12", aanbieder),
        p12("ingetrokken.p12", aanbieder, intrekken=True),
        p12("ander.p12", [(cn, "B. Ander"), (o, "Voorbeeld Beschermd Wonen Zuid"), (oid, "NTRNL-90000003")]),
        p12("serienummer.p12", [(cn, "C. Slim"), (o, "Thuiszorg Anders B.V."), (sn, "190000002X")]),
        p12("persoon.p12", [(cn, "J. de Vries")]),
        p12("gemeente.p12", [(cn, "X. Xxxxxx"), (o, "Gemeente Maastricht")]),
        p12("gemeente-rsa.p12", [(cn, "Y. Yyyyyy"), (o, "Gemeente Maastricht")], rsa_sleutel=True),
        p12("venlo.p12", [(cn, "V. Venlo"), (o, "Gemeente Venlo")]),
    )
    lijst = (x509.CertificateRevocationListBuilder().issuer_name(root_naam)
             .last_update(nu - dt.timedelta(hours=1)).next_update(nu + dt.timedelta(days=7)))
    for serie in ingetrokken_serienummers:
        lijst = lijst.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(serie)
                                              .revocation_date(nu - dt.timedelta(minutes=30)).build())
    lijst = lijst.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_sleutel.public_key()),
                                critical=False).add_extension(x509.CRLNumber(1), critical=False)
    pki.crl.write_bytes(lijst.sign(root_sleutel, hashes.SHA256()).public_bytes(serialization.Encoding.PEM))
    return pki


@pytest.fixture(scope="module")
def pki27(tmp_path_factory) -> Pki27:
    return _maak_pki27(tmp_path_factory.mktemp("pki27"))


@pytest.fixture(scope="module")
def gebouwd27(tmp_path_factory, pki27) -> Path:
    """One real build of one aanbieder, the test root and its CRL in the region's vertrouwd/."""
    basis = tmp_path_factory.mktemp("gebouwd27")
    shutil.copytree(DATA / REGIO, basis / "data" / REGIO)
    (basis / "data" / REGIO / "vertrouwd").mkdir()
    shutil.copy(pki27.root_pem, basis / "data" / REGIO / "vertrouwd" / "test-root.pem")
    shutil.copy(pki27.crl, basis / "data" / REGIO / "vertrouwd" / "test-ca.crl")
    result = CliRunner().invoke(main, ["build", str(basis / "data" / REGIO), "--aanbieder", AANBIEDER,
                                       "--uitvoer", str(basis / "output")])
    assert result.exit_code == 0, result.output
    return basis


@pytest.fixture(scope="module")
def getekend27(gebouwd27, pki27) -> bytes:
    """The package with the opdrachtnemer's three places signed (made once)."""
    pakket = gebouwd27 / "output" / REGIO / "2018" / AANBIEDER / "contractpakket.pdf"
    return teken(pakket.read_bytes(), pki27.aanbieder, OPDRACHTNEMER_VELDEN)


@pytest.fixture
def omg(gebouwd27, tmp_path) -> Omgeving:
    shutil.copytree(gebouwd27 / "data", tmp_path / "data")
    shutil.copytree(gebouwd27 / "output", tmp_path / "output")
    return Omgeving(tmp_path / "data", tmp_path / "output")


# --- helpers -------------------------------------------------------------------------------


def _schrijf(w) -> bytes:
    uit = io.BytesIO()
    w.write(uit)
    return uit.getvalue()


def _pagina_van(pdf: bytes, veld: str) -> int:
    """0-based page of a field's widget."""
    from pypdf import PdfReader

    return next(i for i, p in enumerate(PdfReader(io.BytesIO(pdf)).pages)
                for a in p.get("/Annots", []) if a.get_object().get("/T") == veld)


def _woord(pdf: Path, pagina: int, woord: str) -> tuple[float, float, float, float]:
    """PDF rectangle (x1, y1, x2, y2) of a word on a 1-based page, from poppler's pdftotext -bbox."""
    import re

    html = subprocess.run(["pdftotext", "-f", str(pagina), "-l", str(pagina), "-bbox", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    hoogte = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))
    m = re.search(rf'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">{re.escape(woord)}</word>',
                  html)
    x1, y1, x2, y2 = (float(g) for g in m.groups())
    return x1, hoogte - y2, x2, hoogte - y1


def _pagina_png(pdf: Path, pagina: int) -> bytes:
    return subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(pagina), "-l", str(pagina), str(pdf)],
                          capture_output=True, check=True).stdout


def _verschijning(w, breedte: float, hoogte: float, tekst: bytes):
    """An appearance stream: a white box with `tekst` in Helvetica."""
    from pyhanko.pdf_utils import generic

    font = generic.DictionaryObject({generic.NameObject("/Type"): generic.NameObject("/Font"),
                                     generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                                     generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica")})
    stroom = generic.StreamObject({
        generic.NameObject("/Type"): generic.NameObject("/XObject"),
        generic.NameObject("/Subtype"): generic.NameObject("/Form"),
        generic.NameObject("/BBox"): generic.ArrayObject(map(generic.FloatObject, [0, 0, breedte, hoogte])),
        generic.NameObject("/Resources"): generic.DictionaryObject({generic.NameObject("/Font"): generic.DictionaryObject(
            {generic.NameObject("/F1"): font})}),
    }, stream_data=b"1 g 0 0 %.2f %.2f re f 0 g BT /F1 10 Tf 1 2 Td (%s) Tj ET" % (breedte, hoogte, tekst))
    return generic.DictionaryObject({generic.NameObject("/N"): w.add_object(stroom)})


def _veld(w, naam: str):
    """(reference, dict) of a field of the form of an incremental writer."""
    for ref in w.root["/AcroForm"]["/Fields"]:
        if ref.get_object().get("/T") == naam:
            return ref.reference, ref.get_object()
    raise KeyError(naam)


def _opgeslagen_pdf(omg: Omgeving) -> list[Path]:
    return [omg.ondertekend / n for n in omg.opgeslagen() if n.endswith(".pdf")]


# --- 1. nothing painted over a price -------------------------------------------------------------


def test_sneaky_signature_that_paints_over_a_price_is_refused(omg, pki27, getekend27, tmp_path):
    """Mainka et al. 2021: after signing, a new *unsigned* signature field whose appearance is a white
    box with "7,00" over "€ 70". The page really shows it; ontvangen and onderteken refuse it."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    x1, y1, x2, y2 = _woord(omg.pakket, 16, "70")
    box = (x1 - 10, y1 - 1, x2 + 4, y2 + 1)  # over "€ 70"
    w = IncrementalPdfFileWriter(io.BytesIO(getekend27))
    append_signature_field(w, SigFieldSpec("Handtekening2", on_page=15, box=box))
    ref, veld = _veld(w, "Handtekening2")
    veld[generic.NameObject("/AP")] = _verschijning(w, box[2] - box[0], box[3] - box[1], b"7,00")
    w.mark_update(ref)
    aanval = tmp_path / "getekend.pdf"
    aanval.write_bytes(_schrijf(w))
    origineel = tmp_path / "origineel.pdf"
    origineel.write_bytes(getekend27)
    assert _pagina_png(aanval, 16) != _pagina_png(origineel, 16)  # the attack is visible on the page

    reden = (f"nieuw handtekeningveld 'Handtekening2' (niet ondertekend) toegevoegd op pagina 16, rechthoek "
             f"({box[0]:.0f}, {box[1]:.0f})–({box[2]:.0f}, {box[3]:.0f}); na het verstuurde pakket mogen alleen de "
             f"handtekeningplaatsen van het pakket worden ingevuld")
    uitvoer = _geweigerd(omg, aanval, reden)
    assert "wijzigingen sinds het verstuurde pakket: nieuw handtekeningveld 'Handtekening2'" in uitvoer
    result = onderteken(omg, aanval, pki27.gemeente)
    assert result.exit_code == 1 and reden in result.output, result.output
    assert omg.opgeslagen() == []


def test_appearance_on_an_empty_place_without_signing_is_refused(omg, pki27, getekend27, tmp_path):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(getekend27))
    ref, veld = _veld(w, "dvo_gemeenten_1")
    x1, y1, x2, y2 = (float(x) for x in veld["/Rect"])
    veld[generic.NameObject("/AP")] = _verschijning(w, x2 - x1, y2 - y1, b"Akkoord, gemeente")
    w.mark_update(ref)
    aanval = tmp_path / "nagemaakt.pdf"
    aanval.write_bytes(_schrijf(w))
    _geweigerd(omg, aanval, "na ondertekening is meer gewijzigd dan handtekeningvelden", "het document is "
               "inhoudelijk gewijzigd")


def test_a_place_that_moves_is_refused(omg, pki27, getekend27, tmp_path):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(getekend27))
    ref, veld = _veld(w, "dvo_gemeenten_1")
    pagina = _pagina_van(getekend27, "dvo_gemeenten_1") + 1
    oud = [float(x) for x in veld["/Rect"]]
    veld[generic.NameObject("/Rect")] = generic.ArrayObject(map(generic.FloatObject, [72, 400, 300, 460]))
    w.mark_update(ref)
    aanval = tmp_path / "verschoven.pdf"
    aanval.write_bytes(_schrijf(w))
    _geweigerd(omg, aanval, f"handtekeningplaats 'dvo_gemeenten_1' is verplaatst of van vorm veranderd (was pagina "
                            f"{pagina}, rechthoek ({oud[0]:.0f}, {oud[1]:.0f})–({oud[2]:.0f}, {oud[3]:.0f}), nu "
                            f"pagina {pagina}, rechthoek (72, 400)–(300, 460))")


def test_an_annotation_over_a_price_is_refused_naming_the_page(omg, pki27, getekend27, tmp_path):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    x1, y1, x2, y2 = _woord(omg.pakket, 16, "70")
    w = IncrementalPdfFileWriter(io.BytesIO(getekend27))
    pagina_ref, _ = w.find_page_for_modification(15)
    pagina = pagina_ref.get_object()
    annot = w.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
        generic.NameObject("/Rect"): generic.ArrayObject(map(generic.FloatObject, [x1 - 10, y1, x2 + 4, y2])),
        generic.NameObject("/Contents"): generic.TextStringObject("7,00"),
        generic.NameObject("/DA"): generic.TextStringObject("/Helv 10 Tf 0 g"),
    }))
    annots = pagina.get("/Annots") or generic.ArrayObject()
    pagina[generic.NameObject("/Annots")] = generic.ArrayObject([*annots, annot])
    w.mark_update(pagina_ref)
    aanval = tmp_path / "annotatie.pdf"
    aanval.write_bytes(_schrijf(w))
    _geweigerd(omg, aanval, "het document is inhoudelijk gewijzigd (annotatie /FreeText toegevoegd op pagina 16, "
                            f"rechthoek ({x1 - 10:.0f}, {y1:.0f})–({x2 + 4:.0f}, {y2:.0f}))")


# --- 2. who signs ---------------------------------------------------------------------------------


def test_personal_certificate_in_a_gemeente_place_is_refused_and_not_counted(omg, pki27, getekend27, tmp_path):
    bestand = tmp_path / "persoon.pdf"
    bestand.write_bytes(teken(getekend27, pki27.persoon, GEMEENTE_VELDEN))
    _geweigerd(omg, bestand, "handtekening van J. de Vries staat in veld dvo_gemeenten_1, een handtekeningplaats "
                             "van de gemeente: het certificaat is persoonlijk: het noemt geen organisatie en geen "
                             "KvK-nummer")
    assert ondertekening_in_overzicht(omg) == "gebouwd"
    # onderteken with that certificate: signed, checked, refused, nothing stored
    result = onderteken(omg, omg.pakket, pki27.persoon)
    assert result.exit_code == 1 and "het certificaat is persoonlijk" in result.output, result.output
    assert omg.opgeslagen() == []


def test_another_kvk_in_the_opdrachtnemer_place_is_refused_naming_both(omg, pki27, tmp_path):
    bestand = tmp_path / "ander.pdf"
    bestand.write_bytes(teken(omg.pakket.read_bytes(), pki27.ander, OPDRACHTNEMER_VELDEN[:1]))
    _geweigerd(omg, bestand, "handtekening van B. Ander, Voorbeeld Beschermd Wonen Zuid staat in veld "
                             "dvo_opdrachtnemer_2, een handtekeningplaats van de opdrachtnemer: het certificaat noemt "
                             "KvK 90000003 (Voorbeeld Beschermd Wonen Zuid), niet KvK 90000002 van Voorbeeld "
                             "Thuisbegeleiding Heuvelland")


def test_a_kvk_inside_a_serial_number_is_no_kvk(omg, pki27, tmp_path):
    bestand = tmp_path / "serienummer.pdf"
    bestand.write_bytes(teken(omg.pakket.read_bytes(), pki27.serienummer, OPDRACHTNEMER_VELDEN[:1]))
    _geweigerd(omg, bestand, "handtekening van C. Slim, Thuiszorg Anders B.V. staat in veld dvo_opdrachtnemer_2, een "
                             "handtekeningplaats van de opdrachtnemer: het certificaat noemt organisatie 'Thuiszorg "
                             "Anders B.V.': niet KvK 90000002 (Voorbeeld Thuisbegeleiding Heuvelland) en geen gemeente")


def test_kvk_and_gemeente_rules_by_parsing_not_substrings():
    """organizationIdentifier is parsed (ETSI EN 319 412-1), never searched."""
    from asn1crypto import x509 as asn1_x509

    from contractgen.ondertekening.identiteit import kenmerken

    def cert(**attrs):
        naam = asn1_x509.Name.build(attrs)
        return asn1_x509.Certificate({"tbs_certificate": {
            "version": "v3", "serial_number": 1, "signature": {"algorithm": "sha256_ecdsa"}, "issuer": naam,
            "validity": {"not_before": asn1_x509.Time({"utc_time": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)}),
                         "not_after": asn1_x509.Time({"utc_time": dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)})},
            "subject": naam, "subject_public_key_info": {"algorithm": {"algorithm": "ec"}, "public_key": b"\x04"}},
            "signature_algorithm": {"algorithm": "sha256_ecdsa"}, "signature_value": b""})

    assert kenmerken(cert(common_name="a", organization_identifier="NTRNL-90000002")).kvk == "90000002"
    assert kenmerken(cert(common_name="a", organization_identifier="NTRNL-190000002")).kvk == ""  # 9 digits
    assert kenmerken(cert(common_name="a", organization_identifier="VATNL-90000002")).kvk == ""  # VAT, not KvK
    assert kenmerken(cert(common_name="a", organization_identifier="NTRBE-90000002")).kvk == ""  # Belgian
    assert kenmerken(cert(common_name="a", serial_number="190000002X")).kvk == ""


def test_gemeente_signers_are_configured_per_region(omg, pki27, getekend27, tmp_path):
    regels = omg.data / REGIO / "vertrouwd" / "ondertekenaars.yaml"
    bestand = tmp_path / "venlo.pdf"
    bestand.write_bytes(teken(getekend27, pki27.venlo, GEMEENTE_VELDEN[:1]))
    # Gemeente Venlo is no gemeente of this region (regio.yaml)
    _geweigerd(omg, bestand, "het certificaat noemt organisatie 'Gemeente Venlo': niet KvK 90000002 (Voorbeeld "
                             "Thuisbegeleiding Heuvelland) en geen gemeente volgens de gemeenten in regio.yaml "
                             "(Gemeente Eijsden-Margraten, ")
    # a named signer's certificate, by its fingerprint
    from pyhanko.sign import signers

    vingerafdruk = signers.SimpleSigner.load_pkcs12(str(pki27.venlo), passphrase=WACHTWOORD.encode()) \
        .signing_cert.sha256.hex()
    regels.write_text(f"gemeenten:\n  certificaten: [\"{vingerafdruk}\"]\n", encoding="utf-8")
    result = ontvangen(omg, bestand)
    assert result.exit_code == 0, result.output
    # only organisations listed: Gemeente Maastricht's own certificate is then refused
    regels.write_text("gemeenten:\n  organisaties: [\"Gemeente Meerssen\"]\n", encoding="utf-8")
    maastricht = tmp_path / "maastricht.pdf"
    maastricht.write_bytes(teken(getekend27, pki27.gemeente, GEMEENTE_VELDEN[:1]))
    result = ontvangen(omg, maastricht)
    assert result.exit_code == 1
    assert (f"het certificaat noemt organisatie 'Gemeente Maastricht': niet KvK 90000002 (Voorbeeld Thuisbegeleiding "
            f"Heuvelland) en geen gemeente volgens {regels} (Gemeente Meerssen)") in result.output, result.output
    # a malformed rules file: an error naming file and line
    regels.write_text("gemeenten:\n  organisaties: [\"Gemeente Meerssen\"\n", encoding="utf-8")
    result = ontvangen(omg, maastricht)
    assert result.exit_code == 1 and f"fout: {regels}, regel 3: geen geldige YAML" in result.output, result.output


def test_overzicht_says_beide_only_when_both_signed_their_own_places(omg, pki27, getekend27, tmp_path):
    bestand = tmp_path / "aanbieder.pdf"
    bestand.write_bytes(getekend27)
    assert ontvangen(omg, bestand).exit_code == 0
    assert ondertekening_in_overzicht(omg) == f"ondertekend door opdrachtnemer ({_vandaag()})"
    [kopie] = _opgeslagen_pdf(omg)
    assert onderteken(omg, kopie, pki27.gemeente).exit_code == 0
    assert ondertekening_in_overzicht(omg) == f"ondertekend door beide (opdrachtnemer {_vandaag()}, gemeente {_vandaag()})"
    # a record that says a person signed the gemeente's places (as issue 27 found them) does not count
    record_pad = sorted(omg.ondertekend.glob("*.json"))
    for pad in record_pad:
        record = json.loads(pad.read_text(encoding="utf-8"))
        for h in record["handtekeningen"]:
            if h["plaats"] == "gemeenten":
                h["partij"] = None
        pad.write_text(json.dumps(record), encoding="utf-8")
    assert ondertekening_in_overzicht(omg) == f"ondertekend door opdrachtnemer ({_vandaag()})"


# --- 3. limits ------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_reading(omg, tmp_path):
    groot = tmp_path / "groot.pdf"
    with groot.open("wb") as f:  # sparse: 300 MB that cost no disk and are never read
        f.write(omg.pakket.read_bytes())
        f.truncate(300 * 2**20)
    _geweigerd(omg, groot, f"{groot} is te groot voor een contractpakket (300 MB; verwacht hoogstens 100 MB)")
    result = CliRunner().invoke(main, ["ontvangen", str(groot), "--data", str(omg.data), "--uitvoer",
                                       str(omg.uitvoer), "--max-mb", "0.5"])
    assert f"{groot} is te groot voor een contractpakket (300 MB; verwacht hoogstens 0,5 MB)" in result.output


def test_too_many_revisions_are_refused_before_parsing(omg, getekend27, tmp_path):
    """2,000 trivial revisions (issue 27: 146 s, accepted) are counted, not parsed."""
    import re

    data = getekend27
    vorige = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    root = re.findall(rb"/Root (\d+ \d+ R)", data)[-1]
    grootte = int(re.findall(rb"/Size (\d+)", data)[-1])
    delen = [data]
    positie = len(data)
    for _ in range(2000):
        stuk = b"\nxref\n0 0\ntrailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
            grootte, root, vorige, positie + 1)
        vorige = positie + 1
        delen.append(stuk)
        positie += len(stuk)
    bestand = tmp_path / "revisies.pdf"
    bestand.write_bytes(b"".join(delen))
    _geweigerd(omg, bestand, "het bestand heeft 2003 revisies na het verstuurde pakket, meer dan de 30 die bij 10 "
                             "handtekeningplaatsen horen")


def test_time_budget(omg, getekend27, tmp_path):
    bestand = tmp_path / "traag.pdf"
    bestand.write_bytes(getekend27)
    result = CliRunner().invoke(main, ["ontvangen", str(bestand), "--data", str(omg.data), "--uitvoer",
                                       str(omg.uitvoer), "--max-seconden", "0"])
    assert result.exit_code == 1
    assert ("de controle duurde langer dan 0 seconden (grens); het bestand is niet volledig gecontroleerd en wordt "
            "niet aangenomen") in result.output
    assert omg.opgeslagen() == []


def test_bytes_after_the_last_signed_revision_are_not_stored(omg, getekend27, tmp_path):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    # an object after %%EOF
    staart = tmp_path / "staart.pdf"
    rest = b"\n99 0 obj\n(Tarief per uur: 7,00)\nendobj\n"
    staart.write_bytes(getekend27 + rest)
    result = ontvangen(omg, staart)
    assert result.exit_code == 0, result.output
    assert (f"niet bewaard: {len(rest)} bytes na de laatste ondertekende revisie (gegevens na de laatste %%EOF); "
            "bewaard is het bestand tot en met de laatste handtekening") in result.output
    [pdf] = _opgeslagen_pdf(omg)
    assert pdf.read_bytes() == getekend27
    shutil.rmtree(omg.ondertekend)
    # a revision of orphan objects (pyHanko's policy lets them pass as harmless; they are not stored)
    w = IncrementalPdfFileWriter(io.BytesIO(getekend27))
    w.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 72 Td (7,00) Tj ET"))
    wees = tmp_path / "wees.pdf"
    wees.write_bytes(_schrijf(w))
    result = ontvangen(omg, wees)
    assert result.exit_code == 0, result.output
    assert "niet bewaard: " in result.output and "(1 revisie(s) zonder handtekening)" in result.output
    [pdf] = _opgeslagen_pdf(omg)
    assert pdf.read_bytes() == getekend27


# --- 4. honest signers ------------------------------------------------------------------------------


def _endesive_cms(monkeypatch):
    """endesive.pdf.cms, importable here: its package __init__ loads endesive's verifier, whose
    oscrypto cannot parse OpenSSL 3.0.19's version (oscrypto 1.3.0); endesive 3.0.1 still passes pypdf<6's
    encryption_key argument to write_to_stream. Both only around the signer; its output is endesive's."""
    endesive = pytest.importorskip("endesive")
    pakket = types.ModuleType("endesive.pdf")
    pakket.__path__ = [str(Path(endesive.__file__).parent / "pdf")]
    monkeypatch.setitem(sys.modules, "endesive.pdf", pakket)
    monkeypatch.delitem(sys.modules, "endesive.pdf.cms", raising=False)
    from pypdf import generic as po

    schrijf = po.DictionaryObject.write_to_stream
    monkeypatch.setattr(po.DictionaryObject, "write_to_stream",
                        lambda self, stream, encryption_key=None: schrijf(self, stream))
    from endesive.pdf import cms

    return cms


def test_endesive_as_second_signer_is_accepted(omg, pki27, getekend27, tmp_path, monkeypatch):
    """endesive re-writes the page of the field (its MediaBox as 595.303937, not 595.303937007874):
    equal in content to the sent revision, so no change."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    cms = _endesive_cms(monkeypatch)
    sleutel, cert, keten = pkcs12.load_key_and_certificates(pki27.gemeente_rsa.read_bytes(), WACHTWOORD.encode())
    veld = "dvo_gemeenten_1"
    udct = {"sigflags": 3, "sigfield": veld, "signform": True, "sigpage": _pagina_van(getekend27, veld),
            "signature": "Y. Yyyyyy", "reason": "Voor akkoord", "location": "Maastricht", "contact": "",
            "signingdate": dt.datetime.now(dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'"), "aligned": 0}
    getekend = getekend27 + cms.sign(getekend27, udct, sleutel, cert, keten, "sha256")
    # endesive did re-write the page object with other bytes
    assert b"595.303937 " in getekend[len(getekend27):] and b"595.303937 " not in getekend27
    bestand = tmp_path / "endesive.pdf"
    bestand.write_bytes(getekend)
    result = ontvangen(omg, bestand)
    assert result.exit_code == 0, result.output
    assert "wijzigingen sinds het verstuurde pakket: alleen handtekeningvelden ingevuld" in result.output
    assert "handtekening dvo_gemeenten_1 (gemeente): Y. Yyyyyy, Gemeente Maastricht, " in result.output
    [pdf] = _opgeslagen_pdf(omg)
    assert pdf.read_bytes() == getekend


def test_pyhanko_cli_as_second_signer_is_accepted_and_pdfsig_agrees(omg, pki27, getekend27, tmp_path):
    """pyHanko's own command line (pyhanko-cli) signs the gemeente's place; poppler's pdfsig, a third
    implementation, reads every signature of what was stored as valid."""
    pyhanko = Path(sys.executable).with_name("pyhanko")
    if not pyhanko.exists():
        pytest.skip("pyhanko-cli is not installed (pip install -e '.[test]')")
    invoer, uit, wachtwoord = tmp_path / "aanbieder.pdf", tmp_path / "cli.pdf", tmp_path / "wachtwoord.txt"
    invoer.write_bytes(getekend27)
    wachtwoord.write_text(WACHTWOORD, encoding="utf-8")
    proces = subprocess.run([str(pyhanko), "sign", "addsig", "--field", "dvo_gemeenten_1", "--existing-only",
                             "--use-pades", "pkcs12", "--passfile", str(wachtwoord), str(invoer), str(uit),
                             str(pki27.gemeente)], capture_output=True, text=True)
    assert proces.returncode == 0, proces.stderr
    result = ontvangen(omg, uit)
    assert result.exit_code == 0, result.output
    assert "handtekening dvo_gemeenten_1 (gemeente): X. Xxxxxx, Gemeente Maastricht, " in result.output
    [pdf] = _opgeslagen_pdf(omg)
    pdfsig = subprocess.run(["pdfsig", "-nocert", str(pdf)], capture_output=True, text=True).stdout
    assert pdfsig.count("Signature Validation: Signature is Valid.") == 4, pdfsig


def test_a_rewritten_page_with_other_content_stays_refused(omg, getekend27, tmp_path):
    """The rule for re-written objects explains only equal content: the same re-write with one number
    changed (the MediaBox made wider) is refused."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(getekend27))
    ref, _ = w.find_page_for_modification(15)
    pagina = ref.get_object()
    pagina[generic.NameObject("/MediaBox")] = generic.ArrayObject(map(generic.FloatObject, [0, 0, 700, 841.89]))
    w.mark_update(ref)
    bestand = tmp_path / "breder.pdf"
    bestand.write_bytes(_schrijf(w))
    _geweigerd(omg, bestand, "na ondertekening is meer gewijzigd dan handtekeningvelden")
    # re-written unchanged (the same dictionary again): accepted
    w = IncrementalPdfFileWriter(io.BytesIO(getekend27))
    ref, _ = w.find_page_for_modification(15)
    w.mark_update(ref)
    gelijk = tmp_path / "gelijk.pdf"
    gelijk.write_bytes(_schrijf(w))
    result = ontvangen(omg, gelijk)
    assert result.exit_code == 0, result.output


# --- 5. revocation and long-term validity ------------------------------------------------------------------


def test_revoked_certificate_is_refused(omg, pki27, tmp_path):
    bestand = tmp_path / "ingetrokken.pdf"
    bestand.write_bytes(teken(omg.pakket.read_bytes(), pki27.ingetrokken, OPDRACHTNEMER_VELDEN[:1]))
    _geweigerd(omg, bestand, "handtekening in veld dvo_opdrachtnemer_2 (A. Proef, Voorbeeld Thuisbegeleiding "
                             "Heuvelland): geldige handtekening, certificaat niet vertrouwd (certificaat ingetrokken op ")


def test_revocation_checked_or_not_checkable(omg, pki27, getekend27, tmp_path):
    bestand = tmp_path / "goed.pdf"
    bestand.write_bytes(getekend27)
    result = ontvangen(omg, bestand)
    assert result.exit_code == 0, result.output
    assert ("handtekening dvo_opdrachtnemer_2 (opdrachtnemer): A. Proef, Voorbeeld Thuisbegeleiding Heuvelland, "
            in result.output)
    assert ": geldig, vertrouwd, niet ingetrokken;" in result.output
    # without the CRL the certificate still names its CRL: accepted, and said so
    shutil.rmtree(omg.ondertekend)
    (omg.data / REGIO / "vertrouwd" / "test-ca.crl").unlink()
    result = ontvangen(omg, bestand)
    assert result.exit_code == 0, result.output
    assert ": geldig, vertrouwd, intrekking niet te controleren;" in result.output


def test_gemeente_signs_pades_b_lta(omg, pki27, getekend27, tijdstempeldienst, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    url, tsa_root = tijdstempeldienst
    (omg.data / REGIO / "vertrouwd" / "tsa-root.pem").write_bytes(tsa_root)
    bestand = tmp_path / "aanbieder.pdf"
    bestand.write_bytes(getekend27)
    result = onderteken(omg, bestand, pki27.gemeente, "--veld", "dvo_gemeenten_1", "--tijdstempel", url, "--lt")
    assert result.exit_code == 0, result.output
    assert ": geldig, vertrouwd, niet ingetrokken" in result.output
    [pdf] = _opgeslagen_pdf(omg)
    reader = PdfFileReader(io.BytesIO(pdf.read_bytes()))
    dss = DocumentSecurityStore.read_dss(reader)
    assert len(dss.crls) >= 1 and len(list(dss.load_certs())) >= 2  # B-LT: the CRL and the chain in the PDF
    soorten = [s.sig_object.get("/Type") for s in reader.embedded_signatures]
    assert soorten[-1] == "/DocTimeStamp"  # B-LTA: a document timestamp covers them
    # --lt without a timestamp service is a usage error
    result = onderteken(omg, bestand, pki27.gemeente, "--lt")
    assert result.exit_code == 2 and "--lt vraagt een tijdstempeldienst" in result.output
