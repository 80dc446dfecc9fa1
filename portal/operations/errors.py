"""Error reports that carry no confidential content: Sentry (when SENTRY_DSN is set) and the
e-mails Django sends to ADMINS. Letters of intent are confidential proposals, so neither
includes what a user typed or uploaded: no request bodies, form values, query strings, cookies
or local variables; only where the error happened, the request's path and its request id."""

from django.views.debug import SafeExceptionReporterFilter
from django_guid import get_guid


def scrub_event(event, hint=None):
    """Sentry's before_send: drops what a request carried, tags the event with its request id."""
    request = event.get("request")
    if request:
        for part in ("data", "cookies", "query_string"):
            request.pop(part, None)
    request_id = get_guid()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_sentry(*, dsn, environment, traces_sample_rate):
    """Called from settings, only when a DSN is set."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # No user, address, cookies or SQL parameters; no body, no frame's local variables.
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )


class ConfidentialReporterFilter(SafeExceptionReporterFilter):
    """With DEBUG off, an error e-mail to ADMINS names the form's fields but none of their
    values (Django's own filter hides passwords and the like only)."""

    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return {name: self.cleansed_substitute for name in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
