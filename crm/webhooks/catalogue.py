"""The events a webhook can subscribe to, and what each delivery says.

Each webhook event names the pipeline events (subject and type, as
``crm.core.events.record`` writes them) it is made from, and how to build its
small ``data`` object: ids and statuses, never names, notes or other personal
details (a receiver that needs them reads the API with a token).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.cases.models import Case
from crm.core.events import RecordedEvent
from crm.leads.models import Lead

DataBuilder = Callable[[RecordedEvent, models.Model | None], dict[str, Any]]
TEST_EVENT = "webhook.test"


@dataclass(frozen=True)
class WebhookEvent:
    """One event type a firm may subscribe an endpoint to."""

    name: str
    label: Any
    sources: tuple[tuple[str, str], ...]
    data: DataBuilder


def _case(subject: models.Model | None) -> dict[str, Any]:
    if not isinstance(subject, Case):
        return {}
    return {
        "id": subject.pk,
        "reference": subject.reference,
        "kind": subject.kind,
        "status": subject.status,
        "is_open": subject.is_open,
    }


def _case_data(event: RecordedEvent, subject: models.Model | None) -> dict[str, Any]:
    return {"case": _case(subject)}


def _case_move(event: RecordedEvent, subject: models.Model | None) -> dict[str, Any]:
    return {
        "case": _case(subject),
        "from": event.params.get("from"),
        "to": event.params.get("to"),
    }


def _case_update(event: RecordedEvent, subject: models.Model | None) -> dict[str, Any]:
    changes = event.params.get("changes") or event.changes
    fields = sorted(changes) if isinstance(changes, dict) else []
    return {"case": _case(subject), "fields": fields}


def _submission(event: RecordedEvent, subject: models.Model | None) -> dict[str, Any]:
    return {
        "case": _case(subject),
        "submission": {
            "number": event.params.get("number"),
            "partner_reference": event.params.get("reference") or None,
            "errors": event.params.get("errors", 0),
        },
    }


def _lead(subject: models.Model | None) -> dict[str, Any]:
    if not isinstance(subject, Lead):
        return {}
    return {"id": subject.pk, "status": subject.status}


def _lead_data(event: RecordedEvent, subject: models.Model | None) -> dict[str, Any]:
    data: dict[str, Any] = {"lead": _lead(subject)}
    if event.params.get("case_id") is not None:
        data["case"] = {"id": event.params["case_id"]}
    if "from" in event.params:
        data |= {"from": event.params.get("from"), "to": event.params.get("to")}
    return data


EVENTS: tuple[WebhookEvent, ...] = (
    WebhookEvent("case.created", _("Case created"), (("case", "created"),), _case_data),
    WebhookEvent(
        "case.updated",
        _("Case details updated"),
        (("case", "updated"), ("case", "mortgage_updated")),
        _case_update,
    ),
    WebhookEvent(
        "case.status_changed",
        _("Case status changed"),
        (("case", "status_changed"),),
        _case_move,
    ),
    WebhookEvent("case.closed", _("Case closed"), (("case", "closed"),), _case_move),
    WebhookEvent(
        "case.reopened", _("Case reopened"), (("case", "reopened"),), _case_move
    ),
    WebhookEvent(
        "case.document_added",
        _("Document uploaded to a case"),
        (("case", "document_added"),),
        _case_data,
    ),
    WebhookEvent(
        "submission.sent",
        _("Submission sent to Concert Hub"),
        (("case", "ch_queued"),),
        _submission,
    ),
    WebhookEvent(
        "submission.received",
        _("Submission received by Concert Hub"),
        (("case", "ch_received"),),
        _submission,
    ),
    WebhookEvent(
        "submission.rejected",
        _("Submission rejected by Concert Hub"),
        (("case", "ch_rejected"),),
        _submission,
    ),
    WebhookEvent(
        "submission.failed",
        _("Submission failed (needs attention)"),
        (("case", "ch_failed"),),
        _submission,
    ),
    WebhookEvent("lead.created", _("Lead created"), (("lead", "created"),), _lead_data),
    WebhookEvent(
        "lead.status_changed",
        _("Lead status changed"),
        (("lead", "status_changed"),),
        _lead_data,
    ),
    WebhookEvent(
        "lead.converted",
        _("Lead converted to a case"),
        (("lead", "converted"),),
        _lead_data,
    ),
)

_BY_SOURCE: dict[tuple[str, str], WebhookEvent] = {
    source: event for event in EVENTS for source in event.sources
}
_BY_NAME: dict[str, WebhookEvent] = {event.name: event for event in EVENTS}


def for_source(subject: str, type: str) -> WebhookEvent | None:
    """Return the webhook event made from pipeline event ``subject``.``type``."""
    return _BY_SOURCE.get((subject, type))


def choices() -> list[tuple[str, str]]:
    """Return ``(name, label)`` of every event an endpoint may subscribe to."""
    return [(event.name, str(event.label)) for event in EVENTS]


def label_of(name: str) -> str:
    """Return the label of webhook event ``name`` (or the name itself)."""
    if name == TEST_EVENT:
        return str(_("Test event"))
    found = _BY_NAME.get(name)
    return str(found.label) if found is not None else name
