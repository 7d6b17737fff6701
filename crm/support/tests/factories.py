"""Factories for support cases, made through the support services."""

import itertools
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from crm.cases.models import Case
from crm.contacts.tests.factories import ContactFactory
from crm.core import principals
from crm.core.testing import principals as principal_logins
from crm.core.testing.isolation import register
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm
from crm.firms.tests.factories import MembershipFactory
from crm.support import services
from crm.support.choices import (
    ConsentMethod,
    ItemKind,
    ReferrerKind,
    ScorePoint,
    Scorer,
    Urgency,
)
from crm.support.models import (
    ExternalService,
    OutcomeScale,
    Pathway,
    PlannedSupport,
    Referral,
    ReferralOut,
    ScoreSet,
    SupportItem,
)


def _manager(firm: Firm) -> Any:
    membership = firm_selectors.owner_membership_qs(firm=firm).first()
    return (membership or MembershipFactory(firm=firm)).user


def make_support_case(
    firm: Firm,
    *,
    beneficiary: Any = None,
    manager: Any = None,
    title: str = "Housing support",
    **data: Any,
) -> Case:
    """Open a support case in ``firm`` (given the Support module) for a new contact."""
    if not firm.has_support:
        firm.has_support = True
        firm.save(update_fields=["has_support"])
    manager = manager or _manager(firm)
    return services.support_case_create(
        firm=firm,
        actor=manager,
        beneficiary=beneficiary or ContactFactory(firm=firm),
        data=services.SupportCaseData(title=title, case_manager=manager, **data),
    )


def make_item(
    case: Case, kind: str = ItemKind.NEED, text: str = "Stable housing"
) -> SupportItem:
    return services.item_add(
        firm=case.firm, actor=_manager(case.firm), case=case, kind=kind, text=text
    )


def make_plan(case: Case, description: str = "Weekly check-in call") -> PlannedSupport:
    return services.plan_add(
        firm=case.firm,
        actor=_manager(case.firm),
        case=case,
        data=services.PlanData(description=description),
    )


def make_link(case: Case, role: str = "GP") -> ExternalService:
    contact = ContactFactory(firm=case.firm)
    return services.service_link(
        firm=case.firm, actor=_manager(case.firm), case=case, contact=contact, role=role
    )


def make_pathway(firm: Firm, name: str = "") -> Pathway:
    name = name or f"Pathway {next(_PATHWAY_NUMBERS)}"
    return Pathway.objects.create(firm=firm, name=name)


_PATHWAY_NUMBERS = itertools.count(1)

register("support:case_id")(lambda firm: make_support_case(firm))
register("item_id")(lambda firm: make_item(make_support_case(firm)))
register("plan_id")(lambda firm: make_plan(make_support_case(firm)))
register("link_id")(lambda firm: make_link(make_support_case(firm)))
register("support:pathway_id")(lambda firm: make_pathway(firm))


_SCALE_NUMBERS = itertools.count(1)


def make_scale(
    firm: Firm, name: str = "", areas: tuple[str, ...] = (), **data: Any
) -> OutcomeScale:
    """Add an outcome scale (1-10 by default) through the service."""
    name = name or f"Scale {next(_SCALE_NUMBERS)}"
    return services.scale_create(
        firm=firm,
        actor=_manager(firm),
        data=services.ScaleData(name=name, areas=areas, **data),
    )


def make_scores(
    case: Case,
    scale: OutcomeScale,
    *,
    value: int = 5,
    point: str = ScorePoint.START,
    scorer: str = Scorer.CASE_MANAGER,
    on: date | None = None,
) -> ScoreSet:
    """Record ``value`` for every area of ``scale`` on ``case``."""
    areas = list(scale.areas.all())
    values: dict[int | None, int] = (
        {a.pk: value for a in areas} if areas else {None: value}
    )
    return services.scores_record(
        firm=case.firm,
        actor=_manager(case.firm),
        case=case,
        scale=scale,
        point=point,
        scorer=scorer,
        recorded_on=on or timezone.localdate(),
        values=values,
    )


def make_score_link(case: Case, scale: OutcomeScale | None = None) -> tuple[Any, str]:
    """Make a scoring link for ``case``'s beneficiary; return it and its token."""
    return services.score_link_create(
        firm=case.firm,
        actor=_manager(case.firm),
        case=case,
        scale=scale or make_scale(case.firm),
        point=ScorePoint.REVIEW,
    )


