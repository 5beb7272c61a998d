from django.contrib import admin

from contractgen.werkplaats.audit.models import Handeling


class RegioFilter(admin.SimpleListFilter):
    """The regions as choices, and actions outside any region (logging in, accounts) by name: Django's own
    filter would offer the empty value as a link without text (axe: link-name)."""

    title = "regio"
    parameter_name = "regio"
    ZONDER = "-"

    def lookups(self, request, model_admin):
        regios = (Handeling.objects.order_by("regio").values_list("regio", flat=True).distinct())
        return [(r or self.ZONDER, r or "(buiten een regio)") for r in regios]

    def queryset(self, request, queryset):
        waarde = self.value()
        if waarde is None:
            return queryset
        return queryset.filter(regio="" if waarde == self.ZONDER else waarde)


@admin.register(Handeling)
class HandelingAdmin(admin.ModelAdmin):
    """Read-only: an audit log is not edited, not even by a beheerder."""

    list_display = ("wanneer", "wie_tekst", "wat", "regio", "onderwerp", "resultaat", "vanaf")
    list_filter = ("wat", RegioFilter)
    search_fields = ("wie_tekst", "wat", "onderwerp", "resultaat")
    date_hierarchy = "wanneer"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
