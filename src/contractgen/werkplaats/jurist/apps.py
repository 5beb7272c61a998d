from django.apps import AppConfig


class JuristConfig(AppConfig):
    name = "contractgen.werkplaats.jurist"
    label = "jurist"
    verbose_name = "Jurist: bevindingen, voorrang, vergelijken en Word"
