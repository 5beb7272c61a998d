"""A diff as one self-contained HTML file: summary on top, old and new side by side.

No scripts, fonts or images from elsewhere: the file can be mailed or archived as is.
A checkbox (pure CSS) hides the unchanged rows.
"""

from __future__ import annotations

from html import escape

from contractgen.basis.formaat import bedrag_tekst, procent_tekst
from contractgen.diff.model import (
    ArtikelVerschil,
    Deel,
    DocumentVerschil,
    LidVerschil,
    RegelVerschil,
    TariefsetVerschil,
    Vergelijking,
)
from contractgen.diff.woorden import zichtbaar_wit
from contractgen.resolve.tarieven import EENHEID_TEKST

CSS = """
body{font-family:Calibri,Arial,sans-serif;margin:2em;color:#222;line-height:1.4}
h1{margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #444}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#eee}
td.nr{white-space:nowrap;width:3.5em;color:#555}
td.tekst{width:42%;white-space:pre-wrap}
td.wijziging{width:10em;font-size:.9em}
del{background:#fbd0d0;color:#900;text-decoration:line-through}
ins{background:#cdf2cd;color:#060;text-decoration:none}
tr.artikel td{background:#f4f4f4;font-weight:bold}
tr.gelijk td{color:#777}
tr.toegevoegd td.wijziging{color:#060}tr.verwijderd td.wijziging,tr.vervallen td.wijziging{color:#900}
.status{display:inline-block;padding:0 .4em;border-radius:3px;background:#eee}
.status.gewijzigd{background:#fff0c0}.status.toegevoegd{background:#cdf2cd}
.status.verwijderd,.status.vervallen{background:#fbd0d0}
td.bedrag{text-align:right;white-space:nowrap}
#alleen:checked~section tr.gelijk{display:none}
label{font-size:.9em}
"""


def _deel(delen: list[Deel], kant: str) -> str:
    """Old side shows deletions, new side shows insertions."""
    html = []
    for soort, tekst in delen:
        if soort == "=":
            html.append(escape(tekst))
        elif soort == kant:
            tag = "del" if soort == "-" else "ins"
            tekst = zichtbaar_wit(tekst) if tekst.isspace() else tekst  # a removed line break must show
            html.append(f"<{tag}>{escape(tekst)}</{tag}>")
    return "".join(html)


def _heel(tekst: str | None, tag: str) -> str:
    return f"<{tag}>{escape(tekst)}</{tag}>" if tekst else ""


def _rij(klasse: str, nr_oud: str, oud: str, nr_nieuw: str, nieuw: str, wijziging: str) -> str:
    return (f'<tr class="{klasse}"><td class="nr">{escape(nr_oud)}</td><td class="tekst">{oud}</td>'
            f'<td class="nr">{escape(nr_nieuw)}</td><td class="tekst">{nieuw}</td>'
            f'<td class="wijziging">{escape(wijziging)}</td></tr>')


def _regel(r: RegelVerschil) -> str:
    o, n = r.oud, r.nieuw
    if o is None or n is None:  # toegevoegd or verwijderd
        return _rij(r.status, "", _heel(o.tekst if o else None, "del"), "", _heel(n.tekst if n else None, "ins"),
                    f"{r.soort} {r.status}")
    if r.status == "gelijk":
        return _rij("gelijk", "", escape(o.tekst), "", escape(n.tekst), "")
    return _rij("gewijzigd", "", _deel(r.woorden, "-"), "", _deel(r.woorden, "+"), f"{r.soort} gewijzigd")


def _lid(lid: LidVerschil) -> list[str]:
    o, n = lid.oud, lid.nieuw
    if o and n:
        oud, nieuw = _deel(lid.tekst, "-"), _deel(lid.tekst, "+")
    else:
        oud, nieuw = _heel(o.tekst if o else None, "del"), _heel(n.tekst if n else None, "ins")
    klasse = lid.status
    rijen = [_rij(klasse, o.nummer if o else "", oud, n.nummer if n else "", nieuw, ", ".join(lid.kenmerken())
                  if lid.status != "gelijk" else "")]
    return rijen + [_regel(r) for r in lid.inhoud]


def _artikel(a: ArtikelVerschil) -> list[str]:
    o, n = a.oud, a.nieuw
    if o and n:
        oud = escape(a.voor_oud) + _deel(a.titel, "-")
        nieuw = escape(a.voor_nieuw) + _deel(a.titel, "+")
    else:
        oud, nieuw = _heel(a.kop_oud if o else None, "del"), _heel(a.kop_nieuw if n else None, "ins")
    wijziging = ", ".join(a.kenmerken()) if a.status != "gelijk" else ""
    klasse = "artikel " + ("gelijk" if a.status == "gelijk" else a.status)
    rijen = [_rij(klasse, "", oud, "", nieuw, wijziging)]
    rijen += [_regel(r) for r in a.inhoud]
    for lid in a.leden:
        rijen += _lid(lid)
    return rijen


