"""More than one contract family, built by the same pipeline with no family-specific Python.

(a) Noord-Limburg (seeds 000/002): each sample aanbieder's werkafspraken list only its own
    segments and percelen, its contractmanager, and the social return computed from its
    opdrachtwaarde; every quoted text stands in the seed.
(b) Maastricht-Heuvelland uitvoeringsplan 2023 (seed 004): the cost table with computed totals
    and indexation; `contractgen check` reports the source's own total discrepancy.
(c) A tiny third family written in a temporary folder validates and builds without code changes
    (the example of docs/data/nieuwe-regio.md).

Expectations come from the seeds (../shared/seeds) where they can, not from contracts_data/.
"""

from __future__ import annotations

import json
import re
import textwrap
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from conftest import DATA, ROOT, SEEDS, docx_tekst

from contractgen.cli import main

NL = DATA / "noord-limburg"
MH = DATA / "maastricht-heuvelland"
SEED_000 = SEEDS / "000_4acff07e32578d94.txt"
SEED_002 = SEEDS / "002_832f78bcc4636bd9.txt"
SEED_004 = SEEDS / "004_8ebd2f612aaa5df9.txt"
seeds_nodig = pytest.mark.skipif(not (SEED_000.exists() and SEED_002.exists() and SEED_004.exists()),
                                 reason="seeds not available")


def _norm(tekst: str) -> str:
    return re.sub(r"\s+", " ", tekst).strip()


def _bron(pad: Path) -> str:
    """Seed text as one line: extraction line breaks, Markdown bold and escapes undone."""
    return _norm(pad.read_text(encoding="utf-8").replace("**", "").replace("\\*", "*"))


def _stukken(pad: Path) -> set[str]:
    """Every paragraph (and the text after a list label) and every table cell of a docx."""
    d = docx.Document(str(pad))
    stukken = set()
    for p in d.paragraphs:
        stukken.add(_norm(p.text))
        if "\t" in p.text:
            stukken.add(_norm(p.text.split("\t", 1)[1]))
    for t in d.tables:
        for rij in t.rows:
            stukken |= {_norm(c.text) for c in rij.cells}
    return stukken


def _tabel_rijen(pad: Path) -> list[list[str]]:
    return [[_norm(c.text) for c in rij.cells] for t in docx.Document(str(pad)).tables for rij in t.rows]


def _aanbieders() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((NL / "aanbieders").glob("*.yaml"))}


# --- segments, parsed from seed 002 ----------------------------------------------------


def _segmenten_uit_seed() -> dict[str, str]:
    """kenmerk id -> the text that names the segment in seed 002 (r. 105-113, 128-133, 158-162)."""
    regels = SEED_002.read_text(encoding="utf-8").splitlines()
    segmenten: dict[str, str] = {}

    def na(kop: str) -> list[str]:
        i = regels.index(kop)
        blok = []
        for r in regels[i + 1:]:
            if r.startswith("#"):
                break
            if r.strip():
                blok.append(r)
        return blok

    for r in na("# Wmo - inrichting segmenten")[1:]:  # first row is the header
        code, typering = r.split("\t")[:2]
        segmenten["wmo-" + code.split()[-1].lower()] = typering
    for kop, prefix in (("# Domein Jeugd – vier segmenten", "jeugd"),
                        ("# Domein Participatiewet – drie segmenten", "participatie")):
        for r in na(kop):
            m = re.match(r"(\d)\. (.+)", r)
            segmenten[f"{prefix}-segment-{m.group(1)}"] = m.group(2)
    return segmenten


@pytest.fixture(scope="module")
def noord_limburg(tmp_path_factory) -> Path:
    uit = tmp_path_factory.mktemp("nl")
    result = CliRunner().invoke(main, ["build", str(NL), "--uitvoer", str(uit), "--geen-pdf"])
    assert result.exit_code == 0, result.output
    return uit / "noord-limburg" / "2022"


@seeds_nodig
def test_seed_has_the_segments_the_data_uses():
    segmenten = _segmenten_uit_seed()
    assert len(segmenten) == 6 + 4 + 3
    gebruikt = {k for a in _aanbieders().values() for k in a["kenmerken"]}
    assert gebruikt - {"perceel-regionaal", "perceel-lokaal"} <= set(segmenten)


