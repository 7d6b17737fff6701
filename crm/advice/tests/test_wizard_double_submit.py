"""Create Case pressed twice, one after the other or at once (A10)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from crm.advice.choices import AdviceStatus
from crm.advice.models import WizardDraft
from crm.advice.tests.test_wizard_views import MORTGAGE, new_client, post, walk
from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core.middleware import SESSION_FIRM_KEY


def test_a_second_create_case_post_goes_to_the_first_case(
    db, firm, adviser, adviser_client
):
    """The draft is spent by the first post; the second creates nothing."""
    first = walk(adviser_client, adviser, main=new_client())
    case = Case.objects.get(firm=firm)
    assert first.url == reverse("advice:wizard_done", args=[case.pk])
    adviser_data = {"owner": adviser.user_id, "status": AdviceStatus.CALL_BACK}
    second = post(adviser_client, "adviser", adviser_data)
    assert second.status_code == 302
    assert Case.objects.filter(firm=firm).count() == 1
    assert Contact.objects.filter(firm=firm).count() == 1
    assert not WizardDraft.objects.filter(user=adviser.user).exists()


@pytest.mark.django_db(transaction=True)
def test_five_create_case_posts_at_once_make_one_case(firm, adviser):
    """Five parallel posts of the last step: one case, one client, no error."""
    if connection.vendor == "sqlite":
        pytest.skip("threads share SQLite's in-memory test database badly")
    client = Client()
    client.force_login(adviser.user)
    session = client.session
    session[SESSION_FIRM_KEY] = firm.pk
    session.save()
    client.get(reverse("advice:wizard_start"))
    post(client, "product", MORTGAGE)
    post(client, "main", new_client())
    post(client, "introducer", {})
    data = {"owner": adviser.user_id, "status": AdviceStatus.CALL_BACK}
    statuses: list[int] = []
    barrier = threading.Barrier(5)

    def press() -> None:
        try:
            barrier.wait()
            statuses.append(post(client, "adviser", data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 5
    assert Case.objects.filter(firm=firm).count() == 1
    assert Contact.objects.filter(firm=firm).count() == 1
