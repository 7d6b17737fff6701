"""The case page's Client actions drawn in Python, as ``_action_log_section.html``.

Through the template language the card and its invitation form cost about
4,800 Python calls, a sixth of the case page: a lookup per value, the kinds
a checkbox at a time for each client, the CSRF and URL tags.
``{% action_log_section %}`` draws it here; the template
(``portal/staff/_action_log_section.html``, with ``_invite_form.html``) stays
the reference, and a test draws varied logs both ways and compares them.
Each piece keeps the template's whitespace.
"""

from typing import Any

from django.template import Context
from django.template.defaulttags import CsrfTokenNode
from django.templatetags.static import static
from django.utils.timezone import is_aware, localtime

from crm.core.links import quick_reverse
from crm.core.rows import RowPage, badge, e
from crm.core.templatetags.dates import date

HEAD = (
    '\n<link rel="stylesheet" href="{css}">\n<section class="card"'
    ' aria-labelledby="action-log-heading" id="client-actions">'
    '\n  <div class="card__header">\n    <h2 i'
    'd="action-log-heading">Client actions</h2>'
    "\n  </div>\n  "
)
ACTIONS = (
    '\n        <div class="table-wrap" tabindex="0">\n          <table class="table">'
    '\n            <caption class="sr-only">Actions requested from {name}</caption>'
    "\n            <thead>\n              <tr>"
    '\n                <th scope="col">Action</th>'
    '\n                <th scope="col">Status</th>'
    '\n                <th scope="col">Requested</th>'
    '\n                <th scope="col">\n        '
    '          <span class="sr-only">Manage</span>'
    "\n                </th>\n              </tr"
    ">\n            </thead>\n            <tbody>"
    "\n              {rows}\n            </tbody>"
    "\n          </table>\n        </div>\n      "
)
ROW = (
    "\n                <tr>\n                  <td>\n                    {kind}"
    "\n                    {uploads}\n           "
    "         {rejected}\n                  </td>"
    "\n                  <td>{badge}</td>"
    '\n                  <td class="nowrap">\n                    {created}'
    "\n                    {reminded}\n                  </td>\n                  <td>"
    "\n                    {manage}\n               "
    "   </td>\n                </tr>\n              "
)
UPLOAD = (
    '\n                      <br>\n                      <a href="{url}" download>'
    "{purpose}: {name}</a>\n                    "
)
REJECTED = (
    '\n                      <br>\n                      <span class="muted">Rejected:'
    " {reason}</span>\n                    "
)
REMINDED = (
    '\n                      <br>\n                      <span class="muted">Reminded'
    " {day}</span>\n                    "
)
REVIEW = (
    "\n                          <form method="
    '"post" action="{url}" class="inline-form">'
    "\n                            {csrf}"
    "\n                            <input type"
    '="hidden" name="decision" value="approve">'
    '\n                            <button type="submit" class="button button--small'
    ' button--primary">Approve</button>\n                          </form>'
    '\n                          <details class="action-log__reject">'
    "\n                            <summary cla"
    'ss="button button--small">Reject…</summary>'
    '\n                            <form method="post" action="{url}" class="form">'
    "\n                              {csrf}"
    "\n                              <input typ"
    'e="hidden" name="decision" value="reject">'
    '\n                              <label for="reason-{pk}">Reason (the client sees'
    " it)</label>"
    "\n                              <input id="
    '"reason-{pk}" name="reason" maxlength="300"'
    " required>"
    '\n                              <button type="submit" class="button button--small'
    ' button--danger">Reject</button>\n                            </form>'
    "\n                          </details>\n                        "
)
MANAGE = (
    '\n                      <div class="actio'
    'n-log__buttons">\n                        '
    "{review}"
    '\n                        <form method="po'
    'st" action="{remind}" class="inline-form">'
    "\n                          {csrf}"
    '\n                          <button type="submit" class="button button--small">'
    "Re-send reminder</button>\n                        </form>"
    '\n                        <form method="po'
    'st" action="{cancel}" class="inline-form">'
    "\n                          {csrf}"
    '\n                          <button type="submit" class="button button--small'
    ' button--link">Cancel</button>\n                        </form>'
    "\n                      </div>\n                    "
)
CLIENT = (
    '\n    <div class="action-log__client">\n      <h3>\n        {name}'
    "\n        {account}\n        {preview}\n  "
    "    </h3>\n      {actions}\n    </div>\n  "
)
ACCOUNT = '\n          <span class="badge badge--green">Portal account</span>\n        '
PREVIEW = (
    '\n          <a class="button button--small button--link" href="{url}">'
    "View client account</a>\n        "
)
NOTHING = '\n        <p class="muted">Nothing requested from {name} yet.</p>\n      '
REQUEST = (
    '\n    <details class="action-log__request">'
    "\n      <summary>Request actions and send an invitation</summary>"
    "\n      {form}\n    </details>\n  "
)


