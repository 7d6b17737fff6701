"""Income test data: lines made through the services."""

import datetime
from decimal import Decimal
from typing import Any

from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.core.testing.isolation import register
from crm.income import services
from crm.income.models import IncomeLine
from crm.income.services import IncomeLineData


def make_line(
    case: Case,
    *,
    kind: str = "client_fee",
    amount: str = "500.00",
    expected_on: datetime.date | None = None,
    received_on: datetime.date | None = None,
    received: str | None = None,
    **extra: Any,
) -> IncomeLine:
    """Add an income line to ``case``, received if ``received_on`` is given."""
    expected_on = expected_on or datetime.date(2026, 1, 15)
    line = services.income_line_add(
        firm=case.firm,
        actor=None,
        case=case,
        data=IncomeLineData(
            kind=kind, amount=Decimal(amount), expected_on=expected_on, **extra
        ),
    )
    if received_on is not None:
        line = services.income_line_receive(
            firm=case.firm,
            actor=None,
            line=line,
            amount=Decimal(received or amount),
            received_on=received_on,
            today=max(received_on, datetime.date.today()),  # noqa: DTZ011 - a bound only
        )
    return line


register("income:case_id")(lambda firm: make_case(firm))
register("line_id")(lambda firm: make_line(make_case(firm)))
