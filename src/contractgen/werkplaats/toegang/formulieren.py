from django import forms
from django.contrib.auth.forms import AuthenticationForm


class InlogFormulier(AuthenticationForm):
    """Django's login form with the field's words: the e-mail address is the user name."""

    username = forms.CharField(label="E-mailadres", max_length=254,
                               widget=forms.EmailInput(attrs={"autocomplete": "email",
                                                              "class": "utrecht-textbox utrecht-textbox--html-input"}))
    password = forms.CharField(label="Wachtwoord", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                                                 "class": "utrecht-textbox utrecht-textbox--html-input"}))
    error_messages = {
        "invalid_login": "Het e-mailadres of het wachtwoord klopt niet. Let op hoofdletters in het wachtwoord.",
        "inactive": "Dit account is uitgeschakeld. Vraag de beheerder om het weer aan te zetten.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
