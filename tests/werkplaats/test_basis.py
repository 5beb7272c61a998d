"""The workplace's foundation, in a real browser against a running server: log in, the region page,
a build job with progress, the download; and each security rule of the foundation as a test."""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request

import pytest
from pypdf import PdfReader

from tests.werkplaats.conftest import WACHTWOORD, inloggen, schermafdruk, toegankelijk

MH = "maastricht-heuvelland"


def test_gezond_en_inloggen_met_fout_wachtwoord(werkplaats, pagina):
    with urllib.request.urlopen(werkplaats.url + "/gezond") as a:
        assert a.status == 200
    inloggen(pagina, werkplaats, "inkoop@mh.example", "verkeerd-wachtwoord")
    fout = pagina.locator("#inlogfout")
    assert "Het e-mailadres of het wachtwoord klopt niet" in fout.inner_text()
    # the typed address stays; the password does not
    assert pagina.get_by_label("E-mailadres").input_value() == "inkoop@mh.example"
    assert pagina.get_by_label("Wachtwoord").input_value() == ""
    toegankelijk(pagina)


def test_regiopagina_toont_documenten_tarieven_en_aanbieders(werkplaats, pagina):
    inloggen(pagina, werkplaats, "inkoop@mh.example")
    assert pagina.url.rstrip("/") == werkplaats.url
    pagina.get_by_role("link", name="Regio Maastricht-Heuvelland").first.click()
    assert pagina.get_by_role("heading", level=1).inner_text() == "Regio Maastricht-Heuvelland — 2018"
    tabel = pagina.locator("#aanbieders")
    rijen = tabel.locator("tbody tr")
    assert rijen.count() == 5
    # names and the overview's columns, not ids: the first aanbieder's row as a person reads it
    tekst = tabel.inner_text()
    assert "90000002" in tekst and "59/59" in tekst
    assert "voorbeeld-wmo-compleet" not in tekst  # an id is not a name
    documenten = pagina.locator("section[aria-labelledby=kop-documenten]").inner_text()
    assert "Dienstverleningsovereenkomst" in documenten or "DVO" in documenten
    assert "concept" in pagina.locator("section[aria-labelledby=kop-tarieven]").inner_text() or \
        "vastgesteld" in pagina.locator("section[aria-labelledby=kop-tarieven]").inner_text()
    toegankelijk(pagina)
    schermafdruk(pagina, "werkplaats-regio.png")


def test_bouw_een_aanbieder_en_download_het_contractpakket(werkplaats, pagina):
    inloggen(pagina, werkplaats, "inkoop@mh.example")
    pagina.goto(f"{werkplaats.url}/regio/{MH}/")
    rij = pagina.locator("#aanbieders tbody tr", has_text="90000002")
    naam = rij.locator("th").inner_text()
    rij.get_by_role("button", name=re.compile("^Bouw")).click()
    assert "/bouwtaken/" in pagina.url
    toegankelijk(pagina)  # the page while the job waits or runs
    pagina.locator("#uitkomst").wait_for(timeout=180_000)
    assert "Klaar" in pagina.locator("#uitkomst").inner_text()
    with pagina.expect_download() as d:
        pagina.get_by_role("link", name="Download contractpakket.pdf").click()
    pdf = PdfReader(io.BytesIO(open(d.value.path(), "rb").read()))
    assert len(pdf.pages) > 5
    voorblad = pdf.pages[0].extract_text()
    assert naam in voorblad and "90000002" in voorblad
    velden = pdf.get_fields() or {}
    assert any(v.get("/FT") == "/Sig" for v in velden.values())
    # the region page now offers the package
    pagina.goto(f"{werkplaats.url}/regio/{MH}/")
    assert pagina.locator("#aanbieders tbody tr", has_text="90000002").get_by_role(
        "link", name=re.compile("contractpakket.pdf")).count() == 1


def _status(url: str, cookies: str = "", data: bytes | None = None) -> int:
    verzoek = urllib.request.Request(url, data=data, headers={"Cookie": cookies} if cookies else {})
    try:
        with urllib.request.urlopen(verzoek) as a:
            return a.status
    except urllib.error.HTTPError as fout:
        return fout.code


def _sessie(pagina) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in pagina.context.cookies())


def test_andere_regio_met_de_hand_getypt_geeft_404(werkplaats, pagina):
    inloggen(pagina, werkplaats, "inkoop@nl.example")
    antwoord = pagina.goto(f"{werkplaats.url}/regio/{MH}/")
    assert antwoord.status == 404
    assert "Niet gevonden" in pagina.content()
    assert "Maastricht" not in pagina.locator("main").inner_text()
    # and every file of that region
    for pad in (f"/regio/{MH}/2018/voorbeeld-wmo-compleet/contractpakket.pdf",
                f"/regio/{MH}/2018/voorbeeld-wmo-compleet/pakket.zip"):
        assert pagina.goto(werkplaats.url + pad).status == 404
    toegankelijk(pagina)


