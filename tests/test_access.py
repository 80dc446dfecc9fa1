"""Who may reach each page of the portal: the outsider habit, applied to every named URL.

One table says, for each (page, role, method), what must happen; a test reads the URL
configuration and fails when a page has no row, or a role no row for a page. Anonymous visitors
are sent to sign in; an outsider (a member of another organisation) and "nobody" (signed in,
but in no organisation, pool or office) get a 404 that names nothing of ours; a viewer reads;
an editor writes letters; an owner also manages members; a programme officer reads letters and
documents once submitted (a draft is hidden from the office too).

A reviewer's pages show an assignment to the reviewer who holds it and to nobody else: the
applicant, the office, another reviewer of the same call and a reviewer whose assignment a
conflict now hides all get the 404 of a missing page.

The programme office's pages (reviewers and assignments, a call's settings, extensions, the
verification of organisations, the dashboard, the filed letters and their ranking, decisions,
exports and the audit log) answer 403 to anyone signed in who is not a programme officer,
whatever else they are in the portal; the office, too, gets a 404 for a draft. A Django
superuser is no one special here: the portal's permissions hold for everyone alike (the
superuser has the admin for raw data), so a superuser who is not an officer is refused the
office's pages and sees no organisation's letters. The admin lets in staff only: the officer
with the office's group, and the superuser. A refused request changes nothing.
"""

import copy
import datetime as dt
import os
import re
from collections import Counter

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, SolarSchedule

from intents.letters import actions
from intents.models import (
    Assignment,
    AssignmentRun,
    ConflictDeclaration,
    CooperationMode,
    Criterion,
    Decision,
    Document,
    DocumentType,
    ExportJob,
    LetterOfIntent,
    Review,
    Reviewer,
)
from intents.office import actions as office_actions
from intents.office import config
from intents.office.forms.call_rows import DocumentTypeFormSet, ModeFormSet, RubricFormSet
from intents.reviewing import assignments
from portal.accounts.roles import ensure_programme_office_group
from portal.audit.models import AuditEvent
from portal.notifications.models import OutboundEmail
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
    turn_on_totp,
)
from .office.posted import settings_data, typed

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

# What must happen, in words. Except for DONE, nothing may change: no row of any table (the
# logs aside) and no stored file.
SHOWN = "shown"  # the page (200)
DONE = "done"  # the change is made, then a redirect
LOGIN = "login"  # a redirect to the sign-in page, which then comes back here
ADMIN_LOGIN = "admin login"  # a redirect to the admin's sign-in page
PASSWORD_AGAIN = "password again"  # a redirect to type one's password again first
REDIRECT = "redirect"  # a redirect elsewhere: nothing to do here (e.g. signed in already)
BOUNCED = "bounced"  # a redirect back with an error message
HIDDEN = "hidden"  # "not found" (404), naming nothing of ours
DENIED = "denied"  # "forbidden" (403)
POST_ONLY = "post only"  # "method not allowed" (405): the page only takes a form
GET_ONLY = "get only"  # "method not allowed" (405): the page takes no form

