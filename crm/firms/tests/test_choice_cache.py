"""The filter bars' member and introducer lists, kept per process (issue 21 item 1).

Each process keeps a firm's lists under ``Firm.choices_version``; every
service that changes what they show raises the version in its transaction,
so the next request (in any process) reads them again. Each writer's test
fills the cache with one request, makes the change through the service and
expects the next request to show it: without the writer's
``choices_changed`` call the kept list would still be shown.
"""

import re
from decimal import Decimal
from html import unescape as html_unescape

import pytest
from django.db import transaction
from django.urls import reverse

from crm.cases.tests.factories import make_case
from crm.firms import demo, selectors, services
from crm.firms.choices import Role
from crm.firms.models import Firm, Membership
from crm.firms.selectors import choice_cache
from crm.firms.tests.factories import (
    FirmFactory,
    IntroducerFactory,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CASES = reverse("advice:case_list")


def _options(html: str, field: str) -> dict[str, str]:
    """Return the ``{value: label}`` options of the ``<select name=field>``."""
    select = re.search(rf'<select name="{field}".*?</select>', html, re.S)
    assert select is not None, f"no {field} select"
    return {
        value: html_unescape(label.strip())
        for value, label in re.findall(
            r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0)
        )
        if value
    }


def _filters(client) -> tuple[dict[str, str], dict[str, str]]:
    """Return the Cases list filter bar's (owner, introducer) options."""
    html = client.get(CASES).content.decode()
    return _options(html, "owner"), _options(html, "introducer")


def _version(firm: Firm) -> int:
    return Firm.objects.get(pk=firm.pk).choices_version


# Each writer: the next request shows the change


def test_added_member_is_offered_on_the_next_request(firm, owner, owner_client):
    """membership_create: a new member appears in the filter bar at once."""
    _filters(owner_client)
    user = UserFactory(first_name="Nia", last_name="Jones")
    services.membership_create(firm=firm, actor=owner.user, user=user, role="adviser")
    owners, _ = _filters(owner_client)
    assert owners[str(user.pk)] == "Nia Jones"
    assert _version(firm) == 1


def test_restored_member_is_offered_on_the_next_request(firm, owner, owner_client):
    """membership_create on a member who had left restores them in the list."""
    left = MembershipFactory(firm=firm, is_active=False)
    assert str(left.user_id) not in _filters(owner_client)[0]
    services.membership_create(
        firm=firm, actor=owner.user, user=left.user, role="adviser"
    )
    assert str(left.user_id) in _filters(owner_client)[0]


def test_deactivated_member_leaves_the_list_on_the_next_request(
    firm, owner, adviser, owner_client
):
    """membership_set_active: a member who left is no longer offered."""
    assert str(adviser.user_id) in _filters(owner_client)[0]
    services.membership_set_active(
        firm=firm,
        actor=owner.user,
        actor_membership=owner,
        membership=adviser,
        active=False,
    )
    assert str(adviser.user_id) not in _filters(owner_client)[0]
    services.membership_set_active(
        firm=firm,
        actor=owner.user,
        actor_membership=owner,
        membership=adviser,
        active=True,
    )
    assert str(adviser.user_id) in _filters(owner_client)[0]


def test_role_change_updates_the_owner_picker_on_the_next_request(
    firm, owner, adviser, owner_client
):
    """membership_update: a member made Read-only leaves the owners-only picker.

    The filter bar lists every active member, so only the picker of who may
    own work (a case's adviser here) changes.
    """
    edit = reverse("advice:case_edit", args=[make_case(firm, owner=owner.user).pk])
    assert str(adviser.user_id) in _options(
        owner_client.get(edit).content.decode(), "owner"
    )
    services.membership_update(
        firm=firm,
        actor=owner.user,
        actor_membership=owner,
        membership=adviser,
        role=Role.READ_ONLY,
    )
    offered = _options(owner_client.get(edit).content.decode(), "owner")
    assert str(adviser.user_id) not in offered
    assert str(adviser.user_id) in _filters(owner_client)[0]


def test_hours_change_keeps_the_lists(firm, owner, adviser):
    """membership_update without a role change leaves the version alone."""
    services.membership_update(
        firm=firm,
        actor=owner.user,
        actor_membership=owner,
        membership=adviser,
        role=adviser.role,
        weekly_hours=Decimal(20),
    )
    assert _version(firm) == 0


