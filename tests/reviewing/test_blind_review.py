"""Blind review: nothing a reviewer is shown names the applicant.

Every page a reviewer sees, and the e-mail that puts a letter on their desk, is rendered for a
letter whose organisation, members, country, partners, contact person and file names are all
distinctive, and searched for each of them. The same page without blind review shows the
organisation, so the search can find what it looks for.
"""

import re

import pytest
from django.urls import reverse

from intents.letters import actions
from intents.reviewing import assignments, reviews
from portal.notifications.models import OutboundEmail
from portal.organisations.models import Role

from ..conftest import attach_pdf
from ..factories import (
    CallFactory,
    CriterionFactory,
    DocumentTypeFactory,
    LetterFactory,
    MembershipFactory,
    ModeFactory,
    OrganisationFactory,
    ReviewerFactory,
    UserFactory,
    complete_letter_fields,
)
from .conftest import review_answers

LEGAL_NAME = "Zephyr Orbital Cooperative"
SHORT_NAME = "ZephyrOrb"
COUNTRY = "NZ"
COUNTRY_NAME = "New Zealand"
ORGANISATION_CONTACT = "Ignatius Frobisher"
OWNER_NAME = "Barnaby Quillfeather"
OWNER_EMAIL = "barnaby.quillfeather@zephyr-orbital.example"
EDITOR_NAME = "Persephone Tumbleweed"
EDITOR_EMAIL = "persephone.tumbleweed@zephyr-orbital.example"
PARTNERS = ["Quokka Lunar Labs", "Wombat Regolith Institute"]
CONTACT_NAME = "Ottoline Vexley"
CONTACT_EMAIL = "ottoline.vexley@zephyr-orbital.example"
DOCUMENT_NAMES = ["Zephyr-Orbital-signed-letter.pdf", "quokka-partnership-annex.pdf"]

# What names the applicant; none of it may reach a reviewer under blind review.
IDENTIFYING = [
    LEGAL_NAME,
    SHORT_NAME,
    COUNTRY_NAME,
    ORGANISATION_CONTACT,
    OWNER_NAME,
    OWNER_EMAIL,
    EDITOR_NAME,
    EDITOR_EMAIL,
    *PARTNERS,
    CONTACT_NAME,
    CONTACT_EMAIL,
    *DOCUMENT_NAMES,
]

TITLE = "Regolith sintering demonstrator"
FIRST_REVIEWER = ("Desmond Arkwright", "desmond.arkwright@review.example")
SECOND_REVIEWER = ("Hortensia Blackwood", "hortensia.blackwood@review.example")


def leaks(text):
    """Everything identifying found in `text`, case-insensitively, with the country code as a
    word of its own."""
    found = [name for name in IDENTIFYING if name.casefold() in text.casefold()]
    found += [word for word in ("zephyr", "quokka") if word in text.casefold()]
    if re.search(rf"\b{COUNTRY}\b", text):
        found.append(COUNTRY)
    return found


def build(*, blind):
    call = CallFactory(blind_review=blind, reviewers_see_other_reviews=True)
    mode = ModeFactory(call=call, number=1)
    signed = DocumentTypeFactory(call=call, code="signed-letter", name="Signed letter")
    signed.required_for.add(mode)
    annex = DocumentTypeFactory(call=call, code="annex", name="Annex", position=1)
    criteria = [
        CriterionFactory(call=call, name="Science", weight=2, position=0),
        CriterionFactory(call=call, name="Feasibility", weight=1, position=1),
    ]
    organisation = OrganisationFactory(
        legal_name=LEGAL_NAME,
        short_name=SHORT_NAME,
        country=COUNTRY,
        website="https://zephyr-orbital.example",
        contact_name=ORGANISATION_CONTACT,
        contact_email="office@zephyr-orbital.example",
    )
    owner = MembershipFactory(
        organisation=organisation,
        role=Role.OWNER,
        user=UserFactory(full_name=OWNER_NAME, email=OWNER_EMAIL),
    ).user
    MembershipFactory(
        organisation=organisation,
        role=Role.EDITOR,
        user=UserFactory(full_name=EDITOR_NAME, email=EDITOR_EMAIL),
    )
    draft = LetterFactory(
        organisation=organisation,
        mode=mode,
        created_by=owner,
        title=TITLE,
        **complete_letter_fields()
        | {
            "partner_organisations": "\n".join(PARTNERS),
            "contact_name": CONTACT_NAME,
            "contact_email": CONTACT_EMAIL,
        },
    )
    documents = [
        attach_pdf(draft, owner, signed, name=DOCUMENT_NAMES[0]),
        attach_pdf(draft, owner, annex, name=DOCUMENT_NAMES[1]),
    ]
    draft.refresh_from_db()
    letter = actions.submit(letter_id=draft.pk, user=owner, expected_version=draft.version)
    officer = UserFactory(is_programme_officer=True)
    places = [
        ReviewerFactory(
            call=call,
            user=UserFactory(full_name=name, email=email),
            country="DE",
            expertise=[mode],
        )
        for name, email in (FIRST_REVIEWER, SECOND_REVIEWER)
    ]
    held = [
        assignments.assign(user=officer, reviewer_id=place.pk, letter_id=letter.pk)
        for place in places
    ]
    return {
        "call": call,
        "letter": letter,
        "documents": documents,
        "criteria": criteria,
        "places": places,
        "assignments": held,
    }


