"""Reads about members and invitations."""

import hashlib
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django_scopes import scopes_disabled

from crm.core import rawrows, request_context
from crm.core.exceptions import NotFound
from crm.firms.choices import ROLE_PERMISSIONS, Perm
from crm.firms.models import Firm, Invitation, Membership, User
from crm.firms.selectors import choice_cache

# The roles whose members may own work: be a case's adviser or case manager,
# a lead's owner or a task's assignee. Owning means changing, so a role that
# cannot edit cases (Read-only) is never offered and services refuse it.
OWNER_ROLES = tuple(
    role for role, perms in ROLE_PERMISSIONS.items() if Perm.EDIT_CASES in perms
)


def token_hash(token: str) -> str:
    """Return the stored form of an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


# Where ``user_for_session`` leaves the memberships it read with the user, for
# the request's first ``membership_list_for_user`` (the principal's).
SIGNED_IN_MEMBERSHIPS = "_memberships_read_with_user"


def membership_list_for_user(*, user: User) -> list[Membership]:
    """Return the user's active memberships across firms, by firm name.

    This is the one read that crosses firms: it runs before a firm is chosen,
    on every signed-in request, so it is one hand-written statement (what
    ``Membership.objects.filter(user=user, is_active=True).select_related(
    "firm").order_by("firm__name", "firm_id")`` sends, without compiling it
    each time: ``crm.core.rawrows``). The signed-in request's user comes with
    them, read in the same statement (``user_for_session``): the first call
    for that user takes those and reads nothing; any later call reads afresh.
    """
    try:
        read: list[Membership] = getattr(user, SIGNED_IN_MEMBERSHIPS)
    except AttributeError:
        pass
    else:
        delattr(user, SIGNED_IN_MEMBERSHIPS)
        return read
    connection = connections[router.db_for_read(Membership)]
    member = rawrows.columns(Membership, "m", connection)
    firm = rawrows.columns(Firm, "f", connection)
    m, f = member.column, firm.column
    sql = (
        f"SELECT {member.select}, {firm.select} "  # noqa: S608 - names from the models
        f"FROM {member.table} INNER JOIN {firm.table} "
        f"ON {f('id')} = {m('firm')} "
        f"WHERE {m('user')} = %s AND {m('is_active')} "
        f"ORDER BY {f('name')} ASC, {m('firm')} ASC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        rows = cursor.fetchall()
    return _memberships(rows, 0, user, member, firm, connection)


def _memberships(
    rows: list[tuple[Any, ...]],
    start: int,
    user: User,
    member: rawrows.Columns[Membership],
    firm: rawrows.Columns[Firm],
    connection: BaseDatabaseWrapper,
) -> list[Membership]:
    """Return the memberships in ``rows`` from ``start`` (rows without one skipped)."""
    key = start + member.names.index("id")
    memberships = []
    for row in rows:
        if row[key] is None:  # the user's row when they have no membership
            continue
        membership = member.load(row, start, connection)
        membership.firm = firm.load(row, start + member.width, connection)
        membership.user = user  # already loaded: saves a query per request
        memberships.append(membership)
    return memberships


def user_for_session(*, user_id: int) -> User | None:
    """Return the active user with this id, or None: the signed-in request's read.

    What ``ModelBackend.get_user`` returns (the user, or None when missing or
    inactive), by one hand-written statement (``crm.core.rawrows``): every
    signed-in request makes it, and the ORM compiled the same ``get`` each time.
    The same statement reads the user's active memberships and firms, which
    the request's principal needs next (``membership_list_for_user``): one
    round trip where there were two.
    """
    connection = connections[router.db_for_read(User)]
    user = rawrows.columns(User, "u", connection)
    member = rawrows.columns(Membership, "m", connection)
    firm = rawrows.columns(Firm, "f", connection)
    u, m, f = user.column, member.column, firm.column
    sql = (
        f"SELECT {user.select}, {member.select}, {firm.select} "  # noqa: S608 - names from the models
        f"FROM {user.table} "
        f"LEFT OUTER JOIN {member.table} "
        f"ON {m('user')} = {u('id')} AND {m('is_active')} "
        f"LEFT OUTER JOIN {firm.table} ON {f('id')} = {m('firm')} "
        f"WHERE {u('id')} = %s "
        f"ORDER BY {f('name')} ASC, {m('firm')} ASC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    found = user.load(rows[0], 0, connection)
    if not found.is_active:
        return None
    memberships = _memberships(rows, user.width, found, member, firm, connection)
    setattr(found, SIGNED_IN_MEMBERSHIPS, memberships)
    return found


def user_get(*, user_id: int) -> User | None:
    """Return the user with this id, or None."""
    return User.objects.filter(pk=user_id).first()


def user_get_by_email(*, email: str) -> User | None:
    """Return the user with this e-mail (any case), or None.

    Users are not firm-owned: one person may belong to several firms.
    """
    email = email.strip()
    if not email:
        return None
    return User.objects.filter(email__iexact=email).first()


def membership_list(
    *, firm: Firm, include_inactive: bool = True
) -> QuerySet[Membership]:
    """Return the firm's members with their users, active first, by name."""
    qs = Membership.objects.filter(firm=firm).select_related("user")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("-is_active", "user__first_name", "user__last_name", "id")


