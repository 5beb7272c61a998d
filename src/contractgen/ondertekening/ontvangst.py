"""The assessment of a returned contractpakket (`contractgen ontvangen`), also run on what `onderteken` makes.

`beoordeel(bestand, uitvoer, regios, data=None)` returns a `Beoordeling`: which aanbieder and
package the PDF is, whether its first revision is the package that was built (hash), every
signature (field, signer, time, cryptographic validity, trust, what changed after it), the
places still empty, and the reasons to refuse it (`weigeringen`; empty = acceptable).
Nothing here writes files; nothing here raises for a bad PDF: every problem is a reason.
"""

from __future__ import annotations

import io
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from contractgen.basis.namen import display_path, veilige_naam
from contractgen.basis.veilig import Onveilig, TeGroot, open_gewoon
from contractgen.ondertekening import velden as v
from contractgen.ondertekening.beleid import (
    Plaatsfout,
    Tijdsbudget,
    Tijdsoverschrijding,
    beschrijf_wijziging,
    diff_policy,
)
from contractgen.ondertekening.grenzen import STANDAARD, Grenzen, tel_revisies
from contractgen.ondertekening.identiteit import Regels, herken_ondertekenaar, lees_regels, past
from contractgen.ondertekening.pakketten import Herkenning, herken
from contractgen.ondertekening.tijd import tijd_tekst
from contractgen.ondertekening.vertrouwen import MAP as VERTROUWD_MAP
from contractgen.ondertekening.vertrouwen import (
    intrekkingslijsten,
    noemt_intrekking,
    validatiecontext,
    vertrouwde_certificaten,
)

# pyHanko logs tracebacks for suspicious changes; we report them ourselves, in Dutch
for _naam in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_naam).addHandler(logging.NullHandler())
    logging.getLogger(_naam).propagate = False

GEEN_HANDTEKENINGEN = "het pakket bevat geen handtekeningen"


@dataclass
class PdfHandtekening:
    """One signature as the user reads it."""

    veld: str
    plaats: str | None  # party of the field: gemeenten | opdrachtnemer | paraaf | None (no place of ours)
    ondertekenaar: str  # certificate subject, human readable
    partij: str | None  # party of the signer, from the certificate (KvK or organisation name)
    tijdstip: datetime | None
    intact: bool = False
    geldig: bool = False
    vertrouwd: bool = False
    tijdstempel: bool = False
    oordeel: str = ""  # "geldig, vertrouwd" | "geldige handtekening, certificaat niet vertrouwd (...)" | ...
    wijzigingen: str = ""  # what changed after this signature
    documenttijdstempel: bool = False  # a PAdES document timestamp (B-LTA), no signature of a party

    def als_json(self) -> dict:
        return {"veld": self.veld, "plaats": self.plaats, "ondertekenaar": self.ondertekenaar, "partij": self.partij,
                "documenttijdstempel": self.documenttijdstempel,
                "tijdstip": self.tijdstip.isoformat() if self.tijdstip else None, "intact": self.intact,
                "geldig": self.geldig, "vertrouwd": self.vertrouwd, "tijdstempel": self.tijdstempel,
                "oordeel": self.oordeel, "wijzigingen": self.wijzigingen}


@dataclass
class Beoordeling:
    bestand: Path
    herkenning: Herkenning | None = None
    regio_naam: str = ""
    aanbieder_naam: str = ""
    handtekeningen: list[PdfHandtekening] = field(default_factory=list)
    plaatsen: list[v.Plaats] = field(default_factory=list)
    wijzigingen: str = ""  # since the package that was sent
    weigeringen: list[str] = field(default_factory=list)
    data: bytes = b""  # what is stored: the bytes up to the end of the last signed revision
    afgekapt: str = ""  # what came after the last signed revision and is not stored (Dutch), '' if nothing

    @property
    def geaccepteerd(self) -> bool:
        return not self.weigeringen

    @property
    def open(self) -> list[v.Plaats]:
        """The places without a signature."""
        getekend = {h.veld for h in self.handtekeningen}
        return [p for p in self.plaatsen if p.naam not in getekend]

    def ondertekend_door(self, partij: str) -> tuple[int, int]:
        """(signed, total) handtekening places of `partij` (parafen not counted)."""
        eigen = [p for p in self.plaatsen if p.partij == partij]
        getekend = {h.veld for h in self.handtekeningen if h.geldig and h.intact and h.partij == partij}
        return sum(1 for p in eigen if p.naam in getekend), len(eigen)


