"""Income pages: the case section, receipts, the Income page, CSV, settings (L3)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from crm.cases.tests.factories import make_case
from crm.firms.choices import Role
from crm.firms.tests.factories import IntroducerFactory, MembershipFactory
from crm.income import selectors, services
from crm.income.choices import IncomeKind
from crm.income.models import IncomeLine
from crm.income.selectors import IncomeQuery
from crm.income.tests.factories import make_line
from crm.protection.choices import PolicyStatus
from crm.protection.tests.factories import make_policy, protection_case

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)
PENNY = Decimal("0.01")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC))


def _book(firm, owner, manager):
    """Lines across two advisers and two introducers (and none): every state."""
    agent, broker = IntroducerFactory(firm=firm), IntroducerFactory(firm=firm)
    services.income_settings_update(
        firm=firm,
        actor=None,
        adviser_share_pct=Decimal(40),
        introducer_share_pct=Decimal(20),
        introducer_shares={broker: Decimal(10)},
    )
    a = make_case(firm, owner=owner.user, introducer=agent)
    b = make_case(firm, owner=manager.user, introducer=broker)
    c = make_case(firm, owner=owner.user)
    make_line(a, amount="500.00", received_on=datetime.date(2026, 5, 1))
    make_line(a, kind="proc_fee", amount="1000.00", expected_on=TODAY)
    make_line(b, amount="300.00", expected_on=datetime.date(2026, 5, 20))  # overdue
    make_line(
        b, kind="proc_fee", amount="800.00", received_on=datetime.date(2026, 6, 1)
    )
    make_line(c, amount="250.00", expected_on=datetime.date(2026, 7, 1))
    case = protection_case(firm, complete=False, owner=manager.user, introducer=broker)
    policy = make_policy(case, status=PolicyStatus.ON_RISK)
    make_line(
        case,
        kind=IncomeKind.COMMISSION,
        amount="960.00",
        received_on=datetime.date(2026, 1, 10),
        policy=policy,
        indemnity_months=48,
    )
    services.policy_clawback(firm=firm, actor=None, policy=policy, ended=TODAY)


def _from_rows(lines):
    """The figures a person would work out from the lines themselves."""
    money = lambda v: Decimal(v).quantize(PENNY)  # noqa: E731
    expected = received = overdue = clawed = adviser = introducer = Decimal(0)
    for line in lines:
        if line.kind == IncomeKind.CLAWBACK:
            clawed += -line.amount
        elif line.written_off_on is None:
            expected += line.amount
        if line.kind != IncomeKind.CLAWBACK and line.received_on is not None:
            received += line.received_amount
        awaited = line.received_on is None and line.written_off_on is None
        if awaited and line.expected_on < TODAY:
            overdue += line.amount
        if line.received_on is not None:
            got = line.received_amount
            introducer += got * line.introducer_share_pct / 100
            adviser += (
                got * (100 - line.introducer_share_pct) * line.adviser_share_pct / 10000
            )
    return tuple(
        money(v) for v in (expected, received, overdue, clawed, adviser, introducer)
    )


def test_income_figures_agree_with_the_rows_and_the_csv(
    firm, owner, manager, owner_client
):
    """SPEC L3 (issue 19 done): page, report and CSV agree with sums of the rows."""
    _book(firm, owner, manager)
    summary = selectors.income_summary(
        firm=firm, principal=None, query=IncomeQuery(), today=TODAY
    )
    lines = list(IncomeLine.objects.filter(firm=firm).select_related("case"))
    assert any(line.kind == IncomeKind.CLAWBACK for line in lines)
    assert summary.total.values() == _from_rows(lines)
    for row in summary.advisers:
        mine = [line for line in lines if line.case.owner_id == row.person_id]
        assert row.values() == _from_rows(mine)
    for row in summary.introducers:
        theirs = [line for line in lines if line.case.introducer_id == row.person_id]
        assert row.values() == _from_rows(theirs)
    assert len(summary.introducers) == 3  # two introducers and "No introducer"

    response = owner_client.get("/income/export/")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    by_name = {(r[0], r[1]): tuple(Decimal(v) for v in r[2:]) for r in rows[1:]}
    assert by_name["Total", "Total"] == summary.total.values()
    for row in summary.advisers:
        assert by_name["Adviser", row.label] == row.values()
    for row in summary.introducers:
        assert by_name["Introducer", row.label] == row.values()

    report = owner_client.get("/reports/income/export/")
    report_rows = list(
        csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig")))
    )
    assert tuple(Decimal(v) for v in report_rows[-1][1:]) == summary.total.values()


def test_date_and_people_filters_narrow_the_figures(firm, owner, manager, owner_client):
    """SPEC L3: lines expected or received between the dates, of one adviser."""
    _book(firm, owner, manager)
    response = owner_client.get(
        f"/income/?date_from=2026-06-01&date_to=2026-06-30&owner={owner.user.pk}"
    )
    summary = response.context["summary"]
    assert [r.label for r in summary.advisers] == [owner.user.full_name]
    assert summary.total.expected == Decimal("1000.00")


def test_a_bad_filter_is_shown_and_the_rest_still_applies(
    firm, owner, manager, owner_client
):
    """A junk date is a field error, not a 500; the typed value is kept."""
    _book(firm, owner, manager)
    response = owner_client.get("/income/?date_from=2026-13-40")
    assert response.status_code == 200
    body = response.content.decode()
    assert "2026-13-40" in body
    assert response.context["form"].errors["date_from"]


def test_income_page_is_empty_before_any_income(owner_client):
    """The page explains where income comes from when there is none."""
    body = owner_client.get("/income/").content.decode()
    assert "No income recorded yet" in body


# Queries: session, user with memberships, members (adviser filter), introducers,
# then the income tally's sums and the names of the people they show (one
# query each: the names were subqueries of the live aggregate, and per summed
# row they pushed PostgreSQL's estimate past its JIT threshold).
@pytest.mark.parametrize("cases", [3, 6])
def test_income_page_query_count_is_constant(
    cases, firm, owner, owner_client, django_assert_num_queries
):
    """SPEC L3: the Income page costs 5 queries however many lines it sums.

    7 before the process kept the filters' member and introducer lists after
    its first request (issue 21 item 1).
    """
    for _ in range(cases):
        case = make_case(
            firm, owner=owner.user, introducer=IntroducerFactory(firm=firm)
        )
        make_line(case)
        make_line(case, kind="proc_fee", received_on=TODAY)
    owner_client.get("/income/")
    with django_assert_num_queries(4):
        assert owner_client.get("/income/").status_code == 200


def test_adding_a_line_from_the_case_page(firm, owner, owner_client):
    """SPEC L3: the case's Income section adds an expected line, then shows it."""
    case = make_case(firm, owner=owner.user)
    response = owner_client.post(
        f"/cases/{case.pk}/income/add/",
        {"kind": "client_fee", "amount": "495", "expected_on": "2026-07-01"},
    )
    line = IncomeLine.objects.get(firm=firm, case=case)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{line.anchor}")
    page = owner_client.get(case.get_absolute_url()).content.decode()
    assert 'id="income"' in page
    assert "£495.00" in page


