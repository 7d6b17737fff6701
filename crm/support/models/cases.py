"""Support-case data beside the shared ``Case`` row (SPEC I1-I9, DESIGN "Case model").

A support case is a ``Case`` of kind Support: its beneficiary is its one
``CaseApplicant``, its case manager the case's owner. Everything else a
charity records lives here, in tables that start their indexes with the firm.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower

from crm.core.models import FirmOwnedModel, scoped
from crm.firms.models import ReferenceModel
from crm.support.choices import ConcernLevel, Duration, ItemKind, PlanStatus

USER = settings.AUTH_USER_MODEL


class Pathway(ReferenceModel):
    """A programme of support a charity runs, e.g. Housing Support (SPEC I9)."""

    name = models.CharField(max_length=60)

    objects: ClassVar[models.Manager["Pathway"]] = scoped(models.Manager["Pathway"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("firm", Lower("name"), name="pathway_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class SupportDetails(FirmOwnedModel):
    """Start, duration, pathway and concern level of a support case (I1, I9)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="support"
    )
    start_date = models.DateField(null=True, blank=True)
    duration = models.CharField(
        max_length=12, choices=Duration.choices, default=Duration.OPEN_ENDED
    )
    expected_end_date = models.DateField(null=True, blank=True)
    pathway = models.ForeignKey(
        Pathway,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    concern_level = models.CharField(
        max_length=8, choices=ConcernLevel.choices, default=ConcernLevel.LOW
    )
    # ``ConcernLevel(concern_level).rank``, kept by the support services, so
    # the list sorted by concern reads an index (0 is Low, the default).
    concern_rank = models.PositiveSmallIntegerField(default=0, editable=False)

    objects: ClassVar[models.Manager["SupportDetails"]] = scoped(
        models.Manager["SupportDetails"]
    )

    class Meta:
        verbose_name_plural = "support details"
        indexes = [
            models.Index(fields=["firm", "concern_level"], name="support_concern"),
            # Not "support_pathway": that is the Pathway table's name.
            models.Index(fields=["firm", "pathway"], name="support_pathway_idx"),
            # The support list sorted by concern (either way), newest case
            # first within a level; by start date; and a start date range.
            models.Index(
                fields=["firm", "concern_rank", "-case"], name="support_concern_rank"
            ),
            models.Index(
                fields=["firm", "-concern_rank", "-case"],
                name="support_concern_rank_desc",
            ),
            models.Index(
                fields=["firm", "start_date", "case"], name="support_start_case"
            ),
            # Newest start first with undated cases last ("-start") has, on
            # PostgreSQL only, "support_start_desc": (firm, start_date DESC
            # NULLS LAST, case DESC), made by migration 0009, as SQLite cannot
            # write NULLS LAST in an index (and needs none: its backward scan
            # of the index above already puts NULLs last).
        ]

    def __str__(self) -> str:
        return f"Support details of {self.case_id}"


class SupportItem(FirmOwnedModel):
    """A client need or a desired outcome, typed in and added to the case (I4)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="support_items"
    )
    kind = models.CharField(max_length=8, choices=ItemKind.choices)
    text = models.CharField(max_length=300)
    achieved_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["SupportItem"]] = scoped(
        models.Manager["SupportItem"]
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["firm", "case", "kind"], name="support_item")]

    def __str__(self) -> str:
        return self.text


class PlannedSupport(FirmOwnedModel):
    """A piece of support the charity plans to give, with a lead and target (I5)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="planned_support"
    )
    description = models.CharField(max_length=300)
    target_date = models.DateField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(
        "duration (minutes)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(24 * 60)],
        help_text="Time the support should take, counted on the Workload page.",
    )
    lead = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager["PlannedSupport"]] = scoped(
        models.Manager["PlannedSupport"]
    )

    class Meta:
        ordering = ["target_date", "id"]
        verbose_name_plural = "planned support"
        indexes = [
            models.Index(fields=["firm", "case", "status"], name="planned_case"),
            models.Index(
                fields=["firm", "lead", "status", "target_date"], name="planned_lead"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class ExternalService(FirmOwnedModel):
    """A CRM contact (GP, solicitor...) linked to a case in a role (I6)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="external_services"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, related_name="served_cases"
    )
    role = models.CharField(max_length=80)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["ExternalService"]] = scoped(
        models.Manager["ExternalService"]
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "contact"], name="external_service_once"
            )
        ]
        indexes = [
            models.Index(fields=["firm", "contact"], name="external_service_contact")
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.role})"


class OpenPeriod(FirmOwnedModel):
    """A span of time a support case was open; time open adds up across reopens (I3)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="open_periods"
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["OpenPeriod"]] = scoped(
        models.Manager["OpenPeriod"]
    )

    class Meta:
        ordering = ["opened_at", "id"]
        indexes = [models.Index(fields=["firm", "case"], name="open_period_case")]

    def __str__(self) -> str:
        return f"{self.opened_at:%d %b %Y} to {self.closed_at or 'now'}"
