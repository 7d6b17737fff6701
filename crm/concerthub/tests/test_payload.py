"""The KYC and M&P payload a protection case sends (G4, docs/concert-hub)."""

from decimal import Decimal

from crm.advice.factfind.selectors import case_facts
from crm.concerthub.payload import build_payload, case_payload, comparable
from crm.concerthub.tests.factories import ADVISER_UID, FIRM_ID, ready_case
from crm.protection.selectors import case_policies
from crm.protection.tests.factories import make_policy
from simulator.validation import validate


def test_a_ready_case_builds_a_payload_the_partner_accepts(firm):
    """Every required field of the contract is filled from our records (G4)."""
    case = ready_case(firm)
    built = case_payload(firm=firm, case=case)
    assert validate(built.payload) == []
    assert built.payload["firm_id"] == FIRM_ID
    assert built.payload["adviser_uid"] == ADVISER_UID
    assert built.payload["case_reference"] == case.reference
    client = built.payload["kyc"]["clients"][0]
    applicant = case.applicants.get()
    assert client["client_ref"] == "C1"
    assert client["first_name"] == applicant.contact.first_name
    assert client["address"]["postcode"] == "EH6 6AA"
    assert built.refs["C1"] == applicant.pk
    assert built.refs["C1.contact"] == applicant.contact_id


def test_our_choices_are_sent_in_the_partner_vocabulary(firm):
    """Life & CI, annual premiums and decreasing cover map to the contract's values."""
    case = ready_case(
        firm,
        benefit_type="life_critical_illness",
        premium_frequency="annually",
        cover_basis="decreasing",
        premium=Decimal("420.5"),
    )
    policy = build_payload(
        case=case,
        facts=case_facts(firm=firm, case=case),
        policies=case_policies(firm=firm, case=case),
        firm_id=FIRM_ID,
        adviser_uid=ADVISER_UID,
    ).payload["mp"]["policies"][0]
    assert policy["benefit_type"] == "life_and_critical_illness"
    assert policy["premium"] == {"amount": "420.50", "frequency": "annual"}
    assert policy["cover_basis"] == "decreasing"
    assert policy["lives_assured"] == ["C1"]


def test_a_missing_term_is_sent_empty_so_the_partner_names_it(firm):
    """Our readiness does not need a term; the partner does, and says where."""
    case = ready_case(firm, term_years=None)
    errors = validate(case_payload(firm=firm, case=case).payload)
    assert [e.path for e in errors] == ["/mp/policies/0/term_years"]


def test_an_amendment_carries_the_id_it_amends_and_why(firm):
    case = ready_case(firm)
    make_policy(case, provider="Zurich")
    built = case_payload(firm=firm, case=case, amends="CH-000001", reason="New CI")
    assert built.payload["amends_submission_id"] == "CH-000001"
    assert built.payload["amendment_reason"] == "New CI"
    assert "amends_submission_id" not in comparable(built.payload)
    assert [p["policy_ref"] for p in built.payload["mp"]["policies"]] == ["P1", "P2"]
