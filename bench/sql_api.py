"""Hand-written SQL for the REST API's main reads (issue 17).

A bearer request first finds its token with the member and firm it acts as;
a list is then one page of 25 rows (one more to know a next page exists)
with the rows it names, ordered by id as the API pages by.
"""

from bench.context import BenchContext
from bench.sql import Statement
from crm.api.selectors import key_hash

PAGE = 25


def token(ctx: BenchContext) -> Statement:
    """The token, its member, the member's user and firm, by the key's hash."""
    return (
        "SELECT t.*, m.*, f.*, u.* FROM api_apitoken t "
        "JOIN firms_membership m ON m.id = t.membership_id "
        "JOIN firms_firm f ON f.id = t.firm_id "
        "JOIN firms_user u ON u.id = m.user_id "
        "WHERE t.key_hash = %s AND m.is_active = %s AND t.revoked_at IS NULL",
        [key_hash(ctx.api_key), True],
    )


def _applicants(cases: str, params: list[object]) -> Statement:
    return (
        "SELECT a.case_id, a.position, ct.* FROM cases_caseapplicant a "  # noqa: S608
        "JOIN contacts_contact ct ON ct.id = a.contact_id "
        f"WHERE a.firm_id = %s AND a.case_id IN ({cases}) ORDER BY a.position",
        params,
    )


def contacts(ctx: BenchContext) -> list[Statement]:
    """GET /api/v1/contacts: the first page of live clients, with organisations."""
    return [
        token(ctx),
        (
            "SELECT c.*, o.* FROM contacts_contact c "
            "LEFT JOIN contacts_contact o ON o.id = c.organisation_id "
            "WHERE c.firm_id = %s AND NOT c.is_archived ORDER BY c.id LIMIT %s",
            [ctx.firm_id, PAGE + 1],
        ),
    ]


KINDS = ("mortgage", "protection", "support")


def cases(ctx: BenchContext) -> list[Statement]:
    """GET /api/v1/cases: the first page of cases with owners and clients."""
    page = (
        "SELECT id FROM cases_case WHERE firm_id = %s AND kind IN (%s, %s, %s) "
        "ORDER BY id LIMIT %s"
    )
    return [
        token(ctx),
        (
            "SELECT c.*, u.* FROM cases_case c "
            "LEFT JOIN firms_user u ON u.id = c.owner_id "
            "WHERE c.firm_id = %s AND c.kind IN (%s, %s, %s) ORDER BY c.id LIMIT %s",
            [ctx.firm_id, *KINDS, PAGE + 1],
        ),
        _applicants(page, [ctx.firm_id, ctx.firm_id, *KINDS, PAGE + 1]),
    ]


def case(ctx: BenchContext) -> list[Statement]:
    """GET /api/v1/cases/{id}: the case with what it names, and its clients."""
    return [
        token(ctx),
        (
            "SELECT c.*, u.*, l.*, i.*, b.*, n.*, cb.* FROM cases_case c "
            "LEFT JOIN firms_user u ON u.id = c.owner_id "
            "LEFT JOIN leads_lead l ON l.id = c.lead_id "
            "LEFT JOIN firms_introducer i ON i.id = c.introducer_id "
            "LEFT JOIN firms_introducerbranch b ON b.id = c.introducer_branch_id "
            "LEFT JOIN firms_negotiator n ON n.id = c.negotiator_id "
            "LEFT JOIN firms_user cb ON cb.id = c.created_by_id "
            "WHERE c.firm_id = %s AND c.id = %s",
            [ctx.firm_id, ctx.case_id],
        ),
        _applicants("%s", [ctx.firm_id, ctx.case_id]),
    ]


def leads(ctx: BenchContext) -> list[Statement]:
    """GET /api/v1/leads: the first page of leads with client, introducer, owner."""
    return [
        token(ctx),
        (
            "SELECT l.*, c.*, i.*, u.* FROM leads_lead l "
            "JOIN contacts_contact c ON c.id = l.contact_id "
            "LEFT JOIN firms_introducer i ON i.id = l.introducer_id "
            "LEFT JOIN firms_user u ON u.id = l.owner_id "
            "WHERE l.firm_id = %s ORDER BY l.id LIMIT %s",
            [ctx.firm_id, PAGE + 1],
        ),
    ]


def tasks(ctx: BenchContext) -> list[Statement]:
    """GET /api/v1/tasks: the first page of open tasks with what they are about."""
    return [
        token(ctx),
        (
            "SELECT t.*, u.*, k.*, c.*, l.*, lc.*, cs.* FROM tasks_task t "
            "LEFT JOIN firms_user u ON u.id = t.assignee_id "
            "LEFT JOIN firms_taskcategory k ON k.id = t.category_id "
            "LEFT JOIN contacts_contact c ON c.id = t.contact_id "
            "LEFT JOIN leads_lead l ON l.id = t.lead_id "
            "LEFT JOIN contacts_contact lc ON lc.id = l.contact_id "
            "LEFT JOIN cases_case cs ON cs.id = t.case_id "
            "WHERE t.firm_id = %s AND t.status = %s ORDER BY t.id LIMIT %s",
            [ctx.firm_id, "open", PAGE + 1],
        ),
    ]
