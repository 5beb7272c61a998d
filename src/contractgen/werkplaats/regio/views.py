"""The inkoopteam's and jurist's region page, build jobs and downloads.

Every view is wrapped by `regio_rol`: the region and the role are checked server-side; names from
the URL (aanbieder, file) are looked up among what exists (`omgeving`), never joined into a path.
"""

from __future__ import annotations

import io
import logging
import threading
import zipfile
from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from contractgen.basis.gezicht import in_de_werkplaats
from contractgen.basis.formaat import datum_tekst
from contractgen.domein.dataset import RegioData
from contractgen.domein.zoeken import kies_versie
from contractgen.ondertekening.status import aanbieder_map
from contractgen.rapporten.beoordeling import lees, oordelen
from contractgen.rapporten.check import check
from contractgen.rapporten.overzicht import RegioOverzicht, regio_overzicht
from contractgen.regels.integriteit import check_integrity
from contractgen.uitvoer.wissel import leesbaar
from contractgen.werkplaats.audit.vastleggen import leg_vast
from contractgen.werkplaats.omgeving import (
    aanbieder_id,
    regio_mappen,
    gebouwde_bestanden,
    laad_regio,
    uitvoer_map,
    vingerafdruk_data,
    vingerafdruk_uitvoer,
)
from contractgen.werkplaats.regio.models import Bouwtaak, Status
from contractgen.werkplaats.regio.taken import start_bouw
from contractgen.werkplaats.toegang.models import Rol
from contractgen.werkplaats.toegang.rechten import regio_rol, toegangen, zichtbare_regios

LEZERS = (Rol.INKOOPTEAM, Rol.JURIST)
log = logging.getLogger("contractgen.werkplaats")


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """The start page: the regions the person works in."""
    regios = zichtbare_regios(request, *LEZERS)
    if not regios and any(t.rol == Rol.AANBIEDER for t in toegangen(request)):
        return redirect("portaal:start")  # an aanbieder's contact person: its own pages
    return render(request, "werkplaats/start.html", {"regios": regios})


def jaren(data: RegioData) -> list[int]:
    """The years one can build: those of the tariff sets' looptijden and of the region's peildatum."""
    uit = {data.regio.standaard_peildatum.year}
    for t in data.tariefsets:
        uit.update(range(t.looptijd.van.year, t.looptijd.tot.year + 1))
    return sorted(uit)


def peildatum_van(data: RegioData, jaar: int) -> date:
    s = data.regio.standaard_peildatum
    return s if s.year == jaar else date(jaar, s.month, s.day) if (s.month, s.day) != (2, 29) else date(jaar, 3, 1)


def _jaar(request: HttpRequest, data: RegioData) -> int:
    beschikbaar = jaren(data)
    try:
        jaar = int(request.GET.get("jaar") or request.POST.get("jaar") or data.regio.standaard_peildatum.year)
    except ValueError:
        raise Http404("onbekend jaar")
    if jaar not in beschikbaar:
        raise Http404("onbekend jaar")
    return jaar


@dataclass
class DocumentRegel:
    titel: str
    versie: str
    looptijd: str


def _documenten(data: RegioData, peildatum: date) -> list[DocumentRegel]:
    uit = []
    gezien: list[str] = []
    for ident in [*data.regio.algemeen, *data.regio.pakket]:
        if ident in gezien:
            continue
        gezien.append(ident)
        doc = kies_versie(data, ident, peildatum)
        if doc is None:
            continue
        tot = datum_tekst(doc.geldig_tot) if doc.geldig_tot else "onbepaald"
        uit.append(DocumentRegel(doc.titel, doc.versie, f"{datum_tekst(doc.geldig_van)} tot en met {tot}"))
    return uit


def _data(regio: str) -> tuple[RegioData, list]:
    data, problemen = laad_regio(regio)
    if data is None:
        raise Http404("de regio laadt niet")
    return data, problemen


@dataclass
class Regiobeeld:
    """What the region page shows of one region and year, computed once per change of data or output."""

    peildatum: date
    overzicht: RegioOverzicht
    rijen: list[dict]
    bevindingen: list
    documenten: list[DocumentRegel]
    tariefsets: list


_beelden: dict[tuple[str, int], tuple[tuple, Regiobeeld]] = {}
_beelden_slot = threading.Lock()