def membership_get(*, firm: Firm, membership_id: int) -> Membership:
    """Return one member of the firm or raise ``NotFound``."""
    try:
        return Membership.objects.select_related("user").get(
            firm=firm, pk=membership_id
        )
    except Membership.DoesNotExist as exc:
        raise NotFound from exc


def member_choices(*, firm: Firm, owners_only: bool = False) -> list[tuple[int, str]]:
    """Return ``(user_id, name)`` for active members, for filters and pickers.

    ``owners_only`` keeps the members who may own work (``OWNER_ROLES``): the
    adviser, case manager, lead owner and assignee pickers pass it. Each
    process keeps the lists until the firm's ``choices_version`` moves
    (``choice_cache``).
    """

    def load(using: str) -> list[tuple[int, str]]:
        members = membership_list(firm=firm, include_inactive=False).using(using)
        if owners_only:
            members = members.filter(role__in=OWNER_ROLES)
        # Four columns, not two rows of models.
        names = members.values_list(
            "user_id", "user__first_name", "user__last_name", "user__email"
        )
        return [
            (user_id, f"{first} {last}".strip() or email)
            for user_id, first, last, email in names
        ]

    return choice_cache.choices(
        firm=firm, name="members", options=owners_only, load=load
    )


def owner_membership_qs(*, firm: Firm) -> QuerySet[Membership]:
    """Return the firm's active members who may own work (``OWNER_ROLES``)."""
    return Membership.objects.filter(firm=firm, is_active=True, role__in=OWNER_ROLES)


def owner_get(*, firm: Firm, user_id: int) -> User | None:
    """Return the active member who may own work, by user id, or None.

    The request remembers the answer, so the service that checks it again
    (``may_own``) in the same request reads nothing.
    """
    membership = (
        owner_membership_qs(firm=firm)
        .filter(user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        return None
    request_context.remember(("may_own", firm.pk, user_id))
    return membership.user


def forget_owner(*, firm: Firm, user_id: int) -> None:
    """Forget this request's answer for the member (their membership changed)."""
    request_context.forget(("may_own", firm.pk, user_id))


def may_own(*, firm: Firm, user_id: int) -> bool:
    """Return True when the user is an active member of the firm who may own work.

    No read when this request's ``owner_get`` found them (a form's check,
    moments before the service's): the read takes no lock, so reading again
    inside the service's transaction would not stop a member who leaves
    between it and the commit either; a change to the membership in the
    same request forgets the answer (``forget_owner``).
    """
    if request_context.known(("may_own", firm.pk, user_id)):
        return True
    return owner_membership_qs(firm=firm).filter(user_id=user_id).exists()


def invitation_list_pending(*, firm: Firm) -> QuerySet[Invitation]:
    """Return invitations not yet accepted or revoked, newest first."""
    return (
        Invitation.objects.filter(firm=firm, accepted_at=None, revoked_at=None)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """Return the invitation whose token this is, from any firm, or None.

    The token itself is the credential, so this read is not firm-scoped.
    """
    with scopes_disabled():
        return (
            Invitation.objects.select_related("firm", "invited_by")
            .filter(token_hash=token_hash(token))
            .first()
        )


def invitation_get(*, firm: Firm, invitation_id: int) -> Invitation:
    """Return one of the firm's invitations or raise ``NotFound``."""
    try:
        return Invitation.objects.select_related("firm").get(
            firm=firm, pk=invitation_id
        )
    except Invitation.DoesNotExist as exc:
        raise NotFound from exc
