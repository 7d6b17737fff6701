"""The simulator's state, in memory and guarded by one lock (thread-safe).

Submissions are stored with the idempotency key they came with; a resend with
the same key and payload replays the first answer, a different payload with
that key is a conflict. Nothing survives a restart.
"""

import datetime
import hashlib
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from simulator import contract
from simulator.validation import Error, validate


@dataclass
class Submission:
    """One submission the partner accepted."""

    id: str
    received_at: datetime.datetime
    idempotency_key: str
    fingerprint: str
    payload: dict[str, Any]
    replays: int = 0

    def receipt(self) -> dict[str, Any]:
        """Return the body of the 201 answer (the same on every replay)."""
        return {
            "submission_id": self.id,
            "status": "received",
            "received_at": self.received_at.isoformat(),
            "case_reference": self.payload["case_reference"],
            "firm_id": self.payload["firm_id"],
            "adviser_uid": self.payload["adviser_uid"],
            "amends_submission_id": self.payload.get("amends_submission_id"),
        }

    def summary(self) -> dict[str, Any]:
        return {
            **self.receipt(),
            "idempotency_key": self.idempotency_key,
            "replays": self.replays,
        }


@dataclass(frozen=True)
class Outcome:
    """What ``Store.submit`` decided: HTTP status, body, and whether replayed."""

    status: int
    body: dict[str, Any]
    replayed: bool = False
    submission: Submission | None = None


def fingerprint(payload: Any) -> str:
    """Return a digest of ``payload`` that ignores key order and spacing."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def rejection(status: int, errors: list[Error]) -> Outcome:
    return Outcome(
        status, {"status": "rejected", "errors": [e.as_dict() for e in errors]}
    )


@dataclass
class Store:
    """Firms, advisers and submissions, safe to use from many threads."""

    firms: dict[str, str] = field(default_factory=lambda: dict(contract.DEMO_FIRMS))
    advisers: dict[str, tuple[str, str]] = field(
        default_factory=lambda: dict(contract.DEMO_ADVISERS)
    )
    submissions: dict[str, Submission] = field(default_factory=dict)
    by_key: dict[str, Submission] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _next_number: int = 1

    def submit(self, key: str, payload: Any) -> Outcome:
        """Validate and store ``payload`` once per idempotency ``key``."""
        digest = fingerprint(payload)
        with self.lock:
            first = self.by_key.get(key)
            if first is not None:
                if first.fingerprint != digest:
                    msg = "This Idempotency-Key was used with a different payload."
                    error = Error("idempotency_key_conflict", "", msg)
                    return rejection(409, [error])
                first.replays += 1
                return Outcome(201, first.receipt(), replayed=True, submission=first)
            errors = validate(payload) or self._network_errors(payload)
            if errors:
                return rejection(422, errors)
            submission = Submission(
                id=f"CH-{self._next_number:06d}",
                received_at=datetime.datetime.now(datetime.UTC),
                idempotency_key=key,
                fingerprint=digest,
                payload=payload,
            )
            self._next_number += 1
            self.submissions[submission.id] = submission
            self.by_key[key] = submission
            return Outcome(201, submission.receipt(), submission=submission)

    def _network_errors(self, payload: dict[str, Any]) -> list[Error]:
        """Check the firm, the adviser and any amended submission (under lock)."""
        errors: list[Error] = []
        firm_id, uid = payload["firm_id"], payload["adviser_uid"]
        if firm_id not in self.firms:
            errors.append(Error("unknown_firm", "/firm_id", "Unknown network Firm ID."))
        adviser = self.advisers.get(uid)
        if adviser is None:
            msg = "Unknown network Adviser UID."
            errors.append(Error("unknown_adviser", "/adviser_uid", msg))
        elif adviser[0] != firm_id and firm_id in self.firms:
            msg = "This adviser is not registered with this firm."
            errors.append(Error("adviser_not_in_firm", "/adviser_uid", msg))
        amends = payload.get("amends_submission_id")
        if amends and amends not in self.submissions:
            msg = "No such submission to amend."
            errors.append(Error("unknown_submission", "/amends_submission_id", msg))
        return errors

    def list(self) -> list[Submission]:
        """Return the submissions, newest first."""
        with self.lock:
            return sorted(self.submissions.values(), key=lambda s: s.id, reverse=True)

    def get(self, submission_id: str) -> Submission | None:
        with self.lock:
            return self.submissions.get(submission_id)

    def firm(self, firm_id: str) -> str | None:
        with self.lock:
            return self.firms.get(firm_id)

    def adviser(self, uid: str) -> tuple[str, str] | None:
        with self.lock:
            return self.advisers.get(uid)

    def add_firm(self, firm_id: str, name: str) -> None:
        with self.lock:
            self.firms[firm_id] = name

    def add_adviser(self, uid: str, firm_id: str, name: str) -> None:
        with self.lock:
            self.advisers[uid] = (firm_id, name)

    def clear(self) -> None:
        """Forget every submission (the firms and advisers stay)."""
        with self.lock:
            self.submissions.clear()
            self.by_key.clear()
            self._next_number = 1
