"""Services for branches, introducers and the name-only reference lists."""

import pytest
from django.core.exceptions import ValidationError

from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.firms import services
from crm.firms.models import Branch, InteractionType, TaskCategory
from crm.firms.tests.factories import (
    BranchFactory,
    InteractionTypeFactory,
    IntroducerBranchFactory,
    IntroducerFactory,
    NegotiatorFactory,
    TaskCategoryFactory,
)

pytestmark = pytest.mark.django_db


def events(firm, obj):
    """Return the audit events about ``obj``, oldest first."""
    return list(
        AuditEvent.objects.filter(
            firm=firm,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
        ).order_by("id")
    )


# Branches


def test_branch_create_saves_the_branch_and_audits_it(firm, owner):
    """A new branch is stored in the firm with a CREATE event listing its fields."""
    branch = services.branch_create(
        firm=firm, actor=owner.user, name="  Leeds ", address="1 Park Row", phone="0113"
    )

    branch.refresh_from_db()
    assert (branch.firm, branch.name, branch.is_active) == (firm, "Leeds", True)
    [event] = events(firm, branch)
    assert event.verb == AuditVerb.CREATE
    assert event.actor == owner.user
    assert event.changes == {
        "name": [None, "Leeds"],
        "address": [None, "1 Park Row"],
        "phone": [None, "0113"],
    }


def test_branch_update_saves_and_audits_only_changed_fields(firm, owner):
    """An update records old and new values of what changed, nothing else."""
    branch = BranchFactory(firm=firm, name="Leeds", phone="0113")

    services.branch_update(
        firm=firm,
        actor=owner.user,
        branch=branch,
        name="Leeds Central",
        address="",
        phone="0113",
    )

    branch.refresh_from_db()
    assert branch.name == "Leeds Central"
    [event] = events(firm, branch)
    assert event.verb == AuditVerb.UPDATE
    assert event.changes == {"name": ["Leeds", "Leeds Central"]}


def test_branch_update_without_changes_writes_no_event(firm, owner):
    """Saving the same values again leaves the audit log alone."""
    branch = BranchFactory(firm=firm, name="Leeds")

    services.branch_update(
        firm=firm, actor=owner.user, branch=branch, name="Leeds", address="", phone=""
    )

    assert events(firm, branch) == []


def test_branch_update_with_invalid_values_keeps_the_saved_ones(firm, owner):
    """A value the model refuses raises ValidationError and changes nothing."""
    branch = BranchFactory(firm=firm, name="Leeds")

    with pytest.raises(ValidationError, match="120 characters"):
        services.branch_update(
            firm=firm,
            actor=owner.user,
            branch=branch,
            name="x" * 121,
            address="",
            phone="",
        )

    assert branch.name == "Leeds"
    branch.refresh_from_db()
    assert branch.name == "Leeds"


def test_branch_set_active_archives_and_restores_with_events(firm, owner):
    """Archiving then restoring writes ARCHIVE then RESTORE; repeating is a no-op."""
    branch = BranchFactory(firm=firm)

    services.branch_set_active(firm=firm, actor=owner.user, branch=branch, active=False)
    services.branch_set_active(firm=firm, actor=owner.user, branch=branch, active=False)
    services.branch_set_active(firm=firm, actor=owner.user, branch=branch, active=True)

    branch.refresh_from_db()
    assert branch.is_active is True
    assert [(e.verb, e.changes) for e in events(firm, branch)] == [
        (AuditVerb.ARCHIVE, {"is_active": [True, False]}),
        (AuditVerb.RESTORE, {"is_active": [False, True]}),
    ]


def test_branch_services_refuse_another_firms_branch(firm, other_firm, owner):
    """A branch of another firm is never changed."""
    theirs = BranchFactory(firm=other_firm, name="Theirs")

    with pytest.raises(ApplicationError, match="not in this firm"):
        services.branch_update(
            firm=firm,
            actor=owner.user,
            branch=theirs,
            name="Mine",
            address="",
            phone="",
        )
    with pytest.raises(ApplicationError, match="not in this firm"):
        services.branch_set_active(
            firm=firm, actor=owner.user, branch=theirs, active=False
        )

    theirs.refresh_from_db()
    assert (theirs.name, theirs.is_active) == ("Theirs", True)
    assert not Branch.objects.filter(firm=firm).exists()


