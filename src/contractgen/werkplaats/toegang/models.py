"""Who may do what where: a person's roles, each for one region (a beheerder: every region).

Accounts are Django's own (`django.contrib.auth.User`, the e-mail address as user name); a
`Toegang` row gives one of them one role in one region, an aanbieder's contact person also the
aanbieder it represents (a person may represent more than one: one row each).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Rol:
    """The roles (plain strings: what is stored, what `--rol` takes)."""

    INKOOPTEAM = "inkoopteam"
    JURIST = "jurist"
    BEHEERDER = "beheerder"
    AANBIEDER = "aanbieder"
    values = (INKOOPTEAM, JURIST, BEHEERDER, AANBIEDER)
    choices = [(INKOOPTEAM, "Inkoopteam"), (JURIST, "Jurist"), (BEHEERDER, "Beheerder"), (AANBIEDER, "Aanbieder")]


class Toegang(models.Model):
    gebruiker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="toegangen")
    rol = models.CharField(max_length=20, choices=Rol.choices)
    regio = models.CharField("regio", max_length=100, blank=True,
                             help_text="De map van de regio in de data (leeg: alle regio's, alleen voor beheerders).")
    aanbieder = models.CharField("aanbieder", max_length=100, blank=True,
                                 help_text="Alleen voor de rol aanbieder: de aanbieder die deze persoon vertegenwoordigt.")

    class Meta:
        verbose_name = "toegang"
        verbose_name_plural = "toegangen"
        constraints = [models.UniqueConstraint(fields=["gebruiker", "rol", "regio", "aanbieder"], name="een_toegang")]

    def __str__(self) -> str:
        waar = self.regio or "alle regio's"
        wie = f", {self.aanbieder}" if self.aanbieder else ""
        return f"{self.get_rol_display()} ({waar}{wie})"
