"""One search over contacts for the header, pickers, lists and exports (SPEC B2).

Each field is searched through its own index and the hits are combined in
Python, instead of one OR across columns that no index can serve:

- prefixes (the start of a surname, first name, e-mail or phone) use btrees
  that start with ``firm_id``;
- fragments (any part of a name, e-mail or phone, 3+ characters) use an FTS5
  trigram table on SQLite, whose values carry a firm tag so only that firm's
  postings are read, and ``(firm_id, column)`` trigram GIN indexes on
  PostgreSQL.

Results rank exact matches first, then prefixes, then fragments, then by name.
"""

import re
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, connections

from crm.contacts.models import Contact, ContactQuerySet
from crm.contacts.normalise import fold, normalise_email, normalise_phone
from crm.firms.models import Firm

MIN_FRAGMENT = 3
MAX_QUERY = 100
PHONE_LIKE = re.compile(r"^[\d\s()+\-.]+$")
_FTS_COLUMNS = {"search_name", "email_norm", "mobile_norm", "phone_norm"}
# Columns with a (firm_id, column varchar_pattern_ops) index on PostgreSQL.
_PATTERN_COLUMNS = {"sort_name", *_FTS_COLUMNS}
_TOP = "\U0010ffff"

EXACT, PREFIX, FRAGMENT = 0, 1, 2


@dataclass(frozen=True)
class Query:
    """What the user typed, classified and normalised."""

    kind: str  # "email", "phone" or "name"
    term: str

    @property
    def columns(self) -> tuple[str, ...]:
        """Return the columns searched for a prefix."""
        if self.kind == "email":
            return ("email_norm",)
        if self.kind == "phone":
            return ("mobile_norm", "phone_norm")
        return ("sort_name", "search_name", "email_norm")

    @property
    def fragment_columns(self) -> tuple[str, ...]:
        """Return the columns searched for a fragment."""
        if self.kind == "name":
            return ("search_name", "email_norm")
        return self.columns


def parse(q: str) -> Query | None:
    """Classify ``q`` as an e-mail, phone or name search; None if empty."""
    q = " ".join(q.replace("\x00", "").split())[:MAX_QUERY]
    if not q:
        return None
    if "@" in q:
        return Query("email", normalise_email(q))
    if PHONE_LIKE.match(q) and sum(c.isdigit() for c in q) >= 3:
        return Query("phone", normalise_phone(q))
    return Query("name", fold(q))


def firm_tag(firm_id: int) -> str:
    """Return the prefix every FTS value of the firm carries (see migration 0002)."""
    return f"f{firm_id:08d}|"


def _glob_pattern(firm_id: int, term: str) -> str:
    """Return a GLOB pattern for ``term`` anywhere in one firm's values."""
    escaped = "".join(f"[{c}]" if c in "*?[]" else c for c in term)
    return f"{firm_tag(firm_id)}*{escaped}*"


def _base(firm: Firm, include_archived: bool, kind: str) -> ContactQuerySet:
    qs = Contact.objects.filter(firm=firm)
    if not include_archived:
        qs = qs.filter(is_archived=False)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def _prefix_ids(
    firm: Firm,
    qs: ContactQuerySet,
    column: str,
    term: str,
    limit: int,
    *,
    archived: bool,
    kind: str,
) -> list[int]:
    if connection.vendor == "postgresql":
        return _pattern_prefix_ids(firm, qs.db, column, term, limit, archived, kind)
    # A byte-order range uses the btree; LIKE with ESCAPE would not.
    hits = qs.filter(**{f"{column}__gte": term, f"{column}__lt": term + _TOP}).order_by(
        column
    )
    return list(hits.values_list("id", flat=True)[:limit])


def _pattern_prefix_ids(
    firm: Firm,
    using: str,
    column: str,
    term: str,
    limit: int,
    archived: bool,
    kind: str,
) -> list[int]:
    """PostgreSQL: the first hits of the (firm_id, column varchar_pattern_ops) index.

    That index answers ``LIKE 'x%'`` and yields rows in byte order; asking
    for that order (``ORDER BY ... USING ~<~``, which only that index gives
    and the ORM cannot write) keeps PostgreSQL on it. Without an order it may
    walk ``(firm_id, sort_name)`` in the collation's order instead, filtering
    and expecting the first matches early: at 1M contacts "th" read 600,000
    rows (224 ms, against 6 ms), "sm" and "wi" 125 ms (against 0.2). ``using``
    is the database the router reads contacts from (a replica, for a list).
    """
    if column not in _PATTERN_COLUMNS:  # a name from Query, never typed
        msg = f"No pattern index on {column!r}."
        raise ValueError(msg)
    database = connections[using]
    return _raw_ids(
        using,
        "SELECT id FROM contacts_contact WHERE firm_id = %s",
        [firm.pk],
        live="NOT is_archived",
        archived=archived,
        kind=kind,
        # The column comes from _PATTERN_COLUMNS, never from the user.
        tail=f" AND {column} LIKE %s ORDER BY {column} USING ~<~ LIMIT %s",
        tail_params=[database.ops.prep_for_like_query(term) + "%", limit],
    )


