"""Hand-written SQL for each operation: the lower bound the ORM is compared with.

Each function returns the statements a person would write to read (or write)
the same rows as the page, on the same database, using the same indexes. The
column names of inserts come from the models, like the generator's.
"""

from datetime import UTC, datetime
from typing import Any

from bench.context import BenchContext

Statement = tuple[str, list[Any]]
PAGE = 26  # 25 rows and one more to know there is a next page
SECTION = 10
MORTGAGE_PRODUCT = {
    "kind": "mortgage",
    "mortgage_type": "residential",
    "mode": "single",
}
FAKE_ID = 10**12  # ids for rolled-back inserts, far past any real row


def new_client(i: int) -> dict[str, str]:
    """Return the wizard's "new client" fields, unique for request ``i``."""
    return {
        "choice": "new",
        "first_name": "Bench",
        "last_name": f"Client{i}",
        "email": f"bench.client.{i}.{datetime.now(tz=UTC):%H%M%S%f}@example.com",
        "mobile": "",
    }


def request_context(ctx: BenchContext) -> list[Statement]:
    """What every signed-in page reads first: the session, then the user with
    their firms (the firm switcher) and the current membership, in one."""
    return [
        (
            "SELECT session_key, session_data, expire_date FROM django_session "
            "WHERE session_key = %s AND expire_date > %s",
            ["bench-session-key-0123456789abcdef", datetime.now(tz=UTC)],
        ),
        (
            "SELECT u.*, m.*, f.* FROM firms_user u "
            "LEFT JOIN firms_membership m ON m.user_id = u.id AND m.is_active = %s "
            "LEFT JOIN firms_firm f ON f.id = m.firm_id "
            "WHERE u.id = %s ORDER BY f.name, m.firm_id",
            [True, ctx.user_id],
        ),
    ]


def case_list_choices(ctx: BenchContext) -> list[Statement]:
    """The Cases list's filter choices: the firm's members and introducers."""
    return [
        (
            "SELECT m.*, u.* FROM firms_membership m "
            "JOIN firms_user u ON u.id = m.user_id "
            "WHERE m.firm_id = %s AND m.is_active = %s "
            "ORDER BY u.first_name, u.last_name, m.id",
            [ctx.firm_id, True],
        ),
        (
            "SELECT id, name FROM firms_introducer WHERE firm_id = %s "
            "AND is_active = %s ORDER BY lower(name), id",
            [ctx.firm_id, True],
        ),
    ]


def _applicants_of(page: str, order: str) -> str:
    return (
        f"SELECT p.*, u.first_name, u.last_name, ct.id, ct.first_name, ct.last_name, "  # noqa: S608
        f"ct.organisation_name FROM ({page}) p "
        "LEFT JOIN firms_user u ON u.id = p.owner_id "
        "LEFT JOIN cases_caseapplicant a ON a.case_id = p.id "
        "LEFT JOIN contacts_contact ct ON ct.id = a.contact_id "
        f"ORDER BY {order}, a.position"
    )


_CASE_COLUMNS = "id, reference, kind, status, follow_up_date, created_at, owner_id"


def cases_open(ctx: BenchContext) -> Statement:
    """Open cases by follow-up date (empty dates last), with adviser and clients."""
    page = (
        f"SELECT {_CASE_COLUMNS} FROM cases_case WHERE firm_id = %s AND is_open = %s "  # noqa: S608
        "ORDER BY follow_up_date ASC NULLS LAST, id LIMIT %s"
    )
    order = "p.follow_up_date ASC NULLS LAST, p.id"
    return _applicants_of(page, order), [ctx.firm_id, True, PAGE]


def cases_newest(ctx: BenchContext) -> Statement:
    """The Cases list as it opens: mortgage and protection cases, newest first."""
    page = (
        f"SELECT {_CASE_COLUMNS} FROM cases_case WHERE firm_id = %s "  # noqa: S608
        "AND kind IN ('mortgage', 'protection') "
        "ORDER BY created_at DESC, id DESC LIMIT %s"
    )
    order = "p.created_at DESC, p.id DESC"
    return _applicants_of(page, order), [ctx.firm_id, PAGE]


def support_cases_open(ctx: BenchContext) -> list[Statement]:
    """The Support cases list's Open tab, newest first, with its filter choices."""
    page = (
        "SELECT c.id, c.reference, c.title, c.status, c.created_at, c.owner_id, "
        "s.start_date, s.concern_level, w.name AS pathway FROM cases_case c "
        "JOIN support_supportdetails s ON s.case_id = c.id "
        "LEFT JOIN support_pathway w ON w.id = s.pathway_id "
        "WHERE c.firm_id = %s AND c.kind = 'support' AND c.is_open = %s "
        "ORDER BY c.created_at DESC, c.id DESC LIMIT %s"
    )
    order = "p.created_at DESC, p.id DESC"
    members, _introducers = case_list_choices(ctx)
    pathways = (
        "SELECT id, name FROM support_pathway WHERE firm_id = %s ORDER BY name, id",
        [ctx.firm_id],
    )
    return [
        members,
        pathways,
        (_applicants_of(page, order), [ctx.firm_id, True, PAGE]),
    ]


def cases_filtered(ctx: BenchContext) -> Statement:
    """One adviser's cases at one status, newest first, with clients."""
    page = (
        f"SELECT {_CASE_COLUMNS} FROM cases_case WHERE firm_id = %s AND owner_id = %s "  # noqa: S608
        "AND status = %s ORDER BY created_at DESC, id DESC LIMIT %s"
    )
    order = "p.created_at DESC, p.id DESC"
    return _applicants_of(page, order), [ctx.firm_id, ctx.adviser_id, ctx.status, PAGE]


def contact_list(ctx: BenchContext) -> Statement:
    """The Clients list's first page, by name."""
    return (
        "SELECT id, kind, first_name, last_name, organisation_name, email, mobile, "
        "town FROM contacts_contact WHERE firm_id = %s AND NOT is_archived "
        "ORDER BY sort_name, id LIMIT %s",
        [ctx.firm_id, PAGE],
    )


def my_tasks(ctx: BenchContext) -> Statement:
    """The member's open tasks, soonest due first, with their clients."""
    return (
        "SELECT t.id, t.title, t.due_date, t.priority, ct.first_name, ct.last_name "
        "FROM tasks_task t LEFT JOIN contacts_contact ct ON ct.id = t.contact_id "
        "WHERE t.firm_id = %s AND t.assignee_id = %s AND t.status = 'open' "
        "ORDER BY t.due_date ASC NULLS LAST, t.id LIMIT %s",
        [ctx.firm_id, ctx.user_id, PAGE],
    )
