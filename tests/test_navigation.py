"""The site's menu, drawn by portal from the links intents registers (IntentsConfig.navigation)."""

import pytest
from django.urls import reverse

from .factories import ReviewerFactory

DESK = reverse("reviewing:reviewer_desk")
OFFICE = reverse("office:office_home")


def menu_links(client, user):
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    return {url for url in (DESK, OFFICE) if f'class="nav-link" href="{url}"' in page}


@pytest.mark.parametrize(
    "role, expected",
    [("owner", set()), ("reviewer", {DESK}), ("officer", {OFFICE})],
)
def test_the_menu_offers_each_role_its_own_pages(client, request, call, role, expected):
    user = ReviewerFactory(call=call).user if role == "reviewer" else request.getfixturevalue(role)
    assert menu_links(client, user) == expected


def test_the_office_pages_of_portal_lead_back_to_the_office(client, officer):
    client.force_login(officer)
    page = client.get(reverse("notifications:outbox")).content.decode()
    assert f'<li class="breadcrumb-item"><a href="{OFFICE}">' in page


def test_a_visitor_sees_no_menu_of_roles(client, db):
    page = client.get(reverse("home")).content.decode()
    assert DESK not in page and OFFICE not in page
