"""The letters of the portal: invitation, password reset and reminder, Dutch, plain text and HTML.

Sent through Django's e-mail framework (SMTP settings CONTRACTGEN_SMTP_*). Links are made from
CONTRACTGEN_ADRES, never from the request's Host header (a forged Host would otherwise put an
attacker's address in a password link). The one-time link is Django's password reset token
(`default_token_generator`): valid PASSWORD_RESET_TIMEOUT seconds, and void as soon as the
password is set (the token hashes the password and the last login).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def adres(pad: str) -> str:
    return settings.ADRES.rstrip("/") + pad


def wachtwoord_link(gebruiker) -> str:
    """The one-time link to set a password (Django's PasswordResetConfirmView)."""
    uid = urlsafe_base64_encode(force_bytes(gebruiker.pk))
    return adres(reverse("portaal:wachtwoord_instellen", kwargs={"uidb64": uid,
                                                                 "token": default_token_generator.make_token(gebruiker)}))


def geldig_uren() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


def stuur(sjabloon: str, onderwerp: str, aan: list[str], context: dict) -> None:
    """One letter from `werkplaats/portaal/brief_<sjabloon>.txt` and `.html` to the addresses in `aan`."""
    context = {**context, "inloggen": adres(reverse("inloggen")), "geldig_uren": geldig_uren()}
    tekst = render_to_string(f"werkplaats/portaal/brief_{sjabloon}.txt", context)
    html = render_to_string(f"werkplaats/portaal/brief_{sjabloon}.html", context)
    brief = EmailMultiAlternatives(onderwerp, tekst, settings.DEFAULT_FROM_EMAIL, aan)
    brief.attach_alternative(html, "text/html")
    brief.send()


def uitnodiging(gebruiker, aanbieder_naam: str, regio_naam: str) -> None:
    """The invitation: a link to set a password, or (an account that has one) a note of the new access."""
    link = wachtwoord_link(gebruiker) if not gebruiker.has_usable_password() else ""
    stuur("uitnodiging", f"Uitnodiging: contracten {regio_naam} voor {aanbieder_naam}", [gebruiker.email],
          {"naam": gebruiker.first_name, "aanbieder": aanbieder_naam, "regio": regio_naam, "link": link})


def wachtwoord_vergeten(gebruiker) -> None:
    stuur("wachtwoord", "Nieuw wachtwoord instellen voor contractgen", [gebruiker.email],
          {"naam": gebruiker.first_name, "link": wachtwoord_link(gebruiker)})


def herinnering(aan: list[str], aanbieder_naam: str, regio_naam: str, jaar: int, portaal: str) -> None:
    stuur("herinnering", f"Herinnering: contractpakket {jaar} ondertekenen ({regio_naam})", aan,
          {"aanbieder": aanbieder_naam, "regio": regio_naam, "jaar": jaar, "portaal": adres(portaal)})
