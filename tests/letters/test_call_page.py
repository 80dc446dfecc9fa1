import datetime as dt

from django.urls import reverse
from django.utils import timezone

from intents.letters import actions
from intents.models import Extension, LetterOfIntent

from ..conftest import attach_pdf


def test_a_call_that_has_not_opened_is_hidden_from_the_public(client, call):
    call.opens_at = timezone.now() + dt.timedelta(days=1)
    call.save()
    assert client.get(call.get_absolute_url()).status_code == 404


def test_the_office_previews_a_call_before_it_opens(client, call, officer):
    call.opens_at = timezone.now() + dt.timedelta(days=1)
    call.save()
    client.force_login(officer)
    assert client.get(call.get_absolute_url()).status_code == 200


def test_the_call_page_shows_the_deadline_three_ways_and_the_modes(client, call, mode):
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Asia/Shanghai" in page
    assert "UTC" in page
    assert "data-countdown=" in page
    assert mode.name in page


def test_the_call_page_shows_the_chinese_text_to_chinese_readers(client, call):
    call.title_zh = "嫦娥八号合作征集"
    call.save()
    page = client.get(call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "嫦娥八号合作征集" in page


def test_the_number_of_documents_per_letter_is_capped(draft, owner, signed_letter_type, settings):
    settings.DOCUMENTS_PER_LETTER = 2
    attach_pdf(draft, owner, signed_letter_type)
    attach_pdf(draft, owner, signed_letter_type)
    try:
        attach_pdf(draft, owner, signed_letter_type)
    except actions.LetterError as error:
        assert "maximum number of documents" in str(error)
    else:
        raise AssertionError("a third document was accepted")
    assert draft.documents.count() == 2


def test_an_organisation_with_an_extension_can_still_start_a_letter(client, call, mode, owner):
    call.deadline = timezone.now() - dt.timedelta(hours=1)
    call.save()
    organisation = owner.memberships.get().organisation
    Extension.objects.create(
        call=call,
        organisation=organisation,
        closes_at=timezone.now() + dt.timedelta(days=2),
        reason="Ministerial signature delayed",
    )
    client.force_login(owner)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Start the draft" in page
    client.post(
        reverse("letters:letter_start", args=[call.slug]),
        {"organisation": organisation.pk, "mode": mode.pk, "title": "Late but allowed"},
    )
    assert LetterOfIntent.objects.filter(title="Late but allowed").exists()


def test_without_an_extension_a_closed_call_offers_no_form(client, call, mode, owner):
    call.deadline = timezone.now() - dt.timedelta(hours=1)
    call.save()
    client.force_login(owner)
    assert "Start the draft" not in client.get(call.get_absolute_url()).content.decode()
