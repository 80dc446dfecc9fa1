"""The audit events of the office's work, in words: a call's configuration, extensions,
verification, decisions and exports."""

from collections.abc import Callable

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.audit.sentences import (
    Details,
    Kind,
    field_label,
    from_to,
    names_in_words,
    one_after_another,
)

from ..models import Call, CooperationMode, Criterion, Decision, DocumentType, ExportJob

# What export.downloaded's `kind` names (intents/office/views/exports.py).
EXPORTS = {
    "letters": gettext_lazy("the letters table"),
    "reviews": gettext_lazy("the reviews table"),
    "documents": gettext_lazy("the archive of the documents"),
}


def _call_created(d: Details) -> str:
    return _("Call created (%(field)s: %(value)s).") % {
        "field": field_label(Call, "slug"),
        "value": d.text("slug"),
    }


def _call_updated(d: Details) -> str:
    """ "Call settings changed: Deadline, Grace minutes." and, for each change the event kept
    the old and new values of, "Deadline changed from … to …"."""
    changes = [
        _("%(field)s changed %(from_to)s.")
        % {
            "field": field_label(Call, name),
            "from_to": from_to(
                d.field(Call, name, value["old"]), d.field(Call, name, value["new"])
            ),
        }
        for name, value in d.data.items()
        if isinstance(value, dict) and {"old", "new"} <= set(value)
    ]
    fields = _("Call settings changed: %(fields)s.") % {"fields": d.field_names(Call, "fields")}
    return one_after_another([fields, *changes])


def _rows_changed(model: type[models.Model], action: str | Promise) -> Callable[[Details], str]:
    """The sentence of a change to a call's list of `model` rows (modes, document types, the
    rubric): which rows were added, which changed (and which of their fields), which removed."""

    def sentence(d: Details) -> str:
        parts = []
        if "added" in d:
            parts.append(_("added %(rows)s") % {"rows": d.text("added")})
        for row, names in (d.raw("changed") or {}).items():
            parts.append(
                _("changed %(row)s (%(fields)s)")
                % {"row": row, "fields": names_in_words(model, names)}
            )
        if "removed" in d:
            parts.append(_("removed %(rows)s") % {"rows": d.text("removed")})
        return _("%(action)s: %(changes)s.") % {
            "action": action,
            "changes": "; ".join(parts) or _("none"),
        }

    return sentence


def _extension_granted(d: Details) -> str:
    return _("Extension granted to %(organisation)s until %(closes_at)s. Reason: %(reason)s") % {
        "organisation": d.text("organisation"),
        "closes_at": d.text("closes_at"),
        "reason": d.text("reason"),
    }


def _extension_replaced(d: Details) -> str:
    return _("Extension of %(organisation)s moved %(from_to)s. Reason: %(reason)s") % {
        "organisation": d.text("organisation"),
        "from_to": from_to(d.text("previous_closes_at"), d.text("closes_at")),
        "reason": d.text("reason"),
    }


def _extension_removed(d: Details) -> str:
    return _("Extension of %(organisation)s (until %(closes_at)s) removed.") % {
        "organisation": d.text("organisation"),
        "closes_at": d.text("closes_at"),
    }


def _information_requested(d: Details) -> str:
    return _("Information requested from the organisation: %(request)s") % {
        "request": d.text("request")
    }


def _verification_withdrawn(d: Details) -> str:
    return _("Organisation's verification withdrawn. Reason: %(reason)s") % {
        "reason": d.text("reason")
    }


def _decision_set(d: Details) -> str:
    outcome = d.choice("outcome", Decision.Outcome)
    if "previous" in d:
        return _("Decision changed %(from_to)s.") % {
            "from_to": from_to(d.choice("previous", Decision.Outcome), outcome)
        }
    return _("Decision recorded: %(outcome)s.") % {"outcome": outcome}


def _decision_released(d: Details) -> str:
    return _("Decision released to the applicant: %(outcome)s.") % {
        "outcome": d.choice("outcome", Decision.Outcome)
    }


def _export_downloaded(d: Details) -> str:
    kind = d.raw("kind")
    return _("Downloaded %(export)s (%(format)s).") % {
        "export": EXPORTS.get(kind, kind) if kind else _("none"),
        "format": d.text("format").upper() if "format" in d else _("none"),
    }


def _export_requested(d: Details) -> str:
    return _("Requested: %(export)s.") % {"export": d.choice("kind", ExportJob.Kind)}


MODES = gettext_lazy("Cooperation modes changed")
DOCUMENT_TYPES = gettext_lazy("Document types changed")
RUBRIC = gettext_lazy("Rubric changed")

KINDS = {
    "call.created": Kind(gettext_lazy("Call created"), _call_created),
    "call.updated": Kind(gettext_lazy("Call settings changed"), _call_updated),
    "call.modes_changed": Kind(MODES, _rows_changed(CooperationMode, MODES)),
    "call.document_types_changed": Kind(
        DOCUMENT_TYPES, _rows_changed(DocumentType, DOCUMENT_TYPES)
    ),
    "call.rubric_changed": Kind(RUBRIC, _rows_changed(Criterion, RUBRIC)),
    "extension.granted": Kind(gettext_lazy("Extension granted"), _extension_granted),
    "extension.replaced": Kind(gettext_lazy("Extension changed"), _extension_replaced),
    "extension.removed": Kind(gettext_lazy("Extension removed"), _extension_removed),
    "organisation.verified": Kind(gettext_lazy("Organisation verified")),
    "organisation.information_requested": Kind(
        gettext_lazy("Information requested from organisation"), _information_requested
    ),
    "organisation.verification_withdrawn": Kind(
        gettext_lazy("Organisation's verification withdrawn"), _verification_withdrawn
    ),
    "decision.set": Kind(gettext_lazy("Decision recorded"), _decision_set),
    "decision.released": Kind(gettext_lazy("Decision released"), _decision_released),
    "export.downloaded": Kind(gettext_lazy("Export downloaded"), _export_downloaded),
    "export.requested": Kind(gettext_lazy("Document archive requested"), _export_requested),
}
