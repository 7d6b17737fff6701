"""The worker's WSGI wrapper: the GC freeze after the first request, the large frame."""

import gc
import resource
import sys
from collections.abc import Callable
from types import FrameType

from crm.core.frames import in_large_frame
from crm.core.wsgi import frozen_after_first_request


def test_first_request_freezes_what_is_alive_and_later_ones_do_not():
    """After the first response the heap is frozen once; answers pass through."""
    calls = []

    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return [b"ok"]

    wrapped = frozen_after_first_request(app)
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        assert wrapped({"PATH_INFO": "/a"}, lambda *a: None) == [b"ok"]
        frozen = gc.get_freeze_count()
        assert frozen > 0
        gc.unfreeze()
        assert wrapped({"PATH_INFO": "/b"}, lambda *a: None) == [b"ok"]
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
    assert calls == ["/a", "/b"]


def _depth(n: int) -> int:
    return _depth(n - 1) if n else 0


def _oscillate() -> None:
    """Go deeper and back 2,300 times over a range wider than a 16 KB chunk."""
    for _ in range(100):
        for depth in range(100, 400, 13):
            _depth(depth)


def _minor_faults(function: Callable[[], object]) -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    function()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_calls_in_a_large_frame_do_not_map_a_chunk_per_crossing():
    """Crossing a frame-stack chunk boundary maps and unmaps a chunk each time
    (thousands of page faults); inside ``in_large_frame`` nothing crosses."""
    assert _minor_faults(_oscillate) > 1_000
    assert _minor_faults(lambda: in_large_frame(_oscillate)) < 200


def test_each_request_runs_inside_the_large_frame():
    seen: list[list[str]] = []

    def app(environ, start_response):
        frame: FrameType | None = sys._getframe()
        names = []
        while frame is not None:
            names.append(frame.f_code.co_name)
            frame = frame.f_back
        seen.append(names)
        return [b"ok"]

    wrapped = frozen_after_first_request(app)
    try:
        wrapped({"PATH_INFO": "/a"}, lambda *a: None)
    finally:
        gc.unfreeze()
    assert seen[0][:2] == ["app", "in_large_frame"]
