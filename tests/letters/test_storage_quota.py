"""The per-letter storage quota through the real views: the letter page says how much is used,
and an upload that would pass the quota is refused with a message naming both figures."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from intents.models import Document

from ..intents.test_document_purge import own_storage, stored_bytes  # noqa: F401
from ..intents.test_uploads import pdf_of_size
from .test_documents import messages_of, post_file

MB = 1024 * 1024


@pytest.fixture
def signed_in(client, owner, settings):
    settings.LETTER_STORAGE_QUOTA_BYTES = 2 * MB
    client.force_login(owner)
    return client


def test_the_letter_page_shows_the_storage_used(signed_in, draft, signed_letter_type):
    page = signed_in.get(reverse("letters:letter_detail", args=[draft.pk])).content.decode()
    assert escape("0.0 MB of 2.0 MB used") in page
    post_file(signed_in, draft, signed_letter_type, pdf_of_size(MB // 2))
    page = signed_in.get(reverse("letters:letter_detail", args=[draft.pk])).content.decode()
    assert escape("0.5 MB of 2.0 MB used") in page


def test_an_upload_past_the_quota_is_refused_and_removed_drafts_count(
    signed_in,
    draft,
    signed_letter_type,
    owner,
    own_storage,  # noqa: F811
):
    post_file(signed_in, draft, signed_letter_type, pdf_of_size(MB))
    document = Document.objects.get()
    signed_in.post(reverse("letters:document_remove", args=[draft.pk, document.pk]))
    post_file(signed_in, draft, signed_letter_type, pdf_of_size(MB // 2))
    response = post_file(signed_in, draft, signed_letter_type, pdf_of_size(MB - 1))
    [message] = messages_of(response)
    assert "may take up 2.0 MB; 1.5 MB are used and this file needs 1.0 MB" in message
    assert Document.objects.count() == 2
    assert stored_bytes(own_storage) == MB + MB // 2
    page = response.content.decode()
    assert escape("1.5 MB of 2.0 MB used") in page
