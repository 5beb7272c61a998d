"""contractpakket.pdf: one aanbieder's cover and finished documents in one signable, tagged PDF.

Merged from the documents as `uitvoer/pdf.voltooi` finished them, so fields are placed once:
each document's fields come along with its pages and get the document id as prefix
(`dvo_gemeenten_1`, `bijlage-1-1_paraaf_p2`), which keeps every name in the package unique.
Per document a bookmark with its own bookmarks below it, page labels `DVO 1`, `Bijlage 1.1 3`
(cover: i, ii), and the documents' tag structures under one /StructTreeRoot so that text stays
tagged for screen readers and PDF/A.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, String

from contractgen.uitvoer.pdf import PARAAF, PdfInfo, bewaar, formuliervelden, metadata, nederlands, spaties_in_tekstlaag


def _getallen(boom: pikepdf.Object) -> list[pikepdf.Object]:
    """The [key, value, ...] pairs of a number tree (/Nums, or /Kids of number trees)."""
    uit = list(boom.get("/Nums", Array()))
    for kind in boom.get("/Kids", Array()):
        uit += _getallen(kind)
    return uit


class _Structuur:
    """The tag structure of a merged package: every part's structure elements under one /StructTreeRoot.

    Each part's pages and annotations number their entries in the part's /ParentTree from 0;
    in the package they are shifted by the keys of the parts before, so text stays tagged.
    """

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.kinderen = Array()
        self.getallen: list[Any] = []  # [key, value, ...] of the merged /ParentTree
        self.rollen = Dictionary()
        self.volgende = 0

    def voeg_toe(self, bron: pikepdf.Pdf, start: int) -> None:
        """Add `bron`'s structure; its pages are already copied to `start`, … (qpdf maps /Pg to the copies)."""
        if "/StructTreeRoot" not in bron.Root:
            return
        kloon = self.pdf.copy_foreign(bron.Root.StructTreeRoot)
        verschuiving = self.volgende
        paren = _getallen(kloon.ParentTree) if "/ParentTree" in kloon else []
        hoogste = -1
        for i in range(0, len(paren) - 1, 2):
            sleutel = int(paren[i])
            hoogste = max(hoogste, sleutel)
            self.getallen.extend([sleutel + verschuiving, paren[i + 1]])
        for page in self.pdf.pages[start:start + len(bron.pages)]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + verschuiving
            for annot in page.obj.get("/Annots", Array()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + verschuiving
        self.volgende = max(self.volgende + hoogste + 1, int(kloon.get("/ParentTreeNextKey", 0)) + verschuiving)
        kinderen = kloon.get("/K", Array())
        self.kinderen.extend(list(kinderen) if isinstance(kinderen, Array) else [kinderen])
        for naam, rol in kloon.get("/RoleMap", Dictionary()).items():
            self.rollen[naam] = rol

    def schrijf(self) -> None:
        """Put the merged structure in the catalog, its elements' /P pointing at the new root."""
        if not self.kinderen:
            return
        boom = self.pdf.make_indirect(Dictionary(
            Type=Name.StructTreeRoot, K=self.kinderen,
            ParentTree=self.pdf.make_indirect(Dictionary(Nums=Array(self.getallen))), ParentTreeNextKey=self.volgende,
        ))
        if len(self.rollen):
            boom.RoleMap = self.rollen
        for kind in self.kinderen:
            kind.P = boom
        self.pdf.Root.StructTreeRoot = boom
        self.pdf.Root.MarkInfo = Dictionary(Marked=True)


def _kopieer_bladwijzers(items: list[OutlineItem], paginas: Mapping[tuple[int, int], pikepdf.Object]) -> list[OutlineItem]:
    """A part's own bookmarks, pointing at its pages in the package."""
    uit = []
    for item in items:
        dest: Any = item.destination
        if dest is None and item.action is not None and item.action.get("/S") == Name.GoTo:
            dest = item.action.get("/D")
        nieuw_dest = None
        if isinstance(dest, Array) and len(dest) and isinstance(dest[0], Dictionary) and dest[0].objgen in paginas:
            nieuw_dest = Array([paginas[dest[0].objgen], *list(dest)[1:]])
        nieuw = OutlineItem(item.title, destination=nieuw_dest)
        nieuw.children.extend(_kopieer_bladwijzers(list(item.children), paginas))
        uit.append(nieuw)
    return uit


def _label(tekst: str) -> str:
    return re.sub(r"\s+", " ", tekst).strip()[:40]


def veldnaam(tekst: str) -> str:
    """A document id as a field-name prefix (letters, digits, - and _)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", tekst)


def voeg_samen(omslag: Path | None, delen: list[tuple[Path, PdfInfo]], uit: Path, titel: str,
               datum: date, pdfa: bool) -> dict[str, str]:
    """Write one contractpakket.pdf: cover, then every finished document.

    Returns every signature field of the package in order, name → party (gemeenten, opdrachtnemer
    or paraaf), for the manifest: signing and `ontvangen` read the parties from there.

    `delen` are the documents' finished PDFs (`pdf.voltooi`) with what the build knows of them.
    Raises pikepdf.PdfError for an unreadable part, OSError.
    """
    pdf = pikepdf.new()
    structuur = _Structuur(pdf)
    labels: list[Any] = []  # [first page, label style, ...] of /PageLabels
    bladwijzers: list[OutlineItem] = []
    velden = formuliervelden(pdf)
    namen: dict[str, str] = {}
    versies = []
    bronnen = []  # open until saved: qpdf copies foreign objects lazily
    output_intents = None
    for pad, info in ([(omslag, None)] if omslag is not None else []) + list(delen):
        bron = pikepdf.open(pad)
        bronnen.append(bron)
        versies.append(bron.pdf_version)
        if output_intents is None and "/OutputIntents" in bron.Root:
            output_intents = Array([pdf.copy_foreign(o) for o in bron.Root.OutputIntents])
        start = len(pdf.pages)
        with warnings.catch_warnings():
            # it warns that form fields are not carried: the loop below carries them, renamed per document
            warnings.simplefilter("ignore", getattr(pikepdf, "PageCopyWarning", UserWarning))
            pdf.pages.extend(bron.pages)
        paginas = {b.obj.objgen: pdf.pages[start + i].obj for i, b in enumerate(bron.pages)}
        structuur.voeg_toe(bron, start)
        if info is None:
            labels.extend([start, Dictionary(S=Name.r)])
            bladwijzers.append(OutlineItem("Inhoud van dit pakket", destination=start))
            continue
        labels.extend([start, Dictionary(S=Name.D, P=String(f"{_label(info.korte_titel)} "), St=1)])
        item = OutlineItem(f"{info.titel} (versie {info.versie})", destination=start)
        with bron.open_outline() as boek:
            item.children.extend(_kopieer_bladwijzers(list(boek.root), paginas))
        bladwijzers.append(item)
        voorvoegsel = f"{veldnaam(info.id)}_"
        partijen = {v.naam: v.partij for v in info.handtekeningen}
        for page in pdf.pages[start:]:
            for annot in page.obj.get("/Annots", Array()):
                if annot.get("/FT") == Name.Sig:
                    eigen = str(annot.T)
                    annot.T = String(voorvoegsel + eigen)
                    velden.append(annot)
                    namen[voorvoegsel + eigen] = partijen.get(eigen, PARAAF if eigen.startswith("paraaf_") else "")
    with pdf.open_outline() as outline:
        outline.root.extend(bladwijzers)
    pdf.Root.PageLabels = Dictionary(Nums=Array(labels))
    structuur.schrijf()
    nederlands(pdf)
    spaties_in_tekstlaag(pdf)  # the cover is LibreOffice's own; the documents were done by voltooi
    if pdfa and output_intents is not None:
        pdf.Root.OutputIntents = output_intents
    metadata(pdf, titel, datum, pdfa)
    try:
        bewaar(pdf, uit, max(versies, default="1.4"))
    finally:
        for bron in bronnen:
            bron.close()
    return namen

