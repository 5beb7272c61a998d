"""Places as a jurist names them: 'DVO art. 11.5', 'Bijlage 3, eis D2', "Bijlage 2.1, onder 'Opleiding'".

A check finding points at a path in a YAML file (`inhoud.31.artikel.leden.1.tekst`);
people read the place in the contract instead. The path stays in the JSON report.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from contractgen.domein import model as m
from contractgen.resolve.plaatsen import document_naam

KOPPEN = ("kop", "subkop", "hoofdstuk")


def plaats_naam(obj: Any, pad: tuple) -> str:
    """The place of `pad` inside a document, region or tariff set, in words."""
    if isinstance(obj, m.Document):
        return _in_document(obj, pad)
    if isinstance(obj, m.Regio) and pad[:1] == ("parameters",) and len(pad) > 1:
        return f"parameter '{obj.parameters[pad[1]].naam}'"
    if isinstance(obj, m.TariefSet):
        return _in_tariefset(obj, pad)
    return ""


def _in_document(doc: m.Document, pad: tuple) -> str:
    naam = document_naam(doc)
    node, label = doc, naam
    for stap in pad:
        if isinstance(node, list) and isinstance(stap, int) and stap < len(node):
            node = node[stap]
        elif isinstance(stap, str) and hasattr(node, stap):
            node = getattr(node, stap)
        else:
            break
        if isinstance(node, (m.Artikel, m.Lid)):
            label = f"{naam} art. {node.nummer}"
        elif isinstance(node, m.Eis):
            label = f"{naam}, eis {node.nr}"
    if label == naam and len(pad) > 1 and pad[0] == "inhoud" and isinstance(pad[1], int):
        kop = _kop_boven(doc.inhoud[: pad[1] + 1])
        titels = " ".join(x for x in (doc.titel, doc.volledige_titel) if x).lower()
        if kop and kop.rstrip("…").lower() not in titels:  # the title heading says nothing more
            label = f"{naam}, onder '{kop}'"
    return label


def _kop_boven(blokken: list) -> str | None:
    """The last heading at or before a top-level block: where a reader finds it."""
    for blok in reversed(blokken):
        soort = m.blok_soort(blok)
        if soort in KOPPEN:
            waarde = getattr(blok, soort)
            tekst = waarde if isinstance(waarde, str) else f"{waarde.nummer} {waarde.titel}".strip()
            return tekst if len(tekst) <= 60 else tekst[:59] + "…"
    return None


def _in_tariefset(ts: m.TariefSet, pad: tuple) -> str:
    if len(pad) >= 4 and pad[0] == "arrangementen" and pad[2] in ("producten", "toeslagen"):
        arr = ts.arrangementen[pad[1]]
        post = getattr(arr, pad[2])[pad[3]]
        return f"tariefset {ts.id}, productcode {post.productcode}"
    if len(pad) >= 2 and pad[0] == "arrangementen":  # voorwaarden, voetnoten: the arrangement holds them
        return f"tariefset {ts.id}, {ts.arrangementen[pad[1]].titel}"
    return f"tariefset {ts.id}"


def knoop(data: Any, pad: tuple) -> Any:
    """The raw loaded value at `pad` (the deepest that exists)."""
    for stap in pad:
        if isinstance(data, dict) and stap in data:
            data = data[stap]
        elif isinstance(data, list) and isinstance(stap, int) and 0 <= stap < len(data):
            data = data[stap]
    return data


def vingerafdruk(regel: str, bericht: str, bron: Any) -> str:
    """12 hex digits over the rule, the message and the source text at the place: a changed text
    (or a changed finding) gives another fingerprint, so a reviewed finding comes back."""
    bericht = re.sub(r"\bregel \d+", "regel", bericht)  # lines that shift are no change of text
    inhoud = json.dumps([regel, bericht, bron], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(inhoud.encode("utf-8")).hexdigest()[:12]
