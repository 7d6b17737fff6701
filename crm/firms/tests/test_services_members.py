"""Member services: roles, grants and revokes, activation (A4)."""

import pytest

from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.firms import services
from crm.firms.choices import Perm, Role
from crm.firms.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_role_permissions_follow_spec_a4(
    owner, manager, adviser, administrator, read_only
):
    """Owners hold everything; read-only members can only view."""
    assert owner.permissions == frozenset(Perm.values)
    assert manager.has_perm(Perm.MANAGE_MEMBERS) is True
    assert manager.has_perm(Perm.VIEW_AUDIT_LOG) is False
    assert adviser.has_perm(Perm.SUBMIT_CONCERT_HUB) is True
    assert adviser.has_perm(Perm.ACTION_LOG) is True
    assert administrator.has_perm(Perm.EXPORT_DATA) is True
    assert read_only.permissions == frozenset({Perm.VIEW_ALL_CASES})


def test_owner_grants_and_revokes_single_permissions(firm, owner, adviser):
    """Grants and revokes are stored as differences from the role."""
    wanted = (adviser.permissions - {Perm.SUBMIT_CONCERT_HUB}) | {Perm.EXPORT_DATA}
    services.membership_update(
        firm=firm,
        actor=owner.user,
        actor_membership=owner,
        membership=adviser,
        role=Role.ADVISER,
        permissions=wanted,
    )
    adviser.refresh_from_db()
    assert adviser.granted == [Perm.EXPORT_DATA]
    assert adviser.revoked == [Perm.SUBMIT_CONCERT_HUB]
    assert adviser.has_perm(Perm.EXPORT_DATA) is True
    assert adviser.has_perm(Perm.SUBMIT_CONCERT_HUB) is False
    event = AuditEvent.objects.get(verb="permission_change")
    assert event.changes["granted"] == [[], ["export_data"]]


def test_manager_cannot_grant_single_permissions(firm, manager, adviser):
    """Only the owner grants or revokes single permissions."""
    with pytest.raises(ApplicationError, match="Only the firm's owner"):
        services.membership_update(
            firm=firm,
            actor=manager.user,
            actor_membership=manager,
            membership=adviser,
            role=Role.ADVISER,
            permissions=[Perm.EXPORT_DATA],
        )


def test_manager_cannot_make_an_owner(firm, manager, adviser):
    """Promoting to Owner needs an owner."""
    with pytest.raises(ApplicationError, match="Only an owner"):
        services.membership_update(
            firm=firm,
            actor=manager.user,
            actor_membership=manager,
            membership=adviser,
            role=Role.OWNER,
        )


def test_role_change_resets_custom_permissions_and_is_audited(firm, owner, adviser):
    """Changing role without explicit permissions uses the new role's defaults."""
    adviser.granted = [Perm.EXPORT_DATA]
    adviser.save()
    services.membership_update(
        firm=firm,
        actor=owner.user,
        actor_membership=owner,
        membership=adviser,
        role=Role.READ_ONLY,
    )
    adviser.refresh_from_db()
    assert adviser.role == Role.READ_ONLY
    assert adviser.granted == []
    event = AuditEvent.objects.get(object_type="firms.membership")
    assert event.changes["role"] == ["adviser", "read_only"]
    assert event.changes["granted"] == [["export_data"], []]


def test_last_owner_cannot_be_demoted_or_deactivated(firm, owner):
    """A firm always keeps an active owner."""
    with pytest.raises(ApplicationError, match="at least one active owner"):
        services.membership_update(
            firm=firm,
            actor=owner.user,
            actor_membership=owner,
            membership=owner,
            role=Role.MANAGER,
        )
    second = MembershipFactory(firm=firm, role=Role.OWNER)
    with pytest.raises(ApplicationError, match="cannot deactivate yourself"):
        services.membership_set_active(
            firm=firm,
            actor=owner.user,
            actor_membership=owner,
            membership=owner,
            active=False,
        )
    services.membership_set_active(
        firm=firm,
        actor=owner.user,
        actor_membership=owner,
        membership=second,
        active=False,
    )
    second.refresh_from_db()
    assert second.is_active is False


