"""The audit log: every action in the workplace, who, what, when and from where."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Handeling(models.Model):
    wanneer = models.DateTimeField(auto_now_add=True, db_index=True)
    wie = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    wie_tekst = models.CharField("wie (zoals toen)", max_length=254, blank=True)
    vanaf = models.GenericIPAddressField("vanaf (IP-adres)", null=True, blank=True)
    wat = models.CharField(max_length=200)
    regio = models.CharField(max_length=100, blank=True)
    onderwerp = models.CharField(max_length=300, blank=True)
    resultaat = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "handeling"
        verbose_name_plural = "handelingen"
        ordering = ["-wanneer"]

    def __str__(self) -> str:
        return f"{self.wanneer:%d-%m-%Y %H:%M} {self.wie_tekst}: {self.wat}"
