"""The member's firms, read on every request by one hand-written statement (T2)."""

from decimal import Decimal

import pytest
from django.db import models
from django_scopes import scopes_disabled

from crm.firms.choices import Role
from crm.firms.models import Membership
from crm.firms.selectors import membership_list_for_user, user_for_session
from crm.firms.tests.factories import FirmFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _values(instance: models.Model) -> dict[str, object]:
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
    }


def test_the_read_returns_what_the_orm_returns(django_assert_num_queries):
    """Every column of each membership and its firm, typed as the ORM types them."""
    user = UserFactory()
    zeta = MembershipFactory(
        user=user,
        firm=FirmFactory(name="Zeta Advice", require_two_factor=True),
        role=Role.OWNER,
        granted=["export_data"],
        weekly_hours=Decimal("37.50"),
    )
    alpha = MembershipFactory(
        user=user, firm=FirmFactory(name="Alpha Support", has_support=True)
    )
    MembershipFactory(user=user, firm=FirmFactory(name="Beta"), is_active=False)
    MembershipFactory(firm=zeta.firm)  # someone else's
    with django_assert_num_queries(1):
        read = membership_list_for_user(user=user)
    with scopes_disabled():
        expected = list(
            Membership.objects.filter(user=user, is_active=True)
            .select_related("firm")
            .order_by("firm__name", "firm_id")
        )
    assert [m.pk for m in read] == [alpha.pk, zeta.pk]
    for got, want in zip(read, expected, strict=True):
        assert _values(got) == _values(want)
        assert _values(got.firm) == _values(want.firm)
        assert type(got.weekly_hours) is type(want.weekly_hours)
        assert type(got.firm.created_at) is type(want.firm.created_at)
        assert got.firm.created_at.tzinfo is not None
        assert got.user is user
    assert read[1].granted == ["export_data"]
    assert read[1].firm.require_two_factor is True
    assert read[0].firm.has_support is True
    assert read[1].has_perm("export_data")


def test_firms_with_the_same_name_keep_their_order_by_id():
    user = UserFactory()
    first = MembershipFactory(user=user, firm=FirmFactory(name="Same"))
    second = MembershipFactory(user=user, firm=FirmFactory(name="Same"))
    assert [m.pk for m in membership_list_for_user(user=user)] == [first.pk, second.pk]


def test_a_user_without_active_memberships_has_none():
    user = UserFactory()
    MembershipFactory(user=user, is_active=False)
    assert membership_list_for_user(user=user) == []


def test_the_signed_in_users_read_brings_their_memberships(django_assert_num_queries):
    """One statement reads the user and their firms; the principal's read takes them."""
    user = UserFactory()
    MembershipFactory(user=user, firm=FirmFactory(name="Zeta"), role=Role.OWNER)
    MembershipFactory(user=user, firm=FirmFactory(name="Alpha"), granted=["x"])
    MembershipFactory(user=user, firm=FirmFactory(name="Beta"), is_active=False)
    MembershipFactory()  # someone else's
    fresh = membership_list_for_user(user=user)
    with django_assert_num_queries(1):
        signed_in = user_for_session(user_id=user.pk)
    assert signed_in is not None
    with django_assert_num_queries(0):
        taken = membership_list_for_user(user=signed_in)
    assert [m.pk for m in taken] == [m.pk for m in fresh]
    for got, want in zip(taken, fresh, strict=True):
        assert _values(got) == _values(want)
        assert _values(got.firm) == _values(want.firm)
        assert got.user is signed_in
    with django_assert_num_queries(1):  # taken once: a later call reads afresh
        again = membership_list_for_user(user=signed_in)
    assert [m.pk for m in again] == [m.pk for m in fresh]


def test_the_signed_in_read_of_a_user_without_firms_or_inactive():
    lone = UserFactory()
    MembershipFactory(user=lone, is_active=False)
    signed_in = user_for_session(user_id=lone.pk)
    assert signed_in is not None
    assert signed_in == lone
    assert membership_list_for_user(user=signed_in) == []
    assert user_for_session(user_id=UserFactory(is_active=False).pk) is None
    assert user_for_session(user_id=987_654) is None


def test_a_request_reads_its_user_and_firms_in_one_statement(
    client, django_assert_num_queries
):
    """The session, then the user with their firms: two reads before the view's own."""
    member = MembershipFactory(firm=FirmFactory(name="Alpha"))
    client.force_login(member.user)
    with django_assert_num_queries(2):
        response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response.wsgi_request.principal.membership.pk == member.pk
    assert [m.pk for m in response.wsgi_request.memberships] == [member.pk]
