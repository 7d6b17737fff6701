"""Reads about interactions and notes (J2)."""

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from crm.cases.models import Case, CaseApplicant
from crm.cases.policies import (
    case_child_visibility,
    child_visibility_as,
    child_visibility_of,
)
from crm.contacts.models import Contact
from crm.core.prepared import Prepared
from crm.core.principals import Principal
from crm.firms.models import Firm, InteractionType
from crm.interactions.models import Interaction
from crm.leads.models import Lead


def interaction_list_for(
    *,
    firm: Firm,
    principal: Principal | None,
    contact: Contact | None = None,
    lead: Lead | None = None,
    case: Case | None = None,
) -> QuerySet[Interaction]:
    """Return the interactions and notes on a contact, a lead or a case.

    A contact's include its leads' and those of every case it is on (a joint
    applicant's too); a case's are its own only. Newest first, with the type
    and author loaded for each row, and the case for a contact's or a lead's
    (a case's own rows share the case the caller holds); one on a case
    ``principal`` may not see is left out.
    """
    if sum(x is not None for x in (contact, lead, case)) != 1:
        msg = "Pass exactly one of contact, lead or case."
        raise ValueError(msg)
    qs = case_child_visibility(
        Interaction.objects.filter(firm=firm), principal
    ).select_related("interaction_type", "created_by")
    if case is not None:
        qs = qs.filter(case=case)
    elif lead is not None:
        qs = qs.filter(lead=lead)
    else:
        # The client's few case ids as values, not a subquery: with a list,
        # PostgreSQL combines the contact and case indexes; with a subquery
        # it walked the firm's whole table in date order (0.7 s at 3M rows).
        on_cases = list(
            CaseApplicant.objects.filter(firm=firm, contact=contact).values_list(
                "case_id", flat=True
            )
        )
        qs = qs.filter(Q(contact=contact) | Q(case_id__in=on_cases))
    if case is None:
        qs = qs.select_related("case")
    return qs.order_by("-occurred_at", "-id")


def _case_interactions(
    *, firm_id: int, case_id: int, limit: int, seen: str, viewer_id: int | None = None
) -> QuerySet[Interaction]:
    newest = _newest_ids(
        child_visibility_as(
            Interaction.objects.filter(firm_id=firm_id, case_id=case_id),
            seen=seen,
            viewer_id=viewer_id,
        ),
        limit,
    )
    return (
        Interaction.objects.filter(firm_id=firm_id, pk__in=newest)
        .select_related("interaction_type", "created_by")
        .order_by("-occurred_at", "-id")
    )


def _newest_ids(qs: QuerySet[Interaction], limit: int) -> "QuerySet[Interaction, int]":
    """Return the ids of ``qs``'s newest ``limit`` rows, as a subquery.

    The detail pages keep their PostgreSQL plans (``crm.core.kept_plans``),
    and a kept generic plan knows only how many rows an average client or case
    has: joined to the type, author and case, it read and sorted every row of
    a busy one (925 rows: 1.2-1.4 ms warm, 29 ms from disk). Asked alone, the
    newest ids are the first entries of the (firm, contact or case,
    -occurred_at, -id) index whatever the plan; their rows are then joined
    (bench notes 43).
    """
    return qs.order_by("-occurred_at", "-id").values_list("pk", flat=True)[:limit]


_CASE_INTERACTIONS = Prepared(Interaction, _case_interactions, shapes=("limit",))


def case_interaction_rows(
    *, firm: Firm, case: Case, principal: Principal | None, limit: int
) -> list[Interaction]:
    """Return the first ``limit`` of ``interaction_list_for(case=case)``, compiled once.

    The case page's interactions section (``crm.core.prepared``: the same SQL).
    """
    return _CASE_INTERACTIONS(
        firm_id=firm.pk, case_id=case.pk, limit=limit, **child_visibility_of(principal)
    )


# What the client record's list shows (``interactions/_record_interactions.html``)
# of each row, its type, author and case: the case's 30-odd columns and the
# author's account fields were most of the Python cost of reading the rows.
RECORD_FIELDS = (
    "firm_id",
    "kind",
    "occurred_at",
    "notes",
    "duration_minutes",
    "lead_id",
    "interaction_type__name",
    "created_by__first_name",
    "created_by__last_name",
    "case__kind",
    "case__reference",
)


def interaction_recent_for_contact(
    *, firm: Firm, principal: Principal | None, contact: Contact, limit: int
) -> list[Interaction]:
    """Return the newest ``limit`` rows of ``interaction_list_for(contact=...)``.

    Read as two ordered, limited queries merged here: the contact's own rows
    (its index gives their order, so only ``limit`` rows are read; their ids
    are asked first, ``_newest_ids``) and the other rows of the cases it is
    on. In one query the contact-or-case condition follows no index's order:
    PostgreSQL read and sorted every row of an old client, in a parallel plan
    whose start-up cost more than the sort (925 rows: 8.6 ms, now 0.3 ms).
    Each row loads only what the record's list shows (``RECORD_FIELDS``).
    """
    seen = child_visibility_of(principal)
    args = {"firm_id": firm.pk, "contact_id": contact.pk, "limit": limit, **seen}
    own = _RECORD_ROWS(**args, theirs=False)
    others = _RECORD_ROWS(**args, theirs=True)
    rows = sorted([*own, *others], key=lambda i: (i.occurred_at, i.pk), reverse=True)
    return rows[:limit]


def _record_rows(
    *,
    firm_id: int,
    contact_id: int,
    limit: int,
    theirs: bool,
    seen: str,
    viewer_id: int | None = None,
) -> QuerySet[Interaction]:
    """The contact's own rows, or (``theirs``) the other rows of its cases."""
    seen_rows = child_visibility_as(
        Interaction.objects.filter(firm_id=firm_id), seen=seen, viewer_id=viewer_id
    )
    if not theirs:
        newest = _newest_ids(seen_rows.filter(contact_id=contact_id), limit)
        qs = Interaction.objects.filter(firm_id=firm_id, pk__in=newest)
    else:
        on_cases = CaseApplicant.objects.filter(
            firm_id=firm_id, contact_id=contact_id
        ).values("case_id")
        qs = seen_rows.filter(case_id__in=on_cases).exclude(contact_id=contact_id)
    rows = (
        qs.select_related("interaction_type", "created_by", "case")
        .only(*RECORD_FIELDS)
        .order_by("-occurred_at", "-id")
    )
    return rows[:limit]


# Compiled once a process (``crm.core.prepared``).
_RECORD_ROWS = Prepared(Interaction, _record_rows, shapes=("limit",))


def interaction_type_choices(*, firm: Firm) -> QuerySet[InteractionType]:
    """Return the firm's active interaction types, by name, for the type picker."""
    return InteractionType.objects.filter(firm=firm, is_active=True).order_by(
        Lower("name"), "id"
    )
