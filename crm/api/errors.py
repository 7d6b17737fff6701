"""Every API error is JSON ``{code, message, fields}`` with a stable code (K2).

``ApplicationError`` keeps the code its service gave (400, or 409 when the
object's state forbids the change); Django's ``ValidationError`` from a
model's ``full_clean`` names its fields; request validation is 422, except
that a path id the caller may not see is 404 first, whatever the body.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from crm.core.api import check_path_ids
from crm.core.exceptions import ApplicationError

# Codes that mean "not now, in this state" rather than "wrong input".
CONFLICT_CODES = frozenset(
    {
        "already_open",
        "case_closed",
        "closed",
        "duplicate",
        "illegal_transition",
        "invalid_status",
        "locked",
        "unchanged",
        "use_convert",
        "not_ready",
        "in_flight",
        "already_sent",
        "active_policy",
        "top_up",
        "applicants_fixed",
        "applicant_limit",
        "main_applicant",
        "decided",
    }
)


def body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """Return the JSON body of an error."""
    return {"code": code, "message": message, "fields": fields or {}}


def _loc(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def _message(error: dict[str, Any]) -> str:
    """Return a request error's message, saying what to send where it can."""
    kind = str(error.get("type", ""))
    if kind.startswith("datetime_"):
        return "Enter a date and time as ISO 8601, e.g. 2026-01-31T09:30:00Z."
    if kind.startswith("date_") and kind not in {"date_past", "date_future"}:
        return "Enter a date as YYYY-MM-DD, e.g. 2026-01-31."
    if kind == "missing" and tuple(error.get("loc", ())) == ("body",):
        return "Send a JSON object as the request body."
    return str(error.get("msg", "Invalid value."))


def body_field_locs(
    errors: list[dict[str, Any]], body_params: set[str]
) -> list[dict[str, Any]]:
    """Name body fields as services do: ``body.email``, not ``body.data.email``.

    django-ninja puts the view's body parameter's name after ``body``; with
    one body parameter that name says nothing, and a 400 from a service
    names the same field without it.
    """
    if len(body_params) != 1:
        return errors
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if len(loc) >= 2 and loc[0] == "body" and loc[1] in body_params:
            error["loc"] = (loc[0], *loc[2:])
    return errors


def not_yours(api: NinjaAPI, request: HttpRequest) -> HttpResponse | None:
    """Return a 404 if a path id is not the caller's, whatever else is wrong.

    Called before a request's own error (a bad body, a method the path does
    not have) is answered, so that error never tells another firm's id apart
    from a missing one.
    """
    match = request.resolver_match
    try:
        check_path_ids(request, dict(match.kwargs) if match else {})
    except (Http404, ApplicationError, PermissionDenied):
        return api.create_response(request, body("not_found", "Not found."), status=404)
    return None


def install(api: NinjaAPI) -> None:
    """Make ``api`` answer every error it knows as JSON with a code."""

    def respond(
        request: HttpRequest, data: dict[str, Any], status: int
    ) -> HttpResponse:
        return api.create_response(request, data, status=status)

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        if exc.code == "not_found":
            return respond(request, body("not_found", "Not found."), 404)
        if exc.code == "forbidden":
            return respond(request, body("forbidden", exc.message), 403)
        field = exc.field
        location = exc.extra.get("location", "body")
        fields = {f"{location}.{field}": [exc.message]} if field else {}
        status = 409 if exc.code in CONFLICT_CODES else 400
        return respond(request, body(exc.code, exc.message, fields), status)

    @api.exception_handler(DjangoValidationError)
    def model_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                fields[f"body.{name}"] = list(errors)
        message = "; ".join(m for ms in fields.values() for m in ms) or "; ".join(
            exc.messages
        )
        return respond(request, body("invalid", message, fields), 400)

    def hidden(request: HttpRequest) -> HttpResponse | None:
        return not_yours(api, request)

    @api.exception_handler(ValidationError)
    def request_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if (response := hidden(request)) is not None:
            return response
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_loc(error.get("loc", ())), []).append(_message(error))
        message = "The request is not valid: " + ", ".join(sorted(fields)) + "."
        return respond(request, body("validation_error", message, fields), 422)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, body("not_found", "Not found."), 404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = "This token or member may not do that."
        return respond(request, body("forbidden", message), 403)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            body(
                "unauthenticated",
                "Send a live API token as 'Authorization: Bearer <key>'.",
            ),
            401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="casework"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return respond(
            request,
            body("rate_limited", "Too many requests: wait and try again."),
            429,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and (response := hidden(request)) is not None:
            return response
        code = {400: "bad_request", 403: "forbidden"}.get(exc.status_code, "error")
        if "CSRF" in str(exc):
            code = "csrf_failed"
        return respond(request, body(code, str(exc)), exc.status_code)
