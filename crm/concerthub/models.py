"""Network IDs and submissions to Concert Hub (SPEC G4-G6).

A ``Submission`` holds the payload exactly as sent, the references that map
the partner's error paths back to our records, and its own record of every
attempt (``SubmissionAttempt``), which outlives the outbox rows it came
from once those are pruned.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.cases.models import Case
from crm.concerthub.choices import AttemptOutcome, SubmissionStatus
from crm.core.models import FirmOwnedModel, scoped
from crm.core.outbox.models import OutboxMessage


class NetworkFirm(FirmOwnedModel):
    """The firm's network Firm ID, checked with Concert Hub when saved."""

    network_firm_id = models.CharField(_("network Firm ID"), max_length=7)
    partner_name = models.CharField(max_length=120, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager["NetworkFirm"]] = scoped(
        models.Manager["NetworkFirm"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm"], name="network_firm_one_per_firm")
        ]

    def __str__(self) -> str:
        return self.network_firm_id


class NetworkAdviser(FirmOwnedModel):
    """A member's network Adviser UID, checked with Concert Hub when saved."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    adviser_uid = models.CharField(_("Adviser UID"), max_length=7)
    partner_name = models.CharField(max_length=120, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager["NetworkAdviser"]] = scoped(
        models.Manager["NetworkAdviser"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "user"], name="network_adviser_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return self.adviser_uid


class Submission(FirmOwnedModel):
    """One sending of a protection case's KYC and M&P data to Concert Hub.

    A resubmission after a rejection, and an amendment of a received
    submission, are new submissions linked to the one before (``previous``).
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="concert_hub_submissions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=SubmissionStatus.choices)
    # The case's newest submission: the one whose status is the case's.
    is_latest = models.BooleanField(default=True)
    idempotency_key = models.CharField(max_length=64)
    payload = models.JSONField(default=dict, blank=True)
    # Our records behind the payload's references: {"C1": applicant id, ...}.
    refs = models.JSONField(default=dict, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason for the amendment"), blank=True)
    partner_id = models.CharField(max_length=20, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    errors = models.JSONField(default=list, blank=True)
    last_error = models.TextField(blank=True)
    message = models.ForeignKey(
        OutboxMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager["Submission"]] = scoped(
        models.Manager["Submission"]
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "number"], name="submission_case_number"
            ),
            models.UniqueConstraint(
                fields=["firm", "idempotency_key"], name="submission_firm_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["firm", "is_latest", "status", "-updated_at"],
                name="submission_status",
            ),
            models.Index(
                fields=["firm", "is_latest", "-updated_at"], name="submission_recent"
            ),
        ]

    def __str__(self) -> str:
        return self.partner_id or f"Submission {self.number}"

    @property
    def anchor(self) -> str:
        return f"submission-{self.pk}"

    @property
    def shown_status(self) -> str:
        """Return the status to show: Sending while a worker holds a queued one.

        Reads the outbox message's lease, so load ``message`` with the
        submission (``select_related``) where this is shown.
        """
        message = self.message if self.message_id else None
        if (
            self.status == SubmissionStatus.QUEUED
            and message is not None
            and message.claimed_until is not None
            and message.claimed_until > timezone.now()
        ):
            return SubmissionStatus.SENDING
        return self.status

    @property
    def shown_label(self) -> str:
        """Return the label of ``shown_status``."""
        return str(SubmissionStatus(self.shown_status).label)


class SubmissionAttempt(FirmOwnedModel):
    """One try at delivering a submission: when, how long, and the answer."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="attempts"
    )
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=AttemptOutcome.choices)
    message = models.CharField(max_length=500, blank=True)

    objects: ClassVar[models.Manager["SubmissionAttempt"]] = scoped(
        models.Manager["SubmissionAttempt"]
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(
                fields=["firm", "submission", "-started_at"], name="submission_attempt"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.submission_id} {self.outcome} at {self.started_at:%Y-%m-%d %H:%M}"
        )
