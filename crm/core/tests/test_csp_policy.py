"""The kept policy is the header django-csp's own middleware would send."""

from typing import Any

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from crm.core.csp_policy import PolicyMiddleware


def _both(make_response, *, use_nonce: bool, path: str = "/clients/"):
    """Return (django-csp's response, ours) for the same request and nonce."""
    out = []
    for middleware_class in (CSPMiddleware, PolicyMiddleware):
        request: Any = RequestFactory().get(path)
        middleware = middleware_class(lambda r: make_response())
        middleware.process_request(request)
        if use_nonce:
            str(request.csp_nonce)
            request._csp_nonce = "fixed-nonce"  # the same nonce both ways
        response = middleware.process_response(request, make_response())
        out.append((request, response))
    return out


def _headers(response):
    return {h: response.get(h) for h in (HEADER, HEADER_REPORT_ONLY)}


def _parts(value):
    """A policy's directives, whatever their order (django-csp orders by a set)."""
    return sorted(value.split("; ")) if value else value


@pytest.mark.parametrize("use_nonce", [True, False])
def test_the_header_is_django_csps(use_nonce):
    (_r1, theirs), (_r2, ours) = _both(HttpResponse, use_nonce=use_nonce)
    assert _parts(ours[HEADER]) == _parts(theirs[HEADER])
    assert ("'nonce-fixed-nonce'" in ours[HEADER]) is use_nonce
    assert HEADER_REPORT_ONLY not in ours


def test_a_nonce_asked_for_after_the_header_is_refused():
    from csp.exceptions import CSPNonceError

    [(_r, _s), (request, _response)] = _both(HttpResponse, use_nonce=False)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_report_only_exclusions_and_exemptions(settings):
    """A changed setting builds afresh; exempt and excluded answers get no header."""
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "EXCLUDE_URL_PREFIXES": ["/static/"],
        "DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]},
    }
    (_a, theirs), (_b, ours) = _both(HttpResponse, use_nonce=True)
    assert _parts(ours[HEADER_REPORT_ONLY]) == _parts(theirs[HEADER_REPORT_ONLY])
    assert "'nonce-fixed-nonce'" in ours[HEADER_REPORT_ONLY]
    excluded = _both(HttpResponse, use_nonce=True, path="/static/app.css")
    assert HEADER_REPORT_ONLY not in excluded[1][1]
    assert _headers(excluded[0][1]) == _headers(excluded[1][1])

    def exempt():
        response = HttpResponse()
        response._csp_exempt = True  # type: ignore[attr-defined]  # django-csp's flag
        return response

    pair = _both(exempt, use_nonce=False)
    assert HEADER not in pair[1][1]
    assert _headers(pair[0][1]) == _headers(pair[1][1])


def test_a_views_own_policy_goes_through_django_csp():
    def own():
        response = HttpResponse()
        response._csp_update = {"img-src": ["https://example.com"]}  # type: ignore[attr-defined]  # django-csp's decorator's attribute
        return response

    (_a, theirs), (_b, ours) = _both(own, use_nonce=True)
    assert "https://example.com" in ours[HEADER]
    assert _parts(ours[HEADER]) == _parts(theirs[HEADER])


def test_the_settings_name_the_kept_middleware(settings):
    assert "crm.core.csp_policy.PolicyMiddleware" in settings.MIDDLEWARE
    assert "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE
