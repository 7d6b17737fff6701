"""counters.bump: a counter row's next number in one UPDATE ... RETURNING."""

import pytest

from crm.cases.models import CaseReferenceCounter
from crm.core import counters

pytestmark = pytest.mark.django_db


def test_bump_adds_one_and_returns_the_new_number(firm, other_firm):
    """Only the matching row moves: another kind's and another firm's stay."""
    CaseReferenceCounter.objects.create(firm=firm, kind="mortgage", last_number=7)
    CaseReferenceCounter.objects.create(firm=firm, kind="protection", last_number=3)
    CaseReferenceCounter.objects.create(firm=other_firm, kind="mortgage", last_number=9)
    bump = counters.bump
    assert (
        bump(
            CaseReferenceCounter, column="last_number", firm_id=firm.pk, kind="mortgage"
        )
        == 8
    )
    assert (
        bump(
            CaseReferenceCounter, column="last_number", firm_id=firm.pk, kind="mortgage"
        )
        == 9
    )
    numbers = CaseReferenceCounter.objects.order_by("firm_id", "kind").values_list(
        "firm_id", "kind", "last_number"
    )
    assert list(numbers) == [
        (firm.pk, "mortgage", 9),
        (firm.pk, "protection", 3),
        (other_firm.pk, "mortgage", 9),
    ]


def test_bump_returns_none_when_no_row_matches(firm):
    """The caller then makes the row (next_reference, next_number)."""
    assert (
        counters.bump(
            CaseReferenceCounter, column="last_number", firm_id=firm.pk, kind="mortgage"
        )
        is None
    )


def test_bump_needs_the_firm_and_known_columns(firm):
    """SQL does not pass the scoped manager: a firm is required; names are checked."""
    with pytest.raises(ValueError, match="firm_id"):
        counters.bump(CaseReferenceCounter, column="last_number", kind="mortgage")
    with pytest.raises(ValueError, match="no column 'nope'"):
        counters.bump(CaseReferenceCounter, column="nope", firm_id=firm.pk)


def test_take_makes_the_row_once_then_bumps_it(firm, django_assert_num_queries):
    """A firm's first number makes its counter row; later ones are one query."""
    take = counters.take
    assert (
        take(
            CaseReferenceCounter, column="last_number", firm_id=firm.pk, kind="mortgage"
        )
        == 1
    )
    with django_assert_num_queries(1):
        assert (
            take(
                CaseReferenceCounter,
                column="last_number",
                firm_id=firm.pk,
                kind="mortgage",
            )
            == 2
        )
