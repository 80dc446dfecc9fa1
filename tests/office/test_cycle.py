from intents.models import Review

from .cycle import build_cycle


def test_the_cycle_builder_makes_filed_letters_with_scored_reviews(officer):
    cycle = build_cycle(letters=30, reviews_per_letter=3, reviewers=10, officer=officer)
    assert len(cycle.letters) == 30
    assert Review.objects.filter(assignment__letter__call=cycle.call).count() == 90
    assert all(review.total is not None for review in cycle.reviews)
