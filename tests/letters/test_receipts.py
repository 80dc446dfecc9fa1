import datetime as dt

from django.urls import reverse

from intents.letters import actions
from portal.audit.models import AuditEvent
from portal.notifications.models import OutboundEmail


def test_the_receipt_is_written_in_the_recipients_language_and_zone(complete_draft, owner):
    owner.language, owner.time_zone = "zh-hans", "Europe/Berlin"
    owner.save()
    letter = actions.submit(
        letter_id=complete_draft.pk, user=owner, expected_version=complete_draft.version
    )
    receipt = OutboundEmail.objects.get(idempotency_key__startswith=f"receipt:{letter.pk}:")
    assert "回执" in receipt.subject
    assert letter.reference in receipt.subject
    assert "接收时间（官方时间）" in receipt.body_text
    assert "Asia/Shanghai" in receipt.body_text


def test_submitting_leaves_an_audit_trail(submitted, owner):
    verbs = list(
        AuditEvent.objects.filter(target_id=str(submitted.pk)).values_list("verb", flat=True)
    )
    assert "letter.submitted" in verbs
    assert "document.uploaded" in verbs
    event = AuditEvent.objects.get(verb="letter.submitted")
    assert event.actor == owner
    assert event.data["reference"] == submitted.reference


def test_the_receipt_page_lists_each_documents_fingerprint(client, submitted, owner):
    client.force_login(owner)
    page = client.get(reverse("letters:letter_receipt", args=[submitted.pk, 1])).content.decode()
    assert submitted.documents.get().sha256 in page
    assert "UTC" in page and "Asia/Shanghai" in page


def test_downloading_a_document_is_audited(client, submitted, owner):
    document = submitted.documents.get()
    client.force_login(owner)
    response = client.get(document.get_download_url())
    b"".join(response.streaming_content)
    assert AuditEvent.objects.filter(verb="document.downloaded", actor=owner).exists()


def test_the_receipt_page_shows_the_moment_in_the_readers_own_zone(client, submitted, owner):
    owner.time_zone = "America/Sao_Paulo"
    owner.save()
    submitted.versions.filter(number=1).update(
        created_at=dt.datetime(2026, 12, 6, 16, 18, 5, tzinfo=dt.UTC)
    )
    client.force_login(owner)
    page = client.get(reverse("letters:letter_receipt", args=[submitted.pk, 1])).content.decode()
    assert "6 Dec 2026, 16:18:05 UTC" in page
    assert "7 Dec 2026, 00:18:05 Asia/Shanghai" in page  # the call's official time
    assert "Received (your time zone)" in page
    assert "6 Dec 2026, 13:18:05 America/Sao_Paulo" in page


def test_a_reader_in_utc_is_told_the_receipt_is_in_utc(client, submitted, owner):
    submitted.versions.filter(number=1).update(
        created_at=dt.datetime(2026, 12, 6, 16, 18, 5, tzinfo=dt.UTC)
    )
    client.force_login(owner)
    page = client.get(reverse("letters:letter_receipt", args=[submitted.pk, 1])).content.decode()
    mine = page.split('id="received-your-time">')[1].split("</dd>")[0]
    assert mine == "6 Dec 2026, 16:18:05 UTC"


def test_on_a_phone_the_receipts_documents_read_as_stacked_rows(client, submitted, owner):
    """A four-column table at 320 px hid the fingerprints past the screen's edge; stacked,
    each document's whole SHA-256 stays in view (portal.css, .table-stack)."""
    client.force_login(owner)
    page = client.get(reverse("letters:letter_receipt", args=[submitted.pk, 1])).content.decode()
    assert 'class="table table-sm table-stack" id="receipt-documents"' in page
    assert '<td data-label="SHA-256"><code' in page
