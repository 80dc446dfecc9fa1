"""The call's dashboard: its figures and series on a small hand-made cycle, its pictures and
their tables, its empty state, who may see it, and its query count."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intents.letters import actions
from intents.models import Assignment, LetterOfIntent, Review
from intents.office.dashboard import (
    figures,
    letters_by_country,
    letters_by_mode,
    review_progress,
    timeline,
)
from portal.audit.models import AuditEvent
from portal.organisations.models import Role

from ..conftest import attach_pdf
from ..factories import (
    CallFactory,
    LetterFactory,
    MembershipFactory,
    ModeFactory,
    OrganisationFactory,
    ReviewerFactory,
    UserFactory,
    complete_letter_fields,
)
from .cycle import build_cycle

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = ["timeline", "countries", "modes", "funnel", "reviewers"]


def dashboard_url(call):
    return reverse("office:dashboard", args=[call.slug])


def local(call, days_ago, hour, minute=0):
    """A moment `days_ago` days before today, at this hour in the call's official zone."""
    day = timezone.localdate(timezone=call.zone) - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=call.zone)


def filed_letter(call, mode, organisation, *, created, submitted, number):
    letter = LetterFactory(
        mode=mode,
        organisation=organisation,
        state=LetterOfIntent.State.SUBMITTED,
        submitted_at=submitted,
        reference=f"{call.reference_prefix}-LOI-{number:04d}",
    )
    # created_at is set on insert; move it to when the story says the draft was started.
    LetterOfIntent.objects.filter(pk=letter.pk).update(created_at=created)
    return letter


@pytest.fixture
def story(submitted, owner, organisation, mode):
    """France submitted one letter today (through the domain) and withdrew another; Brazil
    filed two, one of them just after midnight in Shanghai but still the day before in UTC;
    Japan has a draft; Germany registered and did nothing. Ada has submitted one review and
    accepted another letter; Bob has not declared yet; Cy has been invited but not joined."""
    call = submitted.call
    orbiter = ModeFactory(call=call, number=1, name="Orbiter")
    brazil = OrganisationFactory(country="BR")
    japan = OrganisationFactory(country="JP")
    OrganisationFactory(country="DE")
    first_brazilian = filed_letter(
        call, orbiter, brazil, created=local(call, 4, 9), submitted=local(call, 3, 10), number=90
    )
    filed_letter(
        call,
        orbiter,
        brazil,
        created=local(call, 3, 9),
        # 17:30 UTC two days ago is 01:30 in Shanghai yesterday.
        submitted=dt.datetime.combine(local(call, 2, 12).date(), dt.time(17, 30), tzinfo=dt.UTC),
        number=91,
    )
    withdrawn = filed_letter(
        call,
        mode,
        organisation,
        created=local(call, 4, 11),
        submitted=local(call, 3, 15),
        number=92,
    )
    actions.withdraw(
        letter_id=withdrawn.pk, user=owner, reason="Funding fell through.", expected_version=1
    )
    draft = LetterFactory(mode=mode, organisation=japan, title="Regolith sampler")
    LetterOfIntent.objects.filter(pk=draft.pk).update(created_at=local(call, 2, 12))

    ada = ReviewerFactory(call=call, user=UserFactory(full_name="Ada Lovelace"))
    bob = ReviewerFactory(call=call, user=UserFactory(full_name="Bob Oort"))
    ReviewerFactory(call=call, user=None, email="cy@example.org", accepted_at=None)
    now = timezone.now()
    reviewed = Assignment.objects.create(
        reviewer=ada, letter=submitted, no_conflict_confirmed_at=now
    )
    Review.objects.create(assignment=reviewed, submitted_at=now, total="4.000")
    accepted = Assignment.objects.create(
        reviewer=ada, letter=first_brazilian, no_conflict_confirmed_at=now
    )
    Review.objects.create(assignment=accepted)  # a draft review is not received yet
    Assignment.objects.create(reviewer=bob, letter=submitted)
    return call


