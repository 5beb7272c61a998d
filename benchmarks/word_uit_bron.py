"""Measure `importeer-document` against the transcribed data: seed text → plain Word → YAML → compare.

The seeds are text extractions of Word/PDF files. This writes two of them back into plain
Word documents as an author would have made them (python-docx, ordinary styles, no ids):
"HOOFDSTUK"/"N. Titel" lines as Heading 1, "Artikel N"/"N.N Titel" as Heading 2, "N.N.N Titel" as
Heading 3 (Noord-Limburg), a line of one or two words without punctuation ("Declaratie Wmo") as Heading 4, "• " lines in the List Bullet style, "a | b |" lines as a table,
everything else as a Normal paragraph with its text as typed (leden keep "4.1 " in their text).

Extraction artefacts are undone only where the YAML header documents them (a sentence broken
over two lines, a word split by a space): a Word original does not contain them. With
`--zonder-herstel` they stay, to show what the raw extraction gives.

    python benchmarks/word_uit_bron.py [--zonder-herstel]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[1]
# the seeds stand next to the repository (a worktree may stand one level deeper)
SEEDS = next((p / "shared" / "seeds" for p in ROOT.parents if (p / "shared" / "seeds").is_dir()),
             ROOT.parent / "shared" / "seeds")


@dataclass
class Bron:
    regio: str
    document: str
    seed: str
    regels: tuple[int, int]
    overslaan: set[int] = field(default_factory=set)
    samenvoegen: list[tuple[int, int]] = field(default_factory=list)  # broken sentences: lines a..b are one
    woorden: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # split words per line
    noord_limburg: bool = False


BRONNEN = [
    # dvo.yaml header and comments: r. 222/247/262/306/407/408 split words; broken sentences at
    # 271-272, 276-277, 307-308, 329-330, 348-349; r. 240-241 one definition over two table rows;
    # words the extraction masked by accident: r. 233 "XXX’x" (DVO’s), r. 333 "xxxxx" (meldt)
    Bron("maastricht-heuvelland", "dvo", "001_d7c06e29da5babfb.txt", (197, 434),
         samenvoegen=[(240, 241), (271, 272), (276, 277), (307, 308), (329, 330), (348, 349)],
         woorden={222: [("invul ling", "invulling")], 247: [("pr ijs", "prijs")],
                  262: [("opdrachtnem er", "opdrachtnemer")], 306: [("behal en", "behalen")],
                  407: [("vo or", "voor")], 408: [("make n", "maken")],
                  233: [("XXX’x", "DVO’s")], 333: [("xxxxx opdrachtnemer", "meldt opdrachtnemer")]}),
    # basisdocument-werkafspraken.yaml header: r. 2 repeats the title, r. 4-18 are the table of
    # contents; broken sentences 23-24, 43-44, 50-51, 139-140, 276-278, 301-302, 307-308; split
    # addresses at r. 120, 147, 155, 166, 178, 182, 185, 259, 303, 312
    Bron("noord-limburg", "basisdocument-werkafspraken", "000_4acff07e32578d94.txt", (1, 312),
         overslaan={2, *range(4, 19)},
         samenvoegen=[(23, 24), (43, 44), (50, 51), (139, 140), (276, 278), (301, 302), (307, 308)],
         woorden={120: [("XXXXXX voJNU", "XXXXXXvoJNU")], 147: [("- x", "-x")], 155: [("- ", "-")],
                  166: [("- x", "-x")], 178: [("- x", "-x")], 182: [("- x", "-x")], 185: [("- x", "-x")],
                  259: [("- w", "-w")], 303: [("- x", "-x")], 312: [("- x", "-x")]},
         noord_limburg=True),
]


def _regels(bron: Bron, herstel: bool) -> list[str]:
    alle = (SEEDS / bron.seed).read_text(encoding="utf-8").splitlines()
    regels: dict[int, str] = {}
    for nr in range(bron.regels[0], bron.regels[1] + 1):
        if nr in bron.overslaan:
            continue
        tekst = alle[nr - 1]
        if herstel:
            for oud, nieuw in bron.woorden.get(nr, []):
                tekst = tekst.replace(oud, nieuw)
        regels[nr] = tekst
    if herstel:
        for a, b in bron.samenvoegen:
            delen = [regels.pop(n) for n in range(a + 1, b + 1)]
            if regels[a].rstrip().endswith("|"):  # one table cell over two rows: join the cells
                cellen = [c.strip() for c in regels[a].split("|")[:-1]]
                extra = [c.strip() for c in delen[0].split("|")[:-1]]
                cellen[-1] = f"{cellen[-1]} {extra[0]}".strip()
                regels[a] = " | ".join(cellen) + " |"
            else:
                regels[a] = " ".join([regels[a].rstrip()] + [d.strip() for d in delen])
    return list(regels.values())


def schrijf_word(bron: Bron, doel: Path, herstel: bool = True, kopstijlen: bool = True) -> Path:
    """The seed as a Word document; `kopstijlen=False`: every heading a plain paragraph (as typed)."""
    d = docx.Document()
    gewoon = d.add_paragraph

    def add_paragraph(tekst: str, stijl: str | None = None):
        return gewoon(tekst, stijl if kopstijlen or stijl in (None, "List Bullet") else None)
    tabel: list[list[str]] = []

    def sluit_tabel() -> None:
        if not tabel:
            return
        breedte = max(len(r) for r in tabel)
        t = d.add_table(rows=len(tabel), cols=breedte)
        for i, rij in enumerate(tabel):
            for j, cel in enumerate(rij):
                t.cell(i, j).text = cel
        tabel.clear()

    eerste = True
    for regel in _regels(bron, herstel):
        tekst = regel.strip()
        if not tekst:
            continue
        if tekst.endswith("|") and "|" in tekst[:-1]:
            tabel.append([c.strip() for c in tekst.split("|")[:-1]])
            continue
        sluit_tabel()
        if eerste:
            add_paragraph(tekst, "Title")
            eerste = False
        elif re.match(r"^HOOFDSTUK\s*\d", tekst) or (bron.noord_limburg and re.match(r"^\d+\.\s+\S", tekst)
                                                      and len(tekst) < 90):
            add_paragraph(tekst, "Heading 1")
        elif re.match(r"^Artikel \d+", tekst) or (bron.noord_limburg and re.match(r"^\d+\.\d+\.?\s+\S", tekst)
                                                   and len(tekst) < 90):
            add_paragraph(tekst, "Heading 2")
        elif bron.noord_limburg and re.match(r"^\d+\.\d+\.\d+\.?\s+\S", tekst) and len(tekst) < 90:
            add_paragraph(tekst, "Heading 3")
        elif len(tekst.split()) <= 2 and tekst[0].isupper() and tekst[-1].isalnum():
            add_paragraph(tekst, "Heading 4")  # a short line without punctuation: an unnumbered subheading
        elif tekst.startswith("• "):
            add_paragraph(tekst[2:], "List Bullet")
        else:
            add_paragraph(tekst)
    sluit_tabel()
    d.save(str(doel))
    return doel


@dataclass
class Meting:
    document: str
    leden: int
    leden_exact: int
    artikelen: int
    artikelen_exact: int
    alineas: int
    alineas_exact: int
    niet_geplaatst: list[str]

    @property
    def pct_leden(self) -> float:
        return 100.0 * self.leden_exact / self.leden if self.leden else 100.0

    def regel(self) -> str:
        return (f"{self.document}: leden {self.leden_exact}/{self.leden} exact ({self.pct_leden:.1f} %), "
                f"artikelen {self.artikelen_exact}/{self.artikelen}, overige tekst {self.alineas_exact}/{self.alineas}, "
                f"{len(self.niet_geplaatst)} niet geplaatst")


def _structuur(doc) -> tuple[dict, dict, list[str]]:
    """(artikel nummer → titel, (artikel, lid) → text + nested texts, every other text) of a document."""
    from contractgen.domein import model as m

    artikelen, leden, overig = {}, {}, []

    def teksten(blokken) -> list[str]:
        uit: list[str] = []
        for blok in blokken:
            soort = m.blok_soort(blok)
            b = getattr(blok, soort)
            if soort in ("alinea", "kop", "subkop"):
                uit.append(b)
            elif soort == "opsomming":
                uit += [i if isinstance(i, str) else i.tekst for i in b.items]
            elif soort == "tabel":
                uit += [c for r in b.rijen for c in r if c]
            elif soort == "begrippen":
                uit += [x for b_ in b for x in (b_.begrip, b_.definitie)]
            elif soort == "bijlagenlijst":
                uit += [x.titel for x in b]
            elif soort == "hoofdstuk":
                uit.append(f"{b.nummer} {b.titel}")
        return uit

    for blok in doc.inhoud:
        if isinstance(blok, m.ArtikelBlok):
            art = blok.artikel
            artikelen[art.nummer] = art.titel
            overig += teksten(art.inhoud)
            for lid in art.leden:
                leden[(art.nummer, lid.nummer)] = (lid.tekst, tuple(teksten(lid.inhoud)))
        else:
            overig += teksten([blok])
    return artikelen, leden, overig


def meet(bron: Bron, map_: Path, herstel: bool = True, kopstijlen: bool = True) -> Meting:
    from collections import Counter

    from contractgen.domein import model as m
    from contractgen.intake import yaml_rond as yr
    from contractgen.intake.word_document import importeer
    from contractgen.regels import load_valid

    pad = schrijf_word(bron, map_ / f"{bron.document}{'' if kopstijlen else '-zonder-kopstijlen'}.docx", herstel,
                       kopstijlen)
    data = next(x for x in load_valid(ROOT / "contracts_data" / bron.regio) if x.regio.id == bron.regio)
    andere = [d for d in data.documenten if d.id != bron.document]  # what --regio gives the importer
    r = importeer(pad, bron.document, "overeenkomst", "import", date(2022, 1, 1), andere)
    nieuw = m.Document.model_validate(yr.laad_tekst(r.yaml))
    oud = data.versies(bron.document)[-1]
    a_oud, l_oud, o_oud = _structuur(oud)
    a_nieuw, l_nieuw, o_nieuw = _structuur(nieuw)
    gedeeld = Counter(o_oud) & Counter(o_nieuw)
    return Meting(bron.document, len(l_oud), sum(1 for k, v in l_oud.items() if l_nieuw.get(k) == v),
                  len(a_oud), sum(1 for k, v in a_oud.items() if a_nieuw.get(k) == v),
                  len(o_oud), sum(gedeeld.values()), r.niet_geplaatst)


def main() -> int:
    import tempfile

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--zonder-herstel", action="store_true")
    p.add_argument("--toon", action="store_true", help="toon de leden die verschillen")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for bron in BRONNEN:
            for kopstijlen in (True, False):
                meting = meet(bron, Path(tmp), not args.zonder_herstel, kopstijlen)
                print(("" if kopstijlen else "zonder kopstijlen: ") + meting.regel())
            for regel in meting.niet_geplaatst:
                print(f"  niet geplaatst: {regel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