def regiobeeld(regio: str, jaar: int, data: RegioData, problemen: list) -> Regiobeeld:
    """The overview (`rapporten.overzicht`, as `contractgen overzicht`) and the open findings (`check`) of one
    region and year; cached until a data file, a built folder or a signature changes (1,000 aanbieders take
    seconds to compute, a page must answer in 300 ms)."""
    sleutel = (vingerafdruk_data(regio), vingerafdruk_uitvoer(regio, jaar))
    with _beelden_slot:
        bewaard = _beelden.get((regio, jaar))
        if bewaard and bewaard[0] == sleutel:
            return bewaard[1]
    peildatum = peildatum_van(data, jaar)
    with leesbaar(uitvoer_map()):  # not while a build swaps folders (as `overzicht` reads)
        overzicht = regio_overzicht(data, problemen + check_integrity(data), uitvoer_map(), peildatum)
    open_ = [o for o in oordelen(check(data, peildatum), lees(data.map))[0] if o.telt]
    tariefsets = [t for t in data.tariefsets if t.looptijd.van <= date(jaar, 12, 31) and t.looptijd.tot >= date(jaar, 1, 1)]
    domeinen = {d.id: d.naam for d in data.regio.domeinen}
    rijen = [{"regel": r, "domeinen": ", ".join(domeinen.get(d, d) for d in r.domeinen),
              "gebouwd": bool(gebouwde_bestanden(aanbieder_map(uitvoer_map(), regio, jaar, r.id))),
              "zoek": f"{r.naam} {r.kvk}".casefold()}
             for r in overzicht.regels]
    beeld = Regiobeeld(peildatum, overzicht, rijen, open_, _documenten(data, peildatum), tariefsets)
    with _beelden_slot:
        _beelden[(regio, jaar)] = (sleutel, beeld)
    return beeld


PER_PAGINA = 50


def verwarm() -> None:
    """Compute every region's page for its own year once, in the background at start-up, so the first
    visitor does not wait for 1,000 aanbieders to load (seconds); errors are the page's to show, not this.
    A thread starts without the request's context: the messages are made for the page here too."""
    with in_de_werkplaats():
        _verwarm()


def _verwarm() -> None:
    for ident in regio_mappen():
        try:
            data, problemen = laad_regio(ident)
            if data is not None:
                regiobeeld(ident, data.regio.standaard_peildatum.year, data, problemen)
        except Exception:  # noqa: BLE001 - a region that does not load is reported when its page is opened
            log.exception("voorbereiden van regio %s", ident)


@regio_rol(*LEZERS)
@require_GET
def regio_pagina(request: HttpRequest, regio: str) -> HttpResponse:
    """Per region and year: documents in force, tariff sets, every aanbieder (50 a page, searchable by name
    or KvK), open check findings."""
    data, problemen = _data(regio)
    jaar = _jaar(request, data)
    beeld = regiobeeld(regio, jaar, data, problemen)
    zoek = request.GET.get("zoek", "").strip()
    rijen = [r for r in beeld.rijen if zoek.casefold() in r["zoek"]] if zoek else beeld.rijen
    pagina = Paginator(rijen, PER_PAGINA).get_page(request.GET.get("pagina"))
    taken = list(Bouwtaak.objects.filter(regio=regio).select_related("gestart_door")[:5])
    namen = {a.id: a.naam for a in data.aanbieders}
    for t in taken:
        t.naam = namen.get(t.aanbieder, t.aanbieder)  # the page shows names, not ids
    # tariffs not yet sealed block a build (check rule tarieven-concept) unless a concept is built on purpose
    concept_sets = [t.id for t in beeld.tariefsets if t.status == "concept"] \
        if any(o.bevinding.regel == "tarieven-concept" for o in beeld.bevindingen) else []
    return render(request, "werkplaats/regio.html", {
        "concept_sets": concept_sets, "als_concept": bool(concept_sets) and request.GET.get("concept") == "1",
        "regio": request.regio, "data": data, "jaar": jaar, "jaren": jaren(data), "peildatum": beeld.peildatum,
        "documenten": beeld.documenten, "tariefsets": beeld.tariefsets, "overzicht": beeld.overzicht,
        "bevindingen": beeld.bevindingen, "taken": taken, "mag_bouwen": Rol.INKOOPTEAM in request.rollen,
        "rijen": pagina, "aantal": len(beeld.rijen), "gevonden": len(rijen), "zoek": zoek,
    })


class BouwFormulier(forms.Form):
    jaar = forms.IntegerField()
    aanbieder = forms.CharField(required=False, max_length=100)
    pdf = forms.BooleanField(required=False, initial=True)
    concept = forms.BooleanField(required=False)


