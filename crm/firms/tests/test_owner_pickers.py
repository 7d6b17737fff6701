"""Owner pickers offer, and services accept, only members who may own work.

Issue 14, item 2: a read-only member was offered as a case's adviser. The
adviser, case manager, lead owner, planned-support lead and task assignee
pickers offer active members whose role may edit cases, and the services
refuse anyone else.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from crm.cases import services as case_services
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.exceptions import ApplicationError
from crm.core.request_context import request_ip
from crm.firms import selectors
from crm.firms import services as firm_services
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory
from crm.leads import services as lead_services
from crm.support import services as support_services
from crm.support.tests.factories import make_support_case
from crm.tasks import services as task_services
from crm.tasks.choices import TaskPriority

pytestmark = pytest.mark.django_db

REFUSED = "may edit cases"


def _offered(html: str, user_id: int) -> bool:
    return re.search(rf'<option value="{user_id}"', html) is not None


@pytest.fixture
def left(firm):
    """A member who may own work but has left the firm."""
    return MembershipFactory(firm=firm, role=Role.ADVISER, is_active=False)


def test_owner_roles_are_the_roles_that_may_edit_cases():
    """Owner, Manager, Adviser and Administrator may own work; Read-only may not."""
    assert set(selectors.OWNER_ROLES) == {
        Role.OWNER,
        Role.MANAGER,
        Role.ADVISER,
        Role.ADMINISTRATOR,
    }


def test_member_choices_for_owners_leave_out_read_only_and_inactive(
    firm, adviser, read_only, left
):
    """The picker choices keep active members of an owner role only."""
    ids = [pk for pk, _name in selectors.member_choices(firm=firm, owners_only=True)]
    assert adviser.user_id in ids
    assert read_only.user_id not in ids
    assert left.user_id not in ids
    everyone = [pk for pk, _name in selectors.member_choices(firm=firm)]
    assert read_only.user_id in everyone  # filters still name every member


@pytest.mark.parametrize(
    "url_name", ["leads:lead_create", "tasks:task_create", "advice:case_edit"]
)
def test_pickers_do_not_offer_a_read_only_member(
    url_name, firm, adviser, read_only, owner_client
):
    """The lead owner, task assignee and case adviser pickers skip Read-only."""
    args = [make_case(firm).pk] if url_name == "advice:case_edit" else []
    html = owner_client.get(reverse(url_name, args=args)).content.decode()
    assert _offered(html, adviser.user_id) is True
    assert _offered(html, read_only.user_id) is False


def test_wizard_adviser_step_does_not_offer_a_read_only_member(
    firm, adviser, read_only, owner_client
):
    """The New Case wizard's adviser step skips Read-only."""
    contact = ContactFactory(firm=firm)
    owner_client.get(reverse("advice:wizard_start"))
    step = lambda s: reverse("advice:wizard_step", args=[s])  # noqa: E731
    owner_client.post(
        step("product"),
        {"kind": "mortgage", "mortgage_type": "residential", "mode": "single"},
    )
    owner_client.post(step("main"), {"choice": "existing", "contact": contact.pk})
    owner_client.post(step("introducer"), {})
    html = owner_client.get(step("adviser")).content.decode()
    assert _offered(html, adviser.user_id) is True
    assert _offered(html, read_only.user_id) is False


def test_support_case_manager_picker_does_not_offer_a_read_only_member(
    support_firm, login
):
    """The support case form's case manager picker skips Read-only."""
    owner = MembershipFactory(firm=support_firm, role=Role.OWNER)
    reader = MembershipFactory(firm=support_firm, role=Role.READ_ONLY)
    html = login(owner).get(reverse("support:case_create")).content.decode()
    assert _offered(html, owner.user_id) is True
    assert _offered(html, reader.user_id) is False


def test_case_create_and_update_refuse_a_read_only_adviser(firm, adviser, read_only):
    """A case cannot be opened for, or handed to, a Read-only member."""
    with pytest.raises(ApplicationError, match=REFUSED):
        make_case(firm, owner=read_only.user)
    case = make_case(firm, owner=adviser.user)
    with pytest.raises(ApplicationError, match=REFUSED):
        case_services.case_update(
            firm=firm,
            actor=adviser.user,
            case=case,
            owner=read_only.user,
            follow_up_date=None,
            note="",
        )


def test_lead_create_refuses_a_read_only_owner(firm, adviser, read_only):
    """A lead cannot be given to a Read-only member."""
    with pytest.raises(ApplicationError, match=REFUSED):
        lead_services.lead_create(
            firm=firm,
            actor=adviser.user,
            contact=ContactFactory(firm=firm),
            owner=read_only.user,
        )


