"""The notification catalogue: every e-mail the portal sends (reminders aside, tested in
tests/reminders/), triggered as people trigger it, read as its recipient reads it: a subject, a
text and an HTML part, in their language and with times in their zone."""

import datetime as dt
import html
import re
import zoneinfo

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from intents.letters import actions
from intents.models import Decision
from intents.office import actions as office_actions
from intents.office import config
from intents.reviewing import assignments, pool
from portal.notifications.models import OutboundEmail
from portal.organisations import actions as organisations

from ..factories import PASSWORD, ReviewerFactory, UserFactory
from ..sign_in import sign_in

CJK = re.compile(r"[\u4e00-\u9fff]")
SAO_PAULO = "America/Sao_Paulo"
BERLIN = "Europe/Berlin"
SHANGHAI = "Asia/Shanghai"  # every call's official zone in the factories


def speaking(user, language="en", zone="UTC"):
    user.language, user.time_zone = language, zone
    user.save(update_fields=["language", "time_zone"])
    return user


def keyed(prefix):
    return OutboundEmail.objects.filter(idempotency_key__startswith=prefix)


def to(prefix, user_or_address):
    address = getattr(user_or_address, "email", user_or_address)
    return keyed(prefix).get(to=address)


def read(email):
    """Everything a reader sees: subject, text, and the HTML with its entities resolved."""
    return "\n".join([email.subject, email.body_text, html.unescape(email.body_html)])


def assert_whole(email, language="en"):
    """A subject, a text part, and an HTML part on our layout in the reader's language."""
    assert email.subject.strip() and "\n" not in email.subject
    assert email.body_text.strip()
    assert f'<html lang="{language}">' in email.body_html
    assert "</body></html>" in email.body_html


def assert_shows(email, *texts):
    """In the text part and in the HTML part alike."""
    for text in texts:
        assert text in email.body_text, text
        assert text in html.unescape(email.body_html), text


def assert_in_chinese(email, english):
    """Chinese in the subject and both bodies, and none of the English sentences left."""
    assert_whole(email, "zh-hans")
    for part in (email.subject, email.body_text, email.body_html):
        assert CJK.search(part), part
    assert [sentence for sentence in english if sentence in read(email)] == []


def local(moment, zone, language="en", seconds=False):
    """A moment as the e-mails write it (portal.presentation), naming its zone."""
    at = moment.astimezone(zoneinfo.ZoneInfo(zone))
    clock = f"{at:%H:%M:%S}" if seconds else f"{at:%H:%M}"
    if language == "zh-hans":
        return f"{at.year}年{at.month}月{at.day}日 {clock} {zone}"
    return f"{at.day} {at:%b} {at.year}, {clock} {zone}"


# allauth's e-mails: sign-up verification, e-mail confirmation, password reset, unknown account,
# account already exists. Rendered from templates/account/email/, sent through the outbox.

SIGN_UP_ENGLISH = [
    "Confirm your e-mail address",
    "Welcome to the lunar cooperation portal.",
    "To finish signing up",
    "If you did not sign up",
]
RESET_ENGLISH = [
    "Choose a new password",
    "asked to reset the password",
    "your password stays as it is",
]
UNKNOWN_ENGLISH = ["No account on the lunar cooperation portal", "no account uses this address"]
EXISTS_ENGLISH = [
    "You already have an account",
    "an account with this address already exists",
    "If you did not ask for this",
]
CONFIRM_ENGLISH = ["Confirm your e-mail address", "is your address on the lunar cooperation"]


def sign_up(client, email="wang@example.org", page_language="en"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "full_name": "Wang Fang",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "time_zone": SAO_PAULO,
        },
        HTTP_ACCEPT_LANGUAGE=page_language,
    )


def reset_password(client, email, page_language="en"):
    return client.post(
        reverse("account_reset_password"), {"email": email}, HTTP_ACCEPT_LANGUAGE=page_language
    )


