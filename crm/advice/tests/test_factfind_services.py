"""Fact Find and D&N services, completeness rules and case_readiness (F1-F4)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from crm.advice import completeness, readiness
from crm.advice.choices import AdviceKind
from crm.advice.factfind import services
from crm.advice.factfind.models import FactFind, FactFindAddress, FactFindCommitment
from crm.advice.tests.factories import (
    FACT_FIND_ROWS,
    applicant_of,
    complete_demands_needs,
    complete_fact_find,
    make_fact_find_row,
)
from crm.cases.models import CaseEvent
from crm.cases.tests.factories import make_case
from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory
from crm.core import events
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.protection.tests.factories import make_policy

pytestmark = pytest.mark.django_db


def without_network(blockers):
    """Leave out the Concert Hub network prerequisites (crm/concerthub tests them)."""
    return [b for b in blockers if b.section != "Concert Hub network"]


def test_first_save_creates_the_fact_find_and_records_the_changes(firm, staff):
    """A section save creates the Fact Find; history, timeline and audit show it."""
    case = make_case(firm, kind=AdviceKind.PROTECTION)
    contact = applicant_of(case).contact

    ff = services.fact_find_update(
        firm=firm,
        actor=staff.user,
        contact=contact,
        case=case,
        section="personal",
        data={"nationality": " British ", "dependants": 2},
    )

    assert ff.pk is not None
    assert ff.nationality == "British"
    event = CaseEvent.objects.filter(case=case, type="fact_find_updated").get()
    assert event.parameters["section"] == "Personal details"
    assert event.parameters["source"] == "staff"
    assert event.parameters["changes"]["Nationality"] == ["", "British"]
    assert ContactEvent.objects.filter(contact=contact, type="fact_find").count() == 1
    audit = AuditEvent.objects.filter(object_type="advice.factfind").get()
    assert audit.changes["dependants"] == [None, 2]


def test_unchanged_save_records_nothing(firm):
    """Saving the same values again writes no event."""
    case = make_case(firm)
    contact = applicant_of(case).contact
    data = {"nationality": "Irish"}
    services.fact_find_update(
        firm=firm, actor=None, contact=contact, case=case, section="personal", data=data
    )
    services.fact_find_update(
        firm=firm, actor=None, contact=contact, case=case, section="personal", data=data
    )
    assert CaseEvent.objects.filter(case=case, type="fact_find_updated").count() == 1


def test_client_entered_change_is_marked_in_history(firm):
    """A change with source="client" says so on the History card (F4)."""
    case = make_case(firm)
    contact = applicant_of(case).contact
    services.fact_find_update(
        firm=firm,
        actor=None,
        contact=contact,
        case=case,
        section="income",
        data={"net_monthly_income": Decimal(2100)},
        source="client",
    )
    event = CaseEvent.objects.get(case=case, type="fact_find_updated")
    assert event.parameters["source"] == "client"
    line = events.describe("case", event.type, event.parameters)
    assert line.title.endswith("entered by the client")


def test_without_a_case_only_the_timeline_gets_the_entry(firm):
    """A portal change made outside a case still lands on the client's timeline."""
    contact = ContactFactory(firm=firm)
    services.fact_find_update(
        firm=firm,
        actor=None,
        contact=contact,
        section="health",
        data={"smoker_status": "never"},
        source="client",
    )
    assert ContactEvent.objects.filter(contact=contact, type="fact_find").count() == 1


def test_unknown_section_field_or_source_is_refused(firm):
    """Fields outside the section, unknown sections and sources raise."""
    contact = ContactFactory(firm=firm)
    with pytest.raises(ValueError, match="outside section"):
        services.fact_find_update(
            firm=firm,
            actor=None,
            contact=contact,
            section="personal",
            data={"employer": "x"},
        )
    with pytest.raises(ValueError, match="Unknown Fact Find section"):
        services.fact_find_update(
            firm=firm, actor=None, contact=contact, section="addresses", data={}
        )
    with pytest.raises(ValueError, match="Unknown change source"):
        services.fact_find_update(
            firm=firm,
            actor=None,
            contact=contact,
            section="personal",
            data={},
            source="robot",
        )


