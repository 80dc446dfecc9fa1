"""The audit log's verbs and object types in words; an unknown verb is shown as it is."""

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

VERBS = {
    "assignment.automatic": _("Automatic assignment run"),
    "assignment.made": _("Reviewer assigned"),
    "assignment.removed": _("Assignment removed"),
    "call.created": _("Call created"),
    "call.registered": _("Organisation registered for the call"),
    "call.updated": _("Call settings changed"),
    "call.modes_changed": _("Cooperation modes changed"),
    "call.document_types_changed": _("Document types changed"),
    "call.rubric_changed": _("Rubric changed"),
    "conflict.declared": _("Conflict declared"),
    "conflict.none": _("No conflict confirmed"),
    "decision.set": _("Decision recorded"),
    "decision.released": _("Decision released"),
    "document.downloaded": _("Document downloaded"),
    "document.removed": _("Document removed"),
    "document.uploaded": _("Document uploaded"),
    "email.resent": _("E-mail sent again"),
    "export.downloaded": _("Export downloaded"),
    "export.requested": _("Document archive requested"),
    "extension.granted": _("Extension granted"),
    "extension.replaced": _("Extension changed"),
    "extension.removed": _("Extension removed"),
    "invitation.accepted": _("Invitation accepted"),
    "invitation.revoked": _("Invitation revoked"),
    "invitation.sent": _("Member invited"),
    "letter.amended": _("Letter amended"),
    "letter.saved": _("Letter saved"),
    "letter.started": _("Letter started"),
    "letter.submitted": _("Letter submitted"),
    "letter.withdrawn": _("Letter withdrawn"),
    "member.left": _("Member left"),
    "member.removed": _("Member removed"),
    "member.role_changed": _("Member's role changed"),
    "organisation.created": _("Organisation registered"),
    "organisation.information_requested": _("Information requested from organisation"),
    "organisation.updated": _("Organisation updated"),
    "organisation.verification_withdrawn": _("Organisation's verification withdrawn"),
    "organisation.verified": _("Organisation verified"),
    "review.amended": _("Review amended"),
    "review.saved": _("Review draft saved"),
    "review.submitted": _("Review submitted"),
    "reviewer.invited": _("Reviewer invited"),
    "reviewer.joined": _("Reviewer joined the pool"),
    "reviewer.removed": _("Reviewer left the pool"),
    "security.denied": _("Access refused"),
    "security.lockout": _("Sign-in locked after repeated failures"),
    "security.login": _("Signed in"),
    "security.login_failed": _("Failed sign-in"),
    "security.logout": _("Signed out"),
    "security.unlock": _("Account unlocked by its e-mailed link"),
}


def verb_label(verb):
    return VERBS.get(verb, verb)


def type_label(target_type):
    """`intents.letterofintent` → "Letter of intent", from the model's own name."""
    try:
        return capfirst(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type
