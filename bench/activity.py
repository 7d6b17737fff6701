"""Row factories for activity: interactions, tasks, history events, support details.

Older clients have more history: a contact is drawn with a square-law skew
towards the first ids, so a few records carry long timelines.
"""

import random
from collections.abc import Iterator
from datetime import timedelta

from bench.loader import Row, Table
from bench.rows import NOTES, TASK_TITLES, Clock, FirmRefs
from crm.cases.choices import CaseEventType
from crm.contacts.choices import ContactEventType
from crm.interactions.choices import InteractionKind
from crm.support.choices import SupportKind
from crm.tasks.choices import TaskPriority, TaskStatus


def _skewed(refs: FirmRefs, rng: random.Random) -> int:
    contacts = refs.contacts
    return contacts[int(len(contacts) * rng.random() ** 2)]


def _case_pick(refs: FirmRefs, rng: random.Random) -> tuple[int, int]:
    i = rng.randrange(len(refs.cases))
    return refs.cases[i], refs.case_contacts[i]


def interactions(
    table: Table, refs: FirmRefs, count: int, rng: random.Random, clock: Clock
) -> Iterator[Row]:
    """Yield calls, meetings and notes; a quarter belong to a case when they can."""
    on_cases = table.has("case_id") and len(refs.cases) > 0
    for _ in range(count):
        row: Row = {"id": table.allocate(), "firm_id": refs.firm_id}
        if on_cases and rng.random() < 0.25:
            row["case_id"], row["contact_id"] = _case_pick(refs, rng)
        else:
            row["contact_id"] = _skewed(refs, rng)
        when = clock.past(rng)
        if rng.random() < 0.2:
            row["kind"] = InteractionKind.NOTE
        else:
            row["kind"] = InteractionKind.INTERACTION
            row["interaction_type_id"] = rng.choice(refs.interaction_types)
        row |= {
            "occurred_at": when,
            "notes": rng.choice(NOTES),
            "created_by_id": rng.choice(refs.users),
            "created_at": when,
        }
        yield row


def tasks(
    table: Table, refs: FirmRefs, count: int, rng: random.Random, clock: Clock
) -> Iterator[Row]:
    """Yield tasks: 70% done; open ones due around today; most about a client."""
    on_cases = table.has("case_id") and len(refs.cases) > 0
    for _ in range(count):
        done = rng.random() < 0.7
        assignee = rng.choice(refs.users)
        created = clock.past(rng, 2 * 365)
        row: Row = {
            "id": table.allocate(),
            "firm_id": refs.firm_id,
            "title": rng.choice(TASK_TITLES),
            "due_date": clock.around_today(rng) if rng.random() < 0.9 else None,
            "assignee_id": assignee,
            "priority": rng.choice(TaskPriority.values),
            "status": TaskStatus.DONE if done else TaskStatus.OPEN,
            "category_id": rng.choice(refs.task_categories),
            "completed_at": created + timedelta(days=3) if done else None,
            "completed_by_id": assignee if done else None,
            "created_by_id": rng.choice(refs.users),
            "created_at": created,
        }
        pick = rng.random()
        if on_cases and pick < 0.2:
            row["case_id"], row["contact_id"] = _case_pick(refs, rng)
        elif pick < 0.9:
            row["contact_id"] = _skewed(refs, rng)
        if len(refs.leads) and pick > 0.9:
            i = rng.randrange(len(refs.leads))
            row["lead_id"], row["contact_id"] = refs.leads[i], refs.lead_contacts[i]
        yield row


def case_events(table: Table, refs: FirmRefs, clock: Clock) -> Iterator[Row]:
    """Yield each case's "created" history event."""
    for case_id in refs.cases:
        yield {
            "id": table.allocate(),
            "firm_id": refs.firm_id,
            "case_id": case_id,
            "type": CaseEventType.CREATED,
            "parameters": {"bench": True},
            "actor_id": refs.users[case_id % len(refs.users)],
            "created_at": clock.now - timedelta(days=case_id % 1000),
        }


def contact_events(table: Table, refs: FirmRefs, clock: Clock) -> Iterator[Row]:
    """Yield a "case opened" timeline event for each case's main client."""
    kind = CaseEventType.CREATED
    event = getattr(ContactEventType, "CASE_CREATED", ContactEventType.UPDATED)
    for case_id, contact_id in zip(refs.cases, refs.case_contacts, strict=True):
        yield {
            "id": table.allocate(),
            "firm_id": refs.firm_id,
            "contact_id": contact_id,
            "type": event,
            "summary": f"Case {case_id} {kind}",
            "actor_id": refs.users[case_id % len(refs.users)],
            "created_at": clock.now - timedelta(days=case_id % 1000),
        }


def support_details(table: Table, refs: FirmRefs, clock: Clock) -> Iterator[Row]:
    """Yield the details row of each support case (other columns get defaults)."""
    for case_id, kind in zip(refs.cases, refs.case_kinds, strict=True):
        if kind == SupportKind.SUPPORT:
            yield {
                "id": table.allocate(),
                "firm_id": refs.firm_id,
                "case_id": case_id,
                "start_date": (clock.now - timedelta(days=case_id % 700)).date(),
            }


def open_periods(table: Table, refs: FirmRefs, clock: Clock) -> Iterator[Row]:
    """Yield one open period per support case."""
    for case_id, kind in zip(refs.cases, refs.case_kinds, strict=True):
        if kind == SupportKind.SUPPORT:
            opened = clock.now - timedelta(days=case_id % 700)
            yield {
                "id": table.allocate(),
                "firm_id": refs.firm_id,
                "case_id": case_id,
                "opened_at": opened,
            }


PROVIDERS = ("Aviva", "Legal & General", "Royal London", "Vitality", "Zurich", "LV=")
POLICY_STATUSES = ("quoted", "recommended", "submitted", "on_risk", "not_taken_up")


def policies(
    table: Table, refs: FirmRefs, rng: random.Random, clock: Clock
) -> Iterator[Row]:
    """Yield one or two policies per protection case (the premiums report)."""
    for case_id, kind in zip(refs.cases, refs.case_kinds, strict=True):
        if kind != "protection":
            continue
        for _ in range(1 + (case_id % 3 == 0)):
            monthly = rng.random() < 0.9
            yield {
                "id": table.allocate(),
                "firm_id": refs.firm_id,
                "case_id": case_id,
                "provider": rng.choice(PROVIDERS),
                "product": "Term cover",
                "benefit_type": "life",
                "premium": round(rng.uniform(8, 90) * (1 if monthly else 11), 2),
                "premium_frequency": "monthly" if monthly else "annually",
                "status": rng.choice(POLICY_STATUSES),
                "created_at": clock.past(rng, 3 * 365),
            }
