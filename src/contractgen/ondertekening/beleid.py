"""The difference policy for returned packages: pyHanko's analysis with the places of the manifest.

`diff_policy(plaatsen, budget)` is pyHanko's `StandardDiffPolicy` with three changes:

- `PlaatsenCreatieRegel` (instead of `SigFieldCreationRule`): after the sent revision no field may
  appear, except an invisible document timestamp (PAdES B-LTA). pyHanko's default counts a new
  *unsigned* signature field with an appearance as form filling; that is the "sneaky signature"
  (Mainka et al., USENIX Security 2021) that paints over a price.
- `PlaatsenInvulRegel` (instead of `SigFieldModificationRule`): only the manifest's places may be
  filled, and a place may not move or change shape (`/Rect`, `/P`). No rule for other field kinds:
  a package has only signature fields, so any other form change stays unexplained and is refused.
- `HerschrevenRegel`: an object that an incremental update writes again with the same content as in
  the signed revision (endesive re-writes the page of the field; pypdf prints 595.303937 where
  LibreOffice wrote 595.303937007874, an array inline where it was a reference) is no change.

A refusal by these rules is a `Plaatsfout`, whose message is Dutch and names field, page and rectangle.
`beschrijf_wijziging(reader, basis, revisie)` says in Dutch what pyHanko's own refusals refer to.
Upper bound pyhanko<0.39 in pyproject.toml: the rule classes are pyHanko's extension API but the
form-field specs (`FieldComparisonSpec`) are internals.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Iterable
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import HistoricalResolver
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    FormUpdatingRule,
    ModificationLevel,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    SuspiciousModification,
)
from pyhanko.sign.diff_analysis.constants import ACROFORM_EXEMPT_STRICT_COMPARISON
from pyhanko.sign.diff_analysis.form_rules_api import FieldComparisonContext, FieldComparisonSpec, FormUpdate
from pyhanko.sign.diff_analysis.rules_api import ReferenceUpdate, WhitelistRule

MAX_DIEPTE = 12  # nesting followed when comparing a re-written object (a page, its resources)
MAX_KNOPEN = 20_000  # objects compared per re-written object; beyond that it counts as changed
MAX_STROOM = 4 * 2**20  # decoded stream bytes compared; beyond that only the encoded bytes count
GETAL_MARGE = 1e-5  # points: far below anything visible; pypdf prints 6 decimals


class Plaatsfout(SuspiciousModification):
    """A change to fields or widgets after the sent revision; `str()` is the Dutch reason."""


class Tijdsoverschrijding(BaseException):
    """The time budget of one assessment ran out (see `Tijdsbudget`). A BaseException, so that no
    `except Exception` on the way (ours or pyHanko's) turns it into a verdict about the file."""


class Tijdsbudget:
    """The time for one assessment: checked between steps (each revision compared, each signature
    validated) and, in the main thread of a process (the CLI), also by a timer signal, because one
    step of pyHanko (its reverse cross-reference index over all revisions) can take minutes on its own.
    Use as a context manager around the work; `controleer()` between steps.
    """

    def __init__(self, seconden: float):
        self.seconden = seconden
        self.einde = time.monotonic() + seconden
        self._vorige: Any = None  # the SIGALRM handler before ours
        self._actief = False  # whether our timer runs

    def _melding(self) -> Tijdsoverschrijding:
        return Tijdsoverschrijding(f"de controle duurde langer dan {self.seconden:g} seconden")

    def controleer(self) -> None:
        if time.monotonic() > self.einde:
            raise self._melding()

    def _wekker(self, signum, frame):
        raise self._melding()

    def __enter__(self) -> Tijdsbudget:
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            self._vorige = signal.signal(signal.SIGALRM, self._wekker)
            self._actief = True
            signal.setitimer(signal.ITIMER_REAL, max(self.einde - time.monotonic(), 0.001))
        return self

    def __exit__(self, *fout) -> None:
        if self._actief:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._vorige if self._vorige is not None else signal.SIG_DFL)
            self._actief = False


# --- where a widget is -----------------------------------------------------------------------------


def _haal(d, sleutel: str):
    """`d[sleutel]` dereferenced, None when absent or `d` is no dictionary."""
    if not isinstance(d, generic.DictionaryObject) or sleutel not in d:
        return None
    waarde = d.raw_get(sleutel)
    return waarde.get_object() if isinstance(waarde, generic.IndirectObject) else waarde


