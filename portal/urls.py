from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from intents.views.public import home

from .operations.health import healthz

# Everyone signs in through allauth, so the admin's own form cannot skip the two-factor step.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("portal.operations.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("portal.accounts.urls")),
    path("organisations/", include("portal.organisations.urls")),
    path("office/", include("portal.notifications.urls")),
    path("", include("intents.urls")),
    path("admin/", admin.site.urls),
]
