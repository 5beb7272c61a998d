"""The final swap: finished folders into place, all or nothing, repairable after a crash.

A build writes everything into `<uitvoer>/.bouw-<pid>-*/` first. The swap then:
1. writes the journal `<uitvoer>/.cache/wissel-journaal.json` (fsync'ed): every folder, where its new
   version waits and where its old version will wait (`<map>/../.oud-<naam>-<pid>`);
2. moves each old folder aside, then each new one into place (renames: no copying);
3. marks the journal `klaar` — the commit point — and only then removes the old folders and the journal.

Whatever stops the process (SIGKILL, power cut, full disk), `herstel` at the next start reads
the journal: before the commit point it puts every old folder back (rollback), after it it
removes the old folders (roll forward). SIGINT and SIGTERM wait for the few renames to finish.
So a reader sees the complete previous output or the complete new one, never a mix.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from contractgen.basis.atomisch import fsync_map, schrijf_bytes
from contractgen.basis.foutinjectie import punt
from contractgen.basis.signalen import uitgesteld
from contractgen.uitvoer.slot import probeer_bouwslot, wisselslot

JOURNAAL = ".cache/wissel-journaal.json"
TIJDELIJK_PREFIX = ".bouw-"


def _schrijf_journaal(uitvoer: Path, journaal: dict) -> None:
    schrijf_bytes(uitvoer / JOURNAAL, json.dumps(journaal, indent=1).encode("utf-8"))


def vervang_alle(uitvoer: Path, tijdelijk: Path, mappen: list[Path]) -> None:
    """Move `tijdelijk/<rel>` to `uitvoer/<rel>` for every rel in `mappen`, all or nothing.

    Raises whatever stopped it (OSError for a full disk, KeyboardInterrupt) after the previous
    folders are back in place.
    """
    paren: list[dict[str, Any]] = []
    for rel in mappen:
        doel = uitvoer / rel
        paren.append({"doel": rel.as_posix(), "nieuw": (tijdelijk / rel).relative_to(uitvoer).as_posix(),
                      "oud": (rel.parent / f".oud-{rel.name}-{os.getpid()}").as_posix(), "had_oud": doel.exists()})
    journaal = {"stand": "bezig", "tijdelijk": tijdelijk.relative_to(uitvoer).as_posix(), "paren": paren}
    with wisselslot(uitvoer):
        _schrijf_journaal(uitvoer, journaal)
        with uitgesteld():
            try:
                for i, p in enumerate(paren):
                    if p["had_oud"]:
                        punt(f"wissel-oud-{i}")
                        os.replace(uitvoer / p["doel"], uitvoer / p["oud"])
                for i, p in enumerate(paren):
                    (uitvoer / p["doel"]).parent.mkdir(parents=True, exist_ok=True)
                    punt(f"wissel-nieuw-{i}")
                    os.replace(uitvoer / p["nieuw"], uitvoer / p["doel"])
                for map_ in {(uitvoer / p["doel"]).parent for p in paren}:
                    fsync_map(map_)
                punt("wissel-commit")
                journaal["stand"] = "klaar"
                _schrijf_journaal(uitvoer, journaal)  # the commit point
            except BaseException:
                _herstel_journaal(uitvoer)
                raise
        try:
            punt("wissel-opruimen")
        finally:
            _herstel_journaal(uitvoer)  # roll forward: the old folders go, then the journal


def _herstel_journaal(uitvoer: Path) -> bool:
    """Finish (stand klaar) or undo (stand bezig) the swap in the journal; False if there is none."""
    pad = uitvoer / JOURNAAL
    try:
        journaal = json.loads(pad.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        journaal = {}  # written half: the swap had not begun (the journal is written before any rename)
    klaar = journaal.get("stand") == "klaar"
    for p in journaal.get("paren", []):
        doel, oud, nieuw = uitvoer / p["doel"], uitvoer / p["oud"], uitvoer / p["nieuw"]
        if klaar:
            shutil.rmtree(oud, ignore_errors=True)
        elif p["had_oud"]:
            if oud.exists():  # moved aside: whatever stands at doel now is new
                if doel.exists():
                    shutil.rmtree(doel)
                os.replace(oud, doel)
        elif doel.exists() and not nieuw.exists():  # a new folder that was already placed
            shutil.rmtree(doel)
            _ruim_lege_mappen(doel.parent, uitvoer)
    for map_ in {(uitvoer / p["doel"]).parent for p in journaal.get("paren", [])}:
        fsync_map(map_)
    if journaal.get("tijdelijk"):
        shutil.rmtree(uitvoer / journaal["tijdelijk"], ignore_errors=True)
    pad.unlink()
    fsync_map(uitvoer)
    return True


def _ruim_lege_mappen(map_: Path, tot: Path) -> None:
    while map_ != tot and tot in map_.parents:
        try:
            map_.rmdir()
        except OSError:
            return
        map_ = map_.parent


def herstel(uitvoer: Path) -> None:
    """Repair what an interrupted build left (call with the build lock held, or as a reader that took it).

    The journal first (finish or undo the swap), then temp folders `.bouw-*` and, from builds
    without a journal, `.oud-<map>-<pid>` folders: put back when <map> is missing, else removed.
    """
    uitvoer = Path(uitvoer)
    if not uitvoer.is_dir():
        return
    with wisselslot(uitvoer):
        _herstel_journaal(uitvoer)
        (uitvoer / (JOURNAAL + ".tmp")).unlink(missing_ok=True)  # killed while writing it: the swap had not begun
        for pad in uitvoer.glob(TIJDELIJK_PREFIX + "*"):
            if pad.is_dir():
                shutil.rmtree(pad, ignore_errors=True)
        oud = [p for diepte in range(4) for p in uitvoer.glob("*/" * diepte + ".oud-*")]  # <regio>/<jaar>/.oud-*
        for pad in sorted(oud):
            m = re.fullmatch(r"\.oud-(.+)-(\d+)", pad.name)
            if not pad.is_dir() or not m:
                continue
            doel = pad.with_name(m.group(1))
            if doel.exists():
                shutil.rmtree(pad, ignore_errors=True)
            else:
                os.replace(pad, doel)


def _resten(uitvoer: Path) -> bool:
    return (uitvoer / JOURNAAL).exists() or any(uitvoer.glob(TIJDELIJK_PREFIX + "*"))


@contextmanager
def leesbaar(uitvoer: Path) -> Iterator[None]:
    """For readers (`overzicht`): a consistent generation while inside, never a swap half done.

    A swap left by a killed build is repaired first when no build is running; a running build's
    swap is waited for (it takes milliseconds).
    """
    uitvoer = Path(uitvoer)
    if not uitvoer.is_dir():
        yield
        return
    with ExitStack() as stapel:
        try:
            if _resten(uitvoer):
                fd = probeer_bouwslot(uitvoer)
                if fd is not None:
                    try:
                        herstel(uitvoer)
                    finally:
                        os.close(fd)
            stapel.enter_context(wisselslot(uitvoer, gedeeld=True))
        except OSError:
            pass  # a read-only copy of the output (an archive, a share): nobody can be swapping in it
        yield