def _paginas(resolver: HistoricalResolver) -> list[generic.Reference]:
    """Page references in order (bounded walk of the page tree)."""
    result: list[generic.Reference] = []
    stapel = [resolver.root.raw_get("/Pages")]
    gezien = 0
    while stapel and gezien < 100_000:
        gezien += 1
        knoop = stapel.pop()
        if not isinstance(knoop, generic.IndirectObject):
            continue
        obj = knoop.get_object()
        if not isinstance(obj, generic.DictionaryObject):
            continue
        if obj.get("/Type") == "/Page" or "/Kids" not in obj:
            result.append(knoop.reference)
        else:
            stapel.extend(reversed(list(_haal(obj, "/Kids") or [])))
    return result


def waar(resolver: HistoricalResolver, widget_ref: generic.Reference | None, widget: generic.DictionaryObject) -> str:
    """'pagina 16, rechthoek (72, 700)–(200, 720)' for a widget annotation (1-based page)."""
    pagina = None
    paginas = _paginas(resolver)
    p = widget.raw_get("/P") if "/P" in widget else None
    if isinstance(p, generic.IndirectObject) and p.reference in paginas:
        pagina = paginas.index(p.reference) + 1
    elif widget_ref is not None:
        for nr, ref in enumerate(paginas, start=1):
            annots = _haal(ref.get_object(), "/Annots") or []
            if any(isinstance(a, generic.IndirectObject) and a.reference == widget_ref for a in annots):
                pagina = nr
                break
    try:
        x1, y1, x2, y2 = (float(x) for x in widget["/Rect"])
        rechthoek = f"rechthoek ({x1:.0f}, {y1:.0f})–({x2:.0f}, {y2:.0f})"
    except (KeyError, TypeError, ValueError):
        rechthoek = "zonder rechthoek"
    return f"{'pagina ' + str(pagina) if pagina else 'geen pagina'}, {rechthoek}"


def _widgets(veld_ref: generic.Reference, veld: generic.DictionaryObject):
    """(ref, dict) of the widgets of a field: the field itself or its /Kids without /T."""
    kinderen = _haal(veld, "/Kids")
    if not kinderen:
        yield veld_ref, veld
        return
    for kind in kinderen:
        if isinstance(kind, generic.IndirectObject):
            obj = kind.get_object()
            if isinstance(obj, generic.DictionaryObject) and "/T" not in obj:
                yield kind.reference, obj


def _zichtbaar(widget: generic.DictionaryObject) -> bool:
    try:
        x1, y1, x2, y2 = (float(x) for x in widget["/Rect"])
    except (KeyError, TypeError, ValueError):
        return False
    return abs(x2 - x1) * abs(y2 - y1) > 0


# --- the rules ---------------------------------------------------------------------------------


class PlaatsenCreatieRegel(SigFieldCreationRule):
    """No new fields after the sent revision, except invisible document timestamps (B-LTA)."""

    def apply(self, context: FieldComparisonContext) -> Iterable[tuple[ModificationLevel, FormUpdate]]:
        for naam, spec in context.field_specs.items():
            if spec.old_field_ref is not None or spec.new_field_ref is None:
                continue
            veld = spec.new_field_ref.get_object()
            widgets = list(_widgets(spec.new_field_ref, veld)) if isinstance(veld, generic.DictionaryObject) else []
            zichtbaar = [(r, w) for r, w in widgets if _zichtbaar(w)]
            waarde = _haal(veld, "/V")
            tijdstempel = isinstance(waarde, generic.DictionaryObject) and waarde.get("/Type") == "/DocTimeStamp"
            if spec.field_type == "/Sig" and tijdstempel and not zichtbaar:
                continue
            plek = waar(context.new, *(zichtbaar or widgets or [(spec.new_field_ref, veld)])[0])
            soort = "handtekeningveld" if spec.field_type == "/Sig" else "formulierveld"
            ingevuld = "ondertekend" if waarde is not None else "niet ondertekend"
            raise Plaatsfout(f"nieuw {soort} '{naam}' ({ingevuld}) toegevoegd op {plek}; na het verstuurde pakket "
                             f"mogen alleen de handtekeningplaatsen van het pakket worden ingevuld")
        yield from super().apply(context)


