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
        "Housing officer",
        21,
        ConsentMethod.WRITTEN,
        "Help to keep their tenancy: rent arrears of about £900.",
        "Two children at home; mornings are best to call.",
        (
            (19, PartnerAction.ACCEPT, "We can see them at our Tuesday surgery."),
            (12, PartnerAction.UPDATE, "Payment plan agreed with the rent team."),
            (4, PartnerAction.UPDATE, "Arrears down to £400; next review in a month."),
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
        "They would like a longer appointment if possible.",
        (),
    ),
    (
        "Food bank",
        2,
        ConsentMethod.VERBAL,
        "A food parcel each week while benefits are sorted out.",
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
        .select_related("case", "case__support", "contact", "case__owner")
        .order_by("case_id", "id")
    )
    now = timezone.now()
    used: set[int] = set()
    for role, sent, method, need, message, answers in STORIES:
        sent_on = (now - timedelta(days=sent)).date()
        eligible = [
            x
            for x in links
            if x.case_id not in used
            and x.case.support.start_date is not None
            and x.case.support.start_date < sent_on
        ]
        # A service in the story's role if a case has one, else any.
        link = next((x for x in eligible if x.role == role), None) or next(
            iter(eligible), None
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
                    consent_purpose=f"So {link.contact.display_name} can contact "
                    "them and offer help",
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
