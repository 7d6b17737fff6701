"""Clients pages: list, create with duplicate warning, record, search (B1-B4)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from crm.contacts.models import Contact
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_list_shows_people_and_empty_state(owner_client, firm):
    """The list shows contacts; with none it explains what to do."""
    assert "No clients yet" in owner_client.get("/clients/").content.decode()
    ContactFactory(firm=firm, first_name="Nia", last_name="Evans")
    assert "Nia Evans" in owner_client.get("/clients/").content.decode()


def test_list_search_filters_and_explains_no_match(owner_client, firm):
    """Search narrows the list; no match says what search looks at."""
    ContactFactory(
        firm=firm, first_name="Nia", last_name="Evans", email="nia@x.example"
    )
    ContactFactory(firm=firm, first_name="Tom", last_name="Hall")
    body = owner_client.get("/clients/", {"q": "nia@"}).content.decode()
    assert "Nia Evans" in body
    assert "Tom Hall" not in body
    body = owner_client.get("/clients/", {"q": "zzzz"}).content.decode()
    assert "No one matches" in body


def test_list_never_shows_other_firms(owner_client, other_firm):
    """Another firm's contacts are not listed or found."""
    ContactFactory(firm=other_firm, first_name="Secret", last_name="Rival")
    assert "Secret" not in owner_client.get("/clients/").content.decode()
    assert (
        "Secret" not in owner_client.get("/clients/", {"q": "secret"}).content.decode()
    )


@pytest.mark.parametrize("rows", [3, 9])
@pytest.mark.parametrize(("query", "queries"), [({}, 3), ({"q": "Row"}, 4)])
def test_list_query_count_is_constant(
    rows, query, queries, owner_client, firm, django_assert_num_queries
):
    """Session, user with memberships and one page query (a search: its ids too).

    Every cell is drawn from the narrow rows (``ROW_FIELDS``): a field left out
    would cost a query per row here.
    """
    for i in range(rows):
        ContactFactory(
            firm=firm,
            first_name="Row",
            last_name=f"Person{i}",
            mobile=f"0770090000{i}",
            town="Leeds",
            organisation=OrganisationFactory(firm=firm, organisation_name=f"Org {i}"),
        )
    # No mobile: its other phone is shown.
    ContactFactory(firm=firm, first_name="Row", mobile="", other_phone="0113 496 0000")
    with django_assert_num_queries(queries):
        body = owner_client.get("/clients/", query).content.decode()
    assert body.count("Row Person") == rows
    assert body.count("· Org ") == rows
    assert body.count("0770090000") == rows
    assert "0113 496 0000" in body


def test_create_person(owner_client):
    """A new person is created and the record opens."""
    response = owner_client.post(
        "/clients/new/",
        {
            "kind": "person",
            "first_name": "Ada",
            "last_name": "Byron",
            "email": "ada@x.example",
        },
    )
    contact = Contact.objects.get()
    assert response["Location"] == f"/clients/{contact.pk}/"


