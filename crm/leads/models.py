"""Leads: prospective clients' enquiries in the pipeline (SPEC C1, C2, C4)."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from crm.core.links import reverse_ids
from crm.core.models import FirmOwnedModel, scoped
from crm.core.queries import follow_up_state
from crm.leads.choices import (
    OPEN_STATUSES,
    LeadEventType,
    LeadSource,
    LeadStatus,
    status_rank,
)

# Each status's badge colour, read once (``LeadStatus(value)`` and ``.values``
# cost about 45 Python calls a row of the Leads list).
_STATUS_COLOURS = {status.value: status.colour for status in LeadStatus}


class LeadQuerySet(models.QuerySet["Lead"]):
    """Reusable filters for leads."""

    def open(self) -> "LeadQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


LeadManager = models.Manager.from_queryset(LeadQuerySet)


class Lead(FirmOwnedModel):
    """An enquiry from a contact, moving through the pipeline until converted."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, related_name="leads"
    )
    source = models.CharField(
        max_length=20, choices=LeadSource.choices, default=LeadSource.PHONE
    )
    introducer = models.ForeignKey(
        "firms.Introducer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    introducer_branch = models.ForeignKey(
        "firms.IntroducerBranch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    negotiator = models.ForeignKey(
        "firms.Negotiator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="adviser",
    )
    status = models.CharField(
        max_length=20, choices=LeadStatus.choices, default=LeadStatus.NEW_LEAD
    )
    # The status's place in pipeline order, kept by ``save`` and indexed for
    # the list's status sort (a CASE over every lead sorted them all).
    status_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    # The client's ``sort_name``, set when the lead is made and kept through
    # ``crm.contacts.renames``, indexed for the list's name sort.
    client_sort_name = models.CharField(max_length=200, default="", editable=False)
    follow_up_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    not_proceeding_reason = models.CharField(max_length=300, blank=True)
    converted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every edit (lost-update check)."
    )

    objects: ClassVar["LeadManager[Lead]"] = scoped(LeadManager)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["firm", "status", "-created_at"], name="lead_firm_status"
            ),
            models.Index(
                fields=["firm", "owner", "status", "follow_up_date"],
                name="lead_firm_owner_follow",
            ),
            models.Index(
                fields=["firm", "status", "follow_up_date"], name="lead_firm_follow"
            ),
            models.Index(fields=["firm", "contact"], name="lead_firm_contact"),
            # The Leads list as it opens (newest first) and oldest first, for
            # every lead and for the open ones; by follow-up date, undated
            # last (latest first has its own index on PostgreSQL only:
            # migration 0004, as cases' "case_firm_follow_up_desc").
            models.Index(fields=["firm", "created_at", "id"], name="lead_firm_created"),
            models.Index(
                fields=["firm", "created_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="lead_firm_open_created",
            ),
            models.Index(
                fields=["firm", "follow_up_date", "id"], name="lead_firm_follow_up"
            ),
            models.Index(
                fields=["firm", "status_rank", "-created_at", "-id"],
                name="lead_firm_status_rank",
            ),
            models.Index(
                fields=["firm", "client_sort_name", "id"], name="lead_firm_client"
            ),
            models.Index(
                fields=["firm", "-status_rank", "-created_at", "-id"],
                name="lead_firm_status_rank_desc",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, with ``status_rank`` following ``status`` (saved with it).

        A new lead also takes its client's sort name (the client is at hand
        when a lead is made; renames reach it through ``crm.contacts.renames``).
        """
        self.status_rank = status_rank(self.status)
        if self._state.adding and not self.client_sort_name and self.contact_id:
            self.client_sort_name = self.contact.sort_name
        fields = kwargs.get("update_fields")
        if fields is not None and "status" in fields:
            kwargs["update_fields"] = {*fields, "status_rank"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"Lead #{self.pk}: {self.contact}"

    def get_absolute_url(self) -> str:
        return reverse_ids("leads:lead_detail", lead_id=self.pk)

    @property
    def status_colour(self) -> str:
        """Return the badge colour ``LeadStatus`` declares for the lead's status."""
        return _STATUS_COLOURS.get(self.status, "")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def follow_up_state(self) -> str:
        """Return "overdue", "due" (today) or "" (closed, or no date)."""
        return follow_up_state(self.is_open, self.follow_up_date)

    @property
    def can_add_case(self) -> bool:
        """Return True if a case may be added from the lead (C3).

        An open lead converts with its first case; a converted one keeps
        adding cases for the client's further needs (protection after the
        mortgage). A lead that is not proceeding is reopened first.
        """
        return self.is_open or self.status == LeadStatus.CONVERTED


class LeadEvent(FirmOwnedModel):
    """One entry in a lead's history, written by the service that acted."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=20, choices=LeadEventType.choices)
    parameters = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["LeadEvent"]] = scoped(models.Manager["LeadEvent"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["firm", "lead", "-created_at"], name="lead_event_history"
            )
        ]

    def __str__(self) -> str:
        return self.get_type_display()


from crm.leads.tally.models import LeadTally  # noqa: E402, F401  (the tally's table)
