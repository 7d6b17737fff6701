"""Erasure clears the free text on a client's cases (SPEC M3, issue 19 item 6)."""

import json

import pytest
from django.core.management import call_command

from crm.advice.factfind.models import DemandsNeeds
from crm.cases.models import Case, CaseEvent
from crm.cases.tests.factories import make_case
from crm.complaints.models import Complaint
from crm.complaints.tests.factories import make_complaint
from crm.compliance import services
from crm.compliance.services.erasure_text import ERASED
from crm.compliance.tests.helpers import close
from crm.concerthub.models import Submission
from crm.contacts.tests.factories import ContactFactory
from crm.core import auditchain
from crm.support.choices import ItemKind, PartnerAction
from crm.support.models import (
    PlannedSupport,
    Referral,
    ReferralOut,
    ReferralOutUpdate,
    SupportItem,
)
from crm.support.tests.factories import (
    make_item,
    make_plan,
    make_referral,
    make_referral_out,
    make_support_case,
)

pytestmark = pytest.mark.django_db


def _texts(*querysets):
    return json.dumps([list(qs.values()) for qs in querysets], default=str)


@pytest.fixture
def zed(firm):
    """Zedekiah with a sole support case and a joint mortgage case with Bobby,
    both closed ten years ago, and free text naming them on each."""
    zed = ContactFactory(
        firm=firm, first_name="Zedekiah", last_name="Quartermaine", email="zq@ex.com"
    )
    bob = ContactFactory(firm=firm, first_name="Bobby", last_name="Otherperson")
    support = make_support_case(firm, beneficiary=zed, title="Zedekiah's housing")
    make_item(support, ItemKind.NEED, "Somewhere quiet after the divorce")
    make_item(support, ItemKind.OUTCOME, "Back in touch with his daughter")
    make_plan(support, "Weekly call about the debts")
    referral, _token = make_referral_out(
        support, shared_name="Zed Q.", shared_need="Food for one"
    )
    ReferralOutUpdate.objects.create(
        firm=firm,
        referral=referral,
        action=PartnerAction.UPDATE,
        text="We will visit him at the hostel",
    )
    incoming = make_referral(
        firm, first_name="Zedekiah", last_name="Quartermaine", needs="Hostel place"
    )
    Referral.objects.filter(pk=incoming.pk).update(contact=zed, case=support)
    make_complaint(firm, case=support, summary="He was left on hold for an hour.")
    Case.objects.filter(pk=support.pk).update(
        close_reason="Moved in with his sister in Leeds"
    )
    CaseEvent.objects.create(
        firm=firm,
        case=support,
        type="closed",
        parameters={"from": "open", "to": "closed", "reason": "Moved to Leeds"},
    )
    for label in ("Phone call", "Touchpoint with Zedekiah Quartermaine"):
        CaseEvent.objects.create(
            firm=firm,
            case=support,
            type="interaction_logged",
            parameters={"label": label},
        )
    joint = make_case(firm, applicants=[zed, bob])
    CaseEvent.objects.create(
        firm=firm,
        case=joint,
        type="status_changed",
        parameters={"from": "a", "to": "b", "reason": "Zedekiah lost his job"},
    )
    CaseEvent.objects.create(
        firm=firm,
        case=joint,
        type="status_changed",
        parameters={"from": "b", "to": "c", "reason": "Bobby's promotion came in"},
    )
    make_complaint(firm, case=joint, contact=bob, summary="Bobby was not called back")
    unnamed = make_complaint(firm, case=joint, summary="Zedekiah shouted at staff")
    Complaint.objects.filter(pk=unnamed.pk).update(contact=None)
    DemandsNeeds.objects.create(
        firm=firm,
        case=joint,
        adviser_notes="Quartermaine wants to overpay",
        priorities="Bobby wants a short term",
    )
    Submission.objects.create(
        firm=firm,
        case=joint,
        number=1,
        status="received",
        partner_id="CH-1",
        idempotency_key=f"test-{joint.pk}",
        payload={"applicants": [{"name": "Zedekiah Quartermaine"}, {"name": "Bobby"}]},
    )
    for case in (support, joint):
        close(case, years_ago=10)
    return zed, bob, support, joint


def test_erasure_clears_the_free_text_naming_the_client_on_their_cases(
    firm, owner, owner_client, zed, capsys
):
    """SPEC M3: a sole case's close reason, history reasons, complaint,
    referrals in and out, needs, outcomes and planned support are cleared; on
    the joint case only text naming them goes; rows, counts and the audit
    chain stay."""
    client, _bob, support, joint = zed
    tables = (
        SupportItem.objects.filter(case=support),
        PlannedSupport.objects.filter(case=support),
        ReferralOut.objects.filter(case=support),
        ReferralOutUpdate.objects.filter(referral__case=support),
        Referral.objects.filter(contact=client),
        Complaint.objects.all(),
        CaseEvent.objects.filter(case__in=[support, joint]),
        Case.objects.filter(pk__in=[support.pk, joint.pk]),
        DemandsNeeds.objects.filter(case=joint),
        Submission.objects.filter(case=joint),
    )
    counts = [qs.count() for qs in tables]
    services.contact_erase(firm=firm, actor=owner.user, contact=client)
    assert [qs.count() for qs in tables] == counts
    text = _texts(*tables)
    for word in (
        "Zedekiah",
        "Quartermaine",
        "Zed Q.",
        "divorce",
        "daughter",
        "debts",
        "Food for one",
        "hostel",
        "Hostel place",
        "left on hold",
        "sister",
        "Leeds",
        "lost his job",
        "shouted",
        "overpay",
    ):
        assert word not in text, word
    # The other applicant's own text on the joint case stays.
    for kept in (
        "Bobby's promotion came in",
        "Bobby was not called back",
        "Bobby wants a short term",
    ):
        assert kept in text, kept
    support.refresh_from_db()
    assert support.close_reason == ""
    reason = CaseEvent.objects.get(case=support, type="closed").parameters
    assert reason == {"from": "open", "to": "closed", "reason": ERASED}
    assert Complaint.objects.get(case=support).summary == ERASED
    labels = CaseEvent.objects.filter(case=support, type="interaction_logged")
    assert sorted(e.parameters["label"] for e in labels) == ["Phone call", ERASED]
    for case in (support, joint):
        response = owner_client.get(case.get_absolute_url())
        assert response.status_code == 200
        for word in ("Zedekiah", "Quartermaine", "Leeds", "lost his job"):
            assert word not in response.content.decode(), (case, word)
    assert auditchain.verify(firm).broken is None
    call_command("verify_audit", "--firm", str(firm.pk))
    assert "chain intact" in capsys.readouterr().out
