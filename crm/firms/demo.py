"""Demo data for firms: an advice firm and a charity with a user per role, and a
small firm with both modules (advice and support) whose mixed pages need data."""

from dataclasses import dataclass

from django.db import transaction

from crm.firms import services
from crm.firms.choices import Role
from crm.firms.models import (
    Branch,
    Firm,
    InteractionType,
    Introducer,
    IntroducerBranch,
    Membership,
    Negotiator,
    TaskCategory,
    User,
)

DEMO_PASSWORD = "casework-demo"  # noqa: S105 - printed for the demo on purpose

ADVICE_FIRM = "Harbour Mortgages & Protection"
SUPPORT_FIRM = "Bridge Support Trust"
# Mortgage and protection advice and support casework in one firm (issue 13 item 6).
MIXED_FIRM = "Severn Money & Housing Advice"


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    role: str
    firm: str


DEMO_USERS = (
    DemoUser(
        "helen.carter@harbour.example", "Helen", "Carter", Role.OWNER, ADVICE_FIRM
    ),
    DemoUser(
        "james.patel@harbour.example", "James", "Patel", Role.ADVISER, ADVICE_FIRM
    ),
    DemoUser(
        "sarah.okafor@harbour.example", "Sarah", "Okafor", Role.ADVISER, ADVICE_FIRM
    ),
    DemoUser(
        "tom.reid@harbour.example", "Tom", "Reid", Role.ADMINISTRATOR, ADVICE_FIRM
    ),
    DemoUser(
        "priya.shah@harbour.example", "Priya", "Shah", Role.READ_ONLY, ADVICE_FIRM
    ),
    DemoUser(
        "grace.mensah@bridge.example", "Grace", "Mensah", Role.OWNER, SUPPORT_FIRM
    ),
    DemoUser(
        "daniel.hughes@bridge.example", "Daniel", "Hughes", Role.ADVISER, SUPPORT_FIRM
    ),
    DemoUser(
        "aisha.rahman@bridge.example", "Aisha", "Rahman", Role.ADVISER, SUPPORT_FIRM
    ),
    # Helen volunteers as a manager at the charity: she can switch firms.
    DemoUser(
        "helen.carter@harbour.example", "Helen", "Carter", Role.MANAGER, SUPPORT_FIRM
    ),
    DemoUser("nadia.ellis@severn.example", "Nadia", "Ellis", Role.OWNER, MIXED_FIRM),
    DemoUser("owen.price@severn.example", "Owen", "Price", Role.ADVISER, MIXED_FIRM),
)

INTRODUCERS = {
    "Clifton Property Partners": {
        "Clifton Village": ["Oliver Grant", "Maya Collins"],
        "Whiteladies Road": ["Ben Ashworth", "Chloe Evans"],
    },
    "Avonside Homes": {
        "Keynsham": ["Ruth Bailey", "Sam Turner"],
        "Bath Road": ["Imran Qureshi", "Lucy Moore"],
    },
    "Redland & Co Estate Agents": {
        "Redland": ["George Hall", "Emily Price"],
        "Cotham Hill": ["Noah Fielding", "Zara Ahmed"],
    },
}

SUPPORT_INTERACTION_TYPES = ("Home visit", "Text message", "Office appointment")
SUPPORT_TASK_CATEGORIES = ("Benefits", "Housing", "Referral", "Safeguarding")


def _user(spec: DemoUser) -> User:
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = User.objects.create_user(
            spec.email,
            DEMO_PASSWORD,
            first_name=spec.first_name,
            last_name=spec.last_name,
        )
    return user


def _firm(name: str, owner: User, *, advice: bool, support: bool) -> Firm:
    firm = Firm.objects.filter(name=name).first()
    if firm is None:
        colours = {(False, True): "#0f766e", (True, True): "#6d28d9"}
        colour = colours.get((advice, support), "#1d4ed8")
        firm = services.firm_create(
            name=name,
            owner=owner,
            has_advice=advice,
            has_support=support,
            brand_colour=colour,
        )
    return firm


def _advice_setup(firm: Firm) -> None:
    for name, phone in (
        ("Bristol Head Office", "0117 496 0000"),
        ("Bath Office", "01225 496 000"),
    ):
        Branch.objects.get_or_create(firm=firm, name=name, defaults={"phone": phone})
    for intro_name, branches in INTRODUCERS.items():
        slug = intro_name.split()[0].lower()
        introducer, _ = Introducer.objects.get_or_create(
            firm=firm,
            name=intro_name,
            defaults={"email": f"sales@{slug}.example", "phone": "0117 496 0100"},
        )
        for branch_name, negotiators in branches.items():
            branch, _ = IntroducerBranch.objects.get_or_create(
                firm=firm, introducer=introducer, name=branch_name
            )
            for person in negotiators:
                first = person.split()[0].lower()
                Negotiator.objects.get_or_create(
                    firm=firm,
                    branch=branch,
                    name=person,
                    defaults={"email": f"{first}@{slug}.example"},
                )


def _support_setup(firm: Firm, branch: str = "Easton Community Hub") -> None:
    Branch.objects.get_or_create(firm=firm, name=branch)
    for name in SUPPORT_INTERACTION_TYPES:
        InteractionType.objects.get_or_create(firm=firm, name=name)
    for name in SUPPORT_TASK_CATEGORIES:
        TaskCategory.objects.get_or_create(firm=firm, name=name)


@transaction.atomic
def seed() -> dict[str, Firm]:
    """Create (or complete) the demo firms and members; safe to run again."""
    owners = {spec.firm: _user(spec) for spec in DEMO_USERS if spec.role == Role.OWNER}
    firms = {
        ADVICE_FIRM: _firm(
            ADVICE_FIRM, owners[ADVICE_FIRM], advice=True, support=False
        ),
        SUPPORT_FIRM: _firm(
            SUPPORT_FIRM, owners[SUPPORT_FIRM], advice=False, support=True
        ),
        MIXED_FIRM: _firm(MIXED_FIRM, owners[MIXED_FIRM], advice=True, support=True),
    }
    for spec in DEMO_USERS:
        firm = firms[spec.firm]
        user = _user(spec)
        if not Membership.objects.filter(firm=firm, user=user).exists():
            services.membership_create(
                firm=firm, actor=owners[spec.firm], user=user, role=spec.role
            )
    _advice_setup(firms[ADVICE_FIRM])
    _support_setup(firms[SUPPORT_FIRM])
    _support_setup(firms[MIXED_FIRM], branch="Gloucester Road Office")
    # The introducers above are written directly: a running server reloads
    # its pickers when the version moves.
    services.choices_changed(firm_ids=[firm.pk for firm in firms.values()])
    return firms


def login_lines() -> list[str]:
    """Return the demo users, their roles and firms, as ``demo_logins`` prints."""
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD})"]
    width = max(len(u.email) for u in DEMO_USERS)
    roles = dict(Role.choices)
    lines.extend(
        f"  {spec.email:<{width}}  {roles[spec.role]:<29} {spec.firm}"
        for spec in DEMO_USERS
    )
    return lines