# Introducers, branches, negotiators


def test_introducer_create_and_update_are_audited(firm, owner):
    """Creating and editing an introducer writes CREATE and UPDATE events."""
    acme = services.introducer_create(
        firm=firm, actor=owner.user, name="Acme", email="hi@acme.test"
    )
    services.introducer_update(
        firm=firm,
        actor=owner.user,
        introducer=acme,
        name="Acme Estates",
        email="hi@acme.test",
        phone="0161",
    )

    acme.refresh_from_db()
    assert (acme.name, acme.phone) == ("Acme Estates", "0161")
    create, update = events(firm, acme)
    assert create.verb == AuditVerb.CREATE
    assert create.changes["email"] == [None, "hi@acme.test"]
    assert update.verb == AuditVerb.UPDATE
    assert update.changes == {"name": ["Acme", "Acme Estates"], "phone": ["", "0161"]}


def test_introducer_branch_create_adds_a_branch_to_the_introducer(firm, owner):
    """The branch belongs to the introducer and the firm, with a CREATE event."""
    acme = IntroducerFactory(firm=firm, name="Acme")

    branch = services.introducer_branch_create(
        firm=firm, actor=owner.user, introducer=acme, name="High St", phone="0161"
    )

    assert (branch.introducer, branch.firm) == (acme, firm)
    [event] = events(firm, branch)
    assert event.changes == {
        "introducer": [None, f"Acme (#{acme.pk})"],
        "name": [None, "High St"],
        "phone": [None, "0161"],
    }


def test_introducer_branch_create_refuses_another_firms_introducer(
    firm, other_firm, owner
):
    """A branch cannot be hung on another firm's introducer."""
    theirs = IntroducerFactory(firm=other_firm)

    with pytest.raises(ApplicationError, match="not in this firm"):
        services.introducer_branch_create(
            firm=firm, actor=owner.user, introducer=theirs, name="Sneaky"
        )

    assert not theirs.branches.exists()


def test_introducer_branch_create_refuses_an_archived_introducer(firm, owner):
    """An archived introducer must be restored before it gets new branches."""
    gone = IntroducerFactory(firm=firm, name="Gone", is_active=False)

    with pytest.raises(ApplicationError, match="Gone is archived") as info:
        services.introducer_branch_create(
            firm=firm, actor=owner.user, introducer=gone, name="High St"
        )

    assert info.value.code == "archived"


def test_introducer_branch_update_and_set_active_are_audited(firm, owner):
    """Renaming and archiving an introducer branch write UPDATE and ARCHIVE."""
    branch = IntroducerBranchFactory(introducer__firm=firm, name="High St")

    services.introducer_branch_update(
        firm=firm,
        actor=owner.user,
        introducer_branch=branch,
        name="Market St",
        phone="",
    )
    services.introducer_branch_set_active(
        firm=firm, actor=owner.user, introducer_branch=branch, active=False
    )

    branch.refresh_from_db()
    assert (branch.name, branch.is_active) == ("Market St", False)
    assert [e.verb for e in events(firm, branch)] == [
        AuditVerb.UPDATE,
        AuditVerb.ARCHIVE,
    ]


def test_negotiator_create_adds_a_negotiator_to_the_branch(firm, owner):
    """The negotiator belongs to the branch and the firm, with a CREATE event."""
    branch = IntroducerBranchFactory(introducer__firm=firm, name="High St")

    ann = services.negotiator_create(
        firm=firm,
        actor=owner.user,
        introducer_branch=branch,
        name="Ann Lee",
        email="ann@acme.test",
    )

    assert (ann.branch, ann.firm, ann.is_active) == (branch, firm, True)
    [event] = events(firm, ann)
    assert event.verb == AuditVerb.CREATE
    assert event.changes["branch"] == [None, f"High St (#{branch.pk})"]


