"""Header search and the contact picker's suggestions (B2)."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from crm.contacts import search
from crm.contacts.choices import ContactKind
from crm.core import sections
from crm.core.policies import staff_view
from crm.core.replica import replica_reads
from crm.core.types import StaffRequest

DROPDOWN_LIMIT = 8
PAGE_LIMIT = 50
PICKER_LIMIT = 10


@replica_reads
@require_GET
@vary_on_headers("HX-Request")
@staff_view()
def global_search(request: StaffRequest) -> TemplateResponse:
    """Search clients and the groups other apps register (leads, cases...).

    htmx gets the grouped dropdown, a plain request the results page.
    """
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    limit = DROPDOWN_LIMIT if request.htmx else PAGE_LIMIT
    contacts = search.contact_search(firm=request.firm, q=q, limit=limit)
    groups = [
        (
            group,
            group.search(
                firm=request.firm,
                q=q,
                contacts=contacts,
                limit=limit,
                principal=request.principal,
            )
            if q
            else [],
        )
        for group in sections.search_groups(firm=request.firm)
    ]
    template = (
        "contacts/_search_dropdown.html"
        if request.htmx
        else "contacts/search_results.html"
    )
    return TemplateResponse(
        request,
        template,
        {
            "q": q,
            "contacts": contacts,
            "groups": groups,
            "any_hits": bool(contacts) or any(hits for _group, hits in groups),
        },
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
