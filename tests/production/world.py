"""What the production tests need in the stack's database, made by the portal's own code.

Run by the stack as `python -m tests.production.world OUT KIND` with the stack's environment
(production settings, its PostgreSQL and its S3 bucket), it writes to OUT, as JSON, the ids and
paths the test will request over HTTP:

- `access`: the access matrix's world (tests/test_access.py): an organisation with a draft and
  a filed letter, their documents in the bucket, reviewers, an officer with an authenticator
  app, a superuser; and for every GET row of the matrix, the path with real ids and the outcome
  the matrix says that role gets.
- `two_nodes`: an officer with an authenticator app, and for each submitted letter its id,
  its documents' SHA-256 and its members' addresses.
"""

import json
import os
import sys

import django


def unwrapped(fixture):
    """The function under a pytest fixture (to build the same world outside pytest)."""
    for getter in (
        lambda: fixture._get_wrapped_function(),
        lambda: fixture.__pytest_wrapped__.obj,
        lambda: fixture.__wrapped__,
    ):
        try:
            return getter()
        except AttributeError:
            continue
    return fixture


def totp_secret(user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def account(user):
    from tests.factories import PASSWORD

    if user is None:
        return None
    from allauth.mfa.models import Authenticator

    has_app = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return {
        "email": user.email,
        "password": PASSWORD,
        "totp_secret": totp_secret(user) if has_app else None,
    }


def conftest_fixtures():
    """The fixtures of tests/conftest.py that the matrix's world takes, made the same way."""
    from intents.models import DocumentType
    from portal.organisations.models import Role
    from tests.factories import (
        CallFactory,
        DocumentTypeFactory,
        MembershipFactory,
        ModeFactory,
        UserFactory,
    )

    owner = MembershipFactory(role=Role.OWNER).user
    organisation = owner.memberships.get().organisation
    mode = ModeFactory(call=CallFactory(), number=3)
    signed_letter_type = DocumentTypeFactory(
        call=mode.call, code="signed-letter", name="Signed letter"
    )
    signed_letter_type.required_for.add(mode)
    assert isinstance(signed_letter_type, DocumentType)
    return {
        "organisation": organisation,
        "owner": owner,
        "editor": MembershipFactory(organisation=organisation, role=Role.EDITOR).user,
        "viewer": MembershipFactory(organisation=organisation, role=Role.VIEWER).user,
        "outsider": MembershipFactory(role=Role.OWNER).user,
        "officer": UserFactory(is_programme_officer=True),
        "mode": mode,
        "signed_letter_type": signed_letter_type,
    }


# Requests whose arguments the matrix makes with a change of state that would spoil other rows
# here, where nothing is rolled back: given their arguments directly.
def fixed_arguments(world):
    from tests import test_access

    assignment = world["assignments"]["reviewer"]
    # The matrix makes one failed e-mail per row, always with the same key: one is enough.
    failed = test_access.failed_email()
    return (
        {
            # The matrix submits the draft to give it a receipt; the filed letter has one.
            "letters:letter_receipt": [world["filed"].pk, 1],
            "notifications:resend": [failed.pk],
            "notifications:resend_failed": [],
        }
        | {
            # Confirmed once, below, for the reviewer who holds the assignment.
            ("reviewing:review_edit", role): [world["assignments"].get(role, assignment).pk]
            for role in world["users"]
        }
        | {
            ("reviewing:assignment_document", role): [
                world["assignments"].get(role, assignment).pk,
                world["filed_document"].pk,
            ]
            for role in world["users"]
        }
    )


ROLE_DEPENDENT = {
    "reviewing:assignment_detail",
    "reviewing:assignment_conflict",
    "reviewing:review_edit",
    "reviewing:assignment_document",
}


def access_world():
    from django.urls import reverse

    from intents.reviewing import assignments
    from tests import test_access

    world = unwrapped(test_access.world)(**conftest_fixtures())
    test_access.add_what_only_the_admin_shows(world)
    held = world["assignments"]["reviewer"]
    assignments.confirm_no_conflict(user=held.reviewer.user, assignment_id=held.pk)
    fixed = fixed_arguments(world)

    arguments = {}
    rows = []
    for url_name, role, method, outcome in test_access.ROWS:
        if method != "GET":
            continue
        key = (url_name, role) if url_name in ROLE_DEPENDENT else url_name
        if key not in arguments:
            if key in fixed or url_name in fixed:
                arguments[key] = fixed.get(key, fixed.get(url_name))
            else:
                arguments[key] = test_access.request_for(url_name, world, role)[0]
        path = reverse(url_name, args=arguments[key])
        rows.append({"url_name": url_name, "role": role, "path": path, "outcome": outcome})
    return {
        "users": {role: account(user) for role, user in world["users"].items()},
        "rows": rows,
        "letter": world["letter"].pk,
        "document_type": world["document_type"].pk,
        "filed": world["filed"].pk,
        "call": world["call"].slug,
    }


def filed_letter(call, mode, number):
    """A letter of a new organisation (owner and editor, both told of decisions) filed through
    the domain, its documents stored in the bucket."""
    from intents.letters import actions
    from portal.organisations.models import Role
    from tests.factories import MembershipFactory, attach_pdf, complete_letter_fields

    owner = MembershipFactory(role=Role.OWNER).user
    organisation = owner.memberships.get().organisation
    MembershipFactory(organisation=organisation, role=Role.EDITOR)
    letter = actions.start_letter(
        user=owner, organisation=organisation, call=call, mode=mode, title=f"Lunar probe {number}"
    )
    letter = actions.save_letter(
        letter_id=letter.pk,
        user=owner,
        expected_version=letter.version,
        changes={**complete_letter_fields(), "contact_email": owner.email},
    )
    for document_type in call.document_types.filter(required_for=mode):
        # A page count of its own per letter: every document has bytes of its own.
        name = f"{document_type.code}-{number}.pdf"
        attach_pdf(letter, owner, document_type, name, pages=number)
    letter.refresh_from_db()
    return actions.submit(letter_id=letter.pk, user=owner, expected_version=letter.version)


def two_nodes_world():
    """On the demo call (seed_demo): three more filed letters, an officer with an app, and the
    demo applicant's draft to upload to."""
    from intents.models import Call, DocumentType, LetterOfIntent
    from portal.accounts.roles import ensure_programme_office_group
    from tests.factories import UserFactory

    officer = UserFactory(email="duty.officer@example.org", is_programme_officer=True)
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    officer.groups.add(ensure_programme_office_group())
    call = Call.objects.get(slug="change-8")
    mode = call.modes.get(number=3)
    for number in (1, 2, 3):
        filed_letter(call, mode, number)
    draft = LetterOfIntent.objects.get(
        call=call, organisation__legal_name="Lunar Instruments Institute"
    )
    filed = LetterOfIntent.objects.filter(call=call, submitted_at__isnull=False).order_by("pk")
    return {
        "officer": account(officer),
        "call": call.slug,
        "draft": draft.pk,
        "document_type": DocumentType.objects.filter(call=call).order_by("position").first().pk,
        "letters": [
            {
                "id": letter.pk,
                "reference": letter.reference,
                "recipients": sorted(
                    letter.organisation.memberships.values_list("user__email", flat=True)
                ),
                "documents": sorted(
                    letter.documents.filter(removed_at__isnull=True).values_list(
                        "sha256", flat=True
                    )
                ),
            }
            for letter in filed
        ],
    }


def big_export(name, size):
    """A finished documents ZIP whose file (put in the bucket by the test) is `size` bytes."""
    from django.utils import timezone

    from intents.models import Call, ExportJob
    from portal.accounts.models import User

    job = ExportJob.objects.create(
        call=Call.objects.get(slug="change-8"),
        requested_by=User.objects.get(email="duty.officer@example.org"),
        state=ExportJob.State.DONE,
        file=name,
        size=int(size),
        total=1,
        done=1,
        finished_at=timezone.now(),
    )
    return {"job": job.pk}


BUILDERS = {"access": access_world, "two_nodes": two_nodes_world, "big_export": big_export}


def main():
    out, kind, *args = sys.argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    made = BUILDERS[kind](*args)
    with open(out, "w") as handle:
        json.dump(made, handle)


if __name__ == "__main__":
    main()
