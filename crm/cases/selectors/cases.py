"""Reads about cases of every kind: one case, a client's or lead's cases, search.

A case's ``follow_up_state`` ("overdue", "due" today, or "") is a property of
the model, worked out from its loaded columns.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connections, router
from django.db.models import (
    Prefetch,
    QuerySet,
)

from crm.cases import kinds as case_kinds
from crm.cases.models import Case, CaseApplicant, CaseEvent, CaseQuerySet
from crm.cases.policies import (
    case_visibility,
    case_visibility_as,
    child_visibility_of,
)
from crm.contacts.models import Contact
from crm.contacts.search import contact_match_ids, parse
from crm.core.prepared import Prepared
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.leads.models import Lead

SEARCH_LIMIT = 500
# A reference is searched by a prefix, a title by a fragment, of at least
# this many characters.
TITLE_MIN = 3


def applicants_prefetch() -> "Prefetch[str, QuerySet[CaseApplicant], str]":
    return Prefetch(
        "applicants",
        queryset=CaseApplicant.objects.select_related("contact").order_by("position"),
    )


@dataclass(frozen=True)
class CaseSearch:
    """The ids of clients a search matched, and whether the cap cut them off."""

    contact_ids: list[int]
    capped: bool


def case_search(*, firm: Firm, q: str) -> CaseSearch | None:
    """Return the clients matching ``q`` for the Cases list, or None if no search."""
    if parse(q) is None:
        return None
    matches = contact_match_ids(firm=firm, q=q, limit=SEARCH_LIMIT)
    return CaseSearch(contact_ids=matches.ids, capped=matches.capped)


def case_list_for_contact(
    *, firm: Firm, contact: Contact, principal: Principal | None
) -> CaseQuerySet:
    """Return the cases the client is on that ``principal`` may see, newest first."""
    return _for_contact(
        firm_id=firm.pk, contact_id=contact.pk, **child_visibility_of(principal)
    )


def case_rows_for_contact(
    *, firm: Firm, contact: Contact, principal: Principal | None, limit: int
) -> list[Case]:
    """Return the first ``limit`` of ``case_list_for_contact``, compiled once."""
    return _CONTACT_CASES(
        firm_id=firm.pk,
        contact_id=contact.pk,
        limit=limit,
        **child_visibility_of(principal),
    )


def _for_contact(
    *, firm_id: int, contact_id: int, seen: str, viewer_id: int | None = None
) -> CaseQuerySet:
    on_cases = CaseApplicant.objects.filter(firm_id=firm_id, contact_id=contact_id)
    qs = case_visibility_as(
        Case.objects.filter(firm_id=firm_id), seen=seen, viewer_id=viewer_id
    )
    qs = qs.filter(pk__in=on_cases.values("case_id")).select_related("owner")
    return qs.order_by("-created_at", "-id")


def _contact_cases(
    *,
    firm_id: int,
    contact_id: int,
    limit: int,
    seen: str,
    viewer_id: int | None = None,
) -> CaseQuerySet:
    return _for_contact(
        firm_id=firm_id, contact_id=contact_id, seen=seen, viewer_id=viewer_id
    )[:limit]


_CONTACT_CASES = Prepared(Case, _contact_cases, shapes=("limit",))


def case_list_for_lead(
    *, firm: Firm, lead: Lead, principal: Principal | None
) -> CaseQuerySet:
    """Return the lead's cases that ``principal`` may see, newest first."""
    qs = (
        case_visibility(Case.objects.filter(firm=firm), principal)
        .filter(lead=lead)
        .select_related("owner")
    )
    return qs.order_by("-created_at", "-id")


def case_history(*, firm: Firm, case: Case) -> QuerySet[CaseEvent]:
    """Return the case's history events with their actors, newest first."""
    return _history(firm_id=firm.pk, case_id=case.pk)


