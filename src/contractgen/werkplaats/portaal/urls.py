from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from contractgen.werkplaats.portaal import inkoop, views
from contractgen.werkplaats.portaal.formulieren import WachtwoordInstellenFormulier, WachtwoordVergetenFormulier

app_name = "portaal"

urlpatterns = [
    path("aanbieder/", views.start, name="start"),
    path("aanbieder/<slug:regio>/<slug:aanbieder>/", views.aanbieder, name="aanbieder"),
    path("aanbieder/<slug:regio>/<slug:aanbieder>/antwoorden/", views.antwoorden, name="antwoorden"),
    path("aanbieder/<slug:regio>/<slug:aanbieder>/terugsturen/", views.terugsturen, name="terugsturen"),
    path("aanbieder/<slug:regio>/<slug:aanbieder>/<int:jaar>/contractpakket.pdf", views.download, name="download"),
    path("regio/<slug:regio>/portaal/uitnodigen/", inkoop.uitnodigen, name="uitnodigen"),
    path("regio/<slug:regio>/portaal/ontvangen/", inkoop.ontvangen, name="ontvangen"),
    path("regio/<slug:regio>/portaal/herinneren/", inkoop.herinneren, name="herinneren"),
    # password: Django's own views and tokens, our forms, letters and pages
    path("wachtwoord/vergeten/", auth.PasswordResetView.as_view(
        form_class=WachtwoordVergetenFormulier, template_name="werkplaats/portaal/wachtwoord_vergeten.html",
        success_url=reverse_lazy("portaal:wachtwoord_verstuurd")), name="wachtwoord_vergeten"),
    path("wachtwoord/vergeten/verstuurd/", auth.PasswordResetDoneView.as_view(
        template_name="werkplaats/portaal/wachtwoord_verstuurd.html"), name="wachtwoord_verstuurd"),
    path("wachtwoord/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(
        form_class=WachtwoordInstellenFormulier, template_name="werkplaats/portaal/wachtwoord_instellen.html",
        success_url=reverse_lazy("portaal:wachtwoord_ingesteld")), name="wachtwoord_instellen"),
    path("wachtwoord/ingesteld/", auth.PasswordResetCompleteView.as_view(
        template_name="werkplaats/portaal/wachtwoord_ingesteld.html"), name="wachtwoord_ingesteld"),
]
