"""Factories for firms, members and the firm's reference lists."""

from datetime import timedelta
from typing import Any

import factory
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from crm.core import principals
from crm.core.middleware import SESSION_FIRM_KEY
from crm.core.testing import principals as principal_logins
from crm.core.testing.isolation import register
from crm.firms.choices import Role
from crm.firms.models import (
    Branch,
    Firm,
    InteractionType,
    Introducer,
    IntroducerBranch,
    Invitation,
    Membership,
    Negotiator,
    TaskCategory,
    User,
)
from crm.firms.selectors.members import token_hash

DEFAULT_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        faker_first = factory.Faker("first_name", locale="en_GB")
        faker_last = factory.Faker("last_name", locale="en_GB")

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    # Without apostrophes, so a test finds the name in escaped HTML as it is.
    first_name = factory.LazyAttribute(lambda o: o.faker_first.replace("'", ""))
    last_name = factory.LazyAttribute(lambda o: o.faker_last.replace("'", ""))
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class FirmFactory(factory.django.DjangoModelFactory[Firm]):
    class Meta:
        model = Firm

    name = factory.Sequence(lambda n: f"Firm {n} Ltd")
    has_advice = True
    has_support = False


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    firm = factory.SubFactory(FirmFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ADVISER


class BranchFactory(factory.django.DjangoModelFactory[Branch]):
    class Meta:
        model = Branch

    firm = factory.SubFactory(FirmFactory)
    name = factory.Sequence(lambda n: f"Branch {n}")


class IntroducerFactory(factory.django.DjangoModelFactory[Introducer]):
    class Meta:
        model = Introducer

    firm = factory.SubFactory(FirmFactory)
    name = factory.Sequence(lambda n: f"Estate Agent {n}")


class IntroducerBranchFactory(factory.django.DjangoModelFactory[IntroducerBranch]):
    class Meta:
        model = IntroducerBranch

    introducer = factory.SubFactory(IntroducerFactory)
    firm = factory.SelfAttribute("introducer.firm")
    name = factory.Sequence(lambda n: f"High Street {n}")


class NegotiatorFactory(factory.django.DjangoModelFactory[Negotiator]):
    class Meta:
        model = Negotiator

    branch = factory.SubFactory(IntroducerBranchFactory)
    firm = factory.SelfAttribute("branch.firm")

    class Params:
        faker_name = factory.Faker("name", locale="en_GB")

    name = factory.LazyAttribute(lambda o: o.faker_name.replace("'", ""))


class InteractionTypeFactory(factory.django.DjangoModelFactory[InteractionType]):
    class Meta:
        model = InteractionType

    firm = factory.SubFactory(FirmFactory)
    name = factory.Sequence(lambda n: f"Interaction type {n}")


class TaskCategoryFactory(factory.django.DjangoModelFactory[TaskCategory]):
    class Meta:
        model = TaskCategory

    firm = factory.SubFactory(FirmFactory)
    name = factory.Sequence(lambda n: f"Category {n}")


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation
        exclude = ("token",)

    firm = factory.SubFactory(FirmFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.ADVISER
    token = factory.Sequence(lambda n: f"token-{n}-abcdefghijklmnop")
    token_hash = factory.LazyAttribute(lambda o: token_hash(o.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


# How to make one object of each kind in a firm, for the isolation test.
register("membership_id")(lambda firm: MembershipFactory(firm=firm))
register("branch_id")(lambda firm: BranchFactory(firm=firm))
register("introducer_id")(lambda firm: IntroducerFactory(firm=firm))
register("introducer_branch_id")(
    lambda firm: IntroducerBranchFactory(introducer__firm=firm)
)
register("negotiator_id")(lambda firm: NegotiatorFactory(branch__introducer__firm=firm))
register("interaction_type_id")(lambda firm: InteractionTypeFactory(firm=firm))
register("task_category_id")(lambda firm: TaskCategoryFactory(firm=firm))
register("invitation_id")(lambda firm: InvitationFactory(firm=firm))


@principal_logins.register(principals.STAFF)
def login_staff(firm: Firm) -> Client:
    """Return a client logged in as a new owner (every permission) of ``firm``."""
    membership = MembershipFactory(firm=firm, role=Role.OWNER)
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_FIRM_KEY] = firm.pk
    session.save()
    return client


def two_factor_enrol(user: User, *, codes: tuple[str, ...] = ()) -> TOTPDevice:
    """Give ``user`` a confirmed authenticator and recovery codes; return it.

    ``codes`` are stored as typed-in codes are (no dash, lower-case); by
    default two: ``aaaaabbbbb`` and ``cccccddddd``.
    """
    device = TOTPDevice.objects.create(user=user, name="Authenticator app")
    static = StaticDevice.objects.create(user=user, name="Recovery codes")
    for code in codes or ("aaaaabbbbb", "cccccddddd"):
        StaticToken.objects.create(device=static, token=code)
    return device


def totp_code(device: TOTPDevice, *, steps: int = 0) -> str:
    """Return the code ``device``'s app shows now (or ``steps`` steps on)."""
    code = totp(
        device.bin_key, device.step, device.t0, device.digits, device.drift + steps
    )
    return f"{code:06d}"
