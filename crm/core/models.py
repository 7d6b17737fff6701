"""Core models: the audit trail, the dev mailbox and the outbox (re-exported).

``FirmOwnedModel`` and ``scoped`` live in ``crm.core.tenancy``; the outbox models in
``crm.core.outbox.models``. Importing them here registers them with the core app.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from crm.core.choices import AuditVerb
from crm.core.outbox.models import DeliveryAttempt, OutboxMessage
from crm.core.tenancy import FirmOwnedModel, scoped

__all__ = [
    "AuditEvent",
    "DeliveryAttempt",
    "FirmOwnedModel",
    "OutboxMessage",
    "SpentToken",
    "StoredEmail",
    "TaskClaim",
    "scoped",
]


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Audit rows in bulk: they can be read and added, never changed or deleted."""

    def delete(self) -> tuple[int, dict[str, int]]:
        """Refuse: audit events are append-only."""
        msg = "Audit events are append-only."
        raise ValueError(msg)

    def update(self, **kwargs: Any) -> int:
        """Refuse: audit events are append-only."""
        msg = "Audit events are append-only."
        raise ValueError(msg)

    def redact(self, *, object_repr: str, changes: dict[str, Any], at: Any) -> int:
        """Blank the personal data of these rows for an erasure (SPEC M3).

        The only change audit rows allow: ``object_repr`` and ``changes`` are
        replaced and ``redacted_at`` set. The chain fields stay, so every link
        still verifies (``crm.core.auditchain``); the erasure's own audit row
        names the rows it redacted.
        """
        return super().update(object_repr=object_repr, changes=changes, redacted_at=at)


def audit_now() -> Any:
    """Return ``timezone.now()``, looked up at call time (so a patched clock counts)."""
    return timezone.now()


class AuditEvent(FirmOwnedModel):
    """One append-only entry of the audit trail (SPEC A7)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(max_length=32, choices=AuditVerb.choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Set by the writer before the row is sealed, so the hash covers it.
    created_at = models.DateTimeField(default=audit_now, db_index=False)
    # The hash chain (SPEC A7, see crm.core.auditchain): the previous row's
    # hash in this firm, the digest of this row's content, and this row's hash.
    prev_hash = models.CharField(max_length=64, blank=True)
    body_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    # Set when an erasure blanked the personal data of this row (SPEC M3):
    # its content no longer matches body_hash, but its links still hold.
    redacted_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["AuditEvent"]] = scoped(
        models.Manager.from_queryset(AuditEventQuerySet)
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["firm", "-created_at", "-id"], name="audit_firm_time"),
            models.Index(
                fields=["firm", "actor", "-created_at"], name="audit_firm_actor"
            ),
            models.Index(
                fields=["firm", "object_type", "-created_at"], name="audit_firm_type"
            ),
            models.Index(
                fields=["firm", "verb", "-created_at"], name="audit_firm_verb"
            ),
            # The chain's head: the firm's latest row by id.
            models.Index(fields=["firm", "-id"], name="audit_firm_chain"),
        ]

    def __str__(self) -> str:
        return f"{self.get_verb_display()} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert the event; an existing event is never rewritten."""
        if not self._state.adding:
            msg = "Audit events are append-only."
            raise ValueError(msg)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: audit events are append-only."""
        msg = "Audit events are append-only."
        raise ValueError(msg)


class StoredEmail(models.Model):
    """A sent e-mail kept by the dev mailbox backend, one row per recipient (K4)."""

    firm = models.ForeignKey(
        "firms.Firm", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.EmailField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member whose action sent the message, if any.",
    )
    from_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["firm", "-created_at"], name="mail_firm_time"),
            models.Index(fields=["recipient", "-created_at"], name="mail_rcpt_time"),
            models.Index(fields=["actor", "-created_at"], name="mail_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} -> {self.recipient}"


class SpentToken(FirmOwnedModel):
    """A create form's one-time token, spent by the post that used it (A10).

    ``result_url`` is the page of what that post created, so a second post
    of the same form can be sent there instead of creating a duplicate.
    """

    token = models.CharField(max_length=64)
    purpose = models.CharField(max_length=40)
    result_url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["SpentToken"]] = scoped(
        models.Manager["SpentToken"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm", "token"], name="spent_token_unique")
        ]
        indexes = [models.Index(fields=["created_at"], name="spent_token_time")]

    def __str__(self) -> str:
        return f"{self.purpose} token"


class TaskClaim(models.Model):
    """The lease of a background task a ``db_worker`` is running (SPEC A10).

    django-tasks-db marks a claimed task RUNNING and nothing more, so a worker
    killed mid-task left it RUNNING forever. The worker now writes this row
    when it starts a task and renews ``claimed_until`` while the task runs; a
    claim that outlives its lease belonged to a dead worker, and any worker
    puts the task back in the queue (``crm.core.taskqueue``), as the outbox
    does with its messages.
    """

    task_id = models.UUIDField(unique=True)
    claimed_by = models.CharField(max_length=100)
    claimed_until = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["claimed_until"], name="task_claim_until")]

    def __str__(self) -> str:
        return f"{self.task_id} by {self.claimed_by}"
