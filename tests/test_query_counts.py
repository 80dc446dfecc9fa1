"""Pages that list things use the same number of queries however many things there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import (
    CallFactory,
    DocumentFactory,
    DocumentTypeFactory,
    LetterFactory,
    MembershipFactory,
    ModeFactory,
)


def build(*, letters, documents_per_letter, modes, document_types):
    """A call with its modes and document types, and an organisation with letters for it."""
    call = CallFactory()
    all_modes = [ModeFactory(call=call, number=number) for number in range(1, modes + 1)]
    types = [
        DocumentTypeFactory(call=call, code=f"type-{position}", position=position)
        for position in range(document_types)
    ]
    for mode in all_modes:
        mode.required_document_types.set(types)
    membership = MembershipFactory()
    for number in range(letters):
        letter = LetterFactory(
            organisation=membership.organisation,
            mode=all_modes[number % modes],
            created_by=membership.user,
            title=f"Instrument {number}",
        )
        for index in range(documents_per_letter):
            DocumentFactory(letter=letter, document_type=types[index % document_types])
    return call, membership.organisation, membership.user


SMALL = {"letters": 1, "documents_per_letter": 1, "modes": 1, "document_types": 1}
LARGE = {"letters": 10, "documents_per_letter": 3, "modes": 4, "document_types": 5}


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def measure(client, size, *, page, signed_in):
    call, organisation, owner = build(**size)
    if signed_in:
        client.force_login(owner)
    if page == "organisation":
        path = reverse("organisations:detail", args=[organisation.pk])
    else:
        path = reverse("letters:call_detail", args=[call.slug])
    count_queries(client, path)  # The first request may fill caches (sessions, content types).
    return count_queries(client, path)


@pytest.mark.django_db
def test_the_organisation_page_uses_as_many_queries_for_ten_letters_as_for_one(client):
    small = measure(client, SMALL, page="organisation", signed_in=True)
    client.logout()
    large = measure(client, LARGE, page="organisation", signed_in=True)
    assert small == large


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [True, False], ids=["owner", "anonymous"])
def test_the_call_page_uses_as_many_queries_for_many_modes_as_for_one(client, signed_in):
    small = measure(client, SMALL, page="call", signed_in=signed_in)
    client.logout()
    large = measure(client, LARGE, page="call", signed_in=signed_in)
    assert small == large
