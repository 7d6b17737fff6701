"""Factories of the API app, its isolation factories and its test login."""

from typing import Any

import factory
from django.test import Client

from crm.advice.tests.factories import make_fact_find_row
from crm.api import services
from crm.api.choices import TokenScope
from crm.api.models import ApiToken
from crm.cases.tests.factories import make_case
from crm.concerthub.tests.factories import make_submission
from crm.core import principals
from crm.core.testing import principals as principal_logins
from crm.core.testing.isolation import register
from crm.firms.choices import Role
from crm.firms.models import Firm, Membership
from crm.firms.tests.factories import MembershipFactory
from crm.protection.tests.factories import make_policy, protection_case
from crm.support.choices import ItemKind
from crm.support.tests.factories import (
    make_item,
    make_link,
    make_plan,
    make_referral,
    make_support_case,
)


def make_token(
    membership: Membership, *, scope: str = TokenScope.READ_WRITE, name: str = "Sync"
) -> tuple[ApiToken, str]:
    """Return a token acting as ``membership`` and its key, made by the service."""
    owner = MembershipFactory(firm=membership.firm, role=Role.OWNER)
    return services.token_create(
        firm=membership.firm,
        actor=owner.user,
        actor_membership=owner,
        name=name,
        membership=membership,
        scope=scope,
    )


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    membership = factory.SubFactory(MembershipFactory)
    firm = factory.SelfAttribute("membership.firm")
    name = factory.Sequence(lambda n: f"Token {n}")
    scope = TokenScope.READ
    prefix = factory.Sequence(lambda n: f"cw_{n:07d}")
    key_hash = factory.Sequence(lambda n: f"{n:064x}")


def api_client(key: str, **defaults: Any) -> Client:
    """Return a test client that sends ``key`` as its bearer token."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", **defaults)


register("token_id")(lambda firm: ApiTokenFactory(membership__firm=firm))
# Path ids of the API that name one kind of case, or another app's rows.
register("api:mortgage_case_id")(lambda firm: make_case(firm))
register("api:protection_case_id")(lambda firm: protection_case(firm, complete=False))
register("api:support_case_id")(lambda firm: make_support_case(firm))
register("api:policy_id")(
    lambda firm: make_policy(protection_case(firm, complete=False))
)
register("api:submission_id")(make_submission)
register("api:address_id")(lambda firm: make_fact_find_row(firm, "addresses"))
register("api:commitment_id")(lambda firm: make_fact_find_row(firm, "commitments"))
register("api:existing_policy_id")(lambda firm: make_fact_find_row(firm, "policies"))


@principal_logins.register(principals.API, namespaces=frozenset({"api"}))
def login_token(firm: Firm) -> Client:
    """Return a client using a read-write token of a new owner of ``firm``."""
    _token, key = make_token(MembershipFactory(firm=firm, role=Role.OWNER))
    return api_client(key)


register("api:need_id")(lambda firm: make_item(make_support_case(firm)))
register("api:outcome_id")(
    lambda firm: make_item(make_support_case(firm), kind=ItemKind.OUTCOME)
)
register("api:planned_support_id")(lambda firm: make_plan(make_support_case(firm)))
register("api:external_service_id")(lambda firm: make_link(make_support_case(firm)))
register("api:referral_id")(lambda firm: make_referral(firm))