def referral_data(**overrides: Any) -> services.ReferralData:
    """Return a valid self-referral, with ``overrides``."""
    fields: dict[str, Any] = {
        "referrer_kind": ReferrerKind.SELF,
        "first_name": "Rosa",
        "last_name": "Parkes",
        "email": "rosa@example.org",
        "phone": "07700 900222",
        "needs": "Rent arrears\nHelp with a benefits claim",
        "consent_to_contact": True,
        "urgency": Urgency.SOON,
    }
    return services.ReferralData(**{**fields, **overrides})


def make_referral(firm: Firm, **overrides: Any) -> Referral:
    """Put a referral in ``firm``'s New queue (given the Support module)."""
    if not firm.has_support:
        firm.has_support = True
        firm.save(update_fields=["has_support"])
    return services.referral_submit(firm=firm, data=referral_data(**overrides))


def referral_out_data(case: Case, **overrides: Any) -> services.ReferralOutData:
    """Return valid consent and shared details for a referral out of ``case``."""
    fields: dict[str, Any] = {
        "shared_name": "Ada L.",
        "shared_need": "Food parcels for a family of three",
        "message": "Best reached in the mornings.",
        "consent_purpose": "So the food bank can arrange deliveries",
        "consent_date": timezone.localdate(),
        "consent_taken_by": _manager(case.firm),
        "consent_method": ConsentMethod.VERBAL,
    }
    return services.ReferralOutData(**{**fields, **overrides})


_PARTNER_NUMBERS = itertools.count(1)


def make_referral_out(
    case: Case, *, service: ExternalService | None = None, **overrides: Any
) -> tuple[ReferralOut, str]:
    """Refer ``case``'s beneficiary to a (new) external service; return it, token."""
    if service is None:
        number = next(_PARTNER_NUMBERS)
        partner = ContactFactory(firm=case.firm, email=f"partner{number}@example.org")
        service = services.service_link(
            firm=case.firm,
            actor=_manager(case.firm),
            case=case,
            contact=partner,
            role="Food bank",
        )
    return services.referral_out_create(
        firm=case.firm,
        actor=_manager(case.firm),
        service=service,
        data=referral_out_data(case, **overrides),
    )


register("support:scale_id")(lambda firm: make_scale(firm))
register("support:referral_id")(lambda firm: make_referral(firm))


# The link principals: how to reach each public page of a firm, and what a
# post naming another firm's records looks like there.


def _referral_path(firm: Firm) -> str:
    if not firm.has_support:
        firm.has_support = True
        firm.save(update_fields=["has_support"])
    make_pathway(firm)  # so the form offers pathways, and only the firm's own
    form = services.referral_form_for(firm=firm)
    return reverse("support_links:referral_form", kwargs={"key": form.key})


def _referral_foreign_post(other_firm: Firm) -> dict[str, Any]:
    data = referral_data()
    return {
        "referrer_kind": data.referrer_kind,
        "first_name": data.first_name,
        "last_name": data.last_name,
        "email": data.email,
        "needs": data.needs,
        "urgency": data.urgency,
        "consent_to_contact": "on",
        "pathway": str(make_pathway(other_firm).pk),
    }


def _score_path(firm: Firm) -> str:
    case = make_support_case(firm, beneficiary=ContactFactory(firm=firm, email=""))
    _link, token = make_score_link(case, make_scale(firm, areas=("Money", "Home")))
    return reverse("support_links:score", kwargs={"token": token})


def _score_foreign_post(other_firm: Firm) -> dict[str, Any]:
    scale = make_scale(other_firm, areas=("Money", "Home"))
    return {f"area_{a.pk}": "5" for a in scale.areas.all()}


def _partner_path(firm: Firm) -> str:
    _referral, token = make_referral_out(make_support_case(firm))
    return reverse("support_links:partner", kwargs={"token": token})


def _partner_foreign_post(other_firm: Firm) -> dict[str, Any]:
    # Another firm's referral's current form key: refused, nothing written.
    referral, _token = make_referral_out(make_support_case(other_firm))
    return {"action": "accept", "key": referral.action_key, "text": "Yes"}


principal_logins.register_link(
    principals.PARTNER_LINK, path=_partner_path, foreign_post=_partner_foreign_post
)
principal_logins.register_link(
    principals.REFERRER, path=_referral_path, foreign_post=_referral_foreign_post
)
principal_logins.register_link(
    principals.SCORING_LINK, path=_score_path, foreign_post=_score_foreign_post
)