def test_renamed_member_shows_the_new_name_in_each_of_their_firms(
    firm, other_firm, owner, owner_client, login
):
    """user_rename: every firm the member belongs to shows the new name."""
    other_owner = MembershipFactory(firm=other_firm, role=Role.OWNER)
    both = MembershipFactory(firm=firm).user
    MembershipFactory(firm=other_firm, user=both)
    other_client = login(other_owner)
    _filters(owner_client)
    _filters(other_client)
    services.user_rename(user=both, first_name="Grace", last_name="Hopper")
    assert _filters(owner_client)[0][str(both.pk)] == "Grace Hopper"
    assert _filters(other_client)[0][str(both.pk)] == "Grace Hopper"


def test_accepted_invitation_is_offered_on_the_next_request(firm, owner, owner_client):
    """invitation_accept: the new member appears in the filter bar at once."""
    InvitationFactory(
        firm=firm, invited_by=owner.user, token="accept-me-0123456789abcdef"
    )
    _filters(owner_client)
    membership = services.invitation_accept(
        token="accept-me-0123456789abcdef",
        password="a-long-passphrase-1",
        first_name="Ada",
        last_name="Byron",
    )
    assert _filters(owner_client)[0][str(membership.user_id)] == "Ada Byron"


def test_added_introducer_is_offered_on_the_next_request(firm, owner, owner_client):
    """introducer_create: a new introducer appears in the filter bar at once."""
    _filters(owner_client)
    introducer = services.introducer_create(
        firm=firm, actor=owner.user, name="Harbour Homes"
    )
    assert _filters(owner_client)[1][str(introducer.pk)] == "Harbour Homes"


def test_renamed_introducer_shows_the_new_name_on_the_next_request(
    firm, owner, owner_client
):
    """introducer_update: a new name shows at once; a new phone moves nothing."""
    introducer = IntroducerFactory(firm=firm, name="Old Name")
    _filters(owner_client)
    services.introducer_update(
        firm=firm,
        actor=owner.user,
        introducer=introducer,
        name="New Name",
        email="",
        phone="",
    )
    assert _filters(owner_client)[1][str(introducer.pk)] == "New Name"
    services.introducer_update(
        firm=firm,
        actor=owner.user,
        introducer=introducer,
        name="New Name",
        email="",
        phone="0117 496 0000",
    )
    assert _version(firm) == 1


def test_archived_introducer_leaves_the_list_on_the_next_request(
    firm, owner, owner_client
):
    """introducer_set_active: archived is no longer offered; restored is again."""
    introducer = IntroducerFactory(firm=firm)
    assert str(introducer.pk) in _filters(owner_client)[1]
    services.introducer_set_active(
        firm=firm, actor=owner.user, introducer=introducer, active=False
    )
    assert str(introducer.pk) not in _filters(owner_client)[1]
    services.introducer_set_active(
        firm=firm, actor=owner.user, introducer=introducer, active=True
    )
    assert str(introducer.pk) in _filters(owner_client)[1]
    assert _version(firm) == 2


def test_demo_seed_shows_its_introducers_on_the_next_request(login):
    """The demo seed writes introducers directly, then raises the versions.

    The advice firm and its members exist already, so the seed adds only
    the introducers (no member service runs for that firm).
    """
    firm = FirmFactory(name=demo.ADVICE_FIRM)
    for spec in demo.DEMO_USERS:
        if spec.firm == demo.ADVICE_FIRM:
            user = UserFactory(
                email=spec.email, first_name=spec.first_name, last_name=spec.last_name
            )
            MembershipFactory(firm=firm, user=user, role=spec.role)
    client = login(Membership.objects.get(firm=firm, role=Role.OWNER))
    assert _filters(client)[1] == {}
    demo.seed()
    assert set(_filters(client)[1].values()) == set(demo.INTRODUCERS)


# The cache itself


def test_lists_are_kept_until_the_version_moves(firm, adviser):
    """A second read with the same version asks nothing of the database."""
    loads = []

    def load(using):
        loads.append(using)
        return [(1, "One")]

    def read(f):
        return choice_cache.choices(firm=f, name="test", options=None, load=load)

    assert read(firm) == [(1, "One")]
    assert read(Firm.objects.get(pk=firm.pk)) == [(1, "One")]
    assert loads == ["default"]
    Firm.objects.filter(pk=firm.pk).update(choices_version=5)
    read(Firm.objects.get(pk=firm.pk))
    assert loads == ["default", "default"]


def test_lists_are_read_from_the_database_the_firm_was_read_from(firm, monkeypatch):
    """The version and the list come from one database (never a lagging replica)."""
    loads = []
    firm._state.db = "elsewhere"  # an alias the test settings do not have
    monkeypatch.setattr(choice_cache, "_changing", lambda firm_id, using: False)

    def load(using):
        loads.append(using)
        return []

    choice_cache.choices(firm=firm, name="test", options=None, load=load)
    assert loads == ["elsewhere"]


