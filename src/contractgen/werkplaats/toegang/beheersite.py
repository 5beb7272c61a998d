"""Django's admin as the beheerder's pages, closed to everyone else.

Django's own admin shows its login form to anyone who is not staff. Here a person without the
beheerder's rights gets 404 (like any page they may not see: the admin's existence is not
advertised), and a person not logged in goes to the workplace's one login page.
"""

from __future__ import annotations

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest


class BeheerSite(admin.AdminSite):
    site_header = "contractgen — beheer"
    site_title = "contractgen beheer"
    index_title = "Accounts, rollen en auditlog"

    def login(self, request: HttpRequest, extra_context=None):
        if request.user.is_authenticated:
            raise Http404("geen beheerder")
        return redirect_to_login(request.GET.get("next") or request.get_full_path())

    def admin_view(self, view, cacheable=False):
        binnen = super().admin_view(view, cacheable)

        def gecontroleerd(request: HttpRequest, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404("geen beheerder")
            return binnen(request, *args, **kwargs)

        return update_wrapper(gecontroleerd, binnen)



class WaardenFilter(admin.AllValuesFieldListFilter):
    """Django's filter on a field's values, with a name for the empty value: Django offers it as a link
    without text (axe: link-name), e.g. the regio of a beheerder's role or of a login."""

    LEEG = "(geen)"

    def choices(self, changelist):
        for keuze in super().choices(changelist):
            if not str(keuze.get("display", "")).strip():
                keuze = {**keuze, "display": self.LEEG}
            yield keuze
