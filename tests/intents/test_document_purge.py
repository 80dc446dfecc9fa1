"""Removed draft documents are deleted from storage after a grace period, unless a receipt names
them; and a letter's uploads, removed ones included, never hold more than its quota.

Bytes are counted in the storage folder itself, not in the rows.
"""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from intents import documents_lifecycle
from intents.integrity import verify
from intents.letters import actions
from intents.models import Document
from intents.tasks import purge_removed_documents
from intents.uploads import inspect_upload

from ..object_storage import S3Server
from .test_uploads import pdf_of_size

SIZE = 40_000
QUOTA = 5 * SIZE + 100  # five uploads (each a few bytes over SIZE), not six


@pytest.fixture(autouse=True)
def own_storage(settings, tmp_path):
    """A private storage folder of this test's own, so its bytes can be counted."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    settings.LETTER_STORAGE_QUOTA_BYTES = QUOTA
    settings.REMOVED_DOCUMENT_GRACE_HOURS = 24
    return tmp_path / "private"


def stored_bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file())


def upload(letter, user, document_type, serial, size=SIZE):
    # Each serial gives different bytes (a different SHA-256).
    data = pdf_of_size(size + serial)
    file = SimpleUploadedFile(f"letter-{serial}.pdf", data, content_type="application/pdf")
    return actions.add_document(
        letter_id=letter.pk,
        user=user,
        document_type=document_type,
        stored_file=file,
        inspected=inspect_upload(file, 10 * size),
        original_name=file.name,
    )


def remove(letter, user, document):
    return actions.remove_document(letter_id=letter.pk, user=user, document_id=document.pk)


def age_removals(hours):
    """Every removal happened `hours` ago."""
    Document.objects.filter(removed_at__isnull=False).update(
        removed_at=timezone.now() - dt.timedelta(hours=hours)
    )


def test_uploads_and_removals_on_a_draft_never_hold_more_than_the_quota(
    draft, owner, signed_letter_type, own_storage
):
    accepted = refused = 0
    for serial in range(12):
        try:
            document = upload(draft, owner, signed_letter_type, serial)
        except actions.LetterError as error:
            refused += 1
            assert "MB" in str(error)
        else:
            accepted += 1
            remove(draft, owner, document)
        assert stored_bytes(own_storage) <= QUOTA
    # Five fit; the rest wait for the purge.
    assert (accepted, refused) == (5, 7)

    age_removals(25)
    assert purge_removed_documents.apply().get() == 5
    assert stored_bytes(own_storage) == 0
    # The rows stay, for the history; the files are gone.
    assert Document.objects.filter(file_purged_at__isnull=False).count() == 5
    # The quota is free again.
    upload(draft, owner, signed_letter_type, 100)
    assert stored_bytes(own_storage) == SIZE + 100


def test_the_purge_waits_for_the_grace_period(draft, owner, signed_letter_type, own_storage):
    remove(draft, owner, upload(draft, owner, signed_letter_type, 1))
    age_removals(23)
    assert documents_lifecycle.purge_removed_documents() == 0
    assert stored_bytes(own_storage) == SIZE + 1


def test_documents_a_receipt_names_are_never_deleted(
    complete_draft, owner, signed_letter_type, own_storage
):
    letter = complete_draft
    # Uploaded to the draft and removed before submission: no receipt names it.
    draft_only = upload(letter, owner, signed_letter_type, 1)
    remove(letter, owner, draft_only)
    letter = actions.submit(letter_id=letter.pk, user=owner, expected_version=letter.version)
    original = letter.documents.get(original_name="letter.pdf")
    # An upload to a submitted letter replaces the document of its type: v2 names the new one
    # and no longer the submitted one (which v1 names); v3 replaces it in turn.
    amended_in = upload(letter, owner, signed_letter_type, 2)
    upload(letter, owner, signed_letter_type, 3)
    age_removals(48)

    assert documents_lifecycle.purge_removed_documents() == 1
    assert documents_lifecycle.purge_removed_documents() == 0  # a second run finds nothing
    purged = Document.objects.get(file_purged_at__isnull=False)
    assert purged.pk == draft_only.pk
    for kept in (amended_in, original):
        kept.refresh_from_db()
        assert kept.file_purged_at is None
        assert kept.file.storage.exists(kept.file.name)

    report = verify(workers=1)
    # Every receipt still verifies, and the purged file, which no receipt names, is not missed.
    assert report.versions == 3
    assert report.ok, report.problems


def test_a_file_the_storage_would_not_delete_is_left_for_the_next_run(
    draft, owner, signed_letter_type, s3_storage
):
    document = upload(draft, owner, signed_letter_type, 1)
    remove(draft, owner, document)
    age_removals(25)
    s3_storage.stop()
    assert documents_lifecycle.purge_removed_documents() == 0
    document.refresh_from_db()
    assert document.file_purged_at is None  # the claim was given back
    # The server back (empty, as after losing the object): the next run finishes the purge.
    S3Server(port=s3_storage.port, bucket=s3_storage.bucket).start()
    assert documents_lifecycle.purge_removed_documents() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_delete_each_file_once(draft, owner, signed_letter_type, own_storage):
    """The conditional UPDATE gives each removed document to one run of two started together,
    each on a connection of its own."""
    documents = [upload(draft, owner, signed_letter_type, serial) for serial in (1, 2, 3)]
    for document in documents:
        remove(draft, owner, document)
    age_removals(25)
    start = threading.Barrier(2)

    def run():
        start.wait()
        try:
            return documents_lifecycle.purge_removed_documents()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        purged = [future.result() for future in [pool.submit(run), pool.submit(run)]]
    assert sum(purged) == 3
    assert stored_bytes(own_storage) == 0
    assert Document.objects.filter(file_purged_at__isnull=False).count() == 3
