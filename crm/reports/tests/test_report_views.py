"""The Reports pages: list, report, CSV, permissions, filters (L2)."""

import csv
import io
from decimal import Decimal

import pytest

from crm.advice.choices import AdviceStatus
from crm.cases.tests.factories import make_case
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.tests.factories import make_submission
from crm.core.models import AuditEvent
from crm.firms.choices import Role
from crm.firms.tests.factories import IntroducerFactory, MembershipFactory
from crm.protection.choices import PolicyStatus
from crm.protection.models import Policy
from crm.protection.tests.factories import make_policy, protection_case
from crm.support.tests.factories import make_support_case

pytestmark = pytest.mark.django_db


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _cases(firm, owner, count=3):
    for status in (AdviceStatus.CALL_BACK, AdviceStatus.MEETING, AdviceStatus.MEETING)[
        :count
    ]:
        make_case(firm, owner=owner, status=status)


def test_report_index_lists_the_firms_reports(owner_client):
    """An advice firm sees the advice reports and not the support ones."""
    body = owner_client.get("/reports/").content.decode()
    assert "Pipeline by stage and adviser" in body
    assert "Protection premiums by provider" in body
    assert "Support caseload" not in body


def test_support_firm_gets_support_reports_and_not_advice_ones(support_firm, login):
    """A charity's Reports page offers the caseload, not the pipeline (404)."""
    client = login(MembershipFactory(firm=support_firm, role=Role.OWNER))
    body = client.get("/reports/").content.decode()
    assert "Support caseload" in body
    assert "Pipeline" not in body
    assert client.get("/reports/pipeline/").status_code == 404
    assert client.get("/reports/caseload/").status_code == 200


def test_unknown_report_is_not_found(owner_client):
    """A report that does not exist answers 404, never a 500."""
    assert owner_client.get("/reports/nonsense/").status_code == 404
    assert owner_client.get("/reports/nonsense/export/").status_code == 404


def test_reports_need_the_view_reports_permission(login, read_only, administrator):
    """Read-only members cannot open reports; export needs both permissions."""
    assert login(read_only).get("/reports/").status_code == 403
    assert login(read_only).get("/reports/pipeline/").status_code == 403
    # An administrator may export data but not view reports.
    assert login(administrator).get("/reports/pipeline/export/").status_code == 403


def test_adviser_sees_reports_without_the_export_link(adviser_client):
    """Export CSV shows only to members who may export data."""
    response = adviser_client.get("/reports/pipeline/")
    assert response.status_code == 200
    assert "Export CSV" not in response.content.decode()
    assert adviser_client.get("/reports/pipeline/export/").status_code == 403


def test_pipeline_page_chart_table_and_csv_agree(owner_client, firm, owner):
    """The chart's bars, the table and the CSV give the same figures."""
    _cases(firm, owner.user)
    response = owner_client.get("/reports/pipeline/")
    body = response.content.decode()
    table = response.context["table"]
    chart = response.context["chart"]
    assert table.total.values[-1] == 3
    meeting = next(g for g in chart.groups if g.label == "Meeting")
    assert meeting.bars[0].text == "2"
    assert 'role="img"' in body
    assert "<caption" in body
    rows = _csv(owner_client.get("/reports/pipeline/export/"))
    assert rows[0] == ["Stage", owner.user.full_name, "Total"]
    assert ["Meeting", "2", "2"] in rows
    assert rows[-1] == ["Total", "3", "3"]


def test_csv_export_is_audit_logged_with_its_filters(owner_client, owner):
    """Downloading a report writes an export row naming the report and filters."""
    owner_client.get(f"/reports/cases/export/?owner={owner.user_id}")
    event = AuditEvent.objects.get(verb="export")
    assert event.object_id == "cases"
    assert event.object_repr == "Cases opened and closed CSV export"
    assert event.changes == {"owner_id": [None, owner.user_id]}


def test_premiums_csv_gives_money_unformatted(owner_client, firm):
    """Money is written as plain decimals in the CSV and as pounds on the page."""
    case = protection_case(firm, complete=False)
    make_policy(case, provider="Aviva", premium=Decimal("18.50"))
    Policy.objects.filter(firm=firm).update(status=PolicyStatus.ON_RISK)
    body = owner_client.get("/reports/premiums/").content.decode()
    assert "£222.00" in body
    rows = _csv(owner_client.get("/reports/premiums/export/"))
    assert rows[1] == ["Aviva", "0", "1", "222.00"]


