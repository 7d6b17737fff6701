"""The portal's demo data: a client with a login and actions in every status."""

from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scopes_disabled

from crm.advice.choices import AdviceKind
from crm.cases.choices import DocumentType
from crm.cases.models import Case
from crm.cases.services.documents import document_upload
from crm.core.demo import Firms
from crm.firms.demo import ADVICE_FIRM, DEMO_PASSWORD
from crm.portal import consent
from crm.portal.choices import ActionKind, ActionStatus, UploadPurpose
from crm.portal.models import (
    ActionUpload,
    CreditConsent,
    PortalAccount,
    RequestedAction,
)
from crm.portal.services import factfind

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
_client: dict[str, str] = {}


def _demo_case(firm_id: int) -> Case | None:
    return (
        Case.objects.filter(
            firm_id=firm_id,
            kind=AdviceKind.MORTGAGE,
            is_open=True,
            is_joint=False,
            applicants__contact__email__contains="@",
        )
        .order_by("id")
        .first()
    )


def seed(firms: Firms) -> None:
    """Give one mortgage client of the advice firm a login and five actions."""
    firm = firms[ADVICE_FIRM]
    if PortalAccount.objects.filter(firm=firm).exists():
        account = PortalAccount.objects.filter(firm=firm).order_by("id").first()
        if account is not None:
            _client["email"] = account.email
        return
    case = _demo_case(firm.pk)
    if case is None:
        return
    contact = case.applicants.select_related("contact").first().contact  # type: ignore[union-attr]  # the filter found an applicant
    account = PortalAccount(firm=firm, contact=contact, email=contact.email.lower())
    account.set_password(DEMO_PASSWORD)
    account.save()
    _client["email"] = account.email
    adviser = case.owner
    now = timezone.now()

    def action(kind: str, status: str) -> RequestedAction:
        return RequestedAction.objects.create(
            firm=firm,
            case=case,
            contact=contact,
            kind=kind,
            status=status,
            requested_by=adviser,
            completed_at=now if status == ActionStatus.DONE else None,
        )

    fact_find = action(ActionKind.FACT_FIND, ActionStatus.REQUESTED)
    # The client has started it in the portal: In Progress, client-entered.
    factfind.fact_find_save(
        account=account,
        action=fact_find,
        section="personal",
        data={"nationality": "British"},
    )
    identity = action(ActionKind.IDENTITY, ActionStatus.IN_PROGRESS)
    for purpose, doc_type, name in (
        (UploadPurpose.ID_DOCUMENT, DocumentType.ID, "passport.png"),
        (UploadPurpose.PROOF_OF_ADDRESS, DocumentType.PROOF_OF_ADDRESS, "bill.png"),
    ):
        document = document_upload(
            firm=firm,
            actor=None,
            upload=ContentFile(PNG, name=name),
            document_type=doc_type,
            case=case,
        )
        ActionUpload.objects.create(
            firm=firm, action=identity, document=document, purpose=purpose
        )
    done = action(ActionKind.CREDIT_CONSENT, ActionStatus.DONE)
    CreditConsent.objects.create(
        firm=firm,
        action=done,
        contact=contact,
        text_version=consent.CURRENT,
        confirmed_at=now,
        ip_address="127.0.0.1",
    )
    action(ActionKind.BANK_STATEMENTS, ActionStatus.CANCELLED)
    action(ActionKind.DOCUMENT, ActionStatus.REQUESTED)


def login_lines() -> list[str]:
    """Return the demo client's portal login line."""
    email = _client.get("email")
    if email is None:
        with scopes_disabled():
            account = PortalAccount.objects.order_by("id").first()
        if account is None:
            return []
        email = account.email
    return [
        "",
        f"Client portal (/portal/login/): {email}  password {DEMO_PASSWORD}  "
        "(a mortgage client with actions in every status, a Fact Find in progress)",
    ]
