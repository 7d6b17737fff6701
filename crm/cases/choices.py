"""Kernel choices every kind of case shares: history entries and documents.

Kinds, statuses and kind-specific event types are registered by the apps that
add the kinds (see ``crm.cases.kinds`` and ``crm.core.events``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseEventType(models.TextChoices):
    """History entries the kernel writes for every kind of case."""

    CREATED = "created", _("Case created")
    UPDATED = "updated", _("Details updated")
    STATUS_CHANGED = "status_changed", _("Status changed")
    CLOSED = "closed", _("Case closed")
    REOPENED = "reopened", _("Case reopened")
    DOCUMENT_ADDED = "document_added", _("Document uploaded")
    DOCUMENT_DELETED = "document_deleted", _("Document deleted")
    APPLICANT_ADDED = "applicant_added", _("Joint applicant added")
    APPLICANT_REMOVED = "applicant_removed", _("Joint applicant removed")


class CaseContactEventType(models.TextChoices):
    """The entries the kernel leaves on each client's timeline."""

    CASE_CREATED = "case_created", _("Case created")
    DOCUMENT = "document", _("Document uploaded")
    CASE_STATUS = "case_status", _("Case status changed")
    CASE_APPLICANTS = "case_applicants", _("Case clients changed")


class DocumentType(models.TextChoices):
    ID = "id", _("Proof of identity")
    PROOF_OF_ADDRESS = "proof_of_address", _("Proof of address")
    PAYSLIP = "payslip", _("Payslip")
    BANK_STATEMENT = "bank_statement", _("Bank statement")
    P60 = "p60", _("P60 / tax document")
    OFFER_LETTER = "offer_letter", _("Mortgage offer letter")
    ILLUSTRATION = "illustration", _("Illustration (KFI / ESIS)")
    SUITABILITY_LETTER = "suitability_letter", _("Suitability letter")
    POLICY_DOCUMENT = "policy_document", _("Policy document")
    OTHER = "other", _("Other")
