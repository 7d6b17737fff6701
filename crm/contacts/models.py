"""People and organisations in a firm's CRM (SPEC B1) and their timeline."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from crm.contacts.choices import (
    ConsentKind,
    ConsentSource,
    ContactKind,
    ContactTitle,
    DuplicateMode,
    ImportStatus,
)
from crm.core import events
from crm.core.links import reverse_ids
from crm.core.models import FirmOwnedModel, scoped


class ContactQuerySet(models.QuerySet["Contact"]):
    """Reusable filters for contacts."""

    def active(self) -> "ContactQuerySet":
        return self.filter(is_archived=False)

    def people(self) -> "ContactQuerySet":
        return self.filter(kind=ContactKind.PERSON)

    def organisations(self) -> "ContactQuerySet":
        return self.filter(kind=ContactKind.ORGANISATION)


ContactManager = models.Manager.from_queryset(ContactQuerySet)

# What "not safe to contact" hides (SPEC I14).
ADDRESS_FIELDS = frozenset(
    {"address_line1", "address_line2", "town", "county", "postcode"}
)
PHONE_FIELDS = frozenset({"mobile", "other_phone"})
# Each "not safe" flag and the fields it blanks wherever a contact leaves the app.
WITHHELD_BY: dict[str, frozenset[str]] = {
    "address_unsafe": ADDRESS_FIELDS,
    "phone_unsafe": PHONE_FIELDS,
}
# What ``contact_name`` reads, in its order: a query for names reads only these.
NAME_FIELDS = ("kind", "organisation_name", "first_name", "last_name", "email")


def contact_name(
    kind: str, organisation_name: str, first_name: str, last_name: str, email: str
) -> str:
    """Return a contact's name to show from its ``NAME_FIELDS`` (``display_name``)."""
    if kind == ContactKind.ORGANISATION:
        return organisation_name or "(unnamed organisation)"
    name = f"{first_name} {last_name}".strip()
    return name or email or "(unnamed person)"