def rapport(c: Beoordeling) -> list[str]:
    """The Dutch report lines of one assessment, indented, without the verdict."""
    regels: list[str] = []
    h = c.herkenning
    if h is not None:
        p = h.pakket
        wie = f"{p.aanbieder}" + (f" ({c.aanbieder_naam})" if c.aanbieder_naam else "")
        regels.append(f"  pakket: {wie}, {c.regio_naam or p.regio} {p.jaar}, peildatum {h.gebouwd.peildatum}")
        if h.actueel:
            regels.append(f"  eerste revisie: byte voor byte gelijk aan het gebouwde contractpakket.pdf "
                          f"(sha256 {h.gebouwd.sha256[:12]}…)")
        else:
            regels.append(f"  eerste revisie: gelijk aan een eerdere bouw (bouw {h.nummer} van "
                          f"{len(p.historie)}, sha256 {h.gebouwd.sha256[:12]}…), niet aan het huidige pakket")
    if c.wijzigingen:
        regels.append(f"  wijzigingen sinds het verstuurde pakket: {c.wijzigingen}")
    for hd in c.handtekeningen:
        plaats = v.PARTIJ_NAAM.get(hd.plaats, "geen handtekeningplaats") if hd.plaats else "geen handtekeningplaats"
        if hd.documenttijdstempel:
            plaats = "documenttijdstempel"
        tijd = tijd_tekst(hd.tijdstip) + (" (tijdstempel)" if hd.tijdstempel else "")
        na = f"; daarna: {hd.wijzigingen}" if hd.wijzigingen else ""
        regels.append(f"  handtekening {hd.veld} ({plaats}): {hd.ondertekenaar}, {tijd}: {hd.oordeel}{na}")
    if c.plaatsen:
        leeg = c.open
        handtekening = [p.naam for p in leeg if not p.is_paraaf]
        parafen = [p.naam for p in leeg if p.is_paraaf]
        if handtekening or parafen:
            delen = []
            for partij in (v.OPDRACHTNEMER, v.GEMEENTE, None):
                namen = [p.naam for p in leeg if p.partij == partij]
                if namen:
                    delen.append(f"{v.PARTIJ_NAAM.get(partij or '', 'onbekende partij')}: {', '.join(namen)}")
            if parafen:
                delen.append(f"{len(parafen)} paraaf/parafen")
            regels.append(f"  nog leeg: {'; '.join(delen)}")
        else:
            regels.append("  nog leeg: geen; alle plaatsen zijn ondertekend")
    if c.afgekapt and c.geaccepteerd:
        regels.append(f"  niet bewaard: {c.afgekapt}")
    return regels


def _is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


# A returned contractpakket is the package as built (a few MB) plus signatures; anything this big is not one.
MAX_PDF = STANDAARD.max_bytes


def _mb(aantal: float) -> str:
    """'100' or '0,5' (MB, Dutch decimal comma)."""
    return f"{aantal / 1024 / 1024:g}".replace(".", ",")


def lees_pdf(pad: Path, grens: int = MAX_PDF) -> bytes | str:
    """The bytes of `pad`, or the reason (Dutch, naming the file) it is refused before it is read whole:
    not a regular file (a folder, a FIFO or device: opening those could block or never end), larger than
    `grens`, or not starting with %PDF- in its first 1024 bytes."""
    naam = display_path(pad)
    try:
        fd = open_gewoon(pad, grens)
    except IsADirectoryError:
        return f"{naam} is een map, geen PDF-bestand"
    except TeGroot as fout:
        return (f"{naam} is te groot voor een contractpakket ({fout.grootte / 1024 / 1024:.0f} MB; verwacht "
                f"hoogstens {_mb(grens)} MB)")
    except Onveilig as fout:
        return f"{naam} {fout}"
    except OSError as fout:
        return f"{naam} kan niet gelezen worden: {fout.strerror or fout}"
    try:
        with os.fdopen(fd, "rb") as f:
            begin = f.read(1024)
            if not _is_pdf(begin):
                return "geen PDF-bestand (het begint niet met %PDF-)"
            data = begin + f.read(grens + 1 - len(begin))
    except OSError as fout:
        return f"{naam} kan niet gelezen worden: {fout.strerror or fout}"
    if len(data) > grens:  # grew while being read
        return f"{naam} is te groot voor een contractpakket (verwacht hoogstens {_mb(grens)} MB)"
    return data


