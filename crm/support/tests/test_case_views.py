"""Support case pages: the Cases list, its CSV export, permissions, isolation."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from crm.cases.models import Case
from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory
from crm.support import services
from crm.support.tests.factories import make_pathway
from crm.support.tests.pages import _case, text, url

pytestmark = pytest.mark.django_db

LIST = reverse("support:case_list")
EXPORT = reverse("support:case_export")
CREATE = reverse("support:case_create")
HTMX = {"HTTP_HX_REQUEST": "true"}


# The list (I1, I9, D2)


def test_list_shows_cases_with_tabs_badges_and_sortable_headers(
    sup_client, support_firm, ada
):
    """I1: "Cases" lists reference, title, beneficiary and concern; All/Open/Closed."""
    case = _case(support_firm, beneficiary=ada, title="Tenancy rescue")
    response = sup_client.get(LIST)
    body = text(response)
    assert response.status_code == 200
    assert "<h1>Cases</h1>" in body
    for needle in (case.reference, "Tenancy rescue", "Lovelace", ">Low<"):
        assert needle in body
    assert "badge--concern-low" in body
    for tab in (">All<", ">Open<", ">Closed<"):
        assert tab in body
    assert 'aria-sort="descending"' in body
    assert f'href="{CREATE}"' in body


def test_list_heading_says_support_cases_beside_advice(other_firm, login):
    """I1: a firm with both modules calls the support list "Support cases"."""
    member = MembershipFactory(firm=other_firm, role=Role.OWNER)
    assert "<h1>Support cases</h1>" in text(login(member).get(LIST))


def test_list_hides_create_and_export_without_permission(support_firm, login):
    """I1: a read-only member sees the list without Create case or Export CSV."""
    _case(support_firm)
    member = MembershipFactory(firm=support_firm, role=Role.READ_ONLY)
    body = text(login(member).get(LIST))
    assert f'href="{CREATE}"' not in body
    assert "Export CSV" not in body


def test_list_is_missing_for_a_firm_without_support(owner_client):
    """The Support module missing: the list and the form are 404."""
    assert owner_client.get(LIST).status_code == 404
    assert owner_client.get(CREATE).status_code == 404


def test_list_tabs_split_open_and_closed(sup_client, support_firm, sup_owner):
    """I3: the Open tab hides closed cases; the Closed tab shows only them."""
    open_case, closed = _case(support_firm), _case(support_firm)
    services.support_case_close(firm=support_firm, actor=sup_owner.user, case=closed)
    body = text(sup_client.get(LIST, {"tab": "open"}))
    assert open_case.reference in body
    assert closed.reference not in body
    body = text(sup_client.get(LIST, {"tab": "closed"}))
    assert open_case.reference not in body
    assert closed.reference in body


def test_list_filters_by_manager_status_concern_pathway_and_start(
    sup_client, support_firm, sup_owner
):
    """I1, I9: each filter in the URL narrows the list."""
    other = MembershipFactory(firm=support_firm, role=Role.ADVISER).user
    pathway = make_pathway(support_firm)
    mine = _case(
        support_firm,
        manager=sup_owner.user,
        pathway=pathway,
        start_date=date(2026, 1, 5),
    )
    theirs = _case(support_firm, manager=other, start_date=date(2026, 6, 1))
    services.concern_change(
        firm=support_firm, actor=other, case=theirs, level="urgent", reason="Eviction"
    )
    services.support_case_close(firm=support_firm, actor=other, case=mine)
    checks = [
        ({"owner": sup_owner.user.pk}, mine, theirs),
        ({"status": "open"}, theirs, mine),
        ({"concern": "urgent"}, theirs, mine),
        ({"pathway": pathway.pk}, mine, theirs),
        ({"start_from": "2026-03-01"}, theirs, mine),
        ({"start_to": "2026-03-01"}, mine, theirs),
    ]
    for params, shown, hidden in checks:
        body = text(sup_client.get(LIST, params))
        assert shown.reference in body, params
        assert hidden.reference not in body, params


def test_list_search_finds_reference_title_and_beneficiary(
    sup_client, support_firm, ada
):
    """I1: search by reference, a word of the title, or the beneficiary's details."""
    case = _case(support_firm, beneficiary=ada, title="Debt advice")
    other = _case(support_firm, title="Mentoring")
    for q in (case.reference, "debt", "Lovel", "ada@example.org", "07700900111"):
        body = text(sup_client.get(LIST, {"q": q}))
        assert case.reference in body, q
        assert other.reference not in body, q


def test_list_sorts_by_title_and_concern_both_ways(sup_client, support_firm, sup_owner):
    """I1: sortable columns toggle direction and say so with aria-sort."""
    zebra, apple = (
        _case(support_firm, title="Zebra"),
        _case(support_firm, title="Apple"),
    )
    services.concern_change(
        firm=support_firm, actor=sup_owner.user, case=zebra, level="high", reason="R"
    )
    body = text(sup_client.get(LIST, {"sort": "title"}))
    assert body.index(apple.reference) < body.index(zebra.reference)
    assert 'aria-sort="ascending"' in body
    assert "sort=-title" in body
    body = text(sup_client.get(LIST, {"sort": "-concern"}))
    assert body.index(zebra.reference) < body.index(apple.reference)
    assert 'aria-sort="descending"' in body


