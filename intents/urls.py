from django.urls import path

from .views import (
    documents,
    letters,
    office,
    office_audit,
    office_config,
    office_dashboard,
    office_decisions,
    office_exports,
    office_letters,
    public,
    reviewer,
)

app_name = "intents"

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
    # The programme office: configuration, extensions, verification
    path("office/calls/new/", office_config.call_create, name="call_create"),
    path("office/calls/<slug:slug>/settings/", office_config.call_settings, name="call_settings"),
    path("office/calls/<slug:slug>/settings/modes/", office_config.call_modes, name="call_modes"),
    path(
        "office/calls/<slug:slug>/settings/documents/",
        office_config.call_document_types,
        name="call_document_types",
    ),
    path(
        "office/calls/<slug:slug>/settings/rubric/", office_config.call_rubric, name="call_rubric"
    ),
    path("office/calls/<slug:slug>/extensions/", office_config.extensions, name="extensions"),
    path(
        "office/calls/<slug:slug>/extensions/<int:extension_pk>/remove/",
        office_config.extension_remove,
        name="extension_remove",
    ),
    path("office/organisations/", office_config.organisations, name="office_organisations"),
    path(
        "office/organisations/<int:pk>/verification/",
        office_config.organisation_verification,
        name="organisation_verification",
    ),
    # The programme office: watching the cycle, letters, ranking, decisions
    path("office/calls/<slug:slug>/", office_dashboard.dashboard, name="dashboard"),
    path("office/calls/<slug:slug>/letters/", office_letters.letters, name="office_letters"),
    path("office/letters/<int:pk>/", office_letters.letter, name="office_letter"),
    path("office/calls/<slug:slug>/ranking/", office_letters.ranking, name="ranking"),
    path(
        "office/letters/<int:pk>/decision/",
        office_decisions.letter_decision,
        name="letter_decision",
    ),
    path(
        "office/calls/<slug:slug>/decisions/bulk/",
        office_decisions.decisions_bulk,
        name="decisions_bulk",
    ),
    path(
        "office/calls/<slug:slug>/decisions/release/",
        office_decisions.decisions_release,
        name="decisions_release",
    ),
    # The programme office: exports and the audit log
    path("office/calls/<slug:slug>/exports/", office_exports.exports, name="exports"),
    path(
        "office/calls/<slug:slug>/exports/documents/",
        office_exports.export_documents,
        name="export_documents",
    ),
    path(
        "office/calls/<slug:slug>/exports/<slug:kind>/<slug:fmt>/",
        office_exports.export_table,
        name="export_table",
    ),
    path("office/exports/<int:pk>/", office_exports.export_detail, name="export_detail"),
    path(
        "office/exports/<int:pk>/download/", office_exports.export_download, name="export_download"
    ),
    path("office/audit/", office_audit.audit_log, name="audit_log"),
    path("office/audit/export/", office_audit.audit_csv, name="audit_csv"),
]