@seeds_nodig
def test_package_per_aanbieder_has_werkafspraken_then_basisdocument(noord_limburg):
    for ident in _aanbieders():
        namen = sorted(p.name for p in (noord_limburg / ident).glob("*.docx"))
        assert namen == ["01-werkafspraken-aanbieder.docx", "02-basisdocument-werkafspraken.docx"], ident
    algemeen = sorted(p.name for p in (noord_limburg / "algemeen").glob("*.docx"))
    assert algemeen == ["basisdocument-werkafspraken.docx", "raamovereenkomst-structuur.docx"]


@seeds_nodig
@pytest.mark.parametrize("ident", sorted(_aanbieders()))
def test_werkafspraken_list_only_own_segments_and_percelen(noord_limburg, ident):
    aanbieder = _aanbieders()[ident]
    stukken = _stukken(noord_limburg / ident / "01-werkafspraken-aanbieder.docx")
    segmenten = _segmenten_uit_seed()
    eigen = set(aanbieder["kenmerken"])
    for kenmerk, tekst in segmenten.items():
        if kenmerk in eigen:
            assert tekst in stukken, f"{ident} mist zijn segment {kenmerk} ({tekst})"
        else:
            assert tekst not in stukken, f"{ident} toont segment {kenmerk} ({tekst}) dat niet van hem is"
    assert any(s.startswith("Regionaal perceel:") for s in stukken) == ("perceel-regionaal" in eigen)
    assert any(s.startswith("Lokaal perceel:") for s in stukken) == ("perceel-lokaal" in eigen)


@seeds_nodig
@pytest.mark.parametrize("ident", sorted(_aanbieders()))
def test_werkafspraken_show_roles_from_the_aanbieder(noord_limburg, ident):
    rollen = _aanbieders()[ident]["rollen"]
    rijen = _tabel_rijen(noord_limburg / ident / "01-werkafspraken-aanbieder.docx")
    cm = next(r for r in rijen if r[0] == "Contractmanager MGR")
    cp = next(r for r in rijen if r[0] == "Contactpersoon opdrachtnemer")
    assert cm[1:] == [rollen["contractmanager"][k] for k in ("naam", "functie", "email", "telefoon")]
    assert cp[1:] == [rollen["contactpersoon"][k] for k in ("naam", "functie", "email", "telefoon")]


# SR = 5 % of the opdrachtwaarde (seed 002 r. 269) when it is > € 250.000 (seed 000 r. 293).
SR = {
    "voorbeeld-wmo-regionaal": ("€ 300.000", "€ 15.000", "€ 300.000", "W. Fictiefmans"),
    "voorbeeld-jeugd-lokaal": ("€ 180.000", "niet van toepassing", "niet van toepassing", "L. Voorbeeldhof"),
    # exactly the threshold: '> € 250.000,-' does not include it
    "voorbeeld-jeugd-bw": ("€ 250.000", "niet van toepassing", "niet van toepassing", "K. Fictiefsma"),
    "voorbeeld-participatie": ("€ 1.250.000", "€ 62.500", "€ 1.250.000", "P. Proefstra"),
}


@seeds_nodig
@pytest.mark.parametrize("ident", sorted(SR))
def test_social_return_and_mvi_follow_from_the_opdrachtwaarde(noord_limburg, ident):
    waarde, sr, mvi, contractmanager = SR[ident]
    rijen = {r[0]: r[1] for r in _tabel_rijen(noord_limburg / ident / "01-werkafspraken-aanbieder.docx") if len(r) == 2}
    assert rijen["Jaarlijkse opdrachtwaarde (excl. btw)"] == waarde
    assert rijen["Social return (5% over de opdrachtwaarde)"] == sr
    assert rijen["MVI (inspanningsverplichting), opdrachtwaarde"] == mvi
    tekst = docx_tekst(noord_limburg / ident / "01-werkafspraken-aanbieder.docx")
    assert contractmanager in tekst
    # the rule itself, quoted from the Basisdocument
    assert "excl. btw > € 250.000,- over alle ondersteuningsvormen/segmenten heen" in tekst


