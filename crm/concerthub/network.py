"""Writes of the network IDs: the firm's Firm ID and each adviser's UID (G4).

Each is checked with Concert Hub when saved: an ID the partner does not know
is refused, and so is one we could not check (the partner was unreachable),
so a saved ID is always one the partner confirmed.
"""

import re

from django.db import transaction
from django.utils import timezone

from crm.concerthub import partner
from crm.concerthub.models import NetworkAdviser, NetworkFirm
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.firms.models import Firm, Membership, User

FIRM_ID = re.compile(r"F\d{6}\Z")
ADVISER_UID = re.compile(r"A\d{6}\Z")


def _refuse(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, "invalid", {"field": field})


def _unreachable(check: partner.Check, field: str) -> ApplicationError:
    return _refuse(
        "Could not check it with Concert Hub, so it is not saved yet: "
        f"{check.problem} Try again in a moment.",
        field,
    )


def normalise(value: str) -> str:
    return value.strip().upper()


@transaction.atomic
def network_firm_set(*, firm: Firm, actor: User | None, value: str) -> NetworkFirm:
    """Save the firm's network Firm ID once Concert Hub confirms it."""
    value = normalise(value)
    if not FIRM_ID.match(value):
        raise _refuse("Enter the Firm ID as F and 6 digits, like F100001.", "firm_id")
    check = partner.check_firm(value)
    if check.known is None:
        raise _unreachable(check, "firm_id")
    if not check.known:
        raise _refuse(f"Concert Hub does not know the Firm ID {value}.", "firm_id")
    found = NetworkFirm.objects.select_for_update().filter(firm=firm).first()
    before = found.network_firm_id if found else ""
    record = found or NetworkFirm(firm=firm)
    record.network_firm_id = value
    record.partner_name = check.name[:120]
    record.checked_at = timezone.now()
    record.save()
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.UPDATE if found else AuditVerb.CREATE,
        audit_obj=record,
        changes={"network_firm_id": [before, value]},
    )
    return record


@transaction.atomic
def network_adviser_set(
    *, firm: Firm, actor: User | None, member: Membership, value: str
) -> NetworkAdviser | None:
    """Save ``member``'s Adviser UID once Concert Hub confirms it; blank clears it.

    The UID must belong to the firm's network Firm ID, when the firm has one.
    """
    if member.firm_id != firm.pk:
        raise ApplicationError("That member is not in this firm.", "not_found")
    value = normalise(value)
    found = (
        NetworkAdviser.objects.select_for_update()
        .filter(firm=firm, user_id=member.user_id)
        .first()
    )
    before = found.adviser_uid if found else ""
    if not value:
        if found is not None:
            events.record(
                firm=firm,
                actor=actor,
                verb=AuditVerb.DELETE,
                audit_obj=found,
                changes={"adviser_uid": [before, ""]},
            )
            found.delete()
        return None
    if not ADVISER_UID.match(value):
        raise _refuse("Enter the Adviser UID as A and 6 digits, like A200001.", "uid")
    check = partner.check_adviser(value)
    if check.known is None:
        raise _unreachable(check, "uid")
    if not check.known:
        raise _refuse(f"Concert Hub does not know the Adviser UID {value}.", "uid")
    network = NetworkFirm.objects.filter(firm=firm).first()
    if network is not None and check.firm_id != network.network_firm_id:
        raise _refuse(
            f"Concert Hub has {value} under firm {check.firm_id}, "
            f"not this firm's {network.network_firm_id}.",
            "uid",
        )
    taken = NetworkAdviser.objects.filter(firm=firm, adviser_uid=value).exclude(
        user_id=member.user_id
    )
    if taken.exists():
        raise _refuse(f"Another member already has the Adviser UID {value}.", "uid")
    record = found or NetworkAdviser(firm=firm, user_id=member.user_id)
    record.adviser_uid = value
    record.partner_name = check.name[:120]
    record.checked_at = timezone.now()
    record.save()
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.UPDATE if found else AuditVerb.CREATE,
        audit_obj=record,
        changes={"adviser_uid": [before, value]},
    )
    return record
