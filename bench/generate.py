"""Fill a throw-away database with benchmark data (``manage.py bench_data``).

50 firms: one large firm (at scale 1: 1,000,000 contacts, 100,000 leads,
300,000 cases of every kind, 3,000,000 interactions, 500,000 tasks) and 49
small ones, each with 0.2% of the large firm's rows. Firms, members and
lookups go through the ORM; the big tables through :mod:`bench.loader`.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.utils import timezone
from django_scopes import scopes_disabled

from bench import activity, extras, rows
from bench.loader import LoadStats, Row, Table, analyse, fast_session, load
from bench.pages import support_case_available
from crm.advice.models import MortgageDetails
from crm.cases import kinds
from crm.cases.models import Case, CaseApplicant, CaseEvent, CaseReferenceCounter
from crm.contacts.demo import FIRST, LAST
from crm.contacts.models import Contact, ContactEvent
from crm.core import rollups
from crm.firms.choices import Role
from crm.firms.models import (
    Firm,
    InteractionType,
    Introducer,
    Membership,
    TaskCategory,
    User,
)
from crm.interactions.models import Interaction
from crm.leads.models import Lead
from crm.protection.models import Policy
from crm.support.choices import SupportKind
from crm.tasks.models import Task

LARGE_FIRM = "Bench Large Firm"
SMALL_FIRM = "Bench Firm {:02d}"
BENCH_USER = "bench.owner@large.bench.example"
SMALL_SHARE = 0.002


@dataclass(frozen=True)
class Plan:
    """How many rows the large firm gets; small firms get ``SMALL_SHARE`` of it."""

    contacts: int = 1_000_000
    leads: int = 100_000
    cases: int = 300_000
    interactions: int = 3_000_000
    tasks: int = 500_000
    firms: int = 50
    advisers: int = 40

    @classmethod
    def scaled(cls, scale: float, **overrides: int | None) -> "Plan":
        """Return the full plan times ``scale``, with explicit counts kept as given."""
        full = cls()
        counts: dict[str, Any] = {
            name: max(1, round(getattr(full, name) * scale))
            for name in ("contacts", "leads", "cases", "interactions", "tasks")
        }
        counts["advisers"] = max(
            3, min(full.advisers, round(full.advisers * scale * 10))
        )
        counts["firms"] = full.firms
        counts.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**counts)

    def small(self) -> "Plan":
        def part(n: int, least: int) -> int:
            return max(least, round(n * SMALL_SHARE))

        return Plan(
            contacts=part(self.contacts, 20),
            leads=part(self.leads, 4),
            cases=part(self.cases, 6),
            interactions=part(self.interactions, 40),
            tasks=part(self.tasks, 10),
            firms=1,
            advisers=3,
        )


def bench_firm() -> Firm | None:
    """Return the large bench firm if the database holds bench data."""
    with scopes_disabled():
        return Firm.objects.filter(name=LARGE_FIRM).first()


def matches(plan: Plan) -> bool:
    """Return whether the bench data was made with ``plan`` by this build.

    The first small firm is compared, since runs add clients and cases to the
    large firm; support cases must exist once the build can show them.
    """
    with scopes_disabled():
        first = Firm.objects.filter(name=SMALL_FIRM.format(1)).first()
        large = bench_firm()
        if first is None or large is None:
            return False
        small = Contact.objects.filter(firm=first).count() == plan.small().contacts
        big = Contact.objects.filter(firm=large).count() >= plan.contacts
        support = Case.objects.filter(firm=large, kind=SupportKind.SUPPORT).exists()
        # A fifth of the cases are support ones when the build has them; a tiny
        # plan may draw none.
        stale = _support_enabled() and not support and plan.cases >= 100
        # Data from before the generator wrote protection policies (reports).
        policies = Policy.objects.filter(firm=large).exists() or plan.cases < 100
        # Data from before the generator wrote income lines and complaints.
        income = _model("income", "IncomeLine")
        lines = income is None or income._default_manager.filter(firm=large).exists()
        return small and big and not stale and policies and (lines or plan.cases < 100)


def bench_user() -> User:
    """Return the member the runner logs in as (an owner of the large firm)."""
    return User.objects.get(email=BENCH_USER)


def _support_enabled() -> bool:
    """Return whether support cases can be made and shown in this build."""
    installed = apps.is_installed("crm.support")
    details = _model("support", "SupportDetails") is not None
    return installed and details and support_case_available()


def _model(app: str, name: str) -> type[models.Model] | None:
    try:
        return apps.get_model(app, name)
    except LookupError:
        return None


def _members(firm: Firm, count: int, password: str, owner_email: str = "") -> list[int]:
    slug = f"f{firm.pk}"
    users = [
        User(
            email=f"adviser{i}@{slug}.bench.example",
            first_name=FIRST[i % len(FIRST)],
            last_name=LAST[(i * 7) % len(LAST)],
            password=password,
        )
        for i in range(count)
    ]
    if owner_email:
        users[0].email = owner_email
    User.objects.bulk_create(users)
    created = list(User.objects.filter(email__endswith=f"@{slug}.bench.example"))
    if owner_email:
        created.append(User.objects.get(email=owner_email))
    Membership.objects.bulk_create(
        Membership(
            firm=firm,
            user=user,
            role=Role.OWNER if user.email == owner_email else Role.ADVISER,
        )
        for user in created
    )
    return sorted(user.pk for user in created)


def _lookups(firm: Firm) -> dict[str, list[int]]:
    types = InteractionType.objects.bulk_create(
        InteractionType(firm=firm, name=name)
        for name in ("Phone call", "Meeting", "E-mail", "Video call")
    )
    categories = TaskCategory.objects.bulk_create(
        TaskCategory(firm=firm, name=name) for name in ("Admin", "Compliance", "Sales")
    )
    introducers = Introducer.objects.bulk_create(
        Introducer(firm=firm, name=f"{LAST[i]} Estate Agents") for i in range(5)
    )
    pathway = _model("support", "Pathway")
    if pathway is not None:
        pathway._default_manager.bulk_create(
            pathway(firm=firm, name=name) for name in ("Housing", "Debt", "Wellbeing")
        )
    scale = _model("support", "OutcomeScale")
    scales = []
    if scale is not None:
        scales = scale._default_manager.bulk_create(
            scale(firm=firm, name=name) for name in ("Housing stability", "Wellbeing")
        )
    return {
        "interaction_types": [t.pk for t in types],
        "task_categories": [c.pk for c in categories],
        "introducers": [i.pk for i in introducers],
        "outcome_scales": [s.pk for s in scales],
    }


def _firms(plan: Plan) -> list[tuple[Firm, Plan]]:
    large = Firm.objects.create(name=LARGE_FIRM, has_advice=True, has_support=True)
    firms = [(large, plan)]
    for i in range(1, plan.firms):
        support = i % 5 == 0
        firm = Firm.objects.create(
            name=SMALL_FIRM.format(i), has_advice=True, has_support=support
        )
        firms.append((firm, plan.small()))
    return firms


Factory = Callable[[Table, rows.FirmRefs], Iterator[Row]]


def generate(
    plan: Plan, *, seed: int = 1, log: Callable[[str], None] = print
) -> LoadStats:
    """Create the bench firms and fill them; return rows written per table."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    clock = rows.Clock(now=timezone.now())
    stats = LoadStats()
    support = _support_enabled()
    with scopes_disabled():
        password = make_password(None)
        refs: list[rows.FirmRefs] = []
        plans: dict[int, Plan] = {}
        for firm, part in _firms(plan):
            is_large = firm.name == LARGE_FIRM
            users = _members(
                firm, part.advisers, password, BENCH_USER if is_large else ""
            )
            lookups = _lookups(firm)
            refs.append(
                rows.FirmRefs(
                    firm_id=firm.pk,
                    users=users,
                    interaction_types=lookups["interaction_types"],
                    task_categories=lookups["task_categories"],
                    introducers=lookups["introducers"],
                    outcome_scales=lookups["outcome_scales"],
                    user_names={
                        u.pk: u.full_name for u in User.objects.filter(pk__in=users)
                    },
                )
            )
            plans[firm.pk] = part

        def _p(r: rows.FirmRefs) -> Plan:
            return plans[r.firm_id]

        steps: list[tuple[type[models.Model] | None, Factory]] = [
            (Contact, lambda t, r: rows.contacts(t, r, _p(r).contacts, rng, clock)),
            (Lead, lambda t, r: rows.leads(t, r, _p(r).leads, rng, clock)),
            (
                Case,
                lambda t, r: rows.cases(t, r, _p(r).cases, rng, clock, support=support),
            ),
            (CaseApplicant, rows.applicants),
            (MortgageDetails, lambda t, r: rows.mortgage_details(t, r, rng)),
            (Policy, lambda t, r: activity.policies(t, r, rng, clock)),
            (CaseEvent, lambda t, r: activity.case_events(t, r, clock)),
            (ContactEvent, lambda t, r: activity.contact_events(t, r, clock)),
            (
                Interaction,
                lambda t, r: activity.interactions(
                    t, r, _p(r).interactions, rng, clock
                ),
            ),
            (Task, lambda t, r: activity.tasks(t, r, _p(r).tasks, rng, clock)),
            (
                _model("income", "IncomeLine"),
                lambda t, r: extras.income_lines(t, r, rng, clock),
            ),
            (
                _model("complaints", "Complaint"),
                lambda t, r: extras.complaints(t, r, rng, clock),
            ),
        ]
        if support:
            steps += [
                (
                    _model("support", "SupportDetails"),
                    lambda t, r: activity.support_details(t, r, clock),
                ),
                (
                    _model("support", "OpenPeriod"),
                    lambda t, r: activity.open_periods(t, r, clock),
                ),
                (
                    _model("support", "ScoreSet"),
                    lambda t, r: extras.score_sets(t, r, rng, clock),
                ),
            ]
        with fast_session() as real:
            for model, factory in steps:
                if model is None:
                    continue
                table = Table(model)
                count = load(table, _each(refs, table, factory), stats, real=real)
                took = stats.seconds[table.name]
                log(
                    f"  {table.name:<28} {count:>10,} rows {took:7.1f}s "
                    f"{count / max(took, 1e-9):>10,.0f} rows/s"
                )
        _counters(refs)
        # The rows above bypass the services that keep the reports' summary
        # rows: count them afresh from the base tables.
        written = rollups.rebuild_all([ref.firm_id for ref in refs])
        log(f"  rollups rebuilt: {written}")
        if real:
            analyse()
    return stats


def _each(refs: list[rows.FirmRefs], table: Table, factory: Factory) -> Iterator[Row]:
    for ref in refs:
        yield from factory(table, ref)


def _counters(refs: list[rows.FirmRefs]) -> None:
    """Set each firm's reference counters past the numbers the generator used."""
    CaseReferenceCounter.objects.bulk_create(
        CaseReferenceCounter(firm_id=ref.firm_id, kind=kind, last_number=number)
        for ref in refs
        for kind, number in ref.last_numbers.items()
        if kinds.find(kind) is not None
    )
    complaint = _model("complaints", "Complaint")
    counter = _model("complaints", "ComplaintReferenceCounter")
    if complaint is None or counter is None:
        return
    with scopes_disabled():
        last = complaint._default_manager.values("firm_id").annotate(
            last=models.Max("number")
        )
        counter._default_manager.bulk_create(
            counter(firm_id=row["firm_id"], last_number=row["last"]) for row in last
        )


def database_label() -> str:
    """Return "sqlite" or "postgresql" and the database name, for messages."""
    return f"{connection.vendor} {connection.settings_dict['NAME']}"