def ondertekenaar_tekst(cert) -> str:
    """'A. Bestuurder, Voorbeeld Wmo B.V.' from a certificate subject (CN, O)."""
    try:
        s = cert.subject.native
    except Exception:  # noqa: BLE001
        s = {}
    delen = [s.get("common_name"), s.get("organization_name")]
    return ", ".join(str(d) for d in delen if d) or cert.subject.human_friendly


def _niveau_tekst(resultaat, reader=None, basis: int = 0) -> tuple[bool, str]:
    """(acceptable, Dutch description) of a pyHanko DiffResult or SuspiciousModification."""
    if resultaat is None:
        return True, "geen wijzigingen"
    if isinstance(resultaat, Plaatsfout):
        return False, str(resultaat)
    if not isinstance(resultaat, DiffResult):
        wat = ""
        if reader is not None:
            try:
                wat = beschrijf_wijziging(reader, basis, reader.xrefs.total_revisions - 1)
            except Exception:  # noqa: BLE001 - the description is a courtesy; the verdict stands
                wat = ""
        return False, f"het document is inhoudelijk gewijzigd ({wat or _kort(resultaat)})"
    niveau = resultaat.modification_level
    if niveau == ModificationLevel.NONE:
        return True, "geen wijzigingen"
    if niveau <= ModificationLevel.FORM_FILLING:
        return True, "alleen handtekeningvelden ingevuld"
    return False, f"het document is inhoudelijk gewijzigd (niveau {niveau.name})"


def _kort(fout) -> str:
    """The first line of a (long, English) library message, at most 120 characters."""
    regel = (str(fout).strip().splitlines() or [type(fout).__name__])[0]
    return regel if len(regel) <= 120 else regel[:119] + "…"


def _oordeel_vertrouwen(status, cert, regio_map: Path | None, nu: datetime) -> str:
    na = getattr(cert, "not_valid_after", None)
    voor = getattr(cert, "not_valid_before", None)
    if na is not None and na < nu:
        return f"certificaat verlopen op {tijd_tekst(na)}"
    if voor is not None and voor > nu:
        return f"certificaat nog niet geldig (vanaf {tijd_tekst(voor)})"
    if status.revoked:
        details = status.revocation_details
        wanneer = getattr(details, "revocation_date", None) if details is not None else None
        return "certificaat ingetrokken" + (f" op {tijd_tekst(wanneer)}" if wanneer else "")
    waar = display_path(regio_map / VERTROUWD_MAP) if regio_map else VERTROUWD_MAP
    if getattr(cert, "self_signed", "no") != "no":
        return f"zelfondertekend certificaat, niet in {waar}/"
    return f"geen keten naar een vertrouwd certificaat in {waar}/"


