"""What a build refuses or reports before it writes (issue 13).

- A peildatum on which a region has no document in force: an error listing every
  document with its validity, instead of "klaar: 0 Word-documenten".
- Data that `check` calls an error (passed in by the CLI as `Bouwopdracht.controle`, since
  reports come after this stage): `ControleFout`, nothing is built.
- A document whose text differs from the text an earlier build showed under the same
  `versie` label (from the manifests in the output folder): a warning.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from contractgen.basis.gezicht import zeg
from contractgen.basis.problemen import DataFout, Probleem
from contractgen.domein.dataset import RegioData


class ControleFout(DataFout):
    """`check` reports errors for the data of this build: nothing is built (issue 13)."""

    def slot(self) -> str | None:
        return zeg(cli=f"contractgen check meldt {len(self.problemen)} fout(en) voor deze peildatum; er is niets "
                       "gebouwd. Los ze op en bouw opnieuw.",
                   werkplaats=f"De controle van de gegevens meldt {len(self.problemen)} fout(en) voor deze datum; er "
                              "is niets gebouwd. Los ze op en bouw opnieuw.")


def weiger_zonder_inhoud_of_met_fouten(regios: list[RegioData], opdracht,
                                       heeft_taken: Callable[[RegioData], bool]) -> list[str]:
    """Refuse a peildatum on which nothing is to be built (DataFout) and data `check` calls wrong
    (ControleFout). `opdracht` is the `bouw.Bouwopdracht`. Returns warnings for regions with nothing
    in force when others do have something (a build of all regions at a date only one of them covers).
    """
    leeg, fouten = [], []
    for regio in regios:
        peildatum = opdracht.peildatum or regio.regio.standaard_peildatum
        if not heeft_taken(regio):
            documenten = sorted({d.id for d in regio.documenten if d.soort != "fragment"})
            geldig = "; ".join(
                f"{ident} " + ", ".join(f"{v.geldig_van:%d-%m-%Y} t/m {v.geldig_tot:%d-%m-%Y}" if v.geldig_tot
                                        else f"vanaf {v.geldig_van:%d-%m-%Y}" for v in regio.versies(ident))
                for ident in documenten)
            leeg.append(Probleem(regio.waar(regio.regio).naam, 0, 0, "--peildatum",
                                 f"op {peildatum:%d-%m-%Y} geldt geen enkel document van {regio.regio.naam}; "
                                 f"er is niets te bouwen. De documenten gelden: {geldig}"))
        elif opdracht.controle is not None:
            fouten += [p for p in opdracht.controle(regio, peildatum) if p.ernst == "fout"]
    if leeg and len(leeg) == len(regios):
        raise DataFout(leeg)
    if fouten:
        raise ControleFout(fouten)
    return [str(p) for p in leeg]


def versielabels(uitvoer: Path, plan: list) -> list[str]:  # plan: list of bouw._Map
    """A document whose text differs from the text an earlier build showed under the same versie label.

    Reads every manifest.json in the output folder; a folder rebuilt now is compared before it is replaced.
    """
    eerder: dict[tuple[str, str, str], tuple[str, str]] = {}
    for manifest in sorted(uitvoer.glob("*/*/*/manifest.json")) if uitvoer.is_dir() else []:
        try:
            inhoud = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        regio = manifest.parent.parent.parent.name
        for d in inhoud.get("documenten", []):
            if isinstance(d, dict) and d.get("tekst"):
                eerder.setdefault((regio, str(d.get("document")), str(d.get("versie"))),
                                  (d["tekst"], manifest.parent.relative_to(uitvoer).as_posix()))
    meldingen = []
    for m in plan:
        regio = m.rel.parts[0]
        for item in m.items:
            vorige = eerder.get((regio, item.doc.id, item.doc.versie))
            melding = (f"{item.doc.id} versie {item.doc.versie}: de tekst verschilt van de tekst die een eerdere "
                       f"bouw onder hetzelfde versielabel maakte ({vorige[1] if vorige else ''}/manifest.json); "
                       "geef de gewijzigde tekst een nieuw versielabel")
            if vorige and vorige[0] != item.tekst and melding not in meldingen:
                meldingen.append(melding)
    return meldingen
