"""The reports read from the case tally give the tables the live queries gave.

``_live_*`` are the reports as they were before the tally (aggregates over
the cases themselves), kept here as the oracle: for data made through the
services on days spread over months, every filter combination (dates within
and across months, adviser, introducer, both, a member who sees only their
own cases) gives the same table both ways.
"""

import datetime
import random

import pytest
import time_machine
from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth

from crm.advice.selectors import ADVICE_KINDS
from crm.cases import kinds as case_kinds
from crm.cases.models import Case
from crm.cases.policies import case_visibility
from crm.cases.services import case_move, case_reopen, case_update
from crm.cases.services.status import reopen_statuses
from crm.cases.tests.factories import make_case
from crm.firms.choices import Perm, Role
from crm.firms.principals import StaffPrincipal
from crm.firms.tests.factories import IntroducerFactory, MembershipFactory
from crm.reports import selectors
from crm.reports.selectors.advice import _open_stages
from crm.reports.selectors.base import (
    Column,
    ReportQuery,
    Row,
    Table,
    for_people,
    in_range,
    month_label,
    months_of,
    person_label,
)
from crm.support import services as support_services
from crm.support.choices import ConcernLevel, SupportKind
from crm.support.tests.factories import make_support_case

pytestmark = pytest.mark.django_db
START = datetime.datetime(2025, 12, 3, 11, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 4, 10)


@pytest.fixture
def _recount_rollups():
    """Here every row is made through the services: no recount after updates."""
    return


def _live_pipeline(*, firm, principal, query):
    """Return open advice cases by stage (rows) and adviser (columns).

    The date range bounds when the cases were opened.
    """
    visible = case_visibility(
        Case.objects.filter(firm=firm, kind__in=ADVICE_KINDS, is_open=True), principal
    )
    qs = for_people(
        in_range(visible, "created_at", query.date_from, query.date_to), query
    )
    counts = (
        qs.order_by()
        .values(
            "status",
            "owner_id",
            "owner__first_name",
            "owner__last_name",
            "owner__email",
        )
        .annotate(n=Count("id"))
    )
    cells: dict[tuple[str, int | None], int] = {}
    advisers: dict[int | None, str] = {}
    for row in counts:
        cells[row["status"], row["owner_id"]] = row["n"]
        advisers[row["owner_id"]] = person_label(
            row["owner__first_name"], row["owner__last_name"], row["owner__email"]
        )
    order = sorted(advisers, key=lambda pk: (pk is None, advisers[pk].lower()))
    rows = []
    for value, label in _open_stages(firm):
        figures = [cells.get((value, pk), 0) for pk in order]
        rows.append(Row(label, (*figures, sum(figures))))
    totals = [
        sum(cells.get((v, pk), 0) for v, _l in _open_stages(firm)) for pk in order
    ]
    return Table(
        row_heading="Stage",
        columns=(
            *(Column(advisers[pk]) for pk in order),
            Column("Total", chart=True),
        ),
        rows=tuple(rows),
        total=Row("Total", (*totals, sum(totals))),
    )


def _live_cases(*, firm, principal, query: ReportQuery, today: datetime.date):
    """Return cases opened and closed per month, by kind of case.

    A case counts as opened in the month it was created and as closed in the
    month it was closed, whatever its state now.
    """
    span = months_of(query, today=today)
    kinds = case_kinds.kinds_for(firm)
    cases = for_people(
        case_visibility(
            Case.objects.filter(firm=firm, kind__in=[k.value for k in kinds]),
            principal,
        ),
        query,
    ).order_by()
    tallies: dict[str, dict[tuple[datetime.date, str], int]] = {}
    for name in ("created_at", "closed_at"):
        rows = (
            in_range(cases, name, span.date_from, span.date_to)
            .annotate(month=TruncMonth(name, output_field=DateField()))
            .values("month", "kind")
            .annotate(n=Count("id"))
        )
        tallies[name] = {(r["month"], r["kind"]): r["n"] for r in rows}
    opened, closed = tallies["created_at"], tallies["closed_at"]
    lines = []
    for month in span.months:
        figures: list[int] = []
        for kind in kinds:
            figures += [
                opened.get((month, kind.value), 0),
                closed.get((month, kind.value), 0),
            ]
        lines.append(
            Row(month_label(month), (*figures, sum(figures[0::2]), sum(figures[1::2])))
        )
    columns = [
        Column(f"{kind.label} {verb}")
        for kind in kinds
        for verb in ("opened", "closed")
    ]
    if len(kinds) == 1:
        # One kind of case: its columns would repeat the totals.
        columns = []
        lines = [Row(line.label, line.values[2:]) for line in lines]
    width = len(columns) + 2
    total = tuple(sum(int(line.values[i] or 0) for line in lines) for i in range(width))
    return Table(
        row_heading="Month",
        columns=(
            *columns,
            Column("Opened", chart=True),
            Column("Closed", chart=True),
        ),
        rows=tuple(lines),
        total=Row("Total", total),
        note=span.note,
    )