@seeds_nodig
def test_financing_rules_follow_domains_and_segments(noord_limburg):
    def tekst(ident):
        return docx_tekst(noord_limburg / ident / "01-werkafspraken-aanbieder.docx")

    lumpsum = "Het betreft hier lumpsum financieringen."
    plekken = "De plekkensystematiek wordt alleen toegepast bij de regionale Jeugd (sub)segmenten 3 en 4."
    plafond = "Voor de Maatwerkdiensten Wmo segmenten 1A en 1B zijn voor de Strategische regionale aanbieders budgetplafonds vastgesteld."
    pxq = "P * Q op basis van resultaatafspraak per plan (participatieladder)"
    verwacht = {
        "voorbeeld-wmo-regionaal": {plafond},
        # `alleen_voor` matches any one id: segment 4 gets the plekken text even in a local perceel;
        # the text itself says it applies only to the regional (sub)segments 3 and 4.
        "voorbeeld-jeugd-lokaal": {plekken},
        "voorbeeld-jeugd-bw": {lumpsum, plekken},
        "voorbeeld-participatie": {pxq},
    }
    for ident, aanwezig in verwacht.items():
        t = tekst(ident)
        for zin in (lumpsum, plekken, plafond, pxq):
            assert (zin in t) == (zin in aanwezig), (ident, zin)
    assert "Segment 1: SAS aanbesteding (beperkt aantal contractanten)" in tekst("voorbeeld-participatie")
    assert "Segment 3: wordt door de regio" not in tekst("voorbeeld-participatie")


@seeds_nodig
def test_region_wide_overview_shows_every_segment(noord_limburg):
    stukken = _stukken(noord_limburg / "algemeen" / "raamovereenkomst-structuur.docx")
    assert set(_segmenten_uit_seed().values()) <= stukken
    # the three procurement types of seed 002 r. 263-265
    for soort in ("Open house – met als doel", "SAS* aanbesteding in 1 ronde", "SAS* aanbesteding in 2 rondes"):
        assert any(s.startswith(soort) for s in stukken), soort


def _citaten(blokken: list, labels_ook: bool) -> list[str]:
    """Source text in blocks: alinea, list items, table cells of rows without fields; with
    `labels_ook` also kop/subkop (a region-wide transcription has no labels of its own)."""
    uit: list[str] = []

    def items(lijst):
        for item in lijst:
            if isinstance(item, str):
                uit.append(item)
            else:
                uit.append(item.get("tekst", ""))
                items(item.get("items", []))

    for blok in blokken:
        if "alinea" in blok:
            uit.append(blok["alinea"])
        elif "opsomming" in blok:
            items(blok["opsomming"]["items"])
        elif "tabel" in blok:
            for rij in blok["tabel"].get("rijen", []):
                if not any("[[" in c for c in rij):
                    uit.extend(rij)
            if labels_ook:
                uit.extend(blok["tabel"].get("kolommen", []))
        elif labels_ook and ("kop" in blok or "subkop" in blok):
            uit.append(blok.get("kop") or blok.get("subkop"))
    return [c for c in uit if c and "[[" not in c]


@seeds_nodig
@pytest.mark.parametrize("document,labels_ook", [("werkafspraken-aanbieder", False),
                                                 ("raamovereenkomst-structuur", True)])
def test_every_quote_stands_in_the_seeds(document, labels_ook):
    """No invented contract text: every quote is in seed 000 or 002 (labels are the toolkit's)."""
    bron = _bron(SEED_000) + " " + _bron(SEED_002)
    doc = yaml.safe_load((NL / "documenten" / f"{document}.yaml").read_text(encoding="utf-8"))
    citaten = _citaten(doc["inhoud"], labels_ook)
    assert len(citaten) > 20
    ontbreekt = [c for c in citaten if _norm(c) not in bron]
    assert ontbreekt == []


def _koppen_basisdocument() -> list[tuple[str, str]]:
    """(nummer, titel) of every numbered chapter and paragraph of seed 000 (after the contents, r. 19)."""
    regels = SEED_000.read_text(encoding="utf-8").splitlines()[18:]
    return [(m.group(1), m.group(2)) for r in regels
            if len(r) < 90 and (m := re.match(r"^(\d{1,2}\.(?:\d{1,2}\.?){0,2}) (\S.*)$", r))]


