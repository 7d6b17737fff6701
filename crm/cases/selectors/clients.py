"""The clients a list shows on each of its cases: a name and a link, no models.

A case list's rows show each case's clients as links by name. Loading them as
``CaseApplicant`` and ``Contact`` models (``applicants_prefetch``) cost a page
of 25 cases about 2.8 ms of CPU on the bench machine: the 38 columns of each
contact, two models a client, and a filtered queryset per case to hold the
cache. ``attach_clients`` reads the seven columns the name needs in one query
and gives each case a plain list, which ``Case.clients`` reads.
"""

from collections.abc import Sequence

from crm.cases.clients import ATTACHED, CaseClient
from crm.cases.models import Case, CaseApplicant
from crm.contacts.models import contact_name
from crm.firms.models import Firm


def attach_clients(cases: Sequence[Case], *, firm: Firm) -> None:
    """Give each of ``cases`` its clients by position, read in one query."""
    by_case: dict[int, list[CaseClient]] = {case.pk: [] for case in cases}
    if by_case:
        rows = (
            CaseApplicant.objects.filter(firm=firm, case_id__in=by_case)
            .order_by("case_id", "position")
            .values_list(
                "case_id",
                "contact_id",
                "contact__kind",
                "contact__organisation_name",
                "contact__first_name",
                "contact__last_name",
                "contact__email",
            )
        )
        for case_id, contact_id, *name in rows:
            by_case[case_id].append(CaseClient(contact_id, contact_name(*name)))
    for case in cases:
        case.__dict__[ATTACHED] = by_case[case.pk]
