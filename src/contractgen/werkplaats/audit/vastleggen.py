"""One call per action: `leg_vast(request, "bouw gestart", regio=..., onderwerp=...)`."""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

from contractgen.werkplaats.audit.models import Handeling


# the request being answered, for signals Django sends without one (a password set); set by FoutMiddleware
VERZOEK: ContextVar[HttpRequest | None] = ContextVar("verzoek", default=None)


def huidig_verzoek() -> HttpRequest | None:
    return VERZOEK.get()


def adres(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a forwarded header can be typed by anyone (a proxy in front sets it instead)
    return request.META.get("REMOTE_ADDR") or None


def leg_vast(request: HttpRequest | None, wat: str, *, regio: str = "", onderwerp: str = "", resultaat: str = "",
             gebruiker=None) -> Handeling:
    wie = gebruiker if gebruiker is not None else (
        request.user if request is not None and request.user.is_authenticated else None)
    return Handeling.objects.create(
        wie=wie, wie_tekst=(wie.get_username() if wie is not None else ""),
        vanaf=adres(request) if request is not None else None,
        wat=wat[:200], regio=regio[:100], onderwerp=onderwerp[:300], resultaat=resultaat[:500])