def test_another_firms_contact_or_case_is_refused(firm, other_firm):
    """The service refuses rows of another firm as not found."""
    theirs = ContactFactory(firm=other_firm)
    with pytest.raises(ApplicationError):
        services.fact_find_update(
            firm=firm, actor=None, contact=theirs, section="personal", data={}
        )
    case = make_case(other_firm)
    with pytest.raises(ApplicationError):
        services.demands_needs_update(
            firm=firm, actor=None, case=case, section="advice", data={}
        )


def test_rows_are_added_and_removed_with_events(firm):
    """Adding and removing an address records both; another client's row is refused."""
    case = make_case(firm)
    contact = applicant_of(case).contact
    row = services.fact_find_row_add(
        firm=firm,
        actor=None,
        contact=contact,
        case=case,
        section="addresses",
        data={
            "line1": "1 Shore",
            "town": "Leith",
            "postcode": "EH6 1AA",
            "moved_in": timezone.localdate() - timedelta(days=400),
            "moved_out": None,
        },
    )
    stranger = ContactFactory(firm=firm)
    with pytest.raises(ApplicationError, match="no longer"):
        services.fact_find_row_remove(
            firm=firm,
            actor=None,
            contact=stranger,
            section="addresses",
            row_id=row.pk,
        )
    services.fact_find_row_remove(
        firm=firm,
        actor=None,
        contact=contact,
        case=case,
        section="addresses",
        row_id=row.pk,
    )
    assert FactFindAddress.objects.filter(firm=firm).exists() is False
    types = list(CaseEvent.objects.filter(case=case).values_list("type", flat=True))
    assert "fact_find_row_added" in types
    assert "fact_find_row_removed" in types
    assert AuditEvent.objects.filter(verb="delete", object_id=str(row.pk)).count() == 1


def test_invalid_row_is_refused_by_full_clean(firm):
    """A row missing required fields raises a ValidationError."""
    contact = ContactFactory(firm=firm)
    with pytest.raises(ValidationError):
        services.fact_find_row_add(
            firm=firm,
            actor=None,
            contact=contact,
            section="policies",
            data={"provider": "", "kind": "life"},
        )


def test_demands_needs_part_must_match_the_kind(firm):
    """A mortgage case has no protection part; its mortgage part saves."""
    case = make_case(firm, kind=AdviceKind.MORTGAGE)
    with pytest.raises(ApplicationError, match="no protection needs"):
        services.demands_needs_update(
            firm=firm, actor=None, case=case, section="protection", data={}
        )
    dn = services.demands_needs_update(
        firm=firm,
        actor=None,
        case=case,
        section="mortgage",
        data={"deposit": Decimal(25000)},
    )
    assert dn.deposit == Decimal(25000)
    event = CaseEvent.objects.get(case=case, type="demands_needs_updated")
    assert event.parameters["changes"] == {"Deposit (£)": [None, "25000.00"]}


def test_address_history_must_cover_three_years(firm):
    """Two addresses without a gap covering three years pass; one year fails."""
    contact = ContactFactory(firm=firm)
    today = timezone.localdate()

    def add(moved_in, moved_out=None):
        services.fact_find_row_add(
            firm=firm,
            actor=None,
            contact=contact,
            section="addresses",
            data={
                "line1": "x",
                "postcode": "EH1 1AA",
                "moved_in": moved_in,
                "moved_out": moved_out,
            },
        )

    add(today - timedelta(days=365))
    ff = FactFind.objects.prefetch_related("addresses").get(contact=contact)
    assert completeness.covers_three_years(ff) is False
    add(today - timedelta(days=4 * 365), today - timedelta(days=370))
    ff = FactFind.objects.prefetch_related("addresses").get(contact=contact)
    assert completeness.covers_three_years(ff) is True


def test_employment_rules_depend_on_status(firm):
    """The employer is required in work only; accounts for the self-employed only."""
    ff = FactFind(employment_status="retired")
    assert [
        r.field for r in completeness.fact_find_missing("mortgage", "employment", ff)
    ] == []
    ff.employment_status = "self_employed"
    fields = [
        r.field for r in completeness.fact_find_missing("mortgage", "employment", ff)
    ]
    assert "employer" in fields
    assert "net_profit_latest" in fields


