"""What the office's forms post, as a browser would send them, for tests to change a field of."""


def typed(moment, zone):
    """A time as the office types it into a form: in the call's official zone, to the second."""
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S")


def settings_data(call, **changes):
    """The settings form as the page shows it for `call`, with `changes` (False drops a box)."""
    zone = call.zone
    data = {
        "title": call.title,
        "title_zh": call.title_zh,
        "description": call.description,
        "description_zh": call.description_zh,
        "time_zone": call.time_zone,
        "opens_at": typed(call.opens_at, zone),
        "deadline": typed(call.deadline, zone),
        "grace_minutes": call.grace_minutes,
        "review_deadline": typed(call.review_deadline, zone) if call.review_deadline else "",
        "selection_date": call.selection_date.isoformat() if call.selection_date else "",
        "reference_prefix": call.reference_prefix,
        "reminder_hours": ", ".join(str(hours) for hours in call.reminder_hours),
        "reviewers_per_letter": call.reviewers_per_letter,
        "score_max": call.score_max,
    }
    for name in (
        "conflict_same_country",
        "blind_review",
        "reviewers_see_other_reviews",
        "share_reviewer_comments",
    ):
        if getattr(call, name):
            data[name] = "on"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not False}
