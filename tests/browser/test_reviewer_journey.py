"""The reviewer workflow through the real UI, in a real Chromium, against a live server.

The programme officer assigns a letter by hand; the reviewer declares no conflict (by keyboard),
reads the letter, saves a draft review and submits it; after the review deadline the form is
closed on the page and to a forged POST alike.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from intents.models import Assignment, Call, Review
from portal.notifications.models import OutboundEmail

from ..factories import PASSWORD, CriterionFactory, ReviewerFactory, UserFactory, totp_code

pytestmark = pytest.mark.browser

NO_CONFLICT = "No, I have no conflict of interest with this letter"
CLOSED = "The review deadline has passed: reviews can no longer change."
# Science 5 × 3, Feasibility 4 × 2, Relations 2 × 1, over the weights 3 + 2 + 1: 25 / 6.
SCORES = {"Science": "5", "Feasibility": "4", "Relations": "2"}
WEIGHTED = "4.167"


@pytest.fixture
def criteria(call):
    return [
        CriterionFactory(call=call, name="Science", weight=3, position=0),
        CriterionFactory(call=call, name="Feasibility", weight=2, position=1),
        CriterionFactory(call=call, name="Relations", weight=1, position=2),
    ]


@pytest.fixture
def reviewer(call, mode):
    """A place in the pool, accepted, expert in the letter's mode, free of any conflict."""
    user = UserFactory(full_name="Ingrid Becker", email="ingrid@moon-review.example.org")
    return ReviewerFactory(call=call, user=user, country="DE", expertise=[mode])


@pytest.fixture
def review_call(call):
    """The call with a review deadline still ahead."""
    call.review_deadline = timezone.now() + dt.timedelta(days=20)
    call.save(update_fields=["review_deadline"])
    return call


def sign_in(page, *, email, password=PASSWORD, code=None):
    """`code`: the authenticator app's, for an account that has one (every officer)."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    if code:
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name=email)).to_be_visible()


def tab_to(page, locator, *, limit=60):
    """Presses Tab until `locator` has the focus, as a keyboard user would reach it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} was not reached with {limit} presses of Tab")


INCOMPLETE = "Score every criterion and give a recommendation before you submit."


def score_group(page, criterion):
    """The radio buttons of one criterion (the group is named after its label)."""
    return page.locator(".score-field").filter(has_text=f"{criterion} (weight")


def assign_by_hand(page, *, call, letter, reviewer_name):
    page.goto("/")
    page.get_by_role("link", name="Programme office").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme office")
    page.get_by_role("row").filter(has_text=call.title).get_by_role("link", name=call.title).click()
    page.get_by_role("link", name="Assignments", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assignments")
    row = page.locator("#assignment-table tbody tr").filter(has_text=letter.reference)
    expect(row).to_contain_text("3 reviewers missing")
    row.get_by_role("link", name="Assign by hand").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Reviewers for {letter.reference}")
    candidate = page.locator("#candidates tbody tr").filter(has_text=reviewer_name)
    expect(candidate).to_contain_text("Yes")  # an expert in the letter's mode
    candidate.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("The reviewer is assigned and told by e-mail.")).to_be_visible()
    candidate = page.locator("#candidates tbody tr").filter(has_text=reviewer_name)
    expect(candidate).to_contain_text("To declare")
    expect(candidate.get_by_role("button", name="Assign")).to_have_count(0)
    expect(candidate.get_by_role("link", name="Remove")).to_be_visible()


