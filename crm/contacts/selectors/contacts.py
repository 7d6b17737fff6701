"""Reads about contacts: one, lists, the timeline."""

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.http import QueryDict

from crm.contacts import search
from crm.contacts.choices import ContactKind
from crm.contacts.models import NAME_FIELDS, Contact, ContactEvent, ContactQuerySet
from crm.core import visibility
from crm.core.exceptions import NotFound
from crm.core.http import parse_id
from crm.core.keyset_prepared import PreparedPages
from crm.core.pagination import (
    Page,
    keyset_paginate,
    page_of,
    page_offset,
)
from crm.core.prepared import Prepared
from crm.core.principals import Principal
from crm.firms.models import Firm

SORTS = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
}
DEFAULT_SORT = "name"

# What a row of the Clients list draws (the name and link, the kind's badge,
# the organisation's name, e-mail, phone, town, added), for ``contact_page``:
# the rest of a contact's 39 columns, and its organisation's, cost their
# conversion and model set-up on every row. Reading another field of a listed
# contact costs a query; the list's query-count test draws every column. Sorts
# need no field here: the page's keys are read as annotations.
ROW_FIELDS = (
    "id",
    "firm_id",
    *NAME_FIELDS,
    "mobile",
    "other_phone",
    "town",
    "created_at",
    *(f"organisation__{name}" for name in NAME_FIELDS),
)


@dataclass(frozen=True)
class ContactListQuery:
    """The Clients list's filters and sort, parsed once from the query string.

    Built by ``crm.contacts.filters.ContactFilterSet``; the page and the CSV
    export pass it to ``contact_list`` (``**query.as_kwargs()``), so they agree.
    """

    kind: str = ""
    archived: bool = False
    q: str = ""
    sort: str = DEFAULT_SORT

    def as_kwargs(self) -> dict[str, Any]:
        """Return the query as ``contact_list``'s keyword arguments."""
        return asdict(self)


@dataclass(frozen=True)
class ContactList:
    """The contacts of a list query; ``capped`` if a search hit its limit."""

    contacts: ContactQuerySet
    capped: bool = False


def contact_get(*, firm: Firm, contact_id: int) -> Contact:
    """Return one of the firm's contacts (archived too) or raise ``NotFound``.

    Read by SQL compiled once (``crm.core.prepared``).
    """
    found = _CONTACT(firm_id=firm.pk, contact_id=contact_id)
    if not found:
        raise NotFound
    return found[0]


def _contact(*, firm_id: int, contact_id: int) -> QuerySet[Contact]:
    return Contact.objects.select_related("organisation").filter(
        firm_id=firm_id, pk=contact_id
    )


_CONTACT = Prepared(Contact, _contact)


def person_picked(*, firm: Firm, raw: object) -> Contact | None:
    """Return the person a contact picker posted (an id as text), or None.

    None for junk, another firm's contact or an organisation, so a form can
    ask again instead of failing.
    """
    contact_id = parse_id(raw)
    if contact_id is None:
        return None
    try:
        contact = contact_get(firm=firm, contact_id=contact_id)
    except NotFound:
        return None
    return contact if contact.kind == ContactKind.PERSON else None


def people_picked(*, firm: Firm, raws: list[object]) -> dict[int, Contact]:
    """Return the people several pickers posted, by id, in one query.

    Junk, another firm's contacts and organisations are left out, as in
    ``person_picked``.
    """
    ids = {i for raw in raws if (i := parse_id(raw)) is not None}
    if not ids:
        return {}
    people = Contact.objects.filter(firm=firm, pk__in=ids, kind=ContactKind.PERSON)
    return {person.pk: person for person in people}


def contact_list(
    *,
    firm: Firm,
    kind: str = "",
    archived: bool = False,
    q: str = "",
    sort: str = DEFAULT_SORT,
    search_limit: int,
    row_only: bool = False,
) -> ContactList:
    """Return the firm's contacts filtered by kind, archive state and search, sorted.

    A search keeps the first ``search_limit`` matches and says if it stopped
    there. With ``row_only`` the contacts carry only what a row draws
    (``ROW_FIELDS``).
    """
    qs = _contacts(
        firm_id=firm.pk, kind=kind, archived=archived, sort=sort, row_only=row_only
    )
    if not q:
        return ContactList(contacts=qs)
    matches = search.contact_match_ids(
        firm=firm, q=q, limit=search_limit, include_archived=archived
    )
    return ContactList(contacts=qs.filter(id__in=matches.ids), capped=matches.capped)


