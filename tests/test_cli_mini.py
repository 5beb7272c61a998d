"""Build the mini region through the CLI and check what a user gets."""

from __future__ import annotations

import hashlib
from pathlib import Path

import docx
from conftest import alle_tabellen, docx_tekst

from contractgen.cli import main


def _bouw(runner, data: Path, uitvoer: Path, *extra: str):
    return runner.invoke(main, ["build", str(data), "--uitvoer", str(uitvoer), "--geen-pdf", *extra])


def test_validate_ok(runner, mini):
    result = runner.invoke(main, ["validate", str(mini)])
    assert result.exit_code == 0, result.output
    assert "geldig: 1 regio('s), 2 documenten, 1 tariefsets, 1 aanbieders" in result.output


def test_build_writes_package_per_aanbieder(runner, mini, tmp_path):
    result = _bouw(runner, mini, tmp_path / "out")
    assert result.exit_code == 0, result.output
    map_ = tmp_path / "out" / "mini" / "2018" / "voorbeeld"
    assert sorted(p.name for p in map_.iterdir()) == ["01-overeenkomst.docx", "02-prijsbijlage.docx", "manifest.json"]
    assert (tmp_path / "out" / "mini" / "2018" / "algemeen" / "overeenkomst.docx").is_file()


def test_articles_are_real_headings_and_leden_are_numbered(runner, mini, tmp_path):
    _bouw(runner, mini, tmp_path / "out")
    d = docx.Document(str(tmp_path / "out/mini/2018/voorbeeld/01-overeenkomst.docx"))
    stijlen = {(p.style.name, p.text) for p in d.paragraphs}
    assert ("Heading 1", "HOOFDSTUK 1 ALGEMEEN") in stijlen
    assert ("Heading 2", "Artikel 2: Voorrang") in stijlen
    assert ("Lid", "2.1\tEen bijlage gaat boven deze overeenkomst.") in stijlen
    # a symbolic reference is filled in with the number of its target ("lid" and number never split)
    assert ("Lid", "2.2\tZie lid\u00a02.1.") in stijlen
    assert [c.text for c in d.tables[0].rows[1].cells] == ["Burger", "Inwoner van de gemeente."]


def test_prijsbijlage_checks_contracted_arrangementen_and_shows_tariffs(runner, mini, tmp_path):
    _bouw(runner, mini, tmp_path / "out")
    tekst = docx_tekst(tmp_path / "out/mini/2018/voorbeeld/02-prijsbijlage.docx")
    assert "☒ Arrangement Begeleiding" in tekst
    assert "☐ Arrangement Regie" in tekst
    assert "Tarief: € 7.591\nProductcode: 84310" in tekst
    assert "€ 916,50" in tekst
    assert "Looptijd 01-01-2018 t/m 31-12-2018" in tekst


def test_untrusted_provider_name_renders_literally(runner, mini, tmp_path):
    _bouw(runner, mini, tmp_path / "out")
    tekst = docx_tekst(tmp_path / "out/mini/2018/voorbeeld/02-prijsbijlage.docx")
    assert "Naam opdrachtnemer: Zorg & Co <test> {{ x }}" in tekst
    assert "Zorg & Co <test> {{ x }}" in docx.Document(
        str(tmp_path / "out/mini/2018/voorbeeld/02-prijsbijlage.docx")).sections[0].header.paragraphs[0].text


def test_signature_block_prefilled_from_aanbieder(runner, mini, tmp_path):
    _bouw(runner, mini, tmp_path / "out")
    d = docx.Document(str(tmp_path / "out/mini/2018/voorbeeld/02-prijsbijlage.docx"))
    rijen = {r.cells[0].text: r.cells[1].text for r in alle_tabellen(d)[-1].rows}  # the signature table sits in its frame
    assert rijen == {"Datum": "", "Naam": "A. Jansen", "KvK-nummer": "12345678", "Handtekening": ""}