def _history(*, firm_id: int, case_id: int) -> QuerySet[CaseEvent]:
    return (
        CaseEvent.objects.filter(firm_id=firm_id, case_id=case_id)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


_HISTORY = Prepared(CaseEvent, _history)


def case_history_rows(*, firm: Firm, case: Case) -> list[CaseEvent]:
    """Return ``case_history``'s rows, compiled once (``crm.core.prepared``)."""
    return _HISTORY(firm_id=firm.pk, case_id=case.pk)


def case_hits(
    *,
    firm: Firm,
    contacts: Sequence[Contact],
    q: str,
    limit: int,
    principal: Principal | None = None,
) -> list[Case]:
    """Return cases for the header search: by reference, title, then clients.

    The reference's prefix and the clients' cases are read in one statement,
    each through its own index (the firm's reference btree, the applicants'
    contact index) instead of one OR across a join.
    """
    reference = q.strip().upper()
    if len(reference) < TITLE_MIN:
        reference = ""
    contact_ids = [c.pk for c in contacts]
    found = _hit_ids(
        firm=firm, reference=reference, contact_ids=contact_ids, limit=limit
    )
    titled = [k.value for k in case_kinds.kinds_for(firm) if k.titled]
    if reference and titled and not found and not contacts:
        # Kinds whose cases have titles (support) are also found by a fragment
        # of the title, when the words matched no client and no reference:
        # titles have no fragment index, so a name search never pays for
        # scanning them.
        found = list(
            Case.objects.filter(firm=firm, kind__in=titled, title__icontains=q.strip())
            .order_by()
            .values_list("id", flat=True)[:limit]
        )
    if not found:
        return []
    return list(
        case_visibility(Case.objects.filter(firm=firm, pk__in=found[:limit]), principal)
        .prefetch_related(applicants_prefetch())
        .order_by("-is_open", "-created_at")
    )


def _hit_ids(
    *, firm: Firm, reference: str, contact_ids: list[int], limit: int
) -> list[int]:
    """Return the ids of cases whose reference starts with ``reference``, then
    of the newest cases of ``contact_ids``: up to ``limit`` of each, in one
    statement (bench notes 43).

    A range, not LIKE: SQLite's case-blind LIKE and PostgreSQL's collations
    would both skip the (firm, reference) index. Each part is wrapped in a
    subquery, as SQLite takes no LIMIT in a compound's own parts.
    """
    parts: list[str] = []
    params: list[str | int] = []
    if reference:
        parts.append(
            "SELECT * FROM (SELECT id, 0 AS source FROM cases_case "
            "WHERE firm_id = %s AND reference >= %s AND reference < %s LIMIT %s) AS r"
        )
        params += [firm.pk, reference, reference + "\uffff", limit]
    if contact_ids:
        marks = ", ".join(["%s"] * len(contact_ids))
        parts.append(
            "SELECT * FROM (SELECT case_id, 1 AS source FROM cases_caseapplicant "  # noqa: S608
            f"WHERE firm_id = %s AND contact_id IN ({marks}) "
            "ORDER BY case_id DESC LIMIT %s) AS a"
        )
        params += [firm.pk, *contact_ids, limit]
    if not parts:
        return []
    with connections[router.db_for_read(Case)].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    # By reference first, then the clients' newest cases first.
    rows.sort(key=lambda row: (row[1], -row[0] if row[1] else 0))
    return list(dict.fromkeys(row[0] for row in rows))


def case_follow_up_list(
    *, firm: Firm, owner_id: int | None, due_by: date
) -> CaseQuerySet:
    """Return open cases to follow up by ``due_by``, earliest first (C4)."""
    qs = (
        Case.objects.filter(firm=firm, is_open=True, follow_up_date__lte=due_by)
        .select_related("owner")
        .prefetch_related("applicants__contact")
    )
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs.order_by("follow_up_date", "id")


def recent_activity(
    *, firm: Firm, owner_id: int, since: datetime, limit: int
) -> list[CaseEvent]:
    """Return the newest history events since ``since`` on the owner's open cases.

    For the dashboard (L1): each event comes with its case and actor. The
    firm's events are read newest first (``case_event_recent``) until the
    owner's open cases have given ``limit``.
    """
    return list(
        CaseEvent.objects.filter(
            firm=firm,
            case__owner_id=owner_id,
            case__is_open=True,
            created_at__gte=since,
        )
        .select_related("case", "actor")
        .order_by("-created_at", "-id")[:limit]
    )
