"""The client's own Fact Find in the portal: page, section saves, finish (F4, H3).

Each section's form posts here. An htmx request gets the section back (saved
and re-checked, or with the errors and what was typed) with the "still
needed" summary, the status and the live region's message out of band; a
plain post is redirected to the section with a message, or on an error gets
the whole page with the form.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.advice import completeness
from crm.advice.factfind.forms import RemoveRowForm
from crm.advice.factfind.sections import FACT_FIND, SectionSpec
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import portal_view
from crm.core.types import HtmxHttpRequest
from crm.portal import factfind, selectors
from crm.portal.models import RequestedAction
from crm.portal.principals import ClientPrincipal
from crm.portal.services import factfind as services

PAGE = "portal/fact_find_detail.html"
SECTION = "portal/_ff_section_response.html"


def _client(request: HttpRequest) -> ClientPrincipal:
    principal: ClientPrincipal = request.principal  # type: ignore[attr-defined]  # portal_view checked it
    return principal


def _action(request: HttpRequest, action_id: int) -> RequestedAction:
    principal = _client(request)
    return selectors.portal_fact_find_action_get(
        firm=principal.firm, client=principal.contact, action_id=action_id
    )


def _spec(action: RequestedAction, section: str) -> SectionSpec:
    """Return the section's spec; a section this kind of case lacks is a 404."""
    if section not in completeness.fact_find_sections(action.case.kind):
        raise Http404
    return FACT_FIND[section]


def _page(
    request: HttpRequest,
    action: RequestedAction,
    *,
    bound: tuple[str, forms.Form] | None = None,
    finish_refused: bool = False,
    status: int = 200,
) -> TemplateResponse:
    principal = _client(request)
    fact_find = selectors.portal_fact_find_get(
        firm=principal.firm, client=principal.contact
    )
    context = factfind.page_context(action=action, fact_find=fact_find, bound=bound)
    context.update(
        client=principal.contact, menu="actions", finish_refused=finish_refused
    )
    return TemplateResponse(request, PAGE, context, status=status)


def _respond(
    request: HtmxHttpRequest,
    action: RequestedAction,
    key: str,
    *,
    form: forms.Form | None = None,
    message: str = "",
    alert: str = "",
) -> HttpResponse:
    """Answer a section's post: the section for htmx, else the page or a redirect."""
    failed = bool(alert) or (form is not None and bool(form.errors))
    if not (request.htmx and not request.htmx.boosted):
        if failed and form is not None:
            return _page(request, action, bound=(key, form), status=400)
        if alert:
            messages.error(request, alert)
        else:
            messages.success(request, message)
        url = reverse("portal:fact_find_detail", kwargs={"action_id": action.pk})
        return redirect(f"{url}#{factfind.PREFIX}-{key}")
    principal = _client(request)
    fact_find = selectors.portal_fact_find_get(
        firm=principal.firm, client=principal.contact
    )
    context = factfind.page_context(action=action, fact_find=fact_find)
    context["section"] = factfind.section_context(
        action,
        fact_find,
        key,
        form=form if failed else None,
        message=message,
        alert=alert,
    )
    return TemplateResponse(request, SECTION, context)


@require_GET
@portal_view
def fact_find_detail(request: HttpRequest, action_id: int) -> TemplateResponse:
    """Show the client's own Fact Find, section by section, and what it still needs."""
    return _page(request, _action(request, action_id))


@require_POST
@vary_on_headers("HX-Request")
@portal_view
def fact_find_save(request: HtmxHttpRequest, action_id: int, section: str) -> Any:
    """Save one section of the client's own Fact Find."""
    action = _action(request, action_id)
    spec = _spec(action, section)
    form = spec.form(request.POST, id_prefix=factfind.PREFIX)
    if form.is_valid():
        try:
            services.fact_find_save(
                account=_client(request).account,
                action=action,
                section=section,
                data=form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            return _respond(request, action, section, message=f"{spec.title} saved.")
    return _respond(request, action, section, form=form)


@require_POST
@vary_on_headers("HX-Request")
@portal_view
def fact_find_row_add(request: HtmxHttpRequest, action_id: int, section: str) -> Any:
    """Add an address, a commitment or an existing policy to the client's Fact Find."""
    action = _action(request, action_id)
    spec = _spec(action, section)
    form = spec.form(request.POST, id_prefix=factfind.PREFIX)
    if form.is_valid():
        try:
            row = services.fact_find_row_add(
                account=_client(request).account,
                action=action,
                section=section,
                data=form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            message = f"{spec.noun.capitalize()} added: {row}."
            return _respond(request, action, section, message=message)
    return _respond(request, action, section, form=form)


@require_POST
@vary_on_headers("HX-Request")
@portal_view
def fact_find_row_remove(request: HtmxHttpRequest, action_id: int, section: str) -> Any:
    """Remove one of the client's own addresses, commitments or policies."""
    action = _action(request, action_id)
    spec = _spec(action, section)
    form = RemoveRowForm(request.POST)
    if not form.is_valid() or form.cleaned_data["row"] is None:
        return _respond(request, action, section, alert="Choose an entry.")
    try:
        row = services.fact_find_row_remove(
            account=_client(request).account,
            action=action,
            section=section,
            row_id=form.cleaned_data["row"],
        )
    except ApplicationError as exc:
        return _respond(request, action, section, alert=exc.message)
    message = f"{spec.noun.capitalize()} removed: {row}."
    return _respond(request, action, section, message=message)


@require_POST
@portal_view
def fact_find_finish(request: HttpRequest, action_id: int) -> HttpResponse:
    """Mark the Fact Find Done, or show what is still needed."""
    action = _action(request, action_id)
    try:
        services.fact_find_finish(account=_client(request).account, action=action)
    except ApplicationError as exc:
        if exc.code != "incomplete":
            messages.error(request, exc.message)
            return redirect("portal:fact_find_detail", action_id=action.pk)
        return _page(request, action, finish_refused=True, status=400)
    messages.success(
        request, "Thank you. Your adviser will look at your Fact Find next."
    )
    return redirect("portal:fact_find_detail", action_id=action.pk)
