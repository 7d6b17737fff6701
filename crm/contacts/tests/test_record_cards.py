"""The client record's Tasks and Interactions cards drawn in Python read as before.

Each record is opened through the page (with a query string, as a paged
timeline leaves it), so the drawings get the view's own context; the wrapper
templates the record includes and their references are rendered from it and
compared byte for byte.
"""

import pytest
from django.template.loader import get_template

from crm.contacts.tests.factories import ContactFactory
from crm.interactions.tests.factories import InteractionFactory, NoteFactory
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

NASTY = '<b>O\'Brien & "Sons"</b>'
CARDS = ("tasks/_for_contact", "interactions/_for_contact")


def _compare(client, contact) -> str:
    response = client.get(contact.get_absolute_url() + "?q=<&x='\"&page=1")
    assert response.status_code == 200
    context = response.context[0].flatten()
    html: str = response.content.decode()
    for card in CARDS:
        drawn = get_template(f"{card}.html").render(context, response.wsgi_request)
        reference = get_template(f"{card}_section.html").render(
            context, response.wsgi_request
        )
        assert drawn == reference, card
        assert drawn in html
    return html


@pytest.mark.parametrize("who", ["owner", "read_only"])
def test_a_record_with_tasks_and_interactions(who, firm, owner, read_only, login):
    contact = ContactFactory(firm=firm, first_name=NASTY)
    TaskFactory(firm=firm, contact=contact, title=NASTY)
    TaskFactory(firm=firm, contact=contact, due_date=None)
    InteractionFactory(contact=contact, notes=f"Said {NASTY}\nand more")
    NoteFactory(contact=contact)
    html = _compare(login(owner if who == "owner" else read_only), contact)
    assert ("Log interaction</a>" in html) is (who == "owner")
    assert ("Add task<span" in html) is (who == "owner")


def test_a_record_with_neither(firm, owner, login):
    html = _compare(login(owner), ContactFactory(firm=firm))
    assert "No tasks for this client." in html
    assert "No interactions or notes yet." in html
