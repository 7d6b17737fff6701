"""The one ``NinjaAPI`` at ``/api/v1/``: routers, auth, limits, errors (K1, K2).

Each app's router lives in ``<app>/api.py``; this module mounts them, so the
API app is the only one that knows them all. Every route gets one policy
marker, as every page does (T3): ``api`` for operations (a token or a
member's session, checked by the auth classes) and ``public`` for the
schema and its docs page, which hold no firm data.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.utils import check_csrf

from crm.advice import api as advice_api
from crm.advice.factfind import api as factfind_api
from crm.advice.factfind import api_rows as factfind_rows_api
from crm.api import errors
from crm.api.auth import MemberSessionAuth, PrincipalThrottle, TokenAuth
from crm.cases import api as cases_api
from crm.concerthub import api as concerthub_api
from crm.contacts import api as contacts_api
from crm.core import principals
from crm.core.http import MAX_ID
from crm.core.policies import POLICY_ATTR
from crm.interactions import api as interactions_api
from crm.leads import api as leads_api
from crm.protection import api as protection_api
from crm.support import api as support_api
from crm.tasks import api as tasks_api

DESCRIPTION = """\
Casework's REST API. Every call acts in one firm, as one principal:

* **An API token** (Settings, then API tokens): send it as
  `Authorization: Bearer <key>`. A token acts as the member it was made for,
  with their permissions, and a read-only token can only read.
* **Your own session**, when you are logged in to Casework in this browser;
  writes then need the `X-CSRFToken` header, as the docs page sends.

Errors are JSON: `{"code": "...", "message": "...", "fields": {...}}`, with a
stable `code`. Another firm's ids answer 404. Lists are paged by cursor: pass
`next_cursor` back as `cursor`. Each token may make a limited number of
requests a minute; past it the answer is 429 with `Retry-After`.
"""

api = NinjaAPI(
    title="Casework API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), MemberSessionAuth()],
    throttle=[PrincipalThrottle()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/contacts", contacts_api.router)
api.add_router("/cases", cases_api.router)
api.add_router("/cases", advice_api.router)
# The rows' paths first: the section path's ``{section}`` would match them.
api.add_router("/cases", factfind_rows_api.router)
api.add_router("/cases", factfind_api.router)
api.add_router("", support_api.router)
api.add_router("/leads", leads_api.router)
api.add_router("/tasks", tasks_api.router)
api.add_router("/interactions", interactions_api.router)
api.add_router("", protection_api.router)
api.add_router("", concerthub_api.router)

PUBLIC_URL_NAMES = frozenset({"openapi-json", "openapi-view", "no_such_path"})


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _csrf_first(view: Callable[..., HttpResponseBase]) -> Callable[..., Any]:
    """Check a session's CSRF token before anything else, as pages do.

    A member's session is an ambient credential, so its unsafe requests are
    refused (403) without the token even on a path that has no such method;
    a bearer token is sent on purpose and needs none. A method the path does
    not have is 405 only for ids the caller may see; another firm's is 404.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        principal = getattr(request, "principal", None)
        if (
            request.method not in SAFE_METHODS
            and principal is not None
            and principal.kind == principals.STAFF
            and check_csrf(request) is not None
        ):
            return api.create_response(
                request,
                errors.body("csrf_failed", "CSRF check failed."),
                status=403,
            )
        if any(isinstance(v, int) and v > MAX_ID for v in kwargs.values()):
            # No row has such an id, and the database could not compare it.
            return api.create_response(
                request, errors.body("not_found", "Not found."), status=404
            )
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and principal is not None:
            return errors.not_yours(api, request) or response
        return response

    return wrapper


def _mark(patterns: Iterable[URLPattern | URLResolver]) -> None:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _mark(pattern.url_patterns)
            continue
        pattern.callback = _csrf_first(pattern.callback)
        callback: Any = pattern.callback
        public = pattern.name in PUBLIC_URL_NAMES
        setattr(callback, POLICY_ATTR, ["public" if public else "api"])
        # The auth classes above decide; the login backstop would redirect.
        callback.login_required = False
        if public:
            callback.casework_public_reason = (
                "the API's schema holds no firm data; a path it lacks is a 404"
            )


@csrf_exempt  # it changes nothing, and a bearer token needs no CSRF token
def no_such_path(request: HttpRequest, rest: str) -> HttpResponse:
    """Answer a path the API does not have (``/cases/1.5``) in JSON, not HTML."""
    return JsonResponse(errors.body("not_found", "Not found."), status=404)


def urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """Return the API's URL patterns, each marked with its policy.

    The last one takes any other path under ``/api/v1/``, so a malformed id
    is a JSON 404 like any other.
    """
    patterns, app_name, namespace = api.urls
    patterns = [*patterns, path("<path:rest>", no_such_path, name="no_such_path")]
    _mark(patterns)
    return patterns, app_name, namespace
