"""The API tokens page of Settings: make, list and revoke tokens (K1)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from crm.api import selectors, services
from crm.api.forms import TokenForm
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.permissions import Perm
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms import selectors as firm_selectors


@require_http_methods(["GET", "POST"])
@never_cache
@staff_view(perm=Perm.MANAGE_FIRM)
def token_list(request: StaffRequest) -> HttpResponse:
    """List the firm's tokens and make one; a new key is shown on this page once."""
    members = [
        (m.pk, f"{m.user.full_name or m.user.email} ({m.get_role_display()})")
        for m in firm_selectors.membership_list(
            firm=request.firm, include_inactive=False
        )
    ]
    form = TokenForm(
        request.POST or None,
        members=members,
        initial={"membership": request.membership.pk},
    )
    new_key = ""
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            membership = firm_selectors.membership_get(
                firm=request.firm, membership_id=form.cleaned_data["membership"]
            )
            created, new_key = services.token_create(
                firm=request.firm,
                actor=request.user,
                actor_membership=request.membership,
                name=form.cleaned_data["name"],
                membership=membership,
                scope=form.cleaned_data["scope"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            form = TokenForm(
                members=members, initial={"membership": request.membership.pk}
            )
    return TemplateResponse(
        request,
        "api/token_list.html",
        {
            "form": form,
            "tokens": selectors.token_list(firm=request.firm),
            "created": created,
            "new_key": new_key,
        },
    )


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM)
def token_revoke(request: StaffRequest, token_id: int) -> HttpResponse:
    """Revoke a token; requests with it are refused from now on."""
    token = selectors.token_get(firm=request.firm, token_id=token_id)
    services.token_revoke(firm=request.firm, actor=request.user, token=token)
    messages.success(request, f"The token “{token.name}” was revoked.")
    return redirect("api_tokens:token_list")
