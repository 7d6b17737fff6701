"""One Case table for every kind (SPEC D1), with kind details in one-to-one tables.

Kinds, statuses and history entry types come from registries that the kinds'
apps fill (``crm.cases.kinds``, ``crm.core.events``); the columns take their
choices through the callables below, so a new kind needs no migration here.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from crm.cases import kinds
from crm.cases.choices import DocumentType
from crm.cases.clients import CaseClient, clients_of
from crm.core import events
from crm.core.models import FirmOwnedModel, scoped
from crm.core.queries import follow_up_state

USER = settings.AUTH_USER_MODEL


def case_kind_choices() -> list[tuple[str, Any]]:
    """Return the registered kinds: ``Case.kind``'s choices."""
    return kinds.kind_choices()


def case_status_choices() -> list[tuple[str, Any]]:
    """Return every registered kind's statuses: ``Case.status``'s choices."""
    return kinds.status_choices()


def case_event_type_choices() -> list[tuple[str, Any]]:
    """Return the registered case history entry types: ``CaseEvent.type``'s."""
    return events.choices_of("case")


class CaseQuerySet(models.QuerySet["Case"]):
    """Reusable filters for cases."""

    def open(self) -> "CaseQuerySet":
        return self.filter(is_open=True)

    def closed(self) -> "CaseQuerySet":
        return self.filter(is_open=False)


CaseManager = models.Manager.from_queryset(CaseQuerySet)


