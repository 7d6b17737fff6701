"""Settings pages for branches, introducers and the name-only reference lists."""

import re

import pytest
from django.urls import reverse

from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent
from crm.firms.models import (
    Branch,
    InteractionType,
    Introducer,
    IntroducerBranch,
    Negotiator,
    TaskCategory,
)
from crm.firms.tests.factories import (
    BranchFactory,
    InteractionTypeFactory,
    IntroducerBranchFactory,
    IntroducerFactory,
    NegotiatorFactory,
    TaskCategoryFactory,
)

pytestmark = pytest.mark.django_db


def audit_verbs(firm, obj):
    """Return the verbs of the audit events about ``obj``, oldest first."""
    return list(
        AuditEvent.objects.filter(
            firm=firm, object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
        .order_by("id")
        .values_list("verb", flat=True)
    )


def text(response):
    return response.content.decode()


# Who may use the pages


def _routes(firm):
    """Return ``(method, url)`` for every page here, with the firm's own ids."""
    branch = BranchFactory(firm=firm)
    negotiator = NegotiatorFactory(branch__introducer__firm=firm)
    ib = negotiator.branch
    it = InteractionTypeFactory(firm=firm)
    tc = TaskCategoryFactory(firm=firm)
    return [
        ("get", reverse("firms:branch_list")),
        ("get", reverse("firms:branch_edit", args=[branch.pk])),
        ("post", reverse("firms:branch_set_active", args=[branch.pk])),
        ("get", reverse("firms:introducer_list")),
        ("get", reverse("firms:introducer_detail", args=[ib.introducer_id])),
        ("post", reverse("firms:introducer_set_active", args=[ib.introducer_id])),
        ("post", reverse("firms:introducer_branch_create", args=[ib.introducer_id])),
        ("get", reverse("firms:introducer_branch_edit", args=[ib.pk])),
        ("post", reverse("firms:introducer_branch_set_active", args=[ib.pk])),
        ("post", reverse("firms:negotiator_create", args=[ib.pk])),
        ("get", reverse("firms:negotiator_edit", args=[negotiator.pk])),
        ("post", reverse("firms:negotiator_set_active", args=[negotiator.pk])),
        ("get", reverse("firms:interaction_type_list")),
        ("get", reverse("firms:interaction_type_edit", args=[it.pk])),
        ("post", reverse("firms:interaction_type_set_active", args=[it.pk])),
        ("get", reverse("firms:task_category_list")),
        ("get", reverse("firms:task_category_edit", args=[tc.pk])),
        ("post", reverse("firms:task_category_set_active", args=[tc.pk])),
    ]


@pytest.mark.parametrize("role", ["adviser", "read_only"])
def test_members_without_manage_firm_are_refused(request, firm, login, role):
    """Advisers and read-only members get 403 on every page and action here."""
    client = login(request.getfixturevalue(role))
    statuses = {
        url: getattr(client, method)(url, {"active": "0", "name": "X"}).status_code
        for method, url in _routes(firm)
    }
    assert set(statuses.values()) == {403}
    assert not AuditEvent.objects.filter(firm=firm).exists()


def test_manager_can_open_every_page(firm, manager, login):
    """A manager holds MANAGE_FIRM, so every GET page answers 200."""
    client = login(manager)
    statuses = {
        url: client.get(url).status_code for m, url in _routes(firm) if m == "get"
    }
    assert set(statuses.values()) == {200}


def test_other_firms_ids_give_404_and_change_nothing(owner_client, other_firm):
    """Every id route answers 404 for another firm's rows and leaves them alone."""
    urls = [(m, url) for m, url in _routes(other_firm) if any(c.isdigit() for c in url)]
    statuses = {
        url: getattr(owner_client, method)(
            url, {"active": "0", "name": "X"}
        ).status_code
        for method, url in urls
    }
    assert set(statuses.values()) == {404}
    assert not AuditEvent.objects.filter(firm=other_firm).exists()


def test_set_active_without_a_valid_flag_is_a_bad_request(owner_client, firm):
    """An archive/restore POST must say active=1 or active=0."""
    branch = BranchFactory(firm=firm)
    url = reverse("firms:branch_set_active", args=[branch.pk])

    assert owner_client.post(url, {}).status_code == 400
    assert owner_client.post(url, {"active": "yes"}).status_code == 400
    branch.refresh_from_db()
    assert branch.is_active is True


def test_pages_appear_in_the_settings_menu(owner_client):
    """The settings menu links to all four reference-list pages."""
    html = text(owner_client.get(reverse("firms:branch_list")))
    for name in (
        "branch_list",
        "introducer_list",
        "interaction_type_list",
        "task_category_list",
    ):
        assert f'href="{reverse(f"firms:{name}")}"' in html


# Query counts: constant in the number of rows

LIST_QUERIES = 3  # session, user with memberships, the list (counts are subqueries)
DETAIL_QUERIES = 5  # session, user with memberships, introducer, branches, negotiators


def _rows(firm, n):
    introducer = IntroducerFactory(firm=firm)
    for _ in range(n):
        BranchFactory(firm=firm)
        InteractionTypeFactory(firm=firm)
        TaskCategoryFactory(firm=firm)
        other = IntroducerFactory(firm=firm)
        NegotiatorFactory.create_batch(2, branch__introducer=other)
        branch = IntroducerBranchFactory(introducer=introducer)
        NegotiatorFactory.create_batch(2, branch=branch)
        NegotiatorFactory(branch=branch, is_active=False)
    IntroducerBranchFactory(introducer=introducer, is_active=False)
    return introducer


@pytest.mark.parametrize("n", [3, 6])
@pytest.mark.parametrize(
    "name",
    ["branch_list", "introducer_list", "interaction_type_list", "task_category_list"],
)
def test_list_pages_use_a_constant_number_of_queries(
    owner_client, firm, django_assert_num_queries, name, n
):
    """Each list page runs the same queries whether it shows 3 rows or 6."""
    _rows(firm, n)
    url = reverse(f"firms:{name}")

    with django_assert_num_queries(LIST_QUERIES):
        response = owner_client.get(url)

    assert response.status_code == 200
    assert text(response).count('name="active"') >= n


@pytest.mark.parametrize("n", [3, 6])
def test_introducer_detail_uses_a_constant_number_of_queries(
    owner_client, firm, django_assert_num_queries, n
):
    """The introducer page prefetches branches and negotiators: same for 3 or 6."""
    introducer = _rows(firm, n)
    url = reverse("firms:introducer_detail", args=[introducer.pk])

    with django_assert_num_queries(DETAIL_QUERIES):
        response = owner_client.get(url)

    assert response.status_code == 200
    assert text(response).count("/settings/negotiators/") == 3 * n * 2


# Branches


def test_branch_list_shows_branches_and_greys_archived_ones(owner_client, firm):
    """Active and archived branches are listed; archived ones are muted with a badge."""
    BranchFactory(firm=firm, name="Leeds", address="1 Park Row", phone="0113 000")
    BranchFactory(firm=firm, name="York", is_active=False)

    html = text(owner_client.get(reverse("firms:branch_list")))

    assert "<h1>Branches</h1>" in html
    assert "Leeds" in html
    assert "1 Park Row" in html
    assert '<tr class="muted">' in html
    assert '<span class="badge">Archived</span>' in html
    assert 'Restore<span class="sr-only"> York</span>' in html


def test_branch_list_explains_an_empty_list(owner_client):
    """With no branches, the page says what belongs there."""
    html = text(owner_client.get(reverse("firms:branch_list")))

    assert '<div class="empty">' in html
    assert "Your firm has no branches yet" in html


def test_branch_list_post_adds_a_branch(owner_client, firm, owner):
    """Posting the add form creates the branch, audits it and says so."""
    response = owner_client.post(
        reverse("firms:branch_list"),
        {"name": "Leeds", "address": "1 Park Row", "phone": "0113"},
        follow=True,
    )

    branch = Branch.objects.get(firm=firm)
    assert branch.name == "Leeds"
    assert audit_verbs(firm, branch) == [AuditVerb.CREATE]
    assert "Branch “Leeds” added." in text(response)


def test_branch_list_post_with_errors_keeps_what_was_typed(owner_client, firm):
    """A refused add re-renders the page with the error and the typed values."""
    response = owner_client.post(
        reverse("firms:branch_list"), {"name": "", "address": "", "phone": "0113 496"}
    )

    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert 'value="0113 496"' in text(response)
    assert not Branch.objects.filter(firm=firm).exists()


def test_branch_edit_shows_the_saved_values(owner_client, firm):
    """The edit page is filled in from the branch."""
    branch = BranchFactory(firm=firm, name="Leeds", phone="0113")

    response = owner_client.get(reverse("firms:branch_edit", args=[branch.pk]))

    assert response.status_code == 200
    assert 'value="Leeds"' in text(response)
    assert 'href="/settings/branches/"' in text(response)


def test_branch_edit_post_saves_and_audits(owner_client, firm):
    """Saving changes updates the branch and writes an UPDATE event."""
    branch = BranchFactory(firm=firm, name="Leeds")

    response = owner_client.post(
        reverse("firms:branch_edit", args=[branch.pk]),
        {"name": "Leeds Central", "address": "", "phone": ""},
    )

    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.name == "Leeds Central"
    assert audit_verbs(firm, branch) == [AuditVerb.UPDATE]


def test_branch_edit_post_with_errors_keeps_what_was_typed(owner_client, firm):
    """A refused edit shows the error, keeps the typed phone and the old heading."""
    branch = BranchFactory(firm=firm, name="Leeds")

    response = owner_client.post(
        reverse("firms:branch_edit", args=[branch.pk]),
        {"name": "", "address": "", "phone": "0999"},
    )

    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert 'value="0999"' in text(response)
    assert "Edit branch Leeds" in text(response)
    assert audit_verbs(firm, branch) == []


def test_branch_set_active_archives_and_restores(owner_client, firm):
    """Archive and Restore buttons change the branch and are audited."""
    branch = BranchFactory(firm=firm, name="Leeds")
    url = reverse("firms:branch_set_active", args=[branch.pk])

    response = owner_client.post(url, {"active": "0"}, follow=True)
    assert "Branch “Leeds” archived." in text(response)
    owner_client.post(url, {"active": "1"})

    branch.refresh_from_db()
    assert branch.is_active is True
    assert audit_verbs(firm, branch) == [AuditVerb.ARCHIVE, AuditVerb.RESTORE]


# Introducers


def test_introducer_list_shows_counts_and_archived_rows(owner_client, firm):
    """Each introducer shows its active branch and negotiator counts."""
    acme = IntroducerFactory(firm=firm, name="Acme Estates")
    NegotiatorFactory.create_batch(3, branch__introducer=acme)
    IntroducerFactory(firm=firm, name="Gone Lettings", is_active=False)

    html = text(owner_client.get(reverse("firms:introducer_list")))

    assert "Acme Estates" in html
    assert re.search(r"<td>\s*3\s*</td>", html)
    assert "Gone Lettings" in html
    assert '<tr class="muted">' in html


def test_introducer_list_explains_an_empty_list(owner_client):
    """With no introducers, the page says what belongs there."""
    html = text(owner_client.get(reverse("firms:introducer_list")))

    assert '<div class="empty">' in html
    assert "You have no introducers yet" in html


def test_introducer_list_searches_filters_and_sorts(owner_client, firm):
    """The list searches name, e-mail and phone, filters by status and sorts."""
    IntroducerFactory(firm=firm, name="Acme Estates", email="hi@acme.test")
    busy = IntroducerFactory(firm=firm, name="Busy Homes")
    IntroducerBranchFactory.create_batch(2, introducer=busy)
    IntroducerFactory(firm=firm, name="Gone Lettings", is_active=False)
    url = reverse("firms:introducer_list")

    def names(params):
        html = text(owner_client.get(url, params))
        return re.findall(r'<a href="/settings/introducers/\d+/">([^<]+)</a>', html)

    assert names({}) == ["Acme Estates", "Busy Homes", "Gone Lettings"]
    assert names({"q": "acme.test"}) == ["Acme Estates"]
    assert names({"status": "archived"}) == ["Gone Lettings"]
    assert names({"sort": "-name"}) == ["Gone Lettings", "Busy Homes", "Acme Estates"]
    assert names({"sort": "-branches"})[0] == "Busy Homes"
    assert names({"sort": "nonsense", "status": "nonsense"}) == names({})


def test_introducer_list_htmx_answers_the_results_only(owner_client, firm):
    """A filter change from the page swaps the results, not the whole page."""
    IntroducerFactory(firm=firm, name="Acme Estates")

    response = owner_client.get(
        reverse("firms:introducer_list"), {"q": "zzz"}, headers={"HX-Request": "true"}
    )

    html = text(response)
    assert "<html" not in html
    assert "No introducers match these filters" in html
    assert "HX-Request" in response["Vary"]


def test_introducer_list_post_adds_and_opens_the_introducer(owner_client, firm):
    """A new introducer is created, audited, and its page opens next."""
    response = owner_client.post(
        reverse("firms:introducer_list"),
        {"name": "Acme Estates", "email": "hi@acme.test", "phone": ""},
    )

    acme = Introducer.objects.get(firm=firm)
    assert response["Location"] == acme.get_absolute_url()
    assert audit_verbs(firm, acme) == [AuditVerb.CREATE]


def test_introducer_list_post_with_a_bad_email_keeps_what_was_typed(owner_client, firm):
    """A refused add shows the e-mail error and keeps the typed name."""
    response = owner_client.post(
        reverse("firms:introducer_list"),
        {"name": "Acme Estates", "email": "not-an-email", "phone": ""},
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in text(response)
    assert 'value="Acme Estates"' in text(response)
    assert not Introducer.objects.filter(firm=firm).exists()


def test_introducer_detail_shows_branches_and_their_negotiators(owner_client, firm):
    """The page lists each branch with its negotiators and an add form per branch."""
    high = IntroducerBranchFactory(introducer__firm=firm, name="High Street")
    NegotiatorFactory(branch=high, name="Ann Lee")
    NegotiatorFactory(branch=high, name="Bob Ray", is_active=False)
    empty = IntroducerBranchFactory(introducer=high.introducer, name="Market Square")

    html = text(
        owner_client.get(reverse("firms:introducer_detail", args=[high.introducer_id]))
    )

    assert html.count("<h1>") == 1
    assert "High Street" in html
    assert "Ann Lee" in html
    assert 'Restore<span class="sr-only"> Bob Ray</span>' in html
    assert "No negotiators at Market Square yet" in html
    assert f'action="/settings/introducer-branches/{high.pk}/negotiators/"' in html
    assert f'action="/settings/introducer-branches/{empty.pk}/negotiators/"' in html
    assert f'for="id_negotiator-{high.pk}-name"' in html


def test_introducer_detail_explains_no_branches(owner_client, firm):
    """An introducer without branches says what to add."""
    acme = IntroducerFactory(firm=firm, name="Acme")

    html = text(owner_client.get(reverse("firms:introducer_detail", args=[acme.pk])))

    assert "Acme has no branches yet" in html


def test_introducer_detail_post_saves_the_details(owner_client, firm):
    """The details form on the page updates the introducer, audited."""
    acme = IntroducerFactory(firm=firm, name="Acme")
    url = reverse("firms:introducer_detail", args=[acme.pk])

    response = owner_client.post(
        url, {"name": "Acme Estates", "email": "", "phone": "0161"}
    )

    assert response["Location"] == url
    acme.refresh_from_db()
    assert (acme.name, acme.phone) == ("Acme Estates", "0161")
    assert audit_verbs(firm, acme) == [AuditVerb.UPDATE]


def test_introducer_detail_post_with_errors_keeps_what_was_typed(owner_client, firm):
    """A refused edit re-renders with the error and the typed e-mail."""
    acme = IntroducerFactory(firm=firm, name="Acme")

    response = owner_client.post(
        reverse("firms:introducer_detail", args=[acme.pk]),
        {"name": "Acme", "email": "nope@", "phone": ""},
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in text(response)
    assert 'value="nope@"' in text(response)


def test_introducer_set_active_goes_back_where_it_came_from(owner_client, firm):
    """Archiving from the page returns to it; restoring from the list returns there."""
    acme = IntroducerFactory(firm=firm)
    url = reverse("firms:introducer_set_active", args=[acme.pk])

    archived = owner_client.post(url, {"active": "0", "return_to": "detail"})
    restored = owner_client.post(url, {"active": "1"})

    assert archived["Location"] == acme.get_absolute_url()
    assert restored["Location"] == reverse("firms:introducer_list")
    assert audit_verbs(firm, acme) == [AuditVerb.ARCHIVE, AuditVerb.RESTORE]


def test_introducer_branch_create_adds_a_branch(owner_client, firm):
    """The add-branch form creates the branch and returns to it on the page."""
    acme = IntroducerFactory(firm=firm)

    response = owner_client.post(
        reverse("firms:introducer_branch_create", args=[acme.pk]),
        {"branch-name": "High Street", "branch-phone": "0161"},
    )

    branch = IntroducerBranch.objects.get(introducer=acme)
    assert response["Location"] == f"{acme.get_absolute_url()}#branch-{branch.pk}"
    assert branch.name == "High Street"
    assert audit_verbs(firm, branch) == [AuditVerb.CREATE]


def test_introducer_branch_create_with_errors_keeps_what_was_typed(owner_client, firm):
    """A refused branch re-renders the introducer's page with the typed phone."""
    acme = IntroducerFactory(firm=firm, name="Acme")

    response = owner_client.post(
        reverse("firms:introducer_branch_create", args=[acme.pk]),
        {"branch-name": "", "branch-phone": "0161 555"},
    )

    assert response.status_code == 200
    assert "The branch was not added." in text(response)
    assert 'value="0161 555"' in text(response)
    assert not acme.branches.exists()


def test_introducer_branch_create_on_an_archived_introducer_is_refused(
    owner_client, firm
):
    """Adding a branch to an archived introducer shows why it was refused."""
    gone = IntroducerFactory(firm=firm, name="Gone", is_active=False)

    response = owner_client.post(
        reverse("firms:introducer_branch_create", args=[gone.pk]),
        {"branch-name": "High Street", "branch-phone": ""},
    )

    assert response.status_code == 200
    assert "Gone is archived. Restore it before adding branches." in text(response)
    assert 'value="High Street"' in text(response)
    assert not gone.branches.exists()


def test_introducer_branch_edit_saves_and_audits(owner_client, firm):
    """The branch edit page shows the branch and saves changes, audited."""
    branch = IntroducerBranchFactory(introducer__firm=firm, name="High St")
    url = reverse("firms:introducer_branch_edit", args=[branch.pk])

    page = owner_client.get(url)
    response = owner_client.post(url, {"name": "Market St", "phone": ""})

    assert 'value="High St"' in text(page)
    assert branch.introducer.name in text(page)
    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.name == "Market St"
    assert audit_verbs(firm, branch) == [AuditVerb.UPDATE]


def test_introducer_branch_edit_with_errors_keeps_what_was_typed(owner_client, firm):
    """A refused branch edit shows the error and the typed phone."""
    branch = IntroducerBranchFactory(introducer__firm=firm)

    response = owner_client.post(
        reverse("firms:introducer_branch_edit", args=[branch.pk]),
        {"name": "", "phone": "0161 777"},
    )

    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert 'value="0161 777"' in text(response)


def test_introducer_branch_set_active_archives_and_hides_its_add_form(
    owner_client, firm
):
    """An archived branch is badged and offers Restore instead of adding people."""
    branch = IntroducerBranchFactory(introducer__firm=firm, name="High St")

    response = owner_client.post(
        reverse("firms:introducer_branch_set_active", args=[branch.pk]),
        {"active": "0"},
        follow=True,
    )

    html = text(response)
    assert "Branch “High St” archived." in html
    assert "Restore this branch to add negotiators to it." in html
    assert f"/settings/introducer-branches/{branch.pk}/negotiators/" not in html
    assert audit_verbs(firm, branch) == [AuditVerb.ARCHIVE]


def test_negotiator_create_adds_a_negotiator(owner_client, firm):
    """The per-branch form adds a negotiator to that branch, audited."""
    branch = IntroducerBranchFactory(introducer__firm=firm, name="High St")
    prefix = f"negotiator-{branch.pk}"

    response = owner_client.post(
        reverse("firms:negotiator_create", args=[branch.pk]),
        {f"{prefix}-name": "Ann Lee", f"{prefix}-email": "", f"{prefix}-phone": ""},
        follow=True,
    )

    ann = Negotiator.objects.get(branch=branch)
    assert ann.name == "Ann Lee"
    assert "Negotiator “Ann Lee” added to High St." in text(response)
    assert audit_verbs(firm, ann) == [AuditVerb.CREATE]


def test_negotiator_create_with_errors_keeps_what_was_typed(owner_client, firm):
    """A refused negotiator re-renders the page with errors on that branch's form."""
    branch = IntroducerBranchFactory(introducer__firm=firm)
    IntroducerBranchFactory(introducer=branch.introducer)
    prefix = f"negotiator-{branch.pk}"

    response = owner_client.post(
        reverse("firms:negotiator_create", args=[branch.pk]),
        {f"{prefix}-name": "Ann", f"{prefix}-email": "ann@", f"{prefix}-phone": ""},
    )

    html = text(response)
    assert response.status_code == 200
    assert html.count("Enter a valid email address.") == 1
    assert f'name="{prefix}-email" value="ann@"' in html
    assert not Negotiator.objects.filter(firm=firm).exists()


def test_negotiator_edit_saves_and_audits(owner_client, firm):
    """The negotiator edit page saves changes and returns to the branch."""
    ann = NegotiatorFactory(branch__introducer__firm=firm, name="Ann")
    url = reverse("firms:negotiator_edit", args=[ann.pk])

    page = owner_client.get(url)
    response = owner_client.post(url, {"name": "Ann Lee", "email": "", "phone": ""})

    assert 'value="Ann"' in text(page)
    assert ann.branch.name in text(page)
    assert response["Location"].endswith(f"#branch-{ann.branch_id}")
    ann.refresh_from_db()
    assert ann.name == "Ann Lee"
    assert audit_verbs(firm, ann) == [AuditVerb.UPDATE]


def test_negotiator_edit_with_errors_keeps_what_was_typed(owner_client, firm):
    """A refused negotiator edit shows the error and the typed e-mail."""
    ann = NegotiatorFactory(branch__introducer__firm=firm)

    response = owner_client.post(
        reverse("firms:negotiator_edit", args=[ann.pk]),
        {"name": "Ann", "email": "ann@", "phone": ""},
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in text(response)
    assert 'value="ann@"' in text(response)


def test_negotiator_set_active_archives_and_restores(owner_client, firm):
    """Archiving and restoring a negotiator is audited and returns to the branch."""
    ann = NegotiatorFactory(branch__introducer__firm=firm)
    url = reverse("firms:negotiator_set_active", args=[ann.pk])

    response = owner_client.post(url, {"active": "0"})
    owner_client.post(url, {"active": "1"})

    assert response["Location"].endswith(f"#branch-{ann.branch_id}")
    assert audit_verbs(firm, ann) == [AuditVerb.ARCHIVE, AuditVerb.RESTORE]


# Interaction types and task categories: one template, the same behaviour

KINDS = [
    pytest.param(
        "interaction_type", InteractionType, InteractionTypeFactory, id="interaction"
    ),
    pytest.param("task_category", TaskCategory, TaskCategoryFactory, id="task"),
]


@pytest.mark.parametrize(("entity", "model", "factory"), KINDS)
def test_named_list_shows_rows_and_greys_archived_ones(
    owner_client, firm, entity, model, factory
):
    """The list shows active and archived names with Rename and Restore buttons."""
    factory(firm=firm, name="Home visit")
    factory(firm=firm, name="Fax", is_active=False)

    html = text(owner_client.get(reverse(f"firms:{entity}_list")))

    assert f"<h1>{model._meta.verbose_name_plural.capitalize()}</h1>" in html
    assert 'Rename<span class="sr-only"> Home visit</span>' in html
    assert 'Restore<span class="sr-only"> Fax</span>' in html
    assert '<tr class="muted">' in html


@pytest.mark.parametrize(("entity", "model", "factory"), KINDS)
def test_named_list_explains_an_empty_list(owner_client, entity, model, factory):
    """With no rows, the page says what belongs there."""
    html = text(owner_client.get(reverse(f"firms:{entity}_list")))

    assert '<div class="empty">' in html
    assert f"There are no {model._meta.verbose_name_plural} yet" in html


@pytest.mark.parametrize(("entity", "model", "factory"), KINDS)
def test_named_list_post_adds_a_row(owner_client, firm, entity, model, factory):
    """Posting a new name creates the row, audits it and says so."""
    response = owner_client.post(
        reverse(f"firms:{entity}_list"), {"name": "Home visit"}, follow=True
    )

    row = model.objects.get(firm=firm)
    assert row.name == "Home visit"
    assert "“Home visit” added." in text(response)
    assert audit_verbs(firm, row) == [AuditVerb.CREATE]


@pytest.mark.parametrize(("entity", "model", "factory"), KINDS)
def test_named_list_post_refuses_a_duplicate_name(
    owner_client, firm, entity, model, factory
):
    """A duplicate in another case is refused with a clear error, keeping the input."""
    factory(firm=firm, name="Home visit")

    response = owner_client.post(
        reverse(f"firms:{entity}_list"), {"name": "HOME visit"}
    )

    assert response.status_code == 200
    assert "“Home visit” already exists." in text(response)
    assert 'value="HOME visit"' in text(response)
    assert model.objects.filter(firm=firm).count() == 1


@pytest.mark.parametrize(("entity", "model", "factory"), KINDS)
def test_named_list_post_with_a_blank_name_shows_the_error(
    owner_client, firm, entity, model, factory
):
    """An empty name is refused on the form."""
    response = owner_client.post(reverse(f"firms:{entity}_list"), {"name": ""})

    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert not model.objects.filter(firm=firm).exists()


@pytest.mark.parametrize(("entity", "model", "factory"), KINDS)
def test_named_edit_renames_and_audits(owner_client, firm, entity, model, factory):
    """The rename page shows the name and saves a new one, audited."""
    row = factory(firm=firm, name="Phone")
    url = reverse(f"firms:{entity}_edit", args=[row.pk])

    page = owner_client.get(url)
    response = owner_client.post(url, {"name": "Phone call"})

    assert 'value="Phone"' in text(page)
    assert response["Location"] == reverse(f"firms:{entity}_list")
    row.refresh_from_db()
    assert row.name == "Phone call"
    assert audit_verbs(firm, row) == [AuditVerb.UPDATE]


@pytest.mark.parametrize(("entity", "model", "factory"), KINDS)
def test_named_edit_refuses_another_rows_name(
    owner_client, firm, entity, model, factory
):
    """Renaming onto an existing name is refused with the typed name kept."""
    factory(firm=firm, name="Letter")
    row = factory(firm=firm, name="Phone")

    response = owner_client.post(
        reverse(f"firms:{entity}_edit", args=[row.pk]), {"name": "letter"}
    )

    assert response.status_code == 200
    assert "“Letter” already exists." in text(response)
    assert 'value="letter"' in text(response)
    row.refresh_from_db()
    assert row.name == "Phone"


@pytest.mark.parametrize(("entity", "model", "factory"), KINDS)
def test_named_set_active_archives_and_restores(
    owner_client, firm, entity, model, factory
):
    """Archive and Restore change the row and are audited."""
    row = factory(firm=firm, name="Fax")
    url = reverse(f"firms:{entity}_set_active", args=[row.pk])

    response = owner_client.post(url, {"active": "0"}, follow=True)
    owner_client.post(url, {"active": "1"})

    assert "“Fax” archived." in text(response)
    row.refresh_from_db()
    assert row.is_active is True
    assert audit_verbs(firm, row) == [AuditVerb.ARCHIVE, AuditVerb.RESTORE]
