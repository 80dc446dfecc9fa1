"""A call's letters and reviews as tables, written as CSV (streamed) or Excel (through a
temporary file), for officers to work on outside the portal."""

import csv
import datetime as dt
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain

from django.db.models import Count
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from ..models import Assignment, Review, Score
from .scores import empty_score, letter_scores

# Rows fetched from the database at a time: memory stays flat however long the table.
CHUNK = 500
# A spreadsheet runs a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str  # the Excel sheet's name
    header: list
    rows: object  # an iterator of lists: str, int, Decimal, aware datetime or None


def neutralise(text):
    """Text a spreadsheet shows as it is instead of running it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def yes_no(value):
    return _("yes") if value else _("no")


def letters_table(call):
    """One row per filed letter with its scores and decision, in a constant number of queries."""
    criteria = list(call.criteria.all())
    scores = letter_scores(call)
    # Expected: the call's number of reviewers, or more if the office assigned extra ones.
    assigned = dict(
        Assignment.objects.filter(letter__call=call)
        .order_by()
        .values("letter_id")
        .annotate(count=Count("pk"))
        .values_list("letter_id", "count")
    )
    letters = (
        call.letters.filed()
        .select_related("organisation", "mode", "decision")
        .order_by("reference")
    )
    header = [
        _("Reference"),
        _("Title"),
        _("Organisation"),
        _("Short name"),
        _("Country"),
        _("Kind of organisation"),
        _("Verified"),
        _("Mode"),
        _("Mode name"),
        _("State"),
        _("Submitted at (UTC)"),
        _("TRL"),
        _("Mass (kg)"),
        _("Power (W)"),
        _("Data volume (GB)"),
        _("Funding status"),
        _("Reviews received"),
        _("Reviews expected"),
        _("Mean"),
        _("Median"),
        _("Spread"),
        _("Disagreement"),
        *(criterion_header(criterion) for criterion in criteria),
        _("Decision"),
        _("Decision released"),
    ]

    def rows():
        for letter in letters.iterator(chunk_size=CHUNK):
            score = scores.get(letter.pk) or empty_score(call)
            organisation, decision = letter.organisation, getattr(letter, "decision", None)
            yield [
                letter.reference,
                letter.title,
                organisation.legal_name,
                organisation.short_name,
                organisation.country.code,
                organisation.get_kind_display(),
                yes_no(organisation.is_verified),
                letter.mode.number,
                letter.mode.localized("name"),
                letter.get_state_display(),
                letter.submitted_at,
                letter.trl,
                letter.mass_kg,
                letter.power_w,
                letter.data_volume_gb,
                letter.get_funding_status_display(),
                score.received,
                max(assigned.get(letter.pk, 0), call.reviewers_per_letter),
                score.aggregate.mean,
                score.aggregate.median,
                score.aggregate.spread,
                yes_no(score.aggregate.disagreement),
                *(score.criteria.get(criterion.pk) for criterion in criteria),
                decision.get_outcome_display() if decision else None,
                yes_no(decision and decision.is_released),
            ]

    return Table(title=_("Letters"), header=header, rows=rows())


def reviews_table(call):
    """One row per submitted review with its scores, in a constant number of queries."""
    criteria = list(call.criteria.all())
    values = defaultdict(dict)
    for review_id, criterion_id, value in (
        Score.objects.of_submitted_reviews()
        .filter(review__assignment__letter__call=call)
        .values_list("review_id", "criterion_id", "value")
    ):
        values[review_id][criterion_id] = value
    reviews = (
        Review.objects.submitted()
        .filter(assignment__letter__call=call)
        .select_related("assignment__letter", "assignment__reviewer__user")
        .order_by("assignment__letter__reference", "assignment__reviewer__email", "pk")
    )
    header = [
        _("Reference"),
        _("Title"),
        _("Reviewer"),
        _("Reviewer's e-mail"),
        _("Recommendation"),
        _("Weighted score"),
        *(criterion_header(criterion) for criterion in criteria),
        _("Comment to the committee"),
        _("Comment to the applicant"),
        _("Submitted at (UTC)"),
    ]

    def rows():
        for review in reviews.iterator(chunk_size=CHUNK):
            letter, reviewer = review.assignment.letter, review.assignment.reviewer
            yield [
                letter.reference,
                letter.title,
                reviewer.user.full_name if reviewer.user_id else "",
                reviewer.email,
                review.get_recommendation_display(),
                review.total,
                *(values[review.pk].get(criterion.pk) for criterion in criteria),
                review.comment_to_committee,
                review.comment_to_applicant,
                review.submitted_at,
            ]

    return Table(title=_("Reviews"), header=header, rows=rows())


def criterion_header(criterion):
    return _("%(name)s (weight %(weight)s)") % {
        "name": criterion.localized("name"),
        "weight": criterion.weight,
    }


class _Echo:
    """A file that hands back what is written, so csv.writer can feed a streamed response."""

    def write(self, value):
        return value


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds")
    return value


def csv_response(table, filename):
    """The table streamed as UTF-8 CSV with a byte-order mark, which Excel needs to read it."""
    writer = csv.writer(_Echo())
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def lines():
        # Streaming goes on after the view returns: keep the page's language and zone for the
        # labels and the times written in words (the audit log's sentences).
        with translation.override(language), timezone.override(zone):
            yield "\ufeff"
            for row in chain([table.header], table.rows):
                yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private(response)


def xlsx_cell(value):
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None)  # Excel knows no time zones
    return value


def xlsx_response(table, filename):
    """The table as an Excel workbook: bold, frozen header; numbers and times as such."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in table.header:
        cell = WriteOnlyCell(sheet, value=xlsx_cell(name))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([xlsx_cell(value) for value in row])
    # Write-only sheets keep their rows on disk; the finished file goes to disk past 1 MiB.
    # The response closes it, which deletes it.
    handle = tempfile.SpooledTemporaryFile(max_size=2**20)  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    return private(response)


def private(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
