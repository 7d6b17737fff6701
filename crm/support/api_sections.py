"""A support case's needs and desired outcomes (K1, I4); helpers of its parts.

Listed, added, marked achieved and removed through the same services as the
case page, so its rules hold: a closed case is read-only (409
``case_closed``), an outcome is not achieved in the future. Planned support
and external services are in ``api_plans``.
"""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from crm.cases.models import Case
from crm.core.api import (
    Text300,
    principal_of,
    register_lookup,
    require,
    require_module,
    responses,
    user_of,
)
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.permissions import Perm
from crm.firms.models import Firm, User
from crm.support import selectors, services
from crm.support.choices import ItemKind
from crm.support.models import SupportItem

router = Router(tags=["Support cases"])


class NeedOut(Schema):
    """A client need (I4)."""

    id: int
    case_id: int
    text: str
    created_at: datetime


class OutcomeOut(NeedOut):
    """A desired outcome (I4), with the date it was achieved, if it was."""

    achieved_on: date | None


class ItemIn(Schema):
    """The text of a need or an outcome, as typed into its box."""

    text: Text300


class OutcomeUpdateIn(Schema):
    """The date an outcome was achieved, or null for not achieved."""

    achieved_on: date | None


def case_of(request: HttpRequest, support_case_id: int) -> Case:
    principal = require_module(request, "support")
    return selectors.support_case_get(
        firm=principal.firm, case_id=support_case_id, principal=principal
    )


def _item(request: HttpRequest, item_id: int, kind: str) -> SupportItem:
    principal = require_module(request, "support")
    item = selectors.support_item_get(
        firm=principal.firm, item_id=item_id, principal=principal
    )
    if item.kind != kind:
        raise NotFound
    return item


def _need(request: HttpRequest, need_id: int) -> SupportItem:
    return _item(request, need_id, ItemKind.NEED)


def _outcome(request: HttpRequest, outcome_id: int) -> SupportItem:
    return _item(request, outcome_id, ItemKind.OUTCOME)


register_lookup("need_id", _need)
register_lookup("outcome_id", _outcome)


def writer(request: HttpRequest) -> tuple[Firm, User]:
    principal = require(request, Perm.EDIT_CASES)
    require_module(request, "support")
    return principal.firm, user_of(principal)


def renamed(exc: ApplicationError, fields: dict[str, str]) -> ApplicationError:
    """Name the API's field (``lead_id``) in a service's error."""
    if exc.field in fields:
        exc.extra["field"] = fields[exc.field]
    return exc


# Needs and outcomes ------------------------------------------------------------


def _items(request: HttpRequest, support_case_id: int, kind: str) -> list[SupportItem]:
    case = case_of(request, support_case_id)
    return selectors.items_of(firm=principal_of(request).firm, case=case, kind=kind)


def _item_add(
    request: HttpRequest, support_case_id: int, kind: str, text: str
) -> SupportItem:
    firm, actor = writer(request)
    case = case_of(request, support_case_id)
    return services.item_add(firm=firm, actor=actor, case=case, kind=kind, text=text)


@router.get(
    "/cases/{int:support_case_id}/needs",
    operation_id="need_list",
    summary="List a support case's client needs",
    response=responses(200, list[NeedOut]),
)
def need_list(request: HttpRequest, support_case_id: int) -> list[SupportItem]:
    """List the client needs, oldest first."""
    return _items(request, support_case_id, ItemKind.NEED)


@router.post(
    "/cases/{int:support_case_id}/needs",
    operation_id="need_create",
    summary="Add a client need",
    response=responses(201, NeedOut, write=True),
)
def need_create(
    request: HttpRequest, support_case_id: int, data: ItemIn
) -> Status[SupportItem]:
    """Add a need, as the case page's box does (409 on a closed case)."""
    return Status(201, _item_add(request, support_case_id, ItemKind.NEED, data.text))


@router.delete(
    "/needs/{int:need_id}",
    operation_id="need_delete",
    summary="Remove a client need",
    response=responses(204, None, write=True),
)
def need_delete(request: HttpRequest, need_id: int) -> Status[None]:
    """Remove a need; the case's history keeps its text."""
    firm, actor = writer(request)
    services.item_remove(firm=firm, actor=actor, item=_need(request, need_id))
    return Status(204, None)


@router.get(
    "/cases/{int:support_case_id}/outcomes",
    operation_id="outcome_list",
    summary="List a support case's desired outcomes",
    response=responses(200, list[OutcomeOut]),
)
def outcome_list(request: HttpRequest, support_case_id: int) -> list[SupportItem]:
    """List the desired outcomes, oldest first."""
    return _items(request, support_case_id, ItemKind.OUTCOME)


@router.post(
    "/cases/{int:support_case_id}/outcomes",
    operation_id="outcome_create",
    summary="Add a desired outcome",
    response=responses(201, OutcomeOut, write=True),
)
def outcome_create(
    request: HttpRequest, support_case_id: int, data: ItemIn
) -> Status[SupportItem]:
    """Add a desired outcome (409 on a closed case)."""
    item = _item_add(request, support_case_id, ItemKind.OUTCOME, data.text)
    return Status(201, item)


@router.patch(
    "/outcomes/{int:outcome_id}",
    operation_id="outcome_update",
    summary="Mark a desired outcome achieved, or not achieved",
    response=responses(200, OutcomeOut, write=True),
)
def outcome_update(
    request: HttpRequest, outcome_id: int, data: OutcomeUpdateIn
) -> SupportItem:
    """Set the date achieved (not in the future), or null for not achieved."""
    firm, actor = writer(request)
    return services.outcome_set_achieved(
        firm=firm,
        actor=actor,
        item=_outcome(request, outcome_id),
        achieved_on=data.achieved_on,
    )


@router.delete(
    "/outcomes/{int:outcome_id}",
    operation_id="outcome_delete",
    summary="Remove a desired outcome",
    response=responses(204, None, write=True),
)
def outcome_delete(request: HttpRequest, outcome_id: int) -> Status[None]:
    """Remove a desired outcome; the case's history keeps its text."""
    firm, actor = writer(request)
    services.item_remove(firm=firm, actor=actor, item=_outcome(request, outcome_id))
    return Status(204, None)
