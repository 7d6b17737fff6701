"""List rows drawn in Python, with the markup their cell templates draw (D2).

Through the template language a list row costs about a thousand Python calls
(a lookup per value, the ``date`` filter, ``{% url %}``, includes); a list's
rows were a third of its page. A ``Column`` may carry ``draw``, a function of
the row and a ``RowPage`` returning the cell as its template draws it; when
every column of a list has one, the rows are drawn here (``{% list_rows %}``),
else by the templates as before. The templates stay the reference: each list
has a test that draws varied rows both ways and compares the output.

A cell function escapes values as ``{{ value }}`` does (``e``), and keeps the
template's whitespace (the newlines and indents around its tags).
"""

import html
from collections.abc import Callable, Collection
from datetime import date, datetime, tzinfo
from functools import cached_property
from typing import Any
from urllib.parse import quote

from django.template import Context
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from crm.core.templatetags.dates import DATE_FORMATS, day_month_year
from crm.core.tenancy import choice_labels

# An id no row has, reversed once and then replaced by each row's own.
_SLOT = "2147483647"


def e(value: object) -> str:
    """Return ``{{ value }}`` for a text value: escaped unless marked safe.

    Django's ``conditional_escape`` is this stdlib call behind checks that,
    run for every value of every row, cost more than the row.
    """
    if type(value) is str:  # the usual case: plain text, never marked safe
        return html.escape(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def lookup(row: object, path: str) -> object:
    """Return the dotted attribute ``path`` of ``row`` as ``{{ row.path }}`` finds it.

    A dict's key comes before an attribute; a missing one, or a step past
    None, is "" (the template engine's ``string_if_invalid``); a callable on
    the way is called.
    """
    value: Any = row
    for name in path.split("."):
        if isinstance(value, dict) and name in value:
            value = value[name]
        else:
            try:
                value = getattr(value, name)
            except AttributeError:
                return ""
        if callable(value) and not getattr(value, "do_not_call_in_templates", False):
            value = value()
    return value


class RowPage:
    """What the rows of one page share: the viewer, today, links and dates.

    Built from the template context of the page once, by ``{% list_rows %}``.
    """

    def __init__(self, context: Context) -> None:
        self.context = context
        self._urls: dict[tuple[str, str], tuple[str, str]] = {}
        self._days: dict[date, str] = {}
        self._once: dict[str, Any] = {}
        self._labels: dict[tuple[type, str], dict[Any, str]] = {}
        self._attnames: dict[tuple[type, str], str] = {}

    def get(self, name: str, default: Any = "") -> Any:
        """Return the template context's value ``name``."""
        return self.context.get(name, default)

    def once(self, name: str, make: Callable[[], Any]) -> Any:
        """Return ``make()``, called on the first row of the page only."""
        if name not in self._once:
            self._once[name] = make()
        return self._once[name]

    @cached_property
    def permissions(self) -> Collection[str]:
        """Return the viewer's permissions (``request.membership.permissions``)."""
        membership = getattr(self.context.get("request"), "membership", None)
        return membership.permissions if membership is not None else ()

    @cached_property
    def today(self) -> date:
        """Return the page's ``today``, else the local date."""
        today = self.context.get("today")
        return today if isinstance(today, date) else timezone.localdate()

    @cached_property
    def language(self) -> str | None:
        """Return the active language, read once a page."""
        return get_language()

    @cached_property
    def zone(self) -> tzinfo:
        """Return the current time zone, read once a page."""
        return timezone.get_current_timezone()

    def url(self, name: str, key: str, pk: int) -> str:
        """Return ``{% url name key=pk %}`` (escaped), reversed once a page."""
        parts = self._urls.get((name, key))
        if parts is None:
            url = reverse(name, kwargs={key: _SLOT})
            before, _slot, after = url.rpartition(_SLOT)
            parts = self._urls[(name, key)] = (e(before), e(after))
        return f"{parts[0]}{pk}{parts[1]}"

    def display(self, obj: Any, name: str) -> str:
        """Return ``obj.get_<name>_display()``, the labels looked up once a page.

        The same labels as ``FirmOwnedModel._get_FIELD_display`` (choices built
        once per process and language); here the language and the field are
        read once a page instead of once a cell.
        """
        key = (type(obj), name)
        labels = self._labels.get(key)
        if labels is None:
            field = obj._meta.get_field(name)
            labels = self._labels[key] = choice_labels(field, get_language())
            self._attnames[key] = field.attname
        value = getattr(obj, self._attnames[key])
        return str(labels.get(value, value))

    def day(self, value: date) -> str:
        """Return ``{{ value|date:"j M Y" }}``, each date formatted once a page."""
        shown = self._days.get(value)
        if shown is None:
            shown = self._days[value] = html.escape(
                day_month_year(value, self.language)
            )
        return shown


# What Django's csrf context processor gives a view exempt from CSRF.
NOT_PROVIDED = "NOTPROVIDED"


def csrf_input(csrf_token: Any) -> str:
    """Return ``{% csrf_token %}`` for a page context's ``csrf_token``."""
    if not csrf_token or csrf_token == NOT_PROVIDED:
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{e(csrf_token)}">'


def return_to(context: Context) -> str:
    """Return ``{{ request.get_full_path|urlencode }}``, the page to come back to."""
    request = context.get("request")
    path = str(request.get_full_path()) if request is not None else ""
    return e(quote(path, safe="/"))


def badge(colour: object, label: object) -> str:
    """Return ``components/_badge.html`` with ``colour`` and ``label``."""
    modifier = f" badge--{e(colour)}" if colour else ""
    return f'\n<span class="badge{modifier}">{e(label)}</span>\n'


def created(value: datetime | None, page: RowPage) -> str:
    """Return a row's ``<time>`` of a timestamp, as the lists' ``created`` cells."""
    if value is None:
        return '\n  <time datetime=""></time>\n'
    # ``timezone.localtime`` of an aware value, with the zone read once a page.
    local = value.astimezone(page.zone) if value.utcoffset() is not None else value
    return (
        f'\n  <time datetime="{e(local.isoformat())}">{page.day(local.date())}</time>\n'
    )


def created_at(row: Any, page: RowPage) -> str:
    """Return a list's ``created`` cell: ``row.created_at`` as a ``<time>``."""
    return created(row.created_at, page)


def follow_up(item: Any, page: RowPage) -> str:
    """Return ``components/_follow_up.html`` for ``item`` (a lead or a case)."""
    day = item.follow_up_date
    if not day:
        return '\n\n  <span class="muted">None</span>\n\n'
    state = getattr(item, "follow_up_state", "")
    if state == "overdue":
        badge_ = '\n    <span class="badge badge--red">Overdue</span>\n  '
    elif state == "due":
        badge_ = '\n    <span class="badge badge--amber">Due today</span>\n  '
    else:
        badge_ = ""
    return (
        f'\n\n  <time datetime="{DATE_FORMATS["Y-m-d"](day)}">{page.day(day)}</time>'
        f"\n  {badge_}\n\n"
    )


Cell = Callable[[Any, RowPage], str]
