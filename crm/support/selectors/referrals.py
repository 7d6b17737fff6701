"""Reads about referrals: the public form's firm, the queue, one referral (I11)."""

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django_scopes import scopes_disabled

from crm.core.exceptions import NotFound
from crm.firms.models import Firm
from crm.support.choices import ReferralStatus
from crm.support.models import Referral, ReferralForm

TABS = tuple(ReferralStatus.values)


@dataclass(frozen=True)
class ReferralListQuery:
    """The Referrals queue's tab and search (built by ``ReferralFilterSet``)."""

    tab: str = ReferralStatus.NEW.value
    q: str = ""

    def as_kwargs(self) -> dict[str, Any]:
        """Return the query as ``referral_list``'s keyword arguments."""
        return asdict(self)


def referral_form_by_key(*, key: str) -> ReferralForm | None:
    """Return the referral form at ``/refer/<key>/`` with its firm, or None.

    Read before any firm is known (the address says which), so outside the
    scope; the form's page then acts in that firm only.
    """
    with scopes_disabled():
        return (
            ReferralForm.objects.select_related("firm")
            .filter(key=key, firm__has_support=True)
            .first()
        )


def referral_form_of(*, firm: Firm) -> ReferralForm | None:
    """Return the firm's referral form, or None if it has not been made yet."""
    return ReferralForm.objects.filter(firm=firm).first()


def referral_list(
    *, firm: Firm, tab: str = ReferralStatus.NEW.value, q: str = ""
) -> QuerySet[Referral]:
    """Return the firm's referrals in one tab, newest first; ``q`` finds a name."""
    qs = Referral.objects.filter(firm=firm, status=tab if tab in TABS else "new")
    if term := q.strip():
        for word in term.split()[:3]:
            qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return qs.select_related("pathway", "decided_by", "case").order_by(
        "-submitted_at", "-id"
    )


def referral_get(*, firm: Firm, referral_id: int) -> Referral:
    """Return one of the firm's referrals, or raise ``NotFound``."""
    try:
        return Referral.objects.select_related(
            "pathway", "decided_by", "case", "contact"
        ).get(firm=firm, pk=referral_id)
    except Referral.DoesNotExist as exc:
        raise NotFound from exc
