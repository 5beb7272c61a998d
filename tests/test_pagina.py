"""What gets signed, read from the PDFs page by page and from the .docx (issue 16).

Pages: table header rows repeat, signature blocks stay whole with a field in their signing row,
one field per signature place, a visible paraaf box, no-break spaces, tags and /Lang in the package.
Content: the source's words and figures (bijlage 1.2a/1.3a lines against their seed lines, the
uitvoeringsplan total, masked words restored where the sources give them).
"""

from __future__ import annotations

import functools
import html
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import DATA, MINI, SEEDS, alle_tabellen, docx_tekst
from contractgen.cli import main
from contractgen.render.docx import standaard_sjablonen_map

MH = DATA / "maastricht-heuvelland"
SEED_001 = SEEDS / "001_d7c06e29da5babfb.txt"
AMBULANT = "voorbeeld-jeugd-wmo-ambulant"  # DVO, bijlagen 1.1, 1.2, 2.x, 3, 5-8
BW = "voorbeeld-bw-compleet"  # bijlage 1.3
MM_15 = 15 / 25.4 * 72  # 15 mm in points


@pytest.fixture(scope="module")
def pakketten(tmp_path_factory) -> Path:
    uit = tmp_path_factory.mktemp("pagina")
    result = CliRunner().invoke(main, ["build", str(MH), "--uitvoer", str(uit), "--aanbieder", AMBULANT,
                                       "--aanbieder", BW])
    assert result.exit_code == 0, result.output
    return uit / "maastricht-heuvelland" / "2018"


# --- reading PDFs ------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def woorden(pdf: Path, pagina: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) on one page (1-based), y from the top, as pdftotext -bbox sees it."""
    uit = subprocess.run(["pdftotext", "-f", str(pagina), "-l", str(pagina), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(html.unescape(m.group(5)), *map(float, m.group(1, 2, 3, 4)))
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                                 uit)]


