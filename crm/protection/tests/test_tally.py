"""The policy tally: the services keep it equal to a fresh count of the policies."""

import contextlib
import datetime
import random
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from crm.advice.choices import AdviceKind
from crm.cases.models import Case
from crm.cases.services import case_update
from crm.core import demo, rollups
from crm.core.exceptions import ApplicationError
from crm.firms.choices import Role
from crm.firms.tests.factories import IntroducerFactory, MembershipFactory
from crm.protection import services
from crm.protection.choices import PolicyStatus, PremiumFrequency
from crm.protection.models import Policy
from crm.protection.quotes import Quote
from crm.protection.tally import services as tally
from crm.protection.tally.models import KEY, PolicyTally
from crm.protection.tests.factories import make_policy, protection_case
from crm.reports import selectors
from crm.reports.selectors.base import ReportQuery

pytestmark = pytest.mark.django_db
START = datetime.datetime(2025, 11, 20, 10, tzinfo=datetime.UTC)
PROVIDERS = ["Aviva", "Zurich", "Legal & General", "", "Vitality"]
PREMIUMS = [None, Decimal("9.99"), Decimal("18.50"), Decimal("0.01"), Decimal(420)]


@pytest.fixture
def _recount_rollups():
    """Here every row is made through the services: no recount after updates."""
    return


