"""The contacts API: the Clients list, one contact, create, change, archive (K1)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, QueryDict
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, model_validator

from crm.contacts import selectors, services
from crm.contacts.choices import ConsentSource, ContactKind, ContactTitle
from crm.contacts.filters import ARCHIVED, ContactFilterSet
from crm.contacts.models import WITHHELD_BY, Contact
from crm.core.api import (
    DEFAULT_LIMIT,
    MAX_ID,
    MAX_LIMIT,
    CursorPage,
    LongText,
    Text32,
    Text80,
    Text120,
    Text200,
    Text254,
    cursor_page,
    principal_of,
    register_lookup,
    require,
    responses,
)
from crm.core.exceptions import ApplicationError
from crm.core.permissions import Perm

router = Router(tags=["Contacts"])
SEARCH_LIMIT = 500


class ContactOut(Schema):
    """A person or organisation.

    When ``address_unsafe`` is true the address fields are blank, and when
    ``phone_unsafe`` is true ``mobile`` and ``other_phone`` are, as in the
    CSV export (SPEC I14): a value marked not safe to contact is withheld
    from everything that leaves the app, and the flag says why it is blank.
    """

    id: int
    kind: ContactKind
    display_name: str
    title: str
    first_name: str
    last_name: str
    preferred_name: str
    organisation_name: str
    organisation_id: int | None
    job_title: str
    email: str
    mobile: str
    other_phone: str
    date_of_birth: date | None
    address_line1: str
    address_line2: str
    town: str
    county: str
    postcode: str
    notes: str
    marketing_consent: bool
    address_unsafe: bool = Field(
        ..., description="The address is not safe to contact: it is withheld."
    )
    phone_unsafe: bool = Field(
        ..., description="The phones are not safe to contact: they are withheld."
    )
    is_archived: bool
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="after")
    def _withhold_unsafe(self) -> "ContactOut":
        """Blank the fields a "not safe" flag withholds, as the CSV export does."""
        for flag, fields in WITHHELD_BY.items():
            if getattr(self, flag):
                for name in fields:
                    setattr(self, name, "")
        return self


class ContactFields(Schema):
    """The fields a contact is written with; a field left out is left alone."""

    title: ContactTitle | None = None
    first_name: Text80 | None = None
    last_name: Text80 | None = None
    preferred_name: Text80 | None = None
    organisation_name: Text120 | None = None
    organisation_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="The organisation a person belongs to."
    )
    job_title: Text80 | None = None
    email: Text254 | None = None
    mobile: Text32 | None = None
    other_phone: Text32 | None = None
    date_of_birth: date | None = None
    address_line1: Text120 | None = None
    address_line2: Text120 | None = None
    town: Text80 | None = None
    county: Text80 | None = None
    postcode: Text32 | None = None
    notes: LongText | None = None
    marketing_consent: bool | None = None
    allow_duplicate: bool = Field(
        False, description="Save even if the e-mail or mobile is already on file."
    )


class ContactIn(ContactFields):
    """A new contact: a person needs a first or last name, an organisation a name."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "person",
                    "first_name": "Ada",
                    "last_name": "Lovelace",
                    "email": "ada@example.com",
                    "mobile": "07700 900123",
                }
            ]
        }
    )

    kind: ContactKind = ContactKind.PERSON


class ArchiveIn(Schema):
    """Archive (true) or restore (false) a contact."""

    archived: bool


class ContactFilter(Schema):
    """The Clients list's filters."""

    q: Text200 = Field("", description="Part of a name, an e-mail or a phone number.")
    kind: ContactKind | None = None
    archived: bool = Field(False, description="List archived contacts instead.")
    cursor: Text200 | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _contact(request: HttpRequest, contact_id: int) -> Contact:
    firm = principal_of(request).firm
    return selectors.contact_get(firm=firm, contact_id=contact_id)


register_lookup("contact_id", _contact)

