"""The office's exports: the letters and reviews tables as CSV and Excel, and the ZIP of a call's
documents built in the background (on a real Celery worker when REDIS_URL is set)."""

import csv
import datetime as dt
import hashlib
import io
import time
import zipfile
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from statistics import median

import pytest
from django.conf import settings
from django.db.models import Avg
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from intents.models import Decision, DocumentType, ExportJob, LetterOfIntent, Review, Score
from intents.office import archive
from portal.audit.models import AuditEvent
from portal.celery import app

from ..conftest import attach_pdf
from ..factories import CallFactory, DocumentFactory
from ..notifications import conftest as faults
from ..notifications.processes import new_queue_name, routed
from ..notifications.smtp_sink import free_port
from .cycle import build_cycle

State = ExportJob.State
# The real Redis (required under CI): with none, tasks run in-process and never meet a broker.
redis_url = faults.redis_url


def table_url(call, kind, fmt):
    return reverse("office:export_table", args=[call.slug, kind, fmt])


def content(response):
    return b"".join(response.streaming_content)


def csv_rows(response):
    text = content(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_sheet(response):
    return load_workbook(io.BytesIO(content(response))).active


def today_for(user):
    return dt.datetime.now(zoneinfo.ZoneInfo(user.time_zone)).date()


def by_reference(rows):
    return {row[0]: row for row in rows[1:]}


@pytest.fixture
def decisions(cycle, officer):
    """The first letter selected and released, the second waitlisted and still private."""
    now = timezone.now()
    Decision.objects.create(
        letter=cycle.letters[0], outcome="selected", decided_by=officer, released_at=now
    )
    Decision.objects.create(letter=cycle.letters[1], outcome="waitlisted", decided_by=officer)


def expected_aggregate(letter):
    totals = sorted(
        Review.objects.filter(assignment__letter=letter).values_list("total", flat=True)
    )
    mean = sum(totals) / len(totals)
    return [
        str(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))
        for value in (mean, median(totals), totals[-1] - totals[0])
    ]


# --- The letters table ------------------------------------------------------------------------