def regels(pdf: Path, pagina: int) -> list[str]:
    """The text lines of one page, top to bottom (pdftotext -layout)."""
    uit = subprocess.run(["pdftotext", "-f", str(pagina), "-l", str(pagina), "-layout", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [r.strip() for r in uit.splitlines() if r.strip()]


def romp(pdf: Path, pagina: int) -> list[str]:
    """The lines of a page without its running header (first line) and footer (pagina x van y, paraaf)."""
    lijnen = regels(pdf, pagina)[1:]
    return [r for r in lijnen if "— pagina" not in r and not r.startswith("Paraaf opdrachtnemer")]


def zoek(ws, tekst: str) -> list[tuple[float, float, float, float]]:
    """(xMin, yMin, xMax, yMax) of every place where the words of `tekst` follow each other on one line."""
    doel = tekst.split()
    gevonden = []
    for i in range(len(ws) - len(doel) + 1):
        reeks = ws[i:i + len(doel)]
        if [w[0] for w in reeks] == doel and max(w[2] for w in reeks) - min(w[2] for w in reeks) < 2:
            gevonden.append((reeks[0][1], reeks[0][2], reeks[-1][3], reeks[-1][4]))
    return gevonden


def velden(pdf: Path) -> list[tuple[str, int, list[float]]]:
    """(name, page index, rect) of every signature field, in page order."""
    reader = PdfReader(str(pdf))
    uit = []
    for i, page in enumerate(reader.pages):
        for a in page.get("/Annots", []) or []:
            a = a.get_object()
            if a.get("/FT") == "/Sig":
                uit.append((str(a["/T"]), i, [float(v) for v in a["/Rect"]]))
    return uit


def handtekeningblokken(pad: Path) -> list[tuple[str, list[str]]]:
    """(title, row labels) of every signature block of a .docx, in document order."""
    blokken = []
    for t in docx.Document(str(pad)).tables:
        cel = t.rows[0].cells[0]
        if len(t.rows) == 1 and cel.tables:
            blokken.append((cel.paragraphs[0].text, [r.cells[0].text for r in cel.tables[0].rows]))
    return blokken


def _documenten(map_: Path) -> list[Path]:
    return sorted(p for p in map_.glob("*.pdf") if p.name != "contractpakket.pdf")


# --- pages ---------------------------------------------------------------------------


def test_every_signature_block_is_whole_on_the_page_of_its_field(pakketten):
    """Title, every row and the field on one page; the field in the signing row, at least 15 mm high."""
    gezien = 0
    for map_ in (pakketten / AMBULANT, pakketten / BW):
        for pdf in _documenten(map_):
            blokken = handtekeningblokken(pdf.with_suffix(".docx"))
            sig = [v for v in velden(pdf) if not v[0].startswith("paraaf")]
            sig.sort(key=lambda v: int(v[0].rsplit("_", 1)[1]))  # gemeenten_1, opdrachtnemer_2: block order
            # one field per signature place
            assert len(sig) == len(blokken), pdf.name
            hoogte = float(PdfReader(str(pdf)).pages[0].mediabox.height)
            for (naam, pagina, (x0, y0, x1, y1)), (titel, labels) in zip(sig, blokken):
                boven, onder = hoogte - y1, hoogte - y0  # the field in top-down coordinates
                assert y1 - y0 >= MM_15, f"{pdf.name} {naam}: field {y1 - y0:.0f} pt high"
                ws = woorden(pdf, pagina + 1)
                titels = [t for t in zoek(ws, titel) if t[3] <= boven]
                assert titels, f"{pdf.name} {naam}: title '{titel}' not above the field on page {pagina + 1}"
                titel_y = max(t[3] for t in titels)
                for label in labels[:-1]:
                    assert any(titel_y <= p[1] < boven and p[2] <= x0 for p in zoek(ws, label)), \
                        f"{pdf.name} {naam}: row '{label}' not between title and field on page {pagina + 1}"
                # the signing row's label sits in the field's row, left of it
                assert any(boven - 2 <= p[1] <= onder and p[2] <= x0 for p in zoek(ws, labels[-1])), \
                    f"{pdf.name} {naam}: '{labels[-1]}' not in the field's row"
                gezien += 1
    assert gezien >= 12  # DVO handtekeningenblad, both "Voor akkoord" pairs of 1.1, 1.2, 1.3, bijlage 3


def test_no_page_starts_with_a_lone_signature_row(pakketten):
    labels = {"Datum", "Naam", "Functie", "KvK-nummer", "Handtekening"}
    for map_ in (pakketten / AMBULANT, pakketten / BW):
        for pdf in _documenten(map_):
            for pagina in range(2, len(PdfReader(str(pdf)).pages) + 1):
                lijnen = romp(pdf, pagina)
                if lijnen:
                    assert lijnen[0].split()[0] not in labels, f"{pdf.name} page {pagina} starts with '{lijnen[0]}'"


def test_table_pages_start_with_the_header_row(pakketten):
    """Bijlage 3 (Nr./Minimumeis/Voldaan) and the tariff grids of 1.1 repeat their header on every page."""
    bijlage_3 = pakketten / AMBULANT / "06-bijlage-3.pdf"
    pages = len(PdfReader(str(bijlage_3)).pages)
    assert pages >= 5
    vervolg = 0
    for pagina in range(1, pages + 1):
        lijnen = romp(bijlage_3, pagina)
        eerste_eis = next((i for i, r in enumerate(lijnen) if re.match(r"[A-H]\d{1,2}\s", r)), None)
        if eerste_eis is None:
            continue
        kop = next((i for i, r in enumerate(lijnen) if r.startswith("Nr.") and "Minimumeis" in r), None)
        assert kop is not None and kop < eerste_eis, f"bijlage 3 page {pagina}: eis rows without the header row"
        vervolg += kop == 0
    assert vervolg >= 2  # pages that start with a repeated header row
    # bijlage 1.1 page 2 continues the grid of Behandeling individueel: its header comes first
    tarieven = pakketten / AMBULANT / "02-bijlage-1.1.pdf"
    for pagina in range(2, len(PdfReader(str(tarieven)).pages) + 1):
        lijnen = romp(tarieven, pagina)
        assert not re.match(r"(Hoog|Midden|Laag|Start|Intensief|Tarief|Productcode)\b", lijnen[0]), \
            f"bijlage 1.1 page {pagina} starts mid-table: '{lijnen[0]}'"
    assert romp(tarieven, 2)[0].startswith("Complexiteit \\ Duur (in maanden)")


def test_docx_rows_never_split_and_headers_repeat(pakketten):
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    d = docx.Document(str(pakketten / AMBULANT / "06-bijlage-3.docx"))
    for t in alle_tabellen(d):
        for rij in t.rows:
            assert rij._tr.find(f"{ns}trPr/{ns}cantSplit") is not None
        if t.rows[0].cells[0].text == "Nr.":
            assert t.rows[0]._tr.find(f"{ns}trPr/{ns}tblHeader") is not None
    # the signing row of every signature block is at least 15 mm (851 twips) high
    tekenrijen = [r for t in alle_tabellen(docx.Document(str(pakketten / AMBULANT / "03-bijlage-1.2.docx")))
                  for r in t.rows if r.cells[0].text == "Handtekening"]
    assert len(tekenrijen) == 4
    for rij in tekenrijen:
        hoogte = rij._tr.find(f"{ns}trPr/{ns}trHeight")
        assert int(hoogte.get(f"{ns}val")) >= 851 and hoogte.get(f"{ns}hRule") == "atLeast"


def test_paraaf_box_on_every_page_of_a_prijsbijlage(pakketten):
    for pdf in (pakketten / AMBULANT / "02-bijlage-1.1.pdf", pakketten / AMBULANT / "03-bijlage-1.2.pdf",
                pakketten / BW / "02-bijlage-1.3.pdf"):
        reader = PdfReader(str(pdf))
        paraaf = {v[1]: v[2] for v in velden(pdf) if v[0].startswith("paraaf")}
        assert sorted(paraaf) == list(range(len(reader.pages)))
        hoogte = float(reader.pages[0].mediabox.height)
        for index, (x0, y0, x1, y1) in paraaf.items():
            label = zoek(woorden(pdf, index + 1), "Paraaf opdrachtnemer:")
            assert len(label) == 1, f"{pdf.name} page {index + 1}: no visible paraaf label"
            lx0, ly0, lx1, ly1 = label[0]
            # the field lies in the box, below its label
            assert x0 >= lx0 - 4 and hoogte - y1 >= ly1 - 1 and y1 - y0 >= 15
    # the DVO has no paraaf places
    assert not [v for v in velden(pakketten / AMBULANT / "01-dvo.pdf") if v[0].startswith("paraaf")]


def test_package_has_one_field_per_signature_place_tags_and_dutch(pakketten):
    reader = PdfReader(str(pakketten / BW / "contractpakket.pdf"))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl-NL" and root["/MarkInfo"]["/Marked"]
    structuur = root["/StructTreeRoot"]
    sleutels = set(structuur["/ParentTree"]["/Nums"][::2])
    # every page keeps its marked content: its /StructParents key is in the merged /ParentTree
    for page in reader.pages:
        assert page["/StructParents"] in sleutels
    assert len(sleutels) >= len(reader.pages)
    # one tree: every document's structure hangs under the package's root
    wortel = root.raw_get("/StructTreeRoot").idnum
    assert len(structuur["/K"]) == 1 + len(_documenten(pakketten / BW))  # cover + documents
    assert all(k.get_object().raw_get("/P").idnum == wortel for k in structuur["/K"])
    namen = [n for n, _, _ in velden(pakketten / BW / "contractpakket.pdf")]
    verwacht = sum(len(handtekeningblokken(p)) for p in (pakketten / BW).glob("*.docx"))
    assert len([n for n in namen if "paraaf" not in n]) == verwacht
    for pdf in _documenten(pakketten / BW):
        assert PdfReader(str(pdf)).trailer["/Root"]["/Lang"] == "nl-NL"


def test_euro_and_article_numbers_stay_on_one_line(pakketten):
    """'€ 2.000.000,00' (DVO 26.2/26.3) and amounts in tables: € and figure never on two lines."""
    dvo = pakketten / AMBULANT / "01-dvo.pdf"
    tekst = subprocess.run(["pdftotext", "-layout", str(dvo), "-"], capture_output=True, text=True).stdout
    assert "€ 2.000.000,00" in tekst
    for regel in tekst.splitlines():
        assert not regel.rstrip().endswith("€"), regel
    d = docx.Document(str(pakketten / AMBULANT / "01-dvo.docx"))
    assert any("€\u00a02.000.000,00" in p.text for p in d.paragraphs)


def test_build_fails_when_a_signature_block_has_no_place(tmp_path):
    """A template without the bookmark in the signing row: the build stops instead of leaving a block unsignable."""
    import zipfile

    sjablonen = tmp_path / "templates"
    sjablonen.mkdir()
    bron = standaard_sjablonen_map() / "document.docx"
    with zipfile.ZipFile(bron) as zin, zipfile.ZipFile(sjablonen / "document.docx", "w") as zuit:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb"<w:bookmark(Start|End)[^>]*/>", b"", data)
            zuit.writestr(item, data)
    shutil.copytree(MINI, tmp_path / "mini")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "mini"), "--uitvoer", str(tmp_path / "uit"),
                                       "--sjablonen", str(sjablonen)])
    assert result.exit_code == 1
    assert "1 handtekeningblok(ken), maar 0 plaats(en)" in result.output
    assert not (tmp_path / "uit" / "mini").exists()


# --- content -----------------------------------------------------------------------


def _seed_regels(van: int, tot: int) -> list[str]:
    return SEED_001.read_text(encoding="utf-8").splitlines()[van - 1:tot]


def _woorden(tekst: str) -> list[str]:
    tekst = tekst.replace("\u00a0", " ").replace(",-", "").replace("|", " ")
    return [w for w in re.split(r"\s+", tekst) if w and w not in ("☒", "☐")]


def _arrangementdeel(pad: Path) -> list[str]:
    """Headings, lines and table cells of a bijlage 1.xa from its title to "Op initiatief van de gemeente"."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = docx.Document(str(pad))
    stukken, binnen = [], False
    for el in d.element.body.iterchildren():
        if el.tag.endswith("}p"):
            tekst = Paragraph(el, d).text.replace("\u00a0", " ")
            if "Overzicht gecontracteerde arrangementen" in tekst:
                binnen = True
            elif tekst.startswith("Op initiatief van de gemeente"):
                break
            elif binnen and (tekst.startswith(("☒", "☐")) or re.search(r"[Pp]rodu\w*code", tekst)):
                stukken.append(tekst)
        elif el.tag.endswith("}tbl") and binnen:
            stukken += [c.text.replace("\u00a0", " ") for r in Table(el, d).rows for c in r.cells if c.text.strip()]
    return stukken


@pytest.mark.parametrize("map_,bestand,van,tot,paren", [
    (AMBULANT, "02-bijlage-1.1.docx", 447, 535, 44),
    (AMBULANT, "03-bijlage-1.2.docx", 664, 680, 24),
    (BW, "02-bijlage-1.3.docx", 784, 797, 7),
])
def test_arrangement_lines_say_only_what_their_seed_line_says(pakketten, map_, bestand, van, tot, paren):
    """Every tariff cell, toeslag line and heading of 1.2a/1.3a against the seed lines it comes from.

    A cell with a productcode is compared with the seed line holding that code and the two lines before
    it (the source puts "Arrangementstarief: € 91 |" and "Productcode: 41510 |" on separate lines);
    a cell or heading without a code with the whole seed range. No word may be new.
    """
    bron = _seed_regels(van, tot)
    bereik = {w.replace(".", "") for r in bron for w in _woorden(r)}
    stukken = _arrangementdeel(pakketten / map_ / bestand)
    met_code = 0
    for stuk in stukken:
        woorden_ = [w.replace(".", "") for w in _woorden(stuk.replace("¹", "1")) if w != "\\"]
        codes = re.findall(r"code: (\d{5})", stuk)
        if codes:
            i = next((i for i, r in enumerate(bron) if codes[0] in r), None)
            assert i is not None, stuk
            venster = " ".join(bron[max(0, i - 2):i + 1])
            bronwoorden = {w.replace(".", "") for w in _woorden(venster)}
            met_code += 1
        else:
            bronwoorden = bereik
        extra = [w for w in woorden_ if w not in bronwoorden]
        assert extra == [], f"'{stuk}' adds {extra} to the seed"
    assert met_code == paren  # every productcode/tarief pair of the seed (test_fidelity counts them)
    deel = " ".join(stukken)
    for eenheid in ("per maand", "per etmaal"):  # a unit only where the seed prints it (1.1: "Tarief per etmaal:")
        assert deel.count(eenheid) <= " ".join(bron).count(eenheid), eenheid


def test_bw_met_verblijf_in_the_source_layout(pakketten):
    tekst = docx_tekst(pakketten / BW / "02-bijlage-1.3.docx")
    assert "Optioneel: Toeslag V&V\nTarief: € 359\nProductcode: 13550" in tekst
    assert "Toeslag (tijdelijke) opschaling BW zonder verblijf naar verblijf licht: € 1.821 productiecode: 17550" in tekst
    assert "Toeslag (tijdelijke) opschaling BW licht naar BW basis: € 458 productcode: 15550" in tekst
    rijen = [[c.text for c in r.cells] for t in docx.Document(str(pakketten / BW / "02-bijlage-1.3.docx")).tables
             for r in t.rows]
    assert ["Intensiteit", ""] in rijen and any(r[0] == "Complexiteit" for r in rijen)


def test_wmo_footnote_follows_its_arrangement(pakketten):
    d = docx.Document(str(pakketten / AMBULANT / "03-bijlage-1.2.docx"))
    teksten = [p.text.replace("\u00a0", " ") for p in d.paragraphs]
    groep = teksten.index("☐ Arrangement Begeleiding groep¹ (maandtarief)")
    toeslag = teksten.index("Toeslag rolstoelvervoer: € 16 Productcode: 75510")
    voetnoot = next(i for i, t in enumerate(teksten) if t.startswith("1 De gestelde tarieven"))
    kort = next(i for i, t in enumerate(teksten) if t.endswith("Kortdurend verblijf"))
    assert groep < toeslag < voetnoot < kort


# restored masked words: (package, document, restored text as printed, mask of the source)
HERSTELD = [
    (BW, "02-bijlage-1.3.pdf", "Bijlage 1.3 Wmo Beschermd Wonen Arrangementtarieven 2018", "Xxx Xxxxxxxxx"),
    (BW, "02-bijlage-1.3.pdf", "Aanbieder van: Wmo Beschermd Wonen", "Xxx Xxxxxxxxx"),
    (BW, "03-bijlage-2.3.pdf", "arrangement Beschermd Wonen opgedeeld", "Xxxxxxxxx Wonen"),
    (AMBULANT, "02-bijlage-1.1.pdf", "Lang (7-12 maanden)", "Xxxx (7-12"),
    (AMBULANT, "02-bijlage-1.1.pdf", "Dyslexie Behandeling", "Xxxxxxxx"),
    (AMBULANT, "03-bijlage-1.2.pdf", "Laag/ 13-25", "Xxxx/ 0"),
    (AMBULANT, "04-bijlage-2.1.pdf", "Kort (1-6 maanden)", "Xxxx (1-6"),
    (AMBULANT, "05-bijlage-2.2.pdf", "Arrangement Kortdurend verblijf", "Xxxxxxxxxx verblijf"),
    (AMBULANT, "06-bijlage-3.pdf", "G. Eisen aan bekostiging", "G. Xxxxx"),
    (AMBULANT, "08-bijlage-6.pdf", "witwassen van geld in de zin", "xxxxxxxxx van geld"),
    (AMBULANT, "08-bijlage-6.pdf", "www.sociaaldomein-maastricht-heuvelland.nl", "xxx.xxxx"),
    (AMBULANT, "10-bijlage-8.pdf", "Wajong", "Xxxxxx"),
    (AMBULANT, "01-dvo.pdf", "DVO’s wensen af te sluiten", "XXX’x"),
]


@pytest.mark.parametrize("map_,bestand,hersteld,masker", HERSTELD)
def test_restored_masked_words_are_printed(pakketten, map_, bestand, hersteld, masker):
    tekst = " ".join(subprocess.run(["pdftotext", str(pakketten / map_ / bestand), "-"], capture_output=True,
                                    text=True).stdout.split())
    assert hersteld in tekst
    assert masker not in tekst


def test_every_masked_word_printed_is_reported_by_check(pakketten):
    """What stays masked (personal names, words the sources do not give) is in `check`, nobody signs it unknowingly."""
    import json

    from contractgen.rapporten.gemaskeerd import GEMASKEERD

    result = CliRunner().invoke(main, ["check", str(MH), "--formaat", "json"])
    gemeld = {}
    for b in json.loads(result.output)["regio's"][0]["bevindingen"]:
        if b["regel"] == "gemaskeerd-woord":
            gemeld.setdefault(b["document"], set()).update(re.findall(r"'([^']+)'", b["bericht"].split(" in de bron")[0]))
    gedrukt = {}
    for pdf in _documenten(pakketten / AMBULANT) + _documenten(pakketten / BW):
        tekst = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        document = PdfReader(str(pdf)).metadata["/Title"]
        gedrukt[pdf.name] = (document, {m.group(1) for m in GEMASKEERD.finditer(tekst)})
    for naam, (_, woorden_) in gedrukt.items():
        alle = set().union(*gemeld.values())
        assert woorden_ <= alle, f"{naam}: {woorden_ - alle} printed but not reported"
    assert "Xxxxxx" in alle  # a personal name stays masked and is reported


def test_uitvoeringsplan_prints_the_source_total(tmp_path):
    result = CliRunner().invoke(main, ["build", str(MH), "--uitvoer", str(tmp_path), "--peildatum", "2023-01-01"])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "maastricht-heuvelland" / "2023" / "algemeen" / "uitvoeringsplan-2023.pdf"
    totaal = [r for p in range(1, len(PdfReader(str(pdf)).pages) + 1) for r in regels(pdf, p) if r.startswith("Totaal")]
    assert len(totaal) == 1 and re.fullmatch(r"Totaal\s+€ 250\.694²\s+2296", totaal[0]), totaal
    tekst = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "250.788" not in tekst and "indexatie 3,6 % (berekend)" not in tekst


def test_no_blank_pages(pakketten):
    """A page break after an exactly full page does not leave an empty page (bijlage 1.1b → 1.1c)."""
    for map_ in (pakketten / AMBULANT, pakketten / BW):
        for pdf in _documenten(map_):
            for pagina in range(1, len(PdfReader(str(pdf)).pages) + 1):
                assert romp(pdf, pagina), f"{pdf.name} page {pagina} is empty"


def test_fields_follow_the_blocks_not_the_word_handtekening(mini, tmp_path):
    """A heading "Handtekening" above the block and a label "Handtekening:" do not move or drop a field."""
    regio = mini / "regio.yaml"
    regio.write_text(regio.read_text(encoding="utf-8").replace(
        '{label: "Handtekening", teken: true}', '{label: "Handtekening:", teken: true}'), encoding="utf-8")
    bijlage = mini / "documenten" / "prijsbijlage.yaml"
    bijlage.write_text(bijlage.read_text(encoding="utf-8").replace(
        "  - handtekening: {blok: opdrachtnemer}",
        '  - kop: "Handtekening"\n  - handtekening: {blok: opdrachtnemer}\n'
        '  - handtekening: {blok: opdrachtnemer, titel: "Tweede blok"}'), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(mini), "--uitvoer", str(tmp_path / "uit")])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "uit" / "mini" / "2018" / "voorbeeld" / "02-prijsbijlage.pdf"
    sig = sorted((v for v in velden(pdf) if not v[0].startswith("paraaf")), key=lambda v: v[0])
    assert [v[0] for v in sig] == ["opdrachtnemer_1", "opdrachtnemer_2"]
    reader = PdfReader(str(pdf))
    for (naam, pagina, (x0, y0, x1, y1)), titel in zip(sig, ["Voor akkoord opdrachtnemer", "Tweede blok"]):
        hoogte = float(reader.pages[pagina].mediabox.height)
        ws = woorden(pdf, pagina + 1)
        titel_y = zoek(ws, titel)[0][3]
        labels = [p for p in zoek(ws, "Handtekening:") if p[1] > titel_y]
        # the field of this block lies in the row of this block's "Handtekening:" label
        assert labels and hoogte - y1 - 2 <= min(p[1] for p in labels) <= hoogte - y0, naam


def test_headings_stay_with_what_follows(pakketten):
    """Every heading (its PDF bookmark) has text of its own section below it on the same page."""
    gezien = 0
    for map_ in (pakketten / AMBULANT, pakketten / BW):
        for pdf in _documenten(map_):
            reader = PdfReader(str(pdf))

            def koppen(items):
                for item in items:
                    yield from koppen(item) if isinstance(item, list) else [item]

            for kop in koppen(reader.outline):
                pagina = reader.get_destination_page_number(kop)
                hoogte = float(reader.pages[pagina].mediabox.height)
                ws = woorden(pdf, pagina + 1)
                voet = max((w[2] for w in ws if w[0] == "pagina"), default=hoogte)  # "pagina x van y"
                kop_onder = hoogte - float(kop.top) + 16  # below the heading's own line
                onder = [w for w in ws if kop_onder < w[2] < voet - 1]
                assert onder, f"{pdf.name} page {pagina + 1}: heading '{kop.title}' ends the page"
                gezien += 1
    assert gezien > 100