def table_rows(html, table_id):
    """The cells of a table's body, row by row, as text."""

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.body, self.rows = False, False, []

        def handle_starttag(self, tag, attrs):
            if tag == "table" and ("id", table_id) in attrs:
                self.inside = True
            elif self.inside and tag == "tbody":
                self.body = True
            elif self.body and tag == "tr":
                self.rows.append([])
            elif self.body and tag in ("th", "td"):
                self.rows[-1].append("")

        def handle_endtag(self, tag):
            if tag == "table":
                self.inside = self.body = False

        def handle_data(self, data):
            if self.body and self.rows and self.rows[-1]:
                self.rows[-1][-1] += data.strip()

    parser = Rows()
    parser.feed(html)
    return parser.rows


def chart(html, name):
    match = re.search(
        rf'<svg [^>]*aria-labelledby="chart-{name}-title[^"]*".*?</svg>', html, re.DOTALL
    )
    assert match, f"no {name} chart on the page"
    return ET.fromstring(match.group(0))


def figure(html, name):
    return re.search(rf'id="figure-{name}">([^<]*)<', html).group(1).strip()


def test_the_figures_count_organisations_letters_and_reviews(story):
    numbers = figures(story)
    assert numbers.organisations == 4  # every organisation of the portal, not only applicants
    assert numbers.organisations_with_letter == 3
    assert numbers.organisations_with_draft == 1
    assert numbers.drafts == 1
    assert numbers.submitted == 3
    assert numbers.organisations_submitted == 2
    assert numbers.withdrawn == 1
    assert numbers.reviews_received == 1
    assert numbers.reviews_expected == 3 * story.reviewers_per_letter


def test_the_timeline_counts_days_in_the_calls_zone_up_to_today(story):
    days = timeline(story)
    today = timezone.localdate(timezone=story.zone)
    assert days.days[0].day == timezone.localdate(story.opens_at, story.zone)
    assert days.days[-1].day == today
    assert len(days.days) == (today - days.days[0].day).days + 1  # every day, quiet ones too
    by_age = {(today - day.day).days: day for day in days.active_days}
    # (age in days): started that day, filed that day, started in all, filed in all
    assert {
        age: (day.started, day.filed, day.started_total, day.filed_total)
        for age, day in by_age.items()
    } == {
        4: (2, 0, 2, 0),
        3: (1, 2, 3, 2),
        2: (1, 0, 4, 2),  # the Brazilian letter filed at 17:30 UTC counts on the next day
        1: (0, 1, 4, 3),
        0: (1, 1, 5, 4),  # the withdrawn letter still counts as filed on its day
    }


def test_letters_are_counted_by_country_and_mode_without_the_withdrawn_one(story):
    assert letters_by_country(story) == [("Brazil", 2), ("France", 1)]
    assert letters_by_mode(story) == [
        ("1. Orbiter", 2),
        ("3. Joint exploration of the lunar surface", 1),
    ]


def test_countries_beyond_the_top_fifteen_are_summed_up(db):
    call = CallFactory()
    mode = ModeFactory(call=call)
    codes = ["AR", "AU", "AT", "BE", "BR", "CA", "CL", "DK", "EG", "FI", "FR", "DE", "IN", "IT"]
    codes += ["JP", "KE", "MX"]
    for number, code in enumerate(codes):
        filed_letter(
            call,
            mode,
            OrganisationFactory(country=code),
            created=timezone.now(),
            submitted=timezone.now(),
            number=number,
        )
    filed_letter(
        call,
        mode,
        OrganisationFactory(country="MX"),
        created=timezone.now(),
        submitted=timezone.now(),
        number=99,
    )
    rows = letters_by_country(call)
    assert rows[0] == ("Mexico", 2)
    assert len(rows) == 16
    assert rows[-1] == ("2 other countries", 2)
    assert sum(count for _label, count in rows) == 18


def test_review_progress_lists_the_reviewers_who_joined(story):
    assert [
        (reviewer.name, reviewer.assigned, reviewer.declared, reviewer.submitted)
        for reviewer in review_progress(story)
    ] == [("Ada Lovelace", 2, 2, 1), ("Bob Oort", 1, 0, 0)]


