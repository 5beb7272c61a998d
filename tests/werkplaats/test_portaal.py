"""The aanbieder's side of the workplace (issue 26), in a real browser against a running server, with
a real local SMTP server (aiosmtpd) whose letters the tests read.

The whole round runs as two aanbieders at once (two browser contexts): invitation letter → set a
password → answer the kwaliteitseisen (an NVT rule broken, then right) → the inkoopteam builds →
download, sign with pyHanko and the test PKI of tests/test_ondertekening.py → upload → "Aangenomen",
and the region page shows "ondertekend door opdrachtnemer". The security rules follow, each a test,
on the state that round leaves (the tests of this module run in order on one server).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.test_ondertekening import WACHTWOORD as PKI_WACHTWOORD
from tests.test_ondertekening import _maak_pki, teken
from tests.werkplaats.conftest import (
    DATA,
    ROOT,
    inloggen,
    schermafdruk,
    start_werkplaats,
    stop_werkplaats,
    toegankelijk,
    vrije_poort,
)

MH = "maastricht-heuvelland"
WMO = "voorbeeld-wmo-compleet"  # "Voorbeeld Thuisbegeleiding Heuvelland", KvK 90000002, 35 personen
ZZP = "voorbeeld-zzp-dyslexie"  # "Praktijk Lees & Schrijf (voorbeeld)", KvK 90000004, dyslexiezorg
JEUGD = "voorbeeld-jeugd-compleet"
NIEUW_WACHTWOORD = "Portaal-wachtwoord-2026!"


# --- a real SMTP server ----------------------------------------------------------------------


class Postvak:
    """What arrived at the local SMTP server: (recipients, parsed message)."""

    def __init__(self):
        self.brieven: list[tuple[list[str], email.message.EmailMessage]] = []
        self.slot = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        bericht = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.slot:
            self.brieven.append((list(envelope.rcpt_tos), bericht))
        return "250 OK"

    def aan(self, adres: str, onderwerp: str = "", na: int = 0, tijd: float = 20.0):
        """The first letter to `adres` (after the first `na` letters) whose subject contains `onderwerp`."""
        einde = time.monotonic() + tijd
        while time.monotonic() < einde:
            with self.slot:
                for ontvangers, b in self.brieven[na:]:
                    if adres in ontvangers and onderwerp in str(b["subject"]):
                        return b
            time.sleep(0.1)
        raise AssertionError(f"geen brief aan {adres} met '{onderwerp}': {[(o, str(b['subject'])) for o, b in self.brieven]}")


def tekst_en_html(brief) -> tuple[str, str]:
    tekst = brief.get_body(preferencelist=("plain",)).get_content()
    html = brief.get_body(preferencelist=("html",)).get_content()
    return tekst, html


def link_in(brief) -> str:
    tekst, html = tekst_en_html(brief)
    gevonden = re.search(r"http://\S+/wachtwoord/[^/\s]+/[^/\s]+/", tekst)
    assert gevonden, tekst
    assert gevonden.group(0) in html  # the HTML part carries the same link
    return gevonden.group(0)


# --- a test PKI: tests/test_ondertekening.py's, plus a certificate for the second aanbieder -----


def _certificaat_met_eigen_root(map_: Path, cn: str, organisatie: str, kvk: str) -> tuple[Path, Path]:
    """(p12, root.pem) for one more aanbieder, in the style of test_ondertekening's PKI (its root key is
    not kept, so this one has its own test root, which the region trusts as well)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    nu = dt.datetime.now(dt.timezone.utc)

    def cert(subject, sleutel, uitgever, uitgever_sleutel, ca):
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(uitgever)
                .public_key(sleutel.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(nu - dt.timedelta(days=1)).not_valid_after(nu + dt.timedelta(days=365))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not ca, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                             crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(sleutel.public_key()), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(uitgever_sleutel.public_key()),
                               critical=False)
                .sign(uitgever_sleutel, hashes.SHA256()))

    rk, ak = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    rn = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Root CA Portaal"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test PKI")])
    root = cert(rn, rk, rn, rk, True)
    an = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisatie),
                    x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, f"NTRNL-{kvk}")])
    p12 = map_ / f"{kvk}.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"test", ak, cert(an, ak, rn, rk, False), [root],
                                                          serialization.BestAvailableEncryption(PKI_WACHTWOORD.encode())))
    pem = map_ / "root-portaal.pem"
    pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return p12, pem


@pytest.fixture(scope="module")
def postvak():
    from aiosmtpd.controller import Controller

    vak = Postvak()
    controller = Controller(vak, hostname="127.0.0.1", port=vrije_poort())
    controller.start()
    vak.poort = controller.port
    yield vak
    controller.stop()


@pytest.fixture(scope="module")
def certificaten(tmp_path_factory) -> dict:
    map_ = tmp_path_factory.mktemp("pki-portaal")
    pki = _maak_pki(map_)
    zzp, zzp_root = _certificaat_met_eigen_root(map_, "L. Lezer", "Praktijk Lees & Schrijf (voorbeeld)", "90000004")
    return {WMO: pki.aanbieder, ZZP: zzp, "roots": [pki.root_pem, zzp_root]}


