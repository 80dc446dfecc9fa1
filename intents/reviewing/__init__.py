"""The reviewer workflow: the pool, conflicts, assignment, reviews and their scores.

Each change is one function in pool, assignments or reviews; it runs in one transaction,
writes its audit event and queues its e-mails.
"""


class ReviewingError(Exception):
    """A change that cannot be made; the message is shown to the user as it is."""
