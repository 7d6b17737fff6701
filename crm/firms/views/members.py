"""Members settings: list, edit role and permissions, deactivate (A4)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms import selectors, services
from crm.firms.choices import ROLE_PERMISSIONS, Perm, Role
from crm.firms.forms import MemberForm
from crm.firms.selectors import mfa as mfa_selectors


@require_GET
@staff_view(perm=Perm.MANAGE_MEMBERS)
def member_list(request: StaffRequest) -> TemplateResponse:
    """List the firm's members and pending invitations."""
    return TemplateResponse(
        request,
        "firms/member_list.html",
        {
            "members": mfa_selectors.membership_list_with_two_factor(firm=request.firm),
            "invitations": selectors.invitation_list_pending(firm=request.firm),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_MEMBERS)
def member_edit(request: StaffRequest, membership_id: int) -> HttpResponse:
    """Change a member's role and (owners only) single permissions."""
    member = selectors.membership_get(firm=request.firm, membership_id=membership_id)
    is_owner = request.membership.role == Role.OWNER
    form = MemberForm(
        request.POST or None,
        initial={
            "role": member.role,
            "permissions": sorted(member.permissions),
            "weekly_hours": member.weekly_hours,
        },
        can_edit_permissions=is_owner,
    )
    if request.method == "POST" and form.is_valid():
        permissions = form.cleaned_data.get("permissions") if is_owner else None
        role = form.cleaned_data["role"]
        # Untouched boxes on a role change mean "use the new role's defaults".
        if (
            permissions is not None
            and role != member.role
            and set(permissions) == set(member.permissions)
        ):
            permissions = None
        try:
            services.membership_update(
                firm=request.firm,
                actor=request.user,
                actor_membership=request.membership,
                membership=member,
                role=role,
                permissions=permissions,
                weekly_hours=form.cleaned_data["weekly_hours"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{member.user} was updated.")
            return redirect("firms:member_list")
    return TemplateResponse(
        request,
        "firms/member_edit.html",
        {
            "member": member,
            "form": form,
            "role_defaults": {
                role: sorted(ROLE_PERMISSIONS[role]) for role in Role.values
            },
        },
    )


@require_POST
@staff_view(perm=Perm.MANAGE_MEMBERS)
def member_set_active(request: StaffRequest, membership_id: int) -> HttpResponse:
    """Deactivate or reactivate a member (``active`` is "1" or "0")."""
    member = selectors.membership_get(firm=request.firm, membership_id=membership_id)
    active = request.POST.get("active") == "1"
    try:
        services.membership_set_active(
            firm=request.firm,
            actor=request.user,
            actor_membership=request.membership,
            membership=member,
            active=active,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        state = "reactivated" if active else "deactivated"
        messages.success(request, f"{member.user} was {state}.")
    return redirect("firms:member_list")