def test_an_officer_assigns_a_letter_and_the_reviewer_reviews_it_until_the_deadline(
    new_context, screenshot, review_call, submitted, criteria, reviewer, officer
):
    call, letter = review_call, submitted
    reviewer_name, reviewer_email = "Ingrid Becker", reviewer.user.email

    # 1. The programme officer assigns the reviewer by hand.
    office = new_context().new_page()
    sign_in(office, email=officer.email, code=totp_code(officer))
    assign_by_hand(office, call=call, letter=letter, reviewer_name=reviewer_name)
    screenshot(office, "office-assign")
    assignment = Assignment.objects.get(letter=letter, reviewer=reviewer)
    assert assignment.origin == Assignment.Origin.MANUAL
    assert assignment.assigned_by == officer
    assert OutboundEmail.objects.filter(
        to=reviewer_email, idempotency_key=f"assignment:{assignment.pk}"
    ).exists()

    # 2. The reviewer finds the letter on the desk, waiting for the conflict declaration.
    page = new_context().new_page()
    sign_in(page, email=reviewer_email)
    page.get_by_role("link", name="Reviews", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reviews")
    expect(page.get_by_text("0 of 1 reviews submitted")).to_be_visible()
    desk_row = page.get_by_role("row").filter(has_text=letter.reference)
    expect(desk_row).to_contain_text("To declare")
    screenshot(page, "reviewer-desk")
    desk_row.get_by_role("link", name=letter.reference).click()

    # 3. Before declaring, only the title and the mode are shown.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Before you read: any conflict of interest?"
    )
    expect(page.locator("#letter-title")).to_have_text(letter.title)
    main = page.get_by_role("main")
    expect(main).to_contain_text(str(letter.mode))
    for hidden in (letter.summary, letter.objectives, letter.organisation.legal_name):
        expect(main).not_to_contain_text(hidden)
    expect(page.get_by_role("link", name="Write the review")).to_have_count(0)
    screenshot(page, "reviewer-conflict")

    # 4. Answered with the keyboard alone: Tab to the answer, Space to choose, Enter to send.
    no_conflict = page.get_by_role("radio", name=NO_CONFLICT)
    tab_to(page, no_conflict)
    page.keyboard.press("Space")
    expect(no_conflict).to_be_checked()
    send = page.get_by_role("button", name="Send my answer")
    tab_to(page, send)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thank you. The letter is open for your review.")).to_be_visible()
    assignment.refresh_from_db()
    assert assignment.no_conflict_confirmed_at is not None

    # 5. The letter itself is shown now.
    expect(page.get_by_role("heading", level=1)).to_have_text(letter.title)
    main = page.get_by_role("main")
    expect(main).to_contain_text(letter.summary)
    expect(main).to_contain_text(letter.organisation.legal_name)  # the call is not blind
    expect(page.locator(".progress-to_review")).to_have_text("To review")
    expect(main).to_contain_text("Not started.")
    screenshot(page, "reviewer-letter")

    # 6. A draft with two of the three scores.
    page.get_by_role("link", name="Write the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your review of “{letter.title}”")
    for name in ("Science", "Feasibility"):
        score_group(page, name).get_by_role("radio", name=SCORES[name], exact=True).check()
    page.get_by_label("Comment to the committee").fill("Promising; the power budget is thin.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    card = page.locator("aside .card").filter(has_text="Your review")
    expect(card).to_contain_text("Draft")
    expect(card).not_to_contain_text("weighted score")  # not every criterion is scored yet
    expect(page.locator(".progress-draft")).to_have_text("Draft")
    review = Review.objects.get(assignment=assignment)
    assert review.submitted_at is None
    assert review.total is None
    assert {s.criterion.name: s.value for s in review.scores.all()} == {
        "Science": 5,
        "Feasibility": 4,
    }

    # 7. Back to the form, which keeps the draft; the last score, a recommendation, submit.
    page.get_by_role("link", name="Continue the review").click()
    expect(score_group(page, "Science").get_by_role("radio", name="5", exact=True)).to_be_checked()
    expect(
        score_group(page, "Feasibility").get_by_role("radio", name="4", exact=True)
    ).to_be_checked()
    expect(page.get_by_label("Comment to the committee")).to_have_value(
        "Promising; the power budget is thin."
    )
    # Submitting too early: the summary, and the unscored criterion and the recommendation
    # each marked with their own error, tied to them.
    page.get_by_role("button", name="Submit the review").click()
    expect(page.get_by_text(INCOMPLETE)).to_be_visible()
    relations = score_group(page, "Relations")
    expect(relations.get_by_text("Give this criterion a score.")).to_be_visible()
    expect(relations.get_by_role("group")).to_have_accessible_description(
        re.compile(r"Give this criterion a score\.")
    )
    expect(score_group(page, "Science").get_by_text("Give this criterion a score.")).to_have_count(
        0
    )
    expect(page.get_by_label("Recommendation")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Recommendation")).to_have_accessible_description(
        re.compile(r"Choose a recommendation\.")
    )
    score_group(page, "Relations").get_by_role(
        "radio", name=SCORES["Relations"], exact=True
    ).check()
    page.get_by_label("Recommendation").select_option(label="Select")
    screenshot(page, "reviewer-form")
    page.get_by_role("button", name="Submit the review").click()
    expect(page.get_by_text(re.compile(r"^Your review is submitted\."))).to_be_visible()
    card = page.locator("aside .card").filter(has_text="Your review")
    expect(card).to_contain_text(f"Submitted · weighted score {WEIGHTED} of 5")
    expect(page.locator(".progress-submitted")).to_have_text("Submitted")
    screenshot(page, "reviewer-submitted")
    review.refresh_from_db()
    assert review.submitted_at is not None
    assert review.total == Decimal(WEIGHTED)
    assert review.recommendation == Review.Recommendation.SELECT

    # The desk counts it, and the office sees it on the overview.
    page.get_by_role("link", name="Your reviews").click()
    expect(page.get_by_text("1 of 1 reviews submitted")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=letter.reference)).to_contain_text(WEIGHTED)
    office.goto(reverse("reviewing:assignment_overview", args=[call.slug]))
    office_row = office.locator("#assignment-table tbody tr").filter(has_text=letter.reference)
    expect(office_row).to_contain_text(reviewer_name)
    expect(office_row).to_contain_text("Submitted")
    expect(office_row).to_contain_text("1 review: mean 4.17")

    # 8. The review deadline passes: the form is closed on the page…
    Call.objects.filter(pk=call.pk).update(review_deadline=timezone.now() - dt.timedelta(hours=1))
    before = Review.objects.get(pk=review.pk)
    scores_before = sorted(review.scores.values_list("criterion_id", "value"))
    page.goto(assignment.get_absolute_url())
    card = page.locator("aside .card").filter(has_text="Your review")
    expect(card).to_contain_text(f"Submitted · weighted score {WEIGHTED} of 5")
    expect(page.locator("#review-closed")).to_have_text(CLOSED)
    expect(page.locator("#write-review")).to_have_count(0)
    expect(page.get_by_role("link", name="Continue the review")).to_have_count(0)
    screenshot(page, "reviewer-closed")

    # …the form's address sends the reviewer back with the reason…
    review_url = reverse("reviewing:review_edit", args=[assignment.pk])
    page.goto(review_url)
    expect(page).to_have_url(re.compile(re.escape(assignment.get_absolute_url()) + "$"))
    expect(page.get_by_role("main").get_by_text(CLOSED)).to_have_count(2)  # message + card
    expect(page.locator("form").filter(has=page.locator(".score-choice"))).to_have_count(0)

    # …and a POST forged with the reviewer's own session and CSRF token is refused.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    forged = {
        "csrfmiddlewaretoken": token,
        "recommendation": "not_select",
        "comment_to_committee": "Changed after the deadline.",
        "comment_to_applicant": "",
        "submit": "Save the changes",
        **{f"score_{criterion.pk}": "1" for criterion in criteria},
    }
    response = page.request.post(
        review_url, form=forged, headers={"Referer": page.url}, max_redirects=0
    )
    assert response.status == 403, response.status
    after = Review.objects.get(pk=review.pk)
    assert after.total == before.total == Decimal(WEIGHTED)
    assert after.recommendation == before.recommendation
    assert after.comment_to_committee == before.comment_to_committee
    assert after.submitted_at == before.submitted_at
    assert after.updated_at == before.updated_at
    assert sorted(after.scores.values_list("criterion_id", "value")) == scores_before
