"""Hand-written SQL for the detail pages: every section each page shows.

A bound reads the rows the page draws, with the names it shows beside them
(an adviser's, a category's, a partner's), one statement a section, ordered
and capped as the page orders and caps them; nothing the page does not draw.
Earlier bounds read the case, its clients, history, tasks and interactions
only, against a page that also shows the Fact Find, D&N, documents, portal
actions, income and complaints (bench/NOTES.md item 41).

What a page reads depends on its rows: the bench's case has no Fact Find,
so the page's reads of a Fact Find's addresses, commitments and policies do
not run, and the bound has none either. A page whose view keeps its plans
runs its bound prepared too (``bench.runner``), the session and user reads
included, which the page makes before its view, unprepared: if anything
the bound is the cheaper for it.
"""

from datetime import UTC, datetime

from django.db import connection

from bench.context import BenchContext
from bench.sql import PAGE, SECTION, Statement

SUPPORT_SECTION = 21  # the support case page's sections: 20 rows and one more

# The client record's viewing is audited (one row a view, in the firm's chain).
# The bound writes the same row to a temporary table of the same columns and
# commits, as the page does: a rollback would also make psycopg forget the
# connection's prepared statements. A temporary table is not WAL-logged, so
# this part of the bound is, if anything, cheaper than the page's.
AUDIT_COLUMNS = (
    "firm_id, actor_id, verb, object_type, object_id, object_repr, changes, "
    "ip_address, created_at, prev_hash, body_hash, hash"
)


def _applicants(firm_id: int, case_id: int) -> Statement:
    return (
        "SELECT a.*, ct.* FROM cases_caseapplicant a JOIN contacts_contact ct "
        "ON ct.id = a.contact_id WHERE a.firm_id = %s AND a.case_id = %s "
        "ORDER BY a.position",
        [firm_id, case_id],
    )


def _history(firm_id: int, case_id: int) -> Statement:
    """Every event of the case, as the History card shows them all."""
    return (
        "SELECT e.*, u.first_name, u.last_name FROM cases_caseevent e "
        "LEFT JOIN firms_user u ON u.id = e.actor_id "
        "WHERE e.firm_id = %s AND e.case_id = %s "
        "ORDER BY e.created_at DESC, e.id DESC",
        [firm_id, case_id],
    )


def _case_tasks(firm_id: int, case_id: int) -> Statement:
    """The case page's Tasks card: open first, soonest due, ten."""
    return (
        "SELECT t.*, u.first_name, u.last_name, k.name FROM tasks_task t "
        "LEFT JOIN firms_user u ON u.id = t.assignee_id "
        "LEFT JOIN firms_taskcategory k ON k.id = t.category_id "
        "WHERE t.firm_id = %s AND t.case_id = %s "
        "ORDER BY t.status = 'done', t.due_date NULLS LAST, "
        "t.completed_at DESC NULLS LAST, t.id LIMIT %s",
        [firm_id, case_id, SECTION],
    )


def _case_interactions(firm_id: int, case_id: int) -> Statement:
    """The case page's Interactions card: the newest ten."""
    return (
        "SELECT i.*, k.name, u.first_name, u.last_name "
        "FROM interactions_interaction i "
        "LEFT JOIN firms_interactiontype k ON k.id = i.interaction_type_id "
        "LEFT JOIN firms_user u ON u.id = i.created_by_id "
        "WHERE i.firm_id = %s AND i.case_id = %s "
        "ORDER BY i.occurred_at DESC, i.id DESC LIMIT %s",
        [firm_id, case_id, SECTION],
    )


