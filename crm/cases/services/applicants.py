"""Adding and removing a joint applicant on an open case (SPEC D1, D4).

A case is opened with its main applicant (position 1) and perhaps a joint
one (position 2). Later the joint applicant may be added or removed, within
the kind's ``max_applicants``: a support case's beneficiary never changes.
The main applicant is never removed, so a case always has a client. Each
change locks the case row, writes one history entry, an entry on the
timeline of both clients and the audit row.

Neither change touches the main applicant, so neither changes the case's
``client_sort_name``; a rename of the main applicant does, through
``case_client_names_refresh``, which the contacts services call by the
rename registry (``crm.contacts.renames``).
"""

from collections.abc import Collection

from django.db import transaction
from django.db.models import OuterRef, Subquery

from crm.cases import kinds, locks
from crm.cases.choices import CaseContactEventType, CaseEventType
from crm.cases.models import Case, CaseApplicant
from crm.contacts.choices import ContactKind
from crm.contacts.models import Contact
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User

JOINT = 2


def _locked_open(firm: Firm, case: Case) -> list[CaseApplicant]:
    """Lock ``case``'s row, refuse a closed or locked case; return its applicants."""
    ensure_same_firm(firm, case)
    current = (
        Case.objects.select_for_update()
        .filter(firm=firm, pk=case.pk)
        .values("is_open", "is_joint")
        .first()
    )
    if current is None:
        raise ApplicationError("That case is not in this firm.", "not_found")
    case.is_open, case.is_joint = current["is_open"], current["is_joint"]
    if not case.is_open:
        raise ApplicationError(
            "The case is closed: reopen it to change its clients.", "case_closed"
        )
    locks.ensure_unlocked(firm, case)
    return list(
        CaseApplicant.objects.filter(firm=firm, case=case)
        .select_related("contact")
        .order_by("position")
    )


def _record(
    *,
    firm: Firm,
    actor: User | None,
    case: Case,
    type: str,
    contact: Contact,
    clients: list[Contact],
    before: list[str],
    after: list[str],
) -> None:
    added = type == CaseEventType.APPLICANT_ADDED
    verb = "added to" if added else "removed from"
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=type,
        params={"contact_id": contact.pk, "name": contact.display_name},
        timeline=clients,
        timeline_type=CaseContactEventType.CASE_APPLICANTS,
        summary=f"{contact.display_name} {verb} {case.reference} as joint applicant",
        link=case.get_absolute_url(),
        timeline_params={"case_id": case.pk, "contact_id": contact.pk},
        verb=AuditVerb.UPDATE,
        changes={"applicants": [before, after], "is_joint": [not added, added]},
    )


@transaction.atomic
def case_applicant_add(
    *, firm: Firm, actor: User | None, case: Case, contact: Contact
) -> CaseApplicant:
    """Add ``contact`` to an open case as its joint applicant.

    Refused for a closed case or one whose data is locked, for a kind whose
    clients are fixed (a support case's beneficiary), when the case already
    has two clients, for an organisation or an archived record, and for a
    client who is already on the case.
    """
    ensure_same_firm(firm, contact)
    applicants = _locked_open(firm, case)
    kind = kinds.get(case.kind)
    if kind.max_applicants < JOINT:
        raise ApplicationError(
            f"A {kind.label} case has one client, who cannot change.",
            "applicants_fixed",
        )
    if any(a.contact_id == contact.pk for a in applicants):
        raise ApplicationError(
            f"{contact.display_name} is already on this case.",
            "same_applicant",
            {"field": "contact_id"},
        )
    if len(applicants) >= kind.max_applicants:
        raise ApplicationError(
            "The case already has a joint applicant: remove them first.",
            "applicant_limit",
        )
    if contact.kind != ContactKind.PERSON or contact.is_archived:
        raise ApplicationError(
            "Choose a person whose record is not archived.",
            "invalid",
            {"field": "contact_id"},
        )
    applicant = CaseApplicant(
        firm=firm, case=case, contact=contact, position=len(applicants) + 1
    )
    applicant.full_clean()
    applicant.save()
    case.is_joint = True
    case.save(update_fields=["is_joint", "updated_at"])
    before = [a.contact.display_name for a in applicants]
    _record(
        firm=firm,
        actor=actor,
        case=case,
        type=CaseEventType.APPLICANT_ADDED,
        contact=contact,
        clients=[*(a.contact for a in applicants), contact],
        before=before,
        after=[*before, contact.display_name],
    )
    return applicant


@transaction.atomic
def case_applicant_remove(
    *, firm: Firm, actor: User | None, case: Case, contact: Contact
) -> None:
    """Take the joint applicant ``contact`` off an open case.

    The main applicant is never removed (nor the only client), so the case
    keeps a client; both clients' timelines show the change.
    """
    ensure_same_firm(firm, contact)
    applicants = _locked_open(firm, case)
    applicant = next((a for a in applicants if a.contact_id == contact.pk), None)
    if applicant is None:
        raise ApplicationError("That client is not on this case.", "not_found")
    if applicant.position == 1 or len(applicants) == 1:
        raise ApplicationError(
            "The main applicant cannot be removed: a case keeps its main client.",
            "main_applicant",
        )
    applicant.delete()
    case.is_joint = False
    case.save(update_fields=["is_joint", "updated_at"])
    before = [a.contact.display_name for a in applicants]
    _record(
        firm=firm,
        actor=actor,
        case=case,
        type=CaseEventType.APPLICANT_REMOVED,
        contact=contact,
        clients=[a.contact for a in applicants],
        before=before,
        after=[a.contact.display_name for a in applicants if a is not applicant],
    )


def case_client_names_refresh(*, firm: Firm, contact_ids: Collection[int]) -> int:
    """Copy the sort names of ``contact_ids`` onto the cases they are main on.

    One UPDATE, however many contacts were renamed (an import renames up to
    a batch at once); returns the number of cases updated. No event of its
    own: the rename that calls it records one. Called in the caller's
    transaction through ``crm.contacts.renames``.
    """
    mains = CaseApplicant.objects.filter(
        firm=firm, contact_id__in=list(contact_ids), position=1
    )
    name = CaseApplicant.objects.filter(
        firm=firm, case_id=OuterRef("pk"), position=1
    ).values("contact__sort_name")[:1]
    return Case.objects.filter(firm=firm, pk__in=mains.values("case_id")).update(
        client_sort_name=Subquery(name)
    )
