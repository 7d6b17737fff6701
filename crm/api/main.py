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
from ninja.errors import ValidationError, ValidationErrorContext
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
Casework's REST API. Every call acts in one firm, as one principal.

**First steps**

1. In Casework, open **Settings, then API tokens** (members who manage the
   firm can), make a *Read and write* token and copy its key: it is shown once.
2. Press **Authorize** below and paste the key under *TokenAuth*. Outside
   this page, send it yourself:
   `curl -H "Authorization: Bearer <key>" https://<your Casework>/api/v1/contacts`
3. `POST /api/v1/contacts` adds a client; `POST /api/v1/cases/advice` opens a
   mortgage case for them (`applicant_ids`: the contact's `id`);
   `POST /api/v1/cases/{case_id}/move` moves it to one of the case's
   `next_statuses`; `GET /api/v1/cases/{case_id}` reads it back.

**Who you are**

* **An API token** (Settings, then API tokens): send it as
  `Authorization: Bearer <key>`. A token acts as the member it was made for,
  with their permissions, and a read-only token can only read.
* **Your own session**, when you are logged in to Casework in this browser;
  writes then need the `X-CSRFToken` header, as the docs page sends.

Errors are JSON: `{"code": "...", "message": "...", "fields": {...}}`, with a
stable `code`; `fields` names each wrong field (`body.email`, `query.limit`).
422 means the request does not fit the schema, 400 that a rule refused a
value, 409 that the object's state forbids the change (the message says what
would be allowed). Another firm's ids answer 404. Lists are paged by cursor: pass
`next_cursor` back as `cursor`. Each token may make a limited number of
requests a minute; past it the answer is 429 with `Retry-After`.
"""


class CaseworkAPI(NinjaAPI):
    """The API, naming a body's fields in 422s as its 400s name them."""

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> ValidationError:
        """Return the request's validation error with ``body.<field>`` locations."""
        found = []
        for context in error_contexts:
            error = super().validation_error_from_error_contexts([context])
            if context.model.__ninja_param_source__ == "body":
                params = set(context.model.model_fields)
                found += errors.body_field_locs(list(error.errors), params)
            else:
                found += error.errors
        return ValidationError(found)


api = CaseworkAPI(
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