class Contact(FirmOwnedModel):
    """A person or organisation; a client is a contact with a lead or case.

    ``search_name``, ``email_norm``, ``mobile_norm`` and ``phone_norm`` are
    normalised copies kept by the services for indexed search (B2).
    """

    kind = models.CharField(
        max_length=12, choices=ContactKind.choices, default=ContactKind.PERSON
    )
    title = models.CharField(max_length=8, choices=ContactTitle.choices, blank=True)
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    preferred_name = models.CharField(max_length=80, blank=True)
    organisation_name = models.CharField(
        "organisation name", max_length=160, blank=True
    )
    organisation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        limit_choices_to={"kind": ContactKind.ORGANISATION},
    )
    job_title = models.CharField(max_length=80, blank=True)
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=32, blank=True)
    other_phone = models.CharField(max_length=32, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    address_line1 = models.CharField("address line 1", max_length=120, blank=True)
    address_line2 = models.CharField("address line 2", max_length=120, blank=True)
    town = models.CharField(max_length=80, blank=True)
    county = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # Safeguarding (SPEC I14): an address or phone that must not be used, e.g.
    # where an abuser lives. Kept out of exports and letters, warned on display.
    address_unsafe = models.BooleanField("address not safe to contact", default=False)
    address_unsafe_reason = models.CharField(max_length=200, blank=True)
    phone_unsafe = models.BooleanField("phones not safe to contact", default=False)
    phone_unsafe_reason = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    marketing_consent = models.BooleanField(default=False)
    marketing_consent_at = models.DateTimeField(null=True, blank=True)
    is_archived = models.BooleanField(default=False)
    # When an erasure anonymised the contact (SPEC M3): their personal data
    # is gone and the record only keeps counts and history in place.
    erased_at = models.DateTimeField(null=True, blank=True)

    # Normalised search columns, written by services only.
    sort_name = models.CharField(max_length=200, editable=False, default="")
    search_name = models.CharField(max_length=400, editable=False, default="")
    email_norm = models.CharField(max_length=254, editable=False, default="")
    # The e-mail as the firm's unique key (A10): set by the services to
    # ``email_norm`` for a contact with an e-mail. Contacts that shared an
    # e-mail before the rule keep theirs, with the key on the oldest only.
    # NULL, not "", is "no key": the unique constraint skips NULLs.
    email_key = models.CharField(  # noqa: DJ001
        max_length=254, null=True, editable=False
    )
    mobile_norm = models.CharField(max_length=20, editable=False, default="")
    phone_norm = models.CharField(max_length=20, editable=False, default="")

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

    objects: ClassVar["ContactManager[Contact]"] = scoped(ContactManager)

    class Meta:
        ordering = ["sort_name", "id"]
        constraints = [
            # Partial, so SQLite adds it as an index instead of rebuilding the
            # table (which would drop the search triggers).
            models.UniqueConstraint(
                fields=["firm", "email_key"],
                condition=models.Q(email_key__isnull=False),
                name="contact_firm_email_key",
            )
        ]
        indexes = [
            # Partial indexes: Django writes ``is_archived=False`` as
            # ``NOT is_archived``, which SQLite can match to an index only
            # through the index's own WHERE clause.
            models.Index(
                fields=["firm", "sort_name", "id"],
                name="contact_firm_sort",
                condition=models.Q(is_archived=False),
            ),
            models.Index(
                fields=["firm", "sort_name", "id"],
                name="contact_firm_sort_archived",
                condition=models.Q(is_archived=True),
            ),
            models.Index(
                fields=["firm", "-created_at"],
                name="contact_firm_created",
                condition=models.Q(is_archived=False),
            ),
            models.Index(fields=["firm", "email_norm"], name="contact_firm_email"),
            models.Index(fields=["firm", "mobile_norm"], name="contact_firm_mobile"),
            models.Index(fields=["firm", "phone_norm"], name="contact_firm_phone"),
            models.Index(
                "firm", Lower("last_name"), "id", name="contact_firm_last_name"
            ),
            models.Index(
                "firm", Lower("first_name"), "id", name="contact_firm_first_name"
            ),
            models.Index(
                "firm", Lower("organisation_name"), "id", name="contact_firm_org_name"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse_ids("contacts:contact_detail", contact_id=self.pk)

    @property
    def is_person(self) -> bool:
        return self.kind == ContactKind.PERSON

    @property
    def display_name(self) -> str:
        """Return the name to show: 'First Last' or the organisation's name."""
        return contact_name(
            self.kind,
            self.organisation_name,
            self.first_name,
            self.last_name,
            self.email,
        )

    @property
    def has_unsafe_contact(self) -> bool:
        """Return whether the address or the phones are marked not safe (I14)."""
        return self.address_unsafe or self.phone_unsafe

    def export_value(self, field: str) -> Any:
        """Return ``field`` for an export or a letter; blank if not safe (I14)."""
        for flag, fields in WITHHELD_BY.items():
            if field in fields and getattr(self, flag):
                return ""
        return getattr(self, field)


def contact_event_type_choices() -> list[tuple[str, Any]]:
    """Return the registered timeline entry types: ``ContactEvent.type``'s."""
    return events.choices_of("contact")


class ContactEvent(FirmOwnedModel):
    """One entry on a contact's timeline, written by the service that acted (B4)."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="events"
    )
    type = models.CharField(max_length=24, choices=contact_event_type_choices)
    summary = models.CharField(max_length=300, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["ContactEvent"]] = scoped(
        models.Manager["ContactEvent"]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["firm", "contact", "-created_at", "-id"],
                name="contact_event_timeline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.summary}"


class ContactImport(FirmOwnedModel):
    """A CSV import of contacts, run by a background job (B5)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.MAPPING
    )
    mapping = models.JSONField(default=dict, blank=True)
    duplicate_mode = models.CharField(
        max_length=8, choices=DuplicateMode.choices, default=DuplicateMode.SKIP
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["ContactImport"]] = scoped(
        models.Manager["ContactImport"]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["firm", "-created_at"], name="contact_import_firm")
        ]

    def __str__(self) -> str:
        return f"Import of {self.original_name}"

    @property
    def percent(self) -> int:
        """Return progress as a whole percentage."""
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, self.processed_rows * 100 // self.total_rows)


class ContactImportError(FirmOwnedModel):
    """A CSV row the import rejected, with the reason (B5)."""

    contact_import = models.ForeignKey(
        ContactImport, on_delete=models.CASCADE, related_name="row_errors"
    )
    row_number = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)

    objects: ClassVar[models.Manager["ContactImportError"]] = scoped(
        models.Manager["ContactImportError"]
    )

    class Meta:
        ordering = ["row_number", "id"]
        indexes = [
            models.Index(
                fields=["firm", "contact_import", "row_number"],
                name="contact_import_error_row",
            )
        ]

    def __str__(self) -> str:
        return f"Row {self.row_number}: {self.reason}"


class ConsentRecord(FirmOwnedModel):
    """One consent given or withdrawn, as it was recorded (SPEC M4).

    Rows are only added: the latest of each kind is the client's current
    answer, and the rows before it are the history.
    """

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(max_length=12, choices=ConsentKind.choices)
    given = models.BooleanField()
    text_version = models.CharField(max_length=40)
    source = models.CharField(max_length=12, choices=ConsentSource.choices)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member who recorded it; empty when the client did.",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects: ClassVar[models.Manager["ConsentRecord"]] = scoped(
        models.Manager["ConsentRecord"]
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(
                fields=["firm", "contact", "-recorded_at"], name="consent_contact_time"
            )
        ]

    def __str__(self) -> str:
        state = "given" if self.given else "withdrawn"
        return f"{self.get_kind_display()} consent {state} ({self.text_version})"
