"""The exports of a large call: every row is there, and the number of queries does not grow with
the number of letters (12 letters and 36 reviews against 1,000 letters and 3,000 reviews)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from .cycle import build_cycle

TABLES = [(kind, fmt) for kind in ("letters", "reviews") for fmt in ("csv", "xlsx")]


def download(client, call, kind, fmt):
    response = client.get(reverse("office:export_table", args=[call.slug, kind, fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def queries_for(client, call):
    """The SQL of each table's download, streaming included."""
    measured = {}
    for kind, fmt in TABLES:
        with CaptureQueriesContext(connection) as captured:
            download(client, call, kind, fmt)
        measured[kind, fmt] = [query["sql"] for query in captured]
    return measured


def rows_in(workbook_bytes):
    sheet = load_workbook(io.BytesIO(workbook_bytes), read_only=True).active
    return sum(1 for _row in sheet.iter_rows(values_only=True))


@pytest.fixture
def large(officer):
    return build_cycle(letters=1000, officer=officer)


def test_the_excel_exports_of_a_thousand_letters_hold_every_row(officer_client, large):
    assert rows_in(download(officer_client, large.call, "letters", "xlsx")) == 1001
    assert rows_in(download(officer_client, large.call, "reviews", "xlsx")) == 3001


def test_the_tables_use_as_many_queries_for_a_thousand_letters_as_for_twelve(
    officer_client, cycle, large
):
    small_queries, large_queries = (
        queries_for(officer_client, cycle.call),
        queries_for(officer_client, large.call),
    )
    for table in TABLES:
        small, big = small_queries[table], large_queries[table]
        assert len(small) == len(big), (
            f"{table}: {len(small)} queries for 12 letters, {len(big)} for 1,000.\n"
            + "\n".join(big)
        )
