"""Taking in a signed contractpakket from the portal: limits and content first, then `ontvangen`.

`neem_in(upload, regio, eigen)` checks the size and the first bytes (%PDF-) before anything
expensive, then calls the library's `beoordeel` (the same as `contractgen ontvangen`) and stores
an accepted copy with `bewaar`. `eigen` limits which packages count: an aanbieder's upload is
only ever accepted as one of its own packages; another's package is refused with a reason that
names nothing of the other aanbieder.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from contractgen.basis.namen import veilige_naam
from contractgen.basis.transactie import Auteur, BezetFout
from contractgen.ondertekening import velden as v
from contractgen.ondertekening.ontvangst import beoordeel
from contractgen.ondertekening.opslag import bewaar
from contractgen.ondertekening.pakketten import herken
from contractgen.werkplaats.omgeving import laad_regio, uitvoer_map

PDF_KOP = b"%PDF-"


@dataclass
class Oordeel:
    aangenomen: bool
    redenen: list[str] = field(default_factory=list)  # why refused, the library's words
    handtekeningen: list[str] = field(default_factory=list)  # "Voor akkoord opdrachtnemer: A. Proef, ... : geldig"
    nog_open: list[str] = field(default_factory=list)
    aanbieder: str = ""  # the aanbieder id of the package (accepted only)
    jaar: str = ""
    nieuw: bool = False


def max_grootte() -> int:
    return int(getattr(settings, "MAX_UPLOAD", 20 * 1024 * 1024))


def neem_in(upload, regio: str, eigen: str | None = None, auteur: Auteur | None = None) -> Oordeel:
    """Check one uploaded file as a returned package of `regio` (and of aanbieder `eigen`, when given)."""

    grootte = max_grootte()
    if upload.size == 0:
        return Oordeel(False, ["Het bestand is leeg (0 bytes); kies het ondertekende contractpakket.pdf."])
    if upload.size > grootte:
        return Oordeel(False, [f"Het bestand is te groot ({upload.size / 1024 / 1024:.1f} MB); een contractpakket "
                               f"is hoogstens {grootte // 1024 // 1024} MB."])
    begin = upload.read(len(PDF_KOP))
    if begin != PDF_KOP:
        return Oordeel(False, ["Dit is geen PDF-bestand (het begint niet met %PDF-), wat de naam ook zegt; "
                               "kies het ondertekende contractpakket.pdf."])
    inhoud = begin + upload.read(grootte + 1 - len(PDF_KOP))
    if len(inhoud) > grootte:
        return Oordeel(False, [f"Het bestand is te groot; een contractpakket is hoogstens {grootte // 1024 // 1024} MB."])
    # which package it is, by hash (cheap), before the signatures are checked (not cheap): a package of
    # another aanbieder or region is refused without pyHanko ever reading it
    h = herken(inhoud, uitvoer_map())
    if h is None or h.pakket.regio != veilige_naam(regio) or (
            eigen is not None and h.pakket.aanbieder != veilige_naam(eigen)):
        # not a package of this region (or of this aanbieder): say nothing about whose it is
        wie = "uw organisatie" if eigen is not None else "deze regio"
        return Oordeel(False, [f"Dit is geen contractpakket van {wie}: het begin van het bestand is met geen enkel "
                               f"contractpakket.pdf van {wie} byte voor byte gelijk. Stuur het pakket terug dat u hier "
                               f"hebt gedownload, ondertekend met een PDF-lezer die de handtekening toevoegt (niet "
                               f"met een die het bestand opnieuw opslaat)."])
    data, _ = laad_regio(regio)
    regios = {veilige_naam(data.regio.id): data} if data is not None else {}
    c = beoordeel(Path(Path(upload.name).name or "upload.pdf"), uitvoer_map(), regios, data=inhoud)
    h = c.herkenning
    if h is None:  # cannot be: the same bytes were recognised above
        return Oordeel(False, [_zin(r) for r in c.weigeringen])
    oordeel = Oordeel(c.geaccepteerd, [_zin(r) for r in c.weigeringen], aanbieder=h.pakket.aanbieder,
                      jaar=h.pakket.jaar)
    for hd in c.handtekeningen:
        plaats = v.PARTIJ_NAAM.get(hd.plaats or "", "geen handtekeningplaats")
        oordeel.handtekeningen.append(f"{plaats}: {hd.ondertekenaar}: {hd.oordeel}")
    open_ = Counter(v.PARTIJ_NAAM.get(p.partij or "", "onbekende partij") for p in c.open if not p.is_paraaf)
    oordeel.nog_open = [f"{partij}: {n} handtekening{'en' if n > 1 else ''}" for partij, n in sorted(open_.items())]
    if c.geaccepteerd:
        try:
            # the signed store is the output folder (no git repository): a transaction with the person as author
            _, oordeel.nieuw = bewaar(c, "ontvangen", Path(upload.name).name[:200], auteur=auteur)
        except BezetFout:
            return Oordeel(False, ["Er wordt op dit moment aan dit pakket gebouwd of een ander bestand bewaard; er is "
                                   "niets opgeslagen. Stuur het bestand over een minuut opnieuw."])
    return oordeel


def _zin(tekst: str) -> str:
    tekst = tekst.strip()
    return (tekst[:1].upper() + tekst[1:]) if tekst else tekst
