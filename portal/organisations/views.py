from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.entrance import sign_in_to_accept
from portal.refusals import Refused, show_refusal
from portal.registry import app_configs_with
from portal.security.throttle import limit_invitations

from . import actions
from .forms import ORGANISATION_FIELDS, InvitationForm, OrganisationForm, RoleForm
from .models import Invitation, Membership, Organisation, Role


def organisation_for(request, pk, perm=None):
    """The organisation if the user may see it (404 otherwise); `perm` further required (403)."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not request.user.has_perm("organisations.open_organisation", organisation):
        raise Http404
    if perm and not request.user.has_perm(perm, organisation):
        raise PermissionDenied
    return organisation


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ORGANISATION_FIELDS}
        organisation = actions.create_organisation(user=request.user, data=data)
        messages.success(request, _("Your organisation is registered. You are its owner."))
        return redirect("organisations:detail", organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "creating": True})


@login_required
def organisation_detail(request, pk):
    organisation = organisation_for(request, pk)
    context = {
        "organisation": organisation,
        # What the apps above portal show here (intents: the organisation's letters).
        "sections": [
            import_string(view)(request, organisation)
            for config in app_configs_with("organisation_sections")
            for view in config.organisation_sections
        ],
        "can_edit": request.user.has_perm("organisations.edit_organisation", organisation),
        "can_manage": request.user.has_perm("organisations.manage_members", organisation),
    }
    return render(request, "organisations/detail.html", context)


@login_required
def organisation_edit(request, pk):
    organisation = organisation_for(request, pk, "organisations.edit_organisation")
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        actions.update_organisation(user=request.user, organisation=organisation, data=data)
        messages.success(request, _("Saved."))
        return redirect("organisations:detail", organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "organisation": organisation})


@login_required
@limit_invitations
def member_list(request, pk):
    organisation = organisation_for(request, pk)
    can_manage = request.user.has_perm("organisations.manage_members", organisation)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.invite(
                    user=request.user,
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except Refused as error:
                show_refusal(request, error)
            else:
                messages.success(request, _("The invitation is on its way."))
                return redirect("organisations:members", organisation.pk)
    memberships = list(organisation.memberships.select_related("user").order_by("user__email"))
    context = {
        "organisation": organisation,
        "memberships": memberships,
        "owner_count": sum(1 for membership in memberships if membership.role == Role.OWNER),
        "invitations": organisation.invitations.open(),
        "can_manage": can_manage,
        "form": form,
        "role_choices": Role.choices,
    }
    return render(request, "organisations/members.html", context)


def back_after_refusal(request, organisation):
    """The members page, or home for someone another owner removed meanwhile (the members page
    would be a 404): either way the refusal's message is shown."""
    if Membership.objects.filter(organisation=organisation, user=request.user).exists():
        return redirect("organisations:members", organisation.pk)
    return redirect("home")


@login_required
@require_POST
def member_role(request, pk, membership_pk):
    organisation = organisation_for(request, pk, "organisations.manage_members")
    membership = get_object_or_404(Membership, pk=membership_pk, organisation=organisation)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            actions.change_role(
                user=request.user, membership_id=membership.pk, role=form.cleaned_data["role"]
            )
        except Refused as error:
            show_refusal(request, error)
            return back_after_refusal(request, organisation)
        else:
            messages.success(request, _("The role was changed."))
    return redirect("organisations:members", organisation.pk)


@login_required
def member_remove(request, pk, membership_pk):
    organisation = organisation_for(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, organisation=organisation
    )
    leaving = membership.user_id == request.user.pk
    if not leaving and not request.user.has_perm("organisations.manage_members", organisation):
        raise PermissionDenied
    if request.method == "POST":
        try:
            actions.remove_member(user=request.user, membership_id=membership.pk)
        except Refused as error:
            show_refusal(request, error)
            return back_after_refusal(request, organisation)
        if leaving:
            messages.success(request, _("You have left %(name)s.") % {"name": organisation})
            return redirect("home")
        messages.success(request, _("The member was removed."))
        return redirect("organisations:members", organisation.pk)
    return render(
        request,
        "organisations/member_remove.html",
        {"organisation": organisation, "membership": membership, "leaving": leaving},
    )


@login_required
def invitation_revoke(request, pk, invitation_pk):
    organisation = organisation_for(request, pk, "organisations.manage_members")
    invitation = get_object_or_404(
        Invitation, pk=invitation_pk, organisation=organisation, accepted_at__isnull=True
    )
    if request.method == "POST":
        try:
            actions.revoke_invitation(user=request.user, invitation_id=invitation.pk)
        except Refused as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The invitation was withdrawn."))
        return redirect("organisations:members", organisation.pk)
    return render(
        request,
        "organisations/invitation_revoke.html",
        {"organisation": organisation, "invitation": invitation},
    )


def invitation_accept(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), token=token
    )
    if not request.user.is_authenticated:
        return sign_in_to_accept(request, invitation.email)
    if request.method == "POST":
        try:
            actions.accept_invitation(user=request.user, token=token)
        except Refused as error:
            show_refusal(request, error)
            return redirect("home")
        messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organisation})
        return redirect("organisations:detail", invitation.organisation_id)
    return render(request, "organisations/invitation.html", {"invitation": invitation})
