"""Summary ("rollup") rows: per-firm counts kept by the services that change
the counted rows, so a report reads a few hundred rows at any firm size.

Design (issue 21 item 5). A report aggregates the firm's rows over an
inclusive day range, an adviser, an introducer and the principal's
visibility (a member limited to own cases is an adviser filter). Reading the
base rows costs what the firm holds; a rollup table instead holds one row per
key with a count ``n``, and the services that change a counted row (the only
writers, DESIGN B2) move its count between keys in the same transaction:

- Time is kept at three grains: ``a`` (all time, one period), ``m`` (whole
  months, the period is the month's first day) and ``d`` (days). A range is
  answered by the month rows of the months it covers whole and the day rows
  of the partial months at its ends (``range_q``): at most 62 days of day
  rows, however long the range, and no rows that depend on the case count.
- People are kept as grouping sets (``by``): ``a`` (everyone), ``o`` (one row
  per owner, 0 for none) and ``i`` (per introducer), so the key space is
  periods x (1 + advisers + introducers), not their product. A filter on
  owner *and* introducer is inherently narrow and reads the base rows
  through an index on that owner instead (each app's selector says so).
- ``upsert`` adds signed deltas in one ``INSERT ... ON CONFLICT DO UPDATE SET
  n = n + excluded.n`` statement (and any sums a rollup keeps beside the
  count, e.g. premiums) (SQLite and PostgreSQL), race-free without
  a lock on the summary row; a change moves a count between one or two keys
  per grain. Rows that reach zero stay (a rebuild drops them).
- Every rollup registers a rebuild (``register``) that recomputes a firm's
  rows from the base table with GROUP BY queries: the migrations that create
  the tables use the same code to backfill, ``manage.py rollups_rebuild``
  repairs, and the data loaders that bypass the services (the bench data,
  the demo seed) call ``rebuild_all`` at their end.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

from django.db import connections, models, transaction
from django.db.models import Q
from django.utils import timezone

EPOCH = datetime.date(1970, 1, 1)
ALL_TIME, MONTH, DAY = "a", "m", "d"
EVERYONE, BY_OWNER, BY_INTRODUCER = "a", "o", "i"

Rebuild = Callable[[Sequence[int] | None], int]
_REBUILDS: dict[str, Rebuild] = {}
# Each rollup's base tables ("app.Model"), for tests that write them directly.
_SOURCES: dict[str, frozenset[str]] = {}


def zone() -> datetime.tzinfo:
    """Return the zone whose days the rollups count in: the site's, whatever a
    request has activated, so that a count added by one request is taken
    away from the same day by another."""
    return timezone.get_default_timezone()


def month_of(day: datetime.date) -> datetime.date:
    """Return the first day of ``day``'s month."""
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    """Return the first day of the month after ``day``'s."""
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def periods(
    day: datetime.date, *, all_time: bool = False
) -> list[tuple[str, datetime.date]]:
    """Return the ``(grain, period)`` keys a row dated ``day`` counts under."""
    keys = [(MONTH, month_of(day)), (DAY, day)]
    return [(ALL_TIME, EPOCH), *keys] if all_time else keys


Piece = tuple[str, datetime.date | None, datetime.date | None]


def range_pieces(
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    *,
    all_time: bool = False,
) -> list[Piece]:
    """Return ``(grain, first, last)`` pieces (inclusive periods, None: open)
    that tile the inclusive range exactly once.

    Whole months come from month rows, the partial months at either end from
    day rows. ``all_time`` says the table keeps an all-time row, used when
    the range has no bounds; without it an open range reads month rows.
    """
    if date_from is None and date_to is None and all_time:
        return [(ALL_TIME, None, None)]
    if date_from is not None and date_to is not None and date_from > date_to:
        return []
    # Whole months: those starting in [first_full, end_full).
    first_full = None
    if date_from is not None:
        first_full = date_from if date_from.day == 1 else next_month(date_from)
    end_full = None
    if date_to is not None:
        last_day = next_month(date_to) - datetime.timedelta(days=1)
        end_full = next_month(date_to) if date_to == last_day else month_of(date_to)
    if first_full is not None and end_full is not None and first_full >= end_full:
        return [(DAY, date_from, date_to)]  # no whole month inside
    one_day = datetime.timedelta(days=1)
    last_month = end_full - one_day if end_full is not None else None
    pieces: list[Piece] = [(MONTH, first_full, last_month)]
    if date_from is not None and first_full is not None and first_full != date_from:
        pieces.append((DAY, date_from, first_full - one_day))
    if date_to is not None and end_full is not None and end_full <= date_to:
        pieces.append((DAY, end_full, date_to))
    return pieces


def range_q(
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    *,
    all_time: bool = False,
    **pinned: Any,
) -> Q:
    """Return the rows of ``range_pieces``, each piece a flat condition with
    ``pinned`` (the key columns before the period), so that PostgreSQL reads
    each piece as one index range (a bitmap OR of them)."""
    q = Q(pk__in=[])
    for grain, first, last in range_pieces(date_from, date_to, all_time=all_time):
        piece = Q(grain=grain, **pinned)
        if first is not None:
            piece &= Q(period__gte=first)
        if last is not None:
            piece &= Q(period__lte=last)
        q |= piece
    return q


