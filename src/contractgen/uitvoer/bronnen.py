"""What each output document is made from: its source files, a content key, and their git commit.

The key of a document is a hash over exactly its inputs (its own YAML, included
fragments, the tariff sets and documents it refers to, regio.yaml, the aanbieder,
the template, the peildatum and the tool version). A rebuild re-renders a document
only when its key changed; a folder whose keys all match is left untouched.
"""

from __future__ import annotations

import hashlib
import subprocess
from datetime import date
from functools import lru_cache
from pathlib import Path

from contractgen import __version__
from contractgen.basis.hashing import sha256_bestand
from contractgen.domein import model as m
from contractgen.domein.dataset import RegioData
from contractgen.domein.velden import velden_in
from contractgen.domein.zoeken import (
    kies_versie,
    tariefperiode,
    teksten,
    walk_blokken,
    zoek_tariefset,
)


@lru_cache(maxsize=None)
def bestand_hash(pad: Path) -> str:
    """`sha256_bestand`, cached for one build (`bestand_hash.cache_clear()` at its start)."""
    return sha256_bestand(pad)


def _pad(data: RegioData, obj) -> Path:
    pad = data.waar(obj).pad
    assert pad is not None, "every model loaded from a file knows its file"
    return pad


class Bronnen:
    """Source files per document and aanbieder, for keys and the manifest."""

    def __init__(self, data: RegioData, peildatum: date, sjabloon: Path):
        self.data, self.peildatum, self.sjabloon = data, peildatum, sjabloon
        self._doc_bronnen: dict[int, tuple[Path, ...]] = {}

    def van_document(self, doc: m.Document) -> tuple[Path, ...]:
        if id(doc) not in self._doc_bronnen:
            self._doc_bronnen[id(doc)] = tuple(sorted(self._verzamel(doc, set(), doc)))
        return self._doc_bronnen[id(doc)]

    def _verzamel(self, doc: m.Document, gezien: set[str], buiten: m.Document) -> set[Path]:
        """Files of `doc` (the document itself, or a fragment inserted into `buiten`)."""
        bronnen = {_pad(self.data, doc), _pad(self.data, self.data.regio)}
        gezien.add(doc.id)
        for obj, _ in walk_blokken(doc.inhoud, ()):
            for tekst, _ in teksten(obj, ()):
                for veld in velden_in(tekst):
                    if veld.naam.startswith("ref:"):
                        doel = kies_versie(self.data, veld.naam.split(":")[1], self.peildatum)
                        if doel is not None:
                            bronnen.add(_pad(self.data, doel))
            for soort in ("arrangementen", "uurtarieven"):
                ref = getattr(obj, soort, None)
                if ref is not None and not isinstance(ref, list):
                    # the set the resolver picks for the including document's looptijd
                    ts, _ = zoek_tariefset(self.data, ref.tarieven, *tariefperiode(buiten, self.peildatum))
                    if ts is not None:
                        bronnen.add(_pad(self.data, ts))
            if isinstance(obj, m.TransformatieBlok):
                tabel = self.data.transformatie(obj.transformatie.tabel)
                if tabel is not None:
                    bronnen.add(_pad(self.data, tabel))
            if isinstance(obj, m.InvoegenBlok) and obj.invoegen.document not in gezien:
                ident = obj.invoegen.document
                # the version `resolve.tekstblokken.invoegen` shows, not every version of the fragment
                fragment = kies_versie(self.data, ident, self.peildatum) or next(
                    iter(reversed(self.data.versies(ident))), None)
                if fragment is not None:
                    bronnen |= self._verzamel(fragment, gezien, buiten)
        return bronnen

    def tekst(self, doc: m.Document) -> str:
        """A hash of the document's own text: its file and the fragments it inserts (not tariffs, regio
        or aanbieder). Two builds that show one `versie` label must show one text (issue 13)."""
        h = hashlib.sha256()
        for pad in sorted(self._tekstbestanden(doc, {doc.id})):
            h.update(bestand_hash(pad).encode())
        return h.hexdigest()

    def _tekstbestanden(self, doc: m.Document, gezien: set[str]) -> set[Path]:
        bestanden = {_pad(self.data, doc)}
        for obj, _ in walk_blokken(doc.inhoud, ()):
            if isinstance(obj, m.InvoegenBlok) and obj.invoegen.document not in gezien:
                ident = obj.invoegen.document
                fragment = kies_versie(self.data, ident, self.peildatum) or next(
                    iter(reversed(self.data.versies(ident))), None)
                if fragment is not None:
                    bestanden |= self._tekstbestanden(fragment, gezien | {ident})
        return bestanden

    def voor(self, doc: m.Document, aanbieder: m.Aanbieder | None) -> tuple[Path, ...]:
        eigen = (_pad(self.data, aanbieder),) if aanbieder is not None else ()
        return tuple(sorted(set(self.van_document(doc)) | set(eigen)))

    def sleutel(self, doc: m.Document, aanbieder: m.Aanbieder | None, extra: str = "") -> str:
        h = hashlib.sha256()
        for deel in (__version__, self.peildatum.isoformat(), bestand_hash(self.sjabloon), doc.id, doc.versie, extra):
            h.update(deel.encode() + b"\0")
        for pad in self.voor(doc, aanbieder):
            h.update(bestand_hash(pad).encode())
        return h.hexdigest()


class GitStaat:
    """The last commit of each data file, from one `git log` call; None outside git."""

    def __init__(self, map_: Path):
        self.laatste: dict[Path, str] = {}
        self.gewijzigd: set[Path] = set()
        self.actief = False
        try:
            top = Path(subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=map_, capture_output=True,
                                      text=True, timeout=10, check=True).stdout.strip())
            log = subprocess.run(["git", "log", "--format=@%H", "--name-only", "--", "."], cwd=map_,
                                 capture_output=True, text=True, timeout=30, check=True).stdout
            status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--", "."], cwd=map_,
                                    capture_output=True, text=True, timeout=30, check=True).stdout
        except (OSError, subprocess.SubprocessError):
            return
        self.actief = True
        commit = ""
        for regel in log.splitlines():
            if regel.startswith("@"):
                commit = regel[1:]
            elif regel.strip():
                self.laatste.setdefault((top / regel.strip()).resolve(), commit)
        for regel in status.splitlines():
            self.gewijzigd.add((top / regel[3:].strip()).resolve())

    def commit(self, bronnen: tuple[Path, ...]) -> str | None:
        """The newest commit among these files (by position in the log), '+gewijzigd' for local changes."""
        if not self.actief:
            return None
        volgorde = {c: i for i, c in enumerate(dict.fromkeys(self.laatste.values()))}
        commits = [self.laatste.get(p.resolve()) for p in bronnen]
        bekend = [c for c in commits if c]
        nieuwste = min(bekend, key=lambda c: volgorde[c]) if bekend else "niet-gecommit"
        lokaal = any(p.resolve() in self.gewijzigd or c is None for p, c in zip(bronnen, commits))
        return nieuwste + ("+gewijzigd" if lokaal else "")