def test_deactivate_and_reactivate_are_audited(firm, owner, adviser):
    """Both directions write an audit event."""
    for active in (False, True):
        services.membership_set_active(
            firm=firm,
            actor=owner.user,
            actor_membership=owner,
            membership=adviser,
            active=active,
        )
    assert list(
        AuditEvent.objects.filter(object_type="firms.membership")
        .order_by("id")
        .values_list("verb", flat=True)
    ) == ["archive", "update"]


def test_member_of_another_firm_cannot_be_changed(firm, other_firm, owner):
    """A membership from another firm is refused."""
    stranger = MembershipFactory(firm=other_firm)
    with pytest.raises(ApplicationError, match="not in this firm"):
        services.membership_update(
            firm=firm,
            actor=owner.user,
            actor_membership=owner,
            membership=stranger,
            role=Role.READ_ONLY,
        )


def test_adviser_cannot_manage_members(firm, adviser, read_only):
    """Members without manage-members are refused by the service itself."""
    with pytest.raises(ApplicationError, match="permission"):
        services.membership_set_active(
            firm=firm,
            actor=adviser.user,
            actor_membership=adviser,
            membership=read_only,
            active=False,
        )


def test_firm_create_makes_owner_and_default_lists(db):
    """A new firm gets its owner and default interaction types and categories."""
    user = UserFactory()
    firm = services.firm_create(name="New Firm", owner=user)
    membership = firm_membership(firm, user)
    assert membership.role == Role.OWNER
    from crm.firms.models import InteractionType

    assert InteractionType.objects.filter(firm=firm).count() == 5


def firm_membership(firm, user):
    from crm.firms.models import Membership

    return Membership.objects.get(firm=firm, user=user)


def test_firm_update_records_changes_and_guards_modules(firm, owner, manager):
    """Details change with an audit diff; only owners switch modules."""
    services.firm_update(
        firm=firm, actor=owner.user, membership=owner, name="Harbour Advice"
    )
    event = AuditEvent.objects.get(verb="update", object_type="firms.firm")
    assert event.changes == {"name": ["Harbour Mortgages", "Harbour Advice"]}
    with pytest.raises(ApplicationError, match="Only the firm's owner"):
        services.firm_update(
            firm=firm, actor=manager.user, membership=manager, has_support=True
        )


def test_owner_cannot_remove_the_last_member_manager(firm, owner):
    """Unticking one's own manage-members is refused when nobody else has it."""
    with pytest.raises(ApplicationError, match="manage members"):
        services.membership_update(
            firm=firm,
            actor=owner.user,
            actor_membership=owner,
            membership=owner,
            role=Role.OWNER,
            permissions=owner.permissions - {Perm.MANAGE_MEMBERS},
        )


def test_manager_cannot_reactivate_an_owner(firm, owner, manager):
    """Owners are deactivated and reactivated by owners only."""
    second = MembershipFactory(firm=firm, role=Role.OWNER, is_active=False)
    with pytest.raises(ApplicationError, match="Only an owner"):
        services.membership_set_active(
            firm=firm,
            actor=manager.user,
            actor_membership=manager,
            membership=second,
            active=True,
        )


def test_a_rename_is_audited_in_each_of_the_members_firms(firm, other_firm):
    """A member's new name is one change to one user, recorded in every firm
    they work in, with the old and new names."""
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    for each in (firm, other_firm):
        MembershipFactory(firm=each, user=user)
    services.user_rename(user=user, first_name="Ada", last_name="King")
    for each in (firm, other_firm):
        (event,) = AuditEvent.objects.filter(
            firm=each, object_type="firms.user", object_id=str(user.pk)
        )
        assert event.changes == {"name": ["Ada Lovelace", "Ada King"]}
