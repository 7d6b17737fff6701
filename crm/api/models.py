"""API tokens: a firm's keys for the REST API, each acting as one member (K1)."""

from typing import ClassVar

from django.conf import settings
from django.db import models

from crm.api.choices import TokenScope
from crm.core.models import FirmOwnedModel, scoped


class ApiToken(FirmOwnedModel):
    """A named key to the API, bound to one member and a scope.

    Only a SHA-256 hash of the key is stored (``key_hash``); the key itself is
    shown once, when the token is made. ``prefix`` (the key's first
    characters) lets people tell their tokens apart. A revoked token stays
    listed, so the audit log's references to it still mean something.
    """

    name = models.CharField(max_length=80)
    membership = models.ForeignKey(
        "firms.Membership", on_delete=models.CASCADE, related_name="api_tokens"
    )
    scope = models.CharField(
        max_length=12, choices=TokenScope.choices, default=TokenScope.READ
    )
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["ApiToken"]] = scoped(models.Manager["ApiToken"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["firm", "-created_at"], name="apitoken_firm_created")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        """Return whether the token still opens the API."""
        return self.revoked_at is None
