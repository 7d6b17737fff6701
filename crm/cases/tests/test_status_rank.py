"""``Case.status_rank`` follows the status through every path that changes it."""

import pytest

from crm.advice.choices import AdviceKind, AdviceStatus
from crm.cases import kinds, services
from crm.cases.models import Case
from crm.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db

S = AdviceStatus


def stored_rank(case):
    return Case.objects.filter(firm=case.firm, pk=case.pk).values_list(
        "status_rank", flat=True
    )[0]


def test_rank_is_the_status_place_in_pipeline_order():
    """The rank is the status's place in ``status_choices()``; unknown ranks last."""
    values = [value for value, _label in kinds.status_choices()]
    assert [kinds.status_rank(v) for v in values] == list(range(len(values)))
    assert kinds.status_rank("no-such-status") == len(values)


def test_rank_follows_create_move_close_and_reopen(firm):
    """Opening, moving, closing (a move into a closed stage) and reopening each
    store the new status's rank with the status."""
    case = make_case(firm, kind=AdviceKind.PROTECTION, status=S.NEW_LEAD)
    assert stored_rank(case) == kinds.status_rank(S.NEW_LEAD)
    services.case_move(firm=firm, actor=None, case=case, status=S.MEETING)
    assert stored_rank(case) == kinds.status_rank(S.MEETING) == case.status_rank
    services.case_move(
        firm=firm, actor=None, case=case, status=S.NOT_PROCEEDING_WITH, reason="No"
    )
    assert stored_rank(case) == kinds.status_rank(S.NOT_PROCEEDING_WITH)
    services.case_reopen(
        firm=firm, actor=None, case=case, reason="Back", status=S.MEETING
    )
    assert stored_rank(case) == kinds.status_rank(S.MEETING)
    assert kinds.status_rank(S.MEETING) != kinds.status_rank(S.NOT_PROCEEDING_WITH)