def test_sign_up_sends_our_verification_with_text_and_html(client, db):
    sign_up(client)
    email = to("account:email_confirmation_signup:", "wang@example.org")
    assert_whole(email)
    assert email.subject == "Confirm your e-mail address for the lunar cooperation portal"
    assert_shows(email, "Dear Wang Fang,", "Welcome to the lunar cooperation portal.")
    link = re.search(r"http://testserver/accounts/confirm-email/\S+/", email.body_text).group(0)
    assert f'href="{link}"' in email.body_html
    assert "Hello from" not in read(email)  # allauth's stock wording
    assert client.get(link.removeprefix("http://testserver")).status_code == 200


def test_a_sign_up_from_a_chinese_page_is_verified_in_the_pages_language(client, db):
    sign_up(client, page_language="zh-hans")
    email = to("account:email_confirmation_signup:", "wang@example.org")
    assert '<html lang="zh-hans">' in email.body_html
    assert "尊敬的 Wang Fang" in email.body_text


def test_a_chinese_speaker_reads_the_sign_up_verification_in_chinese(client, db):
    sign_up(client, page_language="zh-hans")
    email = to("account:email_confirmation_signup:", "wang@example.org")
    assert_in_chinese(email, SIGN_UP_ENGLISH)


@pytest.fixture
def unconfirmed(db):
    user = UserFactory(full_name="Ana Souza", language="en", time_zone=SAO_PAULO)
    EmailAddress.objects.filter(user=user).update(verified=False)
    return user


def test_signing_in_before_confirming_sends_our_confirmation(client, unconfirmed):
    assert not sign_in(client, unconfirmed.email, PASSWORD)
    email = to("account:email_confirmation:", unconfirmed)
    assert_whole(email)
    assert_shows(
        email,
        "Dear Ana Souza,",
        f"To confirm that {unconfirmed.email} is your address on the lunar cooperation portal",
    )
    assert re.search(r"http://testserver/accounts/confirm-email/\S+/", email.body_text)