def advice_case_page(ctx: BenchContext, case_id: int) -> list[Statement]:
    """The case page: case, adviser, details, D&N, review links and every card."""
    f = ctx.firm_id
    clients = (
        "SELECT contact_id FROM cases_caseapplicant WHERE firm_id = %s AND case_id = %s"
    )
    return [
        (
            # The heading's people (adviser, introducer and branch, negotiator,
            # creator), the details, the case it reviews, the Remortgage case
            # opened from it, and the D&N.
            "SELECT c.*, u.first_name, u.last_name, i.*, b.*, n.*, "
            "cr.first_name, cr.last_name, d.*, rv.*, nx.*, nc.*, dn.* "
            "FROM cases_case c "
            "LEFT JOIN firms_user u ON u.id = c.owner_id "
            "LEFT JOIN firms_introducer i ON i.id = c.introducer_id "
            "LEFT JOIN firms_introducerbranch b ON b.id = c.introducer_branch_id "
            "LEFT JOIN firms_negotiator n ON n.id = c.negotiator_id "
            "LEFT JOIN firms_user cr ON cr.id = c.created_by_id "
            "LEFT JOIN advice_mortgagedetails d ON d.case_id = c.id "
            "LEFT JOIN cases_case rv ON rv.id = d.review_of_id "
            "LEFT JOIN advice_mortgagedetails nx ON nx.review_of_id = c.id "
            "LEFT JOIN cases_case nc ON nc.id = nx.case_id "
            "LEFT JOIN advice_demandsneeds dn ON dn.case_id = c.id "
            "WHERE c.firm_id = %s AND c.id = %s",
            [f, case_id],
        ),
        _applicants(f, case_id),
        (
            "SELECT * FROM advice_factfind "  # noqa: S608
            f"WHERE firm_id = %s AND contact_id IN ({clients})",
            [f, f, case_id],
        ),
        _history(f, case_id),
        (
            "SELECT d.*, u.first_name, u.last_name FROM cases_document d "
            "LEFT JOIN firms_user u ON u.id = d.uploaded_by_id "
            "WHERE d.firm_id = %s AND d.case_id = %s "
            "ORDER BY d.created_at DESC, d.id DESC",
            [f, case_id],
        ),
        (
            "SELECT r.*, ct.first_name, ct.last_name FROM portal_requestedaction r "
            "JOIN contacts_contact ct ON ct.id = r.contact_id "
            "WHERE r.firm_id = %s AND r.case_id = %s ORDER BY r.contact_id, r.id",
            [f, case_id],
        ),
        (
            "SELECT * FROM portal_portalaccount "  # noqa: S608
            f"WHERE firm_id = %s AND contact_id IN ({clients})",
            [f, f, case_id],
        ),
        _case_tasks(f, case_id),
        _case_interactions(f, case_id),
        (
            "SELECT l.*, p.* FROM income_incomeline l "
            "LEFT JOIN protection_policy p ON p.id = l.policy_id "
            "WHERE l.firm_id = %s AND l.case_id = %s ORDER BY l.expected_on, l.id",
            [f, case_id],
        ),
        (
            "SELECT * FROM complaints_complaint WHERE firm_id = %s AND case_id = %s "
            "ORDER BY received_on DESC, id DESC",
            [f, case_id],
        ),
    ]


