"""Who may reach each of our views: the outsider habit, applied to every view taking an object.

One table says, for each (view, role, method), what must happen. Anonymous visitors are sent
to sign in; an outsider (a member of another organisation) gets a 404 that names nothing of
ours; a viewer reads; an editor writes letters; an owner also manages members; a programme
officer reads letters and documents once submitted (a draft is hidden from the office too).

A reviewer's pages show an assignment to the reviewer who holds it and to nobody else: the
applicant, the office, another reviewer of the same call and a reviewer whose assignment a
conflict now hides all get the 404 of a missing page.

The programme office's pages (reviewers and assignments, a call's settings, extensions, the
verification of organisations, the dashboard, the filed letters and their ranking, decisions
and exports) answer 403 to anyone signed in who is not a programme officer, whatever else they
are in the portal; the office, too, gets a 404 for a draft. A Django superuser is nobody in
particular here: the portal's permissions hold for everyone alike (the superuser has the admin
for raw data), so a superuser who is not an officer is refused the office's pages and sees no
organisation's letters. A refused request changes nothing.
"""

import datetime as dt
import os
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import get_resolver, reverse
from django.utils import timezone

from intents import domain
from intents.models import (
    Assignment,
    AssignmentRun,
    Call,
    ConflictDeclaration,
    CooperationMode,
    Criterion,
    Decision,
    Document,
    DocumentType,
    ExportJob,
    Extension,
    LetterOfIntent,
    LetterVersion,
    Review,
    Reviewer,
    Score,
)
from intents.office import config
from intents.office.forms import DocumentTypeFormSet, ModeFormSet, RubricFormSet
from intents.reviewing import assignments
from portal.organisations.models import Invitation, Membership, Organisation, Role

from .conftest import attach_pdf
from .factories import (
    CallFactory,
    CriterionFactory,
    LetterFactory,
    MembershipFactory,
    ReviewerFactory,
    UserFactory,
    complete_letter_fields,
    pdf_upload,
)

ORGANISATION_NAME = "Selene Regolith Consortium"
ORGANISATION_SHORT_NAME = "Selenecons"
LETTER_TITLE = "Confidential regolith drill"
DOCUMENT_NAME = "secret-budget-2031.pdf"
# The letter the reviewers and the office work on: filed, so it is in review.
FILED_TITLE = "Confidential ice prospector"
FILED_DOCUMENT_NAME = "secret-ice-budget-2032.pdf"
SECRETS = [
    ORGANISATION_NAME,
    ORGANISATION_SHORT_NAME,
    LETTER_TITLE,
    DOCUMENT_NAME,
    FILED_TITLE,
    FILED_DOCUMENT_NAME,
]
# Members see their organisation's short name in the navigation of every page, a 404 included.
MEMBERS = {"viewer", "editor", "owner"}

# What must happen.
SHOWN = "shown"  # 200
DONE = "done"  # a redirect after the change was made
LOGIN = "login"  # a redirect to the sign-in page, nothing changed
HIDDEN = "hidden"  # 404 naming nothing of ours, nothing changed
DENIED = "denied"  # 403, nothing changed
POST_ONLY = "post only"  # 405, nothing changed
BOUNCED = "bounced"  # a redirect back with an error message, nothing changed

