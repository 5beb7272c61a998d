"""The jurist's pages, per region (`/regio/<regio>/jurist/…`); every view checks role and region (`regio_rol`).

Names from the request never become paths: the region is looked up (`omgeving`), a finding by its key among
the findings `check` gives, a document by its id among the region's documents, an upload by its id among
the uploads of this person in this region.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date, timedelta
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contractgen.basis.namen import veilige_naam
from contractgen.basis.problemen import ContractgenFout
from contractgen.diff.bron import kant_van, kant_van_bestand
from contractgen.diff.html import secties
from contractgen.diff.redline import kies_document, schrijf_redline
from contractgen.diff.vergelijk import vergelijk
from contractgen.domein.dataset import RegioData
from contractgen.intake.word_wijzigingen import Resultaat, importeer, proefmap
from contractgen.rapporten.voorrang import OnbekendOnderwerp, leg_uit, onderwerpen
from contractgen.werkplaats.audit.vastleggen import leg_vast
from contractgen.werkplaats.jurist import bevindingen as bv
from contractgen.werkplaats.jurist import schrijven, upload
from contractgen.werkplaats.jurist.formulieren import (
    AcceptatieFormulier,
    FilterFormulier,
    VergelijkFormulier,
    VoorrangFormulier,
    WordFormulier,
)
from contractgen.werkplaats.jurist.models import WordBewerking
from contractgen.werkplaats.omgeving import data_map, laad_regio
from contractgen.werkplaats.regio.views import jaren, peildatum_van
from contractgen.werkplaats.toegang.bewaren import invoer
from contractgen.werkplaats.toegang.models import Rol
from contractgen.werkplaats.toegang.rechten import regio_rol

JURIST = (Rol.JURIST,)


def _data(regio: str) -> RegioData:
    data, _ = laad_regio(regio)
    if data is None:
        raise Http404("de regio laadt niet")
    return data


def _jaar(waarde: str | None, data: RegioData) -> int:
    beschikbaar = jaren(data)
    try:
        jaar = int(waarde) if waarde else data.regio.standaard_peildatum.year
    except ValueError:
        raise Http404("onbekend jaar")
    if jaar not in beschikbaar:
        raise Http404("onbekend jaar")
    return jaar


def zonder_paden(tekst: str, request: HttpRequest, *extra: tuple[Path, str]) -> str:
    """A library message for the page: the server's folders named as people know them, CLI options as fields."""
    vervang = [(p, n) for p, n in extra]
    vervang += [(request.regio.map, request.regio.naam), (data_map(), "de data")]
    for pad, naam in vervang:
        for vorm in {str(pad), str(Path(pad).resolve())}:
            tekst = tekst.replace(vorm, naam)
    tekst = re.sub(r"\bmet --versie\b", "bij Versie", tekst)
    tekst = tekst.replace("--geldig-van", "Geldig van").replace("--versie", "Versie").replace("--data", "de data")
    return tekst


# --- findings -------------------------------------------------------------------------------------


@regio_rol(*JURIST)
@require_GET
def bevindingen(request: HttpRequest, regio: str) -> HttpResponse:
    """The check findings of a region and year, filtered by controle, ernst, document and status."""
    data = _data(regio)
    jaar = _jaar(request.GET.get("jaar"), data)
    peildatum = peildatum_van(data, jaar)
    alle, verouderd = bv.alle(data, peildatum)
    formulier = FilterFormulier(request.GET or None, jaren=jaren(data), controles=bv.controles(alle),
                                documenten=bv.documenten(data, peildatum), initial={"jaar": jaar})
    gekozen = formulier.cleaned_data if formulier.is_bound and formulier.is_valid() else {}
    if formulier.is_bound and not formulier.is_valid():
        lijst = []
    else:
        lijst = [o for o in alle if _past(o, gekozen)]
    getoond = [bv.toon(data, peildatum, o) for o in bv.geordend(lijst)]
    tellingen = {s: sum(1 for o in alle if o.status == s) for s in ("open", "gewijzigd", "beoordeeld")}
    return render(request, "werkplaats/jurist/bevindingen.html", {
        "regio": request.regio, "jaar": jaar, "peildatum": peildatum, "formulier": formulier,
        "bevindingen": getoond, "totaal": len(alle), "tellingen": tellingen, "verouderd": verouderd,
        "query": urlencode({"jaar": jaar}),
    })


