"""Run a call in one large interpreter frame (web requests, worker passes).

CPython (3.11 on) keeps Python frames on a per-thread stack allocated in
16 KB chunks: a call that does not fit in the current chunk maps a new one
(mmap), and the chunk is unmapped (munmap) as soon as that call returns.
Work whose call depth goes back and forth across a chunk boundary pays a
map, an unmap and a page fault at every crossing: 1,200 of each on a Clients
list request under gunicorn (7-8 ms of kernel time, a third of the request),
none in the test client, whose extra frames moved the boundary.
Where the boundary falls depends on every frame above it, so the cure is
not to move it but to have none: ``in_large_frame`` calls its function from
a frame with LARGE_FRAME_SLOTS local slots (never assigned, so they cost
only the frame's zeroing), for which the interpreter maps one chunk of
twice that size; every frame the call pushes fits in the room left. The web
workers run each request in it (crm/core/wsgi.py), the outbox and task
workers each pass or task, and the bench each timed request.
"""

from collections.abc import Callable
from typing import Any

LARGE_FRAME_SLOTS = 8192


def _large_frame_runner() -> Callable[..., Any]:
    names = " = ".join(f"_{i}" for i in range(LARGE_FRAME_SLOTS))
    source = (
        "def in_large_frame(function, *args):\n"
        "    if 0:\n"
        f"        {names} = None\n"
        "    return function(*args)\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, __file__, "exec"), namespace)  # noqa: S102 - fixed source
    return namespace["in_large_frame"]  # type: ignore[no-any-return]  # exec namespace values are Any


in_large_frame: Callable[..., Any] = _large_frame_runner()
