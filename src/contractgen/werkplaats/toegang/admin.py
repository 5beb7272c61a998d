from django.contrib import admin

from contractgen.werkplaats.toegang.beheersite import WaardenFilter
from contractgen.werkplaats.toegang.models import Toegang


@admin.register(Toegang)
class ToegangAdmin(admin.ModelAdmin):
    list_display = ("gebruiker", "rol", "regio", "aanbieder")
    list_filter = ("rol", ("regio", WaardenFilter))
    search_fields = ("gebruiker__username", "gebruiker__email", "aanbieder")
