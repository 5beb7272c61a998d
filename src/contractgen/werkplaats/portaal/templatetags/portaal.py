"""The portal's additions to the region page: `{% portaal_inkoop %}` (invite, take in, remind) and
`{% portaal_nieuw regio aanbieder %}` (the mark of answers submitted since the last build)."""

from __future__ import annotations

from django import template
from django.db.models import Q

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


@register.inclusion_tag("werkplaats/portaal/nieuw.html")
def portaal_nieuw(regio: str, aanbieder: str) -> dict:
    laatste = Indiening.objects.filter(regio=regio, aanbieder=aanbieder).first()
    if laatste is None:
        return {"nieuw": None}
    gebouwd = Bouwtaak.objects.filter(Q(aanbieder=aanbieder) | Q(aanbieder=""), regio=regio, status=Status.KLAAR,
                                      beeindigd__gt=laatste.ingediend).exists()
    return {"nieuw": None if gebouwd else laatste}
