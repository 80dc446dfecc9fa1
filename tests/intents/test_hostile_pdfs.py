"""The hostile-upload corpus: PDFs built to exhaust the checker or to reach out when opened.

Each file is pushed through the real upload view and must be refused with its reason, within
12 seconds, by a checking process that grew by less than 150 MB, leaving no row, no stored file
and no temporary file. The files are built in tests/intents/hostile_pdfs.py; nothing binary is
committed.
"""

import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intents import pdf_check, uploads
from intents.models import Document
from intents.uploads import UploadRejected, inspect_upload

from ..factories import pdf_bytes
from . import hostile_pdfs
from .test_uploads import object_stream_pdf, zlib_zeros

ANSWER_SECONDS = 12
GROWTH_KB = 150 * 1024
WEB_ADDRESS = "opens a web address without being clicked"

CORPUS = [
    # The finding: pypdf resolves the whole chain inside one object lookup.
    ("chained-filter-arrays", hostile_pdfs.chained_filter_arrays, "too complex"),
    ("deep-nesting", hostile_pdfs.deep_nesting, "damaged"),
    ("huge-xref", hostile_pdfs.huge_xref, "damaged"),
    ("open-action-uri", hostile_pdfs.open_action_uri, WEB_ADDRESS),
    ("open-action-uri-in-object-stream", hostile_pdfs.packed_open_action_uri, WEB_ADDRESS),
    ("open-action-uri-behind-next", hostile_pdfs.uri_behind_next, WEB_ADDRESS),
    ("page-open-uri", hostile_pdfs.page_open_uri, WEB_ADDRESS),
    ("annotation-page-visible-uri", hostile_pdfs.annotation_page_visible_uri, WEB_ADDRESS),
    ("open-action-submit-form", hostile_pdfs.open_action_submit_form, "sends form data"),
    ("go-to-remote", hostile_pdfs.go_to_remote, "opens another file"),
    ("launch", hostile_pdfs.launch, "launch action"),
]


def files_under(root):
    root = Path(root)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


@pytest.fixture
def temporary_uploads(tmp_path, monkeypatch, settings):
    """Uploads go through Django's temporary files, in a folder of this test's own."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    return folder


@pytest.fixture
def checks(monkeypatch):
    """Every PdfCheck made while the test runs (time, peak memory of the child)."""
    made = []
    real = uploads.check_pdf_file

    def spy(path):
        made.append(real(path))
        return made[-1]

    monkeypatch.setattr(uploads, "check_pdf_file", spy)
    return made


@pytest.fixture(scope="module")
def baseline_kb():
    """The child's resident memory once started, before it reads a file."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf_bytes())
        file.flush()
        return uploads.check_pdf_file(file.name).answer["baseline_kb"]


def post_file(client, letter, document_type, data):
    return client.post(
        reverse("letters:document_upload", args=[letter.pk]),
        {
            "document_type": document_type.pk,
            "file": SimpleUploadedFile("letter.pdf", data, content_type="application/pdf"),
        },
        follow=True,
    )


@pytest.mark.parametrize(
    ("build", "reason"), [pytest.param(b, r, id=name) for name, b, r in CORPUS]
)
def test_a_hostile_pdf_is_refused_quickly_cheaply_and_leaves_nothing(
    client, owner, draft, signed_letter_type, temporary_uploads, checks, baseline_kb, build, reason
):
    data = build()
    assert len(data) < 1024 * 1024
    client.force_login(owner)
    stored_before = files_under(settings.PRIVATE_STORAGE_ROOT)
    work_before = files_under(settings.WORK_DIR)

    started = time.monotonic()
    response = post_file(client, draft, signed_letter_type, data)
    elapsed = time.monotonic() - started

    [message] = [str(message) for message in response.context["messages"]]
    assert message.startswith("The file was not accepted: ")
    assert reason in message
    assert elapsed < ANSWER_SECONDS
    # Files the byte search refuses (/Launch) never reach the child.
    assert len(checks) <= 1
    for check in checks:
        assert check.peak_kb - baseline_kb < GROWTH_KB, (check.peak_kb, baseline_kb)
    assert not Document.objects.exists()
    assert files_under(settings.PRIVATE_STORAGE_ROOT) == stored_before
    assert files_under(settings.WORK_DIR) == work_before
    assert list(temporary_uploads.iterdir()) == []