ACCESS = [
    # url name,                           role,                   method, outcome
    ("organisations:detail",              "anonymous",            "GET",  LOGIN),
    ("organisations:detail",              "outsider",             "GET",  HIDDEN),
    ("organisations:detail",              "viewer",               "GET",  SHOWN),
    ("organisations:detail",              "editor",               "GET",  SHOWN),
    ("organisations:detail",              "owner",                "GET",  SHOWN),
    ("organisations:detail",              "officer",              "GET",  SHOWN),

    ("organisations:edit",                "anonymous",            "GET",  LOGIN),
    ("organisations:edit",                "outsider",             "GET",  HIDDEN),
    ("organisations:edit",                "viewer",               "GET",  DENIED),
    ("organisations:edit",                "editor",               "GET",  SHOWN),
    ("organisations:edit",                "owner",                "GET",  SHOWN),
    ("organisations:edit",                "officer",              "GET",  DENIED),
    ("organisations:edit",                "anonymous",            "POST", LOGIN),
    ("organisations:edit",                "outsider",             "POST", HIDDEN),
    ("organisations:edit",                "viewer",               "POST", DENIED),
    ("organisations:edit",                "editor",               "POST", DONE),
    ("organisations:edit",                "owner",                "POST", DONE),
    ("organisations:edit",                "officer",              "POST", DENIED),

    ("organisations:members",             "anonymous",            "GET",  LOGIN),
    ("organisations:members",             "outsider",             "GET",  HIDDEN),
    ("organisations:members",             "viewer",               "GET",  SHOWN),
    ("organisations:members",             "editor",               "GET",  SHOWN),
    ("organisations:members",             "owner",                "GET",  SHOWN),
    ("organisations:members",             "officer",              "GET",  SHOWN),
    ("organisations:members",             "anonymous",            "POST", LOGIN),
    ("organisations:members",             "outsider",             "POST", HIDDEN),
    ("organisations:members",             "viewer",               "POST", DENIED),
    ("organisations:members",             "editor",               "POST", DENIED),
    ("organisations:members",             "owner",                "POST", DONE),
    ("organisations:members",             "officer",              "POST", DENIED),

    ("organisations:member_role",         "anonymous",            "GET",  LOGIN),
    ("organisations:member_role",         "outsider",             "GET",  POST_ONLY),
    ("organisations:member_role",         "viewer",               "GET",  POST_ONLY),
    ("organisations:member_role",         "owner",                "GET",  POST_ONLY),
    ("organisations:member_role",         "anonymous",            "POST", LOGIN),
    ("organisations:member_role",         "outsider",             "POST", HIDDEN),
    ("organisations:member_role",         "viewer",               "POST", DENIED),
    ("organisations:member_role",         "editor",               "POST", DENIED),
    ("organisations:member_role",         "owner",                "POST", DONE),
    ("organisations:member_role",         "officer",              "POST", DENIED),

    ("organisations:member_remove",       "anonymous",            "GET",  LOGIN),
    ("organisations:member_remove",       "outsider",             "GET",  HIDDEN),
    ("organisations:member_remove",       "viewer",               "GET",  DENIED),
    ("organisations:member_remove",       "editor",               "GET",  DENIED),
    ("organisations:member_remove",       "owner",                "GET",  SHOWN),
    ("organisations:member_remove",       "officer",              "GET",  DENIED),
    ("organisations:member_remove",       "anonymous",            "POST", LOGIN),
    ("organisations:member_remove",       "outsider",             "POST", HIDDEN),
    ("organisations:member_remove",       "viewer",               "POST", DENIED),
    ("organisations:member_remove",       "editor",               "POST", DENIED),
    ("organisations:member_remove",       "owner",                "POST", DONE),
    ("organisations:member_remove",       "officer",              "POST", DENIED),

    ("organisations:invitation_revoke",   "anonymous",            "GET",  LOGIN),
    ("organisations:invitation_revoke",   "outsider",             "GET",  HIDDEN),
    ("organisations:invitation_revoke",   "viewer",               "GET",  DENIED),
    ("organisations:invitation_revoke",   "editor",               "GET",  DENIED),
    ("organisations:invitation_revoke",   "owner",                "GET",  SHOWN),
    ("organisations:invitation_revoke",   "officer",              "GET",  DENIED),
    ("organisations:invitation_revoke",   "anonymous",            "POST", LOGIN),
    ("organisations:invitation_revoke",   "outsider",             "POST", HIDDEN),
    ("organisations:invitation_revoke",   "viewer",               "POST", DENIED),
    ("organisations:invitation_revoke",   "editor",               "POST", DENIED),
    ("organisations:invitation_revoke",   "owner",                "POST", DONE),
    ("organisations:invitation_revoke",   "officer",              "POST", DENIED),

    ("intents:letter_start",              "anonymous",            "GET",  LOGIN),
    ("intents:letter_start",              "owner",                "GET",  POST_ONLY),
    ("intents:letter_start",              "anonymous",            "POST", LOGIN),
    ("intents:letter_start",              "outsider",             "POST", BOUNCED),
    ("intents:letter_start",              "viewer",               "POST", DENIED),
    ("intents:letter_start",              "editor",               "POST", DONE),
    ("intents:letter_start",              "owner",                "POST", DONE),
    ("intents:letter_start",              "officer",              "POST", DENIED),

    ("intents:letter_detail",             "anonymous",            "GET",  LOGIN),
    ("intents:letter_detail",             "outsider",             "GET",  HIDDEN),
    ("intents:letter_detail",             "viewer",               "GET",  SHOWN),
    ("intents:letter_detail",             "editor",               "GET",  SHOWN),
    ("intents:letter_detail",             "owner",                "GET",  SHOWN),
    ("intents:letter_detail",             "officer",              "GET",  HIDDEN),
    # Being a superuser opens the admin, not an organisation's letters.
    ("intents:letter_detail",             "superuser",            "GET",  HIDDEN),

    ("intents:letter_edit",               "anonymous",            "GET",  LOGIN),
    ("intents:letter_edit",               "outsider",             "GET",  HIDDEN),
    ("intents:letter_edit",               "viewer",               "GET",  DENIED),
    ("intents:letter_edit",               "editor",               "GET",  SHOWN),
    ("intents:letter_edit",               "owner",                "GET",  SHOWN),
    ("intents:letter_edit",               "officer",              "GET",  HIDDEN),
    ("intents:letter_edit",               "anonymous",            "POST", LOGIN),
    ("intents:letter_edit",               "outsider",             "POST", HIDDEN),
    ("intents:letter_edit",               "viewer",               "POST", DENIED),
    ("intents:letter_edit",               "editor",               "POST", DONE),
    ("intents:letter_edit",               "owner",                "POST", DONE),
    ("intents:letter_edit",               "officer",              "POST", HIDDEN),

    ("intents:letter_submit",             "anonymous",            "GET",  LOGIN),
    ("intents:letter_submit",             "outsider",             "GET",  HIDDEN),
    ("intents:letter_submit",             "viewer",               "GET",  DENIED),
    ("intents:letter_submit",             "editor",               "GET",  SHOWN),
    ("intents:letter_submit",             "owner",                "GET",  SHOWN),
    ("intents:letter_submit",             "officer",              "GET",  HIDDEN),
    ("intents:letter_submit",             "anonymous",            "POST", LOGIN),
    ("intents:letter_submit",             "outsider",             "POST", HIDDEN),
    ("intents:letter_submit",             "viewer",               "POST", DENIED),
    ("intents:letter_submit",             "editor",               "POST", DONE),
    ("intents:letter_submit",             "owner",                "POST", DONE),
    ("intents:letter_submit",             "officer",              "POST", HIDDEN),

    ("intents:letter_withdraw",           "anonymous",            "GET",  LOGIN),
    ("intents:letter_withdraw",           "outsider",             "GET",  HIDDEN),
    ("intents:letter_withdraw",           "viewer",               "GET",  DENIED),
    ("intents:letter_withdraw",           "editor",               "GET",  SHOWN),
    ("intents:letter_withdraw",           "owner",                "GET",  SHOWN),
    ("intents:letter_withdraw",           "officer",              "GET",  HIDDEN),
    ("intents:letter_withdraw",           "anonymous",            "POST", LOGIN),
    ("intents:letter_withdraw",           "outsider",             "POST", HIDDEN),
    ("intents:letter_withdraw",           "viewer",               "POST", DENIED),
    ("intents:letter_withdraw",           "editor",               "POST", DONE),
    ("intents:letter_withdraw",           "owner",                "POST", DONE),
    ("intents:letter_withdraw",           "officer",              "POST", HIDDEN),

    ("intents:letter_receipt",            "anonymous",            "GET",  LOGIN),
    ("intents:letter_receipt",            "outsider",             "GET",  HIDDEN),
    ("intents:letter_receipt",            "viewer",               "GET",  SHOWN),
    ("intents:letter_receipt",            "editor",               "GET",  SHOWN),
    ("intents:letter_receipt",            "owner",                "GET",  SHOWN),
    ("intents:letter_receipt",            "officer",              "GET",  SHOWN),

    ("intents:document_upload",           "anonymous",            "GET",  LOGIN),
    ("intents:document_upload",           "outsider",             "GET",  POST_ONLY),
    ("intents:document_upload",           "owner",                "GET",  POST_ONLY),
    ("intents:document_upload",           "anonymous",            "POST", LOGIN),
    ("intents:document_upload",           "outsider",             "POST", HIDDEN),
    ("intents:document_upload",           "viewer",               "POST", DENIED),
    ("intents:document_upload",           "editor",               "POST", DONE),
    ("intents:document_upload",           "owner",                "POST", DONE),
    ("intents:document_upload",           "officer",              "POST", HIDDEN),

    ("intents:document_download",         "anonymous",            "GET",  LOGIN),
    ("intents:document_download",         "outsider",             "GET",  HIDDEN),
    ("intents:document_download",         "viewer",               "GET",  SHOWN),
    ("intents:document_download",         "editor",               "GET",  SHOWN),
    ("intents:document_download",         "owner",                "GET",  SHOWN),
    ("intents:document_download",         "officer",              "GET",  HIDDEN),

    ("intents:document_remove",           "anonymous",            "GET",  LOGIN),
    ("intents:document_remove",           "outsider",             "GET",  HIDDEN),
    ("intents:document_remove",           "viewer",               "GET",  DENIED),
    ("intents:document_remove",           "editor",               "GET",  SHOWN),
    ("intents:document_remove",           "owner",                "GET",  SHOWN),
    ("intents:document_remove",           "officer",              "GET",  HIDDEN),
    ("intents:document_remove",           "anonymous",            "POST", LOGIN),
    ("intents:document_remove",           "outsider",             "POST", HIDDEN),
    ("intents:document_remove",           "viewer",               "POST", DENIED),
    ("intents:document_remove",           "editor",               "POST", DONE),
    ("intents:document_remove",           "owner",                "POST", DONE),
    ("intents:document_remove",           "officer",              "POST", HIDDEN),

    # A reviewer's pages: only the reviewer holding the assignment, and only while no conflict
    # hides the letter; everyone else gets the 404 of a letter that does not exist.
    ("intents:assignment_detail",         "anonymous",            "GET",  LOGIN),
    ("intents:assignment_detail",         "outsider",             "GET",  HIDDEN),
    ("intents:assignment_detail",         "owner",                "GET",  HIDDEN),
    ("intents:assignment_detail",         "officer",              "GET",  HIDDEN),
    ("intents:assignment_detail",         "reviewer",             "GET",  SHOWN),
    ("intents:assignment_detail",         "unassigned_reviewer",  "GET",  HIDDEN),
    ("intents:assignment_detail",         "conflicted_reviewer",  "GET",  HIDDEN),

    ("intents:assignment_conflict",       "anonymous",            "GET",  LOGIN),
    ("intents:assignment_conflict",       "outsider",             "GET",  POST_ONLY),
    ("intents:assignment_conflict",       "owner",                "GET",  POST_ONLY),
    ("intents:assignment_conflict",       "officer",              "GET",  POST_ONLY),
    ("intents:assignment_conflict",       "reviewer",             "GET",  POST_ONLY),
    ("intents:assignment_conflict",       "unassigned_reviewer",  "GET",  POST_ONLY),
    ("intents:assignment_conflict",       "conflicted_reviewer",  "GET",  POST_ONLY),
    ("intents:assignment_conflict",       "anonymous",            "POST", LOGIN),
    ("intents:assignment_conflict",       "outsider",             "POST", HIDDEN),
    ("intents:assignment_conflict",       "owner",                "POST", HIDDEN),
    ("intents:assignment_conflict",       "officer",              "POST", HIDDEN),
    ("intents:assignment_conflict",       "reviewer",             "POST", DONE),
    ("intents:assignment_conflict",       "unassigned_reviewer",  "POST", HIDDEN),
    ("intents:assignment_conflict",       "conflicted_reviewer",  "POST", HIDDEN),

    ("intents:review_edit",               "anonymous",            "GET",  LOGIN),
    ("intents:review_edit",               "outsider",             "GET",  HIDDEN),
    ("intents:review_edit",               "owner",                "GET",  HIDDEN),
    ("intents:review_edit",               "officer",              "GET",  HIDDEN),
    ("intents:review_edit",               "reviewer",             "GET",  SHOWN),
    ("intents:review_edit",               "unassigned_reviewer",  "GET",  HIDDEN),
    ("intents:review_edit",               "conflicted_reviewer",  "GET",  HIDDEN),
    ("intents:review_edit",               "anonymous",            "POST", LOGIN),
    ("intents:review_edit",               "outsider",             "POST", HIDDEN),
    ("intents:review_edit",               "owner",                "POST", HIDDEN),
    ("intents:review_edit",               "officer",              "POST", HIDDEN),
    ("intents:review_edit",               "reviewer",             "POST", DONE),
    ("intents:review_edit",               "unassigned_reviewer",  "POST", HIDDEN),
    ("intents:review_edit",               "conflicted_reviewer",  "POST", HIDDEN),

    ("intents:assignment_document",       "anonymous",            "GET",  LOGIN),
    ("intents:assignment_document",       "outsider",             "GET",  HIDDEN),
    ("intents:assignment_document",       "owner",                "GET",  HIDDEN),
    ("intents:assignment_document",       "officer",              "GET",  HIDDEN),
    ("intents:assignment_document",       "reviewer",             "GET",  SHOWN),
    ("intents:assignment_document",       "unassigned_reviewer",  "GET",  HIDDEN),
    ("intents:assignment_document",       "conflicted_reviewer",  "GET",  HIDDEN),

    # The programme office's pages: a plain 403 for anyone but a programme officer, a
    # superuser included. Pages that only take a POST answer 405 to a GET before asking who
    # is there.
    ("intents:reviewer_pool",             "anonymous",            "GET",  LOGIN),
    ("intents:reviewer_pool",             "outsider",             "GET",  DENIED),
    ("intents:reviewer_pool",             "owner",                "GET",  DENIED),
    ("intents:reviewer_pool",             "officer",              "GET",  SHOWN),
    ("intents:reviewer_pool",             "reviewer",             "GET",  DENIED),
    ("intents:reviewer_pool",             "unassigned_reviewer",  "GET",  DENIED),
    ("intents:reviewer_pool",             "conflicted_reviewer",  "GET",  DENIED),
    ("intents:reviewer_pool",             "superuser",            "GET",  DENIED),
    ("intents:reviewer_pool",             "anonymous",            "POST", LOGIN),
    ("intents:reviewer_pool",             "outsider",             "POST", DENIED),
    ("intents:reviewer_pool",             "owner",                "POST", DENIED),
    ("intents:reviewer_pool",             "officer",              "POST", DONE),
    ("intents:reviewer_pool",             "reviewer",             "POST", DENIED),
    ("intents:reviewer_pool",             "unassigned_reviewer",  "POST", DENIED),
    ("intents:reviewer_pool",             "conflicted_reviewer",  "POST", DENIED),
    ("intents:reviewer_pool",             "superuser",            "POST", DENIED),

    ("intents:reviewer_remove",           "anonymous",            "GET",  LOGIN),
    ("intents:reviewer_remove",           "outsider",             "GET",  DENIED),
    ("intents:reviewer_remove",           "owner",                "GET",  DENIED),
    ("intents:reviewer_remove",           "officer",              "GET",  SHOWN),
    ("intents:reviewer_remove",           "reviewer",             "GET",  DENIED),
    ("intents:reviewer_remove",           "unassigned_reviewer",  "GET",  DENIED),
    ("intents:reviewer_remove",           "conflicted_reviewer",  "GET",  DENIED),
    ("intents:reviewer_remove",           "superuser",            "GET",  DENIED),
    ("intents:reviewer_remove",           "anonymous",            "POST", LOGIN),
    ("intents:reviewer_remove",           "outsider",             "POST", DENIED),
    ("intents:reviewer_remove",           "owner",                "POST", DENIED),
    ("intents:reviewer_remove",           "officer",              "POST", DONE),
    ("intents:reviewer_remove",           "reviewer",             "POST", DENIED),
    ("intents:reviewer_remove",           "unassigned_reviewer",  "POST", DENIED),
    ("intents:reviewer_remove",           "conflicted_reviewer",  "POST", DENIED),
    ("intents:reviewer_remove",           "superuser",            "POST", DENIED),

    ("intents:assignment_overview",       "anonymous",            "GET",  LOGIN),
    ("intents:assignment_overview",       "outsider",             "GET",  DENIED),
    ("intents:assignment_overview",       "owner",                "GET",  DENIED),
    ("intents:assignment_overview",       "officer",              "GET",  SHOWN),
    ("intents:assignment_overview",       "reviewer",             "GET",  DENIED),
    ("intents:assignment_overview",       "unassigned_reviewer",  "GET",  DENIED),
    ("intents:assignment_overview",       "conflicted_reviewer",  "GET",  DENIED),
    ("intents:assignment_overview",       "superuser",            "GET",  DENIED),

    ("intents:assignment_run_start",      "anonymous",            "GET",  LOGIN),
    ("intents:assignment_run_start",      "outsider",             "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "owner",                "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "officer",              "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "reviewer",             "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "unassigned_reviewer",  "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "conflicted_reviewer",  "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "superuser",            "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "anonymous",            "POST", LOGIN),
    ("intents:assignment_run_start",      "outsider",             "POST", DENIED),
    ("intents:assignment_run_start",      "owner",                "POST", DENIED),
    ("intents:assignment_run_start",      "officer",              "POST", DONE),
    ("intents:assignment_run_start",      "reviewer",             "POST", DENIED),
    ("intents:assignment_run_start",      "unassigned_reviewer",  "POST", DENIED),
    ("intents:assignment_run_start",      "conflicted_reviewer",  "POST", DENIED),
    ("intents:assignment_run_start",      "superuser",            "POST", DENIED),

    ("intents:assignment_run",            "anonymous",            "GET",  LOGIN),
    ("intents:assignment_run",            "outsider",             "GET",  DENIED),
    ("intents:assignment_run",            "owner",                "GET",  DENIED),
    ("intents:assignment_run",            "officer",              "GET",  SHOWN),
    ("intents:assignment_run",            "reviewer",             "GET",  DENIED),
    ("intents:assignment_run",            "unassigned_reviewer",  "GET",  DENIED),
    ("intents:assignment_run",            "conflicted_reviewer",  "GET",  DENIED),
    ("intents:assignment_run",            "superuser",            "GET",  DENIED),

    ("intents:letter_assign",             "anonymous",            "GET",  LOGIN),
    ("intents:letter_assign",             "outsider",             "GET",  DENIED),
    ("intents:letter_assign",             "owner",                "GET",  DENIED),
    ("intents:letter_assign",             "officer",              "GET",  SHOWN),
    ("intents:letter_assign",             "reviewer",             "GET",  DENIED),
    ("intents:letter_assign",             "unassigned_reviewer",  "GET",  DENIED),
    ("intents:letter_assign",             "conflicted_reviewer",  "GET",  DENIED),
    ("intents:letter_assign",             "superuser",            "GET",  DENIED),
    ("intents:letter_assign",             "anonymous",            "POST", LOGIN),
    ("intents:letter_assign",             "outsider",             "POST", DENIED),
    ("intents:letter_assign",             "owner",                "POST", DENIED),
    ("intents:letter_assign",             "officer",              "POST", DONE),
    ("intents:letter_assign",             "reviewer",             "POST", DENIED),
    ("intents:letter_assign",             "unassigned_reviewer",  "POST", DENIED),
    ("intents:letter_assign",             "conflicted_reviewer",  "POST", DENIED),
    ("intents:letter_assign",             "superuser",            "POST", DENIED),

    ("intents:assignment_remove",         "anonymous",            "GET",  LOGIN),
    ("intents:assignment_remove",         "outsider",             "GET",  DENIED),
    ("intents:assignment_remove",         "owner",                "GET",  DENIED),
    ("intents:assignment_remove",         "officer",              "GET",  SHOWN),
    ("intents:assignment_remove",         "reviewer",             "GET",  DENIED),
    ("intents:assignment_remove",         "unassigned_reviewer",  "GET",  DENIED),
    ("intents:assignment_remove",         "conflicted_reviewer",  "GET",  DENIED),
    ("intents:assignment_remove",         "superuser",            "GET",  DENIED),
    ("intents:assignment_remove",         "anonymous",            "POST", LOGIN),
    ("intents:assignment_remove",         "outsider",             "POST", DENIED),
    ("intents:assignment_remove",         "owner",                "POST", DENIED),
    ("intents:assignment_remove",         "officer",              "POST", DONE),
    ("intents:assignment_remove",         "reviewer",             "POST", DENIED),
    ("intents:assignment_remove",         "unassigned_reviewer",  "POST", DENIED),
    ("intents:assignment_remove",         "conflicted_reviewer",  "POST", DENIED),
    ("intents:assignment_remove",         "superuser",            "POST", DENIED),

    # The office's configuration of a call, extensions and the verification of organisations.
    ("intents:call_settings",             "anonymous",            "GET",  LOGIN),
    ("intents:call_settings",             "outsider",             "GET",  DENIED),
    ("intents:call_settings",             "viewer",               "GET",  DENIED),
    ("intents:call_settings",             "editor",               "GET",  DENIED),
    ("intents:call_settings",             "owner",                "GET",  DENIED),
    ("intents:call_settings",             "officer",              "GET",  SHOWN),
    ("intents:call_settings",             "reviewer",             "GET",  DENIED),
    ("intents:call_settings",             "unassigned_reviewer",  "GET",  DENIED),
    ("intents:call_settings",             "superuser",            "GET",  DENIED),
    ("intents:call_settings",             "anonymous",            "POST", LOGIN),
    ("intents:call_settings",             "outsider",             "POST", DENIED),
    ("intents:call_settings",             "viewer",               "POST", DENIED),
    ("intents:call_settings",             "editor",               "POST", DENIED),
    ("intents:call_settings",             "owner",                "POST", DENIED),
    ("intents:call_settings",             "officer",              "POST", DONE),
    ("intents:call_settings",             "reviewer",             "POST", DENIED),
    ("intents:call_settings",             "unassigned_reviewer",  "POST", DENIED),
    ("intents:call_settings",             "superuser",            "POST", DENIED),

    ("intents:call_modes",                "anonymous",            "GET",  LOGIN),
    ("intents:call_modes",                "outsider",             "GET",  DENIED),
    ("intents:call_modes",                "viewer",               "GET",  DENIED),
    ("intents:call_modes",                "editor",               "GET",  DENIED),
    ("intents:call_modes",                "owner",                "GET",  DENIED),
    ("intents:call_modes",                "officer",              "GET",  SHOWN),
    ("intents:call_modes",                "reviewer",             "GET",  DENIED),
    ("intents:call_modes",                "unassigned_reviewer",  "GET",  DENIED),
    ("intents:call_modes",                "superuser",            "GET",  DENIED),
    ("intents:call_modes",                "anonymous",            "POST", LOGIN),
    ("intents:call_modes",                "outsider",             "POST", DENIED),
    ("intents:call_modes",                "viewer",               "POST", DENIED),
    ("intents:call_modes",                "editor",               "POST", DENIED),
    ("intents:call_modes",                "owner",                "POST", DENIED),
    ("intents:call_modes",                "officer",              "POST", DONE),
    ("intents:call_modes",                "reviewer",             "POST", DENIED),
    ("intents:call_modes",                "unassigned_reviewer",  "POST", DENIED),
    ("intents:call_modes",                "superuser",            "POST", DENIED),

    ("intents:call_document_types",       "anonymous",            "GET",  LOGIN),
    ("intents:call_document_types",       "outsider",             "GET",  DENIED),
    ("intents:call_document_types",       "viewer",               "GET",  DENIED),
    ("intents:call_document_types",       "editor",               "GET",  DENIED),
    ("intents:call_document_types",       "owner",                "GET",  DENIED),
    ("intents:call_document_types",       "officer",              "GET",  SHOWN),
    ("intents:call_document_types",       "reviewer",             "GET",  DENIED),
    ("intents:call_document_types",       "unassigned_reviewer",  "GET",  DENIED),
    ("intents:call_document_types",       "superuser",            "GET",  DENIED),
    ("intents:call_document_types",       "anonymous",            "POST", LOGIN),
    ("intents:call_document_types",       "outsider",             "POST", DENIED),
    ("intents:call_document_types",       "viewer",               "POST", DENIED),
    ("intents:call_document_types",       "editor",               "POST", DENIED),
    ("intents:call_document_types",       "owner",                "POST", DENIED),
    ("intents:call_document_types",       "officer",              "POST", DONE),
    ("intents:call_document_types",       "reviewer",             "POST", DENIED),
    ("intents:call_document_types",       "unassigned_reviewer",  "POST", DENIED),
    ("intents:call_document_types",       "superuser",            "POST", DENIED),

    ("intents:call_rubric",               "anonymous",            "GET",  LOGIN),
    ("intents:call_rubric",               "outsider",             "GET",  DENIED),
    ("intents:call_rubric",               "viewer",               "GET",  DENIED),
    ("intents:call_rubric",               "editor",               "GET",  DENIED),
    ("intents:call_rubric",               "owner",                "GET",  DENIED),
    ("intents:call_rubric",               "officer",              "GET",  SHOWN),
    ("intents:call_rubric",               "reviewer",             "GET",  DENIED),
    ("intents:call_rubric",               "unassigned_reviewer",  "GET",  DENIED),
    ("intents:call_rubric",               "superuser",            "GET",  DENIED),
    ("intents:call_rubric",               "anonymous",            "POST", LOGIN),
    ("intents:call_rubric",               "outsider",             "POST", DENIED),
    ("intents:call_rubric",               "viewer",               "POST", DENIED),
    ("intents:call_rubric",               "editor",               "POST", DENIED),
    ("intents:call_rubric",               "owner",                "POST", DENIED),
    ("intents:call_rubric",               "officer",              "POST", DONE),
    ("intents:call_rubric",               "reviewer",             "POST", DENIED),
    ("intents:call_rubric",               "unassigned_reviewer",  "POST", DENIED),
    ("intents:call_rubric",               "superuser",            "POST", DENIED),

    ("intents:extensions",                "anonymous",            "GET",  LOGIN),
    ("intents:extensions",                "outsider",             "GET",  DENIED),
    ("intents:extensions",                "viewer",               "GET",  DENIED),
    ("intents:extensions",                "editor",               "GET",  DENIED),
    ("intents:extensions",                "owner",                "GET",  DENIED),
    ("intents:extensions",                "officer",              "GET",  SHOWN),
    ("intents:extensions",                "reviewer",             "GET",  DENIED),
    ("intents:extensions",                "unassigned_reviewer",  "GET",  DENIED),
    ("intents:extensions",                "superuser",            "GET",  DENIED),
    ("intents:extensions",                "anonymous",            "POST", LOGIN),
    ("intents:extensions",                "outsider",             "POST", DENIED),
    ("intents:extensions",                "viewer",               "POST", DENIED),
    ("intents:extensions",                "editor",               "POST", DENIED),
    ("intents:extensions",                "owner",                "POST", DENIED),
    ("intents:extensions",                "officer",              "POST", DONE),
    ("intents:extensions",                "reviewer",             "POST", DENIED),
    ("intents:extensions",                "unassigned_reviewer",  "POST", DENIED),
    ("intents:extensions",                "superuser",            "POST", DENIED),

    ("intents:extension_remove",          "anonymous",            "GET",  LOGIN),
    ("intents:extension_remove",          "outsider",             "GET",  DENIED),
    ("intents:extension_remove",          "viewer",               "GET",  DENIED),
    ("intents:extension_remove",          "editor",               "GET",  DENIED),
    ("intents:extension_remove",          "owner",                "GET",  DENIED),
    ("intents:extension_remove",          "officer",              "GET",  SHOWN),
    ("intents:extension_remove",          "reviewer",             "GET",  DENIED),
    ("intents:extension_remove",          "unassigned_reviewer",  "GET",  DENIED),
    ("intents:extension_remove",          "superuser",            "GET",  DENIED),
    ("intents:extension_remove",          "anonymous",            "POST", LOGIN),
    ("intents:extension_remove",          "outsider",             "POST", DENIED),
    ("intents:extension_remove",          "viewer",               "POST", DENIED),
    ("intents:extension_remove",          "editor",               "POST", DENIED),
    ("intents:extension_remove",          "owner",                "POST", DENIED),
    ("intents:extension_remove",          "officer",              "POST", DONE),
    ("intents:extension_remove",          "reviewer",             "POST", DENIED),
    ("intents:extension_remove",          "unassigned_reviewer",  "POST", DENIED),
    ("intents:extension_remove",          "superuser",            "POST", DENIED),

    ("intents:organisation_verification", "anonymous",            "GET",  LOGIN),
    ("intents:organisation_verification", "outsider",             "GET",  DENIED),
    ("intents:organisation_verification", "viewer",               "GET",  DENIED),
    ("intents:organisation_verification", "editor",               "GET",  DENIED),
    ("intents:organisation_verification", "owner",                "GET",  DENIED),
    ("intents:organisation_verification", "officer",              "GET",  SHOWN),
    ("intents:organisation_verification", "reviewer",             "GET",  DENIED),
    ("intents:organisation_verification", "unassigned_reviewer",  "GET",  DENIED),
    ("intents:organisation_verification", "superuser",            "GET",  DENIED),
    ("intents:organisation_verification", "anonymous",            "POST", LOGIN),
    ("intents:organisation_verification", "outsider",             "POST", DENIED),
    ("intents:organisation_verification", "viewer",               "POST", DENIED),
    ("intents:organisation_verification", "editor",               "POST", DENIED),
    ("intents:organisation_verification", "owner",                "POST", DENIED),
    ("intents:organisation_verification", "officer",              "POST", DONE),
    ("intents:organisation_verification", "reviewer",             "POST", DENIED),
    ("intents:organisation_verification", "unassigned_reviewer",  "POST", DENIED),
    ("intents:organisation_verification", "superuser",            "POST", DENIED),

    # The office watches the cycle, reads the filed letters and ranks them. Pages that only
    # show something are listed for GET alone. A draft is not found on the office's letter
    # pages (test_the_office_cannot_open_or_decide_on_a_draft).
    ("intents:dashboard",                 "anonymous",            "GET",  LOGIN),
    ("intents:dashboard",                 "outsider",             "GET",  DENIED),
    ("intents:dashboard",                 "viewer",               "GET",  DENIED),
    ("intents:dashboard",                 "editor",               "GET",  DENIED),
    ("intents:dashboard",                 "owner",                "GET",  DENIED),
    ("intents:dashboard",                 "officer",              "GET",  SHOWN),
    ("intents:dashboard",                 "reviewer",             "GET",  DENIED),
    ("intents:dashboard",                 "unassigned_reviewer",  "GET",  DENIED),
    ("intents:dashboard",                 "superuser",            "GET",  DENIED),

    ("intents:office_letters",            "anonymous",            "GET",  LOGIN),
    ("intents:office_letters",            "outsider",             "GET",  DENIED),
    ("intents:office_letters",            "viewer",               "GET",  DENIED),
    ("intents:office_letters",            "editor",               "GET",  DENIED),
    ("intents:office_letters",            "owner",                "GET",  DENIED),
    ("intents:office_letters",            "officer",              "GET",  SHOWN),
    ("intents:office_letters",            "reviewer",             "GET",  DENIED),
    ("intents:office_letters",            "unassigned_reviewer",  "GET",  DENIED),
    ("intents:office_letters",            "superuser",            "GET",  DENIED),

    ("intents:office_letter",             "anonymous",            "GET",  LOGIN),
    ("intents:office_letter",             "outsider",             "GET",  DENIED),
    ("intents:office_letter",             "viewer",               "GET",  DENIED),
    ("intents:office_letter",             "editor",               "GET",  DENIED),
    ("intents:office_letter",             "owner",                "GET",  DENIED),
    ("intents:office_letter",             "officer",              "GET",  SHOWN),
    ("intents:office_letter",             "reviewer",             "GET",  DENIED),
    ("intents:office_letter",             "unassigned_reviewer",  "GET",  DENIED),
    ("intents:office_letter",             "superuser",            "GET",  DENIED),

    ("intents:ranking",                   "anonymous",            "GET",  LOGIN),
    ("intents:ranking",                   "outsider",             "GET",  DENIED),
    ("intents:ranking",                   "viewer",               "GET",  DENIED),
    ("intents:ranking",                   "editor",               "GET",  DENIED),
    ("intents:ranking",                   "owner",                "GET",  DENIED),
    ("intents:ranking",                   "officer",              "GET",  SHOWN),
    ("intents:ranking",                   "reviewer",             "GET",  DENIED),
    ("intents:ranking",                   "unassigned_reviewer",  "GET",  DENIED),
    ("intents:ranking",                   "superuser",            "GET",  DENIED),

    # The office decides, one letter at a time or in bulk, and releases the decisions.
    ("intents:letter_decision",           "anonymous",            "GET",  LOGIN),
    ("intents:letter_decision",           "outsider",             "GET",  DENIED),
    ("intents:letter_decision",           "viewer",               "GET",  DENIED),
    ("intents:letter_decision",           "editor",               "GET",  DENIED),
    ("intents:letter_decision",           "owner",                "GET",  DENIED),
    ("intents:letter_decision",           "officer",              "GET",  SHOWN),
    ("intents:letter_decision",           "reviewer",             "GET",  DENIED),
    ("intents:letter_decision",           "unassigned_reviewer",  "GET",  DENIED),
    ("intents:letter_decision",           "superuser",            "GET",  DENIED),
    ("intents:letter_decision",           "anonymous",            "POST", LOGIN),
    ("intents:letter_decision",           "outsider",             "POST", DENIED),
    ("intents:letter_decision",           "viewer",               "POST", DENIED),
    ("intents:letter_decision",           "editor",               "POST", DENIED),
    ("intents:letter_decision",           "owner",                "POST", DENIED),
    ("intents:letter_decision",           "officer",              "POST", DONE),
    ("intents:letter_decision",           "reviewer",             "POST", DENIED),
    ("intents:letter_decision",           "unassigned_reviewer",  "POST", DENIED),
    ("intents:letter_decision",           "superuser",            "POST", DENIED),

    ("intents:decisions_bulk",            "anonymous",            "GET",  LOGIN),
    ("intents:decisions_bulk",            "outsider",             "GET",  POST_ONLY),
    ("intents:decisions_bulk",            "viewer",               "GET",  POST_ONLY),
    ("intents:decisions_bulk",            "editor",               "GET",  POST_ONLY),
    ("intents:decisions_bulk",            "owner",                "GET",  POST_ONLY),
    ("intents:decisions_bulk",            "officer",              "GET",  POST_ONLY),
    ("intents:decisions_bulk",            "reviewer",             "GET",  POST_ONLY),
    ("intents:decisions_bulk",            "unassigned_reviewer",  "GET",  POST_ONLY),
    ("intents:decisions_bulk",            "superuser",            "GET",  POST_ONLY),
    ("intents:decisions_bulk",            "anonymous",            "POST", LOGIN),
    ("intents:decisions_bulk",            "outsider",             "POST", DENIED),
    ("intents:decisions_bulk",            "viewer",               "POST", DENIED),
    ("intents:decisions_bulk",            "editor",               "POST", DENIED),
    ("intents:decisions_bulk",            "owner",                "POST", DENIED),
    ("intents:decisions_bulk",            "officer",              "POST", DONE),
    ("intents:decisions_bulk",            "reviewer",             "POST", DENIED),
    ("intents:decisions_bulk",            "unassigned_reviewer",  "POST", DENIED),
    ("intents:decisions_bulk",            "superuser",            "POST", DENIED),

    ("intents:decisions_release",         "anonymous",            "GET",  LOGIN),
    ("intents:decisions_release",         "outsider",             "GET",  DENIED),
    ("intents:decisions_release",         "viewer",               "GET",  DENIED),
    ("intents:decisions_release",         "editor",               "GET",  DENIED),
    ("intents:decisions_release",         "owner",                "GET",  DENIED),
    ("intents:decisions_release",         "officer",              "GET",  SHOWN),
    ("intents:decisions_release",         "reviewer",             "GET",  DENIED),
    ("intents:decisions_release",         "unassigned_reviewer",  "GET",  DENIED),
    ("intents:decisions_release",         "superuser",            "GET",  DENIED),
    ("intents:decisions_release",         "anonymous",            "POST", LOGIN),
    ("intents:decisions_release",         "outsider",             "POST", DENIED),
    ("intents:decisions_release",         "viewer",               "POST", DENIED),
    ("intents:decisions_release",         "editor",               "POST", DENIED),
    ("intents:decisions_release",         "owner",                "POST", DENIED),
    ("intents:decisions_release",         "officer",              "POST", DONE),
    ("intents:decisions_release",         "reviewer",             "POST", DENIED),
    ("intents:decisions_release",         "unassigned_reviewer",  "POST", DENIED),
    ("intents:decisions_release",         "superuser",            "POST", DENIED),

    # The office's exports. A download is written to the audit log, which is not part of
    # state(): it records that someone looked, it does not change anything.
    ("intents:exports",                   "anonymous",            "GET",  LOGIN),
    ("intents:exports",                   "outsider",             "GET",  DENIED),
    ("intents:exports",                   "viewer",               "GET",  DENIED),
    ("intents:exports",                   "editor",               "GET",  DENIED),
    ("intents:exports",                   "owner",                "GET",  DENIED),
    ("intents:exports",                   "officer",              "GET",  SHOWN),
    ("intents:exports",                   "reviewer",             "GET",  DENIED),
    ("intents:exports",                   "unassigned_reviewer",  "GET",  DENIED),
    ("intents:exports",                   "superuser",            "GET",  DENIED),

    ("intents:export_table",              "anonymous",            "GET",  LOGIN),
    ("intents:export_table",              "outsider",             "GET",  DENIED),
    ("intents:export_table",              "viewer",               "GET",  DENIED),
    ("intents:export_table",              "editor",               "GET",  DENIED),
    ("intents:export_table",              "owner",                "GET",  DENIED),
    ("intents:export_table",              "officer",              "GET",  SHOWN),
    ("intents:export_table",              "reviewer",             "GET",  DENIED),
    ("intents:export_table",              "unassigned_reviewer",  "GET",  DENIED),
    ("intents:export_table",              "superuser",            "GET",  DENIED),

    ("intents:export_documents",          "anonymous",            "GET",  LOGIN),
    ("intents:export_documents",          "outsider",             "GET",  POST_ONLY),
    ("intents:export_documents",          "viewer",               "GET",  POST_ONLY),
    ("intents:export_documents",          "editor",               "GET",  POST_ONLY),
    ("intents:export_documents",          "owner",                "GET",  POST_ONLY),
    ("intents:export_documents",          "officer",              "GET",  POST_ONLY),
    ("intents:export_documents",          "reviewer",             "GET",  POST_ONLY),
    ("intents:export_documents",          "unassigned_reviewer",  "GET",  POST_ONLY),
    ("intents:export_documents",          "superuser",            "GET",  POST_ONLY),
    ("intents:export_documents",          "anonymous",            "POST", LOGIN),
    ("intents:export_documents",          "outsider",             "POST", DENIED),
    ("intents:export_documents",          "viewer",               "POST", DENIED),
    ("intents:export_documents",          "editor",               "POST", DENIED),
    ("intents:export_documents",          "owner",                "POST", DENIED),
    ("intents:export_documents",          "officer",              "POST", DONE),
    ("intents:export_documents",          "reviewer",             "POST", DENIED),
    ("intents:export_documents",          "unassigned_reviewer",  "POST", DENIED),
    ("intents:export_documents",          "superuser",            "POST", DENIED),

    ("intents:export_detail",             "anonymous",            "GET",  LOGIN),
    ("intents:export_detail",             "outsider",             "GET",  DENIED),
    ("intents:export_detail",             "viewer",               "GET",  DENIED),
    ("intents:export_detail",             "editor",               "GET",  DENIED),
    ("intents:export_detail",             "owner",                "GET",  DENIED),
    ("intents:export_detail",             "officer",              "GET",  SHOWN),
    ("intents:export_detail",             "reviewer",             "GET",  DENIED),
    ("intents:export_detail",             "unassigned_reviewer",  "GET",  DENIED),
    ("intents:export_detail",             "superuser",            "GET",  DENIED),

    ("intents:export_download",           "anonymous",            "GET",  LOGIN),
    ("intents:export_download",           "outsider",             "GET",  DENIED),
    ("intents:export_download",           "viewer",               "GET",  DENIED),
    ("intents:export_download",           "editor",               "GET",  DENIED),
    ("intents:export_download",           "owner",                "GET",  DENIED),
    ("intents:export_download",           "officer",              "GET",  SHOWN),
    ("intents:export_download",           "reviewer",             "GET",  DENIED),
    ("intents:export_download",           "unassigned_reviewer",  "GET",  DENIED),
    ("intents:export_download",           "superuser",            "GET",  DENIED),
]  # fmt: skip


@pytest.fixture
def world(organisation, owner, editor, viewer, outsider, officer, mode, signed_letter_type):
    """Our organisation with a complete draft and its document, plus a colleague to manage;
    and, for the reviewer's and the office's pages, a second letter already filed, with three
    places in the call's reviewer pool:

    - reviewer: assigned to the filed letter through the domain, and not yet past the conflict
      question (request_for answers it for the rows that need the whole letter);
    - unassigned_reviewer: in the same pool, not assigned to anything;
    - conflicted_reviewer: assigned and past the conflict question, but their pool place names
      the applicant organisation, an automatic conflict that arose after the assignment. The
      domain refuses to make such an assignment, so the row is created directly.

    And a superuser (created through the admin or `createsuperuser`) who belongs to no
    organisation and is no programme officer: the portal's rules hold for them as for anyone
    (portal.accounts.models.User.has_perm), so they are refused like an outsider.
    """
    Organisation.objects.filter(pk=organisation.pk).update(
        legal_name=ORGANISATION_NAME, short_name=ORGANISATION_SHORT_NAME
    )
    organisation.refresh_from_db()
    letter = LetterFactory(
        organisation=organisation,
        mode=mode,
        created_by=owner,
        title=LETTER_TITLE,
        **complete_letter_fields(),
    )
    document = attach_pdf(letter, owner, signed_letter_type, name=DOCUMENT_NAME)
    letter.refresh_from_db()
    colleague = MembershipFactory(organisation=organisation, role=Role.VIEWER)

    call = mode.call
    criterion = CriterionFactory(call=call, name="Science")
    filed = LetterFactory(
        organisation=organisation,
        mode=mode,
        created_by=owner,
        title=FILED_TITLE,
        **complete_letter_fields(),
    )
    filed_document = attach_pdf(filed, owner, signed_letter_type, name=FILED_DOCUMENT_NAME)
    filed.refresh_from_db()
    filed = domain.submit(letter_id=filed.pk, user=owner, expected_version=filed.version)
    reviewer = ReviewerFactory(call=call, country="DE", expertise=[mode])
    unassigned = ReviewerFactory(call=call, country="DE", expertise=[mode])
    conflicted = ReviewerFactory(call=call, country="DE", organisation=organisation)
    assignment = assignments.assign(user=officer, reviewer_id=reviewer.pk, letter_id=filed.pk)
    conflicted_assignment = Assignment.objects.create(
        reviewer=conflicted,
        letter=filed,
        assigned_by=officer,
        no_conflict_confirmed_at=timezone.now(),
    )
    return {
        "organisation": organisation,
        "letter": letter,
        "document": document,
        "document_type": signed_letter_type,
        "mode": mode,
        "colleague": colleague,
        "call": call,
        "criterion": criterion,
        "filed": filed,
        "filed_document": filed_document,
        "unassigned_place": unassigned,
        "assignments": {"reviewer": assignment, "conflicted_reviewer": conflicted_assignment},
        "users": {
            "anonymous": None,
            "outsider": outsider,
            "viewer": viewer,
            "editor": editor,
            "owner": owner,
            "officer": officer,
            "reviewer": reviewer.user,
            "unassigned_reviewer": unassigned.user,
            "conflicted_reviewer": conflicted.user,
            "superuser": UserFactory(is_superuser=True, is_staff=True),
        },
    }


def organisation_form(organisation, **changes):
    return {
        "legal_name": organisation.legal_name,
        "short_name": organisation.short_name,
        "kind": organisation.kind,
        "country": str(organisation.country),
        "website": organisation.website,
        "postal_address": organisation.postal_address,
        "contact_name": organisation.contact_name,
        "contact_email": organisation.contact_email,
        "contact_phone": organisation.contact_phone,
        **changes,
    }


def letter_form(letter, **changes):
    return {
        "version": letter.version,
        "mode": letter.mode_id,
        "title": letter.title,
        **{name: value for name, value in complete_letter_fields().items()},
        **changes,
    }


def request_for(url_name, world, role=None):
    """The URL arguments and the POST data that a legitimate user would send to this view.

    A reviewer's page is asked for the role's own assignment if it has one (so the conflicted
    reviewer tries the assignment a conflict now hides), else for the assigned reviewer's."""
    organisation, letter = world["organisation"], world["letter"]
    document, colleague = world["document"], world["colleague"]
    call, filed = world["call"], world["filed"]
    assignment = world["assignments"].get(role, world["assignments"]["reviewer"])
    if url_name in ("intents:review_edit", "intents:assignment_document"):
        # The whole letter opens once the reviewer has said they have no conflict.
        reviewer = world["assignments"]["reviewer"]
        assignments.confirm_no_conflict(user=reviewer.reviewer.user, assignment_id=reviewer.pk)
    if url_name == "intents:assignment_detail":
        return [assignment.pk], {}
    if url_name == "intents:assignment_conflict":
        return [assignment.pk], {"answer": "none"}
    if url_name == "intents:review_edit":
        return [assignment.pk], {
            f"score_{world['criterion'].pk}": "4",
            "recommendation": "select",
            "comment_to_committee": "Sound.",
            "comment_to_applicant": "",
            "save": "Save the draft",
        }
    if url_name == "intents:assignment_document":
        return [assignment.pk, world["filed_document"].pk], {}
    if url_name == "intents:reviewer_pool":
        return [call.slug], {
            "email": "new.reviewer@example.org",
            "organisation": "",
            "affiliation": "Lunar institute",
            "country": "IT",
            "expertise": [world["mode"].pk],
        }
    if url_name == "intents:reviewer_remove":
        return [call.slug, world["unassigned_place"].pk], {}
    if url_name in ("intents:assignment_overview", "intents:assignment_run_start"):
        return [call.slug], {}
    if url_name == "intents:assignment_run":
        held = world["assignments"]["reviewer"]
        run = AssignmentRun.objects.create(
            call=call,
            run_by=world["users"]["officer"],
            report={
                "per_letter": 3,
                "letters": 1,
                "reviewers": 3,
                "picks": [
                    {
                        "letter_id": filed.pk,
                        "reviewer_id": held.reviewer_id,
                        "expert": True,
                        "load_before": 0,
                        "eligible": 2,
                        "experts_eligible": 2,
                    }
                ],
                "shortfalls": [
                    {
                        "letter_id": filed.pk,
                        "missing": 1,
                        "reasons": {"assigned": 1, "own_organisation": 1, "pool": 3},
                    }
                ],
            },
        )
        return [call.slug, run.pk], {}
    if url_name == "intents:letter_assign":
        return [filed.pk], {"reviewer": world["unassigned_place"].pk}
    if url_name == "intents:assignment_remove":
        return [world["assignments"]["reviewer"].pk], {}
    if url_name in OFFICE_REQUESTS:
        return OFFICE_REQUESTS[url_name](world)
    if url_name == "organisations:detail":
        return [organisation.pk], {}
    if url_name == "organisations:edit":
        return [organisation.pk], organisation_form(organisation, website="https://moon.example")
    if url_name == "organisations:members":
        return [organisation.pk], {"email": "newcomer@example.org", "role": Role.EDITOR}
    if url_name == "organisations:member_role":
        return [organisation.pk, colleague.pk], {"role": Role.EDITOR}
    if url_name == "organisations:member_remove":
        return [organisation.pk, colleague.pk], {}
    if url_name == "organisations:invitation_revoke":
        invitation = Invitation.objects.create(
            organisation=organisation, email="invited@example.org", role=Role.EDITOR
        )
        return [organisation.pk, invitation.pk], {}
    if url_name == "intents:letter_start":
        return [letter.call.slug], {
            "organisation": organisation.pk,
            "mode": world["mode"].pk,
            "title": "Another instrument",
        }
    if url_name == "intents:letter_edit":
        return [letter.pk], letter_form(letter, timeline="Ready in 2028.")
    if url_name == "intents:letter_submit":
        return [letter.pk], {"version": letter.version}
    if url_name == "intents:letter_withdraw":
        return [letter.pk], {
            "reason": "We found another ride.",
            "confirm": "on",
            "version": letter.version,
        }
    if url_name == "intents:letter_receipt":
        domain.submit(
            letter_id=letter.pk, user=world["users"]["owner"], expected_version=letter.version
        )
        return [letter.pk, 1], {}
    if url_name == "intents:document_upload":
        return [letter.pk], {
            "document_type": world["document_type"].pk,
            "file": pdf_upload("annex.pdf"),
        }
    if url_name in ("intents:document_download", "intents:document_remove"):
        return [letter.pk, document.pk], {}
    assert url_name == "intents:letter_detail", url_name
    return [letter.pk], {}


def typed(moment, call):
    """A time as the office types it into a form: in the call's official zone, to the second."""
    return moment.astimezone(call.zone).strftime("%Y-%m-%dT%H:%M:%S")


def call_settings_form(call, **changes):
    """The settings form as the page shows it for `call`, with `changes`."""
    data = {
        "title": call.title,
        "title_zh": call.title_zh,
        "description": call.description,
        "description_zh": call.description_zh,
        "time_zone": call.time_zone,
        "opens_at": typed(call.opens_at, call),
        "deadline": typed(call.deadline, call),
        "grace_minutes": call.grace_minutes,
        "review_deadline": typed(call.review_deadline, call) if call.review_deadline else "",
        "selection_date": call.selection_date.isoformat() if call.selection_date else "",
        "reference_prefix": call.reference_prefix,
        "reminder_hours": ", ".join(str(hours) for hours in call.reminder_hours),
        "reviewers_per_letter": call.reviewers_per_letter,
        "score_max": call.score_max,
    }
    for name in (
        "conflict_same_country",
        "blind_review",
        "reviewers_see_other_reviews",
        "share_reviewer_comments",
    ):
        if getattr(call, name):
            data[name] = "on"
    return {**data, **changes}


def rows_form(formset, new_row):
    """A settings page's rows as it shows them, with `new_row` typed into its blank last row:
    posting the rows untouched would be valid but change nothing."""
    data = {field.html_name: field.value() for field in formset.management_form}
    last = len(formset.forms) - 1
    for index, form in enumerate(formset.forms):
        values = {name: form[name].value() for name in form.fields if name != "DELETE"}
        if index == last:
            values.update(new_row)
        for name, value in values.items():
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list):
                value = [str(item) for item in value]
            data[form.add_prefix(name)] = value
    return data


