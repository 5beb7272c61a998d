"""A Word document with edits, uploaded and waiting to be applied (the preview between upload and apply).

The file itself lives in the private state folder under a name the server makes (`upload.py`), never under a
name from the request; this row says whose it is, for which region, and what the new version will be called.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class WordBewerking(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    regio = models.CharField(max_length=100)
    gebruiker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    versie = models.CharField("versie", max_length=40)
    geldig_van = models.DateField("geldig van")
    document = models.CharField(max_length=200, blank=True)  # the document's name as shown, once read
    # file (relative to the region) → sha256 when the preview was made: applying refuses a file changed since
    gelezen = models.JSONField(default=dict)
    gemaakt = models.DateTimeField(auto_now_add=True)
    toegepast = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Word-bewerking"
        verbose_name_plural = "Word-bewerkingen"
        ordering = ["-gemaakt"]