ACCESS = [
    # url name,                              role,                  method, outcome
    # Public pages.
    ("home",                                 "anonymous",           "GET",  SHOWN),
    ("home",                                 "outsider",            "GET",  SHOWN),
    ("home",                                 "nobody",              "GET",  SHOWN),
    ("home",                                 "viewer",              "GET",  SHOWN),
    ("home",                                 "editor",              "GET",  SHOWN),
    ("home",                                 "owner",               "GET",  SHOWN),
    ("home",                                 "officer",             "GET",  SHOWN),
    ("home",                                 "reviewer",            "GET",  SHOWN),
    ("home",                                 "unassigned_reviewer", "GET",  SHOWN),
    ("home",                                 "conflicted_reviewer", "GET",  SHOWN),
    ("home",                                 "superuser",           "GET",  SHOWN),

    ("healthz",                              "anonymous",           "GET",  SHOWN),
    ("healthz",                              "outsider",            "GET",  SHOWN),
    ("healthz",                              "nobody",              "GET",  SHOWN),
    ("healthz",                              "viewer",              "GET",  SHOWN),
    ("healthz",                              "editor",              "GET",  SHOWN),
    ("healthz",                              "owner",               "GET",  SHOWN),
    ("healthz",                              "officer",             "GET",  SHOWN),
    ("healthz",                              "reviewer",            "GET",  SHOWN),
    ("healthz",                              "unassigned_reviewer", "GET",  SHOWN),
    ("healthz",                              "conflicted_reviewer", "GET",  SHOWN),
    ("healthz",                              "superuser",           "GET",  SHOWN),

    # Prometheus's page: the scraper (its token or address, tests/operations/test_metrics.py)
    # and programme officers read it; to everyone else it is a page that does not exist.
    ("operations:metrics",                   "anonymous",           "GET",  HIDDEN),
    ("operations:metrics",                   "outsider",            "GET",  HIDDEN),
    ("operations:metrics",                   "nobody",              "GET",  HIDDEN),
    ("operations:metrics",                   "viewer",              "GET",  HIDDEN),
    ("operations:metrics",                   "editor",              "GET",  HIDDEN),
    ("operations:metrics",                   "owner",               "GET",  HIDDEN),
    ("operations:metrics",                   "officer",             "GET",  SHOWN),
    ("operations:metrics",                   "reviewer",            "GET",  HIDDEN),
    ("operations:metrics",                   "unassigned_reviewer", "GET",  HIDDEN),
    ("operations:metrics",                   "conflicted_reviewer", "GET",  HIDDEN),
    ("operations:metrics",                   "superuser",           "GET",  HIDDEN),

    ("letters:call_detail",                  "anonymous",           "GET",  SHOWN),
    ("letters:call_detail",                  "outsider",            "GET",  SHOWN),
    ("letters:call_detail",                  "nobody",              "GET",  SHOWN),
    ("letters:call_detail",                  "viewer",              "GET",  SHOWN),
    ("letters:call_detail",                  "editor",              "GET",  SHOWN),
    ("letters:call_detail",                  "owner",               "GET",  SHOWN),
    ("letters:call_detail",                  "officer",             "GET",  SHOWN),
    ("letters:call_detail",                  "reviewer",            "GET",  SHOWN),
    ("letters:call_detail",                  "unassigned_reviewer", "GET",  SHOWN),
    ("letters:call_detail",                  "conflicted_reviewer", "GET",  SHOWN),
    ("letters:call_detail",                  "superuser",           "GET",  SHOWN),

    # Signing in and out, and one's account (django-allauth). Whoever is signed in already
    # is sent on from the sign-in and sign-up pages; an empty form comes back with its
    # errors. A made-up key in a link shows the page about a broken link (a form posted to
    # it is not found); signing in with a code by e-mail is off, so its page sends all away.
    ("account_login",                        "anonymous",           "GET",  SHOWN),
    ("account_login",                        "outsider",            "GET",  REDIRECT),
    ("account_login",                        "nobody",              "GET",  REDIRECT),
    ("account_login",                        "viewer",              "GET",  REDIRECT),
    ("account_login",                        "editor",              "GET",  REDIRECT),
    ("account_login",                        "owner",               "GET",  REDIRECT),
    ("account_login",                        "officer",             "GET",  REDIRECT),
    ("account_login",                        "reviewer",            "GET",  REDIRECT),
    ("account_login",                        "unassigned_reviewer", "GET",  REDIRECT),
    ("account_login",                        "conflicted_reviewer", "GET",  REDIRECT),
    ("account_login",                        "superuser",           "GET",  REDIRECT),
    ("account_login",                        "anonymous",           "POST", SHOWN),
    ("account_login",                        "outsider",            "POST", REDIRECT),
    ("account_login",                        "nobody",              "POST", REDIRECT),
    ("account_login",                        "viewer",              "POST", REDIRECT),
    ("account_login",                        "editor",              "POST", REDIRECT),
    ("account_login",                        "owner",               "POST", REDIRECT),
    ("account_login",                        "officer",             "POST", REDIRECT),
    ("account_login",                        "reviewer",            "POST", REDIRECT),
    ("account_login",                        "unassigned_reviewer", "POST", REDIRECT),
    ("account_login",                        "conflicted_reviewer", "POST", REDIRECT),
    ("account_login",                        "superuser",           "POST", REDIRECT),

    ("account_logout",                       "anonymous",           "GET",  REDIRECT),
    ("account_logout",                       "outsider",            "GET",  SHOWN),
    ("account_logout",                       "nobody",              "GET",  SHOWN),
    ("account_logout",                       "viewer",              "GET",  SHOWN),
    ("account_logout",                       "editor",              "GET",  SHOWN),
    ("account_logout",                       "owner",               "GET",  SHOWN),
    ("account_logout",                       "officer",             "GET",  SHOWN),
    ("account_logout",                       "reviewer",            "GET",  SHOWN),
    ("account_logout",                       "unassigned_reviewer", "GET",  SHOWN),
    ("account_logout",                       "conflicted_reviewer", "GET",  SHOWN),
    ("account_logout",                       "superuser",           "GET",  SHOWN),
    ("account_logout",                       "anonymous",           "POST", REDIRECT),
    ("account_logout",                       "outsider",            "POST", REDIRECT),
    ("account_logout",                       "nobody",              "POST", REDIRECT),
    ("account_logout",                       "viewer",              "POST", REDIRECT),
    ("account_logout",                       "editor",              "POST", REDIRECT),
    ("account_logout",                       "owner",               "POST", REDIRECT),
    ("account_logout",                       "officer",             "POST", REDIRECT),
    ("account_logout",                       "reviewer",            "POST", REDIRECT),
    ("account_logout",                       "unassigned_reviewer", "POST", REDIRECT),
    ("account_logout",                       "conflicted_reviewer", "POST", REDIRECT),
    ("account_logout",                       "superuser",           "POST", REDIRECT),

    ("account_signup",                       "anonymous",           "GET",  SHOWN),
    ("account_signup",                       "outsider",            "GET",  REDIRECT),
    ("account_signup",                       "nobody",              "GET",  REDIRECT),
    ("account_signup",                       "viewer",              "GET",  REDIRECT),
    ("account_signup",                       "editor",              "GET",  REDIRECT),
    ("account_signup",                       "owner",               "GET",  REDIRECT),
    ("account_signup",                       "officer",             "GET",  REDIRECT),
    ("account_signup",                       "reviewer",            "GET",  REDIRECT),
    ("account_signup",                       "unassigned_reviewer", "GET",  REDIRECT),
    ("account_signup",                       "conflicted_reviewer", "GET",  REDIRECT),
    ("account_signup",                       "superuser",           "GET",  REDIRECT),
    ("account_signup",                       "anonymous",           "POST", SHOWN),
    ("account_signup",                       "outsider",            "POST", REDIRECT),
    ("account_signup",                       "nobody",              "POST", REDIRECT),
    ("account_signup",                       "viewer",              "POST", REDIRECT),
    ("account_signup",                       "editor",              "POST", REDIRECT),
    ("account_signup",                       "owner",               "POST", REDIRECT),
    ("account_signup",                       "officer",             "POST", REDIRECT),
    ("account_signup",                       "reviewer",            "POST", REDIRECT),
    ("account_signup",                       "unassigned_reviewer", "POST", REDIRECT),
    ("account_signup",                       "conflicted_reviewer", "POST", REDIRECT),
    ("account_signup",                       "superuser",           "POST", REDIRECT),

    ("account_inactive",                     "anonymous",           "GET",  SHOWN),
    ("account_inactive",                     "outsider",            "GET",  SHOWN),
    ("account_inactive",                     "nobody",              "GET",  SHOWN),
    ("account_inactive",                     "viewer",              "GET",  SHOWN),
    ("account_inactive",                     "editor",              "GET",  SHOWN),
    ("account_inactive",                     "owner",               "GET",  SHOWN),
    ("account_inactive",                     "officer",             "GET",  SHOWN),
    ("account_inactive",                     "reviewer",            "GET",  SHOWN),
    ("account_inactive",                     "unassigned_reviewer", "GET",  SHOWN),
    ("account_inactive",                     "conflicted_reviewer", "GET",  SHOWN),
    ("account_inactive",                     "superuser",           "GET",  SHOWN),

    ("account_email_verification_sent",      "anonymous",           "GET",  SHOWN),
    ("account_email_verification_sent",      "outsider",            "GET",  SHOWN),
    ("account_email_verification_sent",      "nobody",              "GET",  SHOWN),
    ("account_email_verification_sent",      "viewer",              "GET",  SHOWN),
    ("account_email_verification_sent",      "editor",              "GET",  SHOWN),
    ("account_email_verification_sent",      "owner",               "GET",  SHOWN),
    ("account_email_verification_sent",      "officer",             "GET",  SHOWN),
    ("account_email_verification_sent",      "reviewer",            "GET",  SHOWN),
    ("account_email_verification_sent",      "unassigned_reviewer", "GET",  SHOWN),
    ("account_email_verification_sent",      "conflicted_reviewer", "GET",  SHOWN),
    ("account_email_verification_sent",      "superuser",           "GET",  SHOWN),

    ("account_confirm_email",                "anonymous",           "GET",  SHOWN),
    ("account_confirm_email",                "outsider",            "GET",  SHOWN),
    ("account_confirm_email",                "nobody",              "GET",  SHOWN),
    ("account_confirm_email",                "viewer",              "GET",  SHOWN),
    ("account_confirm_email",                "editor",              "GET",  SHOWN),
    ("account_confirm_email",                "owner",               "GET",  SHOWN),
    ("account_confirm_email",                "officer",             "GET",  SHOWN),
    ("account_confirm_email",                "reviewer",            "GET",  SHOWN),
    ("account_confirm_email",                "unassigned_reviewer", "GET",  SHOWN),
    ("account_confirm_email",                "conflicted_reviewer", "GET",  SHOWN),
    ("account_confirm_email",                "superuser",           "GET",  SHOWN),
    ("account_confirm_email",                "anonymous",           "POST", HIDDEN),
    ("account_confirm_email",                "outsider",            "POST", HIDDEN),
    ("account_confirm_email",                "nobody",              "POST", HIDDEN),
    ("account_confirm_email",                "viewer",              "POST", HIDDEN),
    ("account_confirm_email",                "editor",              "POST", HIDDEN),
    ("account_confirm_email",                "owner",               "POST", HIDDEN),
    ("account_confirm_email",                "officer",             "POST", HIDDEN),
    ("account_confirm_email",                "reviewer",            "POST", HIDDEN),
    ("account_confirm_email",                "unassigned_reviewer", "POST", HIDDEN),
    ("account_confirm_email",                "conflicted_reviewer", "POST", HIDDEN),
    ("account_confirm_email",                "superuser",           "POST", HIDDEN),

    ("account_confirm_login_code",           "anonymous",           "GET",  REDIRECT),
    ("account_confirm_login_code",           "outsider",            "GET",  REDIRECT),
    ("account_confirm_login_code",           "nobody",              "GET",  REDIRECT),
    ("account_confirm_login_code",           "viewer",              "GET",  REDIRECT),
    ("account_confirm_login_code",           "editor",              "GET",  REDIRECT),
    ("account_confirm_login_code",           "owner",               "GET",  REDIRECT),
    ("account_confirm_login_code",           "officer",             "GET",  REDIRECT),
    ("account_confirm_login_code",           "reviewer",            "GET",  REDIRECT),
    ("account_confirm_login_code",           "unassigned_reviewer", "GET",  REDIRECT),
    ("account_confirm_login_code",           "conflicted_reviewer", "GET",  REDIRECT),
    ("account_confirm_login_code",           "superuser",           "GET",  REDIRECT),
    ("account_confirm_login_code",           "anonymous",           "POST", REDIRECT),
    ("account_confirm_login_code",           "outsider",            "POST", REDIRECT),
    ("account_confirm_login_code",           "nobody",              "POST", REDIRECT),
    ("account_confirm_login_code",           "viewer",              "POST", REDIRECT),
    ("account_confirm_login_code",           "editor",              "POST", REDIRECT),
    ("account_confirm_login_code",           "owner",               "POST", REDIRECT),
    ("account_confirm_login_code",           "officer",             "POST", REDIRECT),
    ("account_confirm_login_code",           "reviewer",            "POST", REDIRECT),
    ("account_confirm_login_code",           "unassigned_reviewer", "POST", REDIRECT),
    ("account_confirm_login_code",           "conflicted_reviewer", "POST", REDIRECT),
    ("account_confirm_login_code",           "superuser",           "POST", REDIRECT),

    ("account_reauthenticate",               "anonymous",           "GET",  LOGIN),
    ("account_reauthenticate",               "outsider",            "GET",  SHOWN),
    ("account_reauthenticate",               "nobody",              "GET",  SHOWN),
    ("account_reauthenticate",               "viewer",              "GET",  SHOWN),
    ("account_reauthenticate",               "editor",              "GET",  SHOWN),
    ("account_reauthenticate",               "owner",               "GET",  SHOWN),
    ("account_reauthenticate",               "officer",             "GET",  SHOWN),
    ("account_reauthenticate",               "reviewer",            "GET",  SHOWN),
    ("account_reauthenticate",               "unassigned_reviewer", "GET",  SHOWN),
    ("account_reauthenticate",               "conflicted_reviewer", "GET",  SHOWN),
    ("account_reauthenticate",               "superuser",           "GET",  SHOWN),
    ("account_reauthenticate",               "anonymous",           "POST", LOGIN),
    ("account_reauthenticate",               "outsider",            "POST", SHOWN),
    ("account_reauthenticate",               "nobody",              "POST", SHOWN),
    ("account_reauthenticate",               "viewer",              "POST", SHOWN),
    ("account_reauthenticate",               "editor",              "POST", SHOWN),
    ("account_reauthenticate",               "owner",               "POST", SHOWN),
    ("account_reauthenticate",               "officer",             "POST", SHOWN),
    ("account_reauthenticate",               "reviewer",            "POST", SHOWN),
    ("account_reauthenticate",               "unassigned_reviewer", "POST", SHOWN),
    ("account_reauthenticate",               "conflicted_reviewer", "POST", SHOWN),
    ("account_reauthenticate",               "superuser",           "POST", SHOWN),

    # Re-authenticating by a code sent by e-mail (allauth 65.22): asked for on a page of its own;
    # confirming with no code asked for goes back to asking for one.
    ("account_request_reauthentication_code","anonymous",         "GET", LOGIN),
    ("account_request_reauthentication_code","outsider",          "GET", SHOWN),
    ("account_request_reauthentication_code","nobody",            "GET", SHOWN),
    ("account_request_reauthentication_code","viewer",            "GET", SHOWN),
    ("account_request_reauthentication_code","editor",            "GET", SHOWN),
    ("account_request_reauthentication_code","owner",             "GET", SHOWN),
    ("account_request_reauthentication_code","officer",           "GET", SHOWN),
    ("account_request_reauthentication_code","reviewer",          "GET", SHOWN),
    ("account_request_reauthentication_code","unassigned_reviewer","GET", SHOWN),
    ("account_request_reauthentication_code","conflicted_reviewer","GET", SHOWN),
    ("account_request_reauthentication_code","superuser",         "GET", SHOWN),
    ("account_request_reauthentication_code","anonymous",         "POST",LOGIN),
    ("account_request_reauthentication_code","outsider",          "POST",SHOWN),
    ("account_request_reauthentication_code","nobody",            "POST",SHOWN),
    ("account_request_reauthentication_code","viewer",            "POST",SHOWN),
    ("account_request_reauthentication_code","editor",            "POST",SHOWN),
    ("account_request_reauthentication_code","owner",             "POST",SHOWN),
    ("account_request_reauthentication_code","officer",           "POST",SHOWN),
    ("account_request_reauthentication_code","reviewer",          "POST",SHOWN),
    ("account_request_reauthentication_code","unassigned_reviewer","POST",SHOWN),
    ("account_request_reauthentication_code","conflicted_reviewer","POST",SHOWN),
    ("account_request_reauthentication_code","superuser",         "POST",SHOWN),

    ("account_confirm_reauthentication_code","anonymous",         "GET", LOGIN),
    ("account_confirm_reauthentication_code","outsider",          "GET", PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","nobody",            "GET", PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","viewer",            "GET", PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","editor",            "GET", PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","owner",             "GET", PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","officer",           "GET", PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","reviewer",          "GET", PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","unassigned_reviewer","GET", PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","conflicted_reviewer","GET", PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","superuser",         "GET", PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","anonymous",         "POST",LOGIN),
    ("account_confirm_reauthentication_code","outsider",          "POST",PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","nobody",            "POST",PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","viewer",            "POST",PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","editor",            "POST",PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","owner",             "POST",PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","officer",           "POST",PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","reviewer",          "POST",PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","unassigned_reviewer","POST",PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","conflicted_reviewer","POST",PASSWORD_AGAIN),
    ("account_confirm_reauthentication_code","superuser",         "POST",PASSWORD_AGAIN),

    ("account_email",                        "anonymous",           "GET",  LOGIN),
    ("account_email",                        "outsider",            "GET",  SHOWN),
    ("account_email",                        "nobody",              "GET",  SHOWN),
    ("account_email",                        "viewer",              "GET",  SHOWN),
    ("account_email",                        "editor",              "GET",  SHOWN),
    ("account_email",                        "owner",               "GET",  SHOWN),
    ("account_email",                        "officer",             "GET",  SHOWN),
    ("account_email",                        "reviewer",            "GET",  SHOWN),
    ("account_email",                        "unassigned_reviewer", "GET",  SHOWN),
    ("account_email",                        "conflicted_reviewer", "GET",  SHOWN),
    ("account_email",                        "superuser",           "GET",  SHOWN),
    ("account_email",                        "anonymous",           "POST", LOGIN),
    ("account_email",                        "outsider",            "POST", REDIRECT),
    ("account_email",                        "nobody",              "POST", REDIRECT),
    ("account_email",                        "viewer",              "POST", REDIRECT),
    ("account_email",                        "editor",              "POST", REDIRECT),
    ("account_email",                        "owner",               "POST", REDIRECT),
    ("account_email",                        "officer",             "POST", REDIRECT),
    ("account_email",                        "reviewer",            "POST", REDIRECT),
    ("account_email",                        "unassigned_reviewer", "POST", REDIRECT),
    ("account_email",                        "conflicted_reviewer", "POST", REDIRECT),
    ("account_email",                        "superuser",           "POST", REDIRECT),

    ("account_change_password",              "anonymous",           "GET",  LOGIN),
    ("account_change_password",              "outsider",            "GET",  SHOWN),
    ("account_change_password",              "nobody",              "GET",  SHOWN),
    ("account_change_password",              "viewer",              "GET",  SHOWN),
    ("account_change_password",              "editor",              "GET",  SHOWN),
    ("account_change_password",              "owner",               "GET",  SHOWN),
    ("account_change_password",              "officer",             "GET",  SHOWN),
    ("account_change_password",              "reviewer",            "GET",  SHOWN),
    ("account_change_password",              "unassigned_reviewer", "GET",  SHOWN),
    ("account_change_password",              "conflicted_reviewer", "GET",  SHOWN),
    ("account_change_password",              "superuser",           "GET",  SHOWN),
    ("account_change_password",              "anonymous",           "POST", LOGIN),
    ("account_change_password",              "outsider",            "POST", SHOWN),
    ("account_change_password",              "nobody",              "POST", SHOWN),
    ("account_change_password",              "viewer",              "POST", SHOWN),
    ("account_change_password",              "editor",              "POST", SHOWN),
    ("account_change_password",              "owner",               "POST", SHOWN),
    ("account_change_password",              "officer",             "POST", SHOWN),
    ("account_change_password",              "reviewer",            "POST", SHOWN),
    ("account_change_password",              "unassigned_reviewer", "POST", SHOWN),
    ("account_change_password",              "conflicted_reviewer", "POST", SHOWN),
    ("account_change_password",              "superuser",           "POST", SHOWN),

    ("account_set_password",                 "anonymous",           "GET",  LOGIN),
    ("account_set_password",                 "outsider",            "GET",  REDIRECT),
    ("account_set_password",                 "nobody",              "GET",  REDIRECT),
    ("account_set_password",                 "viewer",              "GET",  REDIRECT),
    ("account_set_password",                 "editor",              "GET",  REDIRECT),
    ("account_set_password",                 "owner",               "GET",  REDIRECT),
    ("account_set_password",                 "officer",             "GET",  REDIRECT),
    ("account_set_password",                 "reviewer",            "GET",  REDIRECT),
    ("account_set_password",                 "unassigned_reviewer", "GET",  REDIRECT),
    ("account_set_password",                 "conflicted_reviewer", "GET",  REDIRECT),
    ("account_set_password",                 "superuser",           "GET",  REDIRECT),
    ("account_set_password",                 "anonymous",           "POST", LOGIN),
    ("account_set_password",                 "outsider",            "POST", REDIRECT),
    ("account_set_password",                 "nobody",              "POST", REDIRECT),
    ("account_set_password",                 "viewer",              "POST", REDIRECT),
    ("account_set_password",                 "editor",              "POST", REDIRECT),
    ("account_set_password",                 "owner",               "POST", REDIRECT),
    ("account_set_password",                 "officer",             "POST", REDIRECT),
    ("account_set_password",                 "reviewer",            "POST", REDIRECT),
    ("account_set_password",                 "unassigned_reviewer", "POST", REDIRECT),
    ("account_set_password",                 "conflicted_reviewer", "POST", REDIRECT),
    ("account_set_password",                 "superuser",           "POST", REDIRECT),

    ("account_reset_password",               "anonymous",           "GET",  SHOWN),
    ("account_reset_password",               "outsider",            "GET",  SHOWN),
    ("account_reset_password",               "nobody",              "GET",  SHOWN),
    ("account_reset_password",               "viewer",              "GET",  SHOWN),
    ("account_reset_password",               "editor",              "GET",  SHOWN),
    ("account_reset_password",               "owner",               "GET",  SHOWN),
    ("account_reset_password",               "officer",             "GET",  SHOWN),
    ("account_reset_password",               "reviewer",            "GET",  SHOWN),
    ("account_reset_password",               "unassigned_reviewer", "GET",  SHOWN),
    ("account_reset_password",               "conflicted_reviewer", "GET",  SHOWN),
    ("account_reset_password",               "superuser",           "GET",  SHOWN),
    ("account_reset_password",               "anonymous",           "POST", SHOWN),
    ("account_reset_password",               "outsider",            "POST", SHOWN),
    ("account_reset_password",               "nobody",              "POST", SHOWN),
    ("account_reset_password",               "viewer",              "POST", SHOWN),
    ("account_reset_password",               "editor",              "POST", SHOWN),
    ("account_reset_password",               "owner",               "POST", SHOWN),
    ("account_reset_password",               "officer",             "POST", SHOWN),
    ("account_reset_password",               "reviewer",            "POST", SHOWN),
    ("account_reset_password",               "unassigned_reviewer", "POST", SHOWN),
    ("account_reset_password",               "conflicted_reviewer", "POST", SHOWN),
    ("account_reset_password",               "superuser",           "POST", SHOWN),

    ("account_reset_password_done",          "anonymous",           "GET",  SHOWN),
    ("account_reset_password_done",          "outsider",            "GET",  SHOWN),
    ("account_reset_password_done",          "nobody",              "GET",  SHOWN),
    ("account_reset_password_done",          "viewer",              "GET",  SHOWN),
    ("account_reset_password_done",          "editor",              "GET",  SHOWN),
    ("account_reset_password_done",          "owner",               "GET",  SHOWN),
    ("account_reset_password_done",          "officer",             "GET",  SHOWN),
    ("account_reset_password_done",          "reviewer",            "GET",  SHOWN),
    ("account_reset_password_done",          "unassigned_reviewer", "GET",  SHOWN),
    ("account_reset_password_done",          "conflicted_reviewer", "GET",  SHOWN),
    ("account_reset_password_done",          "superuser",           "GET",  SHOWN),

    ("account_reset_password_from_key",      "anonymous",           "GET",  SHOWN),
    ("account_reset_password_from_key",      "outsider",            "GET",  SHOWN),
    ("account_reset_password_from_key",      "nobody",              "GET",  SHOWN),
    ("account_reset_password_from_key",      "viewer",              "GET",  SHOWN),
    ("account_reset_password_from_key",      "editor",              "GET",  SHOWN),
    ("account_reset_password_from_key",      "owner",               "GET",  SHOWN),
    ("account_reset_password_from_key",      "officer",             "GET",  SHOWN),
    ("account_reset_password_from_key",      "reviewer",            "GET",  SHOWN),
    ("account_reset_password_from_key",      "unassigned_reviewer", "GET",  SHOWN),
    ("account_reset_password_from_key",      "conflicted_reviewer", "GET",  SHOWN),
    ("account_reset_password_from_key",      "superuser",           "GET",  SHOWN),
    ("account_reset_password_from_key",      "anonymous",           "POST", SHOWN),
    ("account_reset_password_from_key",      "outsider",            "POST", SHOWN),
    ("account_reset_password_from_key",      "nobody",              "POST", SHOWN),
    ("account_reset_password_from_key",      "viewer",              "POST", SHOWN),
    ("account_reset_password_from_key",      "editor",              "POST", SHOWN),
    ("account_reset_password_from_key",      "owner",               "POST", SHOWN),
    ("account_reset_password_from_key",      "officer",             "POST", SHOWN),
    ("account_reset_password_from_key",      "reviewer",            "POST", SHOWN),
    ("account_reset_password_from_key",      "unassigned_reviewer", "POST", SHOWN),
    ("account_reset_password_from_key",      "conflicted_reviewer", "POST", SHOWN),
    ("account_reset_password_from_key",      "superuser",           "POST", SHOWN),

    ("account_reset_password_from_key_done", "anonymous",           "GET",  SHOWN),
    ("account_reset_password_from_key_done", "outsider",            "GET",  SHOWN),
    ("account_reset_password_from_key_done", "nobody",              "GET",  SHOWN),
    ("account_reset_password_from_key_done", "viewer",              "GET",  SHOWN),
    ("account_reset_password_from_key_done", "editor",              "GET",  SHOWN),
    ("account_reset_password_from_key_done", "owner",               "GET",  SHOWN),
    ("account_reset_password_from_key_done", "officer",             "GET",  SHOWN),
    ("account_reset_password_from_key_done", "reviewer",            "GET",  SHOWN),
    ("account_reset_password_from_key_done", "unassigned_reviewer", "GET",  SHOWN),
    ("account_reset_password_from_key_done", "conflicted_reviewer", "GET",  SHOWN),
    ("account_reset_password_from_key_done", "superuser",           "GET",  SHOWN),

    ("accounts:profile",                     "anonymous",           "GET",  LOGIN),
    ("accounts:profile",                     "outsider",            "GET",  SHOWN),
    ("accounts:profile",                     "nobody",              "GET",  SHOWN),
    ("accounts:profile",                     "viewer",              "GET",  SHOWN),
    ("accounts:profile",                     "editor",              "GET",  SHOWN),
    ("accounts:profile",                     "owner",               "GET",  SHOWN),
    ("accounts:profile",                     "officer",             "GET",  SHOWN),
    ("accounts:profile",                     "reviewer",            "GET",  SHOWN),
    ("accounts:profile",                     "unassigned_reviewer", "GET",  SHOWN),
    ("accounts:profile",                     "conflicted_reviewer", "GET",  SHOWN),
    ("accounts:profile",                     "superuser",           "GET",  SHOWN),
    ("accounts:profile",                     "anonymous",           "POST", LOGIN),
    ("accounts:profile",                     "outsider",            "POST", DONE),
    ("accounts:profile",                     "nobody",              "POST", DONE),
    ("accounts:profile",                     "viewer",              "POST", DONE),
    ("accounts:profile",                     "editor",              "POST", DONE),
    ("accounts:profile",                     "owner",               "POST", DONE),
    ("accounts:profile",                     "officer",             "POST", DONE),
    ("accounts:profile",                     "reviewer",            "POST", DONE),
    ("accounts:profile",                     "unassigned_reviewer", "POST", DONE),
    ("accounts:profile",                     "conflicted_reviewer", "POST", DONE),
    ("accounts:profile",                     "superuser",           "POST", DONE),

    ("accounts:switch_language",             "anonymous",           "GET",  REDIRECT),
    ("accounts:switch_language",             "outsider",            "GET",  REDIRECT),
    ("accounts:switch_language",             "nobody",              "GET",  REDIRECT),
    ("accounts:switch_language",             "viewer",              "GET",  REDIRECT),
    ("accounts:switch_language",             "editor",              "GET",  REDIRECT),
    ("accounts:switch_language",             "owner",               "GET",  REDIRECT),
    ("accounts:switch_language",             "officer",             "GET",  REDIRECT),
    ("accounts:switch_language",             "reviewer",            "GET",  REDIRECT),
    ("accounts:switch_language",             "unassigned_reviewer", "GET",  REDIRECT),
    ("accounts:switch_language",             "conflicted_reviewer", "GET",  REDIRECT),
    ("accounts:switch_language",             "superuser",           "GET",  REDIRECT),
    ("accounts:switch_language",             "anonymous",           "POST", REDIRECT),
    ("accounts:switch_language",             "outsider",            "POST", DONE),
    ("accounts:switch_language",             "nobody",              "POST", DONE),
    ("accounts:switch_language",             "viewer",              "POST", DONE),
    ("accounts:switch_language",             "editor",              "POST", DONE),
    ("accounts:switch_language",             "owner",               "POST", DONE),
    ("accounts:switch_language",             "officer",             "POST", DONE),
    ("accounts:switch_language",             "reviewer",            "POST", DONE),
    ("accounts:switch_language",             "unassigned_reviewer", "POST", DONE),
    ("accounts:switch_language",             "conflicted_reviewer", "POST", DONE),
    ("accounts:switch_language",             "superuser",           "POST", DONE),

    # Unlocking a locked sign-in by e-mail, for anyone: asking for the link (no address sent:
    # the form again) and following it (no key: the page about a broken link).
    ("accounts:unlock_request",              "anonymous",           "GET",  SHOWN),
    ("accounts:unlock_request",              "outsider",            "GET",  SHOWN),
    ("accounts:unlock_request",              "nobody",              "GET",  SHOWN),
    ("accounts:unlock_request",              "viewer",              "GET",  SHOWN),
    ("accounts:unlock_request",              "editor",              "GET",  SHOWN),
    ("accounts:unlock_request",              "owner",               "GET",  SHOWN),
    ("accounts:unlock_request",              "officer",             "GET",  SHOWN),
    ("accounts:unlock_request",              "reviewer",            "GET",  SHOWN),
    ("accounts:unlock_request",              "unassigned_reviewer", "GET",  SHOWN),
    ("accounts:unlock_request",              "conflicted_reviewer", "GET",  SHOWN),
    ("accounts:unlock_request",              "superuser",           "GET",  SHOWN),
    ("accounts:unlock_request",               "anonymous",          "POST",SHOWN),
    ("accounts:unlock_request",               "outsider",           "POST",SHOWN),
    ("accounts:unlock_request",               "nobody",             "POST",SHOWN),
    ("accounts:unlock_request",               "viewer",             "POST",SHOWN),
    ("accounts:unlock_request",               "editor",             "POST",SHOWN),
    ("accounts:unlock_request",               "owner",              "POST",SHOWN),
    ("accounts:unlock_request",               "officer",            "POST",SHOWN),
    ("accounts:unlock_request",               "reviewer",           "POST",SHOWN),
    ("accounts:unlock_request",               "unassigned_reviewer","POST",SHOWN),
    ("accounts:unlock_request",               "conflicted_reviewer","POST",SHOWN),
    ("accounts:unlock_request",               "superuser",          "POST",SHOWN),

    ("accounts:unlock",                      "anonymous",           "GET",  SHOWN),
    ("accounts:unlock",                      "outsider",            "GET",  SHOWN),
    ("accounts:unlock",                      "nobody",              "GET",  SHOWN),
    ("accounts:unlock",                      "viewer",              "GET",  SHOWN),
    ("accounts:unlock",                      "editor",              "GET",  SHOWN),
    ("accounts:unlock",                      "owner",               "GET",  SHOWN),
    ("accounts:unlock",                      "officer",             "GET",  SHOWN),
    ("accounts:unlock",                      "reviewer",            "GET",  SHOWN),
    ("accounts:unlock",                      "unassigned_reviewer", "GET",  SHOWN),
    ("accounts:unlock",                      "conflicted_reviewer", "GET",  SHOWN),
    ("accounts:unlock",                      "superuser",           "GET",  SHOWN),
    ("accounts:unlock",                       "anonymous",          "POST",SHOWN),
    ("accounts:unlock",                       "outsider",           "POST",SHOWN),
    ("accounts:unlock",                       "nobody",             "POST",SHOWN),
    ("accounts:unlock",                       "viewer",             "POST",SHOWN),
    ("accounts:unlock",                       "editor",             "POST",SHOWN),
    ("accounts:unlock",                       "owner",              "POST",SHOWN),
    ("accounts:unlock",                       "officer",            "POST",SHOWN),
    ("accounts:unlock",                       "reviewer",           "POST",SHOWN),
    ("accounts:unlock",                       "unassigned_reviewer","POST",SHOWN),
    ("accounts:unlock",                       "conflicted_reviewer","POST",SHOWN),
    ("accounts:unlock",                       "superuser",          "POST",SHOWN),

    # Two-factor authentication (allauth.mfa). The officer has an authenticator app, the other
    # roles none yet, and no one has recovery codes: what one does not have is not found.
    # Turning the app on or off and making codes first ask for the password again; confirming
    # with a code is for those with an app. The sign-in's second step alone sends all away.
    ("mfa_index",                            "anonymous",           "GET",  LOGIN),
    ("mfa_index",                            "outsider",            "GET",  SHOWN),
    ("mfa_index",                            "nobody",              "GET",  SHOWN),
    ("mfa_index",                            "viewer",              "GET",  SHOWN),
    ("mfa_index",                            "editor",              "GET",  SHOWN),
    ("mfa_index",                            "owner",               "GET",  SHOWN),
    ("mfa_index",                            "officer",             "GET",  SHOWN),
    ("mfa_index",                            "reviewer",            "GET",  SHOWN),
    ("mfa_index",                            "unassigned_reviewer", "GET",  SHOWN),
    ("mfa_index",                            "conflicted_reviewer", "GET",  SHOWN),
    ("mfa_index",                            "superuser",           "GET",  SHOWN),

    ("mfa_authenticate",                     "anonymous",           "GET",  REDIRECT),
    ("mfa_authenticate",                     "outsider",            "GET",  REDIRECT),
    ("mfa_authenticate",                     "nobody",              "GET",  REDIRECT),
    ("mfa_authenticate",                     "viewer",              "GET",  REDIRECT),
    ("mfa_authenticate",                     "editor",              "GET",  REDIRECT),
    ("mfa_authenticate",                     "owner",               "GET",  REDIRECT),
    ("mfa_authenticate",                     "officer",             "GET",  REDIRECT),
    ("mfa_authenticate",                     "reviewer",            "GET",  REDIRECT),
    ("mfa_authenticate",                     "unassigned_reviewer", "GET",  REDIRECT),
    ("mfa_authenticate",                     "conflicted_reviewer", "GET",  REDIRECT),
    ("mfa_authenticate",                     "superuser",           "GET",  REDIRECT),
    ("mfa_authenticate",                     "anonymous",           "POST", REDIRECT),
    ("mfa_authenticate",                     "outsider",            "POST", REDIRECT),
    ("mfa_authenticate",                     "nobody",              "POST", REDIRECT),
    ("mfa_authenticate",                     "viewer",              "POST", REDIRECT),
    ("mfa_authenticate",                     "editor",              "POST", REDIRECT),
    ("mfa_authenticate",                     "owner",               "POST", REDIRECT),
    ("mfa_authenticate",                     "officer",             "POST", REDIRECT),
    ("mfa_authenticate",                     "reviewer",            "POST", REDIRECT),
    ("mfa_authenticate",                     "unassigned_reviewer", "POST", REDIRECT),
    ("mfa_authenticate",                     "conflicted_reviewer", "POST", REDIRECT),
    ("mfa_authenticate",                     "superuser",           "POST", REDIRECT),

    ("mfa_reauthenticate",                   "anonymous",           "GET",  LOGIN),
    ("mfa_reauthenticate",                   "outsider",            "GET",  PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "nobody",              "GET",  PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "viewer",              "GET",  PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "editor",              "GET",  PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "owner",               "GET",  PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "officer",             "GET",  SHOWN),
    ("mfa_reauthenticate",                   "reviewer",            "GET",  PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "unassigned_reviewer", "GET",  PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "conflicted_reviewer", "GET",  PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "superuser",           "GET",  PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "anonymous",           "POST", LOGIN),
    ("mfa_reauthenticate",                   "outsider",            "POST", PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "nobody",              "POST", PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "viewer",              "POST", PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "editor",              "POST", PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "owner",               "POST", PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "officer",             "POST", SHOWN),
    ("mfa_reauthenticate",                   "reviewer",            "POST", PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "unassigned_reviewer", "POST", PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "conflicted_reviewer", "POST", PASSWORD_AGAIN),
    ("mfa_reauthenticate",                   "superuser",           "POST", PASSWORD_AGAIN),

    ("mfa_activate_totp",                    "anonymous",           "GET",  LOGIN),
    ("mfa_activate_totp",                    "outsider",            "GET",  PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "nobody",              "GET",  PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "viewer",              "GET",  PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "editor",              "GET",  PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "owner",               "GET",  PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "officer",             "GET",  PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "reviewer",            "GET",  PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "unassigned_reviewer", "GET",  PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "conflicted_reviewer", "GET",  PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "superuser",           "GET",  PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "anonymous",           "POST", LOGIN),
    ("mfa_activate_totp",                    "outsider",            "POST", PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "nobody",              "POST", PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "viewer",              "POST", PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "editor",              "POST", PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "owner",               "POST", PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "officer",             "POST", PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "reviewer",            "POST", PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "unassigned_reviewer", "POST", PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "conflicted_reviewer", "POST", PASSWORD_AGAIN),
    ("mfa_activate_totp",                    "superuser",           "POST", PASSWORD_AGAIN),

    ("mfa_deactivate_totp",                  "anonymous",           "GET",  LOGIN),
    ("mfa_deactivate_totp",                  "outsider",            "GET",  HIDDEN),
    ("mfa_deactivate_totp",                  "nobody",              "GET",  HIDDEN),
    ("mfa_deactivate_totp",                  "viewer",              "GET",  HIDDEN),
    ("mfa_deactivate_totp",                  "editor",              "GET",  HIDDEN),
    ("mfa_deactivate_totp",                  "owner",               "GET",  HIDDEN),
    ("mfa_deactivate_totp",                  "officer",             "GET",  PASSWORD_AGAIN),
    ("mfa_deactivate_totp",                  "reviewer",            "GET",  HIDDEN),
    ("mfa_deactivate_totp",                  "unassigned_reviewer", "GET",  HIDDEN),
    ("mfa_deactivate_totp",                  "conflicted_reviewer", "GET",  HIDDEN),
    ("mfa_deactivate_totp",                  "superuser",           "GET",  HIDDEN),
    ("mfa_deactivate_totp",                  "anonymous",           "POST", LOGIN),
    ("mfa_deactivate_totp",                  "outsider",            "POST", HIDDEN),
    ("mfa_deactivate_totp",                  "nobody",              "POST", HIDDEN),
    ("mfa_deactivate_totp",                  "viewer",              "POST", HIDDEN),
    ("mfa_deactivate_totp",                  "editor",              "POST", HIDDEN),
    ("mfa_deactivate_totp",                  "owner",               "POST", HIDDEN),
    ("mfa_deactivate_totp",                  "officer",             "POST", PASSWORD_AGAIN),
    ("mfa_deactivate_totp",                  "reviewer",            "POST", HIDDEN),
    ("mfa_deactivate_totp",                  "unassigned_reviewer", "POST", HIDDEN),
    ("mfa_deactivate_totp",                  "conflicted_reviewer", "POST", HIDDEN),
    ("mfa_deactivate_totp",                  "superuser",           "POST", HIDDEN),

    ("mfa_view_recovery_codes",              "anonymous",           "GET",  LOGIN),
    ("mfa_view_recovery_codes",              "outsider",            "GET",  HIDDEN),
    ("mfa_view_recovery_codes",              "nobody",              "GET",  HIDDEN),
    ("mfa_view_recovery_codes",              "viewer",              "GET",  HIDDEN),
    ("mfa_view_recovery_codes",              "editor",              "GET",  HIDDEN),
    ("mfa_view_recovery_codes",              "owner",               "GET",  HIDDEN),
    ("mfa_view_recovery_codes",              "officer",             "GET",  HIDDEN),
    ("mfa_view_recovery_codes",              "reviewer",            "GET",  HIDDEN),
    ("mfa_view_recovery_codes",              "unassigned_reviewer", "GET",  HIDDEN),
    ("mfa_view_recovery_codes",              "conflicted_reviewer", "GET",  HIDDEN),
    ("mfa_view_recovery_codes",              "superuser",           "GET",  HIDDEN),

    ("mfa_generate_recovery_codes",          "anonymous",           "GET",  LOGIN),
    ("mfa_generate_recovery_codes",          "outsider",            "GET",  PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "nobody",              "GET",  PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "viewer",              "GET",  PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "editor",              "GET",  PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "owner",               "GET",  PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "officer",             "GET",  PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "reviewer",            "GET",  PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "unassigned_reviewer", "GET",  PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "conflicted_reviewer", "GET",  PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "superuser",           "GET",  PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "anonymous",           "POST", LOGIN),
    ("mfa_generate_recovery_codes",          "outsider",            "POST", PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "nobody",              "POST", PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "viewer",              "POST", PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "editor",              "POST", PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "owner",               "POST", PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "officer",             "POST", PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "reviewer",            "POST", PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "unassigned_reviewer", "POST", PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "conflicted_reviewer", "POST", PASSWORD_AGAIN),
    ("mfa_generate_recovery_codes",          "superuser",           "POST", PASSWORD_AGAIN),

    ("mfa_download_recovery_codes",          "anonymous",           "GET",  LOGIN),
    ("mfa_download_recovery_codes",          "outsider",            "GET",  HIDDEN),
    ("mfa_download_recovery_codes",          "nobody",              "GET",  HIDDEN),
    ("mfa_download_recovery_codes",          "viewer",              "GET",  HIDDEN),
    ("mfa_download_recovery_codes",          "editor",              "GET",  HIDDEN),
    ("mfa_download_recovery_codes",          "owner",               "GET",  HIDDEN),
    ("mfa_download_recovery_codes",          "officer",             "GET",  HIDDEN),
    ("mfa_download_recovery_codes",          "reviewer",            "GET",  HIDDEN),
    ("mfa_download_recovery_codes",          "unassigned_reviewer", "GET",  HIDDEN),
    ("mfa_download_recovery_codes",          "conflicted_reviewer", "GET",  HIDDEN),
    ("mfa_download_recovery_codes",          "superuser",           "GET",  HIDDEN),

    # Organisations: anyone signed in registers one. Members read theirs, editors edit it,
    # owners manage its members; the office reads every organisation; to anybody else it does
    # not exist.
    ("organisations:create",                 "anonymous",           "GET",  LOGIN),
    ("organisations:create",                 "outsider",            "GET",  SHOWN),
    ("organisations:create",                 "nobody",              "GET",  SHOWN),
    ("organisations:create",                 "viewer",              "GET",  SHOWN),
    ("organisations:create",                 "editor",              "GET",  SHOWN),
    ("organisations:create",                 "owner",               "GET",  SHOWN),
    ("organisations:create",                 "officer",             "GET",  SHOWN),
    ("organisations:create",                 "reviewer",            "GET",  SHOWN),
    ("organisations:create",                 "unassigned_reviewer", "GET",  SHOWN),
    ("organisations:create",                 "conflicted_reviewer", "GET",  SHOWN),
    ("organisations:create",                 "superuser",           "GET",  SHOWN),
    ("organisations:create",                 "anonymous",           "POST", LOGIN),
    ("organisations:create",                 "outsider",            "POST", DONE),
    ("organisations:create",                 "nobody",              "POST", DONE),
    ("organisations:create",                 "viewer",              "POST", DONE),
    ("organisations:create",                 "editor",              "POST", DONE),
    ("organisations:create",                 "owner",               "POST", DONE),
    ("organisations:create",                 "officer",             "POST", DONE),
    ("organisations:create",                 "reviewer",            "POST", DONE),
    ("organisations:create",                 "unassigned_reviewer", "POST", DONE),
    ("organisations:create",                 "conflicted_reviewer", "POST", DONE),
    ("organisations:create",                 "superuser",           "POST", DONE),

    ("organisations:detail",                 "anonymous",           "GET",  LOGIN),
    ("organisations:detail",                 "outsider",            "GET",  HIDDEN),
    ("organisations:detail",                 "nobody",              "GET",  HIDDEN),
    ("organisations:detail",                 "viewer",              "GET",  SHOWN),
    ("organisations:detail",                 "editor",              "GET",  SHOWN),
    ("organisations:detail",                 "owner",               "GET",  SHOWN),
    ("organisations:detail",                 "officer",             "GET",  SHOWN),
    ("organisations:detail",                 "reviewer",            "GET",  HIDDEN),
    ("organisations:detail",                 "unassigned_reviewer", "GET",  HIDDEN),
    ("organisations:detail",                 "conflicted_reviewer", "GET",  HIDDEN),
    ("organisations:detail",                 "superuser",           "GET",  HIDDEN),

    ("organisations:edit",                   "anonymous",           "GET",  LOGIN),
    ("organisations:edit",                   "outsider",            "GET",  HIDDEN),
    ("organisations:edit",                   "nobody",              "GET",  HIDDEN),
    ("organisations:edit",                   "viewer",              "GET",  DENIED),
    ("organisations:edit",                   "editor",              "GET",  SHOWN),
    ("organisations:edit",                   "owner",               "GET",  SHOWN),
    ("organisations:edit",                   "officer",             "GET",  DENIED),
    ("organisations:edit",                   "reviewer",            "GET",  HIDDEN),
    ("organisations:edit",                   "unassigned_reviewer", "GET",  HIDDEN),
    ("organisations:edit",                   "conflicted_reviewer", "GET",  HIDDEN),
    ("organisations:edit",                   "superuser",           "GET",  HIDDEN),
    ("organisations:edit",                   "anonymous",           "POST", LOGIN),
    ("organisations:edit",                   "outsider",            "POST", HIDDEN),
    ("organisations:edit",                   "nobody",              "POST", HIDDEN),
    ("organisations:edit",                   "viewer",              "POST", DENIED),
    ("organisations:edit",                   "editor",              "POST", DONE),
    ("organisations:edit",                   "owner",               "POST", DONE),
    ("organisations:edit",                   "officer",             "POST", DENIED),
    ("organisations:edit",                   "reviewer",            "POST", HIDDEN),
    ("organisations:edit",                   "unassigned_reviewer", "POST", HIDDEN),
    ("organisations:edit",                   "conflicted_reviewer", "POST", HIDDEN),
    ("organisations:edit",                   "superuser",           "POST", HIDDEN),

    ("organisations:members",                "anonymous",           "GET",  LOGIN),
    ("organisations:members",                "outsider",            "GET",  HIDDEN),
    ("organisations:members",                "nobody",              "GET",  HIDDEN),
    ("organisations:members",                "viewer",              "GET",  SHOWN),
    ("organisations:members",                "editor",              "GET",  SHOWN),
    ("organisations:members",                "owner",               "GET",  SHOWN),
    ("organisations:members",                "officer",             "GET",  SHOWN),
    ("organisations:members",                "reviewer",            "GET",  HIDDEN),
    ("organisations:members",                "unassigned_reviewer", "GET",  HIDDEN),
    ("organisations:members",                "conflicted_reviewer", "GET",  HIDDEN),
    ("organisations:members",                "superuser",           "GET",  HIDDEN),
    ("organisations:members",                "anonymous",           "POST", LOGIN),
    ("organisations:members",                "outsider",            "POST", HIDDEN),
    ("organisations:members",                "nobody",              "POST", HIDDEN),
    ("organisations:members",                "viewer",              "POST", DENIED),
    ("organisations:members",                "editor",              "POST", DENIED),
    ("organisations:members",                "owner",               "POST", DONE),
    ("organisations:members",                "officer",             "POST", DENIED),
    ("organisations:members",                "reviewer",            "POST", HIDDEN),
    ("organisations:members",                "unassigned_reviewer", "POST", HIDDEN),
    ("organisations:members",                "conflicted_reviewer", "POST", HIDDEN),
    ("organisations:members",                "superuser",           "POST", HIDDEN),

    ("organisations:member_role",            "anonymous",           "GET",  LOGIN),
    ("organisations:member_role",            "outsider",            "GET",  POST_ONLY),
    ("organisations:member_role",            "nobody",              "GET",  POST_ONLY),
    ("organisations:member_role",            "viewer",              "GET",  POST_ONLY),
    ("organisations:member_role",            "editor",              "GET",  POST_ONLY),
    ("organisations:member_role",            "owner",               "GET",  POST_ONLY),
    ("organisations:member_role",            "officer",             "GET",  POST_ONLY),
    ("organisations:member_role",            "reviewer",            "GET",  POST_ONLY),
    ("organisations:member_role",            "unassigned_reviewer", "GET",  POST_ONLY),
    ("organisations:member_role",            "conflicted_reviewer", "GET",  POST_ONLY),
    ("organisations:member_role",            "superuser",           "GET",  POST_ONLY),
    ("organisations:member_role",            "anonymous",           "POST", LOGIN),
    ("organisations:member_role",            "outsider",            "POST", HIDDEN),
    ("organisations:member_role",            "nobody",              "POST", HIDDEN),
    ("organisations:member_role",            "viewer",              "POST", DENIED),
    ("organisations:member_role",            "editor",              "POST", DENIED),
    ("organisations:member_role",            "owner",               "POST", DONE),
    ("organisations:member_role",            "officer",             "POST", DENIED),
    ("organisations:member_role",            "reviewer",            "POST", HIDDEN),
    ("organisations:member_role",            "unassigned_reviewer", "POST", HIDDEN),
    ("organisations:member_role",            "conflicted_reviewer", "POST", HIDDEN),
    ("organisations:member_role",            "superuser",           "POST", HIDDEN),

    ("organisations:member_remove",          "anonymous",           "GET",  LOGIN),
    ("organisations:member_remove",          "outsider",            "GET",  HIDDEN),
    ("organisations:member_remove",          "nobody",              "GET",  HIDDEN),
    ("organisations:member_remove",          "viewer",              "GET",  DENIED),
    ("organisations:member_remove",          "editor",              "GET",  DENIED),
    ("organisations:member_remove",          "owner",               "GET",  SHOWN),
    ("organisations:member_remove",          "officer",             "GET",  DENIED),
    ("organisations:member_remove",          "reviewer",            "GET",  HIDDEN),
    ("organisations:member_remove",          "unassigned_reviewer", "GET",  HIDDEN),
    ("organisations:member_remove",          "conflicted_reviewer", "GET",  HIDDEN),
    ("organisations:member_remove",          "superuser",           "GET",  HIDDEN),
    ("organisations:member_remove",          "anonymous",           "POST", LOGIN),
    ("organisations:member_remove",          "outsider",            "POST", HIDDEN),
    ("organisations:member_remove",          "nobody",              "POST", HIDDEN),
    ("organisations:member_remove",          "viewer",              "POST", DENIED),
    ("organisations:member_remove",          "editor",              "POST", DENIED),
    ("organisations:member_remove",          "owner",               "POST", DONE),
    ("organisations:member_remove",          "officer",             "POST", DENIED),
    ("organisations:member_remove",          "reviewer",            "POST", HIDDEN),
    ("organisations:member_remove",          "unassigned_reviewer", "POST", HIDDEN),
    ("organisations:member_remove",          "conflicted_reviewer", "POST", HIDDEN),
    ("organisations:member_remove",          "superuser",           "POST", HIDDEN),

    ("organisations:invitation_revoke",      "anonymous",           "GET",  LOGIN),
    ("organisations:invitation_revoke",      "outsider",            "GET",  HIDDEN),
    ("organisations:invitation_revoke",      "nobody",              "GET",  HIDDEN),
    ("organisations:invitation_revoke",      "viewer",              "GET",  DENIED),
    ("organisations:invitation_revoke",      "editor",              "GET",  DENIED),
    ("organisations:invitation_revoke",      "owner",               "GET",  SHOWN),
    ("organisations:invitation_revoke",      "officer",             "GET",  DENIED),
    ("organisations:invitation_revoke",      "reviewer",            "GET",  HIDDEN),
    ("organisations:invitation_revoke",      "unassigned_reviewer", "GET",  HIDDEN),
    ("organisations:invitation_revoke",      "conflicted_reviewer", "GET",  HIDDEN),
    ("organisations:invitation_revoke",      "superuser",           "GET",  HIDDEN),
    ("organisations:invitation_revoke",      "anonymous",           "POST", LOGIN),
    ("organisations:invitation_revoke",      "outsider",            "POST", HIDDEN),
    ("organisations:invitation_revoke",      "nobody",              "POST", HIDDEN),
    ("organisations:invitation_revoke",      "viewer",              "POST", DENIED),
    ("organisations:invitation_revoke",      "editor",              "POST", DENIED),
    ("organisations:invitation_revoke",      "owner",               "POST", DONE),
    ("organisations:invitation_revoke",      "officer",             "POST", DENIED),
    ("organisations:invitation_revoke",      "reviewer",            "POST", HIDDEN),
    ("organisations:invitation_revoke",      "unassigned_reviewer", "POST", HIDDEN),
    ("organisations:invitation_revoke",      "conflicted_reviewer", "POST", HIDDEN),
    ("organisations:invitation_revoke",      "superuser",           "POST", HIDDEN),

    # An invitation is a capability link: whoever holds it sees whose invitation it is, only
    # the invited address (the nobody role's) may accept it.
    ("organisations:invitation_accept",      "anonymous",           "GET",  LOGIN),
    ("organisations:invitation_accept",      "outsider",            "GET",  SHOWN),
    ("organisations:invitation_accept",      "nobody",              "GET",  SHOWN),
    ("organisations:invitation_accept",      "viewer",              "GET",  SHOWN),
    ("organisations:invitation_accept",      "editor",              "GET",  SHOWN),
    ("organisations:invitation_accept",      "owner",               "GET",  SHOWN),
    ("organisations:invitation_accept",      "officer",             "GET",  SHOWN),
    ("organisations:invitation_accept",      "reviewer",            "GET",  SHOWN),
    ("organisations:invitation_accept",      "unassigned_reviewer", "GET",  SHOWN),
    ("organisations:invitation_accept",      "conflicted_reviewer", "GET",  SHOWN),
    ("organisations:invitation_accept",      "superuser",           "GET",  SHOWN),
    ("organisations:invitation_accept",      "anonymous",           "POST", LOGIN),
    ("organisations:invitation_accept",      "outsider",            "POST", BOUNCED),
    ("organisations:invitation_accept",      "nobody",              "POST", DONE),
    ("organisations:invitation_accept",      "viewer",              "POST", BOUNCED),
    ("organisations:invitation_accept",      "editor",              "POST", BOUNCED),
    ("organisations:invitation_accept",      "owner",               "POST", BOUNCED),
    ("organisations:invitation_accept",      "officer",             "POST", BOUNCED),
    ("organisations:invitation_accept",      "reviewer",            "POST", BOUNCED),
    ("organisations:invitation_accept",      "unassigned_reviewer", "POST", BOUNCED),
    ("organisations:invitation_accept",      "conflicted_reviewer", "POST", BOUNCED),
    ("organisations:invitation_accept",      "superuser",           "POST", BOUNCED),

    # An organisation's letters: members read them, editors write them. The office reads a
    # letter once filed (its receipt here; the office's own page below). Being a superuser
    # opens the admin, not an organisation's letters.
    ("letters:letter_start",                 "anonymous",           "GET",  LOGIN),
    ("letters:letter_start",                 "outsider",            "GET",  POST_ONLY),
    ("letters:letter_start",                 "nobody",              "GET",  POST_ONLY),
    ("letters:letter_start",                 "viewer",              "GET",  POST_ONLY),
    ("letters:letter_start",                 "editor",              "GET",  POST_ONLY),
    ("letters:letter_start",                 "owner",               "GET",  POST_ONLY),
    ("letters:letter_start",                 "officer",             "GET",  POST_ONLY),
    ("letters:letter_start",                 "reviewer",            "GET",  POST_ONLY),
    ("letters:letter_start",                 "unassigned_reviewer", "GET",  POST_ONLY),
    ("letters:letter_start",                 "conflicted_reviewer", "GET",  POST_ONLY),
    ("letters:letter_start",                 "superuser",           "GET",  POST_ONLY),
    ("letters:letter_start",                 "anonymous",           "POST", LOGIN),
    ("letters:letter_start",                 "outsider",            "POST", BOUNCED),
    ("letters:letter_start",                 "nobody",              "POST", DENIED),
    ("letters:letter_start",                 "viewer",              "POST", DENIED),
    ("letters:letter_start",                 "editor",              "POST", DONE),
    ("letters:letter_start",                 "owner",               "POST", DONE),
    ("letters:letter_start",                 "officer",             "POST", DENIED),
    ("letters:letter_start",                 "reviewer",            "POST", DENIED),
    ("letters:letter_start",                 "unassigned_reviewer", "POST", DENIED),
    ("letters:letter_start",                 "conflicted_reviewer", "POST", DENIED),
    ("letters:letter_start",                 "superuser",           "POST", DENIED),

    ("letters:call_register",                "anonymous",           "GET",  LOGIN),
    ("letters:call_register",                "outsider",            "GET",  POST_ONLY),
    ("letters:call_register",                "nobody",              "GET",  POST_ONLY),
    ("letters:call_register",                "viewer",              "GET",  POST_ONLY),
    ("letters:call_register",                "editor",              "GET",  POST_ONLY),
    ("letters:call_register",                "owner",               "GET",  POST_ONLY),
    ("letters:call_register",                "officer",             "GET",  POST_ONLY),
    ("letters:call_register",                "reviewer",            "GET",  POST_ONLY),
    ("letters:call_register",                 "unassigned_reviewer","GET",  POST_ONLY),
    ("letters:call_register",                 "conflicted_reviewer","GET",  POST_ONLY),
    ("letters:call_register",                "superuser",           "GET",  POST_ONLY),
    ("letters:call_register",                "anonymous",           "POST", LOGIN),
    ("letters:call_register",                "outsider",            "POST", BOUNCED),
    ("letters:call_register",                "nobody",              "POST", DENIED),
    ("letters:call_register",                "viewer",              "POST", DENIED),
    ("letters:call_register",                "editor",              "POST", DONE),
    ("letters:call_register",                "owner",               "POST", DONE),
    ("letters:call_register",                "officer",             "POST", DENIED),
    ("letters:call_register",                "reviewer",            "POST", DENIED),
    ("letters:call_register",                 "unassigned_reviewer","POST", DENIED),
    ("letters:call_register",                 "conflicted_reviewer","POST", DENIED),
    ("letters:call_register",                "superuser",           "POST", DENIED),

    ("letters:letter_detail",                "anonymous",           "GET",  LOGIN),
    ("letters:letter_detail",                "outsider",            "GET",  HIDDEN),
    ("letters:letter_detail",                "nobody",              "GET",  HIDDEN),
    ("letters:letter_detail",                "viewer",              "GET",  SHOWN),
    ("letters:letter_detail",                "editor",              "GET",  SHOWN),
    ("letters:letter_detail",                "owner",               "GET",  SHOWN),
    ("letters:letter_detail",                "officer",             "GET",  HIDDEN),
    ("letters:letter_detail",                "reviewer",            "GET",  HIDDEN),
    ("letters:letter_detail",                "unassigned_reviewer", "GET",  HIDDEN),
    ("letters:letter_detail",                "conflicted_reviewer", "GET",  HIDDEN),
    ("letters:letter_detail",                "superuser",           "GET",  HIDDEN),

    ("letters:letter_edit",                  "anonymous",           "GET",  LOGIN),
    ("letters:letter_edit",                  "outsider",            "GET",  HIDDEN),
    ("letters:letter_edit",                  "nobody",              "GET",  HIDDEN),
    ("letters:letter_edit",                  "viewer",              "GET",  DENIED),
    ("letters:letter_edit",                  "editor",              "GET",  SHOWN),
    ("letters:letter_edit",                  "owner",               "GET",  SHOWN),
    ("letters:letter_edit",                  "officer",             "GET",  HIDDEN),
    ("letters:letter_edit",                  "reviewer",            "GET",  HIDDEN),
    ("letters:letter_edit",                  "unassigned_reviewer", "GET",  HIDDEN),
    ("letters:letter_edit",                  "conflicted_reviewer", "GET",  HIDDEN),
    ("letters:letter_edit",                  "superuser",           "GET",  HIDDEN),
    ("letters:letter_edit",                  "anonymous",           "POST", LOGIN),
    ("letters:letter_edit",                  "outsider",            "POST", HIDDEN),
    ("letters:letter_edit",                  "nobody",              "POST", HIDDEN),
    ("letters:letter_edit",                  "viewer",              "POST", DENIED),
    ("letters:letter_edit",                  "editor",              "POST", DONE),
    ("letters:letter_edit",                  "owner",               "POST", DONE),
    ("letters:letter_edit",                  "officer",             "POST", HIDDEN),
    ("letters:letter_edit",                  "reviewer",            "POST", HIDDEN),
    ("letters:letter_edit",                  "unassigned_reviewer", "POST", HIDDEN),
    ("letters:letter_edit",                  "conflicted_reviewer", "POST", HIDDEN),
    ("letters:letter_edit",                  "superuser",           "POST", HIDDEN),

    ("letters:letter_submit",                "anonymous",           "GET",  LOGIN),
    ("letters:letter_submit",                "outsider",            "GET",  HIDDEN),
    ("letters:letter_submit",                "nobody",              "GET",  HIDDEN),
    ("letters:letter_submit",                "viewer",              "GET",  DENIED),
    ("letters:letter_submit",                "editor",              "GET",  SHOWN),
    ("letters:letter_submit",                "owner",               "GET",  SHOWN),
    ("letters:letter_submit",                "officer",             "GET",  HIDDEN),
    ("letters:letter_submit",                "reviewer",            "GET",  HIDDEN),
    ("letters:letter_submit",                "unassigned_reviewer", "GET",  HIDDEN),
    ("letters:letter_submit",                "conflicted_reviewer", "GET",  HIDDEN),
    ("letters:letter_submit",                "superuser",           "GET",  HIDDEN),
    ("letters:letter_submit",                "anonymous",           "POST", LOGIN),
    ("letters:letter_submit",                "outsider",            "POST", HIDDEN),
    ("letters:letter_submit",                "nobody",              "POST", HIDDEN),
    ("letters:letter_submit",                "viewer",              "POST", DENIED),
    ("letters:letter_submit",                "editor",              "POST", DONE),
    ("letters:letter_submit",                "owner",               "POST", DONE),
    ("letters:letter_submit",                "officer",             "POST", HIDDEN),
    ("letters:letter_submit",                "reviewer",            "POST", HIDDEN),
    ("letters:letter_submit",                "unassigned_reviewer", "POST", HIDDEN),
    ("letters:letter_submit",                "conflicted_reviewer", "POST", HIDDEN),
    ("letters:letter_submit",                "superuser",           "POST", HIDDEN),

    ("letters:letter_withdraw",              "anonymous",           "GET",  LOGIN),
    ("letters:letter_withdraw",              "outsider",            "GET",  HIDDEN),
    ("letters:letter_withdraw",              "nobody",              "GET",  HIDDEN),
    ("letters:letter_withdraw",              "viewer",              "GET",  DENIED),
    ("letters:letter_withdraw",              "editor",              "GET",  SHOWN),
    ("letters:letter_withdraw",              "owner",               "GET",  SHOWN),
    ("letters:letter_withdraw",              "officer",             "GET",  HIDDEN),
    ("letters:letter_withdraw",              "reviewer",            "GET",  HIDDEN),
    ("letters:letter_withdraw",              "unassigned_reviewer", "GET",  HIDDEN),
    ("letters:letter_withdraw",              "conflicted_reviewer", "GET",  HIDDEN),
    ("letters:letter_withdraw",              "superuser",           "GET",  HIDDEN),
    ("letters:letter_withdraw",              "anonymous",           "POST", LOGIN),
    ("letters:letter_withdraw",              "outsider",            "POST", HIDDEN),
    ("letters:letter_withdraw",              "nobody",              "POST", HIDDEN),
    ("letters:letter_withdraw",              "viewer",              "POST", DENIED),
    ("letters:letter_withdraw",              "editor",              "POST", DONE),
    ("letters:letter_withdraw",              "owner",               "POST", DONE),
    ("letters:letter_withdraw",              "officer",             "POST", HIDDEN),
    ("letters:letter_withdraw",              "reviewer",            "POST", HIDDEN),
    ("letters:letter_withdraw",              "unassigned_reviewer", "POST", HIDDEN),
    ("letters:letter_withdraw",              "conflicted_reviewer", "POST", HIDDEN),
    ("letters:letter_withdraw",              "superuser",           "POST", HIDDEN),

    ("letters:letter_receipt",               "anonymous",           "GET",  LOGIN),
    ("letters:letter_receipt",               "outsider",            "GET",  HIDDEN),
    ("letters:letter_receipt",               "nobody",              "GET",  HIDDEN),
    ("letters:letter_receipt",               "viewer",              "GET",  SHOWN),
    ("letters:letter_receipt",               "editor",              "GET",  SHOWN),
    ("letters:letter_receipt",               "owner",               "GET",  SHOWN),
    ("letters:letter_receipt",               "officer",             "GET",  SHOWN),
    ("letters:letter_receipt",               "reviewer",            "GET",  HIDDEN),
    ("letters:letter_receipt",               "unassigned_reviewer", "GET",  HIDDEN),
    ("letters:letter_receipt",               "conflicted_reviewer", "GET",  HIDDEN),
    ("letters:letter_receipt",               "superuser",           "GET",  HIDDEN),

    ("letters:document_upload",              "anonymous",           "GET",  LOGIN),
    ("letters:document_upload",              "outsider",            "GET",  POST_ONLY),
    ("letters:document_upload",              "nobody",              "GET",  POST_ONLY),
    ("letters:document_upload",              "viewer",              "GET",  POST_ONLY),
    ("letters:document_upload",              "editor",              "GET",  POST_ONLY),
    ("letters:document_upload",              "owner",               "GET",  POST_ONLY),
    ("letters:document_upload",              "officer",             "GET",  POST_ONLY),
    ("letters:document_upload",              "reviewer",            "GET",  POST_ONLY),
    ("letters:document_upload",              "unassigned_reviewer", "GET",  POST_ONLY),
    ("letters:document_upload",              "conflicted_reviewer", "GET",  POST_ONLY),
    ("letters:document_upload",              "superuser",           "GET",  POST_ONLY),
    ("letters:document_upload",              "anonymous",           "POST", LOGIN),
    ("letters:document_upload",              "outsider",            "POST", HIDDEN),
    ("letters:document_upload",              "nobody",              "POST", HIDDEN),
    ("letters:document_upload",              "viewer",              "POST", DENIED),
    ("letters:document_upload",              "editor",              "POST", DONE),
    ("letters:document_upload",              "owner",               "POST", DONE),
    ("letters:document_upload",              "officer",             "POST", HIDDEN),
    ("letters:document_upload",              "reviewer",            "POST", HIDDEN),
    ("letters:document_upload",              "unassigned_reviewer", "POST", HIDDEN),
    ("letters:document_upload",              "conflicted_reviewer", "POST", HIDDEN),
    ("letters:document_upload",              "superuser",           "POST", HIDDEN),

    ("letters:document_download",            "anonymous",           "GET",  LOGIN),
    ("letters:document_download",            "outsider",            "GET",  HIDDEN),
    ("letters:document_download",            "nobody",              "GET",  HIDDEN),
    ("letters:document_download",            "viewer",              "GET",  SHOWN),
    ("letters:document_download",            "editor",              "GET",  SHOWN),
    ("letters:document_download",            "owner",               "GET",  SHOWN),
    ("letters:document_download",            "officer",             "GET",  HIDDEN),
    ("letters:document_download",            "reviewer",            "GET",  HIDDEN),
    ("letters:document_download",            "unassigned_reviewer", "GET",  HIDDEN),
    ("letters:document_download",            "conflicted_reviewer", "GET",  HIDDEN),
    ("letters:document_download",            "superuser",           "GET",  HIDDEN),

    ("letters:document_remove",              "anonymous",           "GET",  LOGIN),
    ("letters:document_remove",              "outsider",            "GET",  HIDDEN),
    ("letters:document_remove",              "nobody",              "GET",  HIDDEN),
    ("letters:document_remove",              "viewer",              "GET",  DENIED),
    ("letters:document_remove",              "editor",              "GET",  SHOWN),
    ("letters:document_remove",              "owner",               "GET",  SHOWN),
    ("letters:document_remove",              "officer",             "GET",  HIDDEN),
    ("letters:document_remove",              "reviewer",            "GET",  HIDDEN),
    ("letters:document_remove",              "unassigned_reviewer", "GET",  HIDDEN),
    ("letters:document_remove",              "conflicted_reviewer", "GET",  HIDDEN),
    ("letters:document_remove",              "superuser",           "GET",  HIDDEN),
    ("letters:document_remove",              "anonymous",           "POST", LOGIN),
    ("letters:document_remove",              "outsider",            "POST", HIDDEN),
    ("letters:document_remove",              "nobody",              "POST", HIDDEN),
    ("letters:document_remove",              "viewer",              "POST", DENIED),
    ("letters:document_remove",              "editor",              "POST", DONE),
    ("letters:document_remove",              "owner",               "POST", DONE),
    ("letters:document_remove",              "officer",             "POST", HIDDEN),
    ("letters:document_remove",              "reviewer",            "POST", HIDDEN),
    ("letters:document_remove",              "unassigned_reviewer", "POST", HIDDEN),
    ("letters:document_remove",              "conflicted_reviewer", "POST", HIDDEN),
    ("letters:document_remove",              "superuser",           "POST", HIDDEN),

    # A reviewer's pages: only the reviewer holding the assignment, and only while no conflict
    # hides the letter; everyone else gets the 404 of a letter that does not exist. A place in
    # a call's pool is offered like an organisation's invitation, here to the nobody role.
    ("reviewing:reviewer_desk",              "anonymous",           "GET",  LOGIN),
    ("reviewing:reviewer_desk",              "outsider",            "GET",  SHOWN),
    ("reviewing:reviewer_desk",              "nobody",              "GET",  SHOWN),
    ("reviewing:reviewer_desk",              "viewer",              "GET",  SHOWN),
    ("reviewing:reviewer_desk",              "editor",              "GET",  SHOWN),
    ("reviewing:reviewer_desk",              "owner",               "GET",  SHOWN),
    ("reviewing:reviewer_desk",              "officer",             "GET",  SHOWN),
    ("reviewing:reviewer_desk",              "reviewer",            "GET",  SHOWN),
    ("reviewing:reviewer_desk",              "unassigned_reviewer", "GET",  SHOWN),
    ("reviewing:reviewer_desk",              "conflicted_reviewer", "GET",  SHOWN),
    ("reviewing:reviewer_desk",              "superuser",           "GET",  SHOWN),

    ("reviewing:reviewer_invitation",        "anonymous",           "GET",  LOGIN),
    ("reviewing:reviewer_invitation",        "outsider",            "GET",  SHOWN),
    ("reviewing:reviewer_invitation",        "nobody",              "GET",  SHOWN),
    ("reviewing:reviewer_invitation",        "viewer",              "GET",  SHOWN),
    ("reviewing:reviewer_invitation",        "editor",              "GET",  SHOWN),
    ("reviewing:reviewer_invitation",        "owner",               "GET",  SHOWN),
    ("reviewing:reviewer_invitation",        "officer",             "GET",  SHOWN),
    ("reviewing:reviewer_invitation",        "reviewer",            "GET",  SHOWN),
    ("reviewing:reviewer_invitation",        "unassigned_reviewer", "GET",  SHOWN),
    ("reviewing:reviewer_invitation",        "conflicted_reviewer", "GET",  SHOWN),
    ("reviewing:reviewer_invitation",        "superuser",           "GET",  SHOWN),
    ("reviewing:reviewer_invitation",        "anonymous",           "POST", LOGIN),
    ("reviewing:reviewer_invitation",        "outsider",            "POST", SHOWN),
    ("reviewing:reviewer_invitation",        "nobody",              "POST", DONE),
    ("reviewing:reviewer_invitation",        "viewer",              "POST", SHOWN),
    ("reviewing:reviewer_invitation",        "editor",              "POST", SHOWN),
    ("reviewing:reviewer_invitation",        "owner",               "POST", SHOWN),
    ("reviewing:reviewer_invitation",        "officer",             "POST", SHOWN),
    ("reviewing:reviewer_invitation",        "reviewer",            "POST", SHOWN),
    ("reviewing:reviewer_invitation",        "unassigned_reviewer", "POST", SHOWN),
    ("reviewing:reviewer_invitation",        "conflicted_reviewer", "POST", SHOWN),
    ("reviewing:reviewer_invitation",        "superuser",           "POST", SHOWN),

    ("reviewing:assignment_detail",          "anonymous",           "GET",  LOGIN),
    ("reviewing:assignment_detail",          "outsider",            "GET",  HIDDEN),
    ("reviewing:assignment_detail",          "nobody",              "GET",  HIDDEN),
    ("reviewing:assignment_detail",          "viewer",              "GET",  HIDDEN),
    ("reviewing:assignment_detail",          "editor",              "GET",  HIDDEN),
    ("reviewing:assignment_detail",          "owner",               "GET",  HIDDEN),
    ("reviewing:assignment_detail",          "officer",             "GET",  HIDDEN),
    ("reviewing:assignment_detail",          "reviewer",            "GET",  SHOWN),
    ("reviewing:assignment_detail",          "unassigned_reviewer", "GET",  HIDDEN),
    ("reviewing:assignment_detail",          "conflicted_reviewer", "GET",  HIDDEN),
    ("reviewing:assignment_detail",          "superuser",           "GET",  HIDDEN),

    ("reviewing:assignment_conflict",        "anonymous",           "GET",  LOGIN),
    ("reviewing:assignment_conflict",        "outsider",            "GET",  POST_ONLY),
    ("reviewing:assignment_conflict",        "nobody",              "GET",  POST_ONLY),
    ("reviewing:assignment_conflict",        "viewer",              "GET",  POST_ONLY),
    ("reviewing:assignment_conflict",        "editor",              "GET",  POST_ONLY),
    ("reviewing:assignment_conflict",        "owner",               "GET",  POST_ONLY),
    ("reviewing:assignment_conflict",        "officer",             "GET",  POST_ONLY),
    ("reviewing:assignment_conflict",        "reviewer",            "GET",  POST_ONLY),
    ("reviewing:assignment_conflict",        "unassigned_reviewer", "GET",  POST_ONLY),
    ("reviewing:assignment_conflict",        "conflicted_reviewer", "GET",  POST_ONLY),
    ("reviewing:assignment_conflict",        "superuser",           "GET",  POST_ONLY),
    ("reviewing:assignment_conflict",        "anonymous",           "POST", LOGIN),
    ("reviewing:assignment_conflict",        "outsider",            "POST", HIDDEN),
    ("reviewing:assignment_conflict",        "nobody",              "POST", HIDDEN),
    ("reviewing:assignment_conflict",        "viewer",              "POST", HIDDEN),
    ("reviewing:assignment_conflict",        "editor",              "POST", HIDDEN),
    ("reviewing:assignment_conflict",        "owner",               "POST", HIDDEN),
    ("reviewing:assignment_conflict",        "officer",             "POST", HIDDEN),
    ("reviewing:assignment_conflict",        "reviewer",            "POST", DONE),
    ("reviewing:assignment_conflict",        "unassigned_reviewer", "POST", HIDDEN),
    ("reviewing:assignment_conflict",        "conflicted_reviewer", "POST", HIDDEN),
    ("reviewing:assignment_conflict",        "superuser",           "POST", HIDDEN),

    ("reviewing:review_edit",                "anonymous",           "GET",  LOGIN),
    ("reviewing:review_edit",                "outsider",            "GET",  HIDDEN),
    ("reviewing:review_edit",                "nobody",              "GET",  HIDDEN),
    ("reviewing:review_edit",                "viewer",              "GET",  HIDDEN),
    ("reviewing:review_edit",                "editor",              "GET",  HIDDEN),
    ("reviewing:review_edit",                "owner",               "GET",  HIDDEN),
    ("reviewing:review_edit",                "officer",             "GET",  HIDDEN),
    ("reviewing:review_edit",                "reviewer",            "GET",  SHOWN),
    ("reviewing:review_edit",                "unassigned_reviewer", "GET",  HIDDEN),
    ("reviewing:review_edit",                "conflicted_reviewer", "GET",  HIDDEN),
    ("reviewing:review_edit",                "superuser",           "GET",  HIDDEN),
    ("reviewing:review_edit",                "anonymous",           "POST", LOGIN),
    ("reviewing:review_edit",                "outsider",            "POST", HIDDEN),
    ("reviewing:review_edit",                "nobody",              "POST", HIDDEN),
    ("reviewing:review_edit",                "viewer",              "POST", HIDDEN),
    ("reviewing:review_edit",                "editor",              "POST", HIDDEN),
    ("reviewing:review_edit",                "owner",               "POST", HIDDEN),
    ("reviewing:review_edit",                "officer",             "POST", HIDDEN),
    ("reviewing:review_edit",                "reviewer",            "POST", DONE),
    ("reviewing:review_edit",                "unassigned_reviewer", "POST", HIDDEN),
    ("reviewing:review_edit",                "conflicted_reviewer", "POST", HIDDEN),
    ("reviewing:review_edit",                "superuser",           "POST", HIDDEN),

    ("reviewing:assignment_document",        "anonymous",           "GET",  LOGIN),
    ("reviewing:assignment_document",        "outsider",            "GET",  HIDDEN),
    ("reviewing:assignment_document",        "nobody",              "GET",  HIDDEN),
    ("reviewing:assignment_document",        "viewer",              "GET",  HIDDEN),
    ("reviewing:assignment_document",        "editor",              "GET",  HIDDEN),
    ("reviewing:assignment_document",        "owner",               "GET",  HIDDEN),
    ("reviewing:assignment_document",        "officer",             "GET",  HIDDEN),
    ("reviewing:assignment_document",        "reviewer",            "GET",  SHOWN),
    ("reviewing:assignment_document",        "unassigned_reviewer", "GET",  HIDDEN),
    ("reviewing:assignment_document",        "conflicted_reviewer", "GET",  HIDDEN),
    ("reviewing:assignment_document",        "superuser",           "GET",  HIDDEN),

    # The programme office's pages: a plain 403 for anyone but a programme officer, a
    # superuser included. Pages that only take a POST answer 405 to a GET before asking who
    # is there.
    ("office:office_home",                   "anonymous",           "GET",  LOGIN),
    ("office:office_home",                   "outsider",            "GET",  DENIED),
    ("office:office_home",                   "nobody",              "GET",  DENIED),
    ("office:office_home",                   "viewer",              "GET",  DENIED),
    ("office:office_home",                   "editor",              "GET",  DENIED),
    ("office:office_home",                   "owner",               "GET",  DENIED),
    ("office:office_home",                   "officer",             "GET",  SHOWN),
    ("office:office_home",                   "reviewer",            "GET",  DENIED),
    ("office:office_home",                   "unassigned_reviewer", "GET",  DENIED),
    ("office:office_home",                   "conflicted_reviewer", "GET",  DENIED),
    ("office:office_home",                   "superuser",           "GET",  DENIED),

    ("reviewing:reviewer_pool",              "anonymous",           "GET",  LOGIN),
    ("reviewing:reviewer_pool",              "outsider",            "GET",  DENIED),
    ("reviewing:reviewer_pool",              "nobody",              "GET",  DENIED),
    ("reviewing:reviewer_pool",              "viewer",              "GET",  DENIED),
    ("reviewing:reviewer_pool",              "editor",              "GET",  DENIED),
    ("reviewing:reviewer_pool",              "owner",               "GET",  DENIED),
    ("reviewing:reviewer_pool",              "officer",             "GET",  SHOWN),
    ("reviewing:reviewer_pool",              "reviewer",            "GET",  DENIED),
    ("reviewing:reviewer_pool",              "unassigned_reviewer", "GET",  DENIED),
    ("reviewing:reviewer_pool",              "conflicted_reviewer", "GET",  DENIED),
    ("reviewing:reviewer_pool",              "superuser",           "GET",  DENIED),
    ("reviewing:reviewer_pool",              "anonymous",           "POST", LOGIN),
    ("reviewing:reviewer_pool",              "outsider",            "POST", DENIED),
    ("reviewing:reviewer_pool",              "nobody",              "POST", DENIED),
    ("reviewing:reviewer_pool",              "viewer",              "POST", DENIED),
    ("reviewing:reviewer_pool",              "editor",              "POST", DENIED),
    ("reviewing:reviewer_pool",              "owner",               "POST", DENIED),
    ("reviewing:reviewer_pool",              "officer",             "POST", DONE),
    ("reviewing:reviewer_pool",              "reviewer",            "POST", DENIED),
    ("reviewing:reviewer_pool",              "unassigned_reviewer", "POST", DENIED),
    ("reviewing:reviewer_pool",              "conflicted_reviewer", "POST", DENIED),
    ("reviewing:reviewer_pool",              "superuser",           "POST", DENIED),

    ("reviewing:reviewer_remove",            "anonymous",           "GET",  LOGIN),
    ("reviewing:reviewer_remove",            "outsider",            "GET",  DENIED),
    ("reviewing:reviewer_remove",            "nobody",              "GET",  DENIED),
    ("reviewing:reviewer_remove",            "viewer",              "GET",  DENIED),
    ("reviewing:reviewer_remove",            "editor",              "GET",  DENIED),
    ("reviewing:reviewer_remove",            "owner",               "GET",  DENIED),
    ("reviewing:reviewer_remove",            "officer",             "GET",  SHOWN),
    ("reviewing:reviewer_remove",            "reviewer",            "GET",  DENIED),
    ("reviewing:reviewer_remove",            "unassigned_reviewer", "GET",  DENIED),
    ("reviewing:reviewer_remove",            "conflicted_reviewer", "GET",  DENIED),
    ("reviewing:reviewer_remove",            "superuser",           "GET",  DENIED),
    ("reviewing:reviewer_remove",            "anonymous",           "POST", LOGIN),
    ("reviewing:reviewer_remove",            "outsider",            "POST", DENIED),
    ("reviewing:reviewer_remove",            "nobody",              "POST", DENIED),
    ("reviewing:reviewer_remove",            "viewer",              "POST", DENIED),
    ("reviewing:reviewer_remove",            "editor",              "POST", DENIED),
    ("reviewing:reviewer_remove",            "owner",               "POST", DENIED),
    ("reviewing:reviewer_remove",            "officer",             "POST", DONE),
    ("reviewing:reviewer_remove",            "reviewer",            "POST", DENIED),
    ("reviewing:reviewer_remove",            "unassigned_reviewer", "POST", DENIED),
    ("reviewing:reviewer_remove",            "conflicted_reviewer", "POST", DENIED),
    ("reviewing:reviewer_remove",            "superuser",           "POST", DENIED),

    ("reviewing:assignment_overview",        "anonymous",           "GET",  LOGIN),
    ("reviewing:assignment_overview",        "outsider",            "GET",  DENIED),
    ("reviewing:assignment_overview",        "nobody",              "GET",  DENIED),
    ("reviewing:assignment_overview",        "viewer",              "GET",  DENIED),
    ("reviewing:assignment_overview",        "editor",              "GET",  DENIED),
    ("reviewing:assignment_overview",        "owner",               "GET",  DENIED),
    ("reviewing:assignment_overview",        "officer",             "GET",  SHOWN),
    ("reviewing:assignment_overview",        "reviewer",            "GET",  DENIED),
    ("reviewing:assignment_overview",        "unassigned_reviewer", "GET",  DENIED),
    ("reviewing:assignment_overview",        "conflicted_reviewer", "GET",  DENIED),
    ("reviewing:assignment_overview",        "superuser",           "GET",  DENIED),

    ("reviewing:assignment_run_start",       "anonymous",           "GET",  LOGIN),
    ("reviewing:assignment_run_start",       "outsider",            "GET",  POST_ONLY),
    ("reviewing:assignment_run_start",       "nobody",              "GET",  POST_ONLY),
    ("reviewing:assignment_run_start",       "viewer",              "GET",  POST_ONLY),
    ("reviewing:assignment_run_start",       "editor",              "GET",  POST_ONLY),
    ("reviewing:assignment_run_start",       "owner",               "GET",  POST_ONLY),
    ("reviewing:assignment_run_start",       "officer",             "GET",  POST_ONLY),
    ("reviewing:assignment_run_start",       "reviewer",            "GET",  POST_ONLY),
    ("reviewing:assignment_run_start",       "unassigned_reviewer", "GET",  POST_ONLY),
    ("reviewing:assignment_run_start",       "conflicted_reviewer", "GET",  POST_ONLY),
    ("reviewing:assignment_run_start",       "superuser",           "GET",  POST_ONLY),
    ("reviewing:assignment_run_start",       "anonymous",           "POST", LOGIN),
    ("reviewing:assignment_run_start",       "outsider",            "POST", DENIED),
    ("reviewing:assignment_run_start",       "nobody",              "POST", DENIED),
    ("reviewing:assignment_run_start",       "viewer",              "POST", DENIED),
    ("reviewing:assignment_run_start",       "editor",              "POST", DENIED),
    ("reviewing:assignment_run_start",       "owner",               "POST", DENIED),
    ("reviewing:assignment_run_start",       "officer",             "POST", DONE),
    ("reviewing:assignment_run_start",       "reviewer",            "POST", DENIED),
    ("reviewing:assignment_run_start",       "unassigned_reviewer", "POST", DENIED),
    ("reviewing:assignment_run_start",       "conflicted_reviewer", "POST", DENIED),
    ("reviewing:assignment_run_start",       "superuser",           "POST", DENIED),

    ("reviewing:assignment_run",             "anonymous",           "GET",  LOGIN),
    ("reviewing:assignment_run",             "outsider",            "GET",  DENIED),
    ("reviewing:assignment_run",             "nobody",              "GET",  DENIED),
    ("reviewing:assignment_run",             "viewer",              "GET",  DENIED),
    ("reviewing:assignment_run",             "editor",              "GET",  DENIED),
    ("reviewing:assignment_run",             "owner",               "GET",  DENIED),
    ("reviewing:assignment_run",             "officer",             "GET",  SHOWN),
    ("reviewing:assignment_run",             "reviewer",            "GET",  DENIED),
    ("reviewing:assignment_run",             "unassigned_reviewer", "GET",  DENIED),
    ("reviewing:assignment_run",             "conflicted_reviewer", "GET",  DENIED),
    ("reviewing:assignment_run",             "superuser",           "GET",  DENIED),

    ("reviewing:letter_assign",              "anonymous",           "GET",  LOGIN),
    ("reviewing:letter_assign",              "outsider",            "GET",  DENIED),
    ("reviewing:letter_assign",              "nobody",              "GET",  DENIED),
    ("reviewing:letter_assign",              "viewer",              "GET",  DENIED),
    ("reviewing:letter_assign",              "editor",              "GET",  DENIED),
    ("reviewing:letter_assign",              "owner",               "GET",  DENIED),
    ("reviewing:letter_assign",              "officer",             "GET",  SHOWN),
    ("reviewing:letter_assign",              "reviewer",            "GET",  DENIED),
    ("reviewing:letter_assign",              "unassigned_reviewer", "GET",  DENIED),
    ("reviewing:letter_assign",              "conflicted_reviewer", "GET",  DENIED),
    ("reviewing:letter_assign",              "superuser",           "GET",  DENIED),
    ("reviewing:letter_assign",              "anonymous",           "POST", LOGIN),
    ("reviewing:letter_assign",              "outsider",            "POST", DENIED),
    ("reviewing:letter_assign",              "nobody",              "POST", DENIED),
    ("reviewing:letter_assign",              "viewer",              "POST", DENIED),
    ("reviewing:letter_assign",              "editor",              "POST", DENIED),
    ("reviewing:letter_assign",              "owner",               "POST", DENIED),
    ("reviewing:letter_assign",              "officer",             "POST", DONE),
    ("reviewing:letter_assign",              "reviewer",            "POST", DENIED),
    ("reviewing:letter_assign",              "unassigned_reviewer", "POST", DENIED),
    ("reviewing:letter_assign",              "conflicted_reviewer", "POST", DENIED),
    ("reviewing:letter_assign",              "superuser",           "POST", DENIED),

    ("reviewing:assignment_remove",          "anonymous",           "GET",  LOGIN),
    ("reviewing:assignment_remove",          "outsider",            "GET",  DENIED),
    ("reviewing:assignment_remove",          "nobody",              "GET",  DENIED),
    ("reviewing:assignment_remove",          "viewer",              "GET",  DENIED),
    ("reviewing:assignment_remove",          "editor",              "GET",  DENIED),
    ("reviewing:assignment_remove",          "owner",               "GET",  DENIED),
    ("reviewing:assignment_remove",          "officer",             "GET",  SHOWN),
    ("reviewing:assignment_remove",          "reviewer",            "GET",  DENIED),
    ("reviewing:assignment_remove",          "unassigned_reviewer", "GET",  DENIED),
    ("reviewing:assignment_remove",          "conflicted_reviewer", "GET",  DENIED),
    ("reviewing:assignment_remove",          "superuser",           "GET",  DENIED),
    ("reviewing:assignment_remove",          "anonymous",           "POST", LOGIN),
    ("reviewing:assignment_remove",          "outsider",            "POST", DENIED),
    ("reviewing:assignment_remove",          "nobody",              "POST", DENIED),
    ("reviewing:assignment_remove",          "viewer",              "POST", DENIED),
    ("reviewing:assignment_remove",          "editor",              "POST", DENIED),
    ("reviewing:assignment_remove",          "owner",               "POST", DENIED),
    ("reviewing:assignment_remove",          "officer",             "POST", DONE),
    ("reviewing:assignment_remove",          "reviewer",            "POST", DENIED),
    ("reviewing:assignment_remove",          "unassigned_reviewer", "POST", DENIED),
    ("reviewing:assignment_remove",          "conflicted_reviewer", "POST", DENIED),
    ("reviewing:assignment_remove",          "superuser",           "POST", DENIED),

    # The office's configuration of calls, extensions and the verification of organisations.
    ("office:call_create",                   "anonymous",           "GET",  LOGIN),
    ("office:call_create",                   "outsider",            "GET",  DENIED),
    ("office:call_create",                   "nobody",              "GET",  DENIED),
    ("office:call_create",                   "viewer",              "GET",  DENIED),
    ("office:call_create",                   "editor",              "GET",  DENIED),
    ("office:call_create",                   "owner",               "GET",  DENIED),
    ("office:call_create",                   "officer",             "GET",  SHOWN),
    ("office:call_create",                   "reviewer",            "GET",  DENIED),
    ("office:call_create",                   "unassigned_reviewer", "GET",  DENIED),
    ("office:call_create",                   "conflicted_reviewer", "GET",  DENIED),
    ("office:call_create",                   "superuser",           "GET",  DENIED),
    ("office:call_create",                   "anonymous",           "POST", LOGIN),
    ("office:call_create",                   "outsider",            "POST", DENIED),
    ("office:call_create",                   "nobody",              "POST", DENIED),
    ("office:call_create",                   "viewer",              "POST", DENIED),
    ("office:call_create",                   "editor",              "POST", DENIED),
    ("office:call_create",                   "owner",               "POST", DENIED),
    ("office:call_create",                   "officer",             "POST", DONE),
    ("office:call_create",                   "reviewer",            "POST", DENIED),
    ("office:call_create",                   "unassigned_reviewer", "POST", DENIED),
    ("office:call_create",                   "conflicted_reviewer", "POST", DENIED),
    ("office:call_create",                   "superuser",           "POST", DENIED),

    ("office:call_settings",                 "anonymous",           "GET",  LOGIN),
    ("office:call_settings",                 "outsider",            "GET",  DENIED),
    ("office:call_settings",                 "nobody",              "GET",  DENIED),
    ("office:call_settings",                 "viewer",              "GET",  DENIED),
    ("office:call_settings",                 "editor",              "GET",  DENIED),
    ("office:call_settings",                 "owner",               "GET",  DENIED),
    ("office:call_settings",                 "officer",             "GET",  SHOWN),
    ("office:call_settings",                 "reviewer",            "GET",  DENIED),
    ("office:call_settings",                 "unassigned_reviewer", "GET",  DENIED),
    ("office:call_settings",                 "conflicted_reviewer", "GET",  DENIED),
    ("office:call_settings",                 "superuser",           "GET",  DENIED),
    ("office:call_settings",                 "anonymous",           "POST", LOGIN),
    ("office:call_settings",                 "outsider",            "POST", DENIED),
    ("office:call_settings",                 "nobody",              "POST", DENIED),
    ("office:call_settings",                 "viewer",              "POST", DENIED),
    ("office:call_settings",                 "editor",              "POST", DENIED),
    ("office:call_settings",                 "owner",               "POST", DENIED),
    ("office:call_settings",                 "officer",             "POST", DONE),
    ("office:call_settings",                 "reviewer",            "POST", DENIED),
    ("office:call_settings",                 "unassigned_reviewer", "POST", DENIED),
    ("office:call_settings",                 "conflicted_reviewer", "POST", DENIED),
    ("office:call_settings",                 "superuser",           "POST", DENIED),

    ("office:call_modes",                    "anonymous",           "GET",  LOGIN),
    ("office:call_modes",                    "outsider",            "GET",  DENIED),
    ("office:call_modes",                    "nobody",              "GET",  DENIED),
    ("office:call_modes",                    "viewer",              "GET",  DENIED),
    ("office:call_modes",                    "editor",              "GET",  DENIED),
    ("office:call_modes",                    "owner",               "GET",  DENIED),
    ("office:call_modes",                    "officer",             "GET",  SHOWN),
    ("office:call_modes",                    "reviewer",            "GET",  DENIED),
    ("office:call_modes",                    "unassigned_reviewer", "GET",  DENIED),
    ("office:call_modes",                    "conflicted_reviewer", "GET",  DENIED),
    ("office:call_modes",                    "superuser",           "GET",  DENIED),
    ("office:call_modes",                    "anonymous",           "POST", LOGIN),
    ("office:call_modes",                    "outsider",            "POST", DENIED),
    ("office:call_modes",                    "nobody",              "POST", DENIED),
    ("office:call_modes",                    "viewer",              "POST", DENIED),
    ("office:call_modes",                    "editor",              "POST", DENIED),
    ("office:call_modes",                    "owner",               "POST", DENIED),
    ("office:call_modes",                    "officer",             "POST", DONE),
    ("office:call_modes",                    "reviewer",            "POST", DENIED),
    ("office:call_modes",                    "unassigned_reviewer", "POST", DENIED),
    ("office:call_modes",                    "conflicted_reviewer", "POST", DENIED),
    ("office:call_modes",                    "superuser",           "POST", DENIED),

    ("office:call_document_types",           "anonymous",           "GET",  LOGIN),
    ("office:call_document_types",           "outsider",            "GET",  DENIED),
    ("office:call_document_types",           "nobody",              "GET",  DENIED),
    ("office:call_document_types",           "viewer",              "GET",  DENIED),
    ("office:call_document_types",           "editor",              "GET",  DENIED),
    ("office:call_document_types",           "owner",               "GET",  DENIED),
    ("office:call_document_types",           "officer",             "GET",  SHOWN),
    ("office:call_document_types",           "reviewer",            "GET",  DENIED),
    ("office:call_document_types",           "unassigned_reviewer", "GET",  DENIED),
    ("office:call_document_types",           "conflicted_reviewer", "GET",  DENIED),
    ("office:call_document_types",           "superuser",           "GET",  DENIED),
    ("office:call_document_types",           "anonymous",           "POST", LOGIN),
    ("office:call_document_types",           "outsider",            "POST", DENIED),
    ("office:call_document_types",           "nobody",              "POST", DENIED),
    ("office:call_document_types",           "viewer",              "POST", DENIED),
    ("office:call_document_types",           "editor",              "POST", DENIED),
    ("office:call_document_types",           "owner",               "POST", DENIED),
    ("office:call_document_types",           "officer",             "POST", DONE),
    ("office:call_document_types",           "reviewer",            "POST", DENIED),
    ("office:call_document_types",           "unassigned_reviewer", "POST", DENIED),
    ("office:call_document_types",           "conflicted_reviewer", "POST", DENIED),
    ("office:call_document_types",           "superuser",           "POST", DENIED),

    ("office:call_rubric",                   "anonymous",           "GET",  LOGIN),
    ("office:call_rubric",                   "outsider",            "GET",  DENIED),
    ("office:call_rubric",                   "nobody",              "GET",  DENIED),
    ("office:call_rubric",                   "viewer",              "GET",  DENIED),
    ("office:call_rubric",                   "editor",              "GET",  DENIED),
    ("office:call_rubric",                   "owner",               "GET",  DENIED),
    ("office:call_rubric",                   "officer",             "GET",  SHOWN),
    ("office:call_rubric",                   "reviewer",            "GET",  DENIED),
    ("office:call_rubric",                   "unassigned_reviewer", "GET",  DENIED),
    ("office:call_rubric",                   "conflicted_reviewer", "GET",  DENIED),
    ("office:call_rubric",                   "superuser",           "GET",  DENIED),
    ("office:call_rubric",                   "anonymous",           "POST", LOGIN),
    ("office:call_rubric",                   "outsider",            "POST", DENIED),
    ("office:call_rubric",                   "nobody",              "POST", DENIED),
    ("office:call_rubric",                   "viewer",              "POST", DENIED),
    ("office:call_rubric",                   "editor",              "POST", DENIED),
    ("office:call_rubric",                   "owner",               "POST", DENIED),
    ("office:call_rubric",                   "officer",             "POST", DONE),
    ("office:call_rubric",                   "reviewer",            "POST", DENIED),
    ("office:call_rubric",                   "unassigned_reviewer", "POST", DENIED),
    ("office:call_rubric",                   "conflicted_reviewer", "POST", DENIED),
    ("office:call_rubric",                   "superuser",           "POST", DENIED),

    ("office:extensions",                    "anonymous",           "GET",  LOGIN),
    ("office:extensions",                    "outsider",            "GET",  DENIED),
    ("office:extensions",                    "nobody",              "GET",  DENIED),
    ("office:extensions",                    "viewer",              "GET",  DENIED),
    ("office:extensions",                    "editor",              "GET",  DENIED),
    ("office:extensions",                    "owner",               "GET",  DENIED),
    ("office:extensions",                    "officer",             "GET",  SHOWN),
    ("office:extensions",                    "reviewer",            "GET",  DENIED),
    ("office:extensions",                    "unassigned_reviewer", "GET",  DENIED),
    ("office:extensions",                    "conflicted_reviewer", "GET",  DENIED),
    ("office:extensions",                    "superuser",           "GET",  DENIED),
    ("office:extensions",                    "anonymous",           "POST", LOGIN),
    ("office:extensions",                    "outsider",            "POST", DENIED),
    ("office:extensions",                    "nobody",              "POST", DENIED),
    ("office:extensions",                    "viewer",              "POST", DENIED),
    ("office:extensions",                    "editor",              "POST", DENIED),
    ("office:extensions",                    "owner",               "POST", DENIED),
    ("office:extensions",                    "officer",             "POST", DONE),
    ("office:extensions",                    "reviewer",            "POST", DENIED),
    ("office:extensions",                    "unassigned_reviewer", "POST", DENIED),
    ("office:extensions",                    "conflicted_reviewer", "POST", DENIED),
    ("office:extensions",                    "superuser",           "POST", DENIED),

    ("office:extension_remove",              "anonymous",           "GET",  LOGIN),
    ("office:extension_remove",              "outsider",            "GET",  DENIED),
    ("office:extension_remove",              "nobody",              "GET",  DENIED),
    ("office:extension_remove",              "viewer",              "GET",  DENIED),
    ("office:extension_remove",              "editor",              "GET",  DENIED),
    ("office:extension_remove",              "owner",               "GET",  DENIED),
    ("office:extension_remove",              "officer",             "GET",  SHOWN),
    ("office:extension_remove",              "reviewer",            "GET",  DENIED),
    ("office:extension_remove",              "unassigned_reviewer", "GET",  DENIED),
    ("office:extension_remove",              "conflicted_reviewer", "GET",  DENIED),
    ("office:extension_remove",              "superuser",           "GET",  DENIED),
    ("office:extension_remove",              "anonymous",           "POST", LOGIN),
    ("office:extension_remove",              "outsider",            "POST", DENIED),
    ("office:extension_remove",              "nobody",              "POST", DENIED),
    ("office:extension_remove",              "viewer",              "POST", DENIED),
    ("office:extension_remove",              "editor",              "POST", DENIED),
    ("office:extension_remove",              "owner",               "POST", DENIED),
    ("office:extension_remove",              "officer",             "POST", DONE),
    ("office:extension_remove",              "reviewer",            "POST", DENIED),
    ("office:extension_remove",              "unassigned_reviewer", "POST", DENIED),
    ("office:extension_remove",              "conflicted_reviewer", "POST", DENIED),
    ("office:extension_remove",              "superuser",           "POST", DENIED),

    ("office:office_organisations",          "anonymous",           "GET",  LOGIN),
    ("office:office_organisations",          "outsider",            "GET",  DENIED),
    ("office:office_organisations",          "nobody",              "GET",  DENIED),
    ("office:office_organisations",          "viewer",              "GET",  DENIED),
    ("office:office_organisations",          "editor",              "GET",  DENIED),
    ("office:office_organisations",          "owner",               "GET",  DENIED),
    ("office:office_organisations",          "officer",             "GET",  SHOWN),
    ("office:office_organisations",          "reviewer",            "GET",  DENIED),
    ("office:office_organisations",          "unassigned_reviewer", "GET",  DENIED),
    ("office:office_organisations",          "conflicted_reviewer", "GET",  DENIED),
    ("office:office_organisations",          "superuser",           "GET",  DENIED),

    ("office:organisation_verification",     "anonymous",           "GET",  LOGIN),
    ("office:organisation_verification",     "outsider",            "GET",  DENIED),
    ("office:organisation_verification",     "nobody",              "GET",  DENIED),
    ("office:organisation_verification",     "viewer",              "GET",  DENIED),
    ("office:organisation_verification",     "editor",              "GET",  DENIED),
    ("office:organisation_verification",     "owner",               "GET",  DENIED),
    ("office:organisation_verification",     "officer",             "GET",  SHOWN),
    ("office:organisation_verification",     "reviewer",            "GET",  DENIED),
    ("office:organisation_verification",     "unassigned_reviewer", "GET",  DENIED),
    ("office:organisation_verification",     "conflicted_reviewer", "GET",  DENIED),
    ("office:organisation_verification",     "superuser",           "GET",  DENIED),
    ("office:organisation_verification",     "anonymous",           "POST", LOGIN),
    ("office:organisation_verification",     "outsider",            "POST", DENIED),
    ("office:organisation_verification",     "nobody",              "POST", DENIED),
    ("office:organisation_verification",     "viewer",              "POST", DENIED),
    ("office:organisation_verification",     "editor",              "POST", DENIED),
    ("office:organisation_verification",     "owner",               "POST", DENIED),
    ("office:organisation_verification",     "officer",             "POST", DONE),
    ("office:organisation_verification",     "reviewer",            "POST", DENIED),
    ("office:organisation_verification",     "unassigned_reviewer", "POST", DENIED),
    ("office:organisation_verification",     "conflicted_reviewer", "POST", DENIED),
    ("office:organisation_verification",     "superuser",           "POST", DENIED),

    # The office watches the cycle, reads the filed letters and ranks them. Pages that only
    # show something are listed for GET alone. A draft is not found on the office's letter
    # pages (test_the_office_cannot_open_or_decide_on_a_draft).
    ("office:dashboard",                     "anonymous",           "GET",  LOGIN),
    ("office:dashboard",                     "outsider",            "GET",  DENIED),
    ("office:dashboard",                     "nobody",              "GET",  DENIED),
    ("office:dashboard",                     "viewer",              "GET",  DENIED),
    ("office:dashboard",                     "editor",              "GET",  DENIED),
    ("office:dashboard",                     "owner",               "GET",  DENIED),
    ("office:dashboard",                     "officer",             "GET",  SHOWN),
    ("office:dashboard",                     "reviewer",            "GET",  DENIED),
    ("office:dashboard",                     "unassigned_reviewer", "GET",  DENIED),
    ("office:dashboard",                     "conflicted_reviewer", "GET",  DENIED),
    ("office:dashboard",                     "superuser",           "GET",  DENIED),

    ("office:office_letters",                "anonymous",           "GET",  LOGIN),
    ("office:office_letters",                "outsider",            "GET",  DENIED),
    ("office:office_letters",                "nobody",              "GET",  DENIED),
    ("office:office_letters",                "viewer",              "GET",  DENIED),
    ("office:office_letters",                "editor",              "GET",  DENIED),
    ("office:office_letters",                "owner",               "GET",  DENIED),
    ("office:office_letters",                "officer",             "GET",  SHOWN),
    ("office:office_letters",                "reviewer",            "GET",  DENIED),
    ("office:office_letters",                "unassigned_reviewer", "GET",  DENIED),
    ("office:office_letters",                "conflicted_reviewer", "GET",  DENIED),
    ("office:office_letters",                "superuser",           "GET",  DENIED),

    ("office:office_letter",                 "anonymous",           "GET",  LOGIN),
    ("office:office_letter",                 "outsider",            "GET",  DENIED),
    ("office:office_letter",                 "nobody",              "GET",  DENIED),
    ("office:office_letter",                 "viewer",              "GET",  DENIED),
    ("office:office_letter",                 "editor",              "GET",  DENIED),
    ("office:office_letter",                 "owner",               "GET",  DENIED),
    ("office:office_letter",                 "officer",             "GET",  SHOWN),
    ("office:office_letter",                 "reviewer",            "GET",  DENIED),
    ("office:office_letter",                 "unassigned_reviewer", "GET",  DENIED),
    ("office:office_letter",                 "conflicted_reviewer", "GET",  DENIED),
    ("office:office_letter",                 "superuser",           "GET",  DENIED),

    ("office:ranking",                       "anonymous",           "GET",  LOGIN),
    ("office:ranking",                       "outsider",            "GET",  DENIED),
    ("office:ranking",                       "nobody",              "GET",  DENIED),
    ("office:ranking",                       "viewer",              "GET",  DENIED),
    ("office:ranking",                       "editor",              "GET",  DENIED),
    ("office:ranking",                       "owner",               "GET",  DENIED),
    ("office:ranking",                       "officer",             "GET",  SHOWN),
    ("office:ranking",                       "reviewer",            "GET",  DENIED),
    ("office:ranking",                       "unassigned_reviewer", "GET",  DENIED),
    ("office:ranking",                       "conflicted_reviewer", "GET",  DENIED),
    ("office:ranking",                       "superuser",           "GET",  DENIED),

    # The office decides, one letter at a time or in bulk, and releases the decisions.
    ("office:letter_decision",               "anonymous",           "GET",  LOGIN),
    ("office:letter_decision",               "outsider",            "GET",  DENIED),
    ("office:letter_decision",               "nobody",              "GET",  DENIED),
    ("office:letter_decision",               "viewer",              "GET",  DENIED),
    ("office:letter_decision",               "editor",              "GET",  DENIED),
    ("office:letter_decision",               "owner",               "GET",  DENIED),
    ("office:letter_decision",               "officer",             "GET",  SHOWN),
    ("office:letter_decision",               "reviewer",            "GET",  DENIED),
    ("office:letter_decision",               "unassigned_reviewer", "GET",  DENIED),
    ("office:letter_decision",               "conflicted_reviewer", "GET",  DENIED),
    ("office:letter_decision",               "superuser",           "GET",  DENIED),
    ("office:letter_decision",               "anonymous",           "POST", LOGIN),
    ("office:letter_decision",               "outsider",            "POST", DENIED),
    ("office:letter_decision",               "nobody",              "POST", DENIED),
    ("office:letter_decision",               "viewer",              "POST", DENIED),
    ("office:letter_decision",               "editor",              "POST", DENIED),
    ("office:letter_decision",               "owner",               "POST", DENIED),
    ("office:letter_decision",               "officer",             "POST", DONE),
    ("office:letter_decision",               "reviewer",            "POST", DENIED),
    ("office:letter_decision",               "unassigned_reviewer", "POST", DENIED),
    ("office:letter_decision",               "conflicted_reviewer", "POST", DENIED),
    ("office:letter_decision",               "superuser",           "POST", DENIED),

    ("office:decisions_bulk",                "anonymous",           "GET",  LOGIN),
    ("office:decisions_bulk",                "outsider",            "GET",  POST_ONLY),
    ("office:decisions_bulk",                "nobody",              "GET",  POST_ONLY),
    ("office:decisions_bulk",                "viewer",              "GET",  POST_ONLY),
    ("office:decisions_bulk",                "editor",              "GET",  POST_ONLY),
    ("office:decisions_bulk",                "owner",               "GET",  POST_ONLY),
    ("office:decisions_bulk",                "officer",             "GET",  POST_ONLY),
    ("office:decisions_bulk",                "reviewer",            "GET",  POST_ONLY),
    ("office:decisions_bulk",                "unassigned_reviewer", "GET",  POST_ONLY),
    ("office:decisions_bulk",                "conflicted_reviewer", "GET",  POST_ONLY),
    ("office:decisions_bulk",                "superuser",           "GET",  POST_ONLY),
    ("office:decisions_bulk",                "anonymous",           "POST", LOGIN),
    ("office:decisions_bulk",                "outsider",            "POST", DENIED),
    ("office:decisions_bulk",                "nobody",              "POST", DENIED),
    ("office:decisions_bulk",                "viewer",              "POST", DENIED),
    ("office:decisions_bulk",                "editor",              "POST", DENIED),
    ("office:decisions_bulk",                "owner",               "POST", DENIED),
    ("office:decisions_bulk",                "officer",             "POST", DONE),
    ("office:decisions_bulk",                "reviewer",            "POST", DENIED),
    ("office:decisions_bulk",                "unassigned_reviewer", "POST", DENIED),
    ("office:decisions_bulk",                "conflicted_reviewer", "POST", DENIED),
    ("office:decisions_bulk",                "superuser",           "POST", DENIED),

    ("office:decisions_release",             "anonymous",           "GET",  LOGIN),
    ("office:decisions_release",             "outsider",            "GET",  DENIED),
    ("office:decisions_release",             "nobody",              "GET",  DENIED),
    ("office:decisions_release",             "viewer",              "GET",  DENIED),
    ("office:decisions_release",             "editor",              "GET",  DENIED),
    ("office:decisions_release",             "owner",               "GET",  DENIED),
    ("office:decisions_release",             "officer",             "GET",  SHOWN),
    ("office:decisions_release",             "reviewer",            "GET",  DENIED),
    ("office:decisions_release",             "unassigned_reviewer", "GET",  DENIED),
    ("office:decisions_release",             "conflicted_reviewer", "GET",  DENIED),
    ("office:decisions_release",             "superuser",           "GET",  DENIED),
    ("office:decisions_release",             "anonymous",           "POST", LOGIN),
    ("office:decisions_release",             "outsider",            "POST", DENIED),
    ("office:decisions_release",             "nobody",              "POST", DENIED),
    ("office:decisions_release",             "viewer",              "POST", DENIED),
    ("office:decisions_release",             "editor",              "POST", DENIED),
    ("office:decisions_release",             "owner",               "POST", DENIED),
    ("office:decisions_release",             "officer",             "POST", DONE),
    ("office:decisions_release",             "reviewer",            "POST", DENIED),
    ("office:decisions_release",             "unassigned_reviewer", "POST", DENIED),
    ("office:decisions_release",             "conflicted_reviewer", "POST", DENIED),
    ("office:decisions_release",             "superuser",           "POST", DENIED),

    # The office's exports and its audit log. A download is written to the audit log, which
    # is not part of state(): it records that someone looked, it does not change anything.
    ("office:exports",                       "anonymous",           "GET",  LOGIN),
    ("office:exports",                       "outsider",            "GET",  DENIED),
    ("office:exports",                       "nobody",              "GET",  DENIED),
    ("office:exports",                       "viewer",              "GET",  DENIED),
    ("office:exports",                       "editor",              "GET",  DENIED),
    ("office:exports",                       "owner",               "GET",  DENIED),
    ("office:exports",                       "officer",             "GET",  SHOWN),
    ("office:exports",                       "reviewer",            "GET",  DENIED),
    ("office:exports",                       "unassigned_reviewer", "GET",  DENIED),
    ("office:exports",                       "conflicted_reviewer", "GET",  DENIED),
    ("office:exports",                       "superuser",           "GET",  DENIED),

    ("office:export_table",                  "anonymous",           "GET",  LOGIN),
    ("office:export_table",                  "outsider",            "GET",  DENIED),
    ("office:export_table",                  "nobody",              "GET",  DENIED),
    ("office:export_table",                  "viewer",              "GET",  DENIED),
    ("office:export_table",                  "editor",              "GET",  DENIED),
    ("office:export_table",                  "owner",               "GET",  DENIED),
    ("office:export_table",                  "officer",             "GET",  SHOWN),
    ("office:export_table",                  "reviewer",            "GET",  DENIED),
    ("office:export_table",                  "unassigned_reviewer", "GET",  DENIED),
    ("office:export_table",                  "conflicted_reviewer", "GET",  DENIED),
    ("office:export_table",                  "superuser",           "GET",  DENIED),

    ("office:export_documents",              "anonymous",           "GET",  LOGIN),
    ("office:export_documents",              "outsider",            "GET",  POST_ONLY),
    ("office:export_documents",              "nobody",              "GET",  POST_ONLY),
    ("office:export_documents",              "viewer",              "GET",  POST_ONLY),
    ("office:export_documents",              "editor",              "GET",  POST_ONLY),
    ("office:export_documents",              "owner",               "GET",  POST_ONLY),
    ("office:export_documents",              "officer",             "GET",  POST_ONLY),
    ("office:export_documents",              "reviewer",            "GET",  POST_ONLY),
    ("office:export_documents",              "unassigned_reviewer", "GET",  POST_ONLY),
    ("office:export_documents",              "conflicted_reviewer", "GET",  POST_ONLY),
    ("office:export_documents",              "superuser",           "GET",  POST_ONLY),
    ("office:export_documents",              "anonymous",           "POST", LOGIN),
    ("office:export_documents",              "outsider",            "POST", DENIED),
    ("office:export_documents",              "nobody",              "POST", DENIED),
    ("office:export_documents",              "viewer",              "POST", DENIED),
    ("office:export_documents",              "editor",              "POST", DENIED),
    ("office:export_documents",              "owner",               "POST", DENIED),
    ("office:export_documents",              "officer",             "POST", DONE),
    ("office:export_documents",              "reviewer",            "POST", DENIED),
    ("office:export_documents",              "unassigned_reviewer", "POST", DENIED),
    ("office:export_documents",              "conflicted_reviewer", "POST", DENIED),
    ("office:export_documents",              "superuser",           "POST", DENIED),

    ("office:export_detail",                 "anonymous",           "GET",  LOGIN),
    ("office:export_detail",                 "outsider",            "GET",  DENIED),
    ("office:export_detail",                 "nobody",              "GET",  DENIED),
    ("office:export_detail",                 "viewer",              "GET",  DENIED),
    ("office:export_detail",                 "editor",              "GET",  DENIED),
    ("office:export_detail",                 "owner",               "GET",  DENIED),
    ("office:export_detail",                 "officer",             "GET",  SHOWN),
    ("office:export_detail",                 "reviewer",            "GET",  DENIED),
    ("office:export_detail",                 "unassigned_reviewer", "GET",  DENIED),
    ("office:export_detail",                 "conflicted_reviewer", "GET",  DENIED),
    ("office:export_detail",                 "superuser",           "GET",  DENIED),

    ("office:export_download",               "anonymous",           "GET",  LOGIN),
    ("office:export_download",               "outsider",            "GET",  DENIED),
    ("office:export_download",               "nobody",              "GET",  DENIED),
    ("office:export_download",               "viewer",              "GET",  DENIED),
    ("office:export_download",               "editor",              "GET",  DENIED),
    ("office:export_download",               "owner",               "GET",  DENIED),
    ("office:export_download",               "officer",             "GET",  SHOWN),
    ("office:export_download",               "reviewer",            "GET",  DENIED),
    ("office:export_download",               "unassigned_reviewer", "GET",  DENIED),
    ("office:export_download",               "conflicted_reviewer", "GET",  DENIED),
    ("office:export_download",               "superuser",           "GET",  DENIED),

    ("office:audit_log",                     "anonymous",           "GET",  LOGIN),
    ("office:audit_log",                     "outsider",            "GET",  DENIED),
    ("office:audit_log",                     "nobody",              "GET",  DENIED),
    ("office:audit_log",                     "viewer",              "GET",  DENIED),
    ("office:audit_log",                     "editor",              "GET",  DENIED),
    ("office:audit_log",                     "owner",               "GET",  DENIED),
    ("office:audit_log",                     "officer",             "GET",  SHOWN),
    ("office:audit_log",                     "reviewer",            "GET",  DENIED),
    ("office:audit_log",                     "unassigned_reviewer", "GET",  DENIED),
    ("office:audit_log",                     "conflicted_reviewer", "GET",  DENIED),
    ("office:audit_log",                     "superuser",           "GET",  DENIED),

    ("office:audit_csv",                     "anonymous",           "GET",  LOGIN),
    ("office:audit_csv",                     "outsider",            "GET",  DENIED),
    ("office:audit_csv",                     "nobody",              "GET",  DENIED),
    ("office:audit_csv",                     "viewer",              "GET",  DENIED),
    ("office:audit_csv",                     "editor",              "GET",  DENIED),
    ("office:audit_csv",                     "owner",               "GET",  DENIED),
    ("office:audit_csv",                     "officer",             "GET",  SHOWN),
    ("office:audit_csv",                     "reviewer",            "GET",  DENIED),
    ("office:audit_csv",                     "unassigned_reviewer", "GET",  DENIED),
    ("office:audit_csv",                     "conflicted_reviewer", "GET",  DENIED),
    ("office:audit_csv",                     "superuser",           "GET",  DENIED),

    # The outbox (never the bodies: they hold sign-in links), its resend buttons and the beat
    # schedule: the office's pages like the others, whatever the admin lets a superuser read.
    ("notifications:outbox",                 "anonymous",           "GET",  LOGIN),
    ("notifications:outbox",                 "outsider",            "GET",  DENIED),
    ("notifications:outbox",                 "nobody",              "GET",  DENIED),
    ("notifications:outbox",                 "viewer",              "GET",  DENIED),
    ("notifications:outbox",                 "editor",              "GET",  DENIED),
    ("notifications:outbox",                 "owner",               "GET",  DENIED),
    ("notifications:outbox",                 "officer",             "GET",  SHOWN),
    ("notifications:outbox",                 "reviewer",            "GET",  DENIED),
    ("notifications:outbox",                 "unassigned_reviewer", "GET",  DENIED),
    ("notifications:outbox",                 "conflicted_reviewer", "GET",  DENIED),
    ("notifications:outbox",                 "superuser",           "GET",  DENIED),

    ("notifications:schedule",               "anonymous",           "GET",  LOGIN),
    ("notifications:schedule",               "outsider",            "GET",  DENIED),
    ("notifications:schedule",               "nobody",              "GET",  DENIED),
    ("notifications:schedule",               "viewer",              "GET",  DENIED),
    ("notifications:schedule",               "editor",              "GET",  DENIED),
    ("notifications:schedule",               "owner",               "GET",  DENIED),
    ("notifications:schedule",               "officer",             "GET",  SHOWN),
    ("notifications:schedule",               "reviewer",            "GET",  DENIED),
    ("notifications:schedule",               "unassigned_reviewer", "GET",  DENIED),
    ("notifications:schedule",               "conflicted_reviewer", "GET",  DENIED),
    ("notifications:schedule",               "superuser",           "GET",  DENIED),

    ("notifications:resend",                 "anonymous",           "GET",  LOGIN),
    ("notifications:resend",                 "outsider",            "GET",  POST_ONLY),
    ("notifications:resend",                 "nobody",              "GET",  POST_ONLY),
    ("notifications:resend",                 "viewer",              "GET",  POST_ONLY),
    ("notifications:resend",                 "editor",              "GET",  POST_ONLY),
    ("notifications:resend",                 "owner",               "GET",  POST_ONLY),
    ("notifications:resend",                 "officer",             "GET",  POST_ONLY),
    ("notifications:resend",                 "reviewer",            "GET",  POST_ONLY),
    ("notifications:resend",                 "unassigned_reviewer", "GET",  POST_ONLY),
    ("notifications:resend",                 "conflicted_reviewer", "GET",  POST_ONLY),
    ("notifications:resend",                 "superuser",           "GET",  POST_ONLY),
    ("notifications:resend",                 "anonymous",           "POST", LOGIN),
    ("notifications:resend",                 "outsider",            "POST", DENIED),
    ("notifications:resend",                 "nobody",              "POST", DENIED),
    ("notifications:resend",                 "viewer",              "POST", DENIED),
    ("notifications:resend",                 "editor",              "POST", DENIED),
    ("notifications:resend",                 "owner",               "POST", DENIED),
    ("notifications:resend",                 "officer",             "POST", DONE),
    ("notifications:resend",                 "reviewer",            "POST", DENIED),
    ("notifications:resend",                 "unassigned_reviewer", "POST", DENIED),
    ("notifications:resend",                 "conflicted_reviewer", "POST", DENIED),
    ("notifications:resend",                 "superuser",           "POST", DENIED),

    ("notifications:resend_failed",          "anonymous",           "GET",  LOGIN),
    ("notifications:resend_failed",          "outsider",            "GET",  POST_ONLY),
    ("notifications:resend_failed",          "nobody",              "GET",  POST_ONLY),
    ("notifications:resend_failed",          "viewer",              "GET",  POST_ONLY),
    ("notifications:resend_failed",          "editor",              "GET",  POST_ONLY),
    ("notifications:resend_failed",          "owner",               "GET",  POST_ONLY),
    ("notifications:resend_failed",          "officer",             "GET",  POST_ONLY),
    ("notifications:resend_failed",          "reviewer",            "GET",  POST_ONLY),
    ("notifications:resend_failed",          "unassigned_reviewer", "GET",  POST_ONLY),
    ("notifications:resend_failed",          "conflicted_reviewer", "GET",  POST_ONLY),
    ("notifications:resend_failed",          "superuser",           "GET",  POST_ONLY),
    ("notifications:resend_failed",          "anonymous",           "POST", LOGIN),
    ("notifications:resend_failed",          "outsider",            "POST", DENIED),
    ("notifications:resend_failed",          "nobody",              "POST", DENIED),
    ("notifications:resend_failed",          "viewer",              "POST", DENIED),
    ("notifications:resend_failed",          "editor",              "POST", DENIED),
    ("notifications:resend_failed",          "owner",               "POST", DENIED),
    ("notifications:resend_failed",          "officer",             "POST", DONE),
    ("notifications:resend_failed",          "reviewer",            "POST", DENIED),
    ("notifications:resend_failed",          "unassigned_reviewer", "POST", DENIED),
    ("notifications:resend_failed",          "conflicted_reviewer", "POST", DENIED),
    ("notifications:resend_failed",          "superuser",           "POST", DENIED),

    # Django's admin, for raw data. "admin:*" stands for each page of the admin that has no
    # row of its own below for that role and method. Only staff get in: the programme officer
    # (staff with the "Programme office" group, as seed_demo makes them) and the superuser;
    # everyone else is sent to the admin's sign-in page.
    ("admin:*",                                      "anonymous",           "GET",  ADMIN_LOGIN),
    ("admin:*",                                      "outsider",            "GET",  ADMIN_LOGIN),
    ("admin:*",                                      "nobody",              "GET",  ADMIN_LOGIN),
    ("admin:*",                                      "viewer",              "GET",  ADMIN_LOGIN),
    ("admin:*",                                      "editor",              "GET",  ADMIN_LOGIN),
    ("admin:*",                                      "owner",               "GET",  ADMIN_LOGIN),
    ("admin:*",                                      "officer",             "GET",  DENIED),
    ("admin:*",                                      "reviewer",            "GET",  ADMIN_LOGIN),
    ("admin:*",                                      "unassigned_reviewer", "GET",  ADMIN_LOGIN),
    ("admin:*",                                      "conflicted_reviewer", "GET",  ADMIN_LOGIN),
    ("admin:*",                                      "superuser",           "GET",  SHOWN),
    ("admin:*",                                      "anonymous",           "POST", ADMIN_LOGIN),
    ("admin:*",                                      "outsider",            "POST", ADMIN_LOGIN),
    ("admin:*",                                      "nobody",              "POST", ADMIN_LOGIN),
    ("admin:*",                                      "viewer",              "POST", ADMIN_LOGIN),
    ("admin:*",                                      "editor",              "POST", ADMIN_LOGIN),
    ("admin:*",                                      "owner",               "POST", ADMIN_LOGIN),
    ("admin:*",                                      "officer",             "POST", DENIED),
    ("admin:*",                                      "reviewer",            "POST", ADMIN_LOGIN),
    ("admin:*",                                      "unassigned_reviewer", "POST", ADMIN_LOGIN),
    ("admin:*",                                      "conflicted_reviewer", "POST", ADMIN_LOGIN),
    ("admin:*",                                      "superuser",           "POST", SHOWN),

    # The admin's sign-in page sends visitors to the portal's (one sign-in, with its second
    # step), refuses whoever is signed in but not staff, and sends staff on to the admin.
    ("admin:login",                                  "anonymous",           "GET",  LOGIN),
    ("admin:login",                                  "outsider",            "GET",  DENIED),
    ("admin:login",                                  "nobody",              "GET",  DENIED),
    ("admin:login",                                  "viewer",              "GET",  DENIED),
    ("admin:login",                                  "editor",              "GET",  DENIED),
    ("admin:login",                                  "owner",               "GET",  DENIED),
    ("admin:login",                                  "officer",             "GET",  REDIRECT),
    ("admin:login",                                  "reviewer",            "GET",  DENIED),
    ("admin:login",                                  "unassigned_reviewer", "GET",  DENIED),
    ("admin:login",                                  "conflicted_reviewer", "GET",  DENIED),
    ("admin:login",                                  "superuser",           "GET",  REDIRECT),
    ("admin:login",                                  "anonymous",           "POST", LOGIN),
    ("admin:login",                                  "outsider",            "POST", DENIED),
    ("admin:login",                                  "nobody",              "POST", DENIED),
    ("admin:login",                                  "viewer",              "POST", DENIED),
    ("admin:login",                                  "editor",              "POST", DENIED),
    ("admin:login",                                  "owner",               "POST", DENIED),
    ("admin:login",                                  "officer",             "POST", SHOWN),
    ("admin:login",                                  "reviewer",            "POST", DENIED),
    ("admin:login",                                  "unassigned_reviewer", "POST", DENIED),
    ("admin:login",                                  "conflicted_reviewer", "POST", DENIED),

    # Signing out of the admin takes a POST; whoever is not staff is sent to the admin's
    # index, and from there to sign in.
    ("admin:logout",                                 "anonymous",           "GET",  REDIRECT),
    ("admin:logout",                                 "outsider",            "GET",  REDIRECT),
    ("admin:logout",                                 "nobody",              "GET",  REDIRECT),
    ("admin:logout",                                 "viewer",              "GET",  REDIRECT),
    ("admin:logout",                                 "editor",              "GET",  REDIRECT),
    ("admin:logout",                                 "owner",               "GET",  REDIRECT),
    ("admin:logout",                                 "officer",             "GET",  POST_ONLY),
    ("admin:logout",                                 "reviewer",            "GET",  REDIRECT),
    ("admin:logout",                                 "unassigned_reviewer", "GET",  REDIRECT),
    ("admin:logout",                                 "conflicted_reviewer", "GET",  REDIRECT),
    ("admin:logout",                                 "superuser",           "GET",  POST_ONLY),
    ("admin:logout",                                 "anonymous",           "POST", REDIRECT),
    ("admin:logout",                                 "outsider",            "POST", REDIRECT),
    ("admin:logout",                                 "nobody",              "POST", REDIRECT),
    ("admin:logout",                                 "viewer",              "POST", REDIRECT),
    ("admin:logout",                                 "editor",              "POST", REDIRECT),
    ("admin:logout",                                 "owner",               "POST", REDIRECT),
    ("admin:logout",                                 "officer",             "POST", SHOWN),
    ("admin:logout",                                 "reviewer",            "POST", REDIRECT),
    ("admin:logout",                                 "unassigned_reviewer", "POST", REDIRECT),
    ("admin:logout",                                 "conflicted_reviewer", "POST", REDIRECT),

    # The admin's own pages. Those that take no form answer 405 to a POST; the autocomplete
    # refuses a request without its parameters; "view on site" sends staff to the object's
    # page on the portal, which checks who may see it.
    ("admin:index",                                  "officer",             "GET",  SHOWN),
    ("admin:index",                                  "officer",             "POST", SHOWN),

    ("admin:app_list",                               "officer",             "GET",  SHOWN),
    ("admin:app_list",                               "officer",             "POST", SHOWN),

    ("admin:password_change",                        "officer",             "GET",  SHOWN),
    ("admin:password_change",                        "officer",             "POST", SHOWN),

    ("admin:password_change_done",                   "officer",             "GET",  SHOWN),
    ("admin:password_change_done",                   "officer",             "POST", GET_ONLY),
    ("admin:password_change_done",                   "superuser",           "POST", GET_ONLY),

    ("admin:jsi18n",                                 "officer",             "GET",  SHOWN),
    ("admin:jsi18n",                                 "officer",             "POST", GET_ONLY),
    ("admin:jsi18n",                                 "superuser",           "POST", GET_ONLY),

    ("admin:autocomplete",                           "superuser",           "GET",  DENIED),
    ("admin:autocomplete",                           "officer",             "POST", GET_ONLY),
    ("admin:autocomplete",                           "superuser",           "POST", GET_ONLY),

    ("admin:view_on_site",                           "officer",             "GET",  REDIRECT),
    ("admin:view_on_site",                           "superuser",           "GET",  REDIRECT),
    ("admin:view_on_site",                           "officer",             "POST", REDIRECT),
    ("admin:view_on_site",                           "superuser",           "POST", REDIRECT),

    # The office corrects calls, their document types, extensions and organisations (the
    # "Programme office" group, portal/accounts/roles.py); an empty form comes back with
    # its errors.
    ("admin:intents_call_add",                       "officer",             "GET",  SHOWN),
    ("admin:intents_call_add",                       "officer",             "POST", SHOWN),
    ("admin:intents_call_change",                    "officer",             "GET",  SHOWN),
    ("admin:intents_call_change",                    "officer",             "POST", SHOWN),
    ("admin:intents_call_changelist",                "officer",             "GET",  SHOWN),
    ("admin:intents_call_changelist",                "officer",             "POST", SHOWN),
    ("admin:intents_call_history",                   "officer",             "GET",  SHOWN),
    ("admin:intents_call_history",                   "officer",             "POST", SHOWN),

    ("admin:intents_documenttype_add",               "officer",             "GET",  SHOWN),
    ("admin:intents_documenttype_add",               "officer",             "POST", SHOWN),
    ("admin:intents_documenttype_change",            "officer",             "GET",  SHOWN),
    ("admin:intents_documenttype_change",            "officer",             "POST", SHOWN),
    ("admin:intents_documenttype_changelist",        "officer",             "GET",  SHOWN),
    ("admin:intents_documenttype_changelist",        "officer",             "POST", SHOWN),
    ("admin:intents_documenttype_history",           "officer",             "GET",  SHOWN),
    ("admin:intents_documenttype_history",           "officer",             "POST", SHOWN),

    ("admin:intents_extension_add",                  "officer",             "GET",  SHOWN),
    ("admin:intents_extension_add",                  "officer",             "POST", SHOWN),
    ("admin:intents_extension_change",               "officer",             "GET",  SHOWN),
    ("admin:intents_extension_change",               "officer",             "POST", SHOWN),
    ("admin:intents_extension_changelist",           "officer",             "GET",  SHOWN),
    ("admin:intents_extension_changelist",           "officer",             "POST", SHOWN),
    ("admin:intents_extension_history",              "officer",             "GET",  SHOWN),
    ("admin:intents_extension_history",              "officer",             "POST", SHOWN),

    # The beat schedule: the office changes when tasks run, never adds or deletes a task.
    ("admin:django_celery_beat_periodictask_change", "officer",             "GET",  SHOWN),
    ("admin:django_celery_beat_periodictask_change", "officer",             "POST", SHOWN),
    ("admin:django_celery_beat_periodictask_changelist","officer",             "GET",  SHOWN),
    ("admin:django_celery_beat_periodictask_changelist","officer",             "POST", SHOWN),
    ("admin:django_celery_beat_periodictask_history","officer",             "GET",  SHOWN),
    ("admin:django_celery_beat_periodictask_history","officer",             "POST", SHOWN),
    ("admin:django_celery_beat_intervalschedule_add","officer",             "GET",  SHOWN),
    ("admin:django_celery_beat_intervalschedule_add","officer",             "POST", SHOWN),
    ("admin:django_celery_beat_intervalschedule_change","officer",             "GET",  SHOWN),
    ("admin:django_celery_beat_intervalschedule_change","officer",             "POST", SHOWN),
    ("admin:django_celery_beat_intervalschedule_changelist","officer",             "GET",  SHOWN),
    ("admin:django_celery_beat_intervalschedule_changelist","officer",             "POST", SHOWN),
    ("admin:django_celery_beat_intervalschedule_history","officer",             "GET",  SHOWN),
    ("admin:django_celery_beat_intervalschedule_history","officer",             "POST", SHOWN),
    ("admin:django_celery_beat_crontabschedule_add", "officer",             "GET",  SHOWN),
    ("admin:django_celery_beat_crontabschedule_add", "officer",             "POST", SHOWN),
    ("admin:django_celery_beat_crontabschedule_change","officer",             "GET",  SHOWN),
    ("admin:django_celery_beat_crontabschedule_change","officer",             "POST", SHOWN),
    ("admin:django_celery_beat_crontabschedule_changelist","officer",             "GET",  SHOWN),
    ("admin:django_celery_beat_crontabschedule_changelist","officer",             "POST", SHOWN),
    ("admin:django_celery_beat_crontabschedule_history","officer",             "GET",  SHOWN),
    ("admin:django_celery_beat_crontabschedule_history","officer",             "POST", SHOWN),

    ("admin:organisations_organisation_change",      "officer",             "GET",  SHOWN),
    ("admin:organisations_organisation_change",      "officer",             "POST", SHOWN),
    ("admin:organisations_organisation_changelist",  "officer",             "GET",  SHOWN),
    ("admin:organisations_organisation_changelist",  "officer",             "POST", SHOWN),
    ("admin:organisations_organisation_history",     "officer",             "GET",  SHOWN),
    ("admin:organisations_organisation_history",     "officer",             "POST", SHOWN),

    # Rows only the portal's code writes: nobody adds or deletes them in the admin, and a
    # change is refused. The office reads letters and documents once filed (a draft is not
    # even listed: test_the_office_reads_no_draft_in_the_admin) and the audit log.
    ("admin:intents_letterofintent_add",             "superuser",           "GET",  DENIED),
    ("admin:intents_letterofintent_add",             "superuser",           "POST", DENIED),
    ("admin:intents_letterofintent_change",          "officer",             "GET",  SHOWN),
    ("admin:intents_letterofintent_change",          "superuser",           "POST", DENIED),
    ("admin:intents_letterofintent_changelist",      "officer",             "GET",  SHOWN),
    ("admin:intents_letterofintent_changelist",      "officer",             "POST", SHOWN),
    ("admin:intents_letterofintent_delete",          "superuser",           "GET",  DENIED),
    ("admin:intents_letterofintent_delete",          "superuser",           "POST", DENIED),
    ("admin:intents_letterofintent_history",         "officer",             "GET",  SHOWN),
    ("admin:intents_letterofintent_history",         "officer",             "POST", SHOWN),

    ("admin:intents_document_add",                   "superuser",           "GET",  DENIED),
    ("admin:intents_document_add",                   "superuser",           "POST", DENIED),
    ("admin:intents_document_change",                "officer",             "GET",  SHOWN),
    ("admin:intents_document_change",                "superuser",           "POST", DENIED),
    ("admin:intents_document_changelist",            "officer",             "GET",  SHOWN),
    ("admin:intents_document_changelist",            "officer",             "POST", SHOWN),
    ("admin:intents_document_delete",                "superuser",           "GET",  DENIED),
    ("admin:intents_document_delete",                "superuser",           "POST", DENIED),
    ("admin:intents_document_history",               "officer",             "GET",  SHOWN),
    ("admin:intents_document_history",               "officer",             "POST", SHOWN),

    ("admin:audit_auditevent_add",                   "superuser",           "GET",  DENIED),
    ("admin:audit_auditevent_add",                   "superuser",           "POST", DENIED),
    ("admin:audit_auditevent_change",                "officer",             "GET",  SHOWN),
    ("admin:audit_auditevent_change",                "superuser",           "POST", DENIED),
    ("admin:audit_auditevent_changelist",            "officer",             "GET",  SHOWN),
    ("admin:audit_auditevent_changelist",            "officer",             "POST", SHOWN),
    ("admin:audit_auditevent_delete",                "superuser",           "GET",  DENIED),
    ("admin:audit_auditevent_delete",                "superuser",           "POST", DENIED),
    ("admin:audit_auditevent_history",               "officer",             "GET",  SHOWN),
    ("admin:audit_auditevent_history",               "officer",             "POST", SHOWN),

    ("admin:intents_assignment_add",                 "superuser",           "GET",  DENIED),
    ("admin:intents_assignment_add",                 "superuser",           "POST", DENIED),
    ("admin:intents_assignment_change",              "superuser",           "POST", DENIED),
    ("admin:intents_assignment_delete",              "superuser",           "GET",  DENIED),
    ("admin:intents_assignment_delete",              "superuser",           "POST", DENIED),

    ("admin:intents_conflictdeclaration_add",        "superuser",           "GET",  DENIED),
    ("admin:intents_conflictdeclaration_add",        "superuser",           "POST", DENIED),
    ("admin:intents_conflictdeclaration_change",     "superuser",           "POST", DENIED),
    ("admin:intents_conflictdeclaration_delete",     "superuser",           "GET",  DENIED),
    ("admin:intents_conflictdeclaration_delete",     "superuser",           "POST", DENIED),

    ("admin:intents_review_add",                     "superuser",           "GET",  DENIED),
    ("admin:intents_review_add",                     "superuser",           "POST", DENIED),
    ("admin:intents_review_change",                  "superuser",           "POST", DENIED),
    ("admin:intents_review_delete",                  "superuser",           "GET",  DENIED),
    ("admin:intents_review_delete",                  "superuser",           "POST", DENIED),

    ("admin:notifications_outboundemail_add",        "superuser",           "GET",  DENIED),
    ("admin:notifications_outboundemail_add",        "superuser",           "POST", DENIED),
    ("admin:notifications_outboundemail_change",     "superuser",           "POST", DENIED),
    ("admin:notifications_outboundemail_delete",     "superuser",           "GET",  DENIED),
    ("admin:notifications_outboundemail_delete",     "superuser",           "POST", DENIED),

    # A reviewer's profile may be corrected; joining and leaving a call's pool go through
    # the office's pages.
    ("admin:intents_reviewer_add",                   "superuser",           "GET",  DENIED),
    ("admin:intents_reviewer_add",                   "superuser",           "POST", DENIED),
    ("admin:intents_reviewer_delete",                "superuser",           "GET",  DENIED),
    ("admin:intents_reviewer_delete",                "superuser",           "POST", DENIED),

    # django-axes' records of sign-in attempts, for the superuser: none is added by hand, and
    # saving one changes nothing (its fields are read-only).
    ("admin:axes_accessattempt_add",                 "superuser",           "GET",  DENIED),
    ("admin:axes_accessattempt_add",                 "superuser",           "POST", DENIED),
    ("admin:axes_accessattempt_change",              "superuser",           "POST", REDIRECT),

    ("admin:axes_accessfailurelog_add",              "superuser",           "GET",  DENIED),
    ("admin:axes_accessfailurelog_add",              "superuser",           "POST", DENIED),
    ("admin:axes_accessfailurelog_change",           "superuser",           "POST", REDIRECT),

    ("admin:axes_accesslog_add",                     "superuser",           "GET",  DENIED),
    ("admin:axes_accesslog_add",                     "superuser",           "POST", DENIED),
    ("admin:axes_accesslog_change",                  "superuser",           "POST", REDIRECT),
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
    (portal.accounts.models.User.has_perm), so they are refused like an outsider. The officer
    is staff, in the "Programme office" group, with an authenticator app. The "nobody" role is
    a signed-in user and nothing more (the invitations in PAGE_REQUESTS are addressed to them).
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
    filed = actions.submit(letter_id=filed.pk, user=owner, expected_version=filed.version)
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
    # As seed_demo makes them: officers correct raw data in the admin, as the "Programme
    # office" group allows.
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    officer.groups.add(ensure_programme_office_group())
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
            "nobody": UserFactory(),
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
    if url_name.startswith("admin:"):
        return admin_arguments(url_name, world), {}
    organisation, letter = world["organisation"], world["letter"]
    document, colleague = world["document"], world["colleague"]
    call, filed = world["call"], world["filed"]
    assignment = world["assignments"].get(role, world["assignments"]["reviewer"])
    if url_name in ("reviewing:review_edit", "reviewing:assignment_document"):
        # The whole letter opens once the reviewer has said they have no conflict.
        reviewer = world["assignments"]["reviewer"]
        assignments.confirm_no_conflict(user=reviewer.reviewer.user, assignment_id=reviewer.pk)
    if url_name == "reviewing:assignment_detail":
        return [assignment.pk], {}
    if url_name == "reviewing:assignment_conflict":
        return [assignment.pk], {"answer": "none"}
    if url_name == "reviewing:review_edit":
        return [assignment.pk], {
            f"score_{world['criterion'].pk}": "4",
            "recommendation": "select",
            "comment_to_committee": "Sound.",
            "comment_to_applicant": "",
            "save": "Save the draft",
        }
    if url_name == "reviewing:assignment_document":
        return [assignment.pk, world["filed_document"].pk], {}
    if url_name == "reviewing:reviewer_pool":
        return [call.slug], {
            "email": "new.reviewer@example.org",
            "organisation": "",
            "affiliation": "Lunar institute",
            "country": "IT",
            "expertise": [world["mode"].pk],
        }
    if url_name == "reviewing:reviewer_remove":
        return [call.slug, world["unassigned_place"].pk], {}
    if url_name in ("reviewing:assignment_overview", "reviewing:assignment_run_start"):
        return [call.slug], {}
    if url_name == "reviewing:assignment_run":
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
    if url_name == "reviewing:letter_assign":
        return [filed.pk], {"reviewer": world["unassigned_place"].pk}
    if url_name == "reviewing:assignment_remove":
        return [world["assignments"]["reviewer"].pk], {}
    if url_name in OFFICE_REQUESTS:
        return OFFICE_REQUESTS[url_name](world)
    if url_name in PAGE_REQUESTS:
        return PAGE_REQUESTS[url_name](world)
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
    if url_name == "letters:call_register":
        return [letter.call.slug], {"organisation": organisation.pk}
    if url_name == "letters:letter_start":
        return [letter.call.slug], {
            "organisation": organisation.pk,
            "mode": world["mode"].pk,
            "title": "Another instrument",
        }
    if url_name == "letters:letter_edit":
        return [letter.pk], letter_form(letter, timeline="Ready in 2028.")
    if url_name == "letters:letter_submit":
        return [letter.pk], {"version": letter.version}
    if url_name == "letters:letter_withdraw":
        return [letter.pk], {
            "reason": "We found another ride.",
            "confirm": "on",
            "version": letter.version,
        }
    if url_name == "letters:letter_receipt":
        actions.submit(
            letter_id=letter.pk, user=world["users"]["owner"], expected_version=letter.version
        )
        return [letter.pk, 1], {}
    if url_name == "letters:document_upload":
        return [letter.pk], {
            "document_type": world["document_type"].pk,
            "file": pdf_upload("annex.pdf"),
        }
    if url_name in ("letters:document_download", "letters:document_remove"):
        return [letter.pk, document.pk], {}
    if url_name == "letters:letter_detail":
        return [letter.pk], {}
    # Every other page takes no argument; allauth's are sent an empty form.
    return [], {}


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
    office_actions.decide(
        user=world["users"]["officer"],
        letter_id=world["filed"].pk,
        outcome=Decision.Outcome.SELECTED,
        note="",
    )
    # The call is still open: the officer confirms that too.
    return [world["call"].slug], {"confirm": "on", "confirm_open": "on"}


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


def failed_email():
    """An e-mail the mail server refused for good, for the office to send again."""
    return OutboundEmail.objects.create(
        idempotency_key="receipt:0:v1:0",
        to="gone@example.org",
        subject="Your receipt",
        body_text="Body",
        state=OutboundEmail.State.FAILED,
        attempts=1,
        last_error="550 5.1.1 No such user",
    )


def resend_all_failed(world):
    failed_email()
    return [], {"confirm": "on"}


# The office's pages: the URL arguments and a valid POST that changes something.
OFFICE_REQUESTS = {
    "office:call_settings": lambda world: (
        [world["call"].slug],
        settings_data(world["call"], title="Lunar call, renamed"),
    ),
    "office:call_modes": lambda world: (
        [world["call"].slug],
        rows_form(
            ModeFormSet(call=world["call"], queryset=CooperationMode.objects.all()),
            {"number": 5, "name": "Orbiter instrument", "description": "On the orbiter."},
        ),
    ),
    "office:call_document_types": lambda world: (
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
    "office:call_rubric": lambda world: (
        [world["call"].slug],
        rows_form(
            RubricFormSet(call=world["call"], queryset=Criterion.objects.all()),
            {"name": "Costs", "weight": 2, "position": 1},
        ),
    ),
    "office:extensions": lambda world: (
        [world["call"].slug],
        {
            "organisation": world["organisation"].pk,
            "closes_at": typed(world["call"].closes_at + dt.timedelta(days=5), world["call"].zone),
            "reason": "A strike closed their lab.",
        },
    ),
    "office:extension_remove": granted_extension,
    "office:organisation_verification": lambda world: (
        [world["organisation"].pk],
        {"decision": "verify", "request": ""},
    ),
    "office:dashboard": lambda world: ([world["call"].slug], {}),
    "office:office_letters": lambda world: ([world["call"].slug], {}),
    "office:office_letter": lambda world: ([world["filed"].pk], {}),
    "office:ranking": lambda world: ([world["call"].slug], {}),
    "office:letter_decision": lambda world: (
        [world["filed"].pk],
        {"outcome": Decision.Outcome.SELECTED, "note": "Strong science."},
    ),
    "office:decisions_bulk": lambda world: (
        [world["call"].slug],
        {"letters": [world["filed"].pk], "outcome": Decision.Outcome.WAITLISTED, "note": ""},
    ),
    "office:decisions_release": pending_decision,
    "office:exports": lambda world: ([world["call"].slug], {}),
    "office:export_table": lambda world: ([world["call"].slug, "letters", "csv"], {}),
    "office:export_documents": lambda world: ([world["call"].slug], {}),
    "office:export_detail": lambda world: ([finished_export(world).pk], {}),
    "office:export_download": lambda world: ([finished_export(world).pk], {}),
    "notifications:outbox": lambda world: ([], {}),
    "notifications:schedule": lambda world: ([], {}),
    "notifications:resend": lambda world: ([failed_email().pk], {}),
    "notifications:resend_failed": resend_all_failed,
}


def invitation_for_nobody(world):
    """An invitation into our organisation sent to the nobody role's address."""
    invitation = Invitation.objects.create(
        organisation=world["organisation"], email=world["users"]["nobody"].email, role=Role.VIEWER
    )
    return [invitation.token], {}


def reviewer_place_for_nobody(world):
    """A place in the call's reviewer pool offered to the nobody role's address."""
    place = Reviewer.objects.create(
        call=world["call"], email=world["users"]["nobody"].email, country="IT"
    )
    return [place.token], {
        "affiliation": "Lunar institute",
        "country": "IT",
        "expertise": [world["mode"].pk],
    }


def admin_arguments(url_name, world):
    """An admin page's arguments: a row of the model its name tells ("admin:intents_call_change":
    a call; the filed letter and its document, which the office may read), the portal's own app
    for an app's index."""
    page = url_name.removeprefix("admin:")
    if page == "app_list":
        return ["intents"]
    if page == "view_on_site":
        return [ContentType.objects.get_for_model(LetterOfIntent).pk, world["filed"].pk]
    if page == "auth_user_password_change":
        return [world["users"]["nobody"].pk]
    chosen = {LetterOfIntent: world["filed"], Document: world["filed_document"]}
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if page.removeprefix(prefix) in ("change", "history", "delete"):
            return [(chosen.get(model) or model.objects.order_by("pk").first()).pk]
    return []


def add_what_only_the_admin_shows(world):
    """A row of every model the admin lists that the portal's pages need none of."""
    config.grant_extension(
        user=world["users"]["officer"],
        call=world["call"],
        organisation=world["organisation"],
        closes_at=world["call"].closes_at + dt.timedelta(days=3),
        reason="Their embassy closed for a week.",
    )
    Invitation.objects.create(
        organisation=world["organisation"], email="invited@example.org", role=Role.EDITOR
    )
    Review.objects.create(assignment=world["assignments"]["conflicted_reviewer"])
    ConflictDeclaration.objects.create(
        reviewer=world["unassigned_place"],
        letter=world["filed"],
        kind=ConflictDeclaration.Kind.PERSONAL,
    )
    attempt = {"user_agent": "curl", "ip_address": "192.0.2.1", "username": "someone@example.org"}
    AccessAttempt.objects.create(**attempt, failures_since_start=1)
    AccessFailureLog.objects.create(**attempt)
    AccessLog.objects.create(**attempt)
    # The beat schedule's other kinds, which the portal's own schedule does not use.
    CrontabSchedule.objects.create(minute="0", hour="8")
    SolarSchedule.objects.create(event="sunrise", latitude="39.90", longitude="116.40")
    ClockedSchedule.objects.create(clocked_time=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))


# The pages outside an organisation's and the office's: the URL arguments and a valid POST.
PAGE_REQUESTS = {
    "letters:call_detail": lambda world: ([world["call"].slug], {}),
    "organisations:create": lambda world: (
        [],
        organisation_form(
            world["organisation"], legal_name="Mare Nubium Laboratory", short_name="MNL"
        ),
    ),
    # Capability links: whoever holds the token sees the page, only the invitee may accept.
    "organisations:invitation_accept": invitation_for_nobody,
    "reviewing:reviewer_invitation": reviewer_place_for_nobody,
    "office:call_create": lambda world: (
        [],
        settings_data(
            world["call"], title="Farside call", slug="farside-call", reference_prefix="FAR"
        ),
    ),
    "accounts:profile": lambda world: (
        [],
        {"full_name": "Someone Else", "language": "en", "time_zone": "Europe/Paris"},
    ),
    "accounts:switch_language": lambda world: ([], {"language": "zh-hans", "next": "/"}),
    # allauth's links carry a key; a made-up one shows the page about a broken link.
    "account_confirm_email": lambda world: (["not-a-key"], {}),
    "account_reset_password_from_key": lambda world: (["0", "not-a-key"], {}),
}


def stored_files():
    root = storages["private"].location
    return sorted(
        os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names
    )


# Logs, not data: the audit log and django-axes' record of sign-ins (which reading and signing
# out write to), the admin's history of changes, and the sessions.
LOGS = {
    model._meta.db_table
    for model in (
        AuditEvent,
        AccessAttempt,
        AccessAttemptExpiration,
        AccessFailureLog,
        AccessLog,
        LogEntry,
        Session,
    )
}


def state():
    """Everything a view could change: every row of every table but the logs, and the files."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names(cursor)) - LOGS):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            rows[table] = cursor.fetchall()
    return {**rows, "files": stored_files()}


def named_urls(resolver=None, namespace=""):
    """Every named URL of the project, read from the URL configuration ("home",
    "office:dashboard", "admin:index"), so a new one fails the coverage test until the table
    says who may reach it."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_urls(pattern, inner)
        elif pattern.name:
            names.add(namespace + pattern.name)
    return names


def expanded(rows):
    """The table with each "namespace:*" row written out for every URL of its namespace that
    has no row of its own for that role and method."""
    explicit = [row for row in rows if not row[0].endswith(":*")]
    named = {(url_name, role, method) for url_name, role, method, _ in explicit}
    every_url = sorted(named_urls())
    return explicit + [
        (url_name, role, method, outcome)
        for pattern, role, method, outcome in rows
        if pattern.endswith(":*")
        for url_name in every_url
        if url_name.startswith(pattern[:-1]) and (url_name, role, method) not in named
    ]


ROWS = expanded(ACCESS)
ADMIN_ROWS = [row for row in ROWS if row[0].startswith("admin:")]
PORTAL_ROWS = [row for row in ROWS if not row[0].startswith("admin:")]


def send(client, method, path, data):
    if method == "GET":
        return client.get(path)
    return client.post(path, data)


def read(response):
    """The body; a download is read to its end, which closes its file as a server would."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_answers(client, world, url_name, role, method, outcome):
    """Send the request as `role` and check that it has the outcome the table says."""
    args, data = request_for(url_name, world, role)
    path = reverse(url_name, args=args)
    before = state()

    response = send(client, method, path, data)

    after = state()
    if outcome == SHOWN:
        assert response.status_code == 200
        read(response)
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
    elif outcome in (POST_ONLY, GET_ONLY):
        assert response.status_code == 405
        assert after == before
    elif outcome == BOUNCED:
        assert response.status_code == 302
        assert [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        assert after == before
    elif outcome == REDIRECT:
        assert response.status_code == 302
        sign_in = (reverse("account_login") + "?", reverse("admin:login") + "?")
        assert not response.url.startswith((*sign_in, reverse("account_reauthenticate")))
        assert after == before
    elif outcome == PASSWORD_AGAIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))
        assert after == before
    else:
        assert outcome == ADMIN_LOGIN
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login") + "?next=")
        assert after == before


def signed_in(world):
    """Each role's cookies once signed in (none for the anonymous visitor)."""
    cookies = {}
    for role, user in world["users"].items():
        client = Client()
        if user is not None:
            client.force_login(user)
        cookies[role] = client.cookies
    return cookies


def failures(world, rows):
    """The rows whose request does not answer as the table says. Each starts from the same
    world and session: it runs in a savepoint that is rolled back, with empty caches (rate
    limits), and its role's cookies as they were just after signing in."""
    cookies = signed_in(world)
    wrong = []
    for url_name, role, method, outcome in rows:
        client = Client()
        client.cookies = copy.deepcopy(cookies[role])
        try:
            with transaction.atomic():
                for cache in caches.all():
                    cache.clear()
                assert_answers(client, world, url_name, role, method, outcome)
                transaction.set_rollback(True)
        except AssertionError as error:
            wrong.append(f"{url_name} {method} as {role} should be {outcome}: {error}")
    return wrong


@pytest.mark.parametrize("url_name", sorted({row[0] for row in PORTAL_ROWS}))
def test_each_page_answers_each_role_as_the_table_says(world, url_name):
    rows = [row for row in PORTAL_ROWS if row[0] == url_name]
    wrong = failures(world, rows)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("role", "method"), sorted({(row[1], row[2]) for row in ADMIN_ROWS}))
