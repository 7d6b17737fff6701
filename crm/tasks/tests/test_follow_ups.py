"""Tasks > My follow-ups: my lead and case follow-ups in one list (SPEC C4)."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

from crm.advice.choices import AdviceKind, AdviceStatus
from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.leads.choices import LeadStatus
from crm.leads.tests.factories import LeadFactory
from crm.tasks import follow_ups

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 12)
YESTERDAY = TODAY - datetime.timedelta(days=1)
LAST_WEEK = TODAY - datetime.timedelta(days=7)
TOMORROW = TODAY + datetime.timedelta(days=1)
URL = "/tasks/?tab=follow_ups"


@pytest.fixture(autouse=True)
def _today(time_machine):
    """Pin today to Wednesday 12 March 2025."""
    time_machine.move_to(
        datetime.datetime(2025, 3, 12, 9, 0, tzinfo=ZoneInfo("Europe/London")),
        tick=False,
    )


def text(response):
    return response.content.decode()


def rows_of(html):
    """Return the follow-up rows' texts, in page order."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr class=\"task-row.*?</tr>", body, flags=re.S)


def _lead(firm, owner, due, name, **extra):
    return LeadFactory(
        contact__firm=firm,
        contact__first_name=name,
        owner=owner,
        follow_up_date=due,
        **extra,
    )


def _case(firm, owner, due, name, **extra):
    contact = ContactFactory(firm=firm, first_name=name)
    return make_case(
        firm, owner=owner, follow_up_date=due, applicants=[contact], **extra
    )


def test_lists_lead_and_case_follow_ups_together_by_date(
    adviser_client, adviser, manager, firm
):
    """SPEC C4: my open leads and cases due today or overdue, earliest first, each
    linking to its lead or case with its client; others' and later ones are not."""
    lead_today = _lead(firm, adviser.user, TODAY, "Dana")
    case_week = _case(firm, adviser.user, LAST_WEEK, "Olu")
    lead_yesterday = _lead(firm, adviser.user, YESTERDAY, "Priya")
    _lead(firm, adviser.user, TOMORROW, "Later")
    _lead(firm, manager.user, YESTERDAY, "Colleague")
    _case(firm, manager.user, YESTERDAY, "Theirs")
    _lead(firm, adviser.user, YESTERDAY, "Converted", status=LeadStatus.CONVERTED)
    closed = _case(firm, adviser.user, YESTERDAY, "Closed")
    Case.objects.filter(pk=closed.pk).update(is_open=False)

    html = text(adviser_client.get(URL))
    rows = rows_of(html)
    assert len(rows) == 3
    assert "Olu" in rows[0]
    assert f'href="{case_week.get_absolute_url()}"' in rows[0]
    assert case_week.reference in rows[0]
    assert "Overdue</span>" in rows[0]
    assert "Priya" in rows[1]
    assert f'href="{lead_yesterday.get_absolute_url()}"' in rows[1]
    assert "New Lead" in rows[1]
    assert "Dana" in rows[2]
    assert f'href="{lead_today.get_absolute_url()}"' in rows[2]
    assert "Due today</span>" in rows[2]
    for absent in ("Later", "Colleague", "Theirs", "Converted", "Closed"):
        assert absent not in html.split("<tbody>", 1)[1]


def test_tab_is_current_and_counts_the_same_items(adviser_client, adviser, firm):
    """SPEC C4: the My follow-ups tab is marked current and its count is the list's."""
    _lead(firm, adviser.user, TODAY, "Dana")
    _case(firm, adviser.user, YESTERDAY, "Olu")
    html = text(adviser_client.get(URL))
    assert re.search(r'href="\?tab=follow_ups"[^>]*aria-current="page"', html)
    tab = html.split('href="?tab=follow_ups"', 1)[1].split("</a>", 1)[0]
    assert '<span class="badge">2' in tab
    # The tab has no task filters: they do not apply to follow-ups.
    assert 'id="task-filters"' not in html


