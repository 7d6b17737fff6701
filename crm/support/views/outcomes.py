"""Outcome measurement: the Outcome scales settings, recording scores on a case,
and sending the beneficiary a scoring link (I10)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.http import parse_id
from crm.core.listing import Column, ListSpec, list_context
from crm.core.pagination import paginate
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.firms.forms_lookups import active_flag
from crm.support import selectors, services
from crm.support.filters import ScaleFilterSet
from crm.support.forms_outcomes import ScaleForm, ScoreLinkForm, ScoresForm
from crm.support.models import OutcomeScale
from crm.support.services.score_links import link_url
from crm.support.views.detail import refuse_if_closed

PER_PAGE = 50
LIST_TEMPLATE = "support/scale_list.html"

SCALE_LIST = ListSpec(
    id="scale",
    title="Outcome scales",
    caption="Outcome scales",
    filter_label="Filter outcome scales",
    no_match="No outcome scales match these filters",
    columns=(
        Column("Name", "name", attr="name"),
        Column("Range", template=f"{LIST_TEMPLATE}#range"),
        Column("Areas", template=f"{LIST_TEMPLATE}#areas"),
        Column("Status", "status", f"{LIST_TEMPLATE}#status"),
        Column("Actions", template=f"{LIST_TEMPLATE}#actions", classes="actions"),
    ),
    empty_template=f"{LIST_TEMPLATE}#empty",
    row_template=f"{LIST_TEMPLATE}#row",
)


def _form_data(request: StaffRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.MANAGE_FIRM, module="support")
def scale_list(request: StaffRequest) -> HttpResponse:
    """List the firm's outcome scales, with a form to add one (I10)."""
    form = ScaleForm(_form_data(request))
    if form.is_bound and form.is_valid():
        try:
            scale = services.scale_create(
                firm=request.firm, actor=request.user, data=form.to_data()
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Outcome scale “{scale.name}” added.")
            return redirect("support:scale_list")
    filterset = ScaleFilterSet(request.GET or None)
    scales = selectors.scale_list(firm=request.firm, **filterset.query().as_kwargs())
    page = paginate(scales, params=request.GET, per_page=PER_PAGE)
    context = {
        **list_context(request.GET, spec=SCALE_LIST, filterset=filterset, page=page),
        "add_form": form,
    }
    template = LIST_TEMPLATE
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM, module="support")
def scale_edit(request: StaffRequest, scale_id: int) -> HttpResponse:
    """Rename a scale, or change its range and areas while nothing is scored."""
    scale = selectors.scale_get(firm=request.firm, scale_id=scale_id)
    form = ScaleForm(_form_data(request), initial=ScaleForm.initial_for(scale))
    if form.is_bound and form.is_valid():
        try:
            services.scale_update(
                firm=request.firm, actor=request.user, scale=scale, data=form.to_data()
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
            scale.refresh_from_db(fields=["name"])
        else:
            messages.success(request, f"Outcome scale “{scale.name}” saved.")
            return redirect("support:scale_list")
    context = {"scale": scale, "form": form}
    return TemplateResponse(request, "support/scale_edit.html", context)


@require_POST
@staff_view(perm=Perm.MANAGE_FIRM, module="support")
def scale_set_active(request: StaffRequest, scale_id: int) -> HttpResponse:
    """Archive or restore a scale (POST ``active`` is "1" or "0")."""
    scale = selectors.scale_get(firm=request.firm, scale_id=scale_id)
    active = active_flag(request.POST)
    services.scale_set_active(
        firm=request.firm, actor=request.user, scale=scale, active=active
    )
    state = "restored" if active else "archived"
    messages.success(request, f"Outcome scale “{scale.name}” {state}.")
    return redirect("support:scale_list")


def _chosen_scale(
    request: StaffRequest, scales: list[OutcomeScale]
) -> OutcomeScale | None:
    wanted = parse_id(request.POST.get("scale") or request.GET.get("scale"))
    by_id = {s.pk: s for s in scales}
    if wanted in by_id:
        return by_id[wanted]
    return scales[0] if len(scales) == 1 else None


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def scores_record(request: StaffRequest, case_id: int) -> HttpResponse:
    """Record a set of scores on one scale, at start, review or close (I10)."""
    case = selectors.support_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    if refused := refuse_if_closed(request, case):
        return refused
    scales = selectors.scale_choices(firm=request.firm)
    scale = _chosen_scale(request, scales)
    form = None
    if scale is not None:
        data = request.POST if request.method == "POST" else None
        form = ScoresForm(data, scale=scale)
        if form.is_bound and form.is_valid():
            try:
                services.scores_record(
                    firm=request.firm,
                    actor=request.user,
                    case=case,
                    scale=scale,
                    point=form.cleaned_data["point"],
                    scorer=form.cleaned_data["scorer"],
                    recorded_on=form.cleaned_data["recorded_on"],
                    values=form.values(),
                )
            except (ApplicationError, ValidationError) as exc:
                apply_error(form, exc)
            else:
                messages.success(request, f"Scores on “{scale.name}” recorded.")
                return redirect(f"{case.get_absolute_url()}#outcome-scores")
    context = {"case": case, "scales": scales, "scale": scale, "form": form}
    return TemplateResponse(request, "support/scores_record.html", context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="support")
def score_link_create(request: StaffRequest, case_id: int) -> HttpResponse:
    """Make a single-use link for the beneficiary to give their own scores."""
    case = selectors.support_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    if refused := refuse_if_closed(request, case):
        return refused
    scales = selectors.scale_choices(firm=request.firm)
    scale = _chosen_scale(request, scales)
    form = ScoreLinkForm(request.POST if request.method == "POST" else None)
    context = {"case": case, "scales": scales, "scale": scale, "form": form}
    if form.is_bound and form.is_valid() and scale is not None:
        try:
            link, token = services.score_link_create(
                firm=request.firm,
                actor=request.user,
                case=case,
                scale=scale,
                point=form.cleaned_data["point"],
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            context.update(link=link, url=link_url(token))
    elif form.is_bound and scale is None:
        form.add_error(None, "Choose a scale.")
    return TemplateResponse(request, "support/score_link_create.html", context)
