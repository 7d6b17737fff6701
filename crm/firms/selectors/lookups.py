"""Reads about the firm's reference lists: branches, introducers and lookups (A5)."""

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from django.db.models import (
    Count,
    IntegerField,
    OrderBy,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Lower

from crm.core.exceptions import NotFound
from crm.firms.models import (
    Branch,
    Firm,
    InteractionType,
    Introducer,
    IntroducerBranch,
    Negotiator,
    ReferenceModel,
    TaskCategory,
)
from crm.firms.selectors import choice_cache

NamedLookup = TypeVar("NamedLookup", InteractionType, TaskCategory)
Reference = TypeVar("Reference", bound=ReferenceModel)

Sorts = dict[str, tuple[str | OrderBy, ...]]

# A settings list's sorts: "status" (active first, then by name) is the default.
REFERENCE_SORTS: Sorts = {
    "status": ("-is_active", Lower("name").asc(), "id"),
    "-status": ("is_active", Lower("name").asc(), "id"),
    "name": (Lower("name").asc(), "id"),
    "-name": (Lower("name").desc(), "-id"),
}
INTRODUCER_SORTS: Sorts = {
    **REFERENCE_SORTS,
    "branches": ("active_branch_count", Lower("name").asc(), "id"),
    "-branches": ("-active_branch_count", Lower("name").asc(), "id"),
    "negotiators": ("active_negotiator_count", Lower("name").asc(), "id"),
    "-negotiators": ("-active_negotiator_count", Lower("name").asc(), "id"),
}
DEFAULT_SORT = "status"
STATUSES = ("active", "archived")


@dataclass(frozen=True)
class ReferenceListQuery:
    """A settings list's search, status and sort, parsed once by its FilterSet.

    ``status`` is "" (all), "active" or "archived"; the list's selector takes
    it as keyword arguments (``**query.as_kwargs()``).
    """

    q: str = ""
    status: str = ""
    sort: str = DEFAULT_SORT

    def as_kwargs(self) -> dict[str, Any]:
        """Return the query as the list selector's keyword arguments."""
        return asdict(self)


def reference_rows(
    qs: QuerySet[Reference],
    *,
    q: str = "",
    status: str = "",
    sort: str = DEFAULT_SORT,
    search: tuple[str, ...] = ("name",),
    sorts: Sorts = REFERENCE_SORTS,
) -> QuerySet[Reference]:
    """Return ``qs`` narrowed to ``q`` (in ``search`` fields) and ``status``, sorted.

    An unknown ``status`` keeps every row; an unknown ``sort`` is the default.
    """
    if q:
        matches = Q()
        for name in search:
            matches |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(matches)
    if status in STATUSES:
        qs = qs.filter(is_active=status == "active")
    return qs.order_by(*sorts.get(sort, sorts[DEFAULT_SORT]))


class IntroducerCounts(TypedDict):
    """The counts ``introducer_list`` adds to each introducer."""

    active_branch_count: int
    active_negotiator_count: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    IntroducerWithCounts = WithAnnotations[Introducer, IntroducerCounts]


# Branches (the firm's own offices)


def branch_list(*, firm: Firm) -> QuerySet[Branch]:
    """Return the firm's branches, active ones first, by name."""
    return Branch.objects.filter(firm=firm).order_by("-is_active", Lower("name"), "id")


def branch_get(*, firm: Firm, branch_id: int) -> Branch:
    """Return one of the firm's branches or raise ``NotFound``."""
    try:
        return Branch.objects.get(firm=firm, pk=branch_id)
    except Branch.DoesNotExist as exc:
        raise NotFound from exc


# Introducers, their branches and negotiators


def _count(qs: QuerySet[IntroducerBranch] | QuerySet[Negotiator]) -> Coalesce:
    """Return ``qs`` (already filtered to one outer row) as a count subquery."""
    counted = qs.order_by().values("firm").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def introducer_list(
    *, firm: Firm, q: str = "", status: str = "", sort: str = DEFAULT_SORT
) -> "QuerySet[IntroducerWithCounts]":
    """Return the firm's introducers, active first, with counts in one query.

    Each row carries ``active_branch_count`` (active branches) and
    ``active_negotiator_count`` (active negotiators at those active branches):
    what the New Case wizard would offer for that introducer. ``q`` searches
    the name, e-mail and phone; ``status`` and ``sort`` are as in
    ``reference_rows``.
    """
    branches = IntroducerBranch.objects.filter(
        firm=firm, introducer=OuterRef("pk"), is_active=True
    )
    negotiators = Negotiator.objects.filter(
        firm=firm,
        branch__introducer=OuterRef("pk"),
        branch__is_active=True,
        is_active=True,
    )
    introducers = Introducer.objects.filter(firm=firm).annotate(
        active_branch_count=_count(branches),
        active_negotiator_count=_count(negotiators),
    )
    return reference_rows(
        introducers,
        q=q,
        status=status,
        sort=sort,
        search=("name", "email", "phone"),
        sorts=INTRODUCER_SORTS,
    )


def introducer_get(*, firm: Firm, introducer_id: int) -> Introducer:
    """Return one of the firm's introducers or raise ``NotFound``."""
    try:
        return Introducer.objects.get(firm=firm, pk=introducer_id)
    except Introducer.DoesNotExist as exc:
        raise NotFound from exc


def introducer_branch_list(
    *, firm: Firm, introducer: Introducer
) -> QuerySet[IntroducerBranch]:
    """Return the introducer's branches with their negotiators, in two queries.

    Active rows come first at both levels; ``branch.negotiators.all()`` reads
    the prefetched list.
    """
    negotiators = Negotiator.objects.filter(firm=firm).order_by(
        "-is_active", Lower("name"), "id"
    )
    return (
        IntroducerBranch.objects.filter(firm=firm, introducer=introducer)
        .prefetch_related(Prefetch("negotiators", queryset=negotiators))
        .order_by("-is_active", Lower("name"), "id")
    )


def introducer_branch_get(*, firm: Firm, introducer_branch_id: int) -> IntroducerBranch:
    """Return one introducer branch of the firm, with its introducer, or 404."""
    try:
        return IntroducerBranch.objects.select_related("introducer").get(
            firm=firm, pk=introducer_branch_id
        )
    except IntroducerBranch.DoesNotExist as exc:
        raise NotFound from exc


def negotiator_get(*, firm: Firm, negotiator_id: int) -> Negotiator:
    """Return one negotiator of the firm, with branch and introducer, or 404."""
    try:
        return Negotiator.objects.select_related("branch__introducer").get(
            firm=firm, pk=negotiator_id
        )
    except Negotiator.DoesNotExist as exc:
        raise NotFound from exc


def introducer_choices(*, firm: Firm) -> list[tuple[int, str]]:
    """Return ``(id, name)`` of the firm's active introducers, for pickers.

    Each process keeps the list until the firm's ``choices_version`` moves
    (``choice_cache``).
    """

    def load(using: str) -> list[tuple[int, str]]:
        return list(
            Introducer.objects.using(using)
            .filter(firm=firm, is_active=True)
            .order_by(Lower("name"), "id")
            .values_list("pk", "name")
        )

    return choice_cache.choices(firm=firm, name="introducers", options=None, load=load)


def introducer_branch_choices(
    *, firm: Firm, introducer_id: int
) -> list[tuple[int, str]]:
    """Return ``(id, name)`` of an active introducer's active branches.

    An unknown, archived or other firm's introducer gives an empty list.
    """
    return list(
        IntroducerBranch.objects.filter(
            firm=firm,
            introducer_id=introducer_id,
            introducer__is_active=True,
            is_active=True,
        )
        .order_by(Lower("name"), "id")
        .values_list("pk", "name")
    )


def negotiator_choices(
    *, firm: Firm, introducer_branch_id: int
) -> list[tuple[int, str]]:
    """Return ``(id, name)`` of the active negotiators at an active branch.

    The branch's introducer must be active too; otherwise the list is empty.
    """
    return list(
        Negotiator.objects.filter(
            firm=firm,
            branch_id=introducer_branch_id,
            branch__is_active=True,
            branch__introducer__is_active=True,
            is_active=True,
        )
        .order_by(Lower("name"), "id")
        .values_list("pk", "name")
    )


# Interaction types and task categories: name-only lists of the same shape


def _named_list(model: type[NamedLookup], firm: Firm) -> QuerySet[NamedLookup]:
    return model.objects.filter(firm=firm).order_by("-is_active", Lower("name"), "id")


def _named_get(model: type[NamedLookup], firm: Firm, pk: int) -> NamedLookup:
    try:
        return model.objects.get(firm=firm, pk=pk)
    except model.DoesNotExist as exc:
        raise NotFound from exc


def interaction_type_list(*, firm: Firm) -> QuerySet[InteractionType]:
    """Return the firm's interaction types, active first, by name."""
    return _named_list(InteractionType, firm)


def interaction_type_get(*, firm: Firm, interaction_type_id: int) -> InteractionType:
    """Return one of the firm's interaction types or raise ``NotFound``."""
    return _named_get(InteractionType, firm, interaction_type_id)


def task_category_list(*, firm: Firm) -> QuerySet[TaskCategory]:
    """Return the firm's task categories, active first, by name."""
    return _named_list(TaskCategory, firm)


def task_category_get(*, firm: Firm, task_category_id: int) -> TaskCategory:
    """Return one of the firm's task categories or raise ``NotFound``."""
    return _named_get(TaskCategory, firm, task_category_id)


def task_category_filter_choices(*, firm: Firm) -> list[tuple[int, str]]:
    """Return ``(id, name)`` of all the firm's task categories, active first.

    The Tasks page's category filter offers archived categories too, so
    their tasks can still be found. Each process keeps the list until the
    firm's ``choices_version`` moves (``choice_cache``): the category
    services raise it.
    """

    def load(using: str) -> list[tuple[int, str]]:
        categories = task_category_list(firm=firm).using(using)
        return list(categories.values_list("pk", "name"))

    return choice_cache.choices(
        firm=firm, name="task_categories", options=None, load=load
    )
