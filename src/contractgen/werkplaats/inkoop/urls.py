from django.urls import path

from contractgen.werkplaats.inkoop import views

app_name = "inkoop"

urlpatterns = [
    path("regio/<slug:regio>/intake/", views.intake, name="intake"),
    path("regio/<slug:regio>/intake/werkmap.xlsx", views.intake_sjabloon, name="intake_sjabloon"),
    path("regio/<slug:regio>/intake/<str:token>/", views.intake_voorbeeld, name="intake_voorbeeld"),
    path("regio/<slug:regio>/intake/<str:token>/gemarkeerd.xlsx", views.intake_gemarkeerd, name="intake_gemarkeerd"),
    path("regio/<slug:regio>/intake/<str:token>/toepassen/", views.intake_toepassen, name="intake_toepassen"),
    path("regio/<slug:regio>/aanbieders/<slug:aanbieder>/", views.aanbieder, name="aanbieder"),
    path("regio/<slug:regio>/aanbieders/<slug:aanbieder>/bewerken/", views.aanbieder_bewerken, name="aanbieder_bewerken"),
    path("regio/<slug:regio>/jaarwissel/", views.jaarwissel, name="jaarwissel"),
    path("regio/<slug:regio>/tariefsets/", views.tariefsets, name="tariefsets"),
    path("regio/<slug:regio>/tariefsets/<slug:tariefset>/", views.tariefset, name="tariefset"),
    path("regio/<slug:regio>/tariefsets/<slug:tariefset>/vaststellen/", views.vaststellen, name="vaststellen"),
    path("regio/<slug:regio>/tariefsets/<slug:tariefset>/corrigeren/", views.tarief_corrigeren, name="tarief_corrigeren"),
]
