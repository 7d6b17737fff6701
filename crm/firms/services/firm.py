"""Creating firms and changing their details."""

from collections.abc import Collection
from typing import Any

from django.db import router, transaction
from django.db.models import F

from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.firms.choices import Perm
from crm.firms.models import Firm, InteractionType, Membership, TaskCategory, User
from crm.firms.selectors import choice_cache

FIRM_EDITABLE = (
    "name",
    "brand_colour",
    "case_reference_prefix",
    "default_follow_up_days",
    "remortgage_review_months",
    "stale_case_days",
    "has_advice",
    "has_support",
    "require_two_factor",
)

DEFAULT_INTERACTION_TYPES = ("Phone call", "E-mail", "Meeting", "Video call", "Letter")
DEFAULT_TASK_CATEGORIES = ("Admin", "Call back", "Chase documents", "Compliance")


@transaction.atomic
def firm_create(*, name: str, owner: User, **fields: Any) -> Firm:
    """Create a firm with ``owner`` as its Owner and default reference lists."""
    firm = Firm(name=name, **fields)
    firm.full_clean()
    firm.save()
    membership = Membership(firm=firm, user=owner, role="owner")
    membership.full_clean(validate_unique=False)
    membership.save()
    InteractionType.objects.bulk_create(
        InteractionType(firm=firm, name=n) for n in DEFAULT_INTERACTION_TYPES
    )
    TaskCategory.objects.bulk_create(
        TaskCategory(firm=firm, name=n) for n in DEFAULT_TASK_CATEGORIES
    )
    events.record(firm=firm, actor=owner, verb=AuditVerb.CREATE, subject=firm)
    return firm


@transaction.atomic
def firm_update(
    *, firm: Firm, actor: User, membership: Membership, **fields: Any
) -> Firm:
    """Change the firm's details; only owners may change its modules."""
    if not membership.has_perm(Perm.MANAGE_FIRM):
        raise ApplicationError("You cannot change the firm's details.", "forbidden")
    unknown = set(fields) - set(FIRM_EDITABLE)
    if unknown:
        raise ApplicationError(f"Cannot change {', '.join(sorted(unknown))}.")
    modules_changed = any(
        key in fields and fields[key] != getattr(firm, key)
        for key in ("has_advice", "has_support")
    )
    if modules_changed and membership.role != "owner":
        raise ApplicationError(
            "Only the firm's owner can switch modules on or off.",
            "forbidden",
            {"field": "has_support"},
        )
    if (
        "require_two_factor" in fields
        and fields["require_two_factor"] != firm.require_two_factor
        and membership.role != "owner"
    ):
        raise ApplicationError(
            "Only the firm's owner can change two-factor sign-in.",
            "forbidden",
            {"field": "require_two_factor"},
        )
    before = events.snapshot(firm, FIRM_EDITABLE)
    for key, value in fields.items():
        setattr(firm, key, value)
    firm.full_clean()
    changes = events.diff(before, firm)
    if changes:
        firm.save(update_fields=list(changes))
        events.record(
            firm=firm, actor=actor, verb=AuditVerb.UPDATE, subject=firm, changes=changes
        )
    return firm


def choices_changed(*, firm_ids: Collection[int]) -> None:
    """Tell every process that these firms' member or introducer lists changed.

    Call it inside the transaction that makes the change (a member's name,
    e-mail, role or activation; an introducer added, renamed, archived or
    restored): one ``UPDATE`` raises each firm's ``choices_version``, so
    each process reads the lists again on its next request for the firm
    (``crm.firms.selectors.choice_cache``).
    """
    if not firm_ids:
        return
    using = router.db_for_write(Firm)
    Firm.objects.using(using).filter(pk__in=firm_ids).update(
        choices_version=F("choices_version") + 1
    )
    for firm_id in firm_ids:
        choice_cache.forget_on_commit(firm_id=firm_id, using=using)
