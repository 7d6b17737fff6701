"""Demo support cases at the charity: pathways, external services and sixteen cases.

Every case is written through the support, interaction and task services, so
it has the history, timeline and audit entries a real one would. Cases start
over the last year: opening, closing and reopening run with the services'
clock at the day they happened (``_at``), so the case, its open periods,
history and audit all agree; the history of the smaller steps in between is
dated afterwards by ``Clock``.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from unittest import mock

from django.utils import timezone

from crm.cases.models import Case, CaseEvent
from crm.contacts import services as contact_services
from crm.contacts.choices import ContactKind
from crm.contacts.models import Contact
from crm.firms.choices import Role
from crm.firms.demo import MIXED_FIRM, SUPPORT_FIRM
from crm.firms.models import Firm, InteractionType, Membership, User
from crm.interactions import services as interaction_services
from crm.interactions.choices import InteractionKind
from crm.interactions.models import Interaction
from crm.support import services
from crm.support.choices import (
    ConcernLevel,
    Duration,
    ItemKind,
    OpenWorkChoice,
    PlanStatus,
    SupportKind,
)
from crm.support.demo_text import (
    CLOSE_REASONS,
    CONTENT,
    INTERACTION_NOTES,
    LINK_NOTES,
    OTHER_NOTES,
    REOPEN_NOTES,
    REOPEN_REASONS,
    TASKS,
)
from crm.support.models import Pathway
from crm.tasks import services as task_services
from crm.tasks.choices import TaskPriority

PATHWAYS = ("Housing Support", "Debt Advice", "Mentoring", "Wellbeing")
MANAGERS = ("daniel.hughes@bridge.example", "aisha.rahman@bridge.example")
OWNER = "grace.mensah@bridge.example"
# (organisation, what it is, role on a case); made if the contacts demo did not.
EXTERNAL_SERVICES = (
    ("Riverside Medical Practice", "GP surgery", "GP"),
    ("Easton Family Practice", "GP surgery", "GP"),
    ("Fishponds Law Centre", "Solicitors", "Solicitor"),
    ("Temple Quay Family Law", "Solicitors", "Solicitor"),
    ("Bristol Housing Association", "Housing", "Housing officer"),
    ("Citywide Food Bank", "Food bank", "Food bank"),
)
STARTS = (350, 322, 296, 270, 240, 214, 188, 160, 134, 110, 88, 66, 48, 33, 19, 8)
CLOSED_AT = {3: 120, 7: 40, 11: 9, 14: 2}  # case index: closed this many days ago
REOPENED = 5  # closed 120 days ago, reopened 41 days ago
OWNER_CASES = (8, 15)  # managed by the charity's owner herself
# Per pathway (None: a case without one): why a case closed, why one reopened.
CONCERN_STORIES = {
    1: ((ConcernLevel.HIGH, "Eviction notice received."),),
    5: ((ConcernLevel.URGENT, "Disclosed domestic abuse at the last visit."),),
    9: (
        (ConcernLevel.HIGH, "Missed two appointments and not answering."),
        (ConcernLevel.MEDIUM, "Back in touch; staying with a friend."),
    ),
    12: ((ConcernLevel.HIGH, "Arrears growing again; bailiff letter."),),
}


@dataclass
class Clock:
    """Dates the history a case's steps write to when each step happened."""

    case: Case
    last_event: int = 0
    last_touch: int = 0

    def stamp(self, when: datetime) -> None:
        events = CaseEvent.objects.filter(case=self.case, pk__gt=self.last_event)
        touches = Interaction.objects.filter(
            case=self.case, pk__gt=self.last_touch, kind=InteractionKind.TOUCHPOINT
        )
        ids = list(events.values_list("pk", flat=True))
        touch_ids = list(touches.values_list("pk", flat=True))
        events.update(created_at=when)
        touches.update(occurred_at=when)
        self.last_event = max([self.last_event, *ids])
        self.last_touch = max([self.last_touch, *touch_ids])


@contextmanager
def _at(when: datetime) -> Iterator[None]:
    """Let the services take a step as if it were ``when``.

    So a case closed months ago is closed by ``support_case_close`` itself,
    and its close date, open period, history and audit entry all say when.
    """
    with mock.patch.object(timezone, "now", return_value=when):
        yield


def _note(rng: random.Random, kind: InteractionType) -> str:
    """Return a note that fits the interaction type."""
    return rng.choice(INTERACTION_NOTES.get(kind.name, OTHER_NOTES))


def _pathways(firm: Firm) -> dict[str, Pathway]:
    found = {}
    for name in PATHWAYS:
        pathway = Pathway.objects.filter(firm=firm, name__iexact=name).first()
        found[name] = pathway or Pathway.objects.create(firm=firm, name=name)
    return found


