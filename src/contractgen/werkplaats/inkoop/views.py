"""The inkoopteam's pages: intake upload with preview and marked workbook, one aanbieder in a form with its
history, the new-year wizard, tariff sets (seal, correct a concept tariff).

Every view is wrapped by `regio_rol`: writing views by the inkoopteam only (a jurist gets 404, as for a
region one may not see). Every write goes through the library function the CLI uses (`importeer`,
`bewerk_aanbieder` on the import's writer, `maak_plan`/`voer_uit` of `jaarwissel`, `vaststellen`,
`corrigeer_tarief`) with the person as git author; every action is in the audit log.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl.utils import get_column_letter

from contractgen.rapporten.bouwcontrole import vaststelcontrole
from contractgen.intake.sjabloon import schrijf_sjabloon
from contractgen.basis.formaat import bedrag_tekst
from contractgen.basis.problemen import ContractgenFout, Probleem
from contractgen.basis.transactie import Auteur, BezetFout, GelijktijdigGewijzigd, sha256_van
from contractgen.domein import domeinen
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.intake.aanbieder_bewerken import AanbiederFout, bewerk_aanbieder
from contractgen.intake.aanbieders import importeer
from contractgen.intake.gemarkeerd import markeer
from contractgen.intake.jaarwissel import huidig_jaar, maak_plan, voer_uit
from contractgen.intake.tabel import ImportFout
from contractgen.intake.tariefcorrectie import TariefFout, corrigeer_tarief
from contractgen.intake.tarieven import IndexatieFout, lees_percentage
from contractgen.intake.tarieven import vaststellen as stel_vast
from contractgen.laden.bestand import load_text
from contractgen.laden.validatie import validate_model
from contractgen.regels.aanbieders import alle_eisen, eisen_voor
from contractgen.regels.jaren import tarieven_van
from contractgen.werkplaats.audit.vastleggen import leg_vast
from contractgen.werkplaats.inkoop import upload as uploads
from contractgen.werkplaats.inkoop.formulieren import (
    GEGEVENS,
    AanbiederFormulier,
    IntakeFormulier,
    JaarwisselFormulier,
    TariefFormulier,
    eis_veld,
    veld_voor_pad,
)
from contractgen.werkplaats.inkoop.geschiedenis import geschiedenis, tariefverschil
from contractgen.werkplaats.omgeving import aanbieder_id, laad_regio
from contractgen.werkplaats.toegang.bewaren import invoer
from contractgen.werkplaats.toegang.models import Rol
from contractgen.werkplaats.toegang.rechten import regio_rol

LEZERS = (Rol.INKOOPTEAM, Rol.JURIST)
SESSIE = "inkoop_intake"


def auteur(request: HttpRequest) -> Auteur:
    """The person as git author: name (else the e-mail address) and e-mail address."""
    u = request.user
    email = u.email or u.get_username()
    return Auteur(u.get_full_name() or email, email)


def _data(regio: str) -> RegioData:
    data, _ = laad_regio(regio)
    if data is None:
        raise Http404("de regio laadt niet")
    return data


# --- intake --------------------------------------------------------------------------------------------


def _sessie(request: HttpRequest) -> dict:
    return request.session.get(SESSIE, {})


def _upload(request: HttpRequest, regio: str, token: str) -> tuple[dict, Path]:
    """The upload `token` of this person's session for this region, or 404 (tokens of others do not exist)."""
    gegevens = _sessie(request).get(token)
    if not gegevens or gegevens.get("regio") != regio:
        raise Http404("onbekende upload")
    pad = uploads.vind(token, gegevens.get("soort", ""))
    if pad is None:
        raise Http404("onbekende upload")
    return gegevens, pad