@seeds_nodig
def test_basisdocument_has_every_chapter_and_paragraph(noord_limburg):
    koppen = _koppen_basisdocument()
    assert [n for n, _ in koppen if re.fullmatch(r"\d+\.", n)] == [f"{i}." for i in range(1, 11)]
    assert len(koppen) > 40
    regels = [_norm(p.text) for p in docx.Document(str(noord_limburg / "algemeen" / "basisdocument-werkafspraken.docx")).paragraphs]
    for nummer, titel in koppen:
        assert any(r.endswith(_norm(titel)) and nummer.rstrip(".") in r for r in regels), (nummer, titel)


@seeds_nodig
def test_basisdocument_headings_as_the_source_prints_them(noord_limburg):
    regels = {_norm(p.text) for p in docx.Document(str(noord_limburg / "algemeen" / "basisdocument-werkafspraken.docx")).paragraphs}
    ontbreekt = [f"{n} {t}" for n, t in _koppen_basisdocument() if _norm(f"{n} {t}") not in regels]
    assert ontbreekt == []


def test_dynamic_basisdocument_new_version_applies_from_its_date(tmp_path, runner):
    """The Basisdocument changes during the contract term (seed 000 2.2): a new version is a new
    file with the same id and a later geldig_van; the peildatum picks the version."""
    import shutil

    regio = tmp_path / "noord-limburg"
    shutil.copytree(NL, regio)
    vorige = regio / "documenten" / "basisdocument-werkafspraken.yaml"  # the old version ends
    vorige.write_text(vorige.read_text(encoding="utf-8").replace(
        "geldig_van: 2022-01-01\n", "geldig_van: 2022-01-01\ngeldig_tot: 2022-12-31\n", 1), encoding="utf-8")
    doc = yaml.safe_load((NL / "documenten" / "basisdocument-werkafspraken.yaml").read_text(encoding="utf-8"))
    oud = "levert vóór 1 maart van ieder kalenderjaar"
    nieuw = "levert vóór 15 maart van ieder kalenderjaar"  # a made-up change, for this test only
    doc.update(versie="2023", geldig_van="2023-01-01")
    doc["wijzigingen"] = doc["wijzigingen"] + [{"versie": "2023", "datum": "2023-01-01", "omschrijving": "Test"}]
    tekst = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    assert tekst.count(oud) == 1
    (regio / "documenten" / "basisdocument-werkafspraken-2023.yaml").write_text(tekst.replace(oud, nieuw),
                                                                              encoding="utf-8")
    for peildatum, verwacht, niet in (("2022-06-01", oud, nieuw), ("2023-06-01", nieuw, oud)):
        result = runner.invoke(main, ["build", str(regio), "--uitvoer", str(tmp_path / "uit"), "--geen-pdf",
                                      "--peildatum", peildatum, "--aanbieder", "voorbeeld-jeugd-lokaal"])
        assert result.exit_code == 0, result.output
        map_ = tmp_path / "uit" / "noord-limburg" / peildatum[:4] / "voorbeeld-jeugd-lokaal"
        t = docx_tekst(map_ / "02-basisdocument-werkafspraken.docx")
        assert verwacht in t and niet not in t
        assert f"versie {peildatum[:4]}" in t  # footer


# --- (b) the uitvoeringsplan cost table of seed 004 -----------------------------------


def _kostentabel_uit_seed() -> tuple[list[tuple[str, int, int]], int, int]:
    """Rows (gemeente, kosten, uren) and the printed totals of seed 004 r. 153-160."""
    rijen, totaal = [], None
    for r in SEED_004.read_text(encoding="utf-8").splitlines():
        m = re.match(r"<b>(.+?)</b>\t(?:<b>)?€ ([\d.]+)(?:<sup>\d</sup>)?(?:</b>)?\t(?:<b>)?(\d+)", r)
        if not m:
            continue
        rij = (m.group(1), int(m.group(2).replace(".", "")), int(m.group(3)))
        if rij[0] == "Totaal":
            totaal = rij
        else:
            rijen.append(rij)
    return rijen, totaal[1], totaal[2]