def test_rebuild_is_byte_identical(runner, mini, tmp_path):
    def hashes(map_: Path) -> dict[str, str]:
        # .cache/staat.json records inodes and file times (what a no-op may skip reading): machine state
        return {str(p.relative_to(map_)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(map_.rglob("*")) if p.is_file() and p.name != "staat.json"}

    _bouw(runner, mini, tmp_path / "a")
    _bouw(runner, mini, tmp_path / "b")
    assert hashes(tmp_path / "a") == hashes(tmp_path / "b")


def test_domain_filter_leaves_out_other_domains(runner, mini, tmp_path):
    (mini / "aanbieders" / "wmo.yaml").write_text(
        'id: alleen-wmo\nnaam: "Wmo B.V."\nkvk: "87654321"\n'
        'vertegenwoordiger: {naam: "B. de Vries"}\ndomeinen: [wmo]\n', encoding="utf-8")
    assert _bouw(runner, mini, tmp_path / "out").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out/mini/2018/alleen-wmo").iterdir()) == [
        "01-overeenkomst.docx", "manifest.json"]


def test_aanbieder_option_builds_only_that_one(runner, mini, tmp_path):
    result = _bouw(runner, mini, tmp_path / "out", "--aanbieder", "voorbeeld")
    assert result.exit_code == 0
    result = _bouw(runner, mini, tmp_path / "out", "--aanbieder", "onbekend")
    assert result.exit_code == 1
    assert "onbekende aanbieder 'onbekend'; bekend zijn: voorbeeld" in result.output


def test_failed_build_keeps_previous_output(runner, mini, tmp_path):
    uitvoer = tmp_path / "out"
    assert _bouw(runner, mini, uitvoer).exit_code == 0
    vorige = (uitvoer / "mini/2018/voorbeeld/02-prijsbijlage.docx").read_bytes()
    kapot = tmp_path / "sjablonen"
    kapot.mkdir()
    (kapot / "document.docx").write_bytes(b"geen zip")
    result = _bouw(runner, mini, uitvoer, "--sjablonen", str(kapot))
    assert result.exit_code == 1
    assert "geen geldig Word-bestand" in result.output
    assert (uitvoer / "mini/2018/voorbeeld/02-prijsbijlage.docx").read_bytes() == vorige
    assert not [p for p in uitvoer.iterdir() if p.name.startswith(".") and p.name != ".cache"]


def test_invalid_peildatum_is_a_dutch_error(runner, mini, tmp_path):
    result = _bouw(runner, mini, tmp_path / "out", "--peildatum", "2018-02-30")
    assert result.exit_code == 2
    assert "'2018-02-30' is geen bestaande datum; verwacht JJJJ-MM-DD" in result.output


def test_noop_rebuild_touches_nothing_and_one_tariff_rerenders_only_its_documents(runner, mini, tmp_path):
    uit = tmp_path / "out"
    assert "3 documenten opnieuw gemaakt, 0 mappen ongewijzigd" in _bouw(runner, mini, uit).output
    voor = {p: p.stat().st_mtime_ns for p in uit.rglob("*.docx")}
    result = _bouw(runner, mini, uit)
    assert "0 documenten opnieuw gemaakt, 2 mappen ongewijzigd" in result.output
    assert {p: p.stat().st_mtime_ns for p in uit.rglob("*.docx")} == voor

    tarieven = mini / "tarieven" / "jeugd-2018.yaml"
    tarieven.write_text(tarieven.read_text(encoding="utf-8").replace('tarief: "7591"', 'tarief: "7600"'), encoding="utf-8")
    result = _bouw(runner, mini, uit)
    assert "1 documenten opnieuw gemaakt, 1 mappen ongewijzigd" in result.output
    assert "€ 7.600" in docx_tekst(uit / "mini/2018/voorbeeld/02-prijsbijlage.docx")
    # incremental output equals a full build from scratch
    volledig = tmp_path / "volledig"
    _bouw(runner, mini, volledig)
    for pad in sorted(volledig.rglob("*")):
        if pad.is_file() and pad.name != "staat.json":  # inodes and file times, not output
            assert pad.read_bytes() == (uit / pad.relative_to(volledig)).read_bytes(), pad.name
