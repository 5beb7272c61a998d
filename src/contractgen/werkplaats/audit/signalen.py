from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from contractgen.werkplaats.audit.vastleggen import leg_vast


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