@pytest.fixture(scope="module")
def werkplaats(tmp_path_factory, postvak, certificaten):
    """The workplace on a copy of the sample data whose region trusts the test roots, mail to `postvak`."""
    tmp = tmp_path_factory.mktemp("portaal")
    data = tmp / "bron"
    shutil.copytree(DATA, data)
    (data / MH / "vertrouwd").mkdir()
    for i, pem in enumerate(certificaten["roots"]):
        shutil.copy(pem, data / MH / "vertrouwd" / f"test-root-{i}.pem")
    w = start_werkplaats(tmp, {"CONTRACTGEN_SMTP_HOST": "127.0.0.1", "CONTRACTGEN_SMTP_POORT": str(postvak.poort),
                               "CONTRACTGEN_AFZENDER": "inkoop@regio.example"}, data=data)
    yield w
    stop_werkplaats(w)


@pytest.fixture(scope="module")
def staat() -> dict:
    """What the round leaves for the tests after it (they run in order on one server)."""
    return {}


def nieuwe_pagina(browser):
    context = browser.new_context(accept_downloads=True, locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def aanbieder_yaml(w, ident: str) -> Path:
    return w.data / MH / "aanbieders" / f"{ident}.yaml"


def ondertekend(w, ident: str) -> list[str]:
    map_ = w.uitvoer / MH / "2018" / ident / "ondertekend"
    return sorted(p.name for p in map_.iterdir()) if map_.exists() else []


def wachtwoord_instellen(page, link: str) -> None:
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Wachtwoord instellen"
    toegankelijk(page)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(NIEUW_WACHTWOORD)
    page.get_by_label("Nieuw wachtwoord nog een keer").fill(NIEUW_WACHTWOORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    assert "Uw wachtwoord is opgeslagen" in page.locator("#ingesteld").inner_text()
    toegankelijk(page)


def kies(page, eis: str, antwoord: str) -> None:
    page.locator(f"input[name='antwoord_{eis}'][value='{antwoord}']").check()


def opdrachtnemer_velden(pdf: bytes) -> list[str]:
    velden = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    return sorted(n for n, v in velden.items() if v.get("/FT") == "/Sig" and "_opdrachtnemer_" in n)


def download_pakket(page) -> bytes:
    with page.expect_download() as d:
        page.locator("#pakketten").get_by_role("link", name=re.compile("contractpakket.pdf")).first.click()
    assert d.value.suggested_filename == "contractpakket.pdf"
    return Path(d.value.path()).read_bytes()


def stuur_terug(page, naam: str, data: bytes, mime: str = "application/pdf") -> None:
    terug = page.get_by_role("link", name="Terug naar uw overzicht")
    if terug.count():  # on a verdict page: back to the form
        terug.click()
    page.get_by_label("Ondertekend contractpakket.pdf").set_input_files(
        files=[{"name": naam, "mimeType": mime, "buffer": data}])
    # checking signatures takes seconds, more on a busy machine
    with page.expect_navigation(timeout=120_000):
        page.get_by_role("button", name="Ondertekend pakket versturen").click(no_wait_after=True)


def bouw(page, w, ident: str) -> None:
    page.goto(f"{w.url}/regio/{MH}/")
    page.locator(f"#aanbieders tbody tr[data-aanbieder='{ident}']").get_by_role(
        "button", name=re.compile("^Bouw")).click()
    page.locator("#uitkomst, #melding").first.wait_for(timeout=240_000)
    assert "Klaar" in page.locator("#uitkomst").inner_text(), page.locator("main").inner_text()


# --- the whole round -----------------------------------------------------------------------


def test_hele_ronde_twee_aanbieders(werkplaats, browser, postvak, certificaten, staat):
    w = werkplaats
    inkoop = nieuwe_pagina(browser)
    inloggen(inkoop, w, "inkoop@mh.example")

    # invitation 1: from the region page's form
    inkoop.goto(f"{w.url}/regio/{MH}/")
    sectie = inkoop.locator("section[aria-labelledby=kop-portaal]")
    sectie.get_by_label("Aanbieder").select_option(WMO)
    sectie.get_by_label("E-mailadres").fill("Anna@WMO.example ")
    sectie.get_by_label("Naam").fill("Anna de Wit")
    sectie.get_by_role("button", name="Uitnodiging versturen").click()
    assert "Uitnodiging verstuurd naar anna@wmo.example (Voorbeeld Thuisbegeleiding Heuvelland)" in \
        inkoop.locator(".wp-meldingen").inner_text()
    toegankelijk(inkoop)
    schermafdruk(inkoop, "portaal-inkoop-uitnodigen.png")
    # invitation 2: the command, as a script would
    uit = subprocess.run([sys.executable, "-m", "contractgen", "gebruiker", "toevoegen", "bob@zzp.example",
                          "--rol", "aanbieder", "--aanbieder", ZZP, "--regio", MH, "--naam", "Bob Lezer",
                          "--uitnodigen", "--data", str(w.data), "--staat", str(w.staat)],
                         capture_output=True, text=True, env={**w.omgeving(), "CONTRACTGEN_WACHTWOORD": ""})
    assert uit.returncode == 0, uit.stderr
    assert "uitnodiging verstuurd naar bob@zzp.example" in uit.stdout

    brief_a = postvak.aan("anna@wmo.example", "Uitnodiging")
    brief_b = postvak.aan("bob@zzp.example", "Uitnodiging")
    tekst, html = tekst_en_html(brief_a)
    assert "Beste Anna de Wit" in tekst and "namens Voorbeeld Thuisbegeleiding Heuvelland" in tekst
    assert "werkt één keer" in tekst and "Wachtwoord instellen" in html
    assert str(brief_a["from"]) == "inkoop@regio.example" and str(brief_a["to"]) == "anna@wmo.example"
    assert "Praktijk Lees &amp; Schrijf" in tekst_en_html(brief_b)[1]  # untrusted text stays text in HTML
    staat["link_a"] = link_in(brief_a)

    # both aanbieders at once: two browsers, each sets its password and logs in
    a, b = nieuwe_pagina(browser), nieuwe_pagina(browser)
    wachtwoord_instellen(a, staat["link_a"])
    schermafdruk(a, "portaal-wachtwoord-ingesteld.png")
    wachtwoord_instellen(b, link_in(brief_b))
    for page, adres in ((a, "anna@wmo.example"), (b, "bob@zzp.example")):
        inloggen(page, w, adres, NIEUW_WACHTWOORD)
        assert f"/aanbieder/{MH}/" in page.url  # straight to its own page
    assert a.get_by_role("heading", level=1).inner_text() == "Voorbeeld Thuisbegeleiding Heuvelland"
    assert b.get_by_role("heading", level=1).inner_text() == "Praktijk Lees & Schrijf (voorbeeld)"
    assert "90000002" in a.locator("#gegevens").inner_text()
    assert "Begeleiding" in a.locator("#arrangementen").inner_text() or a.locator("#arrangementen li").count() == 3
    assert "nog niet gemaakt" in a.locator("#geen-pakket").inner_text()
    # nothing of another aanbieder or of the region beyond its own
    assert "Praktijk Lees" not in a.locator("main").inner_text() and "90000004" not in a.content()
    assert a.get_by_role("link", name="Regio Maastricht-Heuvelland").count() == 0
    toegankelijk(a)
    schermafdruk(a, "portaal-aanbieder.png")

    # answering, with an NVT rule broken: A1 NVT at 35 persons; E7 NVT for one who gives dyslexiezorg
    voor_a, voor_b = aanbieder_yaml(w, WMO).read_bytes(), aanbieder_yaml(w, ZZP).read_bytes()
    for page, eis in ((a, "A1"), (b, "E7")):
        page.get_by_role("link", name="Kwaliteitseisen en contactgegevens invullen").click()
        toegankelijk(page)
        # the text of bijlage 3 as the package prints it, not retyped
        assert "Opdrachtnemer beschikt over een werkend gecertificeerd kwaliteitsmanagementsysteem" in \
            page.locator("#veld-antwoord_A1").inner_text()
        kies(page, eis, "NVT")
        page.locator(f"#id_motivatie_{eis}").fill("Is bij ons niet van toepassing.")
        page.get_by_label("Telefoon contactpersoon").fill("043-1234567")
        page.get_by_role("button", name="Indienen").click()
    fout_a = a.locator("#fout-antwoord_A1").inner_text()
    assert "NVT bij eis A1 mag alleen als niet meer dan 5 personen zorg verlenen; deze aanbieder heeft er 35" in fout_a
    assert "deze aanbieder contracteert" in b.locator("#fout-antwoord_E7").inner_text()
    assert "Niet ingediend" in a.locator("#samenvatting").inner_text()
    assert a.locator("input[name=antwoord_A1][value=NVT]").is_checked()  # what was typed stays
    assert a.get_by_label("Telefoon contactpersoon").input_value() == "043-1234567"
    toegankelijk(a)
    schermafdruk(a, "portaal-antwoorden-fout.png")
    assert aanbieder_yaml(w, WMO).read_bytes() == voor_a and aanbieder_yaml(w, ZZP).read_bytes() == voor_b

    # a draft is kept in the workplace only, then the right answers are submitted
    kies(a, "A1", "Ja")
    a.get_by_role("button", name="Opslaan als concept").click()
    assert "als concept opgeslagen" in a.locator(".wp-meldingen").inner_text()
    assert a.locator("input[name=antwoord_A1][value=Ja]").is_checked()
    assert aanbieder_yaml(w, WMO).read_bytes() == voor_a
    a.get_by_role("button", name="Indienen").click()
    kies(b, "E7", "Ja")
    b.locator("#id_motivatie_E7").fill("")
    b.get_by_role("button", name="Indienen").click()
    for page in (a, b):
        assert "Uw antwoorden zijn ingediend" in page.locator(".wp-meldingen").inner_text()
        toegankelijk(page)
    yaml_a = aanbieder_yaml(w, WMO).read_text(encoding="utf-8")
    assert "043-1234567" in yaml_a and re.search(r"A1: \{antwoord: Ja\b", yaml_a)
    assert "043-1234567" in aanbieder_yaml(w, ZZP).read_text(encoding="utf-8")

    # the inkoopteam sees both as new, builds each (the workplace's build job) and the mark goes
    inkoop.goto(f"{w.url}/regio/{MH}/")
    for ident in (WMO, ZZP):
        assert "nieuw ingediend" in inkoop.locator(f"tr[data-aanbieder='{ident}'] th").inner_text()
    assert "nieuw ingediend" not in inkoop.locator(f"tr[data-aanbieder='{JEUGD}'] th").inner_text()
    toegankelijk(inkoop)
    bouw(inkoop, w, WMO)
    bouw(inkoop, w, ZZP)
    inkoop.goto(f"{w.url}/regio/{MH}/")
    assert "nieuw ingediend" not in inkoop.locator(f"tr[data-aanbieder='{WMO}'] th").inner_text()

    # each downloads its own package, signs its places and sends it back
    pakketten = {}
    for page, ident in ((a, WMO), (b, ZZP)):
        page.goto(f"{w.url}/aanbieder/{MH}/{ident}/")
        assert page.locator("#pakketten tbody tr").first.locator("td").first.inner_text() == "gebouwd"
        assert "Voor akkoord opdrachtnemer" in page.locator("#wat-waar").inner_text()
        pakketten[ident] = download_pakket(page)
    assert "Voorbeeld Thuisbegeleiding Heuvelland" in PdfReader(io.BytesIO(pakketten[WMO])).pages[0].extract_text()
    schermafdruk(a, "portaal-pakket.png")
    # pyHanko runs its own event loop (asyncio.run): in a thread beside Playwright's
    with ThreadPoolExecutor(2) as werk:
        klaar = {i: werk.submit(teken, pakketten[i], certificaten[i], opdrachtnemer_velden(pakketten[i]))
                 for i in (WMO, ZZP)}
        getekend = {i: f.result() for i, f in klaar.items()}
    assert all(opdrachtnemer_velden(pakketten[i]) for i in (WMO, ZZP))
    staat["getekend"] = getekend

    # another aanbieder's signed package, sent by this one: refused, nothing stored, nothing of it named
    stuur_terug(a, "contractpakket.pdf", getekend[ZZP])
    assert a.locator("#oordeel").inner_text() == "Geweigerd"
    redenen = a.locator("#redenen").inner_text()
    assert "geen contractpakket van uw organisatie" in redenen
    assert "Lees" not in a.locator("main").inner_text() and "90000004" not in a.content()
    assert ondertekend(w, ZZP) == []
    toegankelijk(a)

    stuur_terug(a, "contractpakket-getekend.pdf", getekend[WMO])
    assert a.locator("#oordeel").inner_text() == "Aangenomen"
    assert "opdrachtnemer: A. Proef, Voorbeeld Thuisbegeleiding Heuvelland: geldig, vertrouwd" in \
        a.locator("#handtekeningen").inner_text()
    assert "gemeente" in a.locator("#nog-open").inner_text()
    toegankelijk(a)
    schermafdruk(a, "portaal-aangenomen.png")
    assert len(ondertekend(w, WMO)) == 2  # the pdf and its record

    # a reminder now reaches the zzp'er only (built, not signed), at each of its contact persons
    w.gebruiker("bob2@zzp.example", "aanbieder", MH, aanbieder=ZZP)
    al = len(postvak.brieven)
    inkoop.goto(f"{w.url}/regio/{MH}/")
    inkoop.get_by_role("button", name="Herinnering versturen").click()
    assert "Herinnering verstuurd aan 1 aanbieder(s): Praktijk Lees & Schrijf (voorbeeld)" in \
        inkoop.locator(".wp-meldingen").inner_text()
    herinnering = postvak.aan("bob@zzp.example", "Herinnering", na=al)
    nieuw = postvak.brieven[al:]
    assert len(nieuw) == 1 and sorted(nieuw[0][0]) == ["bob2@zzp.example", "bob@zzp.example"]
    assert f"/aanbieder/{MH}/{ZZP}/" in tekst_en_html(herinnering)[0]

    stuur_terug(b, "contractpakket.pdf", getekend[ZZP])
    assert b.locator("#oordeel").inner_text() == "Aangenomen"
    toegankelijk(b)

    # the inkoopteam's page: both signed by the opdrachtnemer
    inkoop.goto(f"{w.url}/regio/{MH}/")
    for ident in (WMO, ZZP):
        cellen = inkoop.locator(f"tr[data-aanbieder='{ident}'] td")
        assert "ondertekend door opdrachtnemer" in cellen.nth(7).inner_text()
    schermafdruk(inkoop, "portaal-inkoop-ondertekend.png")
    # and the aanbieder's own page says so too
    a.goto(f"{w.url}/aanbieder/{MH}/{WMO}/")
    assert "ondertekend door opdrachtnemer" in a.locator("#pakketten").inner_text()
    staat["klaar"] = True
    for page in (inkoop, a, b):
        page.context.close()


# --- the inkoopteam's intake ------------------------------------------------------------------


def test_inkoopteam_neemt_ondertekend_pakket_in(werkplaats, pagina, staat):
    if not staat.get("klaar"):
        pytest.skip("de ronde is niet gelopen")
    inloggen(pagina, werkplaats, "inkoop@mh.example")
    pagina.goto(f"{werkplaats.url}/regio/{MH}/")
    sectie = pagina.locator("section[aria-labelledby=kop-portaal]")
    sectie.get_by_label("Ondertekend contractpakket.pdf").set_input_files(
        files=[{"name": "per-mail.pdf", "mimeType": "application/pdf", "buffer": staat["getekend"][ZZP]}])
    with pagina.expect_navigation(timeout=120_000):
        sectie.get_by_role("button", name="Pakket innemen").click(no_wait_after=True)
    assert pagina.locator("#oordeel").inner_text() == "Aangenomen"
    assert "Praktijk Lees & Schrijf (voorbeeld)" in pagina.locator("main").inner_text()
    assert "al eerder ontvangen" in pagina.locator("main").inner_text()
    toegankelijk(pagina)
    # a refused copy: the reasons, and what the inkoopteam does next (not "contact the inkoopteam")
    pagina.goto(f"{werkplaats.url}/regio/{MH}/")
    sectie.get_by_label("Ondertekend contractpakket.pdf").set_input_files(
        files=[{"name": "kapot.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n%%EOF\n"}])
    with pagina.expect_navigation(timeout=120_000):
        sectie.get_by_role("button", name="Pakket innemen").click(no_wait_after=True)
    assert pagina.locator("#oordeel").inner_text() == "Geweigerd"
    assert "Stuur de aanbieder de redenen" in pagina.locator("#wat-nu").inner_text()
    assert "inkoopteam" not in pagina.locator("#wat-nu").inner_text()
    toegankelijk(pagina)
    # an invitation with a wrong address: the form comes back with the error at the field
    pagina.goto(f"{werkplaats.url}/regio/{MH}/")
    sectie.get_by_label("E-mailadres").fill("geen-adres")
    sectie.get_by_role("button", name="Uitnodiging versturen").click()
    assert "geldig e-mailadres" in pagina.locator(".utrecht-form-field--invalid").inner_text()
    assert pagina.get_by_label("E-mailadres").input_value() == "geen-adres"
    toegankelijk(pagina)


def test_uitnodigen_vanaf_de_opdrachtregel_met_een_fout(werkplaats):
    uit = subprocess.run([sys.executable, "-m", "contractgen", "gebruiker", "toevoegen", "x@y.example", "--rol",
                          "aanbieder", "--aanbieder", "bestaat-niet", "--regio", MH, "--uitnodigen",
                          "--data", str(werkplaats.data), "--staat", str(werkplaats.staat)],
                         capture_output=True, text=True, env=werkplaats.omgeving())
    assert uit.returncode != 0
    assert "onbekende aanbieder 'bestaat-niet' in regio 'maastricht-heuvelland'; bekend: " in uit.stderr
    assert "voorbeeld-wmo-compleet" in uit.stderr


# --- security -------------------------------------------------------------------------------


def _verzamel(page, w, begin: str) -> tuple[set[str], list[dict]]:
    """Every same-site link and form reachable from `begin` (breadth first, no logout)."""
    te_doen, gezien, formulieren = [begin], set(), []
    while te_doen:
        url = te_doen.pop(0)
        if url in gezien:
            continue
        gezien.add(url)
        if url.endswith(".pdf"):
            continue  # a download: collected, not opened as a page
        antwoord = page.goto(url)
        if "html" not in (antwoord.headers.get("content-type") or ""):
            continue
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href.split('#')[0])"):
            if href.startswith(w.url) and "/static/" not in href and href not in gezien:
                te_doen.append(href)
        formulieren += page.eval_on_selector_all("form", """fs => fs.map(f => ({
            action: f.action, method: (f.getAttribute('method') || 'get').toLowerCase(),
            velden: Array.from(f.elements).filter(e => e.name).map(e => [e.name, e.type, e.value])}))""")
    return gezien, formulieren


def test_andere_aanbieder_kan_niets_via_urls_en_formulieren(werkplaats, browser, staat):
    """Everything a person of one aanbieder can reach, replayed by a person of another: 404, nothing written."""
    if not staat.get("klaar"):
        pytest.skip("de ronde is niet gelopen")
    w = werkplaats
    a = nieuwe_pagina(browser)
    inloggen(a, w, "anna@wmo.example", NIEUW_WACHTWOORD)
    urls, formulieren = _verzamel(a, w, f"{w.url}/aanbieder/")
    eigen = [u for u in urls if f"/aanbieder/{MH}/{WMO}/" in u]
    assert any(u.endswith("/antwoorden/") for u in eigen) and any(u.endswith("contractpakket.pdf") for u in eigen)
    eigen_formulieren = [f for f in formulieren if f"/aanbieder/{MH}/{WMO}/" in f["action"] and f["method"] == "post"]
    assert {f["action"].rsplit("/", 2)[-2] for f in eigen_formulieren} >= {"antwoorden", "terugsturen"}

    w.gebruiker("carol@jeugd.example", "aanbieder", MH, aanbieder=JEUGD)
    c = nieuwe_pagina(browser)
    inloggen(c, w, "carol@jeugd.example")
    assert f"/aanbieder/{MH}/{JEUGD}/" in c.url
    csrf = next(k["value"] for k in c.context.cookies() if k["name"] == "csrftoken")
    voor = {p: p.read_bytes() for p in (w.data / MH / "aanbieders").iterdir()}
    voor_ondertekend = {i: ondertekend(w, i) for i in (WMO, ZZP, JEUGD)}
    for url in eigen:
        assert c.request.get(url).status == 404, url
    for f in eigen_formulieren:
        velden = {n: (v if t != "file" else {"name": "x.pdf", "mimeType": "application/pdf",
                                              "buffer": staat["getekend"][WMO]}) for n, t, v in f["velden"]}
        velden["csrfmiddlewaretoken"] = csrf
        antwoord = c.request.post(f["action"], multipart=velden, headers={"Referer": w.url + "/"})
        assert antwoord.status == 404, f["action"]
    # the same ids changed by hand in the other direction, and in the years and file names
    for pad in (f"/aanbieder/{MH}/{WMO}/2018/contractpakket.pdf", f"/aanbieder/{MH}/{ZZP}/",
                f"/aanbieder/noord-limburg/{JEUGD}/", f"/aanbieder/{MH}/{WMO}/antwoorden/"):
        assert c.request.get(w.url + pad).status == 404, pad
    # its own upload with another's signed package: refused, nothing stored
    c.goto(f"{w.url}/aanbieder/{MH}/{JEUGD}/")
    assert c.locator("#geen-pakket").count() == 1  # not built: no upload form, so post directly
    antwoord = c.request.post(f"{w.url}/aanbieder/{MH}/{JEUGD}/terugsturen/", headers={"Referer": w.url + "/"},
                              multipart={"csrfmiddlewaretoken": csrf, "pakket": {
                                  "name": "contractpakket.pdf", "mimeType": "application/pdf",
                                  "buffer": staat["getekend"][WMO]}})
    assert antwoord.status == 200 and "Geweigerd" in antwoord.text() and "Thuisbegeleiding" not in antwoord.text()
    assert {p: p.read_bytes() for p in (w.data / MH / "aanbieders").iterdir()} == voor
    assert {i: ondertekend(w, i) for i in (WMO, ZZP, JEUGD)} == voor_ondertekend
    a.context.close()
    c.context.close()


def test_aanbieder_komt_niet_op_pagina_van_inkoopteam_of_jurist(werkplaats, pagina, staat):
    if not staat.get("klaar"):
        pytest.skip("de ronde is niet gelopen")
    w = werkplaats
    inloggen(pagina, w, "anna@wmo.example", NIEUW_WACHTWOORD)
    csrf = next(k["value"] for k in pagina.context.cookies() if k["name"] == "csrftoken")
    for pad in (f"/regio/{MH}/", f"/regio/{MH}/?jaar=2018", f"/regio/{MH}/2018/{WMO}/contractpakket.pdf",
                f"/regio/{MH}/2018/{WMO}/pakket.zip", "/regio/noord-limburg/", f"/regio/{MH}/jurist/bevindingen/",
                f"/regio/{MH}/jurist/voorrang/", f"/regio/{MH}/jurist/vergelijken/", f"/regio/{MH}/jurist/word/"):
        assert pagina.goto(w.url + pad).status == 404, pad
    for pad, velden in ((f"/regio/{MH}/bouwen/", {"jaar": "2018", "aanbieder": WMO}),
                        (f"/regio/{MH}/portaal/uitnodigen/", {"email": "x@y.example", "aanbieder": WMO}),
                        (f"/regio/{MH}/portaal/herinneren/", {"jaar": "2018"}),
                        (f"/regio/{MH}/portaal/ontvangen/", {})):
        antwoord = pagina.request.post(w.url + pad, form={**velden, "csrfmiddlewaretoken": csrf},
                                       headers={"Referer": w.url + "/"})
        assert antwoord.status == 404, pad
    for pad in ("/beheer/", "/beheer/login/", "/beheer/audit/handeling/"):  # the admin is not even shown to exist
        assert pagina.goto(w.url + pad).status == 404, pad
    pagina.goto(w.url + "/")
    assert f"/aanbieder/{MH}/{WMO}/" in pagina.url


def test_gebruikte_en_verlopen_uitnodiging_doen_niets(werkplaats, pagina, postvak, staat):
    w = werkplaats
    if staat.get("link_a"):
        pagina.goto(staat["link_a"])  # used in the round
        assert "al gebruikt of verlopen" in pagina.locator("#ongeldig").inner_text()
        assert pagina.get_by_label("Nieuw wachtwoord", exact=True).count() == 0
        toegankelijk(pagina)
    # an expired one: a token made with the server's own key, dated past the validity
    uit = subprocess.run([sys.executable, "-m", "contractgen", "gebruiker", "toevoegen", "dirk@zzp.example",
                          "--rol", "aanbieder", "--aanbieder", ZZP, "--regio", MH, "--uitnodigen",
                          "--data", str(w.data), "--staat", str(w.staat)],
                         capture_output=True, text=True, env=w.omgeving())
    assert uit.returncode == 0, uit.stderr
    link = link_in(postvak.aan("dirk@zzp.example", "Uitnodiging"))
    oud = _verlopen_token(w, "dirk@zzp.example")
    verlopen = re.sub(r"/wachtwoord/([^/]+)/[^/]+/$", rf"/wachtwoord/\1/{oud}/", link)
    pagina.goto(verlopen)
    assert "al gebruikt of verlopen" in pagina.locator("#ongeldig").inner_text()
    assert pagina.get_by_label("Nieuw wachtwoord", exact=True).count() == 0
    # the account still has no password: logging in with anything fails
    inloggen(pagina, w, "dirk@zzp.example", NIEUW_WACHTWOORD)
    assert "/inloggen/" in pagina.url
    # the fresh link works once
    pagina.goto(link)
    assert pagina.get_by_label("Nieuw wachtwoord", exact=True).count() == 1


def _verlopen_token(w, adres: str) -> str:
    code = (
        "import os, django; django.setup();"
        "from django.conf import settings;"
        "from django.contrib.auth import get_user_model;"
        "from django.contrib.auth.tokens import default_token_generator as g;"
        f"u = get_user_model().objects.get(username='{adres}');"
        "print(g._make_token_with_timestamp(u, g._num_seconds(g._now()) - settings.PASSWORD_RESET_TIMEOUT - 60, g.secret))"
    )
    uit = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={
        **w.omgeving(), "CONTRACTGEN_STAAT": str(w.staat), "CONTRACTGEN_DATA": str(w.data),
        "DJANGO_SETTINGS_MODULE": "contractgen.werkplaats.instellingen"})
    return uit.stdout.strip()


