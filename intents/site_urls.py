"""What intents adds at the site's root (IntentsConfig.urls, included by portal/urls.py): the
home page, outside any namespace, and the pages of its three areas, "letters:…", "reviewing:…"
and "office:…"."""

from django.urls import include, path

from .letters.views.public import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("intents.letters.urls")),
    path("", include("intents.reviewing.urls")),
    path("", include("intents.office.urls")),
]
