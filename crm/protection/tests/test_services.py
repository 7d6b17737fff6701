"""Policy services, the top-up guard and the readiness blockers (G1-G4)."""

from datetime import date
from decimal import Decimal

import pytest

from crm.advice import readiness
from crm.advice.choices import AdviceKind
from crm.advice.factfind.selectors import case_facts
from crm.cases.models import Case, CaseEvent
from crm.cases.tests.factories import make_case
from crm.core.exceptions import ApplicationError
from crm.protection import selectors, services
from crm.protection.choices import PolicyStatus
from crm.protection.models import Policy
from crm.protection.quotes import quote_all
from crm.protection.tests.factories import make_policy, protection_case


def _types(case: Case) -> list[str]:
    return list(
        CaseEvent.objects.filter(case=case)
        .order_by("id")
        .values_list("type", flat=True)
    )


def without_network(blockers):
    """Leave out the Concert Hub network prerequisites (crm/concerthub tests them)."""
    return [b for b in blockers if b.section != "Concert Hub network"]


def test_policy_add_update_remove_write_history(firm):
    """Each change to a policy is a case event; the update records the diff."""
    case = protection_case(firm, complete=False)
    policy = make_policy(case)
    services.policy_update(
        firm=firm,
        actor=None,
        policy=policy,
        data=services.PolicyData(
            **{
                **{f: getattr(policy, f) for f in services.FIELDS},
                "premium": Decimal("20.00"),
            }
        ),
    )
    services.policy_remove(firm=firm, actor=None, policy=policy)
    assert _types(case)[-3:] == ["policy_added", "policy_updated", "policy_removed"]
    updated = CaseEvent.objects.filter(case=case, type="policy_updated").get()
    assert updated.parameters["changes"] == {"premium": ["18.50", "20.00"]}
    assert Policy.objects.filter(case=case).exists() is False


def test_policy_refuses_bad_amounts_and_other_kinds(firm, other_firm):
    """Amounts above zero, protection cases only, the firm's own cases only."""
    case = protection_case(firm, complete=False)
    with pytest.raises(ApplicationError, match="above zero"):
        make_policy(case, premium=Decimal(0))
    with pytest.raises(ApplicationError, match="Only protection cases"):
        make_policy(make_case(firm, kind=AdviceKind.MORTGAGE))
    with pytest.raises(ApplicationError, match="not in this firm"):
        services.policy_add(
            firm=other_firm, actor=None, case=case, data=services.PolicyData()
        )


def test_active_policy_cannot_be_removed(firm):
    """A submitted or on-risk policy stays; it can be marked Not Taken Up."""
    policy = make_policy(protection_case(firm, complete=False), status="on_risk")
    with pytest.raises(ApplicationError, match="Not Taken Up"):
        services.policy_remove(firm=firm, actor=None, policy=policy)


def _quote(case: Case):
    basis = selectors.quote_basis(facts=case_facts(firm=case.firm, case=case))
    wanted = basis.request(
        benefit_type="life",
        amount=Decimal(240000),
        term_years=25,
        cover_basis="level",
    )
    assert wanted is not None
    return quote_all(wanted)[0]


def test_quote_select_saves_a_quoted_policy(firm):
    """The chosen quote becomes a Quoted policy with its provider and premium."""
    case = protection_case(firm)
    quote = _quote(case)
    policy = services.quote_select(
        firm=firm, actor=None, case=case, quote=quote, lives_assured="Ann"
    )
    assert (policy.provider, policy.premium, policy.status) == (
        quote.provider,
        quote.premium,
        PolicyStatus.QUOTED,
    )
    assert policy.quote_reference == quote.reference
    assert _types(case)[-1] == "quote_selected"


@pytest.mark.parametrize("status", ["submitted", "on_risk"])
def test_top_up_guard_refuses_a_quote_on_an_active_case(firm, status):
    """A case with a submitted or on-risk policy takes no new quote (G3)."""
    case = protection_case(firm)
    make_policy(case, status=status)
    with pytest.raises(ApplicationError, match="create a new case instead") as exc:
        services.quote_select(
            firm=firm, actor=None, case=case, quote=_quote(case), lives_assured=""
        )
    assert exc.value.code == "top_up"
    assert Policy.objects.filter(case=case).count() == 1


