"""The domain's words on the models: each queryset method selects exactly its rows, and each
state set holds exactly its states."""

import pytest
from django.db.models import Q
from django.utils import timezone

from intents.models import Assignment, Decision, Document, LetterOfIntent, Review, Reviewer, Score
from intents.models.letter import CURRENT_LETTER, FILED_LETTER
from intents.models.paths import through

from ..factories import CriterionFactory, DocumentFactory, LetterFactory, ReviewerFactory

State = LetterOfIntent.State
DECIDED = {"selected", "waitlisted", "not_selected"}


def test_the_state_sets_hold_exactly_their_states():
    assert State.changeable() == (State.DRAFT, State.SUBMITTED)
    assert State.reviewable() == (State.SUBMITTED,)
    assert State.standing() == (
        State.SUBMITTED,
        State.SELECTED,
        State.WAITLISTED,
        State.NOT_SELECTED,
    )


def test_a_letter_has_no_under_review_state():
    assert "under_review" not in State.values


@pytest.fixture
def letters(mode):
    """name -> letter: one in each state, and a draft withdrawn before it was ever filed."""
    now = timezone.now()
    made = {
        state.value: LetterFactory(
            mode=mode, state=state, submitted_at=None if state == State.DRAFT else now
        )
        for state in State
    }
    made["withdrawn_draft"] = LetterFactory(mode=mode, state=State.WITHDRAWN)
    return made


def names(queryset, rows):
    by_pk = {row.pk: name for name, row in rows.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


def test_drafts_are_the_letters_never_submitted(letters):
    assert names(LetterOfIntent.objects.drafts(), letters) == {"draft"}


def test_filed_letters_include_those_withdrawn_after_filing(letters):
    assert names(LetterOfIntent.objects.filed(), letters) == {"submitted", "withdrawn", *DECIDED}


def test_current_letters_are_all_but_the_withdrawn(letters):
    assert names(LetterOfIntent.objects.current(), letters) == {"draft", "submitted", *DECIDED}


def test_standing_and_ranked_letters_are_filed_and_not_withdrawn(letters):
    assert names(LetterOfIntent.objects.standing(), letters) == {"submitted", *DECIDED}
    assert names(LetterOfIntent.objects.ranked(), letters) == {"submitted", *DECIDED}


def test_reviewable_letters_await_a_decision(letters):
    assert names(LetterOfIntent.objects.reviewable(), letters) == {"submitted"}


def test_the_letter_properties_agree_with_the_querysets(letters):
    filed = names(LetterOfIntent.objects.filed(), letters)
    reviewable = names(LetterOfIntent.objects.reviewable(), letters)
    ranked = names(LetterOfIntent.objects.ranked(), letters)
    for name, letter in letters.items():
        assert letter.is_filed == (name in filed)
        assert letter.is_reviewable == (name in reviewable)
        assert letter.is_standing == (name in ranked)


def test_the_queryset_methods_reach_through_relations(letters):
    call = letters["draft"].call
    assert names(call.letters.filed(), letters) == names(LetterOfIntent.objects.filed(), letters)
    assert through("letter", FILED_LETTER) == Q(letter__submitted_at__isnull=False)
    assert through("letter", CURRENT_LETTER) == ~Q(letter__state=State.WITHDRAWN)


@pytest.fixture
def documents(letters):
    now = timezone.now()
    filed, draft = letters["submitted"], letters["draft"]
    return {
        "kept": DocumentFactory(letter=filed),
        "removed": DocumentFactory(letter=filed, removed_at=now),
        "purged": DocumentFactory(letter=filed, removed_at=now, file_purged_at=now),
        "draft's": DocumentFactory(letter=draft),
    }


def test_current_documents_are_the_ones_not_removed(documents):
    assert names(Document.objects.current(), documents) == {"kept", "draft's"}


def test_removed_documents_include_the_purged(documents):
    assert names(Document.objects.removed(), documents) == {"removed", "purged"}


def test_stored_documents_are_all_but_the_purged(documents):
    assert names(Document.objects.stored(), documents) == {"kept", "removed", "draft's"}


def test_documents_of_standing_letters_leave_out_the_drafts_and_the_withdrawn(letters, documents):
    documents["withdrawn's"] = DocumentFactory(letter=letters["withdrawn"])
    documents["selected's"] = DocumentFactory(letter=letters["selected"])
    assert names(Document.objects.of_standing_letters(), documents) == {
        "kept",
        "removed",
        "purged",
        "selected's",
    }


def test_the_pool_holds_the_invited_and_the_joined_and_only_they_are_active(call):
    reviewers = {
        "joined": ReviewerFactory(call=call),
        "invited": ReviewerFactory(call=call, user=None, email="invited@example.org"),
        "removed": ReviewerFactory(call=call, removed_at=timezone.now()),
    }
    assert names(Reviewer.objects.in_pool(), reviewers) == {"joined", "invited"}
    assert names(Reviewer.objects.active(), reviewers) == {"joined"}


def test_submitted_reviews_and_their_scores(letters, call):
    criterion = CriterionFactory(call=call)
    reviews = {}
    for name, submitted_at in (("submitted", timezone.now()), ("draft", None)):
        assignment = Assignment.objects.create(
            reviewer=ReviewerFactory(call=call), letter=letters["submitted"]
        )
        reviews[name] = Review.objects.create(assignment=assignment, submitted_at=submitted_at)
        Score.objects.create(review=reviews[name], criterion=criterion, value=3)
    assert names(Review.objects.submitted(), reviews) == {"submitted"}
    assert list(Score.objects.of_submitted_reviews().values_list("review", flat=True)) == [
        reviews["submitted"].pk
    ]


def test_released_and_unreleased_decisions(letters):
    decisions = {
        "released": Decision.objects.create(
            letter=letters["selected"], outcome="selected", released_at=timezone.now()
        ),
        "private": Decision.objects.create(letter=letters["submitted"], outcome="waitlisted"),
    }
    assert names(Decision.objects.released(), decisions) == {"released"}
    assert names(Decision.objects.unreleased(), decisions) == {"private"}
