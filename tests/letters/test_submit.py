import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intents.letters import actions
from intents.models import Extension, LetterOfIntent, LetterVersion, ReferenceSequence
from portal.notifications.models import OutboundEmail

from ..factories import LetterFactory


def test_it_assigns_the_first_reference_on_submission(submitted):
    assert submitted.state == LetterOfIntent.State.SUBMITTED
    assert submitted.reference == f"{submitted.call.reference_prefix}-LOI-0001"
    assert submitted.submitted_at is not None


def test_it_files_a_version_with_document_fingerprints(submitted):
    version = submitted.versions.get()
    assert version.kind == LetterVersion.Kind.SUBMISSION
    [document] = version.snapshot["documents"]
    assert document["sha256"] == submitted.documents.get().sha256
    assert len(document["sha256"]) == 64


def test_it_queues_a_receipt_for_owners_and_editors(submitted, owner, editor, viewer):
    # The editor joined after the submission in fixture order, so only the owner was there.
    receipts = OutboundEmail.objects.filter(idempotency_key__startswith=f"receipt:{submitted.pk}:")
    assert [email.to for email in receipts] == [owner.email]
    body = receipts.get().body_text
    assert submitted.reference in body
    assert submitted.documents.get().sha256 in body
    assert "UTC" in body and "Asia/Shanghai" in body


def test_it_refuses_an_incomplete_letter(draft, owner):
    with pytest.raises(actions.Incomplete) as raised:
        actions.submit(letter_id=draft.pk, user=owner, expected_version=draft.version)
    assert any("Summary" in item or "summary" in item for item in raised.value.items)
    draft.refresh_from_db()
    assert draft.state == LetterOfIntent.State.DRAFT
    assert draft.reference == ""


def test_it_refuses_a_letter_without_the_required_document(draft, owner, signed_letter_type):
    from ..factories import complete_letter_fields

    LetterOfIntent.objects.filter(pk=draft.pk).update(**complete_letter_fields())
    with pytest.raises(actions.Incomplete) as raised:
        actions.submit(letter_id=draft.pk, user=owner, expected_version=draft.version)
    assert raised.value.items == ["Document: Signed letter"]


def test_a_replayed_submit_files_only_once(complete_draft, owner):
    version = complete_draft.version
    first = actions.submit(letter_id=complete_draft.pk, user=owner, expected_version=version)
    second = actions.submit(letter_id=complete_draft.pk, user=owner, expected_version=version)
    assert first.reference == second.reference
    assert LetterVersion.objects.filter(letter=complete_draft).count() == 1
    assert ReferenceSequence.objects.get(call=complete_draft.call).last_number == 1


def test_it_refuses_after_the_deadline(complete_draft, owner):
    call = complete_draft.call
    call.deadline = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    with pytest.raises(actions.DeadlinePassed):
        actions.submit(
            letter_id=complete_draft.pk, user=owner, expected_version=complete_draft.version
        )


def test_grace_minutes_keep_the_call_open(complete_draft, owner):
    call = complete_draft.call
    call.deadline = timezone.now() - dt.timedelta(minutes=1)
    call.grace_minutes = 15
    call.save()
    letter = actions.submit(
        letter_id=complete_draft.pk, user=owner, expected_version=complete_draft.version
    )
    assert letter.is_submitted


def test_an_extension_keeps_the_call_open_for_that_organisation_only(complete_draft, owner):
    call = complete_draft.call
    call.deadline = timezone.now() - dt.timedelta(hours=1)
    call.save()
    Extension.objects.create(
        call=call,
        organisation=complete_draft.organisation,
        closes_at=timezone.now() + dt.timedelta(days=1),
        reason="Signature delayed by a national holiday",
    )
    letter = actions.submit(
        letter_id=complete_draft.pk, user=owner, expected_version=complete_draft.version
    )
    assert letter.is_submitted
    other = LetterFactory(mode=complete_draft.mode)
    with pytest.raises(actions.DeadlinePassed):
        actions.save_letter(
            letter_id=other.pk, user=owner, changes={"title": "x"}, expected_version=other.version
        )


def test_a_forged_submit_after_the_deadline_is_refused(client, complete_draft, owner):
    call = complete_draft.call
    call.deadline = timezone.now() - dt.timedelta(seconds=1)
    call.save()
    client.force_login(owner)
    page = client.get(reverse("letters:letter_submit", args=[complete_draft.pk]))
    assert b'id="confirm-submit"' not in page.content
    response = client.post(
        reverse("letters:letter_submit", args=[complete_draft.pk]),
        {"version": complete_draft.version},
        follow=True,
    )
    assert "deadline" in response.content.decode().lower()
    complete_draft.refresh_from_db()
    assert complete_draft.state == LetterOfIntent.State.DRAFT


def test_submit_through_the_page_shows_the_receipt(client, complete_draft, owner):
    client.force_login(owner)
    response = client.post(
        reverse("letters:letter_submit", args=[complete_draft.pk]),
        {"version": complete_draft.version},
        follow=True,
    )
    complete_draft.refresh_from_db()
    assert complete_draft.reference in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "letters:letter_receipt", args=[complete_draft.pk, 1]
    )


def test_an_amendment_files_a_new_version_and_receipt(submitted, owner):
    letter = actions.save_letter(
        letter_id=submitted.pk,
        user=owner,
        changes={"summary": "A better summary."},
        expected_version=submitted.version,
    )
    assert letter.summary == "A better summary."
    assert [version.number for version in letter.versions.all()] == [2, 1]
    assert letter.versions.first().kind == LetterVersion.Kind.AMENDMENT
    assert OutboundEmail.objects.filter(idempotency_key__startswith=f"receipt:{letter.pk}:v2:")


def test_an_amendment_must_keep_the_letter_complete(submitted, owner):
    with pytest.raises(actions.Incomplete):
        actions.save_letter(
            letter_id=submitted.pk,
            user=owner,
            changes={"summary": ""},
            expected_version=submitted.version,
        )
    submitted.refresh_from_db()
    assert submitted.summary


def test_a_withdrawn_letter_cannot_change(submitted, owner):
    actions.withdraw(
        letter_id=submitted.pk, user=owner, reason="Budget cut", expected_version=submitted.version
    )
    with pytest.raises(actions.LetterError):
        actions.save_letter(
            letter_id=submitted.pk, user=owner, changes={"title": "x"}, expected_version=99
        )
    assert OutboundEmail.objects.filter(idempotency_key__startswith=f"withdrawal:{submitted.pk}:")


def test_a_withdrawn_letter_says_when_in_one_sentence(client, submitted, owner):
    actions.withdraw(
        letter_id=submitted.pk,
        user=owner,
        reason="We will apply next year.",
        expected_version=submitted.version,
    )
    LetterOfIntent.objects.filter(pk=submitted.pk).update(
        withdrawn_at=dt.datetime(2026, 12, 6, 16, 18, tzinfo=dt.UTC)
    )
    client.force_login(owner)
    page = client.get(reverse("letters:letter_detail", args=[submitted.pk])).content.decode()
    # Was "Withdrawn on Dec. 6, 2026, 4:18 p.m.. We will…": no zone, and two full stops.
    assert "Withdrawn on 6 Dec 2026, 16:18 UTC. We will apply next year." in page
