"""The aanbieder's pages: its details, its answers, its packages, the signed copy back.

Every view of one aanbieder goes through `aanbieder_pagina`: the person must hold the role
aanbieder for exactly that region and aanbieder (a `Toegang` row), else 404, whatever id the URL
or a form carries. Nothing here takes a region, aanbieder or file from a form field: they come
from the URL, checked, and files are looked up among what a build's manifest lists.
"""

from __future__ import annotations

from functools import wraps
from pathlib import Path
from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contractgen.basis.transactie import Auteur, sha256_van
from contractgen.ondertekening.status import aanbieder_map, ondertekenstatus
from contractgen.regels.aanbieders import tariefsets
from contractgen.werkplaats.audit.vastleggen import leg_vast
from contractgen.werkplaats.omgeving import gebouwde_bestanden, laad_regio, regio_map, uitvoer_map
from contractgen.werkplaats.portaal.formulieren import AntwoordFormulier, PdfFormulier
from contractgen.werkplaats.portaal.indienen import dien_in
from contractgen.werkplaats.portaal.models import Concept, Indiening
from contractgen.werkplaats.portaal.ontvangst import max_grootte, neem_in
from contractgen.werkplaats.portaal.vragen import vragen
from contractgen.werkplaats.regio.views import jaren
from contractgen.werkplaats.toegang.bewaren import invoer
from contractgen.werkplaats.toegang.models import Rol
from contractgen.werkplaats.toegang.rechten import toegangen

PAKKET = "contractpakket.pdf"


def mijn_aanbieders(request: HttpRequest) -> list[tuple[str, str]]:
    """(regio, aanbieder) the person represents."""
    return [(t.regio, t.aanbieder) for t in toegangen(request) if t.rol == Rol.AANBIEDER and t.regio and t.aanbieder]


