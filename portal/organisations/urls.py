from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("new/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/members/", views.member_list, name="members"),
    path("<int:pk>/members/<int:membership_pk>/role/", views.member_role, name="member_role"),
    path("<int:pk>/members/<int:membership_pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    # Tokens are URL-safe base64 (secrets.token_urlsafe): a slug, never a NUL byte for the database.
    path("invitations/<slug:token>/", views.invitation_accept, name="invitation_accept"),
]
