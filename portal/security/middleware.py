from django.core.exceptions import PermissionDenied

from portal.audit.log import record

from .network import client_ip


class AuditDenialsMiddleware:
    """Records every permission denial a view raises, then lets Django render the 403 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            record(
                request.user,
                "security.denied",
                None,
                path=request.path,
                method=request.method,
                ip=client_ip(request),
            )
        return None
