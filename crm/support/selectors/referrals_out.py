"""Reads about referrals out: a partner's link, a case's referrals (I12)."""

from django.db.models import Prefetch
from django_scopes import scopes_disabled

from crm.cases.models import Case
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
    """Return the case's referrals out, newest first, with their updates."""
    return list(
        ReferralOut.objects.filter(firm=firm, case=case)
        .select_related("partner", "consent_taken_by", "created_by")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ReferralOutUpdate.objects.filter(firm=firm).order_by(
                    "created_at", "id"
                ),
            )
        )
        .order_by("-sent_at", "-id")
    )
