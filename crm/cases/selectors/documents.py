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
from crm.core.prepared import Prepared
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
    if case is not None:
        return _documents(firm_id=firm.pk, owner_id=case.pk, by="case")
    return _documents(firm_id=firm.pk, owner_id=contact.pk, by="contact")  # type: ignore[union-attr]  # checked above


def _documents(*, firm_id: int, owner_id: int, by: str) -> QuerySet[Document]:
    """Return the documents of case ``owner_id`` (``by="case"``) or of a contact."""
    documents = Document.objects.filter(firm_id=firm_id).select_related("uploaded_by")
    documents = documents.filter(**{f"{by}_id": owner_id})
    return documents.order_by("-created_at", "-id")


_DOCUMENTS = Prepared(Document, _documents)


def document_section(
    *, firm: Firm, case: Case | None = None, contact: Contact | None = None
) -> dict[str, Any]:
    """Return the context ``cases/_documents.html`` needs for a case or a client.

    The documents are ``document_list_for``'s, read by SQL compiled once
    (``crm.core.prepared``).
    """
    if case is not None and contact is None:
        documents = _DOCUMENTS(firm_id=firm.pk, owner_id=case.pk, by="case")
    elif contact is not None and case is None:
        documents = _DOCUMENTS(firm_id=firm.pk, owner_id=contact.pk, by="contact")
    else:
        msg = "Give a case or a contact, not both."
        raise ValueError(msg)
    return {"documents": documents, "document_types": DocumentType.choices}


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
