"""The reviewers' pages, and the programme office's pages of the pool and the assignments."""

from django.urls import path

from .views import office as office_reviewing
from .views import reviewer

app_name = "reviewing"

urlpatterns = [
    # The reviewer's pages
    path("review/", reviewer.desk, name="reviewer_desk"),
    # Tokens are URL-safe base64 (secrets.token_urlsafe): a slug, never a NUL byte for the database.
    path("review/invitations/<slug:token>/", reviewer.invitation, name="reviewer_invitation"),
    path("review/assignments/<int:pk>/", reviewer.assignment_detail, name="assignment_detail"),
    path(
        "review/assignments/<int:pk>/conflict/",
        reviewer.assignment_conflict,
        name="assignment_conflict",
    ),
    path("review/assignments/<int:pk>/review/", reviewer.review_edit, name="review_edit"),
    path(
        "review/assignments/<int:pk>/documents/<int:document_pk>/",
        reviewer.assignment_document,
        name="assignment_document",
    ),
    # The programme office's reviewing pages
    path(
        "office/calls/<slug:slug>/reviewers/", office_reviewing.reviewer_pool, name="reviewer_pool"
    ),
    path(
        "office/calls/<slug:slug>/reviewers/<int:reviewer_pk>/remove/",
        office_reviewing.reviewer_remove,
        name="reviewer_remove",
    ),
    path(
        "office/calls/<slug:slug>/assignments/",
        office_reviewing.assignment_overview,
        name="assignment_overview",
    ),
    path(
        "office/calls/<slug:slug>/assignments/run/",
        office_reviewing.assignment_run_start,
        name="assignment_run_start",
    ),
    path(
        "office/calls/<slug:slug>/assignments/runs/<int:run_pk>/",
        office_reviewing.assignment_run,
        name="assignment_run",
    ),
    path("office/letters/<int:pk>/assign/", office_reviewing.letter_assign, name="letter_assign"),
    path(
        "office/assignments/<int:pk>/remove/",
        office_reviewing.assignment_remove,
        name="assignment_remove",
    ),
]
