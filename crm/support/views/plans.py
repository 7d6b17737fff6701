"""Planned support on a support case: add, edit, delete (SPEC I5)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from crm.cases.models import Case
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.support import selectors, services
from crm.support.forms_sections import PlanForm
from crm.support.models import PlannedSupport
from crm.support.views.detail import refuse_if_closed
from crm.tasks import selectors as task_selectors


def _form(request: StaffRequest, lead_id: int | None = None, **kwargs: Any) -> PlanForm:
    return PlanForm(
        request.POST if request.method == "POST" else None,
        members=task_selectors.task_assignee_choices(
            firm=request.firm, current_id=lead_id
        ),
        **kwargs,
    )


def _back(case: Case) -> str:
    return f"{case.get_absolute_url()}#planned-support"


def _render(
    request: StaffRequest, case: Case, form: PlanForm, plan: PlannedSupport | None
) -> TemplateResponse:
    context = {"case": case, "form": form, "plan": plan}
    return TemplateResponse(request, "support/plan_form.html", context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def plan_create(request: StaffRequest, case_id: int) -> HttpResponse:
    """Add a planned support entry: description, target date, lead, status."""
    case = selectors.support_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    if request.method == "GET" and (refused := refuse_if_closed(request, case)):
        return refused
    form = _form(request)
    if form.is_bound and form.is_valid():
        try:
            services.plan_add(
                firm=request.firm,
                actor=request.user,
                case=case,
                data=services.PlanData(**form.cleaned_data),
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Planned support added.")
            return redirect(_back(case))
    return _render(request, case, form, None)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def plan_edit(request: StaffRequest, plan_id: int) -> HttpResponse:
    """Change a planned support entry (the same form, pre-filled)."""
    plan = selectors.plan_get(
        firm=request.firm, plan_id=plan_id, principal=request.principal
    )
    if request.method == "GET" and (refused := refuse_if_closed(request, plan.case)):
        return refused
    form = _form(request, plan.lead_id, initial=PlanForm.initial_for(plan))
    if form.is_bound and form.is_valid():
        try:
            services.plan_update(
                firm=request.firm,
                actor=request.user,
                plan=plan,
                data=services.PlanData(**form.cleaned_data),
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Planned support saved.")
            return redirect(_back(plan.case))
    return _render(request, plan.case, form, plan)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def plan_delete(request: StaffRequest, plan_id: int) -> HttpResponse:
    """Ask to confirm (GET), then delete a planned support entry (POST)."""
    plan = selectors.plan_get(
        firm=request.firm, plan_id=plan_id, principal=request.principal
    )
    case = plan.case
    if request.method == "GET":
        refused = refuse_if_closed(request, case)
        context = {"case": case, "plan": plan}
        return refused or TemplateResponse(request, "support/plan_delete.html", context)
    try:
        services.plan_delete(firm=request.firm, actor=request.user, plan=plan)
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        messages.success(request, f"Planned support deleted: {plan.description}")
    return redirect(_back(case))