class PlaatsenInvulRegel(SigFieldModificationRule):
    """Filling a signature field: only a place of the manifest, and the place keeps its position and shape."""

    def __init__(self, plaatsen: frozenset[str] | None):
        super().__init__()
        self.plaatsen = plaatsen

    def check_form_field(self, fq_name: str, spec: FieldComparisonSpec,
                         context: FieldComparisonContext) -> Iterable[tuple[ModificationLevel, FormUpdate]]:
        oud, nieuw = spec.old_field, spec.new_field
        if spec.field_type == "/Sig" and oud is not None and nieuw is not None:
            if self.plaatsen is not None and fq_name not in self.plaatsen and "/V" in nieuw and "/V" not in oud:
                raise Plaatsfout(f"veld '{fq_name}' ({waar(context.new, spec.new_field_ref, nieuw)}) is ingevuld, "
                                 f"maar is geen handtekeningplaats van het pakket")
            for sleutel in ("/Rect", "/P", "/Kids"):
                if sleutel == "/P" and sleutel not in oud:
                    continue  # some readers add the (optional) page link when they sign; /Rect still holds
                if not _gelijk(oud.raw_get(sleutel) if sleutel in oud else None,
                               nieuw.raw_get(sleutel) if sleutel in nieuw else None, context.old, context.new):
                    raise Plaatsfout(f"handtekeningplaats '{fq_name}' is verplaatst of van vorm veranderd (was "
                                     f"{waar(context.old, spec.old_field_ref, oud)}, nu "
                                     f"{waar(context.new, spec.new_field_ref, nieuw)})")
        yield from super().check_form_field(fq_name, spec, context)


class HerschrevenRegel(WhitelistRule):
    """Objects written again in a later revision with the same content as in the signed one."""

    def __init__(self, budget: Tijdsbudget | None = None):
        self.budget = budget

    def apply(self, old: HistoricalResolver, new: HistoricalResolver) -> Iterable[ReferenceUpdate]:
        if self.budget is not None:
            self.budget.controleer()
        for ref in new.explicit_refs_in_revision():
            if old.is_ref_unassignable(ref):
                continue  # new in this revision: other rules judge it
            try:
                if _gelijk(old(ref), new(ref), old, new):
                    yield ReferenceUpdate(ref)
            except (_TeGroot, RecursionError):
                continue


class _TeGroot(Exception):
    pass


def _gelijk(a, b, oud: HistoricalResolver, nieuw: HistoricalResolver, teller: list[int] | None = None,
            diepte: int = 0) -> bool:
    """Whether PDF objects `a` (in `oud`) and `b` (in `nieuw`) have the same content.

    Indirect and direct forms of one value are equal; numbers within `GETAL_MARGE`; strings by their
    bytes however written; streams by their (decoded) data. Bounded by MAX_DIEPTE and MAX_KNOPEN.
    """
    teller = teller if teller is not None else [0]
    teller[0] += 1
    if teller[0] > MAX_KNOPEN or diepte > MAX_DIEPTE:
        raise _TeGroot
    ind_a, ind_b = isinstance(a, generic.IndirectObject), isinstance(b, generic.IndirectObject)
    if ind_a and ind_b and a.reference == b.reference:
        # the same object number: equal unless that object was itself re-written, which the
        # analysis judges on its own
        return True
    if ind_a or ind_b:
        a = oud(a.reference) if ind_a else a
        b = nieuw(b.reference) if ind_b else b
        return _gelijk(a, b, oud, nieuw, teller, diepte + 1)
    if a is None or b is None:
        return a is None and b is None
    getallen = (generic.NumberObject, generic.FloatObject)
    if isinstance(a, getallen) or isinstance(b, getallen):
        return (isinstance(a, getallen) and isinstance(b, getallen)
                and math.isclose(float(a), float(b), rel_tol=0, abs_tol=GETAL_MARGE))
    teksten = (generic.TextStringObject, generic.ByteStringObject)
    if isinstance(a, teksten) or isinstance(b, teksten):
        return isinstance(a, teksten) and isinstance(b, teksten) and a.original_bytes == b.original_bytes
    if isinstance(a, generic.ArrayObject) or isinstance(b, generic.ArrayObject):
        return (isinstance(a, generic.ArrayObject) and isinstance(b, generic.ArrayObject) and len(a) == len(b)
                and all(_gelijk(x, y, oud, nieuw, teller, diepte + 1) for x, y in zip(a, b)))
    if isinstance(a, generic.StreamObject) or isinstance(b, generic.StreamObject):
        if not (isinstance(a, generic.StreamObject) and isinstance(b, generic.StreamObject)):
            return False
        if a.encoded_data != b.encoded_data:
            if max(len(a.encoded_data), len(b.encoded_data)) > MAX_STROOM:
                return False
            try:
                if a.data != b.data:
                    return False
            except Exception:  # noqa: BLE001 - an undecodable stream is not shown to be equal
                return False
        sleutels = (set(a.keys()) | set(b.keys())) - {"/Length", "/Filter", "/DecodeParms"}
        return all(k in a and k in b and _gelijk(a.raw_get(k), b.raw_get(k), oud, nieuw, teller, diepte + 1)
                   for k in sleutels)
    if isinstance(a, generic.DictionaryObject) or isinstance(b, generic.DictionaryObject):
        return (isinstance(a, generic.DictionaryObject) and isinstance(b, generic.DictionaryObject)
                and set(a.keys()) == set(b.keys())
                and all(_gelijk(a.raw_get(k), b.raw_get(k), oud, nieuw, teller, diepte + 1) for k in a.keys()))
    return type(a) is type(b) and a == b


