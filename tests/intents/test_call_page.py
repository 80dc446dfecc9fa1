import datetime as dt

from django.utils import timezone

from intents import domain

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
    except domain.LetterError as error:
        assert "maximum number of documents" in str(error)
    else:
        raise AssertionError("a third document was accepted")
    assert draft.documents.count() == 2
