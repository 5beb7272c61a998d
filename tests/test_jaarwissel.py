"""The yearly cycle on the real data (issue 13): roll Maastricht-Heuvelland to 2019 with 3,6 %
and read what a signer would get: the rendered 2019 documents, the check report, and the
2018 packages, which must not change."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from conftest import DATA, docx_tekst

from contractgen.cli import main
from contractgen.rapporten.check import check
from contractgen.regels import load_valid

INDEX = Decimal("1.036")
# a tariff and its code as the bijlagen print them ("Productcode:", a toeslag "productcode:" or, as the
# source has it once, "productiecode:")
BEDRAG_CODE = re.compile(r"€ (\d[\d.]*(?:,\d\d)?)[^€]{0,80}?(?:[Pp]roductcode|productiecode): (\d+)")


def _bedrag(tekst: str) -> Decimal:
    return Decimal(tekst.replace(".", "").replace(",", "."))


def _verwacht_2019(set_bestand: Path) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """(2018 tariffs, 2019 tariffs by the rule) per productcode, computed here from the source YAML:
    indexed by 3,6 % and rounded half up to whole euros; a derived toeslag follows its rule."""
    ruw = yaml.safe_load(set_bestand.read_text(encoding="utf-8"))
    oud, nieuw, regels = {}, {}, {}
    for arr in ruw.get("arrangementen", []):
        for p in arr.get("producten", []) + arr.get("toeslagen", []):
            oud[p["productcode"]] = Decimal(p["tarief"])
            if p.get("afgeleid"):
                regels[p["productcode"]] = p["afgeleid"]
            else:
                nieuw[p["productcode"]] = (Decimal(p["tarief"]) * INDEX).quantize(Decimal(1), ROUND_HALF_UP)
    for groep in ruw.get("groepen", []):
        for post in groep["posten"]:
            if post.get("productcode") and post.get("tarief"):
                oud[post["productcode"]] = Decimal(post["tarief"])
                nieuw[post["productcode"]] = (Decimal(post["tarief"]) * INDEX).quantize(Decimal(1), ROUND_HALF_UP)
    for code, regel in regels.items():
        a, b = regel["verschil"]
        nieuw[code] = nieuw[a] - nieuw[b]
    return oud, nieuw


def _bestanden(map_: Path) -> dict[str, str]:
    return {p.relative_to(map_).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(map_.rglob("*")) if p.is_file() and ".cache" not in p.parts and ".contractgen" not in p.parts}


def _build(runner, regio: Path, uit: Path, peildatum: str, *extra: str):
    result = runner.invoke(main, ["build", str(regio), "--uitvoer", str(uit), "--geen-pdf", "--peildatum", peildatum,
                                  *extra])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def mh(tmp_path: Path) -> Path:
    doel = tmp_path / "data" / "maastricht-heuvelland"
    shutil.copytree(DATA / "maastricht-heuvelland", doel)
    return doel


def test_maastricht_heuvelland_rolled_to_2019(runner, mh, tmp_path):
    voor = tmp_path / "voor"
    _build(runner, mh, voor, "2018-01-01")
    bron = _bestanden(mh)

    result = runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", "3,6"])
    assert result.exit_code == 0, result.output
    assert "tarieven/jeugd-2019.yaml — jeugd-2019: tarieven jeugd 2019, 3,6 % geïndexeerd uit jeugd-2018" in result.output
    # nothing of 2018 was touched: only new files
    na = _bestanden(mh)
    assert {k: v for k, v in na.items() if k in bron} == bron and len(na) == len(bron) + 20
    # written from the source file: every comment of the source is still there
    bron_jeugd = (DATA / "maastricht-heuvelland/tarieven/jeugd-2018.yaml").read_text(encoding="utf-8")
    jeugd_2019 = (mh / "tarieven/jeugd-2019.yaml").read_text(encoding="utf-8").splitlines()
    opmerkingen = [r for r in bron_jeugd.splitlines() if r.lstrip().startswith("#")]
    assert len(opmerkingen) > 10 and all(r in jeugd_2019 for r in opmerkingen)

    assert runner.invoke(main, ["validate", str(mh)]).exit_code == 0
    uit = tmp_path / "uit"
    _build(runner, mh, uit, "2019-01-01", "--concept")

    # every looptijd in every 2019 document says 2019
    map_2019 = uit / "maastricht-heuvelland" / "2019"
    teksten = {p: docx_tekst(p) for p in sorted(map_2019.rglob("*.docx"))}
    assert len(teksten) == 44
    for pad, tekst in teksten.items():
        for van, tot in re.findall(r"[Ll]ooptijd (?:van )?(\d\d-\d\d-\d{4}) t/m (\d\d-\d\d-\d{4})", tekst):
            assert (van, tot) == ("01-01-2019", "31-12-2019"), pad

    # bijlagen 1.1-1.3 (a: arrangementen, b: consultatie): every tariff is the 2018 tariff indexed by the rule
    sets = {"1.1": ["jeugd-2018.yaml"], "1.2": ["wmo-2018.yaml"], "1.3": ["bw-2018.yaml"]}
    uur_oud, uur_nieuw = _verwacht_2019(DATA / "maastricht-heuvelland/tarieven/uurtarieven-2018.yaml")
    gezien = 0
    for nummer, bestanden in sets.items():
        oud, nieuw = _verwacht_2019(DATA / "maastricht-heuvelland/tarieven" / bestanden[0])
        oud, nieuw = {**oud, **uur_oud}, {**nieuw, **uur_nieuw}
        documenten = [p for p in teksten if p.name.endswith(f"bijlage-{nummer}.docx")]
        assert documenten
        for pad in documenten:
            tekst = teksten[pad]
            getoond = {code: _bedrag(b) for b, code in BEDRAG_CODE.findall(tekst)}
            assert set(getoond) == set(nieuw), pad  # every productcode of the set and of 1.xb consultatie
            assert getoond == nieuw, pad
            assert not any(getoond[c] == oud[c] for c in oud), pad  # no 2018 tariff left
            assert "2018" not in " ".join(re.findall(r"[Ll]ooptijd[^\n]{0,40}", tekst))
            assert "CONCEPT — deze tarieven zijn nog niet vastgesteld." in tekst
            gezien += 1
    assert gezien >= 5

    # check lists each 2018 left in a 2019 text: every line of the new files with a bare 2018
    result = runner.invoke(main, ["check", str(mh), "--peildatum", "2019-01-01", "--formaat", "json"])
    assert result.exit_code == 0, result.output
    bevindingen = json.loads(result.output)["regio's"][0]["bevindingen"]
    gemeld = {(Path(b["bestand"]).name, b["regelnummer"]) for b in bevindingen
              if b["regel"] in ("jaar-vorige-looptijd", "datum-buiten-looptijd")}
    verwacht = set()
    for pad in sorted(mh.rglob("*-2019.yaml")):
        for n, regel in enumerate(pad.read_text(encoding="utf-8").splitlines(), start=1):
            inhoud = regel.split(" #")[0]
            # comments, the file's own fields and its version history are not contract text
            if regel.lstrip().startswith("#") or re.match(r"\s*(bron|looptijd|geldig_|versie|id|- \{versie):", inhoud):
                continue
            if re.search(r"(?<![-\d])2018(?![-\d])", inhoud):
                verwacht.add((pad.name, n))
    assert len(verwacht) >= 15
    assert verwacht <= gemeld, sorted(verwacht - gemeld)
    jaar = [b for b in bevindingen if b["regel"] == "jaar-vorige-looptijd"]
    assert any(b["plaats"].startswith("Bijlage 2.2") and "“In 2018 wordt met dezelfde tarieven gewerkt.”" in b["bericht"]
               for b in jaar)
    assert any(b["plaats"] == "DVO art. 24.2" for b in jaar)  # "in 2018" in DVO art. 24.2

    # the 2018 packages are byte-identical after the jaarwissel; a 2019 build twice gives the same bytes
    na_2018 = tmp_path / "na"
    _build(runner, mh, na_2018, "2018-01-01")
    assert _bestanden(na_2018) == _bestanden(voor)
    opnieuw = tmp_path / "opnieuw"
    _build(runner, mh, opnieuw, "2019-01-01", "--concept")
    assert _bestanden(opnieuw) == _bestanden(uit)


def test_noord_limburg_has_nothing_year_bound_and_keeps_building(runner, tmp_path):
    nl = tmp_path / "data" / "noord-limburg"
    shutil.copytree(DATA / "noord-limburg", nl)
    voor = tmp_path / "voor"
    _build(runner, nl, voor, "2022-01-01")
    bron = _bestanden(nl)
    result = runner.invoke(main, ["jaarwissel", str(nl), "2023", "--indexatie", "3,6"])
    assert result.exit_code == 0, result.output
    assert ("doorlopend (geen einddatum, geen nieuwe versie): basisdocument-werkafspraken, "
            "raamovereenkomst-structuur, werkafspraken-aanbieder") in result.output
    assert "niets jaargebonden dat op 31-12-2022 eindigt; er is niets geschreven" in result.output
    assert _bestanden(nl) == bron
    na = tmp_path / "na"
    _build(runner, nl, na, "2022-01-01")
    assert _bestanden(na) == _bestanden(voor)
    _build(runner, nl, tmp_path / "2023", "2023-01-01")


@pytest.mark.parametrize("args,melding", [
    (["2018"], "JAAR 2018 ligt niet na het huidige jaar 2018 van Regio Maastricht-Heuvelland "
               "(het pakket loopt tot 31-12-2018); geef 2019"),
    (["2021"], "een jaarwissel gaat één jaar vooruit: het huidige jaar van Regio Maastricht-Heuvelland is 2018, "
               "dus 2019 (niet 2021)"),
    (["2019", "--indexatie-per-domein", "jeugt=3,6"],
     "--indexatie-per-domein: onbekend domein 'jeugt' (bedoelde u 'Jeugd'?); de domeinen van Regio "
     "Maastricht-Heuvelland zijn: Jeugd, Wmo, Beschermd Wonen (bw)"),
    (["2019"], "--indexatie: geen indexatiepercentage voor bw-2018, jeugd-2018, uurtarieven-2018, wmo-2018; geef het "
               "percentage voor alle sets met --indexatie"),
    (["2019", "--indexatie-per-domein", "Jeugd=2", "--indexatie-per-domein", "Beschermd Wonen=2",
      "--indexatie-per-domein", "WMO=2"], "geen indexatiepercentage voor uurtarieven-2018;"),
    (["2019", "--indexatie", "3.6.1"], "--indexatie: '3.6.1' is geen percentage; verwacht een getal zoals 3,6 of 3.6"),
    (["2019", "--indexatie-per-domein", "jeugd"], "'jeugd' heeft niet de vorm DOMEIN=PERCENTAGE"),
    # the range (tester: -150 and -100 gave tariffs of € 0 and less): quoted as typed, the range named
    (["2019", "--indexatie", "-150"], "--indexatie: indexatie '-150' is niet toegestaan: een indexatie ligt tussen "
                                      "-50 en 100 procent (bijv. 3,6 of -1,5)"),
    (["2019", "--indexatie", "-100"], "--indexatie: indexatie '-100' is niet toegestaan: een indexatie ligt tussen "
                                      "-50 en 100 procent"),
    (["2019", "--indexatie", "-50,01"], "--indexatie: indexatie '-50,01' is niet toegestaan"),
    (["2019", "--indexatie", "100.5"], "--indexatie: indexatie '100.5' is niet toegestaan"),
    (["2019", "--indexatie", "2", "--indexatie-per-domein", "Jeugd=-150,5"],
     "--indexatie-per-domein Jeugd: indexatie '-150,5' is niet toegestaan: een indexatie ligt tussen -50 en 100"),
])
def test_bad_input_is_refused_and_nothing_is_written(runner, mh, args, melding):
    bron = _bestanden(mh)
    result = runner.invoke(main, ["jaarwissel", str(mh)] + args)
    assert result.exit_code == 1, result.output
    assert melding in result.output
    assert _bestanden(mh) == bron


@pytest.mark.parametrize("pct", ["-50", "100", "3.6", "3,6", "-1,5"])
def test_a_percentage_inside_the_range_is_accepted_dutch_or_not(runner, mh, pct):
    result = runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", pct, "--proef"])
    assert result.exit_code == 0, result.output
    assert f"{pct.replace('.', ',')} % geïndexeerd uit jeugd-2018" in result.output


def test_a_library_caller_gets_the_same_range(mh):
    """maak_plan with a Decimal (not text, as the CLI and the wizard give it) is held to the same range."""
    from contractgen.intake.jaarwissel import maak_plan
    from contractgen.intake.tarieven import IndexatieFout
    from contractgen.regels import load_valid

    data = load_valid(mh)[0]
    with pytest.raises(IndexatieFout) as fout:
        maak_plan(data, 2019, Decimal("-100"))
    assert fout.value.domein is None and "indexatie '-100' is niet toegestaan" in str(fout.value)
    with pytest.raises(IndexatieFout) as fout:
        maak_plan(data, 2019, Decimal("2"), {"bw": Decimal("-150")})
    assert fout.value.domein == "bw"
    assert "--indexatie-per-domein Beschermd Wonen: indexatie '-150' is niet toegestaan" in str(fout.value)


@pytest.mark.parametrize("args,melding", [
    (["--indexatie", "-50"], "--indexatie: tariefset wmo-2018: indexatie -50 % maakt 1 tarief/tarieven € 0 of minder: "
                             "21710: € 0,40 → € 0; kies een ander percentage of rond af op centen"),
    (["--indexatie", "2", "--indexatie-per-domein", "wmo=-50"],
     "--indexatie-per-domein Wmo: tariefset wmo-2018: indexatie -50 % maakt 1 tarief/tarieven € 0 of minder"),
])
def test_an_indexation_that_makes_a_tariff_zero_is_refused(runner, mh, args, melding):
    """Inside the range a small tariff can still round to € 0 (€ 0,40 at -50 % on whole euros): refused, named at
    the percentage that did it; on cents the same percentage gives € 0,20 and is written."""
    wmo = mh / "tarieven" / "wmo-2018.yaml"
    wmo.write_text(wmo.read_text(encoding="utf-8").replace('"21710", rij: "Hoog", kolom: "0 – 2", tarief: "378"',
                                                           '"21710", rij: "Hoog", kolom: "0 – 2", tarief: "0.40"'),
                   encoding="utf-8")
    bron = _bestanden(mh)
    result = runner.invoke(main, ["jaarwissel", str(mh), "2019", *args])
    assert result.exit_code == 1, result.output
    assert melding in result.output
    assert _bestanden(mh) == bron
    result = runner.invoke(main, ["jaarwissel", str(mh), "2019", *args, "--afronding", "cent"])
    assert result.exit_code == 0, result.output
    assert '"21710", rij: "Hoog", kolom: "0 – 2", tarief: "0.20"' in \
        (mh / "tarieven" / "wmo-2019.yaml").read_text(encoding="utf-8")


def test_a_region_already_rolled_is_refused(runner, mh):
    assert runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", "0"]).exit_code == 0
    bron = _bestanden(mh)
    result = runner.invoke(main, ["jaarwissel", str(mh), "2019"])
    assert result.exit_code == 1
    assert "Regio Maastricht-Heuvelland is al naar 2019 gezet: bijlage-1.1 versie 2019" in result.output
    assert "het volgende jaar is 2020" in result.output
    assert _bestanden(mh) == bron


def test_proef_writes_nothing(runner, mh):
    bron = _bestanden(mh)
    result = runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", "0", "--indexatie-per-domein",
                                  "Jeugd=2", "--proef"])
    assert result.exit_code == 0, result.output
    assert "zou schrijven: " in result.output and "jeugd-2019: tarieven jeugd 2019, 2 % geïndexeerd" in result.output
    assert "wmo-2019: tarieven wmo 2019, 0 % geïndexeerd" in result.output
    assert "20 bestand(en) voor 2019; niets geschreven (--proef)" in result.output
    assert _bestanden(mh) == bron


def test_no_set_in_force_for_a_looptijd_is_an_error_never_last_years_prices(runner, mh, tmp_path):
    """The reported defect: a 2019 bijlage with no 2019 Wmo set printed the 2018 Wmo prices."""
    assert runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", "3,6"]).exit_code == 0
    (mh / "tarieven" / "wmo-2019.yaml").unlink()
    (mh / "tarieven" / "uurtarieven-2019.yaml").unlink()
    result = runner.invoke(main, ["check", str(mh), "--peildatum", "2019-01-01", "--formaat", "json"])
    assert result.exit_code == 1
    bevindingen = [b for b in json.loads(result.output)["regio's"][0]["bevindingen"] if b["ernst"] == "fout"]
    assert [b["regel"] for b in bevindingen] == ["looptijd-tariefset"] * 4
    fouten = [(Path(b["bestand"]).name, b["regelnummer"], b["plaats"], b["bericht"]) for b in bevindingen]
    assert ("bijlage-1.2-2019.yaml", 40, "Bijlage 1.2",
            "bijlage-1.2 versie 2019, verwijzing naar 'wmo': geen tariefset van familie 'wmo' geldt voor 01-01-2019 "
            "t/m 31-12-2019; er zijn: wmo-2018 (01-01-2018 t/m 31-12-2018). Maak de set voor dit jaar (contractgen "
            "jaarwissel of tarieven indexeer)") in fouten
    # the shared 1.xb text names the familie; each document that inserts it is named
    assert any(f[:2] == ("bijlage-1.1-2019.yaml", 13) and f[3].startswith(
        "bijlage-1.1 versie 2019 (ingevoegd uit 'uurtarieven-clausules'): geen tariefset van familie 'uurtarieven' "
        "geldt voor 01-01-2019 t/m 31-12-2019") for f in fouten)
    uit = tmp_path / "uit"
    result = runner.invoke(main, ["build", str(mh), "--uitvoer", str(uit), "--geen-pdf", "--peildatum", "2019-01-01",
                                  "--concept"])
    assert result.exit_code == 1 and not (uit / "maastricht-heuvelland" / "2019").exists()
    assert "contractgen check meldt 4 fout(en) voor deze peildatum; er is niets gebouwd." in result.output
    # the error says how to repair it, and that command works on the data as it is
    for bron in ("wmo-2018", "uurtarieven-2018"):
        result = runner.invoke(main, ["tarieven", "indexeer", bron, "--regio", str(mh), "--percentage", "3,6"])
        assert result.exit_code == 0, result.output
    _build(runner, mh, uit, "2019-01-01", "--concept")
    tekst = docx_tekst(uit / "maastricht-heuvelland/2019/voorbeeld-wmo-compleet/02-bijlage-1.2.docx")
    assert "Looptijd 01-01-2019 t/m 31-12-2019" in tekst and "Tarief per uur: € 73" in tekst  # 70 × 1,036


def test_pinned_set_outside_its_year_is_an_error(runner, mini):
    bijlage = (mini / "documenten" / "prijsbijlage.yaml").read_text(encoding="utf-8")
    (mini / "documenten" / "prijsbijlage.yaml").write_text(bijlage.replace("{tarieven: jeugd}", "{tarieven: jeugd-2018}"),
                                                            encoding="utf-8")
    result = runner.invoke(main, ["check", str(mini)])
    assert result.exit_code == 0  # pinned and in its own year: a warning only
    assert "tarief-vast-jaar: 1 waarschuwing" in result.output
    assert ("verwijst naar tariefset 'jeugd-2018' met een vast jaar; verwijs naar de familie 'jeugd', dan kiest "
            "contractgen de set van het jaar") in result.output
    (mini / "documenten" / "prijsbijlage-2019.yaml").write_text(
        bijlage.replace("{tarieven: jeugd}", "{tarieven: jeugd-2018}").replace('versie: "2018"', 'versie: "2019"')
        .replace("2018-", "2019-"), encoding="utf-8")
    result = runner.invoke(main, ["check", str(mini), "--peildatum", "2019-01-01"])
    assert result.exit_code == 1
    assert ("verwijzing naar 'jeugd-2018': tariefset 'jeugd-2018' geldt van 01-01-2018 t/m 31-12-2018, niet voor "
            "01-01-2019 t/m 31-12-2019; verwijs naar de familie 'jeugd' zodat de set van het jaar wordt gekozen"
            ) in result.output


def test_a_sealed_set_cannot_change_silently(runner, mh, tmp_path):
    assert runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", "3,6"]).exit_code == 0
    result = runner.invoke(main, ["tarieven", "vaststellen", "jeugd-2019", "--regio", str(mh)])
    assert result.exit_code == 0, result.output
    assert "vastgesteld: jeugd-2019 (44 tarieven)" in result.output
    set_2019 = mh / "tarieven" / "jeugd-2019.yaml"
    tekst = set_2019.read_text(encoding="utf-8")
    assert 'status: "vastgesteld"' in tekst and "controlesom: " in tekst
    assert runner.invoke(main, ["validate", str(mh)]).exit_code == 0
    uit = tmp_path / "uit"
    _build(runner, mh, uit, "2019-01-01", "--concept")
    bijlage = docx_tekst(uit / "maastricht-heuvelland/2019/voorbeeld-jeugd-compleet/02-bijlage-1.1.docx")
    # 1.1a is adopted now; 1.1b (uurtarieven-2019) is still a concept and says so once
    assert bijlage.count("CONCEPT — deze tarieven zijn nog niet vastgesteld.") == 1

    set_2019.write_text(tekst.replace('tarief: "2176"', 'tarief: "2200"'), encoding="utf-8")
    gewijzigd = ("tariefset 'jeugd-2019' is vastgesteld en daarna gewijzigd: productcode 92100: € 2.176 → € 2.200. "
                 "Een vastgestelde set wijzigt niet; maak een nieuwe set (tarieven indexeer) of stel opnieuw vast met tarieven vaststellen --opnieuw. Deze set staat "
                 "in ")
    # issue 29: a check rule of the peildatum whose documents show the set, not a validate error of the region
    assert runner.invoke(main, ["validate", str(mh)]).exit_code == 0
    result = runner.invoke(main, ["check", str(mh), "--peildatum", "2019-01-01", "--controle", "tarieven-gewijzigd"])
    assert result.exit_code == 1
    assert "tarieven-gewijzigd: 1 fout\n  fout: tariefset jeugd-2019 (" in result.output
    assert f"jeugd-2019.yaml:10): {gewijzigd}bijlage-1.1 versie 2019\n" in result.output
    result = runner.invoke(main, ["check", str(mh), "--peildatum", "2018-01-01", "--controle", "tarieven-gewijzigd"])
    assert result.exit_code == 0, result.output
    assert "jeugd-2019" not in result.output and "0 fout(en)" in result.output
    # the 2018 build does not use the 2019 set: built; the 2019 build is refused, naming set, code and remedy
    uit_2018 = _build(runner, mh, tmp_path / "uit2", "2018-01-01")
    assert "jeugd-2019" not in uit_2018.output
    bijlage_2018 = docx_tekst(tmp_path / "uit2/maastricht-heuvelland/2018/voorbeeld-jeugd-compleet/02-bijlage-1.1.docx")
    assert "Arrangementtarieven 2018" in bijlage_2018 and "€ 2.100" in bijlage_2018 and "€ 2.200" not in bijlage_2018
    result = runner.invoke(main, ["build", str(mh), "--uitvoer", str(tmp_path / "uit2"), "--geen-pdf",
                                  "--peildatum", "2019-01-01", "--concept"])
    assert result.exit_code == 1
    assert f"jeugd-2019.yaml:10:1: controlesom: [tarieven-gewijzigd] {gewijzigd}bijlage-1.1 versie 2019" in result.output
    assert not (tmp_path / "uit2" / "maastricht-heuvelland" / "2019").exists()
    # no review accepts it (as when it was a validate error): not with `beoordeel`, not with an entry by hand
    result = runner.invoke(main, ["beoordeel", str(mh), "tarieven-gewijzigd", "tariefset jeugd-2019", "--peildatum",
                                  "2019-01-01", "--door", "M. de Jurist", "--reden", "bewust"])
    assert result.exit_code == 1 and "kan niet worden geaccepteerd" in result.output
    assert not (mh / "check-beoordeeld.yaml").exists()
    bevinding = check(load_valid(mh)[0], date(2019, 1, 1))
    bevinding = next(b for b in bevinding if b.regel == "tarieven-gewijzigd")
    (mh / "check-beoordeeld.yaml").write_text(
        "beoordeeld:\n  - {controle: tarieven-gewijzigd, plaats: 'tariefset jeugd-2019', vingerafdruk: "
        f"'{bevinding.vingerafdruk}', reden: bewust, door: M. de Jurist, datum: 2026-12-06}}\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(mh), "--uitvoer", str(tmp_path / "uit2"), "--geen-pdf",
                                  "--peildatum", "2019-01-01", "--concept"])
    assert result.exit_code == 1 and "[tarieven-gewijzigd]" in result.output
    (mh / "check-beoordeeld.yaml").unlink()
    result = runner.invoke(main, ["tarieven", "vaststellen", "jeugd-2019", "--regio", str(mh)])
    assert result.exit_code == 1 and "controlesom: tariefset 'jeugd-2019' is al vastgesteld" in result.output
    result = runner.invoke(main, ["tarieven", "vaststellen", "jeugd-2019", "--regio", str(mh), "--opnieuw"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["check", str(mh), "--peildatum", "2019-01-01", "--controle",
                                "tarieven-gewijzigd"]).exit_code == 0
    _build(runner, mh, tmp_path / "uit2", "2019-01-01", "--concept")
    assert "€ 2.200" in docx_tekst(tmp_path / "uit2/maastricht-heuvelland/2019/voorbeeld-jeugd-compleet/02-bijlage-1.1.docx")


def test_a_document_without_looptijd_gets_the_set_of_the_peildatum_or_an_error(runner, mini, tmp_path):
    bijlage = mini / "documenten" / "prijsbijlage.yaml"
    bijlage.write_text(bijlage.read_text(encoding="utf-8").replace("geldig_tot: 2018-12-31\n", "")
                       .replace("looptijd: {van: 2018-01-01, tot: 2018-12-31}\n", "")
                       .replace('  - alinea: "Looptijd [[looptijd.van]] t/m [[looptijd.tot]]"\n', ""),
                       encoding="utf-8")
    assert runner.invoke(main, ["validate", str(mini)]).exit_code == 0
    _build(runner, mini, tmp_path / "a", "2018-06-01")
    result = runner.invoke(main, ["build", str(mini), "--uitvoer", str(tmp_path / "b"), "--geen-pdf",
                                  "--peildatum", "2019-06-01"])
    assert result.exit_code == 1
    assert ("[looptijd-tariefset] prijsbijlage versie 2018, verwijzing naar 'jeugd': geen tariefset van familie 'jeugd' geldt voor "
            "01-06-2019; er zijn: jeugd-2018 (01-01-2018 t/m 31-12-2018)") in result.output
    assert "er is niets gebouwd" in result.output and not (tmp_path / "b").exists()


def test_the_jurist_sees_the_whole_year_in_one_diff(runner, mh, tmp_path):
    assert runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", "3,6"]).exit_code == 0
    result = runner.invoke(main, ["diff", f"{mh}@2018-06-01", f"{mh}@2019-06-01"])
    assert result.exit_code == 0, result.output
    uit = result.output
    for document in ("bijlage-1.1", "bijlage-1.2", "bijlage-1.3", "bijlage-2.1", "bijlage-2.2", "bijlage-3"):
        assert f"  gewijzigd  {document} — " in uit and "(versie 2018 → 2019)" in uit
    assert "  gewijzigd  tarieven jeugd (jeugd-2018 → jeugd-2019): 44 productcode(s) gewijzigd" in uit
    assert "  gewijzigd  tarieven uurtarieven (uurtarieven-2018 → uurtarieven-2019): 3 productcode(s) gewijzigd" in uit
    assert "€ 2.100 → € 2.176 (+3,6 %)" in uit
    assert "  gelijk     bijlage-6, bijlage-8, dvo, swo, swo-toelichting" in uit
    html = tmp_path / "jaar.html"
    result = runner.invoke(main, ["diff", f"{mh}@2018-06-01", f"{mh}@2019-06-01", "--formaat", "html",
                                  "--uitvoer", str(html)])
    assert result.exit_code == 0, result.output
    pagina = html.read_text(encoding="utf-8")
    assert "jeugd-2018 → jeugd-2019" in pagina and "bijlage-2.2" in pagina


def test_a_changed_text_under_the_same_versie_label_is_reported(runner, mini, tmp_path):
    uit = tmp_path / "uit"
    result = _build(runner, mini, uit, "2018-06-01")
    assert "let op" not in result.output
    bijlage = mini / "documenten" / "prijsbijlage.yaml"
    bijlage.write_text(bijlage.read_text(encoding="utf-8").replace("Naam opdrachtnemer:", "Naam van de opdrachtnemer:"),
                       encoding="utf-8")
    result = _build(runner, mini, uit, "2018-06-01")
    assert ("let op: prijsbijlage versie 2018: de tekst verschilt van de tekst die een eerdere bouw onder hetzelfde "
            "versielabel maakte (mini/2018/voorbeeld/manifest.json); geef de gewijzigde tekst een nieuw versielabel"
            ) in result.output
    # a new label is the fix
    bijlage.write_text(bijlage.read_text(encoding="utf-8").replace('versie: "2018"', 'versie: "2018.1"'),
                       encoding="utf-8")
    assert "let op" not in _build(runner, mini, uit, "2018-06-01").output


def test_a_set_made_before_the_jaarwissel_is_kept(runner, mh):
    result = runner.invoke(main, ["tarieven", "indexeer", "jeugd-2018", "--regio", str(mh), "--percentage", "2"])
    assert result.exit_code == 0, result.output
    eerder = (mh / "tarieven" / "jeugd-2019.yaml").read_bytes()
    result = runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", "3,6"])
    assert result.exit_code == 0, result.output
    assert "al aanwezig: jeugd-2019 (" in result.output and "status concept)" in result.output
    assert "19 bestand(en) voor 2019 geschreven" in result.output
    assert (mh / "tarieven" / "jeugd-2019.yaml").read_bytes() == eerder


def test_a_set_whose_looptijd_differs_from_the_document_is_reported(runner, mini):
    tarieven = mini / "tarieven" / "jeugd-2018.yaml"
    tarieven.write_text(tarieven.read_text(encoding="utf-8").replace("tot: 2018-12-31", "tot: 2019-06-30"),
                        encoding="utf-8")
    result = runner.invoke(main, ["check", str(mini)])
    assert result.exit_code == 0, result.output
    assert "looptijd-tariefset: 1 waarschuwing" in result.output
    assert ("het document toont looptijd 01-01-2018 t/m 31-12-2018, tariefset jeugd-2018 geldt van 01-01-2018 t/m "
            "30-06-2019") in result.output


def test_sets_of_one_familie_may_not_overlap(runner, mini):
    tarieven = mini / "tarieven"
    (tarieven / "jeugd-2018b.yaml").write_text(
        (tarieven / "jeugd-2018.yaml").read_text(encoding="utf-8").replace("id: jeugd-2018", "id: jeugd-2018b\n"
                                                                          "familie: jeugd")
        .replace("van: 2018-01-01", "van: 2018-07-01").replace("tot: 2018-12-31", "tot: 2019-06-30"),
        encoding="utf-8")
    result = runner.invoke(main, ["validate", str(mini)])
    assert result.exit_code == 1
    assert ("jeugd-2018b.yaml:4:1: looptijd: tariefset 'jeugd-2018b' overlapt met 'jeugd-2018' (01-01-2018 t/m "
            "31-12-2018) in familie 'jeugd'; welke set geldt is dan niet te bepalen") in result.output


def test_a_failed_write_leaves_no_new_file(runner, mh, monkeypatch):
    import os as os_module

    from contractgen.basis import transactie

    echt = os_module.replace
    teller = {"n": 0}

    def faalt_bij_de_vijfde(bron, doel):
        teller["n"] += 1
        if teller["n"] == 5:
            raise OSError(28, "No space left on device", str(doel))
        return echt(bron, doel)

    bron = _bestanden(mh)
    monkeypatch.setattr(transactie.os, "replace", faalt_bij_de_vijfde)  # the journal, then the renames
    result = runner.invoke(main, ["jaarwissel", str(mh), "2019", "--indexatie", "3,6"])
    assert result.exit_code == 1
    assert "schijf vol" in result.output
    assert _bestanden(mh) == bron  # no 2019 file, no temporary file
    assert not list((mh / ".contractgen").glob("werk-*")) and not (mh / ".contractgen/journaal.json").exists()


def test_a_peildatum_with_nothing_to_build_says_what_exists(runner, mh, tmp_path):
    result = runner.invoke(main, ["build", str(mh), "--uitvoer", str(tmp_path / "a"), "--geen-pdf",
                                  "--peildatum", "2021-01-01"])
    assert result.exit_code == 1
    assert ("--peildatum: op 01-01-2021 geldt geen enkel document van Regio Maastricht-Heuvelland; er is niets te "
            "bouwen. De documenten gelden: bijlage-1.1 01-01-2018 t/m 31-12-2018; ") in result.output
    assert "swo-toelichting 01-07-2014 t/m 09-10-2017, 10-10-2017 t/m 31-12-2018;" in result.output
    assert not (tmp_path / "a").exists()
    # several regions: one without documents on the date is named, the others are built
    result = runner.invoke(main, ["build", str(DATA), "--uitvoer", str(tmp_path / "b"), "--geen-pdf",
                                  "--peildatum", "2015-01-01"])
    assert result.exit_code == 0, result.output
    assert ("let op: contracts_data/noord-limburg/regio.yaml: --peildatum: op 01-01-2015 geldt geen enkel document "
            "van Regio Noord-Limburg; er is niets te bouwen. De documenten gelden: basisdocument-werkafspraken vanaf "
            "01-01-2022") in result.output.replace(str(DATA.parent) + "/", "")
    assert (tmp_path / "b" / "maastricht-heuvelland" / "2015").is_dir()


def test_a_copied_version_that_kept_its_label_is_refused(runner, mini):
    bijlage = (mini / "documenten" / "prijsbijlage.yaml").read_text(encoding="utf-8")
    (mini / "documenten" / "prijsbijlage-2019.yaml").write_text(bijlage.replace("2018-", "2019-"), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(mini)])
    assert result.exit_code == 1
    assert ("prijsbijlage-2019.yaml:6:1: versie: versie '2018' van 'prijsbijlage' staat ook in ") in result.output
    assert "een versielabel hoort bij één tekst: geef deze versie een eigen label" in result.output
