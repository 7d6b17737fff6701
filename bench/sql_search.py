# ruff: noqa: S608 (column names from fixed sets; every value a bound parameter)
"""Hand-written SQL for the header search: what its dropdown shows (bench notes 43).

The dropdown shows up to 8 contacts, exact matches first, then those whose
surname-first name, first-name-first name or e-mail starts with the words
(an e-mail's or phone's own columns for those), then, while those leave room,
those with the words inside a name or e-mail; the open leads of those contacts;
and the cases whose reference starts with the words or whose clients they are,
each with its clients' names. A person would write one statement for each of
the three, each probe through its own index:

1. the contacts: every probe in one statement, the prefixes read once (a CTE)
   and counted, so the fragments' scans run only while they leave room;
2. the open leads of the contacts statement 1 found;
3. the cases by reference or through those contacts, newest open first, with
   their applicants' names in one aggregate.

Statements 2 and 3 take the ids statement 1 returned; they are found once, when
the bound is first built, outside its timing.
"""

from functools import cache
from typing import Any

from django.db import connection

from bench.context import BenchContext
from crm.contacts.search import MIN_FRAGMENT, firm_tag, parse
from crm.leads.choices import OPEN_STATUSES

Statement = tuple[str, list[Any]]
LIMIT = 8  # the dropdown's rows per group


def header_search(ctx: BenchContext, q: str) -> list[Statement]:
    """Return the three statements of the header search's dropdown for ``q``."""
    ids = _contact_ids(ctx.firm_id, q)
    return [_contacts(ctx.firm_id, q), *_leads(ctx, ids), _cases(ctx, q, ids)]


def _contacts(firm_id: int, q: str) -> Statement:
    query = parse(q)
    if query is None:
        msg = f"Nothing to search for in {q!r}."
        raise ValueError(msg)
    pg = connection.vendor == "postgresql"
    prefixes, params = [], []
    for column in query.columns:
        if pg:
            match = f"{column} LIKE %s ORDER BY {column} USING ~<~"
            values: list[Any] = [query.term + "%"]
        else:
            match = f"{column} >= %s AND {column} < %s ORDER BY {column}"
            values = [query.term, query.term + "\U0010ffff"]
        prefixes.append(
            "SELECT * FROM (SELECT id, 1 AS rank FROM contacts_contact "
            f"WHERE firm_id = %s AND NOT is_archived AND {match} LIMIT {LIMIT}) AS p"
        )
        params += [firm_id, *values]
    # While the prefixes leave room: PostgreSQL checks a condition on no column
    # once; SQLite works out a LIMIT once (and would check the condition on
    # every row the FTS5 table yields).
    room = f"(SELECT COUNT(*) FROM prefixes) < {LIMIT}"
    fragments = []
    for column in query.fragment_columns if len(query.term) >= MIN_FRAGMENT else ():
        if pg:
            source = f"SELECT id, 2 FROM contacts_contact WHERE firm_id = %s AND NOT is_archived AND {column} LIKE %s AND {room} LIMIT {LIMIT}"  # noqa: E501
            params += [firm_id, f"%{query.term}%"]
        else:
            source = f"SELECT rowid, 2 FROM contacts_contact_fts WHERE {column} GLOB %s AND is_archived = 0 LIMIT CASE WHEN {room} THEN {LIMIT} ELSE 0 END"  # noqa: E501
            params.append(f"{firm_tag(firm_id)}*{query.term}*")
        fragments.append(f"SELECT * FROM ({source}) AS f")
    materialized = "MATERIALIZED " if pg else ""
    found = " UNION ALL ".join(["SELECT id, rank FROM prefixes", *fragments])
    sql = (
        f"WITH prefixes AS {materialized}({' UNION ALL '.join(prefixes)}), "
        f"found AS ({found}) "
        "SELECT ct.id, ct.kind, ct.first_name, ct.last_name, ct.organisation_name, "
        "ct.email, ct.mobile, o.organisation_name, CASE WHEN %s IN (ct.email_norm, "
        "ct.mobile_norm, ct.phone_norm, ct.search_name) THEN 0 ELSE h.rank END AS r "
        "FROM (SELECT id, MIN(rank) AS rank FROM found GROUP BY id) AS h "
        "JOIN contacts_contact ct ON ct.id = h.id "
        "LEFT JOIN contacts_contact o ON o.id = ct.organisation_id "
        f"ORDER BY r, ct.sort_name, ct.id LIMIT {LIMIT}"
    )
    return sql, [*params, query.term]


@cache
def _contact_ids(firm_id: int, q: str) -> tuple[int, ...]:
    """Return the ids statement 1 finds (once a run: the data do not change)."""
    sql, params = _contacts(firm_id, q)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(row[0] for row in cursor.fetchall())


def _leads(ctx: BenchContext, ids: tuple[int, ...]) -> list[Statement]:
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    statuses = ", ".join(["%s"] * len(OPEN_STATUSES))
    return [
        (
            "SELECT id, contact_id, status FROM leads_lead "
            f"WHERE firm_id = %s AND contact_id IN ({marks}) "
            f"AND status IN ({statuses}) "
            f"ORDER BY created_at DESC LIMIT {LIMIT}",
            [ctx.firm_id, *ids, *OPEN_STATUSES],
        )
    ]


def _cases(ctx: BenchContext, q: str, ids: tuple[int, ...]) -> Statement:
    reference = q.strip().upper()
    sources = [
        "SELECT * FROM (SELECT id FROM cases_case WHERE firm_id = %s "
        f"AND reference >= %s AND reference < %s LIMIT {LIMIT}) AS r"
    ]
    params: list[Any] = [ctx.firm_id, reference, reference + "\uffff"]
    if ids:
        marks = ", ".join(["%s"] * len(ids))
        sources.append(
            "SELECT * FROM (SELECT case_id FROM cases_caseapplicant "
            f"WHERE firm_id = %s AND contact_id IN ({marks}) "
            f"ORDER BY case_id DESC LIMIT {LIMIT}) AS a"
        )
        params += [ctx.firm_id, *ids]
    if connection.vendor == "postgresql":
        names = "STRING_AGG(ct.first_name || ' ' || ct.last_name, ' & ' ORDER BY a.position)"  # noqa: E501
    else:
        names = "GROUP_CONCAT(ct.first_name || ' ' || ct.last_name, ' & ')"
    return (
        f"SELECT c.id, c.reference, c.title, c.status, c.kind, {names} "
        f"FROM ({' UNION '.join(sources)}) AS h JOIN cases_case c ON c.id = h.id "
        "JOIN cases_caseapplicant a ON a.case_id = c.id "
        "JOIN contacts_contact ct ON ct.id = a.contact_id "
        "GROUP BY c.id, c.reference, c.title, c.status, c.kind, c.is_open, "
        "c.created_at "
        f"ORDER BY c.is_open DESC, c.created_at DESC LIMIT {LIMIT}",
        params,
    )