def test_negotiator_create_refuses_another_firms_branch(firm, other_firm, owner):
    """A negotiator cannot be added to another firm's introducer branch."""
    theirs = IntroducerBranchFactory(introducer__firm=other_firm)

    with pytest.raises(ApplicationError, match="not in this firm"):
        services.negotiator_create(
            firm=firm, actor=owner.user, introducer_branch=theirs, name="Sneaky"
        )

    assert not theirs.negotiators.exists()


def test_negotiator_create_refuses_an_archived_branch(firm, owner):
    """An archived branch must be restored before it gets new negotiators."""
    closed = IntroducerBranchFactory(introducer__firm=firm, is_active=False)

    with pytest.raises(ApplicationError, match="Restore the branch"):
        services.negotiator_create(
            firm=firm, actor=owner.user, introducer_branch=closed, name="Ann"
        )


def test_negotiator_update_and_set_active_are_audited(firm, owner):
    """Editing, archiving and restoring a negotiator are each audited."""
    ann = NegotiatorFactory(branch__introducer__firm=firm, name="Ann", email="")

    services.negotiator_update(
        firm=firm,
        actor=owner.user,
        negotiator=ann,
        name="Ann",
        email="ann@acme.test",
        phone="",
    )
    services.negotiator_set_active(
        firm=firm, actor=owner.user, negotiator=ann, active=False
    )
    services.negotiator_set_active(
        firm=firm, actor=owner.user, negotiator=ann, active=True
    )

    verbs = [(e.verb, e.changes) for e in events(firm, ann)]
    assert verbs == [
        (AuditVerb.UPDATE, {"email": ["", "ann@acme.test"]}),
        (AuditVerb.ARCHIVE, {"is_active": [True, False]}),
        (AuditVerb.RESTORE, {"is_active": [False, True]}),
    ]


def test_introducer_set_active_refuses_another_firms_introducer(
    firm, other_firm, owner
):
    """Another firm's introducer cannot be archived from this firm."""
    theirs = IntroducerFactory(firm=other_firm)

    with pytest.raises(ApplicationError, match="not in this firm"):
        services.introducer_set_active(
            firm=firm, actor=owner.user, introducer=theirs, active=False
        )


# Interaction types and task categories: the same rules for both

NAMED = [
    pytest.param(
        InteractionType,
        InteractionTypeFactory,
        services.interaction_type_create,
        services.interaction_type_rename,
        services.interaction_type_set_active,
        "interaction_type",
        id="interaction_type",
    ),
    pytest.param(
        TaskCategory,
        TaskCategoryFactory,
        services.task_category_create,
        services.task_category_rename,
        services.task_category_set_active,
        "task_category",
        id="task_category",
    ),
]
NAMED_ARGS = ("model", "factory", "create", "rename", "set_active", "entity")


@pytest.mark.parametrize(NAMED_ARGS, NAMED)
def test_named_create_saves_and_audits(
    firm, owner, model, factory, create, rename, set_active, entity
):
    """A new name is stored stripped, with a CREATE event."""
    row = create(firm=firm, actor=owner.user, name="  Home visit ")

    assert model.objects.get(pk=row.pk).name == "Home visit"
    [event] = events(firm, row)
    assert (event.verb, event.changes) == (
        AuditVerb.CREATE,
        {"name": [None, "Home visit"]},
    )


@pytest.mark.parametrize(NAMED_ARGS, NAMED)
def test_named_create_refuses_a_duplicate_name_in_any_case(
    firm, owner, model, factory, create, rename, set_active, entity
):
    """A name that differs only in case or spacing is refused on the name field."""
    factory(firm=firm, name="Home visit")

    with pytest.raises(ApplicationError, match="“Home visit” already exists") as info:
        create(firm=firm, actor=owner.user, name=" HOME VISIT ")

    assert (info.value.code, info.value.field) == ("duplicate", "name")
    assert model.objects.filter(firm=firm).count() == 1