def test_wachtwoord_vergeten_zegt_niet_of_een_adres_bestaat(werkplaats, pagina, postvak, staat):
    w = werkplaats
    pagina.goto(w.url + "/inloggen/")
    pagina.get_by_role("link", name="Wachtwoord vergeten?").click()
    toegankelijk(pagina)
    schermafdruk(pagina, "portaal-wachtwoord-vergeten.png")
    paginas = []
    for adres in ("inkoop@mh.example", "niemand@nergens.example"):
        pagina.goto(w.url + "/wachtwoord/vergeten/")
        pagina.get_by_label("E-mailadres").fill(adres)
        al = len(postvak.brieven)
        pagina.get_by_role("button", name="Stuur de link").click()
        paginas.append((pagina.url, pagina.locator("main").inner_text()))
        toegankelijk(pagina)
        if adres == "inkoop@mh.example":
            brief = postvak.aan(adres, "Nieuw wachtwoord", na=al)
            assert "/wachtwoord/" in link_in(brief)
    assert paginas[0] == paginas[1]  # the same page, word for word
    time.sleep(1)
    assert not any("niemand@nergens.example" in o for o, _ in postvak.brieven)


def test_uploads_beperkt_in_grootte_en_gecontroleerd_op_inhoud(werkplaats, pagina, staat):
    if not staat.get("klaar"):
        pytest.skip("de ronde is niet gelopen")
    w = werkplaats
    inloggen(pagina, w, "anna@wmo.example", NIEUW_WACHTWOORD)
    voor = ondertekend(w, WMO)
    gevallen = [
        ("leeg.pdf", b"", "leeg (0 bytes)"),
        ("contractpakket.pdf", b"PK\x03\x04 dit is een zip met een andere naam" * 10, "geen PDF-bestand"),
        ("groot.pdf", b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024 + 10), "te groot"),
        ("kapot.pdf", b"%PDF-1.7\n%%EOF\n", "geen contractpakket van uw organisatie"),
    ]
    pagina.goto(f"{w.url}/aanbieder/{MH}/{WMO}/")
    stuur_terug(pagina, "leeg.pdf", b"")  # through the page once
    assert pagina.locator("#oordeel").inner_text() == "Geweigerd"
    assert "leeg (0 bytes)" in pagina.locator("#redenen").inner_text()
    assert "neem dan contact op met het inkoopteam" in pagina.locator("#wat-nu").inner_text()
    toegankelijk(pagina)
    csrf = next(k["value"] for k in pagina.context.cookies() if k["name"] == "csrftoken")
    for naam, data, verwacht in gevallen:  # the same form posted directly (a 20 MB file through CDP is slow)
        antwoord = pagina.request.post(f"{w.url}/aanbieder/{MH}/{WMO}/terugsturen/", headers={"Referer": w.url + "/"},
                                       multipart={"csrfmiddlewaretoken": csrf, "pakket": {
                                           "name": naam, "mimeType": "application/pdf", "buffer": data}})
        html = antwoord.text()
        assert antwoord.status == 200 and '<h1 class="utrecht-heading-1" id="oordeel">Geweigerd</h1>' in html, naam
        assert verwacht in html, naam
    assert ondertekend(w, WMO) == voor


