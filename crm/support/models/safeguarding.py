"""Safeguarding records (SPEC I14): stale-case alerts and views of concerning cases."""

from typing import ClassVar

from django.conf import settings
from django.db import models

from crm.core.models import FirmOwnedModel, scoped
from crm.support.choices import ConcernLevel

USER = settings.AUTH_USER_MODEL


class StaleCaseAlert(FirmOwnedModel):
    """A High or Urgent case found with no interaction for the firm's N days.

    ``since`` is when the case was last in touch (its latest interaction, or
    its opening): one alert per case and ``since``, so a stale period alerts
    once however often the job runs. A new interaction clears the alert;
    going stale again is a new period and a new alert.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="stale_alerts"
    )
    since = models.DateTimeField()
    concern_level = models.CharField(max_length=8, choices=ConcernLevel.choices)
    days = models.PositiveSmallIntegerField()
    raised_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["StaleCaseAlert"]] = scoped(
        models.Manager["StaleCaseAlert"]
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "since"], name="stale_alert_once_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["firm", "cleared_at"], name="stale_alert_active"),
        ]

    def __str__(self) -> str:
        return f"Stale case alert on {self.case_id} since {self.since:%d %b %Y}"

    @property
    def is_active(self) -> bool:
        """Return whether the case is still without an interaction."""
        return self.cleared_at is None


class CaseView(FirmOwnedModel):
    """A member opened a High or Urgent case's page (I14): who, when, at what level."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="safeguarding_views"
    )
    viewer = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    concern_level = models.CharField(max_length=8, choices=ConcernLevel.choices)
    viewed_at = models.DateTimeField()

    objects: ClassVar[models.Manager["CaseView"]] = scoped(models.Manager["CaseView"])

    class Meta:
        ordering = ["-viewed_at", "-id"]
        indexes = [
            models.Index(fields=["firm", "-viewed_at", "-id"], name="case_view_recent"),
            models.Index(fields=["firm", "case", "-viewed_at"], name="case_view_case"),
        ]

    def __str__(self) -> str:
        return f"{self.viewer} viewed {self.case_id} at {self.viewed_at:%d %b %Y %H:%M}"