def test_filters_narrow_the_report_and_the_csv(owner_client, firm, owner):
    """The adviser and introducer filters apply to the page and to its CSV."""
    introducer = IntroducerFactory(firm=firm)
    _cases(firm, owner.user)
    other = MembershipFactory(firm=firm).user
    make_case(firm, owner=other, introducer=introducer)
    page = owner_client.get(f"/reports/pipeline/?introducer={introducer.pk}")
    assert page.context["table"].total.values[-1] == 1
    assert page.context["filtered"] is True
    rows = _csv(owner_client.get(f"/reports/pipeline/export/?owner={owner.user_id}"))
    assert rows[-1][-1] == "3"


def test_bad_filters_are_shown_and_kept_not_a_500(owner_client, firm, owner):
    """Junk dates, a backwards range or a foreign id show errors and keep the input."""
    _cases(firm, owner.user)
    response = owner_client.get(
        "/reports/pipeline/?date_from=2026-13-45&owner=999999&date_to=junk%00"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="2026-13-45"' in body
    assert response.context["form"].errors
    assert response.context["table"].total.values[-1] == 3  # bad filters left out
    backwards = owner_client.get(
        "/reports/cases/?date_from=2026-05-01&date_to=2026-04-01"
    )
    assert "Choose a date on or after the start." in backwards.content.decode()


def test_empty_report_explains_itself(owner_client):
    """A firm with no cases sees an empty state instead of an empty chart."""
    response = owner_client.get("/reports/pipeline/")
    assert response.context["chart"] is None
    assert "Nothing to report yet" in response.content.decode()
    filtered = owner_client.get("/reports/pipeline/?date_from=2020-01-01")
    assert "Nothing matches these filters" in filtered.content.decode()


def test_htmx_request_gets_only_the_results(owner_client, firm, owner):
    """Changing a filter swaps the results and the export link, not the page."""
    _cases(firm, owner.user)
    response = owner_client.get("/reports/pipeline/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="report-export"' in body
    assert 'hx-swap-oob="true"' in body
    assert "<table" in body


def test_another_firms_rows_never_reach_a_report(owner_client, other_firm):
    """Only the member's firm is counted."""
    make_case(other_firm, status=AdviceStatus.MEETING)
    make_support_case(other_firm)
    assert owner_client.get("/reports/pipeline/").context["table"].is_empty is True
    assert owner_client.get("/reports/cases/").context["table"].is_empty is True


# Queries: session, user with memberships, members (adviser filter), introducers,
# then the report's own aggregate: one each (the cases report reads its two
# dates from the case tally in one query; it took two before).
@pytest.mark.parametrize(
    ("key", "queries"),
    [
        # 6 each before the process kept the filters' member and introducer
        # lists after its first request (issue 21 item 1)
        ("pipeline", 3),
        ("conversion", 3),
        ("cases", 3),
        ("premiums", 3),
        ("submissions", 3),
    ],
)
@pytest.mark.parametrize("rows", [3, 6])
def test_report_query_count_is_constant(
    key, queries, rows, owner_client, firm, owner, django_assert_num_queries
):
    """Each report costs the same number of queries however many rows it counts."""
    for _ in range(rows):
        case = protection_case(firm, complete=False, owner=owner.user)
        make_policy(case)
        make_case(firm, owner=owner.user, status=AdviceStatus.MEETING)
        make_submission(firm, status=SubmissionStatus.RECEIVED)
    Policy.objects.filter(firm=firm).update(status=PolicyStatus.SUBMITTED)
    owner_client.get(f"/reports/{key}/")  # the process now keeps the lists
    with django_assert_num_queries(queries):
        assert owner_client.get(f"/reports/{key}/").status_code == 200


# 5 and 6 before the process kept the member list (issue 21 item 1)
@pytest.mark.parametrize(("key", "queries"), [("caseload", 3), ("outcomes", 4)])
@pytest.mark.parametrize("rows", [3, 6])
def test_support_report_query_count_is_constant(
    key, queries, rows, support_firm, login, django_assert_num_queries
):
    """Support reports: no introducer filter, so one query fewer for the caseload."""
    member = MembershipFactory(firm=support_firm, role=Role.OWNER)
    for _ in range(rows):
        make_support_case(support_firm, manager=member.user)
    client = login(member)
    client.get(f"/reports/{key}/")  # the process now keeps the member list
    with django_assert_num_queries(queries):
        assert client.get(f"/reports/{key}/").status_code == 200
