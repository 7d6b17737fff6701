"""The case page's Income section drawn in Python, as ``_for_case_section.html``.

Through the template language the section cost about 1,200 Python calls (the
permission asked three times, a lookup and a filter per value);
``{% income_section %}`` draws it here with Django's own filters. The template
stays the reference, and a test draws varied sections both ways and compares
them.
"""

from typing import Any

from django.template import Context
from django.template.defaultfilters import floatformat
from django.template.defaulttags import CsrfTokenNode

from crm.core.links import quick_reverse
from crm.core.rows import RowPage, e
from crm.core.templatetags.dates import DATE_FORMATS

HEAD = (
    '\n<section class="card" id="income" aria-labelledby="income-heading">'
    '\n  <div class="card__header">\n    <h2 id="income-heading">Income</h2>'
    "\n  </div>\n  "
)
TABLE = (
    '\n    <div class="table-wrap" tabindex="0">\n      <table class="table">'
    '\n        <caption class="sr-only">Fees and commission on {reference}</caption>'
    "\n        <thead>\n          <tr>"
    '\n            <th scope="col">Income</th>'
    '\n            <th scope="col" class="num">Expected</th>'
    '\n            <th scope="col">Status</th>'
    '\n            <th scope="col">Split (advise'
    "r / introducer)</th>\n            {actions}"
    "\n          </tr>\n        </thead>\n        <tbody>\n          {rows}"
    "\n        </tbody>\n      </table>\n    </div>\n  "
)
ACTIONS_HEAD = (
    '\n              <th scope="col"><span class="sr-only">Actions</span></th>'
    "\n            "
)
ROW = (
    '\n            <tr id="{anchor}">\n              <td>\n                {kind}'
    "\n                {description}\n                {policy}\n              </td>"
    '\n              <td class="num nowrap">\n  '
    "              {amount}\n                <br>"
    '\n                <span class="muted"><time datetime="{iso}">{day}</time></span>'
    "\n              </td>\n              <td>\n "
    "               {status}\n              </td>"
    '\n              <td class="nowrap">{adviser}%'
    " / {introducer}%</td>\n              {actions}"
    "\n            </tr>\n          "
)
RECEIVED = (
    '\n                  <span class="badge badge--green">{word}</span>'
    "\n                  <br>\n                  "
    '<span class="muted">{amount} on {day}</span>'
    "\n                "
)
OVERDUE = (
    '\n                  <span class="badge badge--red">Overdue</span>'
    "\n                "
)
WRITTEN_OFF = (
    '\n                  <span class="badge">Written off</span>\n                  <br>'
    '\n                  <span class="muted">P'
    "olicy ended {day}</span>\n                "
)
EXPECTED = '\n                  <span class="badge">Expected</span>\n                '
LINE_ACTIONS = (
    '\n                <td class="actions">\n                  {links}'
    "\n                </td>\n              "
)
OPEN_LINKS = (
    '\n                    <a class="button button--small"'
    '\n                       href="{receive}">Mark '
    'received<span class="sr-only"> {line}</span></a>'
    "\n                    {more}\n                  "
)
MORE_LINKS = (
    '\n                      <a class="button button--small"'
    '\n                         href="{edit}">E'
    'dit<span class="sr-only"> {line}</span></a>'
    '\n                      <a class="button button--small button--danger"'
    '\n                         href="{delete}">R'
    'emove<span class="sr-only"> {line}</span></a>'
    "\n                    "
)
NONE_YET = (
    '\n    <p class="muted">No fees or commission recorded yet. Add what you expect to'
    " be paid, then mark it received when it arrives.</p>\n  "
)
ADD = (
    '\n    <details class="disclosure">\n      <summary>Add expected income</summary>'
    '\n      <form method="post"\n            a'
    'ction="{action}"\n            class="form"'
    "\n            novalidate>\n        {csrf}\n        {form}"
    '\n        <div class="form-actions">'
    '\n          <button type="submit" class="b'
    'utton button--primary">Add income</button>'
    "\n        </div>\n      </form>\n    </details>\n  "
)


def draw(context: Context) -> str:
    """Return the section for the case page's template context."""
    page = RowPage(context)
    can_edit = "edit_cases" in page.permissions
    lines = context.get("income_lines")
    case = context["case"]
    out = [HEAD]
    if lines:
        rows = "".join(_row(line, page, can_edit) for line in lines)
        out.append(
            TABLE.format(
                reference=e(case.reference),
                actions=ACTIONS_HEAD if can_edit else "",
                rows=rows,
            )
        )
    else:
        out.append(NONE_YET)
    out.append("\n  ")
    if can_edit:
        out.append(
            ADD.format(
                action=e(quick_reverse("income:line_add", kwargs={"case_id": case.pk})),
                csrf=CsrfTokenNode().render(context),
                form=context.get("income_form_html", ""),
            )
        )
    out.append("\n</section>")
    return "".join(out)


def _day(value: Any) -> str:
    return e(DATE_FORMATS["j M Y"](value)) if value else ""


def _row(line: Any, page: RowPage, can_edit: bool) -> str:
    status = line.status
    if status == "received":
        word = "Applied" if line.kind == "clawback" else "Received"
        shown = RECEIVED.format(
            word=word, amount=e(line.received_text), day=_day(line.received_on)
        )
    elif status == "overdue":
        shown = OVERDUE
    elif status == "written_off":
        shown = WRITTEN_OFF.format(day=_day(line.written_off_on))
    else:
        shown = EXPECTED
    policy = ""
    if line.policy:
        months = line.indemnity_months
        indemnity = f", {e(months)}-month indemnity" if months else ""
        policy = f'<br><span class="muted">{e(line.policy)}{indemnity}</span>'
    description = line.description
    expected = line.expected_on
    actions = ""
    if can_edit:
        links = ""
        if status in ("expected", "overdue"):
            text = e(line)
            more = ""
            if line.kind != "clawback":
                more = MORE_LINKS.format(
                    edit=e(
                        quick_reverse("income:line_edit", kwargs={"line_id": line.pk})
                    ),
                    delete=e(
                        quick_reverse("income:line_delete", kwargs={"line_id": line.pk})
                    ),
                    line=text,
                )
            links = OPEN_LINKS.format(
                receive=e(
                    quick_reverse("income:line_receive", kwargs={"line_id": line.pk})
                ),
                line=text,
                more=more,
            )
        actions = LINE_ACTIONS.format(links=links)
    return ROW.format(
        anchor=e(line.anchor),
        kind=e(page.display(line, "kind")),
        description=f'<br><span class="muted">{e(description)}</span>'
        if description
        else "",
        policy=policy,
        amount=e(line.amount_text),
        iso=e(DATE_FORMATS["Y-m-d"](expected)) if expected else "",
        day=_day(expected),
        status=shown,
        adviser=e(floatformat(line.adviser_share_pct, "-2")),
        introducer=e(floatformat(line.introducer_share_pct, "-2")),
        actions=actions,
    )
