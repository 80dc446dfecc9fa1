"""Which point of a reminder schedule is due: plain times in, an hour count out."""

from datetime import timedelta


def due_threshold(deadline, hours_before, now, not_before=None):
    """The reminder due at `now` for `deadline`, as hours before it, or None.

    A reminder is due from its moment until the deadline. When several moments have passed
    (the system was down, or the recipient arrived late) only the latest counts, so a late
    reminder is sent once instead of in a burst. Moments before `not_before` (the call opening,
    the first assignment) are skipped: nobody is told "30 days left" about a call that opened
    with ten.
    """
    if deadline is None or now >= deadline:
        return None
    passed = [
        hours
        for hours in hours_before
        if deadline - timedelta(hours=hours) <= now
        and (not_before is None or deadline - timedelta(hours=hours) >= not_before)
    ]
    return min(passed, default=None)
