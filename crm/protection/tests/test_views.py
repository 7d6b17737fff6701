"""The policies section of the case page, the quote page and Select (G1-G3)."""

import pytest
from django.urls import reverse

from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.concerthub.tests.factories import set_network
from crm.protection.models import Policy
from crm.protection.tests.factories import make_policy, protection_case

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response):
    return response.content.decode()


def url(name, **kwargs):
    return reverse(f"protection:{name}", kwargs=kwargs)


def _quote_data(**extra):
    return {
        "benefit_type": "life",
        "amount": "240000",
        "term_years": "25",
        "cover_basis": "level",
        **extra,
    }


def test_case_page_shows_policies_and_their_blockers(owner_client, firm):
    """The section lists policies, flags PMI, and readiness names what is missing."""
    case = protection_case(firm)
    make_policy(case)
    pmi = make_policy(case, benefit_type="pmi", premium=None)
    body = text(owner_client.get(case.get_absolute_url()))
    assert 'id="protection-policies"' in body
    assert "Not supported by Concert Hub" in body
    assert "PMI is not supported by Concert Hub" in body
    assert f"/policies/{pmi.pk}/edit/#id_premium" in body


@pytest.mark.parametrize("rows", [3, 9])
def test_case_page_query_count_is_constant(
    owner_client, firm, rows, django_assert_num_queries
):
    """The protection case page reads policies once, however many there are."""
    case = protection_case(firm)
    for _ in range(rows):
        make_policy(case)
    # session, user with memberships; case (+ D&N); applicants; history; tasks;
    # interactions; fact finds and their addresses, commitments and policies;
    # protection policies (shared by the section and readiness); the network
    # Firm ID (the case has no adviser, so no UID is read); Concert Hub
    # submissions (their attempts are read only when there are any);
    # documents; the portal's client actions and portal accounts; income
    # lines; complaints about the case (the owner manages complaints)
    with django_assert_num_queries(20):
        response = owner_client.get(case.get_absolute_url())
    assert text(response).count('<tr id="policy-') == rows


@pytest.mark.parametrize("rows", [3, 9])
def test_quote_page_query_count_is_constant(
    owner_client, firm, rows, django_assert_num_queries
):
    """The quote page runs a fixed number of queries, with six quotes shown."""
    case = protection_case(firm)
    for _ in range(rows):
        make_policy(case)
    # session, user with memberships; case (+ D&N); applicants; fact finds;
    # the active-policy check
    with django_assert_num_queries(6):
        response = owner_client.get(url("quote", case_id=case.pk))
    body = text(response)
    assert body.count('name="quote"') == 6
    assert "<caption>" in body
    assert 'aria-sort="ascending"' in body


def test_quote_page_says_what_pricing_lacks(owner_client, firm):
    """Without date of birth, smoking and the D&N cover: links, no quotes."""
    case = protection_case(firm, complete=False)
    applicant = case.applicants.get()
    body = text(owner_client.get(url("quote", case_id=case.pk)))
    assert "Pricing needs more information" in body
    assert f"{case.get_absolute_url()}#ff{applicant.pk}_date_of_birth" in body
    assert f"{case.get_absolute_url()}#dn_cover_amount" in body
    assert 'name="quote"' not in body


def test_quote_page_sorts_by_premium_descending(owner_client, firm):
    """``sort=-premium`` puts the dearest first and says so with aria-sort."""
    case = protection_case(firm)
    response = owner_client.get(
        url("quote", case_id=case.pk), {**_quote_data(), "sort": "-premium"}
    )
    quotes = response.context["quotes"]
    assert [q.premium for q in quotes] == sorted(
        (q.premium for q in quotes), reverse=True
    )
    assert 'aria-sort="descending"' in text(response)


def test_quote_page_junk_input_shows_errors(owner_client, firm):
    """Junk in the cover form is a form error, never a 500."""
    case = protection_case(firm)
    response = owner_client.get(
        url("quote", case_id=case.pk),
        {"benefit_type": "pmi", "amount": "lots", "term_years": "x", "sort": "?"},
    )
    assert response.status_code == 200
    assert response.context["quotes"] == []


def test_select_saves_the_quote_as_a_policy(owner_client, firm):
    """Select re-prices on the server and saves that quote to the case."""
    case = protection_case(firm)
    page = owner_client.get(url("quote", case_id=case.pk), _quote_data())
    cheapest = page.context["quotes"][0]
    response = owner_client.post(
        url("quote_select", case_id=case.pk),
        _quote_data(quote=cheapest.reference),
    )
    policy = Policy.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#policy-{policy.pk}")
    assert (policy.provider, policy.premium) == (cheapest.provider, cheapest.premium)


