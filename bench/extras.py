"""Rows that the later pages read: outcome scores, income lines and complaints.

The funder report reads the latest score sets of support cases, the Income
page the fee and commission lines of advice cases, and the complaints
register its complaints; each comes in proportion to the firm's cases.
"""

import random
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from bench.loader import Row, Table
from bench.rows import Clock, FirmRefs

SCORED_SHARE = 0.4  # support cases with a start and a latest score set
INCOME_SHARE = 0.3  # advice cases with an income line
COMPLAINTS_PER_CASE = 0.001  # 300 complaints at full scale
LEAST_COMPLAINTS = 3
CATEGORIES = ("advice", "service", "fees", "communication", "other")


def score_sets(
    table: Table, refs: FirmRefs, rng: random.Random, clock: Clock
) -> Iterator[Row]:
    """Yield a start set and a latest set for a share of the support cases."""
    if not refs.outcome_scales:
        return
    for case_id, kind in zip(refs.cases, refs.case_kinds, strict=True):
        if kind != "support" or rng.random() >= SCORED_SHARE:
            continue
        scale_id = refs.outcome_scales[case_id % len(refs.outcome_scales)]
        started = (clock.now - timedelta(days=case_id % 700)).date()
        baseline = Decimal(rng.randint(20, 60)) / 10
        latest = baseline + Decimal(rng.randint(-10, 30)) / 10
        for point, average, is_latest in (
            ("start", baseline, False),
            ("review", latest, True),
        ):
            yield {
                "id": table.allocate(),
                "firm_id": refs.firm_id,
                "case_id": case_id,
                "scale_id": scale_id,
                "point": point,
                "scorer": "case_manager",
                "via": "staff",
                "recorded_on": started if point == "start" else clock.now.date(),
                "average": average,
                "baseline": baseline,
                "is_latest": is_latest,
                "created_at": clock.now,
            }


def income_lines(
    table: Table, refs: FirmRefs, rng: random.Random, clock: Clock
) -> Iterator[Row]:
    """Yield a procuration fee or commission line for a share of advice cases."""
    for case_id, kind in zip(refs.cases, refs.case_kinds, strict=True):
        if kind not in ("mortgage", "protection") or rng.random() >= INCOME_SHARE:
            continue
        amount = Decimal(rng.randint(250, 2500))
        expected = clock.around_today(rng, 180)
        received = expected < clock.now.date() and rng.random() < 0.7
        yield {
            "id": table.allocate(),
            "firm_id": refs.firm_id,
            "case_id": case_id,
            "kind": "proc_fee" if kind == "mortgage" else "commission",
            "amount": amount,
            "expected_on": expected,
            "received_amount": amount if received else None,
            "received_on": expected if received else None,
            "adviser_share_pct": Decimal(50),
            "introducer_share_pct": Decimal(10 if case_id % 4 == 0 else 0),
            "created_at": clock.past(rng, 365),
        }


def complaints(
    table: Table, refs: FirmRefs, rng: random.Random, clock: Clock
) -> Iterator[Row]:
    """Yield a few complaints on the firm's cases, a third still open."""
    wanted = max(LEAST_COMPLAINTS, round(len(refs.cases) * COMPLAINTS_PER_CASE))
    step = max(1, len(refs.cases) // wanted)
    indexes = range(0, min(len(refs.cases), wanted * step), step)
    for number, index in enumerate(indexes, start=1):
        received = clock.around_today(rng, 300)
        received = min(received, clock.now.date())
        resolved = rng.random() < 0.66
        yield {
            "id": table.allocate(),
            "firm_id": refs.firm_id,
            "case_id": refs.cases[index],
            "contact_id": refs.case_contacts[index],
            "received_on": received,
            "number": number,
            "category": rng.choice(CATEGORIES),
            "handler_id": refs.users[index % len(refs.users)],
            "summary": "Bench complaint about the service.",
            "due_on": received + timedelta(weeks=8),
            "outcome": "not_upheld" if resolved else "",
            "final_response_on": received + timedelta(days=20) if resolved else None,
            "created_at": clock.now,
        }
