"""The office's letters list (filters, search, sorting), letter detail and ranking."""

from django.contrib.auth.decorators import login_required

from .access import require_office


@login_required
def letters(request, slug):
    require_office(request)
    raise NotImplementedError


@login_required
def letter(request, pk):
    require_office(request)
    raise NotImplementedError


@login_required
def ranking(request, slug):
    require_office(request)
    raise NotImplementedError
