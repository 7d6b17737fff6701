"""The client record's heading and Details card, drawn in Python.

Through the template language these cost about 1,700 Python calls a record
(a lookup per value, four includes, the ``date`` and ``default`` filters,
``{% url %}``, the CSRF tag); ``{% record_head %}`` and ``{% record_details
%}`` draw them here from the same context. ``contacts/_record_head.html`` and
``contacts/_record_details.html`` stay the reference: a test draws varied
records both ways and compares them. Each piece keeps the template's
whitespace (the newlines and indents around its tags).
"""

from typing import Any

from django.template import Context
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone

from crm.contacts.models import Contact
from crm.core.links import quick_reverse
from crm.core.rows import csrf_input, e
from crm.core.templatetags.dates import date

CRUMB = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"
NONE = "—"
# A ``<dt>`` and the ``<dd>`` after it, as the Details list indents them.
_DT = "\n          <dt>"
_DD = "\n          <dd>\n            "


def _value(item: Any, name: str) -> Any:
    """Return ``{{ item.name }}``'s value: a dict's key, else the attribute."""
    if isinstance(item, dict):
        return item.get(name, "")
    return getattr(item, name, "")


def _unsafe_badge(reason: Any) -> str:
    """Return ``{% include "contacts/_unsafe_badge.html" with reason=... %}``."""
    shown = e(reason)
    return (
        f'\n<span class="badge badge--red" title="{shown}">Not safe to contact'
        f'<span class="sr-only">: {shown}</span></span>\n'
    )


def _warning(contact: Contact) -> str:
    """Return ``{% include "contacts/_unsafe_warning.html" %}``."""
    if not (contact.address_unsafe or contact.phone_unsafe):
        return "\n\n"
    address = (
        f"<li>Address: {e(contact.address_unsafe_reason)}</li>"
        if contact.address_unsafe
        else ""
    )
    phones = (
        f"<li>Phones: {e(contact.phone_unsafe_reason)}</li>"
        if contact.phone_unsafe
        else ""
    )
    return (
        '\n\n  <div class="alert alert--warning" role="note"'
        ' aria-label="Not safe to contact">'
        "\n    <strong>Not safe to contact:</strong>"
        f'\n    <ul class="plain-list">\n      {address}\n      {phones}'
        "\n    </ul>\n  </div>\n\n"
    )


def _menu(choices: Any) -> str:
    """Return ``components/_action_menu.html`` for the + New Case choices."""
    items = "".join(
        [
            '\n      <li>\n        <a class="dropmenu__item"'
            f' href="{e(_value(choice, "url"))}">{e(_value(choice, "label"))}</a>'
            "\n      </li>\n    "
            for choice in choices
        ]
    )
    return (
        '\n<details class="dropmenu">'
        '\n  <summary class="button button--primary">+ New Case</summary>'
        f'\n  <ul class="dropmenu__panel">\n    {items}\n  </ul>\n</details>\n'
    )


def _actions(context: Context, contact: Contact) -> str:
    request = context.get("request")
    permissions = getattr(getattr(request, "membership", None), "permissions", None)
    if permissions is None or "edit_cases" not in permissions:
        return ""
    archived = contact.is_archived
    create = ""
    if contact.is_person and not archived:
        links = "".join(
            [
                '\n            <a class="button button--primary"'
                f' href="{e(_value(link, "url"))}?contact={e(contact.pk)}">'
                f"{e(_value(link, 'label'))}</a>\n          "
                for link in context.get("case_create_links") or ()
            ]
        )
        choices = context.get("case_create_choices")
        menu = f"\n            {_menu(choices)}\n          " if choices else ""
        create = f"\n          {links}\n          {menu}\n        "
    csrf = csrf_input(context.get("csrf_token"))
    edit = e(quick_reverse("contacts:contact_edit", [contact.pk]))
    action = e(quick_reverse("contacts:contact_set_archived", [contact.pk]))
    confirm = (
        ""
        if archived
        else f'data-confirm="Archive {e(contact.display_name)}?'
        ' The record and its history are kept."'
    )
    if archived:
        button = (
            '\n            <input type="hidden" name="archived" value="0">'
            '\n            <button type="submit" class="button">Restore</button>'
            "\n          "
        )
    else:
        button = (
            '\n            <input type="hidden" name="archived" value="1">'
            '\n            <button type="submit" class="button button--danger">'
            "Archive</button>\n          "
        )
    return (
        '\n      <div class="page-header__actions">'
        f"\n        {create}"
        f'\n        <a class="button" href="{edit}">Edit</a>'
        f'\n        <form method="post"\n              action="{action}"'
        f'\n              class="inline-form"\n              {confirm}>'
        f"\n          {csrf}\n          {button}\n        </form>"
        "\n      </div>\n    "
    )


def head(context: Context) -> str:
    """Return ``contacts/_record_head.html`` for the record's context."""
    contact = context["contact"]
    name = e(contact.display_name)
    if contact.is_person:
        works = ""
        organisation = contact.organisation
        if organisation:
            works = (
                f"\n            · {e(contact.job_title or 'works')} at"
                f' <a href="{e(organisation.get_absolute_url())}">'
                f"{e(organisation.display_name)}</a>\n          "
            )
        kind = f"\n          Person\n          {works}\n        "
    else:
        kind = "\n          Organisation\n        "
    badge = (
        '<span class="badge badge--amber">Archived</span>'
        if contact.is_archived
        else ""
    )
    clients = e(quick_reverse("contacts:contact_list"))
    return (
        '<nav class="breadcrumbs" aria-label="Breadcrumb">'
        f'\n    <a href="{clients}">Clients</a> {CRUMB} {name}\n  </nav>'
        '\n  <div class="page-header">\n    <div>'
        f"\n      <h1>{name}</h1>\n      <p>\n        {kind}\n        {badge}"
        "\n      </p>\n    </div>"
        f"\n    {_actions(context, contact)}\n  </div>\n  {_warning(contact)}"
    )