def test_lists_are_not_shared_between_firms(firm, other_firm, adviser):
    """Two firms at the same version each see their own members and introducers."""
    rival = MembershipFactory(firm=other_firm, user__first_name="Rival")
    IntroducerFactory(firm=firm, name="Ours")
    IntroducerFactory(firm=other_firm, name="Theirs")
    assert firm.choices_version == other_firm.choices_version == 0
    ours = selectors.member_choices(firm=firm)
    theirs = selectors.member_choices(firm=other_firm)
    assert [pk for pk, _ in ours] == [adviser.user_id]
    assert [pk for pk, _ in theirs] == [rival.user_id]
    assert [n for _, n in selectors.introducer_choices(firm=firm)] == ["Ours"]
    assert [n for _, n in selectors.introducer_choices(firm=other_firm)] == ["Theirs"]


def test_owners_only_is_kept_apart_from_all_members(firm, adviser, read_only):
    """The owners-only list and the full list are two entries."""
    every = {pk for pk, _ in selectors.member_choices(firm=firm)}
    owners = {pk for pk, _ in selectors.member_choices(firm=firm, owners_only=True)}
    assert every == {adviser.user_id, read_only.user_id}
    assert owners == {adviser.user_id}


def test_a_caller_cannot_change_the_kept_list(firm, adviser):
    """Each caller gets its own copy of the list."""
    selectors.member_choices(firm=firm).append((0, "Intruder"))
    assert selectors.member_choices(firm=firm) == [
        (adviser.user_id, adviser.user.full_name)
    ]


def test_a_rolled_back_change_is_never_kept(firm, owner):
    """Inside the changing transaction the lists are read, not kept.

    Otherwise the new name, read there under the old version, would stay
    kept after the rollback, and every later request would show it.
    """
    selectors.member_choices(firm=firm)

    def rename_read_and_fail():
        with transaction.atomic():
            services.user_rename(user=owner.user, first_name="Rolled", last_name="Back")
            names = dict(selectors.member_choices(firm=firm))
            assert names[owner.user_id] == "Rolled Back"
            raise RuntimeError

    with pytest.raises(RuntimeError):
        rename_read_and_fail()
    owner.user.refresh_from_db()
    names = dict(selectors.member_choices(firm=Firm.objects.get(pk=firm.pk)))
    assert names[owner.user_id] == owner.user.full_name != "Rolled Back"


def test_the_cache_is_bounded(firm, monkeypatch):
    """Past ``MAX_ENTRIES`` the cache starts afresh instead of growing."""
    monkeypatch.setattr(choice_cache, "MAX_ENTRIES", 2)
    for name in ("a", "b", "c"):
        choice_cache.choices(firm=firm, name=name, options=None, load=lambda u: [])
    assert len(choice_cache._kept) == 1


def test_each_test_starts_with_an_empty_cache_a(firm, adviser):
    """Fill the cache; the next test must not find it (see conftest)."""
    selectors.member_choices(firm=firm)
    assert choice_cache._kept


def test_each_test_starts_with_an_empty_cache_b():
    """conftest empties the cache between tests: the rollback reset the
    versions to 0, and SQLite reuses firm ids, so a kept list could match."""
    assert choice_cache._kept == {}


# Across processes: committed transactions


@pytest.mark.django_db(transaction=True)
def test_another_process_reloads_when_the_version_moves():
    """A process that kept the old list (here: the cache as it was before the
    commit, put back) reads it again because the firm's version moved."""
    firm = FirmFactory()
    member = MembershipFactory(firm=firm, user__first_name="Before", user__last_name="")
    assert selectors.member_choices(firm=firm) == [(member.user_id, "Before")]
    other_process = dict(choice_cache._kept)
    services.user_rename(user=member.user, first_name="After", last_name="")
    choice_cache._kept.update(other_process)
    fresh = Firm.objects.get(pk=firm.pk)
    assert fresh.choices_version == 1
    assert selectors.member_choices(firm=fresh) == [(member.user_id, "After")]


@pytest.mark.django_db(transaction=True)
def test_this_process_forgets_the_firm_when_the_change_commits():
    """After the commit, a firm object read before it (same version as the
    kept list) is not shown the old list: the commit dropped it."""
    firm = FirmFactory()
    member = MembershipFactory(firm=firm, user__first_name="Before", user__last_name="")
    assert selectors.member_choices(firm=firm) == [(member.user_id, "Before")]
    services.user_rename(user=member.user, first_name="After", last_name="")
    assert firm.choices_version == 0  # read before the change
    assert selectors.member_choices(firm=firm) == [(member.user_id, "After")]
