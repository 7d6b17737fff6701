"""Erasure (SPEC M3): anonymise a contact whose records are past retention.

What goes: the contact's names, contact details, date of birth, address and
notes; the free text of every row that points at them (timeline summaries,
interaction notes, task descriptions, lead notes, Fact Find answers...);
their documents and files; their subject access archives; the free text
of their cases that names them (``erasure_text``: a sole case's title,
note, close reason, history notes and reasons, complaints, referrals,
support records...; on a joint case only the text naming them); and the
personal data in audit rows about them (redacted, ``AuditEvent.redact``);
and what higher apps keep about them, through the hooks they register in
``crm.core.erasure`` (the portal's invitation addresses, consent IP
addresses and review reasons).

What stays: every row, so counts and reports do not change (cases, leads,
tasks, interactions, consent records with their versions, times and
sources, though not their IP addresses), the
case history, and the audit chain, whose links still verify.
"""

from functools import partial
from typing import Any, cast

from django.db import models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from crm.cases import retention
from crm.cases.models import CaseApplicant, Document
from crm.compliance import names
from crm.compliance.models import SubjectAccessExport
from crm.compliance.services import erasure_text
from crm.contacts import renames
from crm.contacts.choices import ContactKind
from crm.contacts.models import ConsentRecord, Contact
from crm.contacts.services import apply_normalised
from crm.core import erasure as erasure_hooks
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent, AuditEventQuerySet
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User

ERASED = "[erased]"
_CONTACT_BLANK = (
    "title",
    "first_name",
    "preferred_name",
    "organisation_name",
    "job_title",
    "email",
    "mobile",
    "other_phone",
    "address_line1",
    "address_line2",
    "town",
    "county",
    "postcode",
    "notes",
)
_TEXT_TYPES = ("CharField", "TextField", "EmailField", "URLField")


