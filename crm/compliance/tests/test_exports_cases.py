"""Subject access archives hold a case's own rows (SPEC M2, issue 19 item 5)."""

import json

import pytest

from crm.advice.factfind.models import FactFind
from crm.complaints.models import Complaint
from crm.complaints.tests.factories import make_complaint
from crm.compliance import selectors
from crm.compliance.pdf import summary_pdf
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.models import Submission
from crm.contacts.tests.factories import ContactFactory
from crm.income.tests.factories import make_line
from crm.protection.tests.factories import make_policy, protection_case
from crm.support.choices import ItemKind
from crm.support.tests.factories import (
    make_item,
    make_link,
    make_plan,
    make_referral_out,
    make_scale,
    make_scores,
    make_support_case,
)
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint_protection(firm):
    """Alice and Bobby on one protection case, each with their own Fact Find."""
    alice = ContactFactory(firm=firm, first_name="Alice", last_name="Applicant")
    bob = ContactFactory(
        firm=firm, first_name="Bobby", last_name="Otherperson", email="bob@ex.com"
    )
    case = protection_case(firm, applicants=[alice, bob])
    FactFind.objects.filter(contact=alice).update(employer="Alice Bakeries")
    FactFind.objects.filter(contact=bob).update(
        employer="Bobcorp Widgets", health_details="Bobby's knee operation"
    )
    make_policy(
        case, provider="Legal & General", lives_assured="Alice and Bobby Otherperson"
    )
    make_line(case, kind="client_fee", amount="350.00")
    Submission.objects.create(
        firm=firm,
        case=case,
        number=1,
        status=SubmissionStatus.RECEIVED,
        partner_id="CH-778899",
        idempotency_key=f"test-{case.pk}",
        payload={"applicants": [{"name": "Bobby Otherperson", "dob": "1980-01-01"}]},
        reason="Bobby changed his smoker status",
    )
    make_complaint(firm, case=case, contact=alice, summary="Alice waited a month.")
    make_complaint(firm, case=case, contact=bob, summary="Bobby was never called.")
    unnamed = make_complaint(firm, case=case, summary="Nobody named: both unhappy.")
    Complaint.objects.filter(pk=unnamed.pk).update(contact=None)
    TaskFactory(firm=firm, case=case, contact=None, title="Chase both payslips")
    return alice, bob, case


def _body(data):
    return json.dumps({"records": data.records, "cases": data.cases})


def test_a_joint_case_brings_its_rows_but_not_the_other_applicants_data(
    firm, joint_protection
):
    """SPEC M2: policies, a submission's status, dates and partner id, the
    D&N, income and complaints about the subject are in; the other
    applicant's Fact Find, complaint and the submission's payload are out."""
    alice, _bob, case = joint_protection
    data = selectors.subject_data(firm=firm, contact=alice)
    entry = data.cases[0]
    rows = entry["records"]
    assert entry["reference"] == case.reference
    policy = rows["protection.policy"][0]
    assert policy["provider"] == "Legal & General"
    assert policy["lives_assured"] == "Alice and [the other applicant]"
    assert rows["income.incomeline"][0]["amount"] == "350.00"
    submission = rows["concerthub.submission"][0]
    assert submission["status"] == SubmissionStatus.RECEIVED
    assert submission["partner_id"] == "CH-778899"
    assert "sent_at" in submission
    assert "received_at" in submission
    assert "payload" not in submission
    assert "reason" not in submission
    assert "advice.demandsneeds" in entry
    assert data.records["advice.factfind"][0]["employer"] == "Alice Bakeries"
    complaints = data.records["complaints.complaint"]
    assert [c["summary"] for c in complaints] == ["Alice waited a month."]
    # Rows of one applicant pointing at no one stay out of a joint case.
    assert "complaints.complaint" not in rows
    assert "tasks.task" not in rows
    text = _body(data)
    for word in (
        "Bobby",
        "Otherperson",
        "bob@ex.com",
        "Bobcorp",
        "knee operation",
        "never called",
        "Nobody named",
        "Chase both payslips",
        "idempotency",
    ):
        assert word not in text, word


def test_a_sole_support_case_brings_every_support_record(firm):
    """SPEC M2: needs, outcomes, scores, planned support, external services,
    referrals out (with their updates) and a case-level task come in."""
    client = ContactFactory(firm=firm, first_name="Solo", last_name="Client")
    case = make_support_case(firm, beneficiary=client)
    make_item(case, ItemKind.NEED, "Stable housing")
    make_item(case, ItemKind.OUTCOME, "Rent paid on time")
    make_plan(case, "Fortnightly budgeting session")
    make_link(case, role="Health visitor")
    make_referral_out(case, shared_need="Food parcels for Solo")
    scale = make_scale(firm, areas=("Money", "Home"))
    make_scores(case, scale, value=4)
    TaskFactory(firm=firm, case=case, contact=None, title="Book the case review")
    data = selectors.subject_data(firm=firm, contact=client)
    rows = data.cases[0]["records"]
    assert sorted(i["text"] for i in rows["support.supportitem"]) == [
        "Rent paid on time",
        "Stable housing",
    ]
    assert rows["support.plannedsupport"][0]["description"] == (
        "Fortnightly budgeting session"
    )
    assert {s["role"] for s in rows["support.externalservice"]} >= {"Health visitor"}
    referral = rows["support.referralout"][0]
    assert referral["shared_need"] == "Food parcels for Solo"
    assert "token_hash" not in referral
    assert "action_key" not in referral
    score_set = rows["support.scoreset"][0]
    assert len(score_set["related"]["support.score"]) == 2
    assert rows["tasks.task"][0]["title"] == "Book the case review"
    assert "support.supportdetails" in data.cases[0]
    assert summary_pdf(data, firm_name="Bridge").startswith(b"%PDF")