def beoordeel(bestand: Path, uitvoer: Path, regios: dict, data: bytes | None = None,
              nu: datetime | None = None, grenzen: Grenzen = STANDAARD) -> Beoordeling:
    """Check one returned PDF. `regios` maps the output folder name of a region to its RegioData.

    Never raises for bad input: unreadable or too large files, foreign PDFs, broken or untrusted
    signatures, signers of the wrong party and changes beyond filling the places are reasons in
    `Beoordeling.weigeringen`. The limits (`grenzen`) are checked before any PDF parsing.
    Raises OndertekeningFout for a malformed trust configuration of the region (vertrouwd/).
    """
    budget = Tijdsbudget(grenzen.max_seconden)
    c = Beoordeling(Path(bestand))
    naam = display_path(bestand)
    if data is None:
        gelezen = lees_pdf(Path(bestand), grenzen.max_bytes)
        if isinstance(gelezen, str):
            c.weigeringen.append(gelezen)
            return c
        data = gelezen
    if len(data) > grenzen.max_bytes:  # bytes made here (onderteken) or handed in by the workplace
        c.weigeringen.append(f"{naam} is te groot voor een contractpakket ({len(data) / 1024 / 1024:.0f} MB; "
                             f"verwacht hoogstens {_mb(grenzen.max_bytes)} MB)")
        return c
    c.data = data
    if not _is_pdf(data):
        c.weigeringen.append("geen PDF-bestand (het begint niet met %PDF-)")
        return c
    h = herken(data, uitvoer)
    c.herkenning = h
    if h is None:
        c.weigeringen.append(f"geen contractpakket uit {display_path(uitvoer)}: het begin van het bestand is met "
                             f"geen enkel gebouwd contractpakket.pdf byte voor byte gelijk (onderteken met een "
                             f"PDF-lezer die de handtekening toevoegt, niet met een die het bestand opnieuw opslaat)")
        return c
    regio = regios.get(h.pakket.regio)
    aanbieder = None
    if regio is not None:
        c.regio_naam = regio.regio.naam
        aanbieder = next((a for a in regio.aanbieders if veilige_naam(a.id) == h.pakket.aanbieder), None)
        c.aanbieder_naam = aanbieder.naam if aanbieder else ""
    if not h.actueel:
        c.weigeringen.append(
            f"dit is een eerdere bouw van het pakket (bouw {h.nummer} van {len(h.pakket.historie)}, peildatum "
            f"{h.gebouwd.peildatum}); het contractpakket is daarna opnieuw gebouwd: laat het nieuwe pakket ondertekenen")
    if regio is None:
        c.weigeringen.append(f"regio '{h.pakket.regio}' niet gevonden in de contractdata; geef --data met de map van "
                             f"de contractdata")
    origineel = data[:h.gebouwd.grootte]
    try:
        c.plaatsen = v.plaatsen(origineel, h.pakket.manifest if h.actueel else None)
    except Exception as fout:  # noqa: BLE001
        c.weigeringen.append(f"het verstuurde pakket is niet te lezen: {fout}")
        return c
    revisies, max_revisies = tel_revisies(data, len(origineel)), grenzen.revisies(len(c.plaatsen))
    if revisies > max_revisies:
        c.weigeringen.append(f"het bestand heeft {revisies} revisies na het verstuurde pakket, meer dan de "
                             f"{max_revisies} die bij {len(c.plaatsen)} handtekeningplaatsen horen; onderteken het "
                             f"verstuurde pakket opnieuw, zonder tussentijds op te slaan")
        return c
    regels = lees_regels(regio.map, regio.regio) if regio is not None else None
    try:
        with budget:
            _controleer_handtekeningen(c, data, origineel, regio, aanbieder, regels,
                                       nu or datetime.now(timezone.utc), budget)
    except Tijdsoverschrijding as fout:
        c.weigeringen.append(f"{fout} (grens); het bestand is niet volledig gecontroleerd en wordt niet aangenomen")
    return c


def _bouwt_voort_op(reader, origineel: bytes) -> bool:
    """Whether pyHanko's first revision is the original file's own cross-reference section.

    The hash check covers the first bytes; this makes sure the later revisions chain back to
    exactly those bytes, so that the difference analysis compares with what was sent.
    """
    gevonden = re.findall(rb"startxref\s+(\d+)", origineel[-1024:])
    if not gevonden:
        return False
    try:
        return reader.xrefs.get_startxref_for_revision(0) == int(gevonden[-1])
    except Exception:  # noqa: BLE001
        return False


def _einde_getekend(handtekeningen: list[EmbeddedPdfSignature]) -> int:
    """The end of the last signed revision: the largest end of a /ByteRange (0 if none)."""
    einde = 0
    for sig in handtekeningen:
        try:
            reeks = [int(x) for x in sig.sig_object["/ByteRange"]]
            einde = max(einde, reeks[2] + reeks[3])
        except Exception:  # noqa: BLE001 - a damaged signature is refused elsewhere
            continue
    return einde


def _controle_context(vertrouwd, crls, reader, streng: bool):
    """Validation context with the region's roots and CRLs and the DSS of the PDF (PAdES B-LT)."""
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        return dss.as_validation_context({"trust_roots": list(vertrouwd), "allow_fetching": False,
                                          "crls": list(crls),
                                          "revocation_mode": "hard-fail" if streng else "soft-fail"})
    except Exception:  # noqa: BLE001 - no DSS (the usual case) or an unreadable one: the region's data only
        return validatiecontext(vertrouwd, crls=crls, streng=streng)


