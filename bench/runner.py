"""Time each operation through Django's WSGI request handler (no network).

For each operation: ``requests`` timed calls after a warm-up, each with its
query count and the time its queries took (execute and fetch), then the
hand-written SQL run as many times on the same connection. Ratios compare
medians: the ORM's queries against the hand-written SQL, and the whole
request against its queries.

A page whose view keeps its plans (``crm.core.kept_plans``: the detail pages
on PostgreSQL) prepares its statements once its connection has run them a few
times, so it is warmed up past that, and its hand-written SQL runs under the
same rule (prepared as well), as a hand-written page on that connection would.
"""

import gc
import math
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import resolve

from bench.context import BenchContext
from bench.operations import Operation, Statement
from crm.core.frames import in_large_frame
from crm.core.kept_plans import KEPT_PLANS_ATTR, plans_kept

WARM_UP = 3
FETCH_METHODS = ("fetchone", "fetchmany", "fetchall")


@dataclass
class QueryClock:
    """Counts queries and adds up the time spent executing and fetching them."""

    count: int = 0
    seconds: float = 0.0

    def execute(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


@contextmanager
def clocked(clock: QueryClock) -> Iterator[None]:
    """Time every query and every fetch on the default connection.

    ``execute_wrapper`` sees only ``execute``; SQLite computes rows as they
    are fetched, so the cursor's fetch methods are timed too while this runs.
    """

    def timed(name: str) -> Callable[..., Any]:
        def fetch(self: CursorWrapper, *args: Any) -> Any:
            started = time.perf_counter()
            try:
                return getattr(self.cursor, name)(*args)
            finally:
                clock.seconds += time.perf_counter() - started

        return fetch

    for name in FETCH_METHODS:
        setattr(CursorWrapper, name, timed(name))
    try:
        with connection.execute_wrapper(clock.execute):
            yield
    finally:
        for name in FETCH_METHODS:
            delattr(CursorWrapper, name)


def percentile(values: list[float], pct: float) -> float:
    """Return the ``pct`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = math.ceil(pct / 100 * len(ordered))
    return ordered[max(0, min(len(ordered), rank) - 1)]


@dataclass
class OperationResult:
    """One operation's figures, in milliseconds."""

    name: str
    label: str
    requests: int
    p50_ms: float
    p95_ms: float
    queries_min: int
    queries_max: int
    query_ms_p50: float
    query_ms_p95: float
    raw_ms_p50: float
    raw_statements: int
    orm_raw_ratio: float
    request_query_ratio: float

    def as_dict(self) -> dict[str, Any]:
        return {
            k: round(v, 3) if isinstance(v, float) else v
            for k, v in asdict(self).items()
        }


def _request(client: Client, op: Operation, ctx: BenchContext, i: int) -> Any:
    """Make the operation's request as a served worker does: in a large frame.

    Served workers run every request inside ``in_large_frame``
    (crm/core/wsgi.py); without it, where the interpreter's frame-stack chunk
    boundaries fall depends on the frames above the request (this command's
    own, the test client's), and a request that happens to cross one back and
    forth maps and unmaps memory at each crossing: the Clients list took 17 ms
    here against 9 ms in a plain script, for the same code.
    """
    return in_large_frame(_send, client, op, ctx, i)


def _send(client: Client, op: Operation, ctx: BenchContext, i: int) -> Any:
    path = op.path(ctx, i)
    if op.method == "POST":
        data = op.data(ctx, i) if op.data is not None else {}
        return client.post(path, data, headers=_headers(op))
    return client.get(path, headers=_headers(op))


def _headers(op: Operation) -> dict[str, str]:
    return {k.removeprefix("HTTP_").replace("_", "-"): v for k, v in op.headers.items()}


def keeps_plans(op: Operation, ctx: BenchContext) -> bool:
    """Return whether ``op``'s view prepares its statements (a GET to a marked view)."""
    if op.method != "GET" or connection.vendor != "postgresql":
        return False
    path = op.path(ctx, 0).split("?", 1)[0]
    return bool(getattr(resolve(path).func, KEPT_PLANS_ATTR, False))


def _raw_once(
    statements: list[Statement], writes: bool, *, kept: bool = False
) -> float:
    plans: AbstractContextManager[None] = plans_kept() if kept else nullcontext()
    started = time.perf_counter()
    with plans, transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()
        if writes:
            transaction.set_rollback(True)
    return time.perf_counter() - started


def run_operation(
    client: Client, op: Operation, ctx: BenchContext, requests: int
) -> OperationResult:
    """Time ``requests`` calls of ``op`` and its hand-written SQL."""
    totals: list[float] = []
    query_times: list[float] = []
    counts: list[int] = []
    kept = keeps_plans(op, ctx)
    # Prepared after PREPARE_THRESHOLD runs; PostgreSQL weighs a generic plan
    # after five more.
    warm_up = WARM_UP + (settings.PREPARE_THRESHOLD + 5 if kept else 0)
    for i in range(warm_up + requests):
        if i == warm_up:
            # As a served worker does after its first request (crm/core/wsgi.py):
            # what the warm-up left alive stays out of later collections.
            gc.collect()
            gc.freeze()
        if op.prepare is not None:
            op.prepare(client, ctx, i)
        clock = QueryClock()
        started = time.perf_counter()
        with clocked(clock):
            response = _request(client, op, ctx, i)
        took = time.perf_counter() - started
        if response.status_code != op.expect:
            msg = f"{op.name}: HTTP {response.status_code}, expected {op.expect}"
            raise RuntimeError(msg)
        if i >= warm_up:
            totals.append(took * 1000)
            query_times.append(clock.seconds * 1000)
            counts.append(clock.count)
    raw = [
        _raw_once(op.raw(ctx, i), op.writes, kept=kept) * 1000
        for i in range(warm_up + requests)
    ][warm_up:]
    p50, query_p50, raw_p50 = (statistics.median(v) for v in (totals, query_times, raw))
    return OperationResult(
        name=op.name,
        label=op.label,
        requests=requests,
        p50_ms=p50,
        p95_ms=percentile(totals, 95),
        queries_min=min(counts),
        queries_max=max(counts),
        query_ms_p50=query_p50,
        query_ms_p95=percentile(query_times, 95),
        raw_ms_p50=raw_p50,
        raw_statements=len(op.raw(ctx, 0)),
        orm_raw_ratio=query_p50 / raw_p50 if raw_p50 else 0.0,
        request_query_ratio=p50 / query_p50 if query_p50 else 0.0,
    )
