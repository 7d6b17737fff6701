"""The case tally: the services keep it equal to a fresh count of the cases."""

import datetime
import random
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from crm.advice.choices import AdviceKind, AdviceStatus
from crm.cases import kinds
from crm.cases.models import Case
from crm.cases.services import case_move, case_reopen, case_update
from crm.cases.services.status import reopen_statuses
from crm.cases.tally import services as tally
from crm.cases.tally.models import KEY, CaseTally
from crm.cases.tests.factories import make_case
from crm.core import demo, rollups
from crm.firms.choices import Role
from crm.firms.tests.factories import IntroducerFactory, MembershipFactory
from crm.leads.models import Lead
from crm.leads.tally import services as lead_tally
from crm.leads.tally.models import KEY as LEAD_KEY
from crm.leads.tally.models import LeadTally
from crm.support import services as support_services
from crm.support.choices import ConcernLevel, SupportKind
from crm.support.tests.factories import make_support_case

pytestmark = pytest.mark.django_db
START = datetime.datetime(2025, 11, 20, 10, tzinfo=datetime.UTC)


def _stored(firm_ids: list[int] | None = None) -> dict[tuple[Any, ...], int]:
    rows = CaseTally.objects.exclude(n=0)
    if firm_ids is not None:
        rows = rows.filter(firm_id__in=firm_ids)
    return {
        tuple(
            getattr(row, f"{name}_id" if name == "firm" else name) for name in KEY
        ): row.n
        for row in rows
    }


def _fresh(firm_ids: list[int]) -> dict[tuple[Any, ...], int]:
    found: dict[tuple[Any, ...], int] = {}
    for firm_id in firm_ids:
        counts = tally.tally_counts(Case, firm_id, tally.kind_details())
        found.update({(firm_id, *key): n for key, n in counts.items() if n})
    return found


def _step(rng: random.Random, firm: Any, people: dict[str, list[Any]]) -> None:
    """Make one random change through a service."""
    cases = list(Case.objects.filter(firm=firm).order_by("pk"))
    choice = rng.choice(
        [
            "create",
            "create",
            "support",
            "move",
            "move",
            "reopen",
            "owner",
            "concern",
            "reassign",
            "support_owner",
        ]
    )
    owner = rng.choice([*people["members"], None])
    if choice == "create" or not cases:
        kind = rng.choice([AdviceKind.MORTGAGE, AdviceKind.PROTECTION])
        make_case(
            firm,
            kind=kind,
            status=rng.choice(kinds.get(kind).start_statuses),
            owner=owner,
            introducer=rng.choice([*people["introducers"], None]),
        )
        return
    support = [c for c in cases if c.kind == SupportKind.SUPPORT and c.is_open]
    manager = rng.choice(people["members"])
    if choice == "support" or (choice in {"concern", "reassign"} and not support):
        make_support_case(firm, manager=manager)
    elif choice == "move":
        case = rng.choice([c for c in cases if c.is_open] or cases)
        moves = sorted(kinds.get(case.kind).moves_from(case.status))
        if moves:
            case_move(
                firm=firm,
                actor=None,
                case=case,
                status=rng.choice(moves),
                reason="Moved on",
            )
    elif choice == "reopen":
        closed = [c for c in cases if not c.is_open]
        if closed:
            case = rng.choice(closed)
            statuses = reopen_statuses(case.kind)
            if statuses:
                case_reopen(
                    firm=firm,
                    actor=None,
                    case=case,
                    reason="Again",
                    status=rng.choice(statuses)[0],
                )
    elif choice == "owner":
        case = rng.choice(cases)
        case_update(
            firm=firm,
            actor=None,
            case=case,
            owner=owner,
            follow_up_date=None,
            note=case.note,
        )
    elif choice == "concern":
        case = rng.choice(support)
        level = rng.choice(
            [v for v in ConcernLevel.values if v != case.support.concern_level]
        )
        support_services.concern_change(
            firm=firm, actor=manager, case=case, level=level, reason="Changed"
        )
    elif choice == "reassign":
        picked = rng.sample(support, k=min(len(support), rng.randint(1, 3)))
        support_services.cases_reassign(
            firm=firm,
            actor=manager,
            case_ids=[c.pk for c in picked],
            case_manager=manager,
            reason="Cover",
        )
    elif choice == "support_owner" and support:
        case = rng.choice(support)
        support_services.support_case_update(
            firm=firm,
            actor=manager,
            case=case,
            data=support_services.SupportCaseData(
                title=case.title, case_manager=manager
            ),
        )


@pytest.mark.parametrize("seed", [1, 2])
def test_services_keep_the_tally_equal_to_a_fresh_count(other_firm, firm, seed):
    """After random creates, moves, closes, reopens, reassignments and concern
    changes spread over months, the stored rows equal a fresh GROUP BY."""
    rng = random.Random(seed)  # noqa: S311  (test data)
    people = {
        "members": [
            MembershipFactory(firm=other_firm, role=Role.OWNER).user for _ in range(3)
        ],
        "introducers": [IntroducerFactory(firm=other_firm) for _ in range(2)],
    }
    make_case(firm)  # another firm's case: counted apart
    for i in range(40):
        # Local days a few apart across four months, some near midnight.
        moment = START + datetime.timedelta(days=2 * i, hours=rng.choice([0, 13]))
        with time_machine.travel(moment, tick=False):
            _step(rng, other_firm, people)
    ids = [other_firm.pk, firm.pk]
    assert _stored(ids) == _fresh(ids)
    assert Case.objects.filter(firm=other_firm, is_open=False).exists()


