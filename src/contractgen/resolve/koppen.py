"""Heading texts of hoofdstukken and artikelen, in the document's own format.

One place for render (and diff, which reads the headings from the typed blocks): Maastricht prints "HOOFDSTUK 1 Titel", Noord-Limburg
"1. Titel" (`kop_hoofdstuk` / `kop_artikel` of the document).
"""

from __future__ import annotations

from typing import Callable

from contractgen.domein import model as m

Tekst = Callable[[str], str]


def _ongewijzigd(tekst: str) -> str:
    return tekst


def hoofdstuk_kop(doc: m.Document | None, h: m.Hoofdstuk, t: Tekst = _ongewijzigd) -> str:
    """'HOOFDSTUK 1 Algemeen' or '1. Toelichting', as `doc.kop_hoofdstuk` says (None: the default format)."""
    vorm = doc.kop_hoofdstuk if doc is not None else m.Document.model_fields["kop_hoofdstuk"].default
    return vorm.format(nummer=h.nummer, titel=t(h.titel)).strip()


def artikel_kop(doc: m.Document | None, art: m.Artikel, t: Tekst = _ongewijzigd) -> str:
    """'Artikel 3: Bijlagen' or 'Artikel 9 Periodieke evaluatie', as `doc.kop_artikel` says."""
    voor, titel, na = artikel_kop_delen(doc, art, t)
    return " ".join(f"{voor}{titel}{na}".split())


def artikel_kop_delen(doc: m.Document | None, art: m.Artikel, t: Tekst = _ongewijzigd) -> tuple[str, str, str]:
    """The heading in three parts, (text before the title, title, text after), for word diffs of the title."""
    titel = t(art.titel)
    scheiding = art.scheiding if art.scheiding == ":" and titel else ""
    vorm = doc.kop_artikel if doc is not None else m.Document.model_fields["kop_artikel"].default
    voor, _, na = vorm.format(nummer=art.nummer, scheiding=scheiding, titel="\x00").partition("\x00")
    return voor, titel, na
