"""Two faces, one library: a message says how to fix something in the words of the face the person uses.

The library's functions run under the command line and under the workplace alike (never a copy). Where a
message tells the person what to do, the command line names an option (`--bijwerken`) or a command
(`contractgen build`), and the workplace names the control on its page ("vink 'Bestaande aanbieders
bijwerken' aan"). The workplace sets its face for each request and each background job
(`in_de_werkplaats`); everything else is the command line. File paths: the workplace shows none
(`plaats`), the command line shows them relative to the working directory. What is stored or compared
(a finding's fingerprint, a git message) uses the command line's words, so both faces agree on it.

    raise ImportFout.een(..., "bestaat al" + zeg(cli="; gebruik --bijwerken om die bij te werken",
                                                 werkplaats="; vink 'Bestaande aanbieders bijwerken' aan"))
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from contractgen.basis.namen import display_path

OPDRACHTREGEL = "opdrachtregel"
WERKPLAATS = "werkplaats"
_GEZICHT: ContextVar[str] = ContextVar("gezicht", default=OPDRACHTREGEL)


def gezicht() -> str:
    """'opdrachtregel' or 'werkplaats': who reads the messages made now."""
    return _GEZICHT.get()


@contextmanager
def in_de_werkplaats() -> Iterator[None]:
    """Messages made inside the block are for the workplace's pages (a request, a background job)."""
    token = _GEZICHT.set(WERKPLAATS)
    try:
        yield
    finally:
        _GEZICHT.reset(token)


def zeg(*, cli: str, werkplaats: str) -> str:
    """The words of the current face: `cli` names options and commands, `werkplaats` the page's controls."""
    return werkplaats if _GEZICHT.get() == WERKPLAATS else cli


def plaats(pad: Path | str, voor: str = " ({})") -> str:
    """A file's place for a message: `voor` filled with its path on the command line; nothing in the workplace
    (a person there knows documents and aanbieders by name, and a server's path is nobody's business)."""
    if _GEZICHT.get() == WERKPLAATS:
        return ""
    return voor.format(display_path(Path(pad)))
