"""The audit events of applicants' letters and their documents, in words."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.audit.sentences import Details, Kind


def _registered(d: Details) -> str:
    return _("Organisation #%(organisation)s registered for the call.") % {
        "organisation": d.text("organisation")
    }


def _started(d: Details) -> str:
    return _("Letter started in the call %(call)s.") % {"call": d.text("call")}


def _uploaded(d: Details) -> str:
    # The hash's head tells files apart at a glance; the whole hash is in the CSV's details.
    return _("Document “%(document)s” uploaded (SHA-256 %(sha256)s…).") % {
        "document": d.text("document"),
        "sha256": d.text("sha256")[:12],
    }


def _removed(d: Details) -> str:
    return _("Document “%(document)s” removed.") % {"document": d.text("document")}


def _downloaded(d: Details) -> str:
    return _("Document “%(document)s” downloaded.") % {"document": d.text("document")}


def _submitted(d: Details) -> str:
    return _("Letter submitted as %(reference)s (version %(version)s).") % {
        "reference": d.text("reference"),
        "version": d.text("version"),
    }


def _amended(d: Details) -> str:
    return _("Letter amended: version %(version)s of %(reference)s filed.") % {
        "reference": d.text("reference"),
        "version": d.text("version"),
    }


def _withdrawn(d: Details) -> str:
    if "reason" not in d:
        return _("Letter withdrawn; no reason given.")
    return _("Letter withdrawn. Reason: %(reason)s") % {"reason": d.text("reason")}


KINDS = {
    "call.registered": Kind(gettext_lazy("Organisation registered for the call"), _registered),
    "letter.started": Kind(gettext_lazy("Letter started"), _started),
    "letter.saved": Kind(gettext_lazy("Letter saved")),
    "document.uploaded": Kind(gettext_lazy("Document uploaded"), _uploaded),
    "document.removed": Kind(gettext_lazy("Document removed"), _removed),
    "document.downloaded": Kind(gettext_lazy("Document downloaded"), _downloaded),
    "letter.submitted": Kind(gettext_lazy("Letter submitted"), _submitted),
    "letter.amended": Kind(gettext_lazy("Letter amended"), _amended),
    "letter.withdrawn": Kind(gettext_lazy("Letter withdrawn"), _withdrawn),
}
