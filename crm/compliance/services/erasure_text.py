"""Erasure (SPEC M3): the free text about a contact on their cases.

Rows pointing at the contact are blanked by ``erasure._linked_rows``. This
clears the text that names them on rows of their cases, which point at the
case instead: the case's title, note and close reason, its history entries'
free text (notes, reasons, texts...), complaints, referrals in and out
with their updates, support needs, outcomes and planned support, the
Demands & Needs' notes, a submission's payload, and a case-level task or
note.

- On a case the contact is the **sole** applicant on, those columns are
  blanked whole (a required one reads ``[erased]``).
- On a **joint** case they are about both applicants, so only a value that
  names the contact (their names, e-mail or phone numbers, as whole words)
  is replaced; the other applicant's text stays.
- A complaint or an incoming referral pointing at the contact is theirs:
  blanked whole, whatever case it is on.

Every row stays (counts, reports and the history's entries and kinds do not
change); only text goes.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.db import models

from crm.advice.factfind.models import DemandsNeeds
from crm.cases.models import Case, CaseEvent
from crm.complaints.models import Complaint
from crm.compliance.names import pattern
from crm.concerthub.models import Submission
from crm.contacts.models import Contact
from crm.firms.models import Firm
from crm.income.models import IncomeLine
from crm.interactions.models import Interaction
from crm.protection.models import Policy
from crm.support.models import (
    PlannedSupport,
    Referral,
    ReferralOut,
    ReferralOutUpdate,
    SupportItem,
)
from crm.tasks.models import Task

ERASED = "[erased]"
# Keys of a history entry's parameters that hold free text (at any depth:
# a ``changes`` map names the changed columns the same way). A label (an
# interaction type, "Touchpoint with <name>") goes only when it names them.
FREE_KEYS = frozenset(
    {
        "amends",
        "client",
        "close_reason",
        "description",
        "message",
        "needs",
        "note",
        "notes",
        "reason",
        "resolution",
        "row",
        "shared_name",
        "shared_need",
        "summary",
        "text",
        "title",
    }
)
_CLIENT_REFERRAL = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "needs",
    "decline_reason",
)
# (model, how it reaches its case, its free-text columns, kept when it
# points at an applicant: rows pointing at a contact are blanked elsewhere).
_CASE_TEXT: tuple[tuple[type[models.Model], str, tuple[str, ...], bool], ...] = (
    (Case, "pk", ("title", "note", "close_reason"), False),
    (Complaint, "case", ("summary", "resolution"), False),
    (Referral, "case", _CLIENT_REFERRAL, False),
    (
        ReferralOut,
        "case",
        ("shared_name", "shared_need", "message", "consent_purpose"),
        False,
    ),
    (ReferralOutUpdate, "referral__case", ("text",), False),
    (SupportItem, "case", ("text",), False),
    (PlannedSupport, "case", ("description",), False),
    (
        DemandsNeeds,
        "case",
        (
            "cover_reasons",
            "existing_cover",
            "priorities",
            "adviser_notes",
            "recommendation",
        ),
        False,
    ),
    (Submission, "case", ("payload", "reason", "last_error", "errors"), False),
    (Policy, "case", ("lives_assured",), False),
    (IncomeLine, "case", ("description",), False),
    (Task, "case", ("title", "description"), True),
    (Interaction, "case", ("notes",), True),
)


def scrub(value: Any, *, whole: bool, names: re.Pattern[str] | None) -> Any:
    """Return ``value`` with its text about the contact replaced.

    ``whole``: every string goes; otherwise a string goes when it names the
    contact. Numbers, booleans and the shape of the value stay.
    """
    if isinstance(value, dict):
        return {k: scrub(v, whole=whole, names=names) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, whole=whole, names=names) for v in value]
    named = isinstance(value, str) and names is not None and names.search(value)
    if isinstance(value, str) and value and (whole or named):
        return ERASED
    return value


def scrub_params(value: Any, *, sole: bool, names: re.Pattern[str] | None) -> Any:
    """Return history parameters with their free text about the contact gone.

    On a sole case every ``FREE_KEYS`` value goes; on either, a string that
    names the contact goes. Codes, ids, dates and amounts stay.
    """
    if isinstance(value, dict):
        return {
            k: scrub(v, whole=True, names=names)
            if sole and k in FREE_KEYS
            else scrub_params(v, sole=sole, names=names)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [scrub_params(v, sole=sole, names=names) for v in value]
    return scrub(value, whole=False, names=names)


def _column(obj: models.Model, name: str, *, whole: bool, names: Any) -> bool:
    """Clear column ``name`` of ``obj``; return whether it changed."""
    f = obj._meta.get_field(name)
    assert isinstance(f, models.Field)  # noqa: S101 - a concrete column
    old = getattr(obj, f.attname)
    if f.get_internal_type() == "JSONField":
        new = f.get_default() if whole else scrub(old, whole=False, names=names)
    elif not old:
        return False
    elif whole or (names is not None and names.search(old)):
        new = "" if f.blank else ERASED
    else:
        return False
    if new == old:
        return False
    setattr(obj, f.attname, new)
    return True


def _clear(
    rows: Iterable[models.Model], fields: tuple[str, ...], *, whole: bool, names: Any
) -> int:
    count = 0
    for obj in rows:
        changed = [f for f in fields if _column(obj, f, whole=whole, names=names)]
        if changed:
            obj.save(update_fields=changed)
            count += 1
    return count


def erase_case_text(
    *,
    firm: Firm,
    contact: Contact,
    words: list[str],
    sole_cases: list[int],
    joint_cases: list[int],
) -> dict[str, int]:
    """Clear the free text naming ``contact`` on their cases; return counts.

    ``words`` come from ``crm.compliance.names.words_of``, read before the
    contact is anonymised.
    """
    names = pattern(words)
    counts: dict[str, int] = {}

    def add(label: str, number: int) -> None:
        if number:
            counts[label] = counts.get(label, 0) + number

    for model, path, fields, personal in _CASE_TEXT:
        label = model._meta.label_lower
        manager: Any = model._default_manager
        for whole, cases in ((True, sole_cases), (False, joint_cases)):
            if not cases:
                continue
            rows = manager.filter(firm=firm, **{f"{path}__in": cases})
            if personal:
                rows = rows.filter(contact__isnull=True)
            add(label, _clear(rows, fields, whole=whole, names=names))
    theirs = ((Complaint, ("summary", "resolution")), (Referral, _CLIENT_REFERRAL))
    for model, fields in theirs:
        manager = model._default_manager
        rows = manager.filter(firm=firm, contact=contact)
        add(model._meta.label_lower, _clear(rows, fields, whole=True, names=names))
    history = 0
    for case_ids, sole in ((sole_cases, True), (joint_cases, False)):
        for event in CaseEvent.objects.filter(firm=firm, case_id__in=case_ids):
            params = scrub_params(event.parameters, sole=sole, names=names)
            if params != event.parameters:
                event.parameters = params
                event.save(update_fields=["parameters"])
                history += 1
    add("cases.caseevent", history)
    return counts
