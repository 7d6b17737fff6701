"""Isolation factory for the example kind's route."""

from crm.cases.tests.factories import make_case
from crm.core.testing.isolation import register
from tests.example_kind.registry import GRANT

register("example_kind:case_id")(lambda firm: make_case(firm, kind=GRANT))