def test_each_admin_page_answers_each_role_as_the_table_says(world, role, method):
    """One test per role and method goes through every page of the admin."""
    add_what_only_the_admin_shows(world)
    rows = [row for row in ADMIN_ROWS if (row[1], row[2]) == (role, method)]
    wrong = failures(world, rows)
    assert not wrong, "\n".join(wrong)


def test_the_table_covers_every_named_url():
    covered = {url_name for url_name, *_ in ROWS}
    missing = named_urls() - covered
    assert not missing, f"No row says who may reach: {', '.join(sorted(missing))}"
    assert covered <= named_urls(), "Rows for URLs that no longer exist"


def test_the_table_gives_every_role_one_row_for_each_page_and_method():
    pages = {(url_name, method) for url_name, _role, method, _outcome in ROWS}
    rows = Counter((url_name, role, method) for url_name, role, method, _outcome in ROWS)
    roles = sorted({role for _url_name, role, _method, _outcome in ROWS})
    missing = [
        f"{url_name} {method} {role}"
        for url_name, method in sorted(pages)
        for role in roles
        if (url_name, role, method) not in rows
    ]
    assert not missing, f"No row for: {'; '.join(missing)}"
    twice = [" ".join(row) for row, count in rows.items() if count > 1]
    assert not twice, f"More than one row for: {'; '.join(twice)}"


