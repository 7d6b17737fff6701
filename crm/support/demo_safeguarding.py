"""Demo workload and safeguarding (SPEC I13, I14), after the support cases demo.

- weekly hours for the charity's case managers, and durations on work due this
  week, so Daniel Hughes is near capacity on the Workload page;
- a High concern case last in touch twelve days ago, whose beneficiary's
  address is marked not safe to contact; the stale-case check has run, so the
  alert is on the dashboards of its case manager and the owner;
- a few logged views of that case.

Written through the services. Idempotent: a firm whose members already have
weekly hours is left alone.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from crm.contacts import services as contact_services
from crm.firms import services as firm_services
from crm.firms.demo import SUPPORT_FIRM
from crm.firms.models import Firm, InteractionType, Membership, User
from crm.interactions import services as interaction_services
from crm.support import selectors, services
from crm.support.choices import ConcernLevel
from crm.support.demo import _at
from crm.tasks import services as task_services
from crm.tasks.choices import TaskPriority

OWNER = "grace.mensah@bridge.example"
BUSY = "daniel.hughes@bridge.example"
HOURS = {
    "grace.mensah@bridge.example": Decimal(10),
    BUSY: Decimal(15),
    "aisha.rahman@bridge.example": Decimal(30),
}
# Daniel's work due this week: 13 of his 15 hours (87%, near capacity).
BUSY_TASKS = (
    ("Prepare the benefits appeal bundle", 240),
    ("Home visit and support plan review", 240),
    ("Write up the housing panel notes", 180),
)
BUSY_PLAN = ("Weekly budgeting session", 120)
STALE_DAYS = 12


def _hours(firm: Firm, owner: User) -> None:
    owner_membership = Membership.objects.get(firm=firm, user=owner)
    for membership in Membership.objects.filter(
        firm=firm, user__email__in=list(HOURS)
    ).select_related("user"):
        firm_services.membership_update(
            firm=firm,
            actor=owner,
            actor_membership=owner_membership,
            membership=membership,
            role=membership.role,
            weekly_hours=HOURS[membership.user.email],
        )


def _busy_week(firm: Firm, busy: User) -> None:
    today = timezone.localdate()
    sunday = today + timedelta(days=6 - today.weekday())
    cases = list(
        selectors.support_case_list(firm=firm, tab="open", owner_id=busy.pk)[:3]
    )
    if not cases:
        return
    for n, (title, minutes) in enumerate(BUSY_TASKS):
        task_services.task_create(
            firm=firm,
            actor=busy,
            title=title,
            description="",
            due_date=min(today + timedelta(days=n), sunday),
            assignee=busy,
            priority=TaskPriority.NORMAL,
            category=None,
            case=cases[n % len(cases)],
            duration_minutes=minutes,
        )
    description, minutes = BUSY_PLAN
    services.plan_add(
        firm=firm,
        actor=busy,
        case=cases[0],
        data=services.PlanData(
            description=description,
            target_date=sunday,
            lead=busy,
            duration_minutes=minutes,
        ),
    )


def _stale_case(firm: Firm, owner: User, manager: User) -> None:
    now = timezone.now()
    person = contact_services.contact_create(
        firm=firm,
        actor=owner,
        allow_duplicate=True,
        kind="person",
        first_name="Jordan",
        last_name="Price",
        mobile="07700 900468",
        address_line1="14 Alder Road",
        town="Bristol",
        postcode="BS5 6QT",
        address_unsafe=True,
        address_unsafe_reason=(
            "Former partner lives here; contact by mobile only, never by post."
        ),
    )
    with _at(now - timedelta(days=30)):
        case = services.support_case_create(
            firm=firm,
            actor=owner,
            beneficiary=person,
            data=services.SupportCaseData(
                title="Safe housing after leaving home", case_manager=manager
            ),
        )
        services.concern_change(
            firm=firm,
            actor=manager,
            case=case,
            level=ConcernLevel.HIGH,
            reason="Disclosed domestic abuse; staying with a friend.",
        )
    kind = InteractionType.objects.filter(firm=firm, is_active=True).first()
    if kind is not None:
        when = now - timedelta(days=STALE_DAYS)
        with _at(when):
            interaction_services.interaction_log(
                firm=firm,
                actor=manager,
                occurred_at=when,
                interaction_type=kind,
                notes="Phoned on her mobile; safe for now. Will call again next week.",
                case=case,
                duration_minutes=20,
            )
    services.stale_cases_check(firm=firm, now=now)
    case = selectors.support_case_get(firm=firm, case_id=case.pk)
    for viewer, hours_ago in ((manager, 30), (owner, 5)):
        services.case_view_log(
            firm=firm, viewer=viewer, case=case, now=now - timedelta(hours=hours_ago)
        )


def seed(firms: dict[str, Firm]) -> None:
    """Give the charity weekly hours, a busy case manager and a stale case, once."""
    firm = firms.get(SUPPORT_FIRM)
    if firm is None:
        return
    owner = User.objects.filter(email=OWNER).first()
    busy = User.objects.filter(email=BUSY).first()
    if owner is None or busy is None:
        return
    if Membership.objects.filter(firm=firm, weekly_hours__isnull=False).exists():
        return
    _hours(firm, owner)
    _busy_week(firm, busy)
    _stale_case(firm, owner, busy)
