"""One case, read for its page and its actions: ``case_get``."""

from django.db.models import OneToOneRel

from crm.cases.models import Case
from crm.cases.policies import case_visibility
from crm.cases.selectors.cases import applicants_prefetch
from crm.core import rawrows
from crm.core.exceptions import NotFound
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
    qs = case_visibility(Case.objects.filter(firm=firm), principal)
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    apart = _joined_tables(related, select) > JOINS_IN_ONE
    qs = qs.select_related(*related, *(() if apart else select))
    try:
        case = qs.prefetch_related(applicants_prefetch()).get(pk=case_id)
    except Case.DoesNotExist as exc:
        raise NotFound from exc
    if apart:
        _attach_details(case, select=select)
    return case


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
