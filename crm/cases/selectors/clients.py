"""The clients a list shows on each of its cases: a name and a link, no models.

A case list's rows show each case's clients as links by name. Loading them as
``CaseApplicant`` and ``Contact`` models (``applicants_prefetch``) cost a page
of 25 cases about 2.8 ms of CPU on the bench machine: the 38 columns of each
contact, two models a client, and a filtered queryset per case to hold the
cache. ``attach_clients`` reads the seven columns the name needs in one
statement and gives each case a plain list, which ``Case.clients`` reads.

The statement is written here, from the models' own table and column names
(``crm.core.rawrows``), rather than built by the ORM on each page: compiling
``CaseApplicant.objects.filter(firm=..., case_id__in=...).values_list(...)``
(the join, the ``IN`` list checked value by value) cost more than reading the
rows. The tests compare what it gives with the prefetched applicants.
"""

from collections.abc import Sequence

from django.db import connections, router

from crm.cases.clients import ATTACHED, CaseClient
from crm.cases.models import Case, CaseApplicant
from crm.contacts.models import NAME_FIELDS, Contact, contact_name
from crm.core import rawrows
from crm.firms.models import Firm


def _statement(count: int, database: str) -> str:
    """Return the clients' read for ``count`` case ids on ``database``."""
    connection = connections[database]
    a = rawrows.columns(CaseApplicant, "a", connection)
    c = rawrows.columns(Contact, "c", connection)
    ids = ", ".join(["%s"] * count)
    return (
        f"SELECT {a.column('case')}, {a.column('contact')}, "  # noqa: S608 - names from the models
        f"{', '.join(c.column(name) for name in NAME_FIELDS)} "
        f"FROM {a.table} INNER JOIN {c.table} "
        f"ON {c.column('id')} = {a.column('contact')} "
        f"WHERE {a.column('firm')} = %s AND {a.column('case')} IN ({ids}) "
        f"ORDER BY {a.column('case')} ASC, {a.column('position')} ASC"
    )


def attach_clients(cases: Sequence[Case], *, firm: Firm) -> None:
    """Give each of ``cases`` its clients by position, read in one statement."""
    by_case: dict[int, list[CaseClient]] = {case.pk: [] for case in cases}
    if by_case:
        database = router.db_for_read(CaseApplicant)
        with connections[database].cursor() as cursor:
            cursor.execute(_statement(len(by_case), database), [firm.pk, *by_case])
            rows = cursor.fetchall()
        for case_id, contact_id, *name in rows:
            by_case[case_id].append(CaseClient(contact_id, contact_name(*name)))
    for case in cases:
        case.__dict__[ATTACHED] = by_case[case.pk]
