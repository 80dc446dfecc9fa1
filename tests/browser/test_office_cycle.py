"""A whole call cycle as the programme office runs it, in a real Chromium, against a live server.

The officer creates and configures a call through the office pages, watches letters arrive,
closes the call, runs the automatic assignment, reads the ranking once the reviews are in,
decides in bulk and releases the decisions. One applicant files through the real pages and one
reviewer reviews through them; the other letter and the other reviewer's reviews are made with
the domain functions, to keep the run short. E-mails are read from the outbox table.
"""

import datetime as dt
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intents.letters import actions
from intents.models import Assignment, Call, Decision, LetterOfIntent, Review
from intents.reviewing import assignments
from intents.reviewing.reviews import save_review
from portal.notifications.models import OutboundEmail
from portal.organisations.models import Role

from ..factories import (
    PASSWORD,
    LetterFactory,
    MembershipFactory,
    OrganisationFactory,
    ReviewerFactory,
    UserFactory,
    pdf_bytes,
    totp_code,
)
from .test_applicant_journey import complete_in_database, fill_letter, start_letter, upload_document

pytestmark = pytest.mark.browser

ZONE = "Asia/Shanghai"
SLUG, PREFIX = "lunar-far-side-2031", "FS31"
CALL_TITLE = "Lunar far side cooperation 2031"
MODE = "1. Payloads on the far-side lander"
SIGNED_LETTER = "Signed letter"
NO_CONFLICT = "No, I have no conflict of interest with this letter"
# Criteria as the rubric ends up: Science (weight 3) and Feasibility (weight 1).
# Letter A, filed through the pages: Ingrid S3 F1 → 2.5, Kenji S2 F4 → 2.5; mean 2.50.
# Letter B, filed by the domain:     Ingrid S5 F3 → 4.5, Kenji S4 F4 → 4.0; mean 4.25.
INGRID_SCORES = {"A": {"Science": 3, "Feasibility": 1}, "B": {"Science": 5, "Feasibility": 3}}
KENJI_SCORES = {"A": {"Science": 2, "Feasibility": 4}, "B": {"Science": 4, "Feasibility": 4}}


# --- Small helpers -----------------------------------------------------------------------------


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


def typed(moment):
    """A moment as typed into the office's date-and-time pickers, in the official zone."""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(ZONE)).strftime("%Y-%m-%dT%H:%M:%S")


def field(scope, label):
    """A form field by its label, whether or not crispy marks it required with an asterisk."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def row_block(page, legend):
    """One row of a settings list (mode, document type, criterion), by its legend."""
    return page.locator("fieldset.row-fieldset").filter(
        has=page.locator("legend", has_text=re.compile(f"^{re.escape(legend)}$"))
    )


def tab(page, name):
    page.get_by_role("link", name=name, exact=True).click()


def expect_saved(page):
    expect(page.get_by_text("The changes are saved.")).to_be_visible()


def figure(page, name):
    return page.locator(f"#figure-{name}")


def table_alternative(page, section):
    """Opens a dashboard picture's table alternative ("The numbers as a table") and returns it."""
    card = page.locator(f"section[aria-labelledby='{section}-heading']")
    card.get_by_text("The numbers as a table").click()
    table = card.locator(f"#{section}-table")
    expect(table).to_be_visible()
    return table


# --- The officer's steps -----------------------------------------------------------------------