@pytest.fixture
def blind(db):
    return build(blind=True)


@pytest.fixture
def reviewer(client, blind):
    """The first reviewer, signed in."""
    client.force_login(blind["places"][0].user)
    return blind["places"][0]


def confirm(world, index=0):
    assignment = world["assignments"][index]
    assignments.confirm_no_conflict(user=world["places"][index].user, assignment_id=assignment.pk)
    return assignment


def submit_review(world, index, score):
    assignment = confirm(world, index)
    reviews.save_review(
        user=world["places"][index].user,
        assignment_id=assignment.pk,
        values={criterion.pk: score for criterion in world["criteria"]},
        answers=review_answers(comment_to_committee=f"Scored {score} throughout."),
        submit=True,
    )


def page(client, url_name, *args):
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_search_finds_what_it_looks_for():
    assert leaks(f"<dd>{LEGAL_NAME}</dd>") == [LEGAL_NAME, "zephyr"]
    assert leaks("<dd>NZ</dd>") == [COUNTRY]
    assert leaks('value="aNZb"') == []


def test_the_desk_names_nobody(client, blind, reviewer):
    html = page(client, "reviewing:reviewer_desk")
    assert TITLE in html
    assert leaks(html) == []


def test_the_conflict_question_names_nobody(client, blind, reviewer):
    html = page(client, "reviewing:assignment_detail", blind["assignments"][0].pk)
    assert 'name="answer"' in html
    assert TITLE in html
    assert leaks(html) == []


def test_the_letter_names_nobody_once_opened(client, blind, reviewer):
    assignment = confirm(blind)
    html = page(client, "reviewing:assignment_detail", assignment.pk)
    assert complete_letter_fields()["summary"] in html
    assert 'id="blind-notice"' in html
    assert leaks(html) == []


def test_the_documents_are_listed_by_number_with_a_warning(client, blind, reviewer):
    assignment = confirm(blind)
    html = page(client, "reviewing:assignment_detail", assignment.pk)
    assert 'id="documents-warning"' in html
    for document in blind["documents"]:
        assert reverse("reviewing:assignment_document", args=[assignment.pk, document.pk]) in html
    assert "Document 1" in html and "Document 2" in html


def test_a_downloaded_document_is_not_named_after_the_applicant(client, blind, reviewer):
    assignment = confirm(blind)
    for document in blind["documents"]:
        response = client.get(
            reverse("reviewing:assignment_document", args=[assignment.pk, document.pk])
        )
        assert response.status_code == 200
        disposition = response["Content-Disposition"]
        # Read to the end, which closes the file without closing the test's database.
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert disposition.startswith("attachment")
        assert blind["letter"].reference in disposition
        assert disposition.endswith('.pdf"')
        assert leaks(disposition) == []
        assert document.original_name.rpartition(".")[0] not in disposition


def test_the_review_form_names_nobody(client, blind, reviewer):
    assignment = confirm(blind)
    html = page(client, "reviewing:review_edit", assignment.pk)
    assert 'name="recommendation"' in html
    assert leaks(html) == []


def test_the_other_reviews_are_numbered_not_named(client, blind, reviewer):
    submit_review(blind, 1, 2)
    submit_review(blind, 0, 5)
    html = page(client, "reviewing:assignment_detail", blind["assignments"][0].pk)
    assert 'id="other-reviews"' in html
    assert "Reviewer 1" in html
    assert "Scored 2 throughout." in html
    second_name, second_email = SECOND_REVIEWER
    assert second_name not in html
    assert second_email not in html
    assert leaks(html) == []


def test_the_assignment_email_names_nobody(blind):
    email = OutboundEmail.objects.get(to=FIRST_REVIEWER[1])
    assert TITLE in email.body_text
    for part in (email.subject, email.body_text, email.body_html):
        assert leaks(part) == []


# The same pages without blind review, so the searches above can fail.


@pytest.fixture
def open_review(db):
    return build(blind=False)


def test_without_blind_review_the_letter_shows_the_applicant(client, open_review):
    client.force_login(open_review["places"][0].user)
    assignment = confirm(open_review)
    html = page(client, "reviewing:assignment_detail", assignment.pk)
    assert LEGAL_NAME in html
    assert PARTNERS[0] in html
    assert CONTACT_NAME in html
    assert DOCUMENT_NAMES[0] in html
    assert 'id="blind-notice"' not in html
    assert 'id="documents-warning"' not in html


def test_without_blind_review_a_document_keeps_its_name(client, open_review):
    client.force_login(open_review["places"][0].user)
    assignment = confirm(open_review)
    document = open_review["documents"][0]
    response = client.get(
        reverse("reviewing:assignment_document", args=[assignment.pk, document.pk])
    )
    assert DOCUMENT_NAMES[0] in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
