"""A form sent after the session expired comes back filled in after logging in again (issue 25).

What happens: the person fills in a form, the session expires (8 hours, or the server's sessions
were cleared), they press save. The view sends them to the login page. `BewaarInvoerMiddleware`
sees that answer to a POST and keeps the fields they sent in the new (anonymous) session, with the
page the form was on. Django's `login` keeps a session's data when it rotates the key, so after
logging in the person lands on that page again and the view's form is bound to the kept fields
(`invoer(request)`), with a message saying what happened. Nothing is saved until they press save
again: a kept form is shown, never replayed.

Rules (each a test in tests/werkplaats/test_basis.py):
- only a POST that passed Django's CSRF check is kept (a forged POST is refused before any view,
  so another site cannot pre-fill a form for the next person who logs in);
- only fields, never files (an upload is asked for again), at most `MAX_TEKENS` characters;
- the page to return to is the form's own page on this site (its Referer, if it is a path here),
  else the URL posted to; kept for `GELDIG` seconds and given back once, on that page only.
"""

from __future__ import annotations

import time
from typing import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

SLEUTEL = "werkplaats_bewaarde_invoer"
GELDIG = 30 * 60
MAX_TEKENS = 200_000
NIET_BEWAARD = {"csrfmiddlewaretoken"}


def _terug(request: HttpRequest) -> str:
    """The form's page (path and query) on this site; the URL posted to when that is unknown."""
    herkomst = request.META.get("HTTP_REFERER", "")
    if herkomst and url_has_allowed_host_and_scheme(herkomst, allowed_hosts={request.get_host()},
                                                    require_https=request.is_secure()):
        deel = urlsplit(herkomst)
        if deel.path.startswith("/") and not deel.path.startswith(settings.LOGIN_URL):
            return deel.path + (f"?{deel.query}" if deel.query else "")
    return request.path


class BewaarInvoerMiddleware:
    """Keeps the fields of a POST that was sent to the login page (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        antwoord = self.get_response(request)
        if (request.method == "POST" and antwoord.status_code == 302
                and not request.user.is_authenticated
                and urlsplit(antwoord.get("Location", "")).path == settings.LOGIN_URL):
            velden = {k: request.POST.getlist(k) for k in request.POST if k not in NIET_BEWAARD}
            if sum(len(v) for waarden in velden.values() for v in waarden) <= MAX_TEKENS:
                terug = _terug(request)
                request.session[SLEUTEL] = {"pad": terug, "velden": velden, "bestanden": bool(request.FILES),
                                            "tot": time.time() + GELDIG}
                messages.warning(request, "Uw sessie was verlopen. Log opnieuw in; wat u had ingevuld, staat "
                                          "daarna weer in het formulier. Er is nog niets opgeslagen.")
                antwoord["Location"] = f"{settings.LOGIN_URL}?{urlencode({'next': terug})}"
        return antwoord


def invoer(request: HttpRequest) -> QueryDict | None:
    """The data to bind a form to: the POST; on a GET, the fields kept when the session expired on
    this page (once, with a message); else None (an unbound form)."""
    if request.method == "POST":
        return request.POST
    bewaard = request.session.get(SLEUTEL)
    if not bewaard or not request.user.is_authenticated:
        return None
    if bewaard.get("tot", 0) < time.time():
        del request.session[SLEUTEL]
        return None
    if bewaard.get("pad") != request.get_full_path():
        return None
    del request.session[SLEUTEL]
    gegevens = QueryDict(mutable=True)
    for naam, waarden in bewaard["velden"].items():
        gegevens.setlist(naam, [str(w) for w in waarden])
    melding = ("Wat u had ingevuld toen uw sessie verliep, staat weer in het formulier. Controleer het en sla "
               "opnieuw op.")
    if bewaard.get("bestanden"):
        melding += " Een gekozen bestand kan niet worden bewaard: kies het opnieuw."
    messages.info(request, melding)
    return gegevens
