"""External services linked to a support case: link with a role, unlink (SPEC I6)."""

from django.db import transaction

from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User
from crm.interactions.services import touchpoint_log
from crm.support.choices import SupportContactEventType, SupportEventType
from crm.support.models import ExternalService
from crm.support.services.cases import beneficiary_of, check_support_case

ROLE_MAX = 80


@transaction.atomic
def service_link(
    *, firm: Firm, actor: User, case: Case, contact: Contact, role: str, note: str = ""
) -> ExternalService:
    """Link a CRM contact (a GP, a solicitor...) to the case in a role.

    A note, if given, is logged as a touchpoint interaction on the case.
    """
    check_support_case(firm, case)
    ensure_same_firm(firm, contact)
    role = " ".join(role.split())
    if not role:
        raise ApplicationError(
            "Enter their role, e.g. GP or solicitor.", "required", {"field": "role"}
        )
    if len(role) > ROLE_MAX:
        raise ApplicationError(
            f"Keep the role under {ROLE_MAX} characters.", "too_long", {"field": "role"}
        )
    if contact.pk == beneficiary_of(case).pk:
        raise ApplicationError(
            "The beneficiary can't be their own external service.",
            "invalid",
            {"field": "contact"},
        )
    if ExternalService.objects.filter(firm=firm, case=case, contact=contact).exists():
        raise ApplicationError(
            f"{contact.display_name} is already linked to this case.",
            "duplicate",
            {"field": "contact"},
        )
    link = ExternalService(
        firm=firm, case=case, contact=contact, role=role, created_by=actor
    )
    link.full_clean()
    link.save()
    params = {"contact": contact.display_name, "contact_id": contact.pk, "role": role}
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=SupportEventType.SERVICE_LINKED,
        params=params,
        timeline=[contact],
        timeline_type=SupportContactEventType.SERVICE_LINKED,
        summary=f"Linked to {case.reference} as {role}",
        link=case.get_absolute_url(),
        timeline_params={"case_id": case.pk},
        verb=AuditVerb.CREATE,
        audit_obj=link,
        changes={
            "case": [None, case],
            "contact": [None, contact],
            "role": [None, role],
        },
    )
    if note.strip():
        touchpoint_log(firm=firm, actor=actor, case=case, contact=contact, notes=note)
    return link


@transaction.atomic
def service_unlink(*, firm: Firm, actor: User, link: ExternalService) -> None:
    """Unlink an external service from the case; history keeps who it was."""
    ensure_same_firm(firm, link)
    case = link.case
    check_support_case(firm, case)
    params = {
        "contact": link.contact.display_name,
        "contact_id": link.contact_id,
        "role": link.role,
    }
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=SupportEventType.SERVICE_UNLINKED,
        params=params,
        timeline=[link.contact],
        timeline_type=SupportContactEventType.SERVICE_UNLINKED,
        summary=f"Unlinked from {case.reference} (was {params['role']})",
        link=case.get_absolute_url(),
        timeline_params={"case_id": case.pk},
        verb=AuditVerb.DELETE,
        audit_obj=link,
        changes={"contact": [link.contact, None], "role": [link.role, None]},
    )
    link.delete()