def test_readiness_lists_every_blocker_of_a_joint_protection_case(firm):
    """Each client's Fact Find and the protection D&N give blockers with links."""
    case = make_case(
        firm,
        kind=AdviceKind.PROTECTION,
        applicants=[ContactFactory(firm=firm), ContactFactory(firm=firm)],
    )
    first, second = applicant_of(case, 0), applicant_of(case, 1)
    blockers = readiness.case_readiness(firm=firm, case=case)
    sections = {b.section for b in blockers}
    assert any(first.contact.display_name in s for s in sections)
    assert any(second.contact.display_name in s for s in sections)
    assert any(b.field == "smoker_status" for b in blockers)
    assert any(b.field == "cover_types" for b in blockers)
    assert not any(b.field == "deposit" for b in blockers)
    url = case.get_absolute_url()
    assert f"{url}#ff{first.pk}_date_of_birth" in {b.url for b in blockers}
    assert f"{url}#dn_cover_types_0" in {b.url for b in blockers}

    complete_fact_find(firm, first.contact, case)
    complete_fact_find(firm, second.contact, case)
    complete_demands_needs(firm, case)
    # The protection app's check still wants a policy.
    [blocker] = without_network(readiness.case_readiness(firm=firm, case=case))
    assert blocker.field == "policies"

    make_policy(case)
    assert without_network(readiness.case_readiness(firm=firm, case=case)) == []


def test_readiness_of_a_mortgage_case_has_no_health_and_wants_mortgage_needs(firm):
    """A mortgage case needs no health section but does need the mortgage D&N."""
    case = make_case(firm, kind=AdviceKind.MORTGAGE)
    complete_fact_find(firm, applicant_of(case).contact, case)
    blockers = readiness.case_readiness(firm=firm, case=case)
    assert {b.field for b in blockers} == {
        *(r.field for r in completeness.DN_MORTGAGE),
        "recommendation",
    }


def test_other_apps_can_add_blocker_providers(firm):
    """A registered provider's blockers join the list, after the Fact Find's."""
    case = make_case(firm)
    extra = readiness.Blocker("Protection", "provider", "Provider", "/x#provider")

    def provider(*, firm, case, facts):
        return [extra]

    readiness.register("test_extra", provider, order=200)
    try:
        blockers = readiness.case_readiness(firm=firm, case=case)
    finally:
        readiness.unregister("test_extra")
    assert blockers[-1] == extra
    assert len(blockers) > 1


def test_f1_a_row_is_changed_with_its_changes_on_the_history(firm):
    """F1: only what changed is saved and shown; another client's row is refused."""
    case = make_case(firm)
    contact = applicant_of(case).contact
    row = make_fact_find_row(firm, "commitments", case)
    changed = services.fact_find_row_update(
        firm=firm,
        actor=None,
        contact=contact,
        case=case,
        section="commitments",
        row_id=row.pk,
        data={**FACT_FIND_ROWS["commitments"], "balance": Decimal(3500)},
    )
    assert FactFindCommitment.objects.get(pk=changed.pk).balance == Decimal(3500)
    entry = CaseEvent.objects.get(case=case, type="fact_find_row_updated")
    assert entry.parameters["changes"] == {
        "Balance outstanding (£)": ["4000.00", "3500.00"]
    }
    unchanged = services.fact_find_row_update(
        firm=firm,
        actor=None,
        contact=contact,
        case=case,
        section="commitments",
        row_id=row.pk,
        data={"balance": Decimal("3500.0"), "monthly_payment": Decimal("180.5")},
    )
    assert unchanged.balance == Decimal("3500.00")  # type: ignore[attr-defined]  # a commitment
    assert (
        CaseEvent.objects.filter(case=case, type="fact_find_row_updated").count() == 1
    )
    with pytest.raises(ApplicationError, match="no longer"):
        services.fact_find_row_update(
            firm=firm,
            actor=None,
            contact=ContactFactory(firm=firm),
            section="commitments",
            row_id=row.pk,
            data={"balance": None},
        )
    with pytest.raises(ValidationError):
        services.fact_find_row_update(
            firm=firm,
            actor=None,
            contact=contact,
            section="commitments",
            row_id=row.pk,
            data={"monthly_payment": None},
        )
