"""Referrals in (I11): the public form, its spam guards, the queue, accept, decline."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from crm.contacts.models import Contact
from crm.contacts.tests.factories import ContactFactory
from crm.core.exceptions import ApplicationError
from crm.support import services
from crm.support.choices import ConcernLevel, ItemKind, ReferralStatus
from crm.support.models import Referral, SupportItem
from crm.support.tests.factories import make_pathway, make_referral

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def form_url(firm):
    key = services.referral_form_for(firm=firm).key
    return reverse("support_links:referral_form", kwargs={"key": key})


def posted(**overrides):
    data = {
        "referrer_kind": "professional",
        "referrer_name": "Sam Okafor",
        "referrer_organisation": "Easton GP",
        "referrer_email": "sam@gp.example",
        "first_name": "Lena",
        "last_name": "Marsh",
        "email": "lena@example.org",
        "needs": "Facing eviction\nNo food this week",
        "urgency": "urgent",
        "consent_to_contact": "on",
    }
    return {**data, **overrides}


def test_public_form_lands_in_the_new_queue(support_firm):
    """A professional's referral is saved with its needs, urgency and pathway."""
    pathway = make_pathway(support_firm, "Housing Support")
    response = Client().post(form_url(support_firm), posted(pathway=pathway.pk))

    assert response.status_code == 302
    referral = Referral.objects.get(firm=support_firm)
    assert referral.status == ReferralStatus.NEW
    assert referral.pathway == pathway
    assert referral.reply_to == "sam@gp.example"


def test_bad_input_keeps_what_was_typed(support_firm):
    """Without consent nothing is saved; the form says why and keeps the text."""
    response = Client().post(form_url(support_firm), posted(consent_to_contact=""))

    html = response.content.decode()
    assert response.status_code == 400
    assert "agrees to be contacted" in html
    assert "Facing eviction" in html
    assert 'value="Lena"' in html
    assert not Referral.objects.filter(firm=support_firm).exists()


def test_honeypot_pretends_success_and_saves_nothing(support_firm):
    """A filled-in honeypot gets the thank-you page and no referral."""
    response = Client().post(form_url(support_firm), posted(website="http://spam"))

    assert response.status_code == 302
    assert not Referral.objects.filter(firm=support_firm).exists()


def test_a_thousand_rapid_posts_hold_the_rate_limit(support_firm):
    """From one address only the first few land; the rest get 429, never a 500."""
    client = Client(REMOTE_ADDR="203.0.113.9")
    url = form_url(support_firm)
    statuses = [client.post(url, posted()).status_code for _ in range(1000)]

    assert set(statuses) == {302, 429}
    assert statuses.count(302) == 5
    assert Referral.objects.filter(firm=support_firm).count() == 5
    assert Client(REMOTE_ADDR="203.0.113.10").post(url, posted()).status_code == 302
    refused = client.post(url, posted())
    assert "Nothing you typed is lost" in refused.content.decode()
    assert "Facing eviction" in refused.content.decode()


def test_accept_opens_a_case_with_needs_and_tells_the_referrer(
    support_firm, sup_owner, django_capture_on_commit_callbacks
):
    """Accept creates the contact, a case with the needs, and e-mails the referrer."""
    referral = make_referral(
        support_firm,
        referrer_kind="professional",
        referrer_name="Sam",
        referrer_email="sam@gp.example",
        urgency="urgent",
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = services.referral_accept(
            firm=support_firm,
            actor=sup_owner.user,
            referral=referral,
            case_manager=sup_owner.user,
        )

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.case == case
    assert case.support.concern_level == ConcernLevel.HIGH
    needs = SupportItem.objects.filter(case=case, kind=ItemKind.NEED)
    assert [n.text for n in needs] == ["Rent arrears", "Help with a benefits claim"]
    assert mail.outbox[-1].to == ["sam@gp.example"]
    assert "accepted" in mail.outbox[-1].subject
    with pytest.raises(ApplicationError, match="already accepted"):
        services.referral_decline(
            firm=support_firm, actor=sup_owner.user, referral=referral, reason="x"
        )


def test_accept_asks_about_a_duplicate_then_uses_the_chosen_contact(
    sup_client, support_firm, sup_owner
):
    """A matching e-mail shows the duplicate to choose; choosing it opens the case."""
    existing = ContactFactory(
        firm=support_firm, first_name="Rosa", email="rosa@example.org"
    )
    referral = make_referral(support_firm)
    url = reverse("support:referral_accept", kwargs={"referral_id": referral.pk})

    asked = sup_client.post(url, {"case_manager": sup_owner.user.pk})
    assert asked.status_code == 409
    assert "already exists" in asked.content.decode()

    done = sup_client.post(
        url, {"case_manager": sup_owner.user.pk, "contact": existing.pk}
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.contact == existing
    assert (
        Contact.objects.filter(firm=support_firm, email="rosa@example.org").count() == 1
    )


def test_decline_needs_a_reason_and_emails_it(
    sup_client, support_firm, django_capture_on_commit_callbacks
):
    """An empty reason is refused on the page; a reason is sent to the referrer."""
    referral = make_referral(support_firm)
    url = reverse("support:referral_decline", kwargs={"referral_id": referral.pk})

    assert sup_client.post(url, {"reason": " "}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = sup_client.post(url, {"reason": "Outside our area."})

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert mail.outbox[-1].to == ["rosa@example.org"]
    assert "Outside our area." in mail.outbox[-1].body


@pytest.mark.parametrize("n", [3, 6])
def test_queue_uses_constant_queries(
    sup_client, support_firm, n, django_assert_num_queries
):
    """The New tab runs the same queries for 3 or 6 referrals."""
    services.referral_form_for(firm=support_firm)
    for _ in range(n):
        make_referral(support_firm, pathway=make_pathway(support_firm))
    # session, user with memberships; the page of referrals; the form's key
    with django_assert_num_queries(4):
        response = sup_client.get(reverse("support:referral_list"))
    assert response.status_code == 200
    assert response.content.decode().count("Review<span") == n


def test_queue_empty_state_and_tabs(sup_client, support_firm):
    """Each tab says what it would hold when empty."""
    html = sup_client.get(reverse("support:referral_list")).content.decode()
    assert "No new referrals" in html
    html = sup_client.get(reverse("support:referral_list"), {"tab": "declined"})
    assert "No declined referrals" in html.content.decode()
