"""The portal's additions to the region page: `{% portaal_inkoop %}` (invite, take in, remind) and
`{% portaal_nieuw regio aanbieder %}` (the mark of answers submitted since the last build)."""

from __future__ import annotations

from django import template
from django.db.models import Max

from contractgen.werkplaats.portaal.formulieren import PdfFormulier, UitnodigFormulier
from contractgen.werkplaats.portaal.models import Indiening
from contractgen.werkplaats.regio.models import Bouwtaak, Status

register = template.Library()


@register.inclusion_tag("werkplaats/portaal/regio_deel.html", takes_context=True)
def portaal_inkoop(context) -> dict:
    data = context["data"]
    return {"regio": context["regio"], "jaar": context["jaar"], "csrf_token": context.get("csrf_token"),
            "uitnodig": UitnodigFormulier(aanbieders=[(a.id, a.naam) for a in data.aanbieders]),
            "upload": PdfFormulier(auto_id="inkoop_%s")}


@register.inclusion_tag("werkplaats/portaal/nieuw.html", takes_context=True)
def portaal_nieuw(context, regio: str, aanbieder: str) -> dict:
    """'nieuw ingediend' when the aanbieder's last submission is later than its last finished build (its own
    or the whole region's). Two queries per page, not per row (a region of 1,000 aanbieders)."""
    request = context.get("request")
    stand = getattr(request, "_portaal_nieuw", None) if request is not None else None
    if stand is None or stand[0] != regio:
        ingediend = {r["aanbieder"]: r["laatst"] for r in Indiening.objects.filter(regio=regio)
                     .values("aanbieder").annotate(laatst=Max("ingediend"))}
        gebouwd = {r["aanbieder"]: r["laatst"] for r in Bouwtaak.objects.filter(regio=regio, status=Status.KLAAR)
                   .values("aanbieder").annotate(laatst=Max("beeindigd"))}
        stand = (regio, ingediend, gebouwd)
        if request is not None:
            request._portaal_nieuw = stand
    _, ingediend, gebouwd = stand
    laatst = ingediend.get(aanbieder)
    if laatst is None:
        return {"nieuw": None}
    bouw = [t for t in (gebouwd.get(aanbieder), gebouwd.get("")) if t is not None]
    return {"nieuw": None if bouw and max(bouw) > laatst else laatst}
