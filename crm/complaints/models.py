"""The complaints register: complaints against a case or a client (SPEC M5)."""

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.cases.models import Case
from crm.complaints.choices import ComplaintCategory, ComplaintOutcome, ComplaintRoute
from crm.contacts.models import Contact
from crm.core.models import FirmOwnedModel, scoped

# Days before its deadline that an open complaint counts as "due this week".
DUE_SOON_DAYS = 7


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    """Filters of the register, named for what they keep."""

    def open(self) -> "ComplaintQuerySet":
        """Keep complaints without a final response."""
        return self.filter(final_response_on=None)

    def resolved(self) -> "ComplaintQuerySet":
        """Keep complaints with a final response."""
        return self.exclude(final_response_on=None)

    def due_by(self, day: datetime.date) -> "ComplaintQuerySet":
        """Keep open complaints whose deadline is ``day`` or earlier."""
        return self.open().filter(due_on__lte=day)


ComplaintManager = models.Manager.from_queryset(ComplaintQuerySet)


class Complaint(FirmOwnedModel):
    """A complaint a client made about a case or the firm's service (M5).

    ``due_on`` is the final-response deadline the route sets, fixed when the
    complaint is logged; a final response date closes the complaint.
    """

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_on = models.DateField(_("received on"))
    category = models.CharField(
        _("category"), max_length=16, choices=ComplaintCategory.choices
    )
    route = models.CharField(
        _("handling"),
        max_length=10,
        choices=ComplaintRoute.choices,
        default=ComplaintRoute.STANDARD,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handler"),
    )
    number = models.PositiveIntegerField(editable=False)
    summary = models.TextField(_("what the client said"))
    due_on = models.DateField(_("final response due"))
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ComplaintOutcome.choices, blank=True
    )
    redress = models.DecimalField(
        _("redress paid (£)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    final_response_on = models.DateField(
        _("final response sent"), null=True, blank=True
    )
    resolution = models.TextField(_("resolution notes"), blank=True)
    reminder_task_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every edit (lost-update check)."
    )

    objects: ClassVar["ComplaintManager[Complaint]"] = scoped(ComplaintManager)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["firm", "final_response_on", "due_on"], name="complaint_due"
            ),
            models.Index(fields=["firm", "received_on"], name="complaint_received"),
            # The register opens on open complaints, soonest due first: this
            # index gives the first page in order, so a firm with many open
            # complaints does not join and sort them all (``IS NULL`` in
            # ``complaint_due`` does not serve the order).
            models.Index(
                fields=["firm", "due_on", "id"],
                condition=models.Q(final_response_on=None),
                name="complaint_open_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "number"], name="complaint_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Complaint {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:complaint_detail", kwargs={"complaint_id": self.pk})

    @property
    def reference(self) -> str:
        """Return the register's reference, e.g. "CP-0007": numbered per firm."""
        return f"CP-{self.number:04d}" if self.number else "CP-new"

    @property
    def is_open(self) -> bool:
        """Return whether the final response is still to be sent."""
        return self.final_response_on is None

    def can_resolve(self) -> bool:
        """Return whether an outcome and final response may be recorded."""
        return self.is_open


class ComplaintReferenceCounter(FirmOwnedModel):
    """The last number given to a complaint in one firm (safe allocation)."""

    last_number = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager["ComplaintReferenceCounter"]] = scoped(
        models.Manager["ComplaintReferenceCounter"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm"], name="complaint_counter_unique")
        ]

    def __str__(self) -> str:
        return f"complaints: {self.last_number}"