def _organisations(firm: Firm, rng: random.Random) -> dict[str, tuple[Contact, str]]:
    found = {}
    for name, note, role in EXTERNAL_SERVICES:
        contact = Contact.objects.filter(
            firm=firm, kind=ContactKind.ORGANISATION, organisation_name=name
        ).first()
        if contact is None:
            contact = contact_services.contact_create(
                firm=firm,
                actor=None,
                kind=ContactKind.ORGANISATION,
                organisation_name=name,
                email=f"enquiries@{name.split()[0].lower()}.example",
                other_phone=f"0117 496 0{rng.randint(100, 999)}",
                notes=note,
                allow_duplicate=True,
            )
        found[name] = (contact, role)
    return found


def _beneficiaries(firm: Firm, rng: random.Random) -> list[Contact]:
    """Pick a beneficiary per case from the contacts demo's people."""
    people = list(
        Contact.objects.filter(
            firm=firm,
            kind=ContactKind.PERSON,
            is_archived=False,
            organisation__isnull=True,
        ).order_by("id")[:120]
    )
    return rng.sample(people, min(len(people), len(STARTS)))


def _when(start: datetime, end: datetime, share: float) -> datetime:
    """Return a time ``share`` of the way from ``start`` to ``end``, in office hours."""
    moment = timezone.localtime(start + (end - start) * share)
    hour, minute = 9 + int(share * 97) % 8, int(share * 1000) % 4 * 15
    office = moment.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return max(start, min(office, end))


@dataclass
class Setup:
    firm: Firm
    owner: User
    managers: list[User]
    pathways: dict[str, Pathway]
    services: dict[str, tuple[Contact, str]]
    types: list[InteractionType]
    rng: random.Random
    now: datetime


