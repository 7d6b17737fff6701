"""Referrals out (SPEC I12): consent to share, the partner's link, its answers."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm.contacts.tests.factories import ContactFactory
from crm.core.exceptions import ApplicationError
from crm.firms.tests.factories import MembershipFactory
from crm.interactions.choices import InteractionKind
from crm.interactions.models import Interaction
from crm.support import services
from crm.support.choices import PartnerAction, ReferralOutStatus
from crm.support.models import ReferralOut, ReferralOutUpdate
from crm.support.tests.factories import (
    make_item,
    make_link,
    make_referral_out,
    make_support_case,
    referral_out_data,
)

pytestmark = pytest.mark.django_db


def form_key(html):
    found = re.search(r'name="key" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def partner_url(token):
    return reverse("support_links:partner", kwargs={"token": token})


def refer_post(user_id, **overrides):
    data = {
        "shared_name": "Ada L.",
        "shared_need": "Food parcels",
        "message": "Mornings are best.",
        "consent_purpose": "So the food bank can deliver parcels",
        "consent_date": timezone.localdate().isoformat(),
        "consent_taken_by": str(user_id),
        "consent_method": "written",
    }
    return {**data, **overrides}


@pytest.fixture
def case(support_firm, ada, sup_owner):
    case = make_support_case(support_firm, beneficiary=ada, manager=sup_owner.user)
    make_item(case, text="Food for the family")
    return case


@pytest.fixture
def service(case):
    partner = ContactFactory(
        firm=case.firm,
        first_name="Riverside",
        last_name="Food Bank",
        email="help@riverside.example",
    )
    return services.service_link(
        firm=case.firm, actor=case.owner, case=case, contact=partner, role="Food bank"
    )


def test_refer_needs_recorded_consent_and_keeps_what_was_typed(
    sup_client, sup_owner, service
):
    """SPEC I12: without the consent's purpose nothing is sent; the form says why."""
    url = reverse("support:referral_out_create", kwargs={"link_id": service.pk})
    page = sup_client.get(url).content.decode()
    assert "Consent to share" in page
    assert "Food for the family" in page  # the case's needs, offered to share

    response = sup_client.post(
        url, refer_post(sup_owner.user_id, consent_purpose="", message="Kept text")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "agreed their details may be shared for" in html
    assert "Kept text" in html
    assert not ReferralOut.objects.filter(firm=service.firm).exists()


def test_refer_records_consent_emails_the_partner_and_shows_sent(
    sup_client, sup_owner, service, django_capture_on_commit_callbacks
):
    """SPEC I12: the consent is stored and shown; the partner is e-mailed a link."""
    url = reverse("support:referral_out_create", kwargs={"link_id": service.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = sup_client.post(url, refer_post(sup_owner.user_id))

    assert response.status_code == 302
    referral = ReferralOut.objects.get(firm=service.firm)
    assert referral.consent_method == "written"
    assert referral.consent_taken_by == sup_owner.user
    assert referral.state == ReferralOutStatus.SENT
    message = mail.outbox[-1]
    assert message.to == ["help@riverside.example"]
    assert "/partner/" in message.body
    page = sup_client.get(service.case.get_absolute_url()).content.decode()
    assert "Referrals out" in page
    assert "So the food bank can deliver parcels" in page
    assert "Written" in page
    assert "Referred to Riverside Food Bank" in page  # History


def test_partner_page_shows_only_what_was_shared(case, service, ada):
    """SPEC I12: the partner sees the name, need and message, nothing else."""
    _referral, token = services.referral_out_create(
        firm=case.firm,
        actor=case.owner,
        service=service,
        data=referral_out_data(case, shared_name="A. L.", shared_need="Food"),
    )

    html = Client().get(partner_url(token)).content.decode()

    assert "A. L." in html
    assert "Best reached in the mornings." in html
    for secret in (ada.email, ada.last_name, case.title, case.reference, "Food bank"):
        assert secret not in html


def test_partner_accepts_and_posts_updates_as_touchpoints(sup_client, case, service):
    """SPEC I12: accept and updates land on the case as touchpoints, with state."""
    referral, token = make_referral_out(case, service=service)
    public = Client()
    page = public.get(partner_url(token)).content.decode()
    key = form_key(page)

    accepted = public.post(
        partner_url(token),
        {"action": "accept", "key": key, "text": "Can see her Monday"},
    )
    assert accepted.status_code == 302
    page = public.get(partner_url(token)).content.decode()
    assert "you accepted the referral" in page
    new_key = form_key(page)
    updated = public.post(
        partner_url(token), {"action": "update", "key": new_key, "text": "Parcel sent"}
    )
    assert updated.status_code == 302

    referral.refresh_from_db()
    assert referral.status == ReferralOutStatus.ACCEPTED
    touchpoints = Interaction.objects.filter(
        firm=case.firm, case=case, kind=InteractionKind.TOUCHPOINT
    )
    notes = {t.notes for t in touchpoints}
    assert "Referral accepted by the partner: Can see her Monday" in notes
    assert "Update from the partner: Parcel sent" in notes
    html = sup_client.get(case.get_absolute_url()).content.decode()
    assert "Accepted" in html
    assert "Parcel sent" in html
    assert "Referral accepted by Riverside Food Bank" in html  # History
    assert "through their referral link" in html


def test_a_form_sent_twice_is_refused_with_a_clear_page(case, service):
    """SPEC I12: each action's form works once; a resend gets 409 and writes nothing."""
    referral, token = make_referral_out(case, service=service)
    post = {"action": "accept", "key": referral.action_key, "text": "Yes"}
    public = Client()
    assert public.post(partner_url(token), post).status_code == 302

    again = public.post(partner_url(token), post)

    assert again.status_code == 409
    assert "already sent" in again.content.decode()
    assert ReferralOutUpdate.objects.filter(firm=case.firm).count() == 1


def test_an_empty_update_is_refused_and_nothing_lost(case, service):
    """An update needs text; the page says so and keeps the form usable."""
    referral, token = make_referral_out(case, service=service)
    services.referral_out_respond(
        firm=case.firm,
        referral=referral,
        action=PartnerAction.ACCEPT,
        key=referral.action_key,
    )

    response = Client().post(
        partner_url(token),
        {"action": "update", "key": referral.action_key, "text": " "},
    )

    assert response.status_code == 400
    assert "Write your update." in response.content.decode()


def test_a_declined_link_no_longer_opens_and_says_why(sup_client, case, service):
    """SPEC I12: after a decline the link answers 410 with the reason."""
    referral, token = make_referral_out(case, service=service)
    Client().post(
        partner_url(token),
        {"action": "decline", "key": referral.action_key, "text": "No capacity"},
    )

    response = Client().get(partner_url(token))

    assert response.status_code == 410
    assert "You declined this referral" in response.content.decode()
    html = sup_client.get(case.get_absolute_url()).content.decode()
    assert "Declined" in html
    assert "No capacity" in html


def test_an_expired_link_says_so_and_the_case_shows_expired(
    login, sup_owner, case, service, time_machine
):
    """SPEC I12: an unanswered link expires after 14 days: 410 page, state Expired."""
    _referral, token = make_referral_out(case, service=service)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=15))

    response = Client().get(partner_url(token))

    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    html = login(sup_owner).get(case.get_absolute_url()).content.decode()
    assert "Expired" in html
    assert "unanswered" in html


def test_an_unknown_link_explains_itself(support_firm):
    """A made-up token is a 404 with a page that says what happened."""
    response = Client().get(partner_url("no-such-token"))

    assert response.status_code == 404
    assert "link" in response.content.decode().lower()


def test_a_closed_case_closes_the_link(case, service):
    """Once the case is closed the partner's link says so (410)."""
    _referral, token = make_referral_out(case, service=service)
    services.support_case_close(firm=case.firm, actor=case.owner, case=case)

    response = Client().get(partner_url(token))

    assert response.status_code == 410
    assert "closed" in response.content.decode()


def test_refer_refuses_bad_consent_and_partners_without_email(case, service):
    """The service refuses a future date, a non-member, no e-mail and a duplicate."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ApplicationError, match="future"):
        services.referral_out_create(
            firm=case.firm,
            actor=case.owner,
            service=service,
            data=referral_out_data(case, consent_date=tomorrow),
        )
    stranger = MembershipFactory().user
    with pytest.raises(ApplicationError, match="took the consent"):
        services.referral_out_create(
            firm=case.firm,
            actor=case.owner,
            service=service,
            data=referral_out_data(case, consent_taken_by=stranger),
        )
    no_email = make_link(case, role="Solicitor")
    no_email.contact.email = ""
    no_email.contact.save(update_fields=["email"])
    with pytest.raises(ApplicationError, match="no e-mail address"):
        services.referral_out_create(
            firm=case.firm,
            actor=case.owner,
            service=no_email,
            data=referral_out_data(case),
        )
    make_referral_out(case, service=service)
    with pytest.raises(ApplicationError, match="already has a referral"):
        make_referral_out(case, service=service)


def test_read_only_members_cannot_refer(login, support_firm, service):
    """Referring needs the edit-cases permission."""
    from crm.firms.choices import Role

    client = login(MembershipFactory(firm=support_firm, role=Role.READ_ONLY))
    url = reverse("support:referral_out_create", kwargs={"link_id": service.pk})

    assert client.get(url).status_code == 403
