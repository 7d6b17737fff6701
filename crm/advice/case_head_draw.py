"""An advice case page's heading, Status and Overview cards, drawn in Python.

Through the template language these cost about 2,800 Python calls a page (a
lookup per value, five includes, the ``date`` and ``default`` filters, ``{%
url %}``); ``{% case_head %}`` draws them here from the same context.
``advice/_case_head.html`` stays the reference: a test draws varied case
pages both ways and compares them. Each piece keeps the template's whitespace
(the newlines and indents around its tags).
"""

from typing import Any

from django.template import Context
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone

from crm.cases.models import Case
from crm.core.links import quick_reverse
from crm.core.rows import badge, csrf_input, e
from crm.core.templatetags.dates import date

CRUMB = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"
INVALID = 'aria-invalid="true"'
UNSAFE = (
    '\n                  \n<span class="badge badge--red"'
    ' title="See the client record">'
    'Not safe to contact<span class="sr-only">: See the client record</span></span>\n'
    "\n                "
)


def _status(case: Case) -> str:
    """Return ``{% include "cases/_status.html" %}`` for ``case``."""
    return f"\n{badge(case.status_colour, case.get_status_display())}\n"


def _clients(case: Case) -> str:
    """Return ``{% include "cases/_clients.html" %}`` for ``case``."""
    clients = case.clients
    if not clients:
        return '\n\n  <span class="muted">No client</span>\n\n'
    last = len(clients) - 1
    links = "".join(
        [
            '\n  <a href="{}">{}</a>{}\n'.format(
                e(client.get_absolute_url()),
                e(client.display_name),
                " &amp; " if i < last else "",
            )
            for i, client in enumerate(clients)
        ]
    )
    return f"\n{links}\n"


