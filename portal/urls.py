from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from .accounts.views import request_reauthentication_code
from .operations.health import healthz
from .registry import app_configs_with, home_view

# Everyone signs in through allauth, so the admin's own form cannot skip the two-factor step.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    # The site's root, named here so portal's pages link to it; an app above provides the view.
    path("", home_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("portal.operations.urls")),
    # Before allauth's own, which it replaces (its form's field has no label).
    path(
        "accounts/reauthenticate/code/",
        request_reauthentication_code,
        name="account_request_reauthentication_code",
    ),
    path("accounts/", include("allauth.urls")),
    path("me/", include("portal.accounts.urls")),
    path("organisations/", include("portal.organisations.urls")),
    path("office/", include("portal.notifications.urls")),
    # The apps above portal (intents: the calls, letters, reviewing and office pages).
    *(path("", include(config.urls)) for config in app_configs_with("urls")),
    path("admin/", admin.site.urls),
]
