from django.shortcuts import render

from contractgen.werkplaats.audit.vastleggen import leg_vast


def csrf_fout(request, reason=""):
    """A form sent without (or with a stale) CSRF token: refused, said in Dutch, logged."""
    leg_vast(request, "formulier geweigerd (CSRF)", onderwerp=request.path[:300])
    return render(request, "werkplaats/403_csrf.html", status=403)
