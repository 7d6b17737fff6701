"""The New Case wizard tells the member where they are (issue 14, item 3)."""

import re

import pytest
from django.urls import reverse

from crm.contacts.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

START = reverse("advice:wizard_start")
HTMX = {"HTTP_HX_REQUEST": "true"}
JOINT_MORTGAGE = {"kind": "mortgage", "mortgage_type": "buy_to_let", "mode": "joint"}


def step_url(step):
    return reverse("advice:wizard_step", args=[step])


def post(client, step, data, action="next", **extra):
    return client.post(step_url(step), {**data, "action": action}, **extra)


def text(response):
    return response.content.decode()


@pytest.fixture
def clients(firm):
    return (
        ContactFactory(firm=firm, first_name="Ann", last_name="Lee"),
        ContactFactory(firm=firm, first_name="Bob", last_name="Lee"),
    )


def _to_introducer(client, clients):
    client.get(START)
    post(client, "product", JOINT_MORTGAGE)
    post(client, "main", {"choice": "existing", "contact": clients[0].pk})
    post(client, "joint", {"choice": "existing", "contact": clients[1].pk})


def test_new_case_with_a_draft_offers_continue_with_a_summary_or_start_again(
    adviser_client, clients
):
    """+ New Case with a saved draft sums it up and offers Continue or Start again."""
    _to_introducer(adviser_client, clients)
    response = adviser_client.get(START)
    assert response.status_code == 200
    page = text(response)
    assert "You have a new case in progress" in page
    assert "Mortgage (Buy To Let, Joint)" in page
    assert "Ann Lee" in page
    assert "Bob Lee" in page
    assert "Step 4: Introducer" in page
    assert f'href="{step_url("introducer")}">Continue</a>' in page
    assert f'href="{START}?restart=1">Start again</a>' in page


def test_new_case_without_progress_goes_straight_to_the_first_step(adviser_client):
    """A draft nobody has filled in yet is not worth asking about."""
    adviser_client.get(START)
    assert adviser_client.get(START).url == step_url("product")


def test_start_again_clears_the_draft(adviser_client, clients):
    """Start again begins a fresh draft at the first step."""
    _to_introducer(adviser_client, clients)
    assert adviser_client.get(START + "?restart=1").url == step_url("product")
    assert adviser_client.get(START).url == step_url("product")


@pytest.mark.parametrize("step", ["joint", "introducer", "adviser"])
def test_steps_after_the_main_applicant_say_who_and_what_the_case_is_for(
    adviser_client, clients, step
):
    """Each step after Main applicant names the product and the clients."""
    _to_introducer(adviser_client, clients)
    page = text(adviser_client.get(step_url(step)))
    assert (
        '<p class="wizard-for">Mortgage (Buy To Let, Joint) for Ann Lee and Bob Lee</p>'
        in page
    )


def test_product_and_main_steps_have_no_for_line(adviser_client, clients):
    """Before the client is chosen there is nothing to say it is for."""
    _to_introducer(adviser_client, clients)
    for step in ("product", "main"):
        assert 'class="wizard-for"' not in text(adviser_client.get(step_url(step)))


def test_chips_of_completed_steps_are_links(adviser_client, clients):
    """Done steps link back; the current and later steps do not."""
    _to_introducer(adviser_client, clients)
    page = text(adviser_client.get(step_url("introducer")))
    nav = page[page.index('aria-label="New case steps"') :]
    nav = nav[: nav.index("</nav>")]
    linked = re.findall(r'href="/cases/new/(\w+)/"', nav)
    assert linked == ["product", "main", "joint"]


def test_step_and_done_pages_mark_the_heading_to_focus(adviser_client):
    """The step's card carries data-focus-heading and its heading can take focus."""
    adviser_client.get(START)
    page = text(adviser_client.get(step_url("product")))
    assert "data-focus-heading" in page
    assert '<h2 id="step-heading" tabindex="-1">' in page


def test_picking_a_client_shows_their_details_and_survives_a_reload(
    adviser_client, clients
):
    """The picker's refresh shows e-mail, mobile and a link, and keeps the pick."""
    ann = clients[0]
    adviser_client.get(START)
    post(adviser_client, "product", JOINT_MORTGAGE)
    response = post(
        adviser_client,
        "main",
        {"choice": "existing", "contact": ann.pk},
        action="refresh",
        **HTMX,
    )
    for page in (text(response), text(adviser_client.get(step_url("main")))):
        assert f'<a href="{ann.get_absolute_url()}">Ann Lee</a>' in page
        assert ann.email in page
        assert ann.mobile in page


def test_the_picker_asks_for_the_refresh_when_a_client_is_picked(adviser_client):
    """The existing-client part posts action=refresh on combobox:picked."""
    adviser_client.get(START)
    post(adviser_client, "product", JOINT_MORTGAGE)
    page = text(adviser_client.get(step_url("main")))
    assert 'hx-trigger="combobox:picked from:closest fieldset"' in page
    assert """hx-vals='{"action": "refresh"}'""" in page