def _free_text(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """Return ``model``'s columns of free text: text without a list of choices."""
    return [
        f
        for f in model._meta.concrete_fields
        if (f.get_internal_type() in _TEXT_TYPES and not f.choices)
        or f.get_internal_type() == "JSONField"
    ]


def _blank(obj: models.Model, fields: list[models.Field[Any, Any]]) -> list[str]:
    changed = []
    for f in fields:
        if f.get_internal_type() == "JSONField":
            value: Any = {}
        elif f.get_internal_type() == "EmailField" and (
            f.unique or getattr(obj, f.attname)
        ):
            # Kept unique where the table needs it, and never deliverable.
            value = f"erased-{obj.pk}@erased.invalid"
        elif f.name == "password":
            value = "!"
        else:
            value = ""
        if getattr(obj, f.attname) != value:
            setattr(obj, f.attname, value)
            changed.append(f.attname)
    return changed


def _linked_rows(firm: Firm, contact: Contact) -> dict[str, int]:
    """Blank the free text of every row pointing at ``contact``; return counts."""
    counts: dict[str, int] = {}
    for rel in Contact._meta.related_objects:
        model = rel.related_model
        assert isinstance(model, type)  # noqa: S101 - a concrete model
        if model in (Contact, CaseApplicant, Document) or rel.many_to_many:
            continue
        if model is ConsentRecord:
            # The consent history stays as evidence (its wording versions,
            # times and sources are not personal); only the IP address goes.
            ConsentRecord.objects.filter(firm=firm, contact=contact).update(
                ip_address=None
            )
            continue
        fields = _free_text(model)
        if not fields:
            continue
        for obj in model._default_manager.filter(
            firm=firm, **{rel.field.name: contact}
        ):
            changed = _blank(obj, fields)
            if changed:
                obj.save(update_fields=changed)
                counts[model._meta.label_lower] = (
                    counts.get(model._meta.label_lower, 0) + 1
                )
    return counts


def _delete_file_on_commit(file: FieldFile) -> None:
    """Delete ``file`` from storage once the transaction commits (if it does)."""
    name, storage = file.name, file.storage
    if name:
        transaction.on_commit(partial(storage.delete, name))


def _documents(firm: Firm, contact: Contact, sole_cases: list[int]) -> int:
    """Delete the contact's documents (and a sole case's), files on commit."""
    documents = list(
        Document.objects.filter(
            Q(contact=contact) | Q(contact__isnull=True, case_id__in=sole_cases),
            firm=firm,
        )
    )
    for document in documents:
        _delete_file_on_commit(document.file)
        document.delete()
    return len(documents)


def _exports(firm: Firm, contact: Contact) -> None:
    for export in SubjectAccessExport.objects.filter(firm=firm, contact=contact):
        _delete_file_on_commit(export.file)
        export.delete()


def _redact_audit(firm: Firm, contact: Contact, words: list[str]) -> int:
    about = Q(object_type="contacts.contact", object_id=str(contact.pk))
    for word in words:
        about |= Q(object_repr__icontains=word) | Q(changes__icontains=word)
    rows = cast(
        AuditEventQuerySet,
        AuditEvent.objects.filter(about, firm=firm, redacted_at__isnull=True),
    )
    return rows.redact(object_repr=ERASED, changes={"erased": True}, at=timezone.now())


def _anonymise(contact: Contact) -> None:
    for name in _CONTACT_BLANK:
        setattr(contact, name, "")
    contact.last_name = "Erased client"
    if contact.kind == ContactKind.ORGANISATION:
        contact.organisation_name = "Erased organisation"
    contact.date_of_birth = None
    contact.organisation = None
    contact.marketing_consent = False
    contact.marketing_consent_at = None
    apply_normalised(contact)
    contact.email_key = None
    contact.erased_at = timezone.now()


@transaction.atomic
def contact_erase(*, firm: Firm, actor: User | None, contact: Contact) -> Contact:
    """Anonymise ``contact`` once every record about them is past retention.

    Refused inside retention with the reason and the date it ends
    (``crm.cases.retention``). The erasure's own audit row says what was
    done, without the personal data.
    """
    ensure_same_firm(firm, contact)
    if contact.erased_at is not None:
        raise ApplicationError("This client has already been erased.", "erased")
    retention.refuse_if_held(
        retention.contact_hold(firm=firm, contact=contact),
        f"{contact.display_name}'s records",
    )
    words = [
        w
        for w in {
            contact.display_name,
            contact.email,
            contact.mobile,
            contact.other_phone,
        }
        if w and len(w) >= 4
    ]
    applicants = CaseApplicant.objects.filter(
        firm=firm, case__applicants__contact=contact
    )
    case_ids = set(applicants.values_list("case_id", flat=True))
    sole_cases = sorted(
        case_id
        for case_id in case_ids
        if applicants.filter(case_id=case_id).count() == 1
    )
    rows = erasure_text.erase_case_text(
        firm=firm,
        contact=contact,
        words=names.words_of(contact),
        sole_cases=sole_cases,
        joint_cases=sorted(case_ids - set(sole_cases)),
    )
    for label, number in [
        *_linked_rows(firm, contact).items(),
        *erasure_hooks.run(firm=firm, contact=contact).items(),
    ]:
        rows[label] = rows.get(label, 0) + number
    documents = _documents(firm, contact, sole_cases)
    _exports(firm, contact)
    _anonymise(contact)
    contact.save()
    # Cases keep their main applicant's sort name ("erased client").
    renames.run(firm=firm, contact_ids=[contact.pk])
    redacted = _redact_audit(firm, contact, words)
    events.record(
        firm=firm,
        actor=actor,
        audit_obj=contact,
        verb=AuditVerb.ERASE,
        object_repr=f"Erased client #{contact.pk}",
        changes={
            "rows_blanked": rows,
            "documents_deleted": documents,
            "cases_blanked": len(sole_cases),
            "audit_events_redacted": redacted,
        },
    )
    return contact
