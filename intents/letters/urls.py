"""The applicants' pages: the call page, letters and their documents."""

from django.urls import path

from .views import documents, letters, public

app_name = "letters"

urlpatterns = [
    path("calls/<slug:slug>/", public.call_detail, name="call_detail"),
    path("calls/<slug:slug>/letters/new/", letters.start_letter, name="letter_start"),
    path("calls/<slug:slug>/register/", letters.call_register, name="call_register"),
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
]
