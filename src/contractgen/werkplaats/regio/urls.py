from django.urls import path

from contractgen.werkplaats.regio import views

app_name = "regio"

urlpatterns = [
    path("regio/<slug:regio>/", views.regio_pagina, name="pagina"),
    path("regio/<slug:regio>/bouwen/", views.bouw_start, name="bouwen"),
    path("regio/<slug:regio>/bouwtaken/<uuid:taak>/", views.taak_pagina, name="taak"),
    path("regio/<slug:regio>/bouwtaken/<uuid:taak>/status/", views.taak_status, name="taak_status"),
    path("regio/<slug:regio>/<int:jaar>/<slug:aanbieder>/pakket.zip", views.download_zip, name="zip"),
    path("regio/<slug:regio>/<int:jaar>/<slug:aanbieder>/<str:bestand>", views.download, name="download"),
]
