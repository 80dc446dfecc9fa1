"""Exports: CSV and Excel tables, and the ZIP of a call's documents built in the background."""

from django.contrib.auth.decorators import login_required

from .access import require_office


@login_required
def exports(request, slug):
    require_office(request)
    raise NotImplementedError


@login_required
def export_table(request, slug, kind, fmt):
    require_office(request)
    raise NotImplementedError


@login_required
def export_documents(request, slug):
    require_office(request)
    raise NotImplementedError


@login_required
def export_detail(request, pk):
    require_office(request)
    raise NotImplementedError


@login_required
def export_download(request, pk):
    require_office(request)
    raise NotImplementedError
