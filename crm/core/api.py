"""What every app's API router shares: errors, permission checks, cursor pages.

The one ``NinjaAPI`` lives in ``crm.api``; each app declares its endpoints in
its own ``<app>/api.py`` router (STYLE B6) with the pieces here, so the
routers agree on error bodies, pagination and how a principal is checked,
without importing the API app above them.

``register_lookup`` records how each app finds an object by the id in a
route's path (``contact_id``...). The API uses it to answer 404 for another
firm's id even when the request's body or query is wrong, so the shape of an
error never tells whether an id exists in another firm.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

from crm.core import keyset
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.http import MAX_ID as MAX_ID
from crm.core.principals import Principal

if TYPE_CHECKING:
    from crm.firms.models import User

T = TypeVar("T")
M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def _storable(value: str) -> str:
    """Refuse text no database column can hold (NUL, lone surrogates)."""
    if "\x00" in value:
        msg = "Text may not contain NUL characters."
        raise ValueError(msg)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        msg = "Text must be valid Unicode."
        raise ValueError(msg) from exc
    return value


# The schema says what ``_storable`` refuses, so a client can tell beforehand.
_Storable = AfterValidator(_storable)
# The docs page would fill its examples from the pattern (random text), so
# each text field shows a plain "string" instead.
_NoNul = Field(json_schema_extra={"pattern": "^[^\\u0000]*$", "examples": ["string"]})
# Input text types, by the longest value their columns hold.
Text10 = Annotated[str, StringConstraints(max_length=10), _Storable, _NoNul]
Text32 = Annotated[str, StringConstraints(max_length=32), _Storable, _NoNul]
Text80 = Annotated[str, StringConstraints(max_length=80), _Storable, _NoNul]
Text120 = Annotated[str, StringConstraints(max_length=120), _Storable, _NoNul]
Text160 = Annotated[str, StringConstraints(max_length=160), _Storable, _NoNul]
Text200 = Annotated[str, StringConstraints(max_length=200), _Storable, _NoNul]
Text254 = Annotated[str, StringConstraints(max_length=254), _Storable, _NoNul]
Text300 = Annotated[str, StringConstraints(max_length=300), _Storable, _NoNul]
LongText = Annotated[str, StringConstraints(max_length=20_000), _Storable, _NoNul]


def _no_float(value: Any) -> Any:
    """Refuse a JSON float: it cannot say 0.1 exactly; amounts are strings.

    A float with nothing after the point (``3000.0``) is a whole number, as
    JSON Schema's ``integer`` says, and is taken as one.
    """
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        msg = 'Send an amount as a string, e.g. "1250.50", or a whole number.'
        raise ValueError(msg)
    return value


def _amount_schema(whole_digits: int) -> WithJsonSchema:
    pattern = f"^[0-9]{{1,{whole_digits}}}(\\.[0-9]{{1,2}})?$"
    return WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": 10**whole_digits - 1},
                {"type": "string", "pattern": pattern, "examples": ["1250.50"]},
            ],
            "description": 'A whole number, or a string such as "1250.50".',
        }
    )


_NoFloat = BeforeValidator(_no_float)
# Money inputs: a whole number or a string with 2 decimals, and the schema
# says exactly that (no floats, at most 10 or 8 digits before the point), so
# a client that follows the schema is never refused for an amount's shape.
Amount10 = Annotated[
    Decimal,
    _NoFloat,
    Field(ge=0, max_digits=12, decimal_places=2),
    _amount_schema(10),
]
Amount8 = Annotated[
    Decimal,
    _NoFloat,
    Field(ge=0, max_digits=10, decimal_places=2),
    _amount_schema(8),
]


def _pence(value: Decimal) -> str:
    return f"{value:.2f}"


# Money outputs: always with pence ("4000.00"), whether the value was just
# typed ("4000") or read back from the database.
Money = Annotated[Decimal, PlainSerializer(_pence, return_type=str)]


class ErrorOut(Schema):
    """An error: a stable ``code``, a message, and messages per field.

    ``fields`` maps a field name (``body.email``, ``query.limit``) to its
    messages; it is empty when the error is about the request as a whole.
    """

    code: str
    message: str
    fields: dict[str, list[str]] = {}


class CursorPage(Schema, Generic[T]):
    """One page of a list; pass ``next_cursor`` as ``cursor`` for the next.

    ``next_cursor`` is null on the last page. Rows are in creation order, so
    rows added while paging appear at the end and none is skipped or repeated.
    """

    items: list[T]
    next_cursor: str | None = None


class PageQuery(Schema):
    """Where a page starts and how long it is."""

    cursor: Text200 | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


# Error responses every operation may give; routers add their success schema.
READ_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 409: ErrorOut}


def responses(status: int, schema: Any, *, write: bool = False) -> dict[int, Any]:
    """Return an operation's ``response=`` mapping: ``status`` plus the errors."""
    return {status: schema, **(WRITE_ERRORS if write else READ_ERRORS)}


def principal_of(request: HttpRequest) -> Principal:
    """Return the principal the API authenticated (a token or a member)."""
    principal: Principal | None = getattr(request, "principal", None)
    if principal is None:  # the API's auth let no one through without one
        raise PermissionDenied
    return principal


def user_of(principal: Principal) -> "User":
    """Return the user a principal acts as (a token's member); refuse if none."""
    user = principal.user
    if user is None:
        raise PermissionDenied
    return user


def require(request: HttpRequest, perm: str) -> Principal:
    """Return the request's principal if it holds ``perm``; else refuse (403)."""
    principal = principal_of(request)
    if not principal.has_perm(perm):
        raise PermissionDenied
    return principal


def require_module(request: HttpRequest, module: str) -> Principal:
    """Return the principal if its firm has ``module``; else 404, like its pages."""
    principal = principal_of(request)
    if not principal.firm.has_module(module):
        raise NotFound
    return principal


def cursor_page(
    qs: QuerySet[M], *, cursor: str | None, limit: int
) -> tuple[Sequence[M], str | None]:
    """Return the rows of ``qs`` after ``cursor`` by id, and the next cursor.

    One query of ``limit + 1`` rows on the primary key: no count, and the
    same cost on the first page as on the millionth row. The cursor is the
    list pages' (``crm.core.keyset``); one it did not give out is a 400.
    """
    limit = min(max(limit, 1), MAX_LIMIT)
    try:
        part = keyset.fetch(qs.order_by("pk"), limit=limit, after=cursor or "")
    except keyset.InvalidCursor as exc:
        raise ApplicationError(
            "The cursor is not one this API gave out.",
            "invalid_cursor",
            {"field": "cursor", "location": "query"},
        ) from exc
    return part.rows, part.next_cursor


Lookup = Callable[[HttpRequest, int], object]
_lookups: dict[str, Lookup] = {}


def register_lookup(kwarg: str, lookup: Lookup) -> Lookup:
    """Record ``lookup(request, id)``, which raises ``NotFound`` for ``kwarg``'s id.

    ``kwarg`` is a path parameter of the API (``case_id``); the lookup is the
    same selector call the endpoint makes, so it applies the same visibility.
    """
    existing = _lookups.get(kwarg)
    if existing is not None and existing is not lookup:
        msg = f"Two API lookups for {kwarg!r}."
        raise ValueError(msg)
    _lookups[kwarg] = lookup
    return lookup


def check_path_ids(request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """Raise ``NotFound`` if an id in ``kwargs`` is not one ``request`` may see."""
    for name, value in kwargs.items():
        lookup = _lookups.get(name)
        if lookup is not None and isinstance(value, int):
            lookup(request, value)