def _geindexeerd(bedrag: int) -> int:
    # seed 004 r. 149: 'Voor de indexatie van 2023 wordt een indexcijfer van 3,6% gehanteerd'
    return int((Decimal(bedrag) * Decimal("1.036")).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _euro(n: int) -> str:
    return "€ " + f"{n:,}".replace(",", ".")


@seeds_nodig
def test_uitvoeringsplan_text_stands_in_seed_004():
    bron = re.sub(r"</?b>|<sup>\d</sup>|\*", "", SEED_004.read_text(encoding="utf-8"))
    bron = _norm(bron)
    doc = yaml.safe_load((MH / "documenten" / "uitvoeringsplan-2023.yaml").read_text(encoding="utf-8"))
    citaten = _citaten(doc["inhoud"], labels_ook=True)
    citaten += [v["voetnoot"]["tekst"] for v in doc["inhoud"] if "voetnoot" in v]
    tabel = next(b["rekentabel"] for b in doc["inhoud"] if "rekentabel" in b)
    citaten += [r[0] for r in tabel["rijen"]] + [r[3] for r in tabel["rijen"]] + tabel["kolommen"][1:3]
    assert len(citaten) > 60
    assert [c for c in citaten if _norm(c) not in bron] == []


@pytest.fixture(scope="module")
def uitvoeringsplan(tmp_path_factory) -> Path:
    uit = tmp_path_factory.mktemp("mh2023")
    result = CliRunner().invoke(main, ["build", str(MH), "--uitvoer", str(uit), "--geen-pdf",
                                       "--peildatum", "2023-01-01"])
    assert result.exit_code == 0, result.output
    return uit / "maastricht-heuvelland" / "2023" / "algemeen" / "uitvoeringsplan-2023.docx"


@seeds_nodig
def test_seed_figures():
    rijen, kosten, uren = _kostentabel_uit_seed()
    assert [r[0] for r in rijen] == ["Eijsden-Margraten", "Gulpen-Witterm", "Maastricht", "Meerssen", "Vaals",
                                     "Valkenburg a/d Geul"]
    assert (sum(r[1] for r in rijen), kosten) == (250788, 250694)  # the source's own discrepancy: € 94
    assert (sum(r[2] for r in rijen), uren) == (2296, 2296)


@seeds_nodig
def test_cost_table_prints_the_source_figures(uitvoeringsplan):
    """Seed 004 r. 153-160: rows and the printed total € 250.694² (the rows add up to € 250.788: that is for check)."""
    rijen, _, _ = _kostentabel_uit_seed()
    tabel = next(t for t in docx.Document(str(uitvoeringsplan)).tables if "Kosten" in [c.text for c in t.rows[0].cells])
    inhoud = [[_norm(c.text) for c in r.cells] for r in tabel.rows]
    assert inhoud[0] == ["", "Kosten", "Uren", "Taken team inkoop sociaal domein 2023 ¹"]  # no computed column
    for (gemeente, kosten, uren), rij in zip(rijen, inhoud[1:]):
        assert rij[:3] == [gemeente, _euro(kosten), str(uren)]
    assert inhoud[-1] == ["Totaal", "€ 250.694²", "2296", ""]
    assert sum(r[1] for r in rijen) == 250788  # what check reports, never printed


@seeds_nodig
def test_uitvoeringsplan_text_footnotes_and_contract_variants(uitvoeringsplan):
    tekst = _norm(docx_tekst(uitvoeringsplan))
    seed = SEED_004.read_text(encoding="utf-8").splitlines()
    for regel in (seed[161], seed[163]):  # footnotes 1 and 2, verbatim
        m = re.match(r"<sup>(\d)</sup>(.+)", regel)
        assert _norm(m.group(2)) in tekst
    assert "Voor de indexatie van 2023 wordt een indexcijfer van 3,6% gehanteerd" in tekst
    for variant in ("Taakgerichte uitvoeringsvariant BGG-ZIN-ouderen (max einddatum 1-4-2028)",
                    "Outputgerichte uitvoeringsvariant BGG-ZIN (regulier) en BGI-ZIN (max einddatum 1-1-2030)",
                    "Taakgerichte uitvoeringsvariant BGG-ZIN (regulier) en BGI-ZIN (max einddatum 1-1-2030)"):
        assert variant in tekst


@seeds_nodig
def test_check_reports_the_total_discrepancy_of_the_source():
    result = CliRunner().invoke(main, ["check", str(MH), "--peildatum", "2023-01-01", "--formaat", "json"])
    assert result.exit_code == 0, result.output  # a warning, not an error
    bevindingen = [b for r in json.loads(result.output)["regio's"] for b in r["bevindingen"]
                   if b["regel"] == "rekentabel-totaal"]
    assert len(bevindingen) == 1  # Kosten differ; Uren add up
    assert ("totaal 'Kosten' is in de bron € 250.694, maar de som van de rijen is € 250.788 (verschil € 94)"
            in bevindingen[0]["bericht"])


# --- (c) a third family without code changes --------------------------------------------

# The example of docs/data/nieuwe-regio.md ("Een minimaal voorbeeld"): keep the two in step.
PROEF = {
    "regio.yaml": """\
        id: proefregio
        naam: "Regio Proef"
        standaard_peildatum: 2024-01-01
        domeinen:
          - {id: dagbesteding, naam: "Dagbesteding"}
          - {id: vervoer, naam: "Vervoer"}
        kenmerken:
          - {id: locatie-noord, naam: "Locatie Noord"}
          - {id: locatie-zuid, naam: "Locatie Zuid"}
        gemeenten:
          - {id: proefstad, naam: "Proefstad"}
        algemeen: [afspraken]
        pakket: [afspraken]
        berekeningen:
          - id: bonus
            naam: "Bonus"
            formule: "omzet * 2 / 100"
            als: "omzet > 100000"
            anders: "geen bonus"
            eenheid: bedrag
        """,
    "documenten/afspraken.yaml": """\
        id: afspraken
        titel: "Afspraken met [[aanbieder.naam]]"
        soort: overeenkomst
        versie: "2024"
        geldig_van: 2024-01-01
        inhoud:
          - kop: "Afspraken"
          - alinea: "Contractmanager: [[aanbieder.rol.contractmanager.naam]]"
          - alinea: "Omzet: [[aanbieder.waarde.omzet]]; bonus: [[bereken.bonus]]"
          - alleen_voor: [dagbesteding]
            alinea: "Dagbesteding vindt plaats op werkdagen."
          - alleen_voor: [vervoer]
            alinea: "Vervoer wordt apart vergoed."
          - alleen_voor: [locatie-noord]
            alinea: "Locatie Noord is open op zaterdag."
          - alleen_voor: [locatie-zuid]
            alinea: "Locatie Zuid is open op zondag."
        """,
    "aanbieders/proef-bv.yaml": """\
        id: proef-bv
        voorbeeld: true
        naam: "Proef B.V."
        kvk: "99999999"
        vertegenwoordiger: {naam: "A. Proef", functie: "Directeur"}
        domeinen: [dagbesteding]
        kenmerken: [locatie-noord]
        waarden:
          omzet: "150000"
        rollen:
          contractmanager: {naam: "C. Manager"}
        """,
}


def test_docs_example_matches_the_test_family():
    """docs/data/nieuwe-regio.md shows exactly these files."""
    gids = (ROOT / "docs" / "data" / "nieuwe-regio.md").read_text(encoding="utf-8")
    for inhoud in PROEF.values():
        assert textwrap.dedent(inhoud).strip() in gids


def test_third_family_builds_without_code_changes(tmp_path, runner):
    regio = tmp_path / "proefregio"
    for naam, inhoud in PROEF.items():
        (regio / naam).parent.mkdir(parents=True, exist_ok=True)
        (regio / naam).write_text(textwrap.dedent(inhoud), encoding="utf-8")

    result = runner.invoke(main, ["validate", str(regio)])
    assert result.exit_code == 0, result.output
    assert "geldig: 1 regio('s), 1 documenten, 0 tariefsets, 1 aanbieders" in result.output
    result = runner.invoke(main, ["check", str(regio)])
    assert result.exit_code == 0, result.output

    result = runner.invoke(main, ["build", str(regio), "--uitvoer", str(tmp_path / "uit"), "--geen-pdf"])
    assert result.exit_code == 0, result.output
    pakket = tmp_path / "uit" / "proefregio" / "2024" / "proef-bv" / "01-afspraken.docx"
    tekst = docx_tekst(pakket)
    assert "Afspraken met Proef B.V." in tekst
    assert "Contractmanager: C. Manager" in tekst
    assert "Omzet: € 150.000; bonus: € 3.000" in tekst
    assert "Dagbesteding vindt plaats op werkdagen." in tekst
    assert "Vervoer wordt apart vergoed." not in tekst
    assert "Locatie Noord is open op zaterdag." in tekst
    assert "Locatie Zuid is open op zondag." not in tekst
    assert (tmp_path / "uit" / "proefregio" / "2024" / "algemeen" / "afspraken.docx").is_file()
