"""Safeguarding writes (SPEC I14): stale-case alerts, their digest, case views.

``stale_cases_check`` is run by the scheduled job (``crm/support/jobs.py``)
for each firm: it raises one alert per High or Urgent case per stale period
and clears the alerts of cases back in touch. ``stale_digest_send`` e-mails
each case manager and each manager (members who manage members) the alerts
they have not yet been told about, once.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from crm.cases.models import Case
from crm.core import events, mail
from crm.core.choices import AuditVerb
from crm.firms.choices import Perm
from crm.firms.models import Firm, Membership, User
from crm.interactions.models import Interaction
from crm.support.choices import WATCHED_LEVELS, SafeguardingEventType, SupportKind
from crm.support.models import CaseView, StaleCaseAlert

DIGEST_TEMPLATE = "support/email/stale_digest"


def _last_touch() -> Coalesce:
    latest = (
        Interaction.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(at=Max("occurred_at"))
        .values("at")
    )
    return Coalesce(Subquery(latest), "created_at")


@transaction.atomic
def stale_cases_check(*, firm: Firm, now: datetime) -> list[StaleCaseAlert]:
    """Raise alerts for cases out of touch for the firm's N days; return the new ones.

    A case is stale when it is open, High or Urgent, and its latest
    interaction (or, with none, its opening) is at least ``stale_case_days``
    old. Alerts of cases no longer stale (an interaction since, a lower
    concern level, closed, or the setting turned off) are cleared.
    """
    days = firm.stale_case_days
    active = {
        a.case_id: a
        for a in StaleCaseAlert.objects.filter(firm=firm, cleared_at__isnull=True)
    }
    stale: dict[int, tuple[Case, datetime]] = {}
    if days:
        cases = (
            Case.objects.filter(
                firm=firm,
                kind=SupportKind.SUPPORT,
                is_open=True,
                support__concern_level__in=WATCHED_LEVELS,
            )
            .annotate(last_touch=_last_touch())
            .filter(last_touch__lte=now - timedelta(days=days))
            .select_related("support")
        )
        stale = {c.pk: (c, c.last_touch) for c in cases}  # type: ignore[attr-defined]  # annotated above
    cleared = [
        a.pk
        for case_id, a in active.items()
        if case_id not in stale or stale[case_id][1] != a.since
    ]
    if cleared:
        StaleCaseAlert.objects.filter(firm=firm, pk__in=cleared).update(cleared_at=now)
    known = set(
        StaleCaseAlert.objects.filter(firm=firm, case_id__in=list(stale)).values_list(
            "case_id", "since"
        )
    )
    raised: list[StaleCaseAlert] = []
    for case, since in stale.values():
        if (case.pk, since) in known:
            continue
        alert = StaleCaseAlert.objects.create(
            firm=firm,
            case=case,
            since=since,
            concern_level=case.support.concern_level,
            days=days,
            raised_at=now,
        )
        events.record(
            firm=firm,
            actor=None,
            subject=case,
            type=SafeguardingEventType.STALE_ALERT,
            params={
                "days": days,
                "since": since.isoformat(),
                "level": case.support.concern_level,
            },
            verb=AuditVerb.CREATE,
            audit_obj=alert,
            changes={"since": [None, since], "days": [None, days]},
        )
        raised.append(alert)
    return raised


def managers_of(*, firm: Firm) -> list[User]:
    """Return the active members who manage members: a case manager's managers."""
    members = Membership.objects.filter(firm=firm, is_active=True).select_related(
        "user"
    )
    return [m.user for m in members if m.has_perm(Perm.MANAGE_MEMBERS)]


@transaction.atomic
def stale_digest_send(*, firm: Firm, now: datetime) -> int:
    """E-mail each recipient the active alerts not yet in a digest; return e-mails sent.

    Recipients are each alert's case manager and every manager. An alert is
    in one digest only (``digest_sent_at``), so nobody is told twice about the
    same stale period.
    """
    alerts = list(
        StaleCaseAlert.objects.select_for_update(of=("self",))
        .filter(firm=firm, cleared_at__isnull=True, digest_sent_at__isnull=True)
        .select_related("case", "case__owner")
        .order_by("since", "id")
    )
    if not alerts:
        return 0
    managers = managers_of(firm=firm)
    by_user: dict[int, tuple[User, list[StaleCaseAlert]]] = {}
    for alert in alerts:
        owner = alert.case.owner
        for user in [*([owner] if owner is not None else []), *managers]:
            by_user.setdefault(user.pk, (user, []))[1].append(alert)
    seen: dict[int, set[int]] = defaultdict(set)
    sent = 0
    for user, user_alerts in by_user.values():
        unique = [a for a in user_alerts if a.pk not in seen[user.pk]]
        seen[user.pk].update(a.pk for a in unique)
        if not user.is_active or not user.email:
            continue
        mail.send_templated_mail(
            firm=firm,
            to=user.email,
            template=DIGEST_TEMPLATE,
            context={
                "name": user.first_name,
                "alerts": [
                    {
                        "alert": a,
                        "url": settings.SITE_URL
                        + reverse("support:case_detail", kwargs={"case_id": a.case_id}),
                        "own": a.case.owner_id == user.pk,
                    }
                    for a in unique
                ],
            },
        )
        sent += 1
    StaleCaseAlert.objects.filter(firm=firm, pk__in=[a.pk for a in alerts]).update(
        digest_sent_at=now
    )
    return sent


def case_view_log(*, firm: Firm, viewer: User, case: Case, now: datetime) -> None:
    """Record that ``viewer`` opened a High or Urgent case's page (I14).

    Cases at a lower level are not logged. A plain insert: the page view
    itself is the only thing that happened, so it has no history entry.
    """
    level = case.support.concern_level
    if case.firm_id != firm.pk or level not in WATCHED_LEVELS:
        return
    CaseView.objects.create(
        firm=firm, case=case, viewer=viewer, concern_level=level, viewed_at=now
    )
