"""Writes about cases of every kind. Import the module and call ``services.x``."""

from crm.cases.services.applicants import (
    case_applicant_add,
    case_applicant_remove,
    case_client_names_refresh,
)
from crm.cases.services.core import (
    NewCase,
    case_create,
    next_reference,
)
from crm.cases.services.documents import (
    document_delete,
    document_download_record,
    document_file_check,
    document_upload,
)
from crm.cases.services.owners import case_owner_names_refresh, owner_sort_name
from crm.cases.services.ranks import case_ranks_refresh
from crm.cases.services.status import (
    case_move,
    case_reopen,
    case_update,
    reopen_statuses,
)

__all__ = [
    "NewCase",
    "case_applicant_add",
    "case_applicant_remove",
    "case_client_names_refresh",
    "case_create",
    "case_move",
    "case_owner_names_refresh",
    "case_ranks_refresh",
    "case_reopen",
    "case_update",
    "document_delete",
    "document_download_record",
    "document_file_check",
    "document_upload",
    "next_reference",
    "owner_sort_name",
    "reopen_statuses",
]
