"""The Mortgages and Protection boards: a column per stage, capped (SPEC D2).

A board reads in a fixed number of queries whatever the number of cases: the
stages' counts in one query, the first ``per_column`` ids of each column (one
query on PostgreSQL, one per stage on SQLite), then the cards of all columns
in one query and their clients' names in another. Each read goes through a
partial index of the boards (``case_board_open``, ``case_board_closed``): a
column's first cards are an index range with a ``LIMIT``, and its count stops
past ``COUNT_CAP`` ("1,000+"), so neither grows with the table. A closing
stage (Completed, On Risk) shows the cases closed there in the last
``RECENT_DAYS`` days only, latest first.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from django.db import connection, connections, router
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from crm.advice.choices import (
    CLOSED_STATUSES,
    MORTGAGE_MOVES,
    PROTECTION_MOVES,
    TRANSITIONS,
    AdviceKind,
    AdviceStatus,
)
from crm.cases.models import Case, CaseApplicant, CaseQuerySet
from crm.cases.policies import case_visibility
from crm.contacts.models import NAME_FIELDS, contact_name
from crm.core import sections
from crm.core.pagination import COUNT_CAP
from crm.core.principals import Principal
from crm.firms.models import Firm

BOARD_CARDS_PER_COLUMN = 10
RECENT_DAYS = 30
BOARD_KINDS = {
    "mortgages": AdviceKind.MORTGAGE,
    "protection": AdviceKind.PROTECTION,
}
BOARD_SLUGS = {str(kind): slug for slug, kind in BOARD_KINDS.items()}
FOLLOW_UP_FILTERS = ("due", "overdue", "none")
# What a card shows: the case's own columns, its adviser's name, its loan (a
# protection card's premium comes from the ``case.board`` sections); and the
# dates its column is ordered by.
MORTGAGE_FIELDS = ("mortgage__loan_amount",)
CARD_FIELDS = (
    "id",
    "firm_id",
    "kind",
    "status",
    "reference",
    "follow_up_date",
    "is_open",
    "created_at",
    "closed_at",
    "owner__first_name",
    "owner__last_name",
    "owner__email",
    *MORTGAGE_FIELDS,
)


def board_stages(kind: str) -> list[AdviceStatus]:
    """Return the stages a kind's board shows as columns, in pipeline order."""
    moves = MORTGAGE_MOVES if kind == AdviceKind.MORTGAGE else PROTECTION_MOVES
    return list(moves)


def card_moves(kind: str, status: str) -> list[AdviceStatus]:
    """Return the stages a card at ``status`` may move to, in pipeline order."""
    allowed = TRANSITIONS[kind].get(status, frozenset())
    return [AdviceStatus(s) for s in TRANSITIONS[kind] if s in allowed]


@dataclass(frozen=True)
class BoardFilters:
    """The board's filters, parsed from the query string by the view's form."""

    owner_id: int | None = None
    introducer_id: int | None = None
    follow_up: str = ""

    def list_params(self) -> dict[str, Any]:
        """Return the Cases list's query parameters for the same filters."""
        params: dict[str, Any] = {}
        if self.owner_id is not None:
            params["owner"] = self.owner_id
        if self.introducer_id is not None:
            params["introducer"] = self.introducer_id
        if self.follow_up in ("due", "overdue"):
            params["follow_up"] = self.follow_up
        return params