def test_select_of_an_unknown_quote_is_refused(owner_client, firm):
    """A forged or stale quote id saves nothing and says so."""
    case = protection_case(firm)
    response = owner_client.post(
        url("quote_select", case_id=case.pk), _quote_data(quote="rates:nobody")
    )
    assert response.status_code == 200
    assert "no longer available" in text(response)
    assert Policy.objects.filter(case=case).exists() is False


def test_top_up_is_refused_and_a_new_case_offered(owner_client, firm):
    """On a case with an on-risk policy, Select refuses and offers a new case."""
    case = protection_case(firm)
    make_policy(case, status="on_risk")
    response = owner_client.post(
        url("quote_select", case_id=case.pk),
        _quote_data(quote="rates:aviva"),
    )
    body = text(response)
    assert "create a new case instead" in body
    assert url("top_up_case_create", case_id=case.pk) in body
    assert Policy.objects.filter(case=case).count() == 1


def test_quote_page_of_an_active_case_offers_a_new_case_not_select(owner_client, firm):
    """With an on-risk policy, the page offers a new case and hides Select."""
    case = protection_case(firm)
    make_policy(case, status="on_risk")
    body = text(owner_client.get(url("quote", case_id=case.pk)))
    assert "Create a new protection case" in body
    assert 'name="quote"' not in body
    assert 'name="amount" value="240000"' in body


def test_top_up_case_create_opens_the_new_case_quote(owner_client, firm):
    """The new case opens at its quote page with the same cover."""
    case = protection_case(firm)
    make_policy(case, status="submitted")
    response = owner_client.post(
        url("top_up_case_create", case_id=case.pk), _quote_data()
    )
    new = Case.objects.filter(firm=firm).exclude(pk=case.pk).get()
    assert response.status_code == 302
    assert response["Location"].startswith(url("quote", case_id=new.pk))
    assert "benefit_type=life" in response["Location"]


def test_add_policy_with_htmx_returns_section_and_readiness(owner_client, firm, owner):
    """An htmx add answers with the section and the readiness card out of band."""
    case = protection_case(firm, owner=owner.user)
    set_network(firm, owner.user)
    response = owner_client.post(
        url("policy_add", case_id=case.pk),
        {
            "provider": "Zurich",
            "benefit_type": "life",
            "benefit_amount": "100000",
            "premium": "9.99",
            "premium_frequency": "monthly",
            "cover_basis": "level",
            "status": "quoted",
        },
        **HTMX,
    )
    body = text(response)
    assert "Policy added: Life with Zurich." in body
    assert 'id="readiness"' in body
    assert 'hx-swap-oob="true"' in body
    assert "Complete: every required field is filled in" in body


def test_add_policy_junk_keeps_input_and_errors(owner_client, firm):
    """Junk amounts come back as errors, with htmx and without."""
    case = protection_case(firm)
    junk = {"benefit_amount": "abc", "premium_frequency": "weekly", "status": "?"}
    response = owner_client.post(url("policy_add", case_id=case.pk), junk, **HTMX)
    assert response.status_code == 200
    assert "errorlist" in text(response)
    plain = owner_client.post(url("policy_add", case_id=case.pk), junk)
    assert plain.status_code == 200
    assert Policy.objects.filter(case=case).exists() is False


def test_edit_and_remove_policy(owner_client, firm):
    """Edit saves and returns to the policy's row; remove takes it away."""
    case = protection_case(firm)
    policy = make_policy(case)
    data = {
        "provider": "LV=",
        "benefit_type": "critical_illness",
        "benefit_amount": "50000",
        "premium": "30",
        "premium_frequency": "monthly",
        "term_years": "20",
        "cover_basis": "level",
        "status": "recommended",
    }
    response = owner_client.post(url("policy_edit", policy_id=policy.pk), data)
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.provider, policy.status) == ("LV=", "recommended")
    removed = owner_client.post(url("policy_remove", policy_id=policy.pk), **HTMX)
    assert "Policy removed" in text(removed)
    assert Policy.objects.filter(case=case).exists() is False


def test_read_only_member_cannot_change_policies(read_only, login, firm):
    """Without Edit cases: no buttons, and 403 on every write."""
    case = protection_case(firm)
    policy = make_policy(case)
    client = login(read_only)
    body = text(client.get(url("quote", case_id=case.pk)))
    assert 'name="quote"' not in body
    for path in (
        url("policy_add", case_id=case.pk),
        url("quote_select", case_id=case.pk),
        url("top_up_case_create", case_id=case.pk),
        url("policy_edit", policy_id=policy.pk),
        url("policy_remove", policy_id=policy.pk),
    ):
        assert client.post(path, {}).status_code == 403


def test_mortgage_case_has_no_policies_section_or_quote(owner_client, firm):
    """Policies belong to protection cases; a mortgage case's quote page is 404."""
    case = make_case(firm)
    assert 'id="protection-policies"' not in text(
        owner_client.get(case.get_absolute_url())
    )
    assert owner_client.get(url("quote", case_id=case.pk)).status_code == 404
