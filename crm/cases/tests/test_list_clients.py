"""The clients a case list shows, read as names without models (D2, I1)."""

import pytest
from django.template import Context
from django.urls import reverse

from crm.cases import rows
from crm.cases import selectors as case_selectors
from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.contacts.choices import ContactKind
from crm.contacts.tests.factories import ContactFactory
from crm.core.rows import RowPage

pytestmark = pytest.mark.django_db


def _cases(firm):
    """Cases with a joint pair, an organisation, a person with only an e-mail."""
    joint = make_case(
        firm,
        applicants=[
            ContactFactory(firm=firm, first_name="Ann", last_name="Ode"),
            ContactFactory(firm=firm, first_name="Ben <b>", last_name="Ode"),
        ],
    )
    company = make_case(
        firm,
        applicants=[
            ContactFactory(
                firm=firm,
                kind=ContactKind.ORGANISATION,
                first_name="",
                last_name="",
                organisation_name="Acme & Sons",
            )
        ],
    )
    email_only = make_case(
        firm,
        applicants=[
            ContactFactory(firm=firm, first_name="", last_name="", email="x@ex.com")
        ],
    )
    return [joint, company, email_only]


def test_attached_clients_draw_the_cell_the_prefetched_applicants_draw(
    firm, django_assert_num_queries
):
    """Same names, order and links as the models give, read in one query."""
    ids = [case.pk for case in _cases(firm)]
    loaded = list(
        Case.objects.filter(pk__in=ids)
        .prefetch_related(case_selectors.applicants_prefetch())
        .order_by("pk")
    )
    bare = list(Case.objects.filter(pk__in=ids).order_by("pk"))
    with django_assert_num_queries(1):
        case_selectors.attach_clients(bare, firm=firm)
    page = RowPage(Context())
    with django_assert_num_queries(0):
        attached = [rows.clients(case, page) for case in bare]
    assert attached == [rows.clients(case, page) for case in loaded]
    assert "Ann Ode</a> &amp; " in attached[0]
    assert "Ben &lt;b&gt; Ode" in attached[0]
    assert "Acme &amp; Sons" in attached[1]
    assert "x@ex.com" in attached[2]
    assert [c.contact_id for c in bare[0].clients] == [
        a.contact_id for a in loaded[0].applicants.all()
    ]


def test_a_case_without_clients_and_an_empty_page_read_nothing(
    firm, django_assert_num_queries
):
    case = make_case(firm)
    case.applicants.all().delete()
    with django_assert_num_queries(0):
        case_selectors.attach_clients([], firm=firm)
    with django_assert_num_queries(1):
        case_selectors.attach_clients([case], firm=firm)
    assert case.clients == []
    assert "No client" in rows.clients(case, RowPage(Context()))


@pytest.mark.parametrize(
    ("url", "kind"),
    [("advice:case_list", "mortgage"), ("support:case_list", "support")],
)
def test_the_lists_show_attached_clients_not_applicant_models(
    owner_client, firm, url, kind
):
    """The Cases and Support cases lists read names, not CaseApplicant rows."""
    firm.has_support = True
    firm.save()
    make_case(
        firm,
        kind=kind,
        applicants=[
            ContactFactory(firm=firm, first_name="Cat", last_name="Ode"),
            ContactFactory(firm=firm, first_name="Dan", last_name="Ode"),
        ],
    )
    response = owner_client.get(reverse(url))
    page = response.context["page"]
    assert all(case.clients for case in page.items)
    assert all("_prefetched_objects_cache" not in case.__dict__ for case in page.items)
    assert "Cat Ode</a> &amp; " in response.content.decode()


def test_attach_clients_reads_only_the_firms_applicants(
    firm, other_firm, django_assert_num_queries
):
    """A case id of another firm gets no clients: the read filters by firm."""
    theirs = make_case(
        other_firm, applicants=[ContactFactory(firm=other_firm, first_name="Eve")]
    )
    with django_assert_num_queries(1):
        case_selectors.attach_clients([theirs], firm=firm)
    assert theirs.clients == []