def _fts_ids(
    firm: Firm, column: str, term: str, limit: int, archived: bool, kind: str
) -> list[int]:
    return _raw_ids(
        DEFAULT_DB_ALIAS,
        # The column name comes from _FTS_COLUMNS, never from the user.
        f"SELECT rowid FROM contacts_contact_fts WHERE {column} GLOB %s",  # noqa: S608
        [_glob_pattern(firm.pk, term)],
        live="is_archived = 0",
        archived=archived,
        kind=kind,
        tail=" LIMIT %s",
        tail_params=[limit],
    )


def _raw_ids(
    using: str,
    sql: str,
    params: list[str | int],
    *,
    live: str,
    archived: bool,
    kind: str,
    tail: str,
    tail_params: list[str | int],
) -> list[int]:
    """Run a probe written in SQL: ``sql`` kept to ``live`` rows (unless
    ``archived``) and to ``kind`` (if given), then ``tail``; every value is
    a bound parameter."""
    if not archived:
        sql += f" AND {live}"
    if kind:
        sql += " AND kind = %s"
        params = [*params, kind]
    with connections[using].cursor() as cursor:
        cursor.execute(sql + tail, [*params, *tail_params])
        return [row[0] for row in cursor.fetchall()]


def _fragment_ids(
    firm: Firm,
    qs: ContactQuerySet,
    column: str,
    term: str,
    limit: int,
    *,
    archived: bool,
    kind: str,
) -> list[int]:
    if len(term) < MIN_FRAGMENT:
        return []
    if connection.vendor == "sqlite" and column in _FTS_COLUMNS:
        return _fts_ids(firm, column, term, limit, archived, kind)
    # No ORDER BY: results are ranked in Python, and ordering by name would
    # walk the name index instead of the trigram index.
    hits = qs.filter(**{f"{column}__contains": term}).order_by()
    return list(hits.values_list("id", flat=True)[:limit])


def search_ids(
    *,
    firm: Firm,
    q: str,
    limit: int = 20,
    include_archived: bool = False,
    kind: str = "",
) -> list[tuple[int, int]]:
    """Return up to ``limit`` ``(contact_id, rank)`` pairs for ``q``, best first."""
    query = parse(q)
    if query is None or not query.term:
        return []
    qs = _base(firm, include_archived, kind)
    ranks: dict[int, int] = {}
    for column in query.columns:
        for contact_id in _prefix_ids(
            firm,
            qs,
            column,
            query.term,
            limit,
            archived=include_archived,
            kind=kind,
        ):
            ranks.setdefault(contact_id, PREFIX)
    if len(ranks) < limit:
        for column in query.fragment_columns:
            for contact_id in _fragment_ids(
                firm,
                qs,
                column,
                query.term,
                limit,
                archived=include_archived,
                kind=kind,
            ):
                ranks.setdefault(contact_id, FRAGMENT)
    return list(ranks.items())


def contact_search(
    *,
    firm: Firm,
    q: str,
    limit: int = 20,
    include_archived: bool = False,
    kind: str = "",
) -> list[Contact]:
    """Return the firm's contacts matching any part of a name, e-mail or phone."""
    pairs = search_ids(
        firm=firm, q=q, limit=limit, include_archived=include_archived, kind=kind
    )
    query = parse(q)
    if not pairs or query is None:
        return []
    rank = dict(pairs)
    contacts = list(
        Contact.objects.filter(firm=firm, id__in=rank).select_related("organisation")
    )
    for contact in contacts:
        if query.term in _exact_values(contact):
            rank[contact.pk] = EXACT
    contacts.sort(key=lambda c: (rank[c.pk], c.sort_name, c.pk))
    return contacts[:limit]


def _exact_values(contact: Contact) -> set[str]:
    values = {contact.email_norm, contact.mobile_norm, contact.phone_norm}
    values.add(fold(contact.last_name))
    values.add(fold(contact.first_name))
    values.add(contact.search_name)
    values.add(fold(f"{contact.first_name} {contact.last_name}"))
    values.discard("")
    return values


@dataclass(frozen=True)
class Matches:
    """The ids of contacts matching a search, and whether the cap cut them off."""

    ids: list[int]
    capped: bool


def contact_match_ids(
    *, firm: Firm, q: str, limit: int, include_archived: bool = False
) -> Matches:
    """Return up to ``limit`` matching ids, for lists and exports to filter by.

    ``capped`` says there may be more than ``limit`` matches, so the page can
    ask the user to narrow the search instead of silently dropping rows.
    """
    pairs = search_ids(
        firm=firm, q=q, limit=limit + 1, include_archived=include_archived
    )
    ids = [contact_id for contact_id, _rank in pairs]
    return Matches(ids=ids[:limit], capped=len(ids) > limit)


def contact_search_queryset(
    *, firm: Firm, q: str, limit: int = 500, include_archived: bool = False
) -> ContactQuerySet:
    """Return a queryset of the (at most ``limit``) contacts matching ``q``."""
    matches = contact_match_ids(
        firm=firm, q=q, limit=limit, include_archived=include_archived
    )
    return _base(firm, include_archived, "").filter(id__in=matches.ids)