def _past(o, f: dict) -> bool:
    b = o.bevinding
    status = f.get("status") or ""
    return ((not f.get("controle") or b.regel == f["controle"])
            and (not f.get("ernst") or b.probleem.ernst == f["ernst"])
            and (not f.get("document") or b.betreft(f["document"]))
            and (status == "alle" or (status == "" and o.status != "beoordeeld") or o.status == status))


def _zoek(data: RegioData, peildatum: date, sleutel: str):
    for o in bv.alle(data, peildatum)[0]:
        if bv.sleutel(o.bevinding) == sleutel:
            return o
    raise Http404("onbekende bevinding")


@regio_rol(*JURIST)
@require_http_methods(["GET", "POST"])
def bevinding(request: HttpRequest, regio: str, sleutel: str) -> HttpResponse:
    """One finding: where it is, the text there, its review; accept it with a reason (POST)."""
    data = _data(regio)
    jaar = _jaar(request.GET.get("jaar") or request.POST.get("jaar"), data)
    peildatum = peildatum_van(data, jaar)
    oordeel = _zoek(data, peildatum, sleutel)
    formulier = AcceptatieFormulier(invoer(request))
    if request.method == "POST":
        if oordeel.status == "beoordeeld" and oordeel.beoordeling is not None:
            messages.warning(request, f"Deze bevinding was intussen al beoordeeld door {oordeel.beoordeling.door} op "
                                      f"{oordeel.beoordeling.datum:%d-%m-%Y}; uw reden is niet vastgelegd.")
            return redirect(f"{request.path}?{urlencode({'jaar': jaar})}")
        if formulier.is_valid():
            reden = formulier.cleaned_data["reden"]
            try:
                schrijven.accepteer(request, data.map, oordeel, reden)
            except ContractgenFout as fout:
                formulier.add_error("reden", zonder_paden("; ".join(p.bericht for p in fout.problemen), request))
            else:
                leg_vast(request, "bevinding geaccepteerd", regio=regio,
                         onderwerp=f"[{oordeel.bevinding.regel}] {oordeel.bevinding.plaats}", resultaat=reden)
                messages.success(request, f"Vastgelegd: de bevinding bij {oordeel.bevinding.plaats} is beoordeeld.")
                return redirect(f"{request.path}?{urlencode({'jaar': jaar})}")
    return render(request, "werkplaats/jurist/bevinding.html", {
        "regio": request.regio, "jaar": jaar, "peildatum": peildatum, "b": bv.toon(data, peildatum, oordeel),
        "formulier": formulier, "terug": reverse("jurist:bevindingen", args=[regio]) + "?" + urlencode({"jaar": jaar}),
    })


# --- voorrang -------------------------------------------------------------------------------------


def _cli_woorden(regel: str) -> str:
    """`contractgen voorrang REGIOMAP x` in the library's text → what one types on this page."""
    regel = re.sub(r"\(vraag bijv\. `contractgen voorrang REGIOMAP ([^`]*)`\)", r"(vraag bijv. ‘\1’)", regel)
    return re.sub(r"\(zonder onderwerp toont `contractgen voorrang REGIOMAP` alle onderwerpen\)",
                  "(laat het onderwerp leeg voor alle onderwerpen)", regel)


_suggesties_cache: dict[tuple[int, date], tuple[RegioData, list[str]]] = {}


def _suggesties(data: RegioData, peildatum: date) -> list[str]:
    """The subjects one can ask (ids and synonyms) for the field's suggestions; once per loaded region."""
    bewaard = _suggesties_cache.get((id(data), peildatum))
    if bewaard is not None and bewaard[0] is data:
        return bewaard[1]
    kennis = onderwerpen(data, peildatum)
    uit = sorted({w for k in kennis.values() for w in [k.sleutel, *k.synoniemen]}, key=str.lower)
    if len(_suggesties_cache) >= 16:
        _suggesties_cache.clear()
    _suggesties_cache[(id(data), peildatum)] = (data, uit)
    return uit


