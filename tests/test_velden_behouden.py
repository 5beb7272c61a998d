"""Edits around inline fields keep the field; an edit inside a field's text is reported (issue 19)."""

from __future__ import annotations

import pytest

from contractgen.intake.velden_behouden import VeldBewerking, pas_toe

WAARDEN = {"[[looptijd.van|lang]]": "1 januari 2015", "[[ref:dvo:art-5.1]]": "5.1",
           "[[aanbieder.naam]]": "Zorg & Co", "[[aanbieder.agb]]": ""}
BRON = "Deze DVO met [[aanbieder.naam]] gaat in op [[looptijd.van|lang]], zie artikel [[ref:dvo:art-5.1]].[[aanbieder.agb]]"


def vul_in(veld: str) -> str:
    return WAARDEN[veld]


@pytest.mark.parametrize("nieuw, verwacht", [
    ("Deze DVO met Zorg & Co gaat in op 1 januari 2015, zie artikel 5.1.", BRON),
    ("Deze overeenkomst met Zorg & Co gaat pas in op 1 januari 2015, zie ook artikel 5.1!",
     "Deze overeenkomst met [[aanbieder.naam]] gaat pas in op [[looptijd.van|lang]], zie ook artikel "
     "[[ref:dvo:art-5.1]]![[aanbieder.agb]]"),
    ("Deze DVO met Zorg & Co gaat in op 1 januari 2015.",  # the reference deleted with its words
     "Deze DVO met [[aanbieder.naam]] gaat in op [[looptijd.van|lang]].[[aanbieder.agb]]"),
])
def test_fields_are_kept_around_edits(nieuw: str, verwacht: str):
    assert pas_toe(BRON, nieuw, vul_in) == (verwacht, [])


def test_an_edit_inside_a_field_is_reported_and_not_applied():
    bron, bewerkingen = pas_toe(BRON, "Deze DVO met Zorg & Co gaat in op 1 januari 2016, zie artikel 5.1.", vul_in)
    assert bron == BRON
    assert bewerkingen == [VeldBewerking("[[looptijd.van|lang]]", "1 januari 2015", "1 januari 2016")]
    _, bewerkingen = pas_toe(BRON, "Deze DVO met Zorg en Co gaat in op 1 januari 2015, zie artikel 5.1.", vul_in)
    assert [b.veld for b in bewerkingen] == ["[[aanbieder.naam]]"]


def test_render_no_break_spaces_are_undone_but_typed_ones_stay():
    from contractgen.intake.word_toepassing import gewone_spaties

    # render writes "artikel\u00a022" and "€\u00a025.000"; a jurist's own no-break space ("10\u00a0%") stays
    assert gewone_spaties("zie artikel\u00a022, boete €\u00a025.000 of 10\u00a0%") == "zie artikel 22, boete € 25.000 of 10\u00a0%"
