"""The client fills in their own Fact Find in the portal (SPEC F4, H3)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from crm.advice import readiness
from crm.advice.choices import AdviceKind
from crm.advice.factfind.models import FactFind, FactFindAddress
from crm.cases.models import CaseEvent
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.exceptions import ApplicationError
from crm.portal.choices import ActionKind, ActionStatus, PortalCaseEventType
from crm.portal.services import factfind as services
from crm.portal.tests.factories import PortalAccountFactory, client_for, make_action

HTMX = {"HTTP_HX_REQUEST": "true"}
PERSONAL = {
    "date_of_birth": "1985-04-02",
    "marital_status": "single",
    "nationality": "British",
    "dependants": "0",
    "dependants_ages": "",
}
EMPLOYMENT = {
    "employment_status": "employed",
    "occupation": "Nurse",
    "employer": "NHS Trust",
    "employment_start": "2015-09-01",
}
INCOME = {"basic_income": "42000", "net_monthly_income": "2700"}


@pytest.fixture
def ann(firm):
    return ContactFactory(firm=firm, first_name="Ann", email="ann@example.com")


@pytest.fixture
def bob(firm):
    return ContactFactory(firm=firm, first_name="Bob", email="bob@example.com")


@pytest.fixture
def case(firm, adviser, ann, bob):
    return make_case(firm, applicants=[ann, bob], owner=adviser.user)


@pytest.fixture
def action(firm, case, ann):
    return make_action(firm, case=case, contact=ann, kind=ActionKind.FACT_FIND)


@pytest.fixture
def account(ann):
    return PortalAccountFactory(contact=ann)


@pytest.fixture
def client(account):
    return client_for(account)


def _url(action, tail=""):
    return f"/portal/actions/{action.pk}/fact-find/{tail}"


def _complete(client, action):
    """Fill in every required section as the client, with one current address."""
    moved_in = (timezone.localdate() - timedelta(days=4 * 365)).isoformat()
    for section, data in (
        ("personal", PERSONAL),
        ("employment", EMPLOYMENT),
        ("income", INCOME),
    ):
        assert client.post(_url(action, f"{section}/"), data).status_code == 302
    address = {"line1": "1 High St", "postcode": "AB1 2CD", "moved_in": moved_in}
    assert client.post(_url(action, "addresses/add/"), address).status_code == 302


@pytest.mark.django_db
def test_page_shows_the_clients_sections_and_what_is_missing(client, action):
    """The page lists the mortgage sections and, in plain words, what is missing."""
    response = client.get(_url(action))
    assert response.status_code == 200
    text = response.content.decode()
    for title in ("Personal details", "Addresses", "Employment", "Income"):
        assert title in text
    assert "Health and smoking" not in text  # a mortgage case does not ask it
    assert "Your addresses for the last three years, without gaps" in text
    assert 'for="ff_date_of_birth"' in text
    assert 'hx-post="/portal/actions/' in text
    assert "client record" not in text  # no staff wording


@pytest.mark.django_db
def test_first_save_marks_in_progress_and_history_says_client_entered(
    client, action, ann
):
    """A section save writes the Fact Find as the client and starts the action."""
    response = client.post(_url(action, "personal/"), PERSONAL, **HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Personal details saved." in text
    assert 'id="ff-summary"' in text
    assert "In Progress" in text  # the status, out of band
    fact_find = FactFind.objects.get(contact=ann)
    assert fact_find.nationality == "British"
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    types = list(
        CaseEvent.objects.filter(case=action.case)
        .order_by("id")
        .values_list("type", "parameters__source")
    )
    assert ("fact_find_updated", "client") in types
    assert (PortalCaseEventType.ACTION_STARTED.value, None) in types
    client.post(_url(action, "income/"), INCOME, **HTMX)
    started = CaseEvent.objects.filter(
        case=action.case, type=PortalCaseEventType.ACTION_STARTED
    )
    assert started.count() == 1  # the second save does not start it again


@pytest.mark.django_db
def test_invalid_input_keeps_what_was_typed(client, action):
    """A refused save shows the errors and the typed values, htmx or not."""
    data = {**PERSONAL, "date_of_birth": "not-a-date", "nationality": "Irish"}
    response = client.post(_url(action, "personal/"), data, **HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'value="Irish"' in text
    assert 'value="not-a-date"' in text
    assert "not saved" in text
    response = client.post(_url(action, "personal/"), data)
    assert response.status_code == 400
    assert 'value="Irish"' in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.REQUESTED


@pytest.mark.django_db
def test_client_adds_and_removes_rows(client, action, ann):
    """Addresses, commitments and policies can be added and removed."""
    rows = {
        "addresses": {
            "line1": "1 High St",
            "postcode": "AB1",
            "moved_in": "2020-01-01",
        },
        "commitments": {"kind": "loan", "monthly_payment": "120"},
        "policies": {"provider": "Aviva", "kind": "life"},
    }
    for section, data in rows.items():
        response = client.post(_url(action, f"{section}/add/"), data, **HTMX)
        assert response.status_code == 200
        assert "added" in response.content.decode()
    fact_find = FactFind.objects.get(contact=ann)
    assert fact_find.addresses.count() == 1
    assert fact_find.commitments.count() == 1
    assert fact_find.policies.count() == 1
    row = fact_find.addresses.get()
    response = client.post(_url(action, "addresses/remove/"), {"row": row.pk})
    assert response.status_code == 302
    assert fact_find.addresses.count() == 0


@pytest.mark.django_db
def test_client_cannot_remove_the_joint_applicants_rows(firm, client, action, bob):
    """A row of the other applicant's Fact Find is refused and left alone."""
    theirs = FactFind.objects.create(firm=firm, contact=bob)
    row = FactFindAddress.objects.create(
        firm=firm,
        fact_find=theirs,
        line1="9 Bob Rd",
        postcode="ZZ1",
        moved_in=date(2020, 1, 1),
    )
    response = client.post(_url(action, "addresses/remove/"), {"row": row.pk}, **HTMX)
    assert response.status_code == 200
    assert "no longer on this Fact Find" in response.content.decode()
    assert FactFindAddress.objects.filter(pk=row.pk).exists() is True


