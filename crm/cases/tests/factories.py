"""Factories for cases, made through the case core so numbering stays right."""

from typing import Any

import factory
from django.core.files.base import ContentFile

from crm.advice.choices import AdviceKind, AdviceStatus
from crm.cases import kinds
from crm.cases.choices import DocumentType
from crm.cases.models import Case, Document
from crm.cases.services import NewCase, case_create
from crm.contacts.tests.factories import ContactFactory
from crm.core.testing.isolation import register
from crm.firms.models import Firm


def make_case(
    firm: Firm,
    *,
    kind: str = AdviceKind.MORTGAGE,
    status: str = AdviceStatus.NEW_LEAD,
    applicants: list[Any] | None = None,
    **extra: Any,
) -> Case:
    """Create a case in ``firm`` through ``case_create``, with a new client.

    A ``status`` the kind does not have falls back to the kind's first start
    status, so any registered kind can be made with the defaults.
    """
    spec = kinds.get(kind)
    if status not in spec.transitions:
        status = spec.start_statuses[0]
    data = NewCase(
        kind=kind,
        applicants=applicants or [ContactFactory(firm=firm)],
        owner=extra.pop("owner", None),
        status=status,
        **extra,
    )
    return case_create(firm=firm, actor=None, data=data)


class DocumentFactory(factory.django.DjangoModelFactory[Document]):
    class Meta:
        model = Document

    firm = factory.SelfAttribute("case.firm")
    document_type = DocumentType.PAYSLIP
    file = factory.LazyFunction(
        lambda: ContentFile(b"%PDF-1.4 test", name="payslip.pdf")
    )
    original_name = "payslip.pdf"
    content_type = "application/pdf"
    size = 13


register("case_id")(lambda firm: make_case(firm))
register("document_id")(lambda firm: DocumentFactory(case=make_case(firm)))
