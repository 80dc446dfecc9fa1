"""The programme office's pages: its home, the calls' configuration, the dashboard, letters,
ranking and decisions, exports and the audit log."""

from django.urls import path

from .views import audit, config, dashboard, decisions, exports, home, letters

app_name = "office"

urlpatterns = [
    path("office/", home.office_home, name="office_home"),
    # The programme office: configuration, extensions, verification
    path("office/calls/new/", config.call_create, name="call_create"),
    path("office/calls/<slug:slug>/settings/", config.call_settings, name="call_settings"),
    path("office/calls/<slug:slug>/settings/modes/", config.call_modes, name="call_modes"),
    path(
        "office/calls/<slug:slug>/settings/documents/",
        config.call_document_types,
        name="call_document_types",
    ),
    path("office/calls/<slug:slug>/settings/rubric/", config.call_rubric, name="call_rubric"),
    path("office/calls/<slug:slug>/extensions/", config.extensions, name="extensions"),
    path(
        "office/calls/<slug:slug>/extensions/<int:extension_pk>/remove/",
        config.extension_remove,
        name="extension_remove",
    ),
    path("office/organisations/", config.organisations, name="office_organisations"),
    path(
        "office/organisations/<int:pk>/verification/",
        config.organisation_verification,
        name="organisation_verification",
    ),
    # The programme office: watching the cycle, letters, ranking, decisions
    path("office/calls/<slug:slug>/", dashboard.dashboard, name="dashboard"),
    path("office/calls/<slug:slug>/letters/", letters.letters, name="office_letters"),
    path("office/letters/<int:pk>/", letters.letter, name="office_letter"),
    path("office/calls/<slug:slug>/ranking/", letters.ranking, name="ranking"),
    path(
        "office/letters/<int:pk>/decision/",
        decisions.letter_decision,
        name="letter_decision",
    ),
    path(
        "office/calls/<slug:slug>/decisions/bulk/",
        decisions.decisions_bulk,
        name="decisions_bulk",
    ),
    path(
        "office/calls/<slug:slug>/decisions/release/",
        decisions.decisions_release,
        name="decisions_release",
    ),
    # The programme office: exports and the audit log
    path("office/calls/<slug:slug>/exports/", exports.exports, name="exports"),
    path(
        "office/calls/<slug:slug>/exports/documents/",
        exports.export_documents,
        name="export_documents",
    ),
    path(
        "office/calls/<slug:slug>/exports/<slug:kind>/<slug:fmt>/",
        exports.export_table,
        name="export_table",
    ),
    path("office/exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("office/exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path("office/audit/", audit.audit_log, name="audit_log"),
    path("office/audit/export/", audit.audit_csv, name="audit_csv"),
]
