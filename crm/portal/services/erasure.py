"""Erasure of a client's portal records (SPEC M3), run by ``crm.core.erasure``."""

from crm.contacts.models import Contact
from crm.firms.models import Firm
from crm.portal.models import CreditConsent, PortalInvitation, RequestedAction


def contact_portal_erase(*, firm: Firm, contact: Contact) -> dict[str, int]:
    """Blank the personal data the portal keeps about ``contact``.

    The rows stay (the action log and its counts do not change): an
    invitation loses the address it was sent to, a credit consent the IP
    address it was confirmed from, an action the reason staff gave for
    rejecting the client's upload. Return the rows changed by model label.
    """
    invitations = (
        PortalInvitation.objects.filter(firm=firm, contact=contact)
        .exclude(email="")
        .update(email="")
    )
    consents = (
        CreditConsent.objects.filter(firm=firm, contact=contact)
        .exclude(ip_address=None)
        .update(ip_address=None)
    )
    actions = (
        RequestedAction.objects.filter(firm=firm, contact=contact)
        .exclude(review_reason="")
        .update(review_reason="")
    )
    return {
        "portal.portalinvitation": invitations,
        "portal.creditconsent": consents,
        "portal.requestedaction": actions,
    }
