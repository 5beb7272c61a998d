"""Issue 24: hostile files are refused as such, in Dutch, naming the file, before memory is spent.

Each case runs the real command in its own process and asserts its peak memory (ru_maxrss of that
process, from wait4) under 300 MB: a zip bomb of 1 GB, billion laughs and XXE in an xlsx and a docx,
a 2 GB file given to `ontvangen`, a FIFO, a symbolic link loop and a link out of the data folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from conftest import MINI, ROOT

ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
PIEK_MB = 300

LACHEN = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + "]>")
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


# Linux keeps a process's peak RSS across exec, and a child started by subprocess (vfork) begins with the
# peak of the pytest process that started it: after other test modules that can be over 300 MB before
# contractgen has done anything. A small launcher forks the command from its own fresh process and reports
# that grandchild's peak, so the figure is the command's alone.
LANCEERDER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "contractgen", *sys.argv[2:]])
_, status, gebruik = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(gebruik.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def begrensd(*argv: str, timeout: float = 60) -> tuple[int, str, str, float]:
    """`contractgen ARGV` in its own process: (exit code, stdout, stderr, peak memory in MB of that process)."""
    with tempfile.TemporaryFile() as uit, tempfile.TemporaryFile() as fout, \
            tempfile.TemporaryDirectory() as map_:
        piek = Path(map_) / "piek"
        proces = subprocess.Popen([sys.executable, "-c", LANCEERDER, str(piek), *argv], stdout=uit, stderr=fout,
                                  env=ENV, start_new_session=True)
        einde = time.monotonic() + timeout
        while True:
            pid, status, _ = os.wait4(proces.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > einde:
                os.killpg(proces.pid, 9)  # the launcher and the command (one process group)
                os.wait4(proces.pid, 0)
                pytest.fail(f"contractgen {' '.join(argv)} hangs")
            time.sleep(0.02)
        proces.returncode = os.waitstatus_to_exitcode(status)
        uit.seek(0)
        fout.seek(0)
        return (proces.returncode, uit.read().decode(), fout.read().decode(), int(piek.read_text()) / 1024)


def _geen_interne_fout(stdout: str, stderr: str) -> None:
    assert "interne fout" not in stdout + stderr and "Traceback" not in stdout + stderr


# --- xlsx -------------------------------------------------------------------------------------------

def _xlsx_met(pad: Path, doctype: str, entiteit: str) -> Path:
    """A real xlsx (openpyxl) whose cell A2 is a shared string, as Excel writes it: xl/sharedStrings.xml
    declares `doctype` and the string is `entiteit`."""
    from openpyxl import Workbook

    boek = Workbook()
    boek.active.append(["naam", "kvk"])
    boek.active.append(["Zorg B.V.", "87654321"])
    tijdelijk = pad.with_suffix(".tmp")
    boek.save(tijdelijk)
    gedeeld = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype
               + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
               + f"<si><t>{entiteit}</t></si></sst>")
    with zipfile.ZipFile(tijdelijk) as zin, zipfile.ZipFile(pad, "w", zipfile.ZIP_DEFLATED) as zuit:
        for info in zin.infolist():
            xml = zin.read(info.filename).decode()
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = xml.replace('<c r="A2" t="inlineStr"><is><t>Zorg B.V.</t></is></c>', '<c r="A2" t="s"><v>0</v></c>')
                assert 't="s"' in xml
            elif info.filename == "[Content_Types].xml":
                xml = xml.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                  'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                xml = xml.replace("</Relationships>", '<Relationship Type="http://schemas.openxmlformats.org/'
                                  'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml" '
                                  'Id="rId9"/></Relationships>')
            zuit.writestr(info, xml)
        zuit.writestr("xl/sharedStrings.xml", gedeeld)
    tijdelijk.unlink()
    return pad


def test_the_hostile_xlsx_is_otherwise_a_good_one(tmp_path):
    """Without its DTD the same workbook reads: what is refused below is the DTD, not a broken file."""
    from contractgen.intake.tabel import lees_tabel

    tabel = lees_tabel(_xlsx_met(tmp_path / "export.xlsx", "", "Zorg B.V."))
    assert tabel.kop == ["naam", "kvk"] and tabel.rijen == [(2, ["Zorg B.V.", "87654321"])]


@pytest.mark.parametrize("doctype,entiteit", [(LACHEN, "&lol9;"), (XXE, "&xxe;")], ids=["billion-laughs", "xxe"])
def test_xlsx_with_entities_is_refused_naming_the_file(tmp_path, doctype, entiteit):
    data = tmp_path / "mini"
    shutil.copytree(MINI, data)
    bestand = _xlsx_met(tmp_path / "export.xlsx", doctype, entiteit)
    code, stdout, stderr, piek = begrensd("aanbieders", "importeer", str(bestand), "--data", str(data))
    assert code == 1
    assert stderr.splitlines()[:2] == [
        "export.xlsx: bevat een DTD (<!DOCTYPE ...>) (xl/sharedStrings.xml); dat staat nooit in een bestand van Word "
        "of Excel en kan entiteiten bevatten die het lezen laten ontsporen; sla het bestand opnieuw op in Word of Excel",
        "1 fout(en) gevonden; er is niets geïmporteerd."]
    assert "root:" not in stdout + stderr  # /etc/passwd never read
    _geen_interne_fout(stdout, stderr)
    assert piek < PIEK_MB
    assert sorted(p.name for p in (data / "aanbieders").iterdir()) == ["voorbeeld.yaml"]


def test_openpyxl_itself_parses_with_defusedxml(tmp_path):
    """The second line of defence, should a DTD get past the prolog check: openpyxl uses defusedxml."""
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    from contractgen.intake.tabel import openpyxl_beschermd

    assert openpyxl_beschermd()
    bestand = _xlsx_met(tmp_path / "export.xlsx", XXE, "&xxe;")
    with pytest.raises(ValueError, match="could not read strings") as fout:  # openpyxl's wrapper of ...
        load_workbook(bestand, read_only=True)
    assert isinstance(fout.value.__cause__, DefusedXmlException)  # ... defusedxml's refusal of the entity


# --- docx -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bom(tmp_path_factory) -> Path:
    """A 1 MB .docx whose word/document.xml unpacks to 1 GB (whitespace)."""
    pad = tmp_path_factory.mktemp("bom") / "contract.docx"
    with zipfile.ZipFile(pad, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            blok = b" " * (1 << 20)
            for _ in range(1024):
                f.write(blok)
    assert pad.stat().st_size < 1_200_000
    return pad


def _docx_met(pad: Path, doctype: str, entiteit: str) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("Artikel 1: Duur", "Heading 2")
    d.add_paragraph("1.1 Deze overeenkomst duurt een jaar.")
    tijdelijk = pad.with_suffix(".tmp")
    d.save(str(tijdelijk))
    with zipfile.ZipFile(tijdelijk) as zin, zipfile.ZipFile(pad, "w", zipfile.ZIP_DEFLATED) as zuit:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                kop, _, rest = data.decode().partition("?>")
                data = (kop + "?>" + doctype + rest.replace("duurt een jaar", entiteit)).encode()
            zuit.writestr(info, data)
    tijdelijk.unlink()
    return pad


@pytest.mark.parametrize("geval", ["bom", "billion-laughs", "xxe"])
@pytest.mark.parametrize("opdracht", ["importeer-document", "wijzigingen"])
def test_hostile_docx_is_refused_before_it_is_unpacked(tmp_path, bom, geval, opdracht):
    data = tmp_path / "mini"
    shutil.copytree(MINI, data)
    if geval == "bom":
        bestand = bom
        reden = ("het Word-bestand is uitgepakt te groot (1024.0 MB); verwacht hoogstens 200 MB")
    else:
        bestand = _docx_met(tmp_path / "contract.docx", LACHEN if geval == "billion-laughs" else XXE,
                            "&lol9;" if geval == "billion-laughs" else "&xxe;")
        reden = ("bevat een DTD (<!DOCTYPE ...>) (word/document.xml); dat staat nooit in een bestand van Word of "
                 "Excel en kan entiteiten bevatten die het lezen laten ontsporen; sla het bestand opnieuw op in Word "
                 "of Excel")
    argv = (["importeer-document", str(bestand), "--regio", str(data), "--id", "nieuw"] if opdracht ==
            "importeer-document" else ["wijzigingen", "importeer", str(bestand), "--data", str(data), "--versie",
                                       "2019", "--geldig-van", "2019-01-01"])
    code, stdout, stderr, piek = begrensd(*argv)
    assert code == 1
    assert stderr.strip().splitlines()[0] == f"fout: {bestand}: {reden}"
    _geen_interne_fout(stdout, stderr)
    assert piek < PIEK_MB, f"{piek:.0f} MB"
    assert not (data / "documenten" / "nieuw.yaml").exists()


# --- ontvangen: checked before it is read ---------------------------------------------------------------

@pytest.fixture
def uitvoer(tmp_path) -> Path:
    uit = tmp_path / "uit"
    uit.mkdir()
    return uit


@pytest.mark.parametrize("begin,grootte,reden", [
    (b"", 2 * 1024 ** 3, "{naam} is te groot voor een contractpakket (2048 MB; verwacht hoogstens 100 MB)"),
    (b"%PDF-1.7\n", 2 * 1024 ** 3, "{naam} is te groot voor een contractpakket (2048 MB; verwacht hoogstens 100 MB)"),
    (b"", 99 * 1024 ** 2, "geen PDF-bestand (het begint niet met %PDF-)"),  # under the limit: its first KB says it
], ids=["2gb", "2gb-pdf", "99mb"])
def test_ontvangen_of_a_big_file_is_refused_before_reading_it(tmp_path, uitvoer, begin, grootte, reden):
    groot = tmp_path / "groot.pdf"
    with open(groot, "wb") as f:
        f.write(begin)
        f.truncate(grootte)  # sparse: without writing them
    code, stdout, stderr, piek = begrensd("ontvangen", str(groot), "--data", str(MINI), "--uitvoer", str(uitvoer))
    assert code == 1
    assert f"  - {reden.format(naam=groot)}" in stderr.splitlines()
    _geen_interne_fout(stdout, stderr)
    assert piek < PIEK_MB, f"{piek:.0f} MB"


def test_ontvangen_of_a_fifo_is_refused_at_once(tmp_path, uitvoer):
    fifo = tmp_path / "pakket.pdf"
    os.mkfifo(fifo)
    begin = time.monotonic()
    code, stdout, stderr, piek = begrensd("ontvangen", str(fifo), "--data", str(MINI), "--uitvoer", str(uitvoer),
                                          timeout=30)
    assert code == 1 and time.monotonic() - begin < 20
    assert (f"  - {fifo} is geen gewoon bestand (maar een pipe, apparaat of socket); geef een bestand"
            in stderr.splitlines())
    _geen_interne_fout(stdout, stderr)


def test_importeer_of_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    code, stdout, stderr, _ = begrensd("aanbieders", "importeer", str(fifo), "--data", str(MINI), timeout=30)
    assert code == 1
    assert stderr.splitlines()[0] == ("export.csv: is geen gewoon bestand (maar een pipe, apparaat of socket); geef "
                                      "een bestand")


# --- links in the data folder ---------------------------------------------------------------------------

@pytest.mark.parametrize("geval", ["kring", "buiten"])
def test_symbolic_links_that_loop_or_lead_out_are_refused_with_their_path(tmp_path, geval):
    data = tmp_path / "mini"
    shutil.copytree(MINI, data)
    buiten = tmp_path / "geheim.yaml"
    shutil.copy(data / "aanbieders" / "voorbeeld.yaml", buiten)
    koppeling = data / "aanbieders" / "koppeling.yaml"
    koppeling.symlink_to(koppeling.name if geval == "kring" else buiten)
    code, stdout, stderr, piek = begrensd("validate", str(data))
    assert code == 1
    if geval == "kring":
        bericht = ("symbolische koppeling in een kring (verwijst uiteindelijk naar zichzelf); verwijder de koppeling "
                   "en zet het bestand zelf hier")
    else:
        bericht = (f"symbolische koppeling naar '{buiten}', buiten de map van de regio; zet het bestand zelf in de "
                   "regio (een koppeling naar buiten wordt niet gelezen of geschreven)")
    assert stderr.splitlines() == [f"{koppeling}: {bericht}", "1 fout(en) gevonden; er is niets geschreven."]
    _geen_interne_fout(stdout, stderr)
    assert piek < PIEK_MB


# --- bounds of text ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("tekst,bericht", [
    ("Partijen " + "x" * 100_000 + " komen", "een woord van 100000 tekens zonder spatie ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "...'); verwacht hoogstens 500 (zo'n woord past op geen regel en laat het maken van de PDF vastlopen)"),
    ("Partijen " + "komen overeen " * 2_000, "een alinea van 28057 tekens; verwacht hoogstens 20000 (splits de tekst "
     "in alinea's met een lege regel ertussen)"),
], ids=["woord", "alinea"])
def test_a_word_or_paragraph_longer_than_libreoffice_lays_out_is_refused_at_validation(runner, tmp_path, tekst,
                                                                                          bericht):
    """A 100,000-character word made LibreOffice hang on every document; the build failed after 171 s naming
    the wrong cause. Now validate (and so build) names file, line and column at once."""
    from contractgen.cli import main

    data = tmp_path / "mini"
    shutil.copytree(MINI, data)
    pad = data / "documenten" / "overeenkomst.yaml"
    inhoud = pad.read_text(encoding="utf-8")
    assert "Partijen komen" in inhoud
    pad.write_text(inhoud.replace("Partijen komen", tekst, 1),
                   encoding="utf-8")
    regel = next(i for i, r in enumerate(pad.read_text(encoding="utf-8").splitlines(), 1) if "Partijen" in r)
    for opdracht in (["validate", str(data)], ["build", str(data), "--uitvoer", str(tmp_path / "uit"), "--geen-pdf"]):
        result = runner.invoke(main, opdracht)
        assert result.exit_code == 1
        assert f"{pad}:{regel}:13: {bericht}" in result.output.splitlines(), result.output
    assert not (tmp_path / "uit").exists()


def test_a_part_that_unpacks_far_beyond_its_packed_size_is_refused(tmp_path):
    """Within the total limit, but 20 MB of whitespace packed into 20 KB: the ratio gives it away."""
    data = tmp_path / "mini"
    shutil.copytree(MINI, data)
    bestand = tmp_path / "contract.docx"
    with zipfile.ZipFile(bestand, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", b" " * (20 << 20))
    with zipfile.ZipFile(bestand) as z:
        info = z.getinfo("word/document.xml")
    verhouding = info.file_size // info.compress_size
    assert verhouding > 100
    code, stdout, stderr, piek = begrensd("importeer-document", str(bestand), "--regio", str(data), "--id", "nieuw")
    assert code == 1
    assert stderr.strip().splitlines()[0] == (f"fout: {bestand}: het deel word/document.xml pakt uit tot 20.0 MB, "
                                              f"{verhouding} keer zijn ingepakte grootte (een 'zip-bom'); verwacht "
                                              "hoogstens 100 keer")
    assert piek < PIEK_MB
