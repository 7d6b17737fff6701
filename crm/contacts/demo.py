"""Demo contacts: a few hundred realistic people and organisations per firm."""

import random
from datetime import date, timedelta
from typing import TypedDict

from crm.contacts import services
from crm.contacts.choices import ContactKind
from crm.contacts.models import Contact
from crm.firms.demo import ADVICE_FIRM, MIXED_FIRM, SUPPORT_FIRM
from crm.firms.models import Firm, Membership

FIRST = """
Oliver Amelia George Isla Harry Ava Noah Mia Jack Ivy Charlie Grace Leo Freya
Jacob Lily Freddie Emily Alfie Sophie Oscar Ella Thomas Poppy Arthur Evie
William Florence Henry Daisy Joshua Chloe James Ruby Samuel Alice Aarav Priya
Mohammed Aisha Yusuf Fatima Kwame Ama Chinedu Ngozi Tomasz Zofia Liam Niamh
Callum Eilidh Rhys Seren Daniel Hannah Ethan Megan Lewis Zara Ryan Holly
""".split()
LAST = """
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts
Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris
Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee
King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price
Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins
Bell Shaw Murphy Miller Cox Richards Khan Begum Okafor Nowak Kowalski Mensah
O'Brien MacDonald Fraser Ahmed Singh Chen Nguyen
""".split()
# One street per comma; a name wrapped over two lines is joined with a space.
STREETS = tuple(
    " ".join(part.split())
    for part in """
High Street, Station Road, Church Lane, Park Avenue, Victoria Road, Mill Lane,
Queens Road, Manor Close, Orchard Way, Gloucester Road, Cheltenham Road, St
Michael's Hill, Coronation Road, Whiteladies Road, North Street
""".split(",")
)
TOWNS = (
    ("Bristol", "BS"),
    ("Bath", "BA"),
    ("Keynsham", "BS"),
    ("Portishead", "BS"),
    ("Weston-super-Mare", "BS"),
    ("Clevedon", "BS"),
    ("Nailsea", "BS"),
    ("Chippenham", "SN"),
)
ADVICE_ORGS = (
    "Avon Valley Solicitors",
    "Clifton Conveyancing LLP",
    "Westbury Accountants",
    "Harbourside Surveyors",
    "Severn Building Society",
    "Downs Lettings",
)
SUPPORT_ORGS = (
    ("Riverside Medical Practice", "GP surgery"),
    ("Easton Family Practice", "GP surgery"),
    ("Montpelier Health Centre", "GP surgery"),
    ("Fishponds Law Centre", "Solicitors"),
    ("Bristol Housing Association", "Housing"),
    ("Citywide Food Bank", "Food bank"),
    ("Avon Debt Advice", "Debt advice"),
    ("Southmead Community Mental Health Team", "Mental health"),
    ("St Werburghs Jobcentre Plus", "Employment"),
)


class Address(TypedDict):
    """A made-up address's fields, as ``contact_create`` takes them."""

    address_line1: str
    town: str
    county: str
    postcode: str


def _address(rng: random.Random) -> Address:
    town, area = rng.choice(TOWNS)
    return Address(
        address_line1=f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
        town=town,
        county="Somerset" if area == "BA" else "Bristol",
        postcode=f"{area}{rng.randint(1, 16)} {rng.randint(1, 9)}"
        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
    )


def _people(firm: Firm, count: int, rng: random.Random, domain: str) -> None:
    owner = Membership.objects.filter(firm=firm, role="owner").first()
    actor = owner.user if owner else None
    used: set[str] = set()
    made = 0
    while made < count:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first}.{last}{rng.randint(1, 99)}@{domain}".lower().replace("'", "")
        mobile = f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
        if email in used:
            continue
        used.add(email)
        born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 52))
        services.contact_create(
            firm=firm,
            actor=actor,
            kind=ContactKind.PERSON,
            title=rng.choice(["Mr", "Mrs", "Ms", "Miss", "Dr", ""]),
            first_name=first,
            last_name=last,
            email=email,
            mobile=mobile,
            date_of_birth=born,
            marketing_consent=rng.random() < 0.4,
            allow_duplicate=True,
            **_address(rng),
        )
        made += 1


def _organisations(
    firm: Firm, names: list[tuple[str, str]], rng: random.Random
) -> None:
    for name, note in names:
        slug = name.split()[0].lower()
        services.contact_create(
            firm=firm,
            actor=None,
            kind=ContactKind.ORGANISATION,
            organisation_name=name,
            email=f"enquiries@{slug}.example",
            other_phone=f"0117 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            notes=note,
            allow_duplicate=True,
            **_address(rng),
        )


def seed(firms: dict[str, Firm]) -> None:
    """Create demo contacts in both firms unless they already have some."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    advice, charity = firms[ADVICE_FIRM], firms[SUPPORT_FIRM]
    if not Contact.objects.filter(firm=advice).exists():
        _organisations(advice, [(n, "Professional contact") for n in ADVICE_ORGS], rng)
        _people(advice, 300, rng, "example.co.uk")
    if not Contact.objects.filter(firm=charity).exists():
        _organisations(charity, list(SUPPORT_ORGS), rng)
        _people(charity, 180, rng, "example.org.uk")
        gp = Contact.objects.filter(
            firm=charity, organisation_name__contains="Riverside"
        ).first()
        if gp is not None:
            services.contact_create(
                firm=charity,
                actor=None,
                kind=ContactKind.PERSON,
                title="Dr",
                first_name="Helen",
                last_name="Okonjo",
                job_title="GP",
                organisation=gp,
                email="h.okonjo@riverside.example",
                allow_duplicate=True,
            )
    mixed = firms.get(MIXED_FIRM)
    if mixed is not None and not Contact.objects.filter(firm=mixed).exists():
        # Its own generator, so the other firms' people stay as they were.
        _people(mixed, 12, random.Random(2027), "example.net")  # noqa: S311 - demo data