def diff_policy(plaatsen: Iterable[str] | None = None, budget: Tijdsbudget | None = None) -> StandardDiffPolicy:
    """The policy for a package whose signature places are `plaatsen` (None: any existing signature field).

    The signer may also set `/SigFlags` on the form: our packages are built without signatures, so the
    first signature adds it (the default policy only sees that against the unsigned revision).
    """
    return StandardDiffPolicy(
        global_rules=[*DEFAULT_DIFF_POLICY.global_rules, HerschrevenRegel(budget).as_qualified(
            ModificationLevel.LTA_UPDATES)],
        form_rule=FormUpdatingRule(
            field_rules=[PlaatsenCreatieRegel(), PlaatsenInvulRegel(frozenset(plaatsen) if plaatsen is not None
                                                                    else None)],
            ignored_acroform_keys=ACROFORM_EXEMPT_STRICT_COMPARISON | {"/SigFlags"},
        ),
    )


# --- what pyHanko's own refusals refer to ----------------------------------------------------------


def beschrijf_wijziging(reader, basis: int, revisie: int, max_regels: int = 4) -> str:
    """Dutch description of what revision `revisie` changed on the pages compared with `basis`:
    annotations added or removed, page content changed (e.g. 'pagina 4: annotatie /FreeText
    toegevoegd (rechthoek ...); pagina 4: inhoud gewijzigd'). '' when no page changed."""
    oud, nieuw = reader.get_historical_resolver(basis), reader.get_historical_resolver(revisie)
    regels: list[str] = []
    oude_paginas, nieuwe_paginas = _paginas(oud), _paginas(nieuw)
    if len(oude_paginas) != len(nieuwe_paginas):
        regels.append(f"aantal pagina's van {len(oude_paginas)} naar {len(nieuwe_paginas)}")
    for nr, ref in enumerate(nieuwe_paginas, start=1):
        if len(regels) >= max_regels:
            break
        try:
            nieuwe = nieuw(ref)
            oude = oud(ref) if not oud.is_ref_unassignable(ref) else None
        except Exception:  # noqa: BLE001 - a damaged page: the analysis already refused it
            continue
        if oude is None or not isinstance(nieuwe, generic.DictionaryObject):
            continue
        oude_annots = {a.reference for a in (_haal(oude, "/Annots") or []) if isinstance(a, generic.IndirectObject)}
        for a in _haal(nieuwe, "/Annots") or []:
            if isinstance(a, generic.IndirectObject) and a.reference not in oude_annots:
                annot = a.get_object()
                soort = annot.get("/Subtype", "?") if isinstance(annot, generic.DictionaryObject) else "?"
                regels.append(f"annotatie {soort} toegevoegd op {waar(nieuw, a.reference, annot)}")
        try:
            inhoud_gelijk = _gelijk(oude.raw_get("/Contents") if "/Contents" in oude else None,
                                    nieuwe.raw_get("/Contents") if "/Contents" in nieuwe else None, oud, nieuw)
            inhoud_gelijk = inhoud_gelijk and all(
                _gelijk(getattr(oud(r), "data", None), getattr(nieuw(r), "data", None), oud, nieuw)
                for r in _inhoud_refs(nieuwe) if not oud.is_ref_unassignable(r))
        except (_TeGroot, RecursionError):
            inhoud_gelijk = False
        if not inhoud_gelijk:
            regels.append(f"inhoud van pagina {nr} gewijzigd")
    return "; ".join(regels[:max_regels])


def _inhoud_refs(pagina: generic.DictionaryObject) -> list[generic.Reference]:
    inhoud = pagina.raw_get("/Contents") if "/Contents" in pagina else None
    if isinstance(inhoud, generic.IndirectObject):
        obj = inhoud.get_object()
        if isinstance(obj, generic.ArrayObject):
            return [x.reference for x in obj if isinstance(x, generic.IndirectObject)]
        return [inhoud.reference]
    if isinstance(inhoud, generic.ArrayObject):
        return [x.reference for x in inhoud if isinstance(x, generic.IndirectObject)]
    return []
