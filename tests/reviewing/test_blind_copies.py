"""Blind review: reviewers download a copy of each PDF without the metadata that names the
applicant (/Author, /Creator, /Producer, /Title, /Subject, /Keywords and XMP); the office and
the applicant still get the original, byte for byte, and the copy's SHA-256 is recorded."""

import hashlib
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from intents import documents_lifecycle
from intents.letters import actions
from intents.models import Document
from intents.reviewing import assignments
from intents.uploads import inspect_upload
from portal.storage import read_chunks

from ..factories import (
    CallFactory,
    DocumentTypeFactory,
    LetterFactory,
    MembershipFactory,
    ModeFactory,
    ReviewerFactory,
    UserFactory,
    complete_letter_fields,
)

APPLICANT = "Zephyr Orbital Cooperative"
AUTHOR = "Barnaby Quillfeather"
XMP_NAME = "quillfeather@zephyr-orbital.example"
IDENTIFYING = [APPLICANT, AUTHOR, XMP_NAME, "Zephyr", "Quillfeather"]


def pdf_naming_the_applicant():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata(
        {
            "/Author": AUTHOR,
            "/Creator": f"{APPLICANT} word processor",
            "/Producer": f"{APPLICANT} PDF export",
            "/Title": f"Letter of {APPLICANT}",
            "/Subject": "Cooperation",
            "/Keywords": "Zephyr, lunar",
        }
    )
    xmp = StreamObject()
    xmp.set_data(
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{AUTHOR} {XMP_NAME}</dc:creator>'
        "</x:xmpmeta>".encode()
    )
    xmp.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def leaks(data: bytes):
    return [name for name in IDENTIFYING if name.encode().lower() in data.lower()]


def body(response):
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def build(*, blind, django_capture_on_commit_callbacks):
    call = CallFactory(blind_review=blind)
    mode = ModeFactory(call=call, number=1)
    signed = DocumentTypeFactory(call=call, code="signed-letter", name="Signed letter")
    signed.required_for.add(mode)
    owner = MembershipFactory(user=UserFactory(full_name=AUTHOR)).user
    draft = LetterFactory(
        organisation=owner.memberships.get().organisation,
        mode=mode,
        created_by=owner,
        **complete_letter_fields(),
    )
    original = pdf_naming_the_applicant()
    upload = SimpleUploadedFile("zephyr.pdf", original, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        document = actions.add_document(
            letter_id=draft.pk,
            user=owner,
            document_type=signed,
            stored_file=upload,
            inspected=inspect_upload(upload, settings.DOCUMENT_MAX_BYTES),
            original_name="zephyr.pdf",
        )
    draft.refresh_from_db()
    letter = actions.submit(letter_id=draft.pk, user=owner, expected_version=draft.version)
    officer = UserFactory(is_programme_officer=True)
    place = ReviewerFactory(call=call, country="DE", expertise=[mode])
    assignment = assignments.assign(user=officer, reviewer_id=place.pk, letter_id=letter.pk)
    assignments.confirm_no_conflict(user=place.user, assignment_id=assignment.pk)
    return {
        "original": original,
        "document": document,
        "owner": owner,
        "officer": officer,
        "place": place,
        "assignment": assignment,
        "letter": letter,
    }


@pytest.fixture(autouse=True)
def copies_made_in_process(monkeypatch):
    """The task enqueued on commit runs here, with or without a broker (CI sets REDIS_URL)."""
    from intents.documents_lifecycle import make_blind_copy_task as task

    monkeypatch.setattr(
        task, "apply_async", lambda args, kwargs=None, **options: task.apply(args, kwargs)
    )


@pytest.fixture
def blind(db, django_capture_on_commit_callbacks):
    return build(blind=True, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)


def reviewer_download(client, world):
    client.force_login(world["place"].user)
    url = reverse(
        "reviewing:assignment_document", args=[world["assignment"].pk, world["document"].pk]
    )
    return client.get(url)


def test_the_original_names_the_applicant():
    """So the searches below can fail."""
    assert leaks(pdf_naming_the_applicant()) == IDENTIFYING


def test_the_copy_is_made_on_upload_and_its_hash_recorded(blind):
    document = Document.objects.get(pk=blind["document"].pk)
    assert document.blind_copy  # made by the task enqueued on commit
    copy = b"".join(read_chunks(document.blind_copy.storage, document.blind_copy.name))
    assert document.blind_copy_sha256 == hashlib.sha256(copy).hexdigest()
    assert document.blind_copy_size == len(copy)
    # The original stays the filed, hashed document.
    assert document.sha256 == hashlib.sha256(blind["original"]).hexdigest()


def test_a_blind_reviewer_downloads_a_copy_without_identifying_metadata(client, blind):
    data = body(reviewer_download(client, blind))
    assert leaks(data) == []
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert not reader.metadata
    assert "/Metadata" not in reader.trailer["/Root"]
    document = Document.objects.get(pk=blind["document"].pk)
    assert hashlib.sha256(data).hexdigest() == document.blind_copy_sha256


def test_the_copy_is_made_on_first_download_if_the_worker_never_did(client, blind):
    document = Document.objects.get(pk=blind["document"].pk)
    document.blind_copy.storage.delete(document.blind_copy.name)
    Document.objects.filter(pk=document.pk).update(
        blind_copy="", blind_copy_sha256="", blind_copy_size=None
    )
    data = body(reviewer_download(client, blind))
    assert leaks(data) == []
    document.refresh_from_db()
    assert document.blind_copy_sha256 == hashlib.sha256(data).hexdigest()
    # A second download serves the same recorded copy.
    assert body(reviewer_download(client, blind)) == data


def test_the_office_and_the_applicant_get_the_original_byte_for_byte(client, blind):
    url = blind["document"].get_download_url()
    for user in (blind["owner"], blind["officer"]):
        client.force_login(user)
        assert body(client.get(url)) == blind["original"]


def test_without_blind_review_no_copy_is_made_and_reviewers_get_the_original(
    client, db, django_capture_on_commit_callbacks
):
    world = build(
        blind=False, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    assert not Document.objects.get(pk=world["document"].pk).blind_copy
    assert body(reviewer_download(client, world)) == world["original"]


def test_making_the_copy_twice_keeps_one(blind):
    document = Document.objects.get(pk=blind["document"].pk)
    again = documents_lifecycle.make_blind_copy(document.pk)
    assert again.blind_copy.name == document.blind_copy.name


def test_a_file_that_cannot_be_stripped_is_refused_with_a_page_not_served(client, blind, caplog):
    """Whatever pypdf raises, the reviewer gets a page saying so and never the original."""
    document = Document.objects.get(pk=blind["document"].pk)
    storage = document.file.storage
    storage.delete(document.blind_copy.name)
    storage.delete(document.file.name)
    storage.save(document.file.name, io.BytesIO(b"%PDF-1.7\nnot a PDF after all\n%%EOF\n"))
    Document.objects.filter(pk=document.pk).update(
        blind_copy="", blind_copy_sha256="", blind_copy_size=None
    )

    response = reviewer_download(client, blind)

    assert response.status_code == 422
    assert "cannot be prepared for blind review" in response.content.decode()
    assert not Document.objects.get(pk=document.pk).blind_copy
    assert "No blind copy could be made" in caplog.text
