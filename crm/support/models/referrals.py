"""Referrals in: the firm's public referral form and what it receives (SPEC I11)."""

from typing import ClassVar

from django.conf import settings
from django.db import models

from crm.core.models import FirmOwnedModel, scoped
from crm.support.choices import ReferralStatus, ReferrerKind, Urgency

USER = settings.AUTH_USER_MODEL


class ReferralForm(FirmOwnedModel):
    """A firm's public referral form: its stable address is ``/refer/<key>/``."""

    key = models.SlugField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["ReferralForm"]] = scoped(
        models.Manager["ReferralForm"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm"], name="referral_form_one_per_firm")
        ]

    def __str__(self) -> str:
        return f"Referral form {self.key}"


class Referral(FirmOwnedModel):
    """A referral sent through the public form, waiting in the queue or decided."""

    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.NEW
    )
    referrer_kind = models.CharField(max_length=14, choices=ReferrerKind.choices)
    referrer_name = models.CharField(max_length=120, blank=True)
    referrer_organisation = models.CharField(max_length=120, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=30, blank=True)
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    needs = models.TextField(max_length=2000)
    urgency = models.CharField(
        max_length=8, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    pathway = models.ForeignKey(
        "support.Pathway",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_to_contact = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.CharField(max_length=300, blank=True)
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects: ClassVar[models.Manager["Referral"]] = scoped(models.Manager["Referral"])

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(
                fields=["firm", "status", "-submitted_at"], name="referral_queue"
            )
        ]

    def __str__(self) -> str:
        return f"Referral of {self.first_name} {self.last_name}".strip()

    @property
    def person_name(self) -> str:
        """Return the referred person's name."""
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def reply_to(self) -> str:
        """Return who hears the decision: the professional, else the person."""
        if self.referrer_kind == ReferrerKind.PROFESSIONAL:
            return self.referrer_email
        return self.email