@regio_rol(Rol.INKOOPTEAM)
@require_POST
def bouw_start(request: HttpRequest, regio: str) -> HttpResponse:
    """Start a build of one aanbieder or the whole region as a background job."""
    data, _ = _data(regio)
    formulier = BouwFormulier(request.POST)
    if not formulier.is_valid():
        raise Http404("onbekende bouw")
    jaar = _jaar(request, data)
    aanbieder = formulier.cleaned_data["aanbieder"]
    if aanbieder:
        aanbieder = aanbieder_id(data, aanbieder)
    taak = Bouwtaak.objects.create(regio=regio, jaar=jaar, peildatum=peildatum_van(data, jaar), aanbieder=aanbieder,
                                   pdf=formulier.cleaned_data["pdf"], concept=formulier.cleaned_data["concept"],
                                   gestart_door=request.user)
    start_bouw(taak)
    leg_vast(request, "bouw gestart", regio=regio, onderwerp=f"{jaar}, {taak.wat}", resultaat=str(taak.id))
    return redirect("regio:taak", regio=regio, taak=taak.id)


def _taak(regio: str, taak) -> Bouwtaak:
    return get_object_or_404(Bouwtaak, pk=taak, regio=regio)


@regio_rol(*LEZERS)
@require_GET
def taak_pagina(request: HttpRequest, regio: str, taak) -> HttpResponse:
    t = _taak(regio, taak)
    data, _ = _data(regio)
    naam = next((a.naam for a in data.aanbieders if a.id == t.aanbieder), t.aanbieder)
    return render(request, "werkplaats/taak.html", {"regio": request.regio, "taak": t, "aanbieder_naam": naam})


@regio_rol(*LEZERS)
@require_GET
def taak_status(request: HttpRequest, regio: str, taak) -> JsonResponse:
    """The job's state for the page's progress display (polled by static/werkplaats/voortgang.js)."""
    t = _taak(regio, taak)
    return JsonResponse({"status": t.status, "status_tekst": t.get_status_display(), "stap": t.stap,
                         "klaar": t.klaar_aantal, "totaal": t.totaal_aantal,
                         "nog_seconden": round(t.nog_seconden) if t.nog_seconden is not None else None,
                         "afgelopen": t.afgelopen})


CONTENT_TYPES = {".pdf": "application/pdf", ".json": "application/json",
                 ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _aanbieder_bestanden(request: HttpRequest, regio: str, jaar: int, aanbieder: str) -> dict:
    data, _ = _data(regio)
    if jaar not in jaren(data):
        raise Http404("onbekend jaar")
    ident = aanbieder_id(data, aanbieder)
    return gebouwde_bestanden(aanbieder_map(uitvoer_map(), regio, jaar, ident))


@regio_rol(*LEZERS)
@require_GET
def download(request: HttpRequest, regio: str, jaar: int, aanbieder: str, bestand: str) -> FileResponse:
    """One built file of one aanbieder: only a name the build's manifest lists."""
    bestanden = _aanbieder_bestanden(request, regio, jaar, aanbieder)
    pad = bestanden.get(bestand)
    if pad is None:
        raise Http404("onbekend bestand")
    leg_vast(request, "bestand gedownload", regio=regio, onderwerp=f"{jaar}/{aanbieder}/{bestand}")
    return FileResponse(pad.open("rb"), as_attachment=True, filename=bestand,
                        content_type=CONTENT_TYPES.get(pad.suffix, "application/octet-stream"))


@regio_rol(*LEZERS)
@require_GET
def download_zip(request: HttpRequest, regio: str, jaar: int, aanbieder: str) -> HttpResponse:
    """Every built file of one aanbieder as one zip (names as in the folder, nothing else)."""
    bestanden = _aanbieder_bestanden(request, regio, jaar, aanbieder)
    if not bestanden:
        raise Http404("nog niet gebouwd")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for naam, pad in sorted(bestanden.items()):
            z.write(pad, f"{aanbieder}/{naam}")
    leg_vast(request, "pakket gedownload (zip)", regio=regio, onderwerp=f"{jaar}/{aanbieder}")
    antwoord = HttpResponse(buffer.getvalue(), content_type="application/zip")
    antwoord["Content-Disposition"] = f'attachment; filename="{regio}-{jaar}-{aanbieder}.zip"'
    return antwoord