@pytest.mark.parametrize(NAMED_ARGS, NAMED)
def test_named_create_points_to_restoring_an_archived_duplicate(
    firm, owner, model, factory, create, rename, set_active, entity
):
    """A name taken by an archived row says to restore that row instead."""
    factory(firm=firm, name="Letter", is_active=False)

    with pytest.raises(ApplicationError, match="archived: restore it"):
        create(firm=firm, actor=owner.user, name="letter")


@pytest.mark.parametrize(NAMED_ARGS, NAMED)
def test_named_create_allows_a_name_used_by_another_firm(
    firm, other_firm, owner, model, factory, create, rename, set_active, entity
):
    """Uniqueness is per firm: another firm's name does not block this one."""
    factory(firm=other_firm, name="Home visit")

    row = create(firm=firm, actor=owner.user, name="Home visit")

    assert row.firm == firm


@pytest.mark.parametrize(NAMED_ARGS, NAMED)
def test_named_create_refuses_a_blank_name(
    firm, owner, model, factory, create, rename, set_active, entity
):
    """A name of only spaces is refused on the name field."""
    with pytest.raises(ApplicationError, match="Enter a name") as info:
        create(firm=firm, actor=owner.user, name="   ")

    assert info.value.field == "name"


@pytest.mark.parametrize(NAMED_ARGS, NAMED)
def test_named_rename_changes_the_name_and_audits_it(
    firm, owner, model, factory, create, rename, set_active, entity
):
    """Renaming, including to a different case of the same name, is allowed."""
    row = factory(firm=firm, name="phone call")

    rename(firm=firm, actor=owner.user, name="Phone call", **{entity: row})

    row.refresh_from_db()
    assert row.name == "Phone call"
    [event] = events(firm, row)
    assert (event.verb, event.changes) == (
        AuditVerb.UPDATE,
        {"name": ["phone call", "Phone call"]},
    )


@pytest.mark.parametrize(NAMED_ARGS, NAMED)
def test_named_rename_refuses_another_rows_name(
    firm, owner, model, factory, create, rename, set_active, entity
):
    """Renaming onto a name another row already has is refused; nothing changes."""
    factory(firm=firm, name="E-mail")
    row = factory(firm=firm, name="Letter")

    with pytest.raises(ApplicationError, match="already exists"):
        rename(firm=firm, actor=owner.user, name="e-mail", **{entity: row})

    row.refresh_from_db()
    assert row.name == "Letter"
    assert events(firm, row) == []


@pytest.mark.parametrize(NAMED_ARGS, NAMED)
def test_named_set_active_archives_and_restores(
    firm, owner, model, factory, create, rename, set_active, entity
):
    """Archive then restore writes ARCHIVE and RESTORE events."""
    row = factory(firm=firm)

    set_active(firm=firm, actor=owner.user, active=False, **{entity: row})
    set_active(firm=firm, actor=owner.user, active=True, **{entity: row})

    assert [e.verb for e in events(firm, row)] == [AuditVerb.ARCHIVE, AuditVerb.RESTORE]


@pytest.mark.parametrize(NAMED_ARGS, NAMED)
def test_named_services_refuse_another_firms_row(
    firm, other_firm, owner, model, factory, create, rename, set_active, entity
):
    """Another firm's row cannot be renamed or archived."""
    theirs = factory(firm=other_firm, name="Theirs")

    with pytest.raises(ApplicationError, match="not in this firm"):
        rename(firm=firm, actor=owner.user, name="Mine", **{entity: theirs})
    with pytest.raises(ApplicationError, match="not in this firm"):
        set_active(firm=firm, actor=owner.user, active=False, **{entity: theirs})

    theirs.refresh_from_db()
    assert (theirs.name, theirs.is_active) == ("Theirs", True)