@dataclass
class BoardColumn:
    """One stage of a board: its first cards, its total and the moves out."""

    status: AdviceStatus
    count: int
    cases: list[Case] = field(default_factory=list)
    # Case id -> its card's title, the applicants' names (shared by the columns).
    clients: dict[int, str] = field(default_factory=dict)
    moves: list[AdviceStatus] = field(default_factory=list)
    closed: bool = False

    @cached_property
    def move_values(self) -> str:
        """Return the stages a card may move to, space-separated (``data-moves``)."""
        return " ".join(str(status.value) for status in self.moves)

    @cached_property
    def move_options(self) -> SafeString:
        """Return the "Move to" control's options, drawn once for every card."""
        return format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((s.value, s.label) for s in self.moves),
        )

    @property
    def more(self) -> int:
        """Return how many cases the column has beyond the cards it shows."""
        return max(self.count - len(self.cases), 0)

    @property
    def capped(self) -> bool:
        """Return whether the column holds more cases than were counted."""
        return self.count > COUNT_CAP + len(self.cases)

    @property
    def count_label(self) -> str:
        """Return the column's count as its badge shows it ("1,000+" past the cap)."""
        return f"{COUNT_CAP:,}+" if self.capped else f"{self.count:,}"

    @property
    def more_label(self) -> str:
        """Return the "N more" of the column's link ("1,000+" past the cap)."""
        return f"{COUNT_CAP:,}+" if self.capped else f"{self.more:,}"


def _board_cases(
    *, firm: Firm, kind: str, principal: Principal | None, filters: BoardFilters
) -> CaseQuerySet:
    """Return the kind's cases the member may see, narrowed by the filters."""
    qs = case_visibility(Case.objects.filter(firm=firm, kind=kind), principal)
    if filters.owner_id is not None:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.introducer_id is not None:
        qs = qs.filter(introducer_id=filters.introducer_id)
    today = timezone.localdate()
    if filters.follow_up == "due":
        qs = qs.filter(is_open=True, follow_up_date=today)
    elif filters.follow_up == "overdue":
        qs = qs.filter(is_open=True, follow_up_date__lt=today)
    elif filters.follow_up == "none":
        qs = qs.filter(is_open=True, follow_up_date__isnull=True)
    return qs


def _stage_cases(qs: CaseQuerySet, stage: AdviceStatus) -> CaseQuerySet:
    """Return the cases ``stage``'s column shows, read through the boards' indexes.

    An open stage shows its open cases, newest first (``case_board_open``); a
    closing stage the cases closed there in the last ``RECENT_DAYS`` days,
    latest first (``case_board_closed``). A case at a closing stage is closed
    and one at an open stage is open (the status services keep it so).
    """
    if stage in CLOSED_STATUSES:
        since = timezone.now() - timedelta(days=RECENT_DAYS)
        return qs.filter(is_open=False, status=stage, closed_at__gte=since).order_by(
            "-closed_at", "-id"
        )
    return qs.filter(is_open=True, status=stage).order_by("-created_at", "-id")


def _counts(
    qs: CaseQuerySet, stages: list[AdviceStatus], per_column: int
) -> dict[str, int]:
    """Return each stage's number of cases, counted up to a cap, in one query.

    Each stage reads at most ``COUNT_CAP + per_column + 1`` entries of its
    index, so a count costs the same at 300,000 cases as at 300: an exact
    count read every open case of the kind (about 63,000 index entries for
    the bench firm's Mortgages board, 30-35 ms on the shared machine, against
    0.25 ms a stage capped). Over the cap a column shows "1,000+" and so does
    its "more" link (``BoardColumn.capped``). Django cannot count a sliced
    queryset inside a ``UNION``, so each stage's compiled query is wrapped in
    ``SELECT <stage>, COUNT(*) FROM (...)`` here.
    """
    cap = COUNT_CAP + per_column + 1
    alias = router.db_for_read(Case)
    parts: list[str] = []
    params: list[Any] = []
    for index, stage in enumerate(stages):
        part = _stage_cases(qs, stage).order_by().values_list("id")[:cap]
        sql, part_params = part.query.get_compiler(using=alias).as_sql()
        # The stage's position is this code's own number; the rest is Django's.
        parts.append(f"SELECT {index:d}, COUNT(*) FROM ({sql}) AS s{index:d}")  # noqa: S608
        params += part_params
    with connections[alias].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {stages[index]: n for index, n in cursor.fetchall() if n}


