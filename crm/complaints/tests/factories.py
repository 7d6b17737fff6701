"""Complaints test data: complaints logged through the service."""

import datetime
from typing import Any

from django.utils import timezone

from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.complaints import services
from crm.complaints.choices import ComplaintCategory
from crm.complaints.models import Complaint
from crm.core.testing.isolation import register
from crm.firms.choices import Role
from crm.firms.models import Firm, User
from crm.firms.tests.factories import MembershipFactory


def make_complaint(
    firm: Firm,
    *,
    case: Case | None = None,
    actor: User | None = None,
    received_on: datetime.date | None = None,
    **fields: Any,
) -> Complaint:
    """Log a complaint about ``case`` (a new mortgage case if none is given)."""
    today = timezone.localdate()
    actor = actor or MembershipFactory(firm=firm, role=Role.OWNER).user
    data = services.ComplaintData(
        received_on=received_on or today,
        category=fields.pop("category", ComplaintCategory.SERVICE),
        summary=fields.pop("summary", "The client was kept waiting."),
        case=case if case is not None else make_case(firm),
        **fields,
    )
    return services.complaint_log(firm=firm, actor=actor, data=data, today=today)


register("complaint_id")(lambda firm: make_complaint(firm))