def finished_export(world):
    """A ZIP of the call's documents, built and stored."""
    job = ExportJob.objects.create(
        call=world["call"],
        requested_by=world["users"]["officer"],
        state=ExportJob.State.DONE,
        finished_at=timezone.now(),
    )
    job.file.save("documents.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    return job


def pending_decision(world):
    """The filed letter decided on, not yet released."""
    domain.decide(
        user=world["users"]["officer"],
        letter_id=world["filed"].pk,
        outcome=Decision.Outcome.SELECTED,
        note="",
    )
    return [world["call"].slug], {"confirm": "on"}


def granted_extension(world):
    call = world["call"]
    extension = config.grant_extension(
        user=world["users"]["officer"],
        call=call,
        organisation=world["organisation"],
        closes_at=call.closes_at + dt.timedelta(days=3),
        reason="Their embassy closed for a week.",
    )
    return [call.slug, extension.pk], {}


# The office's pages: the URL arguments and a valid POST that changes something.
OFFICE_REQUESTS = {
    "intents:call_settings": lambda world: (
        [world["call"].slug],
        call_settings_form(world["call"], title="Lunar call, renamed"),
    ),
    "intents:call_modes": lambda world: (
        [world["call"].slug],
        rows_form(
            ModeFormSet(call=world["call"], queryset=CooperationMode.objects.all()),
            {"number": 5, "name": "Orbiter instrument", "description": "On the orbiter."},
        ),
    ),
    "intents:call_document_types": lambda world: (
        [world["call"].slug],
        rows_form(
            DocumentTypeFormSet(
                call=world["call"],
                queryset=DocumentType.objects.all(),
                form_kwargs={"call": world["call"]},
            ),
            {"code": "budget", "name": "Budget", "position": 2},
        ),
    ),
    "intents:call_rubric": lambda world: (
        [world["call"].slug],
        rows_form(
            RubricFormSet(call=world["call"], queryset=Criterion.objects.all()),
            {"name": "Costs", "weight": 2, "position": 1},
        ),
    ),
    "intents:extensions": lambda world: (
        [world["call"].slug],
        {
            "organisation": world["organisation"].pk,
            "closes_at": typed(world["call"].closes_at + dt.timedelta(days=5), world["call"]),
            "reason": "A strike closed their lab.",
        },
    ),
    "intents:extension_remove": granted_extension,
    "intents:organisation_verification": lambda world: (
        [world["organisation"].pk],
        {"decision": "verify", "request": ""},
    ),
    "intents:dashboard": lambda world: ([world["call"].slug], {}),
    "intents:office_letters": lambda world: ([world["call"].slug], {}),
    "intents:office_letter": lambda world: ([world["filed"].pk], {}),
    "intents:ranking": lambda world: ([world["call"].slug], {}),
    "intents:letter_decision": lambda world: (
        [world["filed"].pk],
        {"outcome": Decision.Outcome.SELECTED, "note": "Strong science."},
    ),
    "intents:decisions_bulk": lambda world: (
        [world["call"].slug],
        {"letters": [world["filed"].pk], "outcome": Decision.Outcome.WAITLISTED, "note": ""},
    ),
    "intents:decisions_release": pending_decision,
    "intents:exports": lambda world: ([world["call"].slug], {}),
    "intents:export_table": lambda world: ([world["call"].slug, "letters", "csv"], {}),
    "intents:export_documents": lambda world: ([world["call"].slug], {}),
    "intents:export_detail": lambda world: ([finished_export(world).pk], {}),
    "intents:export_download": lambda world: ([finished_export(world).pk], {}),
}


def stored_files():
    root = storages["private"].location
    return sorted(
        os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names
    )


def state():
    """Everything a view in the table could change (the audit log aside: reads write to it)."""
    return {
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "memberships": list(Membership.objects.order_by("pk").values("pk", "user_id", "role")),
        "invitations": list(
            Invitation.objects.order_by("pk").values("pk", "email", "role", "revoked_at")
        ),
        "letters": list(LetterOfIntent.objects.order_by("pk").values()),
        "versions": list(LetterVersion.objects.order_by("pk").values("pk")),
        "documents": list(Document.objects.order_by("pk").values("pk", "removed_at")),
        "files": stored_files(),
        "reviewers": list(
            Reviewer.objects.order_by("pk").values("pk", "email", "user_id", "accepted_at")
        ),
        "assignments": list(Assignment.objects.order_by("pk").values()),
        "conflicts": list(ConflictDeclaration.objects.order_by("pk").values()),
        "reviews": list(Review.objects.order_by("pk").values()),
        "scores": list(Score.objects.order_by("pk").values()),
        "assignment_runs": list(AssignmentRun.objects.order_by("pk").values("pk")),
        "calls": list(Call.objects.order_by("pk").values()),
        "modes": list(CooperationMode.objects.order_by("pk").values()),
        "document_types": list(DocumentType.objects.order_by("pk").values()),
        "required_documents": list(
            DocumentType.required_for.through.objects.order_by("pk").values()
        ),
        "criteria": list(Criterion.objects.order_by("pk").values()),
        "extensions": list(Extension.objects.order_by("pk").values()),
        "decisions": list(
            Decision.objects.order_by("pk").values("pk", "outcome", "internal_note", "released_at")
        ),
        "export_jobs": list(ExportJob.objects.order_by("pk").values("pk", "state")),
    }


def send(client, method, path, data):
    if method == "GET":
        return client.get(path)
    return client.post(path, data)


@pytest.mark.parametrize(("url_name", "role", "method", "outcome"), ACCESS)
def test_each_view_answers_each_role_as_the_table_says(
    client, world, url_name, role, method, outcome
):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    args, data = request_for(url_name, world, role)
    path = reverse(url_name, args=args)
    before = state()

    response = send(client, method, path, data)

    after = state()
    if outcome == SHOWN:
        assert response.status_code == 200
        response.close()
        assert after == before
    elif outcome == DONE:
        assert response.status_code == 302
        assert not response.url.startswith(reverse("account_login"))
        assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        assert after != before
    elif outcome == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login") + "?next=")
        assert after == before
    elif outcome == HIDDEN:
        assert response.status_code == 404
        known = {ORGANISATION_SHORT_NAME} if role in MEMBERS else set()
        for secret in set(SECRETS) - known:
            assert secret not in response.content.decode()
        assert after == before
    elif outcome == DENIED:
        assert response.status_code == 403
        assert after == before
    elif outcome == POST_ONLY:
        assert response.status_code == 405
        assert after == before
    else:
        assert outcome == BOUNCED
        assert response.status_code == 302
        assert [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        assert after == before


# Views of ours that take an object but are not in the table, and why.
TESTED_ELSEWHERE = {
    # A capability link: the token is the secret (tests/organisations/test_members.py).
    "organisations:invitation_accept",
    # The public call page (tests/intents/test_call_page.py covers calls not yet open).
    "intents:call_detail",
    # A reviewer's invitation: the token is the secret, and the page is for whoever signs in
    # with the invited address (tests/reviewing/test_reviewer_permissions.py).
    "intents:reviewer_invitation",
}


def our_views_taking_an_object():
    """Every named URL of ours whose path names an object, read from the URL configuration,
    so a new view fails the test below until the table says who may reach it."""
    names = set()
    for namespace in ("organisations", "intents"):
        for pattern in get_resolver().namespace_dict[namespace][1].url_patterns:
            if pattern.name and pattern.pattern.converters:
                names.add(f"{namespace}:{pattern.name}")
    return names - TESTED_ELSEWHERE


def test_the_table_covers_every_view_that_takes_an_object():
    covered = {url_name for url_name, *_ in ACCESS}
    assert covered == our_views_taking_an_object()


# What the roles do, checked beyond the status code.


def test_an_editor_edits_the_letter(client, world, editor):
    letter = world["letter"]
    client.force_login(editor)
    client.post(
        reverse("intents:letter_edit", args=[letter.pk]),
        letter_form(letter, title="Regolith drill, second design"),
    )
    letter.refresh_from_db()
    assert letter.title == "Regolith drill, second design"


def test_an_outsider_cannot_tell_a_hidden_letter_from_a_missing_one(client, world, outsider):
    client.force_login(outsider)
    hidden = client.get(reverse("intents:letter_detail", args=[world["letter"].pk]))
    missing = client.get(reverse("intents:letter_detail", args=[world["letter"].pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert without_per_request_parts(hidden) == without_per_request_parts(missing)


def without_per_request_parts(response):
    """The page less its CSRF token and the language switcher's return address."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r'name="next" type="hidden" value="[^"]*"', "", page)


def test_an_outsider_is_not_offered_our_organisation_on_the_call_page(client, world, outsider):
    client.force_login(outsider)
    response = client.get(reverse("intents:call_detail", args=[world["letter"].call.slug]))
    assert response.status_code == 200
    assert ORGANISATION_NAME not in response.content.decode()
    assert outsider.organisations.get().legal_name in response.content.decode()


def test_an_outsider_cannot_reach_our_document_through_their_own_letter(client, world, outsider):
    """A document id is only valid under its own letter, even for the owner of another one."""
    their_letter = LetterFactory(
        organisation=outsider.organisations.get(), mode=world["mode"], title="Their rover"
    )
    client.force_login(outsider)
    for url_name in ("intents:document_download", "intents:document_remove"):
        response = client.get(reverse(url_name, args=[their_letter.pk, world["document"].pk]))
        assert response.status_code == 404
    assert DOCUMENT_NAME not in response.content.decode()


def test_an_owner_cannot_reach_another_organisations_membership_through_their_own(
    client, world, outsider
):
    their_organisation = outsider.organisations.get()
    client.force_login(outsider)
    before = state()
    remove = reverse(
        "organisations:member_remove", args=[their_organisation.pk, world["colleague"].pk]
    )
    role = reverse("organisations:member_role", args=[their_organisation.pk, world["colleague"].pk])
    assert client.post(remove).status_code == 404
    assert client.post(role, {"role": Role.OWNER}).status_code == 404
    assert state() == before


def test_an_outsider_cannot_read_the_receipt_of_a_submitted_letter(client, world, outsider):
    letter = world["letter"]
    domain.submit(
        letter_id=letter.pk, user=world["users"]["owner"], expected_version=letter.version
    )
    client.force_login(outsider)
    response = client.get(reverse("intents:letter_receipt", args=[letter.pk, 1]))
    assert response.status_code == 404
    assert LETTER_TITLE not in response.content.decode()


def test_a_receipt_number_that_does_not_exist_is_not_found(client, world, owner):
    client.force_login(owner)
    response = client.get(reverse("intents:letter_receipt", args=[world["letter"].pk, 1]))
    assert response.status_code == 404


def test_a_member_downloads_the_document_as_an_attachment(client, world, viewer):
    client.force_login(viewer)
    response = client.get(
        reverse("intents:document_download", args=[world["letter"].pk, world["document"].pk])
    )
    assert response.status_code == 200
    assert DOCUMENT_NAME in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_programme_officer_reads_the_letter_but_is_offered_no_changes(client, world, officer):
    letter = domain.submit(
        letter_id=world["letter"].pk,
        user=world["users"]["owner"],
        expected_version=world["letter"].version,
    )
    client.force_login(officer)
    response = client.get(reverse("intents:letter_detail", args=[letter.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert LETTER_TITLE in page and DOCUMENT_NAME in page
    assert reverse("intents:letter_edit", args=[letter.pk]) not in page
    assert reverse("intents:letter_withdraw", args=[letter.pk]) not in page


def test_a_viewer_is_offered_no_changes_on_the_letter_page(client, world, viewer):
    letter = world["letter"]
    client.force_login(viewer)
    page = client.get(reverse("intents:letter_detail", args=[letter.pk])).content.decode()
    assert reverse("intents:letter_edit", args=[letter.pk]) not in page
    assert reverse("intents:document_remove", args=[letter.pk, world["document"].pk]) not in page


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_any_member_may_leave_of_their_own_accord(client, world, role):
    user = world["users"][role]
    membership = user.memberships.get(organisation=world["organisation"])
    path = reverse("organisations:member_remove", args=[world["organisation"].pk, membership.pk])
    client.force_login(user)

    assert client.get(path).status_code == 200
    response = client.post(path)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_member_who_left_sees_nothing_any_more(client, world, editor):
    membership = editor.memberships.get(organisation=world["organisation"])
    client.force_login(editor)
    client.post(
        reverse("organisations:member_remove", args=[world["organisation"].pk, membership.pk])
    )
    response = client.get(reverse("intents:letter_detail", args=[world["letter"].pk]))
    assert response.status_code == 404


def test_a_letter_cannot_be_started_for_a_call_that_does_not_exist(client, world, owner):
    client.force_login(owner)
    response = client.post(
        reverse("intents:letter_start", args=["no-such-call"]),
        {"organisation": world["organisation"].pk, "mode": world["mode"].pk, "title": "X"},
    )
    assert response.status_code == 404


def test_a_letter_cannot_be_started_with_another_calls_mode(client, world, owner):
    other_call = CallFactory()
    client.force_login(owner)
    before = state()
    response = client.post(
        reverse("intents:letter_start", args=[other_call.slug]),
        {"organisation": world["organisation"].pk, "mode": world["mode"].pk, "title": "X"},
    )
    assert response.status_code == 302
    assert state() == before


def test_a_reviewer_cannot_reach_another_letters_document_through_their_assignment(client, world):
    """A document id is only valid under the letter of the assignment, even for its holder."""
    held = world["assignments"]["reviewer"]
    assignments.confirm_no_conflict(user=world["users"]["reviewer"], assignment_id=held.pk)
    client.force_login(world["users"]["reviewer"])
    response = client.get(
        reverse("intents:assignment_document", args=[held.pk, world["document"].pk])
    )
    assert response.status_code == 404
    assert DOCUMENT_NAME not in response.content.decode()
    ours = client.get(
        reverse("intents:assignment_document", args=[held.pk, world["filed_document"].pk])
    )
    assert ours.status_code == 200
    assert b"".join(ours.streaming_content).startswith(b"%PDF")


def test_the_office_cannot_reach_a_reviewer_or_a_run_through_another_call(client, world):
    other_call = CallFactory()
    run = AssignmentRun.objects.create(call=world["call"], report={"picks": [], "shortfalls": []})
    client.force_login(world["users"]["officer"])
    before = state()
    remove = reverse(
        "intents:reviewer_remove", args=[other_call.slug, world["unassigned_place"].pk]
    )
    assert client.get(remove).status_code == 404
    assert client.post(remove).status_code == 404
    assert (
        client.get(reverse("intents:assignment_run", args=[other_call.slug, run.pk])).status_code
        == 404
    )
    assert state() == before


def test_the_office_cannot_assign_a_draft(client, world):
    client.force_login(world["users"]["officer"])
    before = state()
    path = reverse("intents:letter_assign", args=[world["letter"].pk])
    assert client.get(path).status_code == 404
    assert client.post(path, {"reviewer": world["unassigned_place"].pk}).status_code == 404
    assert state() == before


@pytest.mark.parametrize("url_name", ["intents:office_letter", "intents:letter_decision"])
def test_the_office_cannot_open_or_decide_on_a_draft(client, world, url_name):
    """The table asks about the filed letter; a draft is the 404 of a missing letter."""
    client.force_login(world["users"]["officer"])
    path = reverse(url_name, args=[world["letter"].pk])
    before = state()
    responses = [
        client.get(path),
        client.post(path, {"outcome": Decision.Outcome.SELECTED, "note": "Strong science."}),
    ]
    assert state() == before
    for response in responses:
        assert response.status_code == 404
        for secret in (ORGANISATION_NAME, LETTER_TITLE, DOCUMENT_NAME):
            assert secret not in response.content.decode()


# Pages that take no object.


def test_the_home_page_lists_calls_for_everyone(client, call):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert call.title in response.content.decode()


def test_the_home_page_lists_only_the_visitors_own_organisations(client, world, outsider):
    client.force_login(outsider)
    page = client.get(reverse("home")).content.decode()
    assert outsider.organisations.get().legal_name in page
    assert ORGANISATION_NAME not in page


def test_the_call_page_is_public(client, call):
    response = client.get(reverse("intents:call_detail", args=[call.slug]))
    assert response.status_code == 200
    assert call.title in response.content.decode()


def test_healthz_reports_the_database_and_the_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in ("ok", "in-process")
    assert body["status"] == "ok"


@pytest.mark.parametrize(
    "url_name",
    ["organisations:create", "accounts:profile", "intents:reviewer_desk", "intents:office_home"],
)
def test_pages_for_signed_in_users_send_anonymous_visitors_to_sign_in(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("outsider", 403),
        ("owner", 403),
        ("reviewer", 403),
        ("unassigned_reviewer", 403),
        ("conflicted_reviewer", 403),
        ("officer", 200),
    ],
)
def test_the_office_home_is_for_programme_officers_only(client, world, role, status):
    client.force_login(world["users"][role])
    response = client.get(reverse("intents:office_home"))
    assert response.status_code == status


def test_an_invitation_page_sends_anonymous_visitors_to_sign_in(client, world, owner):
    invitation = Invitation.objects.create(
        organisation=world["organisation"], email="someone@example.org", invited_by=owner
    )
    response = client.get(reverse("organisations:invitation_accept", args=[invitation.token]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


def test_an_unknown_invitation_token_is_not_found(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("organisations:invitation_accept", args=["not-a-token"]))
    assert response.status_code == 404


def test_a_superuser_who_is_also_an_officer_runs_the_office(client, world):
    superuser = world["users"]["superuser"]
    superuser.is_programme_officer = True
    superuser.save()
    client.force_login(superuser)
    response = client.get(reverse("intents:dashboard", args=[world["letter"].call.slug]))
    assert response.status_code == 200


def test_a_superuser_keeps_the_admin(client, world):
    client.force_login(world["users"]["superuser"])
    response = client.get(reverse("admin:intents_letterofintent_changelist"))
    assert response.status_code == 200
