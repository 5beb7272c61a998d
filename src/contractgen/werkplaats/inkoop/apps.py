from django.apps import AppConfig


class InkoopConfig(AppConfig):
    """The inkoopteam's work: intake upload, one aanbieder in a form, history, the new year, tariff sets."""

    name = "contractgen.werkplaats.inkoop"
    label = "inkoop"
    verbose_name = "Inkoopteam"