def test_open_cases_are_counted_for_all_time_by_stage_and_owner(firm, adviser):
    """A case counts once per grain; a move shifts one count between stages."""
    case = make_case(firm, owner=adviser.user)
    rows = CaseTally.objects.filter(firm=firm, fact=tally.OPEN, by=rollups.BY_OWNER)
    assert {(r.grain, r.status, r.owner_key, r.n) for r in rows} == {
        (grain, case.status, adviser.user_id, 1) for grain in "amd"
    }
    first = case.status
    case_move(firm=firm, actor=None, case=case, status="call_back")
    counts = {(r.grain, r.status): r.n for r in rows.all()}
    assert counts[("a", first)] == 0
    assert counts[("a", "call_back")] == 1


def test_rebuild_command_repairs_the_tally(firm, other_firm):
    """``rollups_rebuild`` recomputes rows that went wrong; ``--firm`` limits it."""
    make_case(firm)
    make_case(other_firm)
    expected = _stored()
    CaseTally.objects.update(n=7)
    call_command("rollups_rebuild", "--firm", str(firm.pk))
    assert _stored([firm.pk]) == _fresh([firm.pk])
    assert set(
        CaseTally.objects.filter(firm=other_firm).values_list("n", flat=True)
    ) == {7}
    call_command("rollups_rebuild")
    assert _stored() == expected


def test_demo_seed_leaves_the_tally_right():
    """The demo writes some rows directly; its end recounts them."""
    demo.seed()
    ids = sorted(set(Case.objects.values_list("firm_id", flat=True)))
    assert ids
    assert _stored(ids) == _fresh(ids)
    for firm_id in ids:
        leads = lead_tally.tally_counts(Lead, firm_id)
        assert {
            tuple(getattr(r, name) for name in LEAD_KEY[1:]): r.n
            for r in LeadTally.objects.filter(firm_id=firm_id).exclude(n=0)
        } == {key: n for key, n in leads.items() if n}


def test_range_rows_tile_the_range_exactly(firm):
    """Month rows for whole months and day rows for the partial ends: every day
    of the range once, none outside it."""
    day = datetime.date(2025, 1, 1)
    rows = []
    while day < datetime.date(2027, 1, 1):
        rows.append(
            CaseTally(firm=firm, fact="t", grain="d", by="a", period=day, kind="k", n=1)
        )
        if day.day == 1:
            days = (rollups.next_month(day) - day).days
            rows.append(
                CaseTally(
                    firm=firm, fact="t", grain="m", by="a", period=day, kind="k", n=days
                )
            )
        day += datetime.timedelta(days=1)
    CaseTally.objects.bulk_create(rows)
    first, last = datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)
    rng = random.Random(3)  # noqa: S311  (test data)
    ranges = [
        (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)),
        (datetime.date(2025, 3, 1), datetime.date(2025, 3, 30)),
        (datetime.date(2025, 3, 2), datetime.date(2025, 3, 31)),
        (datetime.date(2025, 3, 15), datetime.date(2025, 3, 15)),
        (datetime.date(2025, 1, 31), datetime.date(2025, 2, 1)),
        (datetime.date(2025, 2, 28), datetime.date(2026, 3, 1)),
        (None, datetime.date(2025, 6, 10)),
        (datetime.date(2026, 11, 5), None),
        (None, None),
    ]
    for _ in range(40):
        a = first + datetime.timedelta(days=rng.randrange(730))
        b = a + datetime.timedelta(days=rng.randrange(400))
        ranges.append((a, min(b, last)))
    for date_from, date_to in ranges:
        q = CaseTally.objects.filter(firm=firm, fact="t")
        got = sum(
            q.filter(rollups.range_q(date_from, date_to)).values_list("n", flat=True)
        )
        lo, hi = date_from or first, date_to or last
        assert got == (hi - lo).days + 1, (date_from, date_to)


def test_a_local_evening_counts_on_its_local_day(firm):
    """Days are local (Europe/London): 23:30 UTC in summer is the next day."""
    with time_machine.travel(
        datetime.datetime(2025, 6, 30, 23, 30, tzinfo=datetime.UTC), tick=False
    ):
        make_case(firm)
        local = timezone.localdate()
    row = CaseTally.objects.get(firm=firm, fact=tally.OPENED, grain="d", by="a")
    assert row.period == local == datetime.date(2025, 7, 1)
    month = CaseTally.objects.get(firm=firm, fact=tally.OPENED, grain="m", by="a")
    assert month.period == datetime.date(2025, 7, 1)


def test_a_zone_a_request_activates_does_not_move_the_day(firm):
    """The tally counts the site's days: a case opened while one zone is active
    and closed while another is keeps its counts on the same day, so the
    stored rows still equal a fresh count and none goes below zero."""
    moment = datetime.datetime(2025, 6, 30, 23, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        with timezone.override("America/New_York"):
            case = make_case(firm, kind=AdviceKind.MORTGAGE)
        with timezone.override("Asia/Tokyo"):
            case_move(
                firm=firm,
                actor=None,
                case=case,
                status=AdviceStatus.NOT_PROCEEDING_WITH,
                reason="Went elsewhere",
            )
    assert _stored([firm.pk]) == _fresh([firm.pk])
    assert not CaseTally.objects.filter(n__lt=0).exists()
    row = CaseTally.objects.get(firm=firm, fact=tally.OPENED, grain="d", by="a")
    assert row.period == datetime.date(2025, 7, 1)
