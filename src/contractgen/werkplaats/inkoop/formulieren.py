"""The inkoopteam's forms. They only collect what was typed: every check is the library's (the model and
the rules of the YAML), whose message is put at the field it is about (`fout_bij_veld`)."""

from __future__ import annotations

from django import forms

from contractgen.werkplaats.velden import Tekstvak

from contractgen.domein.model import Eis

TEKST = {"class": "utrecht-textbox utrecht-textbox--html-input"}
SMAL = {"class": "utrecht-textbox utrecht-textbox--html-input wp-smal"}
KEUZE = {"class": "utrecht-select utrecht-select--html-select"}
VAK = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 2}


class Formulier(forms.Form):
    """A form whose error summary counts the fields with an error (not the form-wide ones)."""

    @property
    def velden_met_fout(self) -> list[str]:
        return [naam for naam in self.errors if naam != forms.forms.NON_FIELD_ERRORS]

    @property
    def foutenlijst(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) of every field error, for the summary that links to each field."""
        return [(self[naam].id_for_label, str(self[naam].label), str(e))
                for naam in self.velden_met_fout for e in self.errors[naam]]


class IntakeFormulier(Formulier):
    bestand = forms.FileField(label="Intake-bestand", required=False,
                              help_text="De ingevulde intake-werkmap (.xlsx) of een CSV-bestand, hoogstens 10 MB.",
                              widget=forms.ClearableFileInput(attrs={"class": "utrecht-textbox", "accept":
                                                                     ".xlsx,.csv,.txt"}))
    bijwerken = forms.BooleanField(label="Bestaande aanbieders bijwerken", required=False,
                                   help_text="Gevulde cellen vervangen de gegevens van een aanbieder die er al is.",
                                   widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}))


# (form field, YAML path, label, help)
GEGEVENS: list[tuple[str, tuple[str, ...], str, str]] = [
    ("naam", ("naam",), "Naam", "De naam zoals die in het contract komt."),
    ("kvk", ("kvk",), "KvK-nummer", "Acht cijfers."),
    ("agb", ("agb",), "AGB-code", "Acht cijfers."),
    ("vestigingsadres__straat", ("vestigingsadres", "straat"), "Vestigingsadres: straat en huisnummer", ""),
    ("vestigingsadres__postcode", ("vestigingsadres", "postcode"), "Vestigingsadres: postcode", "Bijvoorbeeld 6211 AA."),
    ("vestigingsadres__plaats", ("vestigingsadres", "plaats"), "Vestigingsadres: plaats", ""),
    ("vertegenwoordiger__naam", ("vertegenwoordiger", "naam"), "Vertegenwoordiger: naam",
     "Wie tekent; komt in de handtekeningenblokken."),
    ("vertegenwoordiger__functie", ("vertegenwoordiger", "functie"), "Vertegenwoordiger: functie", ""),
    ("contactpersoon__naam", ("contactpersoon", "naam"), "Contactpersoon: naam", "Eis H6."),
    ("contactpersoon__functie", ("contactpersoon", "functie"), "Contactpersoon: functie", ""),
    ("contactpersoon__email", ("contactpersoon", "email"), "Contactpersoon: e-mailadres", ""),
    ("contactpersoon__telefoon", ("contactpersoon", "telefoon"), "Contactpersoon: telefoon", ""),
    ("vervanger__naam", ("vervanger", "naam"), "Vervanger: naam", "Eis H6."),
    ("vervanger__functie", ("vervanger", "functie"), "Vervanger: functie", ""),
    ("vervanger__email", ("vervanger", "email"), "Vervanger: e-mailadres", ""),
    ("vervanger__telefoon", ("vervanger", "telefoon"), "Vervanger: telefoon", ""),
    ("personen", ("personen",), "Aantal personen dat zorg verleent",
     "Ingehuurde krachten meegeteld (eis A1: NVT mag bij hoogstens 5)."),
    ("omzet_verwacht", ("omzet_verwacht",), "Verwachte omzet in euro",
     "Bijvoorbeeld 2.100.000 of 2.100.000,50 (DVO artikel 24.2: social return boven de drempel)."),
]
ANTWOORDEN = [("", "(geen antwoord)"), ("Ja", "Ja"), ("Nee", "Nee"), ("NVT", "NVT")]
VERBLIJF = [("", "Volgt uit de arrangementen"), ("ja", "Ja"), ("nee", "Nee")]


def eis_veld(eis_id: str, soort: str) -> str:
    return f"{soort}__{eis_id}"


class AanbiederFormulier(Formulier):
    """Details and the answers to the kwaliteitseisen (A–H) of one aanbieder."""

    versie = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, eisen: list[Eis], **kwargs):
        super().__init__(*args, **kwargs)
        self.eisen = eisen
        for naam, _, label, uitleg in GEGEVENS:
            self.fields[naam] = forms.CharField(label=label, help_text=uitleg, required=False, max_length=2000,
                                                strip=True, widget=forms.TextInput(attrs=TEKST))
        self.fields["zzp"] = forms.BooleanField(label="ZZP'er", required=False, help_text="Eis C1: NVT alleen voor een ZZP'er.",
                                                widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}))
        self.fields["verblijf"] = forms.ChoiceField(label="Biedt verblijf of crisis verblijf", choices=VERBLIJF, required=False,
                                                    help_text="Eisen E4 en E5.", widget=forms.Select(attrs=KEUZE))
        for eis in eisen:
            self.fields[eis_veld(eis.id, "antwoord")] = forms.ChoiceField(
                label=f"Eis {eis.nr}: antwoord", choices=ANTWOORDEN, required=False, widget=forms.Select(attrs=KEUZE))
            self.fields[eis_veld(eis.id, "motivatie")] = forms.CharField(
                label=f"Eis {eis.nr}: motivatie", required=False, max_length=5000, strip=True,
                help_text="Nodig bij Nee en NVT; komt in de motivatietabel.", widget=Tekstvak(attrs=VAK))

    def gegevens(self) -> list:
        return [self[naam] for naam, _, _, _ in GEGEVENS] + [self["zzp"], self["verblijf"]]

    def eis_velden(self) -> list:
        """(letter, [(eis, antwoord, motivatie)]) per group A–H; each field as a plain dict (id, name, label,
        value, errors) that the template writes as HTML itself: ~120 Django widgets took 300 ms to render."""
        groepen: dict[str, list] = {}
        for eis in self.eisen:
            velden = []
            for soort in ("antwoord", "motivatie"):
                veld = self[eis_veld(eis.id, soort)]
                waarde = veld.value() or ""
                velden.append({"id": veld.id_for_label, "naam": veld.html_name, "label": veld.label,
                               "waarde": waarde, "fouten": veld.errors, "uitleg": veld.help_text,
                               "keuzes": [(k, t, k == waarde) for k, t in ANTWOORDEN] if soort == "antwoord" else []})
            groepen.setdefault(eis.nr[:1].upper(), []).append((eis, *velden))
        return sorted(groepen.items())


def veld_voor_pad(pad: str, formulier: forms.Form) -> str | None:
    """The form field a library problem is about: 'kwaliteitseisen.E7.antwoord' → 'antwoord__E7',
    'kwaliteitseisen.E7' (a missing motivation) → 'motivatie__E7', 'contactpersoon.email' → its field."""
    delen = pad.split(".") if pad else []
    if delen[:1] == ["kwaliteitseisen"] and len(delen) >= 2:
        soort = "antwoord" if delen[2:3] == ["antwoord"] else "motivatie"
        naam = eis_veld(delen[1], soort)
        return naam if naam in formulier.fields else None
    for n in range(len(delen), 0, -1):
        naam = "__".join(delen[:n])
        if naam in formulier.fields:
            return naam
        eerste = next((v for v, p, _, _ in GEGEVENS if p[:n] == tuple(delen[:n])), None)
        if eerste:
            return eerste
    return None


class JaarwisselFormulier(Formulier):
    """Open the next year: one percentage for every tariff set, or one per domein (by its name)."""

    indexatie = forms.CharField(label="Indexatie voor alle tariefsets (%)", required=False, max_length=20,
                                help_text="Bijvoorbeeld 3,6. Geen indexatie is ook een keuze: typ dan 0.",
                                widget=forms.TextInput(attrs=SMAL))
    afronding = forms.ChoiceField(label="Afronding", choices=[("euro", "Op hele euro's"), ("cent", "Op centen")],
                                  initial="euro", widget=forms.Select(attrs=KEUZE))

    def __init__(self, *args, domeinen, **kwargs):
        super().__init__(*args, **kwargs)
        self.domeinen = list(domeinen)
        for d in self.domeinen:
            self.fields[f"domein__{d.id}"] = forms.CharField(
                label=f"Indexatie {d.naam} (%)", required=False, max_length=20, widget=forms.TextInput(attrs=SMAL),
                help_text=f"Alleen invullen als {d.naam} een ander percentage krijgt dan de rest.")

    def domein_velden(self) -> list:
        return [self[f"domein__{d.id}"] for d in self.domeinen]


class TariefFormulier(Formulier):
    code = forms.ChoiceField(label="Tarief", widget=forms.Select(attrs=KEUZE))
    bedrag = forms.CharField(label="Nieuw bedrag in euro", max_length=30, help_text="Bijvoorbeeld 2100 of 16,50.",
                             widget=forms.TextInput(attrs=SMAL))
    versie = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, keuzes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = keuzes


__all__ = ["AanbiederFormulier", "GEGEVENS", "IntakeFormulier", "JaarwisselFormulier",
           "TariefFormulier", "eis_veld", "veld_voor_pad"]
