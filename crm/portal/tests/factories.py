"""Factories for portal accounts and the action log; the client test login."""

from typing import Any

import factory
from django.test import Client

from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core import principals
from crm.core.testing import principals as principal_logins
from crm.core.testing.isolation import register
from crm.firms.models import Firm
from crm.portal.choices import ActionKind
from crm.portal.models import PortalAccount, RequestedAction
from crm.portal.principals import session_login

PORTAL_PASSWORD = "a-client-passphrase"


class PortalAccountFactory(factory.django.DjangoModelFactory[PortalAccount]):
    class Meta:
        model = PortalAccount
        skip_postgeneration_save = True

    contact = factory.SubFactory(ContactFactory)
    firm = factory.SelfAttribute("contact.firm")
    email = factory.LazyAttribute(
        lambda o: o.contact.email or f"c{o.contact.pk}@example.com"
    )
    password = factory.PostGenerationMethodCall("set_password", PORTAL_PASSWORD)

    @factory.post_generation
    def _save(obj: PortalAccount, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def make_action(
    firm: Firm, *, case: Any = None, contact: Any = None, **extra: Any
) -> RequestedAction:
    """Create an action on a case in ``firm`` (a new case and client by default)."""
    case = case or make_case(firm)
    contact = contact or case.applicants.first().contact
    extra.setdefault("kind", ActionKind.CREDIT_CONSENT)
    return RequestedAction.objects.create(
        firm=firm, case=case, contact=contact, **extra
    )


def client_for(account: PortalAccount) -> Client:
    """Return a test client logged in to the portal as ``account``."""
    client = Client()
    session = client.session
    session_login(session, account)
    session.save()
    client.cookies["sessionid"] = session.session_key  # type: ignore[assignment]  # the cookie jar takes a str
    return client


@principal_logins.register(principals.CLIENT, namespaces=frozenset({"portal"}))
def login_client(firm: Firm) -> Client:
    """Return a client logged in to the portal as a new client of ``firm``."""
    return client_for(PortalAccountFactory(contact=ContactFactory(firm=firm)))


register("portal:case_id")(lambda firm: make_case(firm))
register("portal:action_id")(lambda firm: make_action(firm, kind=ActionKind.FACT_FIND))
register("actionlog:case_id")(lambda firm: make_case(firm))
register("actionlog:action_id")(lambda firm: make_action(firm))


def _case_client(firm: Firm) -> Any:
    return make_case(firm).applicants.select_related("contact").get().contact


register("actionlog:contact_id")(_case_client)
