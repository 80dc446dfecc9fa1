from django.urls import path

from .views import documents, letters, office, public, reviewer

app_name = "intents"

urlpatterns = [
    path("calls/<slug:slug>/", public.call_detail, name="call_detail"),
    path("calls/<slug:slug>/letters/new/", letters.start_letter, name="letter_start"),
    path("letters/<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/edit/", letters.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/submit/", letters.letter_submit, name="letter_submit"),
    path("letters/<int:pk>/withdraw/", letters.letter_withdraw, name="letter_withdraw"),
    path(
        "letters/<int:pk>/versions/<int:number>/receipt/",
        letters.letter_receipt,
        name="letter_receipt",
    ),
    path("letters/<int:pk>/documents/", documents.document_upload, name="document_upload"),
    path(
        "letters/<int:pk>/documents/<int:document_pk>/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "letters/<int:pk>/documents/<int:document_pk>/remove/",
        documents.document_remove,
        name="document_remove",
    ),
    # The reviewer's pages
    path("review/", reviewer.desk, name="reviewer_desk"),
    path("review/invitations/<str:token>/", reviewer.invitation, name="reviewer_invitation"),
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
    path("office/", office.office_home, name="office_home"),
    path("office/calls/<slug:slug>/reviewers/", office.reviewer_pool, name="reviewer_pool"),
    path(
        "office/calls/<slug:slug>/reviewers/<int:reviewer_pk>/remove/",
        office.reviewer_remove,
        name="reviewer_remove",
    ),
    path(
        "office/calls/<slug:slug>/assignments/",
        office.assignment_overview,
        name="assignment_overview",
    ),
    path(
        "office/calls/<slug:slug>/assignments/run/",
        office.assignment_run_start,
        name="assignment_run_start",
    ),
    path(
        "office/calls/<slug:slug>/assignments/runs/<int:run_pk>/",
        office.assignment_run,
        name="assignment_run",
    ),
    path("office/letters/<int:pk>/assign/", office.letter_assign, name="letter_assign"),
    path("office/assignments/<int:pk>/remove/", office.assignment_remove, name="assignment_remove"),
]