# Fields that may be written as null (cleared); other nulls mean "leave alone".
NULLABLE = frozenset({"date_of_birth", "organisation_id", "title"})


def _fields(request: HttpRequest, data: ContactFields) -> dict[str, Any]:
    """Return the service's keyword arguments for the fields sent."""
    sent = data.model_dump(exclude_unset=True, exclude={"allow_duplicate"})
    fields = {k: v for k, v in sent.items() if v is not None or k in NULLABLE}
    if fields.get("title", "") is None:
        fields["title"] = ""
    if "organisation_id" in fields:
        org_id = fields.pop("organisation_id")
        organisation = None
        if org_id is not None:
            organisation = selectors.organisation_get(
                firm=principal_of(request).firm, contact_id=org_id
            )
            if organisation is None:
                raise ApplicationError(
                    "Choose an organisation from this firm.",
                    "invalid",
                    {"field": "organisation_id"},
                )
        fields["organisation"] = organisation
    return fields


@router.get(
    "",
    operation_id="contact_list",
    summary="List contacts",
    response=responses(200, CursorPage[ContactOut]),
)
def contact_list(request: HttpRequest, filters: Query[ContactFilter]) -> dict[str, Any]:
    """List the firm's contacts with the Clients list's filters, oldest first."""
    firm = principal_of(request).firm
    params = QueryDict(mutable=True)
    params.update(
        {
            "q": filters.q,
            "kind": filters.kind or "",
            "archived": ARCHIVED if filters.archived else "",
        }
    )
    query = ContactFilterSet(params).query()
    found = selectors.contact_list(
        firm=firm, search_limit=SEARCH_LIMIT, **query.as_kwargs()
    )
    items, next_cursor = cursor_page(
        found.contacts, cursor=filters.cursor, limit=filters.limit
    )
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/{int:contact_id}",
    operation_id="contact_get",
    summary="Get a contact",
    response=responses(200, ContactOut),
)
def contact_get(request: HttpRequest, contact_id: int) -> Contact:
    """Return one of the firm's contacts, archived ones too."""
    return _contact(request, contact_id)


@router.post(
    "",
    operation_id="contact_create",
    summary="Create a contact",
    response=responses(201, ContactOut, write=True),
)
def contact_create(request: HttpRequest, data: ContactIn) -> Status[Contact]:
    """Create a person or organisation; a duplicate e-mail or mobile is 409."""
    principal = require(request, Perm.EDIT_CASES)
    fields = _fields(request, data)
    fields["kind"] = data.kind
    contact = services.contact_create(
        firm=principal.firm,
        actor=principal.user,
        allow_duplicate=data.allow_duplicate,
        consent_source=ConsentSource.API,
        **fields,
    )
    return Status(201, contact)


@router.patch(
    "/{int:contact_id}",
    operation_id="contact_update",
    summary="Change a contact",
    response=responses(200, ContactOut, write=True),
)
def contact_update(
    request: HttpRequest, contact_id: int, data: ContactFields
) -> Contact:
    """Change the fields sent; the contact's timeline shows what changed."""
    principal = require(request, Perm.EDIT_CASES)
    contact = _contact(request, contact_id)
    return services.contact_update(
        firm=principal.firm,
        actor=principal.user,
        contact=contact,
        allow_duplicate=data.allow_duplicate,
        consent_source=ConsentSource.API,
        **_fields(request, data),
    )


@router.post(
    "/{int:contact_id}/archive",
    operation_id="contact_archive",
    summary="Archive or restore a contact",
    response=responses(200, ContactOut, write=True),
)
def contact_archive(request: HttpRequest, contact_id: int, data: ArchiveIn) -> Contact:
    """Archive a contact (hidden from lists and pickers) or restore it."""
    principal = require(request, Perm.EDIT_CASES)
    contact = _contact(request, contact_id)
    return services.contact_set_archived(
        firm=principal.firm,
        actor=principal.user,
        contact=contact,
        archived=data.archived,
    )
