"""The reports' figures agree with counts taken from the rows themselves (L2)."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.advice.choices import AdviceKind, AdviceStatus
from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.models import Submission
from crm.concerthub.tests.factories import make_submission
from crm.firms.tests.factories import IntroducerFactory, MembershipFactory
from crm.leads.choices import LeadStatus
from crm.leads.models import Lead
from crm.leads.tests.factories import LeadFactory
from crm.protection.choices import PolicyStatus, PremiumFrequency
from crm.protection.models import Policy
from crm.protection.tests.factories import make_policy, protection_case
from crm.reports import selectors
from crm.reports.selectors import ReportQuery
from crm.reports.selectors.base import add_months, month_label, months_of
from crm.reports.tests.factories import backdate
from crm.support.choices import ConcernLevel, ItemKind
from crm.support.models import SupportDetails, SupportItem
from crm.support.tests.factories import make_item, make_support_case

pytestmark = pytest.mark.django_db
ALL = ReportQuery()


def _today() -> datetime.date:
    return timezone.localdate()


def _column(table, label):
    return [c.label for c in table.columns].index(label)


def test_pipeline_counts_open_advice_cases_by_stage_and_adviser(firm, other_firm):
    """Each cell is the number of open cases at that stage for that adviser."""
    anna = MembershipFactory(firm=firm, user__first_name="Anna").user
    ben = MembershipFactory(firm=firm, user__first_name="Ben").user
    make_case(firm, owner=anna, status=AdviceStatus.CALL_BACK)
    make_case(firm, owner=anna, status=AdviceStatus.CALL_BACK)
    make_case(firm, owner=ben, status=AdviceStatus.MEETING)
    make_case(firm, status=AdviceStatus.MEETING)
    make_case(firm, kind=AdviceKind.PROTECTION, owner=ben, status=AdviceStatus.QUOTED)
    closed = make_case(firm, owner=anna)
    Case.objects.filter(pk=closed.pk).update(is_open=False, status="completed")
    make_case(other_firm, status=AdviceStatus.CALL_BACK)

    table = selectors.pipeline_report(firm=firm, principal=None, query=ALL)

    expected = Counter(
        (c.status, c.owner_id) for c in Case.objects.filter(firm=firm, is_open=True)
    )
    labels = {"Call Back": "call_back", "Meeting": "meeting", "Quoted": "quoted"}
    owners = {c.label: i for i, c in enumerate(table.columns)}
    ids = {anna.full_name: anna.pk, ben.full_name: ben.pk, "Unassigned": None}
    for row in table.rows:
        status = labels.get(row.label, "")
        for name, index in owners.items():
            if name == "Total":
                continue
            assert row.values[index] == expected.get((status, ids[name]), 0)
    assert table.total is not None
    assert table.total.values[-1] == sum(expected.values()) == 5
    assert [c.label for c in table.columns] == [
        anna.full_name,
        ben.full_name,
        "Unassigned",
        "Total",
    ]


def test_pipeline_filters_by_adviser_introducer_and_dates(firm):
    """The adviser, introducer and opened-between filters narrow the counts."""
    adviser = MembershipFactory(firm=firm).user
    introducer = IntroducerFactory(firm=firm)
    mine = make_case(firm, owner=adviser, introducer=introducer)
    make_case(firm, owner=adviser)
    make_case(firm)
    old = make_case(firm, owner=adviser, introducer=introducer)
    backdate(old, 40)

    def total(**query):
        table = selectors.pipeline_report(
            firm=firm, principal=None, query=ReportQuery(**query)
        )
        return table.total.values[-1]

    assert total(owner_id=adviser.pk) == 3
    assert total(introducer_id=introducer.pk) == 2
    since = _today() - datetime.timedelta(days=7)
    assert total(introducer_id=introducer.pk, date_from=since) == 1
    assert total(date_to=since) == 1
    assert mine.introducer_id == introducer.pk


def test_pipeline_shows_only_own_cases_to_a_member_who_sees_only_their_own(
    firm, adviser
):
    """A member with "view own cases only" counts only their own cases."""
    from crm.firms.choices import Perm

    adviser.revoked = [Perm.VIEW_ALL_CASES]
    adviser.granted = [Perm.VIEW_OWN_CASES]
    adviser.save()
    make_case(firm, owner=adviser.user)
    make_case(firm)
    principal = _principal(adviser)
    table = selectors.pipeline_report(firm=firm, principal=principal, query=ALL)
    assert table.total.values[-1] == 1


def _principal(membership):
    from crm.firms.principals import StaffPrincipal

    return StaffPrincipal(membership)


def test_conversion_counts_leads_by_month_received(firm, other_firm):
    """Leads, converted and not proceeding per month received, with the rate."""
    for status in (
        LeadStatus.CONVERTED,
        LeadStatus.NEW_LEAD,
        LeadStatus.NOT_PROCEEDING,
    ):
        LeadFactory(contact__firm=firm, status=status)
    last_month = LeadFactory(contact__firm=firm, status=LeadStatus.CONVERTED)
    backdate(last_month, 35)
    LeadFactory(contact__firm=other_firm, status=LeadStatus.CONVERTED)

    table = selectors.conversion_report(
        firm=firm, principal=None, query=ALL, today=_today()
    )

    by_month: Counter[str] = Counter()
    converted: Counter[str] = Counter()
    for lead in Lead.objects.filter(firm=firm):
        month = month_label(timezone.localtime(lead.created_at).date())
        by_month[month] += 1
        converted[month] += lead.status == LeadStatus.CONVERTED
    rows = {row.label: row.values for row in table.rows}
    assert len(table.rows) == 12
    for month, count in by_month.items():
        assert rows[month][0] == count
        assert rows[month][1] == converted[month]
    assert table.total.values == (4, 2, 1, Decimal("50.0"))


def test_conversion_rate_is_blank_without_leads(firm):
    """A month without leads has no rate rather than a division by zero."""
    table = selectors.conversion_report(
        firm=firm, principal=None, query=ALL, today=_today()
    )
    assert table.is_empty is True
    assert table.rows[0].values[3] is None


def test_cases_report_counts_opened_and_closed_per_month_by_kind(firm):
    """Opened by creation month and closed by closing month, per kind."""
    make_case(firm)
    make_case(firm, kind=AdviceKind.PROTECTION)
    closed = make_case(firm)
    Case.objects.filter(pk=closed.pk).update(
        is_open=False, closed_at=timezone.now(), status="completed"
    )
    old = make_case(firm)
    backdate(old, 400)

    table = selectors.cases_report(firm=firm, principal=None, query=ALL, today=_today())

    this_month = month_label(_today())
    row = {r.label: r.values for r in table.rows}[this_month]
    labels = [c.label for c in table.columns]
    assert labels == [
        "Mortgage opened",
        "Mortgage closed",
        "Protection opened",
        "Protection closed",
        "Opened",
        "Closed",
    ]
    assert row == (2, 1, 1, 0, 3, 1)
    assert (
        table.total.values[_column(table, "Opened")] == 3
    )  # the old case is out of range


def test_months_default_to_the_last_twelve_and_cap_at_sixty():
    """No start date shows twelve months; a long range keeps its last sixty."""
    today = datetime.date(2026, 3, 15)
    span = months_of(ReportQuery(), today=today)
    assert span.months[0] == datetime.date(2025, 4, 1)
    assert span.months[-1] == datetime.date(2026, 3, 1)
    long = months_of(ReportQuery(date_from=datetime.date(2000, 1, 1)), today=today)
    assert len(long.months) == 60
    assert long.months[-1] == datetime.date(2026, 3, 1)
    assert add_months(datetime.date(2026, 12, 1), 1) == datetime.date(2027, 1, 1)


def test_premiums_sum_annual_premiums_of_placed_policies_by_provider(firm, other_firm):
    """Submitted and on-risk policies only; a monthly premium counts twelve times."""
    case = protection_case(firm, complete=False)
    make_policy(case, provider="Aviva", premium=Decimal("10.00"))
    make_policy(
        case,
        provider="Aviva",
        premium=Decimal("100.00"),
        premium_frequency=PremiumFrequency.ANNUALLY,
    )
    make_policy(case, provider="Legal & General", premium=Decimal("20.50"))
    make_policy(case, provider="Zurich", premium=Decimal("99.00"))  # only quoted
    Policy.objects.filter(firm=firm).exclude(provider="Zurich").update(
        status=PolicyStatus.SUBMITTED
    )
    Policy.objects.filter(firm=firm, provider="Legal & General").update(
        status=PolicyStatus.ON_RISK
    )
    make_policy(protection_case(other_firm, complete=False), provider="Aviva")

    table = selectors.premiums_report(firm=firm, principal=None, query=ALL)

    expected: dict[str, Decimal] = {}
    for policy in Policy.objects.filter(firm=firm, status__in=["submitted", "on_risk"]):
        times = 12 if policy.premium_frequency == PremiumFrequency.MONTHLY else 1
        premium = (policy.premium or Decimal(0)) * times
        expected[policy.provider] = expected.get(policy.provider, Decimal(0)) + premium
    rows = {r.label: r.values for r in table.rows}
    assert rows == {
        "Legal & General": (0, 1, expected["Legal & General"]),
        "Aviva": (2, 0, expected["Aviva"]),
    }
    assert rows["Aviva"][2] == Decimal("220.00")
    assert table.total.values == (2, 1, Decimal("466.00"))


def test_submissions_count_latest_submission_per_case_by_status(firm, other_firm):
    """Only each case's latest submission counts, once, under its status."""
    make_submission(firm, status=SubmissionStatus.REJECTED)
    make_submission(firm, status=SubmissionStatus.RECEIVED)
    make_submission(firm, status=SubmissionStatus.RECEIVED, is_latest=False)
    make_submission(other_firm, status=SubmissionStatus.RECEIVED)

    table = selectors.submissions_report(firm=firm, principal=None, query=ALL)

    expected = Counter(
        s.get_status_display()
        for s in Submission.objects.filter(firm=firm, is_latest=True)
    )
    rows = {r.label: r.values[0] for r in table.rows}
    for label, count in rows.items():
        assert count == expected.get(label, 0)
    assert table.total.values == (2,)


