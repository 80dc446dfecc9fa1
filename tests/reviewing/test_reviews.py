"""Writing a review: drafts, submission, amendments, the deadline, and what others see."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from intents.models import Review, Score
from intents.reviewing import ReviewingError, assignments, reviews
from portal.audit.models import AuditEvent

from ..factories import ReviewerFactory
from .conftest import full_scores, review_answers

INCOMPLETE = "Score every criterion and give a recommendation before you submit."


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def edit_url(assignment):
    return reverse("reviewing:review_edit", args=[assignment.pk])


def post_review(client, assignment, scores, *, submit, **answers):
    """Post the review form; `scores` maps criteria to values (missing ones left empty)."""
    data = {f"score_{criterion.pk}": str(value) for criterion, value in scores.items()}
    data.update(review_answers(**answers))
    data["submit" if submit else "save"] = "x"
    return client.post(edit_url(assignment), data)


def scores_of(review):
    return {score.criterion.name: score.value for score in review.scores.all()}


def close_reviews(call):
    call.review_deadline = timezone.now() - dt.timedelta(minutes=1)
    call.save()


@pytest.fixture
def signed_in(client, reviewer):
    client.force_login(reviewer.user)
    return client


@pytest.fixture
def draft_review(confirmed, reviewer, criteria):
    return reviews.save_review(
        user=reviewer.user,
        assignment_id=confirmed.pk,
        values={criteria[0].pk: 4},
        answers=review_answers(recommendation="", comment_to_committee="First thoughts."),
        submit=False,
    )


@pytest.fixture
def submitted_review(confirmed, reviewer, criteria):
    return reviews.save_review(
        user=reviewer.user,
        assignment_id=confirmed.pk,
        values=full_scores(criteria),
        answers=review_answers(),
        submit=True,
    )


# Opening the form.


def test_the_review_is_closed_until_the_reviewer_confirms_no_conflict(signed_in, assignment):
    assert signed_in.get(edit_url(assignment)).status_code == 404
    assert post_review(signed_in, assignment, {}, submit=False).status_code == 404
    assert not Review.objects.exists()


def test_after_confirming_the_reviewer_opens_the_form(signed_in, confirmed, criteria):
    response = signed_in.get(edit_url(confirmed))
    assert response.status_code == 200
    page = response.content.decode()
    for criterion in criteria:
        assert f'name="score_{criterion.pk}"' in page


def test_nobody_else_opens_the_review_form(client, outsider, officer, confirmed):
    for user in (outsider, officer):
        client.force_login(user)
        assert client.get(edit_url(confirmed)).status_code == 404


# Drafts and submission.


def test_a_draft_keeps_the_scores_given_so_far(signed_in, confirmed, criteria):
    science, feasibility, _relations = criteria
    response = post_review(
        signed_in, confirmed, {science: 4, feasibility: 2}, submit=False, recommendation=""
    )

    assert response.status_code == 302
    assert response.url == reverse("reviewing:assignment_detail", args=[confirmed.pk])
    assert "Your draft is saved." in messages_of(response)
    review = Review.objects.get(assignment=confirmed)
    assert scores_of(review) == {"Science": 4, "Feasibility": 2}
    assert review.total is None
    assert review.submitted_at is None
    assert AuditEvent.objects.filter(verb="review.saved", actor=confirmed.reviewer.user).exists()


def test_submitting_stores_the_weighted_total(signed_in, confirmed, criteria):
    science, feasibility, relations = criteria
    response = post_review(
        signed_in, confirmed, {science: 5, feasibility: 3, relations: 2}, submit=True
    )

    assert response.status_code == 302
    review = Review.objects.get(assignment=confirmed)
    # (3 × 5 + 2 × 3 + 1 × 2) / 6 = 23 / 6
    assert review.total == Decimal("3.833")
    assert review.submitted_at is not None
    assert review.recommendation == Review.Recommendation.SELECT
    assert scores_of(review) == {"Science": 5, "Feasibility": 3, "Relations": 2}
    event = AuditEvent.objects.get(verb="review.submitted")
    assert event.data == {"total": "3.833"}
    assert any("Your review is submitted" in message for message in messages_of(response))


def test_a_draft_can_be_completed_and_submitted(signed_in, confirmed, criteria, draft_review):
    post_review(signed_in, confirmed, dict.fromkeys(criteria, 3), submit=True)
    review = Review.objects.get()
    assert review.pk == draft_review.pk
    assert review.total == Decimal("3.000")
    assert review.is_submitted


def test_the_form_shows_the_saved_draft(signed_in, confirmed, criteria, draft_review):
    response = signed_in.get(edit_url(confirmed))
    assert "First thoughts." in response.content.decode()
    assert response.context["form"].initial[f"score_{criteria[0].pk}"] == "4"


def test_submitting_an_incomplete_review_leaves_the_draft_as_it_was(
    signed_in, confirmed, criteria, draft_review
):
    science, feasibility, _relations = criteria
    response = post_review(
        signed_in,
        confirmed,
        {science: 5, feasibility: 3},
        submit=True,
        comment_to_committee="Rewritten.",
    )

    assert response.status_code == 200
    assert INCOMPLETE in messages_of(response)
    review = Review.objects.get()
    assert scores_of(review) == {"Science": 4}
    assert review.comment_to_committee == "First thoughts."
    assert review.submitted_at is None
    assert review.total is None
    assert not AuditEvent.objects.filter(verb="review.submitted").exists()


def test_an_incomplete_submission_marks_each_missing_field_with_its_own_error(
    signed_in, confirmed, criteria
):
    science, feasibility, relations = criteria
    response = post_review(
        signed_in, confirmed, {science: 5, feasibility: 3}, submit=True, recommendation=""
    )

    assert INCOMPLETE in messages_of(response)  # the summary above the form
    form = response.context["form"]
    assert set(form.errors) == {f"score_{relations.pk}", "recommendation"}
    page = response.content.decode()
    # The unscored criterion's group and the recommendation each point at their error text.
    group = f'aria-describedby="needed-later-legend id_score_{relations.pk}_helptext '
    assert f'{group}id_score_{relations.pk}_error"' in page
    assert f'id="id_score_{relations.pk}_error"' in page
    assert "Give this criterion a score." in page
    assert re.search(r'<select name="recommendation"[^>]*aria-invalid="true"', page)
    assert re.search(
        r'<select name="recommendation"[^>]*aria-describedby="needed-later-legend '
        r'id_recommendation_error"',
        page,
    )
    assert "Choose a recommendation." in page
    # The scored criteria carry no error.
    assert f'id="id_score_{science.pk}_error"' not in page


def test_the_form_marks_what_submission_needs(signed_in, confirmed, criteria):
    page = signed_in.get(edit_url(confirmed)).content.decode()
    assert 'id="needed-later-legend"' in page
    assert "Needed to submit the review" in page
    for criterion in criteria:
        assert f'aria-describedby="needed-later-legend id_score_{criterion.pk}_helptext"' in page
    assert re.search(r'<select name="recommendation"[^>]*needed-later-legend', page)
    assert not re.search(r'<textarea name="comment_to_applicant"[^>]*needed-later-legend', page)


def test_submitting_without_a_recommendation_is_refused(signed_in, confirmed, criteria):
    response = post_review(
        signed_in, confirmed, dict.fromkeys(criteria, 4), submit=True, recommendation=""
    )
    assert INCOMPLETE in messages_of(response)
    assert not Review.objects.exists()
    assert not Score.objects.exists()


@pytest.mark.parametrize("value", [0, 6, "four"])
def test_scores_outside_the_scale_are_rejected(signed_in, confirmed, criteria, value):
    scores = {**dict.fromkeys(criteria, 4), criteria[1]: value}
    response = post_review(signed_in, confirmed, scores, submit=True)

    assert response.status_code == 200
    assert f"score_{criteria[1].pk}" in response.context["form"].errors
    assert not Review.objects.exists()
    assert not Score.objects.exists()


def test_the_scale_follows_the_call(signed_in, call, confirmed, criteria):
    call.score_max = 7
    call.save()
    post_review(signed_in, confirmed, dict.fromkeys(criteria, 7), submit=True)
    assert Review.objects.get().total == Decimal("7.000")


def test_the_domain_refuses_an_incomplete_submission(reviewer, confirmed, criteria):
    with pytest.raises(ReviewingError, match="Score every criterion"):
        reviews.save_review(
            user=reviewer.user,
            assignment_id=confirmed.pk,
            values={criteria[0].pk: 5},
            answers=review_answers(),
            submit=True,
        )
    assert not Review.objects.exists()


# Amending a submitted review.


def test_a_submitted_review_can_be_amended(signed_in, confirmed, criteria, submitted_review):
    response = post_review(signed_in, confirmed, dict.fromkeys(criteria, 2), submit=True)

    assert response.status_code == 302
    review = Review.objects.get()
    assert review.submitted_at == submitted_review.submitted_at
    assert review.total == Decimal("2.000")
    assert AuditEvent.objects.filter(verb="review.amended").count() == 1
    assert AuditEvent.objects.filter(verb="review.submitted").count() == 1


def test_a_submitted_review_cannot_lose_a_score(signed_in, confirmed, criteria, submitted_review):
    science, feasibility, _relations = criteria
    response = post_review(signed_in, confirmed, {science: 1, feasibility: 1}, submit=False)

    assert response.status_code == 200
    assert INCOMPLETE in messages_of(response)
    review = Review.objects.get()
    assert review.is_submitted
    assert review.total == Decimal("4.000")
    assert scores_of(review) == {"Science": 4, "Feasibility": 4, "Relations": 4}


def test_the_domain_keeps_a_submitted_review_complete(
    reviewer, confirmed, criteria, submitted_review
):
    with pytest.raises(ReviewingError, match="Score every criterion"):
        reviews.save_review(
            user=reviewer.user,
            assignment_id=confirmed.pk,
            values=full_scores(criteria),
            answers=review_answers(recommendation=""),
            submit=False,
        )
    review = Review.objects.get()
    assert review.recommendation == Review.Recommendation.SELECT
    assert review.total == Decimal("4.000")


# The review deadline.


def test_after_the_deadline_the_form_sends_the_reviewer_back(signed_in, call, confirmed):
    close_reviews(call)
    response = signed_in.get(edit_url(confirmed))

    assert response.status_code == 302
    assert response.url == reverse("reviewing:assignment_detail", args=[confirmed.pk])
    assert any("The review deadline has passed" in message for message in messages_of(response))


def test_after_the_deadline_a_post_changes_nothing(
    signed_in, call, confirmed, criteria, submitted_review
):
    close_reviews(call)
    response = post_review(signed_in, confirmed, dict.fromkeys(criteria, 1), submit=True)

    assert response.status_code == 403
    review = Review.objects.get()
    assert review.total == Decimal("4.000")
    assert scores_of(review) == {"Science": 4, "Feasibility": 4, "Relations": 4}
    assert not AuditEvent.objects.filter(verb="review.amended").exists()


def test_after_the_deadline_the_domain_refuses(reviewer, call, confirmed, criteria):
    close_reviews(call)
    with pytest.raises(ReviewingError, match="The review deadline has passed"):
        reviews.save_review(
            user=reviewer.user,
            assignment_id=confirmed.pk,
            values=full_scores(criteria),
            answers=review_answers(),
            submit=True,
        )
    assert not Review.objects.exists()


def test_after_the_deadline_the_letter_page_says_the_review_is_closed(signed_in, call, confirmed):
    close_reviews(call)
    page = signed_in.get(reverse("reviewing:assignment_detail", args=[confirmed.pk])).content
    assert b'id="review-closed"' in page
    assert edit_url(confirmed).encode() not in page


def test_before_the_deadline_the_review_is_open(signed_in, call, confirmed, criteria):
    call.review_deadline = timezone.now() + dt.timedelta(days=1)
    call.save()
    response = post_review(signed_in, confirmed, dict.fromkeys(criteria, 5), submit=True)
    assert response.status_code == 302
    assert Review.objects.get().is_submitted


# A double click.


def test_a_double_click_files_one_review(signed_in, confirmed, criteria):
    scores = dict(zip(criteria, [5, 4, 3], strict=True))
    first = post_review(signed_in, confirmed, scores, submit=True)
    submitted_at = Review.objects.get().submitted_at
    second = post_review(signed_in, confirmed, scores, submit=True)

    assert first.status_code == second.status_code == 302
    review = Review.objects.get()
    assert review.submitted_at == submitted_at
    assert Score.objects.filter(review=review).count() == len(criteria)
    for criterion in criteria:
        assert Score.objects.filter(review=review, criterion=criterion).count() == 1


def test_a_double_click_on_a_draft_files_one_draft(signed_in, confirmed, criteria):
    for _click in range(2):
        post_review(signed_in, confirmed, {criteria[0]: 3}, submit=False)
    assert Review.objects.count() == 1
    assert Score.objects.count() == 1


# The other reviewers' reviews.


@pytest.fixture
def colleague(call, mode, officer, submitted, criteria):
    """A second reviewer of the same letter, whose review is submitted."""
    colleague = ReviewerFactory(call=call, country="DE", expertise=[mode])
    assignment = assignments.assign(user=officer, reviewer_id=colleague.pk, letter_id=submitted.pk)
    assignments.confirm_no_conflict(user=colleague.user, assignment_id=assignment.pk)
    reviews.save_review(
        user=colleague.user,
        assignment_id=assignment.pk,
        values=full_scores(criteria, 2),
        answers=review_answers(comment_to_committee="Second opinion: the mass is too high."),
        submit=True,
    )
    return colleague


def letter_page(client, assignment):
    url = reverse("reviewing:assignment_detail", args=[assignment.pk])
    return client.get(url).content.decode()


def test_other_reviews_are_shown_only_after_submitting_ones_own(
    signed_in, call, reviewer, confirmed, criteria, colleague
):
    call.reviewers_see_other_reviews = True
    call.save()
    assert "Second opinion" not in letter_page(signed_in, confirmed)

    reviews.save_review(
        user=reviewer.user,
        assignment_id=confirmed.pk,
        values={criteria[0].pk: 5},
        answers=review_answers(),
        submit=False,
    )
    assert "Second opinion" not in letter_page(signed_in, confirmed)

    post_review(signed_in, confirmed, dict.fromkeys(criteria, 4), submit=True)
    page = letter_page(signed_in, confirmed)
    assert "Second opinion: the mass is too high." in page
    assert "The other reviews" in page


def test_other_reviews_are_never_shown_when_the_call_says_no(
    signed_in, call, confirmed, criteria, colleague
):
    assert not call.reviewers_see_other_reviews
    post_review(signed_in, confirmed, dict.fromkeys(criteria, 4), submit=True)
    page = letter_page(signed_in, confirmed)
    assert "Second opinion" not in page
    assert "The other reviews" not in page


def test_other_drafts_are_never_shown(
    signed_in, call, mode, officer, submitted, confirmed, criteria
):
    call.reviewers_see_other_reviews = True
    call.save()
    drafter = ReviewerFactory(call=call, country="DE")
    assignment = assignments.assign(user=officer, reviewer_id=drafter.pk, letter_id=submitted.pk)
    assignments.confirm_no_conflict(user=drafter.user, assignment_id=assignment.pk)
    reviews.save_review(
        user=drafter.user,
        assignment_id=assignment.pk,
        values={},
        answers=review_answers(comment_to_committee="Half-baked idea."),
        submit=False,
    )
    post_review(signed_in, confirmed, dict.fromkeys(criteria, 4), submit=True)
    page = letter_page(signed_in, confirmed)
    assert "The other reviews" in page
    assert "Half-baked idea." not in page


# The office's overview.


def test_the_overview_shows_the_aggregate_and_flags_disagreement(
    client, call, officer, submitted, reviewer, confirmed, criteria, colleague
):
    reviews.save_review(
        user=reviewer.user,
        assignment_id=confirmed.pk,
        values=full_scores(criteria, 5),
        answers=review_answers(),
        submit=True,
    )
    skeptic = ReviewerFactory(call=call, country="DE")
    assignment = assignments.assign(user=officer, reviewer_id=skeptic.pk, letter_id=submitted.pk)
    assignments.confirm_no_conflict(user=skeptic.user, assignment_id=assignment.pk)
    reviews.save_review(
        user=skeptic.user,
        assignment_id=assignment.pk,
        values=full_scores(criteria, 1),
        answers=review_answers(recommendation="not_select"),
        submit=True,
    )

    client.force_login(officer)
    page = client.get(reverse("reviewing:assignment_overview", args=[call.slug])).content.decode()
    # Totals 5, 2 and 1.
    assert "3 reviews: mean 2.67, median 2, spread 4" in page
    assert "Reviewers disagree" in page


def test_the_overview_does_not_flag_close_totals(
    client, call, officer, reviewer, confirmed, criteria, colleague
):
    reviews.save_review(
        user=reviewer.user,
        assignment_id=confirmed.pk,
        values=full_scores(criteria, 3),
        answers=review_answers(),
        submit=True,
    )
    client.force_login(officer)
    page = client.get(reverse("reviewing:assignment_overview", args=[call.slug])).content.decode()
    assert "2 reviews: mean 2.5, median 2.5, spread 1" in page
    assert "Reviewers disagree" not in page


def test_drafts_do_not_count_in_the_aggregate(
    client, call, officer, reviewer, confirmed, criteria, colleague
):
    reviews.save_review(
        user=reviewer.user,
        assignment_id=confirmed.pk,
        values=full_scores(criteria, 5),
        answers=review_answers(),
        submit=False,
    )
    client.force_login(officer)
    page = client.get(reverse("reviewing:assignment_overview", args=[call.slug])).content.decode()
    assert "1 review: mean 2, median 2, spread 0" in page