@pytest.mark.parametrize("pad", [
    "/regio/maastricht-heuvelland/2018/voorbeeld-wmo-compleet/..%2F..%2F..%2Fstaat%2Fgeheim",
    "/regio/maastricht-heuvelland/2018/voorbeeld-wmo-compleet/manifest.json%00.pdf",
    "/regio/maastricht-heuvelland/2018/..%2Fvoorbeeld-wmo-compleet/contractpakket.pdf",
    "/regio/maastricht-heuvelland/1900/voorbeeld-wmo-compleet/contractpakket.pdf",
    "/regio/maastricht-heuvelland/2018/bestaat-niet/contractpakket.pdf",
])
def test_geen_pad_van_verzoek_naar_bestandssysteem(werkplaats, pagina, pad):
    inloggen(pagina, werkplaats, "inkoop@mh.example")
    assert _status(werkplaats.url + pad, _sessie(pagina)) == 404


def test_post_zonder_csrf_token_wordt_geweigerd(werkplaats, pagina):
    inloggen(pagina, werkplaats, "inkoop@mh.example")
    status = _status(f"{werkplaats.url}/regio/{MH}/bouwen/", _sessie(pagina), data=b"jaar=2018&aanbieder=")
    assert status == 403
    # nothing was started
    pagina.goto(f"{werkplaats.url}/regio/{MH}/")
    assert "Laatste bouwtaken" not in pagina.content() or "hele regio" not in \
        pagina.locator("section[aria-labelledby=kop-bouwen] table").inner_text()


def test_jurist_kan_niet_bouwen(werkplaats, pagina):
    inloggen(pagina, werkplaats, "jurist@mh.example")
    pagina.goto(f"{werkplaats.url}/regio/{MH}/")
    assert pagina.get_by_role("button", name=re.compile("^Bouw")).count() == 0
    token = pagina.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    antwoord = pagina.request.post(f"{werkplaats.url}/regio/{MH}/bouwen/", form={"jaar": "2018"},
                                   headers={"X-CSRFToken": csrf, "Referer": werkplaats.url + "/"})
    assert antwoord.status == 404


def test_niet_ingelogd_naar_inloggen_en_sessiecookie_veilig(werkplaats, pagina):
    antwoord = pagina.goto(f"{werkplaats.url}/regio/{MH}/")
    assert "/inloggen/" in pagina.url and antwoord.status == 200
    inloggen(pagina, werkplaats, "inkoop@mh.example")
    sessie = next(c for c in pagina.context.cookies() if c["name"] == "sessionid")
    assert sessie["httpOnly"] and sessie["sameSite"] == "Lax"
    kop = pagina.request.get(werkplaats.url + "/").headers
    assert "script-src 'self'" in kop["content-security-policy"] and "unsafe-inline" not in kop["content-security-policy"]


def test_inloggen_geremd_na_vijf_fouten(werkplaats, pagina):
    werkplaats.gebruiker("slot@mh.example", "inkoopteam", MH)
    for _ in range(5):
        inloggen(pagina, werkplaats, "slot@mh.example", "fout-fout-fout")
    # the right password no longer helps for a while
    inloggen(pagina, werkplaats, "slot@mh.example", WACHTWOORD)
    assert "Te vaak een verkeerd wachtwoord" in pagina.content()
    assert "/inloggen/" in pagina.url
    toegankelijk(pagina)


def test_toetsenbord_alleen(werkplaats, pagina):
    pagina.goto(werkplaats.url + "/inloggen/")
    pagina.keyboard.press("Tab")
    assert pagina.evaluate("document.activeElement.textContent.trim()") == "Naar de inhoud"
    pagina.keyboard.press("Enter")
    # from the main content on, log in with the keyboard alone
    pagina.keyboard.press("Tab")
    assert pagina.evaluate("document.activeElement.id") == "id_username"
    pagina.keyboard.type("inkoop@mh.example")
    pagina.keyboard.press("Tab")
    pagina.keyboard.type(WACHTWOORD)
    pagina.keyboard.press("Enter")
    pagina.wait_for_url(re.compile(re.escape(werkplaats.url) + r"/(#inhoud)?$"))
    assert "Welkom" in pagina.locator("h1").inner_text()


