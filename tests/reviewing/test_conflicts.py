"""Who may not judge which letter: the automatic conflicts and the declared ones."""

import pytest

from intents.models import ConflictDeclaration, LetterOfIntent
from intents.reviewing.conflicts import (
    DECLARED,
    OWN_ORGANISATION,
    PARTNER,
    SAME_COUNTRY,
    ConflictFinder,
    conflict_reason,
    normalise,
)
from portal.organisations.models import Role

from ..factories import LetterFactory, MembershipFactory, OrganisationFactory, ReviewerFactory


@pytest.fixture
def esa(db):
    return OrganisationFactory(legal_name="European Space Agency", short_name="ESA", country="NL")


@pytest.fixture
def letter(call, mode, organisation):
    """A French applicant's letter (the organisation factory is French)."""
    return LetterFactory(call=call, mode=mode, organisation=organisation)


def with_partners(letter, *lines):
    letter.partner_organisations = "\n".join(lines)
    letter.save()
    return letter


def reason(reviewer, letter):
    letter = LetterOfIntent.objects.select_related("call", "organisation").get(pk=letter.pk)
    return ConflictFinder(letter.call, [reviewer]).reason(reviewer, letter)


# normalise


def test_it_normalises_case_and_punctuation_to_single_spaces():
    assert normalise("  Max-Planck-Institut für  Sonnensystemforschung (MPS) ") == (
        " max planck institut für sonnensystemforschung mps "
    )


def test_it_pads_names_so_they_match_whole_words_only():
    assert normalise("ESA") in normalise("ESA, ESTEC Noordwijk")
    assert normalise("ESA") not in normalise("Mesa Labs")


def test_it_reads_dotted_initials_as_separate_letters():
    """So "E.S.A." is not the short name "ESA": write partners as the organisation writes itself."""
    assert normalise("E.S.A.") == " e s a "
    assert normalise("ESA") not in normalise("E.S.A.")


def test_it_reads_a_decomposed_accent_as_part_of_the_word():
    """ "Zürich" pasted from a PDF often arrives as u + a combining diaeresis."""
    assert normalise("Universit\u00e4t Zu\u0308rich") == " universität zürich "


def test_it_reads_full_width_letters_as_ordinary_ones():
    """A Chinese input method writes "ＥＳＡ（ＥＳＴＥＣ）" in full-width characters."""
    assert normalise("ＥＳＡ（ＥＳＴＥＣ）") == " esa estec "


def test_it_normalises_a_name_of_punctuation_alone_to_nothing():
    assert normalise(" -- ") == ""
    assert normalise("") == ""


# Own organisation


def test_a_reviewer_placed_in_the_pool_for_the_applicant_organisation_is_in_conflict(
    call, letter, organisation
):
    reviewer = ReviewerFactory(call=call, organisation=organisation, country="DE")
    assert reason(reviewer, letter) == OWN_ORGANISATION


def test_a_reviewer_who_is_a_member_of_the_applicant_organisation_is_in_conflict(
    call, letter, organisation
):
    reviewer = ReviewerFactory(call=call, country="DE")
    MembershipFactory(organisation=organisation, user=reviewer.user, role=Role.VIEWER)
    assert reason(reviewer, letter) == OWN_ORGANISATION


def test_membership_of_another_organisation_is_no_conflict(call, letter, esa):
    reviewer = ReviewerFactory(call=call, country="DE")
    MembershipFactory(organisation=esa, user=reviewer.user)
    assert reason(reviewer, letter) is None


# Partners


@pytest.mark.parametrize(
    "line",
    [
        "ESA",
        "esa",
        "ESA (ESTEC), Noordwijk",
        "European Space Agency",
        "EUROPEAN-SPACE   agency / Directorate of Science",
        "ＥＳＡ（ＥＳＴＥＣ）",
    ],
)
def test_a_reviewer_of_a_partner_organisation_is_in_conflict(call, letter, esa, line):
    reviewer = ReviewerFactory(call=call, organisation=esa, country="DE")
    with_partners(letter, "University of Bern", line)
    assert reason(reviewer, letter) == PARTNER


@pytest.mark.parametrize("line", ["Mesa Labs", "Mesa Labs Inc.", "Agency for Space", "E.S.A."])
def test_a_partner_only_resembling_the_reviewer_organisation_is_no_conflict(
    call, letter, esa, line
):
    reviewer = ReviewerFactory(call=call, organisation=esa, country="DE")
    with_partners(letter, line)
    assert reason(reviewer, letter) is None


def test_the_organisation_of_a_membership_counts_as_a_partner_too(call, letter, esa):
    reviewer = ReviewerFactory(call=call, country="DE")
    MembershipFactory(organisation=esa, user=reviewer.user, role=Role.EDITOR)
    with_partners(letter, "European Space Agency")
    assert reason(reviewer, letter) == PARTNER


def test_the_affiliation_written_in_the_pool_counts_as_a_partner(call, letter):
    reviewer = ReviewerFactory(
        call=call, affiliation="Max Planck Institut für Sonnensystemforschung", country="DE"
    )
    with_partners(letter, "Max-Planck-Institut für Sonnensystemforschung (MPS)")
    assert reason(reviewer, letter) == PARTNER


