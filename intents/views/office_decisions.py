"""Decisions: one by one or in bulk, private until released; the release with its preview."""

from django.contrib.auth.decorators import login_required

from .access import require_office


@login_required
def letter_decision(request, pk):
    require_office(request)
    raise NotImplementedError


@login_required
def decisions_bulk(request, slug):
    require_office(request)
    raise NotImplementedError


@login_required
def decisions_release(request, slug):
    require_office(request)
    raise NotImplementedError
