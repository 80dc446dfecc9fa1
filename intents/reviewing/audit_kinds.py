"""The audit events of the reviewer pool, assignments, conflicts and reviews, in words."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.audit.sentences import Details, Kind, one_after_another

from ..models import ConflictDeclaration


def _invited(d: Details) -> str:
    return _("%(email)s invited to the call's reviewer pool.") % {"email": d.text("email")}


def _removed(d: Details) -> str:
    return _("%(email)s removed from the call's reviewer pool.") % {"email": d.text("email")}


def _assigned(d: Details) -> str:
    return _("%(reviewer)s assigned to review this letter.") % {"reviewer": d.text("reviewer")}


def _unassigned(d: Details) -> str:
    return _("%(reviewer)s no longer assigned to this letter.") % {"reviewer": d.text("reviewer")}


def _automatic(d: Details) -> str:
    made = d.raw("made") or 0
    return ngettext(
        "Automatic assignment run #%(run)s made %(count)s assignment.",
        "Automatic assignment run #%(run)s made %(count)s assignments.",
        made,
    ) % {"run": d.text("run"), "count": made}


def _declared(d: Details) -> str:
    declared = _(
        "The reviewer declared a conflict (%(kind)s) and no longer reviews this letter."
    ) % {"kind": d.choice("kind", ConflictDeclaration.Kind)}
    if not d.raw("draft_discarded"):
        return declared
    return one_after_another([declared, _("Their draft review was discarded.")])


def _review_saved(d: Details) -> str:
    return _("Review draft saved; total so far: %(total)s.") % {"total": d.text("total")}


def _review_submitted(d: Details) -> str:
    return _("Review submitted with a total of %(total)s.") % {"total": d.text("total")}


def _review_amended(d: Details) -> str:
    return _("Review amended; its total is now %(total)s.") % {"total": d.text("total")}


KINDS = {
    "reviewer.invited": Kind(gettext_lazy("Reviewer invited"), _invited),
    "reviewer.joined": Kind(gettext_lazy("Reviewer joined the pool")),
    "reviewer.removed": Kind(gettext_lazy("Reviewer removed from the pool"), _removed),
    "assignment.made": Kind(gettext_lazy("Reviewer assigned"), _assigned),
    "assignment.removed": Kind(gettext_lazy("Assignment removed"), _unassigned),
    "assignment.automatic": Kind(gettext_lazy("Automatic assignment run"), _automatic),
    "conflict.none": Kind(
        gettext_lazy("No conflict confirmed"),
        lambda d: _("The reviewer confirmed having no conflict with this letter."),
    ),
    "conflict.declared": Kind(gettext_lazy("Conflict declared"), _declared),
    "review.saved": Kind(gettext_lazy("Review draft saved"), _review_saved),
    "review.submitted": Kind(gettext_lazy("Review submitted"), _review_submitted),
    "review.amended": Kind(gettext_lazy("Review amended"), _review_amended),
}