def support_case_page(ctx: BenchContext, case_id: int) -> list[Statement]:
    """The support case page: case, caseworker, details and every section."""
    f = ctx.firm_id
    by_case = "WHERE s.firm_id = %s AND s.case_id = %s"
    return [
        (
            "SELECT c.*, u.first_name, u.last_name, d.* FROM cases_case c "
            "LEFT JOIN firms_user u ON u.id = c.owner_id "
            "LEFT JOIN support_supportdetails d ON d.case_id = c.id "
            "WHERE c.firm_id = %s AND c.id = %s",
            [f, case_id],
        ),
        _applicants(f, case_id),
        (
            f"SELECT s.* FROM support_supportitem s {by_case} "  # noqa: S608
            "ORDER BY s.created_at, s.id",
            [f, case_id],
        ),
        (
            "SELECT s.*, u.first_name, u.last_name FROM support_plannedsupport s "  # noqa: S608
            f"LEFT JOIN firms_user u ON u.id = s.lead_id {by_case} "
            "ORDER BY s.target_date NULLS LAST, s.id",
            [f, case_id],
        ),
        (
            f"SELECT s.* FROM support_openperiod s {by_case} "  # noqa: S608
            "ORDER BY s.opened_at, s.id",
            [f, case_id],
        ),
        (
            # Its own sections: twenty and one more to know of a next page.
            "SELECT i.*, k.name, ct.first_name, ct.last_name, u.first_name "
            "FROM interactions_interaction i "
            "LEFT JOIN firms_interactiontype k ON k.id = i.interaction_type_id "
            "LEFT JOIN contacts_contact ct ON ct.id = i.contact_id "
            "LEFT JOIN firms_user u ON u.id = i.created_by_id "
            "WHERE i.firm_id = %s AND i.case_id = %s "
            "ORDER BY i.occurred_at DESC, i.id DESC LIMIT %s",
            [f, case_id, SUPPORT_SECTION],
        ),
        (
            "SELECT t.*, u.first_name, u.last_name FROM tasks_task t "
            "LEFT JOIN firms_user u ON u.id = t.assignee_id "
            "WHERE t.firm_id = %s AND t.case_id = %s "
            "ORDER BY t.status DESC, t.due_date NULLS LAST, t.id LIMIT %s",
            [f, case_id, SUPPORT_SECTION],
        ),
        (
            "SELECT s.*, ct.first_name, ct.last_name, ct.organisation_name "  # noqa: S608
            "FROM support_externalservice s "
            f"JOIN contacts_contact ct ON ct.id = s.contact_id {by_case} "
            "ORDER BY s.created_at, s.id",
            [f, case_id],
        ),
        _history(f, case_id),
        (
            "SELECT s.*, k.name, u.first_name, u.last_name FROM support_scoreset s "  # noqa: S608
            "JOIN support_outcomescale k ON k.id = s.scale_id "
            f"LEFT JOIN firms_user u ON u.id = s.recorded_by_id {by_case} "
            "ORDER BY k.name, s.scale_id, s.recorded_on, s.id",
            [f, case_id],
        ),
        (
            "SELECT s.*, ct.organisation_name, u.first_name, w.first_name "  # noqa: S608
            "FROM support_referralout s "
            "JOIN contacts_contact ct ON ct.id = s.partner_id "
            "LEFT JOIN firms_user u ON u.id = s.consent_taken_by_id "
            f"LEFT JOIN firms_user w ON w.id = s.created_by_id {by_case} "
            "ORDER BY s.sent_at DESC, s.id DESC",
            [f, case_id],
        ),
    ]


