"""Every write of the jurist's pages, in one place: the library function the CLI uses, with the person.

`wie(request)` is the logged-in person as the data records them (name, else e-mail address; never the
machine's git name). Writes go through the library's transaction with that person as author and a git
commit in the data folder (`auteur=…, git=True`, contractgen.basis.transactie).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.http import HttpRequest

from contractgen.basis.transactie import Auteur
from contractgen.intake.word_wijzigingen import Resultaat, schrijf
from contractgen.rapporten.beoordeling import Oordeel, voeg_toe


def wie(request: HttpRequest) -> tuple[str, str]:
    """(name as recorded, e-mail address) of the logged-in person."""
    user = request.user
    email = user.email or user.get_username()
    naam = user.get_full_name().strip()
    return (f"{naam} <{email}>" if naam else email), email


def _auteur(request: HttpRequest) -> dict:
    """The keyword arguments that make a library write a transaction by this person with a git commit."""
    naam, email = wie(request)
    return {"auteur": Auteur(request.user.get_full_name().strip() or email, email), "git": True}


def accepteer(request: HttpRequest, regio_map: Path, oordeel: Oordeel, reden: str) -> Path:
    """`contractgen beoordeel`: one entry in check-beoordeeld.yaml, by the logged-in person, dated today."""
    door, _ = wie(request)
    return voeg_toe(regio_map, oordeel.bevinding, reden, door, date.today(),
                    vervangt=oordeel.beoordeling if oordeel.status == "gewijzigd" else None, **_auteur(request))


def pas_toe(request: HttpRequest, r: Resultaat, gezien: dict[str, str | None]) -> None:
    """`contractgen wijzigingen importeer`: the region validated with the new version, then written as one
    transaction. `gezien`: the sha256 of each file read (relative to the region) when the preview was made;
    a file changed since is refused (GelijktijdigGewijzigd, naming who changed it), nothing written."""
    for pad in r.gelezen:
        sleutel = Path(pad).relative_to(r.regio_map).as_posix()
        if sleutel in gezien:
            r.gelezen[pad] = gezien[sleutel]
    schrijf(r, **_auteur(request))


def gelezen(r: Resultaat) -> dict[str, str | None]:
    """What the preview was made of: file (relative to the region) → sha256, for `pas_toe`."""
    return {Path(pad).relative_to(r.regio_map).as_posix(): sha for pad, sha in r.gelezen.items()}