@pytest.mark.parametrize(NAMED_ARGS, NAMED)
def test_named_create_turns_a_racing_duplicate_into_a_form_error(
    firm, owner, monkeypatch, model, factory, create, rename, set_active, entity
):
    """If a duplicate slips past the checks, the DB constraint gives the same error."""
    factory(firm=firm, name="Home visit")
    monkeypatch.setattr(
        "crm.firms.services.lookups._check_name_free",
        lambda model, firm, name, exclude: name,
    )
    monkeypatch.setattr(model, "full_clean", lambda self: None)

    with pytest.raises(ApplicationError, match="already exists") as info:
        create(firm=firm, actor=owner.user, name="home visit")

    assert info.value.field == "name"
    assert model.objects.filter(firm=firm).count() == 1


# The introducer chain of a lead or a case


def test_introducer_chain_check_accepts_a_whole_or_partial_chain(firm):
    """Introducer alone, with its branch, or down to the negotiator: all fine."""
    negotiator = NegotiatorFactory(branch__introducer__firm=firm)
    branch = negotiator.branch
    check = services.introducer_chain_check

    check(firm=firm, introducer=None, introducer_branch=None, negotiator=None)
    check(
        firm=firm, introducer=branch.introducer, introducer_branch=None, negotiator=None
    )
    check(
        firm=firm,
        introducer=branch.introducer,
        introducer_branch=branch,
        negotiator=negotiator,
    )


def test_introducer_chain_check_refuses_broken_links_on_their_field(firm):
    """A branch of another introducer, or a negotiator elsewhere, names its field."""
    negotiator = NegotiatorFactory(branch__introducer__firm=firm)
    branch = negotiator.branch
    other_branch = IntroducerBranchFactory(introducer__firm=firm)
    check = services.introducer_chain_check

    with pytest.raises(ApplicationError, match="branch does not belong") as exc:
        check(
            firm=firm,
            introducer=other_branch.introducer,
            introducer_branch=branch,
            negotiator=None,
        )
    assert exc.value.field == "introducer_branch"
    with pytest.raises(ApplicationError, match="branch does not belong"):
        check(firm=firm, introducer=None, introducer_branch=branch, negotiator=None)
    with pytest.raises(ApplicationError, match="negotiator does not work") as exc:
        check(
            firm=firm,
            introducer=other_branch.introducer,
            introducer_branch=other_branch,
            negotiator=negotiator,
        )
    assert exc.value.field == "negotiator"


def test_introducer_chain_check_refuses_another_firms_rows(firm, other_firm):
    """Another firm's introducer, branch or negotiator is refused as not found."""
    negotiator = NegotiatorFactory(branch__introducer__firm=other_firm)
    branch = negotiator.branch

    with pytest.raises(ApplicationError, match="introducer of this firm") as exc:
        services.introducer_chain_check(
            firm=firm,
            introducer=branch.introducer,
            introducer_branch=branch,
            negotiator=negotiator,
        )
    assert (exc.value.code, exc.value.field) == ("not_found", "introducer")


# Shared helpers: one transaction each (issue 14, item 7)


def test_lookup_helpers_keep_no_change_whose_audit_row_failed(firm, owner, monkeypatch):
    """save_new, save_changes and save_active are atomic: when the audit write
    fails after the save, the row is not left inserted, renamed or archived."""
    from crm.core import events as core_events
    from crm.firms.services import lookups

    def fail(**kwargs):
        raise RuntimeError("audit write failed")

    branch = BranchFactory(firm=firm, name="Leeds")
    monkeypatch.setattr(core_events, "record", fail)
    with pytest.raises(RuntimeError):
        lookups.save_new(
            Branch(firm=firm, name="York"),
            firm=firm,
            actor=owner.user,
            fields=("name",),
        )
    with pytest.raises(RuntimeError):
        lookups.save_changes(
            branch, firm=firm, actor=owner.user, values={"name": "Hull"}
        )
    with pytest.raises(RuntimeError):
        lookups.save_active(branch, firm=firm, actor=owner.user, active=False)

    assert Branch.objects.filter(firm=firm, name="York").exists() is False
    branch.refresh_from_db()
    assert (branch.name, branch.is_active) == ("Leeds", True)
