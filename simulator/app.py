"""The simulator's WSGI application: routing, JSON answers and fault handling.

Endpoints (docs/concert-hub/README.md has the details):

- ``POST /api/submissions``; ``GET /api/submissions``, ``/api/submissions/<id>``
- ``GET /api/firms/<firm_id>``, ``GET /api/advisers/<uid>``
- ``GET|POST|DELETE /admin/faults``; ``POST /admin/firms``, ``/admin/advisers``,
  ``/admin/reset``
- ``GET /`` (received submissions), ``GET /submissions/<id>``, ``GET /health``
- ``POST /webhooks``: a sink for Casework's webhooks in development (the demo
  endpoint points here); ``GET /webhooks`` lists the event ids it heard,
  each once. It does not check signatures: it does not know the secret.
"""

import json
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

from simulator import contract, pages
from simulator.faults import FAULTS, HEADER, Faults
from simulator.store import Outcome, Store, rejection
from simulator.validation import Error

MAX_BODY = 1024 * 1024
WEBHOOKS_KEPT = 200
# The server puts a callable here that closes the client's connection at once.
DROP_CONNECTION = "simulator.drop_connection"
# Sleeps go through this (tests may replace it).
sleep: Callable[[float], None] = time.sleep

Answer = tuple[int, list[tuple[str, str]], bytes]
REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def json_answer(
    status: int, body: Any, headers: Iterable[tuple[str, str]] = ()
) -> Answer:
    data = json.dumps(body, indent=2).encode()
    return status, [("Content-Type", "application/json"), *headers], data


def error_answer(status: int, code: str, message: str, path: str = "") -> Answer:
    return json_answer(status, rejection(status, [Error(code, path, message)]).body)


