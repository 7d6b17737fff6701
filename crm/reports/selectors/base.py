"""What every report shares: the typed filters, the result table, date ranges."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

M = TypeVar("M", bound=Model)
Value = int | Decimal | None
Format = Literal["count", "money", "percent"]

# A monthly report without a start date shows the last twelve months; a
# range longer than MAX_MONTHS keeps its last MAX_MONTHS months.
DEFAULT_MONTHS = 12
MAX_MONTHS = 60


@dataclass(frozen=True)
class ReportQuery:
    """The filters every report takes: a date range, an adviser, an introducer.

    ``date_from`` and ``date_to`` are inclusive local dates; what they bound
    (cases opened, leads received, policies added) each report says.
    """

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    owner_id: int | None = None
    introducer_id: int | None = None

    def as_kwargs(self) -> dict[str, Any]:
        """Return the filters as keyword arguments (for the audit log)."""
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "owner_id": self.owner_id,
            "introducer_id": self.introducer_id,
        }


@dataclass(frozen=True)
class Column:
    """A column of figures; ``chart`` puts it on the chart as one series."""

    label: str
    format: Format = "count"
    chart: bool = False


@dataclass(frozen=True)
class Row:
    """One line of a report: its label and one value per column."""

    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Table:
    """A report's figures: the chart, the table and the CSV all read this."""

    row_heading: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total: Row
    note: str = ""
    chart_columns: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        charted = tuple(i for i, c in enumerate(self.columns) if c.chart)
        object.__setattr__(self, "chart_columns", charted)

    @property
    def is_empty(self) -> bool:
        """Return True when every figure is zero or missing."""
        return not any(v for row in self.rows for v in row.values)


def start_of(day: datetime.date) -> datetime.datetime:
    """Return the aware local midnight that starts ``day``."""
    return datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def in_range(
    qs: QuerySet[M],
    field_name: str,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
) -> QuerySet[M]:
    """Keep rows whose datetime ``field_name`` falls in the inclusive range."""
    if date_from is not None:
        qs = qs.filter(**{f"{field_name}__gte": start_of(date_from)})
    if date_to is not None:
        end = start_of(date_to + datetime.timedelta(days=1))
        qs = qs.filter(**{f"{field_name}__lt": end})
    return qs


def for_people(qs: QuerySet[M], query: ReportQuery, *, via: str = "") -> QuerySet[M]:
    """Keep rows of ``query``'s adviser and introducer (through ``via``, a case FK)."""
    prefix = f"{via}__" if via else ""
    conditions = Q()
    if query.owner_id is not None:
        conditions &= Q(**{f"{prefix}owner_id": query.owner_id})
    if query.introducer_id is not None:
        conditions &= Q(**{f"{prefix}introducer_id": query.introducer_id})
    return qs.filter(conditions)


def month_start(day: datetime.date) -> datetime.date:
    """Return the first day of ``day``'s month."""
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Months:
    """The months a monthly report shows, and the dates that bound them."""

    months: tuple[datetime.date, ...]
    date_from: datetime.date
    date_to: datetime.date
    note: str


def months_of(query: ReportQuery, *, today: datetime.date) -> Months:
    """Return the months of ``query``'s range (the last twelve if it has no start)."""
    end = query.date_to or today
    start = query.date_from or add_months(end, 1 - DEFAULT_MONTHS)
    note = "" if query.date_from else "The last twelve months; choose dates for more."
    if start > end:
        start = month_start(end)
    first = month_start(start)
    count = (end.year - first.year) * 12 + end.month - first.month + 1
    if count > MAX_MONTHS:
        first = add_months(end, 1 - MAX_MONTHS)
        start = first
        count = MAX_MONTHS
        note = f"The last {MAX_MONTHS} months of the range you chose."
    months = tuple(add_months(first, i) for i in range(count))
    return Months(months=months, date_from=start, date_to=end, note=note)


def month_label(month: datetime.date) -> str:
    """Return "Jan 2026" for a month."""
    return month.strftime("%b %Y")


def person_label(first: str | None, last: str | None, email: str | None) -> str:
    """Return a member's name from aggregate columns, or "Unassigned"."""
    name = f"{first or ''} {last or ''}".strip()
    return name or email or "Unassigned"


def rate(part: int, whole: int) -> Decimal | None:
    """Return ``part`` as a percentage of ``whole``, one decimal place."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
