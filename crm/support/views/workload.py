"""The Workload page (SPEC I13): caseloads and hours per case manager, and the
bulk reassign of cases to another case manager."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.http import parse_id
from crm.core.pagination import paginate
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.support import selectors, services
from crm.support.forms_workload import ReassignForm
from crm.tasks import selectors as task_selectors

PER_PAGE = 25


def _page(request: StaffRequest, form: ReassignForm) -> TemplateResponse:
    today = timezone.localdate()
    monday, sunday = selectors.week_of(today)
    rows = selectors.workload_rows(firm=request.firm, today=today)
    owner_id = parse_id(request.GET.get("owner", ""))
    cases = paginate(
        selectors.workload_case_list(firm=request.firm, owner_id=owner_id),
        params=request.GET,
        per_page=PER_PAGE,
    )
    ticked = {str(v) for v in form["cases"].value() or []}
    context = {
        "rows": rows,
        "week": (monday, sunday),
        "stretched": [r for r in rows if r.state in {"near", "over"}],
        "page": cases,
        "owner_id": owner_id,
        "form": form,
        "ticked": ticked,
    }
    return TemplateResponse(request, "support/workload.html", context)


def _form(request: StaffRequest) -> ReassignForm:
    return ReassignForm(
        request.POST if request.method == "POST" else None,
        members=task_selectors.task_assignee_choices(firm=request.firm),
    )


@require_GET
@staff_view(perm=Perm.MANAGE_MEMBERS, module="support")
def workload(request: StaffRequest) -> TemplateResponse:
    """Show each case manager's open cases and hours this week (I13)."""
    return _page(request, _form(request))


@require_POST
@staff_view(perm=Perm.MANAGE_MEMBERS, module="support")
def workload_reassign(request: StaffRequest) -> HttpResponse:
    """Give the ticked cases to another case manager; each case's history says so."""
    form = _form(request)
    if form.is_valid():
        try:
            moved = services.cases_reassign(
                firm=request.firm,
                actor=request.user,
                case_ids=form.cleaned_data["cases"],
                case_manager=form.cleaned_data["case_manager"],
                reason=form.cleaned_data["reason"],
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            who = form.cleaned_data["case_manager"]
            n = len(moved)
            if n:
                plural = "case" if n == 1 else "cases"
                messages.success(request, f"{n} {plural} given to {who}.")
            else:
                messages.info(request, f"The ticked cases are already {who}'s.")
            query = request.GET.urlencode()
            return redirect(
                reverse("support:workload") + (f"?{query}" if query else "")
            )
    return _page(request, form)
