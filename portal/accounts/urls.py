from django.urls import path

from portal.security import unlock

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("language/", views.switch_language, name="switch_language"),
    # Asking for, and following, an e-mailed link that lifts a sign-in lockout.
    path("unlock/", unlock.request_unlock, name="unlock_request"),
    path("unlock/link/", unlock.unlock, name="unlock"),
]
