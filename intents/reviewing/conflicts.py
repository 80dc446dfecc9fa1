"""Who may not judge which letter, and why.

Automatic conflicts: the reviewer belongs to the applicant organisation (named in their pool
place or as a member in the portal), the reviewer's organisation is among the letter's partner
organisations, or — when the call says so — the reviewer shares the applicant's country.
A declared conflict counts as well and is never forgotten.
"""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from portal.organisations.models import Membership

from ..models import ConflictDeclaration

OWN_ORGANISATION = "own_organisation"
PARTNER = "partner"
SAME_COUNTRY = "same_country"
DECLARED = "declared"

REASONS = {
    OWN_ORGANISATION: _("belongs to the applicant organisation"),
    PARTNER: _("belongs to a partner organisation of the letter"),
    SAME_COUNTRY: _("is from the applicant's country"),
    DECLARED: _("declared a conflict"),
}


def normalise(name):
    """Lower case words separated by single spaces, padded so ' esa ' matches whole words only."""
    # NFKC first: a decomposed "ü" (u + combining mark) would otherwise split the word in two,
    # and full-width letters typed with a Chinese input method ("ＥＳＡ") would never match.
    words = re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", name).casefold()).split()
    return f" {' '.join(words)} " if words else ""


class ConflictFinder:
    """Answers `reason(reviewer, letter)` for many pairs after a fixed number of queries.

    Letters must come with their organisation loaded; reviewers with their organisation."""

    def __init__(self, call, reviewers):
        self.call = call
        reviewers = list(reviewers)
        memberships = Membership.objects.filter(
            user_id__in=[r.user_id for r in reviewers if r.user_id]
        ).select_related("organisation")
        organisations_of_user = {}
        for membership in memberships:
            organisations_of_user.setdefault(membership.user_id, []).append(membership.organisation)
        self.organisation_ids = {}
        self.names = {}
        for reviewer in reviewers:
            organisations = list(organisations_of_user.get(reviewer.user_id, []))
            if reviewer.organisation is not None:
                organisations.append(reviewer.organisation)
            self.organisation_ids[reviewer.pk] = {o.pk for o in organisations}
            names = {reviewer.affiliation}
            for organisation in organisations:
                names.update((organisation.legal_name, organisation.short_name))
            self.names[reviewer.pk] = {normalise(n) for n in names if len(n.strip()) >= 2} - {""}
        self.declared = set(
            ConflictDeclaration.objects.filter(reviewer__in=reviewers).values_list(
                "reviewer_id", "letter_id"
            )
        )

    def reason(self, reviewer, letter):
        if (reviewer.pk, letter.pk) in self.declared:
            return DECLARED
        if letter.organisation_id in self.organisation_ids[reviewer.pk]:
            return OWN_ORGANISATION
        partners = [normalise(line) for line in letter.partner_list()]
        for name in self.names[reviewer.pk]:
            if any(name in partner for partner in partners):
                return PARTNER
        if self.call.conflict_same_country and reviewer.country == letter.organisation.country:
            return SAME_COUNTRY
        return None


def conflict_reason(reviewer, letter):
    return ConflictFinder(letter.call, [reviewer]).reason(reviewer, letter)