def _documenttijdstempel(c: Beoordeling, sig: EmbeddedPdfSignature, context, beleid, reader) -> None:
    """A document timestamp (PAdES B-LTA) in an invisible field of its own: valid and trusted, or refused."""
    veld = sig.field_name
    try:
        status = validate_pdf_timestamp(sig, context, diff_policy=beleid)
        wie = ondertekenaar_tekst(sig.signer_cert)
    except Tijdsoverschrijding:
        raise
    except Exception as fout:  # noqa: BLE001
        c.weigeringen.append(f"documenttijdstempel in veld {veld} is beschadigd en niet te controleren ({_kort(fout)})")
        return
    h = PdfHandtekening(veld, None, wie, None, status.timestamp, intact=status.intact, geldig=status.valid,
                        vertrouwd=status.trusted, tijdstempel=True, documenttijdstempel=True)
    c.handtekeningen.append(h)
    ok, h.wijzigingen = _niveau_tekst(status.diff_result, reader, sig.signed_revision) \
        if status.diff_result is not None else (True, "geen wijzigingen")
    if status.intact and status.valid and status.trusted:
        h.oordeel = "geldig, vertrouwd"
    else:
        h.oordeel = "ongeldig of niet vertrouwd"
        c.weigeringen.append(f"documenttijdstempel in veld {veld} ({wie}) is ongeldig of niet vertrouwd")
    if not ok:
        c.weigeringen.append(f"na de documenttijdstempel in veld {veld} is meer gewijzigd dan handtekeningvelden: "
                             f"{h.wijzigingen}")


