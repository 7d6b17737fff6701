"""A board's cards, drawn in Python with the markup the template had (SPEC D2).

A board shows a dozen columns of cards. Through the template language each
card cost about 1,300 Python calls (a lookup per fact, the follow-up include,
two URL reversals); here a card is one ``str.format`` of values escaped as
``{{ value }}`` escapes them, its links are the board's two URLs reversed once
with the card's id put in, and what every card of a column shares (the "Move
to" options, the filters' hidden inputs, the CSRF input) is drawn once.
"""

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe

from crm.advice.choices import AdviceKind
from crm.advice.selectors.board import BoardColumn
from crm.cases import kinds
from crm.cases.models import Case

# An id no case has, reversed once and then replaced by each card's own.
_SLOT = "2147483647"

CARD = """<li class="board-card" id="case-card-{pk}" tabindex="-1"{drag}>
  <h3 class="board-card__title"><a href="{url}">{clients}</a></h3>
  <dl class="board-card__facts">
    <dt>Reference</dt>
    <dd>{reference}</dd>
    <dt>Adviser</dt>
    <dd>{adviser}</dd>
    <dt>Follow-up</dt>
    <dd>{follow_up}</dd>
    <dt>{figure_label}</dt>
    <dd>{figure}</dd>
  </dl>{move}
</li>
"""
DRAG = ' draggable="true" data-status="{}" data-moves="{}" data-move-url="{}"'
MOVE = """
  <form class="board-card__move" method="post" action="{url}" hx-post="{url}" \
hx-target="#board" hx-swap="outerHTML">
    {csrf}{hidden}
    <label for="move-{pk}">Move<span class="sr-only"> {reference}</span> to</label>
    <select id="move-{pk}" name="status">{options}</select>
    <button type="submit" class="button button--small">Move\
<span class="sr-only"> {reference}</span></button>
  </form>"""
EMPTY = '<li class="board-column__empty">No cases at {}.</li>'


def _url_of(name: str) -> Callable[[int], str]:
    """Return ``pk -> reverse(name, kwargs={"case_id": pk})``, reversed once."""
    before, _slot, after = reverse(name, kwargs={"case_id": _SLOT}).rpartition(_SLOT)
    return lambda pk: f"{before}{pk}{after}"


@dataclass(frozen=True)
class CardStyle:
    """What every card of one board shares: its URLs, labels and form parts."""

    kind: str
    figure_label: str
    can_edit: bool
    csrf_input: SafeString
    hidden_inputs: SafeString
    figures: dict[int, str]


def _figure(case: Case, figures: dict[int, str]) -> str:
    """Return a card's key figure: a mortgage's loan, else what an app added."""
    if case.kind == AdviceKind.MORTGAGE:
        details = getattr(case, "mortgage", None)
        if details is None or details.loan_amount is None:
            return ""
        return f"£{details.loan_amount:,.0f}"
    return figures.get(case.pk, "")


class _FollowUps:
    """``components/_follow_up.html`` for a case, each date formatted once."""

    def __init__(self) -> None:
        self.dates: dict[date, str] = {}

    def __call__(self, case: Case) -> str:
        day = case.follow_up_date
        if day is None:
            return '<span class="muted">None</span>'
        shown = self.dates.get(day)
        if shown is None:
            shown = '<time datetime="{}">{}</time>'.format(
                day.isoformat(), _e(dateformat.format(day, "j M Y"))
            )
            self.dates[day] = shown
        state = getattr(case, "follow_up_state", "")
        if state == "overdue":
            return f'{shown} <span class="badge badge--red">Overdue</span>'
        if state == "due":
            return f'{shown} <span class="badge badge--amber">Due today</span>'
        return shown


def _e(value: object) -> str:
    """``{{ value }}`` for a value that is not safe: Django's ``escape``.

    Django's ``escape`` is this stdlib call behind a lazy-string check that,
    run for every fact of every card, cost more than the card itself.
    """
    return html.escape(str(value))


@dataclass(frozen=True)
class _Urls:
    """A board's per-card links, and its follow-up dates formatted once."""

    detail: Callable[[int], str]
    move: Callable[[int], str]
    follow_up: _FollowUps


def _card(case: Case, column: BoardColumn, style: CardStyle, urls: _Urls) -> str:
    """Return one card's ``<li>``, as the board's template drew it."""
    url = urls.move(case.pk)
    drag = move = ""
    reference = _e(case.reference)
    if style.can_edit and column.moves:
        drag = DRAG.format(_e(case.status), _e(column.move_values), url)
        move = MOVE.format(
            url=url,
            csrf=style.csrf_input,
            hidden=style.hidden_inputs,
            pk=case.pk,
            reference=reference,
            options=column.move_options,
        )
    return CARD.format(
        pk=case.pk,
        drag=drag,
        url=urls.detail(case.pk),
        clients=_e(column.clients.get(case.pk) or "No client"),
        reference=reference,
        adviser=_e(case.owner or "Unassigned"),
        follow_up=urls.follow_up(case),
        figure_label=_e(style.figure_label),
        figure=_e(_figure(case, style.figures) or "—"),
        move=move,
    )


def draw_columns(
    columns: list[BoardColumn], style: CardStyle
) -> list[tuple[BoardColumn, SafeString]]:
    """Return each column with its cards drawn (``<li>`` items, or "No cases")."""
    urls = _Urls(
        detail=_url_of(kinds.get(style.kind).detail_url_name),
        move=_url_of("advice:board_move"),
        follow_up=_FollowUps(),
    )
    drawn = []
    for column in columns:
        if column.cases:
            cards = "".join(_card(case, column, style, urls) for case in column.cases)
        else:
            cards = EMPTY.format(_e(column.status.label))
        # Every value above is escaped or was drawn safe (options, inputs).
        drawn.append((column, mark_safe(cards)))  # noqa: S308
    return drawn