def test_tweede_indiening_van_hetzelfde_wordt_geweigerd_met_wie(werkplaats, browser, staat):
    """Two contact persons of one aanbieder with the form open: the second submission is refused, naming who
    changed the file meanwhile (the git commit of the first, with that person as author)."""
    if not staat.get("klaar"):
        pytest.skip("de ronde is niet gelopen")
    w = werkplaats
    w.gebruiker("piet@wmo.example", "aanbieder", MH, aanbieder=WMO)
    anna, piet = nieuwe_pagina(browser), nieuwe_pagina(browser)
    inloggen(anna, w, "anna@wmo.example", NIEUW_WACHTWOORD)
    inloggen(piet, w, "piet@wmo.example")
    for page in (anna, piet):
        page.goto(f"{w.url}/aanbieder/{MH}/{WMO}/antwoorden/")
    anna.get_by_label("Functie contactpersoon").fill("Directeur")
    anna.get_by_role("button", name="Indienen").click()
    assert "Uw antwoorden zijn ingediend" in anna.locator(".wp-meldingen").inner_text()
    na_anna = aanbieder_yaml(w, WMO).read_bytes()
    piet.get_by_label("Functie contactpersoon").fill("Teamleider")
    piet.get_by_role("button", name="Indienen").click()
    melding = piet.locator("#samenvatting").inner_text()
    assert "intussen gewijzigd door Anna de Wit <anna@wmo.example>" in melding and "niets ingediend" in melding
    assert aanbieder_yaml(w, WMO).read_bytes() == na_anna
    assert piet.get_by_label("Functie contactpersoon").input_value() == "Teamleider"  # nothing lost
    toegankelijk(piet)
    # the commit: the person as author, a Dutch message
    log = subprocess.run(["git", "log", "-1", "--format=%an <%ae>|%s", "--", str(aanbieder_yaml(w, WMO))],
                         cwd=w.data, capture_output=True, text=True)
    assert log.stdout.startswith("Anna de Wit <anna@wmo.example>|"), log.stdout
    # having seen it, a second try goes through
    piet.get_by_role("button", name="Indienen").click()
    assert "Uw antwoorden zijn ingediend" in piet.locator(".wp-meldingen").inner_text()
    assert b"Teamleider" in aanbieder_yaml(w, WMO).read_bytes()
    for page in (anna, piet):
        page.context.close()


