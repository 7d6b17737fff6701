"""One search over contacts for the header, pickers and lists (SPEC B2).

Each field is searched through its own index and the hits are combined in
Python, instead of one OR across columns that no index can serve:

- prefixes (the start of a surname, first name, organisation, e-mail or phone)
  use btrees that start with ``firm_id``;
- fragments (any part of a name, e-mail or phone, 3+ characters) use an FTS5
  trigram table on SQLite and pg_trgm GIN indexes on PostgreSQL.

Results rank exact matches first, then prefixes, then fragments, then by name.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection

from crm.contacts.models import Contact, ContactQuerySet
from crm.contacts.normalise import fold, normalise_email, normalise_phone
from crm.firms.models import Firm

if TYPE_CHECKING:
    from crm.leads.models import Lead

MIN_FRAGMENT = 3
PHONE_LIKE = re.compile(r"^[\d\s()+\-.]+$")
_FTS_COLUMNS = {"search_name", "email_norm", "mobile_norm", "phone_norm"}
_TOP = "\U0010ffff"

EXACT, PREFIX, FRAGMENT = 0, 1, 2


@dataclass(frozen=True)
class Query:
    """What the user typed, classified and normalised."""

    kind: str  # "email", "phone" or "name"
    term: str

    @property
    def columns(self) -> tuple[str, ...]:
        if self.kind == "email":
            return ("email_norm",)
        if self.kind == "phone":
            return ("mobile_norm", "phone_norm")
        return ("sort_name", "search_name", "email_norm")

    @property
    def fragment_columns(self) -> tuple[str, ...]:
        if self.kind == "name":
            return ("search_name", "email_norm")
        return self.columns


def parse(q: str) -> Query | None:
    """Classify ``q`` as an e-mail, phone or name search; None if empty."""
    q = " ".join(q.split())
    if not q:
        return None
    if "@" in q:
        return Query("email", normalise_email(q))
    if PHONE_LIKE.match(q) and sum(c.isdigit() for c in q) >= 3:
        return Query("phone", normalise_phone(q))
    return Query("name", fold(q))


def _glob_pattern(term: str) -> str:
    """Return a GLOB pattern matching ``term`` anywhere (FTS5 indexes GLOB)."""
    escaped = "".join(f"[{c}]" if c in "*?[]" else c for c in term)
    return f"*{escaped}*"


def _base(firm: Firm, include_archived: bool) -> ContactQuerySet:
    qs = Contact.objects.filter(firm=firm)
    if not include_archived:
        qs = qs.filter(is_archived=False)
    return qs


def _prefix_ids(qs: ContactQuerySet, column: str, term: str, limit: int) -> list[int]:
    if connection.vendor == "sqlite":
        # A byte-order range uses the btree; LIKE with ESCAPE would not.
        hits = qs.filter(**{f"{column}__gte": term, f"{column}__lt": term + _TOP})
    else:
        hits = qs.filter(**{f"{column}__startswith": term})
    return list(hits.order_by(column).values_list("id", flat=True)[:limit])


def _fragment_ids(
    firm: Firm, qs: ContactQuerySet, column: str, term: str, limit: int, archived: bool
) -> list[int]:
    if len(term) < MIN_FRAGMENT:
        return []
    if connection.vendor == "sqlite" and column in _FTS_COLUMNS:
        # The trigram index finds candidates; firm and archive state are read
        # per candidate, so the scan stops as soon as ``limit`` are found.
        # The column name comes from _FTS_COLUMNS, never from the user.
        sql = (
            f"SELECT rowid FROM contacts_contact_fts WHERE {column} GLOB %s "  # noqa: S608
            "AND firm_id = %s"
            + ("" if archived else " AND is_archived = 0")
            + " LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [_glob_pattern(term), firm.pk, limit])
            return [row[0] for row in cursor.fetchall()]
    hits = qs.filter(**{f"{column}__contains": term})
    return list(hits.values_list("id", flat=True)[:limit])


def search_ids(
    *, firm: Firm, q: str, limit: int = 20, include_archived: bool = False
) -> list[tuple[int, int]]:
    """Return up to ``limit`` ``(contact_id, rank)`` pairs for ``q``, best first."""
    query = parse(q)
    if query is None or not query.term:
        return []
    qs = _base(firm, include_archived)
    ranks: dict[int, int] = {}
    for column in query.columns:
        for contact_id in _prefix_ids(qs, column, query.term, limit):
            ranks.setdefault(contact_id, PREFIX)
    if len(ranks) < limit:
        for column in query.fragment_columns:
            for contact_id in _fragment_ids(
                firm, qs, column, query.term, limit, include_archived
            ):
                ranks.setdefault(contact_id, FRAGMENT)
    return list(ranks.items())


def contact_search(
    *, firm: Firm, q: str, limit: int = 20, include_archived: bool = False
) -> list[Contact]:
    """Return the firm's contacts matching any part of a name, e-mail or phone."""
    pairs = search_ids(firm=firm, q=q, limit=limit, include_archived=include_archived)
    if not pairs:
        return []
    query = parse(q)
    assert query is not None  # noqa: S101 - pairs imply a query
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


def contact_search_queryset(
    *, firm: Firm, q: str, limit: int = 500, include_archived: bool = False
) -> ContactQuerySet:
    """Return a queryset of the (at most ``limit``) contacts matching ``q``.

    For lists and exports that filter by a search: the matching ids are found
    through the indexes first, then the caller sorts and pages the queryset.
    """
    ids = [
        contact_id
        for contact_id, _rank in search_ids(
            firm=firm, q=q, limit=limit, include_archived=include_archived
        )
    ]
    return _base(firm, include_archived).filter(id__in=ids)


def lead_hits(*, firm: Firm, contacts: list[Contact], limit: int) -> list["Lead"]:
    """Return the open leads of ``contacts`` for the search's Leads group."""
    from crm.leads.models import Lead

    if not contacts:
        return []
    return list(
        Lead.objects.filter(firm=firm, contact__in=[c.pk for c in contacts])
        .open()
        .select_related("contact", "owner")
        .order_by("-created_at")[:limit]
    )