def _document(d: DocumentVerschil, ids: bool = True) -> str:
    naam = f"{escape(d.sleutel)}, " if ids else ""
    kop = f'<section id="doc-{escape(d.sleutel)}"><h2>{escape(d.doc.volledige_titel)} ' \
          f'<small>({naam}{escape(d.versie_tekst())})</small></h2>'
    if d.status in ("toegevoegd", "verwijderd"):
        return kop + f"<p>Dit document is {d.status} (geldig vanaf {d.doc.geldig_van:%d-%m-%Y}).</p></section>"
    rijen = []
    for o in d.onderdelen:
        rijen += _artikel(o) if isinstance(o, ArtikelVerschil) else [_regel(o)]
    versie = lambda x: f" (versie {escape(x.versie)})"  # noqa: E731
    return (kop + f"<p>{escape(d.samenvatting())}</p><table class=\"naast\"><thead><tr><th>Nr.</th>"
            f"<th>Oud{versie(d.oud)}</th><th>Nr.</th><th>Nieuw{versie(d.nieuw)}</th><th>Wijziging</th></tr>"
            f"</thead><tbody>{''.join(rijen)}</tbody></table></section>")


def _tarieven(t: TariefsetVerschil) -> str:
    rijen = []
    for p in t.posten:
        post = p.huidig
        bedrag = lambda x: f"{bedrag_tekst(x.tarief)} {EENHEID_TEKST[x.eenheid]}" if x else ""  # noqa: E731
        verschil = procent_tekst(p.percentage) if p.percentage is not None and p.status == "gewijzigd" else ""
        wijziging = p.status if p.status in ("toegevoegd", "vervallen") else "; ".join(p.kenmerken())
        rijen.append(f'<tr class="{p.status}"><td class="nr">{escape(p.productcode)}</td>'
                     f'<td>{escape(post.omschrijving)}</td><td class="bedrag">{escape(bedrag(p.oud))}</td>'
                     f'<td class="bedrag">{escape(bedrag(p.nieuw))}</td><td class="bedrag">{escape(verschil)}</td>'
                     f'<td class="wijziging">{escape(wijziging)}</td></tr>')
    html = (f'<section id="tarieven-{escape(t.domein)}"><h2>Tarieven {escape(t.domein)} '
            f'<small>({escape(t.sets_tekst())})</small></h2><p>{escape(t.samenvatting())}</p>'
            f'<table><thead><tr><th>Productcode</th><th>Omschrijving</th><th>Oud</th><th>Nieuw</th>'
            f'<th>Verschil</th><th>Wijziging</th></tr></thead><tbody>{"".join(rijen)}</tbody></table>')
    for vw in t.voorwaarden:
        html += (f"<h3>Voorwaarden bij {escape(vw.arrangement)}</h3><table><tbody>"
                 f"{''.join(_regel(r) for r in vw.regels)}</tbody></table>")
    return html + "</section>"


def _samenvatting(v: Vergelijking, ids: bool = True) -> str:
    rijen = []
    for d in v.documenten:
        naam = escape(d.doc.volledige_titel)
        if d.status == "gewijzigd":
            naam = f'<a href="#doc-{escape(d.sleutel)}">{naam}</a>'
        wat = "" if d.status in ("gelijk", "toegevoegd", "verwijderd") else escape(d.samenvatting())
        sleutel = f"<br><small>{escape(d.sleutel)}</small>" if ids else ""
        rijen.append(f'<tr><td>{naam}{sleutel}</td><td>{escape(d.versie_tekst())}</td>'
                     f'<td><span class="status {d.status}">{d.status}</span></td><td>{wat}</td></tr>')
    for t in v.tarieven:
        naam = escape(f"Tarieven {t.domein}")
        if t.status == "gewijzigd":
            naam = f'<a href="#tarieven-{escape(t.domein)}">{naam}</a>'
        rijen.append(f'<tr><td>{naam}</td><td>{escape(t.sets_tekst())}</td><td><span class="status '
                     f'{t.status}">{t.status}</span></td><td>{escape(t.samenvatting())}</td></tr>')
    return ('<section id="samenvatting"><h2>Samenvatting</h2><table class="samenvatting"><thead><tr>'
            '<th>Document</th><th>Versie</th><th>Status</th><th>Wijzigingen</th></tr></thead>'
            f'<tbody>{"".join(rijen)}</tbody></table></section>')


def secties(v: Vergelijking, ids: bool = True) -> str:
    """The summary and one section per changed document or tariff series, every text escaped; no style or
    script (the workplace shows this inside its own page, with the rules of `CSS` in a static file).
    `ids=False`: documents by their titles only (the workplace shows no ids)."""
    delen = [_samenvatting(v, ids)]
    delen += [_document(d, ids) for d in v.documenten if d.status != "gelijk"]
    delen += [_tarieven(t) for t in v.tarieven if t.status != "gelijk"]
    return "".join(delen)


def html(v: Vergelijking) -> str:
    titel = f"Vergelijking {v.oud.label} → {v.nieuw.label}"
    return (f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(titel)}</title><style>{CSS}</style></head><body>"
            f"<h1>Vergelijking</h1><p>Oud: <b>{escape(v.oud.label)}</b><br>Nieuw: <b>{escape(v.nieuw.label)}</b></p>"
            f'<input type="checkbox" id="alleen"><label for="alleen"> alleen wijzigingen tonen</label>'
            f"{secties(v)}</body></html>\n")
