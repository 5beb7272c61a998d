"""Which items of two sides a diff compares: the choice a user would make.

A tariff set named with --document is that set on both sides, not the newest set of
its domain (`--document jeugd-2018` never compares jeugd-2018 with jeugd-2019). A side
that is one YAML file compares only what that file holds: the other side contributes
the same document (or tariff set), not everything else as "verwijderd".
"""

from __future__ import annotations

from contractgen.diff.bron import Kant
from contractgen.domein.model import TariefSet

Sleutel = tuple[str | None, str]


def kies_zijden(oud: Kant, nieuw: Kant, document: str | None) -> tuple[dict, dict, dict, dict]:
    """(documenten oud, documenten nieuw, tariefsets oud, tariefsets nieuw), keyed (regio, id|domein)."""
    do, dn = dict(oud.documenten), dict(nieuw.documenten)
    to, tn = dict(oud.tariefsets), dict(nieuw.tariefsets)
    if document:
        so, sn = _sets_met_id(oud, document), _sets_met_id(nieuw, document)
        if so or sn:  # a tariff set by its id: that very set on both sides
            to, tn = so, sn
    if oud.enkel and nieuw.enkel:
        # two files: compare them with each other, whatever their ids
        return _een_naam(do, nieuw.enkel_id), _een_naam(dn, nieuw.enkel_id), _een_naam(to), _een_naam(tn)
    if oud.enkel:
        dn, tn = _zelfde(oud, dn, tn, nieuw)
        oud.regios = oud.regios or nieuw.regios  # context for inline fields: region name, references
    elif nieuw.enkel:
        do, to = _zelfde(nieuw, do, to, oud)
        nieuw.regios = nieuw.regios or oud.regios
    return do, dn, to, tn


def _sets_met_id(kant: Kant, ident: str) -> dict[Sleutel, list[TariefSet]]:
    result: dict[Sleutel, list[TariefSet]] = {}
    for sleutel, sets in kant.alle_tariefsets().items():
        gekozen = [t for t in sets if t.id == ident]
        if gekozen:
            result[sleutel] = gekozen
    return result


def _een_naam(items: dict, naam: str | None = None) -> dict:
    """Key the items of a single file without a region, under `naam` when given."""
    return {(None, naam or k[1]): v for k, v in items.items()}


def _zelfde(enkel: Kant, docs: dict, sets: dict, ander: Kant) -> tuple[dict, dict]:
    """The other side reduced to the document or tariff set the single file holds."""
    ident = enkel.enkel_id
    assert ident is not None, "a single-file side always has its id (set by bron._enkel_bestand)"
    docs = dict([(k, d) for k, d in docs.items() if k[1] == ident][:1])
    if not enkel.tariefsets and not any(t.id == ident for v in ander.alle_tariefsets().values() for t in v):
        return docs, {}
    zelfde = _sets_met_id(ander, ident)
    if zelfde:
        return docs, dict(list(zelfde.items())[:1])
    domeinen = {d for _, d in enkel.tariefsets}
    return docs, dict([(k, v) for k, v in sets.items() if k[1] in domeinen][:1])
