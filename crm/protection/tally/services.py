"""Keeping the policy tally: each policy service moves a policy's counts (B2).

A service that changes a policy reads its state as stored with
``locked_states`` (which locks the policy and its case, so that a change of
the case's owner and a policy service wait for each other instead of
counting under an owner the other has just replaced), and after the change
calls ``policies_moved``: the keys of the old state lose the policy, those
of the new gain it, in one upsert in the caller's transaction. A policy
counts only while it is placed (submitted or on risk).

``people_moved`` is the hook the case services run when a case's owner or
introducer changes (``crm.cases.people``); ``rebuild`` recomputes a firm's
rows from the policies (the migration's backfill, the repair command, the
data loaders that bypass the services).
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Case as Conditional
from django.db.models import Count, DecimalField, F, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django_scopes import scopes_disabled

from crm.cases.models import Case
from crm.cases.people import PeopleMove
from crm.core import rollups
from crm.core.rollups import BY_INTRODUCER, BY_OWNER, EVERYONE
from crm.protection.choices import PolicyStatus, PremiumFrequency
from crm.protection.models import Policy
from crm.protection.tally.models import KEY, MEASURES, PolicyTally

PLACED = frozenset({PolicyStatus.SUBMITTED, PolicyStatus.ON_RISK})
BY_BOTH = "x"
# A monthly premium counts this many times in a year.
MONTHS = 12
ZERO = Decimal(0)

Key = tuple[Any, ...]
Deltas = dict[Key, list[Any]]
STORED = (
    "pk",
    "created_at",
    "case__owner_id",
    "case__introducer_id",
    "provider",
    "status",
    "premium",
    "premium_frequency",
)


def annual_of(premium: Decimal | None, frequency: str) -> Decimal:
    """Return a policy's annual premium: a monthly one twelve times, none as 0."""
    if premium is None:
        return ZERO
    return premium * MONTHS if frequency == PremiumFrequency.MONTHLY else premium


@dataclass(frozen=True)
class PolicyState:
    """What the tally knows of one policy (it counts only while placed)."""

    day: datetime.date
    owner: int
    introducer: int
    provider: str
    status: str
    premium: Decimal | None
    frequency: str

    @property
    def counted(self) -> bool:
        """Return whether the policy is placed, so counted."""
        return self.status in PLACED


def state_of(policy: Policy, *, owner: int, introducer: int) -> PolicyState:
    """Return ``policy``'s state on a case of ``owner`` and ``introducer`` (0: none)."""
    return PolicyState(
        day=timezone.localdate(policy.created_at, rollups.zone()),
        owner=owner,
        introducer=introducer,
        provider=policy.provider,
        status=policy.status,
        premium=policy.premium,
        frequency=policy.premium_frequency,
    )


# The policy's fields the tally keeps, by their names in ``PolicyState``.
COUNTED = {
    "provider": "provider",
    "status": "status",
    "premium": "premium",
    "premium_frequency": "frequency",
}


def with_fields(
    state: PolicyState, policy: Policy, fields: Iterable[str]
) -> PolicyState:
    """Return ``state`` with those of ``fields`` it keeps as ``policy`` has them
    (the fields a save writes: the others stay as stored)."""
    return replace(
        state,
        **{COUNTED[name]: getattr(policy, name) for name in fields if name in COUNTED},
    )


def locked_states(
    *,
    firm_id: int,
    policy_ids: Iterable[int],
    statuses: Iterable[str] | None = None,
) -> dict[int, PolicyState]:
    """Lock the policies (of ``statuses`` if given) and their cases; return
    each one's state as stored, by id, in one query."""
    qs = Policy.objects.select_for_update().filter(
        firm_id=firm_id, pk__in=list(policy_ids)
    )
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    found: dict[int, PolicyState] = {}
    for row in qs.order_by("pk").values(*STORED):
        found[row["pk"]] = PolicyState(
            day=timezone.localdate(row["created_at"], rollups.zone()),
            owner=row["case__owner_id"] or 0,
            introducer=row["case__introducer_id"] or 0,
            provider=row["provider"],
            status=row["status"],
            premium=row["premium"],
            frequency=row["premium_frequency"],
        )
    return found


def keys(
    day: datetime.date, owner: int, introducer: int, provider: str, status: str
) -> Iterator[Key]:
    """Yield the keys (after the firm) of a placed policy added on ``day``."""
    for grain, period in rollups.periods(day, all_time=True):
        yield (grain, EVERYONE, period, 0, 0, provider, status)
        yield (grain, BY_OWNER, period, owner, 0, provider, status)
        yield (grain, BY_INTRODUCER, period, 0, introducer, provider, status)
        yield (grain, BY_BOTH, period, owner, introducer, provider, status)


def _add(deltas: Deltas, key: Key, amounts: Sequence[Any], sign: int = 1) -> None:
    found = deltas.setdefault(key, [0, ZERO, 0])
    for i, amount in enumerate(amounts):
        found[i] += sign * amount


