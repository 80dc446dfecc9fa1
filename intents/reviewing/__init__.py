"""The reviewer workflow: the pool, conflicts, assignment, reviews and their scores.

Each change is one function in pool, assignments or reviews; it runs in one transaction,
writes its audit event and queues its e-mails.
"""

from portal.refusals import Refused


class ReviewingError(Refused):
    """A change to the pool, an assignment or a review that cannot be made."""
