"""Demo cases (issue 5, item 9): every status of both kinds, repeatable."""

import pytest

from crm.advice import demo, readiness
from crm.advice.choices import AdviceKind, statuses_for
from crm.advice.factfind.models import DemandsNeeds, FactFind
from crm.advice.models import MortgageDetails
from crm.cases.models import Case, CaseApplicant, CaseEvent, Document
from crm.firms import demo as firms_demo
from crm.leads import demo as leads_demo
from crm.leads.choices import LeadEventType, LeadStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def firms():
    firms = firms_demo.seed()
    leads_demo.seed(firms)
    return firms


def counts():
    return (
        Case.objects.count(),
        CaseApplicant.objects.count(),
        CaseEvent.objects.count(),
        Document.objects.count(),
    )


def test_seed_covers_every_status_of_both_kinds(firms):
    """The demo has each status of each kind, joint, introduced and converted cases."""
    demo.seed(firms)

    firm = firms[firms_demo.ADVICE_FIRM]
    cases = Case.objects.filter(firm=firm)
    assert 35 <= cases.count() <= 45
    for kind in (AdviceKind.MORTGAGE, AdviceKind.PROTECTION):
        seen = set(cases.filter(kind=kind).values_list("status", flat=True))
        assert seen == set(statuses_for(kind))
    assert cases.filter(is_joint=True).exists() is True
    assert cases.filter(negotiator__isnull=False).exists() is True
    assert cases.filter(is_open=False).exists() is True
    converted = cases.filter(lead__isnull=False)
    assert converted.count() == demo.LEADS_TO_CONVERT
    for case in converted:
        assert case.lead is not None
        assert case.lead.status == LeadStatus.CONVERTED
    owners = set(cases.values_list("owner__email", flat=True))
    assert owners == {"james.patel@harbour.example", "sarah.okafor@harbour.example"}
    details = MortgageDetails.objects.filter(firm=firm)
    assert details.count() == cases.filter(kind=AdviceKind.MORTGAGE).count()
    assert details.filter(lender="").exists() is False
    assert Document.objects.filter(firm=firm).exists() is True
    document = Document.objects.filter(firm=firm).first()
    assert document is not None
    assert document.file.read() == demo.DEMO_PDF


def test_every_converted_lead_has_the_case_it_became(firms):
    """A demo lead is Converted only by opening a case from it, through the
    service: no lead shows Converted without its case (issue 14, item 9)."""
    from crm.leads.models import Lead, LeadEvent

    demo.seed(firms)

    firm = firms[firms_demo.ADVICE_FIRM]
    converted = Lead.objects.filter(firm=firm, status=LeadStatus.CONVERTED)
    assert converted.count() == demo.LEADS_TO_CONVERT
    assert converted.filter(cases__isnull=True).exists() is False
    for lead in converted:
        event = LeadEvent.objects.get(lead=lead, type=LeadEventType.CONVERTED)
        assert event.parameters["case_id"] in {case.pk for case in lead.cases.all()}


def test_seed_twice_changes_nothing(firms):
    """Running the demo again adds no cases, events or documents."""
    demo.seed(firms)
    first = counts()

    demo.seed(firms)

    assert counts() == first


def test_seed_gives_complete_and_incomplete_fact_finds(firms):
    """Some demo cases are ready, some have Fact Find or D&N blockers."""
    demo.seed(firms)

    firm = firms[firms_demo.ADVICE_FIRM]
    assert FactFind.objects.filter(firm=firm).count() >= 10
    assert DemandsNeeds.objects.filter(firm=firm).count() >= 10
    ready = [
        not readiness.case_readiness(firm=firm, case=case)
        for case in Case.objects.filter(firm=firm)
    ]
    assert any(ready) is True
    assert all(ready) is False


def test_completed_demo_mortgage_has_its_remortgage_case(firms):
    """Demo moves go through the services: Completed opened its Remortgage case."""
    from crm.advice.choices import AdviceEventType, AdviceStatus
    from crm.advice.services.remortgage import existing_review

    demo.seed(firms)
    firm = firms[firms_demo.ADVICE_FIRM]
    completed = Case.objects.filter(
        firm=firm, kind=AdviceKind.MORTGAGE, status=AdviceStatus.COMPLETED
    )
    assert completed.exists()
    for case in completed:
        review = existing_review(firm=firm, case=case)
        assert review is not None
        assert review.status == AdviceStatus.REMORTGAGE
        history = set(
            CaseEvent.objects.filter(case=case).values_list("type", flat=True)
        )
        assert AdviceEventType.REMORTGAGE_OPENED in history
        assert "closed" in history


def test_every_case_note_fits_the_case(firms):
    """Issue 14 item 9: mortgage notes on mortgage cases of that purpose, protection
    notes on protection cases ("First-time buyers" is never on a protection case)."""
    demo.seed(firms)

    cases = Case.objects.filter(firm=firms[firms_demo.ADVICE_FIRM])
    noted = 0
    for case in cases.exclude(note=""):
        noted += 1
        if case.kind == AdviceKind.PROTECTION:
            assert case.note in demo.PROTECTION_NOTES, case.note
            continue
        details = MortgageDetails.objects.get(case=case)
        if case.note.startswith("Remortgage review of "):
            # Opened by the completed mortgage's hook, which writes this note.
            assert details.purpose == "remortgage"
            continue
        fitting = demo.case_notes(
            case.kind,
            {"mortgage_type": details.mortgage_type, "purpose": details.purpose},
        )
        assert case.note in fitting, (details.purpose, case.note)
    assert noted >= 10
    all_protection = set(demo.PROTECTION_NOTES) - {""}
    assert not cases.filter(kind=AdviceKind.MORTGAGE, note__in=all_protection).exists()


def test_fact_find_current_address_is_the_contacts():
    """Issue 14 item 9: a client living in Bristol has no Edinburgh address."""
    from crm.advice.factfind.models import FactFindAddress
    from crm.contacts import demo as contacts_demo

    firms = firms_demo.seed()
    contacts_demo.seed(firms)
    leads_demo.seed(firms)
    demo.seed(firms)

    current = FactFindAddress.objects.filter(moved_out=None).select_related(
        "fact_find__contact"
    )
    checked = 0
    for row in current:
        contact = row.fact_find.contact
        if contact.address_line1:
            checked += 1
            assert (row.line1, row.town, row.postcode) == (
                contact.address_line1,
                contact.town,
                contact.postcode,
            )
    assert checked >= 5
