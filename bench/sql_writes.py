"""Hand-written SQL for the writes: Create Case, new client or from a lead.

The bound does what Create Case must do, as a person would write it, one
statement for each thing and no more: after the member's session and
membership (``operations.with_request_context``), the wizard's draft read
and spent (its one-time token, A10), the lead and its client (from a lead),
the duplicate search of a new client's e-mail (B3), the adviser's right to
own cases, the case number from its counter, the rows of the contact, case,
applicant and mortgage details, the case tally (and the lead tally), the
history and timeline rows (one insert each), the audit rows chained from the
firm's head (one head, one insert), the webhook endpoints that may listen,
the member's remembered choices, the token's answer and the session's
message. Before bench notes item 42 it wrote the rows only (8 statements
against the page's 38). The runner rolls it back; neither side's COMMIT is
timed.
"""

import datetime as dt
from collections import Counter
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.db import connection, models
from django.utils import timezone

from bench.context import BenchContext
from bench.loader import Row, Table
from bench.sql import FAKE_ID, Statement, new_client
from crm.advice.models import MortgageDetails, WizardDraft, WizardPreference
from crm.cases.models import Case, CaseApplicant, CaseEvent
from crm.cases.tally import services as case_tally
from crm.contacts.models import Contact, ContactEvent
from crm.core.models import AuditEvent, SpentToken
from crm.leads.models import LeadEvent
from crm.leads.tally import services as lead_tally


@cache
def _table(model: type[models.Model]) -> Table:
    return Table(model)


def _insert(model: type[models.Model], *rows: Row) -> Statement:
    """One ``INSERT`` of ``rows`` (one or more) with every column of ``model``."""
    table = _table(model)
    cols = ", ".join(table.columns)
    marks = ", ".join(["(" + ", ".join(["%s"] * len(table.columns)) + ")"] * len(rows))
    values = [value for row in rows for value in table.pack(row)]
    return f"INSERT INTO {table.name} ({cols}) VALUES {marks}", values  # noqa: S608


def _tally(table: str, key: str, deltas: Counter[tuple[Any, ...]]) -> Statement:
    """The upsert of a tally's changed counts (``crm.core.rollups.upsert``'s job)."""
    rows = sorted(deltas.items())
    width = len(rows[0][0]) + 1
    marks = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(rows))
    values = [v for k, n in rows for v in (*k, n)]
    return (
        f"INSERT INTO {table} ({key}, n) VALUES {marks} "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + EXCLUDED.n",
        values,
    )


def _case_tally(ctx: BenchContext, today: dt.date) -> Statement:
    state = case_tally.CaseState(
        kind="mortgage",
        status="call_back",
        is_open=True,
        opened=today,
        closed=None,
        owner=ctx.user_id,
        introducer=0,
    )
    deltas = Counter((ctx.firm_id, *key) for key in case_tally.keys_of(state))
    return _tally(
        "cases_casetally",
        'firm_id, fact, grain, "by", period, owner_key, introducer_key, kind, '
        "status, detail",
        deltas,
    )


def _lead_tally(ctx: BenchContext, today: dt.date) -> Statement:
    deltas: Counter[tuple[Any, ...]] = Counter()
    for outcome, n in (("", -1), ("converted", 1)):
        for key in lead_tally.keys(today, ctx.user_id, 0, outcome):
            deltas[(ctx.firm_id, *key)] += n
    return _tally(
        "leads_leadtally",
        'firm_id, grain, "by", period, owner_key, introducer_key, outcome',
        deltas,
    )


def _audit(base: Row, pk: int, *subjects: tuple[str, int]) -> list[Statement]:
    """The firm's chain head (locked), then its new rows in one insert."""
    head: Statement = (
        ("SELECT casework_audit_head(%s)", [base["firm_id"]])
        if connection.vendor == "postgresql"
        else (
            "SELECT hash FROM core_auditevent WHERE firm_id = %s "
            "ORDER BY id DESC LIMIT 1",
            [base["firm_id"]],
        )
    )
    rows = [
        {**base, "id": pk + n, "object_type": kind, "object_id": str(obj)}
        for n, (kind, obj) in enumerate(subjects)
    ]
    return [head, _insert(AuditEvent, *rows)]