def test_wie_meer_aanbieders_vertegenwoordigt_kiest(werkplaats, pagina, staat):
    w = werkplaats
    w.gebruiker("eva@beide.example", "aanbieder", MH, aanbieder=WMO)
    w.gebruiker("eva@beide.example", "aanbieder", MH, aanbieder=ZZP)
    inloggen(pagina, w, "eva@beide.example")
    assert pagina.url.endswith("/aanbieder/")
    keuzes = pagina.locator("#keuzes")
    assert keuzes.locator("li").count() == 2
    assert "Voorbeeld Thuisbegeleiding Heuvelland" in keuzes.inner_text() and "Praktijk Lees" in keuzes.inner_text()
    toegankelijk(pagina)
    keuzes.get_by_role("link", name="Praktijk Lees & Schrijf (voorbeeld)").click()
    assert pagina.get_by_role("heading", level=1).inner_text() == "Praktijk Lees & Schrijf (voorbeeld)"
    assert pagina.goto(f"{w.url}/aanbieder/{MH}/{JEUGD}/").status == 404


def test_antwoorden_met_alleen_het_toetsenbord(werkplaats, pagina, staat):
    w = werkplaats
    w.gebruiker("toets@zzp.example", "aanbieder", MH, aanbieder=ZZP)
    inloggen(pagina, w, "toets@zzp.example")
    pagina.goto(f"{w.url}/aanbieder/{MH}/{ZZP}/antwoorden/")
    pagina.keyboard.press("Tab")
    assert pagina.evaluate("document.activeElement.textContent.trim()") == "Naar de inhoud"
    pagina.keyboard.press("Enter")
    # to the KvK field, then on through the form: every answer and motivation is reachable by Tab
    for _ in range(40):
        pagina.keyboard.press("Tab")
        if pagina.evaluate("document.activeElement.id") == "id_kvk":
            break
    assert pagina.evaluate("document.activeElement.id") == "id_kvk"
    for _ in range(4):
        pagina.keyboard.press("Tab")
    assert pagina.evaluate("document.activeElement.id") == "id_contact_telefoon"
    pagina.keyboard.press("Tab")  # the radio group of the first eis (A1): the checked one takes the focus
    assert pagina.evaluate("document.activeElement.name") == "antwoord_A1"
    pagina.keyboard.press("ArrowRight")  # NVT -> Ja (the arrow keys move within the group)
    gekozen = pagina.evaluate("document.querySelector('input[name=antwoord_A1]:checked').value")
    pagina.keyboard.press("Tab")
    assert pagina.evaluate("document.activeElement.id") == "id_motivatie_A1"
    # Enter in a text field submits the form with its first button: Indienen
    pagina.keyboard.press("Shift+Tab")
    pagina.keyboard.press("Shift+Tab")
    assert pagina.evaluate("document.activeElement.id") == "id_contact_telefoon"
    pagina.keyboard.press("Enter")
    pagina.wait_for_load_state()
    meldingen = pagina.locator(".wp-meldingen, #samenvatting").first.inner_text()
    assert "ingediend" in meldingen or "Niet ingediend" in meldingen
    assert gekozen in ("Ja", "Nee", "NVT")


