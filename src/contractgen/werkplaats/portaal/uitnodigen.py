"""Inviting an aanbieder's contact person: the account (without a password), its access, the letter.

Used by the region page's invitation form and by `contractgen gebruiker toevoegen --uitnodigen`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from contractgen.werkplaats.omgeving import laad_regio, regio_mappen
from contractgen.werkplaats.portaal import brieven
from contractgen.werkplaats.toegang.models import Rol, Toegang


class UitnodigingFout(ValueError):
    """A Dutch message about what was asked (unknown region, aanbieder or address)."""


def nodig_uit(email: str, regio: str, aanbieder: str, naam: str = ""):
    """Create (or reuse) the account `email`, give it the role aanbieder for `aanbieder` in `regio`
    and send the invitation. A new account gets an unusable password: only the letter's link sets one.
    When the letter cannot be sent (smtplib.SMTPException, OSError) nothing is created or granted.

    Raises UitnodigingFout; nothing is created when the region, aanbieder or address is wrong.
    The letter is sent after the database commit; an SMTP failure raises (smtplib/OSError) and
    leaves the account, so the invitation can be sent again.
    """
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise UitnodigingFout(f"'{email}' is geen geldig e-mailadres; verwacht bijv. naam@aanbieder.nl") from None
    regios = regio_mappen()
    if regio not in regios:
        raise UitnodigingFout(f"onbekende regio '{regio}'; bekend: {', '.join(sorted(regios))}")
    data, _ = laad_regio(regio)
    gevonden = next((a for a in (data.aanbieders if data else []) if a.id == aanbieder), None)
    if gevonden is None:
        bekend = ", ".join(a.id for a in data.aanbieders) if data else "(de regio laadt niet)"
        raise UitnodigingFout(f"onbekende aanbieder '{aanbieder}' in regio '{regio}'; bekend: {bekend}")
    Gebruiker = get_user_model()
    with transaction.atomic():
        gebruiker, nieuw = Gebruiker.objects.get_or_create(username=email, defaults={"email": email})
        if nieuw:
            gebruiker.set_unusable_password()
        if naam and not gebruiker.first_name:
            gebruiker.first_name = naam[:150]
        gebruiker.email = email
        gebruiker.save()
        Toegang.objects.get_or_create(gebruiker=gebruiker, rol=Rol.AANBIEDER, regio=regio, aanbieder=gevonden.id)
        # sent inside the transaction: a letter that cannot be sent leaves no account nobody can log in to
        brieven.uitnodiging(gebruiker, gevonden.naam, regios[regio].naam)
    return gebruiker
