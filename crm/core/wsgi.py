"""The WSGI application's wrapper for long-lived worker processes."""

import gc
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# CPython (3.11 on) keeps Python frames on a per-thread stack allocated in
# 16 KB chunks: a call that does not fit in the current chunk maps a new one
# (mmap), and the chunk is unmapped (munmap) as soon as that call returns.
# A request whose call depth goes back and forth across a chunk boundary pays
# a map, an unmap and a page fault at every crossing: 1,200 of each on a
# Clients list request under gunicorn (7-8 ms of kernel time, a third of the
# request), none in the test client, whose extra frames moved the boundary.
# Where the boundary falls depends on every frame above it, so the cure is
# not to move it but to have none: ``in_large_frame`` calls its function from
# a frame with LARGE_FRAME_SLOTS local slots (never assigned, so they cost
# only the frame's zeroing), for which the interpreter maps one chunk of
# twice that size; every frame the request pushes fits in the room left.
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
    return namespace["in_large_frame"]  # type: ignore[no-any-return]


in_large_frame: Callable[..., Any] = _large_frame_runner()


def frozen_after_first_request(app: WSGIApp) -> WSGIApp:
    """Return ``app`` run in a large frame, freezing what the first request left.

    A worker keeps about 200,000 objects for its whole life (modules, models,
    compiled templates, URL patterns, most made by the first request). Python's
    full collections walk all of them, on average 2.5 ms of every Cases list
    request; ``gc.freeze()`` leaves them out of every later collection (1 ms).
    Garbage made later is collected as before. Each request runs inside
    ``in_large_frame`` (see LARGE_FRAME_SLOTS).
    """
    pending = True

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        nonlocal pending
        response = in_large_frame(app, environ, start_response)
        if pending:
            pending = False
            gc.collect()
            gc.freeze()
        return response

    return wsgi
