"""Client needs and desired outcomes on a support case's page (SPEC I4).

Each form posts here; an htmx request gets its section back (the box emptied
and focused after an add, or keeping the text with the error), a plain post
a redirect to the section with a message.
"""

from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpResponse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from crm.core.exceptions import ApplicationError
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.support import selectors, services
from crm.support.choices import ItemKind
from crm.support.forms_sections import AchievedForm, ItemForm
from crm.support.views.detail import section_response


def _message(exc: ApplicationError | ValidationError) -> str:
    if isinstance(exc, ApplicationError):
        return exc.message
    return " ".join(exc.messages)


@require_POST
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.EDIT_CASES, module="support")
def item_add(request: StaffRequest, case_id: int) -> HttpResponse:
    """Add the need or outcome typed into its section's box."""
    case = selectors.support_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    form = ItemForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Choose a need or an outcome.")
    kind, text = form.cleaned_data["kind"], form.cleaned_data["text"]
    try:
        services.item_add(
            firm=request.firm, actor=request.user, case=case, kind=kind, text=text
        )
    except (ApplicationError, ValidationError) as exc:
        return section_response(
            request, case, kind, text=text, error=_message(exc), autofocus=True
        )
    label = ItemKind(kind).label
    return section_response(
        request, case, kind, message=f"{label} added.", autofocus=True
    )


@require_POST
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.EDIT_CASES, module="support")
def item_remove(request: StaffRequest, item_id: int) -> HttpResponse:
    """Remove a need or an outcome (its remove button)."""
    item = selectors.support_item_get(
        firm=request.firm, item_id=item_id, principal=request.principal
    )
    case, kind = item.case, item.kind
    try:
        services.item_remove(firm=request.firm, actor=request.user, item=item)
    except (ApplicationError, ValidationError) as exc:
        return section_response(request, case, kind, alert=_message(exc))
    label = ItemKind(kind).label
    message = f"{label} removed: {item.text}"
    return section_response(request, case, kind, message=message, autofocus=True)


@require_POST
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.EDIT_CASES, module="support")
def outcome_achieved(request: StaffRequest, item_id: int) -> HttpResponse:
    """Mark a desired outcome achieved on a date, or (no date) not achieved."""
    item = selectors.support_item_get(
        firm=request.firm, item_id=item_id, principal=request.principal
    )
    form = AchievedForm(request.POST)
    if not form.is_valid():
        alert = "Enter the date achieved as a valid date."
        return section_response(request, item.case, item.kind, alert=alert)
    achieved_on = form.achieved_date()
    try:
        services.outcome_set_achieved(
            firm=request.firm, actor=request.user, item=item, achieved_on=achieved_on
        )
    except (ApplicationError, ValidationError) as exc:
        return section_response(request, item.case, item.kind, alert=_message(exc))
    done = "achieved" if achieved_on else "marked not achieved"
    message = f"Outcome {done}: {item.text}"
    return section_response(
        request, item.case, item.kind, message=message, autofocus=True
    )
