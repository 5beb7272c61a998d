from django.contrib import admin

from contractgen.werkplaats.audit.models import Handeling
from contractgen.werkplaats.toegang.beheersite import WaardenFilter


@admin.register(Handeling)
class HandelingAdmin(admin.ModelAdmin):
    """Read-only: an audit log is not edited, not even by a beheerder."""

    list_display = ("wanneer", "wie_tekst", "wat", "regio", "onderwerp", "resultaat", "vanaf")
    list_filter = ("wat", ("regio", WaardenFilter))
    search_fields = ("wie_tekst", "wat", "onderwerp", "resultaat")
    date_hierarchy = "wanneer"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
