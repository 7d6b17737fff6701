"""Demo policies: ready, unsupported, on risk and incomplete, seeded once."""

import pytest

from crm.advice import demo as advice_demo
from crm.advice import readiness
from crm.firms import demo as firms_demo
from crm.leads import demo as leads_demo
from crm.protection import demo
from crm.protection.models import Policy

pytestmark = pytest.mark.django_db


def test_seed_adds_each_kind_of_policy_once():
    """One case each: complete, PMI, on risk, missing premium; a rerun adds none."""
    firms = firms_demo.seed()
    leads_demo.seed(firms)
    advice_demo.seed(firms)
    demo.seed(firms)
    policies = list(Policy.objects.select_related("case").order_by("id"))
    assert [p.benefit_type for p in policies] == [
        "life",
        "life",
        "pmi",
        "life",
        "income_protection",
    ]
    assert {p.status for p in policies} >= {"recommended", "on_risk", "quoted"}
    pmi_case = policies[2].case
    labels = [
        b.label for b in readiness.case_readiness(firm=pmi_case.firm, case=pmi_case)
    ]
    assert "PMI is not supported by Concert Hub: change or remove it" in labels
    demo.seed(firms)
    assert Policy.objects.count() == len(policies)
