"""Stored ranks of support cases follow their concern level and status."""

import pytest

from crm.cases import kinds
from crm.cases.models import Case
from crm.support import services
from crm.support.choices import ConcernLevel, SupportStatus
from crm.support.models import SupportDetails
from crm.support.tests.factories import make_support_case

pytestmark = pytest.mark.django_db


def test_concern_rank_is_the_level_place_lowest_first():
    """Low is 0 (the column's default), Urgent the highest."""
    assert [level.rank for level in ConcernLevel] == [0, 1, 2, 3]


def test_concern_rank_follows_create_and_every_change(support_firm):
    """A new case stores its level's rank; each concern change stores the new one."""
    case = make_support_case(support_firm)
    details = SupportDetails.objects.get(firm=support_firm, case=case)
    assert details.concern_rank == ConcernLevel.LOW.rank
    actor = case.owner
    assert actor is not None
    for level in (ConcernLevel.URGENT, ConcernLevel.MEDIUM, ConcernLevel.HIGH):
        services.concern_change(
            firm=support_firm, actor=actor, case=case, level=level, reason="Seen"
        )
        details.refresh_from_db()
        assert details.concern_rank == level.rank


def test_status_rank_follows_close_and_reopen_of_a_support_case(support_firm):
    """Closing and reopening go through the case kernel, which keeps the rank."""
    case = make_support_case(support_firm)
    actor = case.owner
    assert actor is not None
    services.support_case_close(firm=support_firm, actor=actor, case=case)
    rank = Case.objects.filter(firm=support_firm, pk=case.pk).values_list(
        "status_rank", flat=True
    )
    assert rank[0] == kinds.status_rank(SupportStatus.CLOSED)
    services.support_case_reopen(
        firm=support_firm, actor=actor, case=case, reason="Back"
    )
    assert rank.all()[0] == kinds.status_rank(SupportStatus.OPEN)
