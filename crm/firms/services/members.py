"""Changing members: role, single-permission grants and revokes, activation, name."""

import enum
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms import renames
from crm.firms.choices import ROLE_PERMISSIONS, Perm, Role
from crm.firms.models import Firm, Membership, User
from crm.firms.selectors import forget_owner, membership_list_for_user
from crm.firms.services.firm import choices_changed


class Keep(enum.Enum):
    """A value not given: leave the field as it is."""

    KEEP = "keep"


def _require(membership: Membership, perm: Perm) -> None:
    if not membership.has_perm(perm):
        raise ApplicationError("You do not have permission to do that.", "forbidden")


def _other_active_owners(firm: Firm, membership: Membership) -> bool:
    return (
        Membership.objects.filter(firm=firm, role=Role.OWNER, is_active=True)
        .exclude(pk=membership.pk)
        .exists()
    )


def _guard_member_managers(firm: Firm, changed: Membership) -> None:
    """Refuse a change that leaves no active member able to manage members."""
    others = Membership.objects.filter(firm=firm, is_active=True).exclude(pk=changed.pk)
    if changed.is_active and changed.has_perm(Perm.MANAGE_MEMBERS):
        return
    if not any(m.has_perm(Perm.MANAGE_MEMBERS) for m in others):
        raise ApplicationError(
            "Someone must be able to manage members. Give another member that "
            "permission first.",
            "last_manager",
            {"field": "permissions"},
        )


def _guard_last_owner(firm: Firm, target: Membership) -> None:
    if (
        target.role == Role.OWNER
        and target.is_active
        and not _other_active_owners(firm, target)
    ):
        raise ApplicationError(
            "A firm needs at least one active owner. Make someone else an owner first.",
            "last_owner",
            {"field": "role"},
        )


@transaction.atomic
def membership_create(
    *, firm: Firm, actor: User | None, user: User, role: Role | str
) -> Membership:
    """Add ``user`` to the firm with ``role``, or reactivate their membership."""
    existing = Membership.objects.filter(firm=firm, user=user).first()
    if existing is not None:
        existing.role, existing.is_active = role, True
        existing.granted, existing.revoked = [], []
        existing.full_clean(validate_unique=False)
        existing.save(update_fields=["role", "is_active", "granted", "revoked"])
        choices_changed(firm_ids=[firm.pk])
        events.record(
            firm=firm,
            actor=actor,
            verb=AuditVerb.RESTORE,
            subject=existing,
            changes={"role": [None, str(role)]},
        )
        return existing
    membership = Membership(firm=firm, user=user, role=role)
    membership.full_clean(validate_unique=False)
    membership.save()
    choices_changed(firm_ids=[firm.pk])
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.CREATE,
        subject=membership,
        changes={"role": [None, str(role)]},
    )
    return membership


@transaction.atomic
def membership_update(
    *,
    firm: Firm,
    actor: User,
    actor_membership: Membership,
    membership: Membership,
    role: str,
    permissions: Iterable[str] | None = None,
    weekly_hours: Decimal | Keep | None = Keep.KEEP,
) -> Membership:
    """Set a member's role, weekly hours and, for owners, exact permissions.

    ``permissions`` is the full set the member should hold; what differs from
    the role's defaults is stored as grants and revokes. ``weekly_hours``
    (SPEC I13) is left alone unless given.
    """
    _require(actor_membership, Perm.MANAGE_MEMBERS)
    ensure_same_firm(firm, membership)
    if Role.OWNER in (role, membership.role) and actor_membership.role != Role.OWNER:
        raise ApplicationError(
            "Only an owner can make someone an owner or change an owner's role.",
            "forbidden",
            {"field": "role"},
        )
    if role not in Role.values:
        raise ApplicationError("Choose a role.", "invalid", {"field": "role"})
    if role != Role.OWNER:
        _guard_last_owner(firm, membership)
    before = events.snapshot(membership, ("role", "granted", "revoked", "weekly_hours"))
    membership.role = role
    if not isinstance(weekly_hours, Keep):
        membership.weekly_hours = weekly_hours
    if permissions is not None:
        if actor_membership.role != Role.OWNER:
            raise ApplicationError(
                "Only the firm's owner can grant or revoke single permissions.",
                "forbidden",
            )
        wanted = set(permissions)
        unknown = wanted - set(Perm.values)
        if unknown:
            raise ApplicationError("Unknown permission.", "invalid")
        defaults = ROLE_PERMISSIONS[role]
        membership.granted = sorted(wanted - defaults)
        membership.revoked = sorted(defaults - wanted)
    elif before["role"] != role:
        membership.granted, membership.revoked = [], []
    membership.__dict__.pop("_perm_cache", None)
    _guard_member_managers(firm, membership)
    membership.full_clean(validate_unique=False)
    changes = events.diff(before, membership)
    if changes:
        membership.save(update_fields=list(changes))
        forget_owner(firm=firm, user_id=membership.user_id)
        if "role" in changes:  # who may own work: the owners-only pickers
            choices_changed(firm_ids=[firm.pk])
        verb = (
            AuditVerb.PERMISSION_CHANGE
            if set(changes) & {"granted", "revoked"}
            else AuditVerb.UPDATE
        )
        events.record(
            firm=firm, actor=actor, verb=verb, subject=membership, changes=changes
        )
    return membership


@transaction.atomic
def membership_set_active(
    *,
    firm: Firm,
    actor: User,
    actor_membership: Membership,
    membership: Membership,
    active: bool,
) -> Membership:
    """Deactivate a member (they can no longer use this firm) or reactivate them."""
    _require(actor_membership, Perm.MANAGE_MEMBERS)
    if membership.is_active == active:
        return membership
    if membership.role == Role.OWNER and actor_membership.role != Role.OWNER:
        raise ApplicationError(
            "Only an owner can deactivate or reactivate an owner.", "forbidden"
        )
    if not active:
        if membership.pk == actor_membership.pk:
            raise ApplicationError("You cannot deactivate yourself.", "forbidden")
        _guard_last_owner(firm, membership)
    membership.is_active = active
    if not active:
        _guard_member_managers(firm, membership)
    membership.save(update_fields=["is_active"])
    forget_owner(firm=firm, user_id=membership.user_id)
    choices_changed(firm_ids=[firm.pk])
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.UPDATE if active else AuditVerb.ARCHIVE,
        subject=membership,
        changes={"is_active": [not active, active]},
    )
    return membership


@transaction.atomic
def user_rename(*, user: User, first_name: str, last_name: str) -> User:
    """Change a member's own name, in every firm they belong to.

    Apps that keep a copy of the name (a case's owner sort name) follow in
    the same transaction, through the member rename registry
    (``crm.firms.renames``). Each of the member's firms gets an audit row.
    """
    first_name, last_name = first_name.strip(), last_name.strip()
    if not first_name:
        raise ApplicationError(
            "Enter your first name.", "invalid", {"field": "first_name"}
        )
    if (first_name, last_name) == (user.first_name, user.last_name):
        return user
    before = user.full_name
    user.first_name, user.last_name = first_name, last_name
    user.full_clean(
        exclude=["password"], validate_unique=False, validate_constraints=False
    )
    user.save(update_fields=["first_name", "last_name"])
    renames.run(user_ids=[user.pk])
    memberships = membership_list_for_user(user=user)
    # Only active members are offered, so only those firms' lists change.
    choices_changed(firm_ids=[membership.firm_id for membership in memberships])
    for membership in memberships:
        events.record(
            firm=membership.firm,
            actor=user,
            verb=AuditVerb.UPDATE,
            subject=user,
            changes={"name": [before, user.full_name]},
        )
    return user
