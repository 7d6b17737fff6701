"""Choices of Concert Hub submissions and their history entries (SPEC G4-G6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    """Where a submission is. "Not sent" is a case without any submission."""

    AMENDING = "amending", _("Amending")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    RECEIVED = "received", _("Received")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed - needs attention")


# A submission in one of these holds the case's submitted data locked.
LOCKING_STATUSES = frozenset(
    {SubmissionStatus.QUEUED, SubmissionStatus.SENDING, SubmissionStatus.RECEIVED}
)
# The Submissions page's default view: what a member must act on.
ATTENTION_STATUSES = frozenset({SubmissionStatus.REJECTED, SubmissionStatus.FAILED})
IN_FLIGHT_STATUSES = frozenset({SubmissionStatus.QUEUED, SubmissionStatus.SENDING})


class AttemptOutcome(models.TextChoices):
    RECEIVED = "received", _("Received")
    RETRY = "retry", _("Will retry")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class SubmissionEventType(models.TextChoices):
    """History entries a submission writes on its case."""

    QUEUED = "ch_queued", _("Sent to Concert Hub")
    RECEIVED = "ch_received", _("Received by Concert Hub")
    REJECTED = "ch_rejected", _("Rejected by Concert Hub")
    FAILED = "ch_failed", _("Concert Hub submission failed")
    REDRIVEN = "ch_redriven", _("Concert Hub submission sent again")
    AMENDING = "ch_amending", _("Amendment started")
    AMENDMENT_CANCELLED = "ch_amend_cancelled", _("Amendment cancelled")