@pytest.mark.django_db
def test_other_applicants_and_other_firms_actions_are_404(
    firm, other_firm, client, case, bob
):
    """The joint applicant's Fact Find action, another kind and another firm: 404."""
    theirs = make_action(firm, case=case, contact=bob, kind=ActionKind.FACT_FIND)
    consent = make_action(firm, case=case, contact=case.applicants.first().contact)
    elsewhere = make_action(other_firm, kind=ActionKind.FACT_FIND)
    for other in (theirs, consent, elsewhere):
        assert client.get(_url(other)).status_code == 404
        assert client.post(_url(other, "personal/"), PERSONAL).status_code == 404
        assert client.post(_url(other, "finish/")).status_code == 404
    assert not FactFind.objects.filter(contact=bob).exists()


@pytest.mark.django_db
def test_section_the_case_kind_lacks_is_404(client, action):
    """Health is a protection section; on a mortgage case its route is a 404."""
    response = client.post(_url(action, "health/"), {"smoker_status": "never"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_finish_is_refused_with_what_is_missing_then_done(
    firm, adviser, login, client, action, ann
):
    """I've finished lists the gaps; once complete it is Done and markers go."""
    response = client.post(_url(action, "finish/"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "You can't finish yet" in text
    assert "Date of birth" in text
    action.refresh_from_db()
    assert action.status == ActionStatus.REQUESTED

    staff = login(adviser)
    page = staff.get(action.case.get_absolute_url()).content.decode()
    assert (
        f'id="{readiness.section_id(action.case.applicants.first().pk, "personal")}"'
        in page
    )

    _complete(client, action)
    response = client.post(_url(action, "finish/"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_at is not None
    assert CaseEvent.objects.filter(
        case=action.case, type=PortalCaseEventType.FACT_FIND_FINISHED
    ).exists()
    ann_blockers = [
        b
        for b in readiness.case_readiness(firm=firm, case=action.case)
        if "Ann" in b.section
    ]
    assert ann_blockers == []
    page = client.get(_url(action)).content.decode()
    assert "Your adviser has it now" in page
    assert "I&#x27;ve finished</button>" not in page
    response = client.post(_url(action, "income/"), INCOME)
    assert response.status_code == 400  # refused with a message, nothing saved
    assert "already with your adviser" in response.content.decode()
    assert (
        CaseEvent.objects.filter(case=action.case, type="fact_find_updated").count()
        == 3
    )


@pytest.mark.django_db
def test_services_refuse_a_closed_or_foreign_action(firm, account, action, bob):
    """A done action refuses writes; another client's action is a bug."""
    action.status = ActionStatus.DONE
    action.save()
    with pytest.raises(ApplicationError, match="already with your adviser"):
        services.fact_find_save(
            account=account, action=action, section="income", data={}
        )
    theirs = make_action(firm, case=action.case, contact=bob, kind=ActionKind.FACT_FIND)
    with pytest.raises(AssertionError, match="not this client's"):
        services.fact_find_finish(account=account, action=theirs)


@pytest.mark.django_db
def test_protection_case_asks_health(firm, ann):
    """A protection case's Fact Find has the health section."""
    case = make_case(firm, kind=AdviceKind.PROTECTION, applicants=[ann])
    action = make_action(firm, case=case, contact=ann, kind=ActionKind.FACT_FIND)
    client = client_for(PortalAccountFactory(contact=ann))
    assert "Health and smoking" in client.get(_url(action)).content.decode()
    data = {"smoker_status": "never", "health_conditions": "no"}
    assert client.post(_url(action, "health/"), data).status_code == 302


JUNK = {
    "date_of_birth": "2026-13-45",
    "dependants": "-3",
    "marital_status": "<script>",
    "basic_income": "lots",
    "moved_in": "yesterday",
    "kind": "x",
    "row": "99999999999999999999",
    "line1": "a\x00b",
}


@pytest.mark.django_db
def test_junk_input_never_500s(client, action):
    """Every portal Fact Find route answers junk with a page or a 4xx."""
    client.raise_request_exception = False
    tails = [
        "",
        "finish/",
        "personal/",
        "employment/",
        "income/",
        *(
            f"{s}/{v}/"
            for s in ("addresses", "commitments", "policies")
            for v in ("add", "remove")
        ),
    ]
    for tail in tails:
        for extra in ({}, HTMX):
            response = client.post(_url(action, tail), JUNK, **extra)
            assert response.status_code < 500, tail
    assert client.get(_url(action), JUNK).status_code == 200


@pytest.mark.django_db
def test_page_and_section_save_query_counts(
    firm, client, action, ann, django_assert_num_queries
):
    """The page and an htmx section save have fixed query counts, rows or not."""
    fact_find = FactFind.objects.create(firm=firm, contact=ann)
    for n in range(3):
        FactFindAddress.objects.create(
            firm=firm,
            fact_find=fact_find,
            line1=f"{n} High St",
            postcode="AB1",
            moved_in=date(2020 - n, 1, 1),
        )
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(_url(action)).status_code == 200
    with django_assert_num_queries(SAVE_QUERIES):
        response = client.post(_url(action, "income/"), INCOME, **HTMX)
        assert response.status_code == 200


# Session, account, action, Fact Find and its three kinds of rows.
PAGE_QUERIES = 7
# Those reads; the action locked; the Fact Find service's lock, checks, update
# and its case, timeline and audit rows; the status move, its event and audit
# row; two savepoints and their releases; the Fact Find re-read for the answer;
# the audit hash chain's head, read once for both audit rows (A7; 25 when it
# was read before each: crm/core/txmemo.py).
SAVE_QUERIES = 24