def test_the_page_shows_the_figures_with_the_deadline_in_the_official_zone(officer_client, story):
    html = officer_client.get(dashboard_url(story)).content.decode()
    assert figure(html, "organisations") == "4"
    assert figure(html, "drafts") == "1"
    assert figure(html, "submitted") == "3"
    assert figure(html, "withdrawn") == "1"
    assert figure(html, "reviews") == "1 of 9"
    assert figure(html, "time-left").endswith("days left")
    deadline = story.closes_at.astimezone(story.zone)
    assert f"{deadline:%H:%M:%S} Asia/Shanghai</dd>" in html
    assert "independently of any call" in html


def test_every_chart_is_well_formed_svg_with_a_title_and_a_role(officer_client, story):
    html = officer_client.get(dashboard_url(story)).content.decode()
    for name in CHARTS:
        svg = chart(html, name)
        assert svg.get("role") == "img"
        title = svg.find(f"{SVG}title")
        assert title is not None and title.text
        assert svg.get("aria-labelledby").split()[0] == title.get("id")
        assert svg.get("viewBox").startswith("0 0 ")
        assert svg.get("style") is None


def test_the_tables_carry_the_numbers_of_the_charts(officer_client, story):
    html = officer_client.get(dashboard_url(story)).content.decode()
    assert table_rows(html, "countries-table") == [["Brazil", "2"], ["France", "1"]]
    assert table_rows(html, "modes-table") == [
        ["1. Orbiter", "2"],
        ["3. Joint exploration of the lunar surface", "1"],
    ]
    assert table_rows(html, "funnel-table") == [
        ["Organisations registered", "4"],
        ["With a letter for this call", "3"],
        ["With a submitted letter", "2"],
    ]
    assert table_rows(html, "reviewers-table") == [
        ["Ada Lovelace", "2", "2", "1"],
        ["Bob Oort", "1", "0", "0"],
    ]
    assert [row[1:] for row in table_rows(html, "timeline-table")] == [
        ["2", "2", "0", "0"],
        ["1", "3", "2", "2"],
        ["1", "4", "0", "2"],
        ["0", "4", "1", "3"],
        ["1", "5", "1", "4"],
    ]
    # The bars' tooltips say the same as the tables.
    bars = [g.find(f"{SVG}title").text for g in chart(html, "countries").iter(f"{SVG}g")]
    assert bars == ["Brazil: 2", "France: 1"]
    people = [g.find(f"{SVG}title").text for g in chart(html, "reviewers").iter(f"{SVG}g")]
    assert people == ["Ada Lovelace: 2", "Bob Oort: 1"]


def test_the_timeline_marks_the_deadline(officer_client, story):
    svg = chart(officer_client.get(dashboard_url(story)).content.decode(), "timeline")
    assert [line for line in svg.iter(f"{SVG}line") if line.get("class") == "chart-marker"]
    assert "Deadline" in [text.text for text in svg.iter(f"{SVG}text")]


def test_an_empty_call_says_there_is_nothing_to_show_yet(officer_client, officer):
    call = CallFactory()
    response = officer_client.get(dashboard_url(call))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' not in html
    assert "No letter has been started for this call yet." in html
    assert html.count("No letter has been submitted yet.") == 2
    assert "No reviewer has joined the pool yet." in html
    assert figure(html, "submitted") == "0"
    assert figure(html, "reviews") == "0 of 0"


def test_a_call_with_reviewers_but_no_assignment_says_so(officer_client, officer):
    call = CallFactory()
    ReviewerFactory(call=call)
    html = officer_client.get(dashboard_url(call)).content.decode()
    assert "No letter has been assigned to a reviewer yet." in html
    assert "chart-reviewers" not in html


def test_a_call_that_has_closed_says_so(officer_client):
    call = CallFactory(
        opens_at=timezone.now() - dt.timedelta(days=30),
        deadline=timezone.now() - dt.timedelta(days=1),
    )
    html = officer_client.get(dashboard_url(call)).content.decode()
    assert figure(html, "time-left") == "Closed"


