"""The jurist's work in the workplace, in a real browser against a running server: findings filtered, opened
and accepted (the keyboard alone will do), voorrang asked, two dates compared with the redline downloaded,
a Word document with edits read in, previewed and applied; and each security rule of these pages."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
import yaml

from tests.werkplaats.conftest import inloggen, schermafdruk, toegankelijk

MH = "maastricht-heuvelland"
NL = "noord-limburg"
JURIST = "jurist@mh.example"
AANBIEDER = "voorbeeld-wmo-compleet"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _tab_naar(pagina, element_id: str, max_tabs: int = 60) -> None:
    """Press Tab until the element with this id has the focus (as someone without a mouse does)."""
    for _ in range(max_tabs):
        if pagina.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        pagina.keyboard.press("Tab")
    pytest.fail(f"#{element_id} is met Tab niet te bereiken")


def test_bevindingen_filteren_openen_en_accepteren(werkplaats, pagina):
    inloggen(pagina, werkplaats, JURIST)
    with pagina.expect_navigation():
        pagina.get_by_role("link", name="Bevindingen Regio Maastricht-Heuvelland").click()
    assert pagina.get_by_role("heading", level=1).inner_text() == \
        "Bevindingen van de controle — Regio Maastricht-Heuvelland 2018"
    alle = pagina.locator("#bevindingen tbody tr").count()
    uit = subprocess.run([sys.executable, "-m", "contractgen", "check", str(werkplaats.data / MH), "--formaat", "json"],
                         capture_output=True, text=True)
    assert alle == len(json.loads(uit.stdout)["regio's"][0]["bevindingen"]) > 40  # as `contractgen check` counts them
    toegankelijk(pagina)

    pagina.get_by_label("Controle").select_option(label="Verwijzing ontbrekende bijlage")
    pagina.get_by_label("Document").select_option(label="DVO — Dienstverleningsovereenkomst Sociaal Domein")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Filteren").click()
    rijen = pagina.locator("#bevindingen tbody tr")
    assert rijen.count() == 5
    tabel = pagina.locator("#bevindingen").inner_text()
    assert "DVO art. 11.5" in tabel and "Declaratieprotocol" in tabel
    # the place as the document prints it; never a file, line or YAML path
    assert "dvo.yaml" not in tabel and "inhoud." not in tabel and ".tekst" not in tabel
    pagina.get_by_label("Ernst").select_option("fout")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Filteren").click()
    assert pagina.locator("#bevindingen").count() == 0 and "Geen bevindingen met dit filter" in pagina.content()

    pagina.goto(f"{werkplaats.url}/regio/{MH}/jurist/bevindingen/?controle=dubbel-nummer")
    assert pagina.locator("#bevindingen tbody tr").count() == 1
    schermafdruk(pagina, "jurist-bevindingen.png")
    with pagina.expect_navigation():
        pagina.get_by_role("link", name="Bijlage 3, eis D2").click()
    plaats = pagina.locator("#plaats").inner_text()
    assert "Kwaliteitseisen" in plaats and "Bijlage 3, eis D2" in plaats and "open" in plaats
    citaat = pagina.locator("blockquote").inner_text()
    assert len(citaat) > 20 and "[[" not in citaat  # the text there, fields filled in
    assert "eisnummer D2 komt twee keer voor" in pagina.locator("#bericht").inner_text()
    toegankelijk(pagina)

    # an empty reason: the error at the field, nothing written
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Bevinding accepteren").click()
    assert "Vul de reden in" in pagina.locator("#id_reden_fout").inner_text()
    assert not (werkplaats.data / MH / "check-beoordeeld.yaml").exists()
    toegankelijk(pagina)

    # a colleague has the same finding open in another tab
    tweede = pagina.context.new_page()
    tweede.goto(pagina.url)

    # the keyboard alone: Tab to the reason, type it, Tab to the button, Enter
    pagina.locator("h1").click()
    _tab_naar(pagina, "id_reden")
    reden = "Staat zo in de getekende bron; aanbieders verwijzen naar de eerste D2"
    pagina.keyboard.type(reden)
    pagina.keyboard.press("Tab")
    assert pagina.evaluate("document.activeElement.textContent.trim()") == "Bevinding accepteren"
    schermafdruk(pagina, "jurist-bevinding.png")
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")
    assert pagina.locator("#status").inner_text() == "beoordeeld"
    beoordeling = pagina.locator("#beoordeling").inner_text()
    assert f"Beoordeeld door {JURIST}" in beoordeling and reden in beoordeling
    assert pagina.get_by_role("button", name="Bevinding accepteren").count() == 0
    # the second save is refused, naming who accepted it meanwhile; nothing of it is written
    tweede.get_by_label("Reden").fill("Een andere reden van de collega")
    with tweede.expect_navigation():
        tweede.get_by_role("button", name="Bevinding accepteren").click()
    assert f"intussen al beoordeeld door {JURIST}" in tweede.locator(".wp-meldingen").inner_text()
    assert "Een andere reden" not in (werkplaats.data / MH / "check-beoordeeld.yaml").read_text(encoding="utf-8")
    tweede.close()

    # in the data: check-beoordeeld.yaml names the person, not the machine's git name
    vastgelegd = yaml.safe_load((werkplaats.data / MH / "check-beoordeeld.yaml").read_text(encoding="utf-8"))
    [item] = vastgelegd["beoordeeld"]
    assert item["door"] == JURIST and item["reden"] == reden
    assert item["controle"] == "dubbel-nummer" and item["plaats"] == "Bijlage 3, eis D2"
    # and `contractgen check` counts it as beoordeeld
    uit = subprocess.run([sys.executable, "-m", "contractgen", "check", str(werkplaats.data / MH), "--formaat", "json",
                          "--alles", "--controle", "dubbel-nummer"], capture_output=True, text=True)
    rapport = json.loads(uit.stdout)
    [b] = rapport["regio's"][0]["bevindingen"]
    assert b["status"] == "beoordeeld" and b["beoordeling"]["door"] == JURIST

    # the audit log: who, what, from where
    with sqlite3.connect(werkplaats.staat / "werkplaats.sqlite3") as db:
        rij = db.execute("SELECT wie_tekst, onderwerp, resultaat, vanaf FROM audit_handeling "
                         "WHERE wat = 'bevinding geaccepteerd'").fetchone()
    assert rij == (JURIST, "[dubbel-nummer] Bijlage 3, eis D2", reden, "127.0.0.1")

    # on the list: no longer to review; under "Beoordeeld" it is
    pagina.goto(f"{werkplaats.url}/regio/{MH}/jurist/bevindingen/")
    assert pagina.locator("#bevindingen tbody tr").count() == alle - 1
    pagina.get_by_label("Status").select_option("beoordeeld")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Filteren").click()
    assert pagina.locator("#bevindingen tbody tr").count() == 1
    assert "beoordeeld" in pagina.locator("#bevindingen tbody tr").inner_text()


def test_voorrang_vragen(werkplaats, pagina):
    inloggen(pagina, werkplaats, JURIST)
    pagina.goto(f"{werkplaats.url}/regio/{MH}/jurist/voorrang/")
    assert "Rangorde Regio Maastricht-Heuvelland" in pagina.locator("#antwoord").inner_text()
    toegankelijk(pagina)
    pagina.get_by_label("Onderwerp", exact=True).fill("verzekering")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Vragen").click()
    antwoord = pagina.locator("#antwoord").inner_text()
    # as `contractgen voorrang … verzekering` explains it
    assert "Onderwerp: Aansprakelijkheid en verzekerd bedrag per gebeurtenis" in antwoord
    assert "'verzekering' is een ander woord voor dit onderwerp" in antwoord
    cli = subprocess.run([sys.executable, "-m", "contractgen", "voorrang", str(werkplaats.data / MH), "verzekering"],
                         capture_output=True, text=True, check=True).stdout
    # every line of the CLI's explanation, in the same order
    assert [r.strip() for r in cli.splitlines() if r.strip()] == [r.strip() for r in antwoord.splitlines() if r.strip()]
    assert "Bijlage 3, eis B9: minimaal 2.500.000,- per gebeurtenis" in antwoord
    assert "Let op: Aansprakelijkheid wijkt uitdrukkelijk af van artikel 9 lid 1" in antwoord
    toegankelijk(pagina)
    schermafdruk(pagina, "jurist-voorrang.png")
    # a near word is not taken as the answer: the suggestion at the field, in the page's words
    pagina.get_by_label("Onderwerp", exact=True).fill("verzekring")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Vragen").click()
    fout = pagina.locator("#id_onderwerp_fout").inner_text()
    assert "onbekend onderwerp 'verzekring'; bedoelde u 'aansprakelijkheid'?" in fout
    assert "contractgen" not in fout and "REGIOMAP" not in fout
    toegankelijk(pagina)


def _redline_xml(pad: str) -> str:
    with zipfile.ZipFile(pad) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_twee_datums_vergelijken_en_redline(werkplaats, pagina):
    inloggen(pagina, werkplaats, JURIST)
    pagina.goto(f"{werkplaats.url}/regio/{MH}/jurist/vergelijken/")
    toegankelijk(pagina)
    pagina.get_by_label("Oud: de versies die gelden op").fill("2017-01-01")
    pagina.get_by_label("Nieuw: de versies die gelden op").fill("2018-01-01")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Vergelijken").click()
    verschil = pagina.locator("#verschil")
    # a known change of the sample data: the swo-toelichting of 2014 gave way to the one of 2017
    assert "versie 2014 → 2017" in verschil.inner_text()
    assert verschil.locator("del").count() > 0 and verschil.locator("ins").count() > 0
    assert "Regio Maastricht-Heuvelland, peildatum 01-01-2017" in pagina.locator("main").inner_text()
    assert str(werkplaats.data) not in pagina.content()  # no server folder on screen
    # the CSP holds: no inline style or script in the diff
    assert verschil.locator("[style], script, style").count() == 0
    toegankelijk(pagina)
    # more than one document changed: the redline asks for one
    pagina.get_by_label("Document").select_option("swo-toelichting")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Vergelijken").click()
    assert pagina.locator("#verschil tr.gewijzigd").count() > 0, pagina.locator("main").inner_text()[:3000]
    pagina.get_by_label("Alleen wijzigingen tonen").check()
    assert pagina.locator("#verschil tr.gelijk").first.is_hidden()
    toegankelijk(pagina)
    schermafdruk(pagina, "jurist-vergelijken.png")
    with pagina.expect_download() as d:
        pagina.get_by_role("link", name=re.compile("Download de redline")).click()
    assert d.value.suggested_filename == "swo-toelichting-redline.docx"
    xml = _redline_xml(d.value.path())
    assert "<w:ins " in xml and "<w:del " in xml
    assert f'w:author="{JURIST}"' in xml  # signed by the person, not the machine
    tekst = "\n".join(p.text for p in docx.Document(d.value.path()).paragraphs)
    assert "Toelichting" in tekst


def _bewerk(bron: Path, doel: Path, boven_de_titel: bool = False) -> Path:
    """A jurist's edit in Word, as python-docx makes it: 'zes maanden' → 'drie maanden' in lid 5.1 (with text
    that looks like HTML, which must stay text); `boven_de_titel`: also a paragraph that has no place in the data."""
    d = docx.Document(str(bron))
    lid = next(p for p in d.paragraphs if p.text.startswith("5.1\t"))
    run = next(r for r in lid.runs if "zes maanden" in r.text)
    run.text = run.text.replace("zes maanden", "drie maanden <script>alert('x')</script>")
    if boven_de_titel:
        d.paragraphs[0].insert_paragraph_before("Opmerking van de jurist boven de titel")
    d.save(str(doel))
    return doel


@pytest.fixture(scope="module")
def gebouwde_dvo(werkplaats, tmp_path_factory) -> Path:
    uit = tmp_path_factory.mktemp("gebouwd")
    subprocess.run([sys.executable, "-m", "contractgen", "build", str(werkplaats.data / MH), "--geen-pdf",
                    "--uitvoer", str(uit), "--aanbieder", AANBIEDER], check=True, capture_output=True)
    return uit / MH / "2018" / AANBIEDER / "01-dvo.docx"


def test_bestaande_versie_en_datum_bij_het_veld(werkplaats, pagina, gebouwde_dvo):
    inloggen(pagina, werkplaats, JURIST)
    pagina.goto(f"{werkplaats.url}/regio/{MH}/jurist/word/")
    pagina.get_by_label("Word-document (.docx)").set_input_files(str(gebouwde_dvo))
    pagina.get_by_label("Versie").fill("2018")
    pagina.get_by_label("Geldig van").fill("2018-09-01")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Inlezen en bekijken").click()
    fout = pagina.locator("#id_versie_fout").inner_text()
    assert "versie '2018' van document 'dvo' bestaat al" in fout and "--versie" not in fout
    assert str(werkplaats.data) not in pagina.content()
    toegankelijk(pagina)
    pagina.get_by_label("Word-document (.docx)").set_input_files(str(gebouwde_dvo))
    pagina.get_by_label("Versie").fill("2018-z")
    pagina.get_by_label("Geldig van").fill("2014-01-01")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Inlezen en bekijken").click()
    assert "Geldig van 2014-01-01 ligt niet na het begin van versie 2018" in pagina.locator("#id_geldig_van_fout").inner_text()


def test_word_document_van_een_andere_regio_wordt_geweigerd(werkplaats, pagina, gebouwde_dvo, tmp_path):
    """A jurist of region A cannot change region B through a document whose properties name B."""
    ander = tmp_path / "andere-regio.docx"
    with zipfile.ZipFile(gebouwde_dvo) as bron, zipfile.ZipFile(ander, "w", zipfile.ZIP_DEFLATED) as doel:
        for deel in bron.infolist():
            inhoud = bron.read(deel.filename)
            if deel.filename == "docProps/custom.xml":
                inhoud = inhoud.replace(f">{MH}<".encode(), f">{NL}<".encode())
            doel.writestr(deel, inhoud)
    voor = sorted(p.name for p in (werkplaats.data / NL / "documenten").iterdir())
    inloggen(pagina, werkplaats, JURIST)
    pagina.goto(f"{werkplaats.url}/regio/{MH}/jurist/word/")
    pagina.get_by_label("Word-document (.docx)").set_input_files(str(ander))
    pagina.get_by_label("Versie").fill("2018-x")
    pagina.get_by_label("Geldig van").fill("2018-09-01")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Inlezen en bekijken").click()
    assert f"hoort bij regio '{NL}', die niet in Regio Maastricht-Heuvelland staat" in \
        pagina.locator("#id_bestand_fout").inner_text()
    assert sorted(p.name for p in (werkplaats.data / NL / "documenten").iterdir()) == voor


def test_word_bewerking_inlezen_bekijken_en_toepassen(werkplaats, pagina, gebouwde_dvo, tmp_path):
    bewerkt = _bewerk(gebouwde_dvo, tmp_path / "dvo van de jurist.docx")
    documenten = werkplaats.data / MH / "documenten"
    voor = sorted(p.name for p in documenten.iterdir())
    inloggen(pagina, werkplaats, JURIST)
    pagina.goto(f"{werkplaats.url}/regio/{MH}/jurist/word/")
    toegankelijk(pagina)
    # what cannot be processed refuses the document, with the place and the reason at the field
    pagina.get_by_label("Word-document (.docx)").set_input_files(
        str(_bewerk(gebouwde_dvo, tmp_path / "met tekst boven de titel.docx", boven_de_titel=True)))
    pagina.get_by_label("Versie").fill("2018-b")
    pagina.get_by_label("Geldig van").fill("2018-07-01")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Inlezen en bekijken").click()
    fout = pagina.locator("#id_bestand_fout").inner_text()
    assert "niet verwerkt: alinea 1: 'Opmerking van de jurist boven de titel' staat buiten de artikelen" in fout
    assert str(werkplaats.data) not in pagina.content() and str(werkplaats.staat) not in pagina.content()
    assert sorted(p.name for p in documenten.iterdir()) == voor
    toegankelijk(pagina)
    schermafdruk(pagina, "jurist-word-geweigerd.png")
    pagina.get_by_label("Word-document (.docx)").set_input_files(str(bewerkt))
    pagina.get_by_label("Versie").fill("2018-b")
    pagina.get_by_label("Geldig van").fill("2018-07-01")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Inlezen en bekijken").click()
    assert "/jurist/word/" in pagina.url and pagina.url.rstrip("/") != f"{werkplaats.url}/regio/{MH}/jurist/word"
    assert "Gewijzigd" in pagina.locator("#wijzigingen").inner_text() and "lid 5.1" in pagina.locator("#wijzigingen").inner_text()
    assert "Niets: alle wijzigingen kunnen worden verwerkt" in pagina.locator("#niet-verwerkt").inner_text()
    verschil = pagina.locator("#verschil")
    assert "drie maanden <script>alert('x')</script>" in verschil.locator("ins").all_inner_texts()[0] or \
        any("drie" in t for t in verschil.locator("ins").all_inner_texts())
    assert "<script>alert" in verschil.inner_text()  # shown as text ...
    assert verschil.locator("script").count() == 0  # ... never as markup
    assert sorted(p.name for p in documenten.iterdir()) == voor  # the preview wrote nothing
    toegankelijk(pagina)
    schermafdruk(pagina, "jurist-word-voorbeeld.png")

    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Toepassen als versie 2018-b").click()
    assert "Toegepast" in pagina.locator(".wp-meldingen").inner_text()
    assert "/jurist/vergelijken/" in pagina.url
    assert any("drie" in t for t in pagina.locator("#verschil ins").all_inner_texts())
    toegankelijk(pagina)
    nieuw = yaml.safe_load((documenten / "dvo-2018-b.yaml").read_text(encoding="utf-8"))
    assert nieuw["versie"] == "2018-b" and str(nieuw["geldig_van"]) == "2018-07-01"
    assert "geldig_tot: 2018-06-30" in (documenten / "dvo.yaml").read_text(encoding="utf-8")
    lid = next(b["artikel"] for b in nieuw["inhoud"] if "artikel" in b and b["artikel"]["id"] == "art-5")["leden"][0]
    assert "drie maanden <script>alert('x')</script>" in lid["tekst"]
    # in git, with the person as author
    log = subprocess.run(["git", "-C", str(werkplaats.data), "log", "-1", "--format=%an|%ae|%s", "--name-only"],
                         capture_output=True, text=True, check=True).stdout
    assert f"|{JURIST}|" in log and "dvo-2018-b.yaml" in log
    # the upload is gone from the state folder once applied
    assert not any((werkplaats.staat / "jurist" / "word").glob("*/*.docx"))


def _zipbom() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (30 * 1024 * 1024))
    return buf.getvalue()


def _los_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("Een contract dat contractgen niet maakte.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


WEIGERINGEN = [
    ("leeg.docx", lambda: b"", "Het bestand is leeg"),
    ("groot.docx", lambda: b"PK\x03\x04" + b"\0" * (11 * 1024 * 1024), "Het bestand is te groot (meer dan 10 MB)"),
    ("contract.docx", lambda: b"%PDF-1.7\n" + b"x" * 2000, "Dit is geen Word-document (.docx), wat de naam ook zegt"),
    ("bom.docx", _zipbom, "zipbom"),
    ("beveiligd.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, "beveiligd met een wachtwoord"),
    ("los.docx", _los_docx, "niet door contractgen gemaakt"),
]


def test_word_upload_geweigerd_met_reden_bij_het_veld(werkplaats, pagina, tmp_path):
    """Checked by content, never by name: each refused with its reason at the field, nothing kept."""
    inloggen(pagina, werkplaats, JURIST)
    for naam, maak, melding in WEIGERINGEN:
        bestand = tmp_path / naam
        bestand.write_bytes(maak())
        pagina.goto(f"{werkplaats.url}/regio/{MH}/jurist/word/")
        pagina.get_by_label("Word-document (.docx)").set_input_files(str(bestand))
        pagina.get_by_label("Versie").fill("2018-c")
        pagina.get_by_label("Geldig van").fill("2018-08-01")
        with pagina.expect_navigation():
            pagina.get_by_role("button", name="Inlezen en bekijken").click()
        assert melding in pagina.locator("#id_bestand_fout").inner_text(), naam
        assert pagina.get_by_label("Versie").input_value() == "2018-c"  # what was typed stays
        assert str(werkplaats.data) not in pagina.content() and str(werkplaats.staat) not in pagina.content()
        assert not any((werkplaats.staat / "jurist" / "word").glob("*/*.docx")), naam  # nothing kept
    toegankelijk(pagina)


JURIST_PADEN = ["bevindingen/", "voorrang/", "vergelijken/", "word/",
                "vergelijken/redline.docx?oud=2017-01-01&nieuw=2018-01-01&document=swo-toelichting"]


def test_inkoopteam_van_andere_regio_krijgt_404(werkplaats, pagina):
    inloggen(pagina, werkplaats, "inkoop@nl.example")
    for pad in JURIST_PADEN:
        antwoord = pagina.goto(f"{werkplaats.url}/regio/{MH}/jurist/{pad}")
        assert antwoord.status == 404, pad
        assert "Maastricht" not in pagina.locator("main").inner_text()


def test_jurist_van_regio_a_niet_in_regio_b_en_inkoopteam_niet_als_jurist(werkplaats, pagina):
    inloggen(pagina, werkplaats, JURIST)
    for pad in JURIST_PADEN:
        assert pagina.goto(f"{werkplaats.url}/regio/{NL}/jurist/{pad}").status == 404
    toegankelijk(pagina)
    # the menu offers only the own region
    assert pagina.get_by_role("link", name=re.compile("Bevindingen Regio Noord")).count() == 0
    pagina.context.clear_cookies()
    inloggen(pagina, werkplaats, "inkoop@mh.example")  # the region's inkoopteam is no jurist
    assert pagina.goto(f"{werkplaats.url}/regio/{MH}/jurist/bevindingen/").status == 404


def test_accepteren_zonder_csrf_token_wordt_geweigerd(werkplaats, pagina):
    inloggen(pagina, werkplaats, JURIST)
    pagina.goto(f"{werkplaats.url}/regio/{MH}/jurist/bevindingen/?controle=afkorting-ontbreekt")
    with pagina.expect_navigation():
        pagina.locator("#bevindingen tbody tr a").first.click()
    adres = pagina.url.split("?")[0]
    bestand = werkplaats.data / MH / "check-beoordeeld.yaml"
    voor = bestand.read_text(encoding="utf-8") if bestand.exists() else ""
    antwoord = pagina.request.post(adres, form={"reden": "zonder token", "jaar": "2018"},
                                   headers={"Referer": werkplaats.url + "/"})
    assert antwoord.status == 403
    assert (bestand.read_text(encoding="utf-8") if bestand.exists() else "") == voor
    # the Word upload's apply as well
    antwoord = pagina.request.post(f"{werkplaats.url}/regio/{MH}/jurist/word/", multipart={"versie": "x"},
                                   headers={"Referer": werkplaats.url + "/"})
    assert antwoord.status == 403
