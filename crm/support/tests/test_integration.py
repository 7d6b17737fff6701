"""Support cases meeting the rest of the product: tasks, interactions, menus,
the contact record, pathways settings and the advice Cases list (I6-I9)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent
from crm.firms.choices import Role
from crm.firms.tests.factories import InteractionTypeFactory, MembershipFactory
from crm.interactions.models import Interaction
from crm.support import services
from crm.support.models import Pathway
from crm.support.tests.factories import make_link, make_pathway, make_support_case
from crm.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def charity_owner(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.OWNER)


@pytest.fixture
def charity_client(charity_owner, login):
    return login(charity_owner)


@pytest.fixture
def case(support_firm, charity_owner):
    return make_support_case(support_firm, manager=charity_owner.user)


def text(response):
    return response.content.decode()


# Tasks (I8)


def test_add_task_from_a_case_links_it_and_lists_it_in_tasks(
    charity_client, charity_owner, case
):
    """I8: Add task from the case makes a task linked to the case and its
    beneficiary, which the main Tasks list shows with the case reference."""
    url = (
        f"{reverse('tasks:task_create')}?case={case.pk}&next={case.get_absolute_url()}"
    )
    page = charity_client.get(url)
    assert page.status_code == 200
    assert case.reference in text(page)
    response = charity_client.post(
        reverse("tasks:task_create"),
        {
            "case": case.pk,
            "next": case.get_absolute_url(),
            "title": "Chase housing benefit form",
            "assignee": charity_owner.user_id,
            "priority": "normal",
            "due_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    task = Task.objects.get(title="Chase housing benefit form")
    assert task.case_id == case.pk
    assert task.contact_id == case.applicants.get().contact_id
    listing = text(charity_client.get(reverse("tasks:task_list") + "?tab=all"))
    assert "Chase housing benefit form" in listing
    assert case.reference in listing


def test_add_task_on_a_closed_case_is_refused_and_keeps_the_form(
    charity_client, charity_owner, case
):
    """I3: a closed case is read-only; the task form says why and keeps the title."""
    services.support_case_close(
        firm=case.firm, actor=charity_owner.user, case=case, reason="Done"
    )
    response = charity_client.post(
        reverse("tasks:task_create"),
        {"case": case.pk, "title": "Too late", "priority": "normal"},
    )
    assert response.status_code == 200
    assert "This case is closed" in text(response)
    assert 'value="Too late"' in text(response)
    assert not Task.objects.filter(title="Too late").exists()


def test_task_for_another_firms_case_is_404(charity_client, other_firm):
    theirs = make_support_case(other_firm)
    url = f"{reverse('tasks:task_create')}?case={theirs.pk}"
    assert charity_client.get(url).status_code == 404


# Interactions (I7)


def test_log_interaction_on_a_case_lists_it_on_the_beneficiarys_record(
    charity_client, support_firm, case
):
    """I7: an interaction added in the case's Interactions section is on the
    case and on the beneficiary's record, newest first."""
    visit = InteractionTypeFactory(firm=support_firm, name="Home visit")
    url = f"{reverse('interactions:interaction_create')}?case={case.pk}"
    assert case.reference in text(charity_client.get(url))
    for when, notes in (
        ("2026-01-05T10:00", "First visit"),
        ("2026-02-01T09:30", "Second visit"),
    ):
        response = charity_client.post(
            reverse("interactions:interaction_create"),
            {
                "case": case.pk,
                "occurred_at": when,
                "interaction_type": visit.pk,
                "notes": notes,
            },
        )
        assert response.status_code == 302
        assert response["Location"] == case.get_absolute_url()
    entries = Interaction.objects.filter(case=case).order_by("-occurred_at")
    assert [e.notes for e in entries] == ["Second visit", "First visit"]
    beneficiary = case.applicants.get().contact
    record = text(charity_client.get(beneficiary.get_absolute_url()))
    assert record.index("Second visit") < record.index("First visit")


def test_interaction_with_a_junk_case_id_is_404(charity_client):
    url = f"{reverse('interactions:interaction_create')}?case=abc"
    assert charity_client.get(url).status_code == 404


# Menus: each module sees only its own


def test_support_only_firm_sees_cases_as_support_and_no_advice_menus(charity_client):
    """A Support-only firm's "Cases" is the support list; no Leads, no New Case."""
    body = text(charity_client.get("/"))
    assert f'href="{reverse("support:case_list")}"' in body
    assert ">Cases<" in body
    assert 'href="/cases/"' not in body
    assert ">Leads<" not in body
    assert "+ New Case" not in body
    assert ">Pathways<" in body
    assert ">Introducers<" not in body
    assert "Concert Hub" not in body


