"""The support case page's sections: needs and outcomes (htmx and plain posts),
planned support, external services (SPEC I4-I6)."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.cases.models import CaseEvent
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory
from crm.interactions.choices import InteractionKind
from crm.interactions.models import Interaction
from crm.support import services
from crm.support.choices import ItemKind, PlanStatus, SupportEventType
from crm.support.models import ExternalService, PlannedSupport, SupportItem
from crm.support.tests.factories import (
    make_item,
    make_link,
    make_plan,
    make_support_case,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


def body(response):
    return html.unescape(response.content.decode())


def events(case, type_):
    return list(CaseEvent.objects.filter(case=case, type=type_))


@pytest.fixture
def sowner(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.OWNER)


@pytest.fixture
def reader(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.READ_ONLY)


@pytest.fixture
def case(support_firm, sowner):
    return make_support_case(support_firm, manager=sowner.user)


@pytest.fixture
def sowner_client(login, sowner):
    return login(sowner)


def add_url(case):
    return reverse("support:item_add", args=[case.pk])


# Needs and outcomes (I4)


def test_htmx_add_returns_the_section_with_an_empty_focused_box(sowner_client, case):
    """I4: an htmx add answers with the section alone: the new need listed, the
    box emptied and focused; a case event and an audit entry are written."""
    response = sowner_client.post(
        add_url(case), {"kind": "need", "text": " Rent  arrears "}, **HTMX
    )
    page = body(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert '<section class="card" id="needs"' in page
    assert "Rent arrears" in page
    assert 'value=""' in page
    assert "autofocus" in page
    assert 'aria-label="Remove need: Rent arrears"' in page
    assert (
        events(case, SupportEventType.NEED_ADDED)[0].parameters["text"]
        == "Rent arrears"
    )
    assert AuditEvent.objects.filter(
        firm=case.firm, verb=AuditVerb.CREATE, object_type="support.supportitem"
    ).exists()


def test_htmx_add_refused_keeps_text_and_shows_error(sowner_client, case):
    """I4: a refused add keeps what was typed and shows the error inline."""
    typed = "x" * 301
    response = sowner_client.post(
        add_url(case), {"kind": "outcome", "text": typed}, **HTMX
    )
    page = body(response)
    assert response.status_code == 200
    assert 'id="outcomes"' in page
    assert f'value="{typed}"' in page
    assert 'role="alert">Keep it under 300 characters.' in page
    assert 'aria-invalid="true" aria-describedby="outcomes-error"' in page
    assert not SupportItem.objects.filter(case=case).exists()


def test_htmx_add_empty_text_asks_for_text(sowner_client, case):
    """I4: an empty box is refused with a message."""
    page = body(
        sowner_client.post(add_url(case), {"kind": "need", "text": "  "}, **HTMX)
    )
    assert "Type something to add." in page


def test_plain_add_redirects_to_the_section_with_a_message(sowner_client, case):
    """I4: without JavaScript, the add redirects to the section with a message."""
    response = sowner_client.post(
        add_url(case), {"kind": "outcome", "text": "Own flat"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{case.get_absolute_url()}#outcomes"
    page = body(sowner_client.get(response["Location"]))
    assert "Desired outcome added." in page
    assert "Own flat" in page


def test_plain_add_refused_shows_the_message(sowner_client, case):
    """I4: a refused plain add comes back to the page with the reason."""
    response = sowner_client.post(
        add_url(case), {"kind": "need", "text": ""}, follow=True
    )
    assert "Type something to add." in body(response)
    assert response.redirect_chain[-1][0].endswith("#needs")


def test_add_with_unknown_kind_is_a_bad_request(sowner_client, case):
    """I4: a kind other than need or outcome is refused."""
    assert (
        sowner_client.post(add_url(case), {"kind": "<x>", "text": "a"}).status_code
        == 400
    )


def test_htmx_remove_returns_the_section(sowner_client, case):
    """I4: the remove button removes the item and returns the section."""
    item = make_item(case, ItemKind.NEED, "Gas meter")
    response = sowner_client.post(
        reverse("support:item_remove", args=[item.pk]), **HTMX
    )
    page = body(response)
    assert "No client needs recorded yet." in page
    assert not SupportItem.objects.filter(pk=item.pk).exists()
    assert (
        events(case, SupportEventType.NEED_REMOVED)[0].parameters["text"] == "Gas meter"
    )


def test_plain_remove_redirects(sowner_client, case):
    """I4: a plain remove redirects back with a message."""
    item = make_item(case, ItemKind.OUTCOME, "Job")
    response = sowner_client.post(
        reverse("support:item_remove", args=[item.pk]), follow=True
    )
    assert "Desired outcome removed: Job" in body(response)


def test_outcome_achieved_on_a_date_and_unmarked(sowner_client, case):
    """I4: an outcome is marked achieved on a date (today if blank) and unmarked."""
    item = make_item(case, ItemKind.OUTCOME, "Stable income")
    url = reverse("support:outcome_achieved", args=[item.pk])
    page = body(
        sowner_client.post(url, {"achieved": "1", "achieved_on": "2026-01-02"}, **HTMX)
    )
    assert "Achieved 2 Jan 2026" in page
    assert "Mark not achieved" in page
    item.refresh_from_db()
    assert item.achieved_on == datetime.date(2026, 1, 2)
    sowner_client.post(url, {}, **HTMX)
    item.refresh_from_db()
    assert item.achieved_on is None
    sowner_client.post(url, {"achieved": "1", "achieved_on": ""})
    item.refresh_from_db()
    assert item.achieved_on == timezone.localdate()
    types = [e.type for e in CaseEvent.objects.filter(case=case).order_by("id")]
    assert types[-3:] == [
        SupportEventType.OUTCOME_ACHIEVED,
        SupportEventType.OUTCOME_UNACHIEVED,
        SupportEventType.OUTCOME_ACHIEVED,
    ]


def test_outcome_achieved_in_the_future_is_refused(sowner_client, case):
    """I4: a future date is refused with an alert in the section."""
    item = make_item(case, ItemKind.OUTCOME)
    future = timezone.localdate() + datetime.timedelta(days=3)
    url = reverse("support:outcome_achieved", args=[item.pk])
    page = body(
        sowner_client.post(url, {"achieved": "1", "achieved_on": future}, **HTMX)
    )
    assert 'role="alert">The date achieved can\'t be in the future.' in page
    page = body(
        sowner_client.post(url, {"achieved": "1", "achieved_on": "2026-13-45"}, **HTMX)
    )
    assert "Enter the date achieved as a valid date." in page


def test_a_need_cannot_be_achieved(sowner_client, case):
    """I4: only desired outcomes can be achieved."""
    item = make_item(case, ItemKind.NEED)
    url = reverse("support:outcome_achieved", args=[item.pk])
    response = sowner_client.post(url, {"achieved": "1"}, follow=True)
    assert "Only desired outcomes can be achieved." in body(response)


def test_closed_case_refuses_item_changes(sowner_client, case, sowner):
    """I3: a closed case refuses adds and removes, with the reason."""
    item = make_item(case)
    services.support_case_close(firm=case.firm, actor=sowner.user, case=case)
    page = body(
        sowner_client.post(add_url(case), {"kind": "need", "text": "More"}, **HTMX)
    )
    assert "This case is closed. Reopen it to make changes." in page
    assert 'name="text"' not in page
    response = sowner_client.post(
        reverse("support:item_remove", args=[item.pk]), follow=True
    )
    assert "This case is closed. Reopen it to make changes." in body(response)
    assert SupportItem.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("rows", [2, 6])
def test_htmx_section_query_counts_are_constant(
    sowner_client, case, rows, django_assert_num_queries
):
    """I4: each htmx section response runs a fixed number of queries."""
    for i in range(rows):
        make_item(case, ItemKind.OUTCOME, f"Outcome {i}")
    item = make_item(case, ItemKind.OUTCOME, "Last")
    # session, user with memberships; case, applicants; savepoint, full_clean's
    # firm, case and user checks, insert, event, audit chain head (A7), audit,
    # release; the items
    with django_assert_num_queries(14):
        sowner_client.post(add_url(case), {"kind": "outcome", "text": "New"}, **HTMX)
    # session, user with memberships; item; savepoint, update, event, audit chain
    # head (A7), audit, release; the section's items
    with django_assert_num_queries(10):
        sowner_client.post(
            reverse("support:outcome_achieved", args=[item.pk]),
            {"achieved": "1"},
            **HTMX,
        )
    with django_assert_num_queries(10):
        sowner_client.post(reverse("support:item_remove", args=[item.pk]), **HTMX)


# Planned support (I5)


def test_plan_form_and_create(sowner_client, case, sowner):
    """I5: Add planned support with description, target date, lead and status."""
    url = reverse("support:plan_create", args=[case.pk])
    page = body(sowner_client.get(url))
    for label in ("Description", "Target date", "Lead", "Status", ">Save<"):
        assert label in page
    for status in ("Planned", "In Progress", "Complete"):
        assert status in page
    response = sowner_client.post(
        url,
        {
            "description": "Benefits check",
            "target_date": "2026-03-01",
            "lead": sowner.user.pk,
            "status": PlanStatus.IN_PROGRESS,
        },
    )
    assert response["Location"] == f"{case.get_absolute_url()}#planned-support"
    plan = PlannedSupport.objects.get(case=case)
    assert (plan.description, plan.lead, plan.status) == (
        "Benefits check",
        sowner.user,
        PlanStatus.IN_PROGRESS,
    )
    assert events(case, SupportEventType.PLAN_ADDED)
    assert AuditEvent.objects.filter(object_type="support.plannedsupport").exists()


def test_plan_create_bad_input_keeps_values(sowner_client, case):
    """I5: a missing description is refused and typed values stay."""
    url = reverse("support:plan_create", args=[case.pk])
    response = sowner_client.post(url, {"description": "", "target_date": "2026-04-09"})
    page = body(response)
    assert response.status_code == 200
    assert "Enter a description of the support." in page
    assert 'value="2026-04-09"' in page
    assert not PlannedSupport.objects.filter(case=case).exists()


def test_plan_lead_must_be_an_active_member(sowner_client, case, support_firm):
    """I5: only the firm's active members can lead."""
    gone = MembershipFactory(firm=support_firm, is_active=False).user
    url = reverse("support:plan_create", args=[case.pk])
    page = body(sowner_client.post(url, {"description": "Call", "lead": gone.pk}))
    assert "Select a valid choice." in page


