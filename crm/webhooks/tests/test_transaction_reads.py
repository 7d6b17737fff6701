"""A transaction reads the firm's webhook endpoints once (bench notes 42)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.core.events import RecordedEvent
from crm.webhooks import services
from crm.webhooks.models import WebhookDelivery
from crm.webhooks.tests.factories import make_endpoint

pytestmark = pytest.mark.django_db


def _created(firm, n):
    return RecordedEvent(
        firm_id=firm.pk,
        subject="case",
        subject_id=str(n),
        type="created",
        params={},
        changes={},
        actor_id=None,
    )


def test_a_second_event_of_a_transaction_reads_no_endpoints_again(firm):
    """SPEC K3: a lead's conversion records two offered events; the second
    queues from the endpoints the first read (this test is one transaction)."""
    endpoint = make_endpoint(firm, event_types=["case.created"])
    with CaptureQueriesContext(connection) as first:
        services.event_enqueue(_created(firm, 1), None)
    with CaptureQueriesContext(connection) as second:
        services.event_enqueue(_created(firm, 2), None)
    assert len(second) == len(first) - 1
    assert "webhooks_webhookendpoint" not in " ".join(q["sql"] for q in second)
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2


def test_an_endpoint_saved_in_the_transaction_is_read_again(firm):
    """A new or paused endpoint counts from the next event on: saving one
    forgets what the transaction read."""
    first = make_endpoint(firm, event_types=["case.created"])
    services.event_enqueue(_created(firm, 1), None)
    second = make_endpoint(firm, name="Second", event_types=["case.created"])
    services.event_enqueue(_created(firm, 2), None)
    first.is_active = False
    first.save()
    services.event_enqueue(_created(firm, 3), None)
    # The first endpoint heard events 1 and 2; the second, 2 and 3.
    deliveries = WebhookDelivery.objects.filter(firm=firm)
    assert deliveries.filter(endpoint=first).count() == 2
    assert deliveries.filter(endpoint=second).count() == 2
