"""Reads of the action log and the portal (SPEC H1-H4).

Staff reads take ``firm`` and the acting ``principal``; portal reads take
``firm`` and ``client`` (the client's contact record) and never return
another client's rows, even on a joint case (STYLE B5).
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django_scopes import scopes_disabled

from crm.advice.choices import AdviceKind
from crm.advice.factfind.models import FactFind
from crm.advice.factfind.selectors import fact_find_list
from crm.cases.models import Case, CaseApplicant
from crm.cases.policies import case_visibility
from crm.cases.selectors.case_read import case_get
from crm.contacts.models import Contact
from crm.core.exceptions import NotFound
from crm.core.prepared import Prepared
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.firms.selectors.members import token_hash
from crm.portal.choices import ActionKind, ActionStatus
from crm.portal.models import (
    ActionUpload,
    PortalAccount,
    PortalInvitation,
    RequestedAction,
)

ADVICE_KINDS = (AdviceKind.MORTGAGE.value, AdviceKind.PROTECTION.value)


def _with_uploads(qs: QuerySet[RequestedAction]) -> QuerySet[RequestedAction]:
    uploads = ActionUpload.objects.select_related("document").order_by("id")
    return qs.prefetch_related(Prefetch("uploads", queryset=uploads))


# Staff


def action_list_for_case(*, firm: Firm, case: Case) -> list[RequestedAction]:
    """Return the case's requested actions, with client and uploads, oldest first.

    Read by SQL compiled once (``crm.core.prepared``); the uploads by the ORM.
    """
    return _CASE_ACTIONS(firm_id=firm.pk, case_id=case.pk)


def _case_actions(*, firm_id: int, case_id: int) -> QuerySet[RequestedAction]:
    qs = RequestedAction.objects.filter(firm_id=firm_id, case_id=case_id)
    return _with_uploads(qs.select_related("contact")).order_by("contact_id", "id")


_CASE_ACTIONS = Prepared(RequestedAction, _case_actions)


def action_get(*, firm: Firm, action_id: int, principal: Principal) -> RequestedAction:
    """Return an action on an advice case ``principal`` may see, or ``NotFound``."""
    cases = case_visibility(
        Case.objects.filter(firm=firm, kind__in=ADVICE_KINDS), principal
    )
    action = (
        RequestedAction.objects.filter(firm=firm, pk=action_id, case__in=cases)
        .select_related("case", "contact")
        .first()
    )
    if action is None:
        raise NotFound
    return action


def invite_case_get(*, firm: Firm, case_id: int, principal: Principal) -> Case:
    """Return an advice case to invite its clients for, or raise ``NotFound``."""
    return case_get(firm=firm, case_id=case_id, principal=principal, kinds=ADVICE_KINDS)


def accounts_for(*, firm: Firm, contacts: list[Contact]) -> dict[int, PortalAccount]:
    """Return the portal accounts of ``contacts``, by contact id (SQL compiled once)."""
    ids = list(dict.fromkeys(c.pk for c in contacts))
    accounts = _ACCOUNTS(firm_id=firm.pk, contact_ids=ids)
    return {a.contact_id: a for a in accounts}


def _accounts(*, firm_id: int, contact_ids: list[int]) -> QuerySet[PortalAccount]:
    return PortalAccount.objects.filter(firm_id=firm_id, contact_id__in=contact_ids)


_ACCOUNTS = Prepared(PortalAccount, _accounts)


def preview_client_get(*, firm: Firm, contact_id: int, principal: Principal) -> Contact:
    """Return a client of the firm's advice cases to preview, or raise ``NotFound``.

    The preview shows every case the client sees, so ``principal`` must be
    able to see all of the client's advice cases (view own cases only).
    """
    advice = Case.objects.filter(firm=firm, kind__in=ADVICE_KINDS)
    visible = case_visibility(advice, principal).values("pk")
    applicants = CaseApplicant.objects.filter(firm=firm)
    contact = (
        Contact.objects.filter(
            firm=firm,
            pk=contact_id,
            pk__in=applicants.filter(case__in=visible).values("contact_id"),
        )
        .exclude(
            pk__in=applicants.filter(case__in=advice.exclude(pk__in=visible)).values(
                "contact_id"
            )
        )
        .first()
    )
    if contact is None:
        raise NotFound
    return contact


# Portal (the client's own rows only)


def portal_case_list(*, firm: Firm, client: Contact) -> list[Case]:
    """Return the client's advice cases, open first then newest first."""
    applicants = CaseApplicant.objects.select_related("contact").order_by("position")
    return list(
        Case.objects.filter(
            firm=firm, kind__in=ADVICE_KINDS, applicants__contact=client
        )
        .select_related("owner")
        .prefetch_related(Prefetch("applicants", queryset=applicants))
        .order_by("-is_open", "-created_at", "-id")
    )


