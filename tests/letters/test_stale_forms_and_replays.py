"""Edge cases of the letter's life: stale forms, replays, and changes that change nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intents.letters import actions
from intents.models import Call, LetterOfIntent
from portal.notifications.models import OutboundEmail

from ..conftest import attach_pdf
from ..factories import LetterFactory, complete_letter_fields


def test_a_stale_submit_after_a_colleagues_submit_is_not_reported_as_mine(complete_draft, owner):
    stale_version = complete_draft.version
    actions.save_letter(
        letter_id=complete_draft.pk,
        user=owner,
        changes={"summary": "The colleague's summary."},
        expected_version=stale_version,
    )
    complete_draft.refresh_from_db()
    actions.submit(letter_id=complete_draft.pk, user=owner, expected_version=complete_draft.version)
    with pytest.raises(actions.AlreadySubmitted):
        actions.submit(letter_id=complete_draft.pk, user=owner, expected_version=stale_version)


def test_the_same_submit_form_sent_twice_lands_on_the_same_receipt(client, complete_draft, owner):
    client.force_login(owner)
    url = reverse("letters:letter_submit", args=[complete_draft.pk])
    first = client.post(url, {"version": complete_draft.version})
    second = client.post(url, {"version": complete_draft.version})
    assert first.url == second.url == reverse("letters:letter_receipt", args=[complete_draft.pk, 1])
    assert complete_draft.versions.count() == 1


def test_saving_a_stale_copy_of_the_call_does_not_break_reference_numbers(
    complete_draft, owner, mode, organisation, signed_letter_type
):
    stale_call = Call.objects.get(pk=complete_draft.call_id)
    actions.submit(letter_id=complete_draft.pk, user=owner, expected_version=complete_draft.version)
    stale_call.grace_minutes = 30
    stale_call.save()

    second = LetterFactory(mode=mode, organisation=organisation, **complete_letter_fields())
    attach_pdf(second, owner, signed_letter_type)
    second.refresh_from_db()
    filed = actions.submit(letter_id=second.pk, user=owner, expected_version=second.version)
    assert filed.reference.endswith("-LOI-0002")


def test_an_amendment_that_changes_nothing_files_nothing(submitted, owner):
    actions.save_letter(
        letter_id=submitted.pk,
        user=owner,
        changes={"summary": submitted.summary, "trl": submitted.trl},
        expected_version=submitted.version,
    )
    assert submitted.versions.count() == 1
    assert OutboundEmail.objects.filter(idempotency_key__contains=":v2:").count() == 0


def test_an_upload_does_not_make_an_open_edit_form_stale(draft, owner, signed_letter_type):
    version_in_the_open_form = draft.version
    attach_pdf(draft, owner, signed_letter_type)
    letter = actions.save_letter(
        letter_id=draft.pk,
        user=owner,
        changes={"summary": "Written while a colleague uploaded."},
        expected_version=version_in_the_open_form,
    )
    assert letter.summary == "Written while a colleague uploaded."


def test_a_stale_withdraw_page_cannot_withdraw_an_amended_letter(submitted, owner):
    stale_version = submitted.version
    actions.save_letter(
        letter_id=submitted.pk,
        user=owner,
        changes={"summary": "Amended."},
        expected_version=stale_version,
    )
    with pytest.raises(actions.StaleVersion):
        actions.withdraw(
            letter_id=submitted.pk, user=owner, reason="x", expected_version=stale_version
        )
    assert LetterOfIntent.objects.get(pk=submitted.pk).is_submitted


def test_removing_a_document_twice_gives_a_clear_answer(draft, owner, signed_letter_type):
    document = attach_pdf(draft, owner, signed_letter_type)
    actions.remove_document(letter_id=draft.pk, user=owner, document_id=document.pk)
    with pytest.raises(actions.LetterError, match="already been removed"):
        actions.remove_document(letter_id=draft.pk, user=owner, document_id=document.pk)


@pytest.mark.parametrize("url_name", ["letters:letter_edit", "letters:letter_withdraw"])
def test_a_closed_letter_sends_its_forms_back_to_the_letter(client, draft, owner, url_name):
    Call.objects.filter(pk=draft.call_id).update(deadline=timezone.now() - dt.timedelta(hours=1))
    client.force_login(owner)
    response = client.get(reverse(url_name, args=[draft.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("letters:letter_detail", args=[draft.pk])
    assert "The deadline for this call has passed" in response.content.decode()