def test_task_create_refuses_a_read_only_assignee(firm, adviser, read_only):
    """A task cannot be assigned to a Read-only member."""
    with pytest.raises(ApplicationError, match=REFUSED):
        task_services.task_create(
            firm=firm,
            actor=adviser.user,
            title="Call back",
            description="",
            due_date=date(2030, 1, 1),
            assignee=read_only.user,
            priority=TaskPriority.NORMAL,
            category=None,
        )


def test_support_case_create_refuses_a_read_only_case_manager(support_firm):
    """A support case cannot be managed by a Read-only member."""
    reader = MembershipFactory(firm=support_firm, role=Role.READ_ONLY)
    with pytest.raises(ApplicationError, match=REFUSED):
        support_services.support_case_create(
            firm=support_firm,
            actor=reader.user,
            beneficiary=ContactFactory(firm=support_firm),
            data=support_services.SupportCaseData(
                title="Housing", case_manager=reader.user
            ),
        )
    assert make_support_case(support_firm).owner is not None


def test_member_choices_name_each_member_or_their_email(firm, adviser):
    """A member's name is "First Last", or their e-mail when both are blank."""
    nameless = MembershipFactory(firm=firm, role=Role.ADVISER)
    nameless.user.first_name = nameless.user.last_name = ""
    nameless.user.save()
    names = dict(selectors.member_choices(firm=firm))
    assert names[adviser.user_id] == adviser.user.full_name
    assert names[nameless.user_id] == nameless.user.email


def test_planned_support_lead_picker_does_not_offer_a_read_only_member(
    support_firm, login
):
    """The planned support form's lead picker skips Read-only and leavers."""
    owner = MembershipFactory(firm=support_firm, role=Role.OWNER)
    reader = MembershipFactory(firm=support_firm, role=Role.READ_ONLY)
    leaver = MembershipFactory(firm=support_firm, role=Role.ADVISER, is_active=False)
    case = make_support_case(support_firm)
    url = reverse("support:plan_create", kwargs={"case_id": case.pk})
    html = login(owner).get(url).content.decode()
    assert _offered(html, owner.user_id) is True
    assert _offered(html, reader.user_id) is False
    assert _offered(html, leaver.user_id) is False


def test_plan_add_refuses_a_read_only_lead(support_firm):
    """Planned support cannot be led by a Read-only member."""
    owner = MembershipFactory(firm=support_firm, role=Role.OWNER)
    reader = MembershipFactory(firm=support_firm, role=Role.READ_ONLY)
    case = make_support_case(support_firm)
    with pytest.raises(ApplicationError, match="Choose a lead"):
        support_services.plan_add(
            firm=support_firm,
            actor=owner.user,
            case=case,
            data=support_services.PlanData(description="Call", lead=reader.user),
        )


def test_task_create_refuses_a_member_who_has_left(firm, adviser, left):
    """A task cannot be assigned to a member who is no longer active."""
    with pytest.raises(ApplicationError, match=REFUSED):
        task_services.task_create(
            firm=firm,
            actor=adviser.user,
            title="Call back",
            description="",
            due_date=date(2030, 1, 1),
            assignee=left.user,
            priority=TaskPriority.NORMAL,
            category=None,
        )


def test_a_request_that_found_an_owner_does_not_read_them_again(
    firm, django_assert_num_queries
):
    """A form's ``owner_get`` and the service's ``may_own`` in one request read
    once; a job, or the next request, reads again (and sees a member leave)."""
    member = MembershipFactory(firm=firm, role=Role.ADVISER)
    with request_ip("127.0.0.1"):
        assert selectors.owner_get(firm=firm, user_id=member.user_id) == member.user
        with django_assert_num_queries(0):
            assert selectors.may_own(firm=firm, user_id=member.user_id)
    member.is_active = False
    member.save()
    with django_assert_num_queries(1):
        assert not selectors.may_own(firm=firm, user_id=member.user_id)
    with request_ip("127.0.0.1"):
        assert selectors.owner_get(firm=firm, user_id=member.user_id) is None
        with django_assert_num_queries(1):
            assert not selectors.may_own(firm=firm, user_id=member.user_id)


def test_a_membership_changed_in_the_request_is_read_again(
    firm, owner, django_assert_num_queries
):
    """A member deactivated after this request found them is not taken as an
    owner from the request's memory (``forget_owner``)."""
    member = MembershipFactory(firm=firm, role=Role.ADVISER)
    with request_ip("127.0.0.1"):
        assert selectors.owner_get(firm=firm, user_id=member.user_id) is not None
        firm_services.membership_set_active(
            firm=firm,
            actor=owner.user,
            actor_membership=owner,
            membership=member,
            active=False,
        )
        with django_assert_num_queries(1):
            assert not selectors.may_own(firm=firm, user_id=member.user_id)
