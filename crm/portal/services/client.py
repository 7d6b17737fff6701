"""What a client does in the portal: upload documents, confirm consent (H3)."""

from collections.abc import Mapping

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from crm.cases.choices import DocumentType
from crm.cases.services.documents import document_file_check, document_upload
from crm.contacts import services as contact_services
from crm.contacts.choices import ConsentKind, ConsentSource
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.portal import consent
from crm.portal.choices import (
    ActionKind,
    ActionStatus,
    PortalCaseEventType,
    UploadPurpose,
)
from crm.portal.models import (
    ActionUpload,
    CreditConsent,
    PortalAccount,
    RequestedAction,
)

# What each upload action asks for: purpose -> (label, document type).
UPLOADS_NEEDED: dict[str, dict[str, tuple[str, str]]] = {
    ActionKind.IDENTITY: {
        UploadPurpose.ID_DOCUMENT: (
            "ID document (passport or driving licence)",
            DocumentType.ID,
        ),
        UploadPurpose.PROOF_OF_ADDRESS: (
            "Proof of address (a recent bill or bank statement)",
            DocumentType.PROOF_OF_ADDRESS,
        ),
    },
    ActionKind.BANK_STATEMENTS: {
        UploadPurpose.FILE: ("Bank statements", DocumentType.BANK_STATEMENT)
    },
    ActionKind.DOCUMENT: {UploadPurpose.FILE: ("Document", DocumentType.OTHER)},
}


def _own(account: PortalAccount, action: RequestedAction) -> None:
    if action.firm_id != account.firm_id or action.contact_id != account.contact_id:
        msg = "That action is not this client's."
        raise AssertionError(msg)


def _record(
    account: PortalAccount, action: RequestedAction, type: str, **params: object
) -> None:
    events.record(
        firm=account.firm,
        actor=None,
        subject=action.case,
        type=type,
        params={
            "action_id": action.pk,
            "client": str(account.contact),
            "kind": action.get_kind_display(),
            **params,
        },
        verb=AuditVerb.UPDATE,
        audit_obj=action,
        changes={"status": [ActionStatus.REQUESTED.value, action.status]},
    )


@transaction.atomic
def action_upload(
    *,
    account: PortalAccount,
    action: RequestedAction,
    files: Mapping[str, File[bytes] | None],
) -> RequestedAction:
    """Store the client's files for an upload action; staff review them next.

    Every file the action asks for (an ID document and a proof of address for
    identity verification) must be given; each goes to the case's documents.
    """
    _own(account, action)
    if not action.can_upload():
        raise ApplicationError("This action is not waiting for files.", "closed")
    needed = UPLOADS_NEEDED[action.kind]
    for purpose, (label, _type) in needed.items():
        upload = files.get(purpose)
        if upload is None:
            raise ApplicationError(
                f"Choose a file for: {label}.", "required", {"field": purpose}
            )
        try:
            document_file_check(upload)
        except ApplicationError as exc:
            raise ApplicationError(exc.message, exc.code, {"field": purpose}) from exc
    for purpose, (_label, document_type) in needed.items():
        upload = files[purpose]
        assert upload is not None  # noqa: S101 - checked above
        document = document_upload(
            firm=account.firm,
            actor=None,
            upload=upload,
            document_type=document_type,
            case=action.case,
        )
        ActionUpload.objects.create(
            firm=account.firm, action=action, document=document, purpose=purpose
        )
    action.status = ActionStatus.IN_PROGRESS
    action.review_reason = ""
    action.save(update_fields=["status", "review_reason", "updated_at"])
    _record(account, action, PortalCaseEventType.ACTION_UPLOADED)
    return action


@transaction.atomic
def consent_confirm(
    *, account: PortalAccount, action: RequestedAction, version: str, ip: str | None
) -> CreditConsent:
    """Record the client's credit consent: the time, text version and IP (H3).

    ``version`` is the text the client was shown; if the wording changed in
    the meantime, they are asked to read the new one.
    """
    _own(account, action)
    if not action.can_consent():
        raise ApplicationError("This consent has already been given.", "closed")
    if version != consent.CURRENT:
        raise ApplicationError(
            "The consent text has been updated. Read it again and confirm.",
            "stale",
        )
    now = timezone.now()
    record = CreditConsent(
        firm=account.firm,
        action=action,
        contact=account.contact,
        text_version=version,
        confirmed_at=now,
        ip_address=ip or None,
    )
    record.full_clean()
    record.save()
    # The client record's consent history (M4) shows it with marketing's.
    contact_services.consent_row(
        firm=account.firm,
        actor=None,
        contact=account.contact,
        kind=ConsentKind.CREDIT,
        given=True,
        text_version=version,
        source=ConsentSource.PORTAL,
        at=now,
        ip_address=ip,
    )
    action.status = ActionStatus.DONE
    action.completed_at = now
    action.save(update_fields=["status", "completed_at", "updated_at"])
    _record(account, action, PortalCaseEventType.CONSENT_CONFIRMED, version=version)
    return record
