"""Which packages a reminder is for, from `ondertekenstatus`'s words (no Django here: tested alone)."""

from __future__ import annotations


def niet_ondertekend(status: str) -> bool:
    """Built, and the opdrachtnemer has not signed all its places of the current package (ondertekenstatus's
    words: a package rebuilt after signing needs signing again; an "afwijkend document" needs a person, not a letter)."""
    if status == "niet gebouwd" or status.startswith("afwijkend"):
        return False
    if status.startswith("opnieuw gebouwd na ondertekening"):
        return True
    return "ondertekend door opdrachtnemer" not in status and "ondertekend door beide" not in status
