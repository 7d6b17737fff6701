"""Header search and the contact picker's suggestions (B2)."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from crm.cases import selectors as case_selectors
from crm.contacts import search
from crm.contacts.choices import ContactKind
from crm.core.policies import staff_view
from crm.core.types import StaffRequest

DROPDOWN_LIMIT = 8
PAGE_LIMIT = 50
PICKER_LIMIT = 10


@require_GET
@vary_on_headers("HX-Request")
@staff_view()
def global_search(request: StaffRequest) -> TemplateResponse:
    """Search clients, their leads and cases; htmx gets the grouped dropdown."""
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    limit = DROPDOWN_LIMIT if request.htmx else PAGE_LIMIT
    contacts = search.contact_search(firm=request.firm, q=q, limit=limit)
    leads = search.lead_hits(firm=request.firm, contacts=contacts, limit=limit)
    cases = (
        case_selectors.case_hits(
            firm=request.firm,
            contacts=contacts,
            q=q,
            limit=limit,
            principal=request.principal,
        )
        if request.firm.has_advice
        else []
    )
    template = (
        "contacts/_search_dropdown.html"
        if request.htmx
        else "contacts/search_results.html"
    )
    return TemplateResponse(
        request,
        template,
        {"q": q, "contacts": contacts, "leads": leads, "cases": cases},
    )


@require_GET
@staff_view()
def contact_picker(request: StaffRequest) -> TemplateResponse:
    """Return picker options for contacts matching ``q`` (server-side, limited).

    The picker's input is named ``<field>_q`` so it never clashes with the
    form it sits in; plain ``q`` works too.
    """
    q = request.GET.get("q", "")
    for key in request.GET:
        if key.endswith("_q"):
            q = q or request.GET.get(key, "")
    q = q.replace("\x00", "").strip()[:100]
    kind = request.GET.get("kind", "")
    contacts = search.contact_search(
        firm=request.firm,
        q=q,
        limit=PICKER_LIMIT,
        kind=kind if kind in ContactKind.values else "",
    )
    return TemplateResponse(
        request, "contacts/_picker_options.html", {"q": q, "contacts": contacts}
    )
