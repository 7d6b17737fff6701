"""Making and revoking API tokens (K1)."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from crm.api.choices import TokenScope
from crm.api.models import ApiToken
from crm.api.selectors import key_hash
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.permissions import Perm
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, Membership, User

KEY_PREFIX = "cw_"
PREFIX_LENGTH = 10
# How stale ``last_used_at`` may get before a request writes it again.
TOUCH_EVERY = timedelta(minutes=1)


@transaction.atomic
def token_create(
    *,
    firm: Firm,
    actor: User,
    actor_membership: Membership,
    name: str,
    membership: Membership,
    scope: str,
) -> tuple[ApiToken, str]:
    """Make a token acting as ``membership``; return it and its key (shown once).

    Only someone who manages the firm makes tokens, and only for a member who
    holds no permission they lack themselves, so a token never lifts anyone's
    rights.
    """
    ensure_same_firm(firm, membership, actor_membership)
    if not actor_membership.has_perm(Perm.MANAGE_FIRM):
        raise ApplicationError("You cannot manage API tokens.", "forbidden")
    name = name.strip()
    if not name:
        raise ApplicationError("Enter a name.", "required", {"field": "name"})
    if scope not in TokenScope.values:
        raise ApplicationError("Choose a scope.", "invalid", {"field": "scope"})
    if not membership.is_active:
        raise ApplicationError(
            "Choose an active member.", "invalid", {"field": "membership"}
        )
    if not membership.permissions <= actor_membership.permissions:
        raise ApplicationError(
            "That member holds permissions you do not; choose yourself or a "
            "member with fewer rights.",
            "escalation",
            {"field": "membership"},
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        firm=firm,
        name=name,
        membership=membership,
        scope=scope,
        prefix=key[:PREFIX_LENGTH],
        key_hash=key_hash(key),
        created_by=actor,
    )
    token.full_clean()
    token.save()
    events.record(
        firm=firm,
        actor=actor,
        subject=token,
        verb=AuditVerb.CREATE,
        changes={
            "name": [None, token.name],
            "scope": [None, token.scope],
            "member": [None, str(membership.user)],
        },
    )
    return token, key


@transaction.atomic
def token_revoke(*, firm: Firm, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token: the next request that uses it is refused (401)."""
    ensure_same_firm(firm, token)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    events.record(
        firm=firm,
        actor=actor,
        subject=token,
        verb=AuditVerb.DELETE,
        changes={"revoked": [False, True]},
    )
    return token


def token_touch(*, token: ApiToken) -> None:
    """Note that ``token`` was used now, at most once a minute (no history)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    token.last_used_at = now
    # Called while the request's firm is being resolved, before its scope.
    with scope(firm=token.firm_id):
        ApiToken.objects.filter(firm=token.firm_id, pk=token.pk).update(
            last_used_at=now
        )