def draw(context: Context) -> str:
    """Return the card for the case page's template context."""
    log = context.get("action_log") or {}
    page = RowPage(context)
    can_manage = bool(log.get("can_manage"))
    csrf = CsrfTokenNode().render(context) if can_manage else ""
    out = [HEAD.format(css=e(static("portal/portal.css")))]
    clients = log.get("clients") or ()
    out.extend(_client(item, page, can_manage, csrf) for item in clients)
    out.append("\n  ")
    if can_manage:
        form = invite_form(context, clients, log.get("kinds") or (), origin="case")
        out.append(REQUEST.format(form=form))
    out.append("\n</section>")
    return "".join(out)


def _client(item: Any, page: RowPage, can_manage: bool, csrf: str) -> str:
    contact = item["contact"]
    name = e(contact.display_name)
    actions = item.get("actions")
    if actions:
        rows = "".join(_action(a, page, can_manage, csrf) for a in actions)
        shown = ACTIONS.format(name=name, rows=rows)
    else:
        shown = NOTHING.format(name=name)
    preview = ""
    if can_manage:
        url = quick_reverse("actionlog:client_preview", [contact.pk])
        preview = PREVIEW.format(url=e(url))
    return CLIENT.format(
        name=name,
        account=ACCOUNT if item.get("account") else "",
        preview=preview,
        actions=shown,
    )


def _local(value: Any) -> Any:
    return localtime(value) if is_aware(value) else value


def _action(action: Any, page: RowPage, can_manage: bool, csrf: str) -> str:
    uploads = "".join(
        UPLOAD.format(
            url=e(quick_reverse("cases:document_download", [upload.document_id])),
            purpose=e(page.display(upload, "purpose")),
            name=e(upload.document.original_name),
        )
        for upload in action.uploads.all()
    )
    reason = action.review_reason
    reminded = action.reminded_at
    manage = ""
    if can_manage and action.is_open:
        review = ""
        if action.can_review():
            url = e(quick_reverse("actionlog:action_review", [action.pk]))
            review = REVIEW.format(url=url, csrf=csrf, pk=e(action.pk))
        manage = MANAGE.format(
            review=review,
            remind=e(quick_reverse("actionlog:action_remind", [action.pk])),
            cancel=e(quick_reverse("actionlog:action_cancel", [action.pk])),
            csrf=csrf,
        )
    return ROW.format(
        kind=e(page.display(action, "kind")),
        uploads=uploads,
        rejected=REJECTED.format(reason=e(reason)) if reason else "",
        badge=badge(action.status_colour, page.display(action, "status")),
        created=e(date(_local(action.created_at), "j M Y")),
        reminded=REMINDED.format(day=e(date(_local(reminded), "j M")))
        if reminded
        else "",
        manage=manage,
    )


FORM = (
    '\n<form method="post" action="{action}" class="form invite-form">\n  {csrf}'
    '\n  <input type="hidden" name="from" value="{origin}">\n  {clients}'
    '\n  <div class="form-actions">'
    '\n    <button type="submit" class="button button--primary">Send Email</button>'
    "\n    \n  </div>\n</form>\n"
)
FIELDSET = (
    '\n    <fieldset class="invite-client">\n      <legend>{name}</legend>'
    "\n      {body}\n    </fieldset>\n  "
)
EMAIL = (
    '\n        <p class="muted invite-client__email">To {email}</p>'
    '\n        <ul class="checkbox-list">\n          {boxes}\n        </ul>\n      '
)
BOX = (
    "\n            <li>\n              <label>"
    '\n                <input type="checkbox" name="actions_{pk}" value="{value}">'
    "\n                {label}\n              </label>\n            </li>\n          "
)
NO_EMAIL = (
    '\n        <p class="muted">\n          No e-mail address, so no invitation can be'
    ' sent. <a href="{url}">Add one on the client record</a>.\n        </p>\n      '
)


def invite_form(context: Context, clients: Any, kinds: Any, *, origin: str) -> str:
    """Return ``portal/staff/_invite_form.html`` as the case page includes it."""
    if origin != "case":
        msg = "Only the case page's invitation form is drawn here."
        raise ValueError(msg)
    case = context["case"]
    fieldsets = []
    labels = [(e(value), e(label)) for value, label in kinds]
    for item in clients:
        contact = item["contact"]
        if contact.email:
            pk = e(contact.pk)
            boxes = "".join(
                BOX.format(pk=pk, value=value, label=label) for value, label in labels
            )
            body = EMAIL.format(email=e(contact.email), boxes=boxes)
        else:
            body = NO_EMAIL.format(url=e(contact.get_absolute_url()))
        fieldsets.append(FIELDSET.format(name=e(contact.display_name), body=body))
    return FORM.format(
        action=e(quick_reverse("actionlog:clients_invite", [case.pk])),
        csrf=CsrfTokenNode().render(context),
        origin=e(origin),
        clients="".join(fieldsets),
    )