@pytest.mark.parametrize(
    ("language", "left"),
    # Sixty days read "1 month, 4 weeks", and in Chinese "剩余 1 月，4 周" (as if January).
    [("en", "60 days left"), ("zh-hans", "还剩 60 天")],
)
def test_the_time_left_is_counted_in_days_in_both_languages(
    officer_client, officer, language, left
):
    officer.language = language
    officer.save()
    call = CallFactory(deadline=timezone.now() + dt.timedelta(days=60, minutes=30), grace_minutes=0)
    html = officer_client.get(dashboard_url(call)).content.decode()
    assert figure(html, "time-left") == left


def test_anonymous_visitors_are_sent_to_sign_in(client, call):
    response = client.get(dashboard_url(call))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["owner", "reviewer", "outsider"])
def test_only_programme_officers_see_the_dashboard(client, request, call, who):
    user = ReviewerFactory(call=call).user if who == "reviewer" else request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(dashboard_url(call)).status_code == 403


def test_an_unknown_call_is_not_found(officer_client):
    assert officer_client.get("/office/calls/no-such-call/").status_code == 404


def test_the_dashboard_uses_the_same_number_of_queries_for_a_thousand_letters(
    officer_client, officer
):
    counted, cached = [], []
    for size in (12, 1000):
        path = dashboard_url(build_cycle(letters=size, officer=officer).call)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = officer_client.get(path)
        assert response.status_code == 200
        counted.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(path).status_code == 200
        cached.append(len(queries))
    assert len(response.context["reviewers"]) == 10
    assert response.context["figures"].reviews_received == 3000
    assert counted[0] == counted[1], counted
    assert cached[0] == cached[1], cached
    # The second visit reads the counts from the cache: six aggregate queries fewer.
    assert cached[1] <= counted[1] - 6, (counted, cached)


def test_a_letter_filed_after_a_visit_shows_at_the_next_one(
    officer_client, story, mode, signed_letter_type
):
    assert figure(officer_client.get(dashboard_url(story)).content.decode(), "submitted") == "3"
    applicant = MembershipFactory(role=Role.OWNER).user
    letter = LetterFactory(
        mode=mode,
        organisation=applicant.memberships.get().organisation,
        created_by=applicant,
        **complete_letter_fields(),
    )
    attach_pdf(letter, applicant, signed_letter_type)
    letter.refresh_from_db()
    actions.submit(letter_id=letter.pk, user=applicant, expected_version=letter.version)
    assert figure(officer_client.get(dashboard_url(story)).content.decode(), "submitted") == "4"


def test_a_change_whose_event_commits_below_a_newer_one_shows_at_the_next_visit(
    officer_client, story
):
    """Two transactions: the first takes its event id, the second takes the next and commits
    first. Once the first commits too, the newest id is unchanged, yet the counts are not."""
    newest = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    AuditEvent.objects.create(pk=newest + 2, verb="letter.saved")  # the second transaction
    assert figure(officer_client.get(dashboard_url(story)).content.decode(), "submitted") == "3"
    LetterOfIntent.objects.filter(call=story, state=LetterOfIntent.State.DRAFT).update(
        state=LetterOfIntent.State.SUBMITTED, submitted_at=timezone.now()
    )
    AuditEvent.objects.create(pk=newest + 1, verb="letter.submitted")  # the first, committing late
    assert figure(officer_client.get(dashboard_url(story)).content.decode(), "submitted") == "4"


def test_a_change_no_event_marks_shows_after_the_time_limit(officer_client, story, settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    html = officer_client.get(dashboard_url(story)).content.decode()
    assert figure(html, "submitted") == "3"
    now = timezone.localtime()
    assert f"Counted at {now.day} {now:%b %Y, %H:%M} UTC" in html
    # Written straight to the database, as an import outside the portal would: no audit event.
    LetterOfIntent.objects.filter(call=story, state=LetterOfIntent.State.DRAFT).update(
        state=LetterOfIntent.State.SUBMITTED, submitted_at=timezone.now()
    )
    assert figure(officer_client.get(dashboard_url(story)).content.decode(), "submitted") == "3"
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=301)):
        assert figure(officer_client.get(dashboard_url(story)).content.decode(), "submitted") == "4"
