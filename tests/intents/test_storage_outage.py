"""The file storage unreachable: a real S3 server (moto, in its own process) SIGKILLed while the
portal is using it. Uploads say so on the letter's page and keep nothing; downloads answer a
503 page that says so; an archive build fails with a message for the office. Nothing is a 500.
"""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intents.models import Document, ExportJob
from intents.office import archive
from portal.audit.models import AuditEvent

from ..conftest import attach_pdf
from ..factories import pdf_bytes

UPLOAD_REFUSED = (
    "The file storage did not answer, so the document was not kept. "
    "Please try again in a few minutes."
)
PAGE_HEADING = "The file cannot be fetched just now"


def post_file(client, letter, document_type, name="letter.pdf"):
    return client.post(
        reverse("letters:document_upload", args=[letter.pk]),
        {
            "document_type": document_type.pk,
            "file": SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf"),
        },
        follow=True,
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def stored_documents(s3_server):
    return [key for key in list(s3_server.keys()) if key.startswith("portal/documents/")]


@pytest.fixture
def letter_in_s3(s3_storage, draft, owner, signed_letter_type):
    """A draft with one document, stored in the S3 bucket."""
    attach_pdf(draft, owner, signed_letter_type)
    assert len(stored_documents(s3_storage)) == 1
    return draft


def test_an_upload_while_the_storage_is_down_says_so_on_the_letter_page_and_keeps_nothing(
    client, owner, s3_storage, draft, signed_letter_type
):
    client.force_login(owner)
    s3_storage.stop()

    response = post_file(client, draft, signed_letter_type)

    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("letters:letter_detail", args=[draft.pk]), 302)]
    assert messages_of(response) == [UPLOAD_REFUSED]
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(verb="document.uploaded").exists()


def test_an_upload_the_domain_refuses_after_storing_it_leaves_no_object_in_the_bucket(
    client, owner, settings, letter_in_s3, signed_letter_type, s3_storage
):
    settings.DOCUMENTS_PER_LETTER = 1
    client.force_login(owner)
    before = letter_in_s3.documents.get()

    response = post_file(client, letter_in_s3, signed_letter_type, name="second.pdf")

    assert messages_of(response) == ["This letter already has the maximum number of documents."]
    assert list(Document.objects.all()) == [before]
    assert stored_documents(s3_storage) == [f"portal/{before.file.name}"]


def test_a_document_download_while_the_storage_is_down_answers_a_503_page(
    client, owner, letter_in_s3, s3_storage
):
    document = letter_in_s3.documents.get()
    client.force_login(owner)
    s3_storage.stop()

    response = client.get(document.get_download_url())

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert PAGE_HEADING in page
    assert "Nothing is lost: please try again in a few minutes." in page
    assert not AuditEvent.objects.filter(verb="document.downloaded").exists()


def test_the_storage_page_speaks_the_users_language(client, owner, letter_in_s3, s3_storage):
    owner.language = "zh-hans"
    owner.save()
    client.force_login(owner)
    s3_storage.stop()

    response = client.get(letter_in_s3.documents.get().get_download_url())

    assert response.status_code == 503
    page = response.content.decode()
    assert "文件暂时无法获取" in page
    assert PAGE_HEADING not in page


def test_an_archive_download_while_the_storage_is_down_answers_a_503_page(
    s3_storage, client, officer, submitted
):
    job = ExportJob.objects.create(call=submitted.call, requested_by=officer)
    assert archive.build(job.pk)
    job.refresh_from_db()
    assert f"portal/{job.file.name}" in list(s3_storage.keys())
    client.force_login(officer)
    s3_storage.stop()

    response = client.get(reverse("office:export_download", args=[job.pk]))

    assert response.status_code == 503
    assert PAGE_HEADING in response.content.decode()
    assert not AuditEvent.objects.filter(verb="export.downloaded").exists()


def test_a_build_while_the_storage_is_down_fails_with_a_message_and_leaves_no_part_file(
    s3_storage, officer, submitted
):
    document = submitted.documents.get()
    job = ExportJob.objects.create(call=submitted.call, requested_by=officer)
    s3_storage.stop()

    assert archive.build(job.pk) is False

    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED
    assert job.error == (
        f"{submitted.reference}/signed-letter-{document.pk}-letter.pdf: the storage did not answer"
    )
    assert s3_storage.endpoint_url not in job.error
    assert not list(settings.WORK_DIR.glob("export-*.part"))
