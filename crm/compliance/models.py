"""Data protection records: subject access exports (SPEC M2).

Retention periods live with cases (``crm.cases.models.RetentionPeriod``) and
consent records with contacts (``crm.contacts.models.ConsentRecord``), where
the services that must honour them are.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse

from crm.compliance.choices import ExportStatus
from crm.core.models import FirmOwnedModel, scoped


class SubjectAccessExport(FirmOwnedModel):
    """One subject access archive for one contact, built by a background job."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=12, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, blank=True)
    file = models.FileField(upload_to="subject-access/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["SubjectAccessExport"]] = scoped(
        models.Manager["SubjectAccessExport"]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["firm", "contact", "-created_at"], name="sar_contact_time"
            )
        ]

    def __str__(self) -> str:
        return f"Subject access export #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:export_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)
