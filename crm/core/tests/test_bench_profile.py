"""The page profiler at a tiny scale: calls counted, HTML kept with tokens blanked."""

import pytest

from bench.context import build_context
from bench.generate import Plan, generate
from bench.operations import operations
from bench.profile import normalised, profile_operation
from bench.suite import logged_in_client

pytestmark = pytest.mark.django_db

TINY = Plan(
    contacts=60, leads=20, cases=20, interactions=40, tasks=20, firms=1, advisers=2
)


def test_normalised_blanks_only_the_per_request_tokens():
    """Nonces, CSRF tokens and signed cursors are blanked; the rest is kept."""
    html = (
        b'<style nonce="abc">x</style><body hx-headers=\'{"X-CSRFToken": "t0k"}\'>'
        b'<input type="hidden" name="csrfmiddlewaretoken" value="zz">'
        b'<a href="?tab=open&amp;after=eyJrIjo%3A1xa6:sig">Next</a>'
    )
    assert normalised(html) == (
        b'<style nonce="-">x</style><body hx-headers=\'{"X-CSRFToken": "-"}\'>'
        b'<input type="hidden" name="csrfmiddlewaretoken" value="-">'
        b'<a href="?tab=open&amp;after=-">Next</a>'
    )


def test_profile_counts_calls_and_keeps_the_page(tmp_path):
    """One profiled request's calls, a median time and the page's HTML on disk."""
    generate(TINY, log=lambda line: None)
    ctx = build_context(lead_count=2)
    op = next(o for o in operations(ctx) if o.name == "contact_list")
    result = profile_operation(
        logged_in_client(ctx), op, ctx, requests=2, html_dir=tmp_path
    )
    assert result.total_calls > 1000
    assert result.p50_ms > 0
    assert "contacts/contact_list.html" in result.templates
    assert b"Clients" in (tmp_path / "contact_list.html").read_bytes()
