"""A whole call cycle made quickly with bulk inserts, for the office's pages and their query
counts: organisations of several countries and kinds (some verified), drafts and filed letters
in every mode, a reviewer pool, assignments, submitted reviews with per-criterion scores, and
audit events. Two sizes built with the same pattern differ only in the number of rows."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from intents.models import Assignment, LetterOfIntent, Review, Reviewer, Score
from intents.reviewing.figures import refresh_review_figures
from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.organisations.models import Organisation

from ..factories import CallFactory, CriterionFactory, DocumentTypeFactory, ModeFactory

COUNTRIES = ["FR", "BR", "NG", "JP", "CL", "DE", "PK", "TH"]
KINDS = [kind for kind, _label in Organisation.Kind.choices]


@dataclass
class Cycle:
    call: object
    modes: list
    criteria: list
    organisations: list
    letters: list  # filed letters, in reference order
    drafts: list
    reviewers: list
    reviews: list = field(default_factory=list)


def build_cycle(*, letters, reviews_per_letter=3, reviewers=10, drafts=None, officer=None):
    """`letters` filed letters, each with `reviews_per_letter` submitted reviews, plus drafts."""
    now = timezone.now()
    call = CallFactory(
        opens_at=now - dt.timedelta(days=40),
        deadline=now + dt.timedelta(days=5),
        review_deadline=now + dt.timedelta(days=60),
        reviewers_per_letter=reviews_per_letter,
    )
    modes = [ModeFactory(call=call, number=number) for number in (1, 2, 3, 4)]
    document_type = DocumentTypeFactory(call=call, code="signed-letter", name="Signed letter")
    document_type.required_for.set(modes)
    criteria = [
        CriterionFactory(call=call, name=name, weight=weight, position=position)
        for position, (name, weight) in enumerate(
            (("Science", 3), ("Feasibility", 3), ("Costs", 2), ("Relations", 1))
        )
    ]
    organisation_count = max(letters // 3, 2)
    organisations = Organisation.objects.bulk_create(
        Organisation(
            legal_name=f"{call.reference_prefix} Organisation {number}",
            short_name=f"O{number}",
            kind=KINDS[number % len(KINDS)],
            country=COUNTRIES[number % len(COUNTRIES)],
            postal_address="1 Moon Street",
            contact_name="Contact",
            contact_email=f"contact{number}@example.org",
            is_verified=number % 2 == 0,
        )
        for number in range(organisation_count)
    )
    filed = LetterOfIntent.objects.bulk_create(
        LetterOfIntent(
            call=call,
            organisation=organisations[number % organisation_count],
            mode=modes[number % len(modes)],
            title=f"Instrument {number}",
            summary="A camera for shadowed craters.",
            trl=1 + number % 9,
            state=LetterOfIntent.State.SUBMITTED,
            submitted_at=now - dt.timedelta(hours=number % 200),
            reference=f"{call.reference_prefix}-LOI-{number + 1:04d}",
        )
        for number in range(letters)
    )
    draft_rows = LetterOfIntent.objects.bulk_create(
        LetterOfIntent(
            call=call,
            organisation=organisations[number % organisation_count],
            mode=modes[number % len(modes)],
            title=f"Draft {number}",
        )
        for number in range(letters // 5 if drafts is None else drafts)
    )
    users = User.objects.bulk_create(
        User(email=f"{call.reference_prefix.lower()}-r{n}@example.org", full_name=f"Reviewer {n}")
        for n in range(reviewers)
    )
    pool = Reviewer.objects.bulk_create(
        Reviewer(
            call=call,
            user=user,
            email=user.email,
            country="CH",
            invited_by=officer,
            accepted_at=now,
        )
        for user in users
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(
            letter=letter,
            reviewer=pool[(number + slot) % reviewers],
            assigned_by=officer,
            no_conflict_confirmed_at=now,
        )
        for number, letter in enumerate(filed)
        for slot in range(min(reviews_per_letter, reviewers))
    )
    reviews = Review.objects.bulk_create(
        Review(
            assignment=assignment,
            recommendation=Review.Recommendation.SELECT
            if index % 3
            else Review.Recommendation.WAITLIST,
            comment_to_committee="Sound plan.",
            comment_to_applicant="Clear and well argued." if index % 2 else "",
            submitted_at=now,
        )
        for index, assignment in enumerate(assignments)
    )
    scores = []
    for index, review in enumerate(reviews):
        values = {c.pk: 1 + (index + position) % 5 for position, c in enumerate(criteria)}
        weight = sum(c.weight for c in criteria)
        review.total = f"{sum(c.weight * values[c.pk] for c in criteria) / weight:.3f}"
        scores += [Score(review=review, criterion=c, value=values[c.pk]) for c in criteria]
    Review.objects.bulk_update(reviews, ["total"])
    Score.objects.bulk_create(scores)
    with transaction.atomic():  # it locks the letters, as in the reviewing code
        refresh_review_figures([letter.pk for letter in filed])
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=officer,
            verb="letter.submitted",
            target_type="intents.letterofintent",
            target_id=str(letter.pk),
            target_label=letter.reference,
            data={"call": call.slug},
        )
        for letter in filed
    )
    return Cycle(
        call=call,
        modes=modes,
        criteria=criteria,
        organisations=organisations,
        letters=filed,
        drafts=draft_rows,
        reviewers=pool,
        reviews=reviews,
    )
