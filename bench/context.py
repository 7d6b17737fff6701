"""What the operations need from the bench data: the firm, a member, sample rows."""

from dataclasses import dataclass

from django.db.models import Count
from django_scopes import scopes_disabled

from bench.generate import bench_firm, bench_user
from crm.advice.choices import AdviceKind
from crm.api import services as api_services
from crm.api.choices import TokenScope
from crm.cases.models import Case, CaseApplicant
from crm.contacts.models import Contact
from crm.firms.models import Firm, Membership
from crm.leads.choices import OPEN_STATUSES
from crm.leads.models import Lead
from crm.support.choices import SupportKind

SURNAME_PART = "illia"  # inside "Williams", one of the most common surnames
SURNAME_PREFIX = "Pat"  # Patel, Parker... : a prefix typed in the header
# Williams, Wilson...: a common prefix late in the alphabet, whose first match
# lies past most of the firm's names in the name index's order (notes 42).
SURNAME_PREFIX_LATE = "Wil"


@dataclass(frozen=True)
class BenchContext:
    """The large firm, the logged-in member and the rows the pages show."""

    firm_id: int
    user_id: int
    adviser_id: int
    status: str
    contact_id: int
    case_id: int
    support_case_id: int | None
    surname_part: str
    surname_prefix: str
    email_part: str
    phone_part: str
    leads: list[tuple[int, int]]
    api_key: str = ""


def build_context(*, lead_count: int) -> BenchContext:
    """Pick the sample rows from the bench database (raises if it holds none)."""
    firm = bench_firm()
    if firm is None:
        msg = "No bench data: run manage.py bench_data first."
        raise RuntimeError(msg)
    user = bench_user()
    with scopes_disabled():
        return _pick(firm, user.pk, lead_count)


def _api_key(firm: Firm, user_id: int) -> str:
    """Return the key of a new read token of the bench member (shown only once).

    Keys are stored hashed, so each run makes its own token, as a firm's
    owner would on the API tokens page.
    """
    member = Membership.objects.select_related("user").get(firm=firm, user_id=user_id)
    _token, key = api_services.token_create(
        firm=firm,
        actor=member.user,
        actor_membership=member,
        name="Bench run",
        membership=member,
        scope=TokenScope.READ,
    )
    return key


def _pick(firm: Firm, user_id: int, lead_count: int) -> BenchContext:
    adviser_id = (
        Membership.objects.filter(firm=firm)
        .exclude(user_id=user_id)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    # The oldest clients carry the longest histories; take the first on a case.
    applicant = (
        CaseApplicant.objects.filter(firm=firm, case__kind=AdviceKind.MORTGAGE)
        .order_by("contact_id")
        .values_list("contact_id", "case_id")
        .first()
    )
    if adviser_id is None or applicant is None:
        msg = "The bench firm has no members or no cases."
        raise RuntimeError(msg)
    support_case = (
        Case.objects.filter(firm=firm, kind=SupportKind.SUPPORT)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    status = (
        Case.objects.filter(firm=firm, owner_id=adviser_id, is_open=True)
        .filter(kind__in=[AdviceKind.MORTGAGE, AdviceKind.PROTECTION])
        .values("status")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("status", flat=True)
        .first()
    )
    # A generated person (the wizard's "Bench ClientN" rows have no mobile).
    sample = (
        Contact.objects.filter(firm=firm, kind="person")
        .exclude(mobile_norm="")
        .order_by("-id")
        .first()
    )
    assert sample is not None  # noqa: S101 - the firm has cases, so contacts
    leads = list(
        Lead.objects.filter(firm=firm, status__in=OPEN_STATUSES)
        .filter(contact__is_archived=False, contact__kind="person")
        .order_by("-id")
        .values_list("id", "contact_id")[:lead_count]
    )
    return BenchContext(
        firm_id=firm.pk,
        user_id=user_id,
        adviser_id=adviser_id,
        status=status or "call_back",
        contact_id=applicant[0],
        case_id=applicant[1],
        support_case_id=support_case,
        surname_part=SURNAME_PART,
        surname_prefix=SURNAME_PREFIX,
        email_part=sample.email[3:14],
        phone_part=sample.mobile_norm[-6:],
        leads=leads,
        api_key=_api_key(firm, user_id),
    )