def test_a_chinese_speaker_reads_the_confirmation_in_chinese(client, unconfirmed):
    speaking(unconfirmed, "zh-hans", SAO_PAULO)
    sign_in(client, unconfirmed.email, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert_in_chinese(to("account:email_confirmation:", unconfirmed), CONFIRM_ENGLISH)


def test_a_password_reset_comes_in_our_words_with_text_and_html(client, owner):
    reset_password(client, owner.email)
    email = to("account:password_reset_key:", owner)
    assert_whole(email)
    assert email.subject == "Choose a new password for the lunar cooperation portal"
    assert_shows(email, f"Dear {owner.full_name},", "asked to reset the password")
    link = re.search(r"http://testserver/accounts/password/reset/key/\S+", email.body_text)
    assert f'href="{link.group(0)}"' in email.body_html


def test_a_password_reset_is_written_in_the_users_language_whatever_the_page(client, owner, editor):
    speaking(owner, "zh-hans", SAO_PAULO)
    reset_password(client, owner.email, page_language="en")
    reset_password(client, editor.email, page_language="zh-hans")
    chinese = to("account:password_reset_key:", owner)
    assert '<html lang="zh-hans">' in chinese.body_html
    assert f"尊敬的 {owner.full_name}" in chinese.body_text
    english = to("account:password_reset_key:", editor)
    assert '<html lang="en">' in english.body_html
    assert f"Dear {editor.full_name}," in english.body_text


def test_a_chinese_speaker_reads_the_password_reset_in_chinese(client, owner):
    speaking(owner, "zh-hans", SAO_PAULO)
    reset_password(client, owner.email.upper(), page_language="en")
    assert_in_chinese(to("account:password_reset_key:", owner), RESET_ENGLISH)


def test_a_reset_for_an_unknown_address_is_answered_in_our_words(client, db):
    reset_password(client, "nobody@example.org")
    email = to("account:unknown_account:", "nobody@example.org")
    assert_whole(email)
    assert_shows(
        email,
        "Someone, probably you, tried to use an account with nobody@example.org",
        "http://testserver/accounts/signup/",
    )


def test_a_chinese_page_answers_an_unknown_address_in_chinese(client, db):
    reset_password(client, "nobody@example.org", page_language="zh-hans")
    assert_in_chinese(to("account:unknown_account:", "nobody@example.org"), UNKNOWN_ENGLISH)


def test_signing_up_with_a_taken_address_tells_its_owner_in_their_language(client, owner):
    speaking(owner, "zh-hans", SAO_PAULO)
    sign_up(client, email=owner.email, page_language="en")
    email = to("account:account_already_exists:", owner)
    assert '<html lang="zh-hans">' in email.body_html
    assert f"尊敬的 {owner.full_name}" in email.body_text
    assert "http://testserver/accounts/password/reset/" in email.body_text


def test_signing_up_with_a_taken_address_is_answered_in_our_words(client, owner):
    sign_up(client, email=owner.email)
    email = to("account:account_already_exists:", owner)
    assert_whole(email)
    assert_shows(email, f"tried to sign up on the lunar cooperation portal with {owner.email}")


def test_a_chinese_speaker_reads_the_account_exists_notice_in_chinese(client, owner):
    speaking(owner, "zh-hans", SAO_PAULO)
    sign_up(client, email=owner.email)
    assert_in_chinese(to("account:account_already_exists:", owner), EXISTS_ENGLISH)


# Invitations to an organisation

INVITATION_ENGLISH = ["You are invited to join", "invites you to join", "The invitation expires"]


def invite(owner, organisation, email):
    return organisations.invite(user=owner, organisation=organisation, email=email, role="editor")


def test_an_invitation_shows_its_expiry_in_the_invitees_zone(owner, organisation):
    invitee = UserFactory(language="en", time_zone=SAO_PAULO)
    invitation = invite(owner, organisation, invitee.email)
    email = to(f"invitation:{invitation.pk}", invitee)
    assert_whole(email)
    assert organisation.legal_name in email.subject
    assert_shows(
        email,
        f"The invitation expires on {local(invitation.expires_at, SAO_PAULO)}.",
        reverse("organisations:invitation_accept", args=[invitation.token]),
    )


def test_an_invitation_to_a_newcomer_is_written_in_the_inviters_language_and_zone(
    owner, organisation
):
    speaking(owner, "zh-hans", SAO_PAULO)
    invitation = invite(owner, organisation, "newcomer@example.org")
    email = to(f"invitation:{invitation.pk}", "newcomer@example.org")
    assert '<html lang="zh-hans">' in email.body_html
    assert_shows(email, f"此邀请将于 {local(invitation.expires_at, SAO_PAULO, 'zh-hans')} 失效。")


def test_a_chinese_speaker_reads_the_invitation_in_chinese(owner, organisation):
    invitee = UserFactory(language="zh-hans", time_zone=SAO_PAULO)
    invitation = invite(owner, organisation, invitee.email)
    email = to(f"invitation:{invitation.pk}", invitee)
    assert_in_chinese(email, INVITATION_ENGLISH)
    assert SAO_PAULO in email.body_text


# Receipts of a submission and of an amendment

RECEIPT_ENGLISH = [
    "Receipt: ",
    "We have received",
    "Received (",
    "Documents received",
    "View the letter and this receipt",
]


def test_a_submission_receipt_goes_to_owners_and_editors_with_their_zone(
    complete_draft, owner, editor, viewer
):
    speaking(owner, "en", SAO_PAULO)
    letter = actions.submit(
        letter_id=complete_draft.pk, user=owner, expected_version=complete_draft.version
    )
    receipts = keyed(f"receipt:{letter.pk}:v1:")
    assert sorted(receipts.values_list("to", flat=True)) == sorted([owner.email, editor.email])
    email = receipts.get(to=owner.email)
    assert_whole(email)
    assert email.subject == f"Receipt: letter of intent {letter.reference} received"
    received = letter.versions.get(number=1).created_at
    assert_shows(
        email,
        "We have received your letter of intent.",
        local(received, "UTC", seconds=True),
        local(received, SHANGHAI, seconds=True),
        local(received, SAO_PAULO, seconds=True),
    )
    # The editor lives in UTC: no third line repeating it.
    assert "your time" not in receipts.get(to=editor.email).body_text


def test_a_chinese_speaker_reads_the_submission_receipt_in_chinese(complete_draft, owner):
    speaking(owner, "zh-hans", SAO_PAULO)
    letter = actions.submit(
        letter_id=complete_draft.pk, user=owner, expected_version=complete_draft.version
    )
    email = to(f"receipt:{letter.pk}:v1:", owner)
    assert_in_chinese(email, RECEIPT_ENGLISH)
    assert SAO_PAULO in email.body_text


def amend(letter, user):
    return actions.save_letter(
        letter_id=letter.pk,
        user=user,
        changes={"summary": "A spectrometer for charged dust, now with a wider range."},
        expected_version=letter.version,
    )


def test_an_amendment_receipt_names_the_version_and_the_recipients_zone(submitted, owner, editor):
    speaking(owner, "en", SAO_PAULO)
    amend(submitted, editor)
    email = to(f"receipt:{submitted.pk}:v2:", owner)
    assert_whole(email)
    assert email.subject == f"Receipt: version 2 (amendment) of {submitted.reference} received"
    assert_shows(email, "We have received an amendment to your letter of intent.", SAO_PAULO)
    assert to(f"receipt:{submitted.pk}:v2:", editor)


def test_a_chinese_speaker_reads_the_amendment_receipt_in_chinese(submitted, owner):
    speaking(owner, "zh-hans", SAO_PAULO)
    amend(submitted, owner)
    email = to(f"receipt:{submitted.pk}:v2:", owner)
    assert_in_chinese(email, RECEIPT_ENGLISH)
    assert SAO_PAULO in email.body_text


# Withdrawal

WITHDRAWAL_ENGLISH = ["Letter of intent withdrawn", "was withdrawn by", "Reason:", "Dear "]


def withdraw(letter, user, reason="Our instrument will not be ready in time."):
    return actions.withdraw(
        letter_id=letter.pk, user=user, reason=reason, expected_version=letter.version
    )


def test_a_withdrawal_tells_owners_and_editors_when_in_their_zone(submitted, owner, editor):
    speaking(editor, "en", SAO_PAULO)
    letter = withdraw(submitted, owner)
    emails = keyed(f"withdrawal:{letter.pk}:")
    assert sorted(emails.values_list("to", flat=True)) == sorted([owner.email, editor.email])
    email = emails.get(to=editor.email)
    assert_whole(email)
    assert_shows(
        email,
        f"was withdrawn by {owner.full_name} on {local(letter.withdrawn_at, SAO_PAULO)}.",
        "Reason: Our instrument will not be ready in time.",
    )


def test_a_title_with_an_ampersand_reads_as_typed_in_the_subject(complete_draft, owner):
    complete_draft.title = "Dust & plasma <probe>"
    complete_draft.save()
    letter = actions.submit(
        letter_id=complete_draft.pk, user=owner, expected_version=complete_draft.version
    )
    email = to(f"withdrawal:{withdraw(letter, owner).pk}:", owner)
    assert email.subject == "Letter of intent withdrawn: Dust & plasma <probe>"
    assert "Dust &amp; plasma &lt;probe&gt;" in email.body_html


def test_a_chinese_speaker_reads_the_withdrawal_in_chinese(submitted, owner):
    speaking(owner, "zh-hans", SAO_PAULO)
    email = to(f"withdrawal:{withdraw(submitted, owner).pk}:", owner)
    assert_in_chinese(email, WITHDRAWAL_ENGLISH)
    assert SAO_PAULO in email.body_text


# Extensions

EXTENSION_ENGLISH = [
    "Extension granted",
    "has extended the closing time",
    "now accepted until",
    "official time",
    "your time",
    "Reason:",
    "Open the call",
]
REMOVAL_ENGLISH = ["Extension withdrawn", "has withdrawn the extension", "official time"]


def grant(call, organisation, officer, days=3, reason="Their embassy closed for a week."):
    return config.grant_extension(
        user=officer,
        call=call,
        organisation=organisation,
        closes_at=call.deadline + dt.timedelta(days=days),
        reason=reason,
    )


def test_an_extension_tells_owners_and_editors_in_their_language(
    call, organisation, officer, owner, editor, viewer
):
    speaking(owner, "zh-hans", SAO_PAULO)
    speaking(editor, "en", BERLIN)
    extension = grant(call, organisation, officer)
    emails = keyed(f"extension:{extension.pk}:")
    assert sorted(emails.values_list("to", flat=True)) == sorted([owner.email, editor.email])
    assert '<html lang="zh-hans">' in emails.get(to=owner.email).body_html
    email = emails.get(to=editor.email)
    assert_whole(email)
    assert email.subject == f"Extension granted: {call.title}"
    assert_shows(
        email,
        f"The programme office has extended the closing time of the call “{call.title}” for "
        f"{organisation.legal_name}.",
        "Reason: Their embassy closed for a week.",
        settings.SITE_URL + call.get_absolute_url(),
    )


def test_an_extension_shows_the_new_closing_time_in_the_official_zone_and_the_readers(
    call, organisation, officer, owner
):
    speaking(owner, "en", SAO_PAULO)
    extension = grant(call, organisation, officer)
    email = to(f"extension:{extension.pk}:", owner)
    assert_shows(
        email,
        f"{local(extension.closes_at, SHANGHAI)} (the call's official time)",
        f"{local(extension.closes_at, SAO_PAULO)} (your time)",
    )


def test_the_same_extension_granted_again_tells_nobody_twice_but_a_new_time_does(
    call, organisation, officer, owner
):
    first = grant(call, organisation, officer)
    assert grant(call, organisation, officer) == first
    assert keyed("extension:").count() == 1
    later = grant(call, organisation, officer, days=5)
    assert keyed(f"extension:{later.pk}:").get().to == owner.email
    assert keyed("extension:").count() == 2


def test_removing_an_extension_tells_owners_and_editors_the_calls_own_closing_time(
    call, organisation, officer, owner, editor, viewer
):
    speaking(editor, "en", SAO_PAULO)
    extension = grant(call, organisation, officer)
    config.remove_extension(user=officer, extension=extension)
    emails = keyed(f"extension-removed:{extension.pk}:")
    assert sorted(emails.values_list("to", flat=True)) == sorted([owner.email, editor.email])
    email = emails.get(to=editor.email)
    assert_whole(email)
    assert email.subject == f"Extension withdrawn: {call.title}"
    assert_shows(
        email,
        f"{local(call.closes_at, SHANGHAI)} (the call's official time)",
        f"{local(call.closes_at, SAO_PAULO)} (your time)",
    )


def test_a_chinese_speaker_reads_the_extension_in_chinese(call, organisation, officer, owner):
    speaking(owner, "zh-hans", SAO_PAULO)
    email = to(f"extension:{grant(call, organisation, officer).pk}:", owner)
    assert_in_chinese(email, EXTENSION_ENGLISH)
    assert SAO_PAULO in email.body_text and SHANGHAI in email.body_text


def test_a_chinese_speaker_reads_the_extensions_removal_in_chinese(
    call, organisation, officer, owner
):
    speaking(owner, "zh-hans", SAO_PAULO)
    extension = grant(call, organisation, officer)
    config.remove_extension(user=officer, extension=extension)
    assert_in_chinese(to(f"extension-removed:{extension.pk}:", owner), REMOVAL_ENGLISH)


# Reviewers: the invitation into the pool and the letters on their desk

REVIEWER_INVITATION_ENGLISH = [
    "You are invited to review",
    "invites you to review",
    "Join the reviewer pool",
    "Reviews are due",
]
ASSIGNMENT_ENGLISH = ["to review", "now on your desk", "conflict of interest", "Reviews are due"]


@pytest.fixture
def review_deadline(call):
    call.review_deadline = call.deadline + dt.timedelta(days=30)
    call.save(update_fields=["review_deadline"])
    return call.review_deadline


def invite_reviewer(officer, call, email):
    return pool.invite_reviewer(
        user=officer,
        call=call,
        email=email,
        profile={"organisation": None, "affiliation": "Lunar Lab", "country": "DE"},
        expertise=[],
    )


def test_a_reviewer_invitation_shows_the_review_deadline_in_the_invitees_zone(
    call, officer, review_deadline
):
    invitee = UserFactory(language="en", time_zone=SAO_PAULO)
    reviewer = invite_reviewer(officer, call, invitee.email)
    email = to(f"reviewer-invitation:{reviewer.pk}", invitee)
    assert_whole(email)
    assert email.subject == f"You are invited to review letters of intent: {call.title}"
    assert_shows(
        email,
        reviewer.get_invitation_url(),
        f"Reviews are due by {local(review_deadline, SAO_PAULO)}.",
    )


def test_a_chinese_speaker_reads_the_reviewer_invitation_in_chinese(call, officer, review_deadline):
    invitee = UserFactory(language="zh-hans", time_zone=SAO_PAULO)
    reviewer = invite_reviewer(officer, call, invitee.email)
    email = to(f"reviewer-invitation:{reviewer.pk}", invitee)
    assert_in_chinese(email, REVIEWER_INVITATION_ENGLISH)
    assert SAO_PAULO in email.body_text


@pytest.fixture
def reviewer(call, mode):
    return ReviewerFactory(
        call=call, user__language="en", user__time_zone=SAO_PAULO, expertise=[mode]
    )


def test_an_assignment_tells_the_reviewer_with_the_review_deadline_in_their_zone(
    submitted, reviewer, officer, review_deadline
):
    assignment = assignments.assign(user=officer, reviewer_id=reviewer.pk, letter_id=submitted.pk)
    email = to(f"assignment:{assignment.pk}", reviewer.user)
    assert_whole(email)
    assert email.subject == "A letter of intent to review"
    assert_shows(
        email,
        f"{submitted.reference} · {submitted.title}",
        f"Reviews are due by {local(review_deadline, SAO_PAULO)}.",
    )


def test_a_chinese_speaker_reads_the_assignment_in_chinese(
    submitted, reviewer, officer, review_deadline
):
    speaking(reviewer.user, "zh-hans", SAO_PAULO)
    assignment = assignments.assign(user=officer, reviewer_id=reviewer.pk, letter_id=submitted.pk)
    email = to(f"assignment:{assignment.pk}", reviewer.user)
    assert_in_chinese(email, ASSIGNMENT_ENGLISH)
    assert SAO_PAULO in email.body_text


# Decisions, once released

DECISION_ENGLISH = ["Decision on your letter", "has decided on your letter", "Decision: "]


def release(letter, officer, outcome=Decision.Outcome.SELECTED):
    office_actions.decide(user=officer, letter_id=letter.pk, outcome=outcome, note="")
    office_actions.release_decisions(user=officer, call_id=letter.call_id)
    return Decision.objects.get(letter=letter)


def test_a_released_decision_reaches_owners_editors_and_the_contact(
    submitted, officer, owner, editor, viewer
):
    decision = release(submitted, officer)
    emails = keyed(f"decision:{decision.pk}:")
    assert sorted(emails.values_list("to", flat=True)) == sorted(
        [owner.email, editor.email, "claire@example.org"]
    )
    email = emails.get(to=owner.email)
    assert_whole(email)
    assert email.subject == f"Decision on your letter of intent {submitted.reference}: Selected"
    assert_shows(email, f"Dear {owner.full_name},", "Decision: Selected", submitted.title)


def test_a_chinese_speaker_reads_the_decision_in_chinese(submitted, officer, owner):
    speaking(owner, "zh-hans", SAO_PAULO)
    decision = release(submitted, officer)
    assert_in_chinese(to(f"decision:{decision.pk}:", owner), DECISION_ENGLISH)