def test_uitleg_wat_waar_is_de_tekst_van_de_handleiding():
    """The page says what to sign where in the manual's own words (docs/aanbieder/contractpakket.md, once the
    README's "Voor de aanbieder")."""
    bron = (ROOT / "docs" / "aanbieder" / "contractpakket.md").read_text(encoding="utf-8")
    lijst = bron[bron.index("- **Voorblad**"):].split("\n\n", 1)[0]
    punten = [re.sub(r"\s+", " ", p.replace("**", "").replace("`", "")).strip().removeprefix("- ")
              for p in ("\n" + lijst).split("\n- ") if p.strip()]
    sjabloon = (ROOT / "src/contractgen/werkplaats/templates/werkplaats/portaal/ondertekenen_uitleg.html").read_text(
        encoding="utf-8")
    pagina_punten = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", p)).strip()
                     for p in re.findall(r"<li[^>]*>(.*?)</li>", sjabloon, re.S)]
    assert pagina_punten == punten


@pytest.mark.parametrize("status, herinneren", [
    ("niet gebouwd", False),
    ("gebouwd", True),
    ("ondertekend door opdrachtnemer (06-12-2026)", False),
    ("ondertekend door gemeente (06-12-2026)", True),
    ("ondertekend door beide (opdrachtnemer 06-12-2026, gemeente 07-12-2026)", False),
    ("deels ondertekend (opdrachtnemer 1/3, gemeente 0/2)", True),
    ("opnieuw gebouwd na ondertekening: eerdere bouw ondertekend door opdrachtnemer (06-12-2026)", True),
    ("afwijkend document (contractpakket.pdf is gewijzigd na de bouw)", False),
])
def test_wie_een_herinnering_krijgt(status, herinneren):
    from contractgen.werkplaats.portaal.stand import niet_ondertekend

    assert niet_ondertekend(status) is herinneren


def test_uitnodiging_zonder_mailserver_laat_geen_account_achter(tmp_path):
    """The letter cannot be sent (nothing listens on the port): the command fails and no account remains that
    nobody can log in to; the same invitation works once the mail server is there."""
    import os
    import socket
    import sqlite3

    from tests.werkplaats.conftest import DATA

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        poort = s.getsockname()[1]
    staat = tmp_path / "staat"
    proces = subprocess.run([sys.executable, "-m", "contractgen", "gebruiker", "toevoegen", "nieuw@zorg.example",
                             "--rol", "aanbieder", "--regio", MH, "--aanbieder", WMO, "--uitnodigen",
                             "--data", str(DATA), "--staat", str(staat)], capture_output=True, text=True,
                            env={**os.environ, "CONTRACTGEN_SMTP_HOST": "127.0.0.1", "CONTRACTGEN_SMTP_POORT": str(poort)})
    assert proces.returncode != 0
    assert "de uitnodiging kon niet worden verstuurd" in proces.stderr and "er is geen account aangemaakt" in proces.stderr
    with sqlite3.connect(next(staat.glob("*.sqlite3"))) as db:
        assert db.execute("select count(*) from auth_user where username = 'nieuw@zorg.example'").fetchone() == (0,)
