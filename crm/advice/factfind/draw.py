"""A Fact Find or D&N section drawn in Python, as ``advice/_ff_section.html`` draws it.

Through the template language a section costs about 800 Python calls (a
lookup per value, an include, the CSRF tag), and the case page draws
fourteen of them. ``{% ff_section section %}`` draws the page's sections
here; the template stays the reference: it still draws the section an htmx
save sends back, and a test draws varied sections both ways and compares
them. Each piece keeps the template's whitespace (the newlines and indents
around its tags).
"""

import html
from itertools import groupby
from operator import attrgetter
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

from crm.advice.factfind.page import SectionView
from crm.advice.readiness import Blocker
from crm.core import policies, rows
from crm.core.links import quick_reverse
from crm.core.rows import csrf_input


def e(value: object) -> str:
    """Return ``{{ value }}``; a lazy label is first made its string, as Django does."""
    if type(value) is str:
        return html.escape(value)
    return rows.e(str(value) if isinstance(value, Promise) else value)


def _missing(section: SectionView) -> str:
    if not section.missing:
        return ""
    items = []
    for item in section.missing:
        shown = label = e(item.label)
        if section.editable:
            shown = f'<a href="#{e(item.anchor)}">{label}</a>'
        items.append(
            f"\n            <li>\n              \n                {shown}"
            "\n              \n            </li>\n          "
        )
    return (
        '\n      <div class="ff-missing">\n        <p>Missing:</p>\n        <ul>'
        f"\n          {''.join(items)}\n        </ul>\n      </div>\n    "
    )


def _form_tag(section: SectionView, indent: str, csrf: str) -> str:
    """Return the ``<form ...>`` opening and its CSRF input at ``indent``."""
    action, anchor = e(section.action), e(section.anchor)
    pad = indent + "      "
    return (
        f'<form method="post"\n{pad}action="{action}"\n{pad}hx-post="{action}"'
        f'\n{pad}hx-target="#{anchor}"\n{pad}hx-swap="outerHTML"'
        f'\n{pad}class="form ff-form"\n{pad}novalidate>\n{indent}  {csrf}'
    )


def _remove_row(section: SectionView, row: Any, csrf: str) -> str:
    """Return ``advice/factfind/_remove_row.html`` for ``row``."""
    action, anchor = e(section.remove_action), e(section.anchor)
    return (
        f'\n<form method="post"\n      action="{action}"\n      hx-post="{action}"'
        f'\n      hx-target="#{anchor}"\n      hx-swap="outerHTML"'
        f'\n      class="inline-form">\n  {csrf}'
        f'\n  <input type="hidden" name="row" value="{e(row.pk)}">'
        '\n  <button type="submit" class="button button--small"'
        f' aria-label="Remove {e(section.spec.noun)}: {e(row)}">Remove</button>'
        "\n</form>\n"
    )


def _rows(section: SectionView, csrf: str) -> str:
    items = []
    row: Any  # a row model of the section (its ``summary``)
    for row in section.rows:
        remove = (
            f"\n              {_remove_row(section, row, csrf)}\n            "
            if section.editable
            else ""
        )
        items.append(
            '\n          <li class="support-item">'
            f'\n            <span class="support-item__text">{e(row.summary)}</span>'
            f"\n            {remove}\n          </li>\n        "
        )
    if not items:
        items.append('\n          <li class="muted">None recorded yet.</li>\n        ')
    add = ""
    if section.editable:
        noun = e(section.spec.noun)
        add = (
            f"\n        {_form_tag(section, '        ', csrf)}"
            f'\n          <p class="field-label">Add {noun}</p>'
            f'\n          <div class="ff-grid">{section.form_html()}</div>'
            f'\n          <button type="submit" id="{e(section.anchor)}-save"'
            f' class="button">\n            Add {noun}\n          </button>'
            "\n        </form>\n      "
        )
    return (
        '\n      <ul class="plain-list ff-rows">'
        f"\n        {''.join(items)}\n      </ul>\n      {add}\n    "
    )


def _fields(section: SectionView, csrf: str) -> str:
    if section.editable:
        return (
            f"\n      {_form_tag(section, '      ', csrf)}"
            f'\n        <div class="ff-grid">{section.form_html()}</div>'
            f'\n        <button type="submit" id="{e(section.anchor)}-save"'
            ' class="button button--primary">'
            f'\n          Save<span class="sr-only"> {e(section.spec.title)}</span>'
            "\n        </button>\n      </form>\n    "
        )
    return (
        '\n      <div class="form ff-form">'
        f'\n        <div class="ff-grid">{section.form_html()}</div>'
        "\n      </div>\n    "
    )


