"""Reads about referrals out: a partner's link, a case's referrals (I12)."""

from django.db.models import Prefetch, QuerySet
from django_scopes import scopes_disabled

from crm.cases.models import Case
from crm.core.prepared import Prepared
from crm.firms.models import Firm
from crm.support.models import ReferralOut, ReferralOutUpdate


def referral_out_for_token(*, token_hash: str) -> ReferralOut | None:
    """Return the referral whose partner link has ``token_hash``, or None.

    Read before any firm is known (the link says which), so outside the
    scope; the partner's page then acts in that firm only.
    """
    with scopes_disabled():
        return (
            ReferralOut.objects.select_related("firm", "case")
            .filter(token_hash=token_hash)
            .first()
        )


def partner_updates(*, firm: Firm, referral: ReferralOut) -> list[ReferralOutUpdate]:
    """Return what the partner has sent through their link, oldest first."""
    return list(
        ReferralOutUpdate.objects.filter(firm=firm, referral=referral).order_by(
            "created_at", "id"
        )
    )


def case_referrals_out(*, firm: Firm, case: Case) -> list[ReferralOut]:
    """Return the case's referrals out, newest first, with their updates.

    Read by SQL compiled once (``crm.core.prepared``); the updates by the ORM.
    """
    return _CASE_REFERRALS(firm_id=firm.pk, case_id=case.pk)


def _case_referrals(*, firm_id: int, case_id: int) -> QuerySet[ReferralOut]:
    updates = ReferralOutUpdate.objects.filter(firm_id=firm_id)
    return (
        ReferralOut.objects.filter(firm_id=firm_id, case_id=case_id)
        .select_related("partner", "consent_taken_by", "created_by")
        .prefetch_related(
            Prefetch("updates", queryset=updates.order_by("created_at", "id"))
        )
        .order_by("-sent_at", "-id")
    )


_CASE_REFERRALS = Prepared(ReferralOut, _case_referrals)
