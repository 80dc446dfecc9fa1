"""The outbox's audit event in words: a failed e-mail sent again."""

from django.utils.translation import gettext_lazy, ngettext

from portal.audit.sentences import Details, Kind

from .filters import kind_label


def _resent(d: Details) -> str:
    attempts = d.raw("attempts") or 0
    return ngettext(
        "E-mail (%(kind)s) queued again after %(count)s failed attempt; the last error: "
        "“%(error)s”.",
        "E-mail (%(kind)s) queued again after %(count)s failed attempts; the last error: "
        "“%(error)s”.",
        attempts,
    ) % {"kind": kind_label(d.text("kind")), "count": attempts, "error": d.text("last_error")}


KINDS = {"email.resent": Kind(gettext_lazy("E-mail sent again"), _resent)}