class BadRequest(Exception):
    """The request body is not usable JSON."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer[0])
        self.answer = answer


def read_json(environ: WSGIEnvironment) -> Any:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise BadRequest(error_answer(413, "max_length", "The body is too large."))
    raw = environ["wsgi.input"].read(length) if length else b""
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        msg = f"The body is not valid JSON: {exc}"
        raise BadRequest(error_answer(400, "invalid_json", msg)) from exc


class Simulator:
    """A WSGI callable holding the store and the fault settings."""

    def __init__(
        self, store: Store | None = None, faults: Faults | None = None
    ) -> None:
        self.store = store or Store()
        self.faults = faults or Faults()
        # Event id -> type of the webhooks heard, oldest first (a repeat is
        # counted once, as a receiver should).
        self.webhooks: OrderedDict[str, str] = OrderedDict()
        self.routes: list[tuple[str, re.Pattern[str], Callable[..., Answer | None]]] = [
            ("GET", re.compile(r"/\Z"), self.index_page),
            ("GET", re.compile(r"/submissions/(?P<sid>[\w-]+)\Z"), self.detail_page),
            ("GET", re.compile(r"/health\Z"), self.health),
            ("POST", re.compile(r"/api/submissions\Z"), self.submit),
            ("GET", re.compile(r"/api/submissions\Z"), self.list_submissions),
            (
                "GET",
                re.compile(r"/api/submissions/(?P<sid>[\w-]+)\Z"),
                self.get_submission,
            ),
            ("GET", re.compile(r"/api/firms/(?P<firm_id>[\w-]+)\Z"), self.get_firm),
            ("GET", re.compile(r"/api/advisers/(?P<uid>[\w-]+)\Z"), self.get_adviser),
            ("GET", re.compile(r"/admin/faults\Z"), self.get_faults),
            ("POST", re.compile(r"/admin/faults\Z"), self.set_faults),
            ("DELETE", re.compile(r"/admin/faults\Z"), self.clear_faults),
            ("POST", re.compile(r"/admin/firms\Z"), self.add_firm),
            ("POST", re.compile(r"/admin/advisers\Z"), self.add_adviser),
            ("POST", re.compile(r"/admin/reset\Z"), self.reset),
            ("POST", re.compile(r"/webhooks\Z"), self.webhook_receive),
            ("GET", re.compile(r"/webhooks\Z"), self.webhook_list),
        ]

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        try:
            answer = self.dispatch(environ)
        except BadRequest as exc:
            answer = exc.answer
        if answer is None:
            # Processed, but the answer is lost: close the connection, then
            # let the server's write of the headers fail (it ignores that).
            environ[DROP_CONNECTION]()
            start_response("200 OK", [("Content-Length", "0")])
            return []
        status, headers, body = answer
        headers = [*headers, ("Content-Length", str(len(body)))]
        start_response(f"{status} {REASONS.get(status, '')}".strip(), headers)
        return [body]

    def dispatch(self, environ: WSGIEnvironment) -> Answer | None:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/") or "/"
        allowed = False
        for route_method, pattern, view in self.routes:
            match = pattern.match(path)
            if match:
                allowed = True
                if route_method == method:
                    return view(environ, **match.groupdict())
        if allowed:
            return error_answer(405, "method_not_allowed", f"{method} is not allowed.")
        return error_answer(404, "not_found", f"No such endpoint: {path}")

    # Submissions

    def submit(self, environ: WSGIEnvironment) -> Answer | None:
        requested = environ.get("HTTP_" + HEADER.upper().replace("-", "_")) or None
        if requested is not None and requested not in FAULTS:
            msg = f"{HEADER} must be one of: {', '.join(FAULTS)}."
            return error_answer(400, "enum", msg, path=f"header:{HEADER}")
        key = environ.get("HTTP_IDEMPOTENCY_KEY", "").strip()
        if not key or len(key) > 255:
            msg = "Send an Idempotency-Key header (1 to 255 characters)."
            return error_answer(400, "idempotency_key_required", msg)
        payload = read_json(environ)
        fault = self.faults.draw(requested)
        retry_after = [("Retry-After", str(self.faults.retry_after_seconds))]
        if fault == "timeout":
            sleep(self.faults.timeout_seconds)
            return error_answer(504, "internal_error", "Simulated: timed out.")
        if fault == "500":
            return error_answer(500, "internal_error", "Simulated: server error.")
        if fault == "503":
            status, headers, body = error_answer(503, "internal_error", "Simulated.")
            return status, headers + retry_after, body
        if fault == "429":
            status, headers, body = error_answer(429, "rate_limited", "Slow down.")
            return status, headers + retry_after, body
        if fault == "validation":
            msg = "Simulated: the provider is not on the network's panel."
            path = "/mp/policies/0/provider"
            return error_answer(422, "simulated_rejection", msg, path=path)
        outcome = self.store.submit(key, payload)
        if fault == "lost" and DROP_CONNECTION in environ:
            return None
        if fault in {"lost", "lost_timeout"}:
            sleep(self.faults.timeout_seconds)
        return self._outcome_answer(outcome)

    @staticmethod
    def _outcome_answer(outcome: Outcome) -> Answer:
        headers: list[tuple[str, str]] = []
        if outcome.submission is not None:
            headers.append(("Location", f"/api/submissions/{outcome.submission.id}"))
        if outcome.replayed:
            headers.append(("Idempotent-Replayed", "true"))
        return json_answer(outcome.status, outcome.body, headers)

    def list_submissions(self, environ: WSGIEnvironment) -> Answer:
        items = [s.summary() for s in self.store.list()]
        return json_answer(200, {"count": len(items), "submissions": items})

    def get_submission(self, environ: WSGIEnvironment, sid: str) -> Answer:
        submission = self.store.get(sid)
        if submission is None:
            return error_answer(404, "unknown_submission", "No such submission.")
        return json_answer(200, {**submission.summary(), "payload": submission.payload})

    # Network IDs

    def get_firm(self, environ: WSGIEnvironment, firm_id: str) -> Answer:
        name = self.store.firm(firm_id)
        if name is None:
            return error_answer(404, "unknown_firm", "Unknown network Firm ID.")
        return json_answer(200, {"firm_id": firm_id, "name": name, "status": "active"})

    def get_adviser(self, environ: WSGIEnvironment, uid: str) -> Answer:
        adviser = self.store.adviser(uid)
        if adviser is None:
            return error_answer(404, "unknown_adviser", "Unknown network Adviser UID.")
        firm_id, name = adviser
        body = {
            "adviser_uid": uid,
            "firm_id": firm_id,
            "name": name,
            "status": "active",
        }
        return json_answer(200, body)

    def add_firm(self, environ: WSGIEnvironment) -> Answer:
        data = read_json(environ)
        errors = _id_errors(data, {"firm_id": contract.FIRM_ID})
        if errors:
            return json_answer(400, rejection(400, errors).body)
        self.store.add_firm(data["firm_id"], str(data.get("name", "")))
        return self.get_firm(environ, data["firm_id"])

    def add_adviser(self, environ: WSGIEnvironment) -> Answer:
        data = read_json(environ)
        patterns = {"adviser_uid": contract.ADVISER_UID, "firm_id": contract.FIRM_ID}
        errors = _id_errors(data, patterns)
        if not errors and self.store.firm(data["firm_id"]) is None:
            errors = [Error("unknown_firm", "/firm_id", "Register the firm first.")]
        if errors:
            return json_answer(400, rejection(400, errors).body)
        uid = data["adviser_uid"]
        self.store.add_adviser(uid, data["firm_id"], str(data.get("name", "")))
        return self.get_adviser(environ, uid)

    # Faults and housekeeping

    def get_faults(self, environ: WSGIEnvironment) -> Answer:
        return json_answer(200, self.faults.snapshot())

    def set_faults(self, environ: WSGIEnvironment) -> Answer:
        errors = self.faults.configure(read_json(environ))
        if errors:
            return json_answer(400, rejection(400, errors).body)
        return self.get_faults(environ)

    def clear_faults(self, environ: WSGIEnvironment) -> Answer:
        self.faults.configure({})
        return self.get_faults(environ)

    def reset(self, environ: WSGIEnvironment) -> Answer:
        self.store.clear()
        self.faults.configure({})
        return json_answer(200, {"status": "reset"})

    # Webhooks sink

    def webhook_receive(self, environ: WSGIEnvironment) -> Answer:
        event = read_json(environ)
        event_id = str(event.get("id", "")) if isinstance(event, dict) else ""
        if not event_id:
            return error_answer(400, "required", "The event has no id.", "/id")
        self.webhooks[event_id] = str(event.get("type", ""))
        while len(self.webhooks) > WEBHOOKS_KEPT:
            self.webhooks.popitem(last=False)
        return json_answer(200, {"received": event_id})

    def webhook_list(self, environ: WSGIEnvironment) -> Answer:
        items = [{"id": k, "type": v} for k, v in self.webhooks.items()]
        return json_answer(200, {"count": len(items), "events": items})

    def health(self, environ: WSGIEnvironment) -> Answer:
        return json_answer(200, {"status": "ok"})

    # Pages

    def index_page(self, environ: WSGIEnvironment) -> Answer:
        body = pages.index(self.store.list(), self.faults.snapshot())
        return 200, [("Content-Type", "text/html; charset=utf-8")], body

    def detail_page(self, environ: WSGIEnvironment, sid: str) -> Answer:
        submission = self.store.get(sid)
        if submission is None:
            body = pages.not_found(sid)
            return 404, [("Content-Type", "text/html; charset=utf-8")], body
        return (
            200,
            [("Content-Type", "text/html; charset=utf-8")],
            pages.detail(submission),
        )


def _id_errors(data: Any, patterns: dict[str, re.Pattern[str]]) -> list[Error]:
    if not isinstance(data, dict):
        return [Error("type", "", "Expected an object.")]
    errors: list[Error] = []
    for key, pattern in patterns.items():
        value = data.get(key)
        if not isinstance(value, str):
            errors.append(Error("required", f"/{key}", "Required."))
        elif not pattern.match(value):
            errors.append(Error("format", f"/{key}", f"Not a valid {key}."))
    return errors