class Case(FirmOwnedModel):
    """A piece of work for one client or two, of one registered kind."""

    kind = models.CharField(max_length=12, choices=case_kind_choices)
    number = models.PositiveIntegerField()
    reference = models.CharField(max_length=24)
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=32, choices=case_status_choices)
    is_open = models.BooleanField(default=True)
    # The status's place in pipeline order (``kinds.status_rank``), kept by the
    # status services, so a list sorted by status reads an index.
    status_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    # The main applicant's ``Contact.sort_name`` ("surname first"), kept by the
    # case and contact services, so a list sorted by client reads an index
    # instead of joining every case to its client and sorting them all.
    client_sort_name = models.CharField(max_length=200, default="", editable=False)
    # The kind's menu order (``kinds.kind_rank``), set when the case opens (a
    # case never changes kind), so a list sorted by kind reads an index.
    kind_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    # The owner's full name, first name first (``owner_sort_name``), kept by
    # every service that sets the owner and by a member's rename (through
    # ``crm.firms.renames``), so a list sorted by owner reads an index. NULL
    # is "unassigned", which sorts last either way, as the owner sort always
    # has.
    owner_sort_name = models.CharField(  # noqa: DJ001  # NULL: no owner, sorts last
        max_length=301, null=True, blank=True, editable=False
    )
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
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every edit (lost-update check)."
    )

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
            # The boards (SPEC D2): an open stage's newest cases, and its count
            # read from the index alone (SQLite reads an index alone only when
            # it holds every column named, the condition's "is_open" too)...
            models.Index(
                fields=["firm", "kind", "status", "-created_at", "-id", "is_open"],
                condition=models.Q(is_open=True),
                name="case_board_open",
            ),
            # ...and a closing stage's cases closed lately, latest first.
            models.Index(
                fields=["firm", "kind", "status", "-closed_at", "-id", "is_open"],
                condition=models.Q(is_open=False),
                name="case_board_closed",
            ),
            # The Open tab sorted by follow-up: SQLite matches the bare
            # "is_open" Django writes only through a partial index.
            models.Index(
                fields=["firm", "follow_up_date", "id"],
                condition=models.Q(is_open=True),
                name="case_open_follow",
            ),
            # A member's own follow-ups due (Tasks > My follow-ups, the
            # dashboard): without it PostgreSQL intersects the owner index
            # with the firm's open follow-ups (57,000 rows at 300k cases).
            models.Index(
                fields=["firm", "owner", "follow_up_date", "id"],
                condition=models.Q(is_open=True),
                name="case_open_owner_follow",
            ),
            # Newest first: the Cases lists' default order, for every tab of a
            # firm with both modules (the kind filter is read off the scan)...
            models.Index(
                fields=["firm", "-created_at", "-id"], name="case_firm_created"
            ),
            # ...and for one kind (a list of one kind of case).
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
            # Sorted by status in pipeline order, newest first within a status
            # (both directions: the rank turns, the newest-first does not).
            models.Index(
                fields=["firm", "status_rank", "-created_at", "-id"],
                name="case_firm_status_rank",
            ),
            models.Index(
                fields=["firm", "-status_rank", "-created_at", "-id"],
                name="case_firm_status_rank_desc",
            ),
            # Sorted by client name (either way: a backward scan), for every
            # kind of a firm and for one kind.
            models.Index(
                fields=["firm", "client_sort_name", "id"], name="case_firm_client"
            ),
            models.Index(
                fields=["firm", "kind", "client_sort_name", "id"],
                name="case_firm_kind_client",
            ),
            # One kind's list by status in pipeline order (a support list: its
            # ranks come after every advice status, which the firm-wide index
            # above would read first) and by title.
            models.Index(
                fields=["firm", "kind", "status_rank", "-created_at", "-id"],
                name="case_firm_kind_status_rank",
            ),
            models.Index(
                fields=["firm", "kind", "title", "id"], name="case_firm_kind_title"
            ),
            # Sorted by kind in menu order, newest first within a kind (both
            # directions, as for status). A list of some kinds reads the range
            # of their ranks (``case_list`` adds it to the kind filter).
            models.Index(
                fields=["firm", "kind_rank", "-created_at", "-id"],
                name="case_firm_kind_rank",
            ),
            models.Index(
                fields=["firm", "-kind_rank", "-created_at", "-id"],
                name="case_firm_kind_rank_desc",
            ),
            # Sorted by owner, unassigned last: for every kind and for one (a
            # support list by case manager). Latest name first, unassigned
            # last, has on PostgreSQL only the "DESC NULLS LAST" twins made by
            # migration 0013; SQLite reads these for both directions.
            models.Index(
                fields=["firm", "owner_sort_name", "id"], name="case_firm_owner_name"
            ),
            models.Index(
                fields=["firm", "kind", "owner_sort_name", "id"],
                name="case_firm_kind_owner_name",
            ),
            # Every tab by follow-up date, undated last (the Open tab has its
            # partial index). Latest first, undated last, has on PostgreSQL
            # only "case_firm_follow_up_desc" (firm, follow_up_date DESC NULLS
            # LAST, id DESC), made by migration 0011: SQLite cannot write NULLS
            # LAST in an index, and its backward scan of this one needs none.
            models.Index(
                fields=["firm", "follow_up_date", "id"], name="case_firm_follow_up"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return kinds.detail_url(self)

    @property
    def clients(self) -> list[CaseClient]:
        """Return the clients as a list shows them (``crm.cases.clients``)."""
        return clients_of(self)

    @property
    def follow_up_state(self) -> str:
        """Return "overdue", "due" (today) or "" (closed, or no date)."""
        return follow_up_state(self.is_open, self.follow_up_date)

    @property
    def status_colour(self) -> str:
        """Return the badge colour the case's kind declares for its status."""
        return kinds.status_colour(self.kind, self.status)

    @property
    def is_closed_status(self) -> bool:
        kind = kinds.find(self.kind)
        return kind is not None and kind.is_closed_status(self.status)


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

    kind = models.CharField(max_length=12, choices=case_kind_choices)
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
    type = models.CharField(max_length=24, choices=case_event_type_choices)
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
            ),
            # The dashboard's recent activity: the firm's newest events first.
            models.Index(fields=["firm", "created_at", "id"], name="case_event_recent"),
        ]

    def __str__(self) -> str:
        return self.get_type_display()


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


class RetentionPeriod(FirmOwnedModel):
    """How many years the firm keeps a closed case of one kind (SPEC M1).

    ``kind`` is a case kind, or ``""`` for a client who has no case. A kind
    with no row keeps its registered default (``CaseKind``).
    """

    kind = models.CharField(max_length=12, blank=True)
    years = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager["RetentionPeriod"]] = scoped(
        models.Manager["RetentionPeriod"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm", "kind"], name="retention_kind_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind or 'no case'}: {self.years} years"


from crm.cases.tally.models import CaseTally  # noqa: E402, F401  (the tally's table)
