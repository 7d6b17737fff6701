"""Reads about API tokens."""

import hashlib

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from crm.api.models import ApiToken
from crm.core.exceptions import NotFound
from crm.firms.models import Firm

KEY_MAX = 200


def key_hash(key: str) -> str:
    """Return the stored form of an API key (SHA-256, hex)."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_for_key(*, key: str) -> ApiToken | None:
    """Return the live token whose key is ``key``, with its firm and member.

    Runs before any firm is known (the token says which), so it reads across
    firms by the key's unique hash.
    """
    if len(key) > KEY_MAX or not key.isascii():
        return None
    with scopes_disabled():
        return (
            ApiToken.objects.select_related("firm", "membership__user")
            .filter(
                key_hash=key_hash(key),
                revoked_at__isnull=True,
                membership__is_active=True,
            )
            .first()
        )


def token_list(*, firm: Firm) -> QuerySet[ApiToken]:
    """Return the firm's tokens, live and revoked, newest first, with members."""
    return ApiToken.objects.filter(firm=firm).select_related(
        "membership__user", "created_by"
    )


def token_get(*, firm: Firm, token_id: int) -> ApiToken:
    """Return one of the firm's tokens or raise ``NotFound``."""
    try:
        return ApiToken.objects.select_related("membership__user").get(
            firm=firm, pk=token_id
        )
    except ApiToken.DoesNotExist as exc:
        raise NotFound from exc
