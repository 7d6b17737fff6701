"""Factories for audit events, stored mail and outbox messages."""

import factory

from crm.core import auditchain
from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent, DeliveryAttempt, OutboxMessage, StoredEmail
from crm.core.testing.isolation import register
from crm.firms.models import Firm
from crm.firms.tests.factories import FirmFactory


class AuditEventFactory(factory.django.DjangoModelFactory[AuditEvent]):
    class Meta:
        model = AuditEvent

    firm = factory.SubFactory(FirmFactory)
    verb = AuditVerb.UPDATE
    object_type = "firms.branch"
    object_id = "1"
    object_repr = "Branch"

    @classmethod
    def _create(cls, model_class: type[AuditEvent], *args, **kwargs) -> AuditEvent:
        # Rows join the hash chain as the event pipeline writes them (A7).
        return auditchain.seal(model_class(**kwargs))


class StoredEmailFactory(factory.django.DjangoModelFactory[StoredEmail]):
    class Meta:
        model = StoredEmail

    firm = factory.SubFactory(FirmFactory)
    recipient = factory.Sequence(lambda n: f"someone{n}@example.com")
    from_email = "noreply@example.com"
    subject = "Hello"
    body = "Visit http://testserver/ now."


def _mail_for_owner(firm: Firm) -> StoredEmail:
    """Mail sent by the firm's owner (the isolation tests log in as the owner)."""
    from crm.firms.models import Membership

    owner = Membership.objects.filter(firm=firm, role="owner").first()
    return StoredEmailFactory(firm=firm, actor=owner.user if owner else None)


register("mail_id")(_mail_for_owner)


class OutboxMessageFactory(factory.django.DjangoModelFactory[OutboxMessage]):
    class Meta:
        model = OutboxMessage

    firm = factory.SubFactory(FirmFactory)
    topic = "test.echo"
    payload = factory.LazyFunction(lambda: {"hello": "world"})
    idempotency_key = factory.Sequence(lambda n: f"key-{n}")


class DeliveryAttemptFactory(factory.django.DjangoModelFactory[DeliveryAttempt]):
    class Meta:
        model = DeliveryAttempt

    message = factory.SubFactory(OutboxMessageFactory)
    firm = factory.SelfAttribute("message.firm")
    outcome = "delivered"
    status_code = 200
