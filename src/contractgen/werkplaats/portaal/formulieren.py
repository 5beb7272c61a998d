"""The forms of the portal: the answers (kwaliteitseisen, contact and KvK), the invitation, the uploads."""

from __future__ import annotations

import logging
import threading

from django import forms

from contractgen.werkplaats.velden import Tekstvak
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm

from contractgen.werkplaats.portaal import brieven
from contractgen.werkplaats.portaal.vragen import Groep

TEKSTVAK = {"class": "utrecht-textbox utrecht-textbox--html-input"}
ANTWOORDEN = [("Ja", "Ja"), ("Nee", "Nee"), ("NVT", "NVT")]


class AntwoordFormulier(forms.Form):
    """Contact and KvK details and one answer (+ motivation) per eis; the rules are the library's."""

    kvk = forms.CharField(label="KvK-nummer", max_length=20, required=False,
                          widget=forms.TextInput(attrs={**TEKSTVAK, "inputmode": "numeric", "autocomplete": "off"}))
    contact_naam = forms.CharField(label="Naam contactpersoon", max_length=200, required=False,
                                   widget=forms.TextInput(attrs={**TEKSTVAK, "autocomplete": "name"}))
    contact_functie = forms.CharField(label="Functie contactpersoon", max_length=200, required=False,
                                      widget=forms.TextInput(attrs={**TEKSTVAK, "autocomplete": "organization-title"}))
    contact_email = forms.CharField(label="E-mailadres contactpersoon", max_length=254, required=False,
                                    widget=forms.EmailInput(attrs={**TEKSTVAK, "autocomplete": "email"}))
    contact_telefoon = forms.CharField(label="Telefoon contactpersoon", max_length=40, required=False,
                                       widget=forms.TextInput(attrs={**TEKSTVAK, "autocomplete": "tel",
                                                                     "inputmode": "tel"}))

    def __init__(self, *args, groepen: list[Groep], **kwargs):
        super().__init__(*args, **kwargs)
        self.groepen = groepen
        for groep in groepen:
            for v in groep.vragen:
                keuzes = ANTWOORDEN if v.nvt else ANTWOORDEN[:2]
                self.fields[f"antwoord_{v.id}"] = forms.ChoiceField(choices=keuzes, required=False,
                                                                   label=f"Antwoord bij eis {v.nr}")
                self.fields[f"motivatie_{v.id}"] = forms.CharField(
                    required=False, max_length=4000, label=f"Motivatie bij eis {v.nr}",
                    widget=Tekstvak(attrs={"class": "utrecht-textarea utrecht-textarea--html-textarea",
                                                 "rows": 2}))

    def eis_ids(self) -> list[str]:
        return [v.id for g in self.groepen for v in g.vragen]

    def vereis_volledig(self) -> bool:
        """For submitting: every eis answered (a draft may be incomplete)."""
        for g in self.groepen:
            for v in g.vragen:
                if not self.cleaned_data.get(f"antwoord_{v.id}"):
                    self.add_error(f"antwoord_{v.id}", f"Kies Ja, Nee{' of NVT' if v.nvt else ''} bij eis {v.nr}.")
        return not self.errors

    def rijen(self) -> list[dict]:
        """Per group: its title and per eis the question and its two bound fields (for the template)."""
        return [{"titel": g.titel, "vragen": [{"vraag": v, "antwoord": self[f"antwoord_{v.id}"],
                                              "motivatie": self[f"motivatie_{v.id}"]} for v in g.vragen]}
                for g in self.groepen]


class UitnodigFormulier(forms.Form):
    email = forms.EmailField(label="E-mailadres", max_length=254,
                             widget=forms.EmailInput(attrs={**TEKSTVAK, "autocomplete": "off"}))
    naam = forms.CharField(label="Naam", max_length=150, required=False, widget=forms.TextInput(attrs=TEKSTVAK))
    aanbieder = forms.ChoiceField(label="Aanbieder", choices=[],
                                  widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}))

    def __init__(self, *args, aanbieders: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aanbieder"].choices = aanbieders
        for naam in ("email", "naam", "aanbieder"):
            self.fields[naam].widget.attrs["id"] = f"uitnodig_{naam}"


class PdfFormulier(forms.Form):
    # an empty file reaches `ontvangst.neem_in`, which refuses it with its reason like every other bad file
    pakket = forms.FileField(label="Ondertekend contractpakket.pdf", allow_empty_file=True,
                             widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf",
                                                                    "class": "utrecht-textbox wp-bestand"}))


class WachtwoordVergetenFormulier(PasswordResetForm):
    """Django's reset form; the letter is ours (link from CONTRACTGEN_ADRES), and the page says the
    same whether or not the address has an account."""

    email = forms.EmailField(label="E-mailadres", max_length=254,
                             widget=forms.EmailInput(attrs={**TEKSTVAK, "autocomplete": "email"}))

    def save(self, *args, **kwargs) -> None:
        # sent beside the request, so the answer takes as long whether or not the address has an account
        # (a mail server's seconds would otherwise tell)
        gebruikers = list(self.get_users(self.cleaned_data["email"].strip().lower()))
        if gebruikers:
            threading.Thread(target=_stuur_wachtwoordbrieven, args=(gebruikers,), daemon=True).start()


def _stuur_wachtwoordbrieven(gebruikers: list) -> None:
    for gebruiker in gebruikers:
        try:
            brieven.wachtwoord_vergeten(gebruiker)
        except Exception:  # noqa: BLE001 - nobody waits for this thread: the log says what failed
            logging.getLogger("contractgen.werkplaats").exception("wachtwoordbrief aan %s niet verstuurd", gebruiker.pk)


class WachtwoordInstellenFormulier(SetPasswordForm):
    new_password1 = forms.CharField(label="Nieuw wachtwoord", strip=False,
                                    help_text="Minstens 12 tekens; niet alleen cijfers en niet te gewoon.",
                                    widget=forms.PasswordInput(attrs={**TEKSTVAK, "autocomplete": "new-password"}))
    new_password2 = forms.CharField(label="Nieuw wachtwoord nog een keer", strip=False,
                                    widget=forms.PasswordInput(attrs={**TEKSTVAK, "autocomplete": "new-password"}))

