"""The audit log: filters, the CSV export, who may read it, and its constant number of queries."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intents.office.actions import decide
from intents.office.config import update_call
from intents.reviewing.reviews import save_review
from portal.audit.log import record
from portal.audit.models import AuditEvent

from .cycle import build_cycle

LOG = reverse("office:audit_log")
CSV = reverse("office:audit_csv")


def shown(client, query=""):
    """The events the log shows, in order."""
    response = client.get(LOG + query)
    assert response.status_code == 200
    return [row["event"] for row in response.context["rows"]]


def at(event, moment):
    AuditEvent.objects.filter(pk=event.pk).update(created_at=moment)
    event.refresh_from_db()
    return event


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def events(cycle, officer, owner, draft):
    """A few events of different kinds, one a minute, the last one newest."""
    start = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    made = [
        record(owner, "letter.started", draft, call=draft.call.slug),
        record(
            officer, "decision.set", cycle.letters[0], outcome="selected", previous="waitlisted"
        ),
        record(officer, "reviewer.invited", cycle.call, email="expert@example.org"),
        record(None, "weather.changed", cycle.call),
    ]
    AuditEvent.objects.exclude(pk__in=[e.pk for e in made]).delete()
    return [at(event, start + dt.timedelta(minutes=n)) for n, event in enumerate(made)]


# --- The page -------------------------------------------------------------------------------


def test_the_log_shows_events_newest_first(officer_client, events):
    assert shown(officer_client) == list(reversed(events))


def test_each_event_shows_its_actor_action_object_and_details(officer_client, officer, events):
    decision = events[1]
    html = officer_client.get(LOG + f"?verb=decision.set&target_id={decision.target_id}")
    html = html.content.decode()
    assert officer.full_name in html and officer.email in html
    table = html.split('id="audit-events"')[1]
    assert "Decision changed from Waitlisted to Selected." in table
    assert "decision.set" not in table and "outcome" not in table
    link = reverse("office:office_letter", args=[decision.target_id])
    assert f'<a href="{link}">{decision.target_label}</a>' in html
    assert "Letter of intent #" in html


def test_times_are_shown_in_the_officers_zone(officer_client, officer, events):
    officer.time_zone = "Asia/Shanghai"
    officer.save()
    html = officer_client.get(LOG + "?verb=letter.started").content.decode()
    assert "1 Mar 2026, 20:00:00 Asia/Shanghai" in html


def test_an_unknown_action_is_shown_in_words_and_an_actorless_one_as_the_system(
    officer_client, events
):
    html = officer_client.get(LOG + "?verb=weather.changed").content.decode()
    assert "Weather changed." in html
    assert "the system" in html


def test_an_event_on_a_draft_does_not_link_to_the_office(officer_client, events, draft):
    html = officer_client.get(LOG + "?verb=letter.started").content.decode()
    assert reverse("office:office_letter", args=[draft.pk]) not in html
    assert draft.title in html


def test_the_action_filter_offers_the_recorded_actions_only(officer_client, events):
    field = officer_client.get(LOG).context["filter"].form.fields["verb"]
    assert dict(field.choices) == {
        "": "Any",
        "decision.set": "Decision recorded",
        "letter.started": "Letter started",
        "reviewer.invited": "Reviewer invited",
        "weather.changed": "Weather changed",
    }


def test_the_object_type_filter_names_the_types(officer_client, events):
    field = officer_client.get(LOG).context["filter"].form.fields["target_type"]
    assert dict(field.choices) == {
        "": "Any",
        "intents.call": "Call",
        "intents.letterofintent": "Letter of intent",
    }


def test_each_filter_narrows_the_log(officer_client, officer, owner, events, cycle):
    started, decided, invited, unknown = events
    assert shown(officer_client, "?verb=decision.set") == [decided]
    assert shown(officer_client, f"?actor={owner.email.upper()}") == [started]
    assert shown(officer_client, "?target_type=intents.call") == [unknown, invited]
    query = f"?target_type=intents.letterofintent&target_id={decided.target_id}"
    assert shown(officer_client, query) == [decided]
    assert shown(officer_client, f"?q={cycle.letters[0].reference.lower()}") == [decided]
    query = f"?target_type=intents.call&actor={officer.email}"
    assert shown(officer_client, query) == [invited]


def test_dates_are_whole_days_in_the_officers_zone(officer_client, officer, events):
    officer.time_zone = "Asia/Shanghai"
    officer.save()
    late = at(events[0], dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC))  # 2 March, 01:30
    evening = at(events[1], dt.datetime(2026, 3, 1, 15, 30, tzinfo=dt.UTC))  # 1 March, 23:30
    at(events[2], dt.datetime(2026, 2, 28, 12, 0, tzinfo=dt.UTC))
    at(events[3], dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC))
    assert shown(officer_client, "?since=2026-03-02&until=2026-03-02") == [late]
    assert shown(officer_client, "?since=2026-03-01&until=2026-03-01") == [evening]
    assert shown(officer_client, "?since=2026-03-01&until=2026-03-02") == [late, evening]


def test_nothing_found_says_so_with_a_way_back(officer_client, events):
    html = officer_client.get(LOG + "?actor=nobody-at-all").content.decode()
    assert "No event matches these filters." in html
    assert f'href="{LOG}"' in html


def test_an_empty_log_says_so(officer_client, officer):
    AuditEvent.objects.all().delete()
    assert "Nothing has been recorded yet." in officer_client.get(LOG).content.decode()


def test_the_log_is_paginated_and_the_pages_keep_the_filters(officer_client, officer, cycle):
    for number in range(60):
        record(officer, "reviewer.invited", cycle.call, email=f"e{number}@example.org")
    first = officer_client.get(LOG + "?verb=reviewer.invited")
    assert first.context["page"].paginator.count == 60
    assert len(first.context["rows"]) == 50
    assert 'href="?verb=reviewer.invited&amp;page=2"' in first.content.decode()
    second = shown(officer_client, "?verb=reviewer.invited&page=2")
    assert len(second) == 10
    assert [event.data["email"] for event in second][-1] == "e0@example.org"


# --- The CSV export -------------------------------------------------------------------------


def test_the_csv_holds_the_filtered_events(officer_client, officer, events):
    response = officer_client.get(CSV + "?target_type=intents.call")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = csv_rows(response)
    assert rows[0] == [
        "When (UTC)",
        "Actor",
        "Actor's e-mail",
        "Action code",
        "Object",
        "Object id",
        "What happened",
        "Details (JSON)",
    ]
    unknown, invited = events[3], events[2]
    assert rows[1:] == [
        [
            "2026-03-01T12:03:00+00:00",
            "",
            "",
            "weather.changed",
            f"Call: {unknown.target_label}",
            unknown.target_id,
            "Weather changed.",
            "{}",
        ],
        [
            "2026-03-01T12:02:00+00:00",
            officer.full_name,
            officer.email,
            "reviewer.invited",
            f"Call: {invited.target_label}",
            invited.target_id,
            "expert@example.org invited to the call's reviewer pool.",
            '{"email": "expert@example.org"}',
        ],
    ]


def test_the_page_links_to_the_csv_of_the_same_filters(officer_client, events):
    html = officer_client.get(LOG + "?verb=decision.set&page=1").content.decode()
    assert f'href="{CSV}?verb=decision.set"' in html


def test_the_csv_neutralises_cells_a_spreadsheet_would_run(officer_client, officer, cycle):
    record(officer, "member.left", cycle.letters[0].organisation, member='=HYPERLINK("http://x")')
    rows = csv_rows(officer_client.get(CSV + "?verb=member.left"))
    assert rows[1][6] == '\'=HYPERLINK("http://x") left the organisation.'


# --- In words -------------------------------------------------------------------------------


@pytest.fixture
def worded(cycle, officer):
    """Events written by the actions themselves: the deadline and grace moved, a decision, and
    a review draft saved without a total."""
    AuditEvent.objects.all().delete()
    call = cycle.call
    update_call(
        user=officer,
        call=call,
        data={"deadline": call.deadline + dt.timedelta(days=7), "grace_minutes": 15},
        confirm_closing_change=True,
    )
    decide(user=officer, letter_id=cycle.letters[0].pk, outcome="selected", note="")
    review = cycle.reviews[0]
    review.delete()
    answers = dict.fromkeys(("recommendation", "comment_to_committee", "comment_to_applicant"), "")
    save_review(
        user=review.assignment.reviewer.user,
        assignment_id=review.assignment_id,
        values={},
        answers=answers,
        submit=False,
    )
    return call


def test_the_log_tells_each_event_as_a_sentence_never_as_a_dict(officer_client, worded):
    html = officer_client.get(LOG).content.decode()
    table = html.split('id="audit-events"')[1].split("</table>")[0]
    assert "Call settings changed: Deadline for letters of intent, Grace minutes." in table
    assert "Grace minutes changed from 0 to 15." in table
    assert "Decision recorded: Selected." in table
    assert "Review draft saved; total so far: none." in table
    for raw in ("{&#x27;", "{'", "grace_minutes", "None", "outcome", "+00:00"):
        assert raw not in table


def test_the_log_reads_in_chinese(officer_client, officer, worded):
    officer.language = "zh-hans"
    officer.save()
    html = officer_client.get(LOG).content.decode()
    table = html.split('id="audit-events"')[1].split("</table>")[0]
    assert "已更改合作征集设置：意向书提交截止时间、宽限分钟数。" in table
    assert "宽限分钟数由“0”改为“15”。" in table
    assert "已记录决定：已入选。" in table
    assert "已保存评审草稿；目前总分：无。" in table


def test_the_letters_trail_tells_its_events_as_sentences(officer_client, worded, cycle):
    html = officer_client.get(reverse("office:office_letter", args=[cycle.letters[0].pk]))
    trail = html.content.decode().split('id="letter-audit"')[1].split("</table>")[0]
    assert "Decision recorded: Selected." in trail
    assert "outcome" not in trail and "selected<" not in trail


def test_the_csv_tells_what_happened_in_words_and_keeps_the_raw_details_last(
    officer_client, worded
):
    rows = csv_rows(officer_client.get(CSV))
    header, events = rows[0], rows[1:]
    said = [row[header.index("What happened")] for row in events]
    assert "Decision recorded: Selected." in said
    assert "Review draft saved; total so far: none." in said
    for sentence in said:
        assert "{" not in sentence and "None" not in sentence and "_" not in sentence
    moved = next(row for row in events if row[header.index("Action code")] == "call.updated")
    assert moved[header.index("Object")] == f"Call: {worded}"
    assert '"grace_minutes": {"new": 15, "old": 0}' in moved[-1]


# --- Permissions ----------------------------------------------------------------------------


@pytest.fixture
def reviewer_user(cycle):
    return cycle.reviewers[0].user


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for url in (LOG, CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["owner", "reviewer_user", "outsider"])
def test_everyone_but_an_officer_is_refused(client, events, role, request):
    client.force_login(request.getfixturevalue(role))
    for url in (LOG, CSV):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    # Only the security log grows: the sign-in and the four refusals.
    assert AuditEvent.objects.exclude(verb__startswith="security.").count() == len(events)


def test_an_officer_reads_both(officer_client, events):
    assert officer_client.get(LOG).status_code == 200
    assert len(csv_rows(officer_client.get(CSV))) == 1 + len(events)


# --- Queries --------------------------------------------------------------------------------


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return [query["sql"] for query in captured]


URLS = [LOG, LOG + "?verb=letter.submitted&q=LOI&page=2", CSV, CSV + "?verb=letter.submitted"]


def test_the_log_uses_as_many_queries_for_a_thousand_letters_as_for_twelve(officer_client, officer):
    build_cycle(letters=12, officer=officer)
    officer_client.get(LOG)  # a first request may fill caches
    small = [queries_for(officer_client, url) for url in URLS]
    build_cycle(letters=1000, officer=officer)
    large = [queries_for(officer_client, url) for url in URLS]
    assert AuditEvent.objects.exclude(verb__startswith="security.").count() == 1012
    for url, few, many in zip(URLS, small, large, strict=True):
        assert len(few) == len(many), (
            f"{url}: {len(few)} queries for 12 letters' events, {len(many)} for 1,012.\n"
            + "\n".join(many)
        )
