"""Selectors for branches, introducers and the name-only reference lists."""

import pytest

from crm.core.exceptions import NotFound
from crm.firms import selectors
from crm.firms.tests.factories import (
    BranchFactory,
    InteractionTypeFactory,
    IntroducerBranchFactory,
    IntroducerFactory,
    NegotiatorFactory,
    TaskCategoryFactory,
)

pytestmark = pytest.mark.django_db


def test_branch_list_shows_active_branches_first_then_by_name(firm, other_firm):
    """Branches come active first, alphabetically, and only from the firm."""
    BranchFactory(firm=firm, name="zeta")
    BranchFactory(firm=firm, name="Alpha", is_active=False)
    BranchFactory(firm=firm, name="beta")
    BranchFactory(firm=other_firm, name="Aardvark")

    names = [b.name for b in selectors.branch_list(firm=firm)]

    assert names == ["beta", "zeta", "Alpha"]


def test_introducer_list_counts_active_branches_and_negotiators(
    firm, other_firm, django_assert_num_queries
):
    """Counts include only active branches and active negotiators at them."""
    acme = IntroducerFactory(firm=firm, name="Acme")
    high = IntroducerBranchFactory(introducer=acme)
    closed = IntroducerBranchFactory(introducer=acme, is_active=False)
    NegotiatorFactory.create_batch(2, branch=high)
    NegotiatorFactory(branch=high, is_active=False)
    NegotiatorFactory(branch=closed)
    IntroducerFactory(firm=firm, name="Bare")
    IntroducerFactory(firm=other_firm, name="Theirs")

    with django_assert_num_queries(1):
        rows = {i.name: i for i in selectors.introducer_list(firm=firm)}

    assert sorted(rows) == ["Acme", "Bare"]
    assert rows["Acme"].active_branch_count == 1
    assert rows["Acme"].active_negotiator_count == 2
    assert rows["Bare"].active_branch_count == 0
    assert rows["Bare"].active_negotiator_count == 0


def test_introducer_branch_list_prefetches_negotiators(firm, django_assert_num_queries):
    """Branches and all their negotiators load in two queries, active first."""
    acme = IntroducerFactory(firm=firm)
    for name in ("b", "a", "c"):
        branch = IntroducerBranchFactory(introducer=acme, name=name)
        NegotiatorFactory(branch=branch, name="Zoe", is_active=False)
        NegotiatorFactory(branch=branch, name="Ann")

    with django_assert_num_queries(2):
        seen = [
            (b.name, [n.name for n in b.negotiators.all()])
            for b in selectors.introducer_branch_list(firm=firm, introducer=acme)
        ]

    assert seen == [("a", ["Ann", "Zoe"]), ("b", ["Ann", "Zoe"]), ("c", ["Ann", "Zoe"])]


@pytest.mark.parametrize(
    ("selector", "kwarg", "make"),
    [
        (selectors.branch_get, "branch_id", lambda firm: BranchFactory(firm=firm)),
        (
            selectors.introducer_get,
            "introducer_id",
            lambda firm: IntroducerFactory(firm=firm),
        ),
        (
            selectors.introducer_branch_get,
            "introducer_branch_id",
            lambda firm: IntroducerBranchFactory(introducer__firm=firm),
        ),
        (
            selectors.negotiator_get,
            "negotiator_id",
            lambda firm: NegotiatorFactory(branch__introducer__firm=firm),
        ),
        (
            selectors.interaction_type_get,
            "interaction_type_id",
            lambda firm: InteractionTypeFactory(firm=firm),
        ),
        (
            selectors.task_category_get,
            "task_category_id",
            lambda firm: TaskCategoryFactory(firm=firm),
        ),
    ],
)
def test_get_selectors_find_own_rows_and_refuse_other_firms(
    firm, other_firm, selector, kwarg, make
):
    """Each ``*_get`` returns the firm's row and raises NotFound for another's."""
    ours, theirs = make(firm), make(other_firm)

    assert selector(firm=firm, **{kwarg: ours.pk}) == ours
    with pytest.raises(NotFound):
        selector(firm=firm, **{kwarg: theirs.pk})


def test_introducer_choices_lists_only_active_introducers(firm, other_firm):
    """Archived introducers and other firms' introducers are not offered."""
    acme = IntroducerFactory(firm=firm, name="Acme")
    IntroducerFactory(firm=firm, name="Gone", is_active=False)
    IntroducerFactory(firm=other_firm, name="Theirs")

    assert selectors.introducer_choices(firm=firm) == [(acme.pk, "Acme")]


def test_introducer_branch_choices_lists_active_branches_of_active_introducer(
    firm, other_firm
):
    """Only active branches are offered, and none for an archived introducer."""
    acme = IntroducerFactory(firm=firm)
    high = IntroducerBranchFactory(introducer=acme, name="High St")
    IntroducerBranchFactory(introducer=acme, name="Closed", is_active=False)
    gone = IntroducerFactory(firm=firm, is_active=False)
    IntroducerBranchFactory(introducer=gone)
    theirs = IntroducerBranchFactory(introducer__firm=other_firm)

    assert selectors.introducer_branch_choices(firm=firm, introducer_id=acme.pk) == [
        (high.pk, "High St")
    ]
    assert selectors.introducer_branch_choices(firm=firm, introducer_id=gone.pk) == []
    assert (
        selectors.introducer_branch_choices(
            firm=firm, introducer_id=theirs.introducer_id
        )
        == []
    )


def test_negotiator_choices_lists_active_negotiators_of_active_branch(firm, other_firm):
    """Only active negotiators are offered, and none at an archived branch."""
    high = IntroducerBranchFactory(introducer__firm=firm)
    ann = NegotiatorFactory(branch=high, name="Ann")
    NegotiatorFactory(branch=high, name="Left", is_active=False)
    closed = IntroducerBranchFactory(introducer=high.introducer, is_active=False)
    NegotiatorFactory(branch=closed)
    theirs = NegotiatorFactory(branch__introducer__firm=other_firm)

    assert selectors.negotiator_choices(firm=firm, introducer_branch_id=high.pk) == [
        (ann.pk, "Ann")
    ]
    assert selectors.negotiator_choices(firm=firm, introducer_branch_id=closed.pk) == []
    assert (
        selectors.negotiator_choices(firm=firm, introducer_branch_id=theirs.branch_id)
        == []
    )


def test_negotiator_choices_are_empty_when_the_introducer_is_archived(firm):
    """Archiving an introducer hides its negotiators from the wizard too."""
    high = IntroducerBranchFactory(introducer__firm=firm, introducer__is_active=False)
    NegotiatorFactory(branch=high)

    assert selectors.negotiator_choices(firm=firm, introducer_branch_id=high.pk) == []


@pytest.mark.parametrize(
    ("selector", "factory"),
    [
        (selectors.interaction_type_list, InteractionTypeFactory),
        (selectors.task_category_list, TaskCategoryFactory),
    ],
)
def test_named_lists_show_active_first_by_name_ignoring_case(
    firm, other_firm, selector, factory
):
    """Interaction types and task categories sort active first, case-insensitively."""
    factory(firm=firm, name="beta")
    factory(firm=firm, name="Alpha")
    factory(firm=firm, name="Aardvark", is_active=False)
    factory(firm=other_firm, name="Abacus")

    assert [row.name for row in selector(firm=firm)] == ["Alpha", "beta", "Aardvark"]
