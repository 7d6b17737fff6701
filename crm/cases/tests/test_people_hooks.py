"""A case's owner change runs the ``crm.cases.people`` hooks (issue 21 item 5).

Summary rows kept above the cases app (premiums, income) count under the
case's owner and introducer; they hear of a change through these hooks.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from crm.cases import services
from crm.cases.people import PeopleMove, case_people_moves
from crm.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[tuple[int, list[PeopleMove]]]]:
    calls: list[tuple[int, list[PeopleMove]]] = []

    def hook(*, firm_id: int, moves: list[PeopleMove], **_: Any) -> None:
        calls.append((firm_id, moves))

    case_people_moves.register("tests.people", hook)
    try:
        yield calls
    finally:
        case_people_moves._hooks.pop("tests.people")


def _update(firm: Any, case: Any, owner: Any, note: str = "") -> None:
    services.case_update(
        firm=firm,
        actor=None,
        case=case,
        owner=owner,
        follow_up_date=date(2030, 1, 2),
        note=note,
    )


def test_an_owner_change_runs_the_hooks_with_the_case_and_both_owners(
    firm, staff, heard
):
    case = make_case(firm)
    before = case.owner_id or 0
    _update(firm, case, staff.user)
    assert heard == [
        (
            firm.pk,
            [
                PeopleMove(
                    case_id=case.pk,
                    owner_before=before,
                    introducer_before=case.introducer_id or 0,
                    owner_after=staff.user.pk,
                    introducer_after=case.introducer_id or 0,
                )
            ],
        )
    ]


def test_an_edit_that_keeps_the_owner_runs_no_hook(firm, staff, heard):
    case = make_case(firm)
    _update(firm, case, staff.user)
    heard.clear()
    _update(firm, case, staff.user, note="Call after 5pm")
    assert heard == []
