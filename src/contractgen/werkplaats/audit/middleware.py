"""Errors never show a traceback: it goes to the log under an id, and the page shows that id."""

from __future__ import annotations

import logging
import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from contractgen.basis.gezicht import in_de_werkplaats
from contractgen.werkplaats.audit import vastleggen

log = logging.getLogger("contractgen.werkplaats")


class FoutMiddleware:
    """Also makes the request known to signals that have none (`vastleggen.huidig_verzoek`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        teken = vastleggen.VERZOEK.set(request)
        try:
            with in_de_werkplaats():  # the library's messages in the page's words (basis/gezicht.py)
                return self.get_response(request)
        finally:
            vastleggen.VERZOEK.reset(teken)

    def process_exception(self, request, exception):
        if isinstance(exception, (Http404, PermissionDenied)):
            return None  # Django's own 404/403 pages
        kenmerk = uuid.uuid4().hex[:12]
        log.exception("fout %s bij %s %s", kenmerk, request.method, request.path)
        return render(request, "werkplaats/500.html", {"kenmerk": kenmerk}, status=500)