def test_advice_only_firm_sees_no_support_menus(owner_client):
    body = text(owner_client.get("/"))
    assert "/support/" not in body
    assert ">Pathways<" not in body
    assert ">Support cases<" not in body


def test_firm_with_both_modules_sees_both_case_lists(other_firm, login):
    member = MembershipFactory(firm=other_firm, role=Role.OWNER)
    body = text(login(member).get("/"))
    assert ">Support cases<" in body
    assert 'href="/cases/"' in body


def test_support_pages_are_404_for_an_advice_only_firm(owner_client):
    assert owner_client.get(reverse("support:case_list")).status_code == 404
    assert owner_client.get(reverse("support:pathway_list")).status_code == 404


# The advice Cases list keeps to mortgage and protection


def test_advice_case_list_and_page_leave_support_cases_out(other_firm, login):
    member = MembershipFactory(firm=other_firm, role=Role.OWNER)
    client = login(member)
    support = make_support_case(other_firm, title="Debt help")
    advice = make_case(other_firm)
    listing = text(client.get(reverse("advice:case_list")))
    assert advice.reference in listing
    assert support.reference not in listing
    url = reverse("advice:case_detail", kwargs={"case_id": support.pk})
    assert client.get(url).status_code == 404
    assert support.get_absolute_url().startswith("/support/cases/")


# The contact record


def test_external_service_record_lists_the_cases_it_serves(
    charity_client, support_firm, case
):
    """I6: the contact's own record lists the cases it serves, in its role."""
    link = make_link(case, role="GP")
    body = text(charity_client.get(link.contact.get_absolute_url()))
    assert "Cases it serves" in body
    assert case.reference in body
    assert "as GP" in body


def test_beneficiary_record_offers_create_case(charity_client, support_firm):
    person = ContactFactory(firm=support_firm)
    body = text(charity_client.get(person.get_absolute_url()))
    assert f"{reverse('support:case_create')}?contact={person.pk}" in body
    organisation = OrganisationFactory(firm=support_firm)
    body = text(charity_client.get(organisation.get_absolute_url()))
    assert "?contact=" not in body.split("Cases it serves")[0].split("cases-heading")[1]


def test_contact_record_query_count_does_not_grow_with_served_cases(
    charity_client, charity_owner, support_firm, case
):
    """The record's queries stay the same as cases and links are added."""
    service = OrganisationFactory(firm=support_firm)
    url = service.get_absolute_url()
    charity_client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as before:
        charity_client.get(url)
    for _ in range(3):
        other = make_support_case(support_firm)
        services.service_link(
            firm=support_firm,
            actor=charity_owner.user,
            case=other,
            contact=service,
            role="Solicitor",
        )
    with CaptureQueriesContext(connection) as after:
        body = text(charity_client.get(url))
    assert body.count("· as Solicitor") == 3
    assert len(after.captured_queries) == len(before.captured_queries)


# Pathways settings (I9)


def test_pathways_settings_add_rename_archive(charity_client, support_firm):
    list_url = reverse("support:pathway_list")
    empty = text(charity_client.get(list_url))
    assert "There are no pathways yet" in empty
    response = charity_client.post(list_url, {"name": "Housing Support"})
    assert response.status_code == 302
    pathway = Pathway.objects.get(firm=support_firm)
    duplicate = charity_client.post(list_url, {"name": "housing support"})
    assert duplicate.status_code == 200
    assert 'value="housing support"' in text(duplicate)
    edit = reverse("support:pathway_edit", kwargs={"pathway_id": pathway.pk})
    charity_client.post(edit, {"name": "Housing"})
    active = reverse("support:pathway_set_active", kwargs={"pathway_id": pathway.pk})
    charity_client.post(active, {"active": "0"})
    pathway.refresh_from_db()
    assert (pathway.name, pathway.is_active) == ("Housing", False)
    verbs = list(
        AuditEvent.objects.filter(
            firm=support_firm, object_type="support.pathway"
        ).values_list("verb", flat=True)
    )
    assert sorted(verbs) == sorted(
        [AuditVerb.CREATE, AuditVerb.UPDATE, AuditVerb.ARCHIVE]
    )


def test_case_managers_cannot_manage_pathways(support_firm, login):
    manager = MembershipFactory(firm=support_firm, role=Role.ADVISER)
    pathway = make_pathway(support_firm)
    client = login(manager)
    assert client.get(reverse("support:pathway_list")).status_code == 403
    url = reverse("support:pathway_set_active", kwargs={"pathway_id": pathway.pk})
    assert client.post(url, {"active": "0"}).status_code == 403
