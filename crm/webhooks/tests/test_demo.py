"""The webhooks demo: one endpoint with delivered deliveries and a failed one."""

import pytest

from crm.cases.tests.factories import make_case
from crm.core.outbox.choices import OutboxMessageStatus
from crm.firms.demo import ADVICE_FIRM
from crm.webhooks import demo
from crm.webhooks.models import WebhookDelivery, WebhookEndpoint


@pytest.mark.django_db
def test_demo_endpoint_has_a_log_with_one_failure_once(firm):
    """SPEC K3: the advice demo firm's endpoint shows 3 delivered and 1 failed."""
    for _ in range(4):
        make_case(firm)
    demo.seed({ADVICE_FIRM: firm})
    demo.seed({ADVICE_FIRM: firm})
    endpoint = WebhookEndpoint.objects.get(firm=firm)
    assert endpoint.url == demo.URL
    statuses = sorted(
        WebhookDelivery.objects.filter(endpoint=endpoint).values_list(
            "message__status", flat=True
        )
    )
    assert statuses == [OutboxMessageStatus.DELIVERED] * 3 + [
        OutboxMessageStatus.FAILED
    ]
