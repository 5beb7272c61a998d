"""One aanbieder edited field by field and one tariff corrected (the library functions behind the workplace's
forms): round trip keeps comments, the rules of the YAML refuse, a second save of an old version is refused,
a sealed set is refused in the words of `validate`."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from contractgen.basis.transactie import Auteur, GelijktijdigGewijzigd, sha256_van
from contractgen.intake.aanbieder_bewerken import AanbiederFout, bewerk_aanbieder
from contractgen.intake.tariefcorrectie import TariefFout, corrigeer_tarief
from contractgen.intake.tarieven import vaststellen
from contractgen.laden.regio import load_dataset
from contractgen.rapporten.bouwcontrole import vaststelcontrole

ROOT = Path(__file__).resolve().parents[1]
JEUGD = "voorbeeld-jeugd-compleet"


@pytest.fixture
def regio(tmp_path) -> Path:
    shutil.copytree(ROOT / "contracts_data" / "maastricht-heuvelland", tmp_path / "maastricht-heuvelland")
    return tmp_path / "maastricht-heuvelland"


def _data(regio: Path):
    return load_dataset(regio)[0][0]


def test_wijziging_houdt_opmerkingen_en_raakt_alleen_het_veld(regio):
    pad = regio / "aanbieders" / f"{JEUGD}.yaml"
    oud = pad.read_text(encoding="utf-8").splitlines()
    gewijzigd, _, tx = bewerk_aanbieder(_data(regio), JEUGD, {("contactpersoon", "telefoon"): "043-7654321"},
                                        sha256_van(pad), omschrijving="Contactpersoon: telefoon",
                                        auteur=Auteur("Ineke Inkoop", "inkoop@mh.example"), git=True)
    assert gewijzigd == [("contactpersoon", "telefoon")] and tx is not None and tx.commit
    nieuw = pad.read_text(encoding="utf-8").splitlines()
    verschil = [(a, b) for a, b in zip(oud, nieuw) if a != b]
    assert len(oud) == len(nieuw) and len(verschil) == 1 and "043-7654321" in verschil[0][1]
    assert nieuw[0].startswith("# FICTIEF VOORBEELD")  # the comment stays
    log = subprocess.run(["git", "log", "-1", "--format=%an|%ae|%s"], cwd=regio.parent, capture_output=True,
                         text=True).stdout.strip()
    assert log == ("Ineke Inkoop|inkoop@mh.example|Aanbieder Voorbeeld Jeugdhulp Zuid B.V. bijgewerkt in de "
                   "werkplaats: Contactpersoon: telefoon")


def test_nvt_regel_en_motivatie_weigeren_met_het_veld(regio):
    pad = regio / "aanbieders" / f"{JEUGD}.yaml"
    voor = pad.read_bytes()
    with pytest.raises(AanbiederFout) as fout:
        bewerk_aanbieder(_data(regio), JEUGD, {("kwaliteitseisen", "F1", "antwoord"): "NVT",
                                              ("kwaliteitseisen", "A1", "antwoord"): "Nee"}, sha256_van(pad))
    per_pad = {p.pad: p.bericht for p in fout.value.problemen}
    assert "uitsluitend Wmo-zorg" in per_pad["kwaliteitseisen.F1.antwoord"]
    assert "moet worden gemotiveerd" in per_pad["kwaliteitseisen.A1"]
    assert pad.read_bytes() == voor


def test_model_weigert_kvk_zoals_getypt(regio):
    pad = regio / "aanbieders" / f"{JEUGD}.yaml"
    with pytest.raises(AanbiederFout) as fout:
        bewerk_aanbieder(_data(regio), JEUGD, {("kvk",): "1234"}, sha256_van(pad))
    assert [(p.pad, p.bericht) for p in fout.value.problemen] == [
        ("kvk", "ongeldig KvK-nummer '1234'; verwacht precies 8 cijfers")]


def test_bedrag_zoals_de_intake_het_leest(regio):
    """The form accepts what the intake workbook accepts: 2.100.000 and 1.250.000,50 (one reader for both)."""
    pad = regio / "aanbieders" / f"{JEUGD}.yaml"
    bewerk_aanbieder(_data(regio), JEUGD, {("omzet_verwacht",): "2.100.000"}, sha256_van(pad))
    assert _data(regio).aanbieder(JEUGD).omzet_verwacht == Decimal("2100000")
    bewerk_aanbieder(_data(regio), JEUGD, {("omzet_verwacht",): "€ 1.250.000,50"}, sha256_van(pad))
    assert _data(regio).aanbieder(JEUGD).omzet_verwacht == Decimal("1250000.50")
    voor = pad.read_bytes()
    with pytest.raises(AanbiederFout) as fout:
        bewerk_aanbieder(_data(regio), JEUGD, {("omzet_verwacht",): "ca. 80.000"}, sha256_van(pad))
    assert [(p.pad, p.bericht) for p in fout.value.problemen] == [
        ("omzet_verwacht", "ongeldig bedrag 'ca. 80.000'; verwacht een bedrag in euro's zoals 80000, 80.000, "
                           "80.000,50 of € 80.000 (een punt tussen de duizendtallen, een komma voor de centen; "
                           "zonder 'ca.' of andere woorden)")]
    assert pad.read_bytes() == voor


def test_alle_fouten_van_het_formulier_in_een_keer(regio):
    """A field the model refuses does not hide what the rules of bijlage 3 say about the other fields."""
    pad = regio / "aanbieders" / f"{JEUGD}.yaml"
    voor = pad.read_bytes()
    with pytest.raises(AanbiederFout) as fout:
        bewerk_aanbieder(_data(regio), JEUGD, {("kvk",): "1234", ("omzet_verwacht",): "veel",
                                              ("kwaliteitseisen", "F1", "antwoord"): "NVT"}, sha256_van(pad))
    per_pad = {p.pad: p.bericht for p in fout.value.problemen}
    assert per_pad["kvk"] == "ongeldig KvK-nummer '1234'; verwacht precies 8 cijfers"
    assert per_pad["omzet_verwacht"].startswith("ongeldig bedrag 'veel'")
    assert "uitsluitend Wmo-zorg" in per_pad["kwaliteitseisen.F1.antwoord"]
    assert len(fout.value.problemen) == 3 or "kwaliteitseisen.F1" in per_pad  # a missing motivation may be named too
    assert pad.read_bytes() == voor


def test_tweede_opslag_van_een_oude_versie_wordt_geweigerd(regio):
    pad = regio / "aanbieders" / f"{JEUGD}.yaml"
    gezien = sha256_van(pad)
    bewerk_aanbieder(_data(regio), JEUGD, {("personen",): 181}, gezien,
                     auteur=Auteur("Eerste", "eerste@mh.example"), git=True)
    na_eerste = pad.read_bytes()
    with pytest.raises(GelijktijdigGewijzigd) as fout:
        bewerk_aanbieder(_data(regio), JEUGD, {("agb",): "98000099"}, gezien,
                         auteur=Auteur("Tweede", "tweede@mh.example"), git=True)
    assert "intussen gewijzigd door Eerste <eerste@mh.example>" in str(fout.value)
    assert pad.read_bytes() == na_eerste


def test_tarief_corrigeren_en_verzegelde_set_weigert(regio):
    pad = regio / "tarieven" / "bw-2018.yaml"
    oud, nieuw, _, afgeleid = corrigeer_tarief(_data(regio), "bw-2018", "19550", "640,50", sha256_van(pad))
    assert (str(oud), str(nieuw)) == ("637", "640.50") and afgeleid == []  # no tariff is derived from 19550
    assert 'tarief: "640.50"' in pad.read_text(encoding="utf-8")
    with pytest.raises(TariefFout) as fout:
        corrigeer_tarief(_data(regio), "bw-2018", "19550", "€ 2.100", sha256_van(pad))
    assert "ongeldig bedrag '2.100'" in str(fout.value)
    vaststellen(_data(regio), "bw-2018", date(2026, 12, 6), controle=vaststelcontrole)
    verzegeld = pad.read_bytes()
    with pytest.raises(TariefFout) as fout:
        corrigeer_tarief(_data(regio), "bw-2018", "19550", "700", sha256_van(pad))
    assert "tariefset 'bw-2018' is vastgesteld en daarna gewijzigd: productcode 19550: € 640,50 → € 700" in \
        str(fout.value)
    assert pad.read_bytes() == verzegeld
    with pytest.raises(TariefFout, match="heeft geen productcode '99999'"):
        corrigeer_tarief(_data(regio), "bw-2018", "99999", "1", sha256_van(pad))
