"""Money in the API: whole numbers or strings, never an inexact float (K1, K2)."""

from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from crm.core.api import Amount10

AMOUNT = TypeAdapter(Amount10)


@pytest.mark.parametrize(
    ("sent", "taken"),
    [(3000, Decimal(3000)), ("1250.50", Decimal("1250.50")), (3000.0, Decimal(3000))],
)
def test_whole_numbers_and_strings_are_amounts(sent, taken):
    """3000.0 is a whole number, as JSON Schema's integer says: the schema allows it."""
    assert AMOUNT.validate_python(sent) == taken


def test_a_fractional_float_is_refused_with_what_to_send():
    """0.1 cannot be said exactly in a float: the client is told to send a string."""
    with pytest.raises(ValidationError, match="as a string"):
        AMOUNT.validate_python(1250.5)