def _name(contact: Contact) -> str:
    if not contact.is_person:
        return ""
    prefers = (
        f'<span class="muted">(prefers {e(contact.preferred_name)})</span>'
        if contact.preferred_name
        else ""
    )
    return (
        "\n            <dt>Name</dt>\n            <dd>"
        f"\n              {e(contact.title)} {e(contact.first_name)}"
        f" {e(contact.last_name)}\n              {prefers}"
        "\n            </dd>\n          "
    )


def _email(contact: Contact) -> str:
    if contact.email:
        email = e(contact.email)
        shown = f'\n              <a href="mailto:{email}">{email}</a>\n            '
    else:
        shown = f"\n              {NONE}\n            "
    return f"{_DT}E-mail</dt>{_DD}{shown}\n          </dd>"


def _phones(contact: Contact) -> str:
    mobile = ""
    if contact.is_person:
        if contact.mobile and contact.phone_unsafe:
            shown = (
                f"\n                {e(contact.mobile)}"
                f"\n                {_unsafe_badge(contact.phone_unsafe_reason)}"
                "\n              "
            )
        elif contact.mobile:
            shown = (
                f'\n                <a href="tel:{e(contact.mobile_norm)}">'
                f"{e(contact.mobile)}</a>\n              "
            )
        else:
            shown = f"\n                {NONE}\n              "
        mobile = (
            "\n            <dt>Mobile</dt>"
            f"\n            <dd>\n              {shown}\n            </dd>\n          "
        )
    label = (
        "\n              Other phone\n            "
        if contact.is_person
        else "\n              Phone\n            "
    )
    other = contact.other_phone
    badge = (
        f"\n              {_unsafe_badge(contact.phone_unsafe_reason)}\n            "
        if other and contact.phone_unsafe
        else ""
    )
    return (
        f"\n          {mobile}\n          <dt>\n            {label}\n          </dt>"
        f"\n          <dd>\n            {e(other) if other else NONE}"
        f"\n            {badge}\n          </dd>"
    )


def _born(contact: Contact) -> str:
    if not contact.is_person:
        return ""
    born = date(contact.date_of_birth, "j F Y")
    return (
        "\n            <dt>Date of birth</dt>"
        f"\n            <dd>{e(born) if born else NONE}</dd>\n          "
    )


def _line(value: str) -> str:
    return f"<br>{e(value)}" if value else ""


def _address(contact: Contact) -> str:
    if contact.address_line1 or contact.postcode:
        unsafe = (
            "\n                <br>"
            f"\n                {_unsafe_badge(contact.address_unsafe_reason)}"
            "\n              "
            if contact.address_unsafe
            else ""
        )
        shown = (
            f"\n              {e(contact.address_line1)}"
            f"\n              {_line(contact.address_line2)}"
            f"\n              {_line(contact.town)}"
            f"\n              {_line(contact.county)}"
            f"\n              {_line(contact.postcode)}"
            f"\n              {unsafe}\n            "
        )
    else:
        shown = f"\n              {NONE}\n            "
    return f"{_DT}Address</dt>{_DD}{shown}\n          </dd>"


def _marketing(contact: Contact) -> str:
    if not contact.is_person:
        return ""
    if contact.marketing_consent:
        moment = contact.marketing_consent_at
        if moment is not None and timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        day = e(date(moment, "j M Y"))
        shown = f"\n                Agreed {day}\n              "
    else:
        shown = "\n                No consent\n              "
    return (
        "\n            <dt>Marketing</dt>"
        f"\n            <dd>\n              {shown}\n            </dd>\n          "
    )


def _notes(contact: Contact) -> str:
    if not contact.notes:
        return ""
    return (
        "\n            <dt>Notes</dt>"
        f"\n            <dd>{linebreaksbr(contact.notes, autoescape=True)}</dd>"
        "\n          "
    )


def _people(context: Context, contact: Contact) -> str:
    if contact.is_person:
        return ""
    people = context.get("people")
    if people:
        items = "".join(
            [
                "\n                <li>"
                f'\n                  <a href="{e(person.get_absolute_url())}">'
                f"{e(person.display_name)}</a>\n                  "
                + (
                    f'<span class="muted">— {e(person.job_title)}</span>'
                    if person.job_title
                    else ""
                )
                + "\n                </li>\n              "
                for person in people
            ]
        )
        body = (
            f"\n            <ul>\n              {items}\n            </ul>\n          "
        )
    else:
        body = (
            '\n            <p class="muted">No people are linked to this organisation'
            " yet. Edit a person and choose it under “Works at”.</p>\n          "
        )
    return (
        '\n        <section class="card" aria-labelledby="people-heading">'
        '\n          <h2 id="people-heading">People here</h2>'
        f"\n          {body}\n        </section>\n      "
    )


def details(context: Context) -> str:
    """Return ``contacts/_record_details.html`` for the record's context."""
    contact = context["contact"]
    return (
        '<section class="card" aria-labelledby="details-heading">'
        '\n        <h2 id="details-heading">Details</h2>\n        <dl class="details">'
        f"\n          {_name(contact)}{_email(contact)}{_phones(contact)}"
        f"\n          {_born(contact)}{_address(contact)}"
        f"\n          {_marketing(contact)}\n          {_notes(contact)}"
        f"\n        </dl>\n      </section>\n      {_people(context, contact)}"
    )