def contact_page(ctx: BenchContext) -> list[Statement]:
    """The client record: the client and every card, and the audit row of the view."""
    f, c = ctx.firm_id, ctx.contact_id
    their_cases = (
        "SELECT case_id FROM cases_caseapplicant WHERE firm_id = %s AND contact_id = %s"
    )
    statements: list[Statement] = [
        (
            "SELECT ct.*, o.organisation_name FROM contacts_contact ct "
            "LEFT JOIN contacts_contact o ON o.id = ct.organisation_id "
            "WHERE ct.firm_id = %s AND ct.id = %s",
            [f, c],
        ),
        (
            "SELECT c.*, u.first_name, u.last_name FROM cases_case c "  # noqa: S608
            "LEFT JOIN firms_user u ON u.id = c.owner_id "
            f"WHERE c.firm_id = %s AND c.id IN ({their_cases}) "
            "ORDER BY c.created_at DESC, c.id DESC LIMIT %s",
            [f, f, c, SECTION],
        ),
        (
            "SELECT d.*, u.first_name, u.last_name FROM cases_document d "
            "LEFT JOIN firms_user u ON u.id = d.uploaded_by_id "
            "WHERE d.firm_id = %s AND d.contact_id = %s "
            "ORDER BY d.created_at DESC, d.id DESC",
            [f, c],
        ),
        (
            "SELECT s.*, cs.reference, cs.is_open FROM support_externalservice s "
            "JOIN cases_case cs ON cs.id = s.case_id "
            "WHERE s.firm_id = %s AND s.contact_id = %s "
            "ORDER BY cs.is_open DESC, s.created_at DESC, s.id DESC LIMIT 20",
            [f, c],
        ),
        (
            "SELECT l.*, u.first_name, u.last_name FROM leads_lead l "
            "LEFT JOIN firms_user u ON u.id = l.owner_id "
            "WHERE l.firm_id = %s AND l.contact_id = %s "
            "ORDER BY l.created_at DESC, l.id DESC LIMIT %s",
            [f, c, SECTION],
        ),
        (
            # The client's own tasks and their cases' tasks (each by its index).
            "SELECT t.*, cs.reference, u.first_name, u.last_name, k.name FROM ("  # noqa: S608
            "SELECT * FROM tasks_task WHERE firm_id = %s AND contact_id = %s "
            "UNION SELECT * FROM tasks_task "
            f"WHERE firm_id = %s AND case_id IN ({their_cases})"
            ") t LEFT JOIN cases_case cs ON cs.id = t.case_id "
            "LEFT JOIN firms_user u ON u.id = t.assignee_id "
            "LEFT JOIN firms_taskcategory k ON k.id = t.category_id "
            "ORDER BY t.status = 'done', t.due_date NULLS LAST, "
            "t.completed_at DESC NULLS LAST, t.id LIMIT %s",
            [f, c, f, f, c, SECTION],
        ),
        (
            # The client's newest interactions and their cases' newest, merged.
            "SELECT i.*, k.name, cs.reference, u.first_name, u.last_name FROM ("  # noqa: S608
            "SELECT * FROM (SELECT * FROM interactions_interaction "
            "WHERE firm_id = %s AND contact_id = %s "
            "ORDER BY occurred_at DESC, id DESC LIMIT %s) mine UNION "
            "SELECT * FROM (SELECT * FROM interactions_interaction "
            f"WHERE firm_id = %s AND case_id IN ({their_cases}) "
            "ORDER BY occurred_at DESC, id DESC LIMIT %s) theirs"
            ") i LEFT JOIN firms_interactiontype k ON k.id = i.interaction_type_id "
            "LEFT JOIN cases_case cs ON cs.id = i.case_id "
            "LEFT JOIN firms_user u ON u.id = i.created_by_id "
            "ORDER BY i.occurred_at DESC, i.id DESC LIMIT %s",
            [f, c, SECTION, f, f, c, SECTION, SECTION],
        ),
        (
            "SELECT * FROM complaints_complaint WHERE firm_id = %s AND contact_id = %s "
            "ORDER BY received_on DESC, id DESC",
            [f, c],
        ),
        (
            "SELECT * FROM contacts_consentrecord "
            "WHERE firm_id = %s AND contact_id = %s "
            "ORDER BY recorded_at DESC, id DESC",
            [f, c],
        ),
        (
            "SELECT e.*, u.first_name, u.last_name FROM contacts_contactevent e "
            "LEFT JOIN firms_user u ON u.id = e.actor_id "
            "WHERE e.firm_id = %s AND e.contact_id = %s "
            "ORDER BY e.created_at DESC, e.id DESC LIMIT %s",
            [f, c, PAGE - 5],
        ),
    ]
    return statements + _audit_view(ctx)


def _audit_view(ctx: BenchContext) -> list[Statement]:
    """The chain's head (locked per firm on PostgreSQL), then the row, committed."""
    now = connection.ops.adapt_datetimefield_value(datetime.now(tz=UTC))
    if connection.vendor == "postgresql":
        create = (
            "CREATE TEMP TABLE IF NOT EXISTS bench_auditevent "
            "(LIKE core_auditevent INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )
        head: list[Statement] = [("SELECT casework_audit_head(%s)", [ctx.firm_id])]
    else:
        create = (
            "CREATE TEMP TABLE IF NOT EXISTS bench_auditevent AS "
            "SELECT * FROM core_auditevent WHERE 0"
        )
        head = [
            (
                "SELECT hash FROM core_auditevent WHERE firm_id = %s "
                "ORDER BY id DESC LIMIT 1",
                [ctx.firm_id],
            )
        ]
    values = [ctx.firm_id, ctx.user_id, "view", "contacts.contact"]
    values += [str(ctx.contact_id), "Bench Client", "{}", "127.0.0.1", now]
    values += ["0" * 64, "1" * 64, "2" * 64]
    return [
        (create, []),
        *head,
        (
            f"INSERT INTO bench_auditevent ({AUDIT_COLUMNS}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(values))})",
            values,
        ),
    ]