def test_caseload_counts_open_support_cases_by_manager_and_concern(support_firm):
    """Open support cases per case manager, split by concern level."""
    grace = MembershipFactory(firm=support_firm, user__first_name="Grace").user
    high_case = make_support_case(support_firm, manager=grace)
    SupportDetails.objects.filter(case=high_case).update(
        concern_level=ConcernLevel.HIGH
    )
    make_support_case(support_firm, manager=grace)
    closed = make_support_case(support_firm, manager=grace)
    Case.objects.filter(pk=closed.pk).update(is_open=False)

    table = selectors.caseload_report(firm=support_firm, principal=None, query=ALL)

    high = _column(table, "High concern")
    assert table.rows[0].label == grace.full_name
    assert table.rows[0].values[high] == 1
    assert (
        table.rows[0].values[-1]
        == Case.objects.filter(firm=support_firm, owner=grace, is_open=True).count()
    )


def test_outcomes_count_set_and_achieved_per_month(support_firm):
    """Outcomes set count in the month added; achieved in the month achieved."""
    case = make_support_case(support_firm)
    first = make_item(case, kind=ItemKind.OUTCOME, text="Settled home")
    make_item(case, kind=ItemKind.OUTCOME, text="Back in work")
    make_item(case, kind=ItemKind.NEED, text="Not an outcome")
    SupportItem.objects.filter(pk=first.pk).update(achieved_on=_today())

    table = selectors.outcomes_report(
        firm=support_firm, principal=None, query=ALL, today=_today()
    )

    row = {r.label: r.values for r in table.rows}[month_label(_today())]
    assert row == (2, 1)
    assert table.total.values == (2, 1)