@regio_rol(*JURIST)
@require_GET
def voorrang(request: HttpRequest, regio: str) -> HttpResponse:
    """Which text governs for a subject and why, as `contractgen voorrang` explains it."""
    data = _data(regio)
    jaar = _jaar(request.GET.get("jaar"), data)
    peildatum = peildatum_van(data, jaar)
    formulier = VoorrangFormulier(request.GET or None, jaren=jaren(data), initial={"jaar": jaar})
    regels: list[str] = []
    if not formulier.is_bound:
        regels = leg_uit(data, None, peildatum)
    elif formulier.is_valid():
        try:
            regels = leg_uit(data, formulier.cleaned_data["onderwerp"] or None, peildatum)
        except OnbekendOnderwerp as fout:
            formulier.add_error("onderwerp", _cli_woorden(str(fout)))
    suggesties = _suggesties(data, peildatum)
    uitleg = [{"tekst": _cli_woorden(r).strip(), "inspringen": r.startswith("  "), "lijst": r.startswith(("- ", "* "))}
              for r in regels if r.strip()]
    return render(request, "werkplaats/jurist/voorrang.html", {
        "regio": request.regio, "jaar": jaar, "formulier": formulier, "uitleg": uitleg, "suggesties": suggesties,
        "onderwerp": formulier.cleaned_data.get("onderwerp") if formulier.is_bound and formulier.is_valid() else "",
    })


# --- comparing two dates ------------------------------------------------------------------------


def _kanten(request: HttpRequest, data: RegioData, oud: date, nieuw: date, document: str | None):
    """The comparison of the region's data on two dates, labelled as people read them (no server paths)."""
    # the region as loaded already (cached until a file changes), not loaded again per side
    kanten = [kant_van(f"{request.regio.naam}, peildatum {d:%d-%m-%Y}", d, [data]) for d in (oud, nieuw)]
    return vergelijk(kanten[0], kanten[1], document or None)


def _versies(data: RegioData) -> list[dict]:
    """Per document with more than one version: each version and the link to compare it with the one before."""
    uit = []
    for ident in dict.fromkeys(d.id for d in data.documenten):
        versies = data.versies(ident)
        for vorige, v in zip(versies, versies[1:]):
            uit.append({"document": bv._titel(v), "vorige": vorige.versie, "versie": v.versie,
                        "van": v.geldig_van, "query": urlencode({
                            "oud": (v.geldig_van - timedelta(days=1)).isoformat(),
                            "nieuw": v.geldig_van.isoformat(), "document": ident})})
    return uit


@regio_rol(*JURIST)
@require_GET
def vergelijken(request: HttpRequest, regio: str) -> HttpResponse:
    """What changed between two dates: the HTML diff in the page, the Word redline as a download."""
    data = _data(regio)
    docs = bv.documenten(data, data.regio.standaard_peildatum)
    bekend = {d.id for d in data.documenten} | {t.id for t in data.tariefsets}
    docs += [(i, i) for i in sorted(bekend - {d for d, _ in docs})]
    formulier = VergelijkFormulier(request.GET or None, documenten=docs)
    verschil = samenvatting = None
    if formulier.is_bound and formulier.is_valid():
        f = formulier.cleaned_data
        try:
            v = _kanten(request, data, f["oud"], f["nieuw"], f["document"])
        except ContractgenFout as fout:
            formulier.add_error(None, zonder_paden("; ".join(p.bericht for p in fout.problemen), request))
        else:
            verschil = secties(v, ids=False)
            samenvatting = {"oud": v.oud.label, "nieuw": v.nieuw.label, "verschillen": v.heeft_verschillen,
                            "redline": reverse("jurist:redline", args=[regio]) + "?" + request.GET.urlencode()}
    return render(request, "werkplaats/jurist/vergelijken.html", {
        "regio": request.regio, "formulier": formulier, "verschil": verschil, "samenvatting": samenvatting,
        "versies": _versies(data), "basis": reverse("jurist:vergelijken", args=[regio]),
    })


