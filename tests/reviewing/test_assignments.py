"""Who reads which letter: assigning by hand, removing, and the reviewer's conflict answer."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from intents.letters import actions
from intents.models import Assignment, ConflictDeclaration, Review, Score
from intents.reviewing import ReviewingError, assignments, reviews
from portal.audit.models import AuditEvent
from portal.notifications.models import OutboundEmail

from ..conftest import attach_pdf
from ..factories import (
    CallFactory,
    LetterFactory,
    ReviewerFactory,
    UserFactory,
    complete_letter_fields,
)
from .conftest import full_scores, review_answers


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def assign(client, letter, reviewer):
    return client.post(
        reverse("reviewing:letter_assign", args=[letter.pk]), {"reviewer": reviewer.pk}
    )


def answer_conflict(client, assignment, **data):
    return client.post(reverse("reviewing:assignment_conflict", args=[assignment.pk]), data)


def row_of(page, text):
    """The table row of the assign page that mentions `text`."""
    [row] = [row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if text in row]
    return row


def file_letter(organisation, mode, owner, document_type, title):
    letter = LetterFactory(organisation=organisation, mode=mode, created_by=owner, title=title)
    for name, value in complete_letter_fields().items():
        setattr(letter, name, value)
    letter.save()
    attach_pdf(letter, owner, document_type)
    letter.refresh_from_db()
    return actions.submit(letter_id=letter.pk, user=owner, expected_version=letter.version)


def assignment_emails():
    return OutboundEmail.objects.filter(idempotency_key__startswith="assignment:")


@pytest.fixture
def conflicted(call, organisation):
    """A reviewer who works for the applicant organisation."""
    return ReviewerFactory(call=call, organisation=organisation, user__full_name="Carla Conflict")


@pytest.fixture
def draft_review(confirmed, reviewer, criteria):
    values = {criteria[0].pk: 4}
    return reviews.save_review(
        user=reviewer.user,
        assignment_id=confirmed.pk,
        values=values,
        answers=review_answers(recommendation=""),
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


# Assigning by hand.


def test_the_office_assigns_a_reviewer_by_hand(client, officer, submitted, reviewer, criteria):
    client.force_login(officer)
    response = assign(client, submitted, reviewer)

    assert response.status_code == 302
    assert response.url == reverse("reviewing:letter_assign", args=[submitted.pk])
    assignment = Assignment.objects.get(letter=submitted)
    assert assignment.reviewer == reviewer
    assert assignment.origin == Assignment.Origin.MANUAL
    assert assignment.assigned_by == officer
    assert assignment.progress == Assignment.Progress.TO_DECLARE
    assert "The reviewer is assigned and told by e-mail." in messages_of(response)
    event = AuditEvent.objects.get(verb="assignment.made")
    assert event.target_id == str(submitted.pk)
    assert event.data == {"reviewer": reviewer.email}


def test_the_reviewer_gets_one_email_naming_the_letter(client, officer, submitted, reviewer):
    client.force_login(officer)
    assign(client, submitted, reviewer)

    assignment = Assignment.objects.get(letter=submitted)
    [email] = assignment_emails()
    assert email.idempotency_key == f"assignment:{assignment.pk}"
    assert email.to == reviewer.user.email
    assert submitted.reference in email.body_text
    assert reverse("reviewing:reviewer_desk") in email.body_text


def test_a_conflicted_reviewer_cannot_be_assigned(client, officer, submitted, conflicted):
    client.force_login(officer)
    response = assign(client, submitted, conflicted)

    assert response.status_code == 302
    [message] = messages_of(response)
    assert "cannot review" in message
    assert "belongs to the applicant organisation" in message
    assert not Assignment.objects.exists()
    assert not OutboundEmail.objects.filter(to=conflicted.user.email).exists()


def test_a_member_of_the_applicant_cannot_be_assigned(call, officer, submitted, owner):
    member = ReviewerFactory(call=call, user=owner)
    with pytest.raises(ReviewingError, match="belongs to the applicant organisation"):
        assignments.assign(user=officer, reviewer_id=member.pk, letter_id=submitted.pk)
    assert not Assignment.objects.exists()


def test_a_reviewer_from_the_applicants_country_is_refused_when_the_call_says_so(
    call, officer, submitted
):
    call.conflict_same_country = True
    call.save()
    compatriot = ReviewerFactory(call=call, country="FR")
    with pytest.raises(ReviewingError, match="is from the applicant's country"):
        assignments.assign(user=officer, reviewer_id=compatriot.pk, letter_id=submitted.pk)
    assert not Assignment.objects.exists()


def test_a_reviewer_is_assigned_to_a_letter_only_once(client, officer, submitted, assignment):
    client.force_login(officer)
    response = assign(client, submitted, assignment.reviewer)

    assert any("is already assigned to" in message for message in messages_of(response))
    assert Assignment.objects.filter(letter=submitted).count() == 1
    assert assignment_emails().count() == 1


def test_a_draft_letter_has_no_assign_page(client, officer, draft, reviewer):
    client.force_login(officer)
    assert client.get(reverse("reviewing:letter_assign", args=[draft.pk])).status_code == 404
    assert assign(client, draft, reviewer).status_code == 404
    assert not Assignment.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_the_domain_refuses_to_assign_a_draft(officer, draft, reviewer):
    with pytest.raises(ReviewingError, match="Only submitted letters"):
        assignments.assign(user=officer, reviewer_id=reviewer.pk, letter_id=draft.pk)
    assert not Assignment.objects.exists()


def test_a_reviewer_of_another_call_cannot_be_assigned(client, officer, submitted):
    stranger = ReviewerFactory(call=CallFactory())
    client.force_login(officer)
    response = assign(client, submitted, stranger)

    assert "Choose a reviewer who has joined this call's pool." in messages_of(response)
    assert not Assignment.objects.exists()
    assert not OutboundEmail.objects.filter(to=stranger.user.email).exists()


def test_a_pending_invitation_cannot_be_assigned(client, call, officer, submitted):
    invited = ReviewerFactory(call=call, user=None, email="pending@example.org")
    client.force_login(officer)
    response = assign(client, submitted, invited)

    assert "Choose a reviewer who has joined this call's pool." in messages_of(response)
    assert not Assignment.objects.exists()


def test_a_post_without_a_reviewer_is_refused(client, officer, submitted):
    client.force_login(officer)
    response = client.post(reverse("reviewing:letter_assign", args=[submitted.pk]), {})
    assert "Choose a reviewer." in messages_of(response)
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("role", ["owner", "outsider"])
def test_only_the_office_assigns(client, request, submitted, reviewer, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("reviewing:letter_assign", args=[submitted.pk])).status_code == 403
    assert assign(client, submitted, reviewer).status_code == 403
    assert not Assignment.objects.exists()


def test_the_assign_page_lists_the_pool_with_load_expertise_and_conflicts(
    client,
    call,
    mode,
    organisation,
    owner,
    officer,
    signed_letter_type,
    submitted,
    reviewer,
    conflicted,
):
    reviewer.user.full_name = "Ada Expert"
    reviewer.user.save()
    generalist = ReviewerFactory(call=call, user__full_name="Gus Generalist")
    ReviewerFactory(call=call, user=None, email="pending@example.org")
    other = file_letter(organisation, mode, owner, signed_letter_type, "Regolith oven")
    assignments.assign(user=officer, reviewer_id=reviewer.pk, letter_id=other.pk)

    client.force_login(officer)
    response = client.get(reverse("reviewing:letter_assign", args=[submitted.pk]))
    assert response.status_code == 200
    page = response.content.decode()

    expert_row = row_of(page, "Ada Expert")
    assert "<td>1</td>" in expert_row
    assert "<td>Yes</td>" in expert_row
    assert 'name="reviewer"' in expert_row

    generalist_row = row_of(page, "Gus Generalist")
    assert "<td>0</td>" in generalist_row
    assert "<td>No</td>" in generalist_row
    assert f'value="{generalist.pk}"' in generalist_row

    conflicted_row = row_of(page, "Carla Conflict")
    assert "Conflict: the reviewer belongs to the applicant organisation" in conflicted_row
    assert 'name="reviewer"' not in conflicted_row

    assert "pending@example.org" not in page
    listed = {candidate["reviewer"].pk for candidate in response.context["candidates"]}
    assert listed == {reviewer.pk, generalist.pk, conflicted.pk}


def test_the_assign_page_shows_who_already_reads_the_letter(client, officer, assignment):
    client.force_login(officer)
    page = client.get(reverse("reviewing:letter_assign", args=[assignment.letter_id])).content
    row = row_of(page.decode(), str(assignment.reviewer.user))
    assert reverse("reviewing:assignment_remove", args=[assignment.pk]) in row
    assert 'name="reviewer"' not in row


# Removing an assignment.


def test_the_office_confirms_before_removing_an_assignment(client, officer, assignment):
    client.force_login(officer)
    response = client.get(reverse("reviewing:assignment_remove", args=[assignment.pk]))
    assert response.status_code == 200
    assert assignment.letter.reference in response.content.decode()
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_the_office_removes_an_assignment_before_the_review_starts(client, officer, assignment):
    client.force_login(officer)
    response = client.post(reverse("reviewing:assignment_remove", args=[assignment.pk]))

    assert response.status_code == 302
    assert response.url == reverse("reviewing:letter_assign", args=[assignment.letter_id])
    assert "The assignment was removed." in messages_of(response)
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.get(verb="assignment.removed")
    assert event.data == {"reviewer": assignment.reviewer.email}


def test_a_confirmed_assignment_without_review_can_still_be_removed(client, officer, confirmed):
    client.force_login(officer)
    client.post(reverse("reviewing:assignment_remove", args=[confirmed.pk]))
    assert not Assignment.objects.filter(pk=confirmed.pk).exists()


def test_an_assignment_with_a_draft_review_stays(client, officer, confirmed, draft_review):
    client.force_login(officer)
    response = client.post(reverse("reviewing:assignment_remove", args=[confirmed.pk]))

    assert response.status_code == 302
    assert any("has already started a review" in message for message in messages_of(response))
    assert Assignment.objects.filter(pk=confirmed.pk).exists()
    assert Review.objects.filter(pk=draft_review.pk).exists()
    assert not AuditEvent.objects.filter(verb="assignment.removed").exists()


def test_the_domain_refuses_to_remove_an_assignment_with_a_review(officer, confirmed, draft_review):
    with pytest.raises(ReviewingError, match="has already started a review"):
        assignments.unassign(user=officer, assignment_id=confirmed.pk)
    assert Assignment.objects.filter(pk=confirmed.pk).exists()


def test_only_the_office_removes_assignments(client, reviewer, assignment):
    client.force_login(reviewer.user)
    url = reverse("reviewing:assignment_remove", args=[assignment.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Assignment.objects.filter(pk=assignment.pk).exists()


# The reviewer's conflict answer.


@pytest.fixture
def officers(officer):
    """Every active programme officer; an inactive one and an ordinary user are not told."""
    UserFactory(is_programme_officer=True, is_active=False)
    UserFactory()
    return [officer, UserFactory(is_programme_officer=True)]


def test_a_declared_conflict_takes_the_letter_off_the_desk(client, reviewer, assignment):
    client.force_login(reviewer.user)
    response = answer_conflict(
        client, assignment, answer="conflict", kind="collaborative", note="We share a grant."
    )

    assert response.status_code == 302
    assert response.url == reverse("reviewing:reviewer_desk")
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    declaration = ConflictDeclaration.objects.get()
    assert declaration.reviewer == reviewer
    assert declaration.letter == assignment.letter
    assert declaration.kind == ConflictDeclaration.Kind.COLLABORATIVE
    assert declaration.note == "We share a grant."


def test_every_programme_officer_is_told_of_the_conflict(client, officers, reviewer, assignment):
    client.force_login(reviewer.user)
    answer_conflict(client, assignment, answer="conflict", kind="financial", note="")

    declaration = ConflictDeclaration.objects.get()
    emails = OutboundEmail.objects.filter(idempotency_key__startswith="conflict:")
    assert sorted(email.to for email in emails) == sorted(officer.email for officer in officers)
    for officer in officers:
        email = emails.get(idempotency_key=f"conflict:{declaration.pk}:{officer.pk}")
        assert assignment.letter.reference in email.subject
        assert reverse("reviewing:letter_assign", args=[assignment.letter_id]) in email.body_text


def test_a_declared_conflict_is_audited(client, reviewer, assignment):
    client.force_login(reviewer.user)
    answer_conflict(client, assignment, answer="conflict", kind="personal")

    event = AuditEvent.objects.get(verb="conflict.declared")
    assert event.actor == reviewer.user
    assert event.target_id == str(assignment.letter_id)
    assert event.data == {"kind": "personal", "draft_discarded": False}


def test_after_declaring_the_reviewer_cannot_open_the_letter(client, reviewer, assignment):
    client.force_login(reviewer.user)
    answer_conflict(client, assignment, answer="conflict", kind="personal")

    detail = reverse("reviewing:assignment_detail", args=[assignment.pk])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("reviewing:review_edit", args=[assignment.pk])).status_code == 404
    desk = client.get(reverse("reviewing:reviewer_desk")).content.decode()
    assert detail not in desk


def test_after_declaring_the_reviewer_is_never_assigned_the_letter_again(
    client, officer, reviewer, assignment
):
    client.force_login(reviewer.user)
    answer_conflict(client, assignment, answer="conflict", kind="personal")

    with pytest.raises(ReviewingError, match="declared a conflict"):
        assignments.assign(user=officer, reviewer_id=reviewer.pk, letter_id=assignment.letter_id)
    assert not Assignment.objects.exists()


def test_a_conflict_needs_its_kind(client, reviewer, assignment):
    client.force_login(reviewer.user)
    response = answer_conflict(client, assignment, answer="conflict", kind="", note="Hmm.")

    assert response.status_code == 400
    assert "Say what kind of conflict you have." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.no_conflict_confirmed_at is None
    assert not ConflictDeclaration.objects.exists()
    assert not OutboundEmail.objects.filter(idempotency_key__startswith="conflict:").exists()
    assert not AuditEvent.objects.filter(verb__startswith="conflict.").exists()


def test_an_answer_is_required(client, reviewer, assignment):
    client.force_login(reviewer.user)
    response = answer_conflict(client, assignment)
    assert response.status_code == 400
    assignment.refresh_from_db()
    assert assignment.no_conflict_confirmed_at is None


def test_no_conflict_opens_the_letter(client, reviewer, assignment):
    client.force_login(reviewer.user)
    response = answer_conflict(client, assignment, answer="none")

    assert response.status_code == 302
    assert response.url == reverse("reviewing:assignment_detail", args=[assignment.pk])
    assignment.refresh_from_db()
    assert assignment.progress == Assignment.Progress.TO_REVIEW
    assert AuditEvent.objects.filter(verb="conflict.none", actor=reviewer.user).exists()
    assert not ConflictDeclaration.objects.exists()
    page = client.get(response.url).content.decode()
    assert reverse("reviewing:review_edit", args=[assignment.pk]) in page


def test_only_the_assigned_reviewer_answers(client, outsider, assignment):
    client.force_login(outsider)
    response = answer_conflict(client, assignment, answer="conflict", kind="personal")
    assert response.status_code == 404
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert not ConflictDeclaration.objects.exists()


def test_a_conflict_declared_after_a_draft_discards_the_draft(
    client, reviewer, confirmed, draft_review
):
    client.force_login(reviewer.user)
    response = answer_conflict(client, confirmed, answer="conflict", kind="institutional")

    assert response.status_code == 302
    assert response.url == reverse("reviewing:reviewer_desk")
    assert not Assignment.objects.filter(pk=confirmed.pk).exists()
    assert not Review.objects.exists()
    assert not Score.objects.exists()
    assert ConflictDeclaration.objects.filter(reviewer=reviewer).exists()
    assert AuditEvent.objects.get(verb="conflict.declared").data["draft_discarded"] is True


def test_a_conflict_cannot_be_declared_after_submitting(
    client, reviewer, confirmed, submitted_review
):
    client.force_login(reviewer.user)
    response = answer_conflict(client, confirmed, answer="conflict", kind="institutional")

    assert response.status_code == 302
    assert response.url == reverse("reviewing:assignment_detail", args=[confirmed.pk])
    assert any("already submitted your review" in message for message in messages_of(response))
    assert Assignment.objects.filter(pk=confirmed.pk).exists()
    assert Review.objects.get().is_submitted
    assert Score.objects.count() == 3
    assert not ConflictDeclaration.objects.exists()
    assert not OutboundEmail.objects.filter(idempotency_key__startswith="conflict:").exists()
