"""A model's conditions used from another model, through the relation that reaches it."""

from django.db.models import Q


def through(relation, condition):
    """`condition` (a Q on some model) for a model that reaches it through `relation`:
    through("letter", FILED_LETTER) is Q(letter__submitted_at__isnull=False), the same join."""
    return Q(
        *(
            through(relation, child)
            if isinstance(child, Q)
            else (f"{relation}__{child[0]}", child[1])
            for child in condition.children
        ),
        _connector=condition.connector,
        _negated=condition.negated,
    )
