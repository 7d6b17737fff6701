"""Reads for data protection pages and jobs (SPEC M1-M4)."""

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from crm.cases import retention
from crm.cases.models import Case, CaseApplicant, CaseEvent, Document
from crm.compliance.models import SubjectAccessExport
from crm.contacts.models import ConsentRecord, Contact
from crm.core.audit import plain
from crm.core.exceptions import NotFound
from crm.firms.models import Firm

# Columns an archive never holds: secrets, and search keys derived from
# columns it does hold.
_SKIP_FIELDS = frozenset(
    {
        "firm",
        "password",
        "sort_name",
        "search_name",
        "email_norm",
        "email_key",
        "mobile_norm",
        "phone_norm",
    }
)
_SECRET_WORDS = ("hash", "token", "secret", "password")
# Relations handled on their own: a client's cases (and only their part of a
# joint case), their documents (files), and the people of an organisation
# (each their own subject).
_SPECIAL = frozenset({CaseApplicant, Document, Contact})


def export_get(*, firm: Firm, export_id: int) -> SubjectAccessExport:
    """Return the firm's export ``export_id`` with its contact, or raise NotFound."""
    try:
        return SubjectAccessExport.objects.select_related("contact").get(
            firm=firm, pk=export_id
        )
    except SubjectAccessExport.DoesNotExist as exc:
        raise NotFound from exc


def exports_for(*, firm: Firm, contact: Contact) -> QuerySet[SubjectAccessExport]:
    """Return ``contact``'s last ten exports, newest first."""
    return SubjectAccessExport.objects.filter(firm=firm, contact=contact).order_by(
        "-created_at", "-id"
    )[:10]


def consents_for(*, firm: Firm, contact: Contact) -> list[ConsentRecord]:
    """Return ``contact``'s consent records, newest first, with who recorded them."""
    return list(
        ConsentRecord.objects.filter(firm=firm, contact=contact)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    )


def current_consents(records: list[ConsentRecord]) -> dict[str, ConsentRecord]:
    """Return the latest record of each consent kind from ``records`` (newest first)."""
    latest: dict[str, ConsentRecord] = {}
    for record in records:
        latest.setdefault(record.kind, record)
    return latest


def row(obj: models.Model) -> dict[str, Any]:
    """Return ``obj``'s own columns as JSON-ready values (related rows by id)."""
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in _SKIP_FIELDS or any(w in f.name for w in _SECRET_WORDS):
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, models.FileField):
            value = value.name if value else ""
        data[f.attname] = plain(value)
    return data


def _manager(model: type[models.Model]) -> Any:
    return model._default_manager


def _children(firm: Firm, parent: models.Model) -> dict[str, list[dict[str, Any]]]:
    """Return the rows that belong to ``parent`` (its own child tables)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for rel in parent._meta.related_objects:
        if not rel.one_to_many or rel.on_delete is not models.CASCADE:
            continue
        model = rel.related_model
        assert isinstance(model, type)  # noqa: S101 - a concrete model
        rows = _manager(model).filter(firm=firm, **{rel.field.name: parent})
        if rows:
            found[model._meta.label_lower] = [row(r) for r in rows]
    return found


@dataclass
class SubjectData:
    """Everything a subject access archive holds about one contact (SPEC M2)."""

    contact: Contact
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    withheld_documents: int = 0
    cases: list[dict[str, Any]] = field(default_factory=list)


def _direct(firm: Firm, contact: Contact, data: SubjectData) -> None:
    """Add every row that points at ``contact`` (and its child rows)."""
    for rel in Contact._meta.related_objects:
        model = rel.related_model
        assert isinstance(model, type)  # noqa: S101 - a concrete model
        if model in _SPECIAL or rel.many_to_many:
            continue
        for obj in _manager(model).filter(firm=firm, **{rel.field.name: contact}):
            entry = row(obj)
            children = _children(firm, obj)
            if children:
                entry["related"] = children
            data.records.setdefault(model._meta.label_lower, []).append(entry)


def _case_entry(case: Case, position: int, history: list[CaseEvent]) -> dict[str, Any]:
    entry = row(case)
    entry["your_position"] = "main applicant" if position == 1 else "joint applicant"
    for rel in case._meta.related_objects:
        model = rel.related_model
        accessor = rel.get_accessor_name() or ""
        if rel.one_to_one and isinstance(model, type) and hasattr(case, accessor):
            entry[model._meta.label_lower] = row(getattr(case, accessor))
    entry["history"] = [
        {"type": e.get_type_display(), "at": plain(e.created_at)} for e in history
    ]
    return entry


def subject_data(*, firm: Firm, contact: Contact) -> SubjectData:
    """Gather every record about ``contact`` and nothing about anyone else.

    Rows that point at the contact are theirs, with their child rows. A case
    they are an applicant on is theirs too (its columns, kind details and the
    kinds of its history entries), but not the rows of the case's other
    applicant: a joint applicant's own records point at that applicant, so
    they never come in. Documents filed on the contact come with their files;
    a case's unassigned documents come only when the contact is its sole
    applicant, and are otherwise counted as withheld (they may hold the
    other applicant's data).
    """
    data = SubjectData(contact=contact, records={"contacts.contact": [row(contact)]})
    _direct(firm, contact, data)
    applicants = list(
        CaseApplicant.objects.filter(firm=firm, contact=contact)
        .select_related("case")
        .order_by("case_id")
    )
    case_ids = [a.case_id for a in applicants]
    joint = set(
        CaseApplicant.objects.filter(firm=firm, case_id__in=case_ids)
        .exclude(contact=contact)
        .values_list("case_id", flat=True)
    )
    history: dict[int, list[CaseEvent]] = {}
    for event in CaseEvent.objects.filter(firm=firm, case_id__in=case_ids).order_by(
        "created_at", "id"
    ):
        history.setdefault(event.case_id, []).append(event)
    data.cases = [
        _case_entry(a.case, a.position, history.get(a.case_id, [])) for a in applicants
    ]
    data.documents = list(
        Document.objects.filter(
            Q(contact=contact)
            | Q(contact__isnull=True, case_id__in=set(case_ids) - joint),
            firm=firm,
        ).order_by("id")
    )
    data.withheld_documents = Document.objects.filter(
        firm=firm, contact__isnull=True, case_id__in=joint
    ).count()
    data.records["cases.document"] = [row(d) for d in data.documents]
    return data


def retention_status(*, firm: Firm, contact: Contact) -> retention.Hold | None:
    """Return why ``contact`` is still kept, or None when they may be erased."""
    return retention.contact_hold(firm=firm, contact=contact)