def test_plan_edit_prefills_and_saves(sowner_client, case):
    """I5: the edit form is pre-filled; saving records what changed."""
    plan = make_plan(case, "Weekly call")
    url = reverse("support:plan_edit", args=[plan.pk])
    assert 'value="Weekly call"' in body(sowner_client.get(url))
    sowner_client.post(url, {"description": "Fortnightly call", "status": "complete"})
    plan.refresh_from_db()
    assert plan.description == "Fortnightly call"
    event = events(case, SupportEventType.PLAN_UPDATED)[0]
    assert event.parameters["changes"]["status"] == ["planned", "complete"]


def test_plan_delete_confirms_then_deletes(sowner_client, case):
    """I5: delete asks first (GET), then deletes (POST) and history keeps it."""
    plan = make_plan(case, "Weekly call")
    url = reverse("support:plan_delete", args=[plan.pk])
    page = body(sowner_client.get(url))
    assert "Delete planned support?" in page
    assert "Weekly call" in page
    assert PlannedSupport.objects.filter(pk=plan.pk).exists()
    response = sowner_client.post(url, follow=True)
    assert "Planned support deleted: Weekly call" in body(response)
    assert not PlannedSupport.objects.filter(pk=plan.pk).exists()
    assert events(case, SupportEventType.PLAN_DELETED)


