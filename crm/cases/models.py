"""One Case table for every kind (SPEC D1), with kind details in one-to-one tables."""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse

from crm.cases.choices import (
    CLOSED_STATUSES,
    CaseEventType,
    CaseKind,
    CaseStatus,
    DocumentType,
    MortgagePurpose,
    MortgageType,
    RepaymentMethod,
)
from crm.core.models import FirmOwnedModel, scoped

USER = settings.AUTH_USER_MODEL


class CaseQuerySet(models.QuerySet["Case"]):
    """Reusable filters for cases."""

    def open(self) -> "CaseQuerySet":
        return self.filter(is_open=True)

    def closed(self) -> "CaseQuerySet":
        return self.filter(is_open=False)


CaseManager = models.Manager.from_queryset(CaseQuerySet)


class Case(FirmOwnedModel):
    """A piece of work for one or two clients (advice) or a beneficiary (support)."""

    kind = models.CharField(max_length=12, choices=CaseKind.choices)
    number = models.PositiveIntegerField()
    reference = models.CharField(max_length=24)
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=32, choices=CaseStatus.choices)
    is_open = models.BooleanField(default=True)
    owner = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    is_joint = models.BooleanField(default=False)
    lead = models.ForeignKey(
        "leads.Lead",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
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
    close_reason = models.CharField(max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar["CaseManager[Case]"] = scoped(CaseManager)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "kind", "number"], name="case_number_unique"
            ),
            models.UniqueConstraint(
                fields=["firm", "reference"], name="case_reference_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["firm", "is_open", "-created_at"], name="case_firm_open_created"
            ),
            models.Index(
                fields=["firm", "is_open", "follow_up_date"], name="case_firm_follow"
            ),
            models.Index(
                fields=["firm", "owner", "is_open", "status"], name="case_firm_owner"
            ),
            models.Index(fields=["firm", "kind", "status"], name="case_firm_kind"),
            # The Open tab sorted by follow-up: SQLite matches the bare
            # "is_open" Django writes only through a partial index.
            models.Index(
                fields=["firm", "follow_up_date", "id"],
                condition=models.Q(is_open=True),
                name="case_open_follow",
            ),
            # Newest first: the Cases lists' default order, for every tab of a
            # firm with both modules (the kind filter is read off the scan)...
            models.Index(
                fields=["firm", "-created_at", "-id"], name="case_firm_created"
            ),
            # ...and for one kind (the Support cases list).
            models.Index(
                fields=["firm", "kind", "-created_at", "-id"],
                name="case_firm_kind_created",
            ),
            # One adviser's cases at one status, newest first.
            models.Index(
                fields=["firm", "owner", "status", "-created_at", "-id"],
                name="case_firm_owner_status",
            ),
            models.Index(fields=["firm", "lead"], name="case_firm_lead"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        if self.kind == CaseKind.SUPPORT:
            return reverse("support:case_detail", kwargs={"support_case_id": self.pk})
        return reverse("cases:case_detail", kwargs={"case_id": self.pk})

    @property
    def is_closed_status(self) -> bool:
        return self.status in CLOSED_STATUSES


class CaseApplicant(FirmOwnedModel):
    """A client on a case: position 1 is the main applicant, 2 the joint one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="applicants")
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, related_name="case_applicants"
    )
    position = models.PositiveSmallIntegerField(default=1)

    objects: ClassVar[models.Manager["CaseApplicant"]] = scoped(
        models.Manager["CaseApplicant"]
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "position"], name="case_applicant_position"
            ),
            models.UniqueConstraint(
                fields=["case", "contact"], name="case_applicant_once"
            ),
        ]
        indexes = [
            models.Index(fields=["firm", "contact"], name="case_applicant_contact")
        ]

    def __str__(self) -> str:
        return f"{self.contact} on {self.case}"


class CaseReferenceCounter(FirmOwnedModel):
    """The last number given to a case of one kind in one firm (safe allocation)."""

    kind = models.CharField(max_length=12, choices=CaseKind.choices)
    last_number = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager["CaseReferenceCounter"]] = scoped(
        models.Manager["CaseReferenceCounter"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm", "kind"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.last_number}"


class CaseEvent(FirmOwnedModel):
    """One entry in a case's history, written by the service that acted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=24, choices=CaseEventType.choices)
    parameters = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["CaseEvent"]] = scoped(models.Manager["CaseEvent"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["firm", "case", "-created_at"], name="case_event_history"
            )
        ]

    def __str__(self) -> str:
        return self.get_type_display()


class MortgageDetails(FirmOwnedModel):
    """Mortgage-only fields of a case (SPEC G8)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="mortgage")
    mortgage_type = models.CharField(
        max_length=12, choices=MortgageType.choices, default=MortgageType.RESIDENTIAL
    )
    purpose = models.CharField(
        max_length=16, choices=MortgagePurpose.choices, blank=True
    )
    property_value = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True
    )
    loan_amount = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True
    )
    term_years = models.PositiveSmallIntegerField(null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    repayment_method = models.CharField(
        max_length=16, choices=RepaymentMethod.choices, blank=True
    )
    offer_qualified = models.BooleanField(default=False)
    lender = models.CharField(max_length=120, blank=True)
    product = models.CharField(max_length=160, blank=True)
    application_date = models.DateField(null=True, blank=True)
    offer_date = models.DateField(null=True, blank=True)
    completion_date = models.DateField(null=True, blank=True)
    product_end_date = models.DateField(null=True, blank=True)

    objects: ClassVar[models.Manager["MortgageDetails"]] = scoped(
        models.Manager["MortgageDetails"]
    )

    class Meta:
        verbose_name_plural = "mortgage details"

    def __str__(self) -> str:
        return f"Mortgage details of {self.case}"

    @property
    def ltv(self) -> Decimal | None:
        """Return the loan to value as a percentage, to one decimal place."""
        if not self.property_value or self.loan_amount is None:
            return None
        return (self.loan_amount * 100 / self.property_value).quantize(Decimal("0.1"))


class Document(FirmOwnedModel):
    """A file kept for a case or a client (SPEC D5), through the storage API."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    document_type = models.CharField(max_length=24, choices=DocumentType.choices)
    file = models.FileField(upload_to="documents/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["Document"]] = scoped(models.Manager["Document"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["firm", "case", "-created_at"], name="document_case"),
            models.Index(
                fields=["firm", "contact", "-created_at"], name="document_contact"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class WizardDraft(FirmOwnedModel):
    """A member's half-filled New Case wizard, so a reload keeps it (E1)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager["WizardDraft"]] = scoped(
        models.Manager["WizardDraft"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm", "user"], name="wizard_draft_unique")
        ]

    def __str__(self) -> str:
        return f"Wizard draft of {self.user_id}"


class WizardPreference(FirmOwnedModel):
    """What the wizard pre-fills for a member next time (E7)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    adviser = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    introducer = models.ForeignKey(
        "firms.Introducer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    introducer_branch = models.ForeignKey(
        "firms.IntroducerBranch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    negotiator = models.ForeignKey(
        "firms.Negotiator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    follow_up_days = models.PositiveSmallIntegerField(null=True, blank=True)

    objects: ClassVar[models.Manager["WizardPreference"]] = scoped(
        models.Manager["WizardPreference"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "user"], name="wizard_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Wizard preferences of {self.user_id}"
