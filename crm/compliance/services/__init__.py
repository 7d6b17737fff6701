"""Writes about data protection. Import the module and call ``services.x``."""

from crm.compliance.services.erasure import contact_erase
from crm.compliance.services.exports import (
    subject_access_build,
    subject_access_download_record,
    subject_access_start,
)
from crm.compliance.services.retention import retention_periods_save

__all__ = [
    "contact_erase",
    "retention_periods_save",
    "subject_access_build",
    "subject_access_download_record",
    "subject_access_start",
]
