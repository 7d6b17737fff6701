"""Reads for data protection pages and jobs (SPEC M1-M4)."""

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from crm.cases import retention
from crm.cases.models import Case, CaseApplicant, CaseEvent, Document
from crm.compliance import names
from crm.compliance.models import SubjectAccessExport
from crm.contacts.models import ConsentRecord, Contact
from crm.core.audit import plain
from crm.core.exceptions import NotFound
from crm.core.prepared import Prepared
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
# What a joint applicant's name reads as in the subject's archive.
OTHER = "[the other applicant]"
# Relations handled on their own: a client's cases (and only their part of a
# joint case), their documents (files), the people of an organisation (each
# their own subject) and the archives themselves.
_SPECIAL = frozenset({CaseApplicant, Document, Contact, SubjectAccessExport})
# Rows pointing at a contact who is not their subject: a partner a referral
# went to holds the referred client's data, not their own.
_NOT_ABOUT = frozenset({("support.referralout", "partner")})
# Case rows that belong to one applicant (their ``contact``): theirs come in
# with the rows that point at them; a row pointing at no one comes in only
# on a case they are the sole applicant on.
_PERSONAL = frozenset(
    {
        "tasks.task",
        "interactions.interaction",
        "portal.requestedaction",
        "support.referral",
        "complaints.complaint",
    }
)
# Case rows handled on their own (applicants, documents, history), or that
# are about the staff rather than the client (who viewed a case).
_CASE_SKIP = frozenset(
    {"cases.caseapplicant", "cases.document", "cases.caseevent", "support.caseview"}
)
# On a joint case, the columns kept of a row that may hold the other
# applicant's data (a submission's payload holds both applicants).
_JOINT_COLUMNS = {
    "concerthub.submission": frozenset(
        {
            "id",
            "case_id",
            "number",
            "status",
            "is_latest",
            "partner_id",
            "received_at",
            "sent_at",
            "created_at",
            "updated_at",
        }
    ),
}


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


def consents_shown_for(*, firm: Firm, contact: Contact) -> list[ConsentRecord]:
    """Return ``contact``'s consent records, newest first, for the client record.

    Only what its section shows is read (kind, given or withdrawn, date,
    wording), not who recorded them: that join's columns cost more to
    compile than the rows.
    """
    return _CONSENTS(firm_id=firm.pk, contact_id=contact.pk)


def _consents(*, firm_id: int, contact_id: int) -> QuerySet[ConsentRecord]:
    return (
        ConsentRecord.objects.filter(firm_id=firm_id, contact_id=contact_id)
        .only("firm_id", "contact_id", "kind", "given", "text_version", "recorded_at")
        .order_by("-recorded_at", "-id")
    )


_CONSENTS = Prepared(ConsentRecord, _consents)


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
        if (
            f.name in _SKIP_FIELDS
            or f.name.endswith("_key")
            or any(w in f.name for w in _SECRET_WORDS)
        ):
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


def _reverse(model: type[models.Model]) -> list[Any]:
    """Return the relations pointing at ``model``, those without a name too."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and not f.many_to_many
    ]


def _direct(firm: Firm, contact: Contact, data: SubjectData) -> None:
    """Add every row that points at ``contact`` (and its child rows)."""
    for rel in _reverse(Contact):
        model: type[models.Model] = rel.related_model
        label = model._meta.label_lower
        if model in _SPECIAL or (label, rel.field.name) in _NOT_ABOUT:
            continue
        for obj in _manager(model).filter(firm=firm, **{rel.field.name: contact}):
            entry = row(obj)
            children = _children(firm, obj)
            if children:
                entry["related"] = children
            data.records.setdefault(model._meta.label_lower, []).append(entry)


def _case_rows(firm: Firm, case: Case, *, joint: bool) -> dict[str, Any]:
    """Return the rows of ``case`` about its applicants (not one's own rows).

    Protection policies, submissions, support needs, outcomes and scores,
    planned support, external services, referrals, income lines... A row
    of one applicant (``_PERSONAL``) comes in only when it points at no one
    on a sole case; a row that may hold both applicants' data keeps only
    its ``_JOINT_COLUMNS`` on a joint case.
    """
    found: dict[str, list[dict[str, Any]]] = {}
    for rel in _reverse(Case):
        model: type[models.Model] = rel.related_model
        label = model._meta.label_lower
        if rel.one_to_one or label in _CASE_SKIP:
            continue
        rows = _manager(model).filter(firm=firm, **{rel.field.name: case})
        if label in _PERSONAL:
            if joint:
                continue
            rows = rows.filter(contact__isnull=True)
        entries = []
        for obj in rows.order_by("pk"):
            entry = row(obj)
            columns = _JOINT_COLUMNS.get(label)
            if joint and columns is not None:
                entry = {k: v for k, v in entry.items() if k in columns}
            else:
                children = _children(firm, obj)
                if children:
                    entry["related"] = children
            entries.append(entry)
        if entries:
            found[label] = entries
    return found


def _case_entry(
    firm: Firm, case: Case, position: int, history: list[CaseEvent], *, joint: bool
) -> dict[str, Any]:
    entry = row(case)
    entry["your_position"] = "main applicant" if position == 1 else "joint applicant"
    for rel in case._meta.related_objects:
        model = rel.related_model
        accessor = rel.get_accessor_name() or ""
        if rel.one_to_one and isinstance(model, type) and hasattr(case, accessor):
            entry[model._meta.label_lower] = row(getattr(case, accessor))
    entry["records"] = _case_rows(firm, case, joint=joint)
    entry["history"] = [
        {"type": e.get_type_display(), "at": plain(e.created_at)} for e in history
    ]
    return entry


def subject_data(*, firm: Firm, contact: Contact) -> SubjectData:
    """Gather every record about ``contact`` and nothing about anyone else.

    Rows that point at the contact are theirs, with their child rows. A case
    they are an applicant on is theirs too (its columns, kind details, the
    rows about its applicants (``_case_rows``: policies, submissions, support
    records, referrals, income...) and the kinds of its history entries),
    but not the rows of the case's other
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
    others: dict[int, set[str]] = {}
    for co in (
        CaseApplicant.objects.filter(firm=firm, case_id__in=case_ids)
        .exclude(contact=contact)
        .select_related("contact")
    ):
        others.setdefault(co.case_id, set()).update(names.words_of(co.contact))
    joint = set(others)
    history: dict[int, list[CaseEvent]] = {}
    for event in CaseEvent.objects.filter(firm=firm, case_id__in=case_ids).order_by(
        "created_at", "id"
    ):
        history.setdefault(event.case_id, []).append(event)
    own = {w.lower() for w in names.words_of(contact)}
    for a in applicants:
        entry = _case_entry(
            firm,
            a.case,
            a.position,
            history.get(a.case_id, []),
            joint=a.case_id in joint,
        )
        # A joint case's own text may name the other applicant (a policy's
        # lives assured, a title): their name is masked, the rest stays.
        other = names.pattern(
            w for w in others.get(a.case_id, ()) if w.lower() not in own
        )
        data.cases.append(entry if other is None else names.mask(entry, other, OTHER))
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
