"""Where a page's Python time goes: ``manage.py bench_profile``.

For each operation: three warm requests, then one under cProfile (its
``total_calls`` and the functions with the most cumulative time), then
``requests`` plain ones for the median time, with the time spent inside each
template (inclusive of what it includes). With ``--html DIR`` each page's
HTML is written to ``DIR/<operation>.html`` with the per-request tokens
(CSP nonces, CSRF tokens) blanked, so two runs can be compared byte for byte.
"""

import cProfile
import io
import pstats
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template import base as template_base
from django.test import Client

from bench.context import BenchContext
from bench.operations import Operation
from bench.runner import WARM_UP, _request

TOKENS = (
    (re.compile(rb'nonce="[^"]*"'), b'nonce="-"'),
    (
        re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'),
        b'name="csrfmiddlewaretoken" value="-"',
    ),
    (re.compile(rb'"X-CSRFToken": "[^"]*"'), b'"X-CSRFToken": "-"'),
    # A page's signed cursor carries the time it was signed.
    (re.compile(rb"(after|before)=[A-Za-z0-9_%.:-]+"), rb"\1=-"),
)


def normalised(html: bytes) -> bytes:
    """Return ``html`` with the tokens that change on every request blanked."""
    for pattern, blank in TOKENS:
        html = pattern.sub(blank, html)
    return html


@dataclass
class Profile:
    """One page's Python calls, its median time and its templates' times."""

    name: str
    total_calls: int
    profiled_ms: float
    p50_ms: float
    cpu_p50_ms: float
    top: str
    templates: dict[str, float] = field(default_factory=dict)


@contextmanager
def template_clock(times: dict[str, float]) -> Iterator[None]:
    """Add up the time spent rendering each named template (inclusive)."""
    original = template_base.Template.render

    def render(self: template_base.Template, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(self, context)
        finally:
            times[self.name or "<string>"] += time.perf_counter() - started

    template_base.Template.render = render  # type: ignore[method-assign]
    try:
        yield
    finally:
        template_base.Template.render = original  # type: ignore[method-assign]


def profile_operation(
    client: Client,
    op: Operation,
    ctx: BenchContext,
    *,
    requests: int,
    html_dir: Path | None = None,
    top: int = 25,
    sort: str = "cumulative",
) -> Profile:
    """Profile one request of ``op`` after the warm ones, then time ``requests``."""
    check: Callable[[Any], Any] = _checked(op)
    for i in range(WARM_UP):
        check(_request(client, op, ctx, i))
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    response = _request(client, op, ctx, WARM_UP)
    profiler.disable()
    profiled = (time.perf_counter() - started) * 1000
    check(response)
    if html_dir is not None:
        html_dir.mkdir(parents=True, exist_ok=True)
        (html_dir / f"{op.name}.html").write_bytes(normalised(response.content))
    stats = pstats.Stats(profiler, stream=(out := io.StringIO()))
    stats.sort_stats(sort).print_stats(top)
    times: dict[str, float] = defaultdict(float)
    totals, cpu = [], []
    with template_clock(times):
        for i in range(requests):
            begun, cpu_begun = time.perf_counter(), time.process_time()
            check(_request(client, op, ctx, WARM_UP + 1 + i))
            totals.append((time.perf_counter() - begun) * 1000)
            cpu.append((time.process_time() - cpu_begun) * 1000)
    return Profile(
        name=op.name,
        total_calls=stats.total_calls,  # type: ignore[attr-defined]
        profiled_ms=profiled,
        p50_ms=statistics.median(totals) if totals else 0.0,
        cpu_p50_ms=statistics.median(cpu) if cpu else 0.0,
        top=out.getvalue(),
        templates={k: v * 1000 / max(requests, 1) for k, v in times.items()},
    )


def _checked(op: Operation) -> Callable[[Any], Any]:
    def check(response: Any) -> Any:
        if response.status_code != op.expect:
            msg = f"{op.name}: HTTP {response.status_code}, expected {op.expect}"
            raise RuntimeError(msg)
        return response

    return check
