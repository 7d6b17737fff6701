"""Lead services: create, update, move through the transition table; demo data."""

from datetime import date

import pytest
from django.utils import timezone

from crm.contacts.choices import ContactEventType
from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.firms import demo as firms_demo
from crm.firms.tests.factories import (
    IntroducerBranchFactory,
    IntroducerFactory,
    MembershipFactory,
    NegotiatorFactory,
)
from crm.leads import demo, services
from crm.leads.choices import (
    TRANSITIONS,
    LeadContactEventType,
    LeadEventType,
    LeadSource,
    LeadStatus,
)
from crm.leads.models import Lead, LeadEvent
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def audit_verbs(lead):
    return list(
        AuditEvent.objects.filter(object_type="leads.lead", object_id=str(lead.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def create(firm, actor, **kwargs):
    kwargs.setdefault("contact", ContactFactory(firm=firm))
    return services.lead_create(firm=firm, actor=actor, **kwargs)


# Creating


def test_lead_create_writes_history_timeline_and_audit(firm, adviser):
    """A new lead starts at New Lead with a CREATED event, timeline entry and audit."""
    negotiator = NegotiatorFactory(branch__introducer__firm=firm)
    branch = negotiator.branch
    lead = create(
        firm,
        adviser.user,
        source=LeadSource.INTRODUCER,
        owner=adviser.user,
        introducer=branch.introducer,
        introducer_branch=branch,
        negotiator=negotiator,
        follow_up_date=date(2030, 1, 2),
        notes="  First-time buyer  ",
    )
    assert lead.status == LeadStatus.NEW_LEAD
    assert lead.notes == "First-time buyer"
    assert lead.created_by == adviser.user
    event = LeadEvent.objects.get(lead=lead)
    assert event.type == LeadEventType.CREATED
    assert event.actor == adviser.user
    timeline = ContactEvent.objects.get(contact=lead.contact)
    assert timeline.type == LeadContactEventType.LEAD_CREATED
    assert timeline.link == f"/leads/{lead.pk}/"
    assert branch.introducer.name in timeline.summary
    assert audit_verbs(lead) == [AuditVerb.CREATE]


def test_lead_create_refuses_a_contact_of_another_firm(firm, other_firm, adviser):
    """A client from another firm is refused before anything is written."""
    with pytest.raises(ApplicationError, match="client of this firm"):
        create(firm, adviser.user, contact=ContactFactory(firm=other_firm))
    assert Lead.objects.count() == 0


def test_lead_create_refuses_an_archived_contact(firm, adviser):
    """An archived client must be restored before a lead is added."""
    contact = ContactFactory(firm=firm, is_archived=True)
    with pytest.raises(ApplicationError, match="archived"):
        create(firm, adviser.user, contact=contact)


@pytest.mark.parametrize("field", ["introducer", "introducer_branch", "negotiator"])
def test_lead_create_refuses_introducer_rows_of_another_firm(
    firm, other_firm, adviser, field
):
    """Introducer, branch and negotiator must all belong to the firm."""
    ours = NegotiatorFactory(branch__introducer__firm=firm)
    theirs = NegotiatorFactory(branch__introducer__firm=other_firm)
    chain = {
        "introducer": ours.branch.introducer,
        "introducer_branch": ours.branch,
        "negotiator": ours,
    }
    chain[field] = {
        "introducer": theirs.branch.introducer,
        "introducer_branch": theirs.branch,
        "negotiator": theirs,
    }[field]
    with pytest.raises(ApplicationError) as excinfo:
        create(firm, adviser.user, **chain)
    assert excinfo.value.field in {"introducer", "introducer_branch", "negotiator"}
    assert Lead.objects.count() == 0


def test_lead_create_refuses_an_adviser_from_another_firm(firm, other_firm, adviser):
    """The adviser must be an active member of the firm."""
    stranger = MembershipFactory(firm=other_firm).user
    with pytest.raises(ApplicationError, match="member of this firm") as excinfo:
        create(firm, adviser.user, owner=stranger)
    assert excinfo.value.field == "owner"


def test_lead_create_refuses_a_branch_of_another_introducer(firm, adviser):
    """The branch must belong to the chosen introducer."""
    introducer = IntroducerFactory(firm=firm)
    branch = IntroducerBranchFactory(introducer__firm=firm)
    with pytest.raises(ApplicationError, match="branch does not belong"):
        create(firm, adviser.user, introducer=introducer, introducer_branch=branch)


def test_lead_create_refuses_a_negotiator_of_another_branch(firm, adviser):
    """The negotiator must work at the chosen branch."""
    branch = IntroducerBranchFactory(introducer__firm=firm)
    negotiator = NegotiatorFactory(branch__introducer=branch.introducer)
    with pytest.raises(ApplicationError, match="negotiator does not work"):
        create(
            firm,
            adviser.user,
            introducer=branch.introducer,
            introducer_branch=branch,
            negotiator=negotiator,
        )


def test_lead_create_from_an_introducer_needs_the_introducer(firm, adviser):
    """Source "Introducer" without an introducer is refused."""
    with pytest.raises(ApplicationError, match="Choose the introducer"):
        create(firm, adviser.user, source=LeadSource.INTRODUCER)


def test_lead_create_audits_the_values_it_set(firm, adviser):
    """The audit event lists each non-empty created value as ``[None, value]``."""
    negotiator = NegotiatorFactory(branch__introducer__firm=firm)
    branch = negotiator.branch
    lead = create(
        firm,
        adviser.user,
        source=LeadSource.INTRODUCER,
        owner=adviser.user,
        introducer=branch.introducer,
        introducer_branch=branch,
        negotiator=negotiator,
        follow_up_date=date(2030, 1, 2),
        notes="Not audited",
    )
    changes = AuditEvent.objects.get(verb=AuditVerb.CREATE).changes
    assert set(changes) == {
        "contact",
        "source",
        "owner",
        "introducer",
        "introducer_branch",
        "negotiator",
        "follow_up_date",
        "status",
    }
    assert all(old is None for old, _new in changes.values())
    assert changes["source"] == [None, "introducer"]
    assert changes["status"] == [None, "new_lead"]
    assert changes["follow_up_date"] == [None, "2030-01-02"]
    for name, obj in [
        ("contact", lead.contact),
        ("owner", adviser.user),
        ("introducer", branch.introducer),
        ("introducer_branch", branch),
        ("negotiator", negotiator),
    ]:
        assert changes[name][1].startswith(str(obj))


def test_lead_create_audit_leaves_out_empty_values(firm, adviser):
    """Fields left empty on a new lead are not in the audit event."""
    create(firm, adviser.user)
    changes = AuditEvent.objects.get(verb=AuditVerb.CREATE).changes
    assert set(changes) == {"contact", "source", "status"}


# Updating


def test_lead_update_records_the_changes(firm, adviser, manager):
    """Changed details are saved, with the diff in history and the audit log."""
    lead = create(firm, adviser.user, owner=adviser.user)
    services.lead_update(
        firm=firm,
        actor=manager.user,
        lead=lead,
        source=LeadSource.WEBSITE,
        owner=manager.user,
        introducer=None,
        introducer_branch=None,
        negotiator=None,
        follow_up_date=date(2030, 5, 1),
        notes="",
    )
    lead.refresh_from_db()
    assert lead.owner == manager.user
    assert lead.source == LeadSource.WEBSITE
    event = LeadEvent.objects.filter(lead=lead, type=LeadEventType.UPDATED).get()
    changes = event.parameters["changes"]
    assert changes["Source"] == ["Phone enquiry", "Website"]
    assert changes["Adviser"] == [
        f"{adviser.user} (#{adviser.user.pk})",
        f"{manager.user} (#{manager.user.pk})",
    ]
    assert changes["Follow up date"] == [None, "2030-05-01"]
    assert audit_verbs(lead) == [AuditVerb.CREATE, AuditVerb.UPDATE]
    audit = AuditEvent.objects.filter(verb=AuditVerb.UPDATE).get()
    assert set(audit.changes) == {"source", "owner", "follow_up_date"}


def test_lead_update_without_changes_writes_nothing(firm, adviser):
    """Saving the same details adds no history or audit event."""
    lead = create(firm, adviser.user, owner=adviser.user)
    services.lead_update(
        firm=firm,
        actor=adviser.user,
        lead=lead,
        source=lead.source,
        owner=adviser.user,
        introducer=None,
        introducer_branch=None,
        negotiator=None,
        follow_up_date=None,
        notes="",
    )
    assert LeadEvent.objects.filter(lead=lead).count() == 1
    assert audit_verbs(lead) == [AuditVerb.CREATE]


def test_lead_update_adds_an_entry_to_the_clients_timeline(firm, adviser, manager):
    """Changed details show on the client's timeline, linked to the lead."""
    lead = create(firm, adviser.user, owner=adviser.user)
    services.lead_update(
        firm=firm,
        actor=manager.user,
        lead=lead,
        source=LeadSource.WEBSITE,
        owner=manager.user,
        introducer=None,
        introducer_branch=None,
        negotiator=None,
        follow_up_date=None,
        notes="",
    )
    entry = ContactEvent.objects.get(
        contact=lead.contact, type=ContactEventType.UPDATED
    )
    assert entry.summary == f"Lead #{lead.pk} details changed: source, adviser"
    assert entry.link == f"/leads/{lead.pk}/"
    assert entry.actor == manager.user
    assert entry.parameters == {"lead_id": lead.pk, "fields": ["owner", "source"]}


def test_lead_update_without_changes_adds_no_timeline_entry(firm, adviser):
    """Saving the same details leaves the client's timeline alone."""
    lead = create(firm, adviser.user)
    services.lead_update(
        firm=firm,
        actor=adviser.user,
        lead=lead,
        source=lead.source,
        owner=None,
        introducer=None,
        introducer_branch=None,
        negotiator=None,
        follow_up_date=None,
        notes="",
    )
    assert not ContactEvent.objects.filter(type=ContactEventType.UPDATED).exists()


def test_lead_update_refuses_an_introducer_of_another_firm(firm, other_firm, adviser):
    """Updating checks related rows like creating does."""
    lead = create(firm, adviser.user)
    with pytest.raises(ApplicationError, match="introducer of this firm"):
        services.lead_update(
            firm=firm,
            actor=adviser.user,
            lead=lead,
            source=LeadSource.PHONE,
            owner=None,
            introducer=IntroducerFactory(firm=other_firm),
            introducer_branch=None,
            negotiator=None,
            follow_up_date=None,
            notes="",
        )


# Moving through the pipeline

LEGAL_MOVES = [
    (source, target)
    for source, targets in TRANSITIONS.items()
    for target in sorted(targets)
    if target != LeadStatus.NOT_PROCEEDING
]
ILLEGAL_MOVES = [
    (source, target)
    for source in LeadStatus
    for target in LeadStatus
    if source != target
    and target not in TRANSITIONS[source]
    and target != LeadStatus.CONVERTED
]


@pytest.mark.parametrize(("source", "target"), LEGAL_MOVES)
def test_lead_move_allows_every_move_in_the_transition_table(
    firm, adviser, source, target
):
    """Each move the table allows succeeds and is recorded."""
    lead = LeadFactory(contact__firm=firm, status=source)
    services.lead_move(firm=firm, actor=adviser.user, lead=lead, status=target)
    lead.refresh_from_db()
    assert lead.status == target
    event = LeadEvent.objects.get(lead=lead)
    assert event.type == LeadEventType.STATUS_CHANGED
    assert event.parameters == {"from": source, "to": target, "reason": ""}


@pytest.mark.parametrize(("source", "target"), ILLEGAL_MOVES)
def test_lead_move_refuses_moves_outside_the_transition_table(
    firm, adviser, source, target
):
    """A move the table does not allow raises and changes nothing."""
    lead = LeadFactory(contact__firm=firm, status=source)
    with pytest.raises(ApplicationError) as excinfo:
        services.lead_move(
            firm=firm, actor=adviser.user, lead=lead, status=target, reason="x"
        )
    assert excinfo.value.code == "illegal_transition"
    lead.refresh_from_db()
    assert lead.status == source
    assert LeadEvent.objects.filter(lead=lead).count() == 0


def test_lead_move_gives_a_clear_message_for_an_illegal_move(firm, adviser):
    """The message names both statuses."""
    lead = LeadFactory(contact__firm=firm, status=LeadStatus.APPOINTMENT_SET)
    with pytest.raises(
        ApplicationError, match="A lead at Appointment Set can't move to New Lead"
    ):
        services.lead_move(
            firm=firm, actor=adviser.user, lead=lead, status=LeadStatus.NEW_LEAD
        )


def test_lead_move_refuses_converted(firm, adviser):
    """Converting happens by adding a case, never by a move."""
    lead = LeadFactory(contact__firm=firm, status=LeadStatus.MEETING)
    with pytest.raises(ApplicationError, match="Use Add New Case to convert a lead"):
        services.lead_move(
            firm=firm, actor=adviser.user, lead=lead, status=LeadStatus.CONVERTED
        )


def test_lead_move_to_the_same_status_is_refused(firm, adviser):
    """Moving to the current status is reported, not recorded."""
    lead = LeadFactory(contact__firm=firm, status=LeadStatus.CALL_BACK)
    with pytest.raises(ApplicationError, match="already at Call Back"):
        services.lead_move(
            firm=firm, actor=adviser.user, lead=lead, status=LeadStatus.CALL_BACK
        )


def test_lead_move_refuses_an_unknown_status(firm, adviser):
    """A status that does not exist is refused."""
    lead = LeadFactory(contact__firm=firm)
    with pytest.raises(ApplicationError, match="Choose a status"):
        services.lead_move(firm=firm, actor=adviser.user, lead=lead, status="won")


@pytest.mark.parametrize("reason", ["", "   "])
def test_lead_move_to_not_proceeding_needs_a_reason(firm, adviser, reason):
    """Not Proceeding without a reason is refused, naming the reason field."""
    lead = LeadFactory(contact__firm=firm)
    with pytest.raises(ApplicationError, match="Give a reason") as excinfo:
        services.lead_move(
            firm=firm,
            actor=adviser.user,
            lead=lead,
            status=LeadStatus.NOT_PROCEEDING,
            reason=reason,
        )
    assert excinfo.value.field == "reason"
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW_LEAD


def test_lead_move_to_not_proceeding_records_the_reason_everywhere(firm, adviser):
    """The reason is kept on the lead, in history, timeline and audit."""
    lead = create(firm, adviser.user)
    services.lead_move(
        firm=firm,
        actor=adviser.user,
        lead=lead,
        status=LeadStatus.NOT_PROCEEDING,
        reason=" Stayed with their bank ",
    )
    lead.refresh_from_db()
    assert lead.not_proceeding_reason == "Stayed with their bank"
    event = LeadEvent.objects.get(lead=lead, type=LeadEventType.STATUS_CHANGED)
    assert event.parameters == {
        "from": "new_lead",
        "to": "not_proceeding",
        "reason": "Stayed with their bank",
    }
    timeline = ContactEvent.objects.get(
        contact=lead.contact, type=LeadContactEventType.LEAD_STATUS
    )
    assert timeline.summary == (
        "Lead moved from New Lead to Not Proceeding: Stayed with their bank"
    )
    assert timeline.actor == adviser.user
    assert audit_verbs(lead) == [AuditVerb.CREATE, AuditVerb.STATUS_CHANGE]
    audit = AuditEvent.objects.get(verb=AuditVerb.STATUS_CHANGE)
    assert audit.changes["status"] == ["new_lead", "not_proceeding"]


def test_reopening_a_lead_clears_the_reason(firm, adviser):
    """Not Proceeding → New Lead reopens the lead and forgets the old reason."""
    lead = LeadFactory(
        contact__firm=firm,
        status=LeadStatus.NOT_PROCEEDING,
        not_proceeding_reason="Moved abroad",
    )
    services.lead_move(
        firm=firm, actor=adviser.user, lead=lead, status=LeadStatus.NEW_LEAD
    )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW_LEAD
    assert lead.not_proceeding_reason == ""


def test_lead_move_refuses_a_lead_of_another_firm(firm, other_firm, adviser):
    """A lead passed in from another firm is refused."""
    lead = LeadFactory(contact__firm=other_firm)
    with pytest.raises(ApplicationError, match="not in this firm"):
        services.lead_move(
            firm=firm, actor=adviser.user, lead=lead, status=LeadStatus.CALL_BACK
        )


def test_lead_move_checks_the_status_in_the_database_not_a_stale_copy(firm, adviser):
    """A move loaded before another move landed is checked against the new status."""
    lead = LeadFactory(contact__firm=firm, status=LeadStatus.NEW_LEAD)
    stale = Lead.objects.get(pk=lead.pk)
    services.lead_move(
        firm=firm,
        actor=adviser.user,
        lead=lead,
        status=LeadStatus.NOT_PROCEEDING,
        reason="Went elsewhere",
    )
    with pytest.raises(ApplicationError, match="can't move to Appointment Set"):
        services.lead_move(
            firm=firm,
            actor=adviser.user,
            lead=stale,
            status=LeadStatus.APPOINTMENT_SET,
        )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NOT_PROCEEDING
    assert lead.not_proceeding_reason == "Went elsewhere"
    assert stale.status == LeadStatus.NOT_PROCEEDING


def test_lead_move_records_the_move_from_the_current_status(firm, adviser):
    """History starts the move at the status in the database, not a stale copy."""
    lead = LeadFactory(contact__firm=firm, status=LeadStatus.NEW_LEAD)
    stale = Lead.objects.get(pk=lead.pk)
    services.lead_move(
        firm=firm, actor=adviser.user, lead=lead, status=LeadStatus.CALL_BACK
    )
    services.lead_move(
        firm=firm, actor=adviser.user, lead=stale, status=LeadStatus.MEETING
    )
    moves = LeadEvent.objects.filter(
        lead=lead, type=LeadEventType.STATUS_CHANGED
    ).order_by("id")
    assert [(e.parameters["from"], e.parameters["to"]) for e in moves] == [
        ("new_lead", "call_back"),
        ("call_back", "meeting"),
    ]


# Demo data


def test_demo_seed_creates_leads_in_every_status_and_is_idempotent():
    """The advice firm gets about forty leads in every status but Converted (a
    lead is converted by opening a case from it); a rerun adds none."""
    firms = firms_demo.seed()
    demo.seed(firms)
    firm = firms[firms_demo.ADVICE_FIRM]
    count = Lead.objects.filter(firm=firm).count()
    assert count == demo.LEAD_COUNT
    statuses = set(Lead.objects.filter(firm=firm).values_list("status", flat=True))
    assert statuses == set(LeadStatus.values) - {LeadStatus.CONVERTED}
    assert Lead.objects.filter(firm=firm, introducer__isnull=False).exists()
    assert Lead.objects.filter(firm=firm, negotiator__isnull=False).exists()
    assert LeadEvent.objects.filter(firm=firm).count() > count
    today = timezone.localdate()
    follow_ups = {
        lead.follow_up_date
        for lead in Lead.objects.filter(firm=firm)
        if lead.follow_up_date is not None
    }
    assert min(follow_ups) < today < max(follow_ups)
    assert today in follow_ups
    demo.seed(firms)
    assert Lead.objects.filter(firm=firm).count() == count
    assert not Lead.objects.filter(firm=firms[firms_demo.SUPPORT_FIRM]).exists()
