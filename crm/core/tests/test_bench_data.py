"""The benchmark data generator at a tiny scale: row counts and spread over firms."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from bench.generate import BENCH_USER, LARGE_FIRM, Plan, generate
from bench.loader import Table
from crm.advice.choices import AdviceKind
from crm.advice.models import MortgageDetails
from crm.cases.models import Case, CaseApplicant, CaseReferenceCounter
from crm.complaints.models import Complaint
from crm.contacts.models import Contact
from crm.firms.models import Firm, Membership
from crm.income.models import IncomeLine
from crm.interactions.models import Interaction
from crm.leads.models import Lead
from crm.support.models import ScoreSet
from crm.tasks.models import Task

pytestmark = pytest.mark.django_db

TINY = Plan(
    contacts=200, leads=40, cases=60, interactions=300, tasks=50, firms=3, advisers=3
)


@pytest.fixture
def generated():
    return generate(TINY, log=lambda line: None)


def test_large_firm_gets_the_planned_rows(generated):
    """The large firm holds exactly the planned contacts, cases and activity."""
    firm = Firm.objects.get(name=LARGE_FIRM)
    assert Contact.objects.filter(firm=firm).count() == TINY.contacts
    assert Lead.objects.filter(firm=firm).count() == TINY.leads
    assert Case.objects.filter(firm=firm).count() == TINY.cases
    assert Interaction.objects.filter(firm=firm).count() == TINY.interactions
    assert Task.objects.filter(firm=firm).count() == TINY.tasks


def test_small_firms_get_a_small_share_each(generated):
    """Every other firm gets the small plan's rows, and only its own."""
    small = TINY.small()
    others = Firm.objects.exclude(name=LARGE_FIRM)
    assert others.count() == TINY.firms - 1
    for firm in others:
        assert Contact.objects.filter(firm=firm).count() == small.contacts
        assert Case.objects.filter(firm=firm).count() == small.cases
        assert Task.objects.filter(firm=firm).count() == small.tasks
    assert generated.rows["contacts_contact"] == TINY.contacts + 2 * small.contacts


def test_rows_point_inside_their_own_firm(generated):
    """Applicants, interactions and tasks never point at another firm's rows."""
    for model in (CaseApplicant, Interaction, Task):
        rows = model.objects.exclude(contact__isnull=True)
        assert not rows.exclude(contact__firm_id=F("firm_id")).exists()
    for applicant in CaseApplicant.objects.select_related("case", "contact")[:100]:
        assert applicant.case.firm_id == applicant.contact.firm_id == applicant.firm_id


def test_every_case_has_a_main_client_and_counters_follow_numbers(generated):
    """Each case has applicant 1; mortgage cases have details; counters are set."""
    firm = Firm.objects.get(name=LARGE_FIRM)
    cases = Case.objects.filter(firm=firm)
    assert CaseApplicant.objects.filter(firm=firm, position=1).count() == TINY.cases
    mortgages = cases.filter(kind=AdviceKind.MORTGAGE).count()
    assert MortgageDetails.objects.filter(firm=firm).count() == mortgages
    for counter in CaseReferenceCounter.objects.filter(firm=firm):
        top = cases.filter(kind=counter.kind).order_by("-number").first()
        assert top is not None
        assert counter.last_number == top.number


def test_later_pages_get_their_rows_on_the_firms_own_cases(generated):
    """Scores, income lines and complaints for the funder report, the Income
    page and the complaints register (issues 18, 19), each on its own firm's
    cases: support cases scored, advice cases earning, a few complaints."""
    firm = Firm.objects.get(name=LARGE_FIRM)
    for model in (ScoreSet, IncomeLine, Complaint):
        rows = model.objects.filter(firm=firm)
        assert rows.exists(), model.__name__
        assert not model.objects.exclude(case__firm_id=F("firm_id")).exists()
    assert not ScoreSet.objects.exclude(case__kind="support").exists()
    assert not IncomeLine.objects.exclude(
        case__kind__in=[AdviceKind.MORTGAGE, AdviceKind.PROTECTION]
    ).exists()
    # One latest set per scored case, beside its start set.
    latest = ScoreSet.objects.filter(firm=firm, is_latest=True)
    assert latest.count() * 2 == ScoreSet.objects.filter(firm=firm).count()
    assert Complaint.objects.filter(firm=firm).count() >= 3


def test_bench_member_owns_the_large_firm(generated):
    """The runner's login is an owner of the large firm."""
    membership = Membership.objects.get(user__email=BENCH_USER)
    assert membership.firm.name == LARGE_FIRM
    assert membership.role == "owner"


def test_table_fills_columns_the_generator_does_not_know():
    """Unknown columns get their default, NULL or a neutral value."""
    table = Table(Task)
    row = dict(zip(table.columns, table.pack({"title": "x"}), strict=True))
    assert row["title"] == "x"
    assert row["contact_id"] is None
    assert row["status"] == "open"


def test_scaled_plan_keeps_explicit_counts():
    """``--contacts`` wins over ``--scale``; the rest follow the scale."""
    plan = Plan.scaled(0.01, contacts=1234)
    assert plan.contacts == 1234
    assert plan.cases == 3000
    assert plan.firms == 50


def test_command_refuses_a_database_not_named_bench():
    """The development (or test) database is never filled by accident."""
    with pytest.raises(CommandError, match="lacks 'bench'"):
        call_command("bench_data", "--scale", "0.0001")


def test_command_fills_once_then_finds_the_data_there(monkeypatch):
    """A second run with the same plan leaves the data as it is."""
    monkeypatch.setitem(connection.settings_dict, "NAME", "test_bench")
    args = ["--scale", "0.0001", "--contacts", "30", "--cases", "8"]
    out = StringIO()
    call_command("bench_data", *args, stdout=out)
    assert "rows/s" in out.getvalue()
    assert Firm.objects.count() == Plan().firms
    out = StringIO()
    call_command("bench_data", *args, stdout=out)
    assert "already there" in out.getvalue()
    with pytest.raises(CommandError, match="another size"):
        call_command("bench_data", "--scale", "0.0002", stdout=StringIO())
