"""The support module's link principals: a referral form, a scoring link and
a partner's referral link.

Each public page of the module is reached by a key in its address and acts
as a principal of its own, in the key's firm only: ``referrer`` (anyone
using a firm's public referral form, I11), ``scoring_link`` (a beneficiary
holding a single-use scoring link, I10) and ``partner_link`` (an external
service answering a referral out, I12). None is a user or a member, so none
holds any staff permission.
"""

from dataclasses import dataclass

from crm.core import principals
from crm.firms.models import Firm
from crm.support import selectors
from crm.support.models import ReferralForm, ReferralOut, ScoreLink
from crm.support.services import referrals_out
from crm.support.services.score_links import link_problem, token_hash


@dataclass(frozen=True)
class LinkPrincipal:
    """Whoever holds a public link of the support module, in its firm."""

    kind: str
    firm: Firm
    label: str
    referral_form: ReferralForm | None = None
    score_link: ScoreLink | None = None
    referral_out: ReferralOut | None = None

    @property
    def user(self) -> None:
        """Return None: a link holder has no account."""
        return None

    @property
    def user_id(self) -> None:
        """Return None: a link holder has no account."""
        return None

    @property
    def membership(self) -> None:
        """Return None: a link holder is not a member."""
        return None

    def has_perm(self, perm: str) -> bool:
        """Return False: staff permissions never apply to a link holder."""
        return False


def resolve_referrer(key: str) -> LinkPrincipal | None:
    """Return the referrer principal of the firm whose form is at ``key``."""
    form = selectors.referral_form_by_key(key=key)
    if form is None:
        return None
    return LinkPrincipal(
        principals.REFERRER, form.firm, "Public referral form", referral_form=form
    )


def resolve_scoring_link(token: str) -> LinkPrincipal | None:
    """Return the principal of the scoring link with ``token``; used ones 410."""
    if not token or len(token) > 100:
        return None
    link = selectors.score_link_for_token(token_hash=token_hash(token))
    if link is None or not link.firm.has_support:
        return None
    problem = link_problem(link)
    if problem is not None:
        raise principals.LinkRefused(problem)
    return LinkPrincipal(
        principals.SCORING_LINK,
        link.firm,
        "Beneficiary (scoring link)",
        score_link=link,
    )


def resolve_partner_link(token: str) -> LinkPrincipal | None:
    """Return the principal of the partner link with ``token``.

    A declined, expired or closed-case referral answers 410 with its reason.
    """
    if not token or len(token) > 100:
        return None
    referral = selectors.referral_out_for_token(
        token_hash=referrals_out.token_hash(token)
    )
    if referral is None or not referral.firm.has_support:
        return None
    problem = referrals_out.link_problem(referral)
    if problem is not None:
        raise principals.LinkRefused(problem)
    return LinkPrincipal(
        principals.PARTNER_LINK,
        referral.firm,
        "Partner (referral link)",
        referral_out=referral,
    )


def register() -> None:
    """Register the module's link resolvers with ``crm.core.principals``."""
    principals.register_link(principals.REFERRER, resolve_referrer)
    principals.register_link(principals.SCORING_LINK, resolve_scoring_link)
    principals.register_link(principals.PARTNER_LINK, resolve_partner_link)
