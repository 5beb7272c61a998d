from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from contractgen.werkplaats.audit.vastleggen import huidig_verzoek, leg_vast


@receiver(user_logged_in)
def ingelogd(sender, request, user, **kwargs):
    leg_vast(request, "ingelogd", gebruiker=user)


@receiver(user_logged_out)
def uitgelogd(sender, request, user, **kwargs):
    if user is not None:
        leg_vast(request, "uitgelogd", gebruiker=user)


@receiver(user_login_failed)
def mislukt(sender, credentials, request=None, **kwargs):
    # the typed name, never the password
    leg_vast(request, "inloggen mislukt", onderwerp=str(credentials.get("username", ""))[:300])


@receiver(post_save, sender=get_user_model())
def wachtwoord_gezet(sender, instance, created, **kwargs):
    """A password set or changed (admin, reset link, invitation, command line): who, for whom, how.

    `AbstractBaseUser.save` keeps the new password in `_password` until after post_save: that is the
    only sign Django gives that a save changed the password."""
    if getattr(instance, "_password", None) is None:
        return
    request = huidig_verzoek()
    if request is None:
        hoe = "op de opdrachtregel (contractgen gebruiker toevoegen)"
    elif not request.user.is_authenticated:
        hoe = "via de link in de e-mail (uitnodiging of wachtwoord vergeten)"
    elif request.user.pk == instance.pk:
        hoe = "door de persoon zelf"
    else:
        hoe = f"door {request.user.get_username()}"
    leg_vast(request, "account aangemaakt met wachtwoord" if created else "wachtwoord ingesteld",
             onderwerp=instance.get_username(), resultaat=hoe)
