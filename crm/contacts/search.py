"""One search over contacts for the header, pickers, lists and exports (SPEC B2).

Each field is searched through its own index, instead of one OR across
columns that no index can serve; the probes go to the database as one
statement (the fragments' only while the prefixes leave room) and the hits
are ranked in Python:

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

from django.db import connections, router

from crm.contacts.models import NAME_FIELDS, Contact, ContactQuerySet
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
# What a hit's row shows (its name, e-mail and mobile; the dropdown, results
# page and picker) and what ranks it (_exact_values, the name's order).
SHOWN = (
    *NAME_FIELDS,
    "firm_id",
    "mobile",
    "email_norm",
    "mobile_norm",
    "phone_norm",
    "search_name",
    "sort_name",
)


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


@dataclass(frozen=True)
class _Probe:
    """One search's probes as one statement: its SQL and bound values."""

    firm_id: int
    using: str  # the database the router reads contacts from
    term: str
    limit: int
    archived: bool
    kind: str

    @property
    def vendor(self) -> str:
        """Return the database's vendor."""
        return connections[self.using].vendor

    def _like(self, pattern: str) -> str:
        """Return ``pattern`` with the term, LIKE's wildcards escaped in it."""
        escaped = connections[self.using].ops.prep_for_like_query(self.term)
        return pattern.format(escaped)

    def _kept(self, live: str) -> tuple[str, list[str | int]]:
        """Return the live-rows and kind conditions, and their values."""
        sql = "" if self.archived else f" AND {live}"
        if not self.kind:
            return sql, []
        return f"{sql} AND kind = %s", [self.kind]

    def prefix(self, branch: int, column: str) -> tuple[str, list[str | int]]:
        """The first ``limit`` values of ``column`` starting with the term.

        On PostgreSQL in the (firm_id, column varchar_pattern_ops) index's
        byte order (``ORDER BY ... USING ~<~``, which only that index gives and
        the ORM cannot write). Without an order the planner may walk
        ``(firm_id, sort_name)`` in the collation's order, filtering and
        expecting early matches: at 1M contacts "th" read 600,000 rows (224
        ms, against 6 ms), "sm" and "wi" 125 ms (against 0.2). On SQLite a
        byte-order range uses the btree (LIKE with ESCAPE would not).
        """
        if column not in _PATTERN_COLUMNS:  # a name from Query, never typed
            msg = f"No pattern index on {column!r}."
            raise ValueError(msg)
        kept, kept_params = self._kept("NOT is_archived")
        if self.vendor == "postgresql":
            match = f"{column} LIKE %s ORDER BY {column} USING ~<~"
            values: list[str | int] = [self._like("{}%")]
        else:
            match = f"{column} >= %s AND {column} < %s ORDER BY {column}"
            values = [self.term, self.term + _TOP]
        return (
            # The column comes from _PATTERN_COLUMNS, never from the user.
            f"SELECT * FROM (SELECT id, {branch} AS branch, {column} AS sort_key "  # noqa: S608
            f"FROM contacts_contact WHERE firm_id = %s{kept} AND {match} "
            f"LIMIT %s) AS p{branch}",
            [self.firm_id, *kept_params, *values, self.limit],
        )

    def fragment(self, branch: int, column: str) -> tuple[str, list[str | int]]:
        """Up to ``limit`` rows with the term anywhere in ``column``, if the
        prefixes found fewer than ``limit`` contacts (checked once: neither
        database reads the fragment's index when they did).

        No order: hits are ranked in Python, and ordering by name would walk
        the name index instead of the trigram index (the firm-tagged FTS5
        table on SQLite, a (firm_id, column) trigram GIN index on PostgreSQL).
        """
        if column not in _FTS_COLUMNS:  # a name from Query, never typed
            msg = f"No fragment index on {column!r}."
            raise ValueError(msg)
        room = "(SELECT COUNT(DISTINCT id) FROM prefixes) < %s"
        if self.vendor == "postgresql":
            kept, kept_params = self._kept("NOT is_archived")
            # PostgreSQL checks a condition on no column once, before the scan.
            source = (
                f"contacts_contact WHERE firm_id = %s{kept} AND {column} LIKE %s "
                f"AND {room} LIMIT %s"
            )
            values: list[str | int] = [
                self.firm_id,
                *kept_params,
                self._like("%{}%"),
                self.limit,
                self.limit,
            ]
            key = "id"
        else:
            kept, kept_params = self._kept("is_archived = 0")
            # SQLite would check it on every row the FTS5 table yields; its
            # LIMIT is worked out once, and a LIMIT of 0 skips the scan.
            source = (
                f"contacts_contact_fts WHERE {column} GLOB %s{kept} "
                f"LIMIT CASE WHEN {room} THEN %s ELSE 0 END"
            )
            values = [
                _glob_pattern(self.firm_id, self.term),
                *kept_params,
                self.limit,
                self.limit,
            ]
            key = "rowid"
        return (
            # The column comes from _FTS_COLUMNS, never from the user.
            f"SELECT * FROM (SELECT {key} AS id, {branch} AS branch, '' AS sort_key "  # noqa: S608
            f"FROM {source}) AS f{branch}",
            values,
        )


def _probe_statement(probe: _Probe, query: Query) -> tuple[str, list[str | int]]:
    """Return every probe of ``query`` as one statement: prefixes, then fragments.

    The prefixes are read once (a CTE) and both counted and returned; each
    fragment runs only while they number fewer than ``limit``. One round trip
    instead of up to five (bench notes 43).
    """
    parts: list[str] = []
    params: list[str | int] = []
    for branch, column in enumerate(query.columns):
        sql, values = probe.prefix(branch, column)
        parts.append(sql)
        params.extend(values)
    materialized = "MATERIALIZED " if probe.vendor == "postgresql" else ""
    sql = f"WITH prefixes AS {materialized}({' UNION ALL '.join(parts)}) "
    sql += "SELECT id, branch, sort_key FROM prefixes"
    if len(query.term) >= MIN_FRAGMENT:
        first = len(query.columns)
        for branch, column in enumerate(query.fragment_columns, start=first):
            fragment, values = probe.fragment(branch, column)
            sql += f" UNION ALL {fragment}"
            params.extend(values)
    return sql, params


def search_ids(
    *,
    firm: Firm,
    q: str,
    limit: int = 20,
    include_archived: bool = False,
    kind: str = "",
) -> list[tuple[int, int]]:
    """Return up to ``limit`` ``(contact_id, rank)`` pairs for ``q``, best first.

    Prefixes of each column first, each in its byte order, then fragments.
    """
    query = parse(q)
    if query is None or not query.term:
        return []
    using = router.db_for_read(Contact)  # a list's replica, say
    probe = _Probe(
        firm_id=firm.pk,
        using=using,
        term=query.term,
        limit=limit,
        archived=include_archived,
        kind=kind,
    )
    sql, params = _probe_statement(probe, query)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Python's str order is code point order, as the byte order of UTF-8.
    rows.sort(key=lambda row: (row[1], row[2]))
    fragments = len(query.columns)
    ranks: dict[int, int] = {}
    for contact_id, branch, _key in rows:
        ranks.setdefault(contact_id, PREFIX if branch < fragments else FRAGMENT)
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
    contacts = list(Contact.objects.filter(firm=firm, id__in=rank).only(*SHOWN))
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