def create_call(page, now):
    page.goto("/")
    page.get_by_role("link", name="Programme office").click()
    page.get_by_role("link", name="New call").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New call")
    field(page, "Title").fill(CALL_TITLE)
    page.get_by_label("Slug").fill(SLUG)
    field(page, "Description").fill("Fly with us to the far side of the Moon.")
    page.get_by_label("Official time zone").select_option(ZONE)
    page.get_by_label("Opens at").fill(typed(now - dt.timedelta(days=2)))
    page.get_by_label("Deadline for letters of intent").fill(typed(now + dt.timedelta(days=14)))
    page.get_by_label("Review deadline").fill(typed(now + dt.timedelta(days=40)))
    page.get_by_label("Reference prefix").fill(PREFIX)
    page.get_by_label("Reviewers per letter").fill("2")
    page.get_by_role("button", name="Create the call").click()
    expect(
        page.get_by_text("The call is created. Now describe its cooperation modes.")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cooperation modes")


def add_mode(page):
    new = row_block(page, "New mode")
    new.get_by_label("Number").fill("1")
    field(new, "Name").fill("Payloads on the far-side lander")
    field(new, "What this mode asks for").fill("A payload on our lander.")
    for figure_name in ("Mass (kg)", "Power (W)", "Data volume (GB over the mission)"):
        new.get_by_label(figure_name).check()
    page.get_by_role("button", name="Save the changes").click()
    expect_saved(page)
    expect(row_block(page, MODE)).to_have_count(1)


def add_document_type(page):
    page.get_by_role("link", name="Document types", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Document types")
    new = row_block(page, "New document type")
    new.get_by_label("Code").fill("signed-letter")
    field(new, "Name").fill(SIGNED_LETTER)
    new.get_by_label(MODE).check()  # required for the mode
    page.get_by_role("button", name="Save the changes").click()
    expect_saved(page)
    expect(row_block(page, SIGNED_LETTER).get_by_label(MODE)).to_be_checked()


def write_rubric(page):
    page.get_by_role("link", name="Rubric", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rubric")
    weights = page.locator("#weights tbody")
    expect(weights).to_contain_text("The rubric has no criteria yet.")

    # A first criterion…
    new = row_block(page, "New criterion")
    field(new, "Name").fill("Science")
    new.get_by_label("Weight").fill("2")
    new.get_by_label("Position in lists").fill("1")
    page.get_by_role("button", name="Save the changes").click()
    expect_saved(page)
    expect(weights.get_by_role("row")).to_have_text([re.compile(r"^Science\s*2\s*100 %$")])

    # …then its weight changed and a second one added, in one save.
    row_block(page, "Science").get_by_label("Weight").fill("3")
    new = row_block(page, "New criterion")
    field(new, "Name").fill("Feasibility")
    new.get_by_label("Weight").fill("1")
    new.get_by_label("Position in lists").fill("2")
    page.get_by_role("button", name="Save the changes").click()
    expect_saved(page)
    expect(weights.get_by_role("row")).to_have_text(
        [re.compile(r"^Science\s*3\s*75 %$"), re.compile(r"^Feasibility\s*1\s*25 %$")]
    )


def close_the_call(page, now):
    """Moves the deadline to the past on the Settings tab; letters exist, so it asks first."""
    tab(page, "Settings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings of the call")
    page.get_by_label("Deadline for letters of intent").fill(typed(now - dt.timedelta(minutes=1)))
    page.get_by_role("button", name="Save the settings").click()
    warning = page.locator("#closing-change")
    expect(warning).to_contain_text("2 letters of intent have already been started or filed")
    page.get_by_label("Yes, move the closing time for these letters.").check()
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_text("The settings are saved.")).to_be_visible()


def review_in_browser(page, *, reference, scores, recommendation):
    page.get_by_role("link", name="Reviews", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reviews")
    page.get_by_role("row").filter(has_text=reference).get_by_role("link", name=reference).click()
    page.get_by_role("radio", name=NO_CONFLICT).check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Thank you. The letter is open for your review.")).to_be_visible()
    page.get_by_role("link", name="Write the review").click()
    for criterion, value in scores.items():
        page.locator(".score-field").filter(has_text=f"{criterion} (weight").get_by_role(
            "radio", name=str(value), exact=True
        ).check()
    page.get_by_label("Recommendation").select_option(label=recommendation)
    page.get_by_role("button", name="Submit the review").click()
    expect(page.get_by_text(re.compile(r"^Your review is submitted\."))).to_be_visible()


def review_by_domain(user, letter, scores, recommendation):
    assignment = Assignment.objects.get(letter=letter, reviewer__user=user)
    assignments.confirm_no_conflict(user=user, assignment_id=assignment.pk)
    criteria = {criterion.name: criterion.pk for criterion in letter.call.criteria.all()}
    save_review(
        user=user,
        assignment_id=assignment.pk,
        values={criteria[name]: value for name, value in scores.items()},
        answers={
            "recommendation": recommendation,
            "comment_to_committee": "Sound.",
            "comment_to_applicant": "",
        },
        submit=True,
    )


def decide_in_bulk(page, *, letter, outcome, note):
    page.get_by_role("checkbox", name=f"Choose {letter.reference}").check()
    bulk = page.locator("#bulk-decision")
    bulk.get_by_role("radio", name=outcome, exact=True).check()
    bulk.get_by_label("Internal note (optional)").fill(note)
    bulk.get_by_role("button", name="Record this decision").click()
    expect(page.get_by_text(f"“{outcome}” is now the decision on 1 letter.")).to_be_visible()
    row = page.locator("#office-letters tbody tr").filter(has_text=letter.reference)
    expect(row.locator(".decision")).to_have_text(outcome)
    expect(row.locator(".decision-private")).to_have_text("Private")


# --- The test ----------------------------------------------------------------------------------


def test_an_officer_runs_a_call_from_its_creation_to_the_release_of_the_decisions(
    new_context, screenshot, officer
):
    now = timezone.now().replace(microsecond=0)

    # People: two applicant organisations (one with a Chinese-reading editor), two reviewers.
    helena = UserFactory(full_name="Helena Costa", email="helena@moon.example.org")
    wei = UserFactory(full_name="Wei Zhang", email="wei@moon.example.org", language="zh-hans")
    agency = OrganisationFactory(
        legal_name="Brazilian Lunar Agency", short_name="BLA", country="BR"
    )
    MembershipFactory(organisation=agency, user=helena, role=Role.OWNER)
    MembershipFactory(organisation=agency, user=wei, role=Role.EDITOR)
    tunde = UserFactory(full_name="Tunde Okafor", email="tunde@nasrda.example.org")
    institute = OrganisationFactory(
        legal_name="Nigerian Space Research Institute", short_name="NSRI", country="NG"
    )
    MembershipFactory(organisation=institute, user=tunde, role=Role.OWNER)
    ingrid = UserFactory(full_name="Ingrid Becker", email="ingrid@moon-review.example.org")
    kenji = UserFactory(full_name="Kenji Sato", email="kenji@moon-review.example.org")

    # 1. The officer creates the call and configures it through the office pages.
    office = new_context().new_page()
    sign_in(office, email=officer.email, code=totp_code(officer))
    create_call(office, now)
    call = Call.objects.get(slug=SLUG)
    assert call.reviewers_per_letter == 2
    assert call.time_zone == ZONE
    assert call.opens_at == now - dt.timedelta(days=2)  # typed in Shanghai time, stored right
    add_mode(office)
    add_document_type(office)
    write_rubric(office)
    screenshot(office, "office-rubric")
    [mode] = call.modes.all()
    assert mode.technical_fields == ["mass_kg", "power_w", "data_volume_gb"]
    assert [(c.name, c.weight) for c in call.criteria.all()] == [("Science", 3), ("Feasibility", 1)]
    assert [str(t) for t in mode.required_document_types.all()] == [SIGNED_LETTER]

    # 2. The dashboard, empty; then the letters arrive.
    tab(office, "Dashboard")
    expect(office.get_by_role("heading", level=1)).to_have_text(CALL_TITLE)
    expect(figure(office, "submitted")).to_have_text("0")
    expect(office.locator("#modes-table")).to_have_count(0)

    #    Helena files letter A through the applicant's pages.
    applicant = new_context().new_page()
    sign_in(applicant, email=helena.email)
    applicant.get_by_role("link", name=CALL_TITLE).click()
    start_letter(
        applicant,
        organisation="Brazilian Lunar Agency",
        mode=MODE,
        title="Far-side Radio Spectrometer",
    )
    fill_letter(applicant)
    applicant.get_by_role("button", name="Save the draft").click()
    expect(applicant.get_by_text("Saved.", exact=True)).to_be_visible()
    upload_document(
        applicant, document_type=SIGNED_LETTER, name="signed.pdf", content=pdf_bytes(pages=1)
    )
    applicant.get_by_role("link", name="Review and submit").click()
    applicant.locator("#confirm-submit").click()
    expect(applicant.get_by_role("heading", name="Submission receipt")).to_be_visible()
    letter_a = LetterOfIntent.objects.get(title="Far-side Radio Spectrometer")
    assert letter_a.reference == f"{PREFIX}-LOI-0001"

    office.reload()
    expect(figure(office, "submitted")).to_have_text("1")
    modes_table = table_alternative(office, "modes")
    expect(modes_table.get_by_role("row").filter(has_text=MODE)).to_have_text(
        re.compile(rf"^{re.escape(MODE)}\s*1$")
    )

    #    Letter B comes from the domain, as a second applicant would file it.
    letter_b = LetterFactory(
        call=call, mode=mode, organisation=institute, created_by=tunde, title="Crater Seismometer"
    )
    letter_b = complete_in_database(letter_b, tunde, [mode.required_document_types.get()])
    letter_b = actions.submit(letter_id=letter_b.pk, user=tunde, expected_version=letter_b.version)
    assert letter_b.reference == f"{PREFIX}-LOI-0002"

    office.reload()
    expect(figure(office, "submitted")).to_have_text("2")
    expect(office.get_by_text("From 2 organisations.")).to_be_visible()
    modes_table = table_alternative(office, "modes")
    expect(modes_table.get_by_role("row").filter(has_text=MODE)).to_have_text(
        re.compile(rf"^{re.escape(MODE)}\s*2$")
    )
    countries = table_alternative(office, "countries")
    expect(countries.get_by_role("row").filter(has_text="Brazil")).to_contain_text("1")
    expect(countries.get_by_role("row").filter(has_text="Nigeria")).to_contain_text("1")
    expect(figure(office, "reviews")).to_have_text("0 of 4")  # 2 letters × 2 reviewers
    screenshot(office, "office-dashboard-submitted")

    # 3. The call closes; the reviewers join the pool; the automatic assignment fills it.
    close_the_call(office, now)
    tab(office, "Dashboard")
    expect(figure(office, "time-left")).to_have_text("Closed")
    for user in (ingrid, kenji):
        ReviewerFactory(call=call, user=user, country="DE", expertise=[mode])

    tab(office, "Assignments")
    expect(office.get_by_role("heading", level=1)).to_have_text("Assignments")
    expect(office.get_by_text("Each letter is read by 2 reviewers.")).to_be_visible()
    rows = office.locator("#assignment-table tbody tr")
    expect(rows.filter(has_text=letter_a.reference)).to_contain_text("2 reviewers missing")
    office.get_by_role("button", name="Run automatic assignment").click()
    expect(office.get_by_text("Automatic assignment made 4 assignments.")).to_be_visible()
    expect(office.get_by_text("Every letter has its full number of reviewers.")).to_be_visible()
    office.get_by_role("link", name="Back to the assignments").click()
    for letter in (letter_a, letter_b):
        row = rows.filter(has_text=letter.reference)
        expect(row).to_contain_text("Ingrid Becker")
        expect(row).to_contain_text("Kenji Sato")
        expect(row).not_to_contain_text("missing")
    assert (
        Assignment.objects.filter(letter__call=call, origin=Assignment.Origin.AUTOMATIC).count()
        == 4
    )

    # 4. Ingrid reviews both letters through the reviewer's pages; Kenji through the domain.
    reviewer = new_context().new_page()
    sign_in(reviewer, email=ingrid.email)
    review_in_browser(
        reviewer, reference=letter_a.reference, scores=INGRID_SCORES["A"], recommendation="Waitlist"
    )
    review_in_browser(
        reviewer, reference=letter_b.reference, scores=INGRID_SCORES["B"], recommendation="Select"
    )
    reviewer.get_by_role("link", name="Your reviews").click()
    expect(reviewer.get_by_text("2 of 2 reviews submitted")).to_be_visible()
    screenshot(reviewer, "office-cycle-reviewer-desk")
    review_by_domain(kenji, letter_a, KENJI_SCORES["A"], Review.Recommendation.WAITLIST)
    review_by_domain(kenji, letter_b, KENJI_SCORES["B"], Review.Recommendation.SELECT)
    totals = dict(
        Review.objects.filter(assignment__reviewer__user=ingrid).values_list(
            "assignment__letter__reference", "total"
        )
    )
    assert totals == {letter_a.reference: Decimal("2.5"), letter_b.reference: Decimal("4.5")}

    # 5. The ranking: letter B first (mean 4.25), letter A second (mean 2.5).
    tab(office, "Dashboard")
    expect(figure(office, "reviews")).to_have_text("4 of 4")
    tab(office, "Ranking")
    expect(office.get_by_role("heading", level=1)).to_have_text("Ranking")
    ranking = office.locator("#ranking tbody tr")
    expect(ranking).to_have_count(2)
    expect(ranking.nth(0).locator(".letter-reference")).to_have_text(letter_b.reference)
    expect(ranking.nth(1).locator(".letter-reference")).to_have_text(letter_a.reference)
    expect(ranking.nth(0).locator("th")).to_have_text("1")
    expect(ranking.nth(1).locator("th")).to_have_text("2")
    expect(ranking.nth(0).locator(".letter-mean")).to_have_text("4.25")
    expect(ranking.nth(1).locator(".letter-mean")).to_have_text("2.5")
    expect(ranking.nth(0)).to_contain_text("2 of 2")
    expect(ranking.nth(0)).to_contain_text("Select: 2")
    expect(ranking.nth(1)).to_contain_text("Waitlist: 2")
    screenshot(office, "office-ranking")

    # 6. Decisions in bulk on the Letters tab, each with an internal note.
    tab(office, "Letters")
    expect(office.locator("#letter-count")).to_have_text("2 letters")
    decide_in_bulk(office, letter=letter_b, outcome="Selected", note="Top of the ranking.")
    decide_in_bulk(office, letter=letter_a, outcome="Waitlisted", note="Good, but behind B.")
    screenshot(office, "office-letters-decided")
    decisions = {d.letter_id: d for d in Decision.objects.filter(letter__call=call)}
    assert decisions[letter_b.pk].outcome == Decision.Outcome.SELECTED
    assert decisions[letter_b.pk].internal_note == "Top of the ranking."
    assert decisions[letter_a.pk].outcome == Decision.Outcome.WAITLISTED
    assert decisions[letter_a.pk].internal_note == "Good, but behind B."
    assert all(d.released_at is None for d in decisions.values())
    assert not OutboundEmail.objects.filter(idempotency_key__startswith="decision:").exists()
    # Private until released: the applicant's page says nothing yet.
    applicant.goto(letter_a.get_absolute_url())
    expect(applicant.locator("#letter-decision")).to_have_count(0)

    # 7. The preview of the e-mails, then the release.
    tab(office, "Decisions")
    expect(office.get_by_role("heading", level=1)).to_have_text("Decisions")
    expect(office.locator("#pending-selected")).to_have_text("1")
    expect(office.locator("#pending-waitlisted")).to_have_text("1")
    expect(office.locator("#pending-total")).to_have_text("2")
    expect(office.locator("#undecided-warning")).to_have_count(0)

    preview_b = office.locator(f"#preview-{letter_b.pk}")
    english_b = preview_b.locator(".email-preview")
    expect(english_b).to_have_count(1)
    expect(english_b).to_have_attribute("lang", "en")
    expect(english_b).to_contain_text(f"Tunde Okafor <{tunde.email}>")
    expect(english_b).to_contain_text("Claire Dupont <claire@example.org>")  # the contact
    expect(english_b).to_contain_text("· English")
    expect(english_b.locator("summary")).to_have_text(
        f"Decision on your letter of intent {letter_b.reference}: Selected"
    )
    english_b.locator("summary").click()
    expect(english_b.locator(".email-body")).to_contain_text("Decision: Selected")

    preview_a = office.locator(f"#preview-{letter_a.pk}")
    expect(preview_a.locator(".email-preview")).to_have_count(2)
    english_a = preview_a.locator('.email-preview[lang="en"]')
    expect(english_a).to_contain_text(f"Helena Costa <{helena.email}>")
    expect(english_a).to_contain_text("· English")
    expect(english_a.locator("summary")).to_have_text(
        f"Decision on your letter of intent {letter_a.reference}: Waitlisted"
    )
    chinese_a = preview_a.locator('.email-preview[lang="zh-hans"]')
    expect(chinese_a).to_contain_text(f"Wei Zhang <{wei.email}>")
    expect(chinese_a).to_contain_text("· Simplified Chinese")
    # The subject in Chinese: "关于您的意向书 <reference> 的决定：候补" (waitlisted).
    expect(chinese_a.locator("summary")).to_have_text(
        re.compile(rf"^关于您的意向书 {re.escape(letter_a.reference)} 的决定：候补$")
    )
    chinese_a.locator("summary").click()
    expect(chinese_a.locator(".email-body")).to_contain_text("尊敬的 Wei Zhang")
    screenshot(office, "office-release-preview")

    # A second tab left open on the page, as a colleague's would be.
    stale = office.context.new_page()
    stale.goto(office.url)

    # Without the confirmation ticked, the browser holds the form back.
    confirm = office.get_by_label("I have read the previews of the e-mails")
    office.get_by_role("button", name="Release the decisions and send the e-mails").click()
    assert confirm.evaluate("box => box.validity.valueMissing")
    expect(office.locator("#pending-total")).to_have_text("2")
    assert not OutboundEmail.objects.filter(idempotency_key__startswith="decision:").exists()
    confirm.check()
    office.get_by_role("button", name="Release the decisions and send the e-mails").click()
    expect(
        office.get_by_text("2 decisions were released; the applicants are told by e-mail.")
    ).to_be_visible()
    expect(office.locator("#released-total")).to_have_text("2")
    expect(office.locator("#pending-total")).to_have_text("0")
    expect(office.locator("#nothing-pending")).to_be_visible()
    screenshot(office, "office-released")

    # 8. One e-mail per letter per recipient, each in its reader's language.
    sent = OutboundEmail.objects.filter(idempotency_key__startswith="decision:")
    expected = {
        (decisions[letter_a.pk].pk, helena.email),
        (decisions[letter_a.pk].pk, wei.email),
        (decisions[letter_b.pk].pk, tunde.email),
        (decisions[letter_b.pk].pk, "claire@example.org"),
    }
    assert {(int(e.idempotency_key.split(":")[1]), e.to) for e in sent} == expected
    assert sent.count() == len(expected)
    by_address = {email.to: email for email in sent}
    assert by_address[helena.email].subject.endswith(": Waitlisted")
    assert by_address[wei.email].subject == f"关于您的意向书 {letter_a.reference} 的决定：候补"
    assert "尊敬的 Wei Zhang" in by_address[wei.email].body_text
    assert by_address[tunde.email].subject.endswith(": Selected")
    assert letter_b.reference in by_address["claire@example.org"].body_text

    # Releasing again from the stale tab sends nothing more.
    stale.get_by_label("I have read the previews of the e-mails").check()
    stale.get_by_role("button", name="Release the decisions and send the e-mails").click()
    expect(stale.get_by_text("Nothing to release.")).to_be_visible()
    assert OutboundEmail.objects.filter(idempotency_key__startswith="decision:").count() == 4

    letter_a.refresh_from_db()
    letter_b.refresh_from_db()
    assert letter_a.state == LetterOfIntent.State.WAITLISTED
    assert letter_b.state == LetterOfIntent.State.SELECTED

    # The applicant sees the decision on the letter's page.
    applicant.reload()
    expect(applicant.locator("#letter-decision-heading")).to_have_text("Decision: Waitlisted")
    screenshot(applicant, "applicant-decision")
