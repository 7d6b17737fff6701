"""Reads of network IDs and Concert Hub submissions (G4-G6)."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from crm.cases.models import Case
from crm.cases.policies import case_visibility
from crm.concerthub.choices import (
    ATTENTION_STATUSES,
    IN_FLIGHT_STATUSES,
    SubmissionStatus,
)
from crm.concerthub.models import (
    NetworkAdviser,
    NetworkFirm,
    Submission,
    SubmissionAttempt,
)
from crm.core.exceptions import NotFound
from crm.core.permissions import Perm
from crm.core.principals import Principal
from crm.firms.models import Firm, Membership

PAGE_SIZE = 25
# The Submissions page's views: name -> statuses shown (empty: all).
VIEWS: dict[str, frozenset[str]] = {
    "attention": frozenset(ATTENTION_STATUSES),
    "in_flight": frozenset(IN_FLIGHT_STATUSES),
    "received": frozenset({SubmissionStatus.RECEIVED}),
    "all": frozenset(),
}


def network_firm_get(*, firm: Firm) -> NetworkFirm | None:
    return NetworkFirm.objects.filter(firm=firm).first()


def network_adviser_get(*, firm: Firm, user_id: int | None) -> NetworkAdviser | None:
    if user_id is None:
        return None
    return NetworkAdviser.objects.filter(firm=firm, user_id=user_id).first()


@dataclass
class MemberRow:
    member: Membership
    adviser: NetworkAdviser | None


def network_members(*, firm: Firm) -> list[MemberRow]:
    """Return the active members who may work on cases, with their UIDs (2 queries)."""
    members = [
        m
        for m in Membership.objects.filter(firm=firm, is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
        if m.has_perm(Perm.EDIT_CASES)
    ]
    uids = {a.user_id: a for a in NetworkAdviser.objects.filter(firm=firm)}
    return [MemberRow(m, uids.get(m.user_id)) for m in members]


def member_get(*, firm: Firm, membership_id: int) -> Membership:
    member = (
        Membership.objects.filter(firm=firm, pk=membership_id, is_active=True)
        .select_related("user")
        .first()
    )
    if member is None:
        raise NotFound
    return member


def _with_attempts(qs: QuerySet[Submission], firm: Firm) -> QuerySet[Submission]:
    return qs.prefetch_related(
        Prefetch("attempts", queryset=SubmissionAttempt.objects.filter(firm=firm))
    )


@dataclass
class CaseSubmissions:
    """A case's submissions, newest first; ``current`` is the newest."""

    submissions: list[Submission] = field(default_factory=list)

    @property
    def current(self) -> Submission | None:
        return self.submissions[0] if self.submissions else None

    @property
    def earlier(self) -> list[Submission]:
        return self.submissions[1:]


def case_submissions(*, firm: Firm, case: Case) -> CaseSubmissions:
    """Return the case's submissions with their attempts (2 queries)."""
    qs = (
        Submission.objects.filter(firm=firm, case=case)
        .select_related("sent_by", "message")
        .defer("message__payload")
    )
    return CaseSubmissions(list(_with_attempts(qs, firm).order_by("-number")))


def latest_submission(*, firm: Firm, case: Case) -> Submission | None:
    return Submission.objects.filter(firm=firm, case=case).order_by("-number").first()


def submission_get(
    *, firm: Firm, submission_id: int, principal: Principal | None = None
) -> Submission:
    """Return a submission on a case ``principal`` may see, or raise ``NotFound``."""
    cases = case_visibility(Case.objects.filter(firm=firm), principal)
    qs = Submission.objects.filter(firm=firm, pk=submission_id, case__in=cases)
    found = _with_attempts(
        qs.select_related("case", "sent_by", "message").defer("message__payload"),
        firm,
    ).first()
    if found is None:
        raise NotFound
    return found


def submission_page(
    *, firm: Firm, principal: Principal | None, view: str, page: int | str
) -> Page[Submission]:
    """Return one page of the firm's submissions in ``view``, latest change first.

    Only each case's newest submission counts: a rejection that was fixed and
    resubmitted no longer needs attention.
    """
    statuses = VIEWS.get(view, VIEWS["attention"])
    cases = case_visibility(Case.objects.filter(firm=firm), principal)
    qs = Submission.objects.filter(firm=firm, case__in=cases, is_latest=True)
    if statuses:
        qs = qs.filter(status__in=statuses)
    qs = (
        qs.select_related("case", "case__owner", "sent_by", "message")
        .defer("message__payload")
        .order_by("-updated_at", "-id")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def attention_list(
    *, firm: Firm, principal: Principal | None, limit: int
) -> list[Submission]:
    """Return up to ``limit`` latest submissions rejected or failed, newest first.

    For the dashboard (L1): only each case's newest submission counts, and
    only cases ``principal`` may see.
    """
    cases = case_visibility(Case.objects.filter(firm=firm), principal)
    return list(
        Submission.objects.filter(
            firm=firm,
            case__in=cases,
            is_latest=True,
            status__in=ATTENTION_STATUSES,
        )
        .select_related("case")
        .order_by("-updated_at", "-id")[:limit]
    )
