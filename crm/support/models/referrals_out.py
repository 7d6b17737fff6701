"""Referrals out: a beneficiary referred to an external service (SPEC I12).

The charity records the beneficiary's consent to share, chooses what to
share (a name, the need, a message) and e-mails the partner a link that
opens without a login. Through it the partner accepts or declines once and
then posts updates; each answer is a ``ReferralOutUpdate`` and a touchpoint
on the case. Only the SHA-256 of the link's token is stored.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from crm.core.models import FirmOwnedModel, scoped
from crm.support.choices import ConsentMethod, PartnerAction, ReferralOutStatus

USER = settings.AUTH_USER_MODEL


class ReferralOut(FirmOwnedModel):
    """A referral of a support case's beneficiary to an external service."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="referrals_out"
    )
    service = models.ForeignKey(
        "support.ExternalService",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_out",
    )
    partner = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, related_name="+"
    )
    partner_email = models.EmailField()
    role = models.CharField(max_length=80, blank=True)
    shared_name = models.CharField(max_length=120)
    shared_need = models.TextField(max_length=1000)
    message = models.TextField(max_length=2000, blank=True)
    consent_purpose = models.CharField(max_length=300)
    consent_date = models.DateField()
    consent_taken_by = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_method = models.CharField(max_length=8, choices=ConsentMethod.choices)
    status = models.CharField(
        max_length=10, choices=ReferralOutStatus.choices, default=ReferralOutStatus.SENT
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # The key the partner page's forms carry: each action spends it, so a
    # form sent twice (or kept in another tab) is refused, not applied twice.
    action_key = models.CharField(max_length=32)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[models.Manager["ReferralOut"]] = scoped(
        models.Manager["ReferralOut"]
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["firm", "case", "-sent_at"], name="referral_out_case")
        ]

    def __str__(self) -> str:
        return f"Referral to {self.partner_email}"

    @property
    def state(self) -> ReferralOutStatus:
        """Return Sent, Accepted, Declined, or Expired for a sent one run out."""
        if self.status == ReferralOutStatus.SENT and self.is_expired:
            return ReferralOutStatus.EXPIRED
        return ReferralOutStatus(self.status)

    @property
    def is_expired(self) -> bool:
        """Return whether the partner's link has run out."""
        return self.expires_at <= timezone.now()


class ReferralOutUpdate(FirmOwnedModel):
    """One thing a partner did through their link: accept, decline, an update."""

    referral = models.ForeignKey(
        ReferralOut, on_delete=models.CASCADE, related_name="updates"
    )
    action = models.CharField(max_length=8, choices=PartnerAction.choices)
    text = models.TextField(max_length=1000, blank=True)
    interaction = models.ForeignKey(
        "interactions.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager["ReferralOutUpdate"]] = scoped(
        models.Manager["ReferralOutUpdate"]
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["firm", "referral"], name="referral_out_update")
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%d %b %Y})"
