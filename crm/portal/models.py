"""Portal accounts, invitations and the action log (SPEC H1-H3, E8).

A ``PortalAccount`` is a client's login: it belongs to one contact in one
firm and is not a staff ``User`` (no membership, no staff permissions).
"""

from typing import ClassVar

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone

from crm.core.models import FirmOwnedModel
from crm.core.tenancy import scoped
from crm.portal.choices import (
    OPEN_STATUSES,
    UPLOAD_KINDS,
    ActionKind,
    ActionStatus,
    UploadPurpose,
)


class PortalAccount(FirmOwnedModel):
    """A client's portal login: the contact it belongs to and a password hash."""

    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, related_name="portal_account"
    )
    email = models.EmailField()
    password = models.CharField(max_length=128)
    is_active = models.BooleanField(default=True)
    last_login = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["PortalAccount"]] = scoped(
        models.Manager["PortalAccount"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "email"], name="portal_account_email_per_firm"
            )
        ]

    def __str__(self) -> str:
        return self.email

    def set_password(self, raw: str) -> None:
        """Store ``raw`` hashed with the project's password hasher."""
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        """Return whether ``raw`` is this account's password."""
        return check_password(raw, self.password)


class PortalInvitation(FirmOwnedModel):
    """A single-use, expiring link that lets a client set their password.

    Only the SHA-256 hash of the token is stored; the token itself is in the
    e-mail and nowhere else.
    """

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", null=True
    )
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        "firms.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["PortalInvitation"]] = scoped(
        models.Manager["PortalInvitation"]
    )

    def __str__(self) -> str:
        return f"Portal invitation for {self.email}"

    def is_open(self) -> bool:
        """Return whether the link can still be used."""
        return (
            self.used_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class RequestedActionQuerySet(models.QuerySet["RequestedAction"]):
    """Filters of the action log."""

    def open(self) -> "RequestedActionQuerySet":
        """Return the actions still waiting for someone."""
        return self.filter(status__in=OPEN_STATUSES)


RequestedActionManager = models.Manager.from_queryset(RequestedActionQuerySet)


class RequestedAction(FirmOwnedModel):
    """Something the adviser asked one client to do on one case (SPEC H2)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="requested_actions"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=ActionKind.choices)
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.REQUESTED
    )
    # Why staff rejected the last upload (identity verification), shown to the client.
    review_reason = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        "firms.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        "firms.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar["RequestedActionManager[RequestedAction]"] = scoped(
        RequestedActionManager
    )

    class Meta:
        ordering = ["case_id", "contact_id", "id"]
        indexes = [models.Index(fields=["firm", "contact", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.contact}"

    @property
    def status_colour(self) -> str:
        """Return the badge colour of the status."""
        return ActionStatus(self.status).colour

    @property
    def is_open(self) -> bool:
        """Return whether the action still waits for the client or staff."""
        return self.status in OPEN_STATUSES

    def can_upload(self) -> bool:
        """Return whether the client may upload files for this action now."""
        return self.kind in UPLOAD_KINDS and self.status == ActionStatus.REQUESTED

    def can_review(self) -> bool:
        """Return whether staff may approve or reject the uploads now."""
        return self.kind in UPLOAD_KINDS and self.status == ActionStatus.IN_PROGRESS

    def can_fill_fact_find(self) -> bool:
        """Return whether the client may still fill in their Fact Find here."""
        return self.kind == ActionKind.FACT_FIND and self.is_open

    def can_consent(self) -> bool:
        """Return whether the client may confirm the credit consent now."""
        return (
            self.kind == ActionKind.CREDIT_CONSENT
            and self.status == ActionStatus.REQUESTED
        )


class ActionUpload(FirmOwnedModel):
    """A file in the document store that a client uploaded for an action."""

    action = models.ForeignKey(
        RequestedAction, on_delete=models.CASCADE, related_name="uploads"
    )
    document = models.ForeignKey(
        "cases.Document", on_delete=models.CASCADE, related_name="+"
    )
    purpose = models.CharField(max_length=20, choices=UploadPurpose.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["ActionUpload"]] = scoped(
        models.Manager["ActionUpload"]
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} for {self.action}"


class CreditConsent(FirmOwnedModel):
    """A client's confirmed credit consent: when, which text, from where (H3)."""

    action = models.OneToOneField(
        RequestedAction, on_delete=models.CASCADE, related_name="consent"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="+"
    )
    text_version = models.CharField(max_length=20)
    confirmed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects: ClassVar[models.Manager["CreditConsent"]] = scoped(
        models.Manager["CreditConsent"]
    )

    def __str__(self) -> str:
        return f"Credit consent {self.text_version} by {self.contact}"