def case_insert(
    ctx: BenchContext, i: int, *, lead: tuple[int, int] | None
) -> list[Statement]:
    """What Create Case does for a new client, or for a lead's client."""
    f, u, now, pk = ctx.firm_id, ctx.user_id, datetime.now(tz=UTC), FAKE_ID + 10 * i
    today = timezone.localdate(now)
    base = {"firm_id": f, "created_at": now, "updated_at": now}
    token = f"bench-token-{i}-{now:%H%M%S%f}"
    owner: Statement = (
        "SELECT u.id, u.first_name, u.last_name FROM firms_membership m "
        "JOIN firms_user u ON u.id = m.user_id WHERE m.firm_id = %s "
        "AND m.user_id = %s AND m.is_active "
        "AND m.role IN ('owner', 'manager', 'adviser', 'administrator')",
        [f, u],
    )
    statements: list[Statement] = [
        (
            f"SELECT data FROM {WizardDraft._meta.db_table} "  # noqa: S608
            "WHERE firm_id = %s AND user_id = %s",
            [f, u],
        ),
        _insert(SpentToken, {**base, "id": pk, "token": token, "purpose": "wizard"}),
        (
            f"DELETE FROM {WizardDraft._meta.db_table} "  # noqa: S608
            "WHERE firm_id = %s AND user_id = %s",
            [f, u],
        ),
    ]
    if lead is None:
        client = new_client(i)
        contact_id = pk
        statements += [
            (
                "SELECT id, first_name, last_name, email, mobile FROM contacts_contact "
                "WHERE firm_id = %s AND email_norm = %s ORDER BY id LIMIT 5",
                [f, client["email"]],
            ),
            owner,
            _insert(
                Contact,
                {
                    **base,
                    "id": pk,
                    "first_name": "Bench",
                    "last_name": client["last_name"],
                    "email": client["email"],
                },
            ),
        ]
        timeline = [
            {**base, "id": pk, "contact_id": pk, "type": "created"},
            {**base, "id": pk + 1, "contact_id": pk, "type": "case_created"},
        ]
        audited = [("contacts.contact", pk), ("cases.case", pk)]
    else:
        contact_id = lead[1]
        statements += [
            (
                "SELECT l.id, l.status, l.owner_id, l.introducer_id, l.created_at, "
                "c.id, c.first_name, c.last_name, c.email_norm, c.mobile_norm "
                "FROM leads_lead l JOIN contacts_contact c ON c.id = l.contact_id "
                "WHERE l.firm_id = %s AND l.id = %s",
                [f, lead[0]],
            ),
            owner,
        ]
        timeline = [
            {**base, "id": pk, "contact_id": contact_id, "type": "case_created"},
            {**base, "id": pk + 1, "contact_id": contact_id, "type": "lead_converted"},
        ]
        audited = [("cases.case", pk), ("leads.lead", lead[0])]
    statements += [
        (
            "UPDATE cases_casereferencecounter SET last_number = last_number + 1 "
            "WHERE firm_id = %s AND kind = 'mortgage' RETURNING last_number",
            [f],
        ),
        _insert(
            Case,
            {
                **base,
                "id": pk,
                "kind": "mortgage",
                "number": 2_000_000_000 + i,
                "reference": f"BENCH-{pk}",
                "status": "call_back",
                "owner_id": u,
                "lead_id": lead and lead[0],
            },
        ),
        _insert(
            CaseApplicant,
            {
                "firm_id": f,
                "id": pk,
                "case_id": pk,
                "contact_id": contact_id,
                "position": 1,
            },
        ),
        _insert(MortgageDetails, {"firm_id": f, "id": pk, "case_id": pk}),
        _case_tally(ctx, today),
        _insert(CaseEvent, {**base, "id": pk, "case_id": pk, "type": "created"}),
    ]
    if lead is not None:
        statements += [
            (
                "UPDATE leads_lead SET status = 'converted', status_rank = 5, "
                "converted_at = %s, updated_at = %s WHERE firm_id = %s AND id = %s",
                [*[connection.ops.adapt_datetimefield_value(now)] * 2, f, lead[0]],
            ),
            _lead_tally(ctx, today),
            _insert(
                LeadEvent, {**base, "id": pk, "lead_id": lead[0], "type": "converted"}
            ),
        ]
    statements += [
        _insert(ContactEvent, *timeline),
        *_audit(base, pk, *audited),
        (
            "SELECT id, url, event_types, secret FROM webhooks_webhookendpoint "
            "WHERE firm_id = %s AND is_active",
            [f],
        ),
        (
            f"UPDATE {WizardPreference._meta.db_table} SET adviser_id = %s, "  # noqa: S608
            "introducer_id = NULL, introducer_branch_id = NULL, negotiator_id = NULL, "
            "follow_up_days = NULL WHERE firm_id = %s AND user_id = %s",
            [u, f, u],
        ),
        (
            f"UPDATE {SpentToken._meta.db_table} SET result_url = %s "  # noqa: S608
            "WHERE firm_id = %s AND token = %s",
            [f"/cases/new/done/{pk}/", f, token],
        ),
        (
            "UPDATE django_session SET session_data = %s, expire_date = %s "
            "WHERE session_key = %s",
            ["x" * 400, now, "bench-session-key-0123456789abcdef"],
        ),
    ]
    return statements