# What the roles do, checked beyond the status code.


def test_an_editor_edits_the_letter(client, world, editor):
    letter = world["letter"]
    client.force_login(editor)
    client.post(
        reverse("letters:letter_edit", args=[letter.pk]),
        letter_form(letter, title="Regolith drill, second design"),
    )
    letter.refresh_from_db()
    assert letter.title == "Regolith drill, second design"


def test_an_outsider_cannot_tell_a_hidden_letter_from_a_missing_one(client, world, outsider):
    client.force_login(outsider)
    hidden = client.get(reverse("letters:letter_detail", args=[world["letter"].pk]))
    missing = client.get(reverse("letters:letter_detail", args=[world["letter"].pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert without_per_request_parts(hidden) == without_per_request_parts(missing)


def without_per_request_parts(response):
    """The page less its CSRF token and the language switcher's return address."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r'name="next" type="hidden" value="[^"]*"', "", page)


def test_an_outsider_is_not_offered_our_organisation_on_the_call_page(client, world, outsider):
    client.force_login(outsider)
    response = client.get(reverse("letters:call_detail", args=[world["letter"].call.slug]))
    assert response.status_code == 200
    assert ORGANISATION_NAME not in response.content.decode()
    assert outsider.organisations.get().legal_name in response.content.decode()


def test_an_outsider_cannot_reach_our_document_through_their_own_letter(client, world, outsider):
    """A document id is only valid under its own letter, even for the owner of another one."""
    their_letter = LetterFactory(
        organisation=outsider.organisations.get(), mode=world["mode"], title="Their rover"
    )
    client.force_login(outsider)
    for url_name in ("letters:document_download", "letters:document_remove"):
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
    actions.submit(
        letter_id=letter.pk, user=world["users"]["owner"], expected_version=letter.version
    )
    client.force_login(outsider)
    response = client.get(reverse("letters:letter_receipt", args=[letter.pk, 1]))
    assert response.status_code == 404
    assert LETTER_TITLE not in response.content.decode()


def test_a_receipt_number_that_does_not_exist_is_not_found(client, world, owner):
    client.force_login(owner)
    response = client.get(reverse("letters:letter_receipt", args=[world["letter"].pk, 1]))
    assert response.status_code == 404


def test_a_member_downloads_the_document_as_an_attachment(client, world, viewer):
    client.force_login(viewer)
    response = client.get(
        reverse("letters:document_download", args=[world["letter"].pk, world["document"].pk])
    )
    assert response.status_code == 200
    assert DOCUMENT_NAME in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_programme_officer_reads_the_letter_but_is_offered_no_changes(client, world, officer):
    letter = actions.submit(
        letter_id=world["letter"].pk,
        user=world["users"]["owner"],
        expected_version=world["letter"].version,
    )
    client.force_login(officer)
    response = client.get(reverse("letters:letter_detail", args=[letter.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert LETTER_TITLE in page and DOCUMENT_NAME in page
    assert reverse("letters:letter_edit", args=[letter.pk]) not in page
    assert reverse("letters:letter_withdraw", args=[letter.pk]) not in page


def test_a_viewer_is_offered_no_changes_on_the_letter_page(client, world, viewer):
    letter = world["letter"]
    client.force_login(viewer)
    page = client.get(reverse("letters:letter_detail", args=[letter.pk])).content.decode()
    assert reverse("letters:letter_edit", args=[letter.pk]) not in page
    assert reverse("letters:document_remove", args=[letter.pk, world["document"].pk]) not in page


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
    response = client.get(reverse("letters:letter_detail", args=[world["letter"].pk]))
    assert response.status_code == 404


def test_a_letter_cannot_be_started_for_a_call_that_does_not_exist(client, world, owner):
    client.force_login(owner)
    response = client.post(
        reverse("letters:letter_start", args=["no-such-call"]),
        {"organisation": world["organisation"].pk, "mode": world["mode"].pk, "title": "X"},
    )
    assert response.status_code == 404


def test_a_letter_cannot_be_started_with_another_calls_mode(client, world, owner):
    other_call = CallFactory()
    client.force_login(owner)
    before = state()
    response = client.post(
        reverse("letters:letter_start", args=[other_call.slug]),
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
        reverse("reviewing:assignment_document", args=[held.pk, world["document"].pk])
    )
    assert response.status_code == 404
    assert DOCUMENT_NAME not in response.content.decode()
    ours = client.get(
        reverse("reviewing:assignment_document", args=[held.pk, world["filed_document"].pk])
    )
    assert ours.status_code == 200
    assert b"".join(ours.streaming_content).startswith(b"%PDF")


def test_the_office_cannot_reach_a_reviewer_or_a_run_through_another_call(client, world):
    other_call = CallFactory()
    run = AssignmentRun.objects.create(call=world["call"], report={"picks": [], "shortfalls": []})
    client.force_login(world["users"]["officer"])
    before = state()
    remove = reverse(
        "reviewing:reviewer_remove", args=[other_call.slug, world["unassigned_place"].pk]
    )
    assert client.get(remove).status_code == 404
    assert client.post(remove).status_code == 404
    assert (
        client.get(reverse("reviewing:assignment_run", args=[other_call.slug, run.pk])).status_code
        == 404
    )
    assert state() == before


def test_the_office_cannot_assign_a_draft(client, world):
    client.force_login(world["users"]["officer"])
    before = state()
    path = reverse("reviewing:letter_assign", args=[world["letter"].pk])
    assert client.get(path).status_code == 404
    assert client.post(path, {"reviewer": world["unassigned_place"].pk}).status_code == 404
    assert state() == before


@pytest.mark.parametrize("url_name", ["office:office_letter", "office:letter_decision"])
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
    response = client.get(reverse("letters:call_detail", args=[call.slug]))
    assert response.status_code == 200
    assert call.title in response.content.decode()


def test_an_unknown_invitation_token_is_not_found(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("organisations:invitation_accept", args=["not-a-token"]))
    assert response.status_code == 404


def test_a_superuser_who_is_also_an_officer_runs_the_office(client, world):
    superuser = turn_on_totp(world["users"]["superuser"])
    superuser.is_programme_officer = True
    superuser.save()
    client.force_login(superuser)
    response = client.get(reverse("office:dashboard", args=[world["letter"].call.slug]))
    assert response.status_code == 200


def test_the_office_reads_no_draft_in_the_admin(client, world):
    client.force_login(world["users"]["officer"])
    letters = client.get(reverse("admin:intents_letterofintent_changelist")).content.decode()
    documents = client.get(reverse("admin:intents_document_changelist")).content.decode()
    draft = client.get(reverse("admin:intents_letterofintent_change", args=[world["letter"].pk]))
    assert FILED_TITLE in letters and LETTER_TITLE not in letters
    assert FILED_DOCUMENT_NAME in documents and DOCUMENT_NAME not in documents
    assert draft.status_code == 302
    assert draft.url == reverse("admin:index")


def test_a_superuser_reads_every_letter_in_the_admin(client, world):
    client.force_login(world["users"]["superuser"])
    letters = client.get(reverse("admin:intents_letterofintent_changelist")).content.decode()
    assert FILED_TITLE in letters and LETTER_TITLE in letters
