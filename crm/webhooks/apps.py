from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed outbound webhooks: endpoints, deliveries and their log (SPEC K3)."""

    name = "crm.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from crm.core import audit, demo, events, nav
        from crm.core.outbox.registry import register_handler
        from crm.core.permissions import Perm
        from crm.webhooks import delivery, services
        from crm.webhooks import demo as webhooks_demo

        audit.name_records(
            {
                "webhooks.webhookendpoint": "Webhook endpoint",
                "webhooks.webhookdelivery": "Webhook delivery",
            }
        )
        events.register_writer(services.event_enqueue, many=services.events_enqueue)
        register_handler(
            delivery.TOPIC, delivery.deliver, on_outcome=delivery.on_outcome
        )
        nav.register(
            nav.SETTINGS,
            nav.NavItem(
                "Webhooks",
                "webhooks:endpoint_list",
                order=76,
                perm=Perm.MANAGE_FIRM,
            ),
        )
        demo.register(webhooks_demo.seed)