def _case(s: Setup, index: int, beneficiary: Contact) -> None:
    firm, rng, now = s.firm, s.rng, s.now
    name = PATHWAYS[index % len(PATHWAYS)]
    titles, needs, outcomes, plans, service = CONTENT[name]
    manager = s.owner if index in OWNER_CASES else s.managers[index % len(s.managers)]
    other = s.managers[(index + 1) % len(s.managers)]
    start = now - timedelta(days=STARTS[index], hours=rng.randint(0, 6))
    closed_days = CLOSED_AT.get(index) or (120 if index == REOPENED else None)
    end = now - timedelta(days=closed_days) if closed_days else now
    fixed = index % 4 == 2
    start_day = timezone.localdate(start)
    with _at(start):
        case = services.support_case_create(
            firm=firm,
            actor=manager,
            beneficiary=beneficiary,
            data=services.SupportCaseData(
                title=titles[index // len(PATHWAYS) % len(titles)],
                case_manager=manager,
                start_date=start_day,
                duration=Duration.FIXED if fixed else Duration.OPEN_ENDED,
                expected_end_date=start_day + timedelta(days=182) if fixed else None,
                pathway=None if index % 7 == 6 else s.pathways[name],
                note="Referred by the GP surgery." if index % 3 == 0 else "",
            ),
            concern_level=rng.choice([ConcernLevel.LOW, ConcernLevel.MEDIUM]),
        )
    clock = Clock(case)
    clock.stamp(start)
    for text in rng.sample(needs, 2):
        services.item_add(
            firm=firm, actor=manager, case=case, kind=ItemKind.NEED, text=text
        )
    items = [
        services.item_add(
            firm=firm, actor=manager, case=case, kind=ItemKind.OUTCOME, text=text
        )
        for text in rng.sample(outcomes, 2)
    ]
    entries = [
        services.plan_add(
            firm=firm,
            actor=manager,
            case=case,
            data=services.PlanData(
                description=text,
                target_date=timezone.localdate(end) + timedelta(days=offset),
                lead=manager if n == 0 else other,
            ),
        )
        for n, (text, offset) in enumerate(
            zip(rng.sample(plans, 2), (-12, 15), strict=True)
        )
    ]
    gp, gp_role = s.services[EXTERNAL_SERVICES[index % 2][0]]
    links = (
        [s.services[service]]
        if index % 3 == 1
        else [(gp, gp_role), s.services[service]]
    )
    for n, (contact, role) in enumerate(links):
        services.service_link(
            firm=firm,
            actor=manager,
            case=case,
            contact=contact,
            role=role,
            note=LINK_NOTES[(index + n) % len(LINK_NOTES)],
        )
    clock.stamp(_when(start, end, 0.05))
    for n in range(rng.randint(2, 4)):
        kind = rng.choice(s.types)
        interaction_services.interaction_log(
            firm=firm,
            actor=rng.choice([manager, manager, other]),
            occurred_at=_when(start, end, (n + 1) / 5),
            interaction_type=kind,
            notes=_note(rng, kind),
            case=case,
        )
    for n, (level, reason) in enumerate(CONCERN_STORIES.get(index, ())):
        services.concern_change(
            firm=firm, actor=manager, case=case, level=level, reason=reason
        )
        clock.stamp(_when(start, end, 0.3 + n * 0.3))
    progress = PlanStatus.COMPLETE if closed_days else PlanStatus.IN_PROGRESS
    services.plan_update(
        firm=firm,
        actor=manager,
        plan=entries[0],
        data=services.PlanData(
            description=entries[0].description,
            target_date=entries[0].target_date,
            lead=entries[0].lead,
            status=progress if index % 4 else PlanStatus.PLANNED,
        ),
    )
    if closed_days or index % 3 == 0:
        achieved = timezone.localdate(_when(start, end, 0.8))
        services.outcome_set_achieved(
            firm=firm, actor=manager, item=items[0], achieved_on=achieved
        )
    clock.stamp(_when(start, end, 0.8))
    if closed_days:
        _close(s, case, manager, index, clock, end)
    if case.is_open:
        _tasks(s, case, manager, other, index)


def _close(
    s: Setup, case: Case, manager: User, index: int, clock: Clock, end: datetime
) -> None:
    name = None if index % 7 == 6 else PATHWAYS[index % len(PATHWAYS)]
    reasons = CLOSE_REASONS.get(name, CLOSE_REASONS[None])
    with _at(end):
        services.support_case_close(
            firm=s.firm,
            actor=manager,
            case=case,
            reason=reasons[index // len(PATHWAYS) % len(reasons)],
            open_work=OpenWorkChoice.COMPLETE if index % 2 else OpenWorkChoice.CANCEL,
        )
    clock.stamp(end)
    if index != REOPENED:
        return
    back = s.now - timedelta(days=41)
    with _at(back):
        services.support_case_reopen(
            firm=s.firm,
            actor=manager,
            case=case,
            reason=REOPEN_REASONS.get(name, REOPEN_REASONS[None]),
        )
    clock.stamp(back)
    kind = s.types[0]
    interaction_services.interaction_log(
        firm=s.firm,
        actor=manager,
        occurred_at=back + timedelta(days=2),
        interaction_type=kind,
        notes=REOPEN_NOTES.get(kind.name) or _note(s.rng, kind),
        case=case,
    )


def _tasks(s: Setup, case: Case, manager: User, other: User, index: int) -> None:
    today: date = timezone.localdate(s.now)
    for n in range(1 + index % 2):
        title, offset = TASKS[(index + n) % len(TASKS)]
        task_services.task_create(
            firm=s.firm,
            actor=manager,
            title=title,
            description="",
            due_date=today + timedelta(days=offset),
            assignee=manager if n == 0 else other,
            priority=TaskPriority.HIGH if offset < 0 else TaskPriority.NORMAL,
            category=None,
            case=case,
        )


# The mixed firm's one support case: its ``_case`` index (open, recent, no concern
# story), for the client the advice demo gave a mortgage and a protection case.
MIXED_CASE_INDEX = 13


def _seed_mixed(firm: Firm) -> None:
    """Give the firm with both modules one support case, once.

    Its beneficiary is the client with the firm's advice cases, so the client
    record, header search and dashboard show both modules side by side.
    """
    pathways = _pathways(firm)
    if Case.objects.filter(firm=firm, kind=SupportKind.SUPPORT).exists():
        return
    members = list(
        Membership.objects.filter(firm=firm, is_active=True)
        .select_related("user")
        .order_by("role", "user__email")
    )
    owners = [m.user for m in members if m.role == Role.OWNER]
    managers = [m.user for m in members if m.role == Role.ADVISER]
    beneficiary = (
        Contact.objects.filter(firm=firm, case_applicants__isnull=False)
        .order_by("id")
        .first()
    )
    types = list(InteractionType.objects.filter(firm=firm, is_active=True))
    if not owners or not managers or beneficiary is None or not types:
        return
    rng = random.Random(13)  # noqa: S311 - repeatable demo data, not security
    setup = Setup(
        firm=firm,
        owner=owners[0],
        managers=managers,
        pathways=pathways,
        services=_organisations(firm, rng),
        types=types,
        rng=rng,
        now=timezone.now(),
    )
    _case(setup, MIXED_CASE_INDEX, beneficiary)


def seed(firms: dict[str, Firm]) -> None:
    """Create the charity's pathways, services and support cases, once."""
    if MIXED_FIRM in firms:
        _seed_mixed(firms[MIXED_FIRM])
    firm = firms[SUPPORT_FIRM]
    pathways = _pathways(firm)
    if Case.objects.filter(firm=firm, kind=SupportKind.SUPPORT).exists():
        return
    managers = list(User.objects.filter(email__in=MANAGERS).order_by("email"))
    owner = User.objects.filter(email=OWNER).first()
    if not managers or owner is None:
        return
    rng = random.Random(4)  # noqa: S311 - repeatable demo data, not security
    preferred = ("Home visit", "Phone call", "E-mail", "Text message")
    types = list(
        InteractionType.objects.filter(firm=firm, is_active=True, name__in=preferred)
    ) or list(InteractionType.objects.filter(firm=firm, is_active=True))
    if not types:
        return
    types.sort(key=lambda t: preferred.index(t.name) if t.name in preferred else 9)
    setup = Setup(
        firm=firm,
        owner=owner,
        managers=managers,
        pathways=pathways,
        services=_organisations(firm, rng),
        types=types,
        rng=rng,
        now=timezone.now(),
    )
    for index, beneficiary in enumerate(_beneficiaries(firm, rng)):
        _case(setup, index, beneficiary)
