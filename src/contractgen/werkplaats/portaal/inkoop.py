"""The inkoopteam's side of the portal, on its region page: invite a contact person, take in signed
packages of any aanbieder of the region, remind every aanbieder whose package is built but not signed."""

from __future__ import annotations

import smtplib

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from contractgen.ondertekening.status import aanbieder_map, ondertekenstatus
from contractgen.werkplaats.audit.vastleggen import leg_vast
from contractgen.werkplaats.omgeving import gebouwde_bestanden, laad_regio, uitvoer_map
from contractgen.werkplaats.portaal import brieven
from contractgen.werkplaats.portaal.formulieren import PdfFormulier, UitnodigFormulier
from contractgen.werkplaats.portaal.ontvangst import neem_in
from contractgen.werkplaats.portaal.views import auteur_van
from contractgen.werkplaats.portaal.stand import niet_ondertekend
from contractgen.werkplaats.portaal.uitnodigen import UitnodigingFout, nodig_uit
from contractgen.werkplaats.regio.views import jaren
from contractgen.werkplaats.toegang.models import Rol, Toegang
from contractgen.werkplaats.toegang.rechten import regio_rol


def _data(regio: str):
    data, _ = laad_regio(regio)
    if data is None:
        raise Http404("de regio laadt niet")
    return data


def _terug(regio: str, jaar: int | str | None = None) -> str:
    return reverse("regio:pagina", args=[regio]) + (f"?jaar={jaar}" if jaar else "")


@regio_rol(Rol.INKOOPTEAM)
@require_POST
def uitnodigen(request: HttpRequest, regio: str) -> HttpResponse:
    data = _data(regio)
    formulier = UitnodigFormulier(request.POST, aanbieders=[(a.id, a.naam) for a in data.aanbieders])
    if formulier.is_valid():
        try:
            gebruiker = nodig_uit(formulier.cleaned_data["email"], regio, formulier.cleaned_data["aanbieder"],
                                  formulier.cleaned_data["naam"])
        except UitnodigingFout as fout:
            formulier.add_error(None, str(fout))
        except (smtplib.SMTPException, OSError):
            formulier.add_error(None, "De uitnodiging kon niet worden verstuurd: de mailserver antwoordt niet. "
                                      "Er is geen account aangemaakt; probeer het later opnieuw of vraag de "
                                      "beheerder de mailserver te controleren.")
        else:
            naam = dict(formulier.fields["aanbieder"].choices)[formulier.cleaned_data["aanbieder"]]
            leg_vast(request, "aanbieder uitgenodigd", regio=regio, onderwerp=f"{gebruiker.email} voor "
                                                                              f"{formulier.cleaned_data['aanbieder']}")
            messages.success(request, f"Uitnodiging verstuurd naar {gebruiker.email} ({naam}).")
            return redirect(_terug(regio) + "#kop-portaal")
    return render(request, "werkplaats/portaal/uitnodigen.html", {"regio": request.regio, "formulier": formulier},
                  status=400)


@regio_rol(Rol.INKOOPTEAM)
@require_POST
def ontvangen(request: HttpRequest, regio: str) -> HttpResponse:
    """A signed package of any aanbieder of this region, through the same check as the portal."""
    data = _data(regio)
    formulier = PdfFormulier(request.POST, request.FILES)
    oordeel, fout, naam = None, "", ""
    if not formulier.is_valid():
        fout = "Kies het ondertekende contractpakket.pdf om te versturen."
    else:
        oordeel = neem_in(formulier.cleaned_data["pakket"], regio, auteur=auteur_van(request.user))
        naam = next((a.naam for a in data.aanbieders if a.id == oordeel.aanbieder), "")
        leg_vast(request, "ondertekend pakket ingenomen", regio=regio, onderwerp=oordeel.aanbieder,
                 resultaat="aangenomen" if oordeel.aangenomen else "geweigerd: " + "; ".join(oordeel.redenen))
    return render(request, "werkplaats/portaal/oordeel.html", {
        "regio": request.regio, "oordeel": oordeel, "fout": fout, "naam": naam, "terug": _terug(regio),
        "inkoop": True}, status=200 if oordeel is not None else 400)


@regio_rol(Rol.INKOOPTEAM)
@require_POST
def herinneren(request: HttpRequest, regio: str) -> HttpResponse:
    """One letter per aanbieder whose package of the year is built but not signed, to its contact persons."""
    data = _data(regio)
    try:
        jaar = int(request.POST.get("jaar", ""))
    except ValueError:
        raise Http404("onbekend jaar") from None
    if jaar not in jaren(data):
        raise Http404("onbekend jaar")
    verstuurd, zonder = [], []
    for a in data.aanbieders:
        map_ = aanbieder_map(uitvoer_map(), regio, jaar, a.id)
        if "contractpakket.pdf" not in gebouwde_bestanden(map_) or not niet_ondertekend(ondertekenstatus(map_)):
            continue
        aan = sorted({t.gebruiker.email for t in Toegang.objects.filter(rol=Rol.AANBIEDER, regio=regio, aanbieder=a.id)
                      .select_related("gebruiker") if t.gebruiker.is_active and t.gebruiker.email})
        if not aan:
            zonder.append(a.naam)
            continue
        try:
            brieven.herinnering(aan, a.naam, data.regio.naam, jaar, reverse("portaal:aanbieder", args=[regio, a.id]))
        except (smtplib.SMTPException, OSError):
            messages.error(request, f"De herinnering aan {a.naam} kon niet worden verstuurd: de mailserver "
                                    "antwoordt niet. Probeer het later opnieuw.")
            continue
        verstuurd.append(a.naam)
    leg_vast(request, "herinneringen verstuurd", regio=regio, onderwerp=str(jaar),
             resultaat=f"{len(verstuurd)} verstuurd: {', '.join(verstuurd)}"[:500])
    if verstuurd:
        messages.success(request, f"Herinnering verstuurd aan {len(verstuurd)} aanbieder(s): {', '.join(verstuurd)}.")
    else:
        messages.info(request, f"Geen herinneringen nodig: elk gebouwd pakket van {jaar} met een contactpersoon is "
                               "ondertekend.")
    if zonder:
        messages.warning(request, f"Geen contactpersoon in de werkplaats, dus geen herinnering: {', '.join(zonder)}. "
                                  "Nodig eerst een contactpersoon uit.")
    return redirect(_terug(regio, jaar) + "#kop-portaal")
