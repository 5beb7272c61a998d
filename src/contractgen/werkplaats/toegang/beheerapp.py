"""Django's admin app with `BeheerSite` as its site (`admin.site`); named in INSTALLED_APPS.

Its own module: an app config module may not import models (the site's module does)."""

from django.contrib.admin.apps import AdminConfig


class BeheerConfig(AdminConfig):
    default_site = "contractgen.werkplaats.toegang.beheersite.BeheerSite"
