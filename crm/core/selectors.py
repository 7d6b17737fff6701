"""Reads for the audit log and the dev mailbox."""

import datetime
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q, QuerySet

from crm.core.exceptions import NotFound
from crm.core.models import AuditEvent, FirmOwnedModel, StoredEmail

if TYPE_CHECKING:
    from crm.core.principals import Principal
    from crm.firms.models import Firm


def audit_object_types() -> list[tuple[str, str]]:
    """Return ``(label, name)`` of every model that can appear in the audit log."""
    types = [
        (m._meta.label_lower, str(m._meta.verbose_name).capitalize())
        for m in apps.get_models()
        if issubclass(m, FirmOwnedModel) and m is not AuditEvent
    ]
    types.append(("firms.firm", "Firm"))
    types.append(("firms.user", "User"))
    return sorted(types, key=lambda t: t[1])


@dataclass(frozen=True)
class AuditEventListQuery:
    """The Audit log's filters, parsed once from the query string.

    Built by ``crm.core.filters.AuditFilterSet`` and passed to
    ``audit_event_list`` (``**query.as_kwargs()``).
    """

    actor_id: int | None = None
    object_type: str = ""
    verb: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def as_kwargs(self) -> dict[str, Any]:
        """Return the query as ``audit_event_list``'s keyword arguments."""
        return asdict(self)


def audit_event_list(
    *,
    firm: "Firm",
    actor_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    verb: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Return the firm's audit events, newest first, filtered."""
    qs = AuditEvent.objects.filter(firm=firm).select_related("actor")
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if verb:
        qs = qs.filter(verb=verb)
    if date_from is not None:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs.order_by("-created_at", "-id")


def _mailbox_filter(principal: "Principal") -> Q:
    """Return which stored mail ``principal`` may read in the dev mailbox.

    A member reads mail addressed to them and mail their own actions sent
    (such as the invitations they sent), never anyone else's: a password
    reset or an invitation link in the wrong hands is an account takeover.
    A principal without a user account reads none.
    """
    user = principal.user
    if user is None:
        return Q(pk__in=[])
    return Q(recipient=user.email.lower()) | Q(actor_id=user.pk)


def mail_list(*, principal: "Principal") -> QuerySet[StoredEmail]:
    """Return the stored mail ``principal`` may read, newest first."""
    return StoredEmail.objects.filter(_mailbox_filter(principal)).order_by(
        "-created_at", "-id"
    )


def mail_get(*, principal: "Principal", mail_id: int) -> StoredEmail:
    """Return one stored message ``principal`` may read or raise ``NotFound``."""
    try:
        return StoredEmail.objects.filter(_mailbox_filter(principal)).get(pk=mail_id)
    except StoredEmail.DoesNotExist as exc:
        raise NotFound from exc
