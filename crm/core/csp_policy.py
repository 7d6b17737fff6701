"""django-csp's middleware, the settings' policy built once per worker.

``csp.middleware.CSPMiddleware`` builds the ``Content-Security-Policy``
header from the settings on every response (about 340 Python calls: a deep
copy of its parts, then each directive sorted and joined), though only the
nonce differs between two responses. ``PolicyMiddleware`` keeps the built
policy, with a placeholder where the nonce goes, and puts each response's
nonce in. A response a view gave its own policy (django-csp's decorators),
and Django's debug pages, go through django-csp's own code; a changed
setting (a test's) builds afresh.
"""

import secrets
from functools import lru_cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase

# Where the nonce goes in a kept policy: unguessable, so no setting holds it.
_SLOT = "nonce" + secrets.token_hex(16)
# What a view's own policy sets on its response (django-csp's decorators).
_OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_HEADERS = (
    (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
    (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
)
_DEBUG_CODES = (404, 500)


@lru_cache(maxsize=4)
def _kept(report_only: bool, with_nonce: bool) -> str:
    """Return the settings' policy, with ``_SLOT`` for the nonce if any."""
    return build_policy(nonce=_SLOT if with_nonce else None, report_only=report_only)


def _forget(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _kept.cache_clear()


setting_changed.connect(_forget)


class PolicyMiddleware(CSPMiddleware):
    """``CSPMiddleware`` with the settings' policy kept (see the module)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if any(getattr(response, name, None) is not None for name in _OWN_POLICY) or (
            settings.DEBUG and response.status_code in _DEBUG_CODES
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        for header, report_only, exempt, setting in _HEADERS:
            policy = _kept(report_only, nonce is not None)
            if nonce is not None:
                policy = policy.replace(_SLOT, nonce)
            if (
                not policy
                or header in response
                or getattr(response, exempt, False) is not False
            ):
                continue
            prefixes = (getattr(settings, setting, None) or {}).get(
                "EXCLUDE_URL_PREFIXES"
            ) or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        if nonce is None:
            # As django-csp: a nonce asked for after the header is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]  # django-csp's request attribute
        return response
