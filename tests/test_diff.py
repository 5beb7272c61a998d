"""`contractgen diff`: article-aligned comparison, tariffs, HTML and a Word redline with tracked changes.

The fixture region tests/fixtures/diff/regio has two versions of a small overeenkomst
(2018, 2019; see the comment at the top of overeenkomst-2019.yaml), of its prijsbijlage
and of the jeugd tariff set.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from conftest import DATA, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from contractgen.cli import main
from contractgen.diff.woorden import woorden
from contractgen.uitvoer.libreoffice import converteer

REGIO = ROOT / "tests" / "fixtures" / "diff" / "regio"
OUD, NIEUW = f"{REGIO}@2018-06-01", f"{REGIO}@2019-06-01"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _diff(runner, *args: str):
    return runner.invoke(main, ["diff", *args], catch_exceptions=False)


def _regels(uitvoer: str) -> list[str]:
    return [r.rstrip() for r in uitvoer.splitlines()]


# --- tekst -----------------------------------------------------------------------------


def test_articles_and_leden_align_by_id_not_position(runner):
    result = _diff(runner, OUD, NIEUW)
    assert result.exit_code == 0, result.output  # differences are not an error (like git diff)
    regels = _regels(result.output)
    # an inserted article renumbers the ones after it: renumbered, not deleted-and-added
    assert "Artikel 3: Privacy: toegevoegd" in regels
    assert "Artikel 4: Duur van de overeenkomst: hernummerd: 3 → 4; gewijzigd" in regels
    assert "Artikel 5: Slotbepalingen: hernummerd: 4 → 5" in regels
    assert "  4.1   hernummerd: 3.1 → 4.1" in regels
    assert "  5.1   hernummerd: 4.1 → 5.1" in regels
    assert "  2.3   hernummerd: 4.3 → 2.3, verplaatst uit artikel 4" in regels
    assert "  4.2   verwijderd" in regels
    assert "        [-Geschillen gaan naar de rechter in Maastricht.-]" in regels
    assert "Looptijd: verwijderd" not in result.output and "Slotbepalingen: toegevoegd" not in result.output
    # word-level changes inside a lid, a table row and a list item
    assert "Een bijlage gaat [-boven-]{+voor+} deze overeenkomst{+, tenzij partijen" in result.output
    assert "      Burger | Inwoner van {+een van+} de [-gemeente-]{+gemeenten+}." in regels
    assert "            {+c. derde+}" in regels
    assert "  alinea toegevoegd na 'Artikel 5: Slotbepalingen'" in regels
    # a title change is shown old → new
    assert "        [-Looptijd-]{+Duur van de overeenkomst+}" in regels


def test_summary_counts_and_inline_fields_as_readers_see_them(runner):
    out = _diff(runner, OUD, NIEUW).output
    assert ("artikelen: 1 toegevoegd, 2 hernummerd, 2 gewijzigd; leden: 1 toegevoegd, 1 verwijderd, "
            "3 hernummerd, 1 verplaatst, 1 gewijzigd; overige tekst: 3 toegevoegd, 1 gewijzigd") in out
    # [[looptijd.van]] is compared as the date each version prints; [[ref:..]] as the number
    assert "Looptijd [-01-01-2018-]{+01-01-2019+} t/m [-31-12-2018-]{+31-12-2019+}" in out
    # the prijsbijlage's tariff tables as printed: the amounts that changed, row by row (not "tariefset X → Y")
    assert "  rij gewijzigd onder '☐ Arrangement Regie'" in out
    assert "      Regie betrokken | Tarief: € [-2.100-]{+2.175+} Productcode: 92100" in out
    assert "Tarieftabellen uit tariefset" not in out
    assert "Zie lid" not in out  # unchanged: the reference resolves to 2.1 on both sides


def test_tariffs_per_productcode(runner):
    regels = _regels(_diff(runner, OUD, NIEUW).output)
    assert "  gewijzigd  tarieven jeugd (jeugd-2018 → jeugd-2019): 4 productcode(s) gewijzigd, 1 toegevoegd, " \
           "1 vervallen, voorwaarden gewijzigd bij 1 arrangement(en)" in regels
    assert "  92100    Arrangement Regie — Regie betrokken: € 2.100 → € 2.175 (+3,6 %)" in regels
    assert "  84320    Arrangement Begeleiding — Hoog, Lang: € 22.379 → € 22.000 (-1,7 %)" in regels
    assert "  84110    Arrangement Begeleiding — Laag, Kort: € 916,50 → € 950 (+3,7 %)" in regels
    assert "  84310    Arrangement Begeleiding — Hoog, Kort: eenheid: per traject → per maand" in regels
    assert "  84130    Arrangement Begeleiding — Laag, Lang: toegevoegd: € 5.000 per traject" in regels
    assert "  84120    Arrangement Begeleiding — Laag, Lang: vervallen: € 4.041 per traject" in regels
    assert "        Alleen na verwijzing door de gemeente {+of de huisarts+}." in regels


def test_yaml_files_and_exit_code(runner):
    docs = REGIO / "documenten"
    out = _diff(runner, str(docs / "overeenkomst-2018.yaml"), str(docs / "overeenkomst-2019.yaml")).output
    assert "  2.3   hernummerd: 4.3 → 2.3, verplaatst uit artikel 4" in out
    tarieven = REGIO / "tarieven"
    out = _diff(runner, str(tarieven / "jeugd-2018.yaml"), str(tarieven / "jeugd-2019.yaml")).output
    assert "€ 2.100 → € 2.175 (+3,6 %)" in out
    assert _diff(runner, "--exit-code", OUD, NIEUW).exit_code == 1
    gelijk = _diff(runner, "--exit-code", OUD, f"{REGIO}@2018-12-31")
    assert gelijk.exit_code == 0 and "geen verschillen" in gelijk.output


def test_errors_are_dutch_and_name_what_is_known(runner):
    result = _diff(runner, OUD, NIEUW, "--document", "bestaat-niet")
    assert result.exit_code == 1
    assert "onbekend document 'bestaat-niet'; bekend zijn: jeugd-2018, jeugd-2019, overeenkomst, prijsbijlage" \
        in result.output
    result = _diff(runner, f"{REGIO}@2018-02-30", NIEUW)
    assert result.exit_code == 1 and "'2018-02-30' is geen bestaande datum" in result.output
    result = _diff(runner, OUD, NIEUW, "--formaat", "docx")
    assert result.exit_code == 1 and "kies met --document een van: overeenkomst, prijsbijlage" in result.output


def test_git_revisions(runner, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    data = repo / "contracts_data" / "regio"
    shutil.copytree(REGIO, data, ignore=shutil.ignore_patterns("*-2019.yaml"))

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
                        *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "2018")
    for bestand in REGIO.rglob("*-2019.yaml"):
        shutil.copy(bestand, data / bestand.relative_to(REGIO))
    git("add", ".")
    git("commit", "-q", "-m", "2019")
    (data / "documenten" / "overeenkomst-2019.yaml").unlink()  # the working tree does not matter
    monkeypatch.chdir(repo)

    out = _diff(runner, "git:HEAD~1", "git:HEAD").output  # newest versions at each revision
    assert "Artikel 4: Duur van de overeenkomst: hernummerd: 3 → 4; gewijzigd" in out
    assert "€ 2.100 → € 2.175 (+3,6 %)" in out
    out = _diff(runner, "git:HEAD~1:contracts_data/regio@2018-06-01", "git:HEAD:contracts_data/regio@2019-06-01",
                "--document", "overeenkomst").output
    assert "  2.3   hernummerd: 4.3 → 2.3, verplaatst uit artikel 4" in out and "tarieven" not in out
    result = _diff(runner, "git:bestaat-niet", "git:HEAD")
    assert result.exit_code == 1 and "onbekende git-revisie 'bestaat-niet'" in result.output
    result = _diff(runner, "git:HEAD:geen/map", "git:HEAD")
    assert result.exit_code == 1 and "'geen/map' bestaat niet in revisie HEAD" in result.output

    # sides a user would choose: a tariff set by id is that set on both sides, not jeugd-2018 against jeugd-2019
    (data / "tarieven" / "jeugd-2018.yaml").write_text(
        (data / "tarieven" / "jeugd-2018.yaml").read_text(encoding="utf-8").replace('tarief: "2100"', 'tarief: "2110"'),
        encoding="utf-8")
    out = _diff(runner, "git:HEAD", "contracts_data", "--document", "jeugd-2018").output
    assert "tarieven jeugd (jeugd-2018): 1 productcode(s) gewijzigd" in out
    assert "€ 2.100 → € 2.110 (+0,5 %)" in out and "jeugd-2019" not in out
    # the redline's cover names the revision and its commit
    commit = subprocess.run(["git", "rev-parse", "HEAD~1"], cwd=repo, capture_output=True, text=True).stdout.strip()
    doel = tmp_path / "git.docx"
    result = _diff(runner, "git:HEAD~1", "git:HEAD", "--document", "overeenkomst", "--formaat", "docx",
                   "--uitvoer", str(doel), "--auteur", "A")
    assert result.exit_code == 0, result.output
    omslag = [p.text for p in docx.Document(str(doel)).paragraphs if p.style.name == "Subtitle"]
    assert omslag[1] == f"Oud: git-revisie HEAD~1 (commit {commit[:10]}), nieuwste versies — versie 2018, geldig vanaf 01-01-2018"
    # one file against a revision: only that document, no list of 'verwijderd'
    out = _diff(runner, "git:HEAD", "contracts_data/regio/documenten/prijsbijlage-2019.yaml").output
    assert "verwijderd" not in out and "overeenkomst" not in out
    assert "gelijk     prijsbijlage" in out


# --- html ------------------------------------------------------------------------------


def test_html_is_one_self_contained_file_side_by_side(runner, tmp_path):
    doel = tmp_path / "diff.html"
    result = _diff(runner, OUD, NIEUW, "--formaat", "html", "--uitvoer", str(doel))
    assert result.exit_code == 0 and f"geschreven: {doel}" in result.output
    html = doel.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert '<section id="samenvatting"><h2>Samenvatting</h2>' in html
    assert '<a href="#doc-overeenkomst">Mini-overeenkomst</a>' in html
    assert '<th>Oud (versie 2018)</th><th>Nr.</th><th>Nieuw (versie 2019)</th>' in html
    # one row: old text with deletions left, new text with insertions right
    assert ('<td class="tekst">Een bijlage gaat <del>boven</del> deze overeenkomst.</td><td class="nr">2.1</td>'
            '<td class="tekst">Een bijlage gaat <ins>voor</ins> deze overeenkomst<ins>, tenzij partijen '
            'schriftelijk anders afspreken</ins>.</td>') in html
    assert "hernummerd: 4.3 → 2.3, verplaatst uit artikel 4" in html
    assert '<td class="bedrag">+3,6 %</td>' in html


# --- docx redline ----------------------------------------------------------------------


def _redline(runner, tmp_path: Path) -> Path:
    doel = tmp_path / "redline" / "overeenkomst.docx"
    result = _diff(runner, OUD, NIEUW, "--document", "overeenkomst", "--formaat", "docx", "--uitvoer", str(doel),
                   "--auteur", "A. Jurist")
    assert result.exit_code == 0, result.output
    # lid 4.3 moved to artikel 2 (2.3): a move, not an insertion and a deletion
    assert f"{doel}: 16 invoeging(en) en 9 verwijdering(en), 1 verplaatst(e) lid/leden als bijgehouden " \
           "wijzigingen" in result.output
    return doel


def _lees(pad: Path):
    with zipfile.ZipFile(pad) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _versie(body, aanvaard: bool) -> str:
    """The text after accepting (or rejecting) every tracked change."""
    weg = (W + "del", W + "moveFrom") if aanvaard else (W + "ins", W + "moveTo")
    alineas = []
    for p in body.iter(W + "p"):
        if any(p.find(f"{W}pPr/{W}rPr/{w}") is not None for w in weg):
            continue  # the paragraph itself goes
        tekst = "".join("\t" if t.tag == W + "tab" else t.text or "" for t in p.iter(W + "t", W + "delText", W + "tab")
                        if not any(a.tag in weg for a in t.iterancestors()))
        alineas.append(tekst.replace("\xa0", " "))
    return "\n".join(alineas)


def test_redline_has_real_tracked_changes(runner, tmp_path):
    doel = _redline(runner, tmp_path)
    body = _lees(doel)
    ins, dels = body.findall(f".//{W}ins"), body.findall(f".//{W}del")
    # runs, paragraph marks and table rows (see the fixture: 16 inserted and 9 deleted runs)
    assert (len(ins), len(dels)) == (21, 10)
    van, naar = body.findall(f".//{W}moveFrom"), body.findall(f".//{W}moveTo")
    assert ["".join(x.itertext()) for x in van if len(x)] == ["4.3", "Wijzigingen worden schriftelijk vastgelegd."]
    assert ["".join(x.itertext()) for x in naar if len(x)] == ["2.3", "Wijzigingen worden schriftelijk vastgelegd."]
    bereik = {el.get(W + "name") for el in body.iter(W + "moveFromRangeStart", W + "moveToRangeStart")}
    assert len(bereik) == 1  # one named move: Word pairs its two places
    for el in ins + dels:
        assert el.get(W + "author") == "A. Jurist"
        assert el.get(W + "date") == f"{date.today().isoformat()}T00:00:00Z"  # the day the redline was made
    assert len({el.get(W + "id") for el in ins + dels}) == len(ins) + len(dels)
    assert body.findall(f".//{W}del//{W}t") == []  # deleted text is w:delText
    verwijderd = {"".join(d.itertext()) for d in dels}
    assert {"boven", "Looptijd", "Geschillen gaan naar de rechter in Maastricht."} <= verwijderd
    assert len(body.findall(f"{W}body/{W}tbl/{W}tr/{W}trPr/{W}ins")) == 1  # the new begrip is a tracked row
    # accept all → the new version; reject all → the old one
    nieuw, oud = _versie(body, True), _versie(body, False)
    assert "Artikel 4: Duur van de overeenkomst" in nieuw and "Looptijd" not in nieuw
    assert "2.3\tWijzigingen worden schriftelijk vastgelegd." in nieuw and "Geschillen" not in nieuw
    assert "Artikel 3: Looptijd" in oud and "4.2\tGeschillen gaan naar de rechter in Maastricht." in oud
    assert "Privacy" not in oud and "Aldus overeengekomen." not in oud
    # formatting kept: article headings are Heading 2, lid numbers bold also where they changed
    d = docx.Document(str(doel))
    koppen = [p for p in d.paragraphs if p.style.name == "Heading 2"]
    assert len(koppen) == 5
    nummer = body.xpath("//w:moveFrom[w:r/w:t='4.3']/w:r/w:rPr/w:b", namespaces={"w": W[1:-1]})
    assert len(nummer) == 1
    # the same input gives the same bytes
    assert doel.read_bytes() == _redline(runner, tmp_path / "nog eens").read_bytes()


def test_libreoffice_opens_the_redline(runner, tmp_path):
    doel = _redline(runner, tmp_path)
    pdf = converteer([doel], tmp_path / "pdf")[doel]
    tekst = "\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "Duur van de overeenkomst" in tekst and "Partijen volgen de AVG." in tekst
    assert "Gemaakt op" in tekst and "door A. Jurist" in tekst  # the cover names author and date


# --- woorden ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["de", "het", "lid", "1.4", "DVO's", "(OT)", ",", ".", " ", "\n", "  "]), max_size=12),
       st.lists(st.sampled_from(["de", "het", "lid", "1.5", "DVO’s", "(OT)", ",", ".", " ", "\n", "\t"]), max_size=12))
def test_word_diff_gives_back_both_texts(a, b):
    """Exact, spaces and line breaks included: no 'Maastricht , voor' after accepting."""
    oud, nieuw = "".join(a), "".join(b)
    delen = woorden(oud, nieuw)
    assert "".join(t for s, t in delen if s != "-") == nieuw
    assert "".join(t for s, t in delen if s != "+") == oud


# --- de echte toelichting (seed 003 → seed 001) ------------------------------------------


def test_acceptance_toelichting_2014_2017(runner, tmp_path):
    result = runner.invoke(main, ["diff", "contracts_data@2015-01-01", "contracts_data@2018-01-01"])
    if result.exit_code != 0 and "fout(en) gevonden" in result.output:
        pytest.skip(f"contracts_data is (nog) niet geldig: {result.output.splitlines()[0]}")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "swo-toelichting — Toelichting Samenwerkingsovereenkomst" in out and "(versie 2014 → 2017)" in out
    regels = _regels(out)
    for regel in ("  1.4   verwijderd", "  1.8   toegevoegd", "  1.9   toegevoegd",
                  "  10.2  hernummerd: 10.3 → 10.2, gewijzigd", "  10.3  hernummerd: 10.4 → 10.3",
                  "  10.5  hernummerd: 10.6 → 10.5"):
        assert regel in regels
    assert "Dit artikel vormt de kern van het traject van [-bestuurlijk aanbesteden-]{+het" in out
    doel = tmp_path / "toelichting.docx"
    result = runner.invoke(main, ["diff", "contracts_data@2015-01-01", "contracts_data@2018-01-01",
                                  "--document", "swo-toelichting", "--formaat", "docx", "--uitvoer", str(doel)])
    assert result.exit_code == 0, result.output
    body = _lees(doel)
    assert "De enige bijlage is de lijst met de partijen" in _versie(body, True)
    assert "De enige bijlage wordt de lijst met de partijen" in _versie(body, False)


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)  # contracts_data and relative paths resolve from the repository
    assert DATA.is_dir()
