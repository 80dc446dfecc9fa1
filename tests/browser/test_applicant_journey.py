"""An applicant's journey through the real UI, in a real Chromium, against a live server.

The only shortcut: e-mails are read from the outbox table instead of a mailbox.
"""

import datetime as dt
import hashlib
import re
import zoneinfo
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from intents.demo import seed
from intents.letters import actions
from intents.models import Call, LetterOfIntent
from intents.uploads import inspect_upload
from portal.notifications.models import OutboundEmail

from ..factories import complete_letter_fields, pdf_bytes, pdf_upload
from .conftest import BROWSER_TIME_ZONE

pytestmark = pytest.mark.browser

PASSWORD = "lunar-south-pole-2030"
SIGNED_LETTER = "Signed letter from an authorised representative"
TECHNICAL_ANNEX = "Technical annex"
REFERENCE = re.compile(r"^CE8-LOI-\d{4}$")
COUNTDOWN = re.compile(r"^\d+ d \d+ h \d+ min \d+ s$")


# --- Reading the outbox ------------------------------------------------------------------------


def emails_to(address, key_prefix):
    return list(
        OutboundEmail.objects.filter(to=address, idempotency_key__startswith=key_prefix).order_by(
            "created_at"
        )
    )


def link_path(body, path_prefix):
    """The path of the first link in an e-mail body under `path_prefix` (any host)."""
    for url in re.findall(r"https?://\S+", body):
        path = urlsplit(url).path
        if path.startswith(path_prefix):
            return path
    raise AssertionError(f"No {path_prefix} link in the e-mail:\n{body}")


# --- Steps, as a person clicks them ------------------------------------------------------------


