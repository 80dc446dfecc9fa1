"""Call configuration, per-organisation extensions and organisation verification."""

from django.contrib.auth.decorators import login_required

from .access import require_office


@login_required
def call_create(request):
    require_office(request)
    raise NotImplementedError


@login_required
def call_settings(request, slug):
    require_office(request)
    raise NotImplementedError


@login_required
def call_modes(request, slug):
    require_office(request)
    raise NotImplementedError


@login_required
def call_document_types(request, slug):
    require_office(request)
    raise NotImplementedError


@login_required
def call_rubric(request, slug):
    require_office(request)
    raise NotImplementedError


@login_required
def extensions(request, slug):
    require_office(request)
    raise NotImplementedError


@login_required
def extension_remove(request, slug, extension_pk):
    require_office(request)
    raise NotImplementedError


@login_required
def organisations(request):
    require_office(request)
    raise NotImplementedError


@login_required
def organisation_verification(request, pk):
    require_office(request)
    raise NotImplementedError