def aanbieder_pagina(view: Callable) -> Callable:
    """Logged in, and the role aanbieder for the URL's region and aanbieder; else 404."""

    @wraps(view)
    def gecontroleerd(request: HttpRequest, regio: str, aanbieder: str, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if (regio, aanbieder) not in mijn_aanbieders(request):
            raise Http404("onbekende aanbieder")
        request.regio = regio_map(regio)
        data, _ = laad_regio(regio)
        gevonden = next((a for a in data.aanbieders if a.id == aanbieder), None) if data else None
        if gevonden is None:
            raise Http404("onbekende aanbieder")
        request.data, request.aanbieder = data, gevonden
        return view(request, regio, aanbieder, *args, **kwargs)

    return gecontroleerd


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """The aanbieders this person represents: straight to the one, or a choice."""
    eigen = mijn_aanbieders(request)
    if len(eigen) == 1:
        return redirect("portaal:aanbieder", regio=eigen[0][0], aanbieder=eigen[0][1])
    keuzes = []
    for regio, ident in eigen:
        try:
            data, _ = laad_regio(regio)
        except Http404:
            continue
        a = next((a for a in data.aanbieders if a.id == ident), None) if data else None
        if a is not None and data is not None:
            keuzes.append({"regio": regio, "regio_naam": data.regio.naam, "id": a.id, "naam": a.naam})
    return render(request, "werkplaats/portaal/kiezen.html", {"keuzes": keuzes})


def _pakketten(request: HttpRequest, regio: str) -> list[dict]:
    a = request.aanbieder
    uit = []
    for jaar in reversed(jaren(request.data)):
        map_ = aanbieder_map(uitvoer_map(), regio, jaar, a.id)
        if PAKKET in gebouwde_bestanden(map_):
            uit.append({"jaar": jaar, "status": ondertekenstatus(map_)})
    return uit


def _arrangementen(request: HttpRequest) -> list[str]:
    titels = {arr.id: arr.titel for t in tariefsets(request.data) for arr in t.arrangementen}
    return [titels.get(i, i) for i in request.aanbieder.arrangementen]


@aanbieder_pagina
@require_GET
def aanbieder(request: HttpRequest, regio: str, aanbieder: str) -> HttpResponse:
    a = request.aanbieder
    domeinen = {d.id: d.naam for d in request.data.regio.domeinen}
    concept = Concept.objects.filter(regio=regio, aanbieder=a.id).first()
    indiening = Indiening.objects.filter(regio=regio, aanbieder=a.id).first()
    eisen = [v for g in vragen(request.data, a, request.data.regio.standaard_peildatum) for v in g.vragen]
    beantwoord = sum(1 for v in eisen if v.id in a.kwaliteitseisen)
    return render(request, "werkplaats/portaal/aanbieder.html", {
        "a": a, "regio": request.regio, "domeinen": ", ".join(domeinen.get(d, d) for d in a.domeinen),
        "arrangementen": _arrangementen(request), "pakketten": _pakketten(request, regio), "concept": concept,
        "indiening": indiening, "beantwoord": beantwoord, "aantal_eisen": len(eisen),
        "upload": PdfFormulier(), "max_mb": max_grootte() // 1024 // 1024,
    })


def auteur_van(gebruiker) -> Auteur:
    """The person as the author of the git commit of what they submit."""
    return Auteur(gebruiker.get_full_name() or gebruiker.email or gebruiker.get_username(),
                  gebruiker.email or gebruiker.get_username())


def _bestand(request: HttpRequest) -> Path | None:
    return request.data.waar(request.aanbieder).pad


def _versie(request: HttpRequest) -> str:
    pad = _bestand(request)
    return (sha256_van(pad) or "") if pad is not None else ""


def _begin(a) -> dict:
    """The form's first values: the aanbieder's answers and details as its file has them now."""
    waarden = {"kvk": a.kvk}
    if a.contactpersoon is not None:
        waarden.update(contact_naam=a.contactpersoon.naam, contact_functie=a.contactpersoon.functie or "",
                       contact_email=a.contactpersoon.email or "", contact_telefoon=a.contactpersoon.telefoon or "")
    for eis, antwoord in a.kwaliteitseisen.items():
        waarden[f"antwoord_{eis}"] = antwoord.antwoord
        waarden[f"motivatie_{eis}"] = antwoord.motivatie or ""
    return waarden


@aanbieder_pagina
@require_http_methods(["GET", "POST"])
def antwoorden(request: HttpRequest, regio: str, aanbieder: str) -> HttpResponse:
    """The kwaliteitseisen, contact and KvK: save as draft, or submit (written through the import)."""
    a = request.aanbieder
    groepen = vragen(request.data, a, request.data.regio.standaard_peildatum)
    concept = Concept.objects.filter(regio=regio, aanbieder=a.id).first()
    fouten_algemeen: list[str] = []
    versie = _versie(request)
    if request.method == "POST":
        formulier = AntwoordFormulier(request.POST, groepen=groepen)
        actie = request.POST.get("actie")
        if formulier.is_valid() and actie == "concept":
            Concept.objects.update_or_create(regio=regio, aanbieder=a.id,
                                             defaults={"gegevens": formulier.cleaned_data, "door": request.user})
            leg_vast(request, "antwoorden als concept opgeslagen", regio=regio, onderwerp=a.id)
            messages.success(request, "Uw antwoorden zijn als concept opgeslagen. Ze zijn nog niet ingediend.")
            return redirect("portaal:antwoorden", regio=regio, aanbieder=a.id)
        if formulier.is_valid() and actie == "indienen" and formulier.vereis_volledig():
            gezien = request.POST.get("versie") or None
            uitkomst = dien_in(request.regio.map, a, formulier.cleaned_data, formulier.eis_ids(),
                               auteur=auteur_van(request.user), git=True, versie=gezien, bestand=_bestand(request))
            if uitkomst.geschreven:
                Concept.objects.filter(regio=regio, aanbieder=a.id).delete()
                Indiening.objects.create(regio=regio, aanbieder=a.id, door=request.user)
                leg_vast(request, "antwoorden ingediend", regio=regio, onderwerp=a.id, resultaat="geschreven")
                messages.success(request, "Uw antwoorden zijn ingediend. Het inkoopteam ziet ze nu en kan uw "
                                          "contractpakket maken.")
                for w in uitkomst.waarschuwingen:
                    messages.warning(request, w)
                return redirect("portaal:aanbieder", regio=regio, aanbieder=a.id)
            for veld, meldingen in uitkomst.fouten.items():
                for melding in meldingen:
                    if veld in formulier.fields:
                        formulier.add_error(veld, melding)
                    else:
                        fouten_algemeen.append(melding)
            leg_vast(request, "antwoorden ingediend", regio=regio, onderwerp=a.id, resultaat="geweigerd")
    else:
        bewaard = invoer(request)  # what was typed before the session expired, else the draft or the file
        formulier = (AntwoordFormulier(bewaard, groepen=groepen) if bewaard is not None else
                     AntwoordFormulier(initial=concept.gegevens if concept else _begin(a), groepen=groepen))
        if bewaard is not None:
            versie = bewaard.get("versie") or versie  # the file as the person saw it before logging in again
    return render(request, "werkplaats/portaal/antwoorden.html", {
        "a": a, "regio": request.regio, "formulier": formulier, "rijen": formulier.rijen(), "concept": concept,
        # the file as this form shows it: a submission is refused when someone changed it meanwhile
        "versie": versie,
        "fouten_algemeen": fouten_algemeen,
        "aantal_fouten": len(formulier.errors) + len(fouten_algemeen) if request.method == "POST" else 0,
    })


@aanbieder_pagina
@require_GET
def download(request: HttpRequest, regio: str, aanbieder: str, jaar: int) -> FileResponse:
    if jaar not in jaren(request.data):
        raise Http404("onbekend jaar")
    pad = gebouwde_bestanden(aanbieder_map(uitvoer_map(), regio, jaar, request.aanbieder.id)).get(PAKKET)
    if pad is None:
        raise Http404("nog niet gebouwd")
    leg_vast(request, "contractpakket gedownload door aanbieder", regio=regio, onderwerp=f"{jaar}/{aanbieder}")
    return FileResponse(pad.open("rb"), as_attachment=True, filename=PAKKET, content_type="application/pdf")


@aanbieder_pagina
@require_POST
def terugsturen(request: HttpRequest, regio: str, aanbieder: str) -> HttpResponse:
    """The signed contractpakket back: checked only as one of this aanbieder's own packages."""
    formulier = PdfFormulier(request.POST, request.FILES)
    if not formulier.is_valid():
        oordeel = None
        fout = "Kies het ondertekende contractpakket.pdf om te versturen."
    else:
        oordeel = neem_in(formulier.cleaned_data["pakket"], regio, eigen=request.aanbieder.id,
                          auteur=auteur_van(request.user))
        fout = ""
        leg_vast(request, "ondertekend pakket teruggestuurd", regio=regio, onderwerp=request.aanbieder.id,
                 resultaat="aangenomen" if oordeel.aangenomen else "geweigerd: " + "; ".join(oordeel.redenen))
    return render(request, "werkplaats/portaal/oordeel.html", {
        "a": request.aanbieder, "regio": request.regio, "oordeel": oordeel, "fout": fout,
        "terug": redirect("portaal:aanbieder", regio=regio, aanbieder=request.aanbieder.id).url,
    }, status=200 if oordeel is not None else 400)
