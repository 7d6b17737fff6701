"""Writes to introducers, their branches and their negotiators (SPEC A5).

``introducer_chain_check`` is the one rule for a record that names an
introducer, branch and negotiator (a lead, a case): the lead and case
services call it before they save.
"""

from django.db import transaction

from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, Introducer, IntroducerBranch, Negotiator, User
from crm.firms.services.firm import choices_changed
from crm.firms.services.lookups import (
    save_active,
    save_changes,
    save_new,
)

INTRODUCER_FIELDS = ("name", "email", "phone")
INTRODUCER_BRANCH_FIELDS = ("introducer", "name", "phone")
NEGOTIATOR_FIELDS = ("branch", "name", "email", "phone")


def introducer_chain_check(
    *,
    firm: Firm,
    introducer: Introducer | None,
    introducer_branch: IntroducerBranch | None,
    negotiator: Negotiator | None,
) -> None:
    """Refuse an introducer chain of another firm's rows or with a broken link.

    Every link is optional, but a branch must belong to the chosen introducer
    and a negotiator must work at the chosen branch. The error's ``field`` is
    the link's form field: ``introducer``, ``introducer_branch`` or
    ``negotiator``.
    """
    links = (
        (introducer, "introducer", "Choose an introducer of this firm."),
        (introducer_branch, "introducer_branch", "Choose a branch of this firm."),
        (negotiator, "negotiator", "Choose a negotiator of this firm."),
    )
    for obj, field, message in links:
        if obj is not None and obj.firm_id != firm.pk:
            raise ApplicationError(message, "not_found", {"field": field})
    if introducer_branch is not None and (
        introducer is None or introducer_branch.introducer_id != introducer.pk
    ):
        raise ApplicationError(
            "That branch does not belong to the chosen introducer.",
            "invalid",
            {"field": "introducer_branch"},
        )
    if negotiator is not None and (
        introducer_branch is None or negotiator.branch_id != introducer_branch.pk
    ):
        raise ApplicationError(
            "That negotiator does not work at the chosen branch.",
            "invalid",
            {"field": "negotiator"},
        )


@transaction.atomic
def introducer_create(
    *, firm: Firm, actor: User, name: str, email: str = "", phone: str = ""
) -> Introducer:
    """Add an introducer firm, such as an estate agent."""
    introducer = Introducer(firm=firm, name=name.strip(), email=email, phone=phone)
    save_new(introducer, firm=firm, actor=actor, fields=INTRODUCER_FIELDS)
    choices_changed(firm_ids=[firm.pk])
    return introducer


@transaction.atomic
def introducer_update(
    *,
    firm: Firm,
    actor: User,
    introducer: Introducer,
    name: str,
    email: str,
    phone: str,
) -> Introducer:
    """Change an introducer's name or contact details."""
    values = {"name": name.strip(), "email": email, "phone": phone}
    before = introducer.name
    save_changes(introducer, firm=firm, actor=actor, values=values)
    if introducer.name != before:
        choices_changed(firm_ids=[firm.pk])
    return introducer


@transaction.atomic
def introducer_set_active(
    *, firm: Firm, actor: User, introducer: Introducer, active: bool
) -> Introducer:
    """Archive an introducer or restore it.

    Archiving hides the introducer, and with it its branches and negotiators,
    from the New Case wizard; their own archive flags are left as they are.
    """
    if introducer.is_active != active:
        choices_changed(firm_ids=[firm.pk])
    return save_active(introducer, firm=firm, actor=actor, active=active)


@transaction.atomic
def introducer_branch_create(
    *, firm: Firm, actor: User, introducer: Introducer, name: str, phone: str = ""
) -> IntroducerBranch:
    """Add a branch (office) to one of the firm's active introducers."""
    ensure_same_firm(firm, introducer)
    if not introducer.is_active:
        raise ApplicationError(
            f"{introducer.name} is archived. Restore it before adding branches.",
            "archived",
        )
    branch = IntroducerBranch(
        firm=firm, introducer=introducer, name=name.strip(), phone=phone
    )
    return save_new(branch, firm=firm, actor=actor, fields=INTRODUCER_BRANCH_FIELDS)


@transaction.atomic
def introducer_branch_update(
    *,
    firm: Firm,
    actor: User,
    introducer_branch: IntroducerBranch,
    name: str,
    phone: str,
) -> IntroducerBranch:
    """Change an introducer branch's name or phone number."""
    values = {"name": name.strip(), "phone": phone}
    return save_changes(introducer_branch, firm=firm, actor=actor, values=values)


@transaction.atomic
def introducer_branch_set_active(
    *, firm: Firm, actor: User, introducer_branch: IntroducerBranch, active: bool
) -> IntroducerBranch:
    """Archive an introducer branch (and its negotiators, in pickers) or restore it."""
    return save_active(introducer_branch, firm=firm, actor=actor, active=active)


@transaction.atomic
def negotiator_create(
    *,
    firm: Firm,
    actor: User,
    introducer_branch: IntroducerBranch,
    name: str,
    email: str = "",
    phone: str = "",
) -> Negotiator:
    """Add a negotiator to one of the firm's active introducer branches."""
    ensure_same_firm(firm, introducer_branch)
    if not introducer_branch.is_active:
        raise ApplicationError(
            f"{introducer_branch.name} is archived. "
            "Restore the branch before adding negotiators.",
            "archived",
        )
    negotiator = Negotiator(
        firm=firm,
        branch=introducer_branch,
        name=name.strip(),
        email=email,
        phone=phone,
    )
    return save_new(negotiator, firm=firm, actor=actor, fields=NEGOTIATOR_FIELDS)


@transaction.atomic
def negotiator_update(
    *,
    firm: Firm,
    actor: User,
    negotiator: Negotiator,
    name: str,
    email: str,
    phone: str,
) -> Negotiator:
    """Change a negotiator's name or contact details."""
    values = {"name": name.strip(), "email": email, "phone": phone}
    return save_changes(negotiator, firm=firm, actor=actor, values=values)


@transaction.atomic
def negotiator_set_active(
    *, firm: Firm, actor: User, negotiator: Negotiator, active: bool
) -> Negotiator:
    """Archive a negotiator who has left, or restore them."""
    return save_active(negotiator, firm=firm, actor=actor, active=active)