Measure = int | Decimal
Amounts = int | Decimal | Sequence[int | Decimal]


def _amounts(value: Amounts, width: int) -> tuple[Measure, ...]:
    """Return a delta's or count's measures as a tuple of ``width`` values."""
    if isinstance(value, (int, Decimal)):
        if width != 1:
            msg = f"Expected {width} measures, got one value."
            raise ValueError(msg)
        return (value,)
    found = tuple(value)
    if len(found) != width:
        msg = f"Expected {width} measures, got {len(found)}."
        raise ValueError(msg)
    return found


def upsert(
    model: type[models.Model],
    key_fields: Sequence[str],
    deltas: Mapping[tuple[Any, ...], Amounts],
    *,
    measures: Sequence[str] = ("n",),
    using: str = "default",
) -> int:
    """Add each non-zero delta to its key's measures in one statement; return
    rows sent.

    ``key_fields`` are the model's unique key (the firm first), in the order
    of each delta's key tuple; ``measures`` the columns a delta adds to (a
    count ``n`` by default, or also sums: a delta is then a tuple in that
    order). A delta whose measures are all zero is not sent.
    """
    width = len(measures)
    rows = sorted(
        (key, amounts)
        for key, value in deltas.items()
        if any(amounts := _amounts(value, width))
    )
    if not rows:
        return 0
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [cast(models.Field[Any, Any], meta.get_field(name)) for name in key_fields]
    added = [cast(models.Field[Any, Any], meta.get_field(name)) for name in measures]
    columns = [quote(str(f.column)) for f in fields]
    sums = [quote(str(f.column)) for f in added]
    table = quote(meta.db_table)
    one = "(" + ", ".join(["%s"] * (len(columns) + width)) + ")"
    params: list[Any] = []
    for key, amounts in rows:
        for field, value in zip(fields, key, strict=True):
            params.append(field.get_db_prep_value(value, connection))
        for field, value in zip(added, amounts, strict=True):
            params.append(field.get_db_prep_value(value, connection))
    sets = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in sums)
    # Names come from the model's meta, quoted; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({', '.join([*columns, *sums])}) "  # noqa: S608
        f"VALUES {', '.join([one] * len(rows))} "
        f"ON CONFLICT ({', '.join(columns)}) DO UPDATE SET {sets}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return len(rows)


def replace_rows(
    model: type[models.Model],
    *,
    firm_id: int,
    fields: Sequence[str],
    counts: Mapping[tuple[Any, ...], Amounts],
    measures: Sequence[str] = ("n",),
    batch: int = 5_000,
) -> int:
    """Replace a firm's rows of ``model`` with ``counts`` (the values of
    ``fields``, the key after the firm, to its measures; rows whose measures
    are all zero are left out), in one transaction; return the rows written.
    A rebuild's last step."""
    manager = model._default_manager
    width = len(measures)
    with transaction.atomic():
        manager.filter(firm_id=firm_id).delete()
        rows = [
            model(
                firm_id=firm_id,
                **dict(zip(fields, key, strict=True)),
                **dict(zip(measures, amounts, strict=True)),
            )
            for key, value in counts.items()
            if any(amounts := _amounts(value, width))
        ]
        for start in range(0, len(rows), batch):
            manager.bulk_create(rows[start : start + batch])
    return len(rows)


def firms_with(*counted: type[models.Model]) -> list[int]:
    """Return the firms with a row in any of ``counted`` (a rollup's base
    tables and its own, so that a rebuild also clears a firm whose rows are
    gone), in id order. Call it with the firm scope disabled."""
    found: set[int] = set()
    for model in counted:
        rows = model._default_manager.order_by().values_list("firm_id", flat=True)
        found.update(rows.distinct())
    return sorted(found)


def register(name: str, rebuild: Rebuild, *, sources: Iterable[str] = ()) -> None:
    """Register ``rebuild(firm_ids)``, which recomputes a rollup (None: every firm).

    ``sources`` names the models ("app.Model") whose rows it counts.
    """
    _REBUILDS[name] = rebuild
    _SOURCES[name] = frozenset(sources)


def counting(model_label: str) -> list[str]:
    """Return the rollups that count rows of ``model_label`` ("app.Model")."""
    return sorted(name for name, models in _SOURCES.items() if model_label in models)


def names() -> list[str]:
    """Return the registered rollups' names."""
    return sorted(_REBUILDS)


def rebuild_all(
    firm_ids: Sequence[int] | None = None, *, only: Iterable[str] = ()
) -> dict[str, int]:
    """Recompute every registered rollup (or ``only`` those); return rows written."""
    chosen = set(only) or set(_REBUILDS)
    return {name: _REBUILDS[name](firm_ids) for name in sorted(chosen)}