def draw(
    section: SectionView, csrf_token: Any, *, csrf: str | None = None
) -> SafeString:
    """Return ``advice/_ff_section.html`` drawn for ``section``.

    ``csrf`` is ``csrf_input(csrf_token)`` when the caller has it already
    (the page draws fourteen sections with one token).
    """
    spec = section.spec
    if csrf is None:
        csrf = csrf_input(csrf_token)
    count = len(section.missing)
    marker = (
        '\n      <span class="ff-marker"><span aria-hidden="true">!</span>'
        f" Incomplete: {count} field{'' if count == 1 else 's'} missing</span>\n    "
        if count
        else ""
    )
    intro = f'<p class="muted">{e(spec.intro)}</p>' if spec.intro else ""
    alert = (
        f'<p class="alert alert--error" role="alert">{e(section.alert)}</p>'
        if section.alert
        else ""
    )
    message = (
        f'<p class="alert alert--success">{e(section.message)}</p>'
        if section.message
        else ""
    )
    body = _rows(section, csrf) if spec.has_rows else _fields(section, csrf)
    html = (
        f'\n<details class="ff-section" id="{e(section.anchor)}"'
        f" {'open' if section.open else ''}>"
        f'\n  <summary>\n    <span class="ff-section__title"'
        f' id="{e(section.heading_id)}">{e(spec.title)}</span>'
        f"\n    {marker}\n  </summary>"
        f'\n  <div class="ff-section__body">'
        f"\n    {intro}\n    {alert}\n    {message}\n    {_missing(section)}"
        f"\n    {body}\n  </div>\n</details>\n"
    )
    return mark_safe(html)  # noqa: S308 - every value escaped above


def _openable(url: str, principal: Any, seen: dict[str, bool]) -> bool:
    """The ``openable`` filter, asked once per address path."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    if path not in seen:
        seen[path] = policies.refusal(str(url), principal) is None
    return seen[path]


def readiness(blockers: list[Blocker], principal: Any, *, oob: bool = False) -> str:
    """Return ``advice/_readiness.html`` drawn for ``blockers``.

    Through the template each blocker cost about 140 Python calls (the
    regroup, the ``openable`` filter, the lookups); ``principal`` is the
    request's, which ``openable`` asks about each link.
    """
    swap = 'hx-swap-oob="true"' if oob else ""
    out = [
        '\n\n<section class="card readiness"\n         id="readiness"'
        f'\n         aria-labelledby="readiness-heading"\n         {swap}>'
        '\n  <h2 id="readiness-heading">Readiness</h2>\n  '
    ]
    if not blockers:
        out.append(
            '\n    <p class="readiness__done">Complete: every required field is '
            "filled in and nothing blocks sending the case.</p>\n  "
        )
    else:
        count = len(blockers)
        out.append(
            '\n    <details class="readiness__list">\n      <summary>'
            '\n        <span class="ff-marker"><span aria-hidden="true">!</span>'
            f" Incomplete:</span>\n        {count} thing{'' if count == 1 else 's'}"
            " to fix before the case can be sent\n      </summary>\n      "
            '\n      <ul class="plain-list readiness__groups">\n        '
        )
        seen: dict[str, bool] = {}
        for section, group in groupby(blockers, key=attrgetter("section")):
            out.append(
                '\n          <li>\n            <p class="readiness__section">'
                f"{e(section)}</p>\n            <ul>\n              "
            )
            for blocker in group:
                label = e(blocker.label)
                if _openable(blocker.url, principal, seen):
                    label = f'<a href="{e(blocker.url)}">{label}</a>'
                out.append(
                    "\n                <li>\n                  "
                    f"\n                    {label}\n                  "
                    "\n                </li>\n              "
                )
            out.append("\n            </ul>\n          </li>\n        ")
        out.append("\n      </ul>\n    </details>\n  ")
    out.append("\n</section>\n")
    return "".join(out)


def _block(block: dict[str, Any], csrf: str) -> str:
    applicant = block["applicant"]
    pk = e(applicant.pk)
    name = e(applicant.contact.display_name)
    record = e(quick_reverse("contacts:contact_detail", [applicant.contact_id]))
    sections = "".join(
        [f"\n        {draw(s, None, csrf=csrf)}\n      " for s in block["sections"]]
    )
    return (
        f'\n    <div class="ff-client" aria-labelledby="ff{pk}-heading" role="group">'
        f'\n      <h3 id="ff{pk}-heading">{name}</h3>'
        '\n      <p class="muted">\n        Title and names come from the'
        f'\n        <a href="{record}">client record<span class="sr-only"> of {name}'
        "</span></a>.\n      </p>"
        f"\n      {sections}\n    </div>\n  "
    )


def facts(context: Any) -> str:
    """Return ``advice/_facts.html`` for the case page's context.

    The Fact Find blocks, the D&N sections and the readiness card, each
    section drawn by ``draw`` with one CSRF input for the page.
    """
    csrf = csrf_input(context.get("csrf_token"))
    request = context.get("request")
    card = readiness(
        context.get("blockers") or [],
        getattr(request, "principal", None),
        oob=bool(context.get("oob")),
    )
    blocks = "".join([_block(b, csrf) for b in context.get("fact_find_blocks") or ()])
    needs = "".join(
        [
            f"\n    {draw(s, None, csrf=csrf)}\n  "
            for s in context.get("dn_sections") or ()
        ]
    )
    return (
        '\n<p id="facts-live" class="sr-only" role="status"></p>'
        f"\n{card}"
        '\n<section class="card" id="fact-find" aria-labelledby="fact-find-heading">'
        '\n  <h2 id="fact-find-heading">Fact Find</h2>'
        f"\n  {blocks}\n</section>"
        '\n<section class="card" id="demands-needs"'
        ' aria-labelledby="demands-needs-heading">'
        '\n  <h2 id="demands-needs-heading">Demands &amp; Needs</h2>'
        f"\n  {needs}\n</section>\n"
    )