def _add_state(deltas: Deltas, firm_id: int, state: PolicyState, sign: int) -> None:
    if not state.counted:
        return
    s = state
    amounts = (1, annual_of(s.premium, s.frequency), int(s.premium is not None))
    for key in keys(s.day, s.owner, s.introducer, s.provider, s.status):
        _add(deltas, (firm_id, *key), amounts, sign)


def policies_moved(
    *,
    firm_id: int,
    changes: Iterable[tuple[PolicyState | None, PolicyState | None]],
) -> int:
    """Move each policy's counts from its old state to its new (None: none),
    in one statement; return the rows sent."""
    deltas: Deltas = {}
    for before, after in changes:
        if before == after:
            continue
        if before is not None:
            _add_state(deltas, firm_id, before, -1)
        if after is not None:
            _add_state(deltas, firm_id, after, 1)
    return rollups.upsert(PolicyTally, KEY, deltas, measures=MEASURES)


def policy_added(*, firm_id: int, policy: Policy) -> int:
    """Count a new policy; only a placed one locks its case to read its people."""
    if policy.status not in PLACED:
        return 0
    people = (
        Case.objects.select_for_update()
        .filter(firm_id=firm_id, pk=policy.case_id)
        .values_list("owner_id", "introducer_id")
        .get()
    )
    after = state_of(policy, owner=people[0] or 0, introducer=people[1] or 0)
    return policies_moved(firm_id=firm_id, changes=[(None, after)])


def _money() -> DecimalField[Decimal, Decimal]:
    return DecimalField(max_digits=18, decimal_places=2)


def _annual_sum() -> Sum:
    """Return the SQL sum of the policies' annual premiums (None: no premium)."""
    return Sum(
        Conditional(
            When(
                premium_frequency=PremiumFrequency.MONTHLY,
                then=F("premium") * Value(Decimal(MONTHS), output_field=_money()),
            ),
            default=F("premium"),
            output_field=_money(),
        ),
        output_field=_money(),
    )


def grouped(
    policies: "models.QuerySet[Any]", *people: str
) -> Iterator[tuple[Any, ...]]:
    """Yield ``(*people, day, provider, status, n, annual, priced)`` for the
    placed ones of ``policies``, grouped in one query (``people``: the
    fields to group by first)."""
    rows = (
        policies.filter(status__in=list(PLACED))
        .order_by()
        .annotate(day=TruncDate("created_at", tzinfo=rollups.zone()))
        .values_list(*people, "day", "provider", "status")
        .annotate(n=Count("id"), annual=_annual_sum(), priced=Count("premium"))
    )
    for *found, annual, priced in rows.iterator():
        yield (*found, annual or ZERO, priced)


def people_moved(*, firm_id: int, moves: list[PeopleMove]) -> int:
    """Move the placed policies of cases whose owner or introducer changed
    (the hook of ``crm.cases.people``, in the case service's transaction,
    which holds the case rows); return the rows sent."""
    by_case: dict[int, list[PeopleMove]] = {}
    for move in moves:
        by_case.setdefault(move.case_id, []).append(move)
    deltas: Deltas = {}
    policies = Policy.objects.filter(firm_id=firm_id, case_id__in=list(by_case))
    for case_id, day, provider, status, *amounts in grouped(policies, "case_id"):
        for m in by_case[case_id]:
            for key in keys(day, m.owner_before, m.introducer_before, provider, status):
                _add(deltas, (firm_id, *key), amounts, -1)
            for key in keys(day, m.owner_after, m.introducer_after, provider, status):
                _add(deltas, (firm_id, *key), amounts)
    return rollups.upsert(PolicyTally, KEY, deltas, measures=MEASURES)


def tally_counts(policy_model: type[models.Model], firm_id: int) -> Deltas:
    """Return a firm's tally computed from its policies in one GROUP BY."""
    counts: Deltas = {}
    policies = policy_model._default_manager.filter(firm_id=firm_id)
    people = ("case__owner_id", "case__introducer_id")
    for owner, introducer, day, provider, status, *amounts in grouped(
        policies, *people
    ):
        for key in keys(day, owner or 0, introducer or 0, provider, status):
            _add(counts, key, amounts)
    return counts


def rebuild_firm(
    *,
    firm_id: int,
    policy_model: type[models.Model],
    tally_model: type[models.Model],
) -> int:
    """Replace a firm's tally rows with a fresh count; return the rows written."""
    return rollups.replace_rows(
        tally_model,
        firm_id=firm_id,
        fields=KEY[1:],
        counts=tally_counts(policy_model, firm_id),
        measures=MEASURES,
    )


def rebuild(firm_ids: Sequence[int] | None = None) -> int:
    """Recompute the tally of ``firm_ids`` (None: every firm with a policy)."""
    with scopes_disabled():
        if firm_ids is None:
            firm_ids = rollups.firms_with(Policy, PolicyTally)
        return sum(
            rebuild_firm(firm_id=firm_id, policy_model=Policy, tally_model=PolicyTally)
            for firm_id in firm_ids
        )