@regio_rol(Rol.INKOOPTEAM)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest, regio: str) -> HttpResponse:
    """Upload an intake workbook or CSV; on success to its preview."""
    data = _data(regio)
    formulier = IntakeFormulier(invoer(request))
    if request.method == "POST":
        te_groot = int(request.META.get("CONTENT_LENGTH") or 0) > uploads.MAX_BYTES + 64 * 1024
        # too large: refused without parsing the body (nothing of it is stored)
        formulier = IntakeFormulier({} if te_groot else request.POST)
        formulier.is_valid()
        bestand = None if te_groot else request.FILES.get("bestand")
        try:
            if te_groot:
                raise uploads.UploadFout(f"Het bestand is te groot; een intake-bestand is hoogstens "
                                         f"{uploads.MAX_BYTES // 1024 // 1024} MB. Is dit het goede bestand?")
            u = uploads.bewaar(bestand)
        except uploads.UploadFout as fout:
            formulier.add_error("bestand", str(fout))
            leg_vast(request, "intake geweigerd", regio=regio, resultaat=str(fout))
        else:
            naam = getattr(bestand, "name", "") or "intake"
            naam = re.sub(r"[^\w .()-]", "_", Path(naam).name)[:120]
            sessie = _sessie(request)
            for oud in list(sessie)[:-4]:  # keep the last few of this session
                uploads.verwijder(oud)
                sessie.pop(oud, None)
            sessie[u.token] = {"regio": regio, "soort": u.soort, "naam": naam,
                               "bijwerken": bool(formulier.cleaned_data.get("bijwerken"))}
            request.session[SESSIE] = sessie
            leg_vast(request, "intake geüpload", regio=regio, onderwerp=naam, resultaat=u.soort)
            return redirect("inkoop:intake_voorbeeld", regio=regio, token=u.token)
    return render(request, "werkplaats/inkoop/intake.html", {"regio": request.regio, "data": data,
                                                              "formulier": formulier})


