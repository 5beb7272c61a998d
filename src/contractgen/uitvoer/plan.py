"""What a build writes: the output folders, their documents and the content key of each.

Keys are hashes over exactly the inputs of a document (see `bronnen.py`); a folder's key
covers its documents. A build stamp over *all* inputs lets an unchanged rebuild stop at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable

from contractgen import __version__
from contractgen.basis.namen import veilige_naam
from contractgen.basis.problemen import Probleem
from contractgen.domein.dataset import RegioData
from contractgen.domein.model import Aanbieder, Document
from contractgen.domein.zoeken import algemene_documenten, pakket
from contractgen.render.docx import Sjablonen, standaard_sjablonen_map
from contractgen.uitvoer.bronnen import Bronnen, GitStaat
from contractgen.uitvoer.libreoffice import Omzetten


@dataclass
class Bouwopdracht:
    data_pad: Path
    uitvoer: Path
    peildatum: date | None = None
    aanbieders: list[str] = field(default_factory=list)
    sjablonen: Path | None = None
    pdf: bool = False
    pdfa: bool = False
    # problems a report finds in a region on the peildatum (the CLI passes `check`); an error refuses the build
    controle: Callable[[RegioData, date], list[Probleem]] | None = None
    # DOCX → PDF elsewhere (the CLI's --converter: omzetdienst.Dienstpool.converteer); None: local LibreOffice.
    # Not in the build stamp: the PDFs are the same either way
    omzetten: Omzetten | None = None


@dataclass
class Item:
    """One document of one output folder, and the key of its inputs."""

    rel: Path
    doc: Document
    aanbieder: Aanbieder | None
    sleutel: str
    bronnen: tuple[Path, ...]
    tekst: str = ""  # hash of the document's own text (Bronnen.tekst)
    concept: str = ""  # concept tariff sets of the aanbieder's package: then every document's header says CONCEPT


@dataclass
class MapPlan:
    """One output folder (`<regio>/<jaar>/<aanbieder|algemeen>`) and its documents in package order."""

    regio: RegioData
    rel: Path
    peildatum: date
    items: list[Item]
    sleutel: str
    commit: str | None


def taken(regio: RegioData, opdracht: Bouwopdracht) -> list[tuple[Path, Document, Aanbieder | None]]:
    """(relative output path, document, aanbieder) for everything this build writes."""
    peildatum = opdracht.peildatum or regio.regio.standaard_peildatum
    basis = Path(veilige_naam(regio.regio.id)) / str(peildatum.year)
    taken: list[tuple[Path, Document, Aanbieder | None]] = []
    for doc in algemene_documenten(regio, peildatum):
        taken.append((basis / "algemeen" / f"{veilige_naam(doc.id)}.docx", doc, None))
    for aanbieder in gekozen_aanbieders(regio, opdracht.aanbieders):
        map_ = basis / veilige_naam(aanbieder.id)
        for i, doc in enumerate(pakket(regio, aanbieder, peildatum), start=1):
            taken.append((map_ / f"{i:02d}-{veilige_naam(doc.id)}.docx", doc, aanbieder))
    return taken


def gekozen_aanbieders(regio: RegioData, ids: list[str]) -> list[Aanbieder]:
    if not ids:
        return list(regio.aanbieders)
    return [a for a in regio.aanbieders if a.id in ids]


def plan(regio: RegioData, opdracht: Bouwopdracht, sjablonen: Sjablonen) -> list[MapPlan]:
    """Every output folder of one region, sorted by path."""
    peildatum = opdracht.peildatum or regio.regio.standaard_peildatum
    bronnen = Bronnen(regio, peildatum, sjablonen.pad("document", regio.regio.id))
    git = GitStaat(regio.map)
    extra = f"pdf={opdracht.pdf};pdfa={opdracht.pdfa}"
    per_map: dict[Path, list[Item]] = {}
    for rel, doc, aanbieder in taken(regio, opdracht):
        if doc.sjabloon != "document":
            bronnen_doc = Bronnen(regio, peildatum, sjablonen.pad(doc.sjabloon, regio.regio.id))
        else:
            bronnen_doc = bronnen
        item = Item(rel, doc, aanbieder, bronnen_doc.sleutel(doc, aanbieder, extra), bronnen_doc.voor(doc, aanbieder),
                    bronnen_doc.tekst(doc))
        per_map.setdefault(rel.parent, []).append(item)
    mappen = []
    for rel, items in sorted(per_map.items()):
        items = _pakket_concept(regio, items)
        sleutel = hashlib.sha256("".join(i.rel.name + i.sleutel for i in items).encode()).hexdigest()
        alle_bronnen = tuple(sorted({b for i in items for b in i.bronnen}))
        mappen.append(MapPlan(regio, rel, peildatum, items, sleutel, git.commit(alle_bronnen)))
    return mappen


def _pakket_concept(regio: RegioData, items: list[Item]) -> list[Item]:
    """A package that shows a concept tariff set is a concept as a whole: every document of it says CONCEPT
    in its header, not only the bijlage with the tariffs (a signature page must not look final; issue 29).
    The sets are those among the package's sources; the key changes with them, so no document is reused
    from a build without the mark."""
    if not any(i.aanbieder is not None for i in items):
        return items
    bronnen = {b for i in items for b in i.bronnen}
    concept = ", ".join(sorted(ts.id for ts in regio.tariefsets
                               if ts.status == "concept" and regio.waar(ts).pad in bronnen))
    if not concept:
        return items
    return [replace(i, concept=concept, sleutel=hashlib.sha256(f"{i.sleutel};concept={concept}".encode()).hexdigest())
            for i in items]


def stempel(opdracht: Bouwopdracht) -> str:
    """A hash over every input of a build: data and template files, options and tool version."""
    h = hashlib.sha256()
    sjablonen = Path(opdracht.sjablonen or standaard_sjablonen_map())
    for deel in (__version__, str(opdracht.peildatum), ",".join(sorted(opdracht.aanbieders)),
                 f"{opdracht.pdf}{opdracht.pdfa}", str(Path(opdracht.data_pad).resolve()), str(sjablonen.resolve())):
        h.update(deel.encode() + b"\0")
    for basis in (Path(opdracht.data_pad), sjablonen):
        for pad in sorted(basis.rglob("*")) if basis.is_dir() else [basis]:
            if pad.is_file():
                h.update(str(pad.relative_to(basis) if basis.is_dir() else pad.name).encode() + b"\0")
                h.update(hashlib.sha256(pad.read_bytes()).digest())
    return h.hexdigest()
