"""The Webhooks pages of Settings (SPEC K3)."""

import pytest
from django.urls import reverse

from crm.core.outbox.choices import OutboxMessageStatus
from crm.core.outbox.models import OutboxMessage
from crm.webhooks import services
from crm.webhooks.models import WebhookDelivery, WebhookEndpoint
from crm.webhooks.tests.factories import make_endpoint

LIST = reverse("webhooks:endpoint_list")
PUBLIC = "https://93.184.215.14/casework"


def detail(endpoint):
    return reverse("webhooks:endpoint_detail", args=[endpoint.pk])


@pytest.mark.django_db
def test_list_empty_state(owner_client):
    """SPEC K3: an empty list says what to do."""
    response = owner_client.get(LIST)
    assert response.status_code == 200
    assert "No endpoints yet" in response.content.decode()


@pytest.mark.django_db
def test_register_shows_secret_once(owner_client, firm):
    """SPEC K3: the secret is on the page that registers the endpoint, never again."""
    response = owner_client.post(
        LIST,
        {
            "name": "Tracker",
            "url": PUBLIC,
            "event_types": ["case.created", "submission.failed"],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get(firm=firm)
    page = response.content.decode()
    assert endpoint.secret in page
    assert endpoint.event_types == ["case.created", "submission.failed"]
    assert endpoint.secret not in owner_client.get(LIST).content.decode()
    assert endpoint.secret not in owner_client.get(detail(endpoint)).content.decode()


@pytest.mark.django_db
def test_bad_url_keeps_the_input_and_says_why(owner_client, firm):
    """SPEC K3: a refused URL is a message on the field, the typed values kept."""
    response = owner_client.post(
        LIST,
        {
            "name": "Tracker",
            "url": "http://hooks.example.com/x",
            "event_types": ["case.created"],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Plain http:// is allowed only to localhost" in page
    assert 'value="http://hooks.example.com/x"' in page
    assert not WebhookEndpoint.objects.filter(firm=firm).exists()


@pytest.mark.django_db
def test_edit_pauses(owner_client, firm):
    """SPEC K3: the edit page pauses an endpoint."""
    endpoint = make_endpoint(firm, url=PUBLIC)
    url = reverse("webhooks:endpoint_edit", args=[endpoint.pk])
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(
        url, {"name": "Renamed", "url": PUBLIC, "event_types": ["case.closed"]}
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.is_active) == ("Renamed", False)
    assert endpoint.event_types == ["case.closed"]


@pytest.mark.django_db
def test_rotate_shows_the_new_secret(owner_client, firm):
    """SPEC K3: rotating shows the new secret once; the old one is gone."""
    endpoint = make_endpoint(firm)
    old = endpoint.secret
    response = owner_client.post(
        reverse("webhooks:endpoint_rotate_secret", args=[endpoint.pk])
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in response.content.decode()


@pytest.mark.django_db
def test_send_test_and_redrive(owner_client, firm):
    """SPEC K3: "Send test event" queues one; a failed one can be sent again."""
    endpoint = make_endpoint(firm)
    response = owner_client.post(
        reverse("webhooks:endpoint_send_test", args=[endpoint.pk]), follow=True
    )
    assert "A test event is on its way" in response.content.decode()
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.event_type == "webhook.test"
    OutboxMessage.objects.filter(pk=delivery.message_id).update(
        status=OutboxMessageStatus.FAILED
    )
    assert "Send again" in owner_client.get(detail(endpoint)).content.decode()
    redrive = reverse("webhooks:delivery_redrive", args=[delivery.pk])
    response = owner_client.post(redrive, follow=True)
    assert "will be sent again" in response.content.decode()
    response = owner_client.post(redrive, follow=True)
    assert "Only a delivery that failed" in response.content.decode()


@pytest.mark.django_db
def test_failing_endpoint_is_shown_failing(owner_client, firm):
    """SPEC K3: an endpoint failing continuously is marked, not dropped."""
    endpoint = make_endpoint(firm, consecutive_failures=5)
    assert "Failing" in owner_client.get(LIST).content.decode()
    assert "keeps every event" in owner_client.get(detail(endpoint)).content.decode()


@pytest.mark.django_db
def test_members_without_manage_firm_are_refused(adviser_client, firm):
    """SPEC K3: only those who manage the firm see webhooks."""
    endpoint = make_endpoint(firm)
    assert adviser_client.get(LIST).status_code == 403
    assert adviser_client.get(detail(endpoint)).status_code == 403


@pytest.mark.django_db
def test_log_page_query_count_is_constant(
    owner_client, firm, django_assert_num_queries
):
    """SPEC K3, STYLE B9: the delivery log reads a fixed number of queries."""
    endpoint = make_endpoint(firm)
    for _ in range(3):
        services.endpoint_send_test(firm=firm, actor=None, endpoint=endpoint)
    owner_client.get(detail(endpoint))
    with django_assert_num_queries(4):
        response = owner_client.get(detail(endpoint))
    assert response.content.decode().count("Test event") == 3
    for _ in range(3):
        services.endpoint_send_test(firm=firm, actor=None, endpoint=endpoint)
    with django_assert_num_queries(4):
        owner_client.get(detail(endpoint) + "?status=pending")


@pytest.mark.django_db
def test_list_page_query_count_is_constant(
    owner_client, firm, django_assert_num_queries
):
    """SPEC K3, STYLE B9: the endpoint list reads a fixed number of queries."""
    for name in ("A", "B", "C"):
        make_endpoint(firm, name=name)
    owner_client.get(LIST)
    with django_assert_num_queries(3):
        response = owner_client.get(LIST)
    assert response.content.decode().count("hooks.example.com") == 3