@regio_rol(Rol.INKOOPTEAM)
@require_GET
def intake_sjabloon(request: HttpRequest, regio: str) -> HttpResponse:
    """The region's empty intake workbook (what `contractgen aanbieders sjabloon` writes): its columns, the
    dropdowns of its domeinen and arrangementen, the columns that stay empty marked."""
    data = _data(regio)
    with tempfile.TemporaryDirectory(prefix="contractgen-sjabloon-") as tmp:
        pad = Path(tmp) / "intake.xlsx"
        schrijf_sjabloon(data, pad)
        inhoud = pad.read_bytes()
    leg_vast(request, "intake-werkmap gedownload", regio=regio)
    antwoord = HttpResponse(inhoud, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    antwoord["Content-Disposition"] = f'attachment; filename="intake-{regio}.xlsx"'
    return antwoord


@dataclass
class Regel:
    bestand: str
    rij: int
    kolom: str
    veld: str
    ernst: str
    melding: str


def _regels(problemen: list[Probleem]) -> list[Regel]:
    """The problems as table rows (the file as the person named it: `importeer(naam=...)`)."""
    uit = []
    for p in problemen:
        veld = re.sub(r"^kolom [A-Z]+ ?", "", p.pad).strip("'") if p.pad.startswith("kolom ") else p.pad
        uit.append(Regel(p.bestand, p.regel, get_column_letter(p.kolom) if p.kolom else "", veld,
                         "fout" if p.ernst == "fout" else "let op", p.bericht))
    return uit


def _importeer(data: RegioData, pad: Path, gegevens: dict, proef: bool, request: HttpRequest | None = None):
    """The library's import of the stored upload, named as the person named it (messages, marked workbook, git)."""
    if proef:
        return importeer(pad, data.map, bijwerken=gegevens["bijwerken"], proef=True, naam=gegevens["naam"])
    return importeer(pad, data.map, bijwerken=gegevens["bijwerken"], proef=False, auteur=auteur(request), git=True,
                     naam=gegevens["naam"])


@regio_rol(Rol.INKOOPTEAM)
@require_GET
def intake_voorbeeld(request: HttpRequest, regio: str, token: str) -> HttpResponse:
    """Every problem of the file at once, or what applying it will do."""

    gegevens, pad = _upload(request, regio, token)
    data = _data(regio)
    context = {"regio": request.regio, "token": token, "naam": gegevens["naam"], "bijwerken": gegevens["bijwerken"]}
    try:
        resultaat = _importeer(data, pad, gegevens, True)
    except ImportFout as fout:
        context["fouten"] = _regels(fout.problemen)
        context["aantal_fouten"] = sum(1 for p in fout.problemen if p.ernst == "fout")
        context["markeerbaar"] = any(p.regel for p in fout.problemen)
    except ContractgenFout as fout:
        context["fouten"] = _regels(fout.problemen)
        context["aantal_fouten"] = len(fout.problemen)
    else:
        context["resultaat"] = resultaat
        context["waarschuwingen"] = _regels(resultaat.waarschuwingen)
    return render(request, "werkplaats/inkoop/intake_voorbeeld.html", context)


@regio_rol(Rol.INKOOPTEAM)
@require_GET
def intake_gemarkeerd(request: HttpRequest, regio: str, token: str) -> HttpResponse:
    """The same workbook back with each wrong cell marked and explained (intake.gemarkeerd.markeer)."""

    gegevens, pad = _upload(request, regio, token)
    data = _data(regio)
    try:
        _importeer(data, pad, gegevens, True)
    except ImportFout as fout:
        boek = markeer(pad, fout.problemen, gegevens["naam"])
    else:
        raise Http404("het bestand heeft geen fouten")
    buffer = io.BytesIO()
    boek.save(buffer)
    stam = Path(gegevens["naam"]).stem or "intake"
    leg_vast(request, "gemarkeerde intake gedownload", regio=regio, onderwerp=gegevens["naam"])
    antwoord = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    antwoord["Content-Disposition"] = f'attachment; filename="{re.sub(r"[^A-Za-z0-9._-]", "_", stam)}-gemarkeerd.xlsx"'
    return antwoord


@regio_rol(Rol.INKOOPTEAM)
@require_POST
def intake_toepassen(request: HttpRequest, regio: str, token: str) -> HttpResponse:
    """Apply a clean file: all aanbieders or none, one git commit with the person as author."""

    gegevens, pad = _upload(request, regio, token)
    data = _data(regio)
    try:
        resultaat = _importeer(data, pad, gegevens, False, request)
    except (ImportFout, GelijktijdigGewijzigd, BezetFout, ContractgenFout) as fout:
        leg_vast(request, "intake toepassen geweigerd", regio=regio, onderwerp=gegevens["naam"], resultaat=str(fout))
        if isinstance(fout, ImportFout):
            return redirect("inkoop:intake_voorbeeld", regio=regio, token=token)
        messages.error(request, "; ".join(p.bericht for p in fout.problemen) or str(fout))
        return redirect("inkoop:intake_voorbeeld", regio=regio, token=token)
    telling = {s: sum(1 for g in resultaat.aanbieders if g.status == s) for s in ("nieuw", "bijgewerkt", "ongewijzigd")}
    samen = f"{telling['nieuw']} nieuw, {telling['bijgewerkt']} bijgewerkt, {telling['ongewijzigd']} ongewijzigd"
    leg_vast(request, "intake toegepast", regio=regio, onderwerp=gegevens["naam"], resultaat=samen)
    uploads.verwijder(token)
    sessie = _sessie(request)
    sessie.pop(token, None)
    request.session[SESSIE] = sessie
    messages.success(request, f"{gegevens['naam']} is toegepast: {samen}.")
    return redirect("regio:pagina", regio=regio)


# --- one aanbieder -------------------------------------------------------------------------------------


def _aanbieder(data: RegioData, ident: str) -> m.Aanbieder:
    a = data.aanbieder(aanbieder_id(data, ident))
    assert a is not None
    return a


def _eisen(data: RegioData, a: m.Aanbieder) -> list[m.Eis]:
    """The eisen of the aanbieder's package, and any other eis it has answered (to keep that answer editable)."""
    eisen = eisen_voor(data, a)
    bekend = {e.id for e in eisen}
    alle = alle_eisen(data)
    return eisen + [alle[i] for i in a.kwaliteitseisen if i not in bekend and i in alle]


def _begin(boom, eisen: list[m.Eis]) -> dict:
    """The form's initial values from the file as it is."""
    def waarde(pad):
        knoop = boom
        for stap in pad:
            if not isinstance(knoop, dict) or stap not in knoop:
                return ""
            knoop = knoop[stap]
        return "" if knoop is None else str(knoop)

    begin = {naam: waarde(pad) for naam, pad, _, _ in GEGEVENS}
    begin["zzp"] = bool(boom.get("zzp"))
    begin["verblijf"] = {True: "ja", False: "nee"}.get(boom.get("verblijf"), "")
    antwoorden = boom.get("kwaliteitseisen") or {}
    for eis in eisen:
        a = antwoorden.get(eis.id) or {}
        begin[eis_veld(eis.id, "antwoord")] = str(a.get("antwoord") or "") if isinstance(a, dict) else ""
        begin[eis_veld(eis.id, "motivatie")] = str(a.get("motivatie") or "") if isinstance(a, dict) else ""
    return begin


def _wijzigingen(formulier: AanbiederFormulier, begin: dict) -> tuple[dict, list[str]]:
    """(YAML path → new value or None, labels of what changed) for the fields that differ from the file."""
    uit: dict[tuple, object] = {}
    labels: list[str] = []
    c = formulier.cleaned_data
    for naam, pad, label, _ in GEGEVENS:
        nieuw = c.get(naam) or ""
        if nieuw == begin.get(naam, ""):
            continue
        if naam == "personen" and re.fullmatch(r"\d{1,9}", nieuw):
            uit[pad] = int(nieuw)
        else:
            uit[pad] = nieuw or None
        labels.append(label)
    if c.get("zzp") != begin["zzp"]:
        uit[("zzp",)] = True if c.get("zzp") else None
        labels.append("ZZP'er")
    if c.get("verblijf", "") != begin["verblijf"]:
        uit[("verblijf",)] = {"ja": True, "nee": False}.get(c.get("verblijf", ""))
        labels.append("verblijf")
    for eis in formulier.eisen:
        for soort in ("antwoord", "motivatie"):
            veld = eis_veld(eis.id, soort)
            nieuw = c.get(veld) or ""
            if nieuw != begin.get(veld, ""):
                uit[("kwaliteitseisen", eis.id, soort)] = nieuw or None
                label = f"eis {eis.nr}"
                if label not in labels:
                    labels.append(label)
    return uit, labels


@regio_rol(*LEZERS)
@require_GET
def aanbieder(request: HttpRequest, regio: str, aanbieder: str) -> HttpResponse:
    """One aanbieder: its details, its answers, and its history (who, when, what)."""

    data = _data(regio)
    a = _aanbieder(data, aanbieder)
    pad = data.waar(a).pad
    assert pad is not None
    eisen = {e.id: e for e in _eisen(data, a)}
    antwoorden = [(eisen[i].nr if i in eisen else i, v) for i, v in a.kwaliteitseisen.items()]
    return render(request, "werkplaats/inkoop/aanbieder.html", {
        "regio": request.regio, "a": a, "domeinen": domeinen.weergaven(data.regio, a.domeinen),
        "antwoorden": antwoorden, "versies": geschiedenis(pad), "mag_bewerken": Rol.INKOOPTEAM in request.rollen})


@regio_rol(Rol.INKOOPTEAM)
@require_http_methods(["GET", "POST"])
def aanbieder_bewerken(request: HttpRequest, regio: str, aanbieder: str) -> HttpResponse:
    """The form: on save through `bewerk_aanbieder`; every library message at its field."""

    data = _data(regio)
    a = _aanbieder(data, aanbieder)
    eisen = _eisen(data, a)
    pad = data.waar(a).pad
    assert pad is not None
    ruw = pad.read_bytes()
    sha = hashlib.sha256(ruw).hexdigest()  # the version the form shows: a save of another version is refused
    # the form's values as the file has them (plain YAML reading is enough here: the write path round-trips)
    boom = yaml.load(ruw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    begin = _begin(boom, eisen)
    if request.method == "GET":
        bewaard = invoer(request)  # what was typed before the session expired, else the file's values
        formulier = (AanbiederFormulier(bewaard, eisen=eisen) if bewaard is not None
                     else AanbiederFormulier(initial={**begin, "versie": sha}, eisen=eisen))
        return render(request, "werkplaats/inkoop/aanbieder_bewerken.html",
                      {"regio": request.regio, "a": a, "formulier": formulier})
    formulier = AanbiederFormulier(request.POST, eisen=eisen)
    if formulier.is_valid():
        # compare with the file as the person saw it (its version), so only their own changes are written
        wijzigingen, labels = _wijzigingen(formulier, begin)
        gezien = formulier.cleaned_data.get("versie") or None
        try:
            _, waarschuwingen, tx = bewerk_aanbieder(data, a.id, wijzigingen, gezien, omschrijving=", ".join(labels),
                                                     auteur=auteur(request), git=True)
        except AanbiederFout as fout:
            for p in fout.problemen:
                formulier.add_error(veld_voor_pad(p.pad, formulier), p.bericht)
            leg_vast(request, "aanbieder opslaan geweigerd", regio=regio, onderwerp=a.naam,
                     resultaat="; ".join(p.bericht for p in fout.problemen))
        except (GelijktijdigGewijzigd, BezetFout) as fout:
            melding = "; ".join(re.sub(r"^\S*/", "", p.bericht) for p in fout.problemen)
            formulier.add_error(None, f"Deze aanbieder {melding}. Uw invoer staat hieronder nog; "
                                      "open de aanbieder opnieuw om de nieuwe stand te zien en breng uw wijziging "
                                      "dan opnieuw aan.")
            leg_vast(request, "aanbieder opslaan geweigerd (gelijktijdig)", regio=regio, onderwerp=a.naam,
                     resultaat=melding)
        else:
            if tx is None:
                messages.info(request, "Er was niets gewijzigd; er is niets opgeslagen.")
            else:
                messages.success(request, f"{a.naam} is opgeslagen ({', '.join(labels)}).")
                for p in waarschuwingen:
                    messages.warning(request, p.bericht)
            leg_vast(request, "aanbieder bewerkt", regio=regio, onderwerp=a.naam, resultaat=", ".join(labels))
            return redirect("inkoop:aanbieder", regio=regio, aanbieder=a.id)
    return render(request, "werkplaats/inkoop/aanbieder_bewerken.html",
                  {"regio": request.regio, "a": a, "formulier": formulier}, status=200)


# --- the new year --------------------------------------------------------------------------------------


@dataclass
class TariefRegel:
    set: str
    code: str
    omschrijving: str
    oud: str
    nieuw: str
    verschil: str


def _omschrijvingen(ts: m.TariefSet) -> dict[str, str]:
    uit = {}
    for arr in ts.arrangementen:
        for p in arr.producten + arr.toeslagen:
            uit[p.productcode] = f"{arr.titel}" + (f" — {p.naam}" if getattr(p, "naam", None) else "")
    for groep in ts.groepen:
        for post in groep.posten:
            uit[post.productcode or post.id] = getattr(post, "naam", None) or getattr(groep, "titel", "") or post.id
    return uit


def _voorbeeld(data: RegioData, plan) -> tuple[list[str], list[TariefRegel]]:
    """Per step of the plan: the document's new version in words, and every tariff old → new."""

    per_pad = {data.waar(obj).pad: obj for obj in [*data.documenten, *data.tariefsets]}
    documenten: list[str] = []
    tarieven: list[TariefRegel] = []
    for stap in plan.stappen:
        bron = per_pad.get(stap.bron)
        if isinstance(bron, m.TariefSet):
            nieuw, _ = validate_model(load_text(stap.inhoud, stap.pad.name, stap.pad), m.TariefSet)
            if nieuw is None:
                continue
            oud, na = tarieven_van(bron), tarieven_van(nieuw)
            namen = _omschrijvingen(bron)
            for code in oud:
                o, n = oud[code], na.get(code)
                pct = f"{((n - o) / o * 100):.1f} %".replace(".", ",") if o and n is not None else ""
                tarieven.append(TariefRegel(nieuw.id, code, namen.get(code, code), bedrag_tekst(o) if o is not None
                                            else "open", bedrag_tekst(n) if n is not None else "open", pct))
        elif isinstance(bron, m.Document):
            documenten.append(f"{bron.titel}: versie {plan.jaar}, geldig van 1 januari tot en met 31 december {plan.jaar}")
    return documenten, tarieven


def _percentages(formulier: JaarwisselFormulier, data: RegioData):
    """(indexatie or None, {domein: pct}) read by the library (`lees_percentage`); errors at their field."""

    c = formulier.cleaned_data
    indexatie = None
    per_domein: dict[str, Decimal] = {}
    if (c.get("indexatie") or "").strip():
        try:
            indexatie = lees_percentage(c["indexatie"], "indexatie")
        except ContractgenFout as fout:
            formulier.add_error("indexatie", fout.problemen[0].bericht)
    for d in formulier.domeinen:
        veld = f"domein__{d.id}"
        if (c.get(veld) or "").strip():
            try:
                per_domein[d.id] = lees_percentage(c[veld], d.naam)
            except ContractgenFout as fout:
                formulier.add_error(veld, fout.problemen[0].bericht)
    return indexatie, per_domein


def _sets_zonder_percentage(data: RegioData, indexatie, per_domein) -> list[str]:

    einde = date(huidig_jaar(data), 12, 31)
    if indexatie is not None:
        return []
    return sorted(t.id for t in data.tariefsets if t.looptijd.tot == einde and (t.domein or "") not in per_domein)


@regio_rol(Rol.INKOOPTEAM)
@require_http_methods(["GET", "POST"])
def jaarwissel(request: HttpRequest, regio: str) -> HttpResponse:
    """The wizard: percentages → preview of every tariff old → new (the library's --proef path) → apply."""

    data = _data(regio)
    jaar = huidig_jaar(data) + 1
    context: dict = {"regio": request.regio, "jaar": jaar, "huidig": jaar - 1}
    formulier = JaarwisselFormulier(invoer(request), domeinen=data.regio.domeinen)
    context["formulier"] = formulier
    if request.method == "POST" and formulier.is_valid():
        indexatie, per_domein = _percentages(formulier, data)
        zonder = _sets_zonder_percentage(data, indexatie, per_domein)
        if zonder and not formulier.errors:
            formulier.add_error("indexatie", "Vul een indexatiepercentage in voor alle tariefsets (geen indexatie is "
                                             "ook een keuze: typ dan 0), of per domein. Zonder percentage: "
                                             + ", ".join(zonder) + ".")
        if not formulier.errors:
            try:
                plan = maak_plan(data, jaar, indexatie, per_domein, formulier.cleaned_data["afronding"])
            except IndexatieFout as fout:  # at the percentage that did it: the domein's own, else the one for all
                formulier.add_error(f"domein__{fout.domein}" if fout.domein else "indexatie",
                                    "; ".join(p.bericht for p in fout.problemen))
            except ContractgenFout as fout:
                formulier.add_error(None, "; ".join(p.bericht for p in fout.problemen))
            else:
                # the preview's values: "Toepassen" applies only what was previewed (else it shows the new preview)
                waarden = sorted((k, v) for k, v in request.POST.items()
                                 if k not in ("csrfmiddlewaretoken", "actie", "voorbeeld"))
                sleutel = hashlib.sha256(repr(waarden).encode()).hexdigest()
                if request.POST.get("actie") == "toepassen" and request.POST.get("voorbeeld") == sleutel:
                    try:
                        tx = voer_uit(plan, auteur=auteur(request), git=True)
                    except (ContractgenFout, GelijktijdigGewijzigd, BezetFout) as fout:
                        formulier.add_error(None, "; ".join(p.bericht for p in fout.problemen) or str(fout))
                    else:
                        leg_vast(request, "jaarwissel", regio=regio, onderwerp=str(jaar),
                                 resultaat=f"{len(plan.stappen)} bestanden, commit {tx.commit or '-'}")
                        messages.success(request, f"{jaar} is geopend: {len(plan.stappen)} nieuwe versies van "
                                                  "documenten en tariefsets (de tariefsets als concept).")
                        return redirect(reverse("regio:pagina", kwargs={"regio": regio}) + f"?jaar={jaar}")
                documenten, tarieven = _voorbeeld(data, plan)
                context.update(voorbeeld=True, sleutel=sleutel, documenten=documenten, tarieven=tarieven,
                               bestaand=plan.bestaand, per_domein={domeinen.weergave(data.regio, k): v
                                                                   for k, v in per_domein.items()})
                leg_vast(request, "jaarwissel voorbeeld", regio=regio, onderwerp=str(jaar))
    return render(request, "werkplaats/inkoop/jaarwissel.html", context)


# --- tariff sets ---------------------------------------------------------------------------------------


def _set(data: RegioData, ident: str) -> m.TariefSet:
    ts = next((t for t in data.tariefsets if t.id == ident), None)  # looked up among what exists, else 404
    if ts is None:
        raise Http404("onbekende tariefset")
    return ts


@regio_rol(*LEZERS)
@require_GET
def tariefsets(request: HttpRequest, regio: str) -> HttpResponse:
    data = _data(regio)
    sets = sorted(data.tariefsets, key=lambda t: (t.looptijd.van, t.id), reverse=True)
    return render(request, "werkplaats/inkoop/tariefsets.html", {"regio": request.regio, "sets": sets})


def _te_corrigeren(ts: m.TariefSet) -> list[tuple[str, str]]:
    """The form's choices: every tariff of the set except those derived from others (corrected through those)."""
    namen = _omschrijvingen(ts)
    afgeleid = {p.productcode for arr in ts.arrangementen for p in arr.producten + arr.toeslagen
                if getattr(p, "afgeleid", None)}
    return [(c, f"{namen.get(c, c)} ({c})") for c in tarieven_van(ts) if c not in afgeleid]


def _tariefset_pagina(request: HttpRequest, data: RegioData, ts: m.TariefSet, formulier=None, status: int = 200):
    namen = _omschrijvingen(ts)
    rijen = [(code, namen.get(code, code), bedrag_tekst(t) if t is not None else "open")
             for code, t in tarieven_van(ts).items()]
    pad = data.waar(ts).pad
    bewaard = invoer(request) if formulier is None else None
    if bewaard is not None:
        formulier = TariefFormulier(bewaard, keuzes=_te_corrigeren(ts))
    elif formulier is None:
        formulier = TariefFormulier(initial={"versie": sha256_van(pad) if pad else ""}, keuzes=_te_corrigeren(ts))
    return render(request, "werkplaats/inkoop/tariefset.html", {
        "regio": request.regio, "ts": ts, "rijen": rijen, "verzegeld": ts.controlesom is not None,
        "formulier": formulier, "mag_schrijven": Rol.INKOOPTEAM in request.rollen,
        "versies": geschiedenis(pad, verschil=tariefverschil) if pad else []}, status=status)


@regio_rol(*LEZERS)
@require_GET
def tariefset(request: HttpRequest, regio: str, tariefset: str) -> HttpResponse:
    data = _data(regio)
    return _tariefset_pagina(request, data, _set(data, tariefset))


@regio_rol(Rol.INKOOPTEAM)
@require_POST
def vaststellen(request: HttpRequest, regio: str, tariefset: str) -> HttpResponse:
    """Seal the set (`tarieven vaststellen`): status vastgesteld, controlesom; later changes are refused."""

    data = _data(regio)
    ts = _set(data, tariefset)
    try:
        _, tarieven = stel_vast(data, ts.id, date.today(), controle=vaststelcontrole, auteur=auteur(request), git=True)
    except (ContractgenFout, GelijktijdigGewijzigd, BezetFout) as fout:
        messages.error(request, "; ".join(p.bericht for p in fout.problemen) or str(fout))
        leg_vast(request, "tariefset vaststellen geweigerd", regio=regio, onderwerp=ts.id, resultaat=str(fout))
    else:
        messages.success(request, f"Tariefset {ts.id} is vastgesteld ({len(tarieven)} tarieven). Een latere "
                                  "wijziging wordt geweigerd.")
        leg_vast(request, "tariefset vastgesteld", regio=regio, onderwerp=ts.id)
    return redirect("inkoop:tariefset", regio=regio, tariefset=ts.id)


@regio_rol(Rol.INKOOPTEAM)
@require_POST
def tarief_corrigeren(request: HttpRequest, regio: str, tariefset: str) -> HttpResponse:
    """Correct one tariff (`corrigeer_tarief`): validated by the model and the rules (a sealed set refuses)."""

    data = _data(regio)
    ts = _set(data, tariefset)
    namen = _omschrijvingen(ts)
    formulier = TariefFormulier(request.POST, keuzes=_te_corrigeren(ts))
    if formulier.is_valid():
        c = formulier.cleaned_data
        try:
            oud, nieuw, _, afgeleid = corrigeer_tarief(data, ts.id, c["code"], c["bedrag"], c.get("versie") or None,
                                                       auteur=auteur(request), git=True)
        except TariefFout as fout:
            for p in fout.problemen:
                formulier.add_error("bedrag", p.bericht)
            leg_vast(request, "tarief corrigeren geweigerd", regio=regio, onderwerp=f"{ts.id} {c['code']}",
                     resultaat="; ".join(p.bericht for p in fout.problemen))
        except (GelijktijdigGewijzigd, BezetFout) as fout:
            formulier.add_error(None, "De tariefset " + "; ".join(
                re.sub(r"^\S*/", "", p.bericht) for p in fout.problemen) + ". Open de tariefset opnieuw.")
        else:
            # the derived tariffs that followed (old → new), so nobody is surprised by a changed toeslag
            mee = "".join(f" Afgeleid tarief {namen.get(a, a)} ({a}) is mee veranderd: {bedrag_tekst(o)} → "
                          f"{bedrag_tekst(n)}." for a, o, n in afgeleid)
            messages.success(request, f"Tarief {namen.get(c['code'], c['code'])} ({c['code']}) is gecorrigeerd: "
                                      f"{bedrag_tekst(oud) if oud is not None else 'open'} → {bedrag_tekst(nieuw)}."
                                      + mee)
            leg_vast(request, "tarief gecorrigeerd", regio=regio, onderwerp=f"{ts.id} {c['code']}",
                     resultaat=f"{oud} -> {nieuw}" + "".join(f"; {a} {o} -> {n}" for a, o, n in afgeleid))
            return redirect("inkoop:tariefset", regio=regio, tariefset=ts.id)
    return _tariefset_pagina(request, data, ts, formulier)