def test_beheer_alleen_voor_de_beheerder_en_wachtwoorden_in_het_auditlog(werkplaats, pagina):
    """Django's admin: 404 to anyone logged in without the beheerder's rights, the workplace's login page to
    someone not logged in; every password set is in the audit log, with who set it and how."""
    w = werkplaats
    assert pagina.goto(w.url + "/beheer/").status == 200 and "/inloggen/" in pagina.url
    inloggen(pagina, w, "inkoop@mh.example")
    for pad in ("/beheer/", "/beheer/login/", "/beheer/auth/user/", "/beheer/audit/handeling/"):
        assert pagina.goto(w.url + pad).status == 404, pad
    pagina.context.clear_cookies()
    w.gebruiker("nieuw@mh.example", "inkoopteam", MH)  # on the command line, with a password
    inloggen(pagina, w, "beheer@example.example")
    # the start page leads the beheerder to the accounts, the roles and the audit log
    pagina.goto(w.url + "/")
    assert "U hebt nog geen toegang" not in pagina.locator("main").inner_text()
    for naam in ("Accounts en wachtwoorden", "Rollen per regio", "Auditlog: wie deed wat, wanneer, vanaf waar"):
        pagina.goto(w.url + "/")
        with pagina.expect_navigation():
            pagina.locator("#beheer").get_by_role("link", name=naam).click()
        assert pagina.locator("#result_list").count() == 1, naam
        toegankelijk(pagina)
    pagina.goto(w.url + "/beheer/auth/user/?q=nieuw%40mh.example")
    with pagina.expect_navigation():
        pagina.get_by_role("link", name="nieuw@mh.example").click()
    with pagina.expect_navigation():
        pagina.locator("a[href$='/password/']").click()
    pagina.locator("#id_password1").fill("Een-ander-wachtwoord-2026")
    pagina.locator("#id_password2").fill("Een-ander-wachtwoord-2026")
    with pagina.expect_navigation():
        pagina.locator("input[type=submit][name=set-password]").click()
    pagina.goto(w.url + "/beheer/audit/handeling/")
    toegankelijk(pagina)  # the filters too: actions outside a region are a link with a name
    with pagina.expect_navigation():
        pagina.locator("#changelist-filter").get_by_role("link", name="(geen)").click()
    assert pagina.locator("#result_list tbody tr").count() > 0
    toegankelijk(pagina)
    pagina.goto(w.url + "/beheer/audit/handeling/?q=nieuw%40mh.example")
    rijen = pagina.locator("#result_list tbody tr").all_inner_texts()
    assert any("wachtwoord ingesteld" in r and "door beheer@example.example" in r for r in rijen), rijen
    assert any("wachtwoord ingesteld" in r and "op de opdrachtregel" in r for r in rijen), rijen
    assert not any("Een-ander-wachtwoord" in r for r in rijen)


def test_vervalst_formulier_wordt_niet_bewaard_voor_na_het_inloggen(werkplaats, pagina):
    """Only a POST that passed the CSRF check is kept when the session expired: another site cannot fill in
    a form for the next person who logs in."""
    w = werkplaats
    pad = f"/regio/{MH}/aanbieders/voorbeeld-wmo-compleet/bewerken/"
    pagina.goto(w.url + "/inloggen/")
    antwoord = pagina.request.post(w.url + pad, form={"telefoon": "066-6666666"},
                                   headers={"Referer": "https://elders.example/"})
    assert antwoord.status == 403
    inloggen(pagina, w, "inkoop@mh.example")
    pagina.goto(w.url + pad)
    assert "066-6666666" not in pagina.content()
    assert "staat weer in het formulier" not in pagina.content()


def test_elk_tekstvak_levert_regeleinden_zoals_de_data_ze_schrijft():
    """Browsers send a textarea's line breaks as CR LF; every textarea of the workplace is a Tekstvak, which makes
    them LF (the portal refused a two-line motivation for a 'losse regelterugloop' nobody typed)."""
    from pathlib import Path

    from django import forms

    from contractgen.werkplaats.velden import Tekstvak

    bron = Path(__file__).resolve().parents[2] / "src" / "contractgen" / "werkplaats"
    gewoon = [str(p.relative_to(bron)) for p in bron.rglob("*.py")
              if p.name != "velden.py" and "forms.Textarea" in p.read_text(encoding="utf-8")]
    assert gewoon == [], f"gebruik Tekstvak in plaats van forms.Textarea: {gewoon}"
    veld = forms.CharField(widget=Tekstvak)
    assert veld.widget.value_from_datadict({"m": "regel 1\r\nregel 2\rregel 3"}, {}, "m") == "regel 1\nregel 2\nregel 3"
