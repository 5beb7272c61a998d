from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "contractgen.werkplaats.audit"
    label = "audit"
    verbose_name = "Auditlog"

    def ready(self) -> None:
        from contractgen.werkplaats.audit import signalen  # noqa: F401  (log in, log out, failed log-in)
