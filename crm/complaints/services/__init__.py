"""Writes of the complaints register (M5). Import the module and call ``services.x``."""

from crm.complaints.services.edit import ComplaintChanges, complaint_update
from crm.complaints.services.export import complaint_export
from crm.complaints.services.register import (
    FINAL_RESPONSE_WEEKS,
    REMINDER_DAYS_BEFORE,
    SUMMARY_BUSINESS_DAYS,
    ComplaintData,
    ResolutionData,
    add_business_days,
    complaint_log,
    complaint_resolve,
    deadline,
    is_business_day,
    next_number,
)

__all__ = [
    "FINAL_RESPONSE_WEEKS",
    "REMINDER_DAYS_BEFORE",
    "SUMMARY_BUSINESS_DAYS",
    "ComplaintChanges",
    "ComplaintData",
    "ResolutionData",
    "add_business_days",
    "complaint_export",
    "complaint_log",
    "complaint_resolve",
    "complaint_update",
    "deadline",
    "is_business_day",
    "next_number",
]
