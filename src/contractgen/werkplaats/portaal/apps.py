from django.apps import AppConfig


class PortaalConfig(AppConfig):
    name = "contractgen.werkplaats.portaal"
    label = "portaal"
    verbose_name = "Portaal voor aanbieders"
