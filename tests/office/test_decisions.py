"""Decisions: recorded privately one by one or in bulk, released all at once with one e-mail
per letter and recipient, and only then seen by the applicant."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intents.letters import actions
from intents.models import Assignment, Decision, LetterOfIntent, Review
from intents.office import actions as office_actions
from intents.reviewing import assignments
from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.notifications.models import OutboundEmail
from portal.organisations.models import Membership, Role

from ..factories import LetterFactory, MembershipFactory, ReviewerFactory, turn_on_totp
from .cycle import build_cycle

SELECTED = Decision.Outcome.SELECTED
WAITLISTED = Decision.Outcome.WAITLISTED
NOT_SELECTED = Decision.Outcome.NOT_SELECTED


def decision_url(letter):
    return reverse("office:letter_decision", args=[letter.pk])


def bulk_url(call):
    return reverse("office:decisions_bulk", args=[call.slug])


def release_url(call):
    return reverse("office:decisions_release", args=[call.slug])


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def decide(letter, officer, outcome=SELECTED, note=""):
    return office_actions.decide(user=officer, letter_id=letter.pk, outcome=outcome, note=note)


def decision_emails():
    return OutboundEmail.objects.filter(idempotency_key__startswith="decision:")


def release(client, call):
    # The calls of these tests are still open: the officer releases deliberately.
    return client.post(release_url(call), {"confirm": "on", "confirm_open": "on"})


def close(call):
    call.deadline = timezone.now() - dt.timedelta(days=1)
    call.save()


@pytest.fixture
def chinese_owner(owner):
    owner.language = "zh-hans"
    owner.save()
    return owner


@pytest.fixture
def shared_reviews(submitted, call):
    """Two submitted reviews with a comment for the applicant, one without, and a draft."""
    reviews = []
    for name, comment, submitted_at in (
        ("Ada Lovegood", "The thermal design needs a second look.", timezone.now()),
        ("Bruno Kessler", "A convincing science case.", timezone.now()),
        ("Chen Hao", "", timezone.now()),
        ("Dora Quell", "Draft thoughts, never sent.", None),
    ):
        reviewer = ReviewerFactory(call=call, user__full_name=name)
        assignment = Assignment.objects.create(
            reviewer=reviewer, letter=submitted, no_conflict_confirmed_at=timezone.now()
        )
        reviews.append(
            Review.objects.create(
                assignment=assignment,
                recommendation=Review.Recommendation.SELECT,
                comment_to_committee="Only for the committee.",
                comment_to_applicant=comment,
                submitted_at=submitted_at,
                total="4.000" if submitted_at else None,
            )
        )
    return reviews


# Deciding one letter


def test_an_officer_decides_on_a_letter_privately(officer_client, officer, submitted):
    response = officer_client.post(
        decision_url(submitted), {"outcome": SELECTED, "note": "Strong case."}
    )
    assert response.status_code == 302
    decision = Decision.objects.get(letter=submitted)
    assert (decision.outcome, decision.internal_note, decision.decided_by) == (
        SELECTED,
        "Strong case.",
        officer,
    )
    assert decision.released_at is None
    submitted.refresh_from_db()
    assert submitted.state == LetterOfIntent.State.SUBMITTED
    event = AuditEvent.objects.get(verb="decision.set")
    assert (event.actor, event.target_id, event.data) == (
        officer,
        str(submitted.pk),
        {"outcome": "selected"},
    )
    assert not decision_emails().exists()


def test_the_decision_page_sums_up_the_letter(officer_client, cycle):
    letter = cycle.letters[0]
    response = officer_client.get(decision_url(letter))
    page = response.content.decode()
    assert response.status_code == 200
    assert letter.reference in page
    assert letter.title in page
    assert letter.organisation.legal_name in page
    assert "3 reviews: mean" in page
    assert "No decision yet." in page


def test_a_decision_may_change_until_it_is_released(officer_client, officer, submitted):
    decide(submitted, officer, SELECTED)
    officer_client.post(decision_url(submitted), {"outcome": WAITLISTED, "note": ""})
    decision = Decision.objects.get(letter=submitted)
    assert decision.outcome == WAITLISTED
    last = AuditEvent.objects.filter(verb="decision.set").latest("pk")
    assert last.data == {"outcome": "waitlisted", "previous": "selected"}
    assert "Not released yet" in officer_client.get(decision_url(submitted)).content.decode()


def test_saving_the_same_decision_again_records_nothing_new(officer, submitted):
    decide(submitted, officer, SELECTED, note="Same")
    decide(submitted, officer, SELECTED, note="Same")
    assert AuditEvent.objects.filter(verb="decision.set").count() == 1


def test_a_released_decision_cannot_be_changed(officer_client, officer, submitted):
    decide(submitted, officer, SELECTED)
    release(officer_client, submitted.call)
    response = officer_client.post(decision_url(submitted), {"outcome": NOT_SELECTED, "note": ""})
    assert "has been released to the applicant" in " ".join(texts(response))
    assert Decision.objects.get(letter=submitted).outcome == SELECTED
    page = officer_client.get(decision_url(submitted)).content.decode()
    assert "Released to the applicant" in page
    assert 'name="outcome"' not in page


def test_a_draft_cannot_be_decided_on(officer_client, officer, draft):
    with pytest.raises(actions.LetterError, match="Only a filed letter"):
        decide(draft, officer)
    assert officer_client.post(decision_url(draft), {"outcome": SELECTED}).status_code == 404
    assert not Decision.objects.exists()


def test_a_withdrawn_letter_cannot_be_decided_on(officer_client, officer, owner, submitted):
    actions.withdraw(
        letter_id=submitted.pk, user=owner, reason="No funding", expected_version=submitted.version
    )
    with pytest.raises(actions.LetterError, match="withdrawn"):
        decide(submitted, officer)
    response = officer_client.post(decision_url(submitted), {"outcome": SELECTED, "note": ""})
    assert "withdrawn" in " ".join(texts(response))
    assert not Decision.objects.exists()
    assert "withdrawn" in officer_client.get(decision_url(submitted)).content.decode()


# Deciding in bulk


def test_the_office_decides_on_ticked_letters_at_once(officer_client, cycle):
    chosen = cycle.letters[:3]
    response = officer_client.post(
        bulk_url(cycle.call),
        {"letters": [letter.pk for letter in chosen], "outcome": WAITLISTED, "note": "Batch 1"},
    )
    assert response.url == release_url(cycle.call)
    assert "“Waitlisted” is now the decision on 3 letters." in texts(response)
    decisions = Decision.objects.filter(letter__in=chosen)
    assert {(d.outcome, d.internal_note) for d in decisions} == {(WAITLISTED, "Batch 1")}
    assert AuditEvent.objects.filter(verb="decision.set").count() == 3


def test_an_empty_bulk_note_keeps_each_letters_own_note(officer_client, officer, cycle):
    letter = cycle.letters[0]
    decide(letter, officer, SELECTED, note="Written by hand")
    officer_client.post(bulk_url(cycle.call), {"letters": [letter.pk], "outcome": WAITLISTED})
    decision = Decision.objects.get(letter=letter)
    assert (decision.outcome, decision.internal_note) == (WAITLISTED, "Written by hand")


def test_one_refused_letter_leaves_every_decision_as_it_was(officer_client, officer, cycle):
    first, released, changed = cycle.letters[:3]
    decide(released, officer, SELECTED)
    office_actions.release_decisions(user=officer, call_id=cycle.call.pk)
    decide(changed, officer, WAITLISTED, note="Kept")
    events = AuditEvent.objects.count()
    response = officer_client.post(
        bulk_url(cycle.call),
        {"letters": [first.pk, released.pk, changed.pk], "outcome": NOT_SELECTED, "note": "x"},
    )
    assert texts(response) == [f"Nothing was changed: {released.reference} cannot be decided on."]
    assert not Decision.objects.filter(letter=first).exists()
    assert Decision.objects.get(letter=changed).outcome == WAITLISTED
    assert Decision.objects.get(letter=changed).internal_note == "Kept"
    assert Decision.objects.get(letter=released).outcome == SELECTED
    assert AuditEvent.objects.count() == events


def test_a_bulk_decision_needs_ticked_letters(officer_client, cycle):
    response = officer_client.post(bulk_url(cycle.call), {"outcome": SELECTED})
    assert texts(response) == ["Tick at least one letter."]
    assert not Decision.objects.exists()


@pytest.mark.parametrize("stranger", ["another call's letter", "a draft"])
def test_a_bulk_decision_takes_only_the_calls_filed_letters(
    officer_client, cycle, submitted, stranger
):
    other = submitted if stranger == "another call's letter" else cycle.drafts[0]
    response = officer_client.post(
        bulk_url(cycle.call), {"letters": [cycle.letters[0].pk, other.pk], "outcome": SELECTED}
    )
    assert texts(response) == ["Some of the ticked letters are not filed letters of this call."]
    assert not Decision.objects.exists()


def test_a_bulk_decision_goes_back_to_the_page_it_came_from(officer_client, cycle):
    back = reverse("office:ranking", args=[cycle.call.slug]) + "?page=2"
    response = officer_client.post(
        bulk_url(cycle.call),
        {"letters": [cycle.letters[0].pk], "outcome": SELECTED, "next": back},
    )
    assert response.url == back


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/steal", "//evil.example/", "javascript:alert(1)"]
)
def test_a_bulk_decision_never_sends_the_officer_to_another_site(officer_client, cycle, elsewhere):
    response = officer_client.post(
        bulk_url(cycle.call),
        {"letters": [cycle.letters[0].pk], "outcome": SELECTED, "next": elsewhere},
    )
    assert response.status_code == 302
    assert response.url == release_url(cycle.call)


# The release and its preview


def test_the_release_page_counts_pending_decisions_and_warns_of_undecided_letters(
    officer_client, officer, cycle
):
    outcomes = [SELECTED, SELECTED, WAITLISTED, NOT_SELECTED, NOT_SELECTED]
    for letter, outcome in zip(cycle.letters[:5], outcomes, strict=True):
        decide(letter, officer, outcome)
    response = officer_client.get(release_url(cycle.call))
    assert [(o.value, waiting, done) for o, waiting, done in response.context["counts"]] == [
        ("selected", 2, 0),
        ("waitlisted", 1, 0),
        ("not_selected", 2, 0),
    ]
    assert response.context["undecided_count"] == 7
    page = response.content.decode()
    assert "7 letters in review have no decision yet" in page
    assert cycle.letters[5].reference in page
    assert 'id="release"' in page


def test_the_release_page_has_an_empty_state(officer_client, cycle):
    page = officer_client.get(release_url(cycle.call)).content.decode()
    assert "No decision is waiting for release." in page
    assert 'id="release"' not in page


def test_the_preview_shows_each_email_in_each_recipients_language(
    officer_client, officer, submitted, chinese_owner, editor
):
    decide(submitted, officer, SELECTED)
    response = officer_client.get(release_url(submitted.call))
    ((_decision, previews),) = response.context["previews"]
    by_language = {preview.language: preview for preview in previews}
    assert set(by_language) == {"zh-hans", "en"}
    assert [r.email for r in by_language["zh-hans"].recipients] == [chinese_owner.email]
    # The editor, then the letter's contact, who is no member: in the default language.
    assert [r.email for r in by_language["en"].recipients] == [editor.email, "claire@example.org"]
    assert "已入选" in by_language["zh-hans"].body_text
    assert "Decision: Selected" in by_language["en"].body_text
    assert submitted.reference in by_language["en"].subject
    page = response.content.decode()
    assert 'lang="zh-hans"' in page and 'lang="en"' in page
    assert "已入选" in page
    assert chinese_owner.email in page and "claire@example.org" in page


def test_a_letter_nobody_would_hear_of_is_flagged_in_the_preview(officer_client, officer, cycle):
    decide(cycle.letters[0], officer, SELECTED)
    page = officer_client.get(release_url(cycle.call)).content.decode()
    assert "Nobody will receive this e-mail" in page


def test_releasing_needs_the_confirmation(officer_client, officer, submitted):
    decide(submitted, officer, SELECTED)
    response = officer_client.post(release_url(submitted.call), {})
    assert response.status_code == 200
    assert "Tick the box once you have read the previews." in response.content.decode()
    assert Decision.objects.get(letter=submitted).released_at is None
    assert not decision_emails().exists()


def test_the_release_page_warns_of_an_open_call_and_of_missing_reviews(
    officer_client, officer, cycle
):
    reviewed, short = cycle.letters[:2]
    decide(reviewed, officer, SELECTED)
    decide(short, officer, NOT_SELECTED)
    # A fourth reviewer on one letter, who has not reviewed it yet.
    assignments.assign(
        user=officer, reviewer_id=ReviewerFactory(call=cycle.call).pk, letter_id=short.pk
    )
    page = officer_client.get(release_url(cycle.call)).content.decode()
    assert "The call is still open" in page
    assert "Release although the call is still open" in page
    assert "1 letter to be released has fewer submitted reviews than reviewers assigned." in page

    close(cycle.call)
    page = officer_client.get(release_url(cycle.call)).content.decode()
    assert "The call is still open" not in page
    assert "Release although the call is still open" not in page
    assert "fewer submitted reviews" in page


def test_releasing_while_the_call_is_open_needs_the_second_confirmation(
    officer_client, officer, submitted
):
    decide(submitted, officer, SELECTED)
    response = officer_client.post(release_url(submitted.call), {"confirm": "on"})
    assert response.status_code == 200
    assert "Tick the box to release while the call is still open." in response.content.decode()
    assert Decision.objects.get(letter=submitted).released_at is None
    assert not decision_emails().exists()

    response = release(officer_client, submitted.call)
    assert "1 decision was released; the applicants are told by e-mail." in texts(response)


def test_a_closed_call_releases_with_the_one_confirmation(officer_client, officer, submitted):
    decide(submitted, officer, SELECTED)
    close(submitted.call)
    response = officer_client.post(release_url(submitted.call), {"confirm": "on"})
    assert "1 decision was released; the applicants are told by e-mail." in texts(response)


def test_the_release_tells_every_recipient_once(
    officer_client, officer, submitted, chinese_owner, editor, viewer
):
    decide(submitted, officer, WAITLISTED)
    response = release(officer_client, submitted.call)
    assert "1 decision was released; the applicants are told by e-mail." in texts(response)
    submitted.refresh_from_db()
    assert submitted.state == LetterOfIntent.State.WAITLISTED
    decision = Decision.objects.get(letter=submitted)
    assert decision.released_by == officer and decision.released_at is not None
    emails = {email.idempotency_key: email for email in decision_emails()}
    assert set(emails) == {
        f"decision:{decision.pk}:{chinese_owner.email.lower()}",
        f"decision:{decision.pk}:{editor.email.lower()}",
        f"decision:{decision.pk}:claire@example.org",
    }
    chinese = emails[f"decision:{decision.pk}:{chinese_owner.email.lower()}"]
    assert chinese.to == chinese_owner.email
    assert "候补" in chinese.subject and "候补" in chinese.body_text
    english = emails[f"decision:{decision.pk}:{editor.email.lower()}"]
    assert submitted.reference in english.body_text and submitted.title in english.body_text
    assert submitted.call.title in english.body_text
    assert "waiting list" in english.body_text
    event = AuditEvent.objects.get(verb="decision.released")
    assert (event.target_id, event.data) == (str(submitted.pk), {"outcome": "waitlisted"})

    again = release(officer_client, submitted.call)
    assert texts(again)[-1] == "Nothing to release."
    assert decision_emails().count() == 3
    assert AuditEvent.objects.filter(verb="decision.released").count() == 1


def test_the_release_gives_each_letter_its_outcome_as_state(officer_client, officer, cycle):
    outcomes = [SELECTED, WAITLISTED, NOT_SELECTED]
    for letter, outcome in zip(cycle.letters[:3], outcomes, strict=True):
        decide(letter, officer, outcome)
    release(officer_client, cycle.call)
    states = dict(LetterOfIntent.objects.filter(call=cycle.call).values_list("pk", "state"))
    assert [states[letter.pk] for letter in cycle.letters[:4]] == [
        "selected",
        "waitlisted",
        "not_selected",
        "submitted",  # no decision: still in review
    ]


def test_a_letter_withdrawn_after_its_decision_is_not_released(
    officer_client, officer, owner, submitted
):
    decide(submitted, officer, SELECTED)
    submitted.refresh_from_db()
    actions.withdraw(
        letter_id=submitted.pk,
        user=owner,
        reason="Changed plans",
        expected_version=submitted.version,
    )
    response = release(officer_client, submitted.call)
    assert texts(response) == ["Nothing to release."]
    submitted.refresh_from_db()
    assert submitted.state == LetterOfIntent.State.WITHDRAWN
    assert not decision_emails().exists()


# What the applicant sees


def test_the_applicant_sees_the_decision_only_once_it_is_released(
    officer_client, officer, owner, submitted
):
    decide(submitted, officer, SELECTED, note="Our favourite")
    applicant = Client()
    applicant.force_login(owner)
    before = applicant.get(reverse("letters:letter_detail", args=[submitted.pk])).content.decode()
    assert 'id="letter-decision"' not in before
    assert "Selected" not in before
    assert "Our favourite" not in before
    assert "state-submitted" in before

    release(officer_client, submitted.call)
    after = applicant.get(reverse("letters:letter_detail", args=[submitted.pk])).content.decode()
    assert 'id="letter-decision"' in after
    assert "Decision: Selected" in after
    assert "next stage of the cooperation" in after
    assert "state-selected text-bg-success" in after
    assert "Our favourite" not in after


def test_shared_comments_go_to_the_applicant_unsigned_when_the_call_allows(
    officer_client, officer, owner, submitted, shared_reviews
):
    call = submitted.call
    call.share_reviewer_comments = True
    call.save()
    decide(submitted, officer, SELECTED)
    release(officer_client, call)
    applicant = Client()
    applicant.force_login(owner)
    page = applicant.get(reverse("letters:letter_detail", args=[submitted.pk])).content.decode()
    email = decision_emails().get(to=owner.email).body_text
    for text in (page, email):
        assert "Reviewer 1" in text and "Reviewer 2" in text and "Reviewer 3" not in text
        assert text.index("The thermal design needs a second look.") < text.index(
            "A convincing science case."
        )
        assert "Draft thoughts" not in text
        assert "Only for the committee." not in text
        for review in shared_reviews:
            assert review.assignment.reviewer.user.full_name not in text


def test_no_comment_reaches_the_applicant_when_the_call_keeps_them(
    officer_client, officer, owner, submitted, shared_reviews
):
    decide(submitted, officer, NOT_SELECTED)
    release(officer_client, submitted.call)
    applicant = Client()
    applicant.force_login(owner)
    page = applicant.get(reverse("letters:letter_detail", args=[submitted.pk])).content.decode()
    email = decision_emails().get(to=owner.email).body_text
    assert "Decision: Not selected" in page
    for text in (page, email):
        assert "Reviewer 1" not in text
        assert "The thermal design" not in text


# Who may do it


@pytest.fixture
def people(owner, outsider, officer, call):
    return {
        "owner": owner,
        "outsider": outsider,
        "reviewer": ReviewerFactory(call=call).user,
        "officer": officer,
    }


def requests_for(letter):
    call = letter.call
    return {
        "decision GET": ("get", decision_url(letter), {}),
        "decision POST": ("post", decision_url(letter), {"outcome": SELECTED, "note": ""}),
        "bulk POST": ("post", bulk_url(call), {"letters": [letter.pk], "outcome": SELECTED}),
        "release GET": ("get", release_url(call), {}),
        "release POST": ("post", release_url(call), {"confirm": "on", "confirm_open": "on"}),
    }


@pytest.mark.parametrize(
    "request_name", ["decision GET", "decision POST", "bulk POST", "release GET", "release POST"]
)
@pytest.mark.parametrize("role", ["anonymous", "owner", "reviewer", "outsider"])
def test_only_the_office_reaches_the_decisions(client, people, submitted, request_name, role):
    # A pending decision, so a forged release would have something to send.
    decide(submitted, people["officer"], WAITLISTED)
    if role != "anonymous":
        client.force_login(people[role])
    method, path, data = requests_for(submitted)[request_name]
    response = getattr(client, method)(path, data)
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == LetterOfIntent.State.SUBMITTED
    decision = Decision.objects.get(letter=submitted)
    assert (decision.outcome, decision.released_at) == (WAITLISTED, None)
    assert not decision_emails().exists()


@pytest.mark.parametrize(
    "request_name, status",
    [
        ("decision GET", 200),
        ("decision POST", 302),
        ("bulk POST", 302),
        ("release GET", 200),
        ("release POST", 302),
    ],
)
def test_the_office_reaches_the_decisions(officer_client, submitted, request_name, status):
    method, path, data = requests_for(submitted)[request_name]
    assert getattr(officer_client, method)(path, data).status_code == status


def test_the_bulk_decision_answers_only_posts(officer_client, call):
    assert officer_client.get(bulk_url(call)).status_code == 405


# Query counts


def decided_cycle(letters, officer):
    """A cycle whose organisations have an owner reading Chinese and an editor reading English,
    with a decision waiting on nine letters in ten and a contact outside the organisation."""
    cycle = build_cycle(letters=letters, officer=officer)
    cycle.call.share_reviewer_comments = True
    cycle.call.save()
    prefix = cycle.call.reference_prefix.lower()
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}-{role}-{number}@example.org",
            full_name=f"{role.title()} {number}",
            language="zh-hans" if role == "owner" else "en",
        )
        for number in range(len(cycle.organisations))
        for role in ("owner", "editor")
    )
    Membership.objects.bulk_create(
        Membership(
            organisation=cycle.organisations[index // 2],
            user=user,
            role=Role.OWNER if index % 2 == 0 else Role.EDITOR,
        )
        for index, user in enumerate(users)
    )
    LetterOfIntent.objects.filter(call=cycle.call).update(contact_email="desk@example.org")
    Decision.objects.bulk_create(
        Decision(letter=letter, outcome=list(Decision.Outcome)[number % 3], decided_by=officer)
        for number, letter in enumerate(cycle.letters)
        if number % 10
    )
    return cycle


def release_page_queries(client, letters):
    officer = turn_on_totp(
        User.objects.create(email=f"officer-{letters}@example.org", is_programme_officer=True)
    )
    cycle = decided_cycle(letters, officer)
    client.force_login(officer)
    path = release_url(cycle.call)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured]


def test_the_release_page_uses_as_many_queries_for_200_letters_as_for_12(client, db):
    small, small_queries = release_page_queries(client, 12)
    large, large_queries = release_page_queries(client, 200)
    assert len(small_queries) == len(large_queries), "\n".join(large_queries)
    # The large page is full: 20 letters previewed in both languages, with comments.
    previews = large.context["previews"]
    assert len(previews) == 20
    assert large.context["page"].paginator.count == 180
    assert all(
        {p.language for p in letter_previews} == {"en", "zh-hans"}
        for _d, letter_previews in previews
    )
    assert any(
        "Reviewer 1" in p.body_text for _d, letter_previews in previews for p in letter_previews
    )
    assert large.context["undecided_count"] == 20


def test_a_contact_who_is_a_viewer_hears_in_their_own_language(officer_client, officer, call, mode):
    viewer = MembershipFactory(role=Role.VIEWER).user
    letter = LetterFactory(
        mode=mode,
        organisation=viewer.memberships.get().organisation,
        state=LetterOfIntent.State.SUBMITTED,
        submitted_at=timezone.now(),
        reference=f"{call.reference_prefix}-LOI-0001",
        contact_email=viewer.email.upper(),
    )
    decide(letter, officer, SELECTED)
    ((_decision, previews),) = officer_client.get(release_url(call)).context["previews"]
    # The contact is a viewer: told in their own language, at the address the portal knows.
    assert [[r.email for r in p.recipients] for p in previews] == [[viewer.email]]
