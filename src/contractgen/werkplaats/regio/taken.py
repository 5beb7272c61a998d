"""Build jobs: a `Bouwtaak` row says what to build; the django-tasks worker runs `voer_bouw_uit`.

The worker calls the same `uitvoer.bouw.bouw` as `contractgen build`, with the same check
(`rapporten.bouwcontrole`). The build itself is all-or-nothing (its swap journal), so a job that
fails or is killed leaves the previous output as it was. Progress is written to the row at most
twice a second; the page reads it from there.
"""

from __future__ import annotations

import logging
import os
import functools
import socket
import time
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from contractgen.basis.gezicht import in_de_werkplaats
from contractgen.basis.problemen import ContractgenFout
from contractgen.rapporten.bouwcontrole import bouwcontrole
from contractgen.uitvoer.bouw import Bouwopdracht, bouw
from contractgen.uitvoer.omzetdienst import Dienstpool, lees_diensten
from contractgen.werkplaats.omgeving import regio_map, uitvoer_map
from contractgen.werkplaats.regio.models import Bouwtaak, Status

log = logging.getLogger("contractgen.werkplaats")


def start_bouw(taak: Bouwtaak) -> None:
    """Queue the job once the row is committed (a worker must find it)."""
    transaction.on_commit(lambda: voer_bouw_uit.enqueue(str(taak.id)))


class _Voortgang:
    """The build's (done, total, stage) callback, written to the row with an estimate for the stage."""

    def __init__(self, taak: Bouwtaak):
        self.taak = taak
        self.stap = ""
        self.begin = time.monotonic()
        self.laatst = 0.0

    def __call__(self, klaar: int, totaal: int, stap: str) -> None:
        nu = time.monotonic()
        if stap != self.stap:
            self.stap, self.begin = stap, nu
        elif nu - self.laatst < 0.5 and klaar < totaal:
            return
        self.laatst = nu
        verstreken = nu - self.begin
        nog = verstreken / klaar * (totaal - klaar) if klaar else None
        Bouwtaak.objects.filter(pk=self.taak.pk).update(stap=stap, klaar_aantal=klaar, totaal_aantal=totaal,
                                                        nog_seconden=nog)


@task()
def voer_bouw_uit(taak_id: str) -> str:
    with in_de_werkplaats():  # its messages are read on the job's page
        return _voer_bouw_uit(taak_id)


def _voer_bouw_uit(taak_id: str) -> str:
    taak = Bouwtaak.objects.get(pk=uuid.UUID(taak_id))
    if taak.status != Status.WACHTEND:
        return taak.status  # started twice, or marked interrupted meanwhile
    Bouwtaak.objects.filter(pk=taak.pk).update(status=Status.BEZIG, begonnen=timezone.now(),
                                               werker=f"{socket.gethostname()}:{os.getpid()}")
    try:
        omzetten = None
        if taak.pdf and settings.OMZETDIENSTEN:  # as `build --converter`: an unreachable service is named first
            pool = Dienstpool(lees_diensten(settings.OMZETDIENSTEN), melden=lambda tekst: log.warning("%s", tekst))
            pool.controleer()
            omzetten = pool.converteer
        opdracht = Bouwopdracht(regio_map(taak.regio).map, uitvoer_map(), taak.peildatum,
                                [taak.aanbieder] if taak.aanbieder else [], None, pdf=taak.pdf,
                                controle=functools.partial(bouwcontrole, concept=taak.concept),
                                omzetten=omzetten)
        resultaat = bouw(opdracht, _Voortgang(taak))
    except ContractgenFout as fout:
        regels = list(fout.meldingen())
        slot = fout.slot()
        if slot:
            regels.append(slot)
        _einde(taak, Status.MISLUKT, "\n".join(regels))
        return Status.MISLUKT
    except Exception:  # noqa: BLE001 - a job must end with a state the page can show
        kenmerk = uuid.uuid4().hex[:12]
        log.exception("bouwtaak %s: fout %s", taak.pk, kenmerk)
        _einde(taak, Status.MISLUKT, f"interne fout (kenmerk {kenmerk}); de uitvoer is niet veranderd. "
                                     "Meld dit kenmerk aan de beheerder.")
        return Status.MISLUKT
    pdf = sum(1 for p in resultaat.bestanden if p.suffix == ".pdf")
    docx = sum(1 for p in resultaat.bestanden if p.suffix == ".docx")
    tekst = (f"{docx} Word-documenten en {pdf} PDF's in {len(resultaat.mappen)} mappen "
             f"({resultaat.gerenderd} documenten opnieuw gemaakt, {resultaat.overgeslagen} mappen ongewijzigd)")
    waarschuwingen = "\n".join(f"let op: {w}" for w in resultaat.waarschuwingen)
    _einde(taak, Status.KLAAR, waarschuwingen, tekst)
    return Status.KLAAR


def _einde(taak: Bouwtaak, status: str, melding: str, resultaat: str = "") -> None:
    Bouwtaak.objects.filter(pk=taak.pk).update(status=status, melding=melding, resultaat=resultaat,
                                               beeindigd=timezone.now(), nog_seconden=None)


def markeer_onderbroken(werker_host: str | None = None) -> int:
    """Jobs left 'bezig' by a server or worker that stopped: shown as interrupted, to be started again.

    Called when `contractgen werkplaats` starts (one machine: no job can still be running then).
    """
    vraag = Bouwtaak.objects.filter(status=Status.BEZIG)
    if werker_host:
        vraag = vraag.filter(werker__startswith=f"{werker_host}:")
    return vraag.update(status=Status.ONDERBROKEN, beeindigd=timezone.now(),
                        melding="De server is gestopt tijdens deze bouw. De uitvoer is niet half geschreven: "
                                "de vorige bouw staat er nog. Start de bouw opnieuw.")