def contact_page(
    *, firm: Firm, params: Any, per_page: int, search_limit: int, **query: Any
) -> tuple[Page[Contact], bool]:
    """Return a page of ``contact_list`` read by key, and whether a search was capped.

    Without a search its statements are compiled once a process
    (``crm.core.keyset_prepared``): the same SQL, rows and cursors.
    """
    if query.get("q"):
        found = contact_list(
            firm=firm, search_limit=search_limit, row_only=True, **query
        )
        page = keyset_paginate(found.contacts, params=params, per_page=per_page)
        return page, found.capped
    del query["q"]
    page = _CONTACT_PAGES.page(
        firm_id=firm.pk, params=params, per_page=per_page, row_only=True, **query
    )
    return page, False


def _contacts(
    *, firm_id: int, kind: str, archived: bool, sort: str, row_only: bool = False
) -> ContactQuerySet:
    qs = Contact.objects.filter(firm_id=firm_id, is_archived=archived).select_related(
        "organisation"
    )
    if kind in ContactKind.values:
        qs = qs.filter(kind=kind)
    qs = qs.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
    return qs.only(*ROW_FIELDS) if row_only else qs


_CONTACT_PAGES = PreparedPages(Contact, _contacts)


def organisation_get(*, firm: Firm, contact_id: int) -> Contact | None:
    """Return the firm's organisation with this id (archived too), or None."""
    return Contact.objects.filter(
        firm=firm, pk=contact_id, kind=ContactKind.ORGANISATION
    ).first()


def organisation_choices(*, firm: Firm) -> QuerySet[Contact]:
    """Return the firm's active organisations, for the 'belongs to' field."""
    return Contact.objects.filter(
        firm=firm, kind=ContactKind.ORGANISATION, is_archived=False
    ).order_by("sort_name", "id")


def contact_timeline(
    *, firm: Firm, contact: Contact, principal: Principal | None
) -> QuerySet[ContactEvent]:
    """Return the contact's timeline that ``principal`` may see, newest first.

    An entry about a case (its parameters name a ``case_id``) follows the case
    visibility policy (``crm.core.visibility``): a colleague's case, its
    documents, tasks and notes stay off the timeline of a member limited to
    their own cases.
    """
    return _timeline(
        firm_id=firm.pk, contact_id=contact.pk, **visibility.rule_of(principal)
    )


def contact_timeline_page(
    *,
    firm: Firm,
    contact: Contact,
    principal: Principal | None,
    params: QueryDict,
    per_page: int,
) -> Page[ContactEvent]:
    """Return the page of ``contact_timeline`` ``params`` asks for, compiled once."""
    rows = _TIMELINE(
        firm_id=firm.pk,
        contact_id=contact.pk,
        offset=page_offset(params, per_page=per_page),
        limit=per_page + 1,
        **visibility.rule_of(principal),
    )
    return page_of(rows, params=params, per_page=per_page)


def _timeline(
    *, firm_id: int, contact_id: int, seen: str, viewer_id: int | None = None
) -> QuerySet[ContactEvent]:
    qs = ContactEvent.objects.filter(firm_id=firm_id, contact_id=contact_id)
    visible = visibility.visible_case_ids_as(
        firm_id=firm_id, seen=seen, viewer_id=viewer_id
    )
    if visible is not None:
        qs = qs.alias(
            about_case=Cast(KT("parameters__case_id"), BigIntegerField())
        ).filter(Q(about_case__isnull=True) | Q(about_case__in=visible))
    return qs.select_related("actor").order_by("-created_at", "-id")


def _timeline_rows(*, offset: int, limit: int, **rule: Any) -> QuerySet[ContactEvent]:
    return _timeline(**rule)[offset : offset + limit]


_TIMELINE = Prepared(ContactEvent, _timeline_rows, shapes=("offset", "limit"))