def test_closed_case_refuses_plans(sowner_client, case, sowner):
    """I3: a closed case sends the form away and refuses a post."""
    plan = make_plan(case)
    services.support_case_close(firm=case.firm, actor=sowner.user, case=case)
    response = sowner_client.get(
        reverse("support:plan_create", args=[case.pk]), follow=True
    )
    assert "This case is closed. Reopen it to make changes." in body(response)
    url = reverse("support:plan_edit", args=[plan.pk])
    page = body(
        sowner_client.post(url, {"description": "Changed", "status": "planned"})
    )
    assert "This case is closed. Reopen it to make changes." in page
    response = sowner_client.post(
        reverse("support:plan_delete", args=[plan.pk]), follow=True
    )
    assert "This case is closed." in body(response)
    assert PlannedSupport.objects.filter(pk=plan.pk).exists()


# External services (I6)


def test_link_form_shows_picker_role_and_note(sowner_client, case):
    """I6: the Link external service page has a contact search, Role and Note."""
    page = body(sowner_client.get(reverse("support:service_link", args=[case.pk])))
    assert 'role="combobox"' in page
    assert reverse("contacts:contact_picker") in page
    assert "?kind=" not in page
    assert "Role" in page
    assert "Optionally add a note to log this connection as a touchpoint." in page