def test_empty_state(adviser_client):
    """SPEC C4: with nothing due the tab explains what it will list."""
    html = text(adviser_client.get(URL))
    assert "No follow-ups are due" in html


def test_never_lists_another_firms_follow_ups(adviser_client, adviser, other_firm):
    """SPEC C4, T8: another firm's leads and cases are never listed."""
    LeadFactory(contact__firm=other_firm, follow_up_date=YESTERDAY)
    make_case(other_firm, follow_up_date=YESTERDAY)
    assert "No follow-ups are due" in text(adviser_client.get(URL))


def test_paginates_across_leads_and_cases(adviser_client, adviser, firm):
    """SPEC C4: 25 a page, in date order across both tables, with a next link."""
    for day in range(15):
        due = LAST_WEEK - datetime.timedelta(days=day)
        _lead(firm, adviser.user, due, f"Lead{day:02d}")
        _case(firm, adviser.user, due, f"Case{day:02d}")
    first = text(adviser_client.get(URL))
    assert len(rows_of(first)) == 25
    assert "page=2" in first
    second = text(adviser_client.get(URL + "&page=2"))
    assert len(rows_of(second)) == 5
    # The oldest date first; on a date, the case before the lead.
    assert "Case14" in rows_of(first)[0]
    assert "Lead14" in rows_of(first)[1]
    assert "Lead00" in rows_of(second)[-1]


def test_selector_pages_do_not_overlap(firm, adviser):
    """SPEC C4: offset pages of the merged list cover each follow-up once."""
    for day in range(4):
        _lead(firm, adviser.user, LAST_WEEK + datetime.timedelta(days=day), "L")
        _case(firm, adviser.user, LAST_WEEK + datetime.timedelta(days=day), "C")
    seen = []
    for offset in (0, 3, 6):
        seen += follow_ups.follow_up_list(
            firm=firm,
            user=adviser.user,
            principal=None,
            today=TODAY,
            offset=offset,
            limit=3,
        )
    assert len({(row.kind, row.item.pk) for row in seen}) == 8
    dates = [row.item.follow_up_date or TODAY for row in seen]
    assert dates == sorted(dates)
    count = follow_ups.follow_up_count(
        firm=firm, user=adviser.user, principal=None, today=TODAY
    )
    assert count == 8


def test_case_follow_ups_follow_case_visibility(firm, login):
    """SPEC C4, A4: a member who may see no cases gets no case follow-ups."""
    from crm.firms.choices import Perm
    from crm.firms.tests.factories import MembershipFactory

    member = MembershipFactory(firm=firm, role="adviser")
    member.revoked = [Perm.VIEW_ALL_CASES, Perm.VIEW_OWN_CASES]
    member.save()
    _case(firm, member.user, YESTERDAY, "Hidden")
    _lead(firm, member.user, YESTERDAY, "Shown")
    html = text(login(member).get(URL))
    assert "Shown" in html
    assert "Hidden" not in html


@pytest.mark.parametrize("rows", [3, 9])
def test_query_count_is_constant(
    rows, adviser_client, adviser, firm, django_assert_num_queries
):
    """SPEC C4: session, user with memberships; members and categories (the tasks
    filter set); the merged page; its leads; its cases; their applicants with
    contacts; three task tab counts and the follow-up count: 13 whatever the
    rows (15 with the dashboard's two counts too)."""
    for i in range(rows):
        _lead(firm, adviser.user, YESTERDAY - datetime.timedelta(days=i), f"L{i}")
        _case(
            firm,
            adviser.user,
            TODAY - datetime.timedelta(days=i),
            f"C{i}",
            kind=AdviceKind.PROTECTION if i % 2 else AdviceKind.MORTGAGE,
            status=AdviceStatus.CALL_BACK,
        )
    with django_assert_num_queries(12):
        response = adviser_client.get(URL)
    assert len(rows_of(text(response))) == rows * 2
