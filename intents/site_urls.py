"""What intents adds at the site's root (IntentsConfig.urls, included by portal/urls.py): the
home page, outside any namespace, and the pages named "intents:…"."""

from django.urls import include, path

from .views.public import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("intents.urls")),
]
