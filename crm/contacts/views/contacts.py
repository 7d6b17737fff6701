"""Clients: list, create (with the duplicate warning), edit, archive, record."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.contacts import rows, selectors, services
from crm.contacts.choices import ContactKind
from crm.contacts.filters import ContactFilterSet
from crm.contacts.forms import OrganisationForm, PersonForm
from crm.contacts.models import Contact
from crm.contacts.selectors.record import client_record
from crm.core import concurrency
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import already_submitted, apply_error
from crm.core.kept_plans import kept_plans
from crm.core.listing import Column, ListSpec, list_context
from crm.core.policies import staff_view
from crm.core.replica import replica_reads
from crm.core.rows import created_at
from crm.core.types import StaffRequest
from crm.firms.choices import Perm

PER_PAGE = 25
SEARCH_LIMIT = 500


CONTACT_LIST = ListSpec(
    id="contact",
    title="Clients",
    caption="Clients and contacts",
    filter_label="Filter clients",
    no_match="No clients match these filters",
    export_url="contacts:contact_export",
    columns=(
        Column("Name", "name", "contacts/contact_list.html#name", draw=rows.name),
        Column("E-mail", attr="email", default="—"),
        Column(
            "Mobile / phone",
            template="contacts/contact_list.html#phone",
            draw=rows.phone,
        ),
        Column("Town", attr="town", default="—"),
        Column(
            "Added",
            "created",
            "contacts/contact_list.html#added",
            classes="nowrap",
            draw=created_at,
        ),
    ),
    empty_template="contacts/contact_list.html#empty",
    no_match_template="contacts/contact_list.html#no_match",
    notice_template="contacts/contact_list.html#notice",
)


@replica_reads
@require_GET
@vary_on_headers("HX-Request")
@staff_view()
def contact_list(request: StaffRequest) -> TemplateResponse:
    """List the firm's clients and contacts with search, filters and sort (B1)."""
    filterset = ContactFilterSet(request.GET or None)
    query = filterset.query()
    page, capped = selectors.contact_page(
        firm=request.firm,
        params=request.GET,
        per_page=PER_PAGE,
        search_limit=SEARCH_LIMIT,
        **query.as_kwargs(),
    )
    context = {
        **list_context(request.GET, spec=CONTACT_LIST, filterset=filterset, page=page),
        "q": query.q,
        "archived": query.archived,
        "capped": capped,
        "search_limit": SEARCH_LIMIT,
        "can_export": request.membership.has_perm(Perm.EXPORT_DATA),
    }
    template = "contacts/contact_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


def _form_class(kind: str) -> type[PersonForm]:
    return OrganisationForm if kind == ContactKind.ORGANISATION else PersonForm


def _organisation_lookup(request: StaffRequest) -> Callable[[int], Contact | None]:
    def lookup(contact_id: int) -> Contact | None:
        return selectors.organisation_get(firm=request.firm, contact_id=contact_id)

    return lookup


def _chosen_organisation(form: PersonForm, contact: Contact | None) -> Contact | None:
    """Return the organisation the picker should show as selected."""
    if form.is_bound:
        value = form.cleaned_data.get("organisation") if form.is_valid() else None
        return value if isinstance(value, Contact) else None
    return contact.organisation if contact is not None else None


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES)
def contact_create(request: StaffRequest) -> HttpResponse:
    """Create a person or organisation; warn about duplicates first (B3)."""
    kind = request.GET.get("kind") or request.POST.get("kind") or ContactKind.PERSON
    form = _form_class(kind)(
        request.POST or None,
        initial={"once": concurrency.new_token()},
        organisation_lookup=_organisation_lookup(request),
    )
    duplicates: list[Contact] = []
    shares_email = False
    if request.method == "POST" and form.is_valid():
        once = form.cleaned_data["once"]
        try:
            # A second post of the same form finds its token spent (A10).
            with transaction.atomic():
                concurrency.spend_token(
                    firm=request.firm, token=once, purpose="contact"
                )
                contact = services.contact_create(
                    firm=request.firm,
                    actor=request.user,
                    allow_duplicate=form.cleaned_data.get("allow_duplicate", False),
                    **form.contact_fields(),
                )
                concurrency.token_result(
                    firm=request.firm, token=once, url=contact.get_absolute_url()
                )
        except concurrency.AlreadySubmitted as exc:
            return already_submitted(request, exc, fallback="contacts:contact_list")
        except services.DuplicateContact as exc:
            duplicates, shares_email = exc.duplicates, exc.shares_email
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{contact.display_name} was added.")
            return redirect(contact)
    return TemplateResponse(
        request,
        "contacts/contact_form.html",
        {
            "form": form,
            "kind": form.kind,
            "duplicates": duplicates,
            "shares_email": shares_email,
            "contact": None,
            "organisation": _chosen_organisation(form, None),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES)
def contact_edit(request: StaffRequest, contact_id: int) -> HttpResponse:
    """Change a contact's details."""
    contact = selectors.contact_get(firm=request.firm, contact_id=contact_id)
    form = _form_class(contact.kind)(
        request.POST or None,
        initial=_form_class(contact.kind).initial_for(contact),
        organisation_lookup=_organisation_lookup(request),
    )
    duplicates: list[Contact] = []
    shares_email = False
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(
                firm=request.firm,
                actor=request.user,
                contact=contact,
                allow_duplicate=form.cleaned_data.get("allow_duplicate", False),
                version=form.cleaned_data["version"],
                **form.contact_fields(),
            )
        except services.DuplicateContact as exc:
            duplicates, shares_email = exc.duplicates, exc.shares_email
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{contact.display_name} was saved.")
            return redirect(contact)
    return TemplateResponse(
        request,
        "contacts/contact_form.html",
        {
            "form": form,
            "kind": contact.kind,
            "duplicates": duplicates,
            "shares_email": shares_email,
            "contact": contact,
            "organisation": _chosen_organisation(form, contact),
        },
    )


@require_POST
@staff_view(perm=Perm.EDIT_CASES)
def contact_set_archived(request: StaffRequest, contact_id: int) -> HttpResponse:
    """Archive or restore a contact (POST ``archived`` is "1" or "0")."""
    contact = selectors.contact_get(firm=request.firm, contact_id=contact_id)
    archived = request.POST.get("archived") == "1"
    services.contact_set_archived(
        firm=request.firm, actor=request.user, contact=contact, archived=archived
    )
    state = "archived" if archived else "restored"
    messages.success(request, f"{contact.display_name} was {state}.")
    return redirect(contact)


@kept_plans
@require_GET
@vary_on_headers("HX-Request")
@staff_view()
def contact_detail(request: StaffRequest, contact_id: int) -> TemplateResponse:
    """The client record: details, leads, tasks, interactions, timeline (B4)."""
    contact = selectors.contact_get(firm=request.firm, contact_id=contact_id)
    context = client_record(
        firm=request.firm,
        contact=contact,
        params=request.GET,
        principal=request.principal,
    )
    template = "contacts/contact_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#timeline"
    else:
        # Each opening of the record is audited (SPEC A7); paging its
        # timeline is not a new viewing.
        services.contact_view_record(
            firm=request.firm, actor=request.user, contact=contact
        )
    return TemplateResponse(request, template, {"contact": contact, **context})
