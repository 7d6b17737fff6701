"""Reads about contacts: one, lists, the timeline."""

from django.db.models import QuerySet

from crm.contacts.choices import ContactKind
from crm.contacts.models import Contact, ContactEvent, ContactQuerySet
from crm.core.exceptions import NotFound
from crm.core.http import parse_id
from crm.firms.models import Firm

SORTS = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
}


def contact_get(*, firm: Firm, contact_id: int) -> Contact:
    """Return one of the firm's contacts (archived too) or raise ``NotFound``."""
    try:
        return Contact.objects.select_related("organisation").get(
            firm=firm, pk=contact_id
        )
    except Contact.DoesNotExist as exc:
        raise NotFound from exc


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


def contact_list(
    *,
    firm: Firm,
    kind: str = "",
    archived: bool = False,
    sort: str = "name",
) -> ContactQuerySet:
    """Return the firm's contacts filtered by kind and archive state, sorted."""
    qs = Contact.objects.filter(firm=firm, is_archived=archived).select_related(
        "organisation"
    )
    if kind in ContactKind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by(*SORTS.get(sort, SORTS["name"]))


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


def contact_timeline(*, firm: Firm, contact: Contact) -> QuerySet[ContactEvent]:
    """Return the contact's timeline, newest first."""
    return (
        ContactEvent.objects.filter(firm=firm, contact=contact)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
