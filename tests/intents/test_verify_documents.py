"""`manage.py verify_documents`: every stored document re-hashed against what was recorded, every
receipt checked against the stored bytes, and drift named by letter reference and document id."""

import hashlib
import json
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from intents.letters import actions
from intents.models import LetterVersion
from intents.uploads import inspect_upload
from portal.storage import private_storage

from ..conftest import attach_pdf
from ..factories import CallFactory, DocumentTypeFactory, LetterFactory, ModeFactory, pdf_upload


@pytest.fixture(autouse=True)
def own_storage(settings, tmp_path):
    """A private storage folder of this test's own, so tampering with it touches nothing else."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


def verify(*args):
    """(exit status, output) of the command, as an operator's shell would see them."""
    out = StringIO()
    try:
        call_command("verify_documents", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def attach_pages(letter, user, document_type, pages):
    """A PDF of `pages` blank pages: bytes of its own (attach_pdf's are all alike)."""
    upload = pdf_upload(f"{pages}-pages.pdf", pages=pages)
    return actions.add_document(
        letter_id=letter.pk,
        user=user,
        document_type=document_type,
        stored_file=upload,
        inspected=inspect_upload(upload, 10**7),
        original_name=upload.name,
    )


def overwrite(name, data):
    storage = private_storage()
    storage.delete(name)
    assert storage.save(name, ContentFile(data)) == name


def test_a_portal_whose_documents_are_intact_passes_with_a_summary_line(submitted):
    status, output = verify()
    assert status == 0, output
    document = submitted.documents.get()
    assert (
        f"Checked 1 stored document(s) ({document.size} bytes) and 1 hash(es) in 1 filed version(s)"
    ) in output
    assert "no drift" in output


def test_a_missing_file_is_named_by_letter_reference_and_document_id(submitted):
    document = submitted.documents.get()
    private_storage().delete(document.file.name)
    status, output = verify()
    assert status == 1
    assert "MISSING" in output
    assert f"{submitted.reference}  document {document.pk} [{document.file.name}]" in output
    # The receipt of the filed version cannot verify either, and says which version.
    assert f"RECEIPT-UNVERIFIED  {submitted.reference} v1" in output
    assert "2 problem(s)" in output


def test_stored_bytes_that_no_longer_hash_to_the_record_are_a_wrong_hash(submitted):
    document = submitted.documents.get()
    data = bytearray(private_storage().open(document.file.name).read())
    data[-10] ^= 0xFF  # same size, one byte flipped
    overwrite(document.file.name, bytes(data))
    status, output = verify()
    assert status == 1
    assert f"WRONG-HASH          {submitted.reference}  document {document.pk}" in output
    assert document.sha256 in output
    assert hashlib.sha256(bytes(data)).hexdigest() in output


def test_a_truncated_file_is_a_wrong_size(submitted):
    document = submitted.documents.get()
    data = private_storage().open(document.file.name).read()
    overwrite(document.file.name, data[:100])
    status, output = verify()
    assert status == 1
    assert f"WRONG-SIZE          {submitted.reference}  document {document.pk}" in output
    assert f"recorded {document.size} bytes, stored 100 bytes" in output


def test_a_receipt_naming_bytes_no_document_holds_does_not_verify(submitted):
    version = submitted.versions.get()
    version.snapshot["documents"][0]["sha256"] = "f" * 64
    version.save()
    status, output = verify()
    assert status == 1
    assert f"RECEIPT-UNVERIFIED  {submitted.reference} v1  receipt: sha256 {'f' * 64}" in output
    assert "no document of the letter is recorded with these bytes" in output


def test_a_removed_document_still_backs_the_earlier_receipt_that_names_it(
    submitted, owner, signed_letter_type
):
    first = submitted.documents.get()
    # On a submitted letter the upload replaces the document of its type (version 2).
    attach_pages(submitted, owner, signed_letter_type, pages=2)
    first.refresh_from_db()
    assert first.removed_at is not None
    assert LetterVersion.objects.filter(letter=submitted).count() == 2
    status, output = verify()
    assert status == 0, output
    private_storage().delete(first.file.name)
    status, output = verify()
    assert status == 1
    # Version 1 froze the removed document; version 2 no longer names it.
    assert f"{submitted.reference} v1" in output
    assert f"{submitted.reference} v2" not in output


def test_a_drafts_documents_are_checked_and_named_by_the_drafts_id(complete_draft):
    document = complete_draft.documents.get()
    private_storage().delete(document.file.name)
    status, output = verify()
    assert status == 1
    assert f"draft #{complete_draft.pk}  document {document.pk}" in output


def test_json_output_lists_each_problem_with_its_letter_and_document(submitted):
    document = submitted.documents.get()
    private_storage().delete(document.file.name)
    status, output = verify("--json")
    assert status == 1
    report = json.loads(output[: output.rindex("}") + 1])
    assert report["ok"] is False
    assert report["documents"] == 1 and report["versions"] == 1
    assert {
        "kind": "missing",
        "letter": submitted.reference,
        "document_id": document.pk,
        "stored_name": document.file.name,
        "detail": f"not in the storage (recorded {document.size} bytes)",
        "version": None,
    } in report["problems"]


def test_call_limits_the_check_to_that_calls_letters(submitted, owner):
    other_call = CallFactory()
    other_letter = LetterFactory(
        mode=ModeFactory(call=other_call), organisation=submitted.organisation
    )
    other_type = DocumentTypeFactory(call=other_call)
    broken = attach_pdf(other_letter, owner, other_type)
    private_storage().delete(broken.file.name)

    assert verify("--call", submitted.call.slug)[0] == 0
    assert verify("--call", submitted.call.reference_prefix)[0] == 0
    status, output = verify("--call", str(other_call.pk))
    assert status == 1 and f"document {broken.pk}" in output
    status, output = verify("--call", "no-such-call")
    assert status == 1 and "No call with the slug" in output


def test_many_documents_are_checked_in_parallel_and_each_drift_is_found(
    submitted, owner, signed_letter_type, settings
):
    settings.DOCUMENTS_PER_LETTER = 100
    documents = [attach_pages(submitted, owner, signed_letter_type, pages=n) for n in range(2, 42)]
    for document in documents[::10]:
        private_storage().delete(document.file.name)
    status, output = verify("--workers", "6")
    assert status == 1
    for n, document in enumerate(documents):
        assert (f"document {document.pk} [" in output) == (n % 10 == 0)
    assert "Checked 41 stored document(s)" in output


def test_documents_on_object_storage_are_streamed_and_checked(s3_storage, owner, submitted):
    document = submitted.documents.get()
    assert verify()[0] == 0
    client = s3_storage.client()
    key = f"portal/{document.file.name}"
    stored = s3_storage.keys()
    assert key in stored
    client.put_object(Bucket=s3_storage.bucket, Key=key, Body=b"%PDF-1.7 not what was filed")
    status, output = verify()
    assert status == 1
    assert f"WRONG-SIZE          {submitted.reference}  document {document.pk}" in output
    client.delete_object(Bucket=s3_storage.bucket, Key=key)
    status, output = verify()
    assert status == 1 and "MISSING" in output and f"document {document.pk}" in output
