"""The Webhooks pages of Settings: endpoints, their delivery log, redrive (K3)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.outbox.choices import OutboxMessageStatus
from crm.core.pagination import paginate
from crm.core.permissions import Perm
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.webhooks import selectors, services
from crm.webhooks.forms import EndpointForm
from crm.webhooks.models import WebhookEndpoint

STATUS_TABS = [("", "All"), *OutboxMessageStatus.choices]


@require_http_methods(["GET", "POST"])
@never_cache
@staff_view(perm=Perm.MANAGE_FIRM)
def endpoint_list(request: StaffRequest) -> HttpResponse:
    """List the firm's endpoints and register one; its secret is shown once."""
    form = EndpointForm(request.POST or None, initial={"is_active": True})
    created: WebhookEndpoint | None = None
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            created, secret = services.endpoint_create(
                firm=request.firm,
                actor=request.user,
                name=data["name"],
                url=data["url"],
                event_types=list(data["event_types"]),
                is_active=bool(data["is_active"]),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            form = EndpointForm(initial={"is_active": True})
    return TemplateResponse(
        request,
        "webhooks/endpoint_list.html",
        {
            "form": form,
            "endpoints": selectors.endpoint_list(firm=request.firm),
            "created": created,
            "secret": secret,
        },
    )


@require_GET
@staff_view(perm=Perm.MANAGE_FIRM)
def endpoint_detail(request: StaffRequest, endpoint_id: int) -> HttpResponse:
    """Show one endpoint and its delivery log, newest first, by status."""
    endpoint = selectors.endpoint_get(firm=request.firm, endpoint_id=endpoint_id)
    status = request.GET.get("status", "")
    status = status if status in OutboxMessageStatus.values else ""
    page = paginate(
        selectors.delivery_list(firm=request.firm, endpoint=endpoint, status=status),
        params=request.GET,
    )
    return TemplateResponse(
        request,
        "webhooks/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "page": page,
            "status": status,
            "tabs": STATUS_TABS,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM)
def endpoint_edit(request: StaffRequest, endpoint_id: int) -> HttpResponse:
    """Change an endpoint's name, URL, events, or pause it."""
    endpoint = selectors.endpoint_get(firm=request.firm, endpoint_id=endpoint_id)
    initial = {
        "name": endpoint.name,
        "url": endpoint.url,
        "event_types": endpoint.event_types,
        "is_active": endpoint.is_active,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.endpoint_update(
                firm=request.firm,
                actor=request.user,
                endpoint=endpoint,
                name=data["name"],
                url=data["url"],
                event_types=list(data["event_types"]),
                is_active=bool(data["is_active"]),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"“{endpoint.name}” was saved.")
            return redirect(endpoint)
    return TemplateResponse(
        request, "webhooks/endpoint_edit.html", {"endpoint": endpoint, "form": form}
    )


@require_POST
@never_cache
@staff_view(perm=Perm.MANAGE_FIRM)
def endpoint_rotate_secret(request: StaffRequest, endpoint_id: int) -> HttpResponse:
    """Give the endpoint a new secret and show it, this once."""
    endpoint = selectors.endpoint_get(firm=request.firm, endpoint_id=endpoint_id)
    endpoint, secret = services.endpoint_rotate_secret(
        firm=request.firm, actor=request.user, endpoint=endpoint
    )
    return TemplateResponse(
        request,
        "webhooks/endpoint_secret.html",
        {"endpoint": endpoint, "secret": secret},
    )


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM)
def endpoint_send_test(request: StaffRequest, endpoint_id: int) -> HttpResponse:
    """Queue a test event for the endpoint; the log shows how it went."""
    endpoint = selectors.endpoint_get(firm=request.firm, endpoint_id=endpoint_id)
    services.endpoint_send_test(
        firm=request.firm, actor=request.user, endpoint=endpoint
    )
    messages.success(
        request, "A test event is on its way; refresh the log to see how it went."
    )
    return redirect(endpoint)


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM)
def delivery_redrive(request: StaffRequest, delivery_id: int) -> HttpResponse:
    """Send a failed delivery again, with the same event id."""
    delivery = selectors.delivery_get(firm=request.firm, delivery_id=delivery_id)
    try:
        services.delivery_redrive(
            firm=request.firm, actor=request.user, delivery=delivery
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Event {delivery.event_id} will be sent again.")
    return redirect(delivery.endpoint)
