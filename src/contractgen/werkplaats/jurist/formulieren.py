"""The jurist's forms: Dutch labels and help, Utrecht classes, errors at the field (veld.html)."""

from __future__ import annotations

import re

from django import forms

from contractgen.werkplaats.velden import Tekstvak

SELECT = {"class": "utrecht-select utrecht-select--html-select"}
TEKST = {"class": "utrecht-textbox utrecht-textbox--html-input"}

STATUS = [("", "Te beoordelen (open en gewijzigd)"), ("open", "Open"), ("gewijzigd", "Gewijzigd sinds beoordeling"),
          ("beoordeeld", "Beoordeeld"), ("alle", "Alle")]
ERNST = [("", "Fouten en waarschuwingen"), ("fout", "Alleen fouten"), ("waarschuwing", "Alleen waarschuwingen")]


class FilterFormulier(forms.Form):
    jaar = forms.TypedChoiceField(label="Jaar", coerce=int, required=False, empty_value=None,
                                  widget=forms.Select(attrs=SELECT))
    controle = forms.ChoiceField(label="Controle", required=False, widget=forms.Select(attrs=SELECT))
    ernst = forms.ChoiceField(label="Ernst", required=False, choices=ERNST, widget=forms.Select(attrs=SELECT))
    document = forms.ChoiceField(label="Document", required=False, widget=forms.Select(attrs=SELECT))
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, jaren: list[int], controles: list[tuple[str, str]], documenten: list[tuple[str, str]],
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [(j, str(j)) for j in jaren]
        self.fields["controle"].choices = [("", "Alle controles"), *controles]
        self.fields["document"].choices = [("", "Alle documenten"), *documenten]


class AcceptatieFormulier(forms.Form):
    reden = forms.CharField(
        label="Reden", max_length=1000, strip=True,
        help_text="Waarom deze bevinding kan blijven zoals ze is, bijv. 'Staat zo in de getekende bron'. "
                  "Uw naam en de datum worden erbij vastgelegd.",
        widget=Tekstvak(attrs={"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}),
        error_messages={"required": "Vul de reden in waarom u deze bevinding accepteert."})

    def clean_reden(self) -> str:
        reden = " ".join(self.cleaned_data["reden"].split())
        if len(reden) < 5:
            raise forms.ValidationError("Schrijf een reden van minstens 5 tekens, zodat een collega haar later begrijpt.")
        return reden


class VoorrangFormulier(forms.Form):
    jaar = forms.TypedChoiceField(label="Jaar", coerce=int, required=False, empty_value=None,
                                  widget=forms.Select(attrs=SELECT))
    onderwerp = forms.CharField(
        label="Onderwerp", required=False, max_length=200,
        help_text="Een begrip, bedrag, termijn of ander woord, bijv. 'verzekering' of 'opzegtermijn'. "
                  "Leeg: de rangorde en alle onderwerpen.",
        widget=forms.TextInput(attrs={**TEKST, "list": "onderwerpen", "autocomplete": "off"}))

    def __init__(self, *args, jaren: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [(j, str(j)) for j in jaren]


class DatumInvoer(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(attrs=TEKST, format="%Y-%m-%d")


class VergelijkFormulier(forms.Form):
    oud = forms.DateField(label="Oud: de versies die gelden op", widget=DatumInvoer(),
                          error_messages={"required": "Kies de datum van de oude kant.",
                                          "invalid": "Vul een bestaande datum in, bijv. 01-01-2017."})
    nieuw = forms.DateField(label="Nieuw: de versies die gelden op", widget=DatumInvoer(),
                            error_messages={"required": "Kies de datum van de nieuwe kant.",
                                            "invalid": "Vul een bestaande datum in, bijv. 01-01-2018."})
    document = forms.ChoiceField(label="Document", required=False, widget=forms.Select(attrs=SELECT),
                                 help_text="Voor de Word-redline: één document.")

    def __init__(self, *args, documenten: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", "Alle documenten en tarieven"), *documenten]


VERSIE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


class WordFormulier(forms.Form):
    bestand = forms.FileField(
        label="Word-document (.docx)", help_text="Een document dat contractgen maakte, met uw wijzigingen "
        "(gewoon bewerkt of met bijgehouden wijzigingen). Ten hoogste 10 MB.",
        widget=forms.ClearableFileInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input",
                                               "accept": ".docx,application/vnd.openxmlformats-officedocument."
                                                         "wordprocessingml.document"}),
        error_messages={"required": "Kies het Word-document met uw wijzigingen.",
                        "empty": "Het bestand is leeg (0 bytes). Kies het Word-document (.docx) met uw wijzigingen."})
    versie = forms.CharField(label="Versie", max_length=40, help_text="Het label van de nieuwe versie, bijv. 2018-b.",
                             widget=forms.TextInput(attrs=TEKST),
                             error_messages={"required": "Vul het label van de nieuwe versie in, bijv. 2018-b."})
    geldig_van = forms.DateField(label="Geldig van", widget=DatumInvoer(),
                                 help_text="Vanaf wanneer de nieuwe versie geldt; de oude eindigt de dag ervoor.",
                                 error_messages={"required": "Vul in vanaf wanneer de nieuwe versie geldt.",
                                                 "invalid": "Vul een bestaande datum in, bijv. 01-07-2018."})

    def clean_versie(self) -> str:
        versie = self.cleaned_data["versie"].strip()
        if not VERSIE.match(versie):
            raise forms.ValidationError(f"'{versie}' kan geen versielabel zijn: gebruik letters, cijfers, punt, "
                                        "streepje of liggend streepje, bijv. 2018-b.")
        return versie
