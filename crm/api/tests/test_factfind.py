"""The Fact Find and D&N through the API: read, and change one section with
the case page's form checks and services (F1, F2, K1)."""

import pytest

from crm.advice.choices import AdviceKind
from crm.api.choices import TokenScope
from crm.api.tests.factories import api_client, make_token
from crm.cases.models import CaseEvent
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.support.tests.factories import make_support_case

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_fact_finds_are_listed_per_client_in_constant_queries(
    api, firm, django_assert_num_queries
):
    """Each client's sections and rows; the count is the same for two clients."""
    main, joint = ContactFactory(firm=firm), ContactFactory(firm=firm)
    case = make_case(firm, applicants=[main, joint])
    with django_assert_num_queries(5):
        body = api.get(f"/api/v1/cases/{case.pk}/fact-finds").json()
    assert [f["contact_id"] for f in body] == [main.pk, joint.pk]
    assert set(body[0]["sections"]) == {"personal", "employment", "income", "health"}
    assert body[0]["rows"] == {"addresses": [], "commitments": [], "policies": []}
    assert body[0]["sections"]["personal"]["date_of_birth"] is None


def test_a_section_is_patched_and_the_rest_stays(api, firm):
    """Fields sent change, others keep their value; the history shows it."""
    case = make_case(firm)
    contact = case.applicants.get().contact
    url = f"/api/v1/cases/{case.pk}/fact-finds/{contact.pk}/personal"
    first = api.patch(
        url, {"date_of_birth": "1980-02-29", "dependants": 2}, content_type=JSON
    )
    assert first.status_code == 200, first.content
    second = api.patch(url, {"nationality": "British"}, content_type=JSON)
    personal = second.json()["sections"]["personal"]
    assert personal["date_of_birth"] == "1980-02-29"
    assert (personal["dependants"], personal["nationality"]) == (2, "British")
    assert CaseEvent.objects.filter(case=case, type="fact_find_updated").count() == 2


def test_a_bad_value_is_named_as_the_page_names_it(api, firm):
    """400 with the field: a bad date, an unknown field, a wrong type."""
    case = make_case(firm)
    contact = case.applicants.get().contact
    url = f"/api/v1/cases/{case.pk}/fact-finds/{contact.pk}/personal"
    for body, field in (
        ({"date_of_birth": "soon"}, "body.date_of_birth"),
        ({"shoe_size": 9}, "body.shoe_size"),
        ({"dependants": {"a": 1}}, "body.dependants"),
        ({"dependants": 99}, "body.dependants"),
    ):
        response = api.patch(url, body, content_type=JSON)
        assert response.status_code == 400, body
        assert list(response.json()["fields"]) == [field]


def test_a_client_not_on_the_case_is_404(api, firm):
    """Another client's Fact Find is not reached through this case."""
    case = make_case(firm)
    stranger = ContactFactory(firm=firm)
    response = api.patch(
        f"/api/v1/cases/{case.pk}/fact-finds/{stranger.pk}/personal",
        {"nationality": "British"},
        content_type=JSON,
    )
    assert response.status_code == 404


def test_demands_and_needs_are_read_and_patched_by_the_kinds_parts(
    api, firm, django_assert_num_queries
):
    """A protection case has the protection and advice parts, not mortgage."""
    case = make_case(firm, kind=AdviceKind.PROTECTION)
    url = f"/api/v1/cases/{case.pk}/demands-needs"
    with django_assert_num_queries(5):
        empty = api.get(url).json()
    assert set(empty["sections"]) == {"protection", "advice"}
    changed = api.patch(
        f"{url}/protection",
        {"cover_types": ["life"], "cover_amount": "250000", "cover_term_years": 20},
        content_type=JSON,
    )
    assert changed.status_code == 200, changed.content
    protection = changed.json()["sections"]["protection"]
    assert protection["cover_types"] == ["life"]
    assert protection["cover_amount"] == "250000.00"
    wrong = api.patch(f"{url}/mortgage", {"purpose": "x"}, content_type=JSON)
    assert wrong.status_code == 400
    assert wrong.json()["fields"] == {"path.section": [wrong.json()["message"]]}


def test_a_support_case_has_no_fact_find_here(api, other_firm):
    """A support case (another module) answers 404 on these operations."""
    case = make_support_case(other_firm)
    assert api.get(f"/api/v1/cases/{case.pk}/demands-needs").status_code == 404


def test_a_read_only_token_reads_but_does_not_change(firm, owner):
    """Read scope lists; a change is 403."""
    client = api_client(make_token(owner, scope=TokenScope.READ)[1])
    case = make_case(firm)
    assert client.get(f"/api/v1/cases/{case.pk}/fact-finds").status_code == 200
    response = client.patch(
        f"/api/v1/cases/{case.pk}/demands-needs/advice",
        {"adviser_notes": "x"},
        content_type=JSON,
    )
    assert response.status_code == 403
