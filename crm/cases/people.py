"""Hooks for copies of a case's people kept above the cases app.

Summary rows kept by apps above this one (a policy's premiums, a case's
income lines) count under the case's owner and introducer. Every service
that changes a case's owner or introducer moves the case's counts in the
case tally (``crm.cases.tally.services.cases_moved``); that call also runs
these hooks, so such apps move their own counts in the same transaction
without the case services importing them.

A hook is ``hook(*, firm_id, moves)``, ``moves`` a list of
:class:`PeopleMove`.
"""

from dataclasses import dataclass

from crm.core.hooks import Hooks


@dataclass(frozen=True)
class PeopleMove:
    """One case's owner and introducer before and after a change (0: none)."""

    case_id: int
    owner_before: int
    introducer_before: int
    owner_after: int
    introducer_after: int


case_people_moves = Hooks("case people")


def people_moved(*, firm_id: int, moves: list[PeopleMove]) -> None:
    """Run every registered hook with the cases whose people changed."""
    if not moves:
        return
    for hook in case_people_moves.all().values():
        hook(firm_id=firm_id, moves=moves)
