"""Writes about cases. Import the module and call ``services.x``."""

from crm.cases.services.core import (
    NewCase,
    case_create,
    case_event_record,
    next_reference,
)

__all__ = ["NewCase", "case_create", "case_event_record", "next_reference"]
