"""The authorisation every view makes, server-side: which roles a person has in which region.

`regio_rol(*rollen)` wraps a view whose URL carries `regio`: the region must exist and the
person must hold one of the roles there, else 404 (a region one may not see looks like one that
does not exist: no guessing of names). Not logged in: to the login page.
"""

from __future__ import annotations

from functools import wraps
from typing import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest

from contractgen.werkplaats.omgeving import RegioMap, regio_map, regio_mappen
from contractgen.werkplaats.toegang.models import Rol, Toegang


def toegangen(request: HttpRequest) -> list[Toegang]:
    """The logged-in person's roles, read once per request."""
    if not request.user.is_authenticated or not request.user.is_active:
        return []
    if not hasattr(request, "_toegangen"):
        request._toegangen = list(Toegang.objects.filter(gebruiker=request.user))
    return request._toegangen


def rollen_in(request: HttpRequest, regio: str) -> set[str]:
    return {t.rol for t in toegangen(request) if t.regio == regio and t.rol != Rol.BEHEERDER} | \
        {t.rol for t in toegangen(request) if t.rol == Rol.BEHEERDER and t.regio in ("", regio)}


def is_beheerder(request: HttpRequest) -> bool:
    return any(t.rol == Rol.BEHEERDER for t in toegangen(request))


def zichtbare_regios(request: HttpRequest, *rollen: str) -> list[RegioMap]:
    """The regions where the person holds one of `rollen` (all roles when none are given)."""
    alle = regio_mappen()
    return [r for r in alle.values() if rollen_in(request, r.id) & set(rollen or Rol.values)]


def vereis(request: HttpRequest, regio: str, *rollen: str) -> RegioMap:
    """The region if the person holds one of `rollen` there; else 404."""
    if not rollen_in(request, regio) & set(rollen):
        raise Http404("onbekende regio")
    return regio_map(regio)


def regio_rol(*rollen: str) -> Callable:
    """View decorator: logged in, and one of `rollen` in the URL's region (else 404)."""

    def omhul(view: Callable) -> Callable:
        @wraps(view)
        def gecontroleerd(request: HttpRequest, regio: str, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.regio = vereis(request, regio, *rollen)
            request.rollen = rollen_in(request, regio)
            return view(request, regio, *args, **kwargs)

        return gecontroleerd

    return omhul


def context(request: HttpRequest) -> dict:
    """Template context: the person's regions and roles for the navigation, and the demo mark."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"demo": settings.DEMO}
    rollen = {t.rol for t in toegangen(request)}
    return {"demo": settings.DEMO, "mijn_rollen": sorted(rollen),
            "mijn_regios": zichtbare_regios(request, Rol.INKOOPTEAM, Rol.JURIST),
            "beheerder": Rol.BEHEERDER in rollen}