def test_list_ignores_junk_filters(sup_client, support_firm):
    """Bad filter values are dropped, never a 500."""
    case = _case(support_firm)
    junk = {"owner": "x", "pathway": "99999999999999999999", "start_from": "2026-13-45"}
    response = sup_client.get(
        LIST, junk | {"sort": "nope", "tab": "bogus", "q": "a\x00"}
    )
    assert response.status_code == 200
    assert case.reference in text(response)


def test_list_paginates_25_a_page(sup_client, support_firm):
    """I1: 25 cases a page, with a link to the next."""
    for _ in range(26):
        _case(support_firm)
    body = text(sup_client.get(LIST))
    assert body.count("<tr>") == 26
    found = re.search(r'href="\?(after=[^"]+)" rel="next"', body)
    assert found is not None
    assert text(sup_client.get(f"{LIST}?{found.group(1)}")).count("<tr>") == 2


def test_list_htmx_returns_results_only(sup_client, support_firm):
    """An htmx request gets the results region with the tabs swapped out of band."""
    case = _case(support_firm)
    body = text(sup_client.get(LIST, {"tab": "open"}, **HTMX))
    assert "<html" not in body
    assert case.reference in body
    assert 'id="support-tabs"' in body
    assert 'hx-swap-oob="true"' in body


def test_list_empty_states(sup_client, support_firm):
    """No cases invites Create case; no match says so with a clear link."""
    body = text(sup_client.get(LIST))
    assert "No cases yet" in body
    assert f'href="{CREATE}"' in body
    _case(support_firm)
    body = text(sup_client.get(LIST, {"q": "nobody-matches-this"}))
    assert "No cases match these filters" in body
    assert "clear the filters" in body


@pytest.mark.parametrize("rows", [3, 8])
def test_list_query_count_is_constant(
    sup_client, support_firm, rows, django_assert_num_queries
):
    """The list runs a fixed number of queries however many cases it shows."""
    pathway = make_pathway(support_firm)
    for _ in range(rows):
        _case(support_firm, pathway=pathway)
    sup_client.get(LIST)  # the process now keeps the member list
    # 7 each before the filter bar's member list was kept per process (issue
    # 21 item 1)
    with django_assert_num_queries(5):
        response = sup_client.get(LIST, {"sort": "client"})
    assert text(response).count("<tr>") == rows + 1
    with django_assert_num_queries(5):
        response = sup_client.get(LIST, {"tab": "open"}, **HTMX)
    assert text(response).count("<tr>") == rows + 1


# Export (I1, D2)


def test_export_streams_filtered_csv_and_audits(
    sup_client, support_firm, sup_owner, ada
):
    """CSV of the filtered list with the agreed columns; the export is audited."""
    pathway = make_pathway(support_firm, "Debt Advice")
    case = _case(support_firm, beneficiary=ada, title="Debts", pathway=pathway)
    other = _case(support_firm, title="Other")
    services.support_case_close(firm=support_firm, actor=sup_owner.user, case=other)
    response = sup_client.get(EXPORT, {"tab": "open"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0].lstrip("\ufeff") == "Reference"
    assert rows[0][1:] == [
        "Title",
        "Beneficiary",
        "Case manager",
        "Status",
        "Concern",
        "Pathway",
        "Start date",
        "Expected end",
        "Created",
    ]
    assert len(rows) == 2
    assert rows[1][:7] == [
        case.reference,
        "Debts",
        "Ada Lovelace",
        str(case.owner),
        "Open",
        "Low",
        "Debt Advice",
    ]
    event = AuditEvent.objects.get(firm=support_firm, verb=AuditVerb.EXPORT)
    assert event.actor == sup_owner.user
    assert event.changes["tab"] == [None, "open"]


@pytest.mark.parametrize("rows", [3, 6])
def test_export_query_count_is_constant(
    sup_client, support_firm, rows, django_assert_num_queries
):
    """The export runs a fixed number of queries however many rows it writes."""
    for _ in range(rows):
        _case(support_firm)
    # 8 before the export's audit row read the hash chain's head (A7).
    with django_assert_num_queries(8):
        body = b"".join(sup_client.get(EXPORT).streaming_content).decode()
    assert body.count("SUP-") == rows


def test_export_needs_the_export_permission(support_firm, login):
    """A member without Export data gets 403."""
    member = MembershipFactory(firm=support_firm, role=Role.ADVISER)
    assert login(member).get(EXPORT).status_code == 403


# Permissions and isolation


def test_read_only_member_cannot_write(support_firm, login):
    """A member without Edit cases gets 403 on every form, GET and POST."""
    case = _case(support_firm)
    member = MembershipFactory(firm=support_firm, role=Role.READ_ONLY)
    c = login(member)
    assert c.get(url("case_detail", case)).status_code == 200
    for path in (
        CREATE,
        url("case_edit", case),
        url("case_close", case),
        url("case_reopen", case),
        url("concern_change", case),
    ):
        assert c.get(path).status_code == 403, path
        assert c.post(path, {"reason": "x"}).status_code == 403, path
    assert Case.objects.get(pk=case.pk).is_open is True


def test_another_firms_case_is_not_found(sup_client, other_firm):
    """Another firm's support case answers 404 on every page."""
    case = _case(other_firm)
    for name in ("case_detail", "case_edit", "case_close", "concern_change"):
        assert sup_client.get(url(name, case)).status_code == 404, name


def test_detail_page_renders(sup_client, support_firm, ada):
    """The case page opens from the list's link."""
    case = _case(support_firm, beneficiary=ada, title="Tenancy rescue")
    response = sup_client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert case.reference in text(response)
