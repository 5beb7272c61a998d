"""Handlers for the text blocks of a document: headings, articles with leden, lists, tables,
footnotes, signature blocks, the bijlagenlijst and included fragments."""

from __future__ import annotations

from contractgen.domein import model as m
from contractgen.domein.zoeken import kies_versie
from contractgen.resolve import blokken as rb
from contractgen.resolve.context import Bouwer
from contractgen.resolve.koppen import artikel_kop, hoofdstuk_kop

_TEKENS = {"bullet": "•", "streep": "-", "label": ""}


def kop(b: Bouwer, blok: m.KopBlok, niveau: int) -> None:
    b.add(rb.Kop(2, b.t(blok.kop)))


def subkop(b: Bouwer, blok: m.SubkopBlok, niveau: int) -> None:
    b.add(rb.Kop(3, b.t(blok.subkop)))


def alinea(b: Bouwer, blok: m.AlineaBlok, niveau: int) -> None:
    b.add(rb.Alinea(b.t(blok.alinea), niveau))


def opsomming(b: Bouwer, blok: m.OpsommingBlok, niveau: int) -> None:
    _items(b, blok.opsomming.items, blok.opsomming.stijl, niveau)


def _items(b: Bouwer, items: list, stijl: str, niveau: int) -> None:
    _items_op(b, items, stijl, niveau, ("opsomming", "items"), "")


def _items_op(b: Bouwer, items: list, stijl: str, niveau: int, pad: tuple, voor: str) -> None:
    teken = _TEKENS[stijl]
    for j, item in enumerate(items):
        ident = b.anker(f"{voor}{j}", *pad, j)
        if isinstance(item, str):
            b.add(rb.Item(teken, b.t(item), min(niveau, 3), id=ident))
        else:
            b.add(rb.Item(b.t(item.label) if item.label is not None else teken, b.t(item.tekst), min(niveau, 3),
                          id=ident))
            if item.items:
                _items_op(b, item.items, stijl, niveau + 1, pad + (j, "items"), f"{voor}{j}.")


def tabel(b: Bouwer, blok: m.TabelBlok, niveau: int) -> None:
    t = blok.tabel
    breedte = max([len(t.kolommen)] + [len(r) for r in t.rijen])

    def vul(rij: list[str]) -> list[str]:
        return [b.t(c) for c in rij] + [""] * (breedte - len(rij))

    ids = tuple(b.anker(f"r{j}", "tabel", "rijen", j) for j in range(len(t.rijen)))
    b.add(rb.Tabel(vul(t.kolommen) if t.kolommen else [], [vul(r) for r in t.rijen], rij_ids=ids))


def begrippen(b: Bouwer, blok: m.BegrippenBlok, niveau: int) -> None:
    ids = tuple(b.anker(f"r{j}", "begrippen", j) for j in range(len(blok.begrippen)))
    b.add(rb.Tabel(["Begrip", "Definitie"], [[b.t(x.begrip), b.t(x.definitie)] for x in blok.begrippen],
                   rij_ids=ids))


def voetnoot(b: Bouwer, blok: m.VoetnootBlok, niveau: int) -> None:
    b.add(rb.Voetnoot(b.t(blok.voetnoot.nummer), b.t(blok.voetnoot.tekst)))


def hoofdstuk(b: Bouwer, blok: m.HoofdstukBlok, niveau: int) -> None:
    b.add(rb.Kop(1, hoofdstuk_kop(b.doc, blok.hoofdstuk, b.t)))


def artikel(b: Bouwer, blok: m.ArtikelBlok, niveau: int) -> None:
    art = blok.artikel
    if not art.geldig_op(b.peildatum):
        return  # another version of this article holds on the peildatum
    b.add(rb.Kop(2, artikel_kop(b.doc, art, b.t), anker=art.id, id=b.anker("", "artikel", eigen=art.id),
                 nummer=art.nummer, titel=b.t(art.titel)))
    pad, buiten = b.pad, b.binnen
    b.binnen = art.id
    b.blokken_van(art.inhoud, niveau, None if pad is None else pad + ("artikel", "inhoud"), f"{art.id}/")
    for j, lid in enumerate(art.leden):
        if not lid.geldig_op(b.peildatum):
            continue
        b.binnen = art.id
        b.add(rb.Lid(lid.nummer, b.t(lid.tekst), id=b.anker("", "artikel", "leden", j, eigen=lid.id), anker=lid.id))
        b.binnen = lid.id
        b.blokken_van(lid.inhoud, niveau + 1, None if pad is None else pad + ("artikel", "leden", j, "inhoud"),
                      f"{lid.id}/")
    b.binnen = buiten


def handtekening(b: Bouwer, blok: m.HandtekeningBlok, niveau: int) -> None:
    definitie = b.data.regio.handtekeningen[blok.handtekening.blok]
    b.handtekeningen += 1
    teken = tekenrij(definitie)
    b.add(rb.Handtekening(
        titel=b.t(blok.handtekening.titel or definitie.titel), partij=definitie.partij,
        veld=f"{definitie.partij}_{b.handtekeningen}",
        rijen=[rb.HandtekeningRegel(b.t(r.label), b.t(r.waarde), i == teken) for i, r in enumerate(definitie.rijen)],
        anker=f"cgteken{b.handtekeningen}", anker_nr=9000 + b.handtekeningen))


def tekenrij(definitie: m.HandtekeningDef) -> int:
    """Index of the row where one signs: the row marked `teken`, else the "Handtekening" row, else the last."""
    for i, r in enumerate(definitie.rijen):
        if r.teken:
            return i
    for i, r in enumerate(definitie.rijen):
        if r.label.strip().rstrip(":").lower() == "handtekening":
            return i
    return len(definitie.rijen) - 1


def bijlagenlijst(b: Bouwer, blok: m.BijlagenlijstBlok, niveau: int) -> None:
    ids = tuple(b.anker(f"r{j}", "bijlagenlijst", j) for j in range(len(blok.bijlagenlijst)))
    b.add(rb.Tabel([], [[f"Bijlage {x.nummer}", b.t(x.titel)] for x in blok.bijlagenlijst], rij_ids=ids))


def invoegen(b: Bouwer, blok: m.InvoegenBlok, niveau: int) -> None:
    ident = blok.invoegen.document
    fragment = kies_versie(b.data, ident, b.peildatum) or b.data.versies(ident)[-1]
    b.blokken_van(fragment.inhoud, niveau, pad=None)  # its text lives in the fragment: no ids here


def pagina_einde(b: Bouwer, blok: m.PaginaEindeBlok, niveau: int) -> None:
    if blok.pagina_einde:
        b.add(rb.PaginaEinde())