def _day(value: Any) -> str:
    """Return ``{{ value|date:"j M Y" }}`` (a moment in the current time zone)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return e(date(local, "j M Y"))


def _follow_up(case: Case) -> str:
    """Return ``{% include "components/_follow_up.html" with item=case %}``."""
    day = case.follow_up_date
    if not day:
        return '\n\n  <span class="muted">None</span>\n\n'
    state = case.follow_up_state
    if state == "overdue":
        flag = '\n    <span class="badge badge--red">Overdue</span>\n  '
    elif state == "due":
        flag = '\n    <span class="badge badge--amber">Due today</span>\n  '
    else:
        flag = ""
    return (
        f'\n\n  <time datetime="{e(date(day, "Y-m-d"))}">{e(date(day, "j M Y"))}</time>'
        f"\n  {flag}\n\n"
    )


def _head(context: Context, case: Case) -> str:
    by = f"by {e(case.created_by)}" if case.created_by else ""
    edit = (
        '<a class="button" href="{}">Edit owner and follow-up</a>'.format(
            e(quick_reverse("advice:case_edit", kwargs={"case_id": case.pk}))
        )
        if context.get("can_edit")
        else ""
    )
    return (
        '<nav class="breadcrumbs" aria-label="Breadcrumb">'
        f'\n    <a href="{e(quick_reverse("advice:case_list"))}">Cases</a>'
        f" {CRUMB} {e(case.reference)}\n  </nav>"
        '\n  <div class="page-header">\n    <div>\n      <h1>'
        f"\n        {e(case.reference)}\n        {_status(case)}\n      </h1>"
        f"\n      <p>\n        {e(case.get_kind_display())} case for {_clients(case)}"
        f"\n        · opened {_day(case.created_at)}\n        {by}\n      </p>"
        '\n    </div>\n    <div class="page-header__actions">'
        f"\n      {edit}\n    </div>\n  </div>"
    )


def _closed(case: Case) -> str:
    if case.is_open:
        return ""
    reason = ""
    if case.close_reason:
        reason = (
            "\n            <dt>Reason</dt>"
            f"\n            <dd>{e(case.close_reason)}</dd>\n          "
        )
    return (
        "\n          <dt>Closed</dt>"
        f"\n          <dd>{_day(case.closed_at)}</dd>\n          {reason}\n        "
    )


def _moves(context: Context, case: Case, csrf: str) -> str:
    buttons = "".join(
        [
            '\n              <button type="submit" class="button" name="status"'
            f' value="{e(status.value)}">{e(status.label)}</button>\n            '
            for status in context["moves"]
        ]
    )
    action = e(quick_reverse("advice:case_move", kwargs={"case_id": case.pk}))
    return (
        f'\n        <form method="post" action="{action}" class="lead-moves">'
        f"\n          {csrf}"
        '\n          <p class="field-label" id="moves-label">Move to</p>'
        '\n          <div class="lead-moves__buttons" role="group"'
        ' aria-labelledby="moves-label">'
        f"\n            {buttons}\n          </div>\n        </form>\n      "
    )


def _stop(context: Context, case: Case, csrf: str) -> str:
    error = context.get("move_error")
    action = e(quick_reverse("advice:case_move", kwargs={"case_id": case.pk}))
    return (
        f'\n        <details class="lead-stop" {"open" if error else ""}>'
        "\n          <summary>Not proceeding with…</summary>"
        f'\n          <form method="post" action="{action}" class="form">'
        f"\n            {csrf}"
        '\n            <input type="hidden" name="status" value="not_proceeding_with">'
        '\n            <input type="hidden" name="confirm" value="yes">'
        "\n            <div>"
        '\n              <label for="id_stop_reason">Why is the case not proceeding?'
        "</label>"
        '\n              <textarea id="id_stop_reason"'
        '\n                        name="reason"'
        '\n                        rows="3"\n                        maxlength="300"'
        "\n                        required"
        f"\n                        {INVALID if error else ''}>"
        f"{e(context.get('reason', ''))}</textarea>"
        "\n            </div>"
        '\n            <button type="submit" class="button button--danger">'
        "Mark as Not Proceeding With</button>"
        "\n          </form>\n        </details>\n      "
    )


def _reopen(context: Context, case: Case, csrf: str) -> str:
    form = context.get("reopen_form")
    errors = getattr(form, "errors", None)
    action = e(quick_reverse("advice:case_reopen", kwargs={"case_id": case.pk}))
    return (
        f'\n        <details class="lead-stop" {"open" if errors else ""}>'
        "\n          <summary>Reopen…</summary>"
        f'\n          <form method="post" action="{action}" class="form">'
        f"\n            {csrf}\n            {e(context.get('reopen_form_html', ''))}"
        '\n            <button type="submit" class="button button--primary">'
        "Reopen case</button>\n          </form>\n        </details>\n      "
    )


def _status_card(context: Context, case: Case) -> str:
    error = context.get("move_error")
    alert = (
        f'<p class="alert alert--error" role="alert">{e(error)}</p>' if error else ""
    )
    owner = case.owner
    shown_owner = e(owner) if owner else "Unassigned"
    can_edit = context.get("can_edit")
    csrf = csrf_input(context.get("csrf_token")) if can_edit else ""
    is_open = case.is_open
    moves = (
        _moves(context, case, csrf)
        if can_edit and is_open and context.get("moves")
        else ""
    )
    stop = (
        _stop(context, case, csrf)
        if can_edit and is_open and context.get("can_stop")
        else ""
    )
    reopen = _reopen(context, case, csrf) if can_edit and not is_open else ""
    return (
        '<section class="card" aria-labelledby="status-heading">'
        '\n      <h2 id="status-heading">Status</h2>'
        f'\n      {alert}\n      <dl class="details">'
        f"\n        <dt>Status</dt>\n        <dd>{_status(case)}</dd>"
        f"\n        <dt>Owner</dt>\n        <dd>{shown_owner}</dd>"
        f"\n        <dt>Follow-up</dt>\n        <dd>{_follow_up(case)}</dd>"
        f"\n        {_closed(case)}\n      </dl>"
        f"\n      {moves}\n      {stop}\n      {reopen}\n    </section>"
    )


def _applicant(context: Context, case: Case, applicant: Any) -> str:
    contact = applicant.contact
    name = e(contact.display_name)
    url = e(
        quick_reverse(
            "contacts:contact_detail", kwargs={"contact_id": applicant.contact_id}
        )
    )
    joint = ""
    if case.is_joint:
        role = "joint applicant" if applicant.position > 1 else "main applicant"
        joint = (
            f'\n                  <span class="muted">{role}</span>\n                '
        )
    unsafe = UNSAFE if contact.has_unsafe_contact else ""
    reach = ""
    email, mobile = contact.email, contact.mobile
    if email or mobile:
        dot = "·" if email and mobile else ""
        phone = f'<span class="nowrap">{e(mobile)}</span>' if mobile else ""
        reach = (
            "\n                  <br>"
            '\n                  <span class="applicants__reach">'
            f"\n                    {e(email) if email else ''}"
            f"\n                    {dot}\n                    {phone}"
            "\n                  </span>\n                "
        )
    remove = ""
    if context.get("can_edit") and case.is_open and applicant.position > 1:
        link = e(
            quick_reverse(
                "advice:case_applicant_remove", kwargs={"applicant_id": applicant.pk}
            )
        )
        remove = (
            "\n                  <br>"
            '\n                  <a class="button button--small"'
            f'\n                     href="{link}">Remove<span class="sr-only"> {name}'
            " from the case</span></a>\n                "
        )
    return (
        f'\n              <li>\n                <a href="{url}">{name}</a>'
        f"\n                {joint}\n                {unsafe}\n                {reach}"
        f"\n                {remove}\n              </li>\n            "
    )


def _links(context: Context, case: Case) -> str:
    introducer = ""
    if case.introducer:
        branch = f"· {e(case.introducer_branch.name)}" if case.introducer_branch else ""
        negotiator = f"· {e(case.negotiator.name)}" if case.negotiator else ""
        introducer = (
            "\n          <dt>Introducer</dt>\n          <dd>"
            f"\n            {e(case.introducer.name)}\n            {branch}"
            f"\n            {negotiator}\n          </dd>\n        "
        )
    follows = ""
    review_of = context.get("review_of")
    if review_of:
        follows = (
            "\n          <dt>Follows</dt>\n          <dd>"
            "\n            Remortgage review of"
            f' <a href="{e(review_of.get_absolute_url())}">'
            f"{e(review_of.reference)}</a>\n          </dd>\n        "
        )
    remortgage = ""
    review = context.get("review")
    if review:
        remortgage = (
            "\n          <dt>Remortgage case</dt>\n          <dd>"
            f'\n            <a href="{e(review.get_absolute_url())}">'
            f"{e(review.reference)}</a>"
            f"\n            {_status(review)}\n          </dd>\n        "
        )
    lead = ""
    if case.lead_id:
        url = e(quick_reverse("leads:lead_detail", kwargs={"lead_id": case.lead_id}))
        lead = (
            "\n          <dt>From lead</dt>\n          <dd>"
            f'\n            <a href="{url}">Lead #{e(case.lead_id)}</a>'
            "\n          </dd>\n        "
        )
    pad = "\n        "
    return f"{pad}{introducer}{pad}{follows}{pad}{remortgage}{pad}{lead}"


def _overview(context: Context, case: Case) -> str:
    applicants = context["applicants"]
    items = "".join([_applicant(context, case, a) for a in applicants])
    add = ""
    if context.get("can_edit") and case.is_open and len(applicants) < 2:
        url = e(quick_reverse("advice:case_applicant_add", kwargs={"case_id": case.pk}))
        add = (
            "\n            <p>"
            f'\n              <a class="button button--small" href="{url}">'
            "Add joint applicant</a>\n            </p>\n          "
        )
    if case.note:
        note = f"\n            {linebreaksbr(case.note, autoescape=True)}\n          "
    else:
        note = '\n            <span class="muted">None</span>\n          '
    return (
        '<section class="card" aria-labelledby="overview-heading">'
        '\n      <h2 id="overview-heading">Overview</h2>\n      <dl class="details">'
        "\n        <dt>Kind</dt>"
        f"\n        <dd>{e(case.get_kind_display())}"
        f"{' (joint)' if case.is_joint else ''}</dd>"
        "\n        <dt>Clients</dt>\n        <dd>"
        '\n          <ul class="plain-list applicants">'
        f"\n            {items}\n          </ul>\n          {add}\n        </dd>"
        f"{_links(context, case)}"
        f"\n        <dt>Note</dt>\n        <dd>\n          {note}\n        </dd>"
        "\n      </dl>\n    </section>"
    )


def draw(context: Context) -> str:
    """Return the heading and the two cards for the case page's context."""
    case = context["case"]
    return (
        f"{_head(context, case)}"
        f'\n  <div class="grid grid--2">\n    {_status_card(context, case)}'
        f"\n    {_overview(context, case)}\n  </div>"
    )
