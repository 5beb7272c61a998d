"""What the aanbieder's portal keeps in the workplace database (never in the data folder).

- `Concept`: the answers an aanbieder saved as draft, one per aanbieder of a region (shared by its
  contact persons), as the form's cleaned values (`{"kvk": "...", "antwoord_A1": "Ja", ...}`).
- `Indiening`: a submission that was written to the aanbieder's YAML; the region page marks an
  aanbieder as "nieuw ingediend" while its last submission is later than its last finished build.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Concept(models.Model):
    regio = models.CharField(max_length=100)
    aanbieder = models.CharField(max_length=100)
    gegevens = models.JSONField(default=dict)
    bijgewerkt = models.DateTimeField(auto_now=True)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "concept-antwoorden"
        verbose_name_plural = "concept-antwoorden"
        constraints = [models.UniqueConstraint(fields=["regio", "aanbieder"], name="een_concept_per_aanbieder")]


class Indiening(models.Model):
    regio = models.CharField(max_length=100, db_index=True)
    aanbieder = models.CharField(max_length=100)
    ingediend = models.DateTimeField(auto_now_add=True)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "indiening"
        verbose_name_plural = "indieningen"
        ordering = ["-ingediend"]
