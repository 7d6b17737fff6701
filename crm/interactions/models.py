"""Interactions (calls, visits, e-mails) and notes on contacts and leads (J2)."""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from crm.core.models import FirmOwnedModel, scoped
from crm.interactions.choices import InteractionKind

MAX_MINUTES = 24 * 60


class Interaction(FirmOwnedModel):
    """A logged interaction (with a type and time) or a plain note."""

    kind = models.CharField(
        max_length=12,
        choices=InteractionKind.choices,
        default=InteractionKind.INTERACTION,
    )
    occurred_at = models.DateTimeField()
    interaction_type = models.ForeignKey(
        "firms.InteractionType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField()
    duration_minutes = models.PositiveIntegerField(
        "duration (minutes)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MINUTES)],
        help_text="Time spent, counted on the Workload page (SPEC I13).",
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interactions",
    )
    lead = models.ForeignKey(
        "leads.Lead",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interactions",
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interactions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["Interaction"]] = scoped(
        models.Manager["Interaction"]
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # Newest first, ties by id, as the pages read them: a page of a
            # busy client's or case's rows is the index's first entries
            # (crm.interactions.selectors, bench notes 43).
            models.Index(
                fields=["firm", "contact", "-occurred_at", "-id"],
                name="interaction_contact_newest",
            ),
            models.Index(
                fields=["firm", "lead", "-occurred_at"], name="interaction_firm_lead"
            ),
            models.Index(
                fields=["firm", "case", "-occurred_at", "-id"],
                name="interaction_case_newest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%d %b %Y}"
