from django.urls import path

from contractgen.werkplaats.jurist import views

app_name = "jurist"

urlpatterns = [
    path("regio/<slug:regio>/jurist/bevindingen/", views.bevindingen, name="bevindingen"),
    path("regio/<slug:regio>/jurist/bevindingen/<str:sleutel>/", views.bevinding, name="bevinding"),
    path("regio/<slug:regio>/jurist/voorrang/", views.voorrang, name="voorrang"),
    path("regio/<slug:regio>/jurist/vergelijken/", views.vergelijken, name="vergelijken"),
    path("regio/<slug:regio>/jurist/vergelijken/redline.docx", views.redline, name="redline"),
    path("regio/<slug:regio>/jurist/word/", views.word, name="word"),
    path("regio/<slug:regio>/jurist/word/<uuid:bewerking>/", views.word_voorbeeld, name="word_voorbeeld"),
    path("regio/<slug:regio>/jurist/word/<uuid:bewerking>/toepassen/", views.word_toepassen, name="word_toepassen"),
]
