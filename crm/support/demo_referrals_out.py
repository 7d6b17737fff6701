"""Demo referrals out in each state: Sent, Accepted, Declined, Expired (I12).

Runs after the support cases demo, on the charity's open cases that have an
external service with an e-mail address; written through the services at
the time each step happened, so the touchpoints, history and audit agree.
Idempotent: a firm that already has referrals out is left alone.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from django.utils import timezone

from crm.firms.demo import SUPPORT_FIRM
from crm.firms.models import Firm, User
from crm.support import services
from crm.support.choices import ConsentMethod, PartnerAction, SupportKind
from crm.support.models import ExternalService, ReferralOut
from crm.support.services.cases import beneficiary_of

OWNER = "grace.mensah@bridge.example"
# (the service's role, days ago sent, consent method, what to share, the
# message, then the partner's answers as (days ago, action, text)).
STORIES = (
    (
        "Food bank",
        21,
        ConsentMethod.WRITTEN,
        "Help with a food parcel each week while benefits are sorted out.",
        "Two children at home; mornings are best to call.",
        (
            (19, PartnerAction.ACCEPT, "Happy to help. Parcel booked for Thursday."),
            (12, PartnerAction.UPDATE, "First parcel collected; next one next week."),
            (4, PartnerAction.UPDATE, "Referred on to our benefits drop-in too."),
        ),
    ),
    (
        "Solicitor",
        13,
        ConsentMethod.VERBAL,
        "Advice on a possession claim; hearing date not yet set.",
        "",
        ((12, PartnerAction.DECLINE, "Outside our area, sorry: try Citywide Advice."),),
    ),
    (
        "GP",
        30,
        ConsentMethod.EMAIL,
        "A GP review of medication and sleep.",
        "She asked for a female GP if possible.",
        (),
    ),
    (
        "Housing officer",
        2,
        ConsentMethod.VERBAL,
        "Support to find a stable tenancy.",
        "",
        (),
    ),
)


@contextmanager
def _at(when: datetime) -> Iterator[None]:
    with mock.patch.object(timezone, "now", return_value=when):
        yield


def seed(firms: dict[str, Firm]) -> None:
    """Add one referral out in each state on the charity's open cases, once."""
    firm = firms[SUPPORT_FIRM]
    owner = User.objects.filter(email=OWNER).first()
    if owner is None or ReferralOut.objects.filter(firm=firm).exists():
        return
    links = list(
        ExternalService.objects.filter(
            firm=firm, case__kind=SupportKind.SUPPORT, case__is_open=True
        )
        .exclude(contact__email="")
        .select_related("case", "contact", "case__owner")
        .order_by("case_id", "id")
    )
    now = timezone.now()
    used: set[int] = set()
    for role, sent, method, need, message, answers in STORIES:
        link = next(
            (x for x in links if x.role == role and x.case_id not in used), None
        )
        if link is None:
            continue
        used.add(link.case_id)
        manager = link.case.owner or owner
        with _at(now - timedelta(days=sent)):
            referral, _token = services.referral_out_create(
                firm=firm,
                actor=manager,
                service=link,
                data=services.ReferralOutData(
                    shared_name=beneficiary_of(link.case).display_name,
                    shared_need=need,
                    message=message,
                    consent_purpose=f"So {link.contact.display_name} can help with "
                    f"{need[0].lower()}{need[1:].rstrip('.')}",
                    consent_date=(now - timedelta(days=sent + 1)).date(),
                    consent_taken_by=manager,
                    consent_method=method,
                ),
            )
        for days, action, text in answers:
            with _at(now - timedelta(days=days)):
                services.referral_out_respond(
                    firm=firm,
                    referral=referral,
                    action=action,
                    key=referral.action_key,
                    text=text,
                )
