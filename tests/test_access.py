"""Who may reach each of our views: the outsider habit, applied to every view taking an object.

One table says, for each (view, role, method), what must happen. Anonymous visitors are sent
to sign in; an outsider (a member of another organisation) gets a 404 that names nothing of
ours; a viewer reads; an editor writes letters; an owner also manages members; a programme
officer reads letters and documents once submitted (a draft is hidden from the office too).

A reviewer's pages show an assignment to the reviewer who holds it and to nobody else: the
applicant, the office, another reviewer of the same call and a reviewer whose assignment a
conflict now hides all get the 404 of a missing page. The office's reviewing pages answer 403
to anyone but a programme officer. A refused POST changes nothing.
"""

import os
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import storages
from django.urls import get_resolver, reverse
from django.utils import timezone

from intents import domain
from intents.models import (
    Assignment,
    AssignmentRun,
    ConflictDeclaration,
    Document,
    LetterOfIntent,
    LetterVersion,
    Review,
    Reviewer,
    Score,
)
from intents.reviewing import assignments
from portal.organisations.models import Invitation, Membership, Organisation, Role

from .conftest import attach_pdf
from .factories import (
    CallFactory,
    CriterionFactory,
    LetterFactory,
    MembershipFactory,
    ReviewerFactory,
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

    # The programme office's pages: a plain 403 for anyone but a programme officer.
    ("intents:reviewer_pool",             "anonymous",            "GET",  LOGIN),
    ("intents:reviewer_pool",             "outsider",             "GET",  DENIED),
    ("intents:reviewer_pool",             "owner",                "GET",  DENIED),
    ("intents:reviewer_pool",             "officer",              "GET",  SHOWN),
    ("intents:reviewer_pool",             "reviewer",             "GET",  DENIED),
    ("intents:reviewer_pool",             "unassigned_reviewer",  "GET",  DENIED),
    ("intents:reviewer_pool",             "conflicted_reviewer",  "GET",  DENIED),
    ("intents:reviewer_pool",             "anonymous",            "POST", LOGIN),
    ("intents:reviewer_pool",             "outsider",             "POST", DENIED),
    ("intents:reviewer_pool",             "owner",                "POST", DENIED),
    ("intents:reviewer_pool",             "officer",              "POST", DONE),
    ("intents:reviewer_pool",             "reviewer",             "POST", DENIED),
    ("intents:reviewer_pool",             "unassigned_reviewer",  "POST", DENIED),
    ("intents:reviewer_pool",             "conflicted_reviewer",  "POST", DENIED),

    ("intents:reviewer_remove",           "anonymous",            "GET",  LOGIN),
    ("intents:reviewer_remove",           "outsider",             "GET",  DENIED),
    ("intents:reviewer_remove",           "owner",                "GET",  DENIED),
    ("intents:reviewer_remove",           "officer",              "GET",  SHOWN),
    ("intents:reviewer_remove",           "reviewer",             "GET",  DENIED),
    ("intents:reviewer_remove",           "unassigned_reviewer",  "GET",  DENIED),
    ("intents:reviewer_remove",           "conflicted_reviewer",  "GET",  DENIED),
    ("intents:reviewer_remove",           "anonymous",            "POST", LOGIN),
    ("intents:reviewer_remove",           "outsider",             "POST", DENIED),
    ("intents:reviewer_remove",           "owner",                "POST", DENIED),
    ("intents:reviewer_remove",           "officer",              "POST", DONE),
    ("intents:reviewer_remove",           "reviewer",             "POST", DENIED),
    ("intents:reviewer_remove",           "unassigned_reviewer",  "POST", DENIED),
    ("intents:reviewer_remove",           "conflicted_reviewer",  "POST", DENIED),

    ("intents:assignment_overview",       "anonymous",            "GET",  LOGIN),
    ("intents:assignment_overview",       "outsider",             "GET",  DENIED),
    ("intents:assignment_overview",       "owner",                "GET",  DENIED),
    ("intents:assignment_overview",       "officer",              "GET",  SHOWN),
    ("intents:assignment_overview",       "reviewer",             "GET",  DENIED),
    ("intents:assignment_overview",       "unassigned_reviewer",  "GET",  DENIED),
    ("intents:assignment_overview",       "conflicted_reviewer",  "GET",  DENIED),

    ("intents:assignment_run_start",      "anonymous",            "GET",  LOGIN),
    ("intents:assignment_run_start",      "outsider",             "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "owner",                "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "officer",              "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "reviewer",             "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "unassigned_reviewer",  "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "conflicted_reviewer",  "GET",  POST_ONLY),
    ("intents:assignment_run_start",      "anonymous",            "POST", LOGIN),
    ("intents:assignment_run_start",      "outsider",             "POST", DENIED),
    ("intents:assignment_run_start",      "owner",                "POST", DENIED),
    ("intents:assignment_run_start",      "officer",              "POST", DONE),
    ("intents:assignment_run_start",      "reviewer",             "POST", DENIED),
    ("intents:assignment_run_start",      "unassigned_reviewer",  "POST", DENIED),
    ("intents:assignment_run_start",      "conflicted_reviewer",  "POST", DENIED),

    ("intents:assignment_run",            "anonymous",            "GET",  LOGIN),
    ("intents:assignment_run",            "outsider",             "GET",  DENIED),
    ("intents:assignment_run",            "owner",                "GET",  DENIED),
    ("intents:assignment_run",            "officer",              "GET",  SHOWN),
    ("intents:assignment_run",            "reviewer",             "GET",  DENIED),
    ("intents:assignment_run",            "unassigned_reviewer",  "GET",  DENIED),
    ("intents:assignment_run",            "conflicted_reviewer",  "GET",  DENIED),

    ("intents:letter_assign",             "anonymous",            "GET",  LOGIN),
    ("intents:letter_assign",             "outsider",             "GET",  DENIED),
    ("intents:letter_assign",             "owner",                "GET",  DENIED),
    ("intents:letter_assign",             "officer",              "GET",  SHOWN),
    ("intents:letter_assign",             "reviewer",             "GET",  DENIED),
    ("intents:letter_assign",             "unassigned_reviewer",  "GET",  DENIED),
    ("intents:letter_assign",             "conflicted_reviewer",  "GET",  DENIED),
    ("intents:letter_assign",             "anonymous",            "POST", LOGIN),
    ("intents:letter_assign",             "outsider",             "POST", DENIED),
    ("intents:letter_assign",             "owner",                "POST", DENIED),
    ("intents:letter_assign",             "officer",              "POST", DONE),
    ("intents:letter_assign",             "reviewer",             "POST", DENIED),
    ("intents:letter_assign",             "unassigned_reviewer",  "POST", DENIED),
    ("intents:letter_assign",             "conflicted_reviewer",  "POST", DENIED),

    ("intents:assignment_remove",         "anonymous",            "GET",  LOGIN),
    ("intents:assignment_remove",         "outsider",             "GET",  DENIED),
    ("intents:assignment_remove",         "owner",                "GET",  DENIED),
    ("intents:assignment_remove",         "officer",              "GET",  SHOWN),
    ("intents:assignment_remove",         "reviewer",             "GET",  DENIED),
    ("intents:assignment_remove",         "unassigned_reviewer",  "GET",  DENIED),
    ("intents:assignment_remove",         "conflicted_reviewer",  "GET",  DENIED),
    ("intents:assignment_remove",         "anonymous",            "POST", LOGIN),
    ("intents:assignment_remove",         "outsider",             "POST", DENIED),
    ("intents:assignment_remove",         "owner",                "POST", DENIED),
    ("intents:assignment_remove",         "officer",              "POST", DONE),
    ("intents:assignment_remove",         "reviewer",             "POST", DENIED),
    ("intents:assignment_remove",         "unassigned_reviewer",  "POST", DENIED),
    ("intents:assignment_remove",         "conflicted_reviewer",  "POST", DENIED),
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


def stored_files():
    root = storages["private"].location
    return sorted(
        os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names
    )


def state():
    """Everything a view in the table could change."""
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