def _controleer_handtekeningen(c: Beoordeling, data: bytes, origineel: bytes, regio, aanbieder, regels: Regels | None,
                               nu: datetime, budget: Tijdsbudget) -> None:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        revisies = reader.xrefs.total_revisions
        gevuld = [(naam, veld) for naam, _, veld in enumerate_sig_fields(reader, filled_status=True)]
    except Exception as fout:  # noqa: BLE001 - any parse error means a damaged file
        c.weigeringen.append(f"de PDF is beschadigd en niet te lezen ({_kort(fout)})")
        return
    budget.controleer()
    handtekeningen = []
    for naam, veld in gevuld:  # one by one, so that a broken one is named (and none is skipped)
        try:
            handtekeningen.append(EmbeddedPdfSignature(reader, veld, naam))
        except Exception as fout:  # noqa: BLE001 - a damaged CMS blob, a missing /ByteRange, ...
            partij = next((p.partij for p in c.plaatsen if p.naam == naam), None)
            c.handtekeningen.append(PdfHandtekening(naam, partij, "onbekend", None, None,
                                                    oordeel=f"handtekening beschadigd ({_kort(fout)})"))
            c.weigeringen.append(f"handtekening in veld {naam} is beschadigd en niet te lezen ({_kort(fout)})")
    try:
        handtekeningen.sort(key=lambda sig: sig.signed_revision)  # in the order they were made
    except Exception:  # noqa: BLE001 - a revision that cannot be placed: keep the field order
        pass
    if revisies > 1 and not _bouwt_voort_op(reader, origineel):
        c.weigeringen.append("de wijzigingen bouwen niet voort op het verstuurde pakket (de eerste revisie is een "
                             "andere dan het verstuurde bestand)")
        return
    if revisies <= 1 or not gevuld:
        c.weigeringen.append(GEEN_HANDTEKENINGEN)
        return
    plaatsen = {p.naam: p for p in c.plaatsen}
    beleid = diff_policy(plaatsen, budget)
    try:
        basis_ok, c.wijzigingen = _niveau_tekst(beleid.review_file(reader, 0), reader, 0)
    except Tijdsoverschrijding:
        raise
    except Exception as fout:  # noqa: BLE001
        basis_ok, c.wijzigingen = False, f"de wijzigingen zijn niet te analyseren ({_kort(fout)})"
    gewijzigd_na: list[str] = []  # fields whose signature was followed by more than signing
    detail = c.wijzigingen
    vertrouwd = vertrouwde_certificaten(regio.map) if regio is not None else []
    crls = intrekkingslijsten(regio.map) if regio is not None else []
    streng, soepel = _controle_context(vertrouwd, crls, reader, True), None
    for sig in handtekeningen:
        budget.controleer()
        veld = sig.field_name
        plaats = plaatsen.get(veld)
        if sig.sig_object_type == "/DocTimeStamp":
            _documenttijdstempel(c, sig, streng, beleid, reader)
            continue
        try:
            cert = sig.signer_cert
            herkend = herken_ondertekenaar(cert, aanbieder, regels)
            h = PdfHandtekening(veld, plaats.partij if plaats else None, ondertekenaar_tekst(cert), herkend.partij,
                                None)
        except Exception as fout:  # noqa: BLE001
            c.weigeringen.append(f"handtekening in veld {veld} is onleesbaar ({_kort(fout)})")
            continue
        c.handtekeningen.append(h)
        intrekking = ""
        try:
            status = validate_pdf_signature(sig, streng, diff_policy=beleid)
            if not status.trusted and not status.revoked and noemt_intrekking(cert):
                # not trusted with revocation required: try without; if that trusts it, the only
                # problem is that no CRL or OCSP answer was at hand
                soepel = soepel or _controle_context(vertrouwd, crls, reader, False)
                zacht = validate_pdf_signature(sig, soepel, diff_policy=beleid)
                if zacht.trusted:
                    status, intrekking = zacht, "intrekking niet te controleren"
            elif status.trusted and noemt_intrekking(cert):
                intrekking = "niet ingetrokken"
        except Tijdsoverschrijding:
            raise
        except Exception as fout:  # noqa: BLE001 - a broken CMS blob, a wrong digest, ...
            h.oordeel = f"handtekening beschadigd ({_kort(fout)})"
            c.weigeringen.append(f"handtekening in veld {veld} is beschadigd en niet te controleren ({_kort(fout)})")
            continue
        h.intact, h.geldig, h.vertrouwd = status.intact, status.valid, status.trusted
        ts = status.timestamp_validity
        h.tijdstempel = ts is not None and ts.valid and ts.intact and ts.trusted
        h.tijdstip = ts.timestamp if ts is not None and h.tijdstempel else status.signer_reported_dt
        if ts is not None and not h.tijdstempel:
            c.weigeringen.append(f"de tijdstempel bij de handtekening in veld {veld} is ongeldig of niet vertrouwd")
        ok, h.wijzigingen = _niveau_tekst(status.diff_result, reader, sig.signed_revision) \
            if status.diff_result is not None else (
            status.coverage is not None and status.coverage.name == "ENTIRE_FILE", "geen wijzigingen")
        if not (status.intact and status.valid):
            h.oordeel = "ongeldig: de ondertekende inhoud is gewijzigd of de handtekening is beschadigd"
            c.weigeringen.append(f"handtekening in veld {veld} ({h.ondertekenaar}) is ongeldig: de ondertekende "
                                 f"inhoud is gewijzigd of de handtekening is beschadigd")
            continue
        if not ok:
            gewijzigd_na.append(veld)
            detail = h.wijzigingen
        if status.trusted:
            h.oordeel = "geldig, vertrouwd" + (f", {intrekking}" if intrekking else "")
        else:
            reden = _oordeel_vertrouwen(status, cert, regio.map if regio else None, nu)
            h.oordeel = f"geldige handtekening, certificaat niet vertrouwd ({reden})"
            c.weigeringen.append(f"handtekening in veld {veld} ({h.ondertekenaar}): {h.oordeel}")
        if plaats is None:
            c.weigeringen.append(f"handtekening van {h.ondertekenaar} in veld {veld}, dat geen handtekeningplaats "
                                 f"van dit pakket is")
        elif not past(plaats.partij, herkend):
            soort = "parafeerplaats" if plaats.is_paraaf else \
                f"handtekeningplaats van de {v.PARTIJ_NAAM.get(plaats.partij or '', 'onbekende partij')}"
            if herkend.partij is not None:
                reden = f"het certificaat is van de {v.PARTIJ_NAAM[herkend.partij]}"
            else:
                reden = herkend.waarom
            h.oordeel += f"; ondertekenaar hoort niet bij deze plaats ({reden})"
            c.weigeringen.append(f"handtekening van {h.ondertekenaar} staat in veld {veld}, een {soort}: {reden}")
    if gewijzigd_na:
        c.weigeringen.append(f"na ondertekening is meer gewijzigd dan handtekeningvelden (na de "
                             f"handtekening in {', '.join(gewijzigd_na)}): {detail}")
    elif not basis_ok:
        c.weigeringen.append(f"het pakket is gewijzigd voordat het werd ondertekend; meer dan handtekeningvelden "
                             f"invullen: {c.wijzigingen}")
    einde = _einde_getekend(handtekeningen)
    if 0 < einde < len(data):
        rest = data[einde:]
        na = tel_revisies(rest, 0)
        wat = f"{na} revisie(s) zonder handtekening" if na else "gegevens na de laatste %%EOF"
        c.afgekapt = (f"{len(rest)} bytes na de laatste ondertekende revisie ({wat}); bewaard is het bestand tot en "
                      f"met de laatste handtekening")
        c.data = data[:einde]