def _live_caseload(*, firm, principal, query: ReportQuery):
    """Return open support cases by case manager and concern level.

    The date range bounds when the cases were opened; support cases have no
    introducer, so that filter does not apply.
    """
    visible = case_visibility(
        Case.objects.filter(firm=firm, kind=SupportKind.SUPPORT, is_open=True),
        principal,
    )
    qs = in_range(visible, "created_at", query.date_from, query.date_to)
    if query.owner_id is not None:
        qs = qs.filter(owner_id=query.owner_id)
    counts = (
        qs.order_by()
        .values("owner_id", "owner__first_name", "owner__last_name", "owner__email")
        .annotate(
            **{
                level: Count("id", filter=Q(support__concern_level=level))
                for level in ConcernLevel.values
            },
            total=Count("id"),
        )
    )
    rows = sorted(
        (
            Row(
                person_label(
                    r["owner__first_name"], r["owner__last_name"], r["owner__email"]
                ),
                (*(r[level] for level in ConcernLevel.values), r["total"]),
            )
            for r in counts
        ),
        key=lambda row: (row.label == "Unassigned", row.label.lower()),
    )
    width = len(ConcernLevel.values) + 1
    return Table(
        row_heading="Case manager",
        columns=(
            *(Column(f"{label} concern") for label in ConcernLevel.labels),
            Column("Open cases", chart=True),
        ),
        rows=tuple(rows),
        total=Row(
            "Total",
            tuple(sum(int(row.values[i] or 0) for row in rows) for i in range(width)),
        ),
    )


def _restricted(firm, user):
    membership = user.memberships.get(firm=firm)
    membership.revoked = [Perm.VIEW_ALL_CASES]
    membership.granted = [Perm.VIEW_OWN_CASES]
    membership.save()
    return StaffPrincipal(membership)


def _make_data(firm, rng):
    members = [MembershipFactory(firm=firm, role=Role.OWNER).user for _ in range(3)]
    introducers = [IntroducerFactory(firm=firm) for _ in range(2)]
    for i in range(45):
        moment = START + datetime.timedelta(days=3 * i, hours=rng.choice([0, 12]))
        with time_machine.travel(moment, tick=False):
            cases = list(Case.objects.filter(firm=firm).order_by("pk"))
            roll = rng.random()
            if roll < 0.4 or not cases:
                kind = rng.choice(sorted(ADVICE_KINDS))
                make_case(
                    firm,
                    kind=kind,
                    status=rng.choice(case_kinds.get(kind).start_statuses),
                    owner=rng.choice([*members, None]),
                    introducer=rng.choice([*introducers, None]),
                )
            elif roll < 0.55:
                case = make_support_case(firm, manager=rng.choice(members))
                if rng.random() < 0.5:
                    support_services.concern_change(
                        firm=firm,
                        actor=members[0],
                        case=case,
                        level=ConcernLevel.HIGH,
                        reason="Worse",
                    )
            elif roll < 0.8:
                case = rng.choice([c for c in cases if c.is_open] or cases)
                moves = sorted(case_kinds.get(case.kind).moves_from(case.status))
                if moves:
                    case_move(
                        firm=firm,
                        actor=None,
                        case=case,
                        status=rng.choice(moves),
                        reason="Moved",
                    )
            elif roll < 0.9:
                closed = [c for c in cases if not c.is_open]
                if closed and reopen_statuses(closed[0].kind):
                    case_reopen(
                        firm=firm,
                        actor=None,
                        case=closed[0],
                        reason="Again",
                        status=reopen_statuses(closed[0].kind)[0][0],
                    )
            else:
                case_update(
                    firm=firm,
                    actor=None,
                    case=rng.choice(cases),
                    owner=rng.choice([*members, None]),
                    follow_up_date=None,
                    note="",
                )
    return members, introducers


def test_tally_reports_match_the_live_queries(other_firm):
    """Pipeline, cases opened and closed, and caseload: same tables, every filter."""
    rng = random.Random(5)  # noqa: S311  (test data)
    members, introducers = _make_data(other_firm, rng)
    assert Case.objects.filter(firm=other_firm, is_open=False).exists()
    ranges = [
        (None, None),
        (datetime.date(2025, 12, 15), None),
        (None, datetime.date(2026, 2, 10)),
        (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)),
        (datetime.date(2025, 12, 20), datetime.date(2026, 3, 5)),
        (datetime.date(2026, 2, 3), datetime.date(2026, 2, 20)),
    ]
    people = [
        (None, None),
        (members[0].pk, None),
        (None, introducers[0].pk),
        (members[1].pk, introducers[1].pk),
    ]
    principals = [None, _restricted(other_firm, members[2])]
    everything = {"firm": other_firm, "principal": None, "query": ReportQuery()}
    assert not selectors.pipeline_report(**everything).is_empty
    assert not selectors.cases_report(**everything, today=TODAY).is_empty
    assert not selectors.caseload_report(**everything).is_empty
    checked = 0
    for date_from, date_to in ranges:
        for owner_id, introducer_id in people:
            query = ReportQuery(date_from, date_to, owner_id, introducer_id)
            for principal in principals:
                args = {"firm": other_firm, "principal": principal, "query": query}
                assert selectors.pipeline_report(**args) == _live_pipeline(**args)
                assert selectors.cases_report(**args, today=TODAY) == _live_cases(
                    **args, today=TODAY
                )
                assert selectors.caseload_report(**args) == _live_caseload(**args)
                checked += 1
    assert checked == 48