def test_the_letters_csv_has_one_row_per_filed_letter_with_its_scores(
    officer_client, officer, cycle, decisions
):
    response = officer_client.get(table_url(cycle.call, "letters", "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    filename = f"{cycle.call.reference_prefix}-letters-{today_for(officer):%Y-%m-%d}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    rows = csv_rows(response)
    header = rows[0]
    assert header[:11] == [
        "Reference",
        "Title",
        "Organisation",
        "Short name",
        "Country",
        "Kind of organisation",
        "Verified",
        "Mode",
        "Mode name",
        "State",
        "Submitted at (UTC)",
    ]
    assert header[-6:] == [
        "Science (weight 3)",
        "Feasibility (weight 3)",
        "Costs (weight 2)",
        "Relations (weight 1)",
        "Decision",
        "Decision released",
    ]
    # Filed letters only, in reference order: no draft.
    assert [row[0] for row in rows[1:]] == [letter.reference for letter in cycle.letters]
    letter = cycle.letters[0]
    row = dict(zip(header, by_reference(rows)[letter.reference], strict=True))
    assert row["Title"] == letter.title
    assert row["Organisation"] == letter.organisation.legal_name
    assert row["Country"] == letter.organisation.country.code
    assert row["Verified"] == ("yes" if letter.organisation.is_verified else "no")
    assert row["Mode"] == str(letter.mode.number)
    assert row["State"] == "Submitted"
    assert row["Submitted at (UTC)"] == letter.submitted_at.astimezone(dt.UTC).isoformat(
        timespec="seconds"
    )
    assert row["Submitted at (UTC)"].endswith("+00:00")
    assert row["TRL"] == str(letter.trl)
    assert (row["Reviews received"], row["Reviews expected"]) == ("3", "3")
    assert [row["Mean"], row["Median"], row["Spread"]] == expected_aggregate(letter)
    assert row["Disagreement"] in ("yes", "no")
    for criterion in cycle.criteria:
        mean = Score.objects.filter(review__assignment__letter=letter, criterion=criterion)
        mean = mean.aggregate(mean=Avg("value"))["mean"]
        assert Decimal(row[f"{criterion.name} (weight {criterion.weight})"]) == Decimal(
            mean
        ).quantize(Decimal("0.01"))
    assert (row["Decision"], row["Decision released"]) == ("Selected", "yes")
    second = dict(zip(header, by_reference(rows)[cycle.letters[1].reference], strict=True))
    assert (second["Decision"], second["Decision released"]) == ("Waitlisted", "no")
    third = dict(zip(header, by_reference(rows)[cycle.letters[2].reference], strict=True))
    assert (third["Decision"], third["Decision released"]) == ("", "no")


def test_a_letter_without_reviews_has_empty_scores(officer_client, cycle):
    letter = cycle.letters[0]
    Review.objects.filter(assignment__letter=letter).update(submitted_at=None)
    rows = csv_rows(officer_client.get(table_url(cycle.call, "letters", "csv")))
    row = dict(zip(rows[0], by_reference(rows)[letter.reference], strict=True))
    assert (row["Reviews received"], row["Reviews expected"]) == ("0", "3")
    assert (row["Mean"], row["Median"], row["Spread"], row["Science (weight 3)"]) == ("",) * 4


def test_the_letters_workbook_has_a_bold_frozen_header_numbers_and_utc_times(
    officer_client, officer, cycle, decisions
):
    response = officer_client.get(table_url(cycle.call, "letters", "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"{cycle.call.reference_prefix}-letters-{today_for(officer):%Y-%m-%d}.xlsx"
    assert f'filename="{filename}"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    sheet = xlsx_sheet(response)
    assert sheet.title == "Letters"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + len(cycle.letters)
    header = rows[0]
    letter = cycle.letters[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["Reference"] == letter.reference
    utc = letter.submitted_at.astimezone(dt.UTC).replace(tzinfo=None)
    assert abs(row["Submitted at (UTC)"] - utc) < dt.timedelta(seconds=1)
    assert isinstance(row["Mean"], float)
    assert row["Mean"] == float(expected_aggregate(letter)[0])
    assert isinstance(row["Science (weight 3)"], int | float)
    assert isinstance(row["Reviews received"], int)
    assert row["Decision"] == "Selected"


# --- The reviews table ------------------------------------------------------------------------


def test_the_reviews_csv_has_one_row_per_submitted_review_with_each_score(officer_client, cycle):
    draft_review = cycle.reviews[0]
    Review.objects.filter(pk=draft_review.pk).update(submitted_at=None)
    rows = csv_rows(officer_client.get(table_url(cycle.call, "reviews", "csv")))
    header = rows[0]
    assert header == [
        "Reference",
        "Title",
        "Reviewer",
        "Reviewer's e-mail",
        "Recommendation",
        "Weighted score",
        "Science (weight 3)",
        "Feasibility (weight 3)",
        "Costs (weight 2)",
        "Relations (weight 1)",
        "Comment to the committee",
        "Comment to the applicant",
        "Submitted at (UTC)",
    ]
    assert len(rows) == 1 + len(cycle.reviews) - 1
    review = Review.objects.select_related("assignment__letter", "assignment__reviewer__user").get(
        pk=cycle.reviews[1].pk
    )
    reviewer = review.assignment.reviewer
    matching = [
        dict(zip(header, row, strict=True))
        for row in rows[1:]
        if row[0] == review.assignment.letter.reference and row[3] == reviewer.email
    ]
    assert len(matching) == 1
    row = matching[0]
    assert row["Reviewer"] == reviewer.user.full_name
    assert row["Recommendation"] == review.get_recommendation_display()
    assert row["Weighted score"] == str(review.total)
    for score in review.scores.select_related("criterion"):
        assert row[f"{score.criterion.name} (weight {score.criterion.weight})"] == str(score.value)
    assert row["Comment to the committee"] == review.comment_to_committee
    assert row["Submitted at (UTC)"].endswith("+00:00")


def test_the_reviews_workbook_has_numbers_as_numbers(officer_client, cycle):
    sheet = xlsx_sheet(officer_client.get(table_url(cycle.call, "reviews", "xlsx")))
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + len(cycle.reviews)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert isinstance(row["Weighted score"], float)
    assert isinstance(row["Science (weight 3)"], int)
    assert isinstance(row["Submitted at (UTC)"], dt.datetime)


# --- Safety, errors, audit --------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(officer_client, cycle, fmt):
    for letter, title in zip(cycle.letters, HOSTILE, strict=False):
        LetterOfIntent.objects.filter(pk=letter.pk).update(title=title)
    response = officer_client.get(table_url(cycle.call, "letters", fmt))
    if fmt == "csv":
        titles = [row[1] for row in csv_rows(response)[1:]]
    else:
        sheet = xlsx_sheet(response)
        assert all(cell.data_type == "s" for cell in sheet["B"])
        # XML reads a carriage return back as a line feed.
        titles = [cell.value.replace("\n", "\r") for cell in sheet["B"]][1:]
    assert titles[: len(HOSTILE)] == ["'" + title for title in HOSTILE]
    assert titles[len(HOSTILE)] == cycle.letters[len(HOSTILE)].title


@pytest.mark.parametrize(
    ("kind", "fmt"), [("drafts", "csv"), ("letters", "pdf"), ("reviews", "json")]
)
def test_an_unknown_table_or_format_is_not_found(officer_client, cycle, kind, fmt):
    assert officer_client.get(table_url(cycle.call, kind, fmt)).status_code == 404


def test_a_call_that_does_not_exist_is_not_found(officer_client):
    assert officer_client.get(reverse("office:exports", args=["no-such-call"])).status_code == 404


def test_each_table_download_is_audited(officer_client, officer, cycle):
    for kind in ("letters", "reviews"):
        for fmt in ("csv", "xlsx"):
            content(officer_client.get(table_url(cycle.call, kind, fmt)))
    events = AuditEvent.objects.filter(verb="export.downloaded").order_by("pk")
    assert [(e.actor, e.target_id, e.data) for e in events] == [
        (officer, str(cycle.call.pk), {"kind": kind, "format": fmt})
        for kind in ("letters", "reviews")
        for fmt in ("csv", "xlsx")
    ]


def test_the_exports_page_links_to_every_table_and_lists_the_archives(
    officer_client, officer, cycle
):
    job = ExportJob.objects.create(call=cycle.call, requested_by=officer)
    page = officer_client.get(reverse("office:exports", args=[cycle.call.slug]))
    html = page.content.decode()
    for kind in ("letters", "reviews"):
        for fmt in ("csv", "xlsx"):
            assert table_url(cycle.call, kind, fmt) in html
    assert reverse("office:export_documents", args=[cycle.call.slug]) in html
    assert job.get_absolute_url() in html
    assert 'data-once="true"' in html


def test_the_exports_page_says_when_no_archive_was_requested(officer_client, cycle):
    page = officer_client.get(reverse("office:exports", args=[cycle.call.slug]))
    assert "No archive of the documents has been requested yet." in page.content.decode()


# --- The documents ZIP ------------------------------------------------------------------------


def wait_for_state(job_id, state, seconds=30):
    """With a real worker the archive is built elsewhere; without one it already was."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = ExportJob.objects.get(pk=job_id)
        if job.state == state:
            return job
        time.sleep(0.05)
    raise AssertionError(f"export job {job_id} stayed {job.state}, wanted {state}")


def opened(job):
    with job.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def manifest(zf):
    text = zf.read("manifest.csv").decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def built(call, user=None):
    """A job for the call's ZIP, built here by the same function the task calls."""
    job = ExportJob.objects.create(call=call, requested_by=user)
    archive.build(job.pk)
    job.refresh_from_db()
    return job


def stored_files():
    return {path for path in Path(settings.PRIVATE_STORAGE_ROOT).rglob("*") if path.is_file()}


@pytest.fixture
def signed_letter(cycle):
    return DocumentType.objects.get(call=cycle.call, code="signed-letter")


@pytest.mark.broker
def test_the_documents_zip_is_built_in_the_background_and_downloaded(
    transactional_db, celery_worker_session, client, officer, submitted, owner, signed_letter_type
):
    # The amendment's upload replaces the first document, which the ZIP leaves out.
    annex = attach_pdf(submitted, owner, signed_letter_type, name="annex.pdf")
    client.force_login(officer)
    response = client.post(reverse("office:export_documents", args=[submitted.call.slug]))
    job = ExportJob.objects.get(call=submitted.call)
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    job = wait_for_state(job.pk, State.DONE)
    assert (job.done, job.total, job.requested_by) == (1, 1, officer)
    assert job.finished_at is not None and job.size == job.file.size
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Download the ZIP file" in page
    assert "data-refresh-seconds" not in page
    download = client.get(reverse("office:export_download", args=[job.pk]))
    assert download.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(content(download)))
    name = f"{submitted.reference}/signed-letter-{annex.pk}-annex.pdf"
    assert zf.namelist() == [name, "manifest.csv"]
    body = zf.read(name)
    assert hashlib.sha256(body).hexdigest() == annex.sha256
    assert manifest(zf) == [
        ["Reference", "File", "SHA-256", "Size (bytes)", "Pages"],
        [submitted.reference, name, annex.sha256, str(len(body)), "1"],
    ]
    assert AuditEvent.objects.filter(verb="export.requested", actor=officer).count() == 1


@pytest.mark.broker
def test_a_job_left_waiting_by_a_broker_outage_is_handed_over_again(
    transactional_db, celery_worker_session, client, officer, cycle
):
    # Created without being enqueued, as when the broker was down at the time.
    waiting = ExportJob.objects.create(call=cycle.call, requested_by=officer)
    client.force_login(officer)
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert "Waiting for a worker" in page
    assert 'data-refresh-seconds="3"' in page
    response = client.post(reverse("office:export_documents", args=[cycle.call.slug]))
    assert response.url == waiting.get_absolute_url()
    wait_for_state(waiting.pk, State.DONE)
    assert ExportJob.objects.count() == 1


@pytest.mark.broker
def test_an_archive_asked_for_while_the_broker_is_down_waits_queued(
    transactional_db, redis_url, client, officer, cycle, caplog
):
    """The task is published after the commit; a broker that refuses it leaves the job queued
    (for the sweeper) and the officer on its page, not on an error."""
    client.force_login(officer)
    with routed(app, broker_url=f"redis://127.0.0.1:{free_port()}/0", queue=new_queue_name()):
        response = client.post(reverse("office:export_documents", args=[cycle.call.slug]))
    job = ExportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert job.state == State.QUEUED
    assert "Broker unreachable; intents.build_documents_zip waits" in caplog.text


@pytest.mark.broker
def test_the_sweeper_hands_over_again_a_job_that_waited_longer_than_a_lease(
    transactional_db, celery_worker_session, officer, cycle
):
    # Asked for while the broker was down, and never handed to it since.
    waiting = ExportJob.objects.create(call=cycle.call, requested_by=officer)
    ExportJob.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - dt.timedelta(seconds=settings.EXPORT_LEASE_SECONDS + 1)
    )
    fresh = ExportJob.objects.create(call=CallFactory(), requested_by=officer)
    assert archive.sweep() == [waiting.pk]
    wait_for_state(waiting.pk, State.DONE)
    assert ExportJob.objects.get(pk=fresh.pk).state == State.QUEUED


def test_the_archive_holds_each_current_document_of_each_filed_letter(cycle, signed_letter):
    first, second = cycle.letters[:2]
    kept = [
        DocumentFactory(letter=first, document_type=signed_letter, original_name="letter.pdf"),
        DocumentFactory(letter=first, document_type=signed_letter, original_name="annex.pdf"),
        DocumentFactory(letter=second, document_type=signed_letter, original_name="letter.pdf"),
    ]
    DocumentFactory(
        letter=second,
        document_type=signed_letter,
        original_name="replaced.pdf",
        removed_at=timezone.now(),
    )
    DocumentFactory(letter=cycle.drafts[0], document_type=signed_letter, original_name="draft.pdf")
    job = built(cycle.call)
    assert (job.state, job.done, job.total) == (State.DONE, 3, 3)
    zf = opened(job)
    expected = [f"{d.letter.reference}/signed-letter-{d.pk}-{d.original_name}" for d in kept]
    assert zf.namelist() == [*expected, "manifest.csv"]
    for document, name in zip(kept, expected, strict=True):
        with document.file.open("rb") as source:
            assert zf.read(name) == source.read()
        assert zf.getinfo(name).compress_type == zipfile.ZIP_STORED
    assert manifest(zf)[1:] == [
        [d.letter.reference, name, d.sha256, str(d.size), str(d.page_count)]
        for d, name in zip(kept, expected, strict=True)
    ]


def test_the_archive_leaves_out_withdrawn_letters_and_keeps_decided_ones(cycle, signed_letter):
    withdrawn, selected = cycle.letters[:2]
    # The states as the withdrawal and the release leave them.
    LetterOfIntent.objects.filter(pk=withdrawn.pk).update(state=LetterOfIntent.State.WITHDRAWN)
    LetterOfIntent.objects.filter(pk=selected.pk).update(state=LetterOfIntent.State.SELECTED)
    DocumentFactory(letter=withdrawn, document_type=signed_letter, original_name="gone.pdf")
    kept = DocumentFactory(letter=selected, document_type=signed_letter, original_name="in.pdf")
    job = built(cycle.call)
    assert (job.state, job.total) == (State.DONE, 1)
    assert opened(job).namelist() == [
        f"{selected.reference}/signed-letter-{kept.pk}-in.pdf",
        "manifest.csv",
    ]


HOSTILE_NAMES = [
    "../../etc/passwd",
    "/etc/shadow.pdf",
    "C:\\Windows\\system.pdf",
    'what?<is>:"this"|*.pdf',
    "",
    "same.pdf",
    "same.pdf",
]


def test_archive_names_stay_inside_the_letters_folder_and_are_unique(cycle, signed_letter):
    letter = cycle.letters[0]
    documents = [
        DocumentFactory(letter=letter, document_type=signed_letter, original_name=name)
        for name in HOSTILE_NAMES
    ]
    names = opened(built(cycle.call)).namelist()
    assert names[-1] == "manifest.csv"
    files = names[:-1]
    assert len(files) == len(set(files)) == len(documents)
    for name in files:
        folder, file = name.split("/")
        assert folder == letter.reference
        assert not any(char in file for char in '<>:"\\|?*')
        assert not file.startswith(".") and ".." not in name
        assert file.endswith(".pdf")
    assert f"{letter.reference}/signed-letter-{documents[0].pk}-passwd.pdf" in files
    assert f"{letter.reference}/signed-letter-{documents[2].pk}-system.pdf" in files
    assert f"{letter.reference}/signed-letter-{documents[4].pk}-document.pdf" in files


def test_a_call_without_documents_gets_an_archive_with_only_the_manifest(cycle):
    job = built(cycle.call)
    assert (job.state, job.total) == (State.DONE, 0)
    assert opened(job).namelist() == ["manifest.csv"]


def test_a_failed_build_says_why_and_leaves_no_file_behind(cycle, signed_letter):
    readable = DocumentFactory(letter=cycle.letters[0], document_type=signed_letter)
    lost = DocumentFactory(letter=cycle.letters[1], document_type=signed_letter)
    lost.file.storage.delete(lost.file.name)
    before = stored_files()
    job = built(cycle.call)
    assert job.state == State.FAILED
    assert f"{cycle.letters[1].reference}/signed-letter-{lost.pk}-letter.pdf" in job.error
    assert str(settings.PRIVATE_STORAGE_ROOT) not in job.error
    assert job.finished_at is not None and not job.file
    assert stored_files() == before
    assert readable.file.storage.exists(readable.file.name)


def test_a_job_is_built_once(cycle, signed_letter):
    DocumentFactory(letter=cycle.letters[0], document_type=signed_letter)
    job = built(cycle.call)
    assert archive.build(job.pk) is False
    again = ExportJob.objects.get(pk=job.pk)
    assert (again.file.name, again.finished_at) == (job.file.name, job.finished_at)
    running = ExportJob.objects.create(call=cycle.call, state=State.RUNNING)
    assert archive.build(running.pk) is False
    running.refresh_from_db()
    assert (running.state, running.file.name) == (State.RUNNING, "")


@pytest.mark.parametrize("state", [State.QUEUED, State.RUNNING])
def test_a_second_start_goes_to_the_job_under_way(officer_client, officer, cycle, state):
    under_way = ExportJob.objects.create(call=cycle.call, requested_by=officer, state=state)
    response = officer_client.post(reverse("office:export_documents", args=[cycle.call.slug]))
    assert response.status_code == 302 and response.url == under_way.get_absolute_url()
    assert ExportJob.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="export.requested").exists()


def lost_build(call, attempts):
    """A job left running by a worker that died: its lease ran out a second ago."""
    return ExportJob.objects.create(
        call=call,
        state=State.RUNNING,
        done=4,
        total=9,
        attempts=attempts,
        lease_expires_at=timezone.now() - dt.timedelta(seconds=1),
    )


def test_a_build_lost_with_its_worker_is_retried_when_the_officer_starts_again(
    officer_client, cycle
):
    lost = lost_build(cycle.call, attempts=1)
    response = officer_client.post(reverse("office:export_documents", args=[cycle.call.slug]))
    assert response.url == lost.get_absolute_url()
    lost.refresh_from_db()
    assert (lost.state, lost.attempts, lost.done, lost.error) == (State.QUEUED, 1, 0, "")
    assert ExportJob.objects.count() == 1


def test_a_build_lost_on_its_last_attempt_fails_and_does_not_stop_a_new_one(officer_client, cycle):
    lost = lost_build(cycle.call, attempts=settings.EXPORT_MAX_ATTEMPTS)
    response = officer_client.post(reverse("office:export_documents", args=[cycle.call.slug]))
    lost.refresh_from_db()
    assert lost.state == State.FAILED and lost.finished_at is not None
    assert lost.error.startswith("The workers building this archive stopped 3 times")
    assert response.url == ExportJob.objects.get(state=State.QUEUED).get_absolute_url()


def test_a_build_holding_its_lease_stops_a_new_one(officer_client, cycle):
    running = lost_build(cycle.call, attempts=1)
    ExportJob.objects.filter(pk=running.pk).update(
        lease_expires_at=timezone.now() + dt.timedelta(minutes=1)
    )
    response = officer_client.post(reverse("office:export_documents", args=[cycle.call.slug]))
    assert response.url == running.get_absolute_url()
    running.refresh_from_db()
    assert (running.state, running.attempts, running.done) == (State.RUNNING, 1, 4)


def test_a_finished_or_failed_job_does_not_stop_a_new_one(officer_client, officer, cycle):
    ExportJob.objects.create(call=cycle.call, state=State.DONE)
    ExportJob.objects.create(call=cycle.call, state=State.FAILED, error="disk full")
    other_call = build_cycle(letters=1, officer=officer).call
    other_call_job = ExportJob.objects.create(call=other_call, state=State.RUNNING)
    response = officer_client.post(reverse("office:export_documents", args=[cycle.call.slug]))
    job = ExportJob.objects.exclude(state__in=[State.DONE, State.FAILED]).exclude(
        pk=other_call_job.pk
    )
    assert response.url == job.get().get_absolute_url()
    event = AuditEvent.objects.get(verb="export.requested")
    assert (event.actor, event.target_id) == (officer, str(cycle.call.pk))


def test_starting_an_archive_needs_a_post(officer_client, cycle):
    response = officer_client.get(reverse("office:export_documents", args=[cycle.call.slug]))
    assert response.status_code == 405
    assert not ExportJob.objects.exists()


def test_the_job_page_shows_progress_and_refreshes_while_under_way(officer_client, cycle):
    job = ExportJob.objects.create(call=cycle.call, state=State.RUNNING, done=12, total=200)
    html = officer_client.get(job.get_absolute_url()).content.decode()
    assert "12 of 200 documents" in html
    assert 'data-progress="12/200"' in html
    assert 'data-refresh-seconds="3"' in html
    assert reverse("office:export_download", args=[job.pk]) not in html


def test_the_job_page_of_a_failed_archive_shows_the_error_and_offers_another_try(
    officer_client, cycle
):
    job = ExportJob.objects.create(call=cycle.call, state=State.FAILED, error="disk full")
    html = officer_client.get(job.get_absolute_url()).content.decode()
    assert "disk full" in html
    assert reverse("office:export_documents", args=[cycle.call.slug]) in html
    assert "data-refresh-seconds" not in html


@pytest.mark.parametrize("state", [State.QUEUED, State.RUNNING, State.FAILED])
def test_the_archive_is_downloaded_only_when_done(officer_client, cycle, state):
    job = ExportJob.objects.create(call=cycle.call, state=state)
    assert officer_client.get(reverse("office:export_download", args=[job.pk])).status_code == 404
    assert not AuditEvent.objects.filter(verb="export.downloaded").exists()


def test_the_archive_download_is_private_and_audited(officer_client, officer, cycle):
    job = built(cycle.call, officer)
    response = officer_client.get(reverse("office:export_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    day = timezone.localdate(job.finished_at, zoneinfo.ZoneInfo(officer.time_zone))
    filename = f"{cycle.call.reference_prefix}-documents-{day:%Y-%m-%d}.zip"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert zipfile.ZipFile(io.BytesIO(content(response))).namelist() == ["manifest.csv"]
    event = AuditEvent.objects.get(verb="export.downloaded")
    assert (event.actor, event.target_id) == (officer, str(cycle.call.pk))
    assert event.data == {"kind": "documents", "format": "zip", "job": job.pk}


# --- Permissions ------------------------------------------------------------------------------


@pytest.fixture
def done_job(cycle, officer):
    return built(cycle.call, officer)


@pytest.fixture
def export_urls(cycle, done_job):
    slug = cycle.call.slug
    return [
        reverse("office:exports", args=[slug]),
        table_url(cycle.call, "letters", "csv"),
        table_url(cycle.call, "reviews", "xlsx"),
        reverse("office:export_detail", args=[done_job.pk]),
        reverse("office:export_download", args=[done_job.pk]),
    ]


@pytest.fixture
def reviewer_user(cycle):
    return cycle.reviewers[0].user


def test_anonymous_visitors_are_sent_to_sign_in(client, cycle, export_urls):
    start = reverse("office:export_documents", args=[cycle.call.slug])
    for url in [*export_urls, start]:
        response = client.get(url) if url != start else client.post(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert ExportJob.objects.count() == 1


@pytest.mark.parametrize("role", ["owner", "reviewer_user", "outsider"])
def test_everyone_but_an_officer_is_refused(client, cycle, export_urls, role, request):
    client.force_login(request.getfixturevalue(role))
    events = AuditEvent.objects.exclude(verb__startswith="security.").count()
    for url in export_urls:
        assert client.get(url).status_code == 403
    start = reverse("office:export_documents", args=[cycle.call.slug])
    assert client.post(start).status_code == 403
    assert ExportJob.objects.count() == 1
    # Only the security log grows, with the refusals.
    assert AuditEvent.objects.exclude(verb__startswith="security.").count() == events


def test_an_officer_reaches_every_export(officer_client, cycle, export_urls):
    for url in export_urls:
        response = officer_client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            content(response)
    start = reverse("office:export_documents", args=[cycle.call.slug])
    assert officer_client.post(start).status_code == 302
    assert ExportJob.objects.count() == 2
