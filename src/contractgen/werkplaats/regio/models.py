"""A build started in the workplace: a background job with its progress, result and who started it."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.db import models


class Status:
    WACHTEND = "wachtend"
    BEZIG = "bezig"
    KLAAR = "klaar"
    MISLUKT = "mislukt"
    ONDERBROKEN = "onderbroken"
    choices = [(WACHTEND, "Wacht op een werker"), (BEZIG, "Bezig"), (KLAAR, "Klaar"), (MISLUKT, "Mislukt"),
               (ONDERBROKEN, "Onderbroken")]


class Bouwtaak(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    regio = models.CharField(max_length=100, db_index=True)
    jaar = models.PositiveIntegerField()
    peildatum = models.DateField()
    aanbieder = models.CharField(max_length=100, blank=True)  # empty: the whole region
    pdf = models.BooleanField(default=True)
    concept = models.BooleanField(default=False)  # concept tariffs allowed; every page then says CONCEPT
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WACHTEND)
    stap = models.CharField(max_length=100, blank=True)
    klaar_aantal = models.PositiveIntegerField(default=0)
    totaal_aantal = models.PositiveIntegerField(default=0)
    nog_seconden = models.FloatField(null=True, blank=True)  # estimate for the current stage
    melding = models.TextField(blank=True)  # Dutch, the library's own words
    resultaat = models.TextField(blank=True)
    gestart_door = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    aangemaakt = models.DateTimeField(auto_now_add=True)
    begonnen = models.DateTimeField(null=True, blank=True)
    beeindigd = models.DateTimeField(null=True, blank=True)
    werker = models.CharField(max_length=200, blank=True)  # host:pid of the process running it

    class Meta:
        verbose_name = "bouwtaak"
        verbose_name_plural = "bouwtaken"
        ordering = ["-aangemaakt"]

    @property
    def afgelopen(self) -> bool:
        return self.status in (Status.KLAAR, Status.MISLUKT, Status.ONDERBROKEN)

    @property
    def geweigerd_om_concept(self) -> bool:
        """Refused only because tariffs are not yet sealed: the page offers to build a concept instead."""
        regels = set(re.findall(r"\[([a-z0-9-]+)\] ", self.melding))  # the check's rule names, as bouwcontrole writes them
        return self.status == Status.MISLUKT and not self.concept and regels == {"tarieven-concept"}

    @property
    def wat(self) -> str:
        wat = f"aanbieder {self.aanbieder}" if self.aanbieder else "hele regio"
        return f"{wat} (concept)" if self.concept else wat
