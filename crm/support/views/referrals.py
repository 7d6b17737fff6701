"""The Referrals queue: New, Accepted, Declined; accept into a case or decline (I11)."""

from collections.abc import Sequence

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.contacts import selectors as contact_selectors
from crm.contacts.models import Contact
from crm.contacts.services.contacts import DuplicateContact
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.forms_errors import apply_error
from crm.core.http import parse_id
from crm.core.listing import Column, ListSpec, list_context
from crm.core.pagination import paginate
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms import selectors as firm_selectors
from crm.firms.choices import Perm
from crm.leads import selectors as lead_selectors
from crm.support import selectors, services
from crm.support.filters import ReferralFilterSet
from crm.support.forms_referrals import ReferralAcceptForm, ReferralDeclineForm
from crm.support.models import Referral

PER_PAGE = 50
LIST_TEMPLATE = "support/referral_list.html"

REFERRAL_LIST = ListSpec(
    id="referral",
    title="Referrals",
    caption="Referrals",
    filter_label="Search referrals",
    no_match="No referrals match this search",
    columns=(
        Column("Person referred", template=f"{LIST_TEMPLATE}#person"),
        Column("Referred by", template=f"{LIST_TEMPLATE}#referrer"),
        Column("Urgency", template=f"{LIST_TEMPLATE}#urgency"),
        Column("Pathway", template=f"{LIST_TEMPLATE}#pathway"),
        Column("Received", template=f"{LIST_TEMPLATE}#received"),
        Column("Outcome", template=f"{LIST_TEMPLATE}#outcome"),
    ),
    empty_template=f"{LIST_TEMPLATE}#empty",
    row_template=f"{LIST_TEMPLATE}#row",
    tabs=(("new", "New"), ("accepted", "Accepted"), ("declined", "Declined")),
)


@require_GET
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.VIEW_ALL_CASES, module="support")
def referral_list(request: StaffRequest) -> HttpResponse:
    """Show the referrals queue, one tab per state, newest first (I11)."""
    filterset = ReferralFilterSet(request.GET or None)
    referrals = selectors.referral_list(
        firm=request.firm, **filterset.query().as_kwargs()
    )
    page = paginate(referrals, params=request.GET, per_page=PER_PAGE)
    form = selectors.referral_form_of(firm=request.firm) or services.referral_form_for(
        firm=request.firm
    )
    context = {
        **list_context(request.GET, spec=REFERRAL_LIST, filterset=filterset, page=page),
        "public_url": request.build_absolute_uri(
            reverse("support_links:referral_form", kwargs={"key": form.key})
        ),
    }
    template = LIST_TEMPLATE
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


def _accept_form(
    request: StaffRequest, duplicates: Sequence[Contact] = ()
) -> ReferralAcceptForm:
    data = request.POST if request.method == "POST" else None
    return ReferralAcceptForm(
        data,
        owners=firm_selectors.member_choices(firm=request.firm, owners_only=True),
        pathways=list(selectors.pathway_choices(firm=request.firm)),
        duplicates=duplicates,
        initial={"case_manager": request.user.pk},
    )


def _detail(
    request: StaffRequest,
    referral: Referral,
    *,
    accept: ReferralAcceptForm | None = None,
    decline: ReferralDeclineForm | None = None,
    status: int = 200,
) -> TemplateResponse:
    context = {
        "referral": referral,
        "accept_form": accept or _accept_form(request),
        "decline_form": decline or ReferralDeclineForm(),
        "can_decide": request.membership.has_perm(Perm.EDIT_CASES),
    }
    return TemplateResponse(
        request, "support/referral_detail.html", context, status=status
    )


@require_GET
@staff_view(perm=Perm.VIEW_ALL_CASES, module="support")
def referral_detail(request: StaffRequest, referral_id: int) -> HttpResponse:
    """Show one referral with its Accept and Decline forms."""
    referral = selectors.referral_get(firm=request.firm, referral_id=referral_id)
    return _detail(request, referral)


def _match(request: StaffRequest) -> tuple[object | None, bool]:
    """Return (the duplicate chosen, whether a new contact was confirmed)."""
    choice = request.POST.get("contact", "")
    if choice == "new":
        return None, True
    contact_id = parse_id(choice)
    if contact_id is None:
        return None, False
    try:
        return contact_selectors.contact_get(
            firm=request.firm, contact_id=contact_id
        ), False
    except NotFound:
        return None, False


@require_POST
@staff_view(perm=Perm.VIEW_ALL_CASES, module="support")
def referral_accept(request: StaffRequest, referral_id: int) -> HttpResponse:
    """Accept a referral into a support case; a possible duplicate asks first."""
    if not request.membership.has_perm(Perm.EDIT_CASES):
        raise PermissionDenied
    referral = selectors.referral_get(firm=request.firm, referral_id=referral_id)
    form = _accept_form(request)
    if not form.is_valid():
        return _detail(request, referral, accept=form, status=400)
    match, create_new = _match(request)
    try:
        manager = lead_selectors.adviser_get(
            firm=request.firm, user_id=form.cleaned_data["case_manager"]
        )
        case = services.referral_accept(
            firm=request.firm,
            actor=request.user,
            referral=referral,
            case_manager=manager,
            pathway=form.pathways.get(form.cleaned_data.get("pathway") or 0),
            match=match,  # type: ignore[arg-type]  # a Contact from contact_get
            create_new=create_new,
        )
    except NotFound:
        form.add_error("case_manager", "Choose a member of this firm.")
        return _detail(request, referral, accept=form, status=400)
    except DuplicateContact as exc:
        form = _accept_form(request, duplicates=exc.duplicates)
        form.is_valid()
        return _detail(request, referral, accept=form, status=409)
    except (ApplicationError, ValidationError) as exc:
        apply_error(form, exc)
        return _detail(request, referral, accept=form, status=400)
    messages.success(
        request,
        f"Referral accepted: case {case.reference} opened for "
        f"{referral.person_name}. The referrer has been told.",
    )
    return redirect(case)


@require_POST
@staff_view(perm=Perm.VIEW_ALL_CASES, module="support")
def referral_decline(request: StaffRequest, referral_id: int) -> HttpResponse:
    """Decline a referral with a reason; the referrer is e-mailed it."""
    if not request.membership.has_perm(Perm.EDIT_CASES):
        raise PermissionDenied
    referral = selectors.referral_get(firm=request.firm, referral_id=referral_id)
    form = ReferralDeclineForm(request.POST)
    if form.is_valid():
        try:
            services.referral_decline(
                firm=request.firm,
                actor=request.user,
                referral=referral,
                reason=form.cleaned_data["reason"],
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                f"Referral of {referral.person_name} declined. "
                "The referrer has been told.",
            )
            return redirect("support:referral_list")
    return _detail(request, referral, decline=form, status=400)