@regio_rol(*JURIST)
@require_GET
def redline(request: HttpRequest, regio: str) -> HttpResponse:
    """The Word redline of one document between two dates: tracked changes signed by the person."""

    data = _data(regio)
    docs = [(d.id, d.id) for d in data.documenten]
    formulier = VergelijkFormulier(request.GET, documenten=list(dict.fromkeys(docs)))
    if not formulier.is_valid():
        raise Http404("onvolledige vergelijking")
    f = formulier.cleaned_data
    try:
        v = _kanten(request, data, f["oud"], f["nieuw"], f["document"])
        d = kies_document(v)
        with tempfile.TemporaryDirectory(prefix="contractgen-redline-") as tmp:
            naam = f"{veilige_naam(d.doc.id)}-redline.docx"
            r = schrijf_redline(d, date.today(), Path(tmp) / naam, schrijven.wie(request)[0], v.oud.label, v.nieuw.label)
            inhoud = r.pad.read_bytes()
    except ContractgenFout as fout:
        bericht = zonder_paden("; ".join(p.bericht for p in fout.problemen), request)
        messages.error(request, bericht.replace("kies met --document een van", "kies één document:"))
        return redirect(reverse("jurist:vergelijken", args=[regio]) + "?" + request.GET.urlencode())
    leg_vast(request, "redline gedownload", regio=regio, onderwerp=f"{d.doc.id}: {f['oud']} → {f['nieuw']}")
    antwoord = HttpResponse(inhoud, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    antwoord["Content-Disposition"] = f'attachment; filename="{naam}"'
    return antwoord


# --- Word edits back ----------------------------------------------------------------------------


def _importeer(request: HttpRequest, w: WordBewerking) -> Resultaat:
    """The library's reading of the stored upload against this region's data (nothing written)."""
    return importeer(upload.pad_van(w.id), request.regio.map, w.versie, w.geldig_van)


def _meldingen(request: HttpRequest, fout: ContractgenFout, w: WordBewerking | None = None) -> list[str]:
    extra = [(upload.pad_van(w.id), "het Word-document")] if w else []
    return [zonder_paden(p.bericht, request, *extra) for p in fout.problemen]


@csrf_exempt  # checked in _word, once the upload's size limit is in place (Django's pattern for upload handlers)
@regio_rol(*JURIST)
@require_http_methods(["GET", "POST"])
def word(request: HttpRequest, regio: str) -> HttpResponse:
    """Upload a Word document with edits; a clean one goes on to its preview."""
    request.upload_handlers.insert(0, upload.Begrensd(request))
    return _word(request, regio)


@csrf_protect
def _word(request: HttpRequest, regio: str) -> HttpResponse:
    _ruim_op()
    formulier = WordFormulier(invoer(request), request.FILES or None)
    if getattr(request, "te_groot", False):
        formulier = WordFormulier(request.POST, {})
        formulier.is_valid()
        formulier.errors["bestand"] = formulier.error_class([upload.TE_GROOT])
        leg_vast(request, "Word-document geweigerd", regio=regio, resultaat="te groot")
    elif request.method == "POST" and formulier.is_valid():
        f = formulier.cleaned_data
        try:
            inhoud = upload.controleer(f["bestand"])
        except upload.UploadFout as fout:
            formulier.add_error("bestand", str(fout))
        else:
            w = WordBewerking.objects.create(regio=regio, gebruiker=request.user, versie=f["versie"],
                                             geldig_van=f["geldig_van"])
            upload.bewaar(w.id, inhoud)
            try:
                r = _importeer(request, w)
            except ContractgenFout as fout:
                upload.verwijder(w.id)
                w.delete()
                for bericht in _meldingen(request, fout, w):
                    veld = "versie" if "versielabel" in bericht else "geldig_van" if "Geldig van" in bericht else "bestand"
                    formulier.add_error(veld, bericht)
                leg_vast(request, "Word-document geweigerd", regio=regio, resultaat="; ".join(
                    p.bericht for p in fout.problemen)[:500])
            else:
                w.document, w.gelezen = bv._titel(r.document), schrijven.gelezen(r)
                w.save(update_fields=["document", "gelezen"])
                leg_vast(request, "Word-document geüpload", regio=regio, onderwerp=w.document, resultaat=str(w.id))
                return redirect("jurist:word_voorbeeld", regio=regio, bewerking=w.id)
    return render(request, "werkplaats/jurist/word.html", {"regio": request.regio, "formulier": formulier})


def _ruim_op() -> None:
    """Uploads never applied are dropped after a day: a preview is for now, not for keeping."""
    for oud in WordBewerking.objects.filter(toegepast__isnull=True, gemaakt__lt=timezone.now() - timedelta(days=1)):
        upload.verwijder(oud.id)
        oud.delete()


def _bewerking(request: HttpRequest, regio: str, bewerking) -> WordBewerking:
    return get_object_or_404(WordBewerking, pk=bewerking, regio=regio, gebruiker=request.user, toegepast__isnull=True)


@regio_rol(*JURIST)
@require_GET
def word_voorbeeld(request: HttpRequest, regio: str, bewerking) -> HttpResponse:
    """What will change (per lid and artikel, and the diff), and what cannot be processed, with the reason."""
    w = _bewerking(request, regio, bewerking)
    fouten: list[str] = []
    r = verschil = None
    try:
        r = _importeer(request, w)
        with proefmap(r) as kopie:
            nieuw = kopie / r.nieuw_pad.relative_to(r.regio_map)
            data = _data(regio)
            v = vergelijk(kant_van_bestand("oud", None, r.oud_pad, [data]),
                          kant_van_bestand("nieuw", None, nieuw, [data]), r.document.id)
            verschil = secties(v, ids=False)
    except ContractgenFout as fout:
        fouten = _meldingen(request, fout, w)
    t = r.toepassing if r else None
    return render(request, "werkplaats/jurist/word_voorbeeld.html", {
        "regio": request.regio, "w": w, "r": r, "t": t, "fouten": fouten, "verschil": verschil,
        "aangenomen": [{"plaats": p, "soort": x.soort, "auteur": x.auteur or "onbekend",
                        "datum": x.datum[:10] or "onbekende datum", "tekst": x.tekst} for p, x in t.aangenomen] if t else [],
        "opmerkingen": [{"plaats": p, "auteur": o.auteur or "onbekend", "datum": (o.datum or "")[:10] or "onbekende datum",
                         "tekst": o.tekst} for p, o in t.opmerkingen] if t else [],
    })


@regio_rol(*JURIST)
@require_POST
def word_toepassen(request: HttpRequest, regio: str, bewerking) -> HttpResponse:
    """Apply as a new version: all-or-nothing, through the library's write (see schrijven.pas_toe)."""
    w = _bewerking(request, regio, bewerking)
    try:
        r = _importeer(request, w)
        schrijven.pas_toe(request, r, w.gelezen)
    except ContractgenFout as fout:
        for bericht in _meldingen(request, fout, w):
            messages.error(request, bericht)
        leg_vast(request, "Word-wijzigingen niet toegepast", regio=regio, onderwerp=w.document,
                 resultaat="; ".join(p.bericht for p in fout.problemen)[:500])
        return redirect("jurist:word_voorbeeld", regio=regio, bewerking=w.id)
    w.toegepast = timezone.now()
    w.save(update_fields=["toegepast"])
    upload.verwijder(w.id)
    leg_vast(request, "Word-wijzigingen toegepast", regio=regio, onderwerp=w.document,
             resultaat=f"versie {w.versie}, geldig van {w.geldig_van.isoformat()}")
    messages.success(request, f"Toegepast: {w.document}, versie {w.versie}, geldig vanaf {w.geldig_van:%d-%m-%Y}. "
                              "Hieronder ziet u het verschil met de vorige versie.")
    query = urlencode({"oud": (w.geldig_van - timedelta(days=1)).isoformat(), "nieuw": w.geldig_van.isoformat(),
                       "document": r.document.id})
    return redirect(reverse("jurist:vergelijken", args=[regio]) + "?" + query)
