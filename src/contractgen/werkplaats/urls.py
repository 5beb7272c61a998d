"""URLs of the workplace. Each app has its own; the admin (beheerder) under /beheer/."""

from django.contrib import admin
from django.contrib.auth import views as auth
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path

from contractgen.werkplaats.regio import views as regio
from contractgen.werkplaats.toegang.formulieren import InlogFormulier


def gezond(request):
    """200 when the server answers and its database is reachable (for `contractgen werkplaats` and monitoring)."""
    with connection.cursor() as c:
        c.execute("SELECT 1")
    return HttpResponse("gezond\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("gezond", gezond, name="gezond"),
    path("", regio.start, name="start"),
    path("inloggen/", auth.LoginView.as_view(template_name="werkplaats/inloggen.html",
                                              authentication_form=InlogFormulier), name="inloggen"),
    path("uitloggen/", auth.LogoutView.as_view(), name="uitloggen"),
    path("beheer/", admin.site.urls),
    path("", include("contractgen.werkplaats.inkoop.urls")),
    path("", include("contractgen.werkplaats.regio.urls")),
    path("", include("contractgen.werkplaats.portaal.urls")),
    path("", include("contractgen.werkplaats.jurist.urls")),
]

handler404 = "contractgen.werkplaats.toegang.views.niet_gevonden"
handler403 = "contractgen.werkplaats.toegang.views.geen_toegang"
handler500 = "contractgen.werkplaats.toegang.views.serverfout"
