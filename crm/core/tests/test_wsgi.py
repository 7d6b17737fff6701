"""The worker's WSGI wrapper takes the first request's survivors out of the GC."""

import gc

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