def portal_case_get(*, firm: Firm, client: Contact, case_id: int) -> Case:
    """Return one of the client's own cases, or raise ``NotFound``."""
    case = next(
        (c for c in portal_case_list(firm=firm, client=client) if c.pk == case_id),
        None,
    )
    if case is None:
        raise NotFound
    return case


def portal_action_list(
    *, firm: Firm, client: Contact, case: Case | None = None
) -> list[RequestedAction]:
    """Return the client's own actions (not cancelled ones), open first."""
    qs = (
        RequestedAction.objects.filter(firm=firm, contact=client)
        .exclude(status=ActionStatus.CANCELLED)
        .select_related("case")
    )
    if case is not None:
        qs = qs.filter(case=case)
    actions = list(_with_uploads(qs).order_by("created_at", "id"))
    actions.sort(key=lambda a: not a.is_open)
    return actions


def portal_action_get(
    *, firm: Firm, client: Contact, action_id: int
) -> RequestedAction:
    """Return one of the client's own actions, or raise ``NotFound``."""
    qs = RequestedAction.objects.filter(
        firm=firm, contact=client, pk=action_id
    ).select_related("case")
    action = _with_uploads(qs).first()
    if action is None or action.status == ActionStatus.CANCELLED:
        raise NotFound
    return action


def portal_fact_find_action_get(
    *, firm: Firm, client: Contact, action_id: int
) -> RequestedAction:
    """Return one of the client's own Fact Find actions, or raise ``NotFound``.

    Another client's action (the joint applicant's too), another kind of
    action or a cancelled one is ``NotFound``.
    """
    action = (
        RequestedAction.objects.filter(
            firm=firm,
            contact=client,
            pk=action_id,
            kind=ActionKind.FACT_FIND,
            case__kind__in=ADVICE_KINDS,
        )
        .exclude(status=ActionStatus.CANCELLED)
        .select_related("case")
        .first()
    )
    if action is None:
        raise NotFound
    return action


def portal_fact_find_get(*, firm: Firm, client: Contact) -> FactFind:
    """Return the client's own Fact Find with its rows, or an unsaved empty one."""
    found = fact_find_list(firm=firm, contact_ids=[client.pk])
    return found[0] if found else FactFind(firm=firm, contact=client)


def portal_summary(*, firm: Firm, client: Contact) -> dict[str, Any]:
    """Return the client's cases, each with its own open actions (home page)."""
    cases = portal_case_list(firm=firm, client=client)
    actions = portal_action_list(firm=firm, client=client)
    by_case: dict[int, list[RequestedAction]] = {}
    for action in actions:
        by_case.setdefault(action.case_id, []).append(action)
    return {
        "cases": [(case, by_case.get(case.pk, [])) for case in cases],
        "open_actions": [a for a in actions if a.is_open],
    }


# Public (no firm yet: the token or the e-mail address finds it)


def invitation_for_token(token: str) -> PortalInvitation | None:
    """Return the invitation behind ``token`` (any state), or None."""
    with scopes_disabled():
        return (
            PortalInvitation.objects.select_related("firm", "contact")
            .filter(token_hash=token_hash(token))
            .first()
        )


def accounts_for_email(email: str) -> list[PortalAccount]:
    """Return the active portal accounts with this e-mail, in every firm."""
    with scopes_disabled():
        return list(
            PortalAccount.objects.select_related("firm", "contact").filter(
                email__iexact=email.strip(), is_active=True
            )
        )