def test_create_duplicate_shows_existing_and_keeps_input(owner_client, firm):
    """A duplicate e-mail shows the existing record and keeps what was typed (B3)."""
    existing = ContactFactory(firm=firm, first_name="Ada", email="ada@x.example")
    response = owner_client.post(
        "/clients/new/",
        {
            "kind": "person",
            "first_name": "Ada",
            "last_name": "Second",
            "email": "ADA@x.example",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "This may be someone you already have" in body
    assert f'href="/clients/{existing.pk}/"' in body
    assert 'value="Second"' in body
    assert Contact.objects.count() == 1
    confirmed = owner_client.post(
        "/clients/new/",
        {
            "kind": "person",
            "first_name": "Ada",
            "last_name": "Second",
            "email": "ada@x.example",
            "allow_duplicate": "on",
        },
    )
    # A different person may share a phone, never an e-mail (A10).
    assert confirmed.status_code == 200
    assert "already has this e-mail address" in confirmed.content.decode()
    assert 'value="Second"' in confirmed.content.decode()
    assert Contact.objects.count() == 1


def test_create_without_name_is_explained(owner_client):
    """A person without any name gets a clear message."""
    response = owner_client.post(
        "/clients/new/", {"kind": "person", "email": "a@b.example"}
    )
    assert "Enter a first or last name." in response.content.decode()


def test_create_organisation(owner_client):
    """Organisations have their own form."""
    assert (
        "Organisation name"
        in owner_client.get("/clients/new/?kind=organisation").content.decode()
    )
    owner_client.post(
        "/clients/new/", {"kind": "organisation", "organisation_name": "GP Surgery"}
    )
    assert Contact.objects.get().display_name == "GP Surgery"


def test_read_only_cannot_create_or_edit(read_only, login, firm):
    """Read-only members get 403 and see no create buttons."""
    client = login(read_only)
    contact = ContactFactory(firm=firm)
    assert client.get("/clients/new/").status_code == 403
    assert client.post(f"/clients/{contact.pk}/edit/", {}).status_code == 403
    assert "New person" not in client.get("/clients/").content.decode()


def test_edit_and_archive(owner_client, firm):
    """Editing saves; archiving moves the contact to the archived list."""
    contact = ContactFactory(firm=firm, first_name="Old")
    owner_client.post(
        f"/clients/{contact.pk}/edit/",
        {
            "kind": "person",
            "first_name": "Zebedee",
            "last_name": contact.last_name,
            "email": contact.email,
            "mobile": contact.mobile,
        },
    )
    contact.refresh_from_db()
    assert contact.first_name == "Zebedee"
    owner_client.post(f"/clients/{contact.pk}/archive/", {"archived": "1"})
    link = f'href="/clients/{contact.pk}/"'
    assert link not in owner_client.get("/clients/").content.decode()
    assert link in owner_client.get("/clients/", {"archived": "1"}).content.decode()


def test_client_record_shows_sections_and_timeline(owner_client, firm):
    """The record shows details, sections and the timeline, newest first."""
    contact = ContactFactory(firm=firm, first_name="Rec", last_name="Ord")
    owner_client.post(
        f"/clients/{contact.pk}/edit/",
        {
            "kind": "person",
            "first_name": "Rec",
            "last_name": "Ord",
            "email": contact.email,
            "mobile": contact.mobile,
            "town": "Bath",
        },
    )
    body = owner_client.get(f"/clients/{contact.pk}/").content.decode()
    assert "<h1>Rec Ord</h1>" in body
    assert "Leads" in body
    assert "Timeline" in body
    assert "Details updated" in body


def _record_rows(firm, owner, contact, rows):
    """Give ``contact`` ``rows`` of each kind of interaction and task it shows.

    Interactions, notes and touchpoints of its own (with and without a case,
    a lead, a type or an author), others on its case only, and tasks open,
    done, overdue or undated, on its case or its lead, with and without an
    assignee or a category.
    """
    from crm.cases.tests.factories import DocumentFactory, make_case
    from crm.complaints import services as complaints
    from crm.complaints.choices import ComplaintCategory, ComplaintOutcome
    from crm.contacts import services
    from crm.contacts.choices import ConsentKind, ConsentSource
    from crm.firms.tests.factories import TaskCategoryFactory
    from crm.interactions.choices import InteractionKind
    from crm.interactions.tests.factories import InteractionFactory
    from crm.leads.tests.factories import LeadFactory
    from crm.tasks.choices import TaskStatus
    from crm.tasks.tests.factories import TaskFactory

    case = make_case(firm, applicants=[contact])
    today = timezone.localdate()
    lead = LeadFactory(contact=contact)
    category = TaskCategoryFactory(firm=firm)
    for i in range(rows):
        LeadFactory(contact=contact, owner=owner.user if i % 2 else None)
        DocumentFactory(
            firm=firm,
            case=None,
            contact=contact,
            uploaded_by=owner.user if i % 2 else None,
            original_name=f"payslip <{i}>.pdf",
        )
        services.consent_record(
            firm=firm,
            actor=owner.user if i % 2 else None,
            contact=contact,
            kind=list(ConsentKind)[i % 2],
            given=i % 3 != 2,
            text_version=f"v{i}",
            source=ConsentSource.STAFF,
        )
        complaint = complaints.complaint_log(
            firm=firm,
            actor=owner.user,
            data=complaints.ComplaintData(
                received_on=today,
                category=ComplaintCategory.SERVICE,
                summary="Kept waiting.",
                contact=contact,
            ),
            today=today,
        )
        if i % 2:
            complaints.complaint_resolve(
                firm=firm,
                actor=owner.user,
                complaint=complaint,
                data=complaints.ResolutionData(
                    outcome=ComplaintOutcome.UPHELD, final_response_on=today
                ),
                today=today,
            )
        services.contact_update(
            firm=firm, actor=owner.user, contact=contact, town=f"T{i}"
        )
        InteractionFactory(firm=firm, contact=contact, created_by=owner.user)
        InteractionFactory(
            firm=firm,
            contact=contact,
            case=case,
            kind=InteractionKind.NOTE,
            interaction_type=None,
        )
        InteractionFactory(
            firm=firm,
            contact=contact,
            lead=lead,
            kind=InteractionKind.TOUCHPOINT,
            created_by=owner.user,
        )
        InteractionFactory(firm=firm, contact=None, case=case, duration_minutes=20)
        TaskFactory(
            firm=firm,
            contact=contact,
            case=case,
            assignee=owner.user,
            category=category,
            duration_minutes=30,
        )
        TaskFactory(
            firm=firm, contact=contact, lead=lead, status=TaskStatus.DONE, due_date=None
        )
        TaskFactory(
            firm=firm,
            contact=contact,
            due_date=timezone.localdate() - timedelta(days=3),
            assignee=owner.user,
        )


@pytest.mark.parametrize("rows", [1, 4])
def test_client_record_query_count_is_constant(
    rows, owner_client, firm, owner, django_assert_num_queries
):
    """The record's sections use a fixed number of queries, whatever their rows.

    Every field a row shows must be loaded with it: one read later, per row,
    would make the count grow with ``rows``.
    """
    contact = ContactFactory(firm=firm)
    _record_rows(firm, owner, contact, rows)
    # session, user with memberships, contact, documents, cases, leads, tasks,
    # interactions, timeline, complaints about the client (the owner manages
    # complaints); consents (M4); the viewing's audit row and its chain head (A7);
    # the client's case ids, read once each by the task and interaction lists
    # (as values, so PostgreSQL can use both indexes: 0.7 s -> 0.03 s at 3M rows)
    with django_assert_num_queries(15):
        body = owner_client.get(f"/clients/{contact.pk}/").content.decode()
    shown = min(rows * 4, 10)  # each section's rows, up to its limit of 10
    assert body.count('<span class="sr-only"> “Task ') == min(rows * 2, 10)
    assert body.count("· by ") == shown
    assert body.count(">Lead #") == rows + 1
    assert body.count("Received ") == rows
    assert body.count("download>payslip &lt;") == rows
    assert body.count(" · wording v") == min(rows, 2)  # the latest of each kind
    assert ("final response due" in body) is True
    assert ("final response " in body.replace("final response due", "")) is (rows > 1)


def test_header_search_dropdown_groups_clients(owner_client, firm):
    """The as-you-type dropdown lists matching clients as options."""
    ContactFactory(
        firm=firm, first_name="Bea", last_name="Quinn", mobile="07700 123456"
    )
    response = owner_client.get(
        "/search/", {"q": "07700 123 456"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert 'role="option"' in body
    assert "Bea Quinn" in body
    assert "Clients" in body


def test_full_search_page(owner_client, firm):
    """Without htmx, search renders a results page."""
    ContactFactory(firm=firm, first_name="Bea", last_name="Quinn")
    body = owner_client.get("/search/", {"q": "quinn"}).content.decode()
    assert "<h1>Search results</h1>" in body
    assert "Bea Quinn" in body


def test_picker_returns_options_and_is_firm_scoped(owner_client, firm, other_firm):
    """The picker suggests only this firm's contacts, by part of a name."""
    ContactFactory(firm=firm, first_name="Pick", last_name="Me")
    ContactFactory(firm=other_firm, first_name="Pick", last_name="Rival")
    body = owner_client.get("/clients/picker/", {"contact_q": "pick"}).content.decode()
    assert "Pick Me" in body
    assert "Rival" not in body
    assert (
        "No one matches"
        in owner_client.get("/clients/picker/", {"q": "zzz"}).content.decode()
    )


@pytest.mark.parametrize("rows", [3, 6])
def test_search_endpoint_query_count_is_constant(
    rows, owner_client, firm, django_assert_num_queries
):
    """Session, user with memberships, the contacts' probes and their rows,
    leads, and three for cases (bench notes 43).

    Cases: by reference and by the matched clients in one statement, the
    cases, and their applicants with their contacts.
    """
    from crm.cases.tests.factories import make_case

    for i in range(rows):
        make_case(firm, applicants=[ContactFactory(firm=firm, first_name=f"Sam{i}")])
    with django_assert_num_queries(8):
        owner_client.get("/search/", {"q": "sam"}, headers={"HX-Request": "true"})


def test_list_says_when_a_search_is_capped(owner_client, firm, monkeypatch):
    """More matches than the cap show a message asking to narrow the search."""
    from crm.contacts.views import contacts as views

    monkeypatch.setattr(views, "SEARCH_LIMIT", 2)
    for i in range(3):
        ContactFactory(firm=firm, first_name=f"Cap{i}", last_name="Stone")
    body = owner_client.get("/clients/", {"q": "stone"}).content.decode()
    assert "More than 2 contacts match" in body


def test_person_can_be_linked_to_an_archived_organisation_and_kept(owner_client, firm):
    """Editing a person at an archived organisation keeps the link."""
    org = OrganisationFactory(
        firm=firm, organisation_name="Old Surgery", is_archived=True
    )
    person = ContactFactory(firm=firm, organisation=org)
    page = owner_client.get(f"/clients/{person.pk}/edit/").content.decode()
    assert re.search(rf'name="organisation"\s+value="{org.pk}"', page)
    owner_client.post(
        f"/clients/{person.pk}/edit/",
        {
            "kind": "person",
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "mobile": person.mobile,
            "organisation": str(org.pk),
            "town": "Bath",
        },
    )
    person.refresh_from_db()
    assert (person.organisation_id, person.town) == (org.pk, "Bath")


def test_organisation_from_another_firm_is_refused(owner_client, firm, other_firm):
    """A forged organisation id from another firm gives a form error."""
    foreign = OrganisationFactory(firm=other_firm)
    response = owner_client.post(
        "/clients/new/",
        {"kind": "person", "first_name": "A", "organisation": str(foreign.pk)},
    )
    assert "Choose an organisation from the list." in response.content.decode()
    assert Contact.objects.filter(firm=firm).count() == 0


def test_overlong_phone_number_is_explained_on_the_field(owner_client):
    """A 25-digit mobile gets a clear message on the mobile field."""
    response = owner_client.post(
        "/clients/new/",
        {"kind": "person", "first_name": "A", "mobile": "0" * 25},
    )
    assert "at most 15 digits" in response.content.decode()


@pytest.mark.parametrize("rows", [2, 7])
def test_picker_query_count_is_constant(
    rows, owner_client, firm, django_assert_num_queries
):
    """Session, user with memberships, the probes and the hits' rows (only
    the columns an option shows and ranks by: no deferred column read)."""
    for i in range(rows):
        ContactFactory(
            firm=firm, first_name=f"Pia{i}", last_name="Stone", mobile="07700 900123"
        )
    with django_assert_num_queries(4):
        body = owner_client.get("/clients/picker/", {"q": "stone"}).content.decode()
    assert body.count('role="option"') == rows
    assert "Pia0 Stone" in body


def test_picker_for_organisations_filters_by_kind(owner_client, firm):
    """The organisation picker suggests organisations only."""
    ContactFactory(firm=firm, first_name="Riverside", last_name="Person")
    OrganisationFactory(firm=firm, organisation_name="Riverside Surgery")
    body = owner_client.get(
        "/clients/picker/", {"q": "riverside", "kind": "organisation"}
    ).content.decode()
    assert "Riverside Surgery" in body
    assert "Riverside Person" not in body


def test_nul_byte_in_search_is_not_a_500(owner_client):
    """A NUL byte in the header search or picker is handled."""
    assert owner_client.get("/search/", {"q": "ab\x00c"}).status_code == 200
    assert owner_client.get("/clients/picker/", {"q": "ab\x00c"}).status_code == 200


def test_header_search_lists_cases_by_reference_and_client(owner_client, firm):
    """Cases are found by their reference and through their clients."""
    from crm.cases.tests.factories import make_case

    client = ContactFactory(firm=firm, first_name="Cassie", last_name="Reed")
    case = make_case(firm, applicants=[client])
    by_name = owner_client.get(
        "/search/", {"q": "cassie"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Cases" in by_name
    assert case.reference in by_name
    by_reference = owner_client.get(
        "/search/", {"q": case.reference.lower()}, headers={"HX-Request": "true"}
    ).content.decode()
    assert f'href="/cases/{case.pk}/"' in by_reference or case.reference in by_reference


def test_header_search_lists_the_matched_clients_open_leads(owner_client, firm):
    """The Leads group names each open lead's client (from the contacts the
    search read) and its status, and leaves a closed lead out."""
    from crm.leads.choices import LeadStatus
    from crm.leads.tests.factories import LeadFactory

    client = ContactFactory(firm=firm, first_name="Leona", last_name="Quill")
    lead = LeadFactory(contact=client)
    LeadFactory(contact=client, status=LeadStatus.NOT_PROCEEDING)
    body = owner_client.get(
        "/search/", {"q": "quill"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert f'id="search-lead-{lead.pk}"' in body
    assert body.count('id="search-lead-') == 1
    option = body[body.index(f'id="search-lead-{lead.pk}"') :].split("</li>")[0]
    assert "Leona Quill" in option
    assert str(lead.get_status_display()) in option


def test_support_only_search_finds_cases_by_reference_and_title(db, login):
    """A Support-only charity's search has a Cases group and no Leads group."""
    from crm.firms.tests.factories import FirmFactory, MembershipFactory
    from crm.support.tests.factories import make_support_case

    firm = FirmFactory(has_advice=False, has_support=True)
    member = MembershipFactory(firm=firm)
    case = make_support_case(firm, title="Debt advice referral")
    client = login(member)
    by_title = client.get("/search/", {"q": "referral"}).content.decode()
    assert case.reference in by_title
    assert "Leads" not in by_title
    by_reference = client.get(
        "/search/", {"q": case.reference}, headers={"HX-Request": "true"}
    ).content.decode()
    assert f'id="search-case-{case.pk}"' in by_reference
    assert "Search clients and cases" in client.get("/").content.decode()


def test_client_record_offers_a_new_case_of_each_kind_the_firm_has(db, login):
    """B4: the record's header opens a new case of each kind for this client.

    A firm with both modules gets one + New Case listing the wizard and a
    support case, each pre-filled with the client; a read-only member gets
    neither (re-cut issue, kinds).
    """
    from crm.firms.choices import Role
    from crm.firms.tests.factories import FirmFactory, MembershipFactory

    both = FirmFactory(has_advice=True, has_support=True)
    contact = ContactFactory(firm=both)
    owner = MembershipFactory(firm=both, role=Role.OWNER)
    body = login(owner).get(contact.get_absolute_url()).content.decode()
    actions = body[body.index('class="page-header__actions"') :]
    actions = actions[: actions.index("</div>")]
    assert actions.count("+ New Case") == 1
    assert ">+ New Case</summary>" in actions
    assert (
        f'href="/cases/new/?contact={contact.pk}">Mortgage or protection case</a>'
        in actions
    )
    assert (
        f'href="/support/cases/new/?contact={contact.pk}">Support case</a>' in actions
    )
    assert "Create case" not in actions
    reader = MembershipFactory(firm=both, role=Role.READ_ONLY)
    body = login(reader).get(contact.get_absolute_url()).content.decode()
    main = body[body.index("<main") :]
    assert "+ New Case" not in main
    assert "Support case</a>" not in main


def test_a_single_module_firm_record_links_straight_to_its_kind(db, login):
    """B4: an advice firm's record opens the wizard, a charity's Create case."""
    from crm.firms.choices import Role
    from crm.firms.tests.factories import FirmFactory, MembershipFactory

    advice = FirmFactory(has_advice=True, has_support=False)
    contact = ContactFactory(firm=advice)
    body = login(MembershipFactory(firm=advice, role=Role.OWNER)).get(
        contact.get_absolute_url()
    )
    assert (
        f'href="/cases/new/?contact={contact.pk}">+ New Case' in body.content.decode()
    )
    charity = FirmFactory(has_advice=False, has_support=True)
    person = ContactFactory(firm=charity)
    body = login(MembershipFactory(firm=charity, role=Role.OWNER)).get(
        person.get_absolute_url()
    )
    text = body.content.decode()
    assert f'href="/support/cases/new/?contact={person.pk}">Create case' in text
    assert 'class="dropmenu"' not in text


def test_a_second_post_of_the_new_client_form_creates_nothing(owner_client, firm):
    """A double click on Save makes one contact and goes to it (A10)."""
    page = owner_client.get("/clients/new/")
    token = page.context["form"]["once"].value()
    assert f'name="once" value="{token}"' in page.content.decode()
    data = {"kind": "person", "first_name": "Dot", "mobile": "07700 900555"}
    first = owner_client.post("/clients/new/", {**data, "once": token})
    second = owner_client.post("/clients/new/", {**data, "once": token})
    contact = Contact.objects.get(firm=firm)
    assert first["Location"] == second["Location"] == contact.get_absolute_url()
    assert Contact.objects.count() == 1
    assert owner_client.post("/clients/new/", {**data, "once": "x"}).status_code == 200
