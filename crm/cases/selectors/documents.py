"""Reads of the document store (SPEC D5).

Import this module directly: ``from crm.cases.selectors import documents``.
"""

from typing import Any

from django.db.models import QuerySet

from crm.cases.choices import DocumentType
from crm.cases.models import Case, Document
from crm.cases.policies import case_child_visibility, case_visibility
from crm.contacts.models import Contact
from crm.core.exceptions import NotFound
from crm.core.principals import Principal
from crm.firms.models import Firm


def document_list_for(
    *, firm: Firm, case: Case | None = None, contact: Contact | None = None
) -> QuerySet[Document]:
    """Return the documents of a case or of a client, newest first.

    A client's list holds the files uploaded to the client record itself;
    files uploaded to the client's cases are listed on each case.
    """
    if (case is None) == (contact is None):
        msg = "Give a case or a contact, not both."
        raise ValueError(msg)
    documents = Document.objects.filter(firm=firm).select_related("uploaded_by")
    if case is not None:
        documents = documents.filter(case=case)
    else:
        documents = documents.filter(contact=contact)
    return documents.order_by("-created_at", "-id")


def document_section(
    *, firm: Firm, case: Case | None = None, contact: Contact | None = None
) -> dict[str, Any]:
    """Return the context ``cases/_documents.html`` needs for a case or a client."""
    return {
        "documents": document_list_for(firm=firm, case=case, contact=contact),
        "document_types": DocumentType.choices,
    }


def document_get(
    *, firm: Firm, document_id: int, principal: Principal | None
) -> Document:
    """Return one of the firm's documents or raise ``NotFound``.

    A document on a case ``principal`` may not see is ``NotFound`` too, for
    every use (download, delete): the case's visibility decides.
    """
    documents = case_child_visibility(Document.objects.filter(firm=firm), principal)
    try:
        return documents.select_related("case", "contact", "uploaded_by").get(
            pk=document_id
        )
    except Document.DoesNotExist as exc:
        raise NotFound from exc


def document_case_get(
    *, firm: Firm, case_id: int, principal: Principal | None = None
) -> Case:
    """Return the case a document is uploaded to, or raise ``NotFound``.

    With ``principal``, a case they may not see is ``NotFound`` too.
    """
    try:
        return case_visibility(Case.objects.filter(firm=firm), principal).get(
            pk=case_id
        )
    except Case.DoesNotExist as exc:
        raise NotFound from exc
