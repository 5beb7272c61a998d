from django.apps import AppConfig


class RegioConfig(AppConfig):
    name = "contractgen.werkplaats.regio"
    label = "regio"
    verbose_name = "Regio's en bouwtaken"
