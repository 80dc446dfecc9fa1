"""What intents adds at the site's root (IntentsConfig.urls, included by portal/urls.py): the
pages of its three areas, "letters:…", "reviewing:…" and "office:…". Its home page is named by
portal (IntentsConfig.home)."""

from django.urls import include, path

urlpatterns = [
    path("", include("intents.letters.urls")),
    path("", include("intents.reviewing.urls")),
    path("", include("intents.office.urls")),
]
