"""Background jobs of the support module (SPEC I14).

The scheduled entries (registered in ``apps.py``) enqueue one job per firm
with the Support module; each job enters its firm's scope and calls one service.
"""

from datetime import timedelta

from django.utils import timezone
from django_scopes import scope
from django_tasks import task

from crm.firms.models import Firm
from crm.support.services import safeguarding

STALE_CHECK_EVERY = timedelta(hours=1)
DIGEST_EVERY = timedelta(days=1)


@task()
def stale_cases_job(*, firm_id: int) -> int:
    """Raise and clear the firm's stale-case alerts; return how many were raised."""
    with scope(firm=firm_id):
        firm = Firm.objects.get(pk=firm_id)
        return len(safeguarding.stale_cases_check(firm=firm, now=timezone.now()))


@task()
def stale_digest_job(*, firm_id: int) -> int:
    """Check the firm's cases, then e-mail the daily digest of new alerts."""
    with scope(firm=firm_id):
        firm = Firm.objects.get(pk=firm_id)
        now = timezone.now()
        safeguarding.stale_cases_check(firm=firm, now=now)
        return safeguarding.stale_digest_send(firm=firm, now=now)


def _support_firm_ids() -> list[int]:
    return list(
        Firm.objects.filter(has_support=True, stale_case_days__gt=0).values_list(
            "pk", flat=True
        )
    )


def enqueue_stale_checks() -> None:
    """Queue a stale-case check for every firm with the alert on (hourly)."""
    for firm_id in _support_firm_ids():
        stale_cases_job.enqueue(firm_id=firm_id)


def enqueue_stale_digests() -> None:
    """Queue the daily safeguarding digest for every firm with the alert on."""
    for firm_id in _support_firm_ids():
        stale_digest_job.enqueue(firm_id=firm_id)
