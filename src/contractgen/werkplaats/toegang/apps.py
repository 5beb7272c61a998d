from django.apps import AppConfig


class ToegangConfig(AppConfig):
    name = "contractgen.werkplaats.toegang"
    label = "toegang"
    verbose_name = "Toegang (rollen per regio)"

