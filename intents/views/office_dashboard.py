"""The call's dashboard: where the cycle stands, in pictures with table alternatives."""

from django.contrib.auth.decorators import login_required

from .access import require_office


@login_required
def dashboard(request, slug):
    require_office(request)
    raise NotImplementedError
