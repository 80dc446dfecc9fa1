"""The office's letters list, letter page and ranking use the same number of queries for a
dozen letters as for a thousand (3,000 reviews, 12,000 scores): both cycles come from the same
builder, so they hold the same kinds of rows and differ only in number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .cycle import build_cycle

PAGES = {
    "list, filtered": lambda cycle: (
        reverse("office:office_letters", args=[cycle.call.slug])
        + f"?verified=true&progress=complete&mode={cycle.modes[0].pk}"
    ),
    "list, by score": lambda cycle: (
        reverse("office:office_letters", args=[cycle.call.slug]) + "?sort=-score"
    ),
    "letter": lambda cycle: reverse("office:office_letter", args=[cycle.letters[0].pk]),
    "ranking": lambda cycle: reverse("office:ranking", args=[cycle.call.slug]),
}


def measure(client, officer, letters, page):
    cycle = build_cycle(letters=letters, officer=officer)
    path = PAGES[page](cycle)
    client.get(path)  # a first visit may fill caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured]


@pytest.mark.parametrize("page", list(PAGES))
def test_an_office_page_uses_as_many_queries_for_a_thousand_letters_as_for_twelve(
    officer_client, officer, page
):
    _small_response, small = measure(officer_client, officer, 12, page)
    large_response, large = measure(officer_client, officer, 1000, page)
    assert len(small) == len(large), (
        f"{len(small)} queries for 12 letters, {len(large)} for 1000.\n" + "\n".join(large)
    )
    # The large cycle really fills the page.
    if page == "list, by score":
        assert len(large_response.context["rows"]) == 50
        assert large_response.context["page"].paginator.count == 1000
    elif page == "ranking":
        assert len(large_response.context["page"].object_list) == 100
    elif page == "letter":
        assert len(large_response.context["reviews"]) == 3