def test_a_bad_line_keeps_what_was_typed(firm, owner, owner_client):
    """A refused line comes back on its own page with the input and the error."""
    case = make_case(firm, owner=owner.user)
    response = owner_client.post(
        f"/cases/{case.pk}/income/add/",
        {"kind": "client_fee", "amount": "-5", "expected_on": "not a date"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "not a date" in body
    assert response.context["form"].errors.keys() == {"amount", "expected_on"}
    assert not IncomeLine.objects.filter(firm=firm).exists()


def test_commission_on_a_protection_case_names_its_policy(firm, owner, owner_client):
    """SPEC L3: a protection case's form offers its policies for commission."""
    case = protection_case(firm, complete=False, owner=owner.user)
    policy = make_policy(case)
    response = owner_client.post(
        f"/cases/{case.pk}/income/add/",
        {
            "kind": "commission",
            "amount": "900",
            "expected_on": "2026-07-01",
            "policy": str(policy.pk),
            "indemnity_months": "48",
        },
    )
    assert response.status_code == 302
    line = IncomeLine.objects.get(firm=firm, case=case)
    assert (line.policy, line.indemnity_months) == (policy, 48)


def test_marking_received(firm, owner, owner_client):
    """SPEC L3: Mark received records the amount and date."""
    line = make_line(make_case(firm, owner=owner.user), amount="600.00")
    page = owner_client.get(f"/income/{line.pk}/receive/")
    assert page.status_code == 200
    response = owner_client.post(
        f"/income/{line.pk}/receive/", {"amount": "590", "received_on": "2026-06-14"}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.received_amount, line.received_on) == (
        Decimal(590),
        datetime.date(2026, 6, 14),
    )
    again = owner_client.post(
        f"/income/{line.pk}/receive/", {"amount": "590", "received_on": "2026-06-14"}
    )
    assert "already marked received" in again.content.decode()


def test_income_settings_need_manage_firm(firm, adviser_client, owner_client):
    """The shares are the firm's: an adviser may not change them."""
    assert adviser_client.get("/settings/income/").status_code == 403
    agent = IntroducerFactory(firm=firm, name="Avon Homes")
    response = owner_client.post(
        "/settings/income/",
        {
            "adviser_share_pct": "45",
            "introducer_share_pct": "15",
            f"introducer_{agent.pk}": "12",
        },
    )
    assert response.status_code == 302
    rules = selectors.income_settings_get(firm=firm)
    assert (rules.adviser_share_pct, rules.introducer_share_pct) == (
        Decimal(45),
        Decimal(15),
    )
    assert selectors.introducer_share_of(firm=firm, introducer_id=agent.pk) == 12
    bad = owner_client.post(
        "/settings/income/", {"adviser_share_pct": "140", "introducer_share_pct": "x"}
    )
    assert bad.status_code == 200
    assert bad.context["form"].errors.keys() == {
        "adviser_share_pct",
        "introducer_share_pct",
    }


def test_read_only_members_see_no_income_page(firm, login):
    """The Income page needs View reports."""
    member = MembershipFactory(firm=firm, role=Role.READ_ONLY)
    assert login(member).get("/income/").status_code == 403
