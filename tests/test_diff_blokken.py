"""diff reads what the documents print: its lines are the resolved typed blocks, the text of the .docx.

Before, diff flattened the model's blocks itself, a second renderer beside resolve: a tariff table
in a bijlage was one line "Tarieftabellen uit tariefset jeugd-2019", so a changed amount in a printed
bijlage did not show in that document's diff, and a change in how resolve prints a list marker or
a footnote could go unseen by diff. Now every changed line is compared with the built .docx.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
from conftest import ROOT

from contractgen.cli import main
from contractgen.diff.bron import laad_kant
from contractgen.diff.model import RegelVerschil
from contractgen.diff.vergelijk import vergelijk

REGIO = ROOT / "tests" / "fixtures" / "diff" / "regio"
PEILDATUM = "2019-06-01"


def _vervang(pad: Path, oud: str, nieuw: str) -> None:
    tekst = pad.read_text(encoding="utf-8")
    assert tekst.count(oud) == 1, oud
    pad.write_text(tekst.replace(oud, nieuw), encoding="utf-8")


def test_changed_lines_read_exactly_as_the_built_docx(runner, tmp_path):
    oud, nieuw = tmp_path / "oud", tmp_path / "nieuw"
    shutil.copytree(REGIO, oud)
    shutil.copytree(REGIO, nieuw)
    _vervang(nieuw / "tarieven" / "jeugd-2019.yaml", 'tarief: "2175"', 'tarief: "12175"')
    _vervang(nieuw / "documenten" / "prijsbijlage-2019.yaml", "  - arrangementen: {tarieven: jeugd-2019}",
             '  - opsomming: {stijl: streep, items: ["eerste punt", {label: "b.", tekst: "tweede punt"}]}\n'
             '  - voetnoot: {nummer: "1", tekst: "Bedragen exclusief btw."}\n'
             "  - arrangementen: {tarieven: jeugd-2019}")

    v = vergelijk(laad_kant(f"{oud}@{PEILDATUM}"), laad_kant(f"{nieuw}@{PEILDATUM}"), "prijsbijlage")
    veranderd = [r for r in v.documenten[0].onderdelen if isinstance(r, RegelVerschil) and r.status != "gelijk"]
    assert {r.soort for r in veranderd} == {"item", "voetnoot", "rij"}

    uit = tmp_path / "uit"
    result = runner.invoke(main, ["build", str(nieuw), "--uitvoer", str(uit), "--geen-pdf", "--peildatum", PEILDATUM])
    assert result.exit_code == 0, result.output
    gebouwd = docx.Document(str(next(uit.rglob("*prijsbijlage.docx"))))
    # exactly as printed: the tab after a list label, the no-break space after '€' (issue 28)
    alineas = {p.text for p in gebouwd.paragraphs}
    rijen = {tuple(c.text for c in rij.cells) for t in gebouwd.tables for rij in t.rows}
    for r in veranderd:
        assert r.nieuw is not None
        if r.soort == "rij":
            assert r.nieuw.cellen in rijen
        else:
            assert r.nieuw.tekst in alineas
    assert {r.nieuw.tekst for r in veranderd if r.nieuw and r.soort != "rij"} == {
        "-\teerste punt", "b.\ttweede punt", "1 Bedragen exclusief btw."}

    # the printed tariff table: the amount as the bijlage shows it, old and new
    rij = next(r for r in veranderd if r.soort == "rij")
    assert rij.oud is not None and rij.nieuw is not None
    assert rij.oud.cellen == ("Regie betrokken", "Tarief: €\u00a02.175\nProductcode: 92100")
    assert rij.nieuw.cellen == ("Regie betrokken", "Tarief: €\u00a012.175\nProductcode: 92100")
    out = runner.invoke(main, ["diff", f"{oud}@{PEILDATUM}", f"{nieuw}@{PEILDATUM}", "--document", "prijsbijlage"],
                        catch_exceptions=False).output
    assert "      Regie betrokken | Tarief: € [-2.175-]{+12.175+} Productcode: 92100" in out.splitlines()
    assert "  voetnoot toegevoegd" in out and "      {+1 Bedragen exclusief btw.+}" in out


def test_a_single_file_is_read_in_its_own_region(runner):
    """Two YAML files without a data folder: resolved in the region they stand in (its tariff sets)."""
    docs = REGIO / "documenten"
    out = runner.invoke(main, ["diff", str(docs / "prijsbijlage-2018.yaml"), str(docs / "prijsbijlage-2019.yaml")],
                        catch_exceptions=False).output
    assert "      Regie betrokken | Tarief: € [-2.100-]{+2.175+} Productcode: 92100" in out.splitlines()


def test_a_single_file_outside_a_region_is_a_dutch_error(runner, tmp_path):
    los = tmp_path / "prijsbijlage.yaml"
    shutil.copy(REGIO / "documenten" / "prijsbijlage-2019.yaml", los)
    result = runner.invoke(main, ["diff", str(los), str(los)])
    assert result.exit_code == 1
    assert "geen regio (regio.yaml) gevonden om document 'prijsbijlage' te lezen" in result.output


def test_aanbieder_fields_are_named_in_words_and_never_as_placeholders(runner, tmp_path):
    """The region-wide document prints an aanbieder field blank. The text and HTML diffs name it in words,
    so a changed field shows; no "[[aanbieder.naam]]" anywhere (issue 28). The redline prints the blank,
    as the built document does."""
    oud, nieuw = tmp_path / "oud", tmp_path / "nieuw"
    shutil.copytree(REGIO, oud)
    shutil.copytree(REGIO, nieuw)
    _vervang(nieuw / "documenten" / "prijsbijlage-2019.yaml", "Naam opdrachtnemer: [[aanbieder.naam]]",
             "KvK-nummer opdrachtnemer: [[aanbieder.kvk]]")
    out = runner.invoke(main, ["diff", f"{oud}@{PEILDATUM}", f"{nieuw}@{PEILDATUM}", "--document", "prijsbijlage"],
                        catch_exceptions=False).output
    assert "      [-Naam-]{+KvK-nummer+} opdrachtnemer: ‹[-naam-]{+KvK-nummer+} aanbieder›" in out.splitlines()
    html = runner.invoke(main, ["diff", f"{oud}@{PEILDATUM}", f"{nieuw}@{PEILDATUM}", "--document", "prijsbijlage",
                                "--formaat", "html"], catch_exceptions=False).output
    assert "‹<del>naam</del>" in html and "<ins>KvK-nummer</ins> aanbieder›" in html and "[[" not in html
    doel = tmp_path / "redline.docx"
    runner.invoke(main, ["diff", f"{oud}@{PEILDATUM}", f"{nieuw}@{PEILDATUM}", "--document", "prijsbijlage",
                         "--formaat", "docx", "--uitvoer", str(doel)], catch_exceptions=False)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    alineas = ["".join(t.text or "" for t in p._p.iter(w + "t", w + "delText"))  # deleted text included
               for p in docx.Document(str(doel)).paragraphs]
    assert "NaamKvK-nummer opdrachtnemer: " in alineas  # 'Naam' deleted, 'KvK-nummer' inserted, the field blank
    assert not any("[[" in a or "‹" in a for a in alineas)


def test_a_single_file_whose_tariff_set_the_other_side_lacks(runner, tmp_path):
    """Read in the other side's region, a 2019 bijlage finds no 2019 tariff set: a Dutch error naming the file."""
    regio = tmp_path / "regio"
    shutil.copytree(REGIO, regio, ignore=shutil.ignore_patterns("*-2019.yaml"))
    los = tmp_path / "los" / "prijsbijlage.yaml"
    los.parent.mkdir()
    shutil.copy(REGIO / "documenten" / "prijsbijlage-2019.yaml", los)
    result = runner.invoke(main, ["diff", str(regio), str(los)])
    assert result.exit_code == 1
    assert f"{los}: tarieven: document 'prijsbijlage' (versie 2019), peildatum 01-01-2019: " \
           "onbekende tariefset of familie 'jeugd-2019'" in result.output