def sign_up(page, *, name, email, screenshot=None):
    page.goto("/")
    page.get_by_role("link", name="Sign up", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_placeholder("Password", exact=True).fill(PASSWORD)
    page.get_by_placeholder("Password (again)", exact=True).fill(PASSWORD)
    # portal.js fills the time zone in from the browser.
    expect(page.get_by_label("Your time zone")).to_have_value(BROWSER_TIME_ZONE)
    if screenshot:
        screenshot(page, "signup")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()


def confirm_email(page, email):
    [verification] = emails_to(email, "account:")
    page.goto(link_path(verification.body_text, "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    # Confirming signs the new user in.
    expect(page.get_by_role("link", name=email)).to_be_visible()


def sign_up_and_confirm(page, *, name, email, screenshot=None):
    sign_up(page, name=name, email=email, screenshot=screenshot)
    confirm_email(page, email)


def sign_in(page, *, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name=email)).to_be_visible()


def register_organisation(page, *, legal_name, short_name):
    page.goto("/")
    page.get_by_role("link", name="Register an organisation").click()
    page.get_by_label("Legal name").fill(legal_name)
    page.get_by_label("Short name").fill(short_name)
    page.get_by_label("Kind").select_option(label="National space agency")
    page.get_by_label("Country").select_option(label="Brazil")
    page.get_by_label("Website").fill("https://moon.example.org")
    page.get_by_label("Postal address").fill("Av. dos Astronautas 1758\nSão José dos Campos")
    page.get_by_label("Contact person").fill("Helena Costa")
    page.get_by_label("Contact e-mail").fill("helena@moon.example.org")
    page.get_by_label("Contact telephone").fill("+55 12 3208 6000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your organisation is registered. You are its owner.")).to_be_visible()
    expect(page.get_by_role("heading", name=legal_name)).to_be_visible()


def invite_member(page, *, email, role):
    page.get_by_role("link", name="Members").click()
    page.get_by_label("E-mail address").fill(email)
    page.locator("#id_role").select_option(label=role)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("The invitation is on its way.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=email)).to_be_visible()


def accept_invitation(page, invitation_email):
    page.goto(link_path(invitation_email.body_text, "/organisations/invitations/"))
    page.locator("#accept-invitation").click()
    expect(page.get_by_text(re.compile(r"^Welcome to "))).to_be_visible()


def open_call(page, call):
    page.goto("/")
    page.get_by_role("link", name=call.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(call.title)


def deadline_row(page, label):
    """The value next to `label` (the exact text, or a pattern) in the deadline box."""
    if isinstance(label, str):
        label = re.compile(f"^{re.escape(label)}$")
    term = page.locator(".deadline dt").filter(has_text=label)
    return term.locator("xpath=following-sibling::dd[1]")


def deadline_in(call, zone):
    """The call's deadline as the pages print it, in `zone`."""
    at = call.deadline.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{at.day} {at:%b %Y, %H:%M:%S} {zone}"


def start_letter(page, *, organisation, mode, title):
    page.get_by_label("Organisation").select_option(label=organisation)
    page.get_by_role("radio", name=mode).check()
    page.get_by_label("Working title").fill(title)
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", name="Edit the draft")).to_be_visible()


def fill_letter(page):
    page.get_by_label("Summary").fill(
        "A 3 kg camera that images ice in permanently shadowed craters."
    )
    page.get_by_label("Objectives").fill("Map surface frost and its changes over a lunar day.")
    page.get_by_label("Proposed contribution").fill(
        "A near-infrared camera on the rover mast, with its own electronics box."
    )
    page.get_by_label("Mass (kg)").fill("3.2")
    page.get_by_label("Power (W)").fill("9.5")
    page.get_by_label("Data volume").fill("42")
    page.get_by_label("Technology readiness level").select_option("6")
    page.get_by_label("Funding status").select_option(label="Partly secured")
    page.get_by_label("Timeline").fill("Qualification model 2026, flight model 2027.")
    page.get_by_label("Partner organisations").fill("University of São Paulo\nINPE")
    page.get_by_label("Contact person").fill("Helena Costa")
    page.get_by_label("Contact e-mail").fill("helena@moon.example.org")


def upload_document(page, *, document_type, name, content):
    page.get_by_label("Document type").select_option(label=document_type)
    page.get_by_label("File (PDF)").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": content}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The document was uploaded and checked.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=name)).to_contain_text(sha256(content))


def sha256(content):
    return hashlib.sha256(content).hexdigest()


def complete_in_database(letter, user, documents):
    """Makes a draft complete without the UI (for tests about what happens afterwards)."""
    for name, value in complete_letter_fields().items():
        setattr(letter, name, value)
    letter.save()
    for document_type in documents:
        upload = pdf_upload(f"{document_type.code}.pdf")
        actions.add_document(
            letter_id=letter.pk,
            user=user,
            document_type=document_type,
            stored_file=upload,
            inspected=inspect_upload(upload, settings.DOCUMENT_MAX_BYTES),
            original_name=upload.name,
        )
    letter.refresh_from_db()
    return letter


# --- The tests ---------------------------------------------------------------------------------


def test_a_new_applicant_signs_up_and_files_a_letter_of_intent_before_the_deadline(
    new_context, screenshot
):
    call = seed()
    owner_email, editor_email = "helena@moon.example.org", "rafael@moon.example.org"
    page = new_context().new_page()

    # 1. Sign up and confirm the e-mail address.
    sign_up_and_confirm(page, name="Helena Costa", email=owner_email, screenshot=screenshot)

    # 2. Register the organisation.
    register_organisation(page, legal_name="Brazilian Lunar Agency", short_name="BLA")

    # 3. Invite a colleague, who accepts in a browser of their own.
    invite_member(page, email=editor_email, role="Editor")
    screenshot(page, "members")
    [invitation] = emails_to(editor_email, "invitation:")
    colleague = new_context().new_page()
    sign_up_and_confirm(colleague, name="Rafael Lima", email=editor_email)
    accept_invitation(colleague, invitation)

    # 4. The call page shows the deadline in the official zone, UTC, the user's zone and a
    #    countdown; the letter is started there.
    open_call(page, call)
    expect(deadline_row(page, "Official time")).to_have_text(deadline_in(call, "Asia/Shanghai"))
    expect(deadline_row(page, "UTC")).to_have_text(deadline_in(call, "UTC"))
    # The zone the user chose at sign-up (detected from the browser).
    expect(deadline_row(page, "Your time zone")).to_have_text(deadline_in(call, BROWSER_TIME_ZONE))
    expect(page.locator("[data-countdown]")).to_have_text(COUNTDOWN)
    screenshot(page, "call")
    # The organisation asks to be reminded of the deadline, then starts its letter anyway.
    page.get_by_role("button", name="Remind us before the deadline").click()
    registered = page.get_by_role("status").filter(has_text="is registered for this call")
    expect(registered).to_be_visible()
    expect(page.get_by_role("button", name="Remind us before the deadline")).to_have_count(0)
    start_letter(
        page,
        organisation="Brazilian Lunar Agency",
        mode="3. Joint exploration of the lunar surface",
        title="Shadowed Crater Frost Camera",
    )

    # 5. Fill the letter in and save it.
    fill_letter(page)
    screenshot(page, "edit")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    missing = page.locator("#missing-items")
    expect(missing).to_have_text(re.compile(SIGNED_LETTER))
    expect(missing).to_have_text(re.compile(TECHNICAL_ANNEX))

    # 6. Upload the two documents mode 3 requires.
    signed_letter, annex = pdf_bytes(pages=1), pdf_bytes(pages=3)
    upload_document(
        page, document_type=SIGNED_LETTER, name="signed-letter.pdf", content=signed_letter
    )
    upload_document(page, document_type=TECHNICAL_ANNEX, name="technical-annex.pdf", content=annex)
    expect(missing).to_have_count(0)
    screenshot(page, "letter")

    # 7. Review, submit, and get the receipt with the reference and the fingerprints.
    page.get_by_role("link", name="Review and submit").click()
    screenshot(page, "submit")
    page.locator("#confirm-submit").click()
    expect(page.get_by_role("heading", name="Submission receipt")).to_be_visible()
    reference = page.locator("#receipt-reference").inner_text()
    assert REFERENCE.match(reference), reference
    expect(page.get_by_role("main")).to_contain_text(sha256(signed_letter))
    expect(page.get_by_role("main")).to_contain_text(sha256(annex))
    screenshot(page, "receipt")

    letter = LetterOfIntent.objects.get(reference=reference)
    assert letter.state == LetterOfIntent.State.SUBMITTED
    for address in (owner_email, editor_email):
        [receipt] = emails_to(address, f"receipt:{letter.pk}:")
        assert reference in receipt.body_text
        assert sha256(signed_letter) in receipt.body_text
        assert sha256(annex) in receipt.body_text


def test_after_the_deadline_a_complete_draft_can_no_longer_be_submitted(page, screenshot):
    call = seed()
    draft = LetterOfIntent.objects.get(call=call, title="Regolith Dust Spectrometer (RDS)")
    applicant = draft.created_by
    complete_in_database(draft, applicant, draft.mode.required_document_types.all())
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))

    sign_in(page, email="applicant@example.org", password="moon-applicant-2024")

    page.goto(draft.get_absolute_url())
    expect(page.get_by_role("heading", name=draft.title)).to_be_visible()
    expect(page.get_by_role("link", name="Review and submit")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit the draft")).to_have_count(0)
    expect(page.locator("[data-countdown]")).to_have_text("The deadline has passed.")
    screenshot(page, "letter-after-deadline")

    submit_url = reverse("letters:letter_submit", args=[draft.pk])
    page.goto(submit_url)
    expect(page.locator("#deadline-passed")).to_be_visible()
    expect(page.locator("#confirm-submit")).to_have_count(0)

    # A POST forged with the user's own session and CSRF token is refused too.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        submit_url,
        form={"csrfmiddlewaretoken": token, "version": str(draft.version)},
        headers={"Referer": page.url},
    )
    assert response.ok, response.status
    assert response.url.endswith(draft.get_absolute_url())
    assert "The deadline for this call has passed. Nothing can be changed." in response.text()

    draft.refresh_from_db()
    assert draft.state == LetterOfIntent.State.DRAFT
    assert draft.reference == ""
    assert not OutboundEmail.objects.filter(idempotency_key__startswith=f"receipt:{draft.pk}:")


def test_the_letter_form_shows_the_technical_fields_of_the_mode_as_it_is_chosen(page):
    call = seed()
    draft = LetterOfIntent.objects.get(call=call, title="Regolith Dust Spectrometer (RDS)")
    sign_in(page, email="applicant@example.org", password="moon-applicant-2024")
    page.goto(reverse("letters:letter_edit", args=[draft.pk]))
    mass, data_volume = page.get_by_label("Mass (kg)"), page.get_by_label("Data volume")

    expect(mass).to_be_visible()  # mode 3 carries a payload: mass, power and data volume
    page.get_by_label("Cooperation mode").select_option(
        label="2. Spacecraft-to-spacecraft interaction"
    )
    expect(mass).to_be_hidden()  # mode 2 asks only for the data exchanged
    expect(data_volume).to_be_visible()