def test_not_taken_up_policy_does_not_trigger_the_guard(firm):
    """Only submitted and on-risk policies make a new quote a top-up."""
    case = protection_case(firm)
    make_policy(case, status="not_taken_up")
    services.quote_select(
        firm=firm, actor=None, case=case, quote=_quote(case), lives_assured=""
    )
    assert Policy.objects.filter(case=case).count() == 2


def test_top_up_case_has_same_clients_adviser_and_cover(firm, adviser):
    """The new case: protection, same clients and owner, the D&N cover copied."""
    case = protection_case(firm, owner=adviser.user)
    new = services.top_up_case_create(firm=firm, actor=adviser.user, case=case)
    assert new.kind == AdviceKind.PROTECTION
    assert new.owner == adviser.user
    assert [a.contact_id for a in new.applicants.all()] == [
        a.contact_id for a in case.applicants.all()
    ]
    assert new.demands_needs.cover_amount == case.demands_needs.cover_amount
    assert _types(case)[-1] == "top_up_case_opened"


def test_quote_basis_says_what_is_missing_with_links(firm):
    """No Fact Find or D&N yet: date of birth, smoker status and the D&N cover."""
    case = protection_case(firm, complete=False)
    applicant = case.applicants.get()
    basis = selectors.quote_basis(facts=case_facts(firm=firm, case=case))
    assert basis.ready is False
    page = case.get_absolute_url()
    assert [(n.label, n.url) for n in basis.missing] == [
        ("Date of birth", f"{page}#ff{applicant.pk}_date_of_birth"),
        ("Smoker status", f"{page}#ff{applicant.pk}_smoker_status"),
        ("Cover types wanted", f"{page}#dn_cover_types_0"),
        ("Amount of cover", f"{page}#dn_cover_amount"),
        ("Term of cover", f"{page}#dn_cover_term_years"),
    ]


def test_age_is_last_birthday():
    """Age counts whole years, the day before and on the birthday."""
    assert selectors.age_on(date(1985, 3, 14), date(2026, 3, 13)) == 40
    assert selectors.age_on(date(1985, 3, 14), date(2026, 3, 14)) == 41


def _policy_blockers(case: Case) -> list[readiness.Blocker]:
    found = readiness.case_readiness(firm=case.firm, case=case)
    return [b for b in found if b.section.startswith(("Policy", "Protection"))]


def test_readiness_needs_a_policy(firm):
    """A protection case without policies is blocked, with a link to add one."""
    case = protection_case(firm)
    [blocker] = without_network(readiness.case_readiness(firm=firm, case=case))
    assert blocker.label == "At least one policy"
    assert blocker.url.endswith("#policy_add_provider")


def test_readiness_lists_missing_policy_fields_and_unsupported_types(firm):
    """Each policy's missing required fields, and ASU, BP, PMI by name."""
    case = protection_case(firm)
    first = make_policy(case, provider="", premium=None)
    make_policy(case, benefit_type="pmi")
    make_policy(case, benefit_type="asu")
    make_policy(case, benefit_type="business_protection")
    blockers = _policy_blockers(case)
    assert [(b.section, b.label) for b in blockers] == [
        ("Policy 1: Life", "Provider"),
        ("Policy 1: Life", "Premium"),
        (
            "Policy 2: PMI with Aviva",
            "PMI is not supported by Concert Hub: change or remove it",
        ),
        (
            "Policy 3: ASU with Aviva",
            "ASU is not supported by Concert Hub: change or remove it",
        ),
        (
            "Policy 4: Business Protection with Aviva",
            "Business Protection is not supported by Concert Hub: change or remove it",
        ),
    ]
    assert blockers[0].url == f"/policies/{first.pk}/edit/#id_provider"


def test_complete_case_with_a_complete_policy_is_ready(firm):
    """Fact Find, D&N and one complete supported policy: no blockers."""
    case = protection_case(firm)
    make_policy(case)
    assert without_network(readiness.case_readiness(firm=firm, case=case)) == []


def test_mortgage_cases_get_no_policy_blockers(firm):
    """The policy check applies to protection cases only."""
    case = make_case(firm, kind=AdviceKind.MORTGAGE)
    assert _policy_blockers(case) == []
