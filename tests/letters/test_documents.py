"""Uploading, downloading and removing documents through the real views.

An upload is either stored whole (a random name in private storage, a row describing it) or
refused with a message saying why, leaving no row, no stored file and no temporary file.
"""

import hashlib
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from intents.models import Document, LetterVersion
from portal.audit.models import AuditEvent

from ..conftest import attach_pdf
from ..factories import DocumentTypeFactory, LetterFactory, ModeFactory, pdf_bytes
from ..intents.test_uploads import HOSTILE_CASES, TEST_LIMIT, pdf_of_size

STORED_NAME = r"documents/[0-9a-f]{2}/[0-9a-f]{32}\.bin"


def files_under(root):
    root = Path(root)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


@pytest.fixture
def private_files():
    """The files in private storage now; call it again to see what a request added."""
    before = files_under(settings.PRIVATE_STORAGE_ROOT)
    return lambda: files_under(settings.PRIVATE_STORAGE_ROOT) - before


@pytest.fixture
def temporary_uploads(tmp_path, monkeypatch, settings):
    """Every upload goes through a temporary file, in a temporary folder of this test's own:
    tempfile.gettempdir() is that folder while the test runs."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    assert tempfile.gettempdir() == str(folder)
    return folder


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def post_file(client, letter, document_type, data, name="letter.pdf", **extra):
    return client.post(
        reverse("letters:document_upload", args=[letter.pk]),
        {
            "document_type": document_type.pk,
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        },
        follow=True,
        **extra,
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def download(client, document):
    response = client.get(document.get_download_url())
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return response, body


# --- A good upload -------------------------------------------------------------------------


@pytest.mark.parametrize("through", ["memory", "temporary-file"])
def test_a_good_upload_is_stored_privately_under_a_random_name(
    request, through, signed_in, draft, signed_letter_type, private_files
):
    if through == "temporary-file":
        request.getfixturevalue("temporary_uploads")
    data = pdf_bytes(pages=2)

    response = post_file(signed_in, draft, signed_letter_type, data, name="Our letter.pdf")

    assert response.status_code == 200
    assert messages_of(response) == ["The document was uploaded and checked."]
    document = draft.documents.get()
    assert document.original_name == "Our letter.pdf"
    assert document.size == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.page_count == 2
    assert document.content_type == "application/pdf"
    assert document.uploaded_by.email == draft.created_by.email
    assert document.file.name.startswith("documents/")
    assert "letter" not in document.file.name.lower()
    [stored] = private_files()
    assert stored.relative_to(settings.PRIVATE_STORAGE_ROOT).as_posix() == document.file.name
    assert stored.read_bytes() == data
    assert stored.stat().st_mode & 0o777 == 0o600
    for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS):
        assert not stored.resolve().is_relative_to(Path(public).resolve())
    assert "Our letter.pdf" in response.content.decode()


def test_the_stored_name_is_random(signed_in, draft, signed_letter_type):
    post_file(signed_in, draft, signed_letter_type, pdf_bytes(), name="a.pdf")
    post_file(signed_in, draft, signed_letter_type, pdf_bytes(), name="a.pdf")
    first, second = (document.file.name for document in draft.documents.all())
    assert first != second
    for name in (first, second):
        assert re.fullmatch(STORED_NAME, name)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\win.pdf", "win.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
    ids=["traversal", "windows-traversal", "right-to-left-override", "300-characters"],
)
def test_a_hostile_name_on_a_good_file_is_cleaned(
    signed_in, draft, signed_letter_type, private_files, given, kept
):
    post_file(signed_in, draft, signed_letter_type, pdf_bytes(), name=given)
    document = draft.documents.get()
    assert document.original_name == kept
    [stored] = private_files()
    assert stored.resolve().is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT).resolve())


# --- Hostile uploads -----------------------------------------------------------------------


@pytest.mark.parametrize(("build", "reason"), HOSTILE_CASES)
def test_a_hostile_upload_is_refused_and_leaves_nothing(
    signed_in, draft, signed_letter_type, private_files, temporary_uploads, settings, build, reason
):
    settings.DOCUMENT_MAX_BYTES = TEST_LIMIT

    response = post_file(signed_in, draft, signed_letter_type, build())

    assert response.status_code == 200  # the letter page, after the redirect: never a 500
    # …opened at the reason, which is beside the file input and tied to it.
    page = reverse("letters:letter_detail", args=[draft.pk])
    assert response.redirect_chain == [(f"{page}#upload-error", 302)]
    [message] = messages_of(response)
    assert reason in message
    html = response.content.decode()
    beside_the_input = '<div class="alert alert-danger" role="alert" id="upload-error">'
    assert f'{beside_the_input}<p class="mb-0">{escape(message)}</p>' in html
    assert 'aria-describedby="upload-error id_file_helptext"' in html
    assert 'aria-invalid="true"' in html
    assert not Document.objects.exists()
    assert private_files() == set()
    assert list(temporary_uploads.iterdir()) == []


def test_a_file_over_the_limit_is_refused_before_it_is_stored(
    signed_in, draft, signed_letter_type, private_files, temporary_uploads, settings
):
    settings.DOCUMENT_MAX_BYTES = 10_000
    version = draft.version

    response = post_file(signed_in, draft, signed_letter_type, pdf_of_size(10_001))

    assert messages_of(response) == [
        "The file was not accepted: The file is too large; the limit is 9.8\xa0KB."
    ]
    assert not Document.objects.exists()
    assert private_files() == set()
    assert list(temporary_uploads.iterdir()) == []
    draft.refresh_from_db()
    assert draft.version == version


def test_fifty_files_in_one_request_are_refused_cleanly(
    signed_in, draft, signed_letter_type, private_files, temporary_uploads
):
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 5
    files = [SimpleUploadedFile(f"letter-{n}.pdf", pdf_bytes()) for n in range(50)]

    response = signed_in.post(
        reverse("letters:document_upload", args=[draft.pk]),
        {"document_type": signed_letter_type.pk, "file": files},
    )

    # Django refuses the request body itself (TooManyFilesSent): 400, not a crash.
    assert response.status_code == 400
    assert not Document.objects.exists()
    assert private_files() == set()
    assert list(temporary_uploads.iterdir()) == []


def test_an_upload_after_the_deadline_removes_the_file_it_stored(
    signed_in, draft, signed_letter_type, private_files, temporary_uploads
):
    # The deadline is checked inside the transaction, after the file is saved: the file must go.
    call = draft.call
    call.deadline = timezone.now() - timezone.timedelta(days=1)
    call.save()

    response = post_file(signed_in, draft, signed_letter_type, pdf_bytes())

    assert messages_of(response) == [
        "The deadline for this call has passed. Nothing can be changed."
    ]
    assert not Document.objects.exists()
    assert private_files() == set()
    assert list(temporary_uploads.iterdir()) == []


def test_an_upload_over_the_documents_cap_removes_the_file_it_stored(
    signed_in, complete_draft, signed_letter_type, settings, private_files, temporary_uploads
):
    settings.DOCUMENTS_PER_LETTER = 1

    response = post_file(signed_in, complete_draft, signed_letter_type, pdf_bytes())

    assert messages_of(response) == ["This letter already has the maximum number of documents."]
    assert complete_draft.documents.count() == 1
    assert private_files() == set()
    assert list(temporary_uploads.iterdir()) == []


def test_a_document_type_of_another_call_is_refused(signed_in, draft, private_files):
    foreign_type = DocumentTypeFactory()
    response = post_file(signed_in, draft, foreign_type, pdf_bytes())
    [message] = messages_of(response)
    assert "Select a valid choice" in message
    assert not Document.objects.exists()
    assert private_files() == set()


def test_the_form_offers_the_modes_required_types_first_then_the_optional_ones(
    signed_in, draft, signed_letter_type
):
    optional = DocumentTypeFactory(call=draft.call, name="Annex", position=0)
    other_mode = ModeFactory(call=draft.call, number=1)
    elsewhere = DocumentTypeFactory(call=draft.call, name="Orbit plan", position=0)
    elsewhere.required_for.add(other_mode)
    shared = DocumentTypeFactory(call=draft.call, name="Budget", position=5)
    shared.required_for.add(other_mode, draft.mode)

    response = signed_in.get(draft.get_absolute_url())

    offered = response.context["upload_form"].fields["document_type"].queryset
    assert list(offered) == [signed_letter_type, shared, optional]


def test_a_document_type_only_another_mode_requires_is_refused(signed_in, draft, private_files):
    elsewhere = DocumentTypeFactory(call=draft.call)
    elsewhere.required_for.add(ModeFactory(call=draft.call, number=1))
    response = post_file(signed_in, draft, elsewhere, pdf_bytes())
    [message] = messages_of(response)
    assert "Select a valid choice" in message
    assert not Document.objects.exists()


def test_a_viewer_cannot_upload(client, viewer, draft, signed_letter_type, private_files):
    client.force_login(viewer)
    response = client.post(
        reverse("letters:document_upload", args=[draft.pk]),
        {"document_type": signed_letter_type.pk, "file": SimpleUploadedFile("a.pdf", pdf_bytes())},
    )
    assert response.status_code == 403
    assert private_files() == set()


def test_an_outsider_cannot_upload(client, outsider, draft, signed_letter_type, private_files):
    client.force_login(outsider)
    response = client.post(
        reverse("letters:document_upload", args=[draft.pk]),
        {"document_type": signed_letter_type.pk, "file": SimpleUploadedFile("a.pdf", pdf_bytes())},
    )
    assert response.status_code == 404
    assert private_files() == set()


# --- Download ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "disposition"),
    [
        ("letter.pdf", 'attachment; filename="letter.pdf"'),
        (
            "Lettre d’intention – signée.pdf",
            "attachment; filename*=utf-8''" + quote("Lettre d’intention – signée.pdf"),
        ),
    ],
    ids=["ascii", "accented"],
)
def test_a_download_is_the_uploaded_pdf_as_an_attachment(
    signed_in, draft, signed_letter_type, name, disposition
):
    data = pdf_bytes(pages=3)
    post_file(signed_in, draft, signed_letter_type, data, name=name)
    document = draft.documents.get()

    response, body = download(signed_in, document)

    assert response.status_code == 200
    assert response["Content-Disposition"] == disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert body == data


def test_a_viewer_of_the_organisation_may_download(client, viewer, complete_draft):
    client.force_login(viewer)
    response, body = download(client, complete_draft.documents.get())
    assert response.status_code == 200
    assert body.startswith(b"%PDF-")


def test_an_outsider_gets_404_for_a_download(client, outsider, complete_draft):
    client.force_login(outsider)
    response, body = download(client, complete_draft.documents.get())
    assert response.status_code == 404
    assert not body.startswith(b"%PDF-")


def test_an_anonymous_visitor_is_sent_to_sign_in(client, complete_draft):
    response, body = download(client, complete_draft.documents.get())
    assert response.status_code == 302
    assert not body.startswith(b"%PDF-")


def test_a_document_of_another_letter_cannot_be_fetched_through_this_letter(
    signed_in, owner, organisation, draft, signed_letter_type
):
    # Both letters are the owner's: only the pairing of letter and document is wrong.
    other = LetterFactory(organisation=organisation, mode=draft.mode, created_by=owner)
    document = attach_pdf(other, owner, signed_letter_type)
    url = reverse("letters:document_download", args=[draft.pk, document.pk])
    assert signed_in.get(url).status_code == 404
    assert signed_in.get(document.get_download_url()).status_code == 200


def test_a_missing_file_is_a_404_not_a_500(signed_in, complete_draft):
    document = complete_draft.documents.get()
    document.file.storage.delete(document.file.name)
    response, _ = download(signed_in, document)
    assert response.status_code == 404


# --- Removal -------------------------------------------------------------------------------


def remove_url(document):
    return reverse("letters:document_remove", args=[document.letter_id, document.pk])


def test_removing_asks_for_confirmation_first(signed_in, complete_draft):
    document = complete_draft.documents.get()

    response = signed_in.get(remove_url(document))

    assert response.status_code == 200
    assert "Remove “letter.pdf” from this letter?" in response.content.decode()
    document.refresh_from_db()
    assert document.removed_at is None


def test_removing_on_post_keeps_the_file(signed_in, complete_draft):
    document = complete_draft.documents.get()

    response = signed_in.post(remove_url(document), follow=True)

    assert messages_of(response) == ["The document was removed from the letter."]
    document.refresh_from_db()
    assert document.removed_at is not None
    assert document.file.storage.exists(document.file.name)
    assert "No documents yet." in response.content.decode()


def test_a_required_document_cannot_be_removed_from_a_submitted_letter(signed_in, submitted):
    document = submitted.documents.get()
    version = submitted.version

    response = signed_in.post(remove_url(document), follow=True)

    assert messages_of(response) == [
        "This document is required; upload its replacement before removing it."
    ]
    document.refresh_from_db()
    assert document.removed_at is None
    submitted.refresh_from_db()
    assert submitted.version == version
    assert submitted.versions.count() == 1


def test_a_removed_document_stays_stored_for_the_filed_versions(signed_in, owner, submitted):
    annex_type = DocumentTypeFactory(call=submitted.call, code="annex")
    extra = attach_pdf(submitted, owner, annex_type, name="annex.pdf")

    signed_in.post(remove_url(extra), follow=True)

    extra.refresh_from_db()
    assert extra.removed_at is not None
    amendment = submitted.versions.get(kind=LetterVersion.Kind.AMENDMENT, number=3)
    assert "annex.pdf" not in [entry["name"] for entry in amendment.snapshot["documents"]]
    earlier = submitted.versions.get(number=2)
    assert "annex.pdf" in [entry["name"] for entry in earlier.snapshot["documents"]]
    response, body = download(signed_in, extra)
    assert response.status_code == 200
    assert hashlib.sha256(body).hexdigest() == extra.sha256


def test_removing_from_a_submitted_letter_says_an_amendment_was_filed(signed_in, owner, submitted):
    annex = attach_pdf(submitted, owner, DocumentTypeFactory(call=submitted.call), name="a.pdf")

    response = signed_in.post(remove_url(annex), follow=True)

    assert messages_of(response) == [
        "The document was removed from the letter.",
        f"The amendment was filed as version 3 of {submitted.reference}, and a new receipt "
        "was e-mailed to the organisation's owners and editors.",
    ]


def test_an_upload_to_a_submitted_letter_replaces_the_document_of_its_type(
    signed_in, submitted, signed_letter_type
):
    old = submitted.documents.get()

    response = post_file(signed_in, submitted, signed_letter_type, pdf_bytes(), name="new.pdf")

    assert messages_of(response) == [
        "The document was uploaded and checked; it replaces the earlier Signed letter.",
        f"The amendment was filed as version 2 of {submitted.reference}, and a new receipt "
        "was e-mailed to the organisation's owners and editors.",
    ]
    assert [d.original_name for d in submitted.documents.current()] == ["new.pdf"]
    old.refresh_from_db()
    assert old.removed_at is not None
    assert old.file.storage.exists(old.file.name)  # kept for the first receipt
    amendment = submitted.versions.get(number=2)
    assert [entry["name"] for entry in amendment.snapshot["documents"]] == ["new.pdf"]
    assert submitted.versions.count() == 2
    verbs = AuditEvent.objects.filter(verb__startswith="document.").values_list("verb", "data")
    assert ("document.removed", {"document": "letter.pdf"}) in list(verbs)


def test_an_upload_to_a_draft_adds_beside_the_document_of_its_type(
    signed_in, complete_draft, signed_letter_type
):
    post_file(signed_in, complete_draft, signed_letter_type, pdf_bytes(), name="second.pdf")

    assert complete_draft.documents.current().count() == 2
    assert not complete_draft.versions.exists()


def test_a_removed_document_cannot_be_removed_again(signed_in, complete_draft):
    document = complete_draft.documents.get()
    signed_in.post(remove_url(document))
    assert signed_in.get(remove_url(document)).status_code == 404
    assert signed_in.post(remove_url(document)).status_code == 404


def test_an_outsider_cannot_remove(client, outsider, complete_draft):
    document = complete_draft.documents.get()
    client.force_login(outsider)
    assert client.get(remove_url(document)).status_code == 404
    assert client.post(remove_url(document)).status_code == 404
    document.refresh_from_db()
    assert document.removed_at is None


def test_a_viewer_cannot_remove(client, viewer, complete_draft):
    document = complete_draft.documents.get()
    client.force_login(viewer)
    assert client.post(remove_url(document)).status_code == 403
    document.refresh_from_db()
    assert document.removed_at is None


def pdf_file():
    return SimpleUploadedFile("letter.pdf", pdf_bytes(), content_type="application/pdf")


def test_an_upload_without_the_csrf_token_is_refused(
    owner, draft, signed_letter_type, private_files
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    response = browser.post(
        reverse("letters:document_upload", args=[draft.pk]),
        {"document_type": signed_letter_type.pk, "file": pdf_file()},
    )
    assert response.status_code == 403
    assert not Document.objects.exists()
    assert private_files() == set()
