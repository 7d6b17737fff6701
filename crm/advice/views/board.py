"""The Mortgages and Protection boards (SPEC D2).

A card moves by drag and drop or by its "Move to" control; both post to
``board_move`` with htmx and get the board back, or without JavaScript as a
plain form that redirects back. A move that closes a case answers with the
confirmation first (``crm.advice.views.moves``), as the case page does.
"""

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.advice import selectors
from crm.advice.choices import AdviceKind
from crm.advice.forms import BoardFilterForm
from crm.advice.selectors.board import (
    BOARD_KINDS,
    BOARD_SLUGS,
    BoardFilters,
    card_figures,
)
from crm.advice.selectors.board import case_board as board_columns
from crm.advice.views import board_cards, moves
from crm.cases import kinds
from crm.cases import services as case_services
from crm.core.exceptions import ApplicationError
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms import selectors as firm_selectors
from crm.firms.choices import Perm

BOARD_TEMPLATE = "advice/case_board.html"


def _kind(board: str) -> str:
    """Return the case kind a board's URL names; 404 for any other name."""
    try:
        return str(BOARD_KINDS[board])
    except KeyError as exc:
        raise Http404 from exc


def _filter_form(request: StaffRequest, data: QueryDict | None) -> BoardFilterForm:
    return BoardFilterForm(
        data,
        owners=firm_selectors.member_choices(firm=request.firm),
        introducers=firm_selectors.introducer_choices(firm=request.firm),
    )


def board_url_name(board: str) -> str:
    """Return the URL name of a board's page ("advice:mortgage_board")."""
    return f"advice:{_kind(board)}_board"


def _board_url(board: str, filters: BoardFilters) -> str:
    url = reverse(board_url_name(board))
    params = {
        key: value
        for key, value in (
            ("owner", filters.owner_id),
            ("introducer", filters.introducer_id),
            ("follow_up", filters.follow_up),
        )
        if value not in (None, "")
    }
    return f"{url}?{urlencode(params)}" if params else url


def _hidden(filters: BoardFilters) -> dict[str, Any]:
    """Return the filters as the hidden fields a move form carries."""
    return {
        "owner": filters.owner_id or "",
        "introducer": filters.introducer_id or "",
        "follow_up": filters.follow_up,
    }


def _hidden_inputs(filters: BoardFilters) -> SafeString:
    """Return the filters as hidden inputs, drawn once for every card's form."""
    return format_html_join(
        "\n",
        '<input type="hidden" name="{}" value="{}">',
        ((k, v) for k, v in _hidden(filters).items() if v != ""),
    )


def _board_context(
    request: StaffRequest, board: str, filters: BoardFilters
) -> dict[str, Any]:
    kind = _kind(board)
    columns = board_columns(
        firm=request.firm, kind=kind, principal=request.principal, filters=filters
    )
    extra = card_figures(firm=request.firm, kind=kind, columns=columns)
    can_edit = request.membership.has_perm(Perm.EDIT_CASES)
    style = board_cards.CardStyle(
        kind=kind,
        figure_label="Loan" if kind == AdviceKind.MORTGAGE else "Premium",
        can_edit=can_edit,
        csrf_input=format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
            get_token(request),
        ),
        hidden_inputs=_hidden_inputs(filters),
        figures=extra.context.get("card_figures", {}),
    )
    list_params = {"kind": kind, **filters.list_params()}
    return {
        "board": board,
        "kind": kinds.get(kind),
        "columns": board_cards.draw_columns(columns, style),
        "filters": filters,
        "hidden_json": json.dumps(_hidden(filters)),
        "filtered": filters != BoardFilters(),
        "case_count": sum(column.count for column in columns),
        "list_query": urlencode(list_params),
        "can_edit": can_edit,
        "board_url": reverse(board_url_name(board)),
        "boards": [
            (reverse(board_url_name(slug)), kinds.get(k).label)
            for slug, k in BOARD_KINDS.items()
            if slug != board
        ],
    }


@require_GET
@vary_on_headers("HX-Request")
@staff_view(module="advice")
def case_board(request: StaffRequest, board: str) -> TemplateResponse:
    """Show a kind's cases as a column per stage, filtered (D2)."""
    form = _filter_form(request, request.GET or None)
    context = {"form": form, **_board_context(request, board, form.filters())}
    template = BOARD_TEMPLATE
    if request.htmx and not request.htmx.boosted:
        template += "#board"
    return TemplateResponse(request, template, context)


@require_POST
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def board_move(request: StaffRequest, case_id: int) -> HttpResponse:
    """Move a card from its board; a closing stage is confirmed first (D2, D3)."""
    case = selectors.advice_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    board = BOARD_SLUGS[case.kind]
    status = request.POST.get("status", "")
    filters = _filter_form(request, request.POST).filters()
    back = _board_url(board, filters)

    def confirm(error: str = "") -> TemplateResponse:
        action = reverse("advice:board_move", kwargs={"case_id": case.pk})
        context = moves.confirm_context(
            request,
            case,
            status,
            action=action,
            back=back,
            hidden=_hidden(filters),
        )
        return moves.confirm_response(
            request, {**context, "error": error}, target="#board-confirm"
        )

    if moves.needs_confirmation(case, status, request.POST):
        return confirm()
    try:
        case_services.case_move(
            firm=request.firm,
            actor=request.user,
            case=case,
            status=status,
            reason=request.POST.get("reason", ""),
        )
    except (ApplicationError, ValidationError) as exc:
        error = exc.message if isinstance(exc, ApplicationError) else exc.messages[0]
        if request.POST.get("step") == "confirm":
            return confirm(error)
        notice = ""
    else:
        error, notice = "", moves.moved_notice(request, case, status)
    if request.htmx:
        context = {**_board_context(request, board, filters), "error": error}
        context |= {"notice": notice, "moved_id": case.pk}
        return TemplateResponse(request, BOARD_TEMPLATE + "#move_result", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(back)