def _stored(firm_ids: list[int]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    rows = PolicyTally.objects.filter(firm_id__in=firm_ids)
    found = {}
    for row in rows:
        measures = (row.n, row.annual, row.priced)
        if any(measures):
            key = tuple(getattr(row, "firm_id" if k == "firm" else k) for k in KEY)
            found[key] = measures
    return found


def _fresh(firm_ids: list[int]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    found = {}
    for firm_id in firm_ids:
        for key, measures in tally.tally_counts(Policy, firm_id).items():
            if any(measures):
                found[(firm_id, *key)] = tuple(measures)
    return found


def _data(rng: random.Random) -> services.PolicyData:
    return services.PolicyData(
        provider=rng.choice(PROVIDERS),
        premium=rng.choice(PREMIUMS),
        premium_frequency=rng.choice(PremiumFrequency.values),
        status=rng.choice(PolicyStatus.values),
    )


def _step(rng: random.Random, firm: Any, people: dict[str, list[Any]]) -> None:
    """Make one random change through a service."""
    cases = list(Case.objects.filter(firm=firm, kind=AdviceKind.PROTECTION))
    policies = list(Policy.objects.filter(firm=firm).select_related("case"))
    choice = rng.choice(
        [
            *("case", "add", "add", "quote", "edit", "edit"),
            *("remove", "receive", "owner", "owner"),
        ]
    )
    if choice == "case" or not cases:
        protection_case(
            firm,
            complete=False,
            owner=rng.choice([*people["members"], None]),
            introducer=rng.choice([*people["introducers"], None]),
        )
    elif choice == "add" or (choice != "quote" and not policies):
        data = _data(rng)
        services.policy_add(firm=firm, actor=None, case=rng.choice(cases), data=data)
    elif choice == "quote":
        quote = Quote(
            source="test",
            provider_code="AV",
            provider=rng.choice(PROVIDERS),
            product="Term",
            benefit_type="life",
            amount=Decimal(100000),
            term_years=20,
            cover_basis="level",
            premium=Decimal("12.34"),
        )
        # A top-up is refused: nothing to count.
        with contextlib.suppress(ApplicationError):
            services.quote_select(
                firm=firm,
                actor=None,
                case=rng.choice(cases),
                quote=quote,
                lives_assured="",
            )
    elif choice == "edit":
        policy = rng.choice(policies)
        data = _data(rng)
        # Some edits change one field only: the others keep their values.
        keep = rng.choice(["provider", "premium", "status", None])
        if keep is not None:
            data = services.PolicyData(
                **{
                    **{n: getattr(policy, n) for n in services.FIELDS},
                    keep: getattr(data, keep),
                }
            )
        services.policy_update(firm=firm, actor=None, policy=policy, data=data)
    elif choice == "remove":
        policy = rng.choice(policies)
        try:
            services.policy_remove(firm=firm, actor=None, policy=policy)
        except ApplicationError:
            assert policy.is_active is True
    elif choice == "receive":
        picked = rng.sample(policies, k=min(len(policies), 3))
        services.policies_mark_submitted(
            firm_id=firm.pk, policy_ids=[p.pk for p in picked]
        )
    else:
        case = rng.choice(cases)
        case_update(
            firm=firm,
            actor=None,
            case=case,
            owner=rng.choice([*people["members"], None]),
            follow_up_date=None,
            note=case.note,
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_services_keep_the_tally_equal_to_a_fresh_count(other_firm, firm, seed):
    """After random adds, quotes, edits, removals, partner receipts and owner
    changes spread over months, the stored rows equal a fresh GROUP BY."""
    rng = random.Random(seed)  # noqa: S311  (test data)
    people = {
        "members": [
            MembershipFactory(firm=other_firm, role=Role.OWNER).user for _ in range(3)
        ],
        "introducers": [IntroducerFactory(firm=other_firm) for _ in range(2)],
    }
    # Another firm's placed policy: counted apart.
    make_policy(protection_case(firm, complete=False), status=PolicyStatus.ON_RISK)
    for i in range(60):
        # Local days a few apart across four months, some near midnight.
        moment = START + datetime.timedelta(days=2 * i, hours=rng.choice([0, 13]))
        with time_machine.travel(moment, tick=False):
            _step(rng, other_firm, people)
    ids = [other_firm.pk, firm.pk]
    assert _stored(ids) == _fresh(ids)
    placed = Policy.objects.filter(firm=other_firm, status__in=list(tally.PLACED))
    assert placed.exists()
    assert not PolicyTally.objects.filter(n__lt=0).exists()


def _premiums(firm, **filters):
    table = selectors.premiums_report(
        firm=firm, principal=None, query=ReportQuery(**filters)
    )
    return {row.label: row.values for row in table.rows}


def test_an_owner_change_moves_premiums_between_advisers(firm):
    """A case given to another adviser takes its placed policies' counts and
    premiums with it; the firm's totals stay as they were."""
    first, second = (MembershipFactory(firm=firm).user for _ in range(2))
    introducer = IntroducerFactory(firm=firm)
    case = protection_case(firm, complete=False, owner=first, introducer=introducer)
    make_policy(case, premium=Decimal("10.00"), status=PolicyStatus.ON_RISK)
    make_policy(case, premium=Decimal("5.00"), status=PolicyStatus.QUOTED)
    expected = {"Aviva": (0, 1, Decimal("120.00"))}
    assert _premiums(firm, owner_id=first.pk) == expected
    assert _premiums(firm, owner_id=second.pk) == {}

    case_update(
        firm=firm,
        actor=None,
        case=case,
        owner=second,
        follow_up_date=None,
        note="",
    )

    assert _premiums(firm, owner_id=first.pk) == {}
    assert _premiums(firm, owner_id=second.pk) == expected
    both = {"owner_id": second.pk, "introducer_id": introducer.pk}
    assert _premiums(firm, **both) == expected
    assert _premiums(firm, introducer_id=introducer.pk) == expected
    assert _premiums(firm) == expected
    assert _stored([firm.pk]) == _fresh([firm.pk])


def test_a_placed_policy_counts_by_status_with_its_annual_premium(firm, adviser):
    """Submitted and on-risk policies only; monthly premiums twelve times; a
    status change moves the count between statuses; a lapse takes it away."""
    case = protection_case(firm, complete=False, owner=adviser.user)
    policy = make_policy(case, premium=Decimal("18.50"))
    assert not PolicyTally.objects.filter(firm=firm).exists()  # quoted: not counted
    services.policies_mark_submitted(firm_id=firm.pk, policy_ids=[policy.pk])
    rows = PolicyTally.objects.filter(firm=firm, grain=rollups.ALL_TIME, by="a")
    assert [(r.status, r.n, r.annual, r.priced) for r in rows] == [
        ("submitted", 1, Decimal("222.00"), 1)
    ]
    policy.refresh_from_db()
    data = services.PolicyData(
        **{
            **{n: getattr(policy, n) for n in services.FIELDS},
            "status": PolicyStatus.LAPSED,
        }
    )
    services.policy_update(firm=firm, actor=None, policy=policy, data=data)
    assert {r.n for r in rows.all()} == {0}
    assert _stored([firm.pk]) == _fresh([firm.pk]) == {}


def test_an_edit_from_a_stale_copy_counts_the_stored_fields(firm):
    """An edit of the status from a copy read before another edit changed the
    provider moves the counts of what is stored, not of the stale copy."""
    case = protection_case(firm, complete=False)
    policy = make_policy(case, status=PolicyStatus.SUBMITTED)
    stale = Policy.objects.get(pk=policy.pk)
    fields = {n: getattr(policy, n) for n in services.FIELDS}
    services.policy_update(
        firm=firm,
        actor=None,
        policy=policy,
        data=services.PolicyData(**{**fields, "provider": "Zurich"}),
    )
    services.policy_update(
        firm=firm,
        actor=None,
        policy=stale,
        data=services.PolicyData(**{**fields, "status": PolicyStatus.ON_RISK}),
    )
    assert Policy.objects.get(pk=policy.pk).provider == "Zurich"
    assert _stored([firm.pk]) == _fresh([firm.pk])


def test_rebuild_command_repairs_the_tally(firm, other_firm):
    """``rollups_rebuild --only protection`` recomputes rows that went wrong."""
    make_policy(protection_case(firm, complete=False), status=PolicyStatus.ON_RISK)
    make_policy(protection_case(other_firm, complete=False), status="submitted")
    expected = _stored([firm.pk, other_firm.pk])
    assert expected
    PolicyTally.objects.update(n=7, annual=Decimal(1))
    call_command("rollups_rebuild", "--only", "protection")
    assert _stored([firm.pk, other_firm.pk]) == expected


def test_demo_seed_leaves_the_tally_right():
    """The demo writes some rows directly; its end recounts them."""
    demo.seed()
    ids = sorted(set(Policy.objects.values_list("firm_id", flat=True)))
    assert ids
    assert _stored(ids) == _fresh(ids) != {}