def test_the_chain_is_stopped_by_the_clock_not_left_to_run(tmp_path, settings):
    """Without the child the finding's file ran for minutes (24 s for the original 599 KB,
    well past a minute for this one); the parent's SIGKILL answers at the deadline."""
    settings.UPLOAD_CHECK_SECONDS = 2
    path = tmp_path / "chain.pdf"
    path.write_bytes(hostile_pdfs.chained_filter_arrays())
    check = uploads.check_pdf_file(str(path))
    assert check.killed
    assert check.answer == {"refused": "too-complex"}
    assert 2 <= check.seconds < 3


def test_a_hostile_upload_held_in_memory_leaves_no_copy_behind(tmp_path, monkeypatch, settings):
    """An upload Django kept in memory is copied to a temporary file for the child; the copy
    goes even when the child is killed."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    settings.UPLOAD_CHECK_SECONDS = 1
    for data, reason in (
        (hostile_pdfs.chained_filter_arrays(), "too complex"),
        (hostile_pdfs.open_action_uri(), WEB_ADDRESS),
    ):
        with pytest.raises(UploadRejected, match=reason):
            inspect_upload(SimpleUploadedFile("a.pdf", data), 20 << 20)
        assert list(tmp_path.iterdir()) == []


def test_the_memory_limit_is_enforced_by_the_kernel(settings, checks, baseline_kb):
    """pypdf inflates an object stream up to 75 MB before it gives up (about 150 MB more
    resident): refused as too complex under the default limit, which stops it first; with
    twice the room, pypdf's own limit answers (damaged)."""
    bomb = SimpleUploadedFile("a.pdf", object_stream_pdf(compressed=zlib_zeros(1024)))
    with pytest.raises(UploadRejected, match="too complex"):
        inspect_upload(bomb, 20 << 20)
    assert checks[-1].peak_kb - baseline_kb < settings.UPLOAD_CHECK_MEMORY_MB * 1024
    settings.UPLOAD_CHECK_MEMORY_MB = 256
    with pytest.raises(UploadRejected, match="damaged"):
        inspect_upload(bomb, 20 << 20)


def test_the_check_yields_the_cpu_to_the_web_workers(tmp_path):
    """Two hostile files on a 2-core node must not starve the pages (make bench-hostile)."""
    path = tmp_path / "plain.pdf"
    path.write_bytes(pdf_bytes())
    assert uploads.check_pdf_file(str(path)).answer["niceness"] >= pdf_check.NICENESS > 0


def test_a_child_that_dies_means_too_complex(tmp_path, monkeypatch):
    child = tmp_path / "crash.py"
    child.write_text("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n")
    monkeypatch.setattr(uploads, "CHILD", child)
    with pytest.raises(UploadRejected, match="too complex"):
        inspect_upload(SimpleUploadedFile("a.pdf", pdf_bytes()), 20 << 20)


def test_a_huge_xref_stream_costs_nothing(checks, baseline_kb):
    """A cross-reference stream claiming 50 million entries: pypdf reads only what is there."""
    inspected = inspect_upload(
        SimpleUploadedFile("a.pdf", hostile_pdfs.huge_xref_stream()), 1 << 20
    )
    assert inspected.page_count == 1
    [check] = checks
    assert check.seconds < ANSWER_SECONDS
    assert check.peak_kb - baseline_kb < GROWTH_KB


def test_a_clickable_web_link_in_the_text_is_accepted():
    """The choice: a link annotation's /URI (a website, a DOI in the letter) fires only when the
    reader clicks it, so it is accepted; the same action run on opening is refused."""
    data = hostile_pdfs.clickable_web_link()
    assert inspect_upload(SimpleUploadedFile("a.pdf", data), 1 << 20).page_count == 1


def test_a_normal_pdf_still_passes_through_the_view(
    client, owner, draft, signed_letter_type, temporary_uploads, checks
):
    client.force_login(owner)
    response = post_file(client, draft, signed_letter_type, pdf_bytes(pages=3))
    assert [str(m) for m in response.context["messages"]] == [
        "The document was uploaded and checked."
    ]
    assert draft.documents.get().page_count == 3
    [check] = checks
    assert check.answer["pages"] == 3
    assert check.seconds < 5
    assert list(temporary_uploads.iterdir()) == []


def test_the_child_and_the_messages_know_the_same_names():
    assert set(pdf_check.ACTIVE) == set(uploads.ACTIVE_NAMES)