def test_a_one_letter_name_never_makes_a_conflict(call, letter):
    organisation = OrganisationFactory(legal_name="X", short_name="X", country="NL")
    reviewer = ReviewerFactory(call=call, organisation=organisation, affiliation="", country="DE")
    with_partners(letter, "Team X of the University of Y")
    assert reason(reviewer, letter) is None


def test_a_reviewer_with_neither_organisation_nor_affiliation_has_no_partner_conflict(call, letter):
    reviewer = ReviewerFactory(call=call, affiliation="", country="DE")
    with_partners(letter, "University of Bern", "ESA")
    assert reason(reviewer, letter) is None


# Same country


def test_the_same_country_is_a_conflict_only_when_the_call_says_so(call, letter):
    reviewer = ReviewerFactory(call=call, country="FR")
    assert reason(reviewer, letter) is None
    call.conflict_same_country = True
    call.save()
    assert reason(reviewer, letter) == SAME_COUNTRY


def test_another_country_is_no_conflict_even_when_the_call_says_so(call, letter):
    call.conflict_same_country = True
    call.save()
    assert reason(ReviewerFactory(call=call, country="DE"), letter) is None


# Declared


def test_a_declared_conflict_counts(call, letter):
    reviewer = ReviewerFactory(call=call, country="DE")
    ConflictDeclaration.objects.create(
        reviewer=reviewer, letter=letter, kind=ConflictDeclaration.Kind.PERSONAL
    )
    assert reason(reviewer, letter) == DECLARED


def test_a_declared_conflict_is_named_before_any_automatic_one(call, letter, organisation):
    reviewer = ReviewerFactory(call=call, organisation=organisation, country="FR")
    ConflictDeclaration.objects.create(
        reviewer=reviewer, letter=letter, kind=ConflictDeclaration.Kind.INSTITUTIONAL
    )
    assert reason(reviewer, letter) == DECLARED


def test_a_conflict_declared_for_one_letter_leaves_the_others_free(call, mode, letter):
    reviewer = ReviewerFactory(call=call, country="DE")
    other = LetterFactory(call=call, mode=mode)
    ConflictDeclaration.objects.create(
        reviewer=reviewer, letter=other, kind=ConflictDeclaration.Kind.OTHER
    )
    assert reason(reviewer, letter) is None
    assert reason(reviewer, other) == DECLARED


# None, and many pairs at once


def test_an_unrelated_reviewer_has_no_conflict(call, letter, esa):
    call.conflict_same_country = True
    call.save()
    reviewer = ReviewerFactory(call=call, organisation=esa, country="DE")
    with_partners(letter, "University of Bern", "Mesa Labs")
    assert reason(reviewer, letter) is None
    assert conflict_reason(reviewer, letter) is None


def test_conflict_reason_answers_for_a_single_pair(call, letter, organisation):
    reviewer = ReviewerFactory(call=call, organisation=organisation)
    assert conflict_reason(reviewer, letter) == OWN_ORGANISATION


def test_an_invited_reviewer_without_an_account_is_judged_by_the_pool_entry(
    call, letter, organisation
):
    reviewer = ReviewerFactory(call=call, user=None, email="guest@example.org", country="DE")
    assert reason(reviewer, letter) is None
    reviewer.organisation = organisation
    reviewer.save()
    assert reason(reviewer, letter) == OWN_ORGANISATION


def test_the_finder_answers_every_pair_without_further_queries(
    call, mode, organisation, esa, django_assert_num_queries
):
    call.conflict_same_country = True
    call.save()
    MembershipFactory(organisation=esa)
    reviewers = [
        ReviewerFactory(call=call, organisation=organisation, country="DE"),
        ReviewerFactory(call=call, organisation=esa, country="DE"),
        ReviewerFactory(call=call, country="FR"),
        ReviewerFactory(call=call, country="DE"),
        ReviewerFactory(call=call, country="IT"),
    ]
    MembershipFactory(organisation=organisation, user=reviewers[3].user, role=Role.VIEWER)
    letter = LetterFactory(call=call, mode=mode, organisation=organisation)
    with_partners(letter, "ESA")
    declared = LetterFactory(call=call, mode=mode, organisation=OrganisationFactory(country="JP"))
    ConflictDeclaration.objects.create(
        reviewer=reviewers[4], letter=declared, kind=ConflictDeclaration.Kind.FINANCIAL
    )
    letters = list(
        LetterOfIntent.objects.filter(call=call).select_related("organisation").order_by("pk")
    )
    with django_assert_num_queries(2):
        finder = ConflictFinder(call, reviewers)
    with django_assert_num_queries(0):
        answers = [[finder.reason(r, x) for r in reviewers] for x in letters]
    assert answers == [
        [OWN_ORGANISATION, PARTNER, SAME_COUNTRY, OWN_ORGANISATION, None],
        [None, None, None, None, DECLARED],
    ]
