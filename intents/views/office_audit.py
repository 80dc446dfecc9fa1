"""The audit log: who did what, when, to which object; filterable and exportable."""

from django.contrib.auth.decorators import login_required

from .access import require_office


@login_required
def audit_log(request):
    require_office(request)
    raise NotImplementedError


@login_required
def audit_csv(request):
    require_office(request)
    raise NotImplementedError
