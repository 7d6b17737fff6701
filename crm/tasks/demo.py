"""Demo tasks: about thirty per firm, spread over members, some overdue or done."""

import random
from datetime import timedelta

from django.utils import timezone

from crm.contacts.choices import ContactKind
from crm.contacts.models import Contact
from crm.firms.choices import Perm
from crm.firms.demo import ADVICE_FIRM, SUPPORT_FIRM
from crm.firms.models import Firm, Membership, TaskCategory, User
from crm.leads.models import Lead
from crm.tasks import services
from crm.tasks.choices import TaskPriority
from crm.tasks.models import Task

TASKS_PER_FIRM = 30

ADVICE_TITLES = (
    "Call back about the mortgage in principle",
    "Chase payslips and bank statements",
    "Send the fact find to the client",
    "Book the protection review",
    "Check the valuation has been instructed",
    "Request the ID documents",
    "Send the suitability letter",
    "Follow up the offer with the lender",
    "Update the client's address after the move",
    "Arrange a remortgage review six months before the deal ends",
    "Confirm the solicitor's details",
    "Compliance check of the file",
)
SUPPORT_TITLES = (
    "Phone about the housing benefit claim",
    "Chase the GP referral letter",
    "Book a home visit",
    "Help complete the PIP form",
    "Refer to the food bank",
    "Check in after the hospital discharge",
    "Send the support plan for signature",
    "Safeguarding follow-up with the social worker",
    "Find a local befriending group",
    "Arrange an interpreter for the next visit",
    "Review the planned support",
)
DESCRIPTIONS = (
    "",
    "",
    "Agreed on the last call.",
    "Client prefers a call after 5pm.",
    "See the notes from the last meeting.",
)
# Due-date offsets from today: overdue, due today, soon, later, none.
DUE_OFFSETS = (-9, -4, -2, -1, 0, 0, 0, 1, 2, 3, 5, 7, 10, 14, None)


def _members(firm: Firm) -> list[User]:
    """Return the users of the firm's active members who may edit, by id."""
    memberships = (
        Membership.objects.filter(firm=firm, is_active=True)
        .select_related("user")
        .order_by("id")
    )
    return [m.user for m in memberships if m.has_perm(Perm.EDIT_CASES)]


def _seed_firm(firm: Firm, titles: tuple[str, ...], rng: random.Random) -> None:
    members = _members(firm)
    if not members:
        return
    owner = members[0]
    categories = list(
        TaskCategory.objects.filter(firm=firm, is_active=True).order_by("id")
    )
    contacts = list(
        Contact.objects.filter(
            firm=firm, kind=ContactKind.PERSON, is_archived=False
        ).order_by("id")[:80]
    )
    leads = list(
        Lead.objects.filter(firm=firm).select_related("contact").order_by("id")[:40]
    )
    today = timezone.localdate()
    for i in range(TASKS_PER_FIRM):
        assignee = members[i % len(members)]
        offset = rng.choice(DUE_OFFSETS)
        link = i % 3
        task = services.task_create(
            firm=firm,
            actor=owner,
            title=rng.choice(titles),
            description=rng.choice(DESCRIPTIONS),
            due_date=None if offset is None else today + timedelta(days=offset),
            assignee=assignee,
            priority=rng.choice(
                (TaskPriority.NORMAL, TaskPriority.NORMAL, TaskPriority.HIGH)
            ),
            category=rng.choice(categories)
            if categories and rng.random() < 0.8
            else None,
            lead=rng.choice(leads) if link == 0 and leads else None,
            contact=rng.choice(contacts) if link == 1 and contacts else None,
        )
        if i % 5 == 4:
            services.task_complete(firm=firm, actor=assignee, task=task)


def seed(firms: dict[str, Firm]) -> None:
    """Create demo tasks in both firms unless they already have some."""
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    for name, titles in ((ADVICE_FIRM, ADVICE_TITLES), (SUPPORT_FIRM, SUPPORT_TITLES)):
        firm = firms[name]
        if not Task.objects.filter(firm=firm).exists():
            _seed_firm(firm, titles, rng)
