"""Reads for the audit log and the dev mailbox."""

import datetime
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q, QuerySet

from crm.core import audit
from crm.core.choices import AuditVerb
from crm.core.exceptions import NotFound
from crm.core.models import AuditEvent, StoredEmail

if TYPE_CHECKING:
    from crm.core.principals import Principal
    from crm.firms.models import Firm


def _recorded(*, firm: "Firm", column: str) -> set[str]:
    """Return the distinct values of ``column`` in the firm's audit rows.

    A loose index scan (one index probe per distinct value through the
    ``(firm, column, -created_at)`` index) instead of reading every row, so a
    firm with millions of audit rows costs a few dozen probes.
    """
    if column not in ("object_type", "verb"):
        msg = f"Not an indexed audit column: {column!r}."
        raise ValueError(msg)
    table = AuditEvent._meta.db_table
    sql = (
        f"WITH RECURSIVE seen(v) AS ("  # noqa: S608 - table and column are fixed
        f" SELECT MIN({column}) FROM {table} WHERE firm_id = %s"
        f" UNION ALL SELECT (SELECT MIN({column}) FROM {table}"
        f" WHERE firm_id = %s AND {column} > seen.v) FROM seen"
        f" WHERE seen.v IS NOT NULL"
        f") SELECT v FROM seen WHERE v IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [firm.pk, firm.pk])
        return {row[0] for row in cursor.fetchall()}


def audit_recorded_types(*, firm: "Firm") -> list[tuple[str, str]]:
    """Return ``(object_type, name)`` of the record types the firm's log holds."""
    types = _recorded(firm=firm, column="object_type")
    return sorted(
        ((t, audit.record_name(t)) for t in types), key=lambda t: (t[1], t[0])
    )


def audit_recorded_verbs(*, firm: "Firm") -> list[tuple[str, str]]:
    """Return ``(verb, label)`` of the actions the firm's log holds, in enum order."""
    verbs = _recorded(firm=firm, column="verb")
    return [(value, str(label)) for value, label in AuditVerb.choices if value in verbs]


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