def test_link_an_organisation_with_a_note_logs_a_touchpoint(sowner_client, case):
    """I6: linking records the role, a case event, and the note as a touchpoint."""
    gp = OrganisationFactory(firm=case.firm, organisation_name="Riverside Surgery")
    url = reverse("support:service_link", args=[case.pk])
    response = sowner_client.post(
        url, {"contact": gp.pk, "role": "GP", "note": "Registered."}
    )
    assert response["Location"] == f"{case.get_absolute_url()}#external-services"
    link = ExternalService.objects.get(case=case)
    assert (link.contact, link.role) == (gp, "GP")
    assert Interaction.objects.get(case=case).kind == InteractionKind.TOUCHPOINT
    assert events(case, SupportEventType.SERVICE_LINKED)
    assert AuditEvent.objects.filter(object_type="support.externalservice").exists()


def test_link_bad_input_keeps_choice_and_shows_errors(sowner_client, case):
    """I6: a missing role keeps the chosen contact; no contact is asked for."""
    solicitor = ContactFactory(firm=case.firm, first_name="Sam", last_name="Law")
    url = reverse("support:service_link", args=[case.pk])
    page = body(
        sowner_client.post(url, {"contact": solicitor.pk, "role": "", "note": "Hi"})
    )
    assert "Enter their role, e.g. GP or solicitor." in page
    assert "Sam Law" in page
    assert "Hi</textarea>" in page
    page = body(sowner_client.post(url, {"contact": "", "role": "GP"}))
    assert "Search for and select a contact." in page
    assert not ExternalService.objects.exists()


def test_link_refuses_beneficiary_duplicates_and_other_firms(
    sowner_client, case, other_firm
):
    """I6: the beneficiary, a contact already linked, or another firm's contact
    are refused."""
    url = reverse("support:service_link", args=[case.pk])
    beneficiary = case.applicants.get().contact
    page = body(sowner_client.post(url, {"contact": beneficiary.pk, "role": "GP"}))
    assert "The beneficiary can't be their own external service." in page
    link = make_link(case)
    page = body(sowner_client.post(url, {"contact": link.contact_id, "role": "GP"}))
    assert "is already linked to this case." in page
    theirs = ContactFactory(firm=other_firm)
    page = body(sowner_client.post(url, {"contact": theirs.pk, "role": "GP"}))
    assert "Choose a contact of this firm." in page
    assert ExternalService.objects.filter(case=case).count() == 1


def test_unlink_confirms_then_unlinks(sowner_client, case):
    """I6: the delete icon asks first, then unlinks; history keeps who it was."""
    link = make_link(case, role="Solicitor")
    url = reverse("support:service_unlink", args=[link.pk])
    assert f"Unlink {link.contact.display_name}?" in body(sowner_client.get(url))
    response = sowner_client.post(url, follow=True)
    assert f"{link.contact.display_name} unlinked." in body(response)
    assert not ExternalService.objects.filter(pk=link.pk).exists()
    assert events(case, SupportEventType.SERVICE_UNLINKED)[0].parameters["role"] == (
        "Solicitor"
    )


# Permissions and isolation


def _write_urls(case):
    item = make_item(case)
    plan = make_plan(case)
    link = make_link(case)
    return [
        reverse("support:item_add", args=[case.pk]),
        reverse("support:item_remove", args=[item.pk]),
        reverse("support:outcome_achieved", args=[item.pk]),
        reverse("support:plan_create", args=[case.pk]),
        reverse("support:plan_edit", args=[plan.pk]),
        reverse("support:plan_delete", args=[plan.pk]),
        reverse("support:service_link", args=[case.pk]),
        reverse("support:service_unlink", args=[link.pk]),
    ]


def test_read_only_member_is_refused_every_write(login, reader, case):
    """A read-only member gets 403 on every section write."""
    client = login(reader)
    for url in _write_urls(case):
        assert client.post(url, {"kind": "need", "text": "x"}).status_code == 403, url
    assert SupportItem.objects.filter(case=case).count() == 1


def test_other_firms_objects_are_not_found(sowner_client, other_firm):
    """T4: another firm's case, items, plans and links answer 404."""
    theirs = make_support_case(other_firm)
    for url in _write_urls(theirs):
        assert sowner_client.get(url).status_code in (404, 405), url
        assert (
            sowner_client.post(url, {"kind": "need", "text": "x"}).status_code == 404
        ), url


def test_firm_without_support_module_gets_404(login, owner, case):
    """A firm without the Support module has no support section pages."""
    response = login(owner).post(add_url(case), {"kind": "need", "text": "x"})
    assert response.status_code == 404
