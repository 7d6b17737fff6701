"""Support case rules: history, visibility of titles, closed cases, odd input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.cases.models import CaseEvent
from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory
from crm.core.exceptions import ApplicationError
from crm.firms.choices import Perm, Role
from crm.firms.tests.factories import InteractionTypeFactory, MembershipFactory
from crm.interactions import services as interaction_services
from crm.interactions.choices import InteractionCaseEventType
from crm.support import services
from crm.support.choices import Duration, ItemKind, SupportContactEventType
from crm.support.models import SupportItem
from crm.support.selectors import SECTION_LIMIT
from crm.support.tests.factories import make_item, make_link, make_support_case
from crm.tasks import services as task_services
from crm.tasks.choices import TaskCaseEventType
from crm.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def grace(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.OWNER)


@pytest.fixture
def case(support_firm, grace):
    return make_support_case(support_firm, manager=grace.user)


def _data(case, **changes):
    values = {
        "title": case.title,
        "case_manager": case.owner,
        "start_date": case.support.start_date,
        "duration": case.support.duration,
        "expected_end_date": case.support.expected_end_date,
        "pathway": case.support.pathway,
        "note": case.note,
    } | changes
    return services.SupportCaseData(**values)


def test_a_title_that_looks_like_a_bad_date_never_breaks_the_page(case, grace, login):
    """History shows the text as typed: only date fields are read as dates."""
    services.support_case_update(
        firm=case.firm,
        actor=grace.user,
        case=case,
        data=_data(case, title="2026-02-30"),
    )
    response = login(grace).get(case.get_absolute_url())
    assert response.status_code == 200
    assert "2026-02-30" in response.content.decode()


def test_tasks_and_interactions_on_a_case_are_in_its_history(case, grace):
    """I7, I8: adding either writes a case event the History card describes."""
    visit = InteractionTypeFactory(firm=case.firm, name="Home visit")
    interaction_services.interaction_log(
        firm=case.firm,
        actor=grace.user,
        occurred_at=timezone.now(),
        interaction_type=visit,
        notes="Talked it through",
        case=case,
    )
    task_services.task_create(
        firm=case.firm,
        actor=grace.user,
        title="Ring the council",
        description="",
        due_date=None,
        assignee=grace.user,
        priority="normal",
        category=None,
        case=case,
    )
    make_link(case, role="GP")  # no note: no touchpoint
    types = list(
        CaseEvent.objects.filter(case=case)
        .order_by("id")
        .values_list("type", flat=True)
    )
    assert InteractionCaseEventType.INTERACTION_LOGGED in types
    assert TaskCaseEventType.TASK_ADDED in types
    assert types.count(InteractionCaseEventType.INTERACTION_LOGGED) == 1


def test_view_own_cases_member_does_not_see_colleagues_case_titles(
    support_firm, grace, login
):
    """A member who sees only their own cases learns nothing of other cases
    from a beneficiary's or a service's record."""
    member = MembershipFactory(firm=support_firm, role=Role.ADVISER)
    member.revoked = [Perm.VIEW_ALL_CASES]
    member.granted = [Perm.VIEW_OWN_CASES]
    member.save()
    person = ContactFactory(firm=support_firm)
    theirs = make_support_case(
        support_firm, beneficiary=person, manager=grace.user, title="Private matter"
    )
    link = make_link(theirs, role="Solicitor")
    client = login(member)
    for contact in (person, link.contact):
        body = client.get(contact.get_absolute_url()).content.decode()
        assert "Private matter" not in body
        assert theirs.reference not in body.split("Timeline")[0]


def test_tasks_of_a_closed_case_cannot_be_changed(case, grace):
    task = task_services.task_create(
        firm=case.firm,
        actor=grace.user,
        title="Ring the council",
        description="",
        due_date=None,
        assignee=grace.user,
        priority="normal",
        category=None,
        case=case,
    )
    services.support_case_close(firm=case.firm, actor=grace.user, case=case)
    task = Task.objects.select_related("case").get(pk=task.pk)
    with pytest.raises(ApplicationError, match="case is closed"):
        task_services.task_complete(firm=case.firm, actor=grace.user, task=task)


def test_fixed_case_without_start_date_cannot_end_before_today(support_firm, grace):
    """I1: the start defaults to today, and the end may not be before it."""
    with pytest.raises(ApplicationError) as caught:
        make_support_case(
            support_firm,
            manager=grace.user,
            duration=Duration.FIXED,
            expected_end_date=datetime.date(2020, 1, 1),
        )
    assert caught.value.field == "expected_end_date"


def test_a_case_whose_manager_left_can_still_be_edited(case, grace, support_firm):
    manager = MembershipFactory(firm=support_firm, role=Role.ADVISER)
    services.support_case_update(
        firm=case.firm,
        actor=grace.user,
        case=case,
        data=_data(case, case_manager=manager.user),
    )
    manager.is_active = False
    manager.save()
    case.refresh_from_db()
    services.support_case_update(
        firm=case.firm, actor=grace.user, case=case, data=_data(case, title="Renamed")
    )
    case.refresh_from_db()
    assert (case.title, case.owner_id) == ("Renamed", manager.user_id)


def test_htmx_add_announces_the_change_in_the_live_region(case, grace, login):
    response = login(grace).post(
        reverse("support:item_add", kwargs={"case_id": case.pk}),
        {"kind": ItemKind.NEED, "text": "Warm clothes"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'id="support-live"' in body
    assert 'hx-swap-oob="true"' in body
    assert SupportItem.objects.filter(case=case, text="Warm clothes").exists()


def test_older_interactions_are_on_the_case_interactions_page(
    case, grace, login, django_assert_num_queries
):
    visit = InteractionTypeFactory(firm=case.firm, name="Home visit")
    start = timezone.now() - datetime.timedelta(days=60)
    for n in range(SECTION_LIMIT + 10):
        interaction_services.interaction_log(
            firm=case.firm,
            actor=grace.user,
            occurred_at=start + datetime.timedelta(days=n),
            interaction_type=visit,
            notes=f"Visit number {n}",
            case=case,
        )
    client = login(grace)
    page = client.get(case.get_absolute_url()).content.decode()
    url = reverse("support:case_interactions", kwargs={"case_id": case.pk})
    assert url in page
    assert "Visit number 0<" not in page
    client.get(url)
    with django_assert_num_queries(5):
        first = client.get(url).content.decode()
    assert "Visit number 29" in first
    assert "Visit number 0<" not in first
    second = client.get(url + "?page=2").content.decode()
    assert "Visit number 0<" in second


def test_the_add_forms_of_a_closed_case_send_you_back(case, grace, login):
    services.support_case_close(firm=case.firm, actor=grace.user, case=case)
    client = login(grace)
    for name in ("tasks:task_create", "interactions:interaction_create"):
        response = client.get(f"{reverse(name)}?case={case.pk}")
        assert response.status_code == 302
        assert response["Location"] == case.get_absolute_url()


def test_unlinking_a_service_shows_on_its_timeline(case, grace):
    link = make_link(case, role="GP")
    services.service_unlink(firm=case.firm, actor=grace.user, link=link)
    assert ContactEvent.objects.filter(
        contact=link.contact, type=SupportContactEventType.SERVICE_UNLINKED
    ).exists()


def test_documents_cannot_be_added_to_a_case_the_member_cannot_see(
    case, support_firm, login
):
    member = MembershipFactory(firm=support_firm, role=Role.ADVISER)
    member.revoked = [Perm.VIEW_ALL_CASES]
    member.granted = [Perm.VIEW_OWN_CASES]
    member.save()
    url = reverse("cases:document_upload_case", kwargs={"case_id": case.pk})
    assert login(member).post(url, {}).status_code == 404
    make_item(case)  # the case itself is untouched and still open
    case.refresh_from_db()
    assert case.is_open
