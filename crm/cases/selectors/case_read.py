"""One case, read for its page and its actions: ``case_get``."""

from typing import Any

from django.db.models import OneToOneRel, QuerySet

from crm.cases.models import Case, CaseApplicant
from crm.cases.policies import case_visibility_as, child_visibility_of
from crm.core import rawrows
from crm.core.exceptions import NotFound
from crm.core.prepared import Prepared
from crm.core.principals import Principal
from crm.firms.models import Firm

# The rows a case's page may show beside the case, joined by ``case_get``.
CASE_RELATED = (
    "owner",
    "introducer",
    "introducer_branch",
    "negotiator",
    "lead",
    "created_by",
)


def case_get(
    *,
    firm: Firm,
    case_id: int,
    principal: Principal | None = None,
    kinds: tuple[str, ...] | None = None,
    select: tuple[str, ...] = (),
    related: tuple[str, ...] = CASE_RELATED,
) -> Case:
    """Return one of the firm's cases with its related rows, or raise ``NotFound``.

    With ``principal``, a case they may not see is also ``NotFound``; with
    ``kinds``, so is a case of another kind. ``select`` names the kind's
    one-to-one details to join (e.g. ``"mortgage"``); ``related`` the case's
    own relations to join, for a page that shows fewer than ``CASE_RELATED``
    (PostgreSQL's planning time doubles with about each joined table).
    """
    apart = _joined_tables(related, select) > JOINS_IN_ONE
    found = _CASE(
        firm_id=firm.pk,
        case_id=case_id,
        kinds=kinds,
        joined=(*related, *(() if apart else select)),
        **child_visibility_of(principal),
    )
    if not found:
        raise NotFound
    case = found[0]
    _attach_applicants(case, _APPLICANTS(firm_id=firm.pk, case_id=case.pk))
    if apart:
        _attach_details(case, select=select)
    return case


def _case(
    *,
    firm_id: int,
    case_id: int,
    kinds: tuple[str, ...] | None,
    joined: tuple[str, ...],
    seen: str,
    viewer_id: int | None = None,
) -> QuerySet[Case]:
    qs = case_visibility_as(
        Case.objects.filter(firm_id=firm_id), seen=seen, viewer_id=viewer_id
    )
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    return qs.select_related(*joined).filter(pk=case_id)


def _applicants(*, firm_id: int, case_id: int) -> QuerySet[CaseApplicant]:
    """``applicants_prefetch``'s read for one case."""
    return (
        CaseApplicant.objects.filter(firm_id=firm_id, case_id=case_id)
        .select_related("contact")
        .order_by("position")
    )


# Compiled once a process (``crm.core.prepared``): the ORM's building and
# compiling of these two statements was most of the case pages' case read.
_CASE = Prepared(Case, _case, shapes=("kinds", "joined"))
_APPLICANTS = Prepared(CaseApplicant, _applicants)


def _attach_applicants(case: Case, rows: list[CaseApplicant]) -> None:
    """Put ``rows`` where ``prefetch_related(applicants_prefetch())`` puts them.

    As Django's ``prefetch_one_level`` does: ``case.applicants.all()`` gives
    them with no query (a queryset filtered to the case, its results filled
    in), and each row's ``case`` is ``case``.
    """
    manager: Any = case.applicants
    holder = manager._apply_rel_filters(
        QuerySet(model=CaseApplicant).select_related("contact").order_by("position")
    )
    holder._result_cache = rows
    holder._prefetch_done = True
    for row in rows:
        CaseApplicant.case.field.set_cached_value(row, case)
    cache = case.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[CaseApplicant.case.field.remote_field.cache_name] = holder


# The most tables ``case_get`` joins in one statement. PostgreSQL's planning
# time grows much faster than the tables joined: on the bench database the
# advice case page's eleven took 6-11 ms to plan and 0.3-1 ms to run, against
# 1.1 and 1.5 ms for its two statements of six (issue 21 item 4). Eight
# (``protection_case_get``: the case, its six people and its D&N) plan in
# 3-5 ms and stay one statement for now: splitting them would add a query to
# the protection pages and their API.
JOINS_IN_ONE = 8


def _joined_tables(related: tuple[str, ...], select: tuple[str, ...]) -> int:
    """Return how many tables the case, ``related`` and ``select`` paths span."""
    steps = {
        "__".join(parts[:n])
        for path in (*related, *select)
        for parts in [path.split("__")]
        for n in range(1, len(parts) + 1)
    }
    return 1 + len(steps)


def _attach_details(case: Case, *, select: tuple[str, ...]) -> None:
    """Read the kind's details named in ``select`` and attach them to ``case``.

    A statement of their own, when one would join more than ``JOINS_IN_ONE``
    tables, written by hand (``crm.core.rawrows``: compiling it through the
    ORM cost the page about 1,900 Python calls). Each detail is then on
    ``case`` as ``select_related`` would have put it: the related row
    (pointing back at ``case``), or None.
    """
    for name in dict.fromkeys(path.split("__", 1)[0] for path in select):
        if not isinstance(Case._meta.get_field(name), OneToOneRel):
            msg = f"case_get's select names a case's one-to-one details, not {name!r}"
            raise TypeError(msg)
    rawrows.attach_related(case, select)