def _first_ids(
    qs: CaseQuerySet, stages: list[AdviceStatus], per_column: int
) -> list[int]:
    """Return the first ``per_column`` case ids of each stage.

    One ``UNION ALL`` of a ``LIMIT`` per stage where the database takes a
    ``LIMIT`` inside a compound statement (PostgreSQL), else a query per stage
    (SQLite); each reads only its rows through the stage's index.
    """
    parts = [
        _stage_cases(qs, stage).values_list("id", flat=True)[:per_column]
        for stage in stages
    ]
    if not parts:
        return []
    if connection.features.supports_slicing_ordering_in_compound:
        return list(parts[0].union(*parts[1:], all=True))
    return [pk for part in parts for pk in part]


def case_board(
    *,
    firm: Firm,
    kind: str,
    principal: Principal | None = None,
    filters: BoardFilters | None = None,
    per_column: int = BOARD_CARDS_PER_COLUMN,
) -> list[BoardColumn]:
    """Return a kind's board: a column per stage, newest cases first in each.

    Costs four queries whatever the number of cards: the counts, the first ids
    of each stage (``_first_ids``; on SQLite a query per stage with cases),
    the cards (only the columns a card shows) and their clients' names. The
    ids are read first, not as the cards' subquery: PostgreSQL hash-joins a
    ``UNION`` subquery against a scan of the whole table when it guesses the
    table small, where ``id = ANY(...)`` is always the primary key's index.
    """
    qs = _board_cases(
        firm=firm, kind=kind, principal=principal, filters=filters or BoardFilters()
    )
    stages = board_stages(kind)
    counts = _counts(qs, stages, per_column)
    ids = _first_ids(qs, [s for s in stages if counts.get(s)], per_column)
    cards: dict[str, list[Case]] = {stage: [] for stage in stages}
    clients: dict[int, str] = {}
    if ids:
        mortgage = kind == AdviceKind.MORTGAGE
        found = (
            Case.objects.filter(firm=firm, pk__in=ids)
            .select_related("owner", *(["mortgage"] if mortgage else []))
            .only(*(f for f in CARD_FIELDS if mortgage or f not in MORTGAGE_FIELDS))
            .order_by()
        )
        for case in found:
            # A case moved out of the board's stages (closed as Not Proceeding
            # With, say) between the two reads is left out, not a KeyError.
            if case.status in cards:
                cards[case.status].append(case)
        for stage, shown in cards.items():
            shown.sort(key=_newest_first(stage), reverse=True)
        clients = _client_names(firm=firm, case_ids=ids)
    return [
        BoardColumn(
            status=stage,
            count=counts.get(stage, 0),
            cases=cards[stage],
            clients=clients,
            moves=card_moves(kind, stage),
            closed=stage in CLOSED_STATUSES,
        )
        for stage in stages
    ]


def _newest_first(stage: str) -> Callable[[Case], tuple[datetime | None, int]]:
    """Return the sort key of a column's cards: its ``_stage_cases`` order."""
    if stage in CLOSED_STATUSES:
        return lambda case: (case.closed_at, case.pk)
    return lambda case: (case.created_at, case.pk)


def _client_names(*, firm: Firm, case_ids: list[int]) -> dict[int, str]:
    """Return each case's applicants' names, joined ("Ada Byron & Tom Byron").

    One query of the name fields alone, as plain rows: a prefetch of the
    applicants built a queryset per case and read every column of every client.
    """
    rows = (
        CaseApplicant.objects.filter(firm=firm, case_id__in=case_ids)
        .order_by("case_id", "position")
        .values_list("case_id", *(f"contact__{name}" for name in NAME_FIELDS))
    )
    names: dict[int, list[str]] = {}
    for case_id, *fields in rows:
        names.setdefault(case_id, []).append(contact_name(*fields))
    return {case_id: " & ".join(shown) for case_id, shown in names.items()}


def card_figures(*, firm: Firm, kind: str, columns: list[BoardColumn]) -> Any:
    """Return what other apps add to the board's cards (a protection premium).

    The ``case.board`` sections registered for ``kind`` get the cases shown.
    """
    cases = [case for column in columns for case in column.cases]
    return sections.gather("case.board", firm=firm, kind=kind, cases=cases)
