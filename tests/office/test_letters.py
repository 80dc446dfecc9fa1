"""The office's list of a call's letters (filters, search, sorting, the bulk-decision form) and
its page of one letter, where nothing is hidden: the office is never blind."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from intents.letters import actions
from intents.models import Assignment, Decision, LetterOfIntent, Review
from intents.reviewing import assignments, reviews
from portal.audit.models import AuditEvent
from portal.audit.sentences import sentence

from ..conftest import attach_pdf
from ..factories import CallFactory, CriterionFactory, ReviewerFactory
from .cycle import build_cycle


def letters_url(call, query=""):
    return reverse("office:office_letters", args=[call.slug]) + query


def listed(client, call, query=""):
    """The references the list shows, in order."""
    response = client.get(letters_url(call, query))
    assert response.status_code == 200
    return [letter.reference for letter, _score in response.context["rows"]]


def references(letters):
    return [letter.reference for letter in letters]


# --- Permissions ------------------------------------------------------------------------------


@pytest.fixture
def office_urls(cycle):
    return [
        letters_url(cycle.call),
        reverse("office:office_letter", args=[cycle.letters[0].pk]),
        reverse("office:ranking", args=[cycle.call.slug]),
    ]


@pytest.fixture
def reviewer_user(cycle):
    """A reviewer of this very call, with the letter on their desk."""
    return cycle.reviewers[0].user


def test_anonymous_visitors_are_sent_to_sign_in(client, office_urls):
    for url in office_urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["owner", "reviewer_user", "outsider"])
def test_everyone_but_an_officer_is_refused(client, office_urls, role, request):
    client.force_login(request.getfixturevalue(role))
    events = AuditEvent.objects.exclude(verb__startswith="security.").count()
    for url in office_urls:
        assert client.get(url).status_code == 403
        assert client.post(url, {"letters": [1], "outcome": "selected"}).status_code == 403
    # Only the security log grows, with the refusals.
    assert AuditEvent.objects.exclude(verb__startswith="security.").count() == events
    assert not Decision.objects.exists()


def test_the_applicant_of_a_listed_letter_is_refused_too(client, cycle, owner, organisation):
    LetterOfIntent.objects.filter(pk=cycle.letters[0].pk).update(organisation=organisation)
    client.force_login(owner)
    assert (
        client.get(reverse("office:office_letter", args=[cycle.letters[0].pk])).status_code == 403
    )


def test_an_officer_sees_every_page(officer_client, office_urls):
    for url in office_urls:
        assert officer_client.get(url).status_code == 200


def test_the_office_page_of_a_draft_is_not_found(officer_client, draft):
    assert officer_client.get(reverse("office:office_letter", args=[draft.pk])).status_code == 404


def test_a_draft_withdrawn_before_filing_stays_hidden(officer_client, draft, owner):
    actions.withdraw(letter_id=draft.pk, user=owner, reason="Changed plans", expected_version=1)
    assert officer_client.get(reverse("office:office_letter", args=[draft.pk])).status_code == 404


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_filed_letters_and_no_draft(officer_client, cycle):
    response = officer_client.get(letters_url(cycle.call))
    assert listed(officer_client, cycle.call) == references(cycle.letters)
    for draft in cycle.drafts:
        assert draft.title not in response.content.decode()


def test_each_row_links_to_the_office_page_and_shows_reviews_and_score(officer_client, cycle):
    response = officer_client.get(letters_url(cycle.call))
    page = response.content.decode()
    first = cycle.letters[0]
    assert reverse("office:office_letter", args=[first.pk]) in page
    assert first.organisation.legal_name in page
    assert first.organisation.country.name in page
    letter, score = response.context["rows"][0]
    assert (letter.received, letter.expected) == (3, 3)
    assert score.aggregate.count == 3
    assert f"{score.aggregate.mean.normalize():f}" in page
    assert "3 of 3" in page


def test_the_state_filter_narrows_the_list(officer_client, cycle):
    chosen = cycle.letters[4]
    LetterOfIntent.objects.filter(pk=chosen.pk).update(state=LetterOfIntent.State.WAITLISTED)
    assert listed(officer_client, cycle.call, "?state=waitlisted") == [chosen.reference]
    assert chosen.reference not in listed(officer_client, cycle.call, "?state=submitted")


def test_the_mode_filter_narrows_the_list(officer_client, cycle):
    mode = cycle.modes[1]
    expected = references(letter for letter in cycle.letters if letter.mode_id == mode.pk)
    assert len(expected) == 3
    assert listed(officer_client, cycle.call, f"?mode={mode.pk}") == expected


def test_the_country_filter_narrows_the_list(officer_client, cycle):
    country = cycle.organisations[0].country.code
    expected = references(
        letter for letter in cycle.letters if letter.organisation.country.code == country
    )
    assert expected and len(expected) < len(cycle.letters)
    assert listed(officer_client, cycle.call, f"?country={country}") == expected


def test_the_kind_filter_narrows_the_list(officer_client, cycle):
    kind = cycle.organisations[1].kind
    expected = references(letter for letter in cycle.letters if letter.organisation.kind == kind)
    assert expected and len(expected) < len(cycle.letters)
    assert listed(officer_client, cycle.call, f"?kind={kind}") == expected


def test_the_verified_filter_narrows_the_list(officer_client, cycle):
    verified = references(l for l in cycle.letters if l.organisation.is_verified)  # noqa: E741
    unverified = references(l for l in cycle.letters if not l.organisation.is_verified)  # noqa: E741
    assert verified and unverified
    assert listed(officer_client, cycle.call, "?verified=true") == verified
    assert listed(officer_client, cycle.call, "?verified=false") == unverified


@pytest.fixture
def uneven_reviews(cycle):
    """One letter of each review progress; the others have all three reviews in."""
    unassigned, short, unsubmitted, extra = cycle.letters[:4]
    Review.objects.filter(assignment__letter=unassigned).delete()
    Assignment.objects.filter(letter=unassigned).delete()
    last = Assignment.objects.filter(letter=short).order_by("pk").last()
    Review.objects.filter(assignment=last).delete()
    last.delete()
    Review.objects.filter(
        pk=Review.objects.filter(assignment__letter=unsubmitted).order_by("pk").first().pk
    ).update(submitted_at=None)
    # A fourth reviewer assigned by hand is expected too.
    Assignment.objects.create(letter=extra, reviewer=cycle.reviewers[9], assigned_by=None)
    return {"unassigned": unassigned, "short": short, "unsubmitted": unsubmitted, "extra": extra}


def test_the_review_progress_filter_narrows_the_list(officer_client, cycle, uneven_reviews):
    call = cycle.call
    assert listed(officer_client, call, "?progress=unassigned") == [
        uneven_reviews["unassigned"].reference
    ]
    assert listed(officer_client, call, "?progress=short") == [uneven_reviews["short"].reference]
    assert listed(officer_client, call, "?progress=incomplete") == references(
        [uneven_reviews["unsubmitted"], uneven_reviews["extra"]]
    )
    assert listed(officer_client, call, "?progress=complete") == references(cycle.letters[4:])


def test_reviews_received_count_against_those_expected(officer_client, cycle, uneven_reviews):
    response = officer_client.get(letters_url(cycle.call))
    counts = {
        letter.reference: (letter.received, letter.expected)
        for letter, _score in response.context["rows"]
    }
    assert counts[uneven_reviews["unassigned"].reference] == (0, 3)
    assert counts[uneven_reviews["short"].reference] == (2, 3)
    assert counts[uneven_reviews["unsubmitted"].reference] == (2, 3)
    assert counts[uneven_reviews["extra"].reference] == (3, 4)


@pytest.fixture
def decisions(cycle, officer):
    """The first letter selected and released, the second waitlisted, the third not selected."""
    selected, waitlisted, refused = cycle.letters[:3]
    Decision.objects.create(
        letter=selected,
        outcome=Decision.Outcome.SELECTED,
        decided_by=officer,
        released_at=timezone.now(),
        released_by=officer,
    )
    Decision.objects.create(
        letter=waitlisted, outcome=Decision.Outcome.WAITLISTED, decided_by=officer
    )
    Decision.objects.create(
        letter=refused, outcome=Decision.Outcome.NOT_SELECTED, decided_by=officer
    )
    return selected, waitlisted, refused


def test_the_decision_filters_narrow_the_list(officer_client, cycle, decisions):
    selected, waitlisted, refused = decisions
    call = cycle.call
    assert listed(officer_client, call, "?decision=selected") == [selected.reference]
    assert listed(officer_client, call, "?decision=waitlisted") == [waitlisted.reference]
    assert listed(officer_client, call, "?decision=not_selected") == [refused.reference]
    assert listed(officer_client, call, "?decision=none") == references(cycle.letters[3:])
    assert listed(officer_client, call, "?released=true") == [selected.reference]
    assert listed(officer_client, call, "?released=false") == references([waitlisted, refused])


def test_a_decision_not_released_is_marked_private(officer_client, cycle, decisions):
    response = officer_client.get(letters_url(cycle.call, "?decision=waitlisted"))
    page = response.content.decode()
    assert "Waitlisted" in page
    assert "decision-private" in page
    released = officer_client.get(letters_url(cycle.call, "?decision=selected")).content.decode()
    assert "decision-private" not in released
    assert "Released" in released


def test_filters_combine(officer_client, cycle):
    mode = cycle.modes[0]
    expected = references(
        letter
        for letter in cycle.letters
        if letter.mode_id == mode.pk and letter.organisation.is_verified
    )
    assert expected
    assert listed(officer_client, cycle.call, f"?mode={mode.pk}&verified=true") == expected


def test_the_search_finds_a_reference_a_title_and_an_organisation(officer_client, cycle):
    call = cycle.call
    third = cycle.letters[2]
    assert listed(officer_client, call, f"?q={third.reference.lower()}") == [third.reference]
    assert listed(officer_client, call, "?q=instrument 11") == [cycle.letters[11].reference]
    organisation = cycle.organisations[3]
    by_organisation = references(l for l in cycle.letters if l.organisation == organisation)  # noqa: E741
    assert listed(officer_client, call, f"?q={organisation.legal_name}") == by_organisation
    assert listed(officer_client, call, f"?q={organisation.short_name}") == by_organisation


def test_nothing_found_says_so_with_a_way_back(officer_client, cycle):
    response = officer_client.get(letters_url(cycle.call, "?q=no-such-letter"))
    page = response.content.decode()
    assert "No letter matches these filters." in page
    assert 'id="bulk-decision"' not in page


def test_a_call_without_filed_letters_says_so(officer_client):
    call = CallFactory()
    page = officer_client.get(letters_url(call)).content.decode()
    assert "No letter has been submitted to this call yet." in page


def test_sorting_by_title_organisation_country_and_submission(officer_client, cycle):
    call, letters = cycle.call, cycle.letters
    assert listed(officer_client, call, "?sort=title") == references(
        sorted(letters, key=lambda letter: (letter.title, letter.reference))
    )
    assert listed(officer_client, call, "?sort=-reference") == references(letters)[::-1]
    assert listed(officer_client, call, "?sort=organisation") == references(
        sorted(letters, key=lambda letter: (letter.organisation.legal_name, letter.reference))
    )
    assert listed(officer_client, call, "?sort=country") == references(
        sorted(letters, key=lambda letter: (letter.organisation.country.code, letter.reference))
    )
    # The cycle's first letter was filed last.
    assert listed(officer_client, call, "?sort=submitted") == references(letters)[::-1]


def test_sorting_by_mean_score_puts_unreviewed_letters_last(officer_client, cycle, uneven_reviews):
    response = officer_client.get(letters_url(cycle.call, "?sort=-score"))
    rows = response.context["rows"]
    means = [score.aggregate.mean for _letter, score in rows]
    assert rows[-1][0].reference == uneven_reviews["unassigned"].reference
    assert means[:-1] == sorted(means[:-1], reverse=True)
    ascending = officer_client.get(letters_url(cycle.call, "?sort=score")).context["rows"]
    assert ascending[-1][0].reference == uneven_reviews["unassigned"].reference
    assert [s.aggregate.mean for _l, s in ascending][:-1] == sorted(means[:-1])


def test_sorting_by_reviews_received(officer_client, cycle, uneven_reviews):
    order = listed(officer_client, cycle.call, "?sort=reviews")
    assert order[0] == uneven_reviews["unassigned"].reference
    assert set(order[1:3]) == {
        uneven_reviews["short"].reference,
        uneven_reviews["unsubmitted"].reference,
    }


def test_column_headers_sort_and_reverse(officer_client, cycle):
    page = officer_client.get(letters_url(cycle.call, "?verified=true")).content.decode()
    assert 'href="?verified=true&amp;sort=title"' in page
    reversed_page = officer_client.get(letters_url(cycle.call, "?sort=title")).content.decode()
    assert 'href="?sort=-title"' in reversed_page
    assert 'aria-sort="ascending"' in reversed_page


def test_pagination_keeps_the_filters(officer_client, officer):
    cycle = build_cycle(letters=120, officer=officer)
    verified = references(l for l in cycle.letters if l.organisation.is_verified)  # noqa: E741
    assert len(verified) == 60
    first = officer_client.get(letters_url(cycle.call, "?verified=true&sort=-reference"))
    assert first.context["page"].paginator.count == 60
    assert len(first.context["rows"]) == 50
    page = first.content.decode()
    assert 'href="?verified=true&amp;sort=-reference&amp;page=2"' in page
    second = listed(officer_client, cycle.call, "?verified=true&sort=-reference&page=2")
    shown = listed(officer_client, cycle.call, "?verified=true&sort=-reference") + second
    assert shown == sorted(verified, reverse=True)


def test_the_bulk_decision_form_carries_the_chosen_letters_and_the_way_back(officer_client, cycle):
    query = "?verified=true&sort=-score"
    page = officer_client.get(letters_url(cycle.call, query)).content.decode()
    bulk = reverse("office:decisions_bulk", args=[cycle.call.slug])
    assert (
        f'<form id="bulk-decision" class="card card-body mb-3" method="post" action="{bulk}"'
        in (page)
    )
    assert f'name="next" value="{letters_url(cycle.call)}?verified=true&amp;sort=-score"' in page
    for letter in cycle.letters:
        checkbox = f'name="letters" value="{letter.pk}" form="bulk-decision"'
        assert (checkbox in page) == letter.organisation.is_verified
    for outcome in Decision.Outcome.values:
        assert f'value="{outcome}"' in page
    assert 'name="outcome"' in page and 'name="note"' in page
    # The filter form is a GET form of its own, closed before the bulk form opens.
    filters = page.index('id="letter-filters"')
    assert filters < page.index("</form>", filters) < page.index(bulk)


def test_deciding_ticked_letters_comes_back_to_the_same_filtered_list(officer_client, cycle):
    query = "?verified=true&sort=-score&page=1"
    response = officer_client.get(letters_url(cycle.call, query))
    chosen = [letter.pk for letter, _score in response.context["rows"][:2]]
    answer = officer_client.post(
        reverse("office:decisions_bulk", args=[cycle.call.slug]),
        {
            "letters": chosen,
            "outcome": "waitlisted",
            "note": "",
            "next": response.context["bulk_form"]["next"].value(),
        },
    )
    assert answer.status_code == 302
    assert answer.url == letters_url(cycle.call, query)
    assert listed(officer_client, cycle.call, "?decision=waitlisted&released=false") == sorted(
        LetterOfIntent.objects.get(pk=pk).reference for pk in chosen
    )


def test_a_withdrawn_letter_is_listed_but_cannot_be_chosen(officer_client, cycle):
    withdrawn = cycle.letters[0]
    LetterOfIntent.objects.filter(pk=withdrawn.pk).update(state=LetterOfIntent.State.WITHDRAWN)
    page = officer_client.get(letters_url(cycle.call, "?state=withdrawn")).content.decode()
    assert withdrawn.reference in page
    assert f'value="{withdrawn.pk}" form="bulk-decision"' not in page


def test_times_are_shown_with_their_zone(officer_client, cycle):
    page = officer_client.get(letters_url(cycle.call)).content.decode()
    submitted = timezone.localtime(cycle.letters[0].submitted_at)
    assert f"{submitted.day} {submitted:%b %Y, %H:%M} UTC" in page


# --- One letter -------------------------------------------------------------------------------


@pytest.fixture
def reviewed(submitted, call, officer, owner, signed_letter_type):
    """The filed letter amended once (a document replaced), with two submitted reviews, an
    open assignment, a declared conflict and a private decision; the call reviews blind."""
    call.blind_review = True
    call.review_deadline = timezone.now() + dt.timedelta(days=30)
    call.save()
    criteria = [
        CriterionFactory(call=call, name="Science", weight=3),
        CriterionFactory(call=call, name="Feasibility", weight=1),
    ]
    attach_pdf(submitted, owner, signed_letter_type, name="budget-v2.pdf")  # replaces the first
    people = [
        ReviewerFactory(call=call, user__full_name=name)
        for name in ("Ada Moonwalker", "Bo Regolith", "Cy Opensky", "Di Conflicted")
    ]
    for place, values, recommendation in (
        (people[0], (5, 4), "select"),
        (people[1], (2, 3), "waitlist"),
    ):
        assignment = assignments.assign(user=officer, reviewer_id=place.pk, letter_id=submitted.pk)
        assignments.confirm_no_conflict(user=place.user, assignment_id=assignment.pk)
        reviews.save_review(
            user=place.user,
            assignment_id=assignment.pk,
            values=dict(zip([c.pk for c in criteria], values, strict=True)),
            answers={
                "recommendation": recommendation,
                "comment_to_committee": f"Committee note from {place.user.full_name}.",
                "comment_to_applicant": f"Applicant note from {place.user.full_name}.",
            },
            submit=True,
        )
    assignments.assign(user=officer, reviewer_id=people[2].pk, letter_id=submitted.pk)
    conflicted = assignments.assign(user=officer, reviewer_id=people[3].pk, letter_id=submitted.pk)
    assignments.declare_conflict(
        user=people[3].user, assignment_id=conflicted.pk, kind="financial", note="I hold shares."
    )
    Decision.objects.create(
        letter=submitted,
        outcome=Decision.Outcome.SELECTED,
        internal_note="Strong science case.",
        decided_by=officer,
    )
    submitted.refresh_from_db()
    return submitted


def letter_page(client, letter):
    response = client.get(reverse("office:office_letter", args=[letter.pk]))
    assert response.status_code == 200
    return response


def test_the_letter_page_shows_every_field_and_the_organisation(officer_client, reviewed):
    page = letter_page(officer_client, reviewed).content.decode()
    organisation = reviewed.organisation
    for text in (
        reviewed.title,
        reviewed.reference,
        reviewed.summary,
        reviewed.objectives,
        reviewed.contribution,
        reviewed.timeline,
        reviewed.contact_name,
        organisation.legal_name,
        organisation.short_name,
        organisation.country.name,
        "Not verified",
    ):
        assert text in page, text


def test_the_letter_page_lists_documents_with_download_links(officer_client, reviewed):
    page = letter_page(officer_client, reviewed).content.decode()
    for document in reviewed.documents.all():
        assert document.original_name in page
        assert document.get_download_url() in page
        assert officer_client.get(document.get_download_url()).status_code == 200
    assert "Removed on" in page  # the replaced document, still in the first receipt


def test_the_letter_page_lists_the_filed_versions_with_their_receipts(officer_client, reviewed):
    response = letter_page(officer_client, reviewed)
    page = response.content.decode()
    numbers = [version.number for version in response.context["versions"]]
    assert numbers == [2, 1]  # submission, then the amendment
    for number in numbers:
        receipt = reverse("letters:letter_receipt", args=[reviewed.pk, number])
        assert receipt in page
        assert officer_client.get(receipt).status_code == 200
    assert "Submission" in page and "Amendment" in page


def test_the_letter_page_shows_the_reviews_with_their_scores(officer_client, reviewed):
    response = letter_page(officer_client, reviewed)
    page = response.content.decode()
    scores = [(review.values, review.total) for review in response.context["reviews"]]
    assert [values for values, _total in scores] == [[5, 4], [2, 3]]
    for _values, total in scores:
        assert f"<td>{total.normalize():f}</td>" in page  # 3.5, not the column's 3.500
    for text in (
        "Science",
        "×3",
        "Select",
        "Waitlist",
        "Committee note from Ada Moonwalker.",
        "Applicant note from Bo Regolith.",
    ):
        assert text in page, text
    aggregate = response.context["aggregate"]
    assert aggregate.count == 2
    assert f"mean {aggregate.mean.normalize():f}," in page
    assert "2 of 3 reviews received." in page


def test_blind_review_hides_nothing_from_the_office(officer_client, reviewed):
    assert reviewed.call.blind_review
    page = letter_page(officer_client, reviewed).content.decode()
    for name in ("Ada Moonwalker", "Bo Regolith", "Cy Opensky", "Di Conflicted"):
        assert name in page
    assert reviewed.organisation.legal_name in page
    assert "budget-v2.pdf" in page
    listed_page = officer_client.get(letters_url(reviewed.call)).content.decode()
    assert reviewed.organisation.legal_name in listed_page


def test_the_letter_page_shows_open_assignments_and_declared_conflicts(officer_client, reviewed):
    response = letter_page(officer_client, reviewed)
    page = response.content.decode()
    assert [a.reviewer.user.full_name for a in response.context["open_assignments"]] == [
        "Cy Opensky"
    ]
    assert "To declare" in page
    assert "Financial" in page and "I hold shares." in page


def test_the_letter_page_shows_the_private_decision_and_links_to_decide(officer_client, reviewed):
    page = letter_page(officer_client, reviewed).content.decode()
    assert "Strong science case." in page
    assert "decision-private" in page
    assert reverse("office:letter_decision", args=[reviewed.pk]) in page
    assert reverse("reviewing:letter_assign", args=[reviewed.pk]) in page


def test_the_letter_page_shows_the_audit_trail_newest_first(officer_client, reviewed):
    response = letter_page(officer_client, reviewed)
    page = response.content.decode()
    verbs = [event.verb for event in response.context["events"]]
    assert verbs[0] == "conflict.declared"
    assert verbs[-1] == "document.uploaded"  # the draft's first document
    for verb in ("letter.submitted", "letter.amended", "review.submitted", "assignment.made"):
        assert verb in verbs
    for event in response.context["events"]:
        assert escape(sentence(event)) in page  # in words, not as a code
    assert response.context["event_count"] == len(verbs)


def test_the_audit_trail_is_capped_with_a_count(officer_client, reviewed, officer):
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=officer,
            verb="document.downloaded",
            target_type="intents.letterofintent",
            target_id=str(reviewed.pk),
            target_label=reviewed.reference,
        )
        for _ in range(120)
    )
    response = letter_page(officer_client, reviewed)
    total = AuditEvent.objects.filter(target_id=str(reviewed.pk)).count()
    assert len(response.context["events"]) == 100
    assert response.context["event_count"] == total
    assert f"The latest 100 of {total} events." in response.content.decode()


def test_a_withdrawn_letter_keeps_its_office_page_without_assigning(
    officer_client, submitted, owner
):
    actions.withdraw(
        letter_id=submitted.pk, user=owner, reason="No funding", expected_version=submitted.version
    )
    page = letter_page(officer_client, submitted).content.decode()
    assert "No funding" in page
    assert reverse("reviewing:letter_assign", args=[submitted.pk]) not in page
